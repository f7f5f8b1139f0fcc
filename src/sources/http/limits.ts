// Per-host request budgets. Every remote source shares one HttpClient per run, so these limits
// hold across sources (an Esplora source and a label lookup hitting the same host share a bucket).
//
// Defaults (rate = sustained requests per second, burst = bucket size, concurrency = in flight):
//
// | host pattern        | rate | burst | concurrency | why                                                        |
// |---------------------|------|-------|-------------|------------------------------------------------------------|
// | blockstream.info    | 2    | 4     | 2           | limits undisclosed; users report 429s (no Retry-After) at  |
// |                     |      |       |             | a few req/s, a gap of ~250 ms between calls works          |
// | mempool.space       | 1    | 3     | 2           | undisclosed and strict; 429 body is an HTML page, repeated |
// |                     |      |       |             | excess can get the IP banned                               |
// | api.etherscan.io    | 2.5  | 1     | 2           | free plan: 3 calls/s (fixed one-second windows), 100k/day; |
// |                     |      |       |             | burst 1 + a margin so network jitter never lands 4 in one  |
// |                     |      |       |             | window. Paid plans: raise via `hosts`                      |
// | *.blockscout.com    | 3    | 3     | 3           | documented default without an API key: 3–5 req/s per IP    |
// | *.trongrid.io       | 10   | 3     | 4           | with a key 20 req/s (15 in older docs), 100k/day; without  |
// |                     |      |       |             | one a lower dynamic limit and a 30 s 403 penalty: half the |
// |                     |      |       |             | keyed rate. Raise via FUNDTRACE_RATE_LIMIT with a paid key |
// | api.coingecko.com   | 0.4  | 2     | 1           | keyless: per-IP limit shared with everyone behind the IP;  |
// |                     |      |       |             | Demo key: 30–100 calls/min. Price lookups are few (one per |
// |                     |      |       |             | coin and month): slow and polite beats a 429               |
// | localhost, 127.0.0.1, [::1] | unlimited | –  | 16     | self-hosted electrs / anvil / bcoin                        |
// | anything else       | 5    | 5     | 4           | polite generic default                                     |
//
// Override per host (or `*.suffix` pattern) with `createHttpClient({ hosts: { 'api.etherscan.io':
// { rate: 10 } } })`; user entries win over built-ins, exact names over wildcards.

export interface HostLimits {
  /** Sustained requests per second (token refill rate). `Infinity` = unlimited. */
  rate: number;
  /** Token bucket size: how many requests may go out back to back after an idle period. */
  burst: number;
  /** Maximum requests in flight to the host at once. */
  concurrency: number;
}

export const GENERIC_HOST_LIMITS: HostLimits = Object.freeze({ rate: 5, burst: 5, concurrency: 4 });

const LOCAL: HostLimits = Object.freeze({ rate: Number.POSITIVE_INFINITY, burst: 1, concurrency: 16 });

export const DEFAULT_HOST_LIMITS: Readonly<Record<string, HostLimits>> = Object.freeze({
  'blockstream.info': { rate: 2, burst: 4, concurrency: 2 },
  'mempool.space': { rate: 1, burst: 3, concurrency: 2 },
  'api.etherscan.io': { rate: 2.5, burst: 1, concurrency: 2 },
  '*.blockscout.com': { rate: 3, burst: 3, concurrency: 3 },
  '*.trongrid.io': { rate: 10, burst: 3, concurrency: 4 },
  'api.coingecko.com': { rate: 0.4, burst: 2, concurrency: 1 },
  localhost: LOCAL,
  '127.0.0.1': LOCAL,
  '[::1]': LOCAL,
});

/** Does `pattern` (`host`, `host:port` or `*.suffix`) cover this URL host? */
export function hostMatches(pattern: string, host: string, hostname: string): boolean {
  const p = pattern.toLowerCase();
  if (p.startsWith('*.')) {
    const suffix = p.slice(1); // ".blockscout.com"
    return hostname.endsWith(suffix) && hostname.length > suffix.length;
  }
  return p === host || p === hostname;
}

function specificity(pattern: string): number {
  // host:port > exact host > longer wildcard > shorter wildcard
  if (pattern.startsWith('*.')) return pattern.length;
  return 10_000 + (pattern.includes(':') && !pattern.startsWith('[') ? 1 : 0) + pattern.length;
}

function pick(table: Readonly<Record<string, Partial<HostLimits>>>, host: string, hostname: string) {
  let best: { pattern: string; limits: Partial<HostLimits> } | undefined;
  for (const [pattern, limits] of Object.entries(table)) {
    if (!hostMatches(pattern, host, hostname)) continue;
    if (!best || specificity(pattern) > specificity(best.pattern)) best = { pattern, limits };
  }
  return best;
}

function sanitize(l: HostLimits): HostLimits {
  const rate = l.rate > 0 ? l.rate : GENERIC_HOST_LIMITS.rate;
  const burst = Math.max(1, Math.floor(Number.isFinite(l.burst) ? l.burst : 1));
  const concurrency = Math.max(1, Math.floor(Number.isFinite(l.concurrency) ? l.concurrency : 1));
  return { rate, burst, concurrency };
}

/**
 * The limits for a URL host (`host` includes the port, `hostname` does not; both lower-case).
 * Resolution: best user override, layered over the best built-in, layered over `fallback`.
 */
export function resolveHostLimits(
  host: string,
  hostname: string,
  overrides: Readonly<Record<string, Partial<HostLimits>>> = {},
  fallback: HostLimits = GENERIC_HOST_LIMITS,
): HostLimits {
  const builtIn = pick(DEFAULT_HOST_LIMITS, host, hostname)?.limits ?? {};
  const user = pick(overrides, host, hostname)?.limits ?? {};
  return sanitize({ ...fallback, ...builtIn, ...user });
}
