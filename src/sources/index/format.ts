// The indexed store (`fundtrace dataset index`): one SQLite file holding a validated dataset's
// records, keyed so a trace reads only the ledgers and transactions it visits: each lookup is a
// B-tree search, its cost independent of the dataset's size.
//
// Tables (format fundtrace-index/5, SQLite; /1 and /2 were DuckDB files, which answered a lookup
// by scanning whole columns — a trace's time grew with the dataset; /3 had a row per ledger entry
// and the tx hash as text; /4 a row per transfer and per address, and a B-tree index of tx keys:
// 2.5 s of a 1M-transfer build was SQLite writing rows):
//   meta(key, value)                   format, chain, source file (path, bytes, mtime, sha256),
//                                      name, description, head, assets, asset order, whether
//                                      the dataset records logs, ledgerBits and txBits (JSON values)
//   labels(payload)                    the labels the dataset carries (JSON)
//   account chains (./pieces.ts):
//     pieces(start, bytes)             the records' bytes, in pieces of at most 8000 bytes (a page)
//                                      keyed by their offset; a record is found by its loc (offset,
//                                      length)
//     ledger(bucket, entries)          per bucket of address hashes (2^ledgerBits buckets): each
//                                      address in it and the locs of the transfers with it on a side
//                                      (from, to ≠ from), in chain order
//     txs(bucket, entries)             per bucket of tx keys (2^txBits): each transfer's tx key and
//                                      loc, in chain order; a lookup keeps the records of that very tx
//     logs(seq, tx, emitter, payload)  every event log in chain order, as JSON (TxLog); indexes on tx
//                                      and on emitter = "<address lowercase> <topic0>" (bridge legs)
//   UTXO chains:
//     txs(seq, txkey, payload)         the first occurrence of each txid, seq = chain order; txkey =
//                                      txKey(txid), indexed (a lookup keeps the very txid's rows)
//     addr_txs(addr, seqs)             per address, the seqs of the transactions touching it (JSON array)
//     spends(txid, list)               per transaction, the first spender (in chain order) of each of
//                                      its outputs spent: a JSON array of [vout, spender txid, input
//                                      index], by vout
//
// Payloads are the core model objects as JSON with every `value` (a bigint) as a decimal string,
// so a record read back is the record that was indexed, to the unit. An account JSON Lines file
// checked by the parallel load (src/sources/dataset/parallel.ts) is stored as the file itself: meta
// `payload` = "line", the pieces are the file's bytes in order (all of them: they hash to the
// recorded SHA-256) and meta `header` the file's header, so a record is its line, converted when
// read exactly as a trace from the file converts it (the build converts and re-encodes nothing).
// Otherwise (meta `payload` absent) the pieces hold the encoded records in chain order, one a line.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Transfer, UtxoTx } from '../../core/model.js';

/** Version 5 (1 and 2 were DuckDB, 2 added logs; 3 had a ledger row per entry; 4 a row per transfer): older indexes are refused with "rebuild it". */
export const INDEX_FORMAT = 'fundtrace-index/5';

const COMMON = `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE labels (payload TEXT NOT NULL);`;

/** The tables of each kind of index (its secondary indexes are built after the rows go in). */
export const SCHEMA = {
  account: `${COMMON}
CREATE TABLE pieces (start INTEGER PRIMARY KEY, bytes BLOB NOT NULL);
CREATE TABLE ledger (bucket INTEGER PRIMARY KEY, entries BLOB NOT NULL);
CREATE TABLE txs (bucket INTEGER PRIMARY KEY, entries BLOB NOT NULL);
CREATE TABLE logs (seq INTEGER PRIMARY KEY, tx TEXT NOT NULL, emitter TEXT NOT NULL, payload TEXT NOT NULL);`,
  utxo: `${COMMON}
CREATE TABLE txs (seq INTEGER PRIMARY KEY, txkey INTEGER NOT NULL, payload TEXT NOT NULL);
CREATE TABLE addr_txs (addr TEXT PRIMARY KEY, seqs TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE spends (txid TEXT PRIMARY KEY, list TEXT NOT NULL) WITHOUT ROWID;`,
} as const;

// The bigints (a transfer's value, each input's and output's) are written as strings by copies, not
// by a replacer (a call per key: 1.6 s → 0.5 s per million transfers); any other bigint would make
// JSON.stringify throw, never write a wrong value.
const valueText = <T extends { value: bigint }>(x: T) => ({ ...x, value: x.value.toString() });
export const encodeRecord = (r: Transfer | UtxoTx): string =>
  'asset' in r
    ? JSON.stringify(valueText(r))
    : JSON.stringify({ ...r, inputs: r.inputs.map(valueText), outputs: r.outputs.map(valueText) });

/**
 * A transaction hash's lookup key: two 32-bit FNV-1a variants of its exact text folded into 53 bits
 * (an integer B-tree is a fraction of a text one's size and build time). Distinct hashes may share a
 * key; a lookup compares the tx of every record it reads.
 */
export function txKey(tx: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < tx.length; i++) {
    const c = tx.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/** Seqs (ascending) as the JSON array a ledger row holds. */
export const seqList = (seqs: ArrayLike<number>): string => `[${Array.prototype.join.call(seqs, ',')}]`;

/** The key logsAt looks events up by: the emitting contract and topic0, as the dataset view keys them. */
export const emitterKey = (address: string, topic0: string): string =>
  `${address.toLowerCase()} ${topic0.toLowerCase()}`;

/** The inverse of encodeRecord. No reviver: it costs a call per key (measured 3× slower). */
export function decodeRecord<T extends Transfer | UtxoTx>(payload: string): T {
  const r = JSON.parse(payload) as Record<string, unknown>;
  if (typeof r.value === 'string') r.value = BigInt(r.value);
  for (const side of [r.inputs, r.outputs] as ({ value: unknown }[] | undefined)[]) {
    if (side) for (const x of side) if (typeof x.value === 'string') x.value = BigInt(x.value);
  }
  return r as unknown as T;
}

/** Hashing in a worker thread: an index build hashes the file while it loads it on this thread. */
const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const h = require('node:crypto').createHash('sha256');
require('node:fs').createReadStream(workerData, { highWaterMark: 1 << 20 })
  .on('data', (c) => h.update(c))
  .on('end', () => parentPort.postMessage({ hex: h.digest('hex') }))
  .on('error', (e) => parentPort.postMessage({ error: e.message }));
`;

/** Files smaller than this are hashed on this thread (a worker's start-up is not free). */
const WORKER_BYTES = 8 << 20;

export async function fileSha256(path: string, bytes = 0): Promise<string> {
  if (bytes >= WORKER_BYTES) {
    const { Worker } = await import('node:worker_threads');
    // undefined: the worker could not run (then this thread hashes); a read error is thrown as is.
    const got = await new Promise<{ hex?: string; error?: string } | undefined>((resolve) => {
      const w = new Worker(HASH_WORKER, { eval: true, workerData: path });
      w.once('message', (m: { hex?: string; error?: string }) => {
        resolve(m);
        void w.terminate();
      });
      w.once('error', () => resolve(undefined));
      w.once('exit', () => resolve(undefined));
    });
    if (got?.hex) return got.hex;
    if (got?.error) throw new Error(got.error);
  }
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
