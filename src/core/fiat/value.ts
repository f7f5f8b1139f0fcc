// Valuation: fiat values for amounts at their own times, from a PriceBook. Pure.
//
// A figure in currency C for `amount` base units of an asset with `decimals` places, at time t:
//   exact = amount / 10^decimals × close(asset-USD, UTC day of t) [× rate(USD-C, that day)]
// computed exactly (decimal prices as scaled integers, bigint), then rounded once to C's minor
// unit (./decimal.ts: half away from zero). A cross rate goes through USD and names both prices.
// A total is the exact sum of its parts' unrounded values, rounded once; `roundedPartsSum` shows
// what adding the printed parts would give, so a reader can see why they may differ by a cent.
// No price → value null with the reason (never 0, never a 1.00 assumed for a stablecoin).
import { FundtraceError } from '../errors.js';
import { type AssetForPricing, priceAssetFor } from './assets.js';
import {
  type PriceBook,
  type PriceEvidence,
  type PriceLookup,
  type PriceQuote,
  priceEvidence,
} from './book.js';
import { utcDayOf } from './calendar.js';
import type { CurrencyInfo } from './currency.js';
import {
  addDecimal,
  type Decimal,
  decimalToString,
  formatMinor,
  mulDecimal,
  ROUNDING_RULE,
  ROUNDING_RULE_TEXT,
  roundToMinor,
  unitsToDecimal,
  ZERO,
} from './decimal.js';

export interface ValuationItem {
  /** The caller's key for this figure (unique): "edge:…:tainted", "exit:…", "at-rest:…:as-of" … */
  id: string;
  /** Base units. */
  amount: bigint;
  asset: AssetForPricing;
  /** The instant valued at (ISO-8601), or null when unknown (an unconfirmed transaction). */
  time: string | null;
  /** What the time is, carried to the output: "block time", "arrival", "as-of" … */
  basis?: string;
}

export interface ValuationGroup {
  /** The caller's key for the total: "exits", "exposure:direct:exchange:Northbank" … */
  id: string;
  /** Item ids whose values it adds up. */
  items: readonly string[];
}

export interface ValuationInput {
  items: readonly ValuationItem[];
  groups?: readonly ValuationGroup[];
}

/** One price a figure used, as the output shows it. */
export interface FiatPriceRef {
  /** "BTC-USD", "USD-KES". */
  series: string;
  /** The day of the price (earlier than the figure's day for a carried FX rate). */
  date: string;
  /** As the source wrote it. */
  value: string;
  source: string;
  granularity: PriceQuote['granularity'];
  /** Why an earlier FX rate was used. */
  carried?: string;
  /** A known problem the source lists for this row. */
  flag?: string;
}

export interface FiatMissing {
  code: 'no-time' | 'unpriced-asset' | PriceLookupMissingCode;
  reason: string;
}
type PriceLookupMissingCode = Extract<PriceLookup, { ok: false }>['missing']['code'];

export interface FiatValue {
  currency: string;
  /** Rounded once to the currency's minor unit, fixed places ("1234.57", "0.00", "1235"); null = no price. */
  value: string | null;
  /** The exact unrounded value (trailing zeros trimmed); null = no price. */
  exact: string | null;
  /** The instant valued at. */
  at: string | null;
  /** Its UTC day, the day of the close used. */
  day: string | null;
  basis?: string;
  /** The asset's USD close, then (for a currency other than USD) the USD→currency rate. */
  prices: FiatPriceRef[];
  /** Why there is no value. */
  missing?: FiatMissing;
  /** How the asset was matched to a price series, when that is worth saying. */
  note?: string;
}

export interface FiatTotal {
  currency: string;
  /** Rounded once from the exact sum of the parts; null when any part has no value. */
  value: string | null;
  exact: string | null;
  parts: number;
  /** Parts without a value (then `value` is null and `partial` holds what is known). */
  missingParts: number;
  /** The sum of the parts' rounded values (null when a part is missing): may differ from `value`. */
  roundedPartsSum: string | null;
  rounding: 'once-from-unrounded-parts';
  /** When parts are missing: the total of the valued parts only, a lower bound, never the total. */
  partial?: { value: string; exact: string; parts: number };
}

export interface Valuation {
  currency: CurrencyInfo;
  rounding: { rule: typeof ROUNDING_RULE; text: string };
  items: Record<string, FiatValue>;
  groups: Record<string, FiatTotal>;
  /** Every price used (and every series consulted), for a case file; rebuilds the book offline. */
  prices: PriceEvidence;
  /** One line per missing day and series, per unpriced asset, per declared pricing, per flagged row. */
  warnings: string[];
}

const refOf = (q: PriceQuote): FiatPriceRef => ({
  series: q.series,
  date: q.date,
  value: q.text,
  source: q.source,
  granularity: q.granularity,
  ...(q.carried !== undefined ? { carried: q.carried } : {}),
  ...(q.flag !== undefined ? { flag: q.flag } : {}),
});

interface Computed {
  fiat: FiatValue;
  exact: Decimal | null;
}

/**
 * Value every item at its time and every group as the exact sum of its items. Item and group ids
 * must be unique and groups may only name items (a caller bug otherwise: INTERNAL).
 */
export function valueItems(input: ValuationInput, book: PriceBook, currency: CurrencyInfo): Valuation {
  const c = currency.code;
  const m = currency.minorUnits;
  const lookups: PriceLookup[] = [];
  const missingDays = new Map<string, { reason: string; count: number }>();
  const unpriced = new Map<string, number>();
  const notes = new Set<string>();
  const flags = new Set<string>();
  const computed = new Map<string, Computed>();

  const miss = (key: string, reason: string) => {
    const e = missingDays.get(key);
    if (e) e.count++;
    else missingDays.set(key, { reason, count: 1 });
  };

  for (const it of input.items) {
    if (computed.has(it.id))
      throw new FundtraceError('INTERNAL', `valuation: item id ${it.id} appears twice`);
    const day = it.time === null ? undefined : utcDayOf(it.time);
    const base: FiatValue = {
      currency: c,
      value: null,
      exact: null,
      at: it.time,
      day: day ?? null,
      ...(it.basis !== undefined ? { basis: it.basis } : {}),
      prices: [],
    };
    const done = (exact: Decimal | null, extra: Partial<FiatValue> = {}) => {
      const fiat: FiatValue = { ...base, ...extra };
      if (exact) {
        fiat.value = formatMinor(roundToMinor(exact, m), m);
        fiat.exact = decimalToString(exact);
      }
      computed.set(it.id, { fiat, exact });
    };
    if (it.amount === 0n) {
      // Zero of anything is worth zero: no price is needed, none is claimed.
      done(ZERO);
      continue;
    }
    if (day === undefined) {
      const reason =
        it.time === null
          ? 'no time for this figure (an unconfirmed transaction has no block time)'
          : `the time ${JSON.stringify(it.time.slice(0, 40))} is not a date`;
      done(null, { missing: { code: 'no-time', reason } });
      miss(`no-time`, 'figures without a time cannot be valued');
      continue;
    }
    const pa = priceAssetFor(it.asset, day);
    if (!pa.priced) {
      done(null, { missing: { code: 'unpriced-asset', reason: pa.reason } });
      unpriced.set(pa.reason, (unpriced.get(pa.reason) ?? 0) + 1);
      continue;
    }
    if (pa.note !== undefined) notes.add(pa.note);
    const extra: Partial<FiatValue> = pa.note !== undefined ? { note: pa.note } : {};
    const usd = book.lookup(pa.symbol, 'USD', it.time!);
    lookups.push(usd);
    if (!usd.ok) {
      done(null, { ...extra, missing: { code: usd.missing.code, reason: usd.missing.reason } });
      miss(`${usd.missing.series} ${day}`, usd.missing.reason);
      continue;
    }
    const prices = [refOf(usd.quote)];
    if (usd.quote.flag !== undefined) flags.add(`${usd.quote.series} ${usd.quote.date}: ${usd.quote.flag}`);
    let exact = mulDecimal(unitsToDecimal(it.amount, it.asset.decimals), usd.quote.value);
    if (c !== 'USD') {
      const fx = book.lookup('USD', c, it.time!);
      lookups.push(fx);
      if (!fx.ok) {
        done(null, { ...extra, prices, missing: { code: fx.missing.code, reason: fx.missing.reason } });
        miss(`${fx.missing.series} ${day}`, fx.missing.reason);
        continue;
      }
      prices.push(refOf(fx.quote));
      if (fx.quote.flag !== undefined) flags.add(`${fx.quote.series} ${fx.quote.date}: ${fx.quote.flag}`);
      exact = mulDecimal(exact, fx.quote.value);
    }
    done(exact, { ...extra, prices });
  }

  const groups: Record<string, FiatTotal> = {};
  for (const g of input.groups ?? []) {
    if (Object.hasOwn(groups, g.id))
      throw new FundtraceError('INTERNAL', `valuation: group id ${g.id} appears twice`);
    let sum = ZERO;
    let roundedSum = 0n;
    let missingParts = 0;
    for (const id of g.items) {
      const p = computed.get(id);
      if (!p) throw new FundtraceError('INTERNAL', `valuation: group ${g.id} names unknown item ${id}`);
      if (p.exact === null) missingParts++;
      else {
        sum = addDecimal(sum, p.exact);
        roundedSum += roundToMinor(p.exact, m);
      }
    }
    const complete = missingParts === 0;
    const total: FiatTotal = {
      currency: c,
      value: complete ? formatMinor(roundToMinor(sum, m), m) : null,
      exact: complete ? decimalToString(sum) : null,
      parts: g.items.length,
      missingParts,
      roundedPartsSum: complete ? formatMinor(roundedSum, m) : null,
      rounding: 'once-from-unrounded-parts',
    };
    if (!complete)
      total.partial = {
        value: formatMinor(roundToMinor(sum, m), m),
        exact: decimalToString(sum),
        parts: g.items.length - missingParts,
      };
    groups[g.id] = total;
  }

  const warnings: string[] = [];
  for (const [, e] of [...missingDays].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    warnings.push(`${e.count} figure(s) have no ${c} value: ${e.reason}`);
  }
  for (const [reason, n] of [...unpriced].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    warnings.push(`${n} figure(s) have no ${c} value: unpriced asset: ${reason}`);
  for (const n of [...notes].sort()) warnings.push(`fiat values: ${n}`);
  for (const f of [...flags].sort())
    warnings.push(`fiat values use a price its source flags as doubtful: ${f}`);
  if (currency.note !== undefined) warnings.push(`fiat values: ${currency.note}`);

  const items: Record<string, FiatValue> = {};
  for (const [id, p] of computed) items[id] = p.fiat;
  return {
    currency,
    rounding: { rule: ROUNDING_RULE, text: ROUNDING_RULE_TEXT },
    items,
    groups,
    prices: priceEvidence(book, lookups),
    warnings,
  };
}

/** What a valuation will look up: the USD series and days per price symbol, and the currency. */
export interface PriceNeeds {
  /** Price symbol → sorted UTC days. */
  crypto: Record<string, string[]>;
  /** The currency needs USD→currency rates (anything but USD). */
  fx: string | null;
}

/** The prices `valueItems` will ask for, so sources can fetch exactly those before valuing. */
export function pricesNeeded(input: ValuationInput, currency: string): PriceNeeds {
  const days = new Map<string, Set<string>>();
  for (const it of input.items) {
    if (it.amount === 0n || it.time === null) continue;
    const day = utcDayOf(it.time);
    if (day === undefined) continue;
    const pa = priceAssetFor(it.asset, day);
    if (!pa.priced) continue;
    const set = days.get(pa.symbol) ?? new Set<string>();
    days.set(pa.symbol, set);
    set.add(day);
  }
  const crypto: Record<string, string[]> = {};
  for (const s of [...days.keys()].sort()) crypto[s] = [...days.get(s)!].sort();
  return { crypto, fx: currency === 'USD' ? null : currency };
}
