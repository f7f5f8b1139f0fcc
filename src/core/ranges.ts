// Half-open ranges [start, end) of base units inside one output or transfer: how a backward
// fifo trace remembers exactly which units of a movement are being traced.
export type Range = readonly [bigint, bigint];

export const rangesTotal = (rs: readonly Range[]) => rs.reduce((a, [s, e]) => a + (e - s), 0n);

/** Sort and merge overlapping or touching ranges. */
export function normalizeRanges(rs: readonly Range[]): Range[] {
  const sorted = [...rs].filter(([s, e]) => e > s).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) {
      if (e > last[1]) last[1] = e;
    } else out.push([s, e]);
  }
  return out;
}

/** A piece of a debit: units [at, at+len) of the debit came from units [srcStart, srcStart+len) of `src`. */
export interface Piece<K> {
  src: K;
  at: bigint;
  srcStart: bigint;
  len: bigint;
}

/** Map ranges of a debit through its pieces onto ranges of each source. */
export function mapRanges<K>(ranges: readonly Range[], pieces: readonly Piece<K>[]): Map<K, Range[]> {
  const out = new Map<K, Range[]>();
  for (const [s, e] of ranges) {
    for (const p of pieces) {
      const lo = s > p.at ? s : p.at;
      const hi = e < p.at + p.len ? e : p.at + p.len;
      if (hi <= lo) continue;
      const list = out.get(p.src) ?? [];
      list.push([p.srcStart + (lo - p.at), p.srcStart + (hi - p.at)]);
      out.set(p.src, list);
    }
  }
  return out;
}
