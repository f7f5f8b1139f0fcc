// Start-up (issue 9): `fundtrace --help` and a usage error of `trace`, against `node -e 0`, median of
// 9 runs each, through bin/fundtrace.js as a person runs it (the bundle when it is fresh). Target: ≤ 250 ms.
// Also a whole JSON trace from an index of a 57-record sample: what every trace from an index costs
// before its data (process start, loading the command and libsql, opening), beside the 1M index's
// case-seed run in `--only index`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PHISHING_VICTIM_TRACE } from '../test/fixtures/sample-trace.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'fundtrace.js');

function median(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, args, { stdio: 'ignore' });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[4]!;
}

export async function benchStartup(): Promise<Record<string, string>> {
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  const node = median(['-e', '0']);
  const help = median([BIN, '--help']);
  const usage = median([BIN, 'trace', 'x', '--source', 'a.json', '--hops', 'many']);
  const traceHelp = median([BIN, 'trace', '--help']);
  const dir = mkdtempSync(join(tmpdir(), 'fundtrace-bench-startup-'));
  let fromIndex: number;
  try {
    const db = join(dir, 'sample.ftindex');
    const built = spawnSync(
      process.execPath,
      [BIN, 'dataset', 'index', join(ROOT, 'samples', 'phishing-eth.json'), '--out', db],
      { encoding: 'utf8' },
    );
    if (built.status !== 0) throw new Error(`bench startup: indexing the sample failed: ${built.stderr}`);
    fromIndex = median([
      BIN,
      ...PHISHING_VICTIM_TRACE,
      '--source',
      `index:${db}`,
      '--format',
      'json',
      '--out',
      join(dir, 'out.json'),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  return {
    'node -e 0 (median of 9)': ms(node),
    'fundtrace --help (target ≤ 250 ms)': ms(help),
    'fundtrace trace … --hops many (usage error, target ≤ 250 ms)': ms(usage),
    'fundtrace trace --help': ms(traceHelp),
    'fundtrace trace from an index of a 57-record sample (JSON, whole run)': ms(fromIndex),
  };
}
