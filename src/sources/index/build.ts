// `fundtrace dataset index FILE --out DB`: load the dataset exactly as a trace would (same
// validation, same refusal of an invalid file), then write it into a new SQLite file (format in
// ./format.ts). The file is written under a temporary name and renamed when complete, so an
// interrupted build leaves no half-written index behind.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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
import { indexHints, sideLedgers } from '../dataset/hints.js';
import { loadDataset } from '../dataset/index.js';
import { endsLine, loadParallelIf, type MemoryAccountStore } from '../dataset/parallel.js';
import { IdAssigner, inOrder } from '../dataset/view.js';
import { emitterKey, encodeRecord, fileSha256, INDEX_FORMAT, SCHEMA, seqList, txKey } from './format.js';

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
 * converted. `env`: FUNDTRACE_LOAD, as for a trace (src/sources/dataset/parallel.ts, loadMode).
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
  // Checked in parallel, keeping no bytes: the lines are then copied from the file, which is hashed
  // on that same read (so the hash is of the very bytes stored).
  const p = loaded ? undefined : await loadParallelIf(source, env);
  if (p) {
    let addresses = 0;
    let sha256 = '';
    await writeIndex(outPath, SCHEMA.account, INDEXES.account, progress, (db) => {
      const copied = writeLines(db, p.store, source, st, progress);
      sha256 = copied.sha256;
      addresses = writeLedgers(db, p.store, progress);
      const stored = { path: recorded, bytes: st.size, mtimeMs: Math.trunc(st.mtimeMs), sha256 };
      writeMeta(db, {
        chain: p.chain,
        source: stored,
        name: typeof p.header.name === 'string' ? p.header.name : null,
        description: p.description ?? null,
        head: p.head ?? null,
        assets: [...p.meta.assets],
        assetOrder: p.meta.assetOrder,
        logs: false,
        payload: 'line',
        header: p.header,
      });
      writeLabels(db, p.labels);
    });
    return { chain: p.chain, records: p.records, addresses, bytes: (await stat(outPath)).size, sha256 };
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
    });
    writeLabels(db, dataset.labels);
    addresses = chain.kind === 'account' ? writeAccount(db, dataset) : writeUtxo(db, dataset);
  });
  const records = chain.kind === 'account' ? dataset.transfers.length : dataset.transactions.length;
  return { chain: chain.name, records, addresses, bytes: (await stat(outPath)).size, sha256: stored.sha256 };
}

/**
 * A new index file: its tables, the rows `fill` writes, then the secondary indexes. Written under a
 * temporary name and renamed when complete, so an interrupted build leaves nothing half-written.
 */
async function writeIndex(
  outPath: string,
  schema: string,
  indexes: string,
  progress: (text: string) => void,
  fill: (db: Database.Database) => void,
): Promise<void> {
  const tmp = `${outPath}.partial-${process.pid}`;
  await rm(tmp, { force: true });
  const db = new Database(tmp);
  try {
    // A temporary file renamed only when complete needs no journal and no fsync per commit.
    db.exec('PRAGMA page_size = 8192; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;');
    db.exec('BEGIN');
    db.exec(schema);
    fill(db);
    progress('indexing the transaction hashes');
    db.exec(indexes);
    db.exec('COMMIT');
    db.close();
  } catch (e) {
    if (db.open) db.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await rename(tmp, outPath);
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

/** Bytes read from the dataset at a time while its lines are copied. */
const COPY_PIECE = 8 << 20;

/**
 * Each record of a streamed parallel load stored as its line (payload "line"). One sequential read
 * of the file hashes every byte and checks that each checked line still ends where the check found
 * it; a file in chain order (the usual export) is stored from that same read. Another order is
 * stored by reading each line again by its offset, in chain order: inserting rows out of key order
 * made the 1M-transfer build ~30 % slower and its file ~10 % bigger. The file must be as it was when
 * checked (size, modification time, inode), before and after.
 */
export function writeLines(
  db: Database.Database,
  store: MemoryAccountStore,
  path: string,
  before: { size: number; mtimeMs: number; ino: number },
  progress: (text: string) => void = () => {},
): { sha256: string } {
  const changed = () =>
    new FundtraceError(
      'BAD_INPUT',
      `dataset ${JSON.stringify(path)} changed while it was indexed; run the build again once nothing writes to it`,
    );
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw changed(); // removed or made unreadable since it was checked
  }
  try {
    const ordered = store.inChainOrder();
    const n = store.size;
    let stored = 0;
    const row = (seq: number, line: string) => {
      if ((++stored & 0x3fff) === 0) progress(`storing records: ${stored} of ${n}`);
      return [seq, txKey(store.txOf(seq)), line];
    };
    let sha256 = '';
    const fileOrder = (function* () {
      sha256 = yield* checkedLines(fd, store, before.size, changed, ordered ? row : undefined);
    })();
    if (ordered) insertAll(db, 'transfers', 3, fileOrder);
    else {
      progress('reading the file (not in chain order)');
      for (const _ of fileOrder); // hashes and checks the file; yields nothing
      insertAll(db, 'transfers', 3, byOffset(store, changed, row));
    }
    const now = fstatSync(fd);
    if (now.size !== before.size || now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) throw changed();
    return { sha256 };
  } finally {
    closeSync(fd);
  }
}

/**
 * The file read once from start to end, every byte hashed in order (the SHA-256 is returned), each
 * record's line checked to end where the check found it, and `row(seq, line)` yielded for each
 * when given.
 */
function* checkedLines(
  fd: number,
  store: MemoryAccountStore,
  size: number,
  changed: () => Error,
  row: ((seq: number, line: string) => unknown[]) | undefined,
): Generator<unknown[], string> {
  const hash = createHash('sha256');
  let buf = Buffer.alloc(COPY_PIECE);
  /** File offset of buf[0], and bytes held (every byte read is hashed once, in file order). */
  let at = 0;
  let held = 0;
  const readOn = () => {
    const n = readSync(fd, buf, held, buf.length - held, at + held);
    if (n === 0) return false;
    hash.update(buf.subarray(held, held + n));
    held += n;
    return true;
  };
  for (const [seq, s, length] of store.inFileOrder()) {
    // The line and the two bytes after it (its newline, perhaps after a carriage return).
    while (at + held < s + length + 2) {
      if (held === buf.length) {
        // Full: drop what lies before this line, or grow for a line longer than the buffer.
        const drop = Math.min(held, Math.max(0, s - at));
        if (drop === 0) {
          const grown = Buffer.alloc(buf.length * 2);
          buf.copy(grown, 0, 0, held);
          buf = grown;
        } else {
          buf.copy(buf, 0, drop, held);
          at += drop;
          held -= drop;
        }
      }
      if (!readOn()) {
        if (at + held < s + length) throw changed();
        break;
      }
    }
    const end = s - at + length;
    if (end > held || !endsLine(buf, end, held, at + held === size)) throw changed();
    if (row) yield row(seq, buf.toString('utf8', s - at, end));
  }
  // The rest of the file (labels, blank lines after the last record) is hashed too.
  for (;;) {
    at += held;
    held = 0;
    if (!readOn()) break;
  }
  if (at !== size) throw changed();
  return hash.digest('hex');
}

/**
 * Each record's line read by its offset, in chain order (the file is not), a batch of records at a
 * time: the store reads them as for a trace, checking the file and where each line ends.
 */
function* byOffset(
  store: MemoryAccountStore,
  changed: () => Error,
  row: (seq: number, line: string) => unknown[],
): Generator<unknown[]> {
  const BATCH_LINES = 4096;
  for (let q = 0; q < store.size; q += BATCH_LINES) {
    const seqs = Array.from({ length: Math.min(BATCH_LINES, store.size - q) }, (_, i) => q + i);
    let lines: string[];
    try {
      lines = store.lines(seqs);
    } catch (e) {
      if (e instanceof FundtraceError && e.code === 'BAD_INPUT') throw changed();
      throw e;
    }
    for (let i = 0; i < lines.length; i++) yield row(q + i, lines[i]!);
  }
}

/** Each address's ledger row, from the parallel load's columns. */
function writeLedgers(
  db: Database.Database,
  store: MemoryAccountStore,
  progress: (text: string) => void,
): number {
  let ledgers = 0;
  progress('writing the ledgers');
  insertAll(
    db,
    'ledger',
    2,
    (function* () {
      for (const [addr, seqs] of store.ledgers()) {
        if ((++ledgers & 0x3fff) === 0) progress(`writing the ledgers: ${ledgers} addresses`);
        yield [addr, seqList(seqs)];
      }
    })(),
  );
  return ledgers;
}

/** Secondary indexes, built once the rows are in (cheaper than maintaining them per insert). */
const INDEXES = {
  account:
    'CREATE INDEX transfers_tx ON transfers (txkey); CREATE INDEX logs_tx ON logs (tx); CREATE INDEX logs_emitter ON logs (emitter);',
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

/** Each address's ledger row: the address and its seqs as a JSON array, in key order. */
function* ledgerRows(addresses: readonly string[], from: Int32Array, to: Int32Array): Generator<unknown[]> {
  const { off, seqs } = sideLedgers(addresses.length, from, to, 0, from.length);
  const ids = Array.from({ length: addresses.length }, (_, a) => a).filter((a) => off[a + 1]! > off[a]!);
  ids.sort((a, b) => cmpKey(addresses[a]!, addresses[b]!));
  for (const a of ids) yield [addresses[a]!, seqList(seqs.subarray(off[a]!, off[a + 1]!))];
}

function writeAccount(db: Database.Database, dataset: Dataset): number {
  const trs = inOrder(dataset.transfers, compareTransfers);
  insertAll(
    db,
    'transfers',
    3,
    // Encoded as they go in: the payloads are never all held at once.
    rowsOf(trs, (t, seq) => [seq, txKey(t.tx), encodeRecord(t)]),
  );
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
  let ledgers = 0;
  insertAll(
    db,
    'ledger',
    2,
    (function* () {
      for (const row of ledgerRows(addresses, from, to)) {
        ledgers++;
        yield row;
      }
    })(),
  );
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
  return ledgers;
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
