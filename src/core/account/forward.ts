// Account-chain engine, forward: where did the seed's value go? Each address visited gets a
// time-ordered ledger; value leaves only after it arrived. The engine sweeps the ledgers of all
// expanded addresses in global order; expanding one more address can only add taint (never remove
// it), so it repeats the sweep until no frontier address is left to expand.
import { formatUnits } from '../amount.js';
import { afterUntil } from '../bounds.js';
import { type DepositEvidence, detectDeposit } from '../deposit.js';
import { GraphBuilder } from '../graph.js';
import { compareTransfers, type Transfer } from '../model.js';
import { findLookalikes, lookalikeWarnings } from '../spam.js';
import { cleanTaint, fullTaint, type Ledger, newLedger, type Taint } from '../taint.js';
import type {
  Finding,
  MissingData,
  StopReason,
  Terminal,
  TraceOptions,
  TraceOutcome,
} from '../trace-types.js';
import type { AccountView } from '../view.js';
import {
  assetOf,
  edgeAttrs,
  type Frontier,
  labelStop,
  limitFor,
  moves,
  resolveSeed,
  type TaintedEdge,
  type TracedAsset,
  transferId,
} from './common.js';

export function traceAccountForward(view: AccountView, opts: TraceOptions): TraceOutcome {
  const asset = assetOf(view, opts.asset);
  const warnings: string[] = [];
  const missing: MissingData = { addresses: [], txs: [], outspends: [] };
  const findings: Finding[] = [];

  // Seeds: transfers wholly tainted at the start, and the hop-0 addresses.
  const seed = resolveSeed(view, opts, asset, 'forward', warnings, missing);
  const seedTransfers = seed.transfers;
  const seedNodes = seed.nodes;
  const seedIds = new Set<string>();
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
  return finishForward({
    view,
    opts,
    asset,
    traced,
    sweep: result,
    seedNodes,
    returnTo,
    seedIds,
    txSeed,
    expanded,
    deposits,
    warnings,
    missing,
    findings,
    ledgers: [...seedTransfers.map((t) => [t]), ...ledgerOf.values()],
  });
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

/** Everything a forward trace knows once its sweeps stop growing. */
interface ForwardState {
  view: AccountView;
  opts: TraceOptions;
  asset: TracedAsset;
  traced: bigint;
  sweep: Sweep;
  seedNodes: ReadonlySet<string>;
  /** Address seeds: value coming back to them is `returned`. */
  returnTo: ReadonlySet<string>;
  seedIds: ReadonlySet<string>;
  /** Transaction seeds: the seed transfers (see hopsFrom). */
  txSeed: ReadonlySet<string> | undefined;
  expanded: ReadonlySet<string>;
  deposits: ReadonlyMap<string, DepositEvidence>;
  warnings: string[];
  missing: MissingData;
  findings: Finding[];
  /** Every ledger read, for the look-alike check. */
  ledgers: Iterable<readonly Transfer[]>;
}

function finishForward(st: ForwardState): TraceOutcome {
  const { view, opts, asset, traced, sweep: s, seedNodes, returnTo, seedIds, txSeed, expanded } = st;
  const { deposits, warnings, missing, findings, ledgers } = st;
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
      terminals.push({ ...labelStop(opts.policy, e.t.to!), node, edge: key, hop, amount: e.taint });
    } else if (why === 'burn') {
      terminals.push({
        kind: 'unspendable',
        reason: 'burn',
        node,
        edge: key,
        hop,
        amount: e.taint,
        note: 'burned',
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
      description: `${a} forwarded ${formatUnits(dep.forwarded, asset.decimals)} of the ${formatUnits(dep.received, asset.decimals)} ${asset.symbol} it received to ${dep.label.entity} (${dep.wallet}) soon after receiving: likely its deposit address (heuristic)`,
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
