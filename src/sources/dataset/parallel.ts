// The parallel load of a JSON Lines account dataset (issue 16, the first-run path).
//
// The sequential reader (read.ts) parses, checks and keeps every record as an object on one thread:
// on a million transfers that is parsing, a million address lookups, a million objects and their
// garbage collection, before a trace that may visit a few dozen of them. Here the file is split at
// line boundaries and streamed (nothing of it is kept); worker threads check their chunks with the same
// per-record rules (./chunk.ts) and hand back compact columns; this thread runs the cross-record
// rules over the columns (transfers of a tx agree, (tx, index) unique, no two txs at one block
// position: builder.ts's checkAccount), then serves the trace from the columns, parsing a record's
// line again only when the trace reads it (through the index view, src/sources/index/view.ts, whose
// answers equal the dataset view's record for record).
//
// Only the fast path is handled here: a file with any problem, a transaction or log record, or
// anything else out of the ordinary answers `undefined`, and the caller reads it sequentially,
// which reports every problem exactly as before. So the result of a valid file is the same, and an
// invalid one is refused with the same messages, only later.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { FundtraceError } from '../../core/errors.js';
import {
  type AssetInfo,
  compareLabelFields,
  type Label,
  type Transfer,
  type TxLog,
} from '../../core/model.js';
import { type AccountStore, IndexAccountView, type IndexMeta } from '../index/view.js';
import { DatasetBuilder, labelRowKey, type RawHeader } from './builder.js';
import {
  bytesOf,
  type ChunkBuckets,
  type ChunkResult,
  checkChunk,
  type Edge,
  NewlineSum,
  SPAN,
  txBytes,
} from './chunk.js';
import { allocColumns, moveRecords, type SharedColumns, sharedViews, viewsAt } from './columns.js';
import { StringIds, sideLedgers } from './hints.js';
import { LineConverter } from './line.js';
import {
  type FileStat,
  loadMode,
  MIN_BYTES,
  type PlanOptions,
  planLoad,
  runChunks,
  takeEarly,
} from './pool.js';
import { datasetFormOf } from './read.js';
import { isPlainValidHeader, validators } from './schema.js';

/** Is the file the one a load checked? */
export const sameFile = (a: FileStat, b: FileStat): boolean =>
  a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;

/**
 * ./pool.ts PlanOptions (an index build's `buckets` are chosen before the file is read:
 * indexBucketBits, from its size), and:
 */
export interface ParallelOptions extends PlanOptions {
  /** Called once the workers are started (an index build then copies the file meanwhile). */
  started?: () => void;
}

export interface ParallelDataset {
  chain: string;
  view: IndexAccountView;
  labels: Label[];
  description?: string;
  head?: { height: number; time?: string };
  notes: string[];
  /** How it was read (`--verbose`). */
  workers: number;
  /** Whether they were started early (./pool.ts), before the load was asked for. */
  early: boolean;
  records: number;
  /** The columns the view reads from, and the header line (an index build writes from them). */
  store: MemoryAccountStore;
  /** The file as it was when the load began, and where its newlines were (NewlineSum). */
  stat: FileStat;
  newlines: NewlineSum;
  header: RawHeader;
  meta: IndexMeta;
}

/** Would loadParallelIf try this file (of `size` bytes)? It may still answer undefined (then read it sequentially). */
export function parallelMayTake(file: string, env: NodeJS.ProcessEnv, size: number): boolean {
  const mode = loadMode(env);
  if (mode === 'sequential' || datasetFormOf(file) !== 'jsonl') return false;
  return mode === 'parallel' || size >= MIN_BYTES;
}

/** loadParallel for a JSON Lines file when FUNDTRACE_LOAD allows it; undefined: read it sequentially. */
export async function loadParallelIf(
  file: string,
  env: NodeJS.ProcessEnv,
  opts: Pick<ParallelOptions, 'buckets' | 'started'> = {},
): Promise<ParallelDataset | undefined> {
  const mode = loadMode(env);
  if (mode === 'sequential' || datasetFormOf(file) !== 'jsonl') return undefined;
  return loadParallel(file, mode === 'parallel' ? { ...opts, minBytes: 0 } : opts);
}

/** The dataset, or undefined when the file is not for this path (the caller reads it sequentially). */
export async function loadParallel(
  path: string,
  opts: ParallelOptions = {},
): Promise<ParallelDataset | undefined> {
  // The load the CLI started before it loaded the command, when it is this one (./pool.ts).
  const taken = await takeEarly(path, opts);
  const plan = taken?.plan ?? (await planLoad(path, opts));
  if (!plan) return undefined;
  const { stat, headerBytes, nl, header, chain, inputs } = plan;
  /** The header's schema and rules, as the sequential reader checks them. */
  const headerValid = async (): Promise<boolean> => {
    if (!isPlainValidHeader(header) && !(await validators()).header(header)) return false;
    const hb = new DatasetBuilder('jsonl');
    hb.setHeader(header, new Set(), 1);
    return hb.problemCount === 0;
  };

  let results: ChunkResult[];
  try {
    if (opts.workers === 0) {
      if (!(await headerValid())) return undefined;
      opts.started?.();
      results = await Promise.all(inputs.map(checkChunk));
    } else {
      // The workers start first: the header is checked here meanwhile (with the compiled schema,
      // ~0.15 s, only when the plain check does not take it).
      const running = taken?.running ?? runChunks(inputs);
      opts.started?.();
      if (!(await headerValid())) {
        running.stop();
        await running.done.catch(() => undefined);
        return undefined;
      }
      results = await running.done;
    }
  } catch {
    return undefined; // a worker that could not start or stopped: the sequential reader still can
  }
  const parts = results.filter((r): r is Extract<ChunkResult, { ok: true }> => r.ok);
  if (parts.length !== results.length) return undefined;
  // A file written to while it was read: a chunk checked bytes beyond its range that the file
  // no longer holds (they are read again here).
  if (
    !(await sameBytes(
      path,
      parts.flatMap((p) => p.edges),
    ))
  )
    return undefined;
  const sh = inputs[0]?.shared;
  const store = MemoryAccountStore.merge(
    { path, stat },
    parts,
    header,
    chain.addressFormat === 'tron',
    sh ? { columns: sh.columns, at: inputs.map((i) => i.shared?.at ?? -1) } : undefined,
  );
  if (!store) return undefined;

  // Assets: the native one, then every other key in code-unit order (builder.ts's finish()).
  const assets = new Map<string, AssetInfo>();
  for (const p of parts) for (const [k, info] of p.assets) if (!assets.has(k)) assets.set(k, info);
  const native = assets.get(chain.native.symbol) ?? {
    symbol: chain.native.symbol,
    decimals: chain.native.decimals,
  };
  const order = [chain.native.symbol, ...[...assets.keys()].filter((k) => k !== chain.native.symbol).sort()];
  const ordered = new Map<string, AssetInfo>(
    order.map((k) => [k, k === chain.native.symbol ? native : assets.get(k)!]),
  );
  const labels = mergeLabels(parts);
  if (!labels) return undefined;
  const meta: IndexMeta = { chain: chain.name, native, assets: ordered, assetOrder: order, logs: false };
  const head = header.head
    ? header.head.time === undefined
      ? { height: header.head.height }
      : { ...header.head }
    : undefined;
  if (head) meta.head = head;
  const notes = [...new Set(parts.flatMap((p) => p.notes))].sort();
  return {
    chain: chain.name,
    view: new IndexAccountView(store, meta),
    labels,
    ...(typeof header.description === 'string' ? { description: header.description } : {}),
    ...(head ? { head } : {}),
    notes,
    workers: opts.workers === 0 ? 0 : inputs.length,
    early: taken !== undefined,
    records: store.size,
    stat,
    newlines: parts.reduce(
      (sum, p) => sum.plus(p.newlines),
      // The header line's newline (the chunks start after it).
      (() => {
        const h = new NewlineSum();
        if (nl < headerBytes.length) h.add(nl);
        return h;
      })(),
    ),
    store,
    header,
    meta,
  };
}

/**
 * Does a checked line read into `buf` (`held` bytes) stop at `end` as the check found it: at a
 * newline, perhaps after a carriage return, or at the end of the file (`atEof`: `held` is all of it)?
 */
export function endsLine(buf: Uint8Array, end: number, held: number, atEof: boolean): boolean {
  const eof = (i: number) => i === held && atEof;
  return eof(end) || buf[end] === 10 || (buf[end] === 13 && (eof(end + 1) || buf[end + 1] === 10));
}

/** Does the file hold each edge's bytes at its offset? */
async function sameBytes(path: string, edges: readonly Edge[]): Promise<boolean> {
  if (edges.length === 0) return true;
  const fh = await open(path, 'r');
  try {
    for (const e of edges) {
      const now = Buffer.alloc(e.bytes.length);
      const { bytesRead } = await fh.read(now, 0, now.length, e.at);
      if (bytesRead !== now.length || !now.equals(e.bytes)) return false;
    }
    return true;
  } finally {
    await fh.close();
  }
}

/** Labels of every chunk in file order: a repeated row is a problem (builder.ts), else sorted. */
function mergeLabels(parts: readonly { labels: readonly Label[] }[]): Label[] | undefined {
  const seen = new Set<string>();
  const out: Label[] = [];
  for (const p of parts) {
    for (const l of p.labels) {
      const key = labelRowKey(l);
      if (seen.has(key)) return undefined;
      seen.add(key);
      out.push(l);
    }
  }
  return out.sort(compareLabelFields);
}

/** One chunk's addresses (open addressing on their FNV hashes, built by the worker) and ledgers. */
class PartLedgers {
  private textCache: string | undefined;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly ends: Uint32Array,
    private readonly hashes: Int32Array,
    private readonly slots: Int32Array,
    private readonly off: Uint32Array,
    private readonly seqs: Uint32Array,
  ) {}

  get count(): number {
    return this.ends.length;
  }

  /** The addresses joined by newlines (ASCII: the worker checked), decoded when first needed. */
  private get text(): string {
    this.textCache ??= bytesOf(this.bytes).toString('latin1');
    return this.textCache;
  }

  /** The address of id. */
  address(id: number): string {
    return this.text.slice(id === 0 ? 0 : this.ends[id - 1]! + 1, this.ends[id]!);
  }

  /** StringIds.hash of address id. */
  hashOf(id: number): number {
    return this.hashes[id]!;
  }

  /** The seqs of address id's ledger in this chunk (ascending). */
  own(id: number): Uint32Array {
    return this.seqs.subarray(this.off[id]!, this.off[id + 1]!);
  }

  /** The seqs of an address's ledger in this chunk (ascending), or undefined. */
  ledger(address: string, h: number): Uint32Array | undefined {
    const id = this.idOf(address, h);
    return id < 0 ? undefined : this.seqs.subarray(this.off[id]!, this.off[id + 1]!);
  }

  /** Does address id have records in this chunk? */
  has(id: number): boolean {
    return this.off[id + 1]! > this.off[id]!;
  }

  /** Does an address have records in this chunk? */
  holds(address: string, h: number): boolean {
    const id = this.idOf(address, h);
    return id >= 0 && this.has(id);
  }

  /** The id of an address (h its StringIds.hash), or −1. */
  private idOf(address: string, h: number): number {
    const mask = this.slots.length - 1;
    for (let s = h & mask; this.slots[s] !== 0; s = (s + 1) & mask) {
      const id = this.slots[s]! - 1;
      if (this.hashes[id] !== h) continue;
      const start = id === 0 ? 0 : this.ends[id - 1]! + 1;
      if (this.ends[id]! - start === address.length && this.text.startsWith(address, start)) return id;
    }
    return -1;
  }
}

/**
 * The chunks' sorted tx keys as the file's: shifted by each chunk's first record (which keeps each
 * chunk's order) and merged.
 */
function mergeTxKeys(parts: readonly { txKeys: Float64Array }[], partStart: readonly number[]): Float64Array {
  const lists = parts.map((p, q) => {
    const k = p.txKeys;
    const lo = partStart[q]!;
    if (lo > 0) for (let i = 0; i < k.length; i++) k[i]! += lo;
    return k;
  });
  return lists.length === 0 ? new Float64Array(0) : lists.reduce(mergeAscending);
}

/** Two ascending lists as one (tx keys, or one address's seqs from two chunks). */
function mergeAscending<T extends Float64Array | Uint32Array>(a: T, b: T): T {
  const out = (
    a instanceof Float64Array ? new Float64Array(a.length + b.length) : new Uint32Array(a.length + b.length)
  ) as T;
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** 32-byte compare of two records' tx hashes. */
function txCompare(tx: Uint8Array, a: number, b: number): number {
  const pa = a * 32;
  const pb = b * 32;
  for (let j = 0; j < 32; j++) {
    const d = tx[pa + j]! - tx[pb + j]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The file's transfers as columns, in chain order (seq), with each address's ledger: the records of
 * an account dataset, read back from their lines when a trace asks for them.
 */
export class MemoryAccountStore implements AccountStore {
  lookups = 0;
  records = 0;
  private readonly convert: LineConverter;

  private constructor(
    /** Where to read the records' lines: the file as it was when checked. */
    private readonly file: { path: string; stat: FileStat },
    private readonly c: {
      start: Float64Array;
      length: Uint32Array;
      tx: Uint8Array;
      /** seq → record (file order) and back. */
      perm: Uint32Array;
      rank: Uint32Array;
      /** Packed (tx prefix, record) keys, sorted. */
      txKeys: Float64Array;
      /** Per chunk: its addresses, and each one's ledger (seqs, ascending). */
      parts: PartLedgers[];
      /** Per chunk, in file order: its index buckets, when asked for (ParallelOptions.buckets). */
      buckets: ChunkBuckets[];
    },
    header: RawHeader,
    private readonly tron: boolean,
  ) {
    // Records are converted exactly as the sequential load converts them (they were checked already).
    this.convert = new LineConverter(header);
  }

  get size(): number {
    return this.c.perm.length;
  }

  /** Merge the chunks and run the cross-record rules; undefined when one is broken. */
  static merge(
    file: { path: string; stat: FileStat },
    parts: readonly Extract<ChunkResult, { ok: true }>[],
    header: RawHeader,
    tron: boolean,
    /** The load's shared columns and each chunk's place in them (ChunkInput.shared), if it had them. */
    shared?: { columns: SharedColumns; at: readonly number[] },
  ): MemoryAccountStore | undefined {
    let n = 0;
    for (const p of parts) n += p.columns.n;
    // Where each chunk's records are in the shared columns (ChunkInput.shared), when every chunk
    // wrote all of its own there, in file order: they are moved together in place, each chunk down
    // to where the one before it ends (a copy within pages already written). Else (a chunk outgrew
    // its place, or there are no shared columns) all are copied into fresh columns: for a million
    // records ~20 000 page faults more, ~0.15 s of a 3 s first run on the benchmark machine.
    const inPlace = shared && parts.every((p, q) => viewsAt(p.columns, shared.columns, shared.at[q]!));
    // Each column n records long: the front of the shared one, or a fresh one.
    const { start, length, from, to, height, position, index, time, tx } = inPlace
      ? sharedViews(shared.columns, 0, n)
      : allocColumns(n);
    const timeId = new Map<string, number>();
    // Address ids stay per chunk (a global table of every address cost more than the rest of the
    // merge): a ledger is the union of the chunks' ledgers of that address, merged when read.
    const partStart: number[] = [];
    let at = 0;
    for (const [q, p] of parts.entries()) {
      const c = p.columns;
      partStart.push(at);
      const tid = p.times.map((t) => {
        let g = timeId.get(t);
        if (g === undefined) {
          g = timeId.size;
          timeId.set(t, g);
        }
        return g;
      });
      const own = tid.every((g, i) => g === i); // the first chunk's times keep their ids
      if (inPlace) {
        // Down (a chunk's place is past every record before it, each chunk having kept to its own).
        const was = shared.at[q]!;
        if (was !== at) moveRecords(shared.columns, was, at, c.n);
        if (!own) for (let j = at; j < at + c.n; j++) time[j] = time[j]! < 0 ? -1 : tid[time[j]!]!;
        at += c.n;
        continue;
      }
      start.set(c.start.subarray(0, c.n), at);
      length.set(c.length.subarray(0, c.n), at);
      height.set(c.height.subarray(0, c.n), at);
      position.set(c.position.subarray(0, c.n), at);
      index.set(c.index.subarray(0, c.n), at);
      tx.set(c.tx.subarray(0, c.n * 32), at * 32);
      from.set(c.from.subarray(0, c.n), at);
      to.set(c.to.subarray(0, c.n), at);
      if (own) time.set(c.time.subarray(0, c.n), at);
      else for (let j = 0; j < c.n; j++) time[at + j] = c.time[j]! < 0 ? -1 : tid[c.time[j]!]!;
      at += c.n;
    }
    if (n >= SPAN) return undefined;

    // Transfers of one tx agree on height, position and time; (tx, index) is unique.
    const txKeys = mergeTxKeys(parts, partStart);
    for (let g = 0; g < n; ) {
      const p = Math.floor(txKeys[g]! / SPAN);
      let e = g + 1;
      while (e < n && Math.floor(txKeys[e]! / SPAN) === p) e++;
      // Two records with one prefix (most groups): the same tx or not, no sorting needed.
      if (e - g === 2) {
        const a = txKeys[g]! % SPAN;
        const b = txKeys[g + 1]! % SPAN;
        if (txCompare(tx, a, b) === 0) {
          if (index[a] === index[b]) return undefined;
          if (height[a] !== height[b] || position[a] !== position[b] || time[a] !== time[b]) return undefined;
        }
      } else if (e - g > 2) {
        const idx: number[] = [];
        for (let k = g; k < e; k++) idx.push(txKeys[k]! % SPAN);
        idx.sort((a, b) => txCompare(tx, a, b) || index[a]! - index[b]!);
        for (let k = 1; k < idx.length; k++) {
          const a = idx[k - 1]!;
          const b = idx[k]!;
          if (txCompare(tx, a, b) !== 0) continue;
          if (index[a] === index[b]) return undefined;
          if (height[a] !== height[b] || position[a] !== position[b] || time[a] !== time[b]) return undefined;
        }
      }
      g = e;
    }

    // Chain order: height (unconfirmed last), position (none first), tx, index (model.ts compareOrder).
    const cmp = (a: number, b: number): number => {
      const ha = height[a]! < 0 ? Number.POSITIVE_INFINITY : height[a]!;
      const hb = height[b]! < 0 ? Number.POSITIVE_INFINITY : height[b]!;
      if (ha !== hb) return ha < hb ? -1 : 1;
      if (position[a] !== position[b]) return position[a]! < position[b]! ? -1 : 1;
      return txCompare(tx, a, b) || index[a]! - index[b]!;
    };
    const perm = new Uint32Array(n);
    let sorted = true;
    for (let i = 0; i < n; i++) {
      perm[i] = i;
      if (i > 0 && sorted && cmp(i - 1, i) > 0) sorted = false;
    }
    if (!sorted) perm.sort(cmp);
    // Two transactions may not claim one block position.
    for (let k = 1; k < n; k++) {
      const a = perm[k - 1]!;
      const b = perm[k]!;
      if (height[b]! >= 0 && position[b]! >= 0 && height[a] === height[b] && position[a] === position[b]) {
        if (txCompare(tx, a, b) !== 0) return undefined;
      }
    }
    const rank = new Uint32Array(n);
    for (let k = 0; k < n; k++) rank[perm[k]!] = k;

    // Ledgers per chunk: one entry per side of a transfer (from, and to when another address), in seq
    // order. A file in chain order has them from its chunks (seq = record: only shifted by the chunk's start).
    const partLedgers = parts.map((p, q) => {
      const lo = partStart[q]!;
      const shared = [p.addressBytes, p.addressEnds, p.addressHashes, p.addressSlots] as const;
      if (sorted) {
        const seqs = p.ledgerSeqs;
        if (lo > 0) for (let k = 0; k < seqs.length; k++) seqs[k]! += lo;
        return new PartLedgers(...shared, p.ledgerOff, seqs);
      }
      const l = sideLedgers(p.addressEnds.length, from, to, lo, lo + p.columns.n, perm);
      return new PartLedgers(...shared, l.off, l.seqs);
    });
    const buckets = parts.flatMap((p) => (p.buckets ? [p.buckets] : []));
    return new MemoryAccountStore(
      file,
      { start, length, tx, perm, rank, txKeys, parts: partLedgers, buckets },
      header,
      tron,
    );
  }

  /** A record's line converted as the sequential load converts it. */
  private convertLine(line: string): Transfer {
    const t = this.convert.convert(line);
    if (!t) throw new Error('a checked record did not convert'); // cannot happen: it converted in the worker
    return t;
  }

  /** Where the record at seq is in the file: its line's byte offset and length. */
  span(seq: number): [number, number] {
    const i = this.c.perm[seq]!;
    return [this.c.start[i]!, this.c.length[i]!];
  }

  /** The line of the record at seq (checked: it converts). */
  line(seq: number): string {
    return this.lines([seq])[0]!;
  }

  /**
   * The lines of the records at these seqs, read from the file by offset, each checked to end where
   * the check found it, the file first checked to be the one loaded (size, modification time,
   * inode): a file changed since is a one-line error, never other data.
   */
  lines(seqs: ArrayLike<number>): string[] {
    const out: string[] = [];
    const file = this.file;
    const changed = () =>
      new FundtraceError(
        'BAD_INPUT',
        `dataset ${JSON.stringify(file.path)} changed since it was loaded: trace it again`,
      );
    let fd: number;
    try {
      fd = openSync(file.path, 'r');
    } catch {
      throw changed();
    }
    try {
      const st = fstatSync(fd);
      const was = file.stat;
      if (!sameFile(st, was)) throw changed();
      let buf = this.readBuf;
      for (let k = 0; k < seqs.length; k++) {
        const [s, length] = this.span(seqs[k]!);
        if (length + 2 > buf.length) buf = this.readBuf = Buffer.alloc(2 * (length + 2));
        const want = Math.min(length + 2, was.size - s);
        if (want < length || readSync(fd, buf, 0, want, s) !== want) throw changed();
        if (!endsLine(buf, length, want, s + want === was.size)) throw changed();
        out.push(buf.toString('utf8', 0, length));
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }
  private readBuf = Buffer.alloc(1 << 12);

  /** Is the file in chain order (each record's seq its place in the file)? */
  inChainOrder(): boolean {
    const { rank } = this.c;
    for (let i = 0; i < rank.length; i++) if (rank[i] !== i) return false;
    return true;
  }

  /** Every record in file order: its seq, and its line's byte offset and length. */
  *inFileOrder(): Generator<[seq: number, start: number, length: number]> {
    const { start, length, rank } = this.c;
    for (let i = 0; i < rank.length; i++) yield [rank[i]!, start[i]!, length[i]!];
  }

  /** The file-order columns: record i (in file order) has seq rank[i] and its line at start[i], length[i] bytes. */
  fileOrder(): { readonly rank: Uint32Array; readonly start: Float64Array; readonly length: Uint32Array } {
    return { rank: this.c.rank, start: this.c.start, length: this.c.length };
  }

  /**
   * The index buckets the workers wrote, one set per chunk in file order, when asked for and the
   * file is in chain order (so each chunk's are in chain order, and chunk after chunk too).
   */
  chunkBuckets(): readonly ChunkBuckets[] | undefined {
    const b = this.c.buckets;
    return b.length === this.c.parts.length && b.length > 0 && this.inChainOrder() ? b : undefined;
  }

  /** `f(seq, bytes, at)` for every record in chain order: its tx hash is bytes[at, at + 32). */
  eachTxHash(f: (seq: number, bytes: Uint8Array, at: number) => void): void {
    const { perm, tx } = this.c;
    for (let seq = 0; seq < perm.length; seq++) f(seq, tx, perm[seq]! * 32);
  }

  /** The tx hash of the record at seq, as its Transfer has it (lowercase; 0x on EVM chains). */
  txOf(seq: number): string {
    const i = this.c.perm[seq]!;
    const hex = Buffer.from(this.c.tx.buffer, this.c.tx.byteOffset + i * 32, 32).toString('hex');
    return this.tron ? hex : `0x${hex}`;
  }

  /** Every address with a ledger, in code-unit order, and its ledger's seqs (ascending). */
  *ledgers(): Generator<[string, ArrayLike<number>]> {
    const all: [string, ArrayLike<number>][] = [];
    this.eachLedger((a, seqs) => all.push([a, seqs]));
    yield* all.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  }

  /** Addresses with a ledger (as many as eachLedger calls back for), without merging their lists. */
  addressCount(): number {
    let n = 0;
    this.eachAddress((q, id, a, h) => {
      const parts = this.c.parts;
      let held = parts[q]!.has(id);
      for (let r = q + 1; r < parts.length && !held; r++) held = parts[r]!.holds(a, h);
      if (held) n++;
    });
    return n;
  }

  /**
   * `f(address, seqs)` for every address with a ledger, once, in no particular order (its seqs
   * ascending): an address of several chunks when its first chunk is reached, its lists merged.
   */
  eachLedger(f: (address: string, seqs: ArrayLike<number>) => void): void {
    const parts = this.c.parts;
    this.eachAddress((q, id, a, h) => {
      let seqs: Uint32Array = parts[q]!.own(id);
      for (let r = q + 1; r < parts.length; r++) {
        const l = parts[r]!.ledger(a, h);
        if (l && l.length > 0) seqs = seqs.length === 0 ? l : mergeAscending(seqs, l);
      }
      if (seqs.length > 0) f(a, seqs);
    });
  }

  /** `f(chunk, id, address, hash)` once for each distinct address: at the first chunk that names it. */
  private eachAddress(f: (q: number, id: number, address: string, h: number) => void): void {
    const parts = this.c.parts;
    for (let q = 0; q < parts.length; q++) {
      const p = parts[q]!;
      for (let id = 0; id < p.count; id++) {
        const a = p.address(id);
        const h = p.hashOf(id);
        let seen = false;
        for (let r = 0; r < q && !seen; r++) seen = parts[r]!.ledger(a, h) !== undefined;
        if (!seen) f(q, id, a, h);
      }
    }
  }

  private ledgerSeqs(address: string): ArrayLike<number> {
    const h = StringIds.hash(address);
    const lists: Uint32Array[] = [];
    for (const p of this.c.parts) {
      const l = p.ledger(address, h);
      if (l && l.length > 0) lists.push(l);
    }
    if (lists.length <= 1) return lists[0] ?? [];
    return lists.reduce(mergeAscending); // seqs are distinct: one record lies in one chunk
  }

  private txSeqs(key: string): number[] {
    // Stored hashes are lowercase, in the chain's form (0x on EVM chains, none on TRON).
    const form = this.tron ? /^[0-9a-f]{64}$/ : /^0x[0-9a-f]{64}$/;
    if (!form.test(key)) return [];
    const want = new Uint8Array(32);
    txBytes(key, want, 0);
    const prefix = (want[0]! << 16) | (want[1]! << 8) | want[2]!;
    const keys = this.c.txKeys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < prefix * SPAN) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    const tx = this.c.tx;
    for (let k = lo; k < keys.length && Math.floor(keys[k]! / SPAN) === prefix; k++) {
      const i = keys[k]! % SPAN;
      let same = true;
      for (let j = 0; j < 32 && same; j++) same = tx[i * 32 + j] === want[j];
      if (same) out.push(this.c.rank[i]!);
    }
    return out.sort((a, b) => a - b);
  }

  transfers(query: 'ledger' | 'tx', key: string): Transfer[] {
    const seqs = query === 'ledger' ? this.ledgerSeqs(key) : this.txSeqs(key);
    this.lookups++;
    this.records += seqs.length;
    return this.lines(seqs).map((line) => this.convertLine(line));
  }

  logs(_query: 'logs' | 'emitted', _key: string): TxLog[] {
    return []; // a file with log records is read sequentially
  }
}
