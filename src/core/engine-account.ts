// Account-chain trace engine (ETH, ERC-20 …). Each address visited gets a time-ordered ledger;
// value leaves only after it arrived. Forward, the engine sweeps the ledgers of all expanded
// addresses in global order; expanding one more address can only add taint (never remove it),
// so it repeats the sweep until no frontier address is left to expand. Backward, it walks
// transfers in reverse global order and splits each traced debit over the credits that funded it.
import { apportion } from './amount.js';
import { afterUntil, beforeSince } from './bounds.js';
import { type DepositEvidence, detectDeposit } from './deposit.js';
import { FundtraceError } from './errors.js';
import { GraphBuilder } from './graph.js';
import { Heap } from './heap.js';
import { compareTransfers, type Transfer } from './model.js';
import { mapRanges, normalizeRanges, type Piece, type Range, rangesTotal } from './ranges.js';
import { findLookalikes, lookalikeWarnings } from './spam.js';
import { cleanTaint, fullTaint, type Ledger, newLedger, type Taint } from './taint.js';
import type {
  EdgeAttributes,
  Finding,
  MissingData,
  StopReason,
  Terminal,
  TraceOptions,
  TraceOutcome,
} from './trace-types.js';
import type { AccountView } from './view.js';

export const transferId = (t: Transfer) => `${t.tx}:${t.index}`;

interface TaintedEdge {
  t: Transfer;
  taint: bigint;
}

function assetOf(view: AccountView, key: string) {
  const info = view.asset(key);
  if (!info) throw new FundtraceError('USAGE', `asset "${key}" is not known on ${view.chain}`);
  return { ...info, key };
}

function edgeAttrs(t: Transfer, tainted: bigint, hop: number): EdgeAttributes {
  return {
    tx: t.tx,
    index: t.index,
    kind: t.kind,
    time: t.time,
    height: t.height,
    asset: t.asset,
    value: t.value,
    tainted,
    hop,
  };
}

/** A movement the engine follows: non-zero value between two different addresses (or a fee). */
const moves = (t: Transfer) => t.value > 0n && t.from !== t.to;

interface Frontier {
  address: string;
  amount: bigint;
  first: Transfer;
}

/** Shared limit checks for an address about to be expanded. Returns the reason it may not be. */
function limitFor(
  view: AccountView,
  opts: TraceOptions,
  address: string,
  hop: number,
  amount: bigint,
  order: number,
): StopReason | 'label' | null {
  if (opts.policy.stopKind(opts.policy.labelsOf(address))) return 'label';
  if (hop >= opts.maxHops) return 'hops';
  if (opts.minValue > 0n && amount < opts.minValue) return 'min-value';
  const size = view.ledgerSize?.(address, opts.asset);
  if (size !== undefined && size > opts.historyLimit) return 'history-limit';
  if (order > opts.maxNodes) return 'max-nodes';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Forward
// ---------------------------------------------------------------------------------------------

export function traceAccountForward(view: AccountView, opts: TraceOptions): TraceOutcome {
  const asset = assetOf(view, opts.asset);
  const warnings: string[] = [];
  const missing: MissingData = { addresses: [], txs: [], outspends: [] };
  const findings: Finding[] = [];

  // Seeds: transfers wholly tainted at the start, and the hop-0 addresses.
  const seedIds = new Set<string>();
  const seedTransfers: Transfer[] = [];
  const seedNodes = new Set<string>();
  if (opts.seedKind === 'tx') {
    const r = view.txTransfers(opts.seed);
    if (r.status === 'missing') {
      missing.txs.push(opts.seed);
    } else {
      if (!r.value)
        throw new FundtraceError('BAD_INPUT', `seed "${opts.seed}" is not in the data: no such transaction`);
      for (const t of r.value) {
        if (t.asset !== asset.key || !moves(t) || t.to === null) continue;
        seedTransfers.push(t);
        seedNodes.add(t.from);
      }
      if (seedTransfers.length === 0) {
        throw new FundtraceError('BAD_INPUT', `seed "${opts.seed}" moves no ${asset.symbol} (try --asset)`);
      }
    }
  } else if (opts.seedKind === 'address') {
    seedNodes.add(opts.seed);
    const r = view.ledger(opts.seed, asset.key);
    if (r.status === 'missing') missing.addresses.push(opts.seed);
    else {
      if (r.value.length === 0) {
        throw new FundtraceError(
          'BAD_INPUT',
          `seed "${opts.seed}" is not in the data: no ${asset.symbol} history`,
        );
      }
      const size = view.ledgerSize?.(opts.seed, asset.key) ?? r.value.length;
      if (size > opts.historyLimit) {
        warnings.push(
          `seed ${opts.seed} has ${size} ${asset.symbol} transfers, over the history limit ${opts.historyLimit}; only the first ${opts.historyLimit} are used`,
        );
      }
      for (const t of r.value.slice(0, opts.historyLimit)) {
        if (t.from !== opts.seed || !moves(t)) continue;
        if (beforeSince(opts.since, t) || afterUntil(opts.until, t)) continue;
        seedTransfers.push(t);
      }
      if (seedTransfers.length === 0)
        warnings.push(`the seed address sent no ${asset.symbol} in the window: nothing to trace forward`);
    }
  } else {
    throw new FundtraceError(
      'USAGE',
      `an outpoint seed (txid:vout) only exists on UTXO chains, not on ${view.chain}`,
    );
  }
  for (const t of seedTransfers) seedIds.add(transferId(t));
  // Value that comes back to an address seed is already counted in what it sent: `returned`. The
  // senders of a transaction seed are hop 0 too, but only the seed transaction's transfers were
  // counted: value that comes back to them is followed like any other.
  const returnTo: ReadonlySet<string> = opts.seedKind === 'address' ? seedNodes : new Set();
  const txSeed = opts.seedKind === 'tx' ? seedIds : undefined;
  const traced = seedTransfers.reduce((a, t) => a + t.value, 0n);

  const expanded = new Set<string>();
  const ledgerOf = new Map<string, readonly Transfer[]>();
  const deposits = new Map<string, DepositEvidence>();
  let result: Sweep;
  const log = new EventLog();
  log.add(seedTransfers);
  for (;;) {
    result = sweep(opts, log, seedIds, returnTo, expanded);
    const hops = hopsFrom(seedNodes, result.edges, txSeed).at;
    // Frontier: addresses that received taint but are not expanded yet.
    const candidates = [...result.frontier.values()].sort(
      (a, b) =>
        hops.get(a.address)! - hops.get(b.address)! ||
        compareTransfers(a.first, b.first) ||
        (a.address < b.address ? -1 : 1),
    );
    let order = seedNodes.size + expanded.size + result.frontier.size;
    let grew = false;
    const batch: (readonly Transfer[])[] = [];
    for (const f of candidates) {
      const why = limitFor(view, opts, f.address, hops.get(f.address)!, f.amount, order);
      if (why) continue;
      const r = view.ledger(f.address, asset.key);
      if (r.status === 'missing') {
        if (!missing.addresses.includes(f.address)) missing.addresses.push(f.address);
        continue;
      }
      // A recognised deposit address is still followed (one hop, into the labelled exchange wallet),
      // so no figure rests on the heuristic; it names the deposit address in the exits table.
      if (opts.deposits) {
        const dep = detectDeposit(f.address, r.value, opts.policy);
        if (dep) deposits.set(f.address, dep);
      }
      ledgerOf.set(f.address, r.value);
      expanded.add(f.address);
      batch.push(r.value);
      grew = true;
      order++;
    }
    if (!grew) break;
    // One merge per round: merging per address would cost the whole log each time.
    log.add(batch.flat());
  }
  return finishForward(
    view,
    opts,
    asset,
    traced,
    result,
    seedNodes,
    returnTo,
    seedIds,
    txSeed,
    expanded,
    deposits,
    warnings,
    missing,
    findings,
    [...seedTransfers.map((t) => [t]), ...ledgerOf.values()],
  );
}

interface Sweep {
  edges: TaintedEdge[];
  frontier: Map<string, Frontier>;
  ledgers: Map<string, Ledger>;
  fees: TaintedEdge[];
  returned: TaintedEdge[];
  /** Taint held by an expanded sender of a transaction seed that its seed transfer counts again. */
  recounted: TaintedEdge[];
  shortfalls: Map<string, bigint>;
  /** Expanded addresses with activity after --until (their balance is cut by the window). */
  beyondUntil: Set<string>;
}

/**
 * Every transfer that touches an expanded address, plus the seeds, once each, in global order.
 * Kept across rounds: each round sorts only the newly added ledgers and merges them in.
 */
class EventLog {
  readonly events: Transfer[] = [];
  /** transferId of each event, computed once. */
  readonly ids: string[] = [];
  private readonly seen = new Set<string>();
  add(batch: Iterable<Transfer>): void {
    const fresh: { t: Transfer; id: string }[] = [];
    for (const t of batch) {
      const id = transferId(t);
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      fresh.push({ t, id });
    }
    if (fresh.length === 0) return;
    fresh.sort((a, b) => compareTransfers(a.t, b.t));
    const oldEvents = this.events.splice(0);
    const oldIds = this.ids.splice(0);
    let i = 0;
    let j = 0;
    const take = (t: Transfer, id: string) => {
      this.events.push(t);
      this.ids.push(id);
    };
    while (i < oldEvents.length && j < fresh.length) {
      if (compareTransfers(oldEvents[i]!, fresh[j]!.t) <= 0) take(oldEvents[i]!, oldIds[i++]!);
      else take(fresh[j]!.t, fresh[j++]!.id);
    }
    while (i < oldEvents.length) take(oldEvents[i]!, oldIds[i++]!);
    while (j < fresh.length) take(fresh[j]!.t, fresh[j++]!.id);
  }
}

function sweep(
  opts: TraceOptions,
  log: EventLog,
  seedIds: ReadonlySet<string>,
  returnTo: ReadonlySet<string>,
  expanded: ReadonlySet<string>,
): Sweep {
  const s: Sweep = {
    edges: [],
    frontier: new Map(),
    ledgers: new Map(),
    fees: [],
    returned: [],
    recounted: [],
    shortfalls: new Map(),
    beyondUntil: new Set(),
  };
  for (const a of expanded) s.ledgers.set(a, newLedger(opts.model));
  const { events, ids } = log;
  for (let k = 0; k < events.length; k++) {
    const t = events[k]!;
    if (!moves(t)) continue;
    if (afterUntil(opts.until, t)) {
      if (expanded.has(t.from)) s.beyondUntil.add(t.from);
      continue;
    }
    let taint: Taint;
    const from = s.ledgers.get(t.from);
    if (seedIds.has(ids[k]!)) {
      taint = fullTaint(opts.model, t.value);
      // The sender of a transaction seed may be expanded (taint came back to it): its balance must
      // still drop by what the seed moved. Taint it already held (an earlier transfer of the same
      // seed transaction) leaves again as part of this seed transfer, which counts it afresh.
      if (from) {
        const d = from.debit(t.value);
        if (d.taint.amount > 0n) s.recounted.push({ t, taint: d.taint.amount });
        if (d.shortfall > 0n) s.shortfalls.set(t.from, (s.shortfalls.get(t.from) ?? 0n) + d.shortfall);
      }
    } else if (from) {
      const d = from.debit(t.value);
      taint = d.taint;
      if (d.shortfall > 0n) s.shortfalls.set(t.from, (s.shortfalls.get(t.from) ?? 0n) + d.shortfall);
    } else taint = cleanTaint(opts.model, t.value);
    if (t.to === null) {
      if (taint.amount > 0n) s.fees.push({ t, taint: taint.amount });
      continue;
    }
    const to = s.ledgers.get(t.to);
    if (to) to.credit(t.value, taint);
    if (taint.amount === 0n) continue;
    const e = { t, taint: taint.amount };
    s.edges.push(e);
    if (returnTo.has(t.to)) s.returned.push(e);
    else if (!to) {
      const f = s.frontier.get(t.to);
      if (f) f.amount += taint.amount;
      else s.frontier.set(t.to, { address: t.to, amount: taint.amount, first: t });
    }
  }
  return s;
}

interface Hops {
  /** Hop of each address (its node): breadth-first distance from the seeds over tainted movements. */
  node: Map<string, number>;
  /**
   * Hop at which taint sits at each address, ready to leave again. The same as `node`, except for
   * the senders of a transaction seed: they are hop 0, but only the seed's own transfers leave them
   * at hop 0; taint that comes back to them later is at the hop it came back at.
   */
  at: Map<string, number>;
}

function hopsFrom(
  seeds: ReadonlySet<string>,
  edges: readonly TaintedEdge[],
  /** Transaction seed: the seed transfers (the only movements that leave a hop-0 sender at hop 0). */
  seedIds?: ReadonlySet<string>,
): Hops {
  const out = new Map<string, TaintedEdge[]>();
  for (const e of edges) {
    const l = out.get(e.t.from);
    if (l) l.push(e);
    else out.set(e.t.from, [e]);
  }
  const node = new Map<string, number>();
  const at = new Map<string, number>();
  let level = [...seeds].sort();
  for (const s of level) {
    node.set(s, 0);
    if (!seedIds) at.set(s, 0);
  }
  for (let h = 1; level.length > 0; h++) {
    const next: string[] = [];
    for (const a of level) {
      const all = at.get(a) === h - 1;
      for (const e of out.get(a) ?? []) {
        if (!all && !seedIds?.has(transferId(e.t))) continue;
        const b = e.t.to!;
        if (!node.has(b)) node.set(b, h);
        if (at.has(b)) continue;
        at.set(b, h);
        next.push(b);
      }
    }
    level = next;
  }
  return { node, at };
}

/** Hop of a tainted movement: one more than the hop its taint left from. */
function edgeHop(h: Hops, e: TaintedEdge, seedIds: ReadonlySet<string>): number {
  const from = seedIds.has(transferId(e.t)) ? h.node.get(e.t.from) : h.at.get(e.t.from);
  return (from ?? h.node.get(e.t.from) ?? 0) + 1;
}

function finishForward(
  view: AccountView,
  opts: TraceOptions,
  asset: ReturnType<typeof assetOf>,
  traced: bigint,
  s: Sweep,
  seedNodes: ReadonlySet<string>,
  returnTo: ReadonlySet<string>,
  seedIds: ReadonlySet<string>,
  txSeed: ReadonlySet<string> | undefined,
  expanded: ReadonlySet<string>,
  deposits: ReadonlyMap<string, DepositEvidence>,
  warnings: string[],
  missing: MissingData,
  findings: Finding[],
  ledgers: Iterable<readonly Transfer[]>,
): TraceOutcome {
  const g = new GraphBuilder(view.chain, opts.policy);
  const h = hopsFrom(seedNodes, s.edges, txSeed);
  const hops = h.node;
  const at = h.at;
  const terminals: Terminal[] = [];
  for (const a of [...seedNodes].sort()) g.node(a, 0, true);
  for (const e of s.edges) {
    const hop = edgeHop(h, e, seedIds);
    const src = g.node(e.t.from, hops.get(e.t.from)!);
    const dst = g.node(e.t.to!, hops.get(e.t.to!)!);
    g.edge(`${view.chain}:${e.t.tx}:${e.t.index}`, src, dst, edgeAttrs(e.t, e.taint, hop));
  }
  // Frontier addresses: why each was not expanded, one terminal per movement into it.
  const order = seedNodes.size + expanded.size + s.frontier.size;
  const stopped = new Map<string, StopReason>();
  for (const f of s.frontier.values()) {
    const node = g.node(f.address, hops.get(f.address)!);
    const why = limitFor(view, opts, f.address, at.get(f.address)!, f.amount, order) ?? 'missing-data';
    stopped.set(f.address, why);
    g.stop(node, why);
  }
  for (const e of s.edges) {
    const key = `${view.chain}:${e.t.tx}:${e.t.index}`;
    const hop = edgeHop(h, e, seedIds);
    const node = `${view.chain}:${e.t.to}`;
    if (returnTo.has(e.t.to!)) {
      terminals.push({ kind: 'returned', reason: 'returned', node, edge: key, hop, amount: e.taint });
      continue;
    }
    const why = stopped.get(e.t.to!);
    if (!why) continue;
    if (why === 'label') {
      const labels = opts.policy.labelsOf(e.t.to!);
      const p = opts.policy.primary(labels);
      const kind = opts.policy.stopKind(labels)!;
      terminals.push({
        kind,
        reason: 'label',
        node,
        edge: key,
        hop,
        amount: e.taint,
        category: p?.category,
        entity: p?.entity,
      });
    } else terminals.push({ kind: 'cut', reason: why, node, edge: key, hop, amount: e.taint });
  }
  for (const [a, dep] of [...deposits].sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (!g.has(a)) continue;
    g.graph.setNodeAttribute(`${view.chain}:${a}`, 'cluster', {
      id: dep.label.entity,
      entity: dep.label.entity,
      category: dep.label.category,
      via: 'deposit',
      evidence: dep.txs[0],
      from: dep.wallet,
    });
    findings.push({
      kind: 'deposit-address',
      description: `${a} forwarded ${dep.forwarded} of the ${dep.received} base units it received to ${dep.label.entity} (${dep.wallet}) soon after receiving: likely its deposit address (heuristic)`,
      txs: dep.txs,
      amount: dep.forwarded,
    });
  }
  for (const a of [...expanded].sort()) {
    const held = s.ledgers.get(a)!.tainted();
    if (held <= 0n) continue;
    const node = g.node(a, hops.get(a) ?? 0);
    const cut = s.beyondUntil.has(a);
    terminals.push({
      kind: cut ? 'cut' : 'held',
      reason: cut ? 'time-window' : 'unspent',
      node,
      edge: null,
      hop: at.get(a) ?? hops.get(a) ?? 0,
      amount: held,
    });
    g.stop(node, cut ? 'time-window' : 'unspent');
  }
  for (const e of s.recounted) {
    terminals.push({
      kind: 'returned',
      reason: 'returned',
      node: `${view.chain}:${e.t.from}`,
      edge: `${view.chain}:${e.t.tx}:${e.t.index}`,
      hop: at.get(e.t.from) ?? hops.get(e.t.from) ?? 0,
      amount: e.taint,
      note: 'sent on by the seed transaction itself: already counted',
    });
  }
  for (const e of s.fees) {
    terminals.push({
      kind: 'fee',
      node: null,
      edge: null,
      hop: edgeHop(h, e, seedIds),
      amount: e.taint,
      note: e.t.tx,
    });
  }
  for (const [a, short] of [...s.shortfalls].sort()) {
    warnings.push(
      `${a} sent ${short} base units more ${asset.symbol} than the data shows it receiving (history starts mid-stream or fees are missing); that part was treated as clean`,
    );
  }
  const nodes = g.graph.mapNodes((_k, n) => n.address);
  const seen: string[] = [];
  for (const l of ledgers) for (const t of l) seen.push(t.from, ...(t.to ? [t.to] : []));
  warnings.push(...lookalikeWarnings(findLookalikes(nodes, seen)));
  return { graph: g.graph, terminals, traced, asset, warnings, missing, findings };
}

// ---------------------------------------------------------------------------------------------
// Backward
// ---------------------------------------------------------------------------------------------

const UNKNOWN = '(before the data)';

/** How each debit of an address was funded: pieces of its earlier credits, in the model's terms. */
class Funding {
  private pieces = new Map<string, Piece<string>[]>();
  private creditsBefore = new Map<string, Transfer[]>();
  constructor(model: TraceOptions['model'], address: string, ledger: readonly Transfer[]) {
    const credits: { t: Transfer; rem: bigint; used: bigint }[] = [];
    let head = 0; // fifo: first credit with units left
    for (const t of ledger) {
      if (!moves(t)) continue;
      if (t.to === address) {
        credits.push({ t, rem: t.value, used: 0n });
        continue;
      }
      if (t.from !== address) continue;
      const id = transferId(t);
      const out: Piece<string>[] = [];
      let at = 0n;
      if (model === 'poison') {
        this.creditsBefore.set(
          id,
          credits.map((c) => c.t),
        );
        continue;
      }
      if (model === 'haircut') {
        const B = credits.reduce((a, c) => a + c.rem, 0n);
        const take = B < t.value ? B : t.value;
        const d = apportion(
          take,
          credits.map((c) => c.rem),
        );
        credits.forEach((c, i) => {
          const n = d[i]!;
          if (n === 0n) return;
          out.push({ src: transferId(c.t), at, srcStart: 0n, len: n });
          at += n;
          c.rem -= n;
        });
      } else {
        let need = t.value;
        while (need > 0n && head < credits.length) {
          const c = credits[head]!;
          const n = c.rem < need ? c.rem : need;
          out.push({ src: transferId(c.t), at, srcStart: c.used, len: n });
          at += n;
          need -= n;
          c.rem -= n;
          c.used += n;
          if (c.rem === 0n) head++;
        }
      }
      if (at < t.value) out.push({ src: UNKNOWN, at, srcStart: 0n, len: t.value - at });
      this.pieces.set(id, out);
    }
  }
  /** Attribute `amount` (or exact `ranges`, fifo) of debit `id` to its funding credits. */
  attribute(model: TraceOptions['model'], id: string, amount: bigint, ranges: Range[] | undefined) {
    const res = new Map<string, { amount: bigint; ranges?: Range[] }>();
    if (model === 'poison') {
      for (const c of this.creditsBefore.get(id) ?? []) res.set(transferId(c), { amount: c.value });
      if (res.size === 0) res.set(UNKNOWN, { amount });
      return res;
    }
    const pieces = this.pieces.get(id) ?? [];
    if (model === 'haircut') {
      const shares = apportion(
        amount,
        pieces.map((p) => p.len),
      );
      pieces.forEach((p, i) => {
        if (shares[i]! > 0n) res.set(p.src, { amount: (res.get(p.src)?.amount ?? 0n) + shares[i]! });
      });
      return res;
    }
    for (const [src, rs] of mapRanges(ranges ?? [], pieces)) {
      const n = normalizeRanges(rs);
      res.set(src, { amount: rangesTotal(n), ranges: n });
    }
    return res;
  }
}

interface BackItem {
  t: Transfer;
  amount: bigint;
  ranges?: Range[];
  /** Hop of the recipient. */
  hop: number;
}

export function traceAccountBackward(view: AccountView, opts: TraceOptions): TraceOutcome {
  const asset = assetOf(view, opts.asset);
  const warnings: string[] = [];
  const missing: MissingData = { addresses: [], txs: [], outspends: [] };
  const g = new GraphBuilder(view.chain, opts.policy, true);
  const terminals: Terminal[] = [];
  const fifo = opts.model === 'fifo';
  const items = new Map<string, BackItem>();
  const heap = new Heap<BackItem>((a, b) => compareTransfers(a.t, b.t) > 0);
  const fundings = new Map<string, Funding>();
  const seedNodes = new Set<string>();
  /** The seed's own traced credits (transaction seed: its transfers; address seed: what it received). */
  const seedIds = new Set<string>();
  let traced = 0n;

  const push = (t: Transfer, amount: bigint, ranges: Range[] | undefined, hop: number) => {
    const id = transferId(t);
    const it = items.get(id);
    if (it) {
      it.hop = Math.min(it.hop, hop);
      if (fifo) {
        it.ranges = normalizeRanges([...(it.ranges ?? []), ...(ranges ?? [])]);
        it.amount = rangesTotal(it.ranges);
      } else if (opts.model === 'poison') it.amount = t.value;
      else it.amount += amount;
      return;
    }
    const n: BackItem = { t, amount, ranges, hop };
    items.set(id, n);
    heap.push(n);
  };
  const whole = (t: Transfer): Range[] | undefined => (fifo ? [[0n, t.value]] : undefined);

  if (opts.seedKind === 'tx') {
    const r = view.txTransfers(opts.seed);
    if (r.status === 'missing') missing.txs.push(opts.seed);
    else {
      if (!r.value)
        throw new FundtraceError('BAD_INPUT', `seed "${opts.seed}" is not in the data: no such transaction`);
      for (const t of r.value) {
        if (t.asset !== asset.key || !moves(t) || t.to === null) continue;
        seedNodes.add(t.to);
        g.node(t.to, 0, true);
        traced += t.value;
        seedIds.add(transferId(t));
        push(t, t.value, whole(t), 0);
      }
      if (traced === 0n)
        throw new FundtraceError('BAD_INPUT', `seed "${opts.seed}" moves no ${asset.symbol} (try --asset)`);
    }
  } else if (opts.seedKind === 'address') {
    seedNodes.add(opts.seed);
    const r = view.ledger(opts.seed, asset.key);
    if (r.status === 'missing') missing.addresses.push(opts.seed);
    else {
      if (r.value.length === 0) {
        throw new FundtraceError(
          'BAD_INPUT',
          `seed "${opts.seed}" is not in the data: no ${asset.symbol} history`,
        );
      }
      g.node(opts.seed, 0, true);
      const size = view.ledgerSize?.(opts.seed, asset.key) ?? r.value.length;
      if (size > opts.historyLimit) {
        warnings.push(
          `seed ${opts.seed} has ${size} ${asset.symbol} transfers, over the history limit ${opts.historyLimit}; only the first ${opts.historyLimit} are used`,
        );
      }
      for (const t of r.value.slice(0, opts.historyLimit)) {
        if (t.to !== opts.seed || !moves(t)) continue;
        if (beforeSince(opts.since, t) || afterUntil(opts.until, t)) continue;
        traced += t.value;
        seedIds.add(transferId(t));
        push(t, t.value, whole(t), 0);
      }
    }
  } else {
    throw new FundtraceError(
      'USAGE',
      `an outpoint seed (txid:vout) only exists on UTXO chains, not on ${view.chain}`,
    );
  }

  for (let it = heap.pop(); it; it = heap.pop()) {
    if (it.amount === 0n) continue;
    const { t } = it;
    const hop = it.hop + 1;
    const key = `${view.chain}:${t.tx}:${t.index}`;
    const node = g.node(t.from, hop);
    g.edge(key, node, g.node(t.to!, it.hop), edgeAttrs(t, it.amount, hop));
    const stopAt = (x: Omit<Terminal, 'node' | 'edge' | 'hop' | 'amount'>) => {
      terminals.push({ ...x, node, edge: key, hop, amount: it.amount });
      if (x.reason) g.stop(node, x.reason);
    };
    // Value an address seed sent out was funded by what it received, all of which is traced. The
    // recipients of a transaction seed are hop 0 too, but only the seed's own transfers into them
    // are traced: what they sent earlier has origins of its own, followed like any other.
    if (opts.seedKind === 'address' && seedNodes.has(t.from)) {
      stopAt({ kind: 'returned', reason: 'returned', note: 'came from the seed itself: already counted' });
      continue;
    }
    const why = limitFor(view, opts, t.from, hop, it.amount, g.order);
    if (why === 'label') {
      const labels = opts.policy.labelsOf(t.from);
      const p = opts.policy.primary(labels);
      stopAt({
        kind: opts.policy.stopKind(labels)!,
        reason: 'label',
        category: p?.category,
        entity: p?.entity,
      });
      continue;
    }
    if (why) {
      stopAt({ kind: 'cut', reason: why });
      continue;
    }
    if (beforeSince(opts.since, t)) {
      stopAt({ kind: 'cut', reason: 'time-window' });
      continue;
    }
    let f = fundings.get(t.from);
    if (!f) {
      const r = view.ledger(t.from, asset.key);
      if (r.status === 'missing') {
        if (!missing.addresses.includes(t.from)) missing.addresses.push(t.from);
        stopAt({ kind: 'cut', reason: 'missing-data' });
        continue;
      }
      f = new Funding(opts.model, t.from, r.value);
      fundings.set(t.from, f);
    }
    const attr = f.attribute(opts.model, transferId(t), it.amount, it.ranges);
    const ledger = view.ledger(t.from, asset.key);
    const byId = new Map<string, Transfer>();
    if (ledger.status === 'ok') for (const c of ledger.value) byId.set(transferId(c), c);
    for (const [src, part] of attr) {
      if (part.amount === 0n) continue;
      if (src === UNKNOWN) {
        terminals.push({
          kind: 'unknown-origin',
          reason: 'origin',
          node,
          edge: key,
          hop,
          amount: part.amount,
          note: 'funded before the data starts',
        });
        continue;
      }
      const credit = byId.get(src)!;
      if (seedIds.has(src)) {
        // Funded by one of the seed's own traced transfers (a transaction that routes value
        // through several addresses): those units are already counted.
        terminals.push({
          kind: 'returned',
          reason: 'returned',
          node,
          edge: key,
          hop,
          amount: part.amount,
          note: 'came from the seed itself: already counted',
        });
        continue;
      }
      if (opts.dust !== undefined && credit.value < opts.dust && !seedNodes.has(credit.from)) {
        // Dust from elsewhere is not an origin worth following (address poisoning, airdrops).
        terminals.push({
          kind: 'cut',
          reason: 'dust',
          node,
          edge: key,
          hop,
          amount: part.amount,
          note: `dust from ${credit.from} in ${credit.tx}`,
        });
        continue;
      }
      push(credit, part.amount, part.ranges, hop);
    }
  }
  const seen: string[] = [];
  for (const a of fundings.keys()) {
    const l = view.ledger(a, asset.key);
    if (l.status === 'ok') for (const t of l.value) seen.push(t.from, ...(t.to ? [t.to] : []));
  }
  warnings.push(
    ...lookalikeWarnings(
      findLookalikes(
        g.graph.mapNodes((_k, n) => n.address),
        seen,
      ),
    ),
  );
  return { graph: g.graph, terminals, traced, asset, warnings, missing, findings: [] };
}
