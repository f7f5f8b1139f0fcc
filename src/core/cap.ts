// --max-nodes caps the output as well as the expansion. The engines stop expanding once the graph
// is that large, but the addresses the last expanded ones paid still become nodes: one address
// paying 100 000 others gave 100 000 nodes (and hundreds of MB of JSON) under --max-nodes 10 000.
// Here, when the graph holds more than maxNodes nodes, its leaves (addresses the value went no
// further from, in the trace's direction) that carry no label, no cluster, no burn and are not
// seeds are folded, smallest value first, until it fits. The value that ended at each folded
// address becomes one `cut` terminal (reason max-nodes) at the address it came from, per hop, with
// a note counting the addresses folded. Totals are unchanged (terminals only move); exposure is
// unchanged (labelled and clustered addresses are never folded). Pure.
import type {
  EdgeAttributes,
  Finding,
  NodeAttributes,
  Terminal,
  TraceGraph,
  TraceOutcome,
} from './trace-types.js';

/** What the cap reads and changes: graphology's graph (through `graphologyCap`) or a LightGraph. */
export interface CapGraph {
  readonly order: number;
  hasEdge(edge: string): boolean;
  source(edge: string): string;
  target(edge: string): string;
  inDegree(key: string): number;
  outDegree(key: string): number;
  degree(key: string): number;
  getNodeAttribute(key: string, name: 'hop'): number;
  forEachNode(cb: (key: string, attrs: NodeAttributes) => void): void;
  forEachEdge(cb: (key: string, attrs: EdgeAttributes, source: string, target: string) => void): void;
  dropNodes(keys: ReadonlySet<string>): void;
}

const graphologyCap = (g: TraceGraph): CapGraph => ({
  get order() {
    return g.order;
  },
  hasEdge: (e) => g.hasEdge(e),
  source: (e) => g.source(e),
  target: (e) => g.target(e),
  inDegree: (k) => g.inDegree(k),
  outDegree: (k) => g.outDegree(k),
  degree: (k) => g.degree(k),
  getNodeAttribute: (k, name) => g.getNodeAttribute(k, name),
  forEachNode: (cb) => g.forEachNode(cb),
  forEachEdge: (cb) => g.forEachEdge((k, a, s, t) => cb(k, a, s, t)),
  dropNodes: (keys) => {
    for (const k of keys) g.dropNode(k);
  },
});

export function capOutcome(
  o: TraceOutcome,
  maxNodes: number,
  direction: 'forward' | 'backward',
): TraceOutcome {
  const r = capGraph(graphologyCap(o.graph), o.terminals, o.findings, maxNodes, direction);
  return r ? { ...o, terminals: r.terminals, warnings: [...o.warnings, r.warning] } : o;
}

/**
 * Folds `g` in place to at most maxNodes nodes where it can; returns the terminals to use instead
 * of `terminals` and the warning that says so, or undefined when nothing was folded.
 */
export function capGraph(
  g: CapGraph,
  terminals: readonly Terminal[],
  findings: readonly Finding[],
  maxNodes: number,
  direction: 'forward' | 'backward',
): { terminals: Terminal[]; warning: string } | undefined {
  if (g.order <= maxNodes) return undefined;
  const forward = direction === 'forward';
  // Nodes a finding names by edge are kept: its evidence must stay drawn.
  const named = new Set<string>();
  for (const f of findings)
    for (const e of f.edges ?? []) if (g.hasEdge(e)) named.add(g.source(e)).add(g.target(e));
  const atNode = new Map<string, Terminal[]>();
  for (const t of terminals) {
    if (t.node === null) continue;
    const l = atNode.get(t.node);
    if (l) l.push(t);
    else atNode.set(t.node, [t]);
  }
  const candidates: { key: string; value: bigint }[] = [];
  g.forEachNode((key, a) => {
    if (a.seed || a.labels.length > 0 || a.cluster.via !== 'none' || a.stop === 'burn' || named.has(key))
      return;
    if ((forward ? g.outDegree(key) : g.inDegree(key)) > 0) return;
    if ((forward ? g.inDegree(key) : g.outDegree(key)) === 0) return;
    const value = (atNode.get(key) ?? []).reduce((s, t) => s + t.amount, 0n);
    candidates.push({ key, value });
  });
  // Smallest first; ties by key, so the same input always folds the same addresses.
  candidates.sort((x, y) => (x.value === y.value ? (x.key < y.key ? -1 : 1) : x.value < y.value ? -1 : 1));
  const fold = candidates.slice(0, Math.min(candidates.length, g.order - maxNodes));
  if (fold.length === 0) return undefined;

  const folded = new Set(fold.map((c) => c.key));
  // The address the value came from: the one of its largest movement (ties: the smaller edge key).
  // A folded node has no movement onward, so each of its edges comes from that side.
  const best = new Map<string, { edge: string; tainted: bigint; from: string }>();
  g.forEachEdge((edge, attrs, source, target) => {
    const leaf = forward ? target : source;
    if (!folded.has(leaf)) return;
    const b = best.get(leaf);
    if (!b || attrs.tainted > b.tainted || (attrs.tainted === b.tainted && edge < b.edge))
      best.set(leaf, { edge, tainted: attrs.tainted, from: forward ? source : target });
  });
  const groups = new Map<string, { node: string; hop: number; amount: bigint; count: number }>();
  for (const { key } of fold) {
    const from = best.get(key)!.from;
    const here = atNode.get(key) ?? [];
    const hop = here.length > 0 ? Math.min(...here.map((t) => t.hop)) : g.getNodeAttribute(key, 'hop');
    const grp = groups.get(from) ?? { node: from, hop, amount: 0n, count: 0 };
    grp.hop = Math.min(grp.hop, hop);
    grp.count++;
    for (const t of here) grp.amount += t.amount;
    groups.set(from, grp);
  }
  let movements = 0;
  for (const key of folded) movements += g.degree(key);
  g.dropNodes(folded);
  const kept = terminals.filter((t) => t.node === null || !folded.has(t.node));
  const sorted = [...groups.values()].sort(
    (a, b) => a.hop - b.hop || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0),
  );
  for (const grp of sorted) {
    if (grp.amount === 0n) continue;
    kept.push({
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
    terminals: kept,
    warning: `the graph was capped at --max-nodes ${maxNodes}: ${folded.size} address(es) and ${movements} movement(s) at its edge are not drawn; their value (held, or cut by a limit) is counted as cut by max-nodes at the address that paid them, and the per-hop counts cover the drawn graph only`,
  };
}
