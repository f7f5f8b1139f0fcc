// A small TRON scenario for the trongrid: source tests and the benchmark, with figures that can be
// checked by hand (see scenario.test.ts). Addresses are well-formed base58check TRON addresses
// derived from names (sha256 → 20-byte body), so nothing here is a real person's wallet.
import { createHash } from 'node:crypto';
import { tronFromBody } from '../../src/core/tron.js';

export const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
export const TRX = 1_000_000n;
export const USD = 1_000_000n;

export interface ScTransfer {
  contract: string;
  from: string;
  to: string;
  value: bigint;
}

export interface TronTx {
  id: string;
  block: number;
  /** ms */
  time: number;
  type: 'TransferContract' | 'TriggerSmartContract' | 'TransferAssetContract' | 'FreezeBalanceV2Contract';
  owner: string;
  /** recipient (TransferContract/TransferAssetContract) or the contract called */
  to?: string;
  /** sun: TransferContract amount or TriggerSmartContract call_value */
  amount?: bigint;
  /** TRX burned (energy + bandwidth), sun */
  fee: bigint;
  failed?: boolean;
  /** TRC-20 Transfer events in log order; `otherLog` puts a non-Transfer event before each. */
  transfers?: ScTransfer[];
  otherLogs?: boolean;
  unconfirmed?: boolean;
  /** The node has no receipt yet (gettransactioninfobyid answers {}). */
  noInfo?: boolean;
  internal?: number;
}

export interface TokenMeta {
  symbol: string;
  name: string;
  decimals: number;
}

export interface TronScenario {
  head: number;
  headTime: number;
  txs: TronTx[];
  tokens: Record<string, TokenMeta>;
}

export const addr = (name: string): string =>
  tronFromBody(createHash('sha256').update(`fundtrace-test:${name}`).digest().subarray(0, 20));
export const txid = (name: string): string => createHash('sha256').update(`tx:${name}`).digest('hex');

export const A = {
  victim: addr('victim'),
  other: addr('other'),
  scam: addr('scam'),
  x: addr('x'),
  y: addr('y'),
  z: addr('z'),
  w: addr('w'),
  exchange: addr('exchange'),
  batcher: addr('batcher-contract'),
};

const T0 = 1_700_000_000_000;
const at = (block: number) => T0 + (block - 100) * 3000;

export function tronScenario(): TronScenario {
  const tx = (name: string, block: number, rest: Omit<TronTx, 'id' | 'block' | 'time'>): TronTx => ({
    id: txid(name),
    block,
    time: at(block),
    ...rest,
  });
  const usdt = (from: string, to: string, value: bigint): ScTransfer => ({ contract: USDT, from, to, value });
  return {
    head: 1_000,
    headTime: at(1_000),
    tokens: { [USDT]: { symbol: 'USDT', name: 'Tether USD', decimals: 6 } },
    txs: [
      // clean USDT already at the scam wallet
      tx('clean-in', 90, {
        type: 'TriggerSmartContract',
        owner: A.other,
        to: USDT,
        fee: 13_844_850n,
        transfers: [usdt(A.other, A.scam, 500n * USD)],
      }),
      // TRX for the scam wallet's fees
      tx('trx-in', 95, {
        type: 'TransferContract',
        owner: A.victim,
        to: A.scam,
        amount: 100n * TRX,
        fee: 1_100_000n,
      }),
      // the victim's payment: the seed
      tx('seed', 100, {
        type: 'TriggerSmartContract',
        owner: A.victim,
        to: USDT,
        fee: 13_844_850n,
        transfers: [usdt(A.victim, A.scam, 1_000n * USD)],
      }),
      // one transaction, two traced transfers (a batch contract), another event between them
      tx('batch', 110, {
        type: 'TriggerSmartContract',
        owner: A.scam,
        to: A.batcher,
        fee: 13_800_000n,
        otherLogs: true,
        transfers: [usdt(A.scam, A.x, 600n * USD), usdt(A.scam, A.y, 300n * USD)],
      }),
      tx('to-z', 120, {
        type: 'TriggerSmartContract',
        owner: A.scam,
        to: USDT,
        fee: 13_800_000n,
        transfers: [usdt(A.scam, A.z, 400n * USD)],
      }),
      // a failed call with 20 TRX call_value: moves nothing, pays its fee
      tx('failed', 125, {
        type: 'TriggerSmartContract',
        owner: A.scam,
        to: A.batcher,
        amount: 20n * TRX,
        fee: 8_000_000n,
        failed: true,
      }),
      // a TRC-10 movement (not traced: warned)
      tx('trc10', 126, { type: 'TransferAssetContract', owner: A.w, to: A.scam, fee: 0n }),
      tx('trx-out', 128, {
        type: 'TransferContract',
        owner: A.scam,
        to: A.z,
        amount: 50n * TRX,
        fee: 1_100_000n,
      }),
      tx('cash-out', 130, {
        type: 'TriggerSmartContract',
        owner: A.x,
        to: USDT,
        fee: 13_844_850n,
        transfers: [usdt(A.x, A.exchange, 600n * USD)],
      }),
    ],
  };
}

/** `n` TRX payments into one address (one per block), then one payment out: for paging tests. */
export function busyScenario(n: number): TronScenario {
  const w = addr('busy-w');
  const txs: TronTx[] = [];
  for (let i = 0; i < n; i++) {
    txs.push({
      id: txid(`busy-${i}`),
      block: 200 + i,
      time: T0 + (100 + i) * 3000,
      type: 'TransferContract',
      owner: addr(`busy-payer-${i % 5}`),
      to: w,
      amount: BigInt(i + 1) * TRX,
      fee: 0n,
    });
  }
  return { head: 200 + n + 500, headTime: T0 + (600 + n) * 3000, txs, tokens: {} };
}
