// Request accounting. Every HTTP attempt is counted, so benchmarks and tests can assert
// "zero requests" for a fully cached run.

export interface HostStats {
  /** HTTP attempts sent to the host (retries included). */
  requests: number;
  /** Attempts that were retries of an earlier one. */
  retries: number;
  /** Response body bytes received. */
  bytes: number;
  /** 429s and application-level rate-limit answers. */
  rateLimited: number;
  /** Calls that finally failed (after retries). */
  failures: number;
}

export interface HttpStats extends HostStats {
  cacheHits: number;
  /** Lookups that found nothing usable (absent, corrupt or stale) and went to the network. */
  cacheMisses: number;
  /** Mutable entries found but older than their revalidation window (refetched). */
  cacheStale: number;
  /** Entries that failed their checksum or no longer validated (deleted and refetched). */
  cacheCorrupt: number;
  cacheWrites: number;
  cacheWriteErrors: number;
  /** Lookups that failed in offline mode (see HttpClient.offlineMisses for the keys). */
  offlineMisses: number;
  byHost: Record<string, HostStats>;
}

export const emptyHostStats = (): HostStats => ({
  requests: 0,
  retries: 0,
  bytes: 0,
  rateLimited: 0,
  failures: 0,
});

export const emptyStats = (): HttpStats => ({
  ...emptyHostStats(),
  cacheHits: 0,
  cacheMisses: 0,
  cacheStale: 0,
  cacheCorrupt: 0,
  cacheWrites: 0,
  cacheWriteErrors: 0,
  offlineMisses: 0,
  byHost: {},
});

/** A deep copy, so callers can keep a snapshot and diff later. */
export function cloneStats(s: HttpStats): HttpStats {
  const byHost: Record<string, HostStats> = {};
  for (const [h, v] of Object.entries(s.byHost)) byHost[h] = { ...v };
  return { ...s, byHost };
}
