// `--fiat CODE` / `--prices DIR` (issue 15): value a finished trace's figures at their own times.
// The valuation itself is pure (src/core/fiat); this reads the price files and attaches the
// result to the TraceResult, which the renderers show only when it is there (without --fiat every
// output stays byte-identical).
import { join } from 'node:path';
import { usageError } from '../core/errors.js';
import { resolveCurrency } from '../core/fiat/currency.js';
import { valuationInputFromResult } from '../core/fiat/trace.js';
import { pricesNeeded, valueItems } from '../core/fiat/value.js';
import type { TraceResult } from '../core/result.js';
import type { ChainView } from '../core/view.js';
import { SAMPLES_DIR } from '../meta/install.js';
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

/** Block time of a transaction the graph has no edge for (a CoinJoin the trace stopped at). */
const txTimeOf = (view: ChainView) => (id: string) => {
  if (view.kind === 'account') {
    // A fee paid by a transaction that moved none of the traced asset: the time of its transfers.
    const l = view.txTransfers(id);
    return l.status === 'ok' ? (l.value?.find((t) => t.time !== null)?.time ?? null) : null;
  }
  const l = view.tx(id);
  return l.status === 'ok' && l.value ? l.value.time : null;
};

/**
 * Value the figures of `r` in `code` and attach the valuation (`r.fiat`); its warnings (missing
 * days, unpriced assets, carried rates) join the result's warnings.
 */
export async function applyFiat(
  r: TraceResult,
  view: ChainView,
  code: string,
  flags: FiatFlags & { sourceKind?: string },
): Promise<void> {
  if (flags.prices === undefined)
    throw usageError(
      `--fiat ${code}: no price data; give --prices DIR (e.g. --prices sample:prices, the samples' price files)`,
    );
  if (/^https?:\/\//i.test(flags.prices))
    throw usageError(
      `--prices ${flags.prices}: a price API URL is not supported on the command line yet; give a directory of price files`,
    );
  const input = valuationInputFromResult(r, {
    // Funds at rest are also valued at the head of the data (its last block), when the source knows it.
    asOf: view.head?.time ?? null,
    // An index holds a dataset's own asset declarations, so it prices them the same way.
    declared: flags.sourceKind === 'dataset' || flags.sourceKind === 'index',
    txTime: txTimeOf(view),
  });
  const needs = pricesNeeded(input, code.trim().toUpperCase());
  // sample:prices: the price files shipped with the samples (from any directory, like sample:NAME).
  const dir = flags.prices === 'sample:prices' ? join(SAMPLES_DIR, 'prices') : flags.prices;
  const loaded = await loadPriceBook({ dir, lenient: flags.lenient ?? false }, needs);
  const currency = resolveCurrency(code, (c) => loaded.book.has(`USD-${c}`));
  const v = valueItems(input, loaded.book, currency);
  r.fiat = v;
  // A weekend or holiday figure uses the last published rate: say so once per day, not per figure.
  const carried = new Set<string>();
  for (const f of Object.values(v.items))
    for (const p of f.prices)
      if (p.carried !== undefined) carried.add(`fiat values: ${p.series}: ${p.carried}`);
  r.warnings.push(...loaded.warnings.map((w) => `prices: ${w}`), ...v.warnings, ...[...carried].sort());
}
