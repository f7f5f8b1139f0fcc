// Flag value parsers: each rejects a bad value with a one-line usage error naming flag and value.
import { usageError } from '../core/errors.js';
import type { Bound } from '../core/trace-types.js';
import { termSafe } from '../report/sanitize.js';

const q = (v: string) => JSON.stringify(termSafe(v).slice(0, 120));

export function intFlag(flag: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value.trim())) throw usageError(`${flag} ${q(value)} is not a whole number`);
  const n = Number(value.trim());
  if (n < min || n > max) throw usageError(`${flag} ${q(value)} is out of range (${min} to ${max})`);
  return n;
}

export function enumFlag<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw usageError(`${flag} ${q(value)} is not one of: ${choices.join(', ')}`);
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** `--since` / `--until`: a block height (digits) or an ISO-8601 date/date-time (UTC unless offset). */
export function boundFlag(flag: string, value: string): Bound {
  const v = value.trim();
  if (/^\d+$/.test(v)) return { kind: 'height', height: intFlag(flag, v, 0) };
  if (ISO.test(v)) {
    // Date.parse rolls 2024-02-30 over to March 1: check the calendar date and clock as written.
    const [, y, mo, d, h, mi, sec] = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/
      .exec(v)!
      .map(Number) as number[];
    const day = new Date(Date.UTC(y!, mo! - 1, d!));
    const realDate = day.getUTCFullYear() === y && day.getUTCMonth() === mo! - 1 && day.getUTCDate() === d;
    const realTime =
      h === undefined || Number.isNaN(h) || (h < 24 && mi! < 60 && (Number.isNaN(sec!) || sec! < 60));
    if (!realDate || !realTime)
      throw usageError(`${flag} ${q(value)} is not a real date-time (no such day or time of day)`);
    const withZone = /T|\s/.test(v) && !/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v.replace(' ', 'T') + 'Z' : v;
    const ms = Date.parse(withZone.length === 10 ? withZone + 'T00:00:00Z' : withZone);
    if (!Number.isNaN(ms)) return { kind: 'time', time: new Date(ms).toISOString().replace('.000Z', 'Z') };
  }
  throw usageError(
    `${flag} ${q(value)} is neither a block height nor an ISO-8601 date-time (e.g. 2024-03-01T10:00:00Z)`,
  );
}

export const collect = (v: string, prev: string[] = []) => [...prev, v];
