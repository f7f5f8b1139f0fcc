// The columns a parallel load keeps of its records, one typed array each: fresh ones (a chunk's
// own), or views of memory shared by every chunk of a load (./pool.ts places each chunk in it,
// ./chunk.ts writes there, ./parallel.ts moves the chunks together). Kept apart from the chunk
// checker so that planning a load loads nothing else.

/** Columns of a chunk's transfers, in file order (ChunkColumns: the first `n` of each). */
export interface ColumnArrays {
  /** Byte offset of each record's line in the file, and its length in bytes (no newline). */
  start: Float64Array;
  length: Uint32Array;
  /** Ids into the chunk's addresses (to: -1 for none). */
  from: Int32Array;
  to: Int32Array;
  /** height and position: -1 for null. */
  height: Float64Array;
  position: Float64Array;
  index: Float64Array;
  /** Ids into the chunk's times, -1 for null. */
  time: Int32Array;
  /** 32 bytes per record: the tx hash (the chain's form is checked per record). */
  tx: Uint8Array;
}

type ColumnName = keyof ColumnArrays;

/** Each column's array type, and the entries a record takes in it (the tx column: its 32 bytes). */
const COLUMNS: { [K in ColumnName]: { type: new (...a: never[]) => ColumnArrays[K]; per: number } } = {
  start: { type: Float64Array, per: 1 },
  length: { type: Uint32Array, per: 1 },
  from: { type: Int32Array, per: 1 },
  to: { type: Int32Array, per: 1 },
  height: { type: Float64Array, per: 1 },
  position: { type: Float64Array, per: 1 },
  index: { type: Float64Array, per: 1 },
  time: { type: Int32Array, per: 1 },
  tx: { type: Uint8Array, per: 32 },
};
const NAMES = Object.keys(COLUMNS) as ColumnName[];

type ArrayType = new (
  b: ArrayBufferLike | number,
  offset?: number,
  length?: number,
) => Float64Array | Uint32Array | Int32Array | Uint8Array;
const typeOf = (k: ColumnName) => COLUMNS[k].type as unknown as ArrayType;
/** Bytes a record takes in column k. */
const bytesPerRecord = (k: ColumnName) =>
  COLUMNS[k].per * (typeOf(k) as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;

/** Fresh columns for `cap` records. */
export function allocColumns(cap: number): ColumnArrays {
  const out: Partial<Record<ColumnName, unknown>> = {};
  for (const k of NAMES) out[k] = new (typeOf(k))(cap * COLUMNS[k].per);
  return out as ColumnArrays;
}

/** One SharedArrayBuffer per column, for the records of every chunk of a load. */
export type SharedColumns = Record<ColumnName, SharedArrayBuffer>;

/** Shared columns for `cap` records (their pages are taken only when written). */
export function sharedColumns(cap: number): SharedColumns {
  const out: Partial<SharedColumns> = {};
  for (const k of NAMES) out[k] = new SharedArrayBuffer(cap * bytesPerRecord(k));
  return out as SharedColumns;
}

/** Views of `count` records of shared columns from record `at`. */
export function sharedViews(b: SharedColumns, at: number, count: number): ColumnArrays {
  const out: Partial<Record<ColumnName, unknown>> = {};
  for (const k of NAMES) out[k] = new (typeOf(k))(b[k], at * bytesPerRecord(k), count * COLUMNS[k].per);
  return out as ColumnArrays;
}

/**
 * Are these columns views of shared columns of these sizes, from record `at`? (A worker's views
 * arrive on a copy of the buffer object, not the object itself: the buffers are known by their
 * size and the views by their offset.)
 */
export function viewsAt(c: ColumnArrays, b: SharedColumns, at: number): boolean {
  return NAMES.every(
    (k) =>
      c[k].buffer instanceof SharedArrayBuffer &&
      c[k].buffer.byteLength === b[k].byteLength &&
      c[k].byteOffset === at * bytesPerRecord(k),
  );
}

/** Move `count` records of shared columns from record `from` to record `to` (ranges may overlap). */
export function moveRecords(b: SharedColumns, from: number, to: number, count: number): void {
  for (const k of NAMES) {
    const per = COLUMNS[k].per;
    new (typeOf(k))(b[k]).copyWithin(to * per, from * per, (from + count) * per);
  }
}
