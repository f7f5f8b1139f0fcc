// Test helper: the real receipts of ../shared/data/bridge-swap-abis/receipts (JSON-RPC envelope,
// hex quantities) as fundtrace TxLogs. Read at run time, never copied into the project.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toChecksumAddress } from '../../src/core/keccak.js';
import type { TxLog } from '../../src/core/model.js';
import { SHARED } from '../helpers.js';

export const ABIS = join(SHARED, 'data', 'bridge-swap-abis');
export const RECEIPTS = join(ABIS, 'receipts');
export const receiptsPresent = existsSync(join(RECEIPTS, 'index.json'));

export interface Receipt {
  /** Path under receipts/, e.g. "cctp/ethereum_depositForBurn_ETH_to_ARB_ac7bb457". */
  name: string;
  chain: string;
  tx: string;
  logs: TxLog[];
}

interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  logIndex: string;
  blockNumber: string;
  transactionHash: string;
  transactionIndex: string;
}

export function toTxLogs(raw: RpcLog[]): TxLog[] {
  return raw.map((l) => ({
    tx: l.transactionHash.toLowerCase(),
    index: Number(BigInt(l.logIndex)),
    height: Number(BigInt(l.blockNumber)),
    position: Number(BigInt(l.transactionIndex)),
    time: null,
    address: toChecksumAddress(l.address.slice(2).toLowerCase()),
    topics: l.topics.map((t) => t.toLowerCase()),
    data: l.data.toLowerCase(),
  }));
}

/** Every receipt, with its chain from index.json. */
export function receipts(): Receipt[] {
  const index = JSON.parse(readFileSync(join(RECEIPTS, 'index.json'), 'utf8')) as {
    files: string[];
    chain: string;
    tx_hash: string;
  }[];
  const out: Receipt[] = [];
  for (const dir of readdirSync(RECEIPTS).sort()) {
    if (dir.endsWith('.json')) continue;
    for (const f of readdirSync(join(RECEIPTS, dir)).sort()) {
      if (!f.endsWith('.receipt.json')) continue;
      const rel = `receipts/${dir}/${f}`;
      const entry = index.find((e) => e.files.includes(rel));
      if (!entry) throw new Error(`${rel} is not in receipts/index.json`);
      const body = JSON.parse(readFileSync(join(RECEIPTS, dir, f), 'utf8')) as { result: { logs: RpcLog[] } };
      out.push({
        name: `${dir}/${f.slice(0, -'.receipt.json'.length)}`,
        chain: entry.chain,
        tx: entry.tx_hash,
        logs: toTxLogs(body.result.logs),
      });
    }
  }
  return out;
}
