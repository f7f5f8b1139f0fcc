// UTC calendar days as `YYYY-MM-DD` strings (they sort as dates). Prices are per UTC day.

const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Is `s` a real calendar day written YYYY-MM-DD (no 2024-02-30)? */
export function isCalendarDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === s;
}

/** Milliseconds of 00:00 UTC of a day. */
export const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** The UTC day of a timestamp in milliseconds. */
export const dayOfMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The UTC day of an ISO-8601 instant ("2024-02-16T12:40:00Z", offsets allowed) or of a bare day.
 * undefined when the text is neither.
 */
export function utcDayOf(at: string): string | undefined {
  if (isCalendarDay(at)) return at;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(at)) return undefined;
  const t = Date.parse(at);
  return Number.isFinite(t) ? dayOfMs(t) : undefined;
}

export const addDays = (day: string, n: number): string => dayOfMs(dayStartMs(day) + n * DAY_MS);

/** Whole days from `a` to `b` (positive when b is later). */
export const daysBetween = (a: string, b: string): number =>
  Math.round((dayStartMs(b) - dayStartMs(a)) / DAY_MS);

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (day: string): number => new Date(dayStartMs(day)).getUTCDay();

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const isWeekend = (day: string): boolean => {
  const w = weekday(day);
  return w === 0 || w === 6;
};
