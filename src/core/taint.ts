// The three taint models of the taint-vectors page, as small pure primitives.
// poison: reachability (upper bound); haircut: proportional shares; fifo: first in, first out.
import { apportion, minBig } from './amount.js';

export type Model = 'poison' | 'haircut' | 'fifo';
export const MODELS: readonly Model[] = ['haircut', 'poison', 'fifo'];

/** A run of base units on a fifo tape: tainted or clean. */
export interface Seg {
  t: boolean;
  n: bigint;
}

/**
 * Taint carried by one movement. `amount` is the tainted part; `segs` (fifo only) records the
 * order of tainted and clean runs so a later transaction lays them on its tape in that order.
 */
export interface Taint {
  amount: bigint;
  segs?: Seg[];
}

export const NO_TAINT: Taint = { amount: 0n };

export function fullTaint(model: Model, value: bigint): Taint {
  return TAINT_MODELS[model].full(value);
}

export function cleanTaint(model: Model, value: bigint): Taint {
  return TAINT_MODELS[model].clean(value);
}

function pushSeg(out: Seg[], t: boolean, n: bigint): void {
  if (n <= 0n) return;
  const last = out[out.length - 1];
  if (last && last.t === t) last.n += n;
  else out.push({ t, n });
}

/** Cut a tape into consecutive pieces of the given lengths; whatever is left goes to a last piece. */
export function cutTape(tape: readonly Seg[], lengths: readonly bigint[]): { pieces: Seg[][]; rest: Seg[] } {
  const pieces: Seg[][] = [];
  let i = 0;
  let off = 0n; // units already used from tape[i]
  const take = (len: bigint): Seg[] => {
    const out: Seg[] = [];
    let need = len;
    while (need > 0n && i < tape.length) {
      const s = tape[i]!;
      const avail = s.n - off;
      const n = minBig(avail, need);
      pushSeg(out, s.t, n);
      need -= n;
      off += n;
      if (off === s.n) {
        i++;
        off = 0n;
      }
    }
    // A tape shorter than asked (more out than in) is padded with clean units.
    if (need > 0n) pushSeg(out, false, need);
    return out;
  };
  for (const len of lengths) pieces.push(take(len));
  const rest: Seg[] = [];
  while (i < tape.length) {
    pushSeg(rest, tape[i]!.t, tape[i]!.n - off);
    off = 0n;
    i++;
  }
  return { pieces, rest };
}

export const taintedIn = (segs: readonly Seg[]) => segs.reduce((a, s) => (s.t ? a + s.n : a), 0n);

type UtxoInputs = readonly { value: bigint; taint: Taint }[];
type UtxoAllocation = { outputs: Taint[]; fee: Taint };

/**
 * One UTXO transaction, forward: taint of each output and of the fee, from the inputs' taint.
 * Inputs in input order, outputs in output order, fee last (taint-vectors page).
 */
export function allocateUtxo(
  model: Model,
  inputs: UtxoInputs,
  outputs: readonly bigint[],
  fee: bigint,
): UtxoAllocation {
  return TAINT_MODELS[model].allocateUtxo(inputs, outputs, fee);
}

const totalTaint = (inputs: UtxoInputs) => inputs.reduce((a, i) => a + i.taint.amount, 0n);

function allocatePoison(inputs: UtxoInputs, outputs: readonly bigint[], fee: bigint): UtxoAllocation {
  const any = totalTaint(inputs) > 0n;
  return {
    outputs: outputs.map((v) => ({ amount: any ? v : 0n })),
    fee: { amount: any && fee > 0n ? fee : 0n },
  };
}

function allocateHaircut(inputs: UtxoInputs, outputs: readonly bigint[], fee: bigint): UtxoAllocation {
  const T = totalTaint(inputs);
  const V = inputs.reduce((a, i) => a + i.value, 0n);
  const shares = V > 0n ? apportion(T, [...outputs, fee]) : outputs.map(() => 0n).concat(0n);
  // apportion(T, values) = T·v/ΣV when Σ(outputs)+fee = V, which holds for a valid transaction.
  return {
    outputs: outputs.map((_, j) => ({ amount: shares[j]! })),
    fee: { amount: shares[outputs.length]! },
  };
}

function allocateFifo(inputs: UtxoInputs, outputs: readonly bigint[], fee: bigint): UtxoAllocation {
  const tape: Seg[] = [];
  for (const inp of inputs) {
    const segs = inp.taint.segs ?? [{ t: inp.taint.amount > 0n, n: inp.value }];
    for (const s of segs) pushSeg(tape, s.t, s.n);
  }
  const { pieces, rest } = cutTape(tape, outputs);
  const feeSegs = cutTape(rest, [fee]).pieces[0]!;
  return {
    outputs: pieces.map((segs) => ({ amount: taintedIn(segs), segs })),
    fee: { amount: taintedIn(feeSegs), segs: feeSegs },
  };
}

/**
 * An account address's ledger, forward: credits and debits in time order. A debit is funded only
 * by earlier credits. When a debit exceeds the known balance (history that starts mid-stream,
 * unrecorded fees), the shortfall is treated as clean and reported by the caller.
 */
export interface Ledger {
  credit(value: bigint, taint: Taint): void;
  /** Returns the taint the debit carries, and how much of it was not covered by known balance. */
  debit(value: bigint): { taint: Taint; shortfall: bigint };
  balance(): bigint;
  tainted(): bigint;
  /**
   * Conversions: the last `value` units credited become tainted as `taint` says (a swap's output,
   * credited by the pool as a clean transfer, gets the taint of what went in). Units already tainted
   * stay tainted. Returns the taint actually added.
   */
  retaint(value: bigint, taint: Taint): bigint;
}

export function newLedger(model: Model): Ledger {
  return TAINT_MODELS[model].newLedger();
}

class PoisonLedger implements Ledger {
  private b = 0n;
  private poisoned = false;
  private ta = 0n; // tainted value received and not yet sent, for "held" reporting
  credit(value: bigint, taint: Taint): void {
    this.b += value;
    if (taint.amount > 0n) {
      this.poisoned = true;
      this.ta += taint.amount;
    }
  }
  debit(value: bigint) {
    const shortfall = value > this.b ? value - this.b : 0n;
    this.b = this.b > value ? this.b - value : 0n;
    if (!this.poisoned) return { taint: NO_TAINT, shortfall };
    this.ta = this.ta > value ? this.ta - value : 0n;
    return { taint: { amount: value }, shortfall };
  }
  balance() {
    return this.b;
  }
  tainted() {
    return minBig(this.ta, this.b);
  }
  retaint(_value: bigint, taint: Taint): bigint {
    if (taint.amount <= 0n) return 0n;
    this.poisoned = true;
    this.ta += taint.amount;
    return taint.amount;
  }
}

class HaircutLedger implements Ledger {
  private b = 0n;
  private ta = 0n;
  credit(value: bigint, taint: Taint): void {
    this.b += value;
    this.ta += taint.amount;
  }
  debit(y: bigint) {
    // floor(y·Tₐ/B); when y > B the unknown extra balance is assumed clean and minimal (= y − B).
    const denom = this.b > y ? this.b : y;
    const carried = denom === 0n ? 0n : (y * this.ta) / denom;
    const shortfall = y > this.b ? y - this.b : 0n;
    this.b = this.b > y ? this.b - y : 0n;
    this.ta -= carried;
    if (this.ta > this.b) this.ta = this.b;
    return { taint: { amount: carried }, shortfall };
  }
  balance() {
    return this.b;
  }
  tainted() {
    return this.ta;
  }
  retaint(_value: bigint, taint: Taint): bigint {
    const room = this.b - this.ta;
    const add = minBig(taint.amount, room > 0n ? room : 0n);
    this.ta += add;
    return add;
  }
}

class FifoLedger implements Ledger {
  // A queue of runs; lots keep their internal order, so one flat run list is the same queue.
  private q: Seg[] = [];
  private head = 0;
  private b = 0n;
  private ta = 0n;
  credit(value: bigint, taint: Taint): void {
    const segs = taint.segs ?? [{ t: taint.amount > 0n, n: value }];
    for (const s of segs) {
      if (s.n <= 0n) continue;
      const last = this.q[this.q.length - 1];
      if (this.q.length > this.head && last && last.t === s.t) last.n += s.n;
      else this.q.push({ t: s.t, n: s.n });
      if (s.t) this.ta += s.n;
    }
    this.b += value;
  }
  debit(y: bigint) {
    const out: Seg[] = [];
    let need = y;
    while (need > 0n && this.head < this.q.length) {
      const s = this.q[this.head]!;
      const n = minBig(s.n, need);
      pushSeg(out, s.t, n);
      if (s.t) this.ta -= n;
      s.n -= n;
      need -= n;
      if (s.n === 0n) this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.q.length) {
      this.q = this.q.slice(this.head);
      this.head = 0;
    }
    const shortfall = need;
    if (need > 0n) pushSeg(out, false, need);
    this.b = this.b > y ? this.b - y : 0n;
    return { taint: { amount: taintedIn(out), segs: out }, shortfall };
  }
  balance() {
    return this.b;
  }
  tainted() {
    return this.ta;
  }
  retaint(value: bigint, taint: Taint): bigint {
    // The tail of the queue, last `value` units (fewer if less is queued), in queue order.
    const tail: Seg[] = [];
    let need = value;
    while (need > 0n && this.q.length > this.head) {
      const s = this.q[this.q.length - 1]!;
      const n = minBig(s.n, need);
      tail.unshift({ t: s.t, n });
      s.n -= n;
      need -= n;
      if (s.n === 0n) this.q.pop();
    }
    const len = value - need;
    const over = cutTape(taint.segs ?? [{ t: taint.amount > 0n, n: len }], [len]).pieces[0]!;
    // Lay the conversion's runs over the tail: a unit is tainted if it was, or the run says so.
    let i = 0;
    let off = 0n;
    let j = 0;
    let offO = 0n;
    let added = 0n;
    const merged: Seg[] = [];
    while (i < tail.length && j < over.length) {
      const a = tail[i]!;
      const b = over[j]!;
      const n = minBig(a.n - off, b.n - offO);
      const t = a.t || b.t;
      if (t && !a.t) added += n;
      pushSeg(merged, t, n);
      off += n;
      offO += n;
      if (off === a.n) {
        i++;
        off = 0n;
      }
      if (offO === b.n) {
        j++;
        offO = 0n;
      }
    }
    for (const s of merged) {
      const last = this.q[this.q.length - 1];
      if (this.q.length > this.head && last && last.t === s.t) last.n += s.n;
      else this.q.push({ t: s.t, n: s.n });
    }
    this.ta += added;
    return added;
  }
}

/**
 * A taint model as one strategy: how a movement starts wholly tainted or clean, how a UTXO
 * transaction passes taint from inputs to outputs, and how an account ledger carries it. The
 * engines ask the model; none of them branches on its name for these.
 */
export interface TaintModel {
  name: Model;
  full(value: bigint): Taint;
  clean(value: bigint): Taint;
  allocateUtxo(inputs: UtxoInputs, outputs: readonly bigint[], fee: bigint): UtxoAllocation;
  newLedger(): Ledger;
}

const amountOnly = {
  full: (value: bigint): Taint => ({ amount: value }),
  clean: (_value: bigint): Taint => ({ amount: 0n }),
};

export const TAINT_MODELS: Readonly<Record<Model, TaintModel>> = {
  poison: {
    name: 'poison',
    ...amountOnly,
    allocateUtxo: allocatePoison,
    newLedger: () => new PoisonLedger(),
  },
  haircut: {
    name: 'haircut',
    ...amountOnly,
    allocateUtxo: allocateHaircut,
    newLedger: () => new HaircutLedger(),
  },
  fifo: {
    name: 'fifo',
    full: (value) => ({ amount: value, segs: value > 0n ? [{ t: true, n: value }] : [] }),
    clean: (value) => ({ amount: 0n, segs: value > 0n ? [{ t: false, n: value }] : [] }),
    allocateUtxo: allocateFifo,
    newLedger: () => new FifoLedger(),
  },
};
