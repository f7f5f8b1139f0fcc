// Account-chain scenarios for the graphsense: tests and the benchmark, written in GraphSense's
// terms (a transaction with its value and fee, its traces, its token transfers with their log
// index), plus the dataset-v1 file the same movements make, written by the dataset spec's rules
// and the index table of the README (not by the source's code):
//   ethereum (as rpc:): native 0, internal 1 000 000 + trace, fee 2 000 000, token 3 000 000 + log
//   tron (as trongrid:): native 0, internal 1 000 + trace, token 3·10¹⁵ + log, fee 9·10¹⁵
// positions as the scenario says (GraphSense gives them only through a block's transaction list;
// the JSON result shows no position, only the order it makes). Addresses are derived from names.
import { createHash } from 'node:crypto';
import { toChecksumAddress } from '../../src/core/keccak.js';
import { tronFromBody } from '../../src/core/tron.js';

export type Net = 'eth' | 'trx';

export interface GsToken {
  log: number;
  ticker: string;
  from: string;
  to: string;
  value: bigint;
}
export interface GsInternal {
  trace: number;
  from: string;
  to: string;
  value: bigint;
}
export interface GsAccountScenarioTx {
  /** 64 lowercase hex, no 0x (GraphSense's form). */
  hash: string;
  height: number;
  /** Place in the block (the dataset's position; the order of GET /{c}/blocks/{h}/txs). */
  position: number;
  time: number;
  from: string;
  to: string;
  value: bigint;
  /** undefined: the server leaves `fee` out. */
  fee?: bigint;
  internals?: GsInternal[];
  tokens?: GsToken[];
}
export interface TokenConf {
  ticker: string;
  decimals: number;
  contract?: string;
  peg?: string;
}
export interface AccountScenario {
  net: Net;
  chain: 'ethereum' | 'tron';
  tip: number;
  txs: GsAccountScenarioTx[];
  tokens: TokenConf[];
}

const body = (name: string) => createHash('sha256').update(`fundtrace-gs:${name}`).digest().subarray(0, 20);
export const evmAddr = (name: string) => toChecksumAddress(body(name).toString('hex'));
export const tronAddr = (name: string) => tronFromBody(body(name));
export const hashOf = (name: string) => createHash('sha256').update(`gs-tx:${name}`).digest('hex');

export const ETH = 10n ** 18n;
export const USD = 1_000_000n;
export const USDT_ETH = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
export const USDT_TRON = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

/** The canonical txid of a scenario hash on its chain. */
export const txidOf = (net: Net, hash: string) => (net === 'eth' ? `0x${hash}` : hash);

const T0 = 1_700_000_000;

/**
 * ETH and USDT on Ethereum. Victim V is paid by a funder, pays the scammer S in ETH and USDT;
 * S pays through a contract C that forwards ETH to X by an internal transfer (trace 7), splits
 * USDT to X and the exchange E in one block (two txs, ordered by hash), batches two more USDT
 * transfers in one tx (logs 3 and 4); X pays E in ETH. Values above 2^53 wei throughout.
 */
export function ethScenario(): AccountScenario {
  const a = (n: string) => evmAddr(n);
  const [F, V, S, C, X, Y, E, B] = [
    'funder',
    'victim',
    'scam',
    'router',
    'x',
    'y',
    'exchange',
    'batcher',
  ].map(a) as [string, string, string, string, string, string, string, string];
  const tx = (
    name: string,
    height: number,
    rest: Omit<GsAccountScenarioTx, 'hash' | 'height' | 'time' | 'position'> & { position?: number },
  ): GsAccountScenarioTx => ({
    hash: hashOf(`eth:${name}`),
    height,
    position: 7,
    time: T0 + (height - 18_000_000) * 12,
    ...rest,
  });
  const fee = 21_000n * 30_000_000_000n;
  const usdt = (log: number, from: string, to: string, value: bigint): GsToken => ({
    log,
    ticker: 'usdt',
    from,
    to,
    value,
  });
  const sc: AccountScenario = {
    net: 'eth',
    chain: 'ethereum',
    tip: 18_000_200,
    tokens: [
      { ticker: 'USDT', decimals: 6, contract: USDT_ETH.toLowerCase(), peg: 'USD' },
      { ticker: 'WETH', decimals: 18, contract: '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', peg: 'ETH' },
    ],
    txs: [
      tx('fund', 18_000_010, { from: F, to: V, value: 10n * ETH + 123_456_789n, fee }),
      tx('seed', 18_000_020, { from: V, to: S, value: 4n * ETH + 987_654_321n, fee }),
      tx('usdt-in', 18_000_021, {
        from: V,
        to: USDT_ETH,
        value: 0n,
        fee: 3n * fee,
        tokens: [usdt(41, V, S, 1_000n * USD)],
      }),
      tx('route', 18_000_030, {
        from: S,
        to: C,
        value: 3n * ETH,
        fee: 5n * fee,
        internals: [
          { trace: 7, from: C, to: X, value: 2n * ETH + 500_000_000_000_000_001n },
          { trace: 9, from: C, to: C, value: 0n },
        ],
      }),
      // Clean USDT first: under fifo the first payment out of S takes it.
      tx('clean-in', 18_000_015, {
        from: F,
        to: USDT_ETH,
        value: 0n,
        fee: 3n * fee,
        tokens: [usdt(2, F, S, 500n * USD)],
      }),
      tx('split-x', 18_000_040, {
        from: S,
        to: USDT_ETH,
        value: 0n,
        fee: 3n * fee,
        tokens: [usdt(12, S, X, 600n * USD)],
      }),
      tx('split-e', 18_000_040, {
        from: S,
        to: USDT_ETH,
        value: 0n,
        fee: 3n * fee,
        tokens: [usdt(20, S, E, 300n * USD)],
      }),
      tx('batch', 18_000_050, {
        from: S,
        to: B,
        value: 0n,
        fee: 4n * fee,
        tokens: [usdt(3, S, X, 50n * USD), usdt(4, S, Y, 50n * USD)],
      }),
      tx('cash-out', 18_000_060, { from: X, to: E, value: 2n * ETH, fee }),
      tx('x-usdt', 18_000_061, {
        from: X,
        to: USDT_ETH,
        value: 0n,
        fee: 3n * fee,
        tokens: [usdt(8, X, E, 640n * USD)],
      }),
    ],
  };
  const at = (name: string) => sc.txs.find((t) => t.hash === hashOf(`eth:${name}`))!;
  againstHashOrder(at('split-x'), at('split-e'));
  return sc;
}

/** USDT on TRON: the same pattern, TRC-20 transfers with TRX fees (energy burnt). */
export function tronScenario(): AccountScenario {
  const a = (n: string) => tronAddr(n);
  const [F, V, S, X, Y, E] = ['funder', 'victim', 'scam', 'x', 'y', 'exchange'].map(a) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const tx = (
    name: string,
    height: number,
    rest: Omit<GsAccountScenarioTx, 'hash' | 'height' | 'time' | 'position'> & { position?: number },
  ): GsAccountScenarioTx => ({
    hash: hashOf(`trx:${name}`),
    height,
    position: 3,
    time: T0 + (height - 60_000_000) * 3,
    ...rest,
  });
  const usdt = (log: number, from: string, to: string, value: bigint): GsToken => ({
    log,
    ticker: 'usdt',
    from,
    to,
    value,
  });
  const energy = 13_844_850n;
  const sc: AccountScenario = {
    net: 'trx',
    chain: 'tron',
    tip: 60_000_500,
    tokens: [{ ticker: 'USDT', decimals: 6, contract: USDT_TRON, peg: 'USD' }],
    txs: [
      tx('fund', 60_000_010, {
        from: F,
        to: USDT_TRON,
        value: 0n,
        fee: energy,
        tokens: [usdt(0, F, V, 5_000n * USD)],
      }),
      tx('trx-in', 60_000_011, { from: F, to: V, value: 100_000_000n, fee: 1_100_000n }),
      tx('trx-out', 60_000_025, { from: V, to: X, value: 40_000_000n, fee: 268_000n }),
      // Clean USDT first: under fifo the first payment out of S takes it.
      tx('clean-in', 60_000_015, {
        from: F,
        to: USDT_TRON,
        value: 0n,
        fee: energy,
        tokens: [usdt(0, F, S, 800n * USD)],
      }),
      tx('seed', 60_000_020, {
        from: V,
        to: USDT_TRON,
        value: 0n,
        fee: energy,
        tokens: [usdt(0, V, S, 3_500n * USD)],
      }),
      tx('split-x', 60_000_030, {
        from: S,
        to: USDT_TRON,
        value: 0n,
        fee: energy,
        tokens: [usdt(0, S, X, 2_000n * USD)],
      }),
      tx('split-e', 60_000_030, {
        from: S,
        to: USDT_TRON,
        value: 0n,
        fee: energy,
        tokens: [usdt(0, S, E, 1_000n * USD)],
      }),
      tx('multi', 60_000_040, {
        from: X,
        to: USDT_TRON,
        value: 0n,
        fee: 2n * energy,
        tokens: [usdt(0, X, Y, 700n * USD), usdt(1, X, E, 1_300n * USD)],
      }),
    ],
  };
  const at = (name: string) => sc.txs.find((t) => t.hash === hashOf(`trx:${name}`))!;
  againstHashOrder(at('split-x'), at('split-e'));
  return sc;
}

export const roles = {
  eth: {
    victim: evmAddr('victim'),
    scam: evmAddr('scam'),
    x: evmAddr('x'),
    exchange: evmAddr('exchange'),
    seed: txidOf('eth', hashOf('eth:seed')),
    usdtIn: txidOf('eth', hashOf('eth:usdt-in')),
    route: txidOf('eth', hashOf('eth:route')),
  },
  trx: {
    victim: tronAddr('victim'),
    scam: tronAddr('scam'),
    x: tronAddr('x'),
    exchange: tronAddr('exchange'),
    seed: hashOf('trx:seed'),
    trxIn: hashOf('trx:trx-in'),
  },
};

const iso = (sec: number) => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');

/** The dataset-v1 document of a scenario (see the header for the index rules). */
export function accountDataset(sc: AccountScenario): Record<string, unknown> {
  const evm = sc.net === 'eth';
  const idx = evm
    ? { internal: 1_000_000, fee: 2_000_000, token: 3_000_000 }
    : { internal: 1_000, fee: 9_000_000_000_000_000, token: 3_000_000_000_000_000 };
  const usdt = evm ? USDT_ETH : USDT_TRON;
  const transfers: Record<string, unknown>[] = [];
  for (const t of sc.txs) {
    const base = { tx: txidOf(sc.net, t.hash), height: t.height, position: t.position, time: iso(t.time) };
    if (t.value > 0n)
      transfers.push({
        ...base,
        index: 0,
        from: t.from,
        to: t.to,
        asset: evm ? 'ETH' : 'TRX',
        value: String(t.value),
        kind: 'native',
      });
    for (const i of t.internals ?? [])
      if (i.value > 0n)
        transfers.push({
          ...base,
          index: idx.internal + i.trace,
          from: i.from,
          to: i.to,
          asset: evm ? 'ETH' : 'TRX',
          value: String(i.value),
          kind: 'internal',
        });
    for (const k of t.tokens ?? [])
      transfers.push({
        ...base,
        index: idx.token + k.log,
        from: k.from,
        to: k.to,
        asset: k.ticker === 'usdt' ? 'USDT' : k.ticker.toUpperCase(),
        value: String(k.value),
        kind: 'token',
      });
    if ((t.fee ?? 0n) > 0n)
      transfers.push({
        ...base,
        index: idx.fee,
        from: t.from,
        to: null,
        asset: evm ? 'ETH' : 'TRX',
        value: String(t.fee),
        kind: 'fee',
      });
  }
  const key = (t: Record<string, unknown>) =>
    [t.height as number, t.tx as string, t.index as number] as const;
  transfers.sort((a, b) => {
    const [ha, ta, ia] = key(a);
    const [hb, tb, ib] = key(b);
    return ha - hb || (ta < tb ? -1 : ta > tb ? 1 : 0) || ia - ib;
  });
  return {
    format: 'fundtrace-dataset/1',
    chain: sc.chain,
    head: { height: sc.tip },
    assets: { USDT: { decimals: 6, contract: usdt } },
    transfers,
  };
}

/**
 * Places two transactions of one block against their hash order (the later hash first), so a
 * trace that orders them by hash instead of by the block's list gives other figures under fifo.
 */
export function againstHashOrder(a: GsAccountScenarioTx, b: GsAccountScenarioTx): void {
  const [lo, hi] = a.hash < b.hash ? [a, b] : [b, a];
  hi.position = 1;
  lo.position = 2;
}
