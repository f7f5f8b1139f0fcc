// One chunk of a JSON Lines account dataset, checked for the parallel load (./parallel.ts): the
// same per-record rules as the sequential reader (read.ts: JSON, repeated keys, schema, then
// DatasetBuilder's conversion and checks), but nothing is kept except compact columns — where each
// record's line is, its address ids, its order keys and its tx hash as bytes — for the main thread
// to run the cross-record rules over the whole file and to read records back when a trace visits them.
// Anything outside the parallel path (a problem, a transaction or log record, a carriage return
// inside a line) only answers "not here": the sequential reader then reads the file and words every
// problem. Plain transfer lines take the byte-level fast path (./fastline.ts, FastTransfers below);
// every other line is decoded and parsed.
import { type FileHandle, open } from 'node:fs/promises';
import { isChecksumFormBytes } from '../../core/keccak.js';
import type { AssetInfo, Label, Transfer } from '../../core/model.js';
import { type Buckets, ledgerBuckets, recordLoc, txBuckets, txBytesKey } from '../index/pieces.js';
import { DatasetBuilder, type RawHeader, type RawLabel, type RawTransfer } from './builder.js';
import { allocColumns, type ColumnArrays, type SharedColumns, sharedViews } from './columns.js';
import {
  FAST_KINDS,
  type FastKind,
  HEX,
  newScan,
  SpellingIds,
  SpellingTable,
  scanTransfer,
} from './fastline.js';
import { StringIds, sideLedgers } from './hints.js';
import { keyProblem } from './keys.js';
import {
  type DatasetValidators,
  isObject,
  isPlainValidLabel,
  isPlainValidTransfer,
  isUtcDateTime,
  validators,
} from './schema.js';
import { IdAssigner } from './view.js';

export interface ChunkInput {
  path: string;
  /**
   * Bytes read at a time (default 8 MiB; tests make it tiny, so lines straddle pieces). Nothing of
   * the file is kept: a trace reads a visited record's line again by its offset, an index build
   * copies the lines (holding the whole file cost ~8 % more time, for its page faults, and twice
   * the memory).
   */
  piece?: number;
  /**
   * Byte range this chunk reads; it checks the lines that start in it (the first line start at or
   * after `start`, the last line may run past `end`). The first chunk starts just after the header line.
   */
  start: number;
  end: number;
  /** Where the header line ends (the first line start of the records). */
  first: number;
  /** The parsed header line (already checked by the main thread). */
  header: RawHeader;
  /** An index build's bucket counts: the chunk's ledger and tx buckets are written here too. */
  buckets?: { ledgerBits: number; txBits: number };
  /**
   * Where to write the records: `cap` of them from record `at` of columns shared by all chunks of
   * the load (each chunk at its estimated place, so that the main thread only moves them together;
   * pages never written cost no memory). A chunk with more records than that writes them to
   * columns of its own from then on, and the main thread copies all.
   */
  shared?: { columns: SharedColumns; at: number; cap: number };
}

/** A chunk's part of an index's hash buckets (src/sources/index/pieces.ts), its records in file order. */
export interface ChunkBuckets {
  ledger: Buckets;
  tx: Buckets;
}

/** Columns of the chunk's transfers, in file order: the first `n` entries of each array. */
export interface ChunkColumns extends ColumnArrays {
  n: number;
}

export type ChunkResult =
  | {
      ok: true;
      columns: ChunkColumns;
      /**
       * The chunk's addresses by id, joined by newlines (no address has one), as bytes (every
       * address of an account chain is ASCII): transferred, where a string of 8 MB is copied twice
       * (measured: ~0.1 s of the benchmark's first run between a worker's end and its result).
       */
      addressBytes: Uint8Array;
      /** Where each address ends in addressBytes. */
      addressEnds: Uint32Array;
      /** Bytes read beyond the chunk's range: the main thread reads them again, and the file must still hold them. */
      edges: Edge[];
      /** StringIds.hash of each address, and an open-addressing table of ids + 1 on them (addressSlots). */
      addressHashes: Int32Array;
      addressSlots: Int32Array;
      /** Packed (tx prefix, record) keys of the chunk's records (record numbers from 0), sorted. */
      txKeys: Float64Array;
      /**
       * Each address's ledger within the chunk, records in file order (sideLedgers): the file's own
       * when the file is in chain order (the main thread checks, and builds them itself otherwise).
       */
      ledgerOff: Uint32Array;
      ledgerSeqs: Uint32Array;
      times: readonly string[];
      labels: readonly Label[];
      notes: readonly string[];
      /** Asset keys found in the data (declared or undeclared token contracts) and their info. */
      assets: [string, AssetInfo][];
      /** When asked for (ChunkInput.buckets). */
      buckets?: ChunkBuckets;
      /** Where the newlines of the lines it checked are (NewlineSum). */
      newlines: { a: number; b: number; n: number };
    }
  | { ok: false; why: string };

/** Growable typed-array columns (`a`: views of shared columns, until they are full). */
class Columns {
  n = 0;
  private cap: number;
  a: ColumnArrays;
  constructor(cap: number, a?: ColumnArrays) {
    this.cap = a ? cap : Math.max(16, cap);
    this.a = a ?? allocColumns(this.cap);
  }
  /** Room for one more record. */
  next(): number {
    if (this.n === this.cap) {
      this.cap *= 2;
      const grown = allocColumns(this.cap);
      for (const k of Object.keys(grown) as (keyof ColumnArrays)[]) grown[k].set(this.a[k]);
      this.a = grown;
    }
    return this.n++;
  }
  /** The columns, `n` long at the front (not copied: the arrays move to the main thread whole). */
  done(): ChunkColumns {
    return { n: this.n, ...this.a };
  }
}

/** Columns for a chunk's records: its place in the shared ones (ChunkInput.shared), else its own (one per 200 bytes). */
function startColumns(input: ChunkInput): Columns {
  const sh = input.shared;
  if (!sh) return new Columns(Math.ceil((input.end - input.start) / 200));
  return new Columns(sh.cap, sharedViews(sh.columns, sh.at, sh.cap));
}

/** A Buffer over the bytes of a typed array (its view, not its whole buffer). */
export const bytesOf = (a: Uint8Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Write a checked tx hash's 64 hex digits (after an optional 0x) as 32 bytes at `at` (native hex: ~6× a JS loop). */
export function txBytes(tx: string, out: Uint8Array, at: number): void {
  bytesOf(out).write(tx.charCodeAt(1) === 120 ? tx.slice(2) : tx, at, 32, 'hex');
}

/** Read `length` bytes at `position` into `into` (at `offset`); false when the file is shorter. */
async function readFully(
  fh: FileHandle,
  into: Uint8Array,
  offset: number,
  length: number,
  position: number,
): Promise<boolean> {
  for (let done = 0; done < length; ) {
    const { bytesRead } = await fh.read(
      into,
      offset + done,
      Math.min(length - done, 1 << 24),
      position + done,
    );
    if (bytesRead === 0) return false;
    done += bytesRead;
  }
  return true;
}

export interface Edge {
  at: number;
  bytes: Uint8Array;
}

/**
 * Called with each line: its bytes buf[s, e) (without the newline or a carriage return before
 * it), its file offset and byte length. Answers a reason to give up, STOP to end early (a problem
 * was recorded), or undefined to go on.
 */
type OnLine = (
  buf: Buffer,
  s: number,
  e: number,
  at: number,
) => string | typeof STOP | typeof NEED_SCHEMA | undefined;
const STOP = Symbol('stop');
/** The line needs the compiled schema, not loaded yet: load it (`prepare`) and call again. */
const NEED_SCHEMA = Symbol('need schema');

/** onLine's answer for a line, the compiled schema loaded first when it asks for it. */
async function answer(
  onLine: OnLine,
  prepare: () => Promise<void>,
  buf: Buffer,
  s: number,
  e: number,
  at: number,
): Promise<string | typeof STOP | undefined> {
  const r = onLine(buf, s, e, at);
  if (r !== NEED_SCHEMA) return r;
  await prepare();
  const again = onLine(buf, s, e, at);
  if (again === NEED_SCHEMA) throw new Error('the dataset schema did not load');
  return again;
}

/**
 * The lines starting in [start, end), read a piece at a time (nothing of the file is kept), and the
 * bytes read beyond the range (edges). Undefined when the file is shorter than it was.
 */
async function streamedLines(
  input: ChunkInput,
  onLine: OnLine,
  prepare: () => Promise<void>,
  newlines: NewlineSum,
): Promise<{ edges: Edge[]; why?: string } | undefined> {
  const { start, end, first } = input;
  const fh = await open(input.path, 'r');
  try {
    const edges: Edge[] = [];
    const size = (await fh.stat()).size;
    let skipFirst = false;
    if (start > first) {
      const before = Buffer.alloc(1);
      if (!(await readFully(fh, before, 0, 1, start - 1))) return undefined;
      edges.push({ at: start - 1, bytes: before });
      skipFirst = before[0] !== 10; // the line under way belongs to the chunk before
    }
    let buf = Buffer.alloc(Math.max(64, input.piece ?? 8 << 20));
    /** File offset of buf[0]; bytes held; where the next line starts (an offset in buf). */
    let bufAt = start;
    let held = 0;
    let ls = 0;
    for (;;) {
      // Complete lines in what is held.
      for (;;) {
        const nl = buf.indexOf(10, ls);
        if (nl < 0 || nl >= held) break;
        if (skipFirst) skipFirst = false;
        else {
          if (bufAt + ls >= end) return { edges };
          newlines.add(bufAt + nl);
          let e = nl;
          if (e > ls && buf[e - 1] === 13) e--;
          if (bufAt + nl >= end)
            edges.push({ at: end, bytes: Buffer.from(buf.subarray(end - bufAt, nl + 1)) });
          let r = onLine(buf, ls, e, bufAt + ls);
          if (r === NEED_SCHEMA) r = await answer(onLine, prepare, buf, ls, e, bufAt + ls);
          if (r === STOP) return { edges };
          if (r !== undefined) return { edges, why: r };
        }
        ls = nl + 1;
      }
      if (bufAt + ls >= end) return { edges };
      // More bytes: within the range, or past it only to finish the line under way.
      const readAt = bufAt + held;
      if (readAt >= size) break;
      if (readAt >= end && skipFirst) return { edges }; // no line starts in this chunk: its owner reads on
      if (ls > 0) {
        buf.copy(buf, 0, ls, held);
        bufAt += ls;
        held -= ls;
        ls = 0;
      }
      if (held === buf.length) {
        const grown = Buffer.alloc(buf.length * 2);
        buf.copy(grown, 0, 0, held);
        buf = grown;
      }
      const want = Math.min(buf.length - held, (readAt < end ? end : size) - readAt);
      const { bytesRead } = await fh.read(buf, held, want, readAt);
      if (bytesRead === 0) return undefined;
      held += bytesRead;
    }
    // The end of the file: its last line has no newline.
    if (!skipFirst && ls < held && bufAt + ls < end) {
      let e = held;
      if (buf[e - 1] === 13) e--;
      if (bufAt + held > end) edges.push({ at: end, bytes: Buffer.from(buf.subarray(end - bufAt, held)) });
      const r = await answer(onLine, prepare, buf, ls, e, bufAt + ls);
      if (r !== undefined && r !== STOP) return { edges, why: r };
    }
    return { edges };
  } finally {
    await fh.close();
  }
}

/**
 * A checksum of where a file's newlines are: two 32-bit sums of a mix of each newline's offset, and
 * their count. Order-free, so the chunks' sums add up to the file's; an index build compares the
 * file's, as the check read it, with the bytes it copied (src/sources/index/build.ts).
 */
export class NewlineSum {
  a = 0;
  b = 0;
  n = 0;

  add(at: number): void {
    const lo = at >>> 0;
    const hi = Math.floor(at / 4294967296) >>> 0;
    let x = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    this.a = (this.a + (x ^ (x >>> 16))) >>> 0;
    let y = Math.imul((lo + 0x7f4a7c15) ^ hi, 0x27d4eb2f);
    y ^= y >>> 15;
    y = Math.imul(y, 0x165667b1);
    this.b = (this.b + (y ^ (y >>> 13))) >>> 0;
    this.n++;
  }

  /** Every newline in buf[from, to), buf[0] being at file offset `at`. */
  addAll(buf: Uint8Array, from: number, to: number, at: number): void {
    for (let i = buf.indexOf(10, from); i >= 0 && i < to; i = buf.indexOf(10, i + 1)) this.add(at + i);
  }

  plus(o: { a: number; b: number; n: number }): this {
    this.a = (this.a + o.a) >>> 0;
    this.b = (this.b + o.b) >>> 0;
    this.n += o.n;
    return this;
  }

  equals(o: { a: number; b: number; n: number }): boolean {
    return this.a === o.a && this.b === o.b && this.n === o.n;
  }
}

/** Time strings of a chunk by id (the main thread maps them to the file's). */
class TimeIds {
  private readonly ids = new IdAssigner();
  /** The bytes and id of the last time the fast path met (a block's transfers share one). */
  private last = new Uint8Array(64);
  private lastLength = -1;
  private lastId = -1;

  get times(): readonly string[] {
    return this.ids.list;
  }

  id(t: string): number {
    return this.ids.id(t);
  }

  /** The id of the time in buf[s, e), or -1 when it is not a UTC date-time (the schema's check). */
  idOfBytes(buf: Buffer, s: number, e: number): number {
    const n = e - s;
    if (n === this.lastLength) {
      let j = 0;
      while (j < n && this.last[j] === buf[s + j]) j++;
      if (j === n) return this.lastId;
    }
    const t = buf.toString('latin1', s, e);
    if (!isUtcDateTime(t)) return -1;
    const id = this.id(t);
    if (n <= this.last.length) {
      this.last.set(buf.subarray(s, e));
      this.lastLength = n;
      this.lastId = id;
    }
    return id;
  }
}

/**
 * The fast path of a chunk's transfer lines (./fastline.ts): values read from the bytes, every
 * rule the builder applies to a transfer checked, columns written. `take` answers false when the
 * line is not in the fast path's shape or breaks a rule: the caller then reads it the ordinary
 * way, which words the problem (nothing here reports one, except through the builder's own
 * address and asset checks, which the ordinary way would make too).
 */
class FastTransfers {
  private readonly scan = newScan();
  private readonly tron: boolean;
  private readonly evm: boolean;
  private readonly headHeight: number | undefined;
  /** Asset keys by (kind, asset bytes): a dataset has a handful. */
  private readonly assets: { kind: FastKind; bytes: Buffer; key: string }[] = [];

  constructor(
    private readonly b: DatasetBuilder,
    /** The builder's own address table (every spelling it has met, by either way of reading). */
    private readonly spellings: SpellingIds,
    private readonly cols: Columns,
    private readonly times: TimeIds,
  ) {
    this.tron = b.tronTx;
    this.evm = b.evmAddresses;
    this.headHeight = b.headHeight;
  }

  private addressId(buf: Buffer, s: number, e: number, h: number, n: number, sub: '/from' | '/to'): number {
    let id = this.spellings.get(buf, s, e, h);
    if (id >= 0) return id;
    if (this.evm && e - s === 42 && isChecksumFormBytes(buf, s)) {
      // Its own canonical form, as the builder's check would find it: kept as it is.
      id = this.b.newCanonicalAddress(buf.toString('latin1', s, e));
      this.spellings.set(buf, s, e, h, id);
      return id;
    }
    // The builder's table is this spelling table (SpellingTable): it records the spelling there.
    return this.b.transferAddressId(buf.toString('latin1', s, e), n, sub, true);
  }

  private assetKey(buf: Buffer, s: number, e: number, kind: FastKind, n: number): boolean {
    for (const a of this.assets) {
      if (a.kind !== kind || a.bytes.length !== e - s) continue;
      let j = 0;
      while (j < e - s && a.bytes[j] === buf[s + j]) j++;
      if (j === e - s) return true;
    }
    const key = this.b.transferAsset(buf.toString('latin1', s, e), FAST_KINDS[kind], n);
    if (key === undefined) return false;
    if (this.assets.length < 64) this.assets.push({ kind, bytes: Buffer.from(buf.subarray(s, e)), key });
    return true;
  }

  take(buf: Buffer, s: number, e: number, at: number, n: number): boolean {
    const f = this.scan;
    if (!scanTransfer(buf, s, e, this.tron, f)) return false;
    // addTransfer's rules: only a fee has no recipient; nothing after the head.
    if (f.toS < 0 !== (f.kind === 3)) return false;
    if (this.headHeight !== undefined && f.height > this.headHeight) return false;
    const time = f.timeS < 0 ? -1 : this.times.idOfBytes(buf, f.timeS, f.timeE);
    if (f.timeS >= 0 && time < 0) return false;
    const from = this.addressId(buf, f.fromS, f.fromE, f.fromH, n, '/from');
    if (from < 0) return false;
    const to = f.toS < 0 ? -1 : this.addressId(buf, f.toS, f.toE, f.toH, n, '/to');
    if (f.toS >= 0 && to < 0) return false;
    if (!this.assetKey(buf, f.assetS, f.assetE, f.kind, n)) return false;
    this.b.countTransfer();
    const k = this.cols.next();
    const c = this.cols.a;
    c.start[k] = at;
    c.length[k] = e - s;
    c.from[k] = from;
    c.to[k] = to;
    c.height[k] = f.height;
    c.position[k] = f.position;
    c.index[k] = f.index;
    c.time[k] = time;
    const tx = c.tx;
    for (let j = 0, i = f.txE - 64; j < 32; j++, i += 2)
      tx[k * 32 + j] = (HEX[buf[i]!]! << 4) | HEX[buf[i + 1]!]!;
    return true;
  }
}

/** Test seam: off, every line takes the ordinary way (the fast path must not change a result). */
export const fastLines = { enabled: true };

export async function checkChunk(input: ChunkInput): Promise<ChunkResult> {
  // Compiled only when a line needs it: the fast path and the plain checks take valid records.
  let v: DatasetValidators | undefined;
  const prepare = async () => {
    v = await validators();
  };
  const cols = startColumns(input);
  let txView = bytesOf(cols.a.tx);
  const times = new TimeIds();
  let lineAt = 0;
  let lineLength = 0;
  // The fast path and the builder share one address table, held as bytes (a few distinct spellings
  // per kilobyte: the 1M benchmark has one per 800 bytes of a chunk).
  const spellings = fastLines.enabled ? new SpellingIds((input.end - input.start) >> 10) : undefined;
  const table = spellings ? new SpellingTable(spellings) : undefined;
  const b = new DatasetBuilder(
    'jsonl',
    (t: Transfer, fromId: number, toId: number) => {
      const k = cols.next();
      const c = cols.a;
      c.start[k] = lineAt;
      c.length[k] = lineLength;
      c.from[k] = fromId;
      c.to[k] = toId;
      c.height[k] = t.height ?? -1;
      c.position[k] = t.position ?? -1;
      c.index[k] = t.index;
      c.time[k] = t.time === null ? -1 : times.id(t.time);
      if (txView.buffer !== c.tx.buffer) txView = bytesOf(c.tx);
      txView.write(t.tx.charCodeAt(1) === 120 ? t.tx.slice(2) : t.tx, k * 32, 32, 'hex');
    },
    false,
    table,
  );
  b.setHeader(input.header, new Set(), 1);
  const fast = spellings ? new FastTransfers(b, spellings, cols, times) : undefined;
  let record = 0;
  const onLine: OnLine = (buf, s, e, at) => {
    if (e === s) return undefined;
    // The line number only locates problems, and a problem sends the file to the sequential reader.
    if (fast?.take(buf, s, e, at, record + 1)) {
      record++;
      return (record & 1023) === 0 && b.problemCount > 0 ? STOP : undefined;
    }
    lineAt = at;
    lineLength = e - s;
    const text = buf.toString('utf8', s, e);
    // readline would split a line at a lone carriage return: the sequential reader numbers those.
    if (text.includes('\r')) return 'a carriage return inside a line';
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      if (!/\S/.test(text)) return undefined; // a blank line
      return 'a line that is not valid JSON';
    }
    if (!isObject(obj) || keyProblem(text, obj)) return 'a line that is not a record';
    switch (obj.type) {
      case 'transfer':
        if (!isPlainValidTransfer(obj)) {
          if (!v) return NEED_SCHEMA;
          if (!v.transfer(obj)) return 'an invalid transfer';
        }
        b.addTransfer(obj as unknown as RawTransfer, ++record);
        break;
      case 'label':
        if (!isPlainValidLabel(obj)) {
          if (!v) return NEED_SCHEMA;
          if (!v.label(obj)) return 'an invalid label';
        }
        b.addLabel(obj as unknown as RawLabel, ++record);
        break;
      default:
        return `a record of type ${JSON.stringify(String(obj.type)).slice(0, 40)}`;
    }
    return (record & 1023) === 0 && b.problemCount > 0 ? STOP : undefined;
  };
  const newlines = new NewlineSum();
  const read = await streamedLines(input, onLine, prepare, newlines);
  if (!read) return { ok: false, why: 'the file changed while it was read' };
  if (read.why !== undefined) return { ok: false, why: read.why };
  const { edges } = read;
  if (b.problemCount > 0) return { ok: false, why: 'a problem in a record' };
  const g = b.gathered();
  const addresses = b.addressTable();
  const addressHashes = new Int32Array(addresses.length);
  const addressEnds = new Uint32Array(addresses.length);
  let end = -1;
  for (let i = 0; i < addresses.length; i++) {
    addressHashes[i] = StringIds.hash(addresses[i]!);
    end += 1 + addresses[i]!.length;
    addressEnds[i] = end;
  }
  const text = addresses.join('\n');
  // Latin-1 bytes are the text only when every character is ASCII (one UTF-8 byte each).
  if (Buffer.byteLength(text, 'utf8') !== text.length) return { ok: false, why: 'an address beyond ASCII' };
  // Its own buffer: a small Buffer.from would share Node's pool, which a transfer would take away.
  const addressBytes = new Uint8Array(text.length);
  Buffer.from(addressBytes.buffer).write(text, 0, 'latin1');
  // Work the main thread would do for the whole file, done here for the chunk (in parallel).
  const columns = cols.done();
  const txKeys = sortedTxKeys(columns.tx, columns.n);
  const ledgers = sideLedgers(addresses.length, columns.from, columns.to, 0, columns.n);
  const buckets = input.buckets && indexBuckets(input.buckets, columns, addresses, ledgers);
  return {
    ok: true,
    ...(buckets ? { buckets } : {}),
    newlines: { a: newlines.a, b: newlines.b, n: newlines.n },
    columns,
    txKeys,
    ledgerOff: ledgers.off,
    ledgerSeqs: ledgers.seqs,
    addressBytes,
    addressEnds,
    addressSlots: hashSlots(addressHashes),
    edges,
    addressHashes,
    times: times.times,
    labels: g.labels,
    notes: g.notes,
    assets: [...g.assets],
  };
}

/** The chunk's index buckets: its records' locs by address and by tx key, in file order. */
function indexBuckets(
  bits: { ledgerBits: number; txBits: number },
  c: ChunkColumns,
  addresses: readonly string[],
  ledgers: { off: Uint32Array; seqs: Uint32Array },
): ChunkBuckets {
  const locs = new Float64Array(c.n);
  const keys = new Float64Array(c.n);
  for (let r = 0; r < c.n; r++) {
    locs[r] = recordLoc(c.start[r]!, c.length[r]!);
    keys[r] = txBytesKey(c.tx, r * 32);
  }
  return {
    ledger: ledgerBuckets(
      bits.ledgerBits,
      addresses.length,
      (a) => addresses[a]!,
      ledgers.off,
      ledgers.seqs,
      locs,
    ),
    tx: txBuckets(bits.txBits, keys, locs),
  };
}

/** An open-addressing table of ids + 1 by hash (0: free), at most half full. */
export function hashSlots(hashes: Int32Array): Int32Array {
  let cap = 16;
  while (cap < hashes.length * 2) cap *= 2;
  const slots = new Int32Array(cap);
  const mask = cap - 1;
  for (let id = 0; id < hashes.length; id++) {
    let s = hashes[id]! & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = id + 1;
  }
  return slots;
}

/** Records per packed (tx prefix, record) key: a 24-bit prefix × 2^29 stays below 2^53. */
export const SPAN = 2 ** 29;

/**
 * Each record's (first 3 bytes of its tx hash, record number) packed in one number, sorted: a stable
 * radix sort of the records by their 24-bit prefix, 12 bits at a time (records come in ascending
 * order, so equal prefixes stay in record order), ~10 times faster than sorting the numbers.
 */
export function sortedTxKeys(tx: Uint8Array, n: number): Float64Array {
  const prefix = new Uint32Array(n);
  for (let i = 0; i < n; i++) prefix[i] = (tx[i * 32]! << 16) | (tx[i * 32 + 1]! << 8) | tx[i * 32 + 2]!;
  let order = new Uint32Array(n);
  let next = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (const shift of [0, 12]) {
    const count = new Uint32Array(4097);
    for (let i = 0; i < n; i++) count[((prefix[i]! >>> shift) & 4095) + 1]!++;
    for (let d = 0; d < 4096; d++) count[d + 1]! += count[d]!;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      next[count[(prefix[i]! >>> shift) & 4095]!++] = i;
    }
    [order, next] = [next, order];
  }
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = prefix[order[k]!]! * SPAN + order[k]!;
  return keys;
}

/** The transferable buffers of a result (for postMessage). */
export function transferables(r: ChunkResult): ArrayBuffer[] {
  if (!r.ok) return [];
  const c = r.columns;
  return [
    c.start,
    c.length,
    c.from,
    c.to,
    c.height,
    c.position,
    c.index,
    c.time,
    c.tx,
    r.addressHashes,
    r.addressEnds,
    r.addressBytes,
    r.addressSlots,
    r.txKeys,
    r.ledgerOff,
    r.ledgerSeqs,
    ...(r.buckets
      ? [r.buckets.ledger.off, r.buckets.ledger.bytes, r.buckets.tx.off, r.buckets.tx.bytes]
      : []),
  ]
    .map((a) => a.buffer)
    .filter((b): b is ArrayBuffer => !(b instanceof SharedArrayBuffer)); // shared columns are shared, not moved
}
