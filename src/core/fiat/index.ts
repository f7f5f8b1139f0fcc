// Fiat values at block time (issue 15): exact decimal arithmetic, currencies, price books as
// evidence, and the valuation of a trace's figures. Pure; the price sources live in
// src/sources/prices/.
export { type AssetForPricing, PRICE_IDS, type PriceAsset, priceAssetFor } from './assets.js';
export {
  checkPriceEvidence,
  createPriceBook,
  type Granularity,
  MAX_FX_CARRY_DAYS,
  type MissingCode,
  PRICE_EVIDENCE_FORMAT,
  type PriceBook,
  type PriceEvidence,
  type PriceEvidenceRow,
  type PriceEvidenceSeries,
  type PriceLookup,
  type PriceMissing,
  type PriceQuote,
  type PriceRow,
  type PriceSeries,
  priceBookFromEvidence,
  priceEvidence,
  type SeriesKind,
  seriesId,
} from './book.js';
export { addDays, isCalendarDay, isWeekend, utcDayOf } from './calendar.js';
export {
  CURRENCY_MINOR_UNITS,
  type CurrencyInfo,
  DEFAULT_MINOR_UNITS,
  resolveCurrency,
} from './currency.js';
export {
  addDecimal,
  type Decimal,
  decimalToString,
  formatMinor,
  mulDecimal,
  parseDecimal,
  ROUNDING_RULE,
  ROUNDING_RULE_TEXT,
  roundToMinor,
  unitsToDecimal,
} from './decimal.js';
export { edgeItemId, terminalItemId } from './ids.js';
export { exposureGroupId, type FromResultOptions, valuationInputFromResult } from './trace.js';
export {
  type FiatMissing,
  type FiatPriceRef,
  type FiatTotal,
  type FiatValue,
  type PriceNeeds,
  pricesNeeded,
  type Valuation,
  type ValuationGroup,
  type ValuationInput,
  type ValuationItem,
  valueItems,
} from './value.js';
