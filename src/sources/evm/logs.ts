// A receipt's logs as TxLog records (src/core/model.ts), the one conversion every remote EVM
// source uses, so rpc:, etherscan: and an exported dataset give the same records byte for byte:
// emitter EIP-55, topics and data lowercase, `removed` logs (reorged away) dropped, none for a
// failed transaction (it emits none; a node may still list some on a reverted receipt).
import type { TxLog } from '../../core/model.js';
import { evmAddress } from './abi.js';

export interface RawLogFields {
  address: string;
  topics: readonly string[];
  data: string;
  logIndex: number;
  removed?: boolean;
}

export interface LogBase {
  tx: string;
  height: number | null;
  position: number | null;
  time: string | null;
}

const TOPIC = /^0x[0-9a-fA-F]{64}$/;
const DATA = /^0x([0-9a-fA-F]{2})*$/;

/** TxLogs of one receipt, in index order. Throws (a plain Error naming the field) on a malformed log. */
export function receiptLogs(base: LogBase, success: boolean, logs: readonly RawLogFields[]): TxLog[] {
  if (!success) return [];
  const out: TxLog[] = [];
  for (const l of logs) {
    if (l.removed === true) continue;
    if (l.topics.length > 4 || !l.topics.every((t) => TOPIC.test(t)))
      throw new Error(`log ${l.logIndex} of ${base.tx} has malformed topics`);
    if (!DATA.test(l.data)) throw new Error(`log ${l.logIndex} of ${base.tx} has malformed data`);
    out.push({
      tx: base.tx.toLowerCase(),
      index: l.logIndex,
      height: base.height,
      position: base.position,
      time: base.time,
      address: evmAddress(l.address),
      topics: l.topics.map((t) => t.toLowerCase()),
      data: l.data.toLowerCase(),
    });
  }
  return out.sort((a, b) => a.index - b.index);
}
