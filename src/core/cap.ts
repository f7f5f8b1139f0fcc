// --max-nodes caps the output as well as the expansion. The engines stop expanding once the graph
// is that large, but the addresses the last expanded ones paid still become nodes: one address
// paying 100 000 others gave 100 000 nodes (and hundreds of MB of JSON) under --max-nodes 10 000.
// Here, when the graph holds more than maxNodes nodes, its leaves (addresses the value went no
// further from, in the trace's direction) that carry no label, no cluster, no burn and are not
// seeds are folded, smallest value first, until it fits. The value that ended at each folded
// address becomes one `cut` terminal (reason max-nodes) at the address it came from, per hop, with
// a note counting the addresses folded. Totals are unchanged (terminals only move); exposure is
// unchanged (labelled and clustered addresses are never folded). Pure.
import type { Terminal, TraceGraph, TraceOutcome } from './trace-types.js';

/** What the cap reads and changes: graphology's graph (through `graphologyCap`) or the forward engine's Drawing. */
export interface CapGraph {
  readonly order: number;
  inDegree(key: string): number;
  outDegree(key: string): number;
  degree(key: string): number;
  hop(key: string): number;
  /** Never folded: a seed, an address with a label or a cluster, a burn. */
  pinned(key: string): boolean;
  forEachNode(cb: (key: string) => void): void;
  forEachEdge(cb: (key: string, tainted: bigint, source: string, target: string) => void): void;
}

const graphologyCap = (g: TraceGraph): CapGraph => ({
  get order() {
    return g.order;
  },
  inDegree: (k) => g.inDegree(k),
  outDegree: (k) => g.outDegree(k),
  degree: (k) => g.degree(k),
  hop: (k) => g.getNodeAttribute(k, 'hop'),
  pinned: (k) => {
    const a = g.getNodeAttributes(k);
    return a.seed || a.labels.length > 0 || a.cluster.via !== 'none' || a.stop === 'burn';
  },
  forEachNode: (cb) => g.forEachNode((k) => cb(k)),
  forEachEdge: (cb) => g.forEachEdge((k, a, s, t) => cb(k, a.tainted, s, t)),
});

export function capOutcome(
  o: TraceOutcome,
  maxNodes: number,
  direction: 'forward' | 'backward',
): TraceOutcome {
  const g = o.graph;
  if (g.order <= maxNodes) return o;
  // Nodes a finding names by edge are kept: its evidence must stay drawn.
  const named = new Set<string>();
  for (const f of o.findings)
    for (const e of f.edges ?? []) if (g.hasEdge(e)) named.add(g.source(e)).add(g.target(e));
  const plan = planFold(graphologyCap(g), tallyTerminals(o.terminals), named, maxNodes, direction);
  if (!plan) return o;
  for (const k of plan.folded) g.dropNode(k);
  return {
    ...o,
    terminals: [...o.terminals.filter((t) => t.node === null || !plan.folded.has(t.node)), ...plan.cuts],
    warnings: [...o.warnings, plan.warning],
  };
}

/** What the terminals at one node add up to: the fold's input (a node with none has count 0). */
export interface NodeTally {
  amount: bigint;
  /** The lowest hop among them. */
  hop: number;
  count: number;
}

export function addToTally(tally: Map<string, NodeTally>, node: string, t: Terminal): void {
  const n = tally.get(node);
  if (!n) tally.set(node, { amount: t.amount, hop: t.hop, count: 1 });
  else {
    n.amount += t.amount;
    if (t.hop < n.hop) n.hop = t.hop;
    n.count++;
  }
}

function tallyTerminals(terminals: readonly Terminal[]): Map<string, NodeTally> {
  const tally = new Map<string, NodeTally>();
  for (const t of terminals) if (t.node !== null) addToTally(tally, t.node, t);
  return tally;
}

/** Which nodes the cap folds, the `cut` terminals that take their value, and the warning that says so. */
export interface FoldPlan {
  /** Keys of `g`. */
  folded: Set<string>;
  /** In the order they follow the kept terminals. */
  cuts: Terminal[];
  warning: string;
}

/**
 * The fold of `g` down to maxNodes nodes (undefined: nothing to fold). `tally`: the terminals at
 * each node, by the graph's keys; `named`: nodes a finding names (never folded); `nodeKey` turns a
 * key of `g` into a result's node key (the forward engine plans on an outline keyed by address,
 * ./account/drawing.ts).
 */
export function planFold(
  g: CapGraph,
  tally: ReadonlyMap<string, NodeTally>,
  named: ReadonlySet<string>,
  maxNodes: number,
  direction: 'forward' | 'backward',
  nodeKey: (key: string) => string = (k) => k,
): FoldPlan | undefined {
  if (g.order <= maxNodes) return undefined;
  const forward = direction === 'forward';
  const candidates: { key: string; value: bigint }[] = [];
  g.forEachNode((key) => {
    if (named.has(key) || g.pinned(key)) return;
    if ((forward ? g.outDegree(key) : g.inDegree(key)) > 0) return;
    if ((forward ? g.inDegree(key) : g.outDegree(key)) === 0) return;
    candidates.push({ key, value: tally.get(key)?.amount ?? 0n });
  });
  // Smallest first; ties by key, so the same input always folds the same addresses.
  candidates.sort((x, y) => (x.value === y.value ? (x.key < y.key ? -1 : 1) : x.value < y.value ? -1 : 1));
  const fold = candidates.slice(0, Math.min(candidates.length, g.order - maxNodes));
  if (fold.length === 0) return undefined;

  const folded = new Set(fold.map((c) => c.key));
  // The address the value came from: the one of its largest movement (ties: the smaller edge key).
  // A folded node has no movement onward, so each of its edges comes from that side.
  const best = new Map<string, { edge: string; tainted: bigint; from: string }>();
  g.forEachEdge((edge, tainted, source, target) => {
    const leaf = forward ? target : source;
    if (!folded.has(leaf)) return;
    const b = best.get(leaf);
    if (!b || tainted > b.tainted || (tainted === b.tainted && edge < b.edge))
      best.set(leaf, { edge, tainted, from: forward ? source : target });
  });
  const groups = new Map<string, { node: string; hop: number; amount: bigint; count: number }>();
  let movements = 0;
  for (const { key } of fold) {
    const from = best.get(key)!.from;
    const here = tally.get(key);
    const hop = here && here.count > 0 ? here.hop : g.hop(key);
    const grp = groups.get(from) ?? { node: nodeKey(from), hop, amount: 0n, count: 0 };
    grp.hop = Math.min(grp.hop, hop);
    grp.count++;
    grp.amount += here?.amount ?? 0n;
    groups.set(from, grp);
    movements += g.degree(key);
  }
  const cuts: Terminal[] = [];
  const sorted = [...groups.values()].sort(
    (a, b) => a.hop - b.hop || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0),
  );
  for (const grp of sorted) {
    if (grp.amount === 0n) continue;
    cuts.push({
      kind: 'cut',
      reason: 'max-nodes',
      node: grp.node,
      edge: null,
      hop: grp.hop,
      amount: grp.amount,
      note: `${grp.count} address(es) it paid not drawn (--max-nodes ${maxNodes})`,
    });
  }
  return {
    folded,
    cuts,
    warning: `the graph was capped at --max-nodes ${maxNodes}: ${folded.size} address(es) and ${movements} movement(s) at its edge are not drawn; their value (held, or cut by a limit) is counted as cut by max-nodes at the address that paid them, and the per-hop counts cover the drawn graph only`,
  };
}
