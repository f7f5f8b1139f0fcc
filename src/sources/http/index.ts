// The shared HTTP layer for remote sources. See ./client.ts for the request pipeline and
// ./limits.ts for the per-host defaults; the persistent cache lives in ../cache/.
export {
  type CacheMode,
  type CachePolicy,
  type CallOptions,
  createHttpClient,
  DEFAULT_REVALIDATE_AFTER_MS,
  type Fetched,
  type HttpClient,
  type HttpClientOptions,
  type HttpEvent,
  type MemoOptions,
  type RequestOptions,
  type TextOptions,
  type Validator,
} from './client.js';
export {
  type Clock,
  interruptSignal,
  isAbortError,
  linkedAbort,
  type Random,
  sleep,
  systemClock,
} from './clock.js';
export { HttpError, ValidationError } from './errors.js';
export { HostGate, Semaphore, TokenBucket } from './limiter.js';
export { DEFAULT_HOST_LIMITS, GENERIC_HOST_LIMITS, type HostLimits, resolveHostLimits } from './limits.js';
export {
  REDACTED,
  redactSourceSpec,
  redactText,
  redactUrl,
  remoteLine,
  sourceSpecSecrets,
} from './redact.js';
export { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry.js';
export type { HostStats, HttpStats } from './stats.js';
