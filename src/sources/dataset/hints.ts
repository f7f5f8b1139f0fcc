// Index hints: what the loader already knows about a Dataset it built (a dense id for every
// distinct address, and the id of every address occurrence in chain order), so buildDatasetView
// can skip millions of string lookups. Held in a WeakMap, so a Dataset built any other way simply
// has none, and the view indexes it from scratch.
import type { Dataset, Transfer, UtxoTx } from '../../core/model.js';

export interface IndexHints {
  /** The arrays the hints describe; hints are ignored once the dataset holds other arrays. */
  transactions: readonly UtxoTx[];
  transfers: readonly Transfer[];
  /** id → canonical address. */
  addresses: readonly string[];
  /** Account chains: address id of each transfer's from / to (-1 for null), in chain order. */
  from?: Int32Array;
  to?: Int32Array;
  /** UTXO chains: address ids of every input then every output of each tx (-1 for null), in chain order. */
  txAddresses?: Int32Array;
  /** UTXO chains: for every input in chain order, the chain-order index of the transaction it
   *  spends from, or -1 when that transaction is outside the dataset. */
  funding?: Int32Array;
}

const hints = new WeakMap<Dataset, IndexHints>();

export function setIndexHints(dataset: Dataset, h: IndexHints): void {
  hints.set(dataset, h);
}

/** Hints for a dataset, when they still describe it (same arrays, same sizes, spot-checked). */
export function indexHints(dataset: Dataset): IndexHints | undefined {
  const h = hints.get(dataset);
  if (!h || h.transfers !== dataset.transfers || h.transactions !== dataset.transactions) return undefined;
  const trs = dataset.transfers;
  if (h.from && h.to) {
    if (h.from.length !== trs.length || h.to.length !== trs.length) return undefined;
    const step = Math.max(1, Math.floor(trs.length / 64));
    for (let i = 0; i < trs.length; i += step) {
      const t = trs[i]!;
      const to = h.to[i]!;
      if (h.addresses[h.from[i]!] !== t.from || (to < 0 ? t.to !== null : h.addresses[to] !== t.to))
        return undefined;
    }
  } else if (trs.length > 0) {
    return undefined;
  }
  if (h.txAddresses) {
    const txs = dataset.transactions;
    let c = 0;
    let inputs = 0;
    const tstep = Math.max(1, Math.floor(txs.length / 64));
    for (let i = 0; i < txs.length; i++) {
      const tx = txs[i]!;
      if (i % tstep === 0) {
        for (let j = 0; j < tx.inputs.length; j++) {
          const id = h.txAddresses[c + j];
          const a = tx.inputs[j]!.address;
          if (id === undefined || (id < 0 ? a !== null : h.addresses[id] !== a)) return undefined;
        }
      }
      c += tx.inputs.length + tx.outputs.length;
      inputs += tx.inputs.length;
    }
    if (c !== h.txAddresses.length) return undefined;
    if (h.funding && h.funding.length !== inputs) return undefined;
  }
  return h;
}

/**
 * Each address's ledger as offsets and entries: one entry per side of a transfer (from, and to when
 * another address) for records lo ≤ i < hi of `from` / `to` (address ids below nAddr, -1 for none).
 * The entries are chain-order positions k, ascending: with `order` (k → record), the k whose record
 * is in range; without, the records themselves (already in chain order).
 */
export function sideLedgers(
  nAddr: number,
  from: Int32Array,
  to: Int32Array,
  lo: number,
  hi: number,
  order?: ArrayLike<number>,
): { off: Uint32Array; seqs: Uint32Array } {
  const off = new Uint32Array(nAddr + 1);
  for (let i = lo; i < hi; i++) {
    off[from[i]! + 1]!++;
    if (to[i]! >= 0 && to[i] !== from[i]) off[to[i]! + 1]!++;
  }
  for (let a = 0; a < nAddr; a++) off[a + 1]! += off[a]!;
  const seqs = new Uint32Array(off[nAddr]!);
  const cursor = off.slice(0, nAddr);
  const n = order ? order.length : hi;
  for (let k = order ? 0 : lo; k < n; k++) {
    const i = order ? order[k]! : k;
    if (i < lo || i >= hi) continue;
    seqs[cursor[from[i]!]!++] = k;
    if (to[i]! >= 0 && to[i] !== from[i]) seqs[cursor[to[i]!]!++] = k;
  }
  return { off, seqs };
}

/** A growable Int32Array. */
export class IntBuffer {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/**
 * string → non-negative int, open addressing with an FNV-1a hash over the whole string. On the
 * fresh strings JSON.parse hands out, this is about twice as fast as a Map (which must hash each
 * new string object anyway); hashing every character keeps crafted common prefixes harmless.
 */
export class StringIds {
  private keys: (string | undefined)[] = new Array(1 << 12).fill(undefined);
  private hashes = new Int32Array(1 << 12);
  private values = new Int32Array(1 << 12);
  size = 0;

  static hash(s: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    return h ^ (h >>> 15);
  }

  /** The value for `s`, or -1. */
  get(s: string, h: number): number {
    const mask = this.keys.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i];
      if (k === undefined) return -1;
      if (this.hashes[i] === h && k === s) return this.values[i]!;
    }
  }

  /** Add `s` (not present) with `value`. */
  set(s: string, h: number, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = h & mask;
    while (this.keys[i] !== undefined) i = (i + 1) & mask;
    this.keys[i] = s;
    this.hashes[i] = h;
    this.values[i] = value;
    this.size++;
  }

  private grow(): void {
    const { keys, hashes, values } = this;
    const cap = keys.length * 2;
    this.keys = new Array(cap).fill(undefined);
    this.hashes = new Int32Array(cap);
    this.values = new Int32Array(cap);
    const mask = cap - 1;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j];
      if (k === undefined) continue;
      let i = hashes[j]! & mask;
      while (this.keys[i] !== undefined) i = (i + 1) & mask;
      this.keys[i] = k;
      this.hashes[i] = hashes[j]!;
      this.values[i] = values[j]!;
    }
  }
}
