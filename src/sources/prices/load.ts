// One PriceBook for a valuation: the series of `--prices DIR`, then, for every coin the figures
// need that no file has, its daily closes from the CoinGecko source (when one is configured).
// Exchange rates come from files only: the API's own fiat conversions are not CBK rates.
import { createPriceBook, type PriceBook, type PriceSeries } from '../../core/fiat/book.js';
import type { PriceNeeds } from '../../core/fiat/value.js';
import type { CoinGeckoSource } from './coingecko.js';
import { readPriceDir } from './files.js';

export interface PriceSourceOptions {
  /** `--prices DIR`. */
  dir?: string;
  /** `--lenient`: skip bad price rows and files with warnings. */
  lenient?: boolean;
  coingecko?: CoinGeckoSource;
  signal?: AbortSignal;
}

export interface LoadedPrices {
  book: PriceBook;
  warnings: string[];
}

export async function loadPriceBook(opts: PriceSourceOptions, needs: PriceNeeds): Promise<LoadedPrices> {
  const series: PriceSeries[] = [];
  const warnings: string[] = [];
  if (opts.dir !== undefined) {
    const d = await readPriceDir(opts.dir, { lenient: opts.lenient ?? false });
    series.push(...d.series);
    warnings.push(...d.warnings);
  }
  const have = new Set(series.map((s) => s.id));
  if (opts.coingecko) {
    for (const [symbol, days] of Object.entries(needs.crypto)) {
      if (have.has(`${symbol}-USD`) || days.length === 0) continue;
      series.push(await opts.coingecko.dailyCloses(symbol, days, opts.signal));
    }
  }
  return { book: createPriceBook(series), warnings };
}
