// Format /5's buckets and locs (src/sources/index/pieces.ts), written and read back: every address's
// ledger and every transaction's records come back in chain order, whatever the bucket count, the
// address's characters, or the chunks its records were written from.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressHash,
  type Buckets,
  bucketBits,
  bucketOf,
  isWholeLoc,
  ledgerBuckets,
  ledgerLocs,
  PIECE_BYTES,
  recordLoc,
  txBuckets,
  txBytesKey,
  txLocs,
  txTextKey,
} from '../../src/sources/index/pieces.js';

/** Bucket b of the concatenation of `parts` (as the build writes them: chunk after chunk). */
const bucket = (parts: Buckets[], b: number) =>
  Buffer.concat(parts.map((p) => p.bytes.subarray(p.off[b]!, p.off[b + 1]!)));

describe('locs', () => {
  it.each([
    [0, 1, false],
    [123_456, 300, false],
    [2 ** 39, PIECE_BYTES, false],
    [77, PIECE_BYTES + 1, true],
    [2 ** 39 + 5, 1_000_000, true],
  ])('offset %d, %d bytes: whole piece %s, exact', (start, length, whole) => {
    const loc = recordLoc(start, length);
    expect(Number.isSafeInteger(loc)).toBe(true);
    expect(isWholeLoc(loc)).toBe(whole);
    expect(Math.floor(loc / 2 ** 13)).toBe(start);
    expect(loc % 2 ** 13).toBe(whole ? 0 : length);
  });

  it('bucket bits: the fewest buckets holding n keys at `per` a bucket', () => {
    expect(bucketBits(0, 8)).toBe(0);
    expect(bucketBits(8, 8)).toBe(0);
    expect(bucketBits(9, 8)).toBe(1);
    expect(bucketBits(311_000_000, 32_768)).toBe(14);
    expect(bucketBits(2 ** 50, 1)).toBe(30);
  });

  it('a tx key is the same from the hash as text (any case, 0x or not) and as bytes', () => {
    const hex = 'a1'.repeat(16) + '0F'.repeat(16);
    const bytes = Buffer.from(hex, 'hex');
    const k = txBytesKey(bytes, 0);
    expect(Number.isSafeInteger(k)).toBe(true);
    for (const t of [hex, `0x${hex}`, hex.toLowerCase(), `0x${hex.toUpperCase()}`])
      expect(txTextKey(t)).toBe(k);
    for (const bad of ['', '0x', hex.slice(2), `${hex}0`, `0x${hex.slice(1)}g`, `1x${hex}`])
      expect(txTextKey(bad)).toBe(undefined);
    // Hashes with a common prefix (made-up ones) still spread over the buckets.
    const seen = new Set<number>();
    for (let i = 0; i < 256; i++) {
      const b = Buffer.alloc(32);
      b[31] = i;
      seen.add(bucketOf(txBytesKey(b, 0), 6));
    }
    expect(seen.size).toBeGreaterThan(50);
  });
});

describe('ledger buckets', () => {
  it('every address back with its locs in chain order, from one chunk or several, at any bucket count', () => {
    const address = fc.oneof(
      fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${Buffer.from(b).toString('hex')}`),
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.constantFrom('naïve', '€uro', '\u{1F600}x', 'T'.repeat(34)),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(address, { minLength: 1, maxLength: 40 }),
        fc.array(fc.array(fc.nat({ max: 2 ** 20 }), { maxLength: 12 }), { minLength: 40, maxLength: 40 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        (names, lists, bits, chunks) => {
          // Each address's records split over `chunks` chunks, in order (as a file in chain order is).
          const want = names.map((_, a) =>
            [...lists[a]!].sort((x, y) => x - y).map((x) => x * 2 ** 13 + 1 + (x % 8000)),
          );
          const parts: Buckets[] = [];
          for (let c = 0; c < chunks; c++) {
            const off = [0];
            const seqs: number[] = [];
            const locs: number[] = [];
            for (let a = 0; a < names.length; a++) {
              const all = want[a]!;
              const mine = all.slice(
                Math.floor((all.length * c) / chunks),
                Math.floor((all.length * (c + 1)) / chunks),
              );
              for (const loc of mine) {
                seqs.push(locs.length);
                locs.push(loc);
              }
              off.push(seqs.length);
            }
            parts.push(
              ledgerBuckets(bits, names.length, (a) => names[a]!, off, seqs, Float64Array.from(locs)),
            );
          }
          for (let a = 0; a < names.length; a++) {
            const b = bucketOf(addressHash(names[a]!), bits);
            expect(ledgerLocs(bucket(parts, b), names[a]!)).toEqual(want[a]);
          }
          // An address not stored reads nothing; a bucket cut short is an error, never a wrong list.
          expect(ledgerLocs(bucket(parts, bucketOf(addressHash('absent'), bits)), 'absent')).toEqual([]);
          const full = names
            .map((n) => bucket(parts, bucketOf(addressHash(n), bits)))
            .find((x) => x.length > 8);
          if (full)
            expect(() => ledgerLocs(full.subarray(0, full.length - 3), '\u0000')).toThrow(
              /ends inside an entry/,
            );
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('tx buckets', () => {
  it('the records of every key back in chain order; other keys in the bucket left out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 5 }),
        (picks, bits) => {
          const keyOf = (i: number) => txBytesKey(Buffer.alloc(32, i), 0);
          const keys = Float64Array.from(picks.map(keyOf));
          const locs = Float64Array.from(picks.map((_, seq) => recordLoc(seq * 500, 100 + (seq % 50))));
          const b = txBuckets(bits, keys, locs);
          for (const i of new Set(picks)) {
            const k = keyOf(i);
            const want = picks.flatMap((p, seq) => (p === i ? [locs[seq]!] : []));
            expect(txLocs(bucket([b], bucketOf(k, bits)), k)).toEqual(want);
          }
          expect(() => txLocs(Buffer.alloc(15), 1)).toThrow(/not whole entries/);
        },
      ),
      { numRuns: 150 },
    );
  });
});
