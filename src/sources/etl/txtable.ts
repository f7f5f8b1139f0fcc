// The transactions of an export, by hash, in typed arrays: what token transfers, traces and logs of
// the same transaction need from it (block, position, time, whether it failed). A month of an
// export holds millions of transactions: a Map of hash strings would cost ~150 bytes each and stops
// at 2^24 entries; this costs ~60 and grows until memory does.

const EMPTY = 0;

export class TxTable {
  private slots = new Int32Array(1 << 16);
  private keys = new Uint8Array(32 << 12);
  private heights = new Float64Array(1 << 12);
  private positions = new Float64Array(1 << 12);
  private timeIds = new Int32Array(1 << 12);
  private flags = new Uint8Array(1 << 12);
  private readonly times: string[] = [];
  private readonly timeId = new Map<string, number>();
  private readonly scratch = Buffer.alloc(32);
  size = 0;

  /** The row of a transaction hash (0x and 64 hex digits, any case), or -1. */
  get(hash: string): number {
    const k = this.key(hash);
    const mask = this.slots.length - 1;
    for (let s = this.start(k, 0) & mask; ; s = (s + 1) & mask) {
      const v = this.slots[s]!;
      if (v === EMPTY) return -1;
      if (this.same(v - 1, k)) return v - 1;
    }
  }

  /** Adds a transaction; false (nothing changed) when its hash is there already. */
  add(hash: string, height: number, position: number, time: string, failed: boolean): boolean {
    if (this.get(hash) >= 0) return false; // also leaves the hash's bytes in scratch
    if ((this.size + 1) * 2 > this.slots.length) this.rehash();
    const row = this.size++;
    if (row >= this.heights.length) this.growRows();
    this.keys.set(this.scratch, row * 32);
    this.heights[row] = height;
    this.positions[row] = position;
    let t = this.timeId.get(time);
    if (t === undefined) {
      t = this.times.length;
      this.times.push(time);
      this.timeId.set(time, t);
    }
    this.timeIds[row] = t;
    this.flags[row] = failed ? 1 : 0;
    this.place(row);
    return true;
  }

  height(row: number): number {
    return this.heights[row]!;
  }
  position(row: number): number {
    return this.positions[row]!;
  }
  time(row: number): string {
    return this.times[this.timeIds[row]!]!;
  }
  failed(row: number): boolean {
    return this.flags[row] === 1;
  }

  /** The hash's 32 bytes, in scratch (the caller checked the form: 0x and 64 hex digits). */
  private key(hash: string): Buffer {
    this.scratch.write(hash.slice(2), 0, 32, 'hex');
    return this.scratch;
  }

  /**
   * A mix of all 32 bytes: real hashes are uniform, but an export's are only checked for form, and
   * made-up ones (0x000…001, 0x000…002, …) must not all land in one slot.
   */
  private start(k: Uint8Array, at: number): number {
    let h = 0x811c9dc5;
    for (let i = at; i < at + 32; i += 4) {
      const w = k[i]! | (k[i + 1]! << 8) | (k[i + 2]! << 16) | (k[i + 3]! << 24);
      h = Math.imul(h ^ w, 0x9e3779b1);
      h ^= h >>> 15;
    }
    return h >>> 0;
  }

  private same(row: number, k: Uint8Array): boolean {
    const at = row * 32;
    for (let i = 0; i < 32; i++) if (this.keys[at + i] !== k[i]) return false;
    return true;
  }

  private place(row: number): void {
    const mask = this.slots.length - 1;
    let s = this.start(this.keys, row * 32) & mask;
    while (this.slots[s] !== EMPTY) s = (s + 1) & mask;
    this.slots[s] = row + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let row = 0; row < this.size; row++) this.place(row);
  }

  private growRows(): void {
    const n = this.heights.length * 2;
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(a === this.keys ? n * 32 : n);
      b.set(a);
      return b;
    };
    this.keys = grow(this.keys, (m) => new Uint8Array(m));
    this.heights = grow(this.heights, (m) => new Float64Array(m));
    this.positions = grow(this.positions, (m) => new Float64Array(m));
    this.timeIds = grow(this.timeIds, (m) => new Int32Array(m));
    this.flags = grow(this.flags, (m) => new Uint8Array(m));
  }
}
