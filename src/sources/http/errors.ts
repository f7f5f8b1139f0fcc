// Errors thrown by the HTTP client. Both are FundtraceErrors (SOURCE or BAD_DATA), so the CLI
// maps them to exit 4 without knowing about HTTP; sources can still inspect `status` (e.g. treat
// an Esplora 404 "Transaction not found" as "no such tx").

import { type ErrorCode, FundtraceError } from '../../core/errors.js';

export class HttpError extends FundtraceError {
  /** The request URL with credentials removed. */
  readonly url: string;
  readonly method: string;
  /** Last HTTP status seen, when the failure had one. */
  readonly status: number | undefined;
  /** Attempts made (1 = no retry). */
  readonly attempts: number;
  constructor(
    code: Extract<ErrorCode, 'SOURCE' | 'BAD_DATA'>,
    message: string,
    info: { url: string; method: string; status?: number; attempts: number; details?: readonly string[] },
    options?: { cause?: unknown },
  ) {
    super(code, message, info.details ?? [], options);
    this.name = 'HttpError';
    this.url = info.url;
    this.method = info.method;
    this.status = info.status;
    this.attempts = info.attempts;
  }
}

/**
 * Thrown by response validators to report every problem at once: the client turns it into one
 * BAD_DATA error whose message names the URL and the first problem, with all problems as details.
 * Validators may also throw any other Error (its message becomes the problem) or a
 * FundtraceError (passed through unchanged, e.g. an API's "invalid API key" as SOURCE).
 */
export class ValidationError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[] | string) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list[0] ?? 'invalid response');
    this.name = 'ValidationError';
    this.problems = list;
  }
}
