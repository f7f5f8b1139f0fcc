// Retry policy: which failures are worth another attempt and how long to wait before it.

import type { Random } from './clock.js';

/** 408, 425, 429 and the transient 5xx family (not 501/505, which will not change on retry). */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 425 || status === 429) return true;
  return status >= 500 && status !== 501 && status !== 505;
}

/**
 * Parse a Retry-After header into milliseconds from `nowMs`: either delay-seconds ("120",
 * leniently also "1.5") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"). A date in the past
 * gives 0. Anything unparsable gives undefined (then the normal backoff applies).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  if (!/[a-z]/i.test(v)) return undefined; // e.g. "-5": not a date either
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Exponential backoff with jitter for retry number `retry` (1 = first retry):
 * cap = min(maxMs, baseMs * 2^(retry-1)); delay uniformly in [cap/2, cap). Half the delay is
 * guaranteed (so a retry never comes back immediately), half is random (so clients that failed
 * together do not retry together).
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: Random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** Network error codes that will not go away by retrying. */
const PERMANENT_CODES = new Set([
  'ENOTFOUND',
  'EAI_NONAME',
  'ERR_INVALID_URL',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
]);

/** The most specific `code` found along an error's cause chain (undici nests them). */
export function networkErrorCode(err: unknown): string | undefined {
  let cur: unknown = err;
  let found: string | undefined;
  for (let depth = 0; depth < 6 && typeof cur === 'object' && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') found = code;
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      cur = errors[0];
      continue;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return found;
}

/** A short description of a fetch failure: "ECONNRESET: other side closed". */
export function describeNetworkError(err: unknown): string {
  const code = networkErrorCode(err);
  let cur: unknown = err;
  let message = '';
  for (let depth = 0; depth < 6 && typeof cur === 'object' && cur !== null; depth++) {
    const m = (cur as { message?: unknown }).message;
    if (typeof m === 'string' && m !== '' && m !== 'fetch failed') message = m;
    cur = (cur as { cause?: unknown }).cause;
  }
  if (!message) message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

export function isRetryableNetworkError(err: unknown): boolean {
  const code = networkErrorCode(err);
  if (code === undefined) return true;
  return !PERMANENT_CODES.has(code) && !code.startsWith('ERR_TLS_') && !code.startsWith('CERT_');
}
