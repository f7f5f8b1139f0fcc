// Typed errors with stable codes. The CLI maps each code to an exit status in one place
// (src/cli/exit.ts); core and sources only throw these.

export type ErrorCode =
  | 'USAGE' // bad flag, bad flag value, malformed address for the chain → exit 2
  | 'BAD_INPUT' // a file that does not parse/validate, unknown seed, missing file → exit 3
  | 'BAD_DATA' // a remote source answered with a wrong shape → exit 4
  | 'SOURCE' // network, HTTP error, rate limit after retries → exit 4
  | 'OFFLINE_MISS' // --offline and the cache lacks what is needed → exit 4
  | 'PARTIAL' // --strict and a limit cut the trace → exit 5
  | 'STATE' // watch database locked by another monitor, read-only, full, newer schema → exit 6
  | 'DELIVERY' // watch --once: an alert could not be delivered (webhook/exec) after its retries → exit 7
  | 'INTERNAL'; // a bug → exit 1

/** Why, in a form callers branch on (never the message text). */
export type ErrorReason = 'seed-not-in-asset';

export class FundtraceError extends Error {
  readonly code: ErrorCode;
  /** Extra lines (e.g. every validation problem) printed after the one-line message. */
  readonly details: readonly string[];
  readonly reason?: ErrorReason;
  constructor(
    code: ErrorCode,
    message: string,
    details: readonly string[] = [],
    options?: { cause?: unknown; reason?: ErrorReason },
  ) {
    super(message, options);
    this.name = 'FundtraceError';
    this.code = code;
    this.details = details;
    if (options?.reason) this.reason = options.reason;
  }
}

export const usageError = (message: string, details: readonly string[] = []) =>
  new FundtraceError('USAGE', message, details);
export const inputError = (message: string, details: readonly string[] = []) =>
  new FundtraceError('BAD_INPUT', message, details);
