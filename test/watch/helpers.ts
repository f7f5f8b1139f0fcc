// Helpers for the watch tests: the devnet actors' watch file and label file, a child-process runner
// for the real executable (for SIGKILL tests), and reading alert lines.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTORS } from '../../src/devnet/index.js';
import type { AlertDoc } from '../../src/watch/alert.js';
import { ISOLATED_ENV, ROOT } from '../helpers.js';

export const BIN = join(ROOT, 'bin', 'fundtrace.js');

/** The devnet's labels plus the drainer as a theft (the devnet itself does not flag it). */
export function writeWatchLabels(dir: string, devnetLabels: readonly object[]): string {
  const file = join(dir, 'labels.json');
  const drainer = {
    chain: 'anvil',
    address: ACTORS.drainer,
    entity: 'Devnet drainer',
    category: 'theft',
    source: 'test',
  };
  writeFileSync(file, JSON.stringify({ labels: [...devnetLabels, drainer] }, null, 2));
  return file;
}

/** Exchange deposit: arrival (40 % flagged expected) + movement + labels; mule-1: movement + labels. */
export function writeWatchFile(dir: string, labelsFile: string): string {
  const file = join(dir, 'watch.yaml');
  writeFileSync(
    file,
    `# devnet watch file used by the tests
labels: ${JSON.stringify(labelsFile)}
watch:
  - address: "${ACTORS.exchangeDeposit}"
    name: exchange deposit
    rules:
      arrival: { hops: 4, share: "10%" }
      movement: { min: "1" }
      labels: true
  - address: "${ACTORS.mule1}"
    name: mule-1
    rules:
      movement: { min: "0.5" }
      labels: true
`,
  );
  return file;
}

export const parseAlerts = (stdout: string): AlertDoc[] =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AlertDoc);

export interface Child {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the real executable; `killAfterMs` sends SIGKILL at that time. */
export function runChild(
  args: string[],
  opts: { killAfterMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<Child> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...ISOLATED_ENV, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer =
      opts.killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs) : undefined;
    child.on('close', (status, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** Deterministic PRNG (mulberry32) for the kill points. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
