// The indexed store (`fundtrace dataset index`): one DuckDB file holding a validated dataset's
// records, keyed so a trace reads only the ledgers and transactions it visits.
//
// Tables (format fundtrace-index/2; /1 had no logs table):
//   meta(key, value)                   format, chain, source file (path, bytes, mtime, sha256),
//                                      name, description, head, assets, asset order, whether
//                                      the dataset records logs (JSON values)
//   labels(payload)                    the labels the dataset carries (JSON)
//   account chains:
//     transfers(seq, tx, payload)      every transfer in chain order (seq), as JSON
//     ledger(addr, asset, seq)         one row per side of a transfer (from, to ≠ from)
//     logs(seq, tx, payload)           every event log in chain order (seq), as JSON (TxLog)
//   UTXO chains:
//     txs(seq, txid, payload)          every transaction in chain order, as JSON
//     addr_txs(addr, seq)              transactions touching an address (once per transaction)
//     spends(txid, vout, spender, input_index)   the first spender of each output, in chain order
//
// Payloads are the core model objects as JSON with every `value` (a bigint) as a decimal string,
// so a record read back is the record that was indexed, to the unit.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Transfer, UtxoTx } from '../../core/model.js';

/** Version 2 added the logs table (event logs, issue 14): a /1 index is refused with "rebuild it". */
export const INDEX_FORMAT = 'fundtrace-index/2';

export const encodeRecord = (r: Transfer | UtxoTx): string =>
  JSON.stringify(r, (k, v) => (k === 'value' && typeof v === 'bigint' ? v.toString() : v));

export function decodeRecord<T extends Transfer | UtxoTx>(payload: string): T {
  return JSON.parse(payload, (k, v) => (k === 'value' && typeof v === 'string' ? BigInt(v) : v)) as T;
}

export async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
