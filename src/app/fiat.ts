// `--fiat CODE` / `--prices DIR`: value a finished trace's figures at their own times. The
// valuation itself is pure (src/core/fiat); this reads the price data and attaches the result to
// the TraceResult, which the renderers show only when it is there (without --fiat every output
// stays byte-identical).

import { join } from 'node:path';
import type { CaseFiat } from '../case/fiat.js';
import { FIAT_FORMAT } from '../case/fiat.js';
import { usageError } from '../core/errors.js';
import { type PriceEvidence, priceBookFromEvidence } from '../core/fiat/book.js';
import { attachValuation, valuationInputOf } from '../core/fiat/trace.js';
import { pricesNeeded } from '../core/fiat/value.js';
import type { TraceResult } from '../core/result.js';
import type { ChainView } from '../core/view.js';
import { SAMPLES_DIR } from '../meta/install.js';
import { defaultCacheDir } from '../sources/cache/dir.js';
import type { CacheMode } from '../sources/http/index.js';
import {
  type CoinGeckoSource,
  coinGeckoConfigFromEnv,
  createCoinGeckoSource,
} from '../sources/prices/coingecko.js';
import { loadPriceBook } from '../sources/prices/load.js';
import { sharedHttp } from '../sources/shared-http.js';

export interface FiatFlags {
  fiat?: string;
  /** `--prices`: a directory of price files and/or a CoinGecko-compatible API URL (one of each). */
  prices?: string | readonly string[];
  lenient?: boolean;
}

/** What a price API needs from the run: the shared HTTP layer's settings and cache. */
export interface FiatHttp {
  env: NodeJS.ProcessEnv;
  cacheMode: CacheMode;
  cacheDir?: string;
  signal?: AbortSignal;
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** `--prices` split into one directory and one API URL; anything more is a usage error. */
export function priceSources(prices: FiatFlags['prices']): { dir?: string; url?: string } {
  const list = prices === undefined ? [] : typeof prices === 'string' ? [prices] : [...prices];
  const urls = list.filter(isUrl);
  // sample:prices: the price files shipped with the samples, from any directory (like sample:NAME).
  const dirs = list
    .filter((p) => !isUrl(p))
    .map((p) => (p === 'sample:prices' ? join(SAMPLES_DIR, 'prices') : p));
  if (urls.length > 1 || dirs.length > 1)
    throw usageError(
      `--prices: give at most one directory and one price API URL (got ${dirs.length} and ${urls.length})`,
    );
  return {
    ...(dirs[0] !== undefined ? { dir: dirs[0] } : {}),
    ...(urls[0] !== undefined ? { url: urls[0] } : {}),
  };
}

/**
 * The CoinGecko-compatible source at `url`, through the run's shared HTTP client and cache (past
 * months cached for good). The key comes from the environment (COINGECKO_API_KEY) and is sent as
 * a header only; it is also scrubbed from every message.
 */
function coinGeckoAt(url: string, http: FiatHttp): CoinGeckoSource {
  // One source (one HTTP client: shared rate limit and counters) per run and URL, however many
  // results it values (screen, --asset all).
  const known = opened.get(http)?.get(url);
  if (known) return known;
  try {
    new URL(url);
  } catch {
    throw usageError(`--prices ${JSON.stringify(url.slice(0, 200))}: not a URL`);
  }
  const config = coinGeckoConfigFromEnv({ ...http.env, FUNDTRACE_COINGECKO_URL: url });
  const client = sharedHttp({
    cacheMode: http.cacheMode,
    // The run's environment decides the cache directory (FUNDTRACE_CACHE_DIR …), as for --cache-dir.
    cacheDir: http.cacheDir ?? defaultCacheDir(http.env),
    ...(http.signal ? { signal: http.signal } : {}),
    env: http.env,
  })({ secrets: config.apiKey ? [config.apiKey] : [] });
  const source = createCoinGeckoSource(client, config);
  const byUrl = opened.get(http) ?? new Map<string, CoinGeckoSource>();
  byUrl.set(url, source);
  opened.set(http, byUrl);
  return source;
}
const opened = new WeakMap<FiatHttp, Map<string, CoinGeckoSource>>();

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
  flags: FiatFlags & { sourceKind?: string; recorded?: PriceEvidence; http?: FiatHttp },
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
    const { dir, url } = priceSources(flags.prices);
    if (dir === undefined && url === undefined)
      throw usageError(
        `--fiat ${code}: no price data; give --prices DIR (e.g. --prices sample:prices, the samples' price files)`,
      );
    if (url !== undefined && !flags.http)
      throw usageError(
        `--prices ${url}: a price API URL is not available here; give a directory of price files`,
      );
    const needs = pricesNeeded(input, code.trim().toUpperCase());
    // Files first; the API gives the coins no file has (exchange rates come from files only).
    const loaded = await loadPriceBook(
      {
        ...(dir !== undefined ? { dir } : {}),
        lenient: flags.lenient ?? false,
        ...(url !== undefined && flags.http ? { coingecko: coinGeckoAt(url, flags.http) } : {}),
        ...(flags.http?.signal ? { signal: flags.http.signal } : {}),
      },
      needs,
    );
    book = loaded.book;
    sourceWarnings = loaded.warnings;
  }
  const v = attachValuation(r, input, book, code, sourceWarnings);
  return {
    evidence: { format: FIAT_FORMAT, currency: code, declared, sourceWarnings, prices: v.prices },
    plainWarnings,
  };
}
