// `fundtrace dataset index FILE --out DB`: load the dataset exactly as a trace would (same
// validation, same refusal of an invalid file), then write it into a new SQLite file (format in
// ./format.ts). The file is written under a temporary name and renamed when complete, so an
// interrupted build leaves no half-written index behind.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import Database from 'libsql';
import { findChain } from '../../core/chains.js';
import { FundtraceError } from '../../core/errors.js';
import {
  compareOrder,
  compareTransfers,
  compareTxs,
  type Dataset,
  type Label,
  type TxLog,
  type UtxoTx,
} from '../../core/model.js';
import { NewlineSum } from '../dataset/chunk.js';
import { indexHints, sideLedgers } from '../dataset/hints.js';
import { loadDataset } from '../dataset/index.js';
import { loadParallelIf, type MemoryAccountStore, parallelMayTake, sameFile } from '../dataset/parallel.js';
import type { BucketBits, FileStat } from '../dataset/pool.js';
import { IdAssigner, inOrder } from '../dataset/view.js';
import { emitterKey, encodeRecord, fileSha256, INDEX_FORMAT, SCHEMA, seqList, txKey } from './format.js';
import {
  type Buckets,
  bucketBits,
  indexBucketBits,
  ledgerBuckets,
  MAX_BYTES,
  PIECE_BYTES,
  recordLoc,
  txBuckets,
  txBytesKey,
  txTextKey,
} from './pieces.js';

export interface IndexBuildStats {
  chain: string;
  records: number;
  addresses: number;
  bytes: number;
  sha256: string;
}

/**
 * `loaded`: the file's dataset when the caller has just loaded (validated) it: not loaded twice.
 * An account JSON Lines file the parallel load takes (src/sources/dataset/parallel.ts) is checked
 * there and indexed from its columns, each record stored as its line (converted when read, as a
 * trace from the file converts it); any other file is loaded as for a trace and its records stored
 * converted. `env`: FUNDTRACE_LOAD, as for a trace (src/sources/dataset/pool.ts, loadMode).
 */
export async function buildIndex(
  datasetPath: string,
  outPath: string,
  loaded?: Dataset,
  env: NodeJS.ProcessEnv = {},
  /** What the build is doing (a progress line on a terminal); called often while rows are written. */
  progress: (text: string) => void = () => {},
  /** The dataset's path to record, when it is read under another name (an import's file before its rename). */
  recordAs?: string,
): Promise<IndexBuildStats> {
  const source = resolve(datasetPath);
  const recorded = recordAs === undefined ? source : resolve(recordAs);
  const st = await stat(source);
  progress(loaded ? 'indexing the dataset' : 'checking the dataset');
  if (!loaded && parallelMayTake(source, env, st.size)) {
    const built = await buildFromLines(source, recorded, outPath, env, progress);
    if (built) return built;
  }
  const hashed = fileSha256(source, st.size); // in a worker thread while this one loads
  hashed.catch(() => {}); // awaited below; a load error comes first
  const dataset = loaded ?? (await loadDataset(source));
  const stored = { path: recorded, bytes: st.size, mtimeMs: Math.trunc(st.mtimeMs), sha256: await hashed };
  const chain = findChain(dataset.chain);
  if (!chain) throw new FundtraceError('BAD_INPUT', `dataset chain "${dataset.chain}" is not a known chain`);
  let addresses = 0;
  progress('writing the records');
  await writeIndex(outPath, SCHEMA[chain.kind], INDEXES[chain.kind], progress, (db) => {
    let bits = {};
    if (chain.kind === 'account') {
      const written = writeAccount(db, dataset);
      addresses = written.addresses;
      bits = { ledgerBits: written.ledgerBits, txBits: written.txBits };
    } else addresses = writeUtxo(db, dataset);
    writeMeta(db, {
      chain: chain.name,
      source: stored,
      name: dataset.name ?? null,
      description: dataset.description ?? null,
      head: dataset.head ?? null,
      assets: [...dataset.assets].map(([k, v]) => [k, v]),
      assetOrder: chain.kind === 'account' ? assetOrder(dataset, chain.native.symbol) : [],
      // Whether the dataset records event logs at all (else the index offers no txLogs, as the file).
      logs: dataset.logs !== undefined,
      ...bits,
    });
    writeLabels(db, dataset.labels);
    return true;
  });
  const records = chain.kind === 'account' ? dataset.transfers.length : dataset.transactions.length;
  return { chain: chain.name, records, addresses, bytes: (await stat(outPath)).size, sha256: stored.sha256 };
}

/**
 * An account JSON Lines file checked by the parallel load (src/sources/dataset/parallel.ts) while
 * this thread copies it into the index: its workers write each chunk's buckets, and the copy is
 * checked to be of the bytes they read (verifyCopy). Undefined when the load turns the file down
 * (a problem, or a line out of its way): the caller reads it sequentially, nothing written.
 */
async function buildFromLines(
  source: string,
  recorded: string,
  outPath: string,
  env: NodeJS.ProcessEnv,
  progress: (text: string) => void,
): Promise<IndexBuildStats | undefined> {
  const changed = () => changedWhileIndexed(source);
  const before = await stat(source);
  const bits = indexBucketBits(before.size);
  let started = () => {};
  const starting = new Promise<void>((resolve) => {
    started = resolve;
  });
  let turnedDown = false;
  const checking = loadParallelIf(source, env, { buckets: bits, started }).then(
    (p) => {
      if (!p) turnedDown = true;
      return p;
    },
    (e: unknown) => {
      turnedDown = true;
      throw e;
    },
  );
  checking.catch(() => {}); // awaited below
  // The copy begins once the workers run (it then shares the machine with them).
  await Promise.race([
    starting,
    checking.then(
      () => {},
      () => {},
    ),
  ]);
  let stats: IndexBuildStats | undefined;
  const written = await writeIndex(outPath, SCHEMA.account, INDEXES.account, progress, async (db) => {
    let copied: CopiedFile | undefined;
    try {
      copied = await copyLines(db, source, before.size, changed, progress, () => turnedDown);
    } catch (e) {
      await checking.catch(() => {}); // the workers end before the error is told
      throw e;
    }
    progress('checking the dataset');
    const p = await checking;
    if (!p || !copied) return false;
    verifyCopy(copied, p, before, source, changed);
    progress('writing the ledgers');
    const chunks = p.store.chunkBuckets();
    let addresses: number;
    if (chunks) {
      writeBuckets(
        db,
        'ledger',
        chunks.map((c) => c.ledger),
      );
      writeBuckets(
        db,
        'txs',
        chunks.map((c) => c.tx),
      );
      addresses = p.store.addressCount();
    } else {
      const built = storeBuckets(p.store, bits);
      writeBuckets(db, 'ledger', [built.ledger]);
      writeBuckets(db, 'txs', [built.tx]);
      addresses = built.addresses;
    }
    const sha256 = copied.sha256;
    writeMeta(db, {
      chain: p.chain,
      source: { path: recorded, bytes: before.size, mtimeMs: Math.trunc(before.mtimeMs), sha256 },
      name: typeof p.header.name === 'string' ? p.header.name : null,
      description: p.description ?? null,
      head: p.head ?? null,
      assets: [...p.meta.assets],
      assetOrder: p.meta.assetOrder,
      logs: false,
      payload: 'line',
      header: p.header,
      ...bits,
    });
    writeLabels(db, p.labels);
    stats = { chain: p.chain, records: p.records, addresses, bytes: 0, sha256 };
    return true;
  });
  if (!written || !stats) return undefined;
  return { ...stats, bytes: (await stat(outPath)).size };
}

/**
 * A new index file: its tables, the rows `fill` writes, then the secondary indexes. Written under a
 * temporary name and renamed when complete, so an interrupted build leaves nothing half-written;
 * nothing either when `fill` answers false (then false).
 */
async function writeIndex(
  outPath: string,
  schema: string,
  indexes: string,
  progress: (text: string) => void,
  fill: (db: Database.Database) => boolean | Promise<boolean>,
): Promise<boolean> {
  const tmp = `${outPath}.partial-${process.pid}`;
  await rm(tmp, { force: true });
  const db = new Database(tmp);
  try {
    // A temporary file renamed only when complete needs no journal and no fsync per commit.
    db.exec('PRAGMA page_size = 8192; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;');
    db.exec('BEGIN');
    db.exec(schema);
    if ((await fill(db)) === false) {
      db.close();
      await rm(tmp, { force: true });
      return false;
    }
    progress('finishing the index');
    db.exec(indexes);
    db.exec('COMMIT');
    db.close();
  } catch (e) {
    if (db.open) db.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await rename(tmp, outPath);
  return true;
}

function writeMeta(db: Database.Database, meta: Record<string, unknown>): void {
  insertAll(
    db,
    'meta',
    2,
    Object.entries({ format: INDEX_FORMAT, ...meta }).map(([k, v]) => [k, JSON.stringify(v)]),
  );
}

function writeLabels(db: Database.Database, labels: readonly Label[]): void {
  insertAll(
    db,
    'labels',
    1,
    labels.map((label) => [JSON.stringify(label)]),
  );
}

/** Bytes read from the dataset at a time while it is copied. */
const COPY_PIECE = 8 << 20;

/**
 * Rows of (integer key, BLOB) written a batch at a time. The bytes given are bound when the batch
 * is run: a caller reusing its buffer calls `flush` first.
 */
class BlobRows {
  private readonly full: Database.Statement<unknown[]>;
  private buf: unknown[] = [];
  constructor(
    private readonly db: Database.Database,
    private readonly table: string,
  ) {
    this.full = db.prepare(
      `INSERT INTO ${table} VALUES ${Array.from({ length: BLOB_BATCH }, () => '(?,?)').join(',')}`,
    );
  }
  add(key: number, bytes: Uint8Array): void {
    this.buf.push(key, bytes);
    if (this.buf.length === 2 * BLOB_BATCH) this.flush();
  }
  flush(): void {
    if (this.buf.length === 2 * BLOB_BATCH) this.full.run(...this.buf);
    else if (this.buf.length > 0)
      this.db
        .prepare(
          `INSERT INTO ${this.table} VALUES ${Array.from({ length: this.buf.length / 2 }, () => '(?,?)').join(',')}`,
        )
        .run(...this.buf);
    this.buf = [];
  }
}
/** Rows per INSERT of pieces and buckets (a piece is 8 KB: the batch's bytes stay small). */
const BLOB_BATCH = 64;

/** The error of a dataset file that changed while it was indexed (checked, copied). */
export const changedWhileIndexed = (path: string): FundtraceError =>
  new FundtraceError(
    'BAD_INPUT',
    `dataset ${JSON.stringify(path)} changed while it was indexed; run the build again once nothing writes to it`,
  );

/** The file as an index build copied it: the SHA-256 and newlines of the bytes stored, and how many. */
export interface CopiedFile {
  sha256: string;
  bytes: number;
  newlines: NewlineSum;
}

/**
 * A dataset file copied into the index as pieces (payload "line"), in one sequential read that
 * hashes every byte and sums where its newlines are. Each piece
 * ends just after a newline and holds at most PIECE_BYTES, or one line and its newline when the
 * line is longer: so no line straddles two pieces, and a line longer than a piece starts one (what
 * a record's loc, written by the check's workers from its offset and length alone, relies on).
 * Runs while the file is checked, yielding after each read; `abandoned` stops it (the check
 * turned the file down). Undefined when abandoned.
 */
export async function copyLines(
  db: Database.Database,
  path: string,
  size: number,
  changed: () => Error,
  progress: (text: string) => void = () => {},
  abandoned: () => boolean = () => false,
): Promise<CopiedFile | undefined> {
  tooBig(path, size);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw changed(); // removed or made unreadable since it was checked
  }
  const hash = createHash('sha256');
  try {
    const rows = new BlobRows(db, 'pieces');
    const newlines = new NewlineSum();
    let buf = Buffer.alloc(COPY_PIECE);
    /** File offset of buf[0], and bytes held (every byte read is hashed once, in file order). */
    let at = 0;
    let held = 0;
    for (;;) {
      if (held === buf.length) {
        // Full and no piece cut: one line longer than the buffer.
        const grown = Buffer.alloc(buf.length * 2);
        buf.copy(grown, 0, 0, held);
        buf = grown;
      }
      const n = readSync(fd, buf, held, buf.length - held, at + held);
      hash.update(buf.subarray(held, held + n));
      newlines.addAll(buf, held, held + n, at);
      held += n;
      const eof = n === 0;
      // Pieces, cut only where the whole window is held (so the cuts do not depend on the reads).
      let p = 0;
      while (p < held && (eof || p + PIECE_BYTES <= held)) {
        let end = buf.lastIndexOf(10, Math.min(p + PIECE_BYTES, held) - 1) + 1;
        if (end <= p) {
          // No newline in the window: one line longer than it, and its newline.
          const nl = buf.indexOf(10, p + PIECE_BYTES);
          if (nl >= 0 && nl < held) end = nl + 1;
          else if (eof) end = held;
          else break;
        }
        rows.add(at + p, buf.subarray(p, end));
        p = end;
      }
      rows.flush(); // the rows are views of buf
      if (eof) {
        if (p !== held) throw changed();
        break;
      }
      buf.copy(buf, 0, p, held);
      at += p;
      held -= p;
      if (at + held > size) throw changed(); // it grew
      progress(`${Math.floor((100 * (at + held)) / Math.max(1, size))} % copied, checking`);
      // The check's workers report, and this build learns whether to go on, between reads.
      await new Promise((resolve) => setImmediate(resolve));
      if (abandoned()) return undefined;
    }
    if (at + held !== size) throw changed();
    return { sha256: hash.digest('hex'), bytes: size, newlines };
  } finally {
    closeSync(fd);
  }
}

/**
 * The copy is of the file the check read: the same identity (size, modification and change times,
 * inode) when the load began, after both, and now, and newlines where the check found them.
 */
export function verifyCopy(
  copied: CopiedFile,
  checked: { stat: FileStat; newlines: NewlineSum },
  before: FileStat,
  path: string,
  changed: () => Error,
): void {
  let now: FileStat;
  try {
    now = statSync(path);
  } catch {
    throw changed();
  }
  if (!sameFile(checked.stat, before) || !sameFile(now, before) || copied.bytes !== before.size)
    throw changed();
  if (!copied.newlines.equals(checked.newlines)) throw changed();
}

/** A dataset whose offsets would not fit a loc (pieces.ts): refused, never indexed wrong. */
function tooBig(what: string, bytes: number): void {
  if (bytes >= MAX_BYTES)
    throw new FundtraceError(
      'BAD_INPUT',
      `${JSON.stringify(what)}: ${bytes} bytes is more than one index holds (${MAX_BYTES} bytes); split the dataset`,
    );
}

/**
 * Buckets as rows (src/sources/index/pieces.ts): bucket b is the concatenation of every part's
 * bucket b, in the parts' order (a parallel load's chunks, in file order).
 */
function writeBuckets(db: Database.Database, table: 'ledger' | 'txs', parts: readonly Buckets[]): void {
  const rows = new BlobRows(db, table);
  const n = parts[0]!.off.length - 1;
  for (let b = 0; b < n; b++) {
    const slices: Uint8Array[] = [];
    for (const p of parts)
      if (p.off[b + 1]! > p.off[b]!) slices.push(p.bytes.subarray(p.off[b]!, p.off[b + 1]!));
    if (slices.length > 0) rows.add(b, slices.length === 1 ? slices[0]! : Buffer.concat(slices));
  }
  rows.flush();
}

/** An account index's buckets from the whole store (a file not in chain order): built on this thread. */
function storeBuckets(
  store: MemoryAccountStore,
  bits: BucketBits,
): { ledger: Buckets; tx: Buckets; addresses: number } {
  const { rank, start, length } = store.fileOrder();
  const locs = new Float64Array(rank.length);
  for (let i = 0; i < rank.length; i++) locs[rank[i]!] = recordLoc(start[i]!, length[i]!);
  const names: string[] = [];
  const lists: ArrayLike<number>[] = [];
  store.eachLedger((a, seqs) => {
    names.push(a);
    lists.push(seqs);
  });
  const off = new Float64Array(names.length + 1);
  for (let a = 0; a < names.length; a++) off[a + 1] = off[a]! + lists[a]!.length;
  const seqs = new Uint32Array(off[names.length]!);
  for (let a = 0; a < names.length; a++) seqs.set(lists[a]!, off[a]!);
  const keys = new Float64Array(rank.length);
  store.eachTxHash((seq, bytes, at) => {
    keys[seq] = txBytesKey(bytes, at);
  });
  return {
    ledger: ledgerBuckets(bits.ledgerBits, names.length, (a) => names[a]!, off, seqs, locs),
    tx: txBuckets(bits.txBits, keys, locs),
    addresses: names.length,
  };
}

/** Secondary indexes, built once the rows are in (cheaper than maintaining them per insert). */
const INDEXES = {
  account: 'CREATE INDEX logs_tx ON logs (tx); CREATE INDEX logs_emitter ON logs (emitter);',
  utxo: 'CREATE INDEX txs_txid ON txs (txkey);',
} as const;

/** Rows per INSERT statement: fewer calls across the native boundary (measured: ~2× faster than one row). */
const BATCH = 200;

function insertAll(db: Database.Database, table: string, columns: number, rows: Iterable<unknown[]>): void {
  const tuple = `(${Array.from({ length: columns }, () => '?').join(',')})`;
  const full = db.prepare(
    `INSERT INTO ${table} VALUES ${Array.from({ length: BATCH }, () => tuple).join(',')}`,
  );
  let buf: unknown[] = [];
  for (const row of rows) {
    for (const v of row) buf.push(v);
    if (buf.length === BATCH * columns) {
      full.run(...buf);
      buf = [];
    }
  }
  if (buf.length > 0) {
    const n = buf.length / columns;
    db.prepare(`INSERT INTO ${table} VALUES ${Array.from({ length: n }, () => tuple).join(',')}`).run(...buf);
  }
}

function* rowsOf<T>(items: readonly T[], row: (item: T, i: number) => unknown[]): Generator<unknown[]> {
  for (let i = 0; i < items.length; i++) yield row(items[i]!, i);
}

/** Code-unit order (SQLite compares TEXT bytewise; for the ASCII keys stored here, the same). */
const cmpKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** The dataset view's asset order (src/sources/dataset/view.ts): the dataset's assets, the native one, then any other a transfer names. */
function assetOrder(dataset: Dataset, native: string): string[] {
  const order = new Set(dataset.assets.keys());
  order.add(native);
  for (const t of dataset.transfers) order.add(t.asset);
  return [...order];
}

/**
 * A loaded dataset's transfers (chain order) as pieces of their encoded records (payload "record"),
 * each followed by a newline; their ledgers and tx keys; the logs as rows.
 */
function writeAccount(
  db: Database.Database,
  dataset: Dataset,
): { addresses: number; ledgerBits: number; txBits: number } {
  const trs = inOrder(dataset.transfers, compareTransfers);
  const locs = new Float64Array(trs.length);
  const keys = new Float64Array(trs.length);
  const rows = new BlobRows(db, 'pieces');
  // The records one a line, as if in a file: each piece keyed by its offset in it.
  let at = 0;
  let pieceAt = 0;
  let parts: string[] = [];
  let used = 0;
  const close = () => {
    if (parts.length > 0) rows.add(pieceAt, Buffer.from(parts.join('\n'), 'utf8'));
    pieceAt = at;
    parts = [];
    used = 0;
  };
  // Encoded as they go in: the payloads are never all held at once.
  for (let seq = 0; seq < trs.length; seq++) {
    const t = trs[seq]!;
    const key = txTextKey(t.tx);
    if (key === undefined) throw new Error(`transfer ${t.tx}: not a transaction hash`); // the load checked it
    keys[seq] = key;
    const line = encodeRecord(t);
    const length = Buffer.byteLength(line, 'utf8');
    if (used + length > PIECE_BYTES) close();
    locs[seq] = recordLoc(at, length);
    parts.push(line);
    used += length + 1;
    at += length + 1;
    if (length > PIECE_BYTES) close(); // alone (its newline is not stored)
  }
  close();
  rows.flush();
  tooBig('its records', at);
  // Address ids of each side, in chain order: the loader's (hints) when the file was in chain
  // order, else assigned here.
  const hints = trs === dataset.transfers ? indexHints(dataset) : undefined;
  let addresses: readonly string[];
  let from: Int32Array;
  let to: Int32Array;
  if (hints?.from && hints.to) {
    ({ addresses, from, to } = hints as Required<typeof hints>);
  } else {
    const assign = new IdAssigner();
    from = new Int32Array(trs.length);
    to = new Int32Array(trs.length);
    trs.forEach((t, i) => {
      from[i] = assign.id(t.from);
      to[i] = t.to === null ? -1 : assign.id(t.to);
    });
    addresses = assign.list;
  }
  const { off, seqs } = sideLedgers(addresses.length, from, to, 0, from.length);
  const ledgerBits = bucketBits(addresses.length, 8);
  const txBits = bucketBits(trs.length, 32);
  writeBuckets(db, 'ledger', [
    ledgerBuckets(ledgerBits, addresses.length, (a) => addresses[a]!, off, seqs, locs),
  ]);
  writeBuckets(db, 'txs', [txBuckets(txBits, keys, locs)]);
  // Logs in chain order (seq); a tx's logs are read back by seq, i.e. in index order (as the dataset view).
  const logs: readonly TxLog[] = (dataset.logs ?? [])
    .slice()
    .sort((a, b) => compareOrder(a, a.tx, a.index, b, b.tx, b.index));
  insertAll(
    db,
    'logs',
    4,
    rowsOf(logs, (log, seq) => [
      seq,
      log.tx,
      emitterKey(log.address, log.topics[0] ?? ''),
      JSON.stringify(log),
    ]),
  );
  let addressCount = 0;
  for (let a = 0; a < addresses.length; a++) if (off[a + 1]! > off[a]!) addressCount++;
  return { addresses: addressCount, ledgerBits, txBits };
}

function writeUtxo(db: Database.Database, dataset: Dataset): number {
  const sorted = inOrder(dataset.transactions, compareTxs);
  // The dataset view answers with a txid's first occurrence, and an output's first spender, in chain order.
  const first = new Set<string>();
  const txs: { tx: UtxoTx; seq: number }[] = [];
  sorted.forEach((tx, seq) => {
    if (first.has(tx.txid)) return;
    first.add(tx.txid);
    txs.push({ tx, seq });
  });
  insertAll(
    db,
    'txs',
    3,
    rowsOf(txs, ({ tx, seq }) => [seq, txKey(tx.txid), encodeRecord(tx)]),
  );
  const touching = new Map<string, number[]>();
  const spends = new Map<string, [number, string, number][]>();
  const touch = (addr: string | null, seq: number) => {
    if (addr === null) return;
    const l = touching.get(addr);
    if (!l) touching.set(addr, [seq]);
    else if (l[l.length - 1] !== seq) l.push(seq); // once per transaction: seqs only grow
  };
  for (const { tx, seq } of txs) {
    for (const x of tx.inputs) touch(x.address, seq);
    for (const x of tx.outputs) touch(x.address, seq);
    for (let j = 0; j < tx.inputs.length; j++) {
      const input = tx.inputs[j]!;
      push(spends, input.txid, [input.vout, tx.txid, j]);
    }
  }
  // WITHOUT ROWID rows go in in key order: each lands at the end of its B-tree.
  insertAll(
    db,
    'addr_txs',
    2,
    [...touching.keys()].sort(cmpKey).map((addr) => [addr, seqList(touching.get(addr)!)]),
  );
  insertAll(
    db,
    'spends',
    2,
    [...spends.keys()].sort(cmpKey).map((txid) => {
      // By vout; of two spenders of one output the first in chain order (a stable sort keeps it first).
      const all = spends.get(txid)!.sort((a, b) => a[0] - b[0]);
      return [txid, JSON.stringify(all.filter((s, k) => k === 0 || all[k - 1]![0] !== s[0]))];
    }),
  );
  return touching.size;
}
