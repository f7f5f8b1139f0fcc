// Account-chain engine, forward: where did the seed's value go? Each position visited (an address
// in one asset) gets a time-ordered ledger; value leaves only after it arrived. The engine sweeps
// the ledgers of all expanded positions in global order; expanding one more position can only add
// taint (never remove it), so it repeats the sweep until no frontier position is left to expand.
// Conversions (swaps, wrapping; ./convert.ts) move taint from an address's position in one asset to
// its position in another: the trace then goes on in that asset, with totals kept per asset.
import { formatUnits } from '../amount.js';
import { afterUntil } from '../bounds.js';
import { capOutcome, type FoldPlan, type NodeTally, planFold } from '../cap.js';
import { type DepositEvidence, detectDeposit } from '../deposit.js';
import type { DecodedEvent } from '../events/types.js';
import { nodeKey } from '../graph.js';
import { compareTransfers, type Transfer } from '../model.js';
import { findLookalikes, lookalikeWarnings, partiesOf } from '../spam.js';
import { cleanTaint, fullTaint, type Ledger, newLedger, type Taint } from '../taint.js';
import type {
  ConversionRecord,
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
  labelStop,
  limitFor,
  moves,
  resolveSeed,
  type TaintedEdge,
  type TracedAsset,
  transferId,
} from './common.js';
import { type Conversion, convertTaint, detectConversion, joinTaint, type NotConverted } from './convert.js';
import {
  type Canvas,
  Drawing,
  discardTerminals,
  KeptTerminals,
  Outline,
  TalliedTerminals,
  type TerminalSink,
} from './drawing.js';

/** A position: an address in one asset (NUL never occurs in either). */
const pos = (address: string, asset: string) => `${address}\u0000${asset}`;
const posAddress = (p: string) => p.slice(0, p.indexOf('\u0000'));

/** Anything on the global event log: a transfer, or a conversion (sorted by the same keys). */
type Ev = Transfer | Conversion;
const isConversion = (e: Ev): e is Conversion => 'fromAsset' in e;
const evId = (e: Ev) => (isConversion(e) ? `${e.tx}:conversion:${e.address}` : transferId(e));
type Ordered = Pick<Transfer, 'height' | 'position' | 'tx' | 'index'>;
const compareEv = (a: Ordered, b: Ordered) => compareTransfers(a as Transfer, b as Transfer);

interface Frontier {
  address: string;
  asset: string;
  amount: bigint;
  first: Ordered;
}

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
  // Transactions whose transfers the sweep looks up by id (seeds now, absorbed ones as found).
  const idTxs = new Set(seedTransfers.map((t) => t.tx));
  // Value that comes back to an address seed is already counted in what it sent: `returned`. The
  // senders of a transaction seed are hop 0 too, but only the seed transaction's transfers were
  // counted: value that comes back to them is followed like any other.
  const returnTo: ReadonlySet<string> = opts.seedKind === 'address' ? seedNodes : new Set();
  const txSeed = opts.seedKind === 'tx' ? seedIds : undefined;
  // Bridge destination legs arrive with the taint their deposit carried; other seeds wholly tainted.
  const entryTaint = new Map((opts.entries ?? []).map((e) => [`${e.tx}:${e.index}`, e.taint]));
  const traced = seedTransfers.reduce((a, t) => a + (entryTaint.get(transferId(t))?.amount ?? t.value), 0n);

  const scan = new ConversionScan(view, opts, missing);
  for (const t of seedTransfers) scan.tx(t.tx, t.from);

  const expanded = new Set<string>();
  const ledgerOf = new Map<string, readonly Transfer[]>();
  const deposits = new Map<string, DepositEvidence>();
  let result: Sweep;
  const log = new EventLog();
  log.add(seedTransfers);
  for (;;) {
    const found = scan.take();
    for (const c of found) idTxs.add(c.tx);
    log.add(found);
    result = sweep(opts, asset.key, log, seedIds, returnTo, expanded, scan.absorbed, idTxs, entryTaint);
    const hops = hopsFrom(seedNodes, result.edges, txSeed, opts.hopBase).at;
    // Frontier: positions that received taint but are not expanded yet.
    const candidates = [...result.frontier.entries()].sort(
      ([pa, a], [pb, b]) =>
        hops.get(a.address)! - hops.get(b.address)! || compareEv(a.first, b.first) || (pa < pb ? -1 : 1),
    );
    let order = seedNodes.size + expanded.size + result.frontier.size;
    let grew = false;
    const batch: (readonly Transfer[])[] = [];
    for (const [p, f] of candidates) {
      const why = limitFor(view, opts, f.address, hops.get(f.address)!, f.amount, order, f.asset);
      if (why) continue;
      const r = view.ledger(f.address, f.asset);
      if (r.status === 'missing') {
        if (!missing.addresses.includes(f.address)) missing.addresses.push(f.address);
        continue;
      }
      // A recognised deposit address is still followed (one hop, into the labelled exchange wallet),
      // so no figure rests on the heuristic; it names the deposit address in the exits table.
      if (opts.deposits) {
        const dep = detectDeposit(f.address, r.value, opts.policy);
        if (dep) deposits.set(p, dep);
      }
      ledgerOf.set(p, r.value);
      expanded.add(p);
      batch.push(r.value);
      scan.ledger(f.address, f.asset, r.value);
      grew = true;
      order++;
    }
    if (!grew) break;
    // One merge per round: merging per position would cost the whole log each time.
    log.add(batch.flat());
  }
  // The sweeps are done: what the log holds is not needed to draw the result.
  log.clear();
  if (scan.noLogs)
    warnings.push(
      'no event logs in this data: swaps, wrapping and bridges cannot be recognised, so the trace stays in its asset',
    );
  warnings.push(...scan.problems);
  for (const n of scan.skipped) {
    findings.push({
      kind: 'not-a-conversion',
      description: `${n.address} in ${n.tx}: swap or wrap events, but not followed as a conversion: ${n.reason}`,
      txs: [n.tx],
    });
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

/**
 * Finds the conversions of the addresses the trace expands: every transaction in which the address
 * sent the position's asset (and, for a wrapped-native token, every one in which the wrapper paid it
 * native: an unwrap burns without a Transfer event) is read with its logs, once per address.
 */
class ConversionScan {
  readonly absorbed = new Map<string, Conversion>();
  readonly skipped: NotConverted[] = [];
  readonly problems: string[] = [];
  noLogs = false;
  private readonly examined = new Set<string>();
  private readonly decoded = new Map<string, DecodedEvent[]>();
  private fresh: Conversion[] = [];
  constructor(
    private readonly view: AccountView,
    private readonly opts: TraceOptions,
    private readonly missing: MissingData,
  ) {}

  /** Conversions found since the last call. */
  take(): Conversion[] {
    const f = this.fresh;
    this.fresh = [];
    return f;
  }

  ledger(address: string, asset: string, ledger: readonly Transfer[]): void {
    if (!this.opts.events) return;
    for (const t of ledger) if (t.from === address && t.asset === asset && moves(t)) this.tx(t.tx, address);
    const contract = this.view.asset(asset)?.contract;
    if (contract === undefined || !this.opts.events.isWrappedNative(this.view.chain, contract)) return;
    const native = this.view.ledger(address, this.view.native.symbol);
    if (native.status === 'missing') {
      if (!this.missing.addresses.includes(address)) this.missing.addresses.push(address);
      return;
    }
    for (const t of native.value)
      if (t.from === contract && t.to === address && moves(t)) this.tx(t.tx, address);
  }

  tx(tx: string, address: string): void {
    const events = this.opts.events;
    if (!events) return;
    const key = `${tx}\u0000${address}`;
    if (this.examined.has(key)) return;
    if (!this.view.txLogs) {
      this.noLogs = true;
      return;
    }
    const transfers = this.view.txTransfers(tx);
    const logs = this.view.txLogs(tx);
    if (transfers.status === 'missing' || logs.status === 'missing') {
      if (!this.missing.txs.includes(tx)) this.missing.txs.push(tx);
      return;
    }
    this.examined.add(key);
    let decoded = this.decoded.get(tx);
    if (!decoded) {
      const d = events.decode(this.view.chain, logs.value);
      decoded = d.events;
      this.decoded.set(tx, decoded);
      for (const p of d.problems)
        this.problems.push(
          `${p.ref.tx} log ${p.ref.index} (${p.ref.event} from ${p.ref.address}): ${p.message}`,
        );
    }
    const native = this.view.native.symbol;
    const r = detectConversion(
      address,
      transfers.value ?? [],
      decoded,
      native,
      (c) => this.view.resolveAsset(c) ?? c,
    );
    if (r.skipped) this.skipped.push(r.skipped);
    if (!r.conversion) return;
    // Assets the view does not know (an undeclared token) cannot be followed: say so, do not guess.
    for (const a of [r.conversion.fromAsset, r.conversion.toAsset]) {
      if (!this.view.asset(a)) {
        this.skipped.push({
          tx,
          address,
          reason: `asset ${a} is not known to this source`,
          evidence: r.conversion.evidence,
        });
        return;
      }
    }
    for (const id of r.conversion.absorbed) this.absorbed.set(id, r.conversion);
    this.fresh.push(r.conversion);
  }
}

interface ConversionTaint {
  c: Conversion;
  in: Taint;
  out: Taint;
  /** Taint that reached the output position (less than `out` only when it was tainted already). */
  added: bigint;
}

interface Sweep {
  edges: TaintedEdge[];
  /** Position → what reached it; not expanded. */
  frontier: Map<string, Frontier>;
  /** Position → ledger. */
  ledgers: Map<string, Ledger>;
  fees: TaintedEdge[];
  returned: TaintedEdge[];
  /** Taint held by an expanded sender of a transaction seed that its seed transfer counts again. */
  recounted: TaintedEdge[];
  /** Position → shortfall. */
  shortfalls: Map<string, bigint>;
  /** Expanded positions with activity after --until (their balance is cut by the window). */
  beyondUntil: Set<string>;
  conversions: ConversionTaint[];
}

/**
 * Every transfer that touches an expanded position, the seeds and the conversions, once each, in
 * global order. Kept across rounds: each round sorts only the newly added events and merges them in.
 * A transfer read from both of its ledgers is kept once, by its id (transaction and index); the ids
 * are kept as a map transaction -> index(es) rather than one string per transfer, which at 400 000
 * transfers saves ~20 MB of strings (the transaction strings are the transfers' own).
 */
class EventLog {
  readonly events: Ev[] = [];
  /** Transaction -> the transfer index logged (a set once it has several). */
  private readonly transfers = new Map<string, number | Set<number>>();
  private readonly conversions = new Set<string>();
  private fresh(e: Ev): boolean {
    if (isConversion(e)) {
      const id = evId(e);
      if (this.conversions.has(id)) return false;
      this.conversions.add(id);
      return true;
    }
    const had = this.transfers.get(e.tx);
    if (had === undefined) this.transfers.set(e.tx, e.index);
    else if (typeof had === 'number') {
      if (had === e.index) return false;
      this.transfers.set(e.tx, new Set([had, e.index]));
    } else {
      if (had.has(e.index)) return false;
      had.add(e.index);
    }
    return true;
  }
  clear(): void {
    this.events.length = 0;
    this.transfers.clear();
    this.conversions.clear();
  }
  add(batch: Iterable<Ev>): void {
    const fresh: Ev[] = [];
    for (const t of batch) if (this.fresh(t)) fresh.push(t);
    if (fresh.length === 0) return;
    fresh.sort(compareEv);
    const old = this.events.splice(0);
    let i = 0;
    let j = 0;
    while (i < old.length && j < fresh.length)
      this.events.push(compareEv(old[i]!, fresh[j]!) <= 0 ? old[i++]! : fresh[j++]!);
    while (i < old.length) this.events.push(old[i++]!);
    while (j < fresh.length) this.events.push(fresh[j++]!);
  }
}

function addFrontier(s: Sweep, p: string, address: string, asset: string, amount: bigint, first: Ordered) {
  const f = s.frontier.get(p);
  if (f) f.amount += amount;
  else s.frontier.set(p, { address, asset, amount, first });
}

function sweep(
  opts: TraceOptions,
  seedAsset: string,
  log: EventLog,
  seedIds: ReadonlySet<string>,
  returnTo: ReadonlySet<string>,
  expanded: ReadonlySet<string>,
  absorbed: ReadonlyMap<string, Conversion>,
  /** Transactions of seed or absorbed transfers: only their transfers need an id in the sweep. */
  idTxs: ReadonlySet<string>,
  entryTaint: ReadonlyMap<string, Taint>,
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
    conversions: [],
  };
  for (const p of expanded) s.ledgers.set(p, newLedger(opts.model));
  const short = (p: string, n: bigint) => {
    if (n > 0n) s.shortfalls.set(p, (s.shortfalls.get(p) ?? 0n) + n);
  };
  // What each conversion took in, so far in this sweep (the taint of X's transfers it absorbed).
  const intake = new Map<Conversion, { value: bigint; taint: Taint }[]>();
  const { events } = log;
  for (let k = 0; k < events.length; k++) {
    const e = events[k]!;
    if (isConversion(e)) {
      convert(opts, s, e, intake.get(e) ?? [], seedAsset, returnTo, short);
      continue;
    }
    const t = e;
    if (!moves(t)) continue;
    const fromPos = pos(t.from, t.asset);
    if (afterUntil(opts.until, t)) {
      if (expanded.has(fromPos)) s.beyondUntil.add(fromPos);
      continue;
    }
    let taint: Taint;
    const from = s.ledgers.get(fromPos);
    const id = idTxs.has(t.tx) ? transferId(t) : undefined;
    if (id !== undefined && seedIds.has(id)) {
      taint = entryTaint.get(id) ?? fullTaint(opts.model, t.value);
      // The sender of a transaction seed may be expanded (taint came back to it): its balance must
      // still drop by what the seed moved. Taint it already held (an earlier transfer of the same
      // seed transaction) leaves again as part of this seed transfer, which counts it afresh.
      if (from) {
        const d = from.debit(t.value);
        if (d.taint.amount > 0n) s.recounted.push({ t, taint: d.taint.amount });
        short(fromPos, d.shortfall);
      }
    } else if (from) {
      const d = from.debit(t.value);
      taint = d.taint;
      short(fromPos, d.shortfall);
    } else taint = cleanTaint(opts.model, t.value);
    const c = id !== undefined ? absorbed.get(id) : undefined;
    if (c) {
      // Sent into a conversion: its taint goes on in the asset that came back, not to the pool.
      const l = intake.get(c);
      if (l) l.push({ value: t.value, taint });
      else intake.set(c, [{ value: t.value, taint }]);
      if (t.to !== null) s.ledgers.get(pos(t.to, t.asset))?.credit(t.value, cleanTaint(opts.model, t.value));
      continue;
    }
    if (t.to === null) {
      if (taint.amount > 0n) s.fees.push({ t, taint: taint.amount });
      continue;
    }
    const toPos = pos(t.to, t.asset);
    const to = s.ledgers.get(toPos);
    if (to) to.credit(t.value, taint);
    if (taint.amount === 0n) continue;
    const edge: TaintedEdge = { t, taint: taint.amount, ...(taint.segs ? { segs: taint.segs } : {}) };
    s.edges.push(edge);
    if (t.asset === seedAsset && returnTo.has(t.to)) s.returned.push(edge);
    else if (!to) addFrontier(s, toPos, t.to, t.asset, taint.amount, t);
  }
  return s;
}

/** One conversion in the sweep: the taint that went in comes out in the other asset (convert.ts). */
function convert(
  opts: TraceOptions,
  s: Sweep,
  c: Conversion,
  parts: { value: bigint; taint: Taint }[],
  seedAsset: string,
  returnTo: ReadonlySet<string>,
  short: (p: string, n: bigint) => void,
): void {
  if (afterUntil(opts.until, c as unknown as Transfer)) return;
  const inParts = [...parts];
  if (c.burn > 0n) {
    // An unwrap burns the wrapped token without a Transfer event: debit it here.
    const fromPos = pos(c.address, c.fromAsset);
    const l = s.ledgers.get(fromPos);
    if (l) {
      const d = l.debit(c.burn);
      short(fromPos, d.shortfall);
      inParts.push({ value: c.burn, taint: d.taint });
    } else inParts.push({ value: c.burn, taint: cleanTaint(opts.model, c.burn) });
  }
  const tin = joinTaint(opts.model, inParts);
  const tout = convertTaint(opts.model, tin, c.fromAmount, c.toAmount);
  const toPos = pos(c.address, c.toAsset);
  const to = s.ledgers.get(toPos);
  let added = tout.amount;
  if (to) {
    // A wrap mints without a Transfer event (credit it here); a swap's output was credited by the
    // pool's transfer already (retaint it).
    if (c.mint > 0n) to.credit(c.mint, tout);
    else added = to.retaint(c.toAmount, tout);
  }
  s.conversions.push({ c, in: tin, out: tout, added });
  if (tin.amount === 0n || to || added === 0n) return;
  // Converted back into the seed's asset at an address seed: already counted (finish: `returned`).
  if (c.toAsset === seedAsset && returnTo.has(c.address)) return;
  addFrontier(s, toPos, c.address, c.toAsset, added, c);
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
  /** Hop of the seeds (a bridge destination continues the hops of the chain it came from). */
  base = 0,
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
    node.set(s, base);
    if (!seedIds) at.set(s, base);
  }
  for (let h = base + 1; level.length > 0; h++) {
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
  /** Positions. */
  expanded: ReadonlySet<string>;
  /** Position → deposit evidence. */
  deposits: ReadonlyMap<string, DepositEvidence>;
  warnings: string[];
  missing: MissingData;
  findings: Finding[];
  /** Every ledger read, for the look-alike check. */
  ledgers: Iterable<readonly Transfer[]>;
}

/** One asset's share of the result: its own graph and terminals (totals never mix assets). */
interface Part {
  g: Canvas;
  terminals: TerminalSink;
  traced: bigint;
}

/**
 * Draws the result. When the graph could exceed --max-nodes, the fold is planned first on an
 * outline (./drawing.ts), so the addresses it folds are never drawn: a busy trace's memory peaks
 * here, and most of what it would draw are leaves the cap folds.
 */
function finishForward(st: ForwardState): TraceOutcome {
  const h = hopsFrom(st.seedNodes, st.sweep.edges, st.txSeed, st.opts.hopBase);
  return drawForward(st, h, planForward(st, h) ?? 'all');
}

/** Tests turn planning off to get the reference: everything drawn, then folded (test/engine/properties.test.ts). */
export const foldPlanning = { enabled: true };

/** The fold, planned on an outline (which is dropped before the drawing starts); undefined: none. */
function planForward(st: ForwardState, h: Hops): FoldPlan | undefined {
  if (!foldPlanning.enabled) return undefined;
  const s = st.sweep;
  // Every node comes from a seed, an end of a movement, a conversion, a frontier or an expanded position.
  const most =
    st.seedNodes.size + 2 * s.edges.length + 2 * s.conversions.length + s.frontier.size + st.expanded.size;
  if (most <= st.opts.maxNodes) return undefined;
  const outline = drawForward(st, h, 'outline');
  // A finding that names movements keeps their ends drawn: an outline does not name them, so such
  // a trace folds after drawing instead (no forward finding names movements today).
  if (outline.findings.some((f) => (f.edges ?? []).length > 0)) return undefined;
  return planFold(outline.main, outline.tally, new Set(), st.opts.maxNodes, 'forward', (a) =>
    nodeKey(st.view.chain, a),
  );
}

/** What an outline pass yields: the main part's outline and its terminals added up, and the findings. */
interface Planned {
  main: Outline;
  tally: ReadonlyMap<string, NodeTally>;
  findings: readonly Finding[];
}

/**
 * 'outline': a pass that plans (its side effects go to copies). 'all': draw everything, fold after
 * if need be. A FoldPlan: draw everything but what it folds.
 */
function drawForward(st: ForwardState, h: Hops, pass: 'outline'): Planned;
function drawForward(st: ForwardState, h: Hops, pass: FoldPlan | 'all'): TraceOutcome;
function drawForward(st: ForwardState, h: Hops, pass: FoldPlan | 'all' | 'outline'): TraceOutcome | Planned {
  const { view, opts, asset, traced, sweep: s, seedNodes, returnTo, seedIds, expanded } = st;
  const { deposits, ledgers } = st;
  const outlining = pass === 'outline';
  const plan = typeof pass === 'object' ? pass : undefined;
  const warnings = outlining ? [] : st.warnings;
  const findings = outlining ? [...st.findings] : st.findings;
  const missing = outlining
    ? { addresses: [...st.missing.addresses], txs: [...st.missing.txs], outspends: [...st.missing.outspends] }
    : st.missing;
  const folded = plan ? plan.folded : undefined;
  const tally = outlining ? new TalliedTerminals() : undefined;
  const parts = new Map<string, Part>();
  const part = (a: string): Part => {
    let p = parts.get(a);
    if (!p) {
      const isMain = a === asset.key;
      p = outlining
        ? {
            g: new Outline(view.chain, opts.policy),
            terminals: isMain ? tally! : discardTerminals,
            traced: 0n,
          }
        : {
            g: new Drawing(view.chain, opts.policy, isMain ? folded : undefined),
            terminals: new KeptTerminals(view.chain, isMain ? folded : undefined),
            traced: 0n,
          };
      parts.set(a, p);
    }
    return p;
  };
  const main = part(asset.key);
  main.traced = traced;
  const hops = h.node;
  const at = h.at;
  const hopOf = (a: string) => hops.get(a) ?? 0;
  for (const a of [...seedNodes].sort()) main.g.node(a, opts.hopBase ?? 0, true);
  for (const e of s.edges) {
    const hop = edgeHop(h, e, seedIds);
    const g = part(e.t.asset).g;
    const src = g.node(e.t.from, hops.get(e.t.from)!);
    const dst = g.node(e.t.to!, hops.get(e.t.to!)!);
    g.edge(`${view.chain}:${e.t.tx}:${e.t.index}`, src, dst, e.t, e.taint, hop);
  }
  // Conversions that carried taint: an edge from the address to itself in the asset that went in,
  // a `converted` terminal there, and the taint that came out starts the other asset's part.
  const conversions: ConversionRecord[] = [];
  const convertedAt: string[] = [];
  for (const x of s.conversions) {
    if (x.in.amount === 0n) continue;
    const c = x.c;
    const key = `${view.chain}:${c.tx}:conversion:${c.address}`;
    const hop = at.get(c.address) ?? hopOf(c.address);
    const from = part(c.fromAsset);
    const node = from.g.node(c.address, hopOf(c.address));
    if (!from.g.hasEdge(key)) {
      from.g.edgeWith(key, node, node, {
        tx: c.tx,
        // The last transfer index of the transaction that touches the address (the conversion sorts right after it).
        index: Math.floor(c.index),
        kind: 'conversion',
        time: c.time,
        height: c.height,
        asset: c.fromAsset,
        value: c.fromAmount,
        tainted: x.in.amount,
        hop,
        conversion: {
          via: c.via,
          toAsset: c.toAsset,
          to: {
            symbol: view.asset(c.toAsset)?.symbol ?? c.toAsset,
            decimals: view.asset(c.toAsset)?.decimals ?? 0,
          },
          toValue: c.toAmount,
          toTainted: x.added,
          evidence: c.evidence,
        },
      });
    }
    from.terminals.push({
      kind: 'converted',
      reason: 'conversion',
      node,
      edge: key,
      hop,
      amount: x.in.amount,
      note: `${c.via} into ${view.asset(c.toAsset)?.symbol ?? c.toAsset}`,
    });
    const to = part(c.toAsset);
    to.g.node(c.address, hopOf(c.address));
    convertedAt.push(c.address);
    conversions.push({
      edge: key,
      node,
      tx: c.tx,
      time: c.time,
      height: c.height,
      hop,
      via: c.via,
      from: { asset: c.fromAsset, value: c.fromAmount, tainted: x.in.amount },
      to: { asset: c.toAsset, value: c.toAmount, tainted: x.added },
      evidence: c.evidence,
    });
    if (x.added === 0n) continue;
    if (c.toAsset === asset.key && returnTo.has(c.address)) {
      // Converted back into the seed's asset at the seed: counted when it first left.
      main.traced += x.added;
      main.terminals.push({ kind: 'returned', reason: 'returned', node, edge: key, hop, amount: x.added });
      continue;
    }
    to.traced += x.added;
    if (x.added < x.out.amount)
      warnings.push(
        `${c.address} in ${c.tx}: ${x.out.amount - x.added} base units of ${c.toAsset} from the conversion were tainted already; counted once`,
      );
  }
  // Frontier positions: why each was not expanded, one terminal per movement into it.
  const order = seedNodes.size + expanded.size + s.frontier.size;
  const stopped = new Map<string, StopReason>();
  for (const [p, f] of s.frontier) {
    const node = part(f.asset).g.node(f.address, hopOf(f.address));
    const why =
      limitFor(view, opts, f.address, at.get(f.address)!, f.amount, order, f.asset) ?? 'missing-data';
    stopped.set(p, why);
    part(f.asset).g.stop(node, why);
  }
  const stopTerminal = (
    why: StopReason,
    address: string,
    node: string,
    edge: string,
    hop: number,
    amount: bigint,
    tx?: Transfer,
  ): Terminal =>
    why === 'label'
      ? { ...labelStop(opts.policy, address), node, edge, hop, amount }
      : why === 'burn'
        ? { kind: 'unspendable', reason: 'burn', node, edge, hop, amount, note: 'burned' }
        : why === 'bridge'
          ? bridgeTerminal(view, opts, address, node, edge, hop, amount, tx, missing, warnings)
          : { kind: 'cut', reason: why, node, edge, hop, amount };
  for (const e of s.edges) {
    const key = `${view.chain}:${e.t.tx}:${e.t.index}`;
    const hop = edgeHop(h, e, seedIds);
    const node = part(e.t.asset).g.nameOf(e.t.to!);
    const terms = part(e.t.asset).terminals;
    if (e.t.asset === asset.key && returnTo.has(e.t.to!)) {
      terms.push({ kind: 'returned', reason: 'returned', node, edge: key, hop, amount: e.taint });
      continue;
    }
    const why = stopped.get(pos(e.t.to!, e.t.asset));
    if (why) {
      const term = stopTerminal(why, e.t.to!, node, key, hop, e.taint, e.t);
      if (term.kind === 'bridged' && e.segs) term.segs = e.segs;
      terms.push(term);
    }
  }
  for (let i = 0; i < conversions.length; i++) {
    const c = conversions[i]!;
    const address = convertedAt[i]!;
    const why = stopped.get(pos(address, c.to.asset));
    if (why && c.to.tainted > 0n)
      part(c.to.asset).terminals.push(stopTerminal(why, address, c.node, c.edge, c.hop, c.to.tainted));
  }
  for (const [p, dep] of [...deposits].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const a = posAddress(p);
    const info = view.asset(p.slice(a.length + 1));
    const g = part(p.slice(a.length + 1)).g;
    if (!g.has(a) || !info) continue;
    g.setCluster(a, {
      id: dep.label.entity,
      entity: dep.label.entity,
      category: dep.label.category,
      via: 'deposit',
      evidence: dep.txs[0],
      from: dep.wallet,
    });
    findings.push({
      kind: 'deposit-address',
      description: `${a} forwarded ${formatUnits(dep.forwarded, info.decimals)} of the ${formatUnits(dep.received, info.decimals)} ${info.symbol} it received to ${dep.label.entity} (${dep.wallet}) soon after receiving: likely its deposit address (heuristic)`,
      txs: dep.txs,
      amount: dep.forwarded,
    });
  }
  const byAddressThenAsset = (x: string, y: string) => {
    const ax = posAddress(x);
    const ay = posAddress(y);
    return ax !== ay ? (ax < ay ? -1 : 1) : x < y ? -1 : x > y ? 1 : 0;
  };
  for (const p of [...expanded].sort(byAddressThenAsset)) {
    const held = s.ledgers.get(p)!.tainted();
    if (held <= 0n) continue;
    const a = posAddress(p);
    const pt = part(p.slice(a.length + 1));
    const node = pt.g.node(a, hops.get(a) ?? 0);
    const cut = s.beyondUntil.has(p);
    pt.terminals.push({
      kind: cut ? 'cut' : 'held',
      reason: cut ? 'time-window' : 'unspent',
      node,
      edge: null,
      hop: at.get(a) ?? hops.get(a) ?? 0,
      amount: held,
    });
    pt.g.stop(node, cut ? 'time-window' : 'unspent');
  }
  for (const e of s.recounted) {
    part(e.t.asset).terminals.push({
      kind: 'returned',
      reason: 'returned',
      node: part(e.t.asset).g.nameOf(e.t.from),
      edge: `${view.chain}:${e.t.tx}:${e.t.index}`,
      hop: at.get(e.t.from) ?? hops.get(e.t.from) ?? 0,
      amount: e.taint,
      note: 'sent on by the seed transaction itself: already counted',
    });
  }
  for (const e of s.fees) {
    part(e.t.asset).terminals.push({
      kind: 'fee',
      node: null,
      edge: null,
      hop: edgeHop(h, e, seedIds),
      amount: e.taint,
      note: e.t.tx,
    });
  }
  for (const [p, short] of [...s.shortfalls].sort(([x], [y]) => byAddressThenAsset(x, y))) {
    const a = posAddress(p);
    const sym = view.asset(p.slice(a.length + 1))?.symbol ?? asset.symbol;
    warnings.push(
      `${a} sent ${short} base units more ${sym} than the data shows it receiving (history starts mid-stream or fees are missing); that part was treated as clean`,
    );
  }
  if (outlining) return { main: main.g as Outline, tally: tally!.tally, findings };
  const nodes = new Set<string>(folded);
  for (const pt of parts.values()) pt.g.forEachAddress((a) => nodes.add(a));
  warnings.push(...lookalikeWarnings(findLookalikes(nodes, partiesOf(ledgers))));
  const drawn = main.g as Drawing;
  const terminals = (main.terminals as KeptTerminals).list;
  if (plan) {
    terminals.push(...plan.cuts);
    warnings.push(plan.warning);
  }
  const outcome: TraceOutcome = {
    graph: drawn.toGraph(),
    terminals,
    traced: main.traced,
    asset,
    warnings,
    missing,
    findings,
  };
  // Not planned (no outline was needed, or a finding names movements): folded after drawing.
  if (conversions.length === 0) return plan ? outcome : capOutcome(outcome, opts.maxNodes, 'forward');
  outcome.conversions = conversions;
  // Other assets in the order the trace first converted into them.
  const others: string[] = [];
  for (const c of conversions)
    if (c.to.asset !== asset.key && !others.includes(c.to.asset)) others.push(c.to.asset);
  for (const c of conversions)
    if (c.from.asset !== asset.key && !others.includes(c.from.asset)) others.push(c.from.asset);
  outcome.parts = others.map((a) => {
    const pt = part(a);
    return {
      graph: (pt.g as Drawing).toGraph(),
      terminals: (pt.terminals as KeptTerminals).list,
      traced: pt.traced,
      asset: assetOf(view, a),
      warnings: [],
      missing: { addresses: [], txs: [], outspends: [] },
      findings: [],
    };
  });
  return plan ? outcome : capOutcome(outcome, opts.maxNodes, 'forward');
}

/**
 * Value sent into a registered bridge contract: a `bridged` terminal that names the destination
 * leg as the bridge's own event states it (protocol, destination chain, recipient, amount, the
 * identifier to look up). The deposit event is the one of this transaction whose depositor is the
 * sender; else the only deposit of the transaction; else none is claimed (said in a note).
 */
function bridgeTerminal(
  view: AccountView,
  opts: TraceOptions,
  contract: string,
  node: string,
  edge: string,
  hop: number,
  amount: bigint,
  t: Transfer | undefined,
  missing: MissingData,
  warnings: string[],
): Terminal {
  const entry = opts.events!.bridgeEntry(view.chain, contract)!;
  const term: Terminal = {
    kind: 'bridged',
    reason: 'bridge',
    node,
    edge,
    hop,
    amount,
    entity: entry.name,
    category: 'bridge',
  };
  if (!t || !view.txLogs) {
    term.note = 'no event logs: the destination is not known from this data';
    return term;
  }
  const logs = view.txLogs(t.tx);
  if (logs.status === 'missing') {
    if (!missing.txs.includes(t.tx)) missing.txs.push(t.tx);
    return term;
  }
  const outs = opts
    .events!.decode(view.chain, logs.value)
    .events.filter((e): e is Extract<DecodedEvent, { kind: 'bridge-out' }> => e.kind === 'bridge-out');
  const own = outs.filter((o) => o.depositor === t.from);
  const out = own.length === 1 ? own[0] : outs.length === 1 ? outs[0] : undefined;
  if (!out) {
    term.note =
      outs.length === 0
        ? `no ${entry.protocol} deposit event in ${t.tx}: the destination is not known from this data`
        : `${outs.length} bridge deposits in ${t.tx} and none names ${t.from} as depositor: not linked`;
    if (outs.length > 1) warnings.push(`${t.tx}: ${term.note}`);
    return term;
  }
  term.bridge = {
    protocol: out.protocol,
    contract,
    name: entry.name,
    key: out.key,
    identifier: out.identifier,
    destChain: out.destChain,
    destChainId: out.destChainId,
    recipient: out.recipient,
    depositor: out.depositor,
    token: out.token,
    amount: out.amount,
    ...(out.outToken !== undefined ? { outToken: out.outToken } : {}),
    ...(out.outAmount !== undefined ? { outAmount: out.outAmount } : {}),
    evidence: out.ref,
    ...(out.depositor !== t.from
      ? { note: `the deposit event names ${out.depositor ?? 'no depositor'}, not the sender ${t.from}` }
      : out.note !== undefined
        ? { note: out.note }
        : {}),
  };
  return term;
}
