// Shared helpers for the etherscan-source tests: temp dirs, fast retry settings, the equivalent
// dataset file, and reading every file of a cache directory (to prove the API key never lands there).
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derivedTokenIndex } from '../../src/sources/etherscan/indices.js';
import { type Dialect, datasetOf, type Scenario } from '../fixtures/etherscan/scenario.js';
import { type CliRun, cli } from '../helpers.js';

/** Retries and backoff small enough for the suite, large enough to exercise them. */
export const FAST_ENV = {
  FUNDTRACE_HTTP_BACKOFF_MS: '5',
  FUNDTRACE_HTTP_RETRIES: '3',
  FUNDTRACE_HTTP_TIMEOUT_MS: '5000',
} as const;

export const FAKE_KEY = 'FAKEKEY-ABC-123';

export async function tempDir(prefix = 'ft-etherscan-'): Promise<{ dir: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, done: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeDataset(dir: string, sc: Scenario, dialect: Dialect): Promise<string> {
  const file = join(dir, `dataset-${dialect}.json`);
  await writeFile(file, JSON.stringify(datasetOf(sc, dialect, derivedTokenIndex), null, 1));
  return file;
}

/** `fundtrace trace …` through the CLI in-process. */
export function trace(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  // These tests pin the transfer path and compare with datasets that hold no event logs: conversions
  // off (the logs path of etherscan: is tested in logs.test.ts).
  return cli(['trace', ...args, '--no-conversions'], { ...FAST_ENV, ...env });
}

/** Every byte under a directory, concatenated (file names included). */
export async function readTree(dir: string): Promise<string> {
  let out = '';
  const walk = async (d: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      const s = await stat(p);
      out += `${p}\n`;
      if (s.isDirectory()) await walk(p);
      else out += await readFile(p, 'utf8');
    }
  };
  await walk(dir);
  return out;
}

/** Parsed JSON of a successful run, without query.sources. */
export function comparable(r: CliRun): Record<string, unknown> {
  if (r.status !== 0) throw new Error(`trace failed (${r.status}): ${r.stderr}`);
  const j = JSON.parse(r.stdout) as { query: Record<string, unknown> };
  delete j.query.sources;
  return j as unknown as Record<string, unknown>;
}
