// A deliberately small, independent re-statement of the taint semantics in
// /work/shared/spec/taint-vectors.md (forward direction, haircut and fifo only), used to check the
// hand-computed figures documented in samples/README.md. It is not the project's trace engine:
// it simulates the whole dataset in chain order, which is only feasible for tiny datasets.

export type Model = 'haircut' | 'fifo';

export interface RefLabel {
  address: string;
  entity: string;
  category: string;
}

export interface Terminal {
  kind: 'exit' | 'flagged' | 'mixer' | 'held' | 'fee' | 'limit';
  /** address (exit, flagged, held), or null (fee, mixer, limit) */
  address: string | null;
  entity?: string;
  category?: string;
  value: bigint;
  hop: number;
  /** the movement: txid:vout (UTXO), tx:index (account), txid (fee / mixer) */
  at: string;
}

/** Categories at which the trace stops. Services end in an exit, flagged ones in a flagged hit. */
export const SERVICE = new Set(['exchange', 'payment_processor', 'mixer', 'bridge', 'gambling']);
export const FLAGGED = new Set(['sanctioned', 'ransomware', 'darknet_market', 'scam', 'theft']);

type Seg = [tainted: boolean, value: bigint];

const taintOf = (segs: readonly Seg[]): bigint => segs.reduce((s, [t, v]) => (t ? s + v : s), 0n);

/** Cut `amount` off the front of a segment tape (mutates the tape). */
function cut(tape: Seg[], amount: bigint): Seg[] {
  const out: Seg[] = [];
  let need = amount;
  while (need > 0n) {
    const head = tape[0];
    if (!head) throw new Error('tape exhausted');
    const take = head[1] < need ? head[1] : need;
    const last = out[out.length - 1];
    if (last && last[0] === head[0]) last[1] += take;
    else out.push([head[0], take]);
    head[1] -= take;
    need -= take;
    if (head[1] === 0n) tape.shift();
  }
  return out;
}

/** Haircut shares of `t` over `values` (exact rationals, floor, largest remainder, ties → lower index). */
export function haircutShares(values: readonly bigint[], t: bigint, total: bigint): bigint[] {
  if (total === 0n) return values.map(() => 0n);
  const floors = values.map((v) => (v * t) / total);
  const rems = values.map((v, i) => ({ i, r: v * t - floors[i]! * total }));
  let left = t - floors.reduce((s, x) => s + x, 0n);
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of rems) {
    if (left === 0n) break;
    floors[i]! += 1n;
    left -= 1n;
  }
  return floors;
}

// ───────────────────────────── UTXO ─────────────────────────────

export interface RefTx {
  txid: string;
  inputs: { txid: string; vout: number; address: string | null; value: string }[];
  outputs: { address: string | null; value: string }[];
}

function isCoinJoin(tx: RefTx): boolean {
  if (tx.inputs.length < 5) return false;
  const counts = new Map<string, number>();
  for (const o of tx.outputs) counts.set(o.value, (counts.get(o.value) ?? 0) + 1);
  return [...counts.values()].some((n) => n >= 5);
}

export function traceUtxo(
  txs: readonly RefTx[],
  labels: readonly RefLabel[],
  seed: { txid: string; vout: number },
  model: Model,
  maxHops = Number.POSITIVE_INFINITY,
): Terminal[] {
  const label = new Map(labels.map((l) => [l.address, l]));
  const spent = new Set(txs.flatMap((t) => t.inputs.map((i) => `${i.txid}:${i.vout}`)));
  const taint = new Map<string, { segs: Seg[]; hop: number }>();
  const seedTx = txs.find((t) => t.txid === seed.txid);
  const seedOut = seedTx?.outputs[seed.vout];
  if (!seedOut) throw new Error('unknown seed');
  taint.set(`${seed.txid}:${seed.vout}`, { segs: [[true, BigInt(seedOut.value)]], hop: 0 });
  const terms: Terminal[] = [];
  if (!spent.has(`${seed.txid}:${seed.vout}`)) {
    terms.push({
      kind: 'held',
      address: seedOut.address,
      value: BigInt(seedOut.value),
      hop: 0,
      at: `${seed.txid}:${seed.vout}`,
    });
  }
  for (const tx of txs) {
    const ins = tx.inputs.map((i) => taint.get(`${i.txid}:${i.vout}`));
    const tainted = ins.filter((x) => x !== undefined);
    if (tainted.length === 0) continue;
    const hop = Math.min(...tainted.map((x) => x.hop)) + 1;
    const T = tainted.reduce((s, x) => s + taintOf(x.segs), 0n);
    if (hop > maxHops) {
      tx.inputs.forEach((i, k) => {
        const x = ins[k];
        if (x)
          terms.push({
            kind: 'limit',
            address: i.address,
            value: taintOf(x.segs),
            hop: x.hop,
            at: `${i.txid}:${i.vout}`,
          });
      });
      continue;
    }
    if (isCoinJoin(tx)) {
      terms.push({
        kind: 'mixer',
        address: null,
        category: 'mixer',
        entity: 'CoinJoin',
        value: T,
        hop,
        at: tx.txid,
      });
      continue;
    }
    const inValues = tx.inputs.map((i) => BigInt(i.value));
    const V = inValues.reduce((s, v) => s + v, 0n);
    const outValues = tx.outputs.map((o) => BigInt(o.value));
    const fee = V - outValues.reduce((s, v) => s + v, 0n);
    let outTaint: { segs: Seg[]; t: bigint }[];
    let feeTaint: bigint;
    if (model === 'haircut') {
      const shares = haircutShares([...outValues, fee], T, V);
      outTaint = outValues.map((v, k) => ({
        segs: [
          [true, shares[k]!],
          [false, v - shares[k]!],
        ],
        t: shares[k]!,
      }));
      feeTaint = shares[shares.length - 1]!;
    } else {
      const tape: Seg[] = [];
      tx.inputs.forEach((_, k) => {
        for (const s of ins[k]?.segs ?? [[false, inValues[k]!] as Seg]) tape.push([s[0], s[1]]);
      });
      outTaint = outValues.map((v) => {
        const segs = cut(tape, v);
        return { segs, t: taintOf(segs) };
      });
      feeTaint = taintOf(tape);
    }
    tx.outputs.forEach((o, k) => {
      const { segs, t } = outTaint[k]!;
      if (t === 0n) return;
      const l = o.address === null ? undefined : label.get(o.address);
      const at = `${tx.txid}:${k}`;
      if (l && (SERVICE.has(l.category) || FLAGGED.has(l.category))) {
        const kind = SERVICE.has(l.category) ? (l.category === 'mixer' ? 'mixer' : 'exit') : 'flagged';
        terms.push({ kind, address: o.address, entity: l.entity, category: l.category, value: t, hop, at });
      } else if (spent.has(at)) {
        taint.set(at, { segs: segs.filter((s) => s[1] > 0n), hop });
      } else {
        terms.push({ kind: 'held', address: o.address, value: t, hop, at });
      }
    });
    if (feeTaint > 0n) terms.push({ kind: 'fee', address: null, value: feeTaint, hop, at: tx.txid });
  }
  return terms;
}

// ───────────────────────────── account ─────────────────────────────

export interface RefTransfer {
  tx: string;
  index: number;
  from: string;
  to: string | null;
  asset: string;
  value: string;
  kind: string;
}

interface AccountState {
  balance: bigint;
  tainted: bigint;
  lots: Seg[][];
  hop: number;
}

/** Forward trace of `asset` from a seed transaction (its transfers to recipients are the traced value). */
export function traceAccount(
  transfers: readonly RefTransfer[],
  labels: readonly RefLabel[],
  seedTx: string,
  asset: string,
  model: Model,
): Terminal[] {
  const label = new Map(labels.map((l) => [l.address, l]));
  const barrier = (a: string) => {
    const l = label.get(a);
    return l && (SERVICE.has(l.category) || FLAGGED.has(l.category)) ? l : undefined;
  };
  const states = new Map<string, AccountState>();
  const st = (a: string): AccountState => {
    let s = states.get(a);
    if (!s) {
      s = { balance: 0n, tainted: 0n, lots: [], hop: Number.POSITIVE_INFINITY };
      states.set(a, s);
    }
    return s;
  };
  const terms: Terminal[] = [];
  for (const t of transfers) {
    if (t.asset !== asset) continue;
    const value = BigInt(t.value);
    if (value === 0n) continue;
    const isSeed = t.tx === seedTx && t.to !== null;
    // Debit the sender.
    const from = st(t.from);
    let segs: Seg[];
    if (model === 'haircut') {
      const carried = from.balance === 0n ? 0n : (value * from.tainted) / from.balance;
      from.balance -= value;
      from.tainted -= carried;
      segs = [
        [true, carried],
        [false, value - carried],
      ];
    } else {
      const tape = from.lots.flat();
      const taken = from.balance >= value ? cut(tape, value) : [[false, value] as Seg];
      from.balance -= value;
      // Rebuild the queue from what is left of the tape (lot boundaries do not matter for fifo).
      from.lots = tape.length ? [tape] : [];
      from.tainted = taintOf(tape);
      segs = taken;
    }
    let carried = taintOf(segs);
    let hop = from.hop + 1;
    if (isSeed) {
      segs = [[true, value]];
      carried = value;
      hop = 1;
    }
    const at = `${t.tx}:${t.index}`;
    if (t.to === null) {
      if (carried > 0n) terms.push({ kind: 'fee', address: null, value: carried, hop: from.hop, at });
      continue;
    }
    const to = st(t.to);
    to.balance += value;
    const l = barrier(t.to);
    if (carried > 0n && l) {
      const kind = SERVICE.has(l.category) ? (l.category === 'mixer' ? 'mixer' : 'exit') : 'flagged';
      terms.push({ kind, address: t.to, entity: l.entity, category: l.category, value: carried, hop, at });
      segs = [[false, value]];
      carried = 0n;
    }
    if (model === 'haircut') to.tainted += carried;
    else to.lots.push(segs.filter((s) => s[1] > 0n).map((s) => [s[0], s[1]] as Seg));
    if (model === 'fifo') to.tainted += carried;
    if (carried > 0n) to.hop = Math.min(to.hop, hop);
  }
  for (const [address, s] of states) {
    if (s.tainted > 0n && !barrier(address))
      terms.push({ kind: 'held', address, value: s.tainted, hop: s.hop, at: address });
  }
  return terms;
}

export const sumTerminals = (
  terms: readonly Terminal[],
  pred: (t: Terminal) => boolean = () => true,
): bigint => terms.filter(pred).reduce((s, t) => s + t.value, 0n);

export interface Summary {
  traced: string;
  /** exits to services, by entity */
  exits: Record<string, string>;
  /** flagged hits, by entity */
  flagged: Record<string, string>;
  /** value stopped by a mixer (a labelled pool or a detected CoinJoin) */
  mixer: string;
  held: string;
  fees: string;
  /** value cut by the hop limit */
  limit: string;
}

/** Aggregate terminals into the headline figures documented in samples/README.md. */
export function summarize(terms: readonly Terminal[]): Summary {
  const by = (kind: Terminal['kind']) => {
    const out: Record<string, bigint> = {};
    for (const t of terms) if (t.kind === kind) out[t.entity ?? '?'] = (out[t.entity ?? '?'] ?? 0n) + t.value;
    return Object.fromEntries(
      Object.entries(out)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, v.toString()]),
    );
  };
  const sum = (kind: Terminal['kind']) => sumTerminals(terms, (t) => t.kind === kind).toString();
  return {
    traced: sumTerminals(terms).toString(),
    exits: by('exit'),
    flagged: by('flagged'),
    mixer: sum('mixer'),
    held: sum('held'),
    fees: sum('fee'),
    limit: sum('limit'),
  };
}
