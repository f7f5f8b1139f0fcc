// The columns a parallel load keeps of its records (./chunk.ts ChunkColumns), as shared memory: one
// SharedArrayBuffer per column for every chunk of a load (./pool.ts places them, ./chunk.ts writes
// them, ./parallel.ts moves them together). Kept apart from the chunk checker so that planning a
// load loads nothing else.

/** Bytes a record takes in each column (the tx column: its 32-byte hash). */
export const COLUMN_BYTES = {
  start: 8,
  length: 4,
  from: 4,
  to: 4,
  height: 8,
  position: 8,
  index: 8,
  time: 4,
  tx: 32,
} as const;

/** One SharedArrayBuffer per column, for the records of every chunk of a load. */
export type SharedColumns = Record<keyof typeof COLUMN_BYTES, SharedArrayBuffer>;

/** Shared columns for `cap` records (their pages are taken only when written). */
export function sharedColumns(cap: number): SharedColumns {
  const out: Partial<SharedColumns> = {};
  for (const k of Object.keys(COLUMN_BYTES) as (keyof SharedColumns)[])
    out[k] = new SharedArrayBuffer(cap * COLUMN_BYTES[k]);
  return out as SharedColumns;
}
