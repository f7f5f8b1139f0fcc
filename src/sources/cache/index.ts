// Persistent cache for remote sources: see ./store.ts for the store choice, layout and policies.
export { decodeValue, encodeValue } from './codec.js';
export { defaultCacheDir } from './dir.js';
export { isOfflineMiss, MissCollector, OfflineMissError, offlineMissError } from './offline.js';
export {
  CACHE_FORMAT,
  type CacheEntry,
  type CacheLookup,
  type CacheStats,
  type CacheStore,
  type ClearFilter,
  type ClearResult,
  cacheStats,
  clearCache,
  type KindStats,
  openFileCache,
} from './store.js';
