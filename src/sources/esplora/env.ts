// HTTP tuning from the environment, for tests, benchmarks and unusual servers (a self-hosted
// electrs that can take more than the polite defaults, a flaky link that needs longer timeouts):
//
//   FUNDTRACE_HTTP_TIMEOUT_MS       per-attempt timeout (default 30 000)
//   FUNDTRACE_HTTP_BACKOFF_MS       backoff base; retry n waits in [c/2, c), c = base·2^(n-1) (default 1 000)
//   FUNDTRACE_HTTP_BACKOFF_MAX_MS   backoff cap (default 30 000)
//   FUNDTRACE_HTTP_RETRIES          retries after the first attempt (default 5)
//   FUNDTRACE_HTTP_MAX_BYTES        cap on one response body in bytes (default 67 108 864 = 64 MiB)
//   FUNDTRACE_RATE_LIMIT            per-host limits: "host=rate[/burst[/concurrency]],…", e.g.
//                                   "electrs.lan:3000=50/10/16,blockstream.info=1"
//
// A bad value is a usage error naming the variable. Read from the source context's env (the CLI
// passes process.env; tests pass their own).
import { usageError } from '../../core/errors.js';
import type { HostLimits, HttpClientOptions } from '../http/index.js';

export type HttpTuning = Pick<
  HttpClientOptions,
  'timeoutMs' | 'backoffBaseMs' | 'backoffMaxMs' | 'retries' | 'hosts' | 'maxResponseBytes'
>;

function num(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min)
    throw usageError(`${name}=${JSON.stringify(raw)}: expected a number ≥ ${min}`);
  return v;
}

export function parseRateLimits(
  raw: string,
  name = 'FUNDTRACE_RATE_LIMIT',
): Record<string, Partial<HostLimits>> {
  const hosts: Record<string, Partial<HostLimits>> = {};
  for (const part of raw.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.lastIndexOf('=');
    const host = item.slice(0, eq).trim().toLowerCase();
    const [rate, burst, concurrency] = item
      .slice(eq + 1)
      .split('/')
      .map((x) => Number(x.trim()));
    const bad =
      eq <= 0 ||
      host === '' ||
      rate === undefined ||
      !(rate > 0) ||
      (burst !== undefined && !(burst >= 1)) ||
      (concurrency !== undefined && !(concurrency >= 1));
    if (bad) {
      throw usageError(
        `${name}: ${JSON.stringify(item)} is not host=rate[/burst[/concurrency]] (e.g. "127.0.0.1:3000=20/1/8")`,
      );
    }
    hosts[host] = {
      rate: rate as number,
      ...(burst !== undefined ? { burst } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
    };
  }
  return hosts;
}

/** The tuning the environment asks for, or undefined when it asks for none. */
export function httpTuningFromEnv(env: NodeJS.ProcessEnv): HttpTuning | undefined {
  const t: HttpTuning = {};
  const timeoutMs = num(env, 'FUNDTRACE_HTTP_TIMEOUT_MS', 1);
  const backoffBaseMs = num(env, 'FUNDTRACE_HTTP_BACKOFF_MS', 0);
  const backoffMaxMs = num(env, 'FUNDTRACE_HTTP_BACKOFF_MAX_MS', 0);
  const retries = num(env, 'FUNDTRACE_HTTP_RETRIES', 0);
  if (timeoutMs !== undefined) t.timeoutMs = timeoutMs;
  if (backoffBaseMs !== undefined) t.backoffBaseMs = backoffBaseMs;
  if (backoffMaxMs !== undefined) t.backoffMaxMs = backoffMaxMs;
  if (retries !== undefined) t.retries = Math.floor(retries);
  const maxBytes = num(env, 'FUNDTRACE_HTTP_MAX_BYTES', 1024);
  if (maxBytes !== undefined) t.maxResponseBytes = Math.floor(maxBytes);
  const rl = env.FUNDTRACE_RATE_LIMIT?.trim();
  if (rl) t.hosts = parseRateLimits(rl);
  return Object.keys(t).length > 0 ? t : undefined;
}
