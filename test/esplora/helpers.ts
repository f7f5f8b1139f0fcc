// Shared bits of the Esplora tests: temp dirs, fast HTTP tuning, running the CLI against a source.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliRun, cli } from '../helpers.js';
import { datasetJson, type Scenario } from './scenario.js';

/** Small timeouts and backoff so failure-mode tests take milliseconds. */
export const FAST: NodeJS.ProcessEnv = {
  FUNDTRACE_HTTP_BACKOFF_MS: '2',
  FUNDTRACE_HTTP_BACKOFF_MAX_MS: '20',
  FUNDTRACE_HTTP_TIMEOUT_MS: '400',
  FUNDTRACE_HTTP_RETRIES: '3',
};

export async function tempDir(prefix = 'ft-esplora-'): Promise<{ dir: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, done: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeDataset(dir: string, s: Scenario): Promise<string> {
  const file = join(dir, 'scenario.json');
  await writeFile(file, datasetJson(s));
  return file;
}

/** `fundtrace trace SEED --source esplora:URL --cache-dir DIR --format json ARGS…` */
export function traceEsplora(
  url: string,
  cacheDir: string,
  seed: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = FAST,
): Promise<CliRun> {
  return cli(
    ['trace', seed, '--source', `esplora:${url}`, '--cache-dir', cacheDir, '--format', 'json', ...args],
    env,
  );
}

/** The JSON result without the parts that name the source. */
export function comparable(stdout: string): unknown {
  const j = JSON.parse(stdout) as { query: { sources?: unknown } };
  delete j.query.sources;
  return j;
}
