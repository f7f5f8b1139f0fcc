// The parallel load's byte-level fast path (./chunk.ts): a transfer line in the plain shape that
// exports and fundtrace itself write is read straight from its bytes, with no string decoding, no
// JSON.parse and no objects (on a million transfers those, and hashing every address string for
// its id, were most of the load).
//
// It is a strict subset, never a second parser: a line is taken only when it is a flat JSON object
// of the transfer keys, each at most once, whose values are ASCII strings without escapes, integers
// of up to 15 digits or null, with only spaces and tabs between tokens. Such a line means the same
// to JSON.parse, and every value is checked here as the schema checks it (isPlainValidTransfer).
// Anything else (an escape, a fraction or exponent, a repeated or unknown key, a carriage return,
// a value of another type, any non-ASCII byte) makes scanTransfer answer false, and the line takes
// the ordinary path: decoded, parsed, checked and worded by the same code as always.

/** A transfer line's values: byte spans into the line's buffer (string contents, without quotes). */
export interface Scan {
  txS: number;
  txE: number;
  index: number;
  /** -1: null. */
  height: number;
  /** -1: null or absent. */
  position: number;
  /** -1: null or absent. */
  timeS: number;
  timeE: number;
  fromS: number;
  fromE: number;
  /** bytesHash of from and of to. */
  fromH: number;
  toH: number;
  /** -1: null. */
  toS: number;
  toE: number;
  assetS: number;
  assetE: number;
  valueS: number;
  valueE: number;
  kind: FastKind;
}

/** Transfer kinds by code. */
export const FAST_KINDS = ['native', 'token', 'internal', 'fee'] as const;
export type FastKind = 0 | 1 | 2 | 3;

export function newScan(): Scan {
  return {
    txS: 0,
    txE: 0,
    index: 0,
    height: -1,
    position: -1,
    timeS: -1,
    timeE: -1,
    fromS: 0,
    fromE: 0,
    fromH: 0,
    toH: 0,
    toS: -1,
    toE: -1,
    assetS: 0,
    assetE: 0,
    valueS: 0,
    valueE: 0,
    kind: 0,
  };
}

const KEYS = ['type', 'tx', 'index', 'height', 'position', 'time', 'from', 'to', 'asset', 'value', 'kind'];
const K_TYPE = 0;
const K_TX = 1;
const K_INDEX = 2;
const K_HEIGHT = 3;
const K_POSITION = 4;
const K_TIME = 5;
const K_FROM = 6;
const K_TO = 7;
const K_ASSET = 8;
const K_VALUE = 9;
const K_KIND = 10;
const KEY_BYTES = KEYS.map((k) => Buffer.from(k, 'latin1'));
/** Keys a transfer must have (position and time may be absent). */
const REQUIRED =
  (1 << K_TYPE) |
  (1 << K_TX) |
  (1 << K_INDEX) |
  (1 << K_HEIGHT) |
  (1 << K_FROM) |
  (1 << K_TO) |
  (1 << K_ASSET) |
  (1 << K_VALUE) |
  (1 << K_KIND);
const TRANSFER = Buffer.from('transfer', 'latin1');
const KIND_BYTES = FAST_KINDS.map((k) => Buffer.from(k, 'latin1'));

/** Hex digit values by byte, -1 for anything else. */
export const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[65 + c] = 10 + c;
  HEX[97 + c] = 10 + c;
}

function same(buf: Uint8Array, s: number, e: number, want: Uint8Array): boolean {
  if (e - s !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (buf[s + i] !== want[i]) return false;
  return true;
}

function keyId(buf: Uint8Array, s: number, e: number): number {
  for (let k = 0; k < KEY_BYTES.length; k++) if (same(buf, s, e, KEY_BYTES[k]!)) return k;
  return -1;
}

/** Past spaces and tabs from `i` (JSON's other blanks, CR and LF, never pass: see the file's comment). */
function blanks(buf: Uint8Array, i: number, e: number): number {
  while (i < e && (buf[i] === 32 || buf[i] === 9)) i++;
  return i;
}

/**
 * The closing quote of a string whose contents start at `i`: every byte printable ASCII (no
 * control character, no backslash, nothing ≥ 0x7f); -1 otherwise.
 */
function stringEnd(buf: Uint8Array, i: number, e: number): number {
  for (; i < e; i++) {
    const c = buf[i]!;
    if (c === 34) return i;
    if (c < 32 || c > 126 || c === 92) return -1;
  }
  return -1;
}

/** bytesHash of the string hashedStringEnd last read. */
let spanHash = 0;

/** stringEnd, computing bytesHash of the contents on the way (into spanHash): one pass over an address. */
function hashedStringEnd(buf: Uint8Array, i: number, e: number): number {
  let h = 0x811c9dc5;
  for (; i < e; i++) {
    const c = buf[i]!;
    if (c === 34) {
      spanHash = h ^ (h >>> 15);
      return i;
    }
    if (c < 32 || c > 126 || c === 92) return -1;
    h = Math.imul(h ^ c, 16777619);
  }
  return -1;
}

/** A count (0 or 1–15 digits without a leading zero, so ≤ 2^53 - 1) ending at `e`; -1 if not. */
function count(buf: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len < 1 || len > 15 || (buf[s] === 48 && len > 1)) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Is buf[s, e) a tx hash of the chain's form: 64 hex digits, after 0x unless TRON. */
function txForm(buf: Uint8Array, s: number, e: number, tron: boolean): boolean {
  if (!tron) {
    if (buf[s] !== 48 || buf[s + 1] !== 120) return false;
    s += 2;
  }
  if (e - s !== 64) return false;
  for (let i = s; i < e; i++) if (HEX[buf[i]!]! < 0) return false;
  return true;
}

/** An amount: 0, or 1–77 digits without a leading zero (below 2^256 - 1 by length alone). */
function amountForm(buf: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  if (len < 1 || len > 77 || (buf[s] === 48 && len > 1)) return false;
  for (let i = s; i < e; i++) if (buf[i]! < 48 || buf[i]! > 57) return false;
  return true;
}

/**
 * Read the transfer line buf[s, e) into `out`; false when it is not in the fast path's shape (the
 * caller then reads it the ordinary way). Checks what the schema checks of each value and the
 * tx hash's form for the chain (`tron`); the caller checks what needs the dataset (addresses,
 * asset, time's calendar, head).
 */
export function scanTransfer(buf: Uint8Array, s: number, e: number, tron: boolean, out: Scan): boolean {
  let i = blanks(buf, s, e);
  if (i >= e || buf[i] !== 123) return false; // {
  i = blanks(buf, i + 1, e);
  let seen = 0;
  out.position = -1;
  out.timeS = -1;
  out.timeE = -1;
  for (;;) {
    if (i >= e || buf[i] !== 34) return false;
    const ke = stringEnd(buf, i + 1, e);
    if (ke < 0) return false;
    const k = keyId(buf, i + 1, ke);
    if (k < 0 || seen & (1 << k)) return false;
    seen |= 1 << k;
    i = blanks(buf, ke + 1, e);
    if (i >= e || buf[i] !== 58) return false; // :
    i = blanks(buf, i + 1, e);
    if (i >= e) return false;
    const c = buf[i];
    let ve: number; // end of the value's token
    if (c === 34) {
      const vs = i + 1;
      // The long values are read once: their form is checked as their end is found.
      if (k === K_TX) {
        // 64 hex digits (after 0x unless TRON), then the closing quote.
        ve = vs + (tron ? 64 : 66);
        if (ve >= e || buf[ve] !== 34 || !txForm(buf, vs, ve, tron)) return false;
        out.txS = vs;
        out.txE = ve;
      } else if (k === K_VALUE) {
        ve = vs;
        while (ve < e && buf[ve]! >= 48 && buf[ve]! <= 57) ve++;
        if (ve >= e || buf[ve] !== 34 || !amountForm(buf, vs, ve)) return false;
        out.valueS = vs;
        out.valueE = ve;
      } else if (k === K_FROM || k === K_TO) {
        ve = hashedStringEnd(buf, vs, e);
        if (ve < 0 || ve === vs || ve - vs > 100) return false;
        if (k === K_FROM) {
          out.fromS = vs;
          out.fromE = ve;
          out.fromH = spanHash;
        } else {
          out.toS = vs;
          out.toE = ve;
          out.toH = spanHash;
        }
      } else {
        ve = stringEnd(buf, vs, e);
        if (ve < 0) return false;
      }
      switch (k) {
        case K_TX:
        case K_VALUE:
        case K_FROM:
        case K_TO:
          break;
        case K_TYPE:
          if (!same(buf, vs, ve, TRANSFER)) return false;
          break;
        case K_TIME:
          out.timeS = vs;
          out.timeE = ve;
          break;
        case K_ASSET:
          if (ve === vs || ve - vs > 64) return false;
          out.assetS = vs;
          out.assetE = ve;
          break;
        case K_KIND: {
          let kind = -1;
          for (let j = 0; j < KIND_BYTES.length && kind < 0; j++)
            if (same(buf, vs, ve, KIND_BYTES[j]!)) kind = j;
          if (kind < 0) return false;
          out.kind = kind as FastKind;
          break;
        }
        default:
          return false; // a number's key with a string
      }
      ve++;
    } else if (c === 110) {
      // null: only where the schema allows it
      if (i + 4 > e || buf[i + 1] !== 117 || buf[i + 2] !== 108 || buf[i + 3] !== 108) return false;
      ve = i + 4;
      if (k === K_HEIGHT) out.height = -1;
      else if (k === K_POSITION) out.position = -1;
      else if (k === K_TIME) {
        out.timeS = -1;
        out.timeE = -1;
      } else if (k === K_TO) {
        out.toS = -1;
        out.toE = -1;
      } else return false;
    } else {
      ve = i;
      while (ve < e && buf[ve]! >= 48 && buf[ve]! <= 57) ve++;
      const v = count(buf, i, ve);
      if (v < 0) return false;
      if (k === K_INDEX) out.index = v;
      else if (k === K_HEIGHT) out.height = v;
      else if (k === K_POSITION) out.position = v;
      else return false;
    }
    // After a value: `,` and the next key, or the closing `}` and nothing but blanks.
    i = blanks(buf, ve, e);
    if (i < e && buf[i] === 44) {
      i = blanks(buf, i + 1, e);
      continue;
    }
    if (i >= e || buf[i] !== 125 || blanks(buf, i + 1, e) !== e) return false;
    return (seen & REQUIRED) === REQUIRED;
  }
}

/** FNV-1a over bytes (the spelling table's hash). */
export function bytesHash(buf: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, 16777619);
  return h ^ (h >>> 15);
}

/**
 * Address spellings (their bytes, as they appear in lines) → address id: a table of bytes, so
 * the fast path looks up an address without making a string of it. Open addressing over 64-byte
 * slots (hash, length, id, then the spelling itself when it fits in 52 bytes, as every EVM and
 * TRON address does, else its offset in an arena): a probe reads one cache line, where separate
 * key and slot arrays cost two misses per lookup on a table of 200 000 addresses.
 */
export class SpellingIds {
  private static readonly SLOT = 64;
  private static readonly INLINE = 52;
  private bytes: Uint8Array;
  private ints: Int32Array;
  private mask: number;
  private arena = new Uint8Array(0);
  private used = 0;
  size = 0;

  /** Room for `expected` spellings before the table first grows. */
  constructor(expected = 2048) {
    let cap = 1 << 12;
    while (cap < expected * 2 && cap < 1 << 24) cap *= 2;
    this.bytes = new Uint8Array(cap * SpellingIds.SLOT);
    this.ints = new Int32Array(this.bytes.buffer);
    this.mask = cap - 1;
  }

  /** The id of buf[s, e) (hash `h`), or -1 when it is not in the table. */
  get(buf: Uint8Array, s: number, e: number, h: number): number {
    const { ints, bytes, mask } = this;
    const n = e - s;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const q = i << 4; // ints per slot
      const len = ints[q + 1]!;
      if (len === 0) return -1;
      if (ints[q] === h && len === n) {
        let key = bytes;
        let k = (i << 6) + 12;
        if (n > SpellingIds.INLINE) {
          key = this.arena;
          k = ints[q + 3]!;
        }
        let j = 0;
        while (j < n && key[k + j] === buf[s + j]) j++;
        if (j === n) return ints[q + 2]!;
      }
    }
  }

  /** Add buf[s, e) (1 or more bytes, not in the table) with `id`. */
  set(buf: Uint8Array, s: number, e: number, h: number, id: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const n = e - s;
    let at = -1;
    if (n > SpellingIds.INLINE) {
      if (this.used + n > this.arena.length) {
        const grown = new Uint8Array(Math.max(this.arena.length * 2, this.used + n, 1 << 12));
        grown.set(this.arena.subarray(0, this.used));
        this.arena = grown;
      }
      this.arena.set(buf.subarray(s, e), this.used);
      at = this.used;
      this.used += n;
    }
    const i = this.place(h, n, id, at);
    if (at < 0) for (let j = 0; j < n; j++) this.bytes[(i << 6) + 12 + j] = buf[s + j]!;
    this.size++;
  }

  /** Claim a free slot for (h, n, id, arena offset): its number. */
  private place(h: number, n: number, id: number, at: number): number {
    const { ints, mask } = this;
    let i = h & mask;
    while (ints[(i << 4) + 1] !== 0) i = (i + 1) & mask;
    const q = i << 4;
    ints[q] = h;
    ints[q + 1] = n;
    ints[q + 2] = id;
    ints[q + 3] = at;
    return i;
  }

  private grow(): void {
    const old = this.bytes;
    const oldInts = this.ints;
    const cap = (this.mask + 1) * 2;
    this.bytes = new Uint8Array(cap * SpellingIds.SLOT);
    this.ints = new Int32Array(this.bytes.buffer);
    this.mask = cap - 1;
    for (let q = 0; q < oldInts.length; q += 16) {
      const n = oldInts[q + 1]!;
      if (n === 0) continue;
      const at = n > SpellingIds.INLINE ? oldInts[q + 3]! : -1;
      const i = this.place(oldInts[q]!, n, oldInts[q + 2]!, at);
      if (at < 0) this.bytes.set(old.subarray(q * 4 + 12, q * 4 + 12 + n), (i << 6) + 12);
    }
  }
}

/**
 * A DatasetBuilder's address table (AddressIdTable) kept in a SpellingIds, so the fast path and the
 * builder share one table: the fast path finds a spelling by its bytes, the builder (for a new one,
 * and for every line read the ordinary way) by its string. Spellings the fast path can never take
 * (anything but printable ASCII without quote or backslash, or longer than 255 bytes) stay in a Map.
 */
export class SpellingTable {
  private readonly scratch = Buffer.alloc(256);
  private readonly other = new Map<string, number>();
  constructor(readonly bytes: SpellingIds) {}

  /** The spelling's length in `scratch`, or -1 when it is not one the byte table holds. */
  private encode(s: string): number {
    if (s.length === 0 || s.length > 255) return -1;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c > 126 || c === 34 || c === 92) return -1;
    }
    return this.scratch.write(s, 0, 'latin1');
  }

  get(s: string): number | undefined {
    const n = this.encode(s);
    if (n < 0) return this.other.get(s);
    const id = this.bytes.get(this.scratch, 0, n, bytesHash(this.scratch, 0, n));
    return id < 0 ? undefined : id;
  }

  set(s: string, id: number): void {
    const n = this.encode(s);
    if (n < 0) this.other.set(s, id);
    else this.bytes.set(this.scratch, 0, n, bytesHash(this.scratch, 0, n), id);
  }

  clear(): void {
    throw new Error('a parallel chunk never forgets its addresses');
  }
}
