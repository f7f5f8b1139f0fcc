// Chain registry: names, ids, kinds and native assets. Extensible by config (see README).
// A registry is an immutable value (BUILTIN_CHAINS, or BUILTIN_CHAINS.with(config chains)); a
// command makes its registry the active one for its own async flow (useChains), so nothing is
// written into module state and two traces in one process never see each other's config.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AssetInfo, ChainKind } from './model.js';

export interface ChainInfo {
  name: string;
  kind: ChainKind;
  /** EVM chain id, when the chain is an EVM chain. */
  chainId?: number;
  native: AssetInfo;
  /** Well-known token contracts (symbol → contract in the chain's canonical address form: EIP-55, or
   *  base58 on TRON), so `--asset USDT` means the real one. */
  tokens?: Record<string, AssetInfo>;
  /** Address form of an account chain: EVM (0x + 40 hex, EIP-55) unless 'tron' (base58check, 0x41). */
  addressFormat?: 'evm' | 'tron';
  /** Bitcoin network name for UTXO chains (bitcoin, testnet or regtest: see base58check.ts). */
  network?: 'bitcoin' | 'testnet' | 'regtest';
  aliases?: string[];
}

const BTC: AssetInfo = { symbol: 'BTC', decimals: 8 };
const ETH: AssetInfo = { symbol: 'ETH', decimals: 18 };

export class ChainRegistry {
  private readonly byName: ReadonlyMap<string, ChainInfo>;
  constructor(chains: readonly ChainInfo[]) {
    const m = new Map<string, ChainInfo>();
    for (const c of chains) m.set(c.name, Object.freeze({ ...c }));
    this.byName = m;
  }
  /** A new registry with these chains added (a chain of the same name replaces the built-in one). */
  with(chains: readonly ChainInfo[]): ChainRegistry {
    return chains.length === 0 ? this : new ChainRegistry([...this.byName.values(), ...chains]);
  }
  /** By name, alias or numeric chain id; undefined when unknown. */
  find(nameOrId: string): ChainInfo | undefined {
    const key = nameOrId.trim().toLowerCase();
    const direct = this.byName.get(key);
    if (direct) return direct;
    for (const c of this.byName.values()) {
      if (c.aliases?.includes(key)) return c;
      if (c.chainId !== undefined && String(c.chainId) === key) return c;
    }
    return undefined;
  }
  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}

const BUILTIN: ChainInfo[] = [
  { name: 'bitcoin', kind: 'utxo', native: BTC, network: 'bitcoin', aliases: ['btc', 'mainnet'] },
  {
    name: 'bitcoin-testnet',
    kind: 'utxo',
    native: { symbol: 'tBTC', decimals: 8 },
    network: 'testnet',
    aliases: ['testnet', 'signet', 'bitcoin-signet'],
  },
  {
    name: 'ethereum',
    kind: 'account',
    chainId: 1,
    native: ETH,
    aliases: ['eth', 'mainnet-eth'],
    tokens: {
      USDT: { symbol: 'USDT', decimals: 6, contract: '0xdAC17F958D2ee523a2206206994597C13D831ec7' },
      USDC: { symbol: 'USDC', decimals: 6, contract: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48' },
      DAI: { symbol: 'DAI', decimals: 18, contract: '0x6B175474E89094C44Da98b954EedeAC495271d0F' },
      WETH: { symbol: 'WETH', decimals: 18, contract: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2' },
    },
  },
  {
    name: 'bsc',
    kind: 'account',
    chainId: 56,
    native: { symbol: 'BNB', decimals: 18 },
    aliases: ['bnb', 'binance-smart-chain'],
    tokens: {
      USDT: { symbol: 'USDT', decimals: 18, contract: '0x55d398326f99059fF775485246999027B3197955' },
      USDC: { symbol: 'USDC', decimals: 18, contract: '0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d' },
    },
  },
  {
    name: 'polygon',
    kind: 'account',
    chainId: 137,
    native: { symbol: 'POL', decimals: 18 },
    aliases: ['matic'],
    tokens: {
      USDT: { symbol: 'USDT', decimals: 6, contract: '0xc2132D05D31c914a87C6611C10748AEb04B58e8F' },
      USDC: { symbol: 'USDC', decimals: 6, contract: '0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359' },
    },
  },
  {
    name: 'arbitrum',
    kind: 'account',
    chainId: 42161,
    native: ETH,
    aliases: ['arbitrum-one', 'arb'],
    tokens: {
      USDT: { symbol: 'USDT', decimals: 6, contract: '0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9' },
      USDC: { symbol: 'USDC', decimals: 6, contract: '0xaf88d065e77c8cC2239327C5EDb3A432268e5831' },
    },
  },
  {
    name: 'optimism',
    kind: 'account',
    chainId: 10,
    native: ETH,
    aliases: ['op'],
    tokens: {
      USDT: { symbol: 'USDT', decimals: 6, contract: '0x94b008aA00579c1307B0EF2c499aD98a8ce58e58' },
      USDC: { symbol: 'USDC', decimals: 6, contract: '0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85' },
    },
  },
  {
    name: 'base',
    kind: 'account',
    chainId: 8453,
    native: ETH,
    tokens: {
      USDC: { symbol: 'USDC', decimals: 6, contract: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913' },
    },
  },
  {
    // TRON: an account chain whose addresses are base58check (version 0x41) over the same 20-byte
    // body as EVM. TRX has 6 decimals (base unit: sun). USDT-TRC20 per ../shared api-fixtures-tron
    // (every recorded token_info). USDC (Circle, TRC-20, 6 decimals): the contract every public
    // wallet, bridge and indexer token table we checked lists for USDC on TRON (nine independent
    // repositories agree); its base58check is verified by test/address/tron.test.ts.
    name: 'tron',
    kind: 'account',
    addressFormat: 'tron',
    native: { symbol: 'TRX', decimals: 6 },
    aliases: ['trx'],
    tokens: {
      USDT: { symbol: 'USDT', decimals: 6, contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
      USDC: { symbol: 'USDC', decimals: 6, contract: 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8' },
    },
  },
  {
    name: 'anvil',
    kind: 'account',
    chainId: 31337,
    native: ETH,
    // `fundtrace devnet`'s own token, at its deterministic deployment address (src/devnet/deployment.ts
    // derives the same address; test/devnet checks that they agree), so `--asset USDF` is never a look-alike.
    // USDT and WETH: the two-chain scenario's (`fundtrace devnet --bridges`, src/devnet/bridge-deployment.ts).
    tokens: {
      USDF: { symbol: 'USDF', decimals: 6, contract: '0x7Cc794719e753577A898B358953896616CDd7Ef3' },
      USDT: { symbol: 'USDT', decimals: 6, contract: '0xD30Ac439f89c231f1995DD1aD36a020A5c7c0d42' },
      WETH: { symbol: 'WETH', decimals: 18, contract: '0x7c0314392439EF8fce664E3f995b3575Ab50eD1c' },
    },
    aliases: ['devnet', 'localhost'],
  },
  {
    // The second devnet chain of `fundtrace devnet --bridges` (the bridges' destination), with its
    // own USDT at its deterministic address (src/devnet/bridge-deployment.ts; test/devnet checks).
    name: 'anvil-b',
    kind: 'account',
    chainId: 31338,
    native: ETH,
    tokens: { USDT: { symbol: 'USDT', decimals: 6, contract: '0x44D84eff82B72f6fF56EFa02eE3BEd2b8b8A0952' } },
    aliases: ['devnet-b', 'anvilb'],
  },
] satisfies ChainInfo[] as ChainInfo[];

export const BUILTIN_CHAINS = new ChainRegistry(BUILTIN);

const active = new AsyncLocalStorage<ChainRegistry>();

/** Run `fn` (and everything it awaits) with `registry` as the active chain registry. */
export function withChains<T>(registry: ChainRegistry | undefined, fn: () => T): T {
  return registry ? active.run(registry, fn) : fn();
}

/** The registry of the current flow: the built-in chains unless a command chose another. */
export const activeChains = (): ChainRegistry => active.getStore() ?? BUILTIN_CHAINS;

/** Resolve a chain by name, alias or numeric chain id in the active registry; undefined when unknown. */
export const findChain = (nameOrId: string): ChainInfo | undefined => activeChains().find(nameOrId);

export const knownChains = (): string[] => activeChains().names();
