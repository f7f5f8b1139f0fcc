// Price data as evidence. A PriceBook answers "what was the price of X in Y on this day" from
// price series loaded beforehand (files, an API, or the price evidence of a case), always saying
// which day's price it used and where it came from, or why there is none. It is pure and
// synchronous: the I/O that fills it lives in src/sources/prices/.
//
// Rules (documented in README "Money values"):
// - Crypto prices (BTC-USD …) are daily closes: the USD price at the end of the UTC day (24:00).
//   A flow is valued at the close of its own UTC day. Markets trade every day, so a day without a
//   close is a missing price: never filled from a neighbouring day, never 0, never an assumed
//   1.00 for a stablecoin.
// - FX rates (USD-KES …, units of the currency per 1 USD) are published on business days only. A
//   weekend or holiday uses the last rate published before it, at most MAX_FX_CARRY_DAYS back,
//   and the quote says which day's rate it is and why. Past the end of a series only a weekend is
//   bridged (a Friday rate for the Saturday and Sunday after it): a later weekday may simply be
//   missing from the data, and carrying a rate over it would invent one.
// - USD→USD is exactly 1 (the identity, not a market price).
import { inputError, usageError } from '../errors.js';
import {
  addDays,
  daysBetween,
  isCalendarDay,
  isWeekend,
  utcDayOf,
  WEEKDAY_NAMES,
  weekday,
} from './calendar.js';
import { type Decimal, decimalToString, parseDecimal } from './decimal.js';

/** How far back a weekend/holiday FX rate may be carried (CBK's longest gap, Christmas 2007, is 12 days). */
export const MAX_FX_CARRY_DAYS = 14;

export type SeriesKind = 'crypto' | 'fx';

export interface PriceRow {
  /** The UTC day the price belongs to (YYYY-MM-DD). */
  date: string;
  /** The value exactly as the source wrote it (evidence: copied byte for byte). */
  text: string;
  value: Decimal;
  /** Where in the source: "line 3942", the request URL (never with a key) … */
  at?: string;
  /** A known problem the source itself lists for this row (e.g. a line of ANOMALIES.csv). */
  flag?: string;
}

export interface PriceSeries {
  /** "BTC-USD" (USD per 1 BTC) or "USD-KES" (KES per 1 USD). */
  id: string;
  kind: SeriesKind;
  base: string;
  quote: string;
  /** The source, for people: "prices/BTC-USD.csv", "CoinGecko API (bitcoin, market_chart/range)". */
  source: string;
  /** SHA-256 of the file the series was read from, when it was a file. */
  sha256?: string;
  /**
   * The days the source covers (first and last row of a file). A missing price's reason depends
   * on it (before / after / inside the series), and the FX carry rule past the end of the data.
   */
  coverage: { first: string; last: string } | null;
  /** Sorted by date, one row per day. */
  rows: PriceRow[];
}

export type Granularity = 'day-close' | 'fx-day' | 'identity';

export interface PriceQuote {
  series: string;
  base: string;
  quote: string;
  value: Decimal;
  /** The value as the source wrote it. */
  text: string;
  /** The day asked for (UTC day of the figure's time). */
  requested: string;
  /** The day whose price was used: equal to `requested`, or earlier for a carried FX rate. */
  date: string;
  granularity: Granularity;
  source: string;
  at?: string;
  /** FX: why an earlier day's rate was used ("Saturday: last rate published before it, Friday 2024-05-03"). */
  carried?: string;
  flag?: string;
}

export type MissingCode =
  | 'no-series' // no such price series at all
  | 'before-series' // the day is before the series starts
  | 'after-series' // the day is after the series ends
  | 'gap' // the series has no value for that day
  | 'bad-time'; // the time asked for is not a date

export interface PriceMissing {
  series: string;
  requested: string;
  code: MissingCode;
  /** One plain sentence naming the series and the day. */
  reason: string;
  /** The row the answer rests on, when there is one (an FX rate too old to carry): evidence too. */
  consulted?: string;
}

export type PriceLookup = { ok: true; quote: PriceQuote } | { ok: false; missing: PriceMissing };

export interface PriceBook {
  /**
   * The price of one `base` in `quote` on the UTC day of `at` (an ISO instant or a YYYY-MM-DD day):
   * ("BTC", "USD") → the BTC-USD close of that day; ("USD", "KES") → the USD-KES rate in effect.
   */
  lookup(base: string, quote: string, at: string): PriceLookup;
  has(seriesId: string): boolean;
  series(seriesId: string): PriceSeries | undefined;
  /** Every series id, sorted. */
  ids(): string[];
}

export const seriesId = (base: string, quote: string) => `${base}-${quote}`;

const ok = (quote: PriceQuote): PriceLookup => ({ ok: true, quote });
const missing = (
  series: string,
  requested: string,
  code: MissingCode,
  reason: string,
  consulted?: string,
): PriceLookup => ({
  ok: false,
  missing: { series, requested, code, reason, ...(consulted !== undefined ? { consulted } : {}) },
});

/** Index of the last row with date ≤ day, or -1. */
function lastOnOrBefore(rows: readonly PriceRow[], day: string): number {
  let lo = 0;
  let hi = rows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.date <= day) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function quoteOf(s: PriceSeries, row: PriceRow, requested: string, carried?: string): PriceQuote {
  const q: PriceQuote = {
    series: s.id,
    base: s.base,
    quote: s.quote,
    value: row.value,
    text: row.text,
    requested,
    date: row.date,
    granularity: s.kind === 'crypto' ? 'day-close' : 'fx-day',
    source: s.source,
  };
  if (row.at !== undefined) q.at = row.at;
  if (carried !== undefined) q.carried = carried;
  if (row.flag !== undefined) q.flag = row.flag;
  return q;
}

const dayName = (day: string) => `${WEEKDAY_NAMES[weekday(day)]} ${day}`;

function lookupCrypto(s: PriceSeries, day: string): PriceLookup {
  const i = lastOnOrBefore(s.rows, day);
  const row = i >= 0 ? s.rows[i]! : undefined;
  if (row && row.date === day) return ok(quoteOf(s, row, day));
  // The reason depends on the coverage only, not on neighbouring rows, so a book rebuilt from
  // a case's evidence (used rows + coverage) gives the same answer for the same day.
  const first = s.coverage?.first;
  const last = s.coverage?.last;
  if (first === undefined || day < first)
    return missing(
      s.id,
      day,
      'before-series',
      `no ${s.id} close for ${day}: ${s.source} starts ${first ?? '(no rows)'}`,
    );
  if (last !== undefined && day > last)
    return missing(s.id, day, 'after-series', `no ${s.id} close for ${day}: ${s.source} ends ${last}`);
  return missing(
    s.id,
    day,
    'gap',
    `no ${s.id} close for ${day} in ${s.source}; a missing day is not filled from its neighbours`,
  );
}

function lookupFx(s: PriceSeries, day: string): PriceLookup {
  const first = s.coverage?.first;
  const last = s.coverage?.last;
  if (first === undefined || last === undefined || day < first)
    return missing(
      s.id,
      day,
      'before-series',
      `no ${s.id} rate for ${day}: ${s.source} starts ${first ?? '(no rows)'}`,
    );
  const i = lastOnOrBefore(s.rows, day);
  const row = i >= 0 ? s.rows[i] : undefined;
  if (!row) return missing(s.id, day, 'gap', `no ${s.id} rate on or before ${day} in ${s.source}`);
  if (row.date === day) return ok(quoteOf(s, row, day));
  const back = daysBetween(row.date, day);
  if (day > last) {
    // Past the end of the data: only a weekend straight after the last published rate.
    let weekendOnly = row.date === last;
    for (let d = addDays(row.date, 1); weekendOnly && d <= day; d = addDays(d, 1)) weekendOnly = isWeekend(d);
    if (!weekendOnly)
      return missing(
        s.id,
        day,
        'after-series',
        `no ${s.id} rate for ${day}: ${s.source} ends ${last}`,
        row.date,
      );
    return ok(
      quoteOf(
        s,
        row,
        day,
        `${dayName(day)} has no published rate (weekend); the last rate published before it, ${dayName(row.date)}, is used`,
      ),
    );
  }
  if (back > MAX_FX_CARRY_DAYS)
    return missing(
      s.id,
      day,
      'gap',
      `no ${s.id} rate within ${MAX_FX_CARRY_DAYS} days before ${day} in ${s.source} (the last one is ${row.date})`,
      row.date,
    );
  const why = isWeekend(day) ? 'weekend' : 'no rate published that day, e.g. a public holiday';
  return ok(
    quoteOf(
      s,
      row,
      day,
      `${dayName(day)} has no published rate (${why}); the last rate published before it, ${dayName(row.date)}, is used`,
    ),
  );
}

const IDENTITY: Decimal = Object.freeze({ units: 1n, scale: 0 });

/**
 * A PriceBook over loaded series. Two series with the same id (a file and the API both giving
 * BTC-USD) are a usage error: which one is evidence must be a choice, not an accident.
 */
export function createPriceBook(series: readonly PriceSeries[]): PriceBook {
  const byId = new Map<string, PriceSeries>();
  for (const s of series) {
    const prev = byId.get(s.id);
    if (prev)
      throw usageError(
        `two price sources give ${s.id}: ${prev.source} and ${s.source}; keep only one of them`,
      );
    checkSeries(s);
    byId.set(s.id, s);
  }
  return {
    lookup(base, quote, at) {
      const id = seriesId(base, quote);
      const day = utcDayOf(at);
      if (day === undefined)
        return missing(
          id,
          at,
          'bad-time',
          `no ${id} price: ${JSON.stringify(at.slice(0, 40))} is not a date`,
        );
      if (base === quote)
        return ok({
          series: id,
          base,
          quote,
          value: IDENTITY,
          text: '1',
          requested: day,
          date: day,
          granularity: 'identity',
          source: 'identity',
        });
      const s = byId.get(id);
      if (!s) {
        const hint =
          base === 'USD'
            ? `add ${id}.csv (date,rate) to the prices directory`
            : `add ${id}.csv (date,close) to the prices directory or use the CoinGecko source`;
        return missing(id, day, 'no-series', `no ${id} prices loaded (${hint})`);
      }
      return s.kind === 'fx' ? lookupFx(s, day) : lookupCrypto(s, day);
    },
    has: (id) => byId.has(id),
    series: (id) => byId.get(id),
    ids: () => [...byId.keys()].sort(),
  };
}

/** A series must be sorted with one row per real day: anything else is a bug in its reader. */
function checkSeries(s: PriceSeries): void {
  let prev = '';
  for (const r of s.rows) {
    if (!isCalendarDay(r.date) || r.date <= prev || r.value.units <= 0n)
      throw inputError(
        `price series ${s.id} from ${s.source}: row ${r.date} is out of order, repeated or not positive`,
      );
    prev = r.date;
  }
}

// ---- price evidence (what a case file records) ---------------------------------------------------

export const PRICE_EVIDENCE_FORMAT = 'fundtrace-prices/1';

export interface PriceEvidenceRow {
  date: string;
  value: string;
  at?: string;
  flag?: string;
}

export interface PriceEvidenceSeries {
  id: string;
  kind: SeriesKind;
  base: string;
  quote: string;
  source: string;
  sha256?: string;
  coverage: { first: string; last: string } | null;
  rows: PriceEvidenceRow[];
}

/**
 * Every price a valuation used, grouped by series, with each series' source and coverage: enough
 * to rebuild a PriceBook (`priceBookFromEvidence`) that gives the same answers for the same
 * figures, offline, so `case verify` can re-derive every fiat value.
 */
export interface PriceEvidence {
  format: typeof PRICE_EVIDENCE_FORMAT;
  series: PriceEvidenceSeries[];
}

/**
 * The evidence for a set of lookups: every series consulted (even when it had no price for the
 * day: its coverage explains why), with the rows the answers rest on. Identity quotes need none.
 * Sorted: series by id, rows by date.
 */
export function priceEvidence(book: PriceBook, lookups: Iterable<PriceLookup>): PriceEvidence {
  const used = new Map<string, Set<string>>();
  const note = (id: string, day?: string) => {
    const days = used.get(id) ?? new Set<string>();
    used.set(id, days);
    if (day !== undefined) days.add(day);
  };
  for (const l of lookups) {
    if (l.ok) {
      if (l.quote.granularity !== 'identity') note(l.quote.series, l.quote.date);
    } else if (book.has(l.missing.series)) note(l.missing.series, l.missing.consulted);
  }
  const series: PriceEvidenceSeries[] = [];
  for (const id of [...used.keys()].sort()) {
    const s = book.series(id)!;
    const days = used.get(id)!;
    series.push({
      id: s.id,
      kind: s.kind,
      base: s.base,
      quote: s.quote,
      source: s.source,
      ...(s.sha256 !== undefined ? { sha256: s.sha256 } : {}),
      coverage: s.coverage,
      rows: s.rows
        .filter((r) => days.has(r.date))
        .map((r) => ({
          date: r.date,
          value: r.text,
          ...(r.at !== undefined ? { at: r.at } : {}),
          ...(r.flag !== undefined ? { flag: r.flag } : {}),
        })),
    });
  }
  return { format: PRICE_EVIDENCE_FORMAT, series };
}

/** Check an untrusted price evidence document (a case file's prices.json); every problem listed. */
export function checkPriceEvidence(data: unknown, where: string): PriceEvidence {
  const problems: string[] = [];
  const d = data as Partial<PriceEvidence>;
  if (typeof d !== 'object' || d === null || d.format !== PRICE_EVIDENCE_FORMAT || !Array.isArray(d.series))
    throw inputError(`${where}: not a fundtrace price evidence file (${PRICE_EVIDENCE_FORMAT})`);
  d.series.forEach((s, i) => {
    const at = `series ${i + 1}`;
    if (typeof s?.id !== 'string' || typeof s.base !== 'string' || typeof s.quote !== 'string') {
      problems.push(`${at}: id, base and quote must be strings`);
      return;
    }
    if (s.id !== seriesId(s.base, s.quote)) problems.push(`${at}: id ${s.id} is not ${s.base}-${s.quote}`);
    if (s.kind !== 'crypto' && s.kind !== 'fx') problems.push(`${at} (${s.id}): kind must be crypto or fx`);
    if (typeof s.source !== 'string') problems.push(`${at} (${s.id}): source must be a string`);
    if (s.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(String(s.sha256)))
      problems.push(`${at} (${s.id}): sha256 must be 64 lowercase hex digits`);
    if (
      s.coverage !== null &&
      (typeof s.coverage !== 'object' ||
        !isCalendarDay(String(s.coverage?.first)) ||
        !isCalendarDay(String(s.coverage?.last)))
    )
      problems.push(`${at} (${s.id}): coverage must be null or {first, last} days`);
    if (!Array.isArray(s.rows)) {
      problems.push(`${at} (${s.id}): rows must be a list`);
      return;
    }
    let prev = '';
    s.rows.forEach((r, j) => {
      const rat = `${at} (${s.id}) row ${j + 1}`;
      if (typeof r?.date !== 'string' || !isCalendarDay(r.date))
        problems.push(`${rat}: date is not YYYY-MM-DD`);
      else if (r.date <= prev) problems.push(`${rat}: ${r.date} is out of order or repeated`);
      else prev = r.date;
      const v = typeof r?.value === 'string' ? parseDecimal(r.value) : undefined;
      if (!v || v.units <= 0n) problems.push(`${rat}: value must be a positive decimal string`);
      for (const k of ['at', 'flag'] as const)
        if (r?.[k] !== undefined && typeof r[k] !== 'string') problems.push(`${rat}: ${k} must be a string`);
    });
  });
  if (problems.length > 0)
    throw inputError(`${where}: invalid price evidence: ${problems[0]}`, problems.length > 1 ? problems : []);
  return d as PriceEvidence;
}

/** A PriceBook from recorded evidence: the offline re-derivation of a case's fiat figures. */
export function priceBookFromEvidence(e: PriceEvidence): PriceBook {
  return createPriceBook(
    e.series.map((s) => ({
      id: s.id,
      kind: s.kind,
      base: s.base,
      quote: s.quote,
      source: s.source,
      ...(s.sha256 !== undefined ? { sha256: s.sha256 } : {}),
      coverage: s.coverage,
      rows: s.rows.map((r) => ({
        date: r.date,
        text: r.value,
        value: parseDecimal(r.value)!,
        ...(r.at !== undefined ? { at: r.at } : {}),
        ...(r.flag !== undefined ? { flag: r.flag } : {}),
      })),
    })),
  );
}

/** The quote's price as an exact decimal string (trailing zeros trimmed). */
export const quoteValueString = (q: PriceQuote) => decimalToString(q.value);
