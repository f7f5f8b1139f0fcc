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
import { envInt } from '../spec.js';

export { type HttpTuning, httpTuningFromEnv } from '../esplora/env.js';

export interface PagingTuning {
  pageSize: number;
  maxRows: number;
}

export function pagingTuning(env: NodeJS.ProcessEnv): PagingTuning {
  return {
    pageSize: envInt(env, 'FUNDTRACE_ETHERSCAN_PAGE_SIZE', 1, 10_000) ?? 10_000,
    maxRows: envInt(env, 'FUNDTRACE_ETHERSCAN_MAX_ROWS', 1, 100_000_000) ?? 10_000,
  };
}
