// Which price series values an asset. Data, not logic: a table of price symbols with their
// CoinGecko ids, and the rule that picks one for an asset. A token is priced by its contract (the
// chain registry's well-known contracts), never by the symbol the token reports about itself: a
// fake "USDT" is another asset (taint-vectors.md) and must not borrow USDT's price.
import { findChain } from '../chains.js';

/** Price symbol (the SYMBOL of SYMBOL-USD.csv) → CoinGecko coin id. */
export const PRICE_IDS: Readonly<Record<string, string>> = Object.freeze({
  BTC: 'bitcoin',
  ETH: 'ethereum',
  USDT: 'tether',
  USDC: 'usd-coin',
  TRX: 'tron',
  BNB: 'binancecoin',
  MATIC: 'matic-network',
  POL: 'polygon-ecosystem-token',
  DAI: 'dai',
  // Its own market series: a wrapped coin is not assumed to trade at exactly the coin's price.
  WETH: 'weth',
});

/**
 * The native coin of each chain, as a price symbol. Polygon's gas token was MATIC until the
 * migration to POL on 2024-09-04. Test networks and devnets have no market price.
 */
const NATIVE: Readonly<Record<string, readonly { from?: string; symbol: string }[]>> = Object.freeze({
  bitcoin: [{ symbol: 'BTC' }],
  ethereum: [{ symbol: 'ETH' }],
  arbitrum: [{ symbol: 'ETH' }],
  optimism: [{ symbol: 'ETH' }],
  base: [{ symbol: 'ETH' }],
  bsc: [{ symbol: 'BNB' }],
  polygon: [{ symbol: 'MATIC' }, { from: '2024-09-04', symbol: 'POL' }],
  tron: [{ symbol: 'TRX' }],
});

/** Built-in development chains (src/core/chains.ts): nothing on them has a market price. */
const DEVELOPMENT_CHAINS: ReadonlySet<string> = new Set(['anvil', 'anvil-b']);

export interface AssetForPricing {
  chain: string;
  /** The symbol the result shows: the native symbol, a dataset's declared symbol, or the token's. */
  symbol: string;
  decimals: number;
  /** Token contract; absent for the native coin. */
  contract?: string;
  /**
   * The symbol comes from the dataset's own `assets` declaration (the investigator's file, trusted
   * like the rest of the dataset), not from the token contract.
   */
  declared?: boolean;
}

export type PriceAsset =
  | {
      priced: true;
      /** The price symbol: BTC-USD.csv, USDT-USD.csv … */
      symbol: string;
      coingecko: string;
      via: 'native' | 'contract' | 'declared';
      /** Said next to the figure when the pricing rests on a declaration. */
      note?: string;
    }
  | { priced: false; reason: string };

const sameContract = (a: string, b: string) =>
  a.startsWith('0x') ? a.toLowerCase() === b.toLowerCase() : a === b;

/** The price series for an asset on a UTC day (the day matters for Polygon's MATIC → POL). */
export function priceAssetFor(a: AssetForPricing, day: string): PriceAsset {
  const chain = findChain(a.chain);
  const chainName = chain?.name ?? a.chain;
  const priced = (symbol: string, via: 'native' | 'contract' | 'declared', note?: string): PriceAsset => {
    const id = PRICE_IDS[symbol];
    if (id === undefined) return { priced: false, reason: `${symbol} has no price id in fundtrace's table` };
    return { priced: true, symbol, coingecko: id, via, ...(note !== undefined ? { note } : {}) };
  };
  if (a.contract === undefined && chain && a.symbol === chain.native.symbol) {
    const periods = Object.hasOwn(NATIVE, chainName) ? NATIVE[chainName]! : undefined;
    if (!periods)
      return {
        priced: false,
        reason: `${a.symbol} on ${chainName} is a test or development coin with no market price`,
      };
    let symbol = periods[0]!.symbol;
    for (const p of periods) if (p.from === undefined || day >= p.from) symbol = p.symbol;
    return priced(symbol, 'native');
  }
  // The devnet chains' tokens (`fundtrace devnet`: USDF, and USDT / WETH of the two-chain scenario)
  // are play money, whatever symbol they carry or a dataset declares.
  if (DEVELOPMENT_CHAINS.has(chainName))
    return {
      priced: false,
      reason: `${a.symbol} on ${chainName} is a test or development token with no market price`,
    };
  if (a.contract !== undefined && chain?.tokens) {
    for (const t of Object.values(chain.tokens)) {
      if (
        t.contract !== undefined &&
        sameContract(t.contract, a.contract) &&
        Object.hasOwn(PRICE_IDS, t.symbol)
      )
        return priced(t.symbol, 'contract');
    }
  }
  if (a.declared && Object.hasOwn(PRICE_IDS, a.symbol)) {
    const known = chain?.tokens?.[a.symbol]?.contract;
    const note =
      a.contract !== undefined && known !== undefined && !sameContract(known, a.contract)
        ? `priced as ${a.symbol} because the dataset declares it so; its contract ${a.contract} is not the known ${a.symbol} contract on ${chainName} (${known})`
        : `priced as ${a.symbol} because the dataset declares it so`;
    return priced(a.symbol, 'declared', note);
  }
  if (a.contract !== undefined)
    return {
      priced: false,
      reason: `token ${a.contract} on ${chainName} has no price id: only native coins and known token contracts are priced`,
    };
  return { priced: false, reason: `no price id for this asset on ${chainName}` };
}
