// A trace from an index tightens V8's heap sizing at run time (src/sources/index/heap.ts). Run as a
// user runs it — its own process — it must print exactly what it prints without that: no V8
// "unrecognized flag" line on this Node, the same JSON, and no change when the user gave the flags.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-index-heap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DRAIN_ETH = '0x051ae4e356b95fbef6f0fa94b83847d69542055dde470f460dfad533adfcde5f';

function run(nodeFlags: string[], source: string) {
  const r = spawnSync(
    process.execPath,
    [...nodeFlags, 'bin/fundtrace.js', 'trace', DRAIN_ETH, '--format', 'json', '--source', source],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const comparable = (json: string) => {
  const d = JSON.parse(json) as { query: { sources?: unknown } };
  delete d.query.sources;
  return JSON.stringify(d);
};

describe('an index trace in its own process', () => {
  it("prints the file trace's JSON and nothing on stderr, with or without heap flags given", async () => {
    const db = join(dir, 'phishing.ftindex');
    const built = await cli(['dataset', 'index', 'samples/phishing-eth.json', '--out', db]);
    expect(built.status, built.stderr).toBe(0);
    const file = run([], 'samples/phishing-eth.json');
    expect(file.status, file.stderr).toBe(0);
    for (const flags of [[], ['--heap-growing-percent=20']]) {
      const r = run(flags, `index:${db}`);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(comparable(r.stdout)).toBe(comparable(file.stdout));
    }
  });
});
