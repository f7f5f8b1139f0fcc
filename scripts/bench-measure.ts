// Timing a command from outside, for the benchmarks that compare a run with the parse floor.
//
// The benchmark machine's speed drifts (a 2-core VM: the floor alone measured 1.6–3.0 s within one
// afternoon), so a ratio is taken against a floor measured right before the run, not minutes
// earlier: `paired` runs the floor, then the command, `--repeat N` times, and keeps the fastest of
// each (peak RSS: the largest seen).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Run {
  ms: number;
  rssMb: number | null;
  stderr: string;
  /** the last stderr line when the command failed (a row says so instead of aborting the bench) */
  failed?: string;
}

/** The script every floor runs: read the file line by line and JSON.parse each line. */
export const FLOOR = `
const rl = require('node:readline').createInterface({ input: require('node:fs').createReadStream(process.argv[1]), crlfDelay: Infinity });
rl.on('line', (l) => { if (l) JSON.parse(l); });
`;

/** `--repeat N` on the command line (default 1). */
export function repeats(): number {
  const at = process.argv.indexOf('--repeat');
  const n = at >= 0 ? Number(process.argv[at + 1]) : 1;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--repeat ${process.argv[at + 1]}: give a whole number ≥ 1`);
  return n;
}

/** Run a command, timing it from outside; peak RSS from GNU time when the machine has it. */
export function measure(cmd: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const gnu = existsSync('/usr/bin/time');
  const argv = gnu ? ['/usr/bin/time', '-f', 'MAXRSS_KB=%M', ...cmd] : cmd;
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), {
    encoding: 'utf8',
    env,
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - t0;
  const stderr = r.stderr ?? '';
  const m = /MAXRSS_KB=(\d+)/.exec(stderr);
  const run: Run = { ms, rssMb: m ? Number(m[1]) / 1024 : null, stderr };
  if (r.status !== 0) {
    const lines = stderr
      .split('\n')
      .filter((l) => l && !l.startsWith('MAXRSS_KB=') && !/^\s*Command /.test(l));
    run.failed = `exit ${r.status ?? r.signal}: ${lines.at(-1) ?? ''}`.slice(0, 200);
  }
  return run;
}

/** The floor of `file` and `cmd`, `n` times in turn: the fastest of each (a failed run is returned as is). */
export function paired(
  n: number,
  file: string,
  cmd: string[],
  env: NodeJS.ProcessEnv = process.env,
  /** Run before each timed run, untimed (e.g. removing the output a build would replace). */
  setup: () => void = () => {},
): { floorMs: number; run: Run } {
  let floorMs = Number.POSITIVE_INFINITY;
  let best: Run | undefined;
  let rss: number | null = null;
  for (let i = 0; i < n; i++) {
    floorMs = Math.min(floorMs, measure([process.execPath, '-e', FLOOR, file]).ms);
    setup();
    const run = measure(cmd, env);
    if (run.failed) return { floorMs, run };
    if (run.rssMb !== null) rss = Math.max(rss ?? 0, run.rssMb);
    if (!best || run.ms < best.ms) best = run;
  }
  return { floorMs, run: { ...best!, rssMb: rss } };
}
