// Environment tuning, read from the source context's env (never process.env directly, so
// in-process tests and benchmarks can set them per run).
//
// HTTP tuning is shared with the other remote sources and parsed by the Esplora source's parser
// (src/sources/esplora/env.ts), so every variable means the same for every source:
//   FUNDTRACE_HTTP_TIMEOUT_MS, FUNDTRACE_HTTP_BACKOFF_MS, FUNDTRACE_HTTP_BACKOFF_MAX_MS,
//   FUNDTRACE_HTTP_RETRIES, FUNDTRACE_RATE_LIMIT ("host=rate[/burst[/concurrency]],…").
// Paging is this source's own:
//
// | variable                        | meaning                                                   | default |
// |---------------------------------|-----------------------------------------------------------|---------|
// | FUNDTRACE_ETHERSCAN_PAGE_SIZE   | rows asked per list request (`offset`)                    | 10 000  |
// | FUNDTRACE_ETHERSCAN_MAX_ROWS    | stop paging a list after this many rows (history limit)   | 10 000  |
import { usageError } from '../../core/errors.js';

export { type HttpTuning, httpTuningFromEnv } from '../esplora/env.js';

function int(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = Number(raw.trim());
  if (!Number.isInteger(v) || v < min || v > max) {
    throw usageError(
      `environment variable ${name}=${JSON.stringify(raw.slice(0, 40))} is not a whole number between ${min} and ${max}`,
    );
  }
  return v;
}

export interface PagingTuning {
  pageSize: number;
  maxRows: number;
}

export function pagingTuning(env: NodeJS.ProcessEnv): PagingTuning {
  return {
    pageSize: int(env, 'FUNDTRACE_ETHERSCAN_PAGE_SIZE', 1, 10_000) ?? 10_000,
    maxRows: int(env, 'FUNDTRACE_ETHERSCAN_MAX_ROWS', 1, 100_000_000) ?? 10_000,
  };
}
