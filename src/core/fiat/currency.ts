// Fiat currencies: ISO 4217 codes and their minor units (the number of decimal places a figure is
// rounded to). A small table: the currencies fundtrace's users report in (East Africa first), the
// major reserve currencies, and the zero- and three-decimal currencies whose rounding differs.
import { usageError } from '../errors.js';

/** ISO 4217 minor units. */
export const CURRENCY_MINOR_UNITS: Readonly<Record<string, number>> = Object.freeze({
  // East Africa and neighbours
  KES: 2,
  UGX: 0,
  TZS: 2,
  RWF: 0,
  BIF: 0,
  ETB: 2,
  SOS: 2,
  SSP: 2,
  SDG: 2,
  DJF: 0,
  ERN: 2,
  CDF: 2,
  KMF: 0,
  MGA: 2,
  MUR: 2,
  SCR: 2,
  MWK: 2,
  MZN: 2,
  ZMW: 2,
  // Rest of Africa
  NGN: 2,
  GHS: 2,
  ZAR: 2,
  BWP: 2,
  NAD: 2,
  EGP: 2,
  MAD: 2,
  TND: 3,
  LYD: 3,
  XOF: 0,
  XAF: 0,
  // Reserve and other major currencies
  USD: 2,
  EUR: 2,
  GBP: 2,
  JPY: 0,
  CHF: 2,
  CNY: 2,
  CAD: 2,
  AUD: 2,
  NZD: 2,
  HKD: 2,
  SGD: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  PLN: 2,
  CZK: 2,
  HUF: 2,
  ISK: 0,
  TRY: 2,
  UAH: 2,
  RUB: 2,
  INR: 2,
  PKR: 2,
  BDT: 2,
  IDR: 2,
  MYR: 2,
  PHP: 2,
  THB: 2,
  VND: 0,
  KRW: 0,
  BRL: 2,
  MXN: 2,
  CLP: 0,
  AED: 2,
  SAR: 2,
  QAR: 2,
  ILS: 2,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  JOD: 3,
  IQD: 3,
});

/** Minor units assumed for a code the table lacks but the price data has rates for. */
export const DEFAULT_MINOR_UNITS = 2;

export interface CurrencyInfo {
  code: string;
  minorUnits: number;
  /** Set when the minor units are an assumption (a code outside the table), to be shown. */
  note?: string;
}

/**
 * The currency to report in. `code` is case-insensitive; `hasRates` says whether the price data
 * has USD→code rates (USD itself needs none). A code in the table is accepted; a code outside it
 * is accepted only when the price data has its rates, rounded to 2 places with a note saying so;
 * anything else is a usage error naming the code.
 */
export function resolveCurrency(code: string, hasRates: (code: string) => boolean): CurrencyInfo {
  const c = code.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(c))
    throw usageError(
      `fiat currency ${JSON.stringify(code.slice(0, 20))} is not a three-letter ISO 4217 code`,
    );
  const known = Object.hasOwn(CURRENCY_MINOR_UNITS, c) ? CURRENCY_MINOR_UNITS[c] : undefined;
  if (c !== 'USD' && !hasRates(c)) {
    throw usageError(
      known === undefined
        ? `unknown fiat currency ${c}: not an ISO 4217 code fundtrace knows, and the price data has no USD-${c} rates`
        : `no USD-${c} exchange rates in the price data: add USD-${c}.csv (date,rate) to the prices directory`,
    );
  }
  if (known !== undefined) return { code: c, minorUnits: known };
  return {
    code: c,
    minorUnits: DEFAULT_MINOR_UNITS,
    note: `${c} is not in fundtrace's ISO 4217 table; figures are rounded to ${DEFAULT_MINOR_UNITS} decimal places`,
  };
}
