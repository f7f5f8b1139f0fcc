// Start-up (issue 9): `fundtrace --help` and a usage error of `trace`, against `node -e 0`, median of
// 9 runs each, through bin/fundtrace.js as a person runs it (the bundle when it is fresh). Target: ≤ 250 ms.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

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
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  return {
    'node -e 0 (median of 9)': ms(node),
    'fundtrace --help (target ≤ 250 ms)': ms(help),
    'fundtrace trace … --hops many (usage error, target ≤ 250 ms)': ms(usage),
    'fundtrace trace --help': ms(traceHelp),
  };
}
