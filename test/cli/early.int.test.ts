// The CLI's entry starts a big dataset's workers before it loads the command (src/cli/early.ts,
// src/sources/dataset/pool.ts): which argument it takes for the dataset, that the real executable's
// trace then runs on them (and prints what workers of its own print), and that workers nobody takes
// never keep the process from exiting.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { earlyDataset } from '../../src/cli/early.js';
import { PHISHING_VICTIM_TRACE } from '../fixtures/sample-trace.js';
import { ROOT, writeSampleJsonLines } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-early-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the dataset a command line names', () => {
  it.each([
    [['trace', '0xab', '--source', 'a.jsonl'], { file: 'a.jsonl', index: false }],
    [['trace', '0xab', '--source=b.NDJSON', '--hops', '3'], { file: 'b.NDJSON', index: false }],
    [['screen', '0xab', '--source', 'a.jsonl', '--source', 'b.jsonl'], { file: 'a.jsonl', index: false }],
    [['trace', '0xab', '--source', 'a.json'], undefined],
    [['trace', '0xab', '--source', 'index:a.ftindex'], undefined],
    [['trace', '0xab', '--source', 'sample:phishing-eth'], undefined],
    [['trace', '0xab', '--', '--source', 'a.jsonl'], undefined],
    [['trace', '0xab', '--source'], undefined],
    [['dataset', 'index', 'd.jsonl', '--out', 'd.ftindex'], { file: 'd.jsonl', index: true }],
    [['dataset', 'index', '--out', 'x.jsonl', '--force', 'd.jsonl'], { file: 'd.jsonl', index: true }],
    [['dataset', 'index', 'd.json'], undefined],
    [['dataset', 'check', 'd.jsonl'], undefined],
  ] as const)('%j → %j', (argv, named) => {
    expect(earlyDataset(argv)).toEqual(named);
  });
});

describe('the real executable', () => {
  const file = join(dir, 'phishing.jsonl');
  writeSampleJsonLines(file);
  const TRACE = PHISHING_VICTIM_TRACE;
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [join(ROOT, 'bin', 'fundtrace.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ...env },
      timeout: 60_000, // an idle worker holding the process would show as a timeout (status null)
    });

  it('traces on the workers it started with the command: the same JSON as the sequential reader', () => {
    const args = [...TRACE, '--source', file, '--format', 'json', '--verbose'];
    const early = run(args, { FUNDTRACE_LOAD: 'parallel' });
    expect(early.status, early.stderr).toBe(0);
    expect(early.stderr).toMatch(/dataset checked on 1 worker thread \(started with the command\)/);
    const seq = run(args, { FUNDTRACE_LOAD: 'sequential' });
    expect(seq.status, seq.stderr).toBe(0);
    expect(seq.stderr).not.toMatch(/worker thread/);
    expect(early.stdout).toBe(seq.stdout);
  });

  it('a run that stops before it loads the dataset exits at once, its early workers unused', () => {
    const bad = run([...TRACE, '--source', file, '--hops', 'many'], { FUNDTRACE_LOAD: 'parallel' });
    expect(bad.status, bad.stderr).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--hops/);
  });

  it('an index built on the workers it started with the command traces as the file does', () => {
    const db = join(dir, 'p.ftindex');
    const built = run(['dataset', 'index', file, '--out', db], { FUNDTRACE_LOAD: 'parallel' });
    expect(built.status, built.stderr).toBe(0);
    const json = (stdout: string) => {
      const doc = JSON.parse(stdout) as { query: { sources?: unknown } };
      delete doc.query.sources;
      return doc;
    };
    const fromIndex = run([...TRACE, '--source', `index:${db}`, '--format', 'json'], {});
    const fromFile = run([...TRACE, '--source', file, '--format', 'json'], { FUNDTRACE_LOAD: 'sequential' });
    expect(fromIndex.status, fromIndex.stderr).toBe(0);
    expect(json(fromIndex.stdout)).toEqual(json(fromFile.stdout));
  });
});
