// How format /5 stores an account chain's records (see ./format.ts), pure: no I/O.
//
// Records are stored as bytes in pieces of at most PIECE_BYTES (one SQLite page each, so a read
// touches one page and SQLite copies out only the record's bytes), each piece keyed by the offset
// of its first byte (in the dataset file, for records stored as their lines). A record is found by
// its `loc`, one integer: its byte offset × 2^13 + its byte length; a record longer than a piece is
// a piece of its own (with its newline, and carriage return, when it has them: a reader drops
// them) and its loc is its offset × 2^13 alone. A record never straddles two pieces,
// so its piece is the one with the greatest key at or below its offset. Offsets stay below 2^40 (a
// 1 TB dataset), so a loc is an exact JS number and an exact SQLite integer. A loc depends on the
// record alone, not on how the file was cut into pieces: the parallel load's workers write them.
//
// The ledgers and the transaction lookup are hash buckets, each a row holding a list: SQLite's cost
// is per row, and a row per address or per transfer cost more than the rest of the build (writing a
// million rows and their B-tree index took ~2.5 s, the same bytes as 40 000 rows ~0.3 s).
//   ledger bucket: entries [u16 byte length][the address, UTF-8][zeros][u32 count][f64 loc × count],
//                  the zeros making the head a multiple of 8 bytes (the locs aligned); an
//                  address may have several entries (one per chunk of the file that names it), in
//                  chain order: its ledger is their locs, concatenated
//   tx bucket:     entries [f64 tx key][f64 loc], in chain order
// The hashes below are part of the format: changing one makes every index unreadable.

/** Most bytes a piece holds (with its row header it fits one 8192-byte page; lengths fit 13 bits). */
export const PIECE_BYTES = 8000;
const IN_LOC = 2 ** 13;
/** Bytes a dataset may have (its offsets × 2^13 stay exact in a double). */
export const MAX_BYTES = 2 ** 40;

/** The loc of a record `length` bytes long at byte `start`. */
export const recordLoc = (start: number, length: number): number =>
  length > PIECE_BYTES ? start * IN_LOC : start * IN_LOC + length;

/** Is the record at this loc the whole of its piece (longer than a piece; stored with its line's end, if any)? */
export const isWholeLoc = (loc: number): boolean => loc % IN_LOC === 0;

/** Locs a records query takes at most: its JSON array and answer stay small (~600 KB), and so does what a 10M-transfer hub's round holds at once (10 000 a query: +25 MB at the peak). */
export const RECORDS_AT_ONCE = 2_000;

/**
 * The SQL of the records at a JSON array of locs (the one parameter): one search for each record's
 * piece (the greatest key at or below its offset), its bytes copied out (a whole piece without its
 * line's end), all of them joined by newlines, in the array's order, as one BLOB (one row crossing
 * into JS, decoded once: a row per record cost ~50 % more), and how many there were.
 */
export const RECORDS_SQL = `SELECT CAST(group_concat(CASE j.value & 8191
    WHEN 0 THEN substr(p.bytes, 1, length(p.bytes) - CASE WHEN substr(p.bytes, -1) = x'0a'
      THEN 1 + (length(p.bytes) > 1 AND substr(p.bytes, -2, 1) = x'0d') ELSE 0 END)
    ELSE substr(p.bytes, (j.value >> 13) - p.start + 1, j.value & 8191) END, char(10) ORDER BY j.key) AS BLOB), count(*)
FROM json_each(?) j JOIN pieces p ON p.start = (SELECT start FROM pieces WHERE start <= (j.value >> 13) ORDER BY start DESC LIMIT 1)`;

/** Bits of a bucket number for `n` keys at about `per` keys a bucket (at least 1 bucket, at most 2^30). */
export function bucketBits(n: number, per: number): number {
  let bits = 0;
  while (bits < 30 && 2 ** bits * per < n) bits++;
  return bits;
}

/**
 * Bucket counts for a dataset of `bytes`, chosen before it is read: about one ledger bucket and one
 * tx bucket per 32 KiB of it (the 1M-transfer benchmark: ~12 addresses and ~60 transfers a bucket,
 * ~1 KB each; a row per 8 KiB was 0.2 s more of SQLite for lookups no faster).
 */
export const indexBucketBits = (bytes: number): { ledgerBits: number; txBits: number } => ({
  ledgerBits: bucketBits(bytes, 32768),
  txBits: bucketBits(bytes, 32768),
});

/** An address's bucket hash: FNV-1a over its UTF-16 code units, mixed (uint32). */
export function addressHash(address: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < address.length; i++) h = Math.imul(h ^ address.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

/**
 * A transaction's lookup key from its 32 hash bytes at `at`: two 32-bit FNV-1a variants folded into
 * 53 bits (so transactions whose hashes share a prefix, as made-up ones do, still spread). The
 * bucket is the low bits; the whole key is stored, so a lookup reads the records of its own key only.
 */
export function txBytesKey(bytes: Uint8Array, at: number): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = at; i < at + 32; i++) {
    const c = bytes[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return ((b >>> 0) & 0x1fffff) * 2 ** 32 + (a >>> 0);
}

const TX_FORM = /^(?:0x)?[0-9a-fA-F]{64}$/;
const scratch = new Uint8Array(32);

/** The key of a transaction hash as text (any case, 0x or not), or undefined when it is not 32 hex bytes. */
export function txTextKey(tx: string): number | undefined {
  if (!TX_FORM.test(tx)) return undefined;
  const hex = tx.length === 66 ? tx.slice(2) : tx;
  for (let i = 0; i < 32; i++) scratch[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return txBytesKey(scratch, 0);
}

/** The bucket of a key (an address hash, or a tx key) among 2^bits. */
export const bucketOf = (key: number, bits: number): number => (bits === 0 ? 0 : key % 2 ** bits);

/** Stored numbers are little-endian whatever the machine (its typed arrays write its own order). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Buckets 0 … 2^bits − 1 of one kind, as one byte array: bucket b is bytes[off[b], off[b + 1]). */
export interface Buckets {
  off: Uint32Array;
  bytes: Uint8Array;
}

/**
 * Bytes of a ledger entry before its locs: the address's length, the address, zeros up to a
 * multiple of 8 with the count, the count (so entries are multiples of 8 and their locs aligned).
 */
const ledgerEntryHead = (addressBytes: number): number => (2 + addressBytes + 4 + 7) & ~7;

/** Members 0 … n − 1 grouped by bucket (ascending within each): a counting sort. */
function byBucket(bucket: Uint32Array, buckets: number): { off: Uint32Array; members: Uint32Array } {
  const off = new Uint32Array(buckets + 1);
  for (let i = 0; i < bucket.length; i++) off[bucket[i]! + 1]!++;
  for (let b = 0; b < buckets; b++) off[b + 1]! += off[b]!;
  const members = new Uint32Array(bucket.length);
  const cursor = off.slice(0, buckets);
  for (let i = 0; i < bucket.length; i++) members[cursor[bucket[i]!]!++] = i;
  return { off, members };
}

/**
 * Ledger buckets of `count` addresses: address a's records are seqs[off[a], off[a + 1]) (in chain
 * order), each written as its loc, locs[seq]. Addresses with no record are left out.
 */
export function ledgerBuckets(
  bits: number,
  count: number,
  address: (a: number) => string,
  off: ArrayLike<number>,
  seqs: ArrayLike<number>,
  locs: Float64Array,
): Buckets {
  const names: string[] = new Array(count);
  const bytes = new Uint32Array(count);
  const bucket = new Uint32Array(count);
  const size = new Float64Array(2 ** bits + 1);
  const mask = 2 ** bits - 1;
  for (let a = 0; a < count; a++) {
    const n = off[a + 1]! - off[a]!;
    if (n === 0) continue;
    const name = address(a);
    names[a] = name;
    bytes[a] = Buffer.byteLength(name, 'utf8');
    if (bytes[a]! > 0xffff) throw new Error(`an address of ${bytes[a]} bytes cannot be indexed`);
    bucket[a] = addressHash(name) & mask;
    size[bucket[a]! + 1]! += ledgerEntryHead(bytes[a]!) + 8 * n;
  }
  const out = bucketOffsets(size);
  // Its own memory (never Buffer's shared pool): a worker hands it over by transfer. Every entry is
  // a multiple of 8 bytes, so the locs are aligned and written through a Float64Array.
  const memory = new ArrayBuffer(out[out.length - 1]!);
  const data = Buffer.from(memory);
  const view = new DataView(memory);
  const words = new Float64Array(memory, 0, memory.byteLength >>> 3);
  const { members } = byBucket(bucket, 2 ** bits);
  let p = 0;
  for (const a of members) {
    const from = off[a]!;
    const n = off[a + 1]! - from;
    if (n === 0) continue;
    const name = names[a]!;
    const len = bytes[a]!;
    view.setUint16(p, len, true);
    // An ASCII address (every checked one): its bytes are its code units (Buffer.write costs more).
    if (len === name.length) for (let i = 0; i < len; i++) data[p + 2 + i] = name.charCodeAt(i);
    else data.write(name, p + 2, len, 'utf8');
    p += ledgerEntryHead(len);
    view.setUint32(p - 4, n, true);
    if (LITTLE_ENDIAN) for (let k = 0, w = p >>> 3; k < n; k++) words[w + k] = locs[seqs[from + k]!]!;
    else for (let k = 0; k < n; k++) view.setFloat64(p + 8 * k, locs[seqs[from + k]!]!, true);
    p += 8 * n;
  }
  return { off: out, bytes: data };
}

/** Tx buckets of records 0 … n − 1 (in chain order): record i's key and loc. */
export function txBuckets(bits: number, keys: Float64Array, locs: Float64Array): Buckets {
  const bucket = new Uint32Array(keys.length);
  const modulus = 2 ** bits;
  for (let i = 0; i < keys.length; i++) bucket[i] = keys[i]! % modulus;
  const { off, members } = byBucket(bucket, modulus);
  const data = new Float64Array(2 * keys.length);
  for (let k = 0; k < members.length; k++) {
    const i = members[k]!;
    data[2 * k] = keys[i]!;
    data[2 * k + 1] = locs[i]!;
  }
  for (let b = 0; b < off.length; b++) off[b]! *= 16;
  const bytes = new Uint8Array(data.buffer);
  if (!LITTLE_ENDIAN) for (let i = 0; i < bytes.length; i += 8) bytes.subarray(i, i + 8).reverse();
  return { off, bytes };
}

/** Offsets from sizes (size[b + 1] = bucket b's bytes). */
function bucketOffsets(size: Float64Array): Uint32Array {
  const out = new Uint32Array(size.length);
  let total = 0;
  for (let b = 1; b < size.length; b++) {
    total += size[b]!;
    if (total > 0xffffffff) throw new Error('the buckets of one chunk exceed 4 GB');
    out[b] = total;
  }
  return out;
}

/**
 * The locs of `address` in a ledger bucket, in chain order (its entries' locs, concatenated); []
 * when it is not there. Throws on a bucket whose entries do not add up (a damaged index).
 */
export function ledgerLocs(bucket: Uint8Array, address: string): number[] {
  const b = Buffer.from(bucket.buffer, bucket.byteOffset, bucket.byteLength);
  const want = Buffer.from(address, 'utf8');
  const out: number[] = [];
  for (let p = 0; p < b.length; ) {
    if (p + 2 > b.length) throw new Error('a ledger bucket ends inside an entry');
    const len = b.readUInt16LE(p);
    const head = ledgerEntryHead(len);
    if (p + head > b.length) throw new Error('a ledger bucket ends inside an entry');
    const count = b.readUInt32LE(p + head - 4);
    const end = p + head + 8 * count;
    if (end > b.length) throw new Error('a ledger bucket ends inside an entry');
    if (len === want.length && want.equals(b.subarray(p + 2, p + 2 + len))) {
      for (let k = 0; k < count; k++) out.push(b.readDoubleLE(p + head + 8 * k));
    }
    p = end;
  }
  return out;
}

/** The locs stored under tx key `key` in a tx bucket, in chain order. */
export function txLocs(bucket: Uint8Array, key: number): number[] {
  const b = Buffer.from(bucket.buffer, bucket.byteOffset, bucket.byteLength);
  if (b.length % 16 !== 0) throw new Error('a transaction bucket is not whole entries');
  const out: number[] = [];
  for (let p = 0; p < b.length; p += 16) if (b.readDoubleLE(p) === key) out.push(b.readDoubleLE(p + 8));
  return out;
}
