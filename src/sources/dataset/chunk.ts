// One chunk of a JSON Lines account dataset, checked for the parallel load (./parallel.ts): the
// same per-record rules as the sequential reader (read.ts: JSON, repeated keys, schema, then
// DatasetBuilder's conversion and checks), but nothing is kept except compact columns — where each
// record's line is, its address ids, its order keys and its tx hash as bytes — for the main thread
// to run the cross-record rules over the whole file and to read records back when a trace visits them.
// Anything outside the fast path (a problem, a transaction or log record, a carriage return inside a
// line) only answers "not here": the sequential reader then reads the file and words every problem.
import { type FileHandle, open } from 'node:fs/promises';
import type { AssetInfo, Label, Transfer } from '../../core/model.js';
import { DatasetBuilder, type RawHeader, type RawLabel, type RawTransfer } from './builder.js';
import { StringIds } from './hints.js';
import { keyProblem } from './keys.js';
import { isPlainValidTransfer, validators } from './schema.js';

export interface ChunkInput {
  path: string;
  /**
   * The whole file, filled in by the chunks: each reads its own byte range (reading is a third of the
   * work). Absent: the chunk streams its range through a buffer of `piece` bytes and keeps nothing
   * (an index build, which copies the lines from the file afterwards: src/sources/index/build.ts).
   */
  bytes?: SharedArrayBuffer;
  /** Bytes read at a time when streaming (tests make it tiny, so lines straddle pieces). */
  piece?: number;
  /**
   * Byte range this chunk reads into `bytes`; it checks the lines that start in it (the first line
   * start at or after `start`, the last line may run past `end`). The first chunk starts just after
   * the header line.
   */
  start: number;
  end: number;
  /** Where the header line ends (the first line start of the records). */
  first: number;
  /** The parsed header line (already checked by the main thread). */
  header: RawHeader;
}

/** Columns of the chunk's transfers, in file order: the first `n` entries of each array. */
export interface ChunkColumns {
  n: number;
  /** Byte offset of each record's line in the file, and its length in bytes (no newline). */
  start: Float64Array;
  length: Uint32Array;
  /** Ids into `addresses` (to: -1 for none). */
  from: Int32Array;
  to: Int32Array;
  /** height and position: -1 for null. */
  height: Float64Array;
  position: Float64Array;
  index: Float64Array;
  /** Ids into `times`, -1 for null. */
  time: Int32Array;
  /** 32 bytes per record: the tx hash (the chain's form is checked per record). */
  tx: Uint8Array;
}

export type ChunkResult =
  | {
      ok: true;
      columns: ChunkColumns;
      addresses: readonly string[];
      /** Bytes read beyond the chunk's range: they must equal what the neighbouring chunk read there. */
      edges: Edge[];
      /** StringIds.hash of each address (the main thread's lookup table, built without hashing strings). */
      addressHashes: Int32Array;
      times: string[];
      labels: readonly Label[];
      notes: readonly string[];
      /** Asset keys found in the data (declared or undeclared token contracts) and their info. */
      assets: [string, AssetInfo][];
    }
  | { ok: false; why: string };

type ColumnArrays = Omit<ChunkColumns, 'n'>;

/** Fresh columns for `cap` records (the tx column holds 32 bytes a record). */
function allocColumns(cap: number): ColumnArrays {
  return {
    start: new Float64Array(cap),
    length: new Uint32Array(cap),
    from: new Int32Array(cap),
    to: new Int32Array(cap),
    height: new Float64Array(cap),
    position: new Float64Array(cap),
    index: new Float64Array(cap),
    time: new Int32Array(cap),
    tx: new Uint8Array(cap * 32),
  };
}

/** Growable typed-array columns. */
class Columns {
  n = 0;
  private cap: number;
  a: ColumnArrays;
  constructor(cap: number) {
    this.cap = Math.max(16, cap);
    this.a = allocColumns(this.cap);
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

/** Write a checked tx hash's 64 hex digits (after an optional 0x) as 32 bytes at `at` (native hex: ~6× a JS loop). */
export function txBytes(tx: string, out: Uint8Array, at: number): void {
  const b = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  b.write(tx.charCodeAt(1) === 120 ? tx.slice(2) : tx, at, 32, 'hex');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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

/** The chunk's bytes: [line start, end of its last line). Undefined when the file changed under us. */
interface ChunkBytes {
  buf: Buffer;
  tail: Buffer;
  at: number;
  /** Bytes read outside the chunk's own range (privately), for the main thread to compare with its neighbours' reads. */
  edges: Edge[];
}

export interface Edge {
  at: number;
  bytes: Uint8Array;
}

async function readChunk(input: ChunkInput): Promise<ChunkBytes | undefined> {
  const { start, end, first } = input;
  const fh = await open(input.path, 'r');
  try {
    const size = input.bytes!.byteLength;
    const bytes = input.bytes!;
    if (!(await readFully(fh, new Uint8Array(bytes), start, end - start, start))) return undefined;
    const own = Buffer.from(bytes, start, end - start);
    // The first line starting in [start, end): at `first`, or after the first newline at or after start - 1.
    let from = 0;
    const edges: Edge[] = [];
    if (start > first) {
      const before = Buffer.alloc(1);
      if (!(await readFully(fh, before, 0, 1, start - 1))) return undefined;
      edges.push({ at: start - 1, bytes: before });
      if (before[0] !== 10) {
        const nl = own.indexOf(10);
        // A line longer than the chunk: its owner reads it.
        if (nl < 0) return { buf: Buffer.alloc(0), tail: Buffer.alloc(0), at: end, edges };
        from = nl + 1;
      }
    }
    // The last line may run past `end`: read on (privately) to its newline or the end of the file.
    const tail: Buffer[] = [];
    if (end < size && own[own.length - 1] !== 10) {
      for (let pos = end; pos < size; ) {
        const piece = Buffer.alloc(Math.min(1 << 16, size - pos));
        if (!(await readFully(fh, piece, 0, piece.length, pos))) return undefined;
        const nl = piece.indexOf(10);
        tail.push(nl < 0 ? piece : piece.subarray(0, nl + 1));
        if (nl >= 0) break;
        pos += piece.length;
      }
    }
    // Not concatenated: copying the chunk would cost as much as reading it. Only the last line joins its tail.
    const t = Buffer.concat(tail);
    if (t.length > 0) edges.push({ at: end, bytes: t });
    return { buf: own.subarray(from), tail: t, at: start + from, edges };
  } finally {
    await fh.close();
  }
}

/**
 * Called with each line (its text without the newline or a carriage return before it, its file
 * offset and byte length): a reason to give up, STOP to end early (a problem was recorded), or
 * undefined to go on.
 */
type OnLine = (text: string, at: number, length: number) => string | typeof STOP | undefined;
const STOP = Symbol('stop');

/** The lines of a chunk read into the shared buffer; undefined when the file changed under us. */
async function sharedLines(
  input: ChunkInput,
  onLine: OnLine,
): Promise<{ edges: Edge[]; why?: string } | undefined> {
  const read = await readChunk(input);
  if (!read) return undefined;
  const { buf, tail, at: base, edges } = read;
  const len = buf.length;
  for (let pos = 0; pos < len; ) {
    let nl = buf.indexOf(10, pos);
    let text: string;
    let lineLength: number;
    const at = pos;
    if (nl < 0 && tail.length > 0) {
      // The last line runs on past the chunk: join it with the bytes read beyond.
      const line = Buffer.concat([buf.subarray(pos), tail]);
      let e = line[line.length - 1] === 10 ? line.length - 1 : line.length;
      if (e > 0 && line[e - 1] === 13) e--;
      text = line.toString('utf8', 0, e);
      lineLength = e;
      nl = len;
    } else {
      if (nl < 0) nl = len;
      let e = nl;
      if (e > pos && buf[e - 1] === 13) e--;
      text = buf.toString('utf8', pos, e);
      lineLength = e - pos;
    }
    pos = nl + 1;
    const r = onLine(text, base + at, lineLength);
    if (r === STOP) break;
    if (r !== undefined) return { edges, why: r };
  }
  return { edges };
}

/**
 * The lines starting in [start, end), read a piece at a time (nothing of the file is kept): the
 * same lines, offsets and edge bytes as sharedLines. Undefined when the file is shorter than it was.
 */
async function streamedLines(
  input: ChunkInput,
  onLine: OnLine,
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
          let e = nl;
          if (e > ls && buf[e - 1] === 13) e--;
          if (bufAt + nl >= end)
            edges.push({ at: end, bytes: Buffer.from(buf.subarray(end - bufAt, nl + 1)) });
          const r = onLine(buf.toString('utf8', ls, e), bufAt + ls, e - ls);
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
      const r = onLine(buf.toString('utf8', ls, e), bufAt + ls, e - ls);
      if (r !== undefined && r !== STOP) return { edges, why: r };
    }
    return { edges };
  } finally {
    await fh.close();
  }
}

export async function checkChunk(input: ChunkInput): Promise<ChunkResult> {
  const v = await validators();
  const cols = new Columns(Math.ceil((input.end - input.start) / 200));
  let txView = Buffer.from(cols.a.tx.buffer);
  const timeIds = new Map<string, number>();
  const times: string[] = [];
  let lineAt = 0;
  let lineLength = 0;
  const b = new DatasetBuilder('jsonl', (t: Transfer, fromId: number, toId: number) => {
    const k = cols.next();
    const c = cols.a;
    c.start[k] = lineAt;
    c.length[k] = lineLength;
    c.from[k] = fromId;
    c.to[k] = toId;
    c.height[k] = t.height ?? -1;
    c.position[k] = t.position ?? -1;
    c.index[k] = t.index;
    let tid = -1;
    if (t.time !== null) {
      tid = timeIds.get(t.time) ?? -1;
      if (tid < 0) {
        tid = times.length;
        times.push(t.time);
        timeIds.set(t.time, tid);
      }
    }
    c.time[k] = tid;
    if (txView.buffer !== c.tx.buffer) txView = Buffer.from(c.tx.buffer);
    txView.write(t.tx.charCodeAt(1) === 120 ? t.tx.slice(2) : t.tx, k * 32, 32, 'hex');
  });
  b.setHeader(input.header, new Set(), 1);
  let record = 0;
  const onLine: OnLine = (text, at, length) => {
    lineAt = at;
    lineLength = length;
    if (text.length === 0) return undefined;
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
    // The line number only locates problems, and a problem sends the file to the sequential reader.
    record++;
    switch (obj.type) {
      case 'transfer':
        if (!isPlainValidTransfer(obj) && !v.transfer(obj)) return 'an invalid transfer';
        b.addTransfer(obj as unknown as RawTransfer, record);
        break;
      case 'label':
        if (!v.label(obj)) return 'an invalid label';
        b.addLabel(obj as unknown as RawLabel, record);
        break;
      default:
        return `a record of type ${JSON.stringify(String(obj.type)).slice(0, 40)}`;
    }
    return (record & 1023) === 0 && b.problemCount > 0 ? STOP : undefined;
  };
  const read = input.bytes ? await sharedLines(input, onLine) : await streamedLines(input, onLine);
  if (!read) return { ok: false, why: 'the file changed while it was read' };
  if (read.why !== undefined) return { ok: false, why: read.why };
  const { edges } = read;
  if (b.problemCount > 0) return { ok: false, why: 'a problem in a record' };
  const g = b.gathered();
  const addresses = b.addressTable();
  const addressHashes = new Int32Array(addresses.length);
  for (let i = 0; i < addresses.length; i++) addressHashes[i] = StringIds.hash(addresses[i]!);
  return {
    ok: true,
    columns: cols.done(),
    edges,
    addresses,
    addressHashes,
    times,
    labels: g.labels,
    notes: g.notes,
    assets: [...g.assets],
  };
}

/** The transferable buffers of a result (for postMessage). */
export function transferables(r: ChunkResult): ArrayBuffer[] {
  if (!r.ok) return [];
  const c = r.columns;
  return [c.start, c.length, c.from, c.to, c.height, c.position, c.index, c.time, c.tx, r.addressHashes].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
