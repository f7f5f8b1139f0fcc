// Helpers for the fiat tests: price series from literal rows, the sample price directory.
import { join } from 'node:path';
import type { PriceSeries } from '../../src/core/fiat/book.js';
import { parseDecimal } from '../../src/core/fiat/decimal.js';
import { ROOT, SHARED } from '../helpers.js';

export const SAMPLE_PRICES = join(ROOT, 'samples', 'prices');
export const SHARED_PRICES = join(SHARED, 'data', 'prices');

/** A series from [date, value] pairs; coverage = first and last row unless given. */
export function series(
  id: string,
  rows: [string, string][],
  opts: { source?: string; coverage?: { first: string; last: string } | null } = {},
): PriceSeries {
  const [base, quote] = id.split('-') as [string, string];
  return {
    id,
    kind: base === 'USD' ? 'fx' : 'crypto',
    base,
    quote,
    source: opts.source ?? `${id}.csv`,
    coverage:
      opts.coverage !== undefined
        ? opts.coverage
        : rows.length > 0
          ? { first: rows[0]![0], last: rows[rows.length - 1]![0] }
          : null,
    rows: rows.map(([date, text], i) => ({ date, text, value: parseDecimal(text)!, at: `line ${i + 2}` })),
  };
}
