// Offline mode support. In `offline` mode every lookup that the cache cannot answer throws an
// OfflineMissError (code OFFLINE_MISS) naming the key. A trace touches many keys, so callers
// that want one clear error listing everything missing can run each step through a
// MissCollector and throw its combined error at the end (the HttpClient also keeps the list:
// `client.offlineMisses()`).

import { FundtraceError } from '../../core/errors.js';

export class OfflineMissError extends FundtraceError {
  /** The cache keys (redacted URLs or logical keys) that were not available. */
  readonly keys: readonly string[];
  constructor(keys: readonly string[], message?: string) {
    super('OFFLINE_MISS', message ?? offlineMessage(keys), keys.length > 1 ? keys : []);
    this.name = 'OfflineMissError';
    this.keys = keys;
  }
}

function offlineMessage(keys: readonly string[]): string {
  if (keys.length === 1) return `offline: not in the cache: ${keys[0]}`;
  return `offline: ${keys.length} items are not in the cache (first: ${keys[0]}); run once online to fetch them`;
}

/** One OFFLINE_MISS error listing every key (deduplicated, in first-seen order) in `details`. */
export function offlineMissError(keys: Iterable<string>): OfflineMissError {
  return new OfflineMissError([...new Set(keys)]);
}

export function isOfflineMiss(err: unknown): err is FundtraceError {
  return err instanceof FundtraceError && err.code === 'OFFLINE_MISS';
}

/**
 * Gathers offline misses instead of stopping at the first:
 *
 *   const misses = new MissCollector();
 *   const txs = await Promise.all(ids.map((id) => misses.attempt(() => source.tx(id))));
 *   misses.throwIfAny(); // one OFFLINE_MISS naming every missing key
 */
export class MissCollector {
  private readonly seen = new Set<string>();

  get keys(): string[] {
    return [...this.seen];
  }

  get size(): number {
    return this.seen.size;
  }

  /** Record the keys of an offline miss; returns false (and records nothing) for other errors. */
  record(err: unknown): boolean {
    if (err instanceof OfflineMissError) {
      for (const k of err.keys) this.seen.add(k);
      return true;
    }
    return false;
  }

  /** Run `fn`; on an offline miss record it and resolve undefined; other errors propagate. */
  async attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (this.record(e)) return undefined;
      throw e;
    }
  }

  /** The misses in code-unit order: attempts run concurrently, so the order they failed in is not stable. */
  error(): OfflineMissError | undefined {
    return this.seen.size > 0 ? offlineMissError([...this.seen].sort()) : undefined;
  }

  throwIfAny(): void {
    const e = this.error();
    if (e) throw e;
  }
}
