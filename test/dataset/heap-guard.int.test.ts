// A dataset too big for the process's heap: a one-line error with what to do (exit 3), early,
// instead of V8's fatal out-of-memory crash after minutes of loading.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAccountSynthetic } from '../../scripts/synthetic.js';
import { FundtraceError } from '../../src/core/errors.js';
import { HeapGuard } from '../../src/sources/dataset/read.js';
import { ROOT } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-heap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('HeapGuard', () => {
  const GB = 2 ** 30;

  it('says nothing before a quarter of the file is read, nor while the projection fits', () => {
    const g = new HeapGuard('big.jsonl', 100 * GB, 1e15);
    expect(() => g.check(GB)).not.toThrow(); // 1 %: too early to project
    expect(() => g.check(30 * GB)).not.toThrow(); // a petabyte allowed: fits
  });

  it('refuses, past a quarter, a file whose projected heap exceeds the old-generation limit by 40 %', () => {
    // 100 GB of records cannot fit in 1 MB whatever the current heap holds.
    const g = new HeapGuard('big.jsonl', 100 * GB, 2 ** 20);
    expect(() => g.check(GB)).not.toThrow();
    let err: unknown;
    try {
      g.check(26 * GB);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FundtraceError);
    const e = err as FundtraceError;
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(
      /^dataset "big\.jsonl" does not fit in this process's memory: 26 % of its 100\.0 GB already holds .*, about .* for the whole file, more than the 1 MB Node allows here; run with NODE_OPTIONS=--max-old-space-size=\d+ \(this machine has .* GB\), or split the file$/,
    );
  });
});

describe('a trace on a dataset bigger than the heap', () => {
  const file = join(dir, 'big.jsonl');
  let seed = '';
  beforeAll(async () => {
    seed = (await writeAccountSynthetic(file, { transfers: 300_000, addresses: 60_000, seed: 3 })).busySeed;
  }, 120_000);

  // The guard is the sequential reader's; the parallel load (from 8 MiB) keeps no record objects.
  const run = (heapMb: number, load = 'sequential') =>
    spawnSync(
      process.execPath,
      [
        `--max-old-space-size=${heapMb}`,
        join(ROOT, 'bin', 'fundtrace.js'),
        'trace',
        seed,
        '--hops',
        '1',
        '--source',
        file,
        '--format',
        'json',
      ],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FUNDTRACE_LOAD: load }, maxBuffer: 1 << 28 },
    );

  it('is refused early in one line (exit 3) with the setting that would let it load', () => {
    expect(statSync(file).size).toBeGreaterThan(80 * 2 ** 20);
    const r = run(64);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^fundtrace: dataset ".*big\.jsonl" does not fit in this process's memory: \d+ % of its 94 MB .* run with NODE_OPTIONS=--max-old-space-size=\d+ /,
    );
    expect(r.stderr).not.toMatch(/FATAL|heap out of memory|at /);
  });

  it('loads and traces with a heap it fits in (the guard does not refuse what fits)', () => {
    const r = run(160);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary).toBeDefined();
  });

  it('the parallel load traces it in the heap the sequential reader is refused, with the same result', () => {
    const r = run(64, 'parallel');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(run(160).stdout);
  });
});
