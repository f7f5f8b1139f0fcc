// `--fiat CODE` / `--prices DIR`: value a finished trace's figures at their own times. The
// valuation itself is pure (src/core/fiat); this reads the price data and attaches the result to
// the TraceResult, which the renderers show only when it is there (without --fiat every output
// stays byte-identical).
import type { CaseFiat } from '../case/fiat.js';
import { FIAT_FORMAT } from '../case/fiat.js';
import { usageError } from '../core/errors.js';
import { type PriceEvidence, priceBookFromEvidence } from '../core/fiat/book.js';
import { attachValuation, valuationInputOf } from '../core/fiat/trace.js';
import { pricesNeeded } from '../core/fiat/value.js';
import type { TraceResult } from '../core/result.js';
import type { ChainView } from '../core/view.js';
import { loadPriceBook } from '../sources/prices/load.js';

export interface FiatFlags {
  fiat?: string;
  prices?: string;
  lenient?: boolean;
}

/** The currency asked for: the flag, else the config default, else none (no fiat values). */
export function fiatCode(flags: FiatFlags, configFiat?: string): string | undefined {
  return flags.fiat ?? configFiat;
}

/**
 * Value the figures of `r` in `code` and attach the valuation (`r.fiat`); its warnings (missing
 * days, unpriced assets, carried rates) join the result's warnings. Without --prices, a replayed
 * case (`recorded`) values from the prices it recorded. Returns what a case records about it.
 */
export async function applyFiat(
  r: TraceResult,
  view: ChainView,
  code: string,
  flags: FiatFlags & { sourceKind?: string; recorded?: PriceEvidence },
): Promise<CaseFiat> {
  const plainWarnings = r.warnings.length;
  // An index holds a dataset's own asset declarations, so it prices them the same way.
  const declared = flags.sourceKind === 'dataset' || flags.sourceKind === 'index';
  const input = valuationInputOf(r, view, declared);
  let book: ReturnType<typeof priceBookFromEvidence>;
  let sourceWarnings: string[];
  if (flags.prices === undefined && flags.recorded) {
    book = priceBookFromEvidence(flags.recorded);
    sourceWarnings = [];
  } else {
    if (flags.prices === undefined)
      throw usageError(`--fiat ${code}: no price data; give --prices DIR (e.g. --prices samples/prices)`);
    if (/^https?:\/\//i.test(flags.prices))
      throw usageError(
        `--prices ${flags.prices}: a price API URL is not supported on the command line yet; give a directory of price files`,
      );
    const needs = pricesNeeded(input, code.trim().toUpperCase());
    const loaded = await loadPriceBook({ dir: flags.prices, lenient: flags.lenient ?? false }, needs);
    book = loaded.book;
    sourceWarnings = loaded.warnings;
  }
  const v = attachValuation(r, input, book, code, sourceWarnings);
  return {
    evidence: { format: FIAT_FORMAT, currency: code, declared, sourceWarnings, prices: v.prices },
    plainWarnings,
  };
}
