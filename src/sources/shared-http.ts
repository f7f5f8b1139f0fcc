// The HTTP client a run's remote sources share (so rate limits, counters and the cache are shared),
// kept apart from ./open.ts so that a trace from a local file or index never loads the HTTP layer.
import { defaultCacheDir, openFileCache } from './cache/index.js';
import { httpTuningFromEnv } from './esplora/env.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from './http/index.js';

/** What the client takes from a run (a part of ./open.ts's SourceContext, which imports this module). */
export interface HttpContext {
  cacheMode: HttpClientOptions['cacheMode'];
  cacheDir?: string;
  apiKey?: string;
  onResponse?: HttpClientOptions['onResponse'];
  signal?: AbortSignal;
  env: NodeJS.ProcessEnv;
}

/**
 * One HTTP client per run (so rate limits and counters are shared), tuned by FUNDTRACE_HTTP_*
 * and FUNDTRACE_RATE_LIMIT (see src/sources/esplora/env.ts; used by tests and benchmarks).
 */
export function sharedHttp(ctx: HttpContext): (extra?: { secrets?: readonly string[] }) => HttpClient {
  let client: HttpClient | undefined;
  return (extra = {}) => {
    client ??= createHttpClient({
      cache:
        // The run's own environment decides the default directory (not the process's: tests and
        // embedding callers pass an isolated one).
        ctx.cacheMode === 'noCache'
          ? undefined
          : openFileCache({ dir: ctx.cacheDir ?? defaultCacheDir(ctx.env) }),
      cacheMode: ctx.cacheMode,
      secrets: [...(ctx.apiKey ? [ctx.apiKey] : []), ...(extra.secrets ?? [])],
      signal: ctx.signal,
      onResponse: ctx.onResponse,
      ...(httpTuningFromEnv(ctx.env) ?? {}),
    });
    return client;
  };
}
