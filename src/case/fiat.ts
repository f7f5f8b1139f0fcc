// Money values in a case (issue 15): the prices a trace's fiat figures used, recorded as evidence
// so `case verify` (and every re-run of a case) re-derives each figure offline from them alone.
//
// What is recorded is the price rows actually used — series, day, value as written, source file
// name and its SHA-256, line — not the price files (they can be large, and a reader needs only
// the rows a figure rests on; the file hash ties each row to the file it came from). Also the
// currency as asked, whether the asset was priced from a dataset's own declaration, and the price
// source's warnings (rows skipped with --lenient), which a re-run cannot see.
import { inputError } from '../core/errors.js';
import { checkPriceEvidence, type PriceEvidence, priceBookFromEvidence } from '../core/fiat/book.js';
import { attachValuation, valuationInputOf } from '../core/fiat/trace.js';
import type { TraceResult } from '../core/result.js';
import type { ChainView } from '../core/view.js';

export const FIAT_FORMAT = 'fundtrace-case-fiat/1';

export interface FiatEvidence {
  format: typeof FIAT_FORMAT;
  /** The currency code as given to --fiat. */
  currency: string;
  /** The traced asset's price series was chosen from the dataset's own symbol declaration. */
  declared: boolean;
  /** Warnings of the price source (e.g. rows skipped with --lenient), which a re-run adds again. */
  sourceWarnings: string[];
  /** Every price used and every series consulted (`fundtrace-prices/1`). */
  prices: PriceEvidence;
}

/** How a trace was valued, as the case writer needs it. */
export interface CaseFiat {
  evidence: FiatEvidence;
  /** How many warnings the result had before valuation (the rest are the valuation's). */
  plainWarnings: number;
}

export function checkFiatEvidence(data: unknown, where: string): FiatEvidence {
  const d = data as Partial<FiatEvidence>;
  if (
    typeof d !== 'object' ||
    d === null ||
    d.format !== FIAT_FORMAT ||
    typeof d.currency !== 'string' ||
    typeof d.declared !== 'boolean' ||
    !Array.isArray(d.sourceWarnings) ||
    d.sourceWarnings.some((w) => typeof w !== 'string')
  )
    throw inputError(`${where}: not a fundtrace money-values evidence file (${FIAT_FORMAT})`);
  checkPriceEvidence(d.prices, where);
  return d as FiatEvidence;
}

/** The result without its valuation: what the chain evidence alone re-runs to. */
export function withoutFiat(r: TraceResult, plainWarnings: number): TraceResult {
  const { fiat: _f, ...rest } = r;
  return { ...rest, warnings: r.warnings.slice(0, plainWarnings) };
}

/** Value `r` (traced over `view`) from the recorded prices alone, as the original trace did. */
export function revalue(r: TraceResult, view: ChainView, e: FiatEvidence): TraceResult {
  attachValuation(
    r,
    valuationInputOf(r, view, e.declared),
    priceBookFromEvidence(e.prices),
    e.currency,
    e.sourceWarnings,
  );
  return r;
}
