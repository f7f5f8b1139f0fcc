// UTXO trace engine: output-level, never address-level. Forward, an output leads to the
// transaction that spent it; backward, an input leads to the output it spent. Transactions are
// processed in chain order (forward) or reverse chain order (backward), so every transaction sees
// the final taint of all its inputs (forward) or all its traced outputs (backward) exactly once.
import { apportion } from './amount.js';
import { afterUntil, beforeSince } from './bounds.js';
import { attributeClusters } from './cluster.js';
import { FundtraceError } from './errors.js';
import { GraphBuilder } from './graph.js';
import { Heap } from './heap.js';
import { compareTxs, type Label, type UtxoTx } from './model.js';
import { mapRanges, normalizeRanges, type Piece, type Range, rangesTotal } from './ranges.js';
import { allocateUtxo, fullTaint, type Seg, type Taint } from './taint.js';
import type {
  EdgeAttributes,
  Finding,
  MissingData,
  Terminal,
  TraceOptions,
  TraceOutcome,
} from './trace-types.js';
import type { UtxoView } from './view.js';

const outKey = (txid: string, vout: number) => `${txid}:${vout}`;

interface Ctx {
  view: UtxoView;
  opts: TraceOptions;
  g: GraphBuilder;
  terminals: Terminal[];
  warnings: string[];
  findings: Finding[];
  missing: MissingData;
}

function newCtx(view: UtxoView, opts: TraceOptions): Ctx {
  return {
    view,
    opts,
    g: new GraphBuilder(view.chain, opts.policy, opts.direction === 'backward'),
    terminals: [],
    warnings: [],
    findings: [],
    missing: { addresses: [], txs: [], outspends: [] },
  };
}

function getTx(ctx: Ctx, txid: string): UtxoTx | undefined | 'missing' {
  const r = ctx.view.tx(txid);
  if (r.status === 'missing') {
    ctx.missing.txs.push(txid);
    return 'missing';
  }
  return r.value;
}

function seedError(seed: string, what: string): FundtraceError {
  return new FundtraceError('BAD_INPUT', `seed "${seed}" ${what}`);
}

function outcome(ctx: Ctx, traced: bigint): TraceOutcome {
  const n = ctx.view.native;
  return {
    graph: ctx.g.graph,
    terminals: ctx.terminals,
    traced,
    asset: { ...n, key: n.symbol },
    warnings: ctx.warnings,
    missing: ctx.missing,
    findings: ctx.findings,
  };
}

/** Sum of contributions per address, in first-input order (evidence on an edge). */
function byAddress(
  items: { address: string | null; amount: bigint }[],
): { address: string | null; amount: bigint }[] {
  const m = new Map<string | null, bigint>();
  for (const it of items) if (it.amount > 0n) m.set(it.address, (m.get(it.address) ?? 0n) + it.amount);
  return [...m].map(([address, amount]) => ({ address, amount }));
}

/** The contributor with the largest amount; ties to the earliest. */
function principal(items: { address: string | null; amount: bigint }[]): string | null {
  let best: { address: string | null; amount: bigint } | undefined;
  for (const it of items) if (!best || it.amount > best.amount) best = it;
  return best?.address ?? null;
}

const COINBASE = 'coinbase';

// ---------------------------------------------------------------------------------------------
// Forward
// ---------------------------------------------------------------------------------------------

export function traceUtxoForward(view: UtxoView, opts: TraceOptions): TraceOutcome {
  const ctx = newCtx(view, opts);
  const { g, terminals } = ctx;
  const taintOf = new Map<string, { taint: Taint; hop: number }>();
  const queued = new Set<string>();
  const pending = new Heap<UtxoTx>((a, b) => compareTxs(a, b) < 0);
  let traced = 0n;
  const seen: UtxoTx[] = [];
  // Address seed: the seed's outputs already counted in the traced value. Taint that the trace
  // carries back into one of them has come back to the seed: `returned`, never counted twice.
  const seedOut = new Set<string>();

  /** Decide what happens to a tainted output that now sits at `address`. */
  const follow = (tx: UtxoTx, vout: number, taint: Taint, hop: number, edgeKey: string | null) => {
    const out = tx.outputs[vout]!;
    if (out.address === null) {
      terminals.push({
        kind: 'unspendable',
        node: null,
        edge: edgeKey,
        hop,
        amount: taint.amount,
        note: tx.txid,
      });
      return;
    }
    const node = g.node(out.address, hop, hop === 0);
    const stopAt = (t: Omit<Terminal, 'node' | 'edge' | 'hop' | 'amount'>) => {
      terminals.push({ ...t, node, edge: edgeKey, hop, amount: taint.amount });
      if (t.reason) g.stop(node, t.reason);
    };
    if (hop > 0 && seedOut.has(outKey(tx.txid, vout))) {
      terminals.push({
        kind: 'returned',
        reason: 'returned',
        node,
        edge: edgeKey,
        hop,
        amount: taint.amount,
        note: 'came back to the seed: already counted',
      });
      return;
    }
    if (hop > 0) {
      const labels = opts.policy.labelsOf(out.address);
      const kind = opts.policy.stopKind(labels);
      if (kind) {
        const p = opts.policy.primary(labels);
        return stopAt({ kind, reason: 'label', category: p?.category, entity: p?.entity });
      }
    }
    // An unspent output is at rest whatever the limits: there is nothing further to cut.
    const sp = view.spender(tx.txid, vout);
    if (sp.status === 'missing') {
      ctx.missing.outspends.push(outKey(tx.txid, vout));
      return stopAt({ kind: 'cut', reason: 'missing-data' });
    }
    if (sp.value === null) return stopAt({ kind: 'held', reason: 'unspent' });
    if (hop >= opts.maxHops) return stopAt({ kind: 'cut', reason: 'hops' });
    if (opts.minValue > 0n && taint.amount < opts.minValue)
      return stopAt({ kind: 'cut', reason: 'min-value' });
    if (g.order > opts.maxNodes) return stopAt({ kind: 'cut', reason: 'max-nodes' });
    const next = getTx(ctx, sp.value.txid);
    if (next === 'missing') return stopAt({ kind: 'cut', reason: 'missing-data' });
    if (next === undefined) {
      ctx.warnings.push(`output ${outKey(tx.txid, vout)} is spent by ${sp.value.txid}, which the data lacks`);
      return stopAt({ kind: 'cut', reason: 'missing-data' });
    }
    if (afterUntil(opts.until, next)) return stopAt({ kind: 'cut', reason: 'time-window' });
    const co = opts.cospend ? cospendLabel(opts, next, out.address) : null;
    if (co) {
      seen.push(next);
      return stopAt({
        kind: co.kind,
        reason: 'label',
        category: co.label.category,
        entity: co.label.entity,
        note: `co-spends with ${co.address} in ${next.txid}`,
      });
    }
    taintOf.set(outKey(tx.txid, vout), { taint, hop });
    if (!queued.has(next.txid)) {
      queued.add(next.txid);
      pending.push(next);
    }
  };

  // Seeds.
  if (opts.seedKind === 'outpoint') {
    const [txid, voutS] = opts.seed.split(':') as [string, string];
    const vout = Number(voutS);
    const tx = getTx(ctx, txid);
    if (tx === 'missing') return outcome(ctx, 0n);
    if (!tx) throw seedError(opts.seed, 'is not in the data: no such transaction');
    const out = tx.outputs[vout];
    if (!out) throw seedError(opts.seed, `is not in the data: transaction has ${tx.outputs.length} outputs`);
    traced = out.value;
    follow(tx, vout, fullTaint(opts.model, out.value), 0, null);
  } else if (opts.seedKind === 'tx') {
    const tx = getTx(ctx, opts.seed);
    if (tx === 'missing') return outcome(ctx, 0n);
    if (!tx) throw seedError(opts.seed, 'is not in the data: no such transaction');
    const src = tx.inputs[0]?.address ?? COINBASE;
    const sourceKey = g.node(src, 0, true);
    for (const inp of tx.inputs) if (inp.address) g.node(inp.address, 0, true);
    tx.outputs.forEach((out, vout) => {
      if (out.value === 0n) return;
      traced += out.value;
      const key = `${view.chain}:${tx.txid}:${vout}`;
      const taint = fullTaint(opts.model, out.value);
      if (out.address !== null) {
        g.edge(key, sourceKey, g.node(out.address, 1), edgeAttrs(tx, vout, out.value, taint.amount, 1, view));
      }
      follow(tx, vout, taint, 1, out.address !== null ? key : null);
    });
  } else {
    traced = seedAddressForward(ctx, follow, seedOut);
  }

  // Chain-order sweep. Confirmed transactions come in chain order, so every parent is processed
  // before its child. Unconfirmed ones have no position: a child may sort before a parent that is
  // still queued, so it waits until that parent is done.
  const processed = new Set<string>();
  const waiting = new Map<string, UtxoTx[]>();
  for (let tx = pending.pop(); tx; tx = pending.pop()) {
    const parent = tx.inputs.find((i) => queued.has(i.txid) && !processed.has(i.txid) && i.txid !== tx!.txid);
    if (parent) {
      const w = waiting.get(parent.txid) ?? [];
      w.push(tx);
      waiting.set(parent.txid, w);
      continue;
    }
    processed.add(tx.txid);
    for (const child of waiting.get(tx.txid) ?? []) pending.push(child);
    waiting.delete(tx.txid);
    seen.push(tx);
    const inputs = tx.inputs.map((inp) => {
      const t = taintOf.get(outKey(inp.txid, inp.vout));
      return { value: inp.value, address: inp.address, taint: t?.taint ?? { amount: 0n }, hop: t?.hop };
    });
    const tainted = inputs.filter((i) => i.taint.amount > 0n);
    const tIn = tainted.reduce((a, i) => a + i.taint.amount, 0n);
    const hop = 1 + Math.min(...tainted.map((i) => i.hop!));
    if (tainted.length === 0) continue;
    if (coinjoinStop(opts, tx, hop, tIn, terminals, ctx.findings)) {
      for (const i of tainted) if (i.address) g.stop(g.node(i.address, hop - 1), 'mixer');
      continue;
    }
    const vIn = inputs.reduce((a, i) => a + i.value, 0n);
    const vOut = tx.outputs.reduce((a, o) => a + o.value, 0n);
    const fee = vIn - vOut;
    const alloc = allocateUtxo(
      opts.model,
      inputs,
      tx.outputs.map((o) => o.value),
      fee > 0n ? fee : 0n,
    );
    const contributions = contributionsPerOutput(
      opts.model,
      inputs,
      tx.outputs.map((o) => o.value),
    );
    alloc.outputs.forEach((taint, vout) => {
      if (taint.amount === 0n) return;
      const out = tx.outputs[vout]!;
      const contrib = contributions(vout);
      const src = principal(contrib) ?? COINBASE;
      const key = `${view.chain}:${tx.txid}:${vout}`;
      if (out.address !== null) {
        const attrs = edgeAttrs(tx, vout, out.value, taint.amount, hop, view);
        attrs.inputs = contrib;
        g.edge(key, g.node(src, hop - 1), g.node(out.address, hop), attrs);
      }
      follow(tx, vout, taint, hop, out.address !== null ? key : null);
    });
    if (alloc.fee.amount > 0n) {
      terminals.push({ kind: 'fee', node: null, edge: null, hop, amount: alloc.fee.amount, note: tx.txid });
    }
  }
  if (opts.cospend) attributeClusters(g.graph, seen, opts.policy, { coinjoin: opts.heuristics?.coinjoin });
  return outcome(ctx, traced);
}

/**
 * An output is spent together with inputs of a labelled service or flagged address: by the
 * common-input heuristic its address belongs to that entity. Not applied to CoinJoins.
 */
function cospendLabel(opts: TraceOptions, tx: UtxoTx, self: string) {
  if (opts.heuristics?.coinjoin?.(tx)) return null;
  const found: { label: Label; address: string; kind: 'exit' | 'flagged' }[] = [];
  for (const inp of tx.inputs) {
    if (!inp.address || inp.address === self) continue;
    const labels = opts.policy.labelsOf(inp.address);
    const kind = opts.policy.stopKind(labels);
    const p = opts.policy.primary(labels);
    if (kind && p) found.push({ label: p, address: inp.address, kind });
  }
  const best = opts.policy.primary(found.map((f) => f.label));
  return best ? found.find((f) => f.label === best)! : null;
}

/** Per output, how much taint each input address put into it (haircut/poison: in proportion; fifo: by tape). */
function contributionsPerOutput(
  model: TraceOptions['model'],
  inputs: { value: bigint; address: string | null; taint: Taint }[],
  outputs: bigint[],
): (vout: number) => { address: string | null; amount: bigint }[] {
  if (model !== 'fifo') {
    const c = byAddress(inputs.map((i) => ({ address: i.address, amount: i.taint.amount })));
    return () => c;
  }
  // Lay the tainted runs of each input on the tape, remembering which input they came from.
  const runs: { address: string | null; start: bigint; end: bigint }[] = [];
  let pos = 0n;
  for (const inp of inputs) {
    const segs: Seg[] = inp.taint.segs ?? [{ t: inp.taint.amount > 0n, n: inp.value }];
    for (const s of segs) {
      if (s.t) runs.push({ address: inp.address, start: pos, end: pos + s.n });
      pos += s.n;
    }
  }
  const starts: bigint[] = [];
  let acc = 0n;
  for (const v of outputs) {
    starts.push(acc);
    acc += v;
  }
  return (vout) => {
    const s = starts[vout]!;
    const e = s + outputs[vout]!;
    return byAddress(
      runs.map((r) => {
        const lo = r.start > s ? r.start : s;
        const hi = r.end < e ? r.end : e;
        return { address: r.address, amount: hi > lo ? hi - lo : 0n };
      }),
    );
  };
}

function edgeAttrs(
  tx: UtxoTx,
  vout: number,
  value: bigint,
  tainted: bigint,
  hop: number,
  view: UtxoView,
): EdgeAttributes {
  return {
    tx: tx.txid,
    index: vout,
    kind: 'output',
    time: tx.time,
    height: tx.height,
    asset: view.native.symbol,
    value,
    tainted,
    hop,
  };
}

/**
 * Address seed, forward: every unit the address sent in the window is tainted. The seeds are the
 * outputs paid to the address and spent in the window, except change the address paid itself in a
 * transaction that already spends a seed (that change carries taint already; counting it again
 * would count the same units twice).
 */
function seedAddressForward(
  ctx: Ctx,
  follow: (tx: UtxoTx, vout: number, taint: Taint, hop: number, edgeKey: string | null) => void,
  seedOut: Set<string>,
): bigint {
  const { view, opts } = ctx;
  const r = view.addressTxs(opts.seed);
  if (r.status === 'missing') {
    ctx.missing.addresses.push(opts.seed);
    return 0n;
  }
  if (r.value.length === 0) throw seedError(opts.seed, 'is not in the data: the address has no transactions');
  const count = view.addressTxCount?.(opts.seed) ?? r.value.length;
  if (count > opts.historyLimit) {
    ctx.warnings.push(
      `seed ${opts.seed} has ${count} transactions, more than the history limit ${opts.historyLimit}; only the first ${opts.historyLimit} are used (raise --history-limit)`,
    );
  }
  const txs = r.value.slice(0, opts.historyLimit);
  let traced = 0n;
  let unspent = 0n;
  for (const tx of txs) {
    const spendsSeed = tx.inputs.some((i) => seedOut.has(outKey(i.txid, i.vout)));
    tx.outputs.forEach((out, vout) => {
      if (out.address !== opts.seed || out.value === 0n) return;
      if (spendsSeed) return; // self-change: followed as an ordinary output of a traced tx
      const sp = view.spender(tx.txid, vout);
      if (sp.status === 'missing') {
        ctx.missing.outspends.push(outKey(tx.txid, vout));
        return;
      }
      if (sp.value === null) {
        unspent += out.value;
        return;
      }
      const spender = view.tx(sp.value.txid);
      const when = spender.status === 'ok' && spender.value ? spender.value : tx;
      if (beforeSince(opts.since, when) || afterUntil(opts.until, when)) return;
      seedOut.add(outKey(tx.txid, vout));
      traced += out.value;
      follow(tx, vout, fullTaint(opts.model, out.value), 0, null);
    });
  }
  if (unspent > 0n) {
    ctx.warnings.push(
      `the seed address still holds ${unspent} base units unspent; they were not sent and are not traced`,
    );
  }
  if (traced === 0n && ctx.missing.outspends.length === 0) {
    ctx.g.node(opts.seed, 0, true);
    ctx.warnings.push(`the seed address sent nothing in the window: nothing to trace forward`);
  }
  return traced;
}

// ---------------------------------------------------------------------------------------------
// Backward
// ---------------------------------------------------------------------------------------------

/** Traced part of an output: an amount (haircut, poison) or exact unit ranges (fifo). */
interface Traced {
  amount: bigint;
  ranges?: Range[];
  hop: number;
}

export function traceUtxoBackward(view: UtxoView, opts: TraceOptions): TraceOutcome {
  const ctx = newCtx(view, opts);
  const { g, terminals } = ctx;
  const fifo = opts.model === 'fifo';
  // txid → vout → traced part of that output (hop = hop of the output's owner).
  const tracedOut = new Map<string, Map<number, Traced>>();
  const queued = new Map<string, UtxoTx>();
  const pending = new Heap<UtxoTx>((a, b) => compareTxs(a, b) > 0);
  let traced = 0n;
  // Outputs traced as the seed itself (hop 0). An origin trace that reaches one of them again (the
  // seed address paid value away and got it back) is `returned`: those units are already counted.
  const seedOut = new Set<string>();

  const addTraced = (tx: UtxoTx, vout: number, amount: bigint, ranges: Range[] | undefined, hop: number) => {
    let m = tracedOut.get(tx.txid);
    if (!m) {
      m = new Map();
      tracedOut.set(tx.txid, m);
    }
    const prev = m.get(vout);
    if (prev) {
      prev.amount += amount;
      prev.hop = Math.min(prev.hop, hop);
      if (fifo) {
        prev.ranges = normalizeRanges([...(prev.ranges ?? []), ...(ranges ?? [])]);
        prev.amount = rangesTotal(prev.ranges);
      }
    } else m.set(vout, { amount, ranges, hop });
    if (!queued.has(tx.txid)) {
      queued.set(tx.txid, tx);
      pending.push(tx);
    }
  };

  const whole = (v: bigint): Range[] | undefined => (fifo ? [[0n, v]] : undefined);

  if (opts.seedKind === 'outpoint') {
    const [txid, voutS] = opts.seed.split(':') as [string, string];
    const tx = getTx(ctx, txid);
    if (tx === 'missing') return outcome(ctx, 0n);
    const out = tx?.outputs[Number(voutS)];
    if (!tx || !out) throw seedError(opts.seed, 'is not in the data');
    if (out.address) g.node(out.address, 0, true);
    traced = out.value;
    seedOut.add(outKey(tx.txid, Number(voutS)));
    addTraced(tx, Number(voutS), out.value, whole(out.value), 0);
  } else if (opts.seedKind === 'tx') {
    const tx = getTx(ctx, opts.seed);
    if (tx === 'missing') return outcome(ctx, 0n);
    if (!tx) throw seedError(opts.seed, 'is not in the data: no such transaction');
    tx.outputs.forEach((out, vout) => {
      if (out.value === 0n) return;
      if (out.address) g.node(out.address, 0, true);
      traced += out.value;
      seedOut.add(outKey(tx.txid, vout));
      addTraced(tx, vout, out.value, whole(out.value), 0);
    });
  } else {
    const r = view.addressTxs(opts.seed);
    if (r.status === 'missing') {
      ctx.missing.addresses.push(opts.seed);
      return outcome(ctx, 0n);
    }
    if (r.value.length === 0)
      throw seedError(opts.seed, 'is not in the data: the address has no transactions');
    g.node(opts.seed, 0, true);
    for (const tx of r.value.slice(0, opts.historyLimit)) {
      if (beforeSince(opts.since, tx) || afterUntil(opts.until, tx)) continue;
      // Change the address paid itself originates from its own earlier receipts, already traced.
      if (tx.inputs.some((i) => i.address === opts.seed)) continue;
      tx.outputs.forEach((out, vout) => {
        if (out.address !== opts.seed || out.value === 0n) return;
        traced += out.value;
        seedOut.add(outKey(tx.txid, vout));
        addTraced(tx, vout, out.value, whole(out.value), 0);
      });
    }
    if (r.value.length > opts.historyLimit) {
      ctx.warnings.push(
        `seed ${opts.seed} has more than ${opts.historyLimit} transactions; only the first were used`,
      );
    }
  }

  for (let tx = pending.pop(); tx; tx = pending.pop()) {
    const outs = tracedOut.get(tx.txid)!;
    const totalTraced = [...outs.values()].reduce((a, t) => a + t.amount, 0n);
    if (totalTraced === 0n) continue;
    const hop = 1 + Math.min(...[...outs.values()].map((t) => t.hop));
    if (tx.inputs.length === 0) {
      terminals.push({
        kind: 'coinbase',
        reason: 'origin',
        node: null,
        edge: null,
        hop,
        amount: totalTraced,
        note: tx.txid,
      });
      addBackwardEdges(ctx, tx, outs, [{ address: COINBASE, amount: totalTraced }], hop);
      continue;
    }
    if (coinjoinStop(opts, tx, hop, totalTraced, terminals, ctx.findings)) continue;
    // Attribute the traced value of the outputs to the inputs.
    const perInput = attributeInputs(opts.model, tx, outs);
    addBackwardEdges(
      ctx,
      tx,
      outs,
      byAddress(tx.inputs.map((inp, i) => ({ address: inp.address, amount: perInput[i]!.amount }))),
      hop,
    );
    // The movement that carried most of the traced value out of these inputs (for exits tables).
    const mainVout = [...outs].sort((x, y) =>
      x[1].amount === y[1].amount ? x[0] - y[0] : x[1].amount > y[1].amount ? -1 : 1,
    )[0]?.[0];
    const mainEdge = mainVout === undefined ? null : `${view.chain}:${tx.txid}:${mainVout}`;
    for (const [i, inp] of tx.inputs.entries()) {
      const part = perInput[i]!;
      if (part.amount === 0n) continue;
      const address = inp.address ?? COINBASE;
      const node = g.node(address, hop);
      if (seedOut.has(outKey(inp.txid, inp.vout))) {
        terminals.push({
          kind: 'returned',
          reason: 'returned',
          node,
          edge: mainEdge,
          hop,
          amount: part.amount,
          note: 'came from the seed itself: already counted',
        });
        continue;
      }
      const stop = backwardStop(ctx, inp, address, hop, part.amount);
      if ('follow' in stop) {
        addTraced(stop.follow, inp.vout, part.amount, part.ranges, hop);
        continue;
      }
      terminals.push({ ...stop, node, edge: mainEdge, hop, amount: part.amount });
      if (stop.reason) g.stop(node, stop.reason);
    }
  }
  if (opts.cospend)
    attributeClusters(g.graph, [...queued.values()], opts.policy, { coinjoin: opts.heuristics?.coinjoin });
  return outcome(ctx, traced);
}

/** Why the origin trace stops at an input's address, or the funding transaction to follow. */
function backwardStop(
  ctx: Ctx,
  inp: UtxoTx['inputs'][number],
  address: string,
  hop: number,
  amount: bigint,
): Omit<Terminal, 'node' | 'edge' | 'hop' | 'amount'> | { follow: UtxoTx } {
  const { opts } = ctx;
  const labels = opts.policy.labelsOf(address);
  const kind = opts.policy.stopKind(labels);
  if (kind) {
    const p = opts.policy.primary(labels);
    return { kind, reason: 'label', category: p?.category, entity: p?.entity };
  }
  if (hop >= opts.maxHops) return { kind: 'cut', reason: 'hops' };
  if (opts.minValue > 0n && amount < opts.minValue) return { kind: 'cut', reason: 'min-value' };
  if (ctx.g.order > opts.maxNodes) return { kind: 'cut', reason: 'max-nodes' };
  const prev = getTx(ctx, inp.txid);
  if (prev === 'missing') return { kind: 'cut', reason: 'missing-data' };
  if (!prev)
    return { kind: 'unknown-origin', reason: 'origin', note: `funding tx ${inp.txid} is outside the data` };
  if (beforeSince(opts.since, prev)) return { kind: 'cut', reason: 'time-window' };
  return { follow: prev };
}

/** Per input, the part of the traced output value that it funded. */
function attributeInputs(
  model: TraceOptions['model'],
  tx: UtxoTx,
  outs: Map<number, Traced>,
): { amount: bigint; ranges?: Range[] }[] {
  const total = [...outs.values()].reduce((a, t) => a + t.amount, 0n);
  if (model === 'poison') return tx.inputs.map((i) => ({ amount: total > 0n ? i.value : 0n }));
  if (model === 'haircut')
    return apportion(
      total,
      tx.inputs.map((i) => i.value),
    ).map((amount) => ({ amount }));
  // fifo: outputs cut the tape of inputs in order; map each traced output range onto input ranges.
  const pieces: Piece<number>[] = [];
  let at = 0n;
  tx.inputs.forEach((inp, i) => {
    pieces.push({ src: i, at, srcStart: 0n, len: inp.value });
    at += inp.value;
  });
  const tapeRanges: Range[] = [];
  let start = 0n;
  tx.outputs.forEach((out, vout) => {
    const t = outs.get(vout);
    if (t?.ranges) for (const [s, e] of t.ranges) tapeRanges.push([start + s, start + e]);
    start += out.value;
  });
  const mapped = mapRanges(tapeRanges, pieces);
  return tx.inputs.map((_, i) => {
    const ranges = normalizeRanges(mapped.get(i) ?? []);
    return { amount: rangesTotal(ranges), ranges };
  });
}

function addBackwardEdges(
  ctx: Ctx,
  tx: UtxoTx,
  outs: Map<number, Traced>,
  sources: { address: string | null; amount: bigint }[],
  hop: number,
): void {
  const src = principal(sources) ?? COINBASE;
  for (const [vout, t] of [...outs].sort((a, b) => a[0] - b[0])) {
    const out = tx.outputs[vout]!;
    if (t.amount === 0n || out.address === null) continue;
    const key = `${ctx.view.chain}:${tx.txid}:${vout}`;
    const attrs = edgeAttrs(tx, vout, out.value, t.amount, hop, ctx.view);
    attrs.inputs = sources;
    ctx.g.edge(key, ctx.g.node(src, hop), ctx.g.node(out.address, hop - 1), attrs);
  }
}

/**
 * The CoinJoin stop, both directions: a transaction the heuristic calls a CoinJoin ends the path
 * in a `mixer` terminal (taint cannot be followed through it exactly) and a finding that names it.
 */
function coinjoinStop(
  opts: TraceOptions,
  tx: UtxoTx,
  hop: number,
  amount: bigint,
  terminals: Terminal[],
  findings: Finding[],
): boolean {
  const cj = opts.heuristics?.coinjoin?.(tx) ?? null;
  if (!cj) return false;
  terminals.push({
    kind: 'mixer',
    reason: 'mixer',
    node: null,
    edge: null,
    hop,
    amount,
    note: `${tx.txid}: ${cj}`,
  });
  findings.push({ kind: 'coinjoin', description: cj, txs: [tx.txid], amount });
  return true;
}
