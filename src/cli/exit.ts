// The one place where error codes become exit statuses and one-line messages (cli-contract.md).
import { CommanderError } from 'commander';
import { type ErrorCode, FundtraceError } from '../core/errors.js';
import { termSafe } from '../report/sanitize.js';

export const EXIT: Record<ErrorCode, number> = {
  USAGE: 2,
  BAD_INPUT: 3,
  BAD_DATA: 4,
  SOURCE: 4,
  OFFLINE_MISS: 4,
  PARTIAL: 5,
  INTERNAL: 1,
};

export interface ErrorReport {
  status: number;
  lines: string[];
}

/** Turn anything thrown into an exit status and the lines to print on stderr. */
export function reportError(err: unknown, verbose: boolean): ErrorReport {
  if (err instanceof FundtraceError) {
    const lines = [`fundtrace: ${termSafe(err.message)}`, ...err.details.map((d) => `  ${termSafe(d)}`)];
    if (verbose && err.stack) lines.push(err.stack);
    return { status: EXIT[err.code], lines };
  }
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return { status: 0, lines: [] };
    // commander already printed "error: …" through configureOutput; keep its exit status 2 for usage.
    return { status: 2, lines: [] };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const lines = [
    `fundtrace: internal error: ${termSafe(e.message)} (this is a bug; please report it with the command you ran)`,
  ];
  if (verbose && e.stack) lines.push(e.stack);
  else lines.push('  run again with --verbose for the stack trace');
  return { status: 1, lines };
}
