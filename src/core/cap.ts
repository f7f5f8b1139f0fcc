// --max-nodes caps the output as well as the expansion. The engines stop expanding once the graph
// is that large, but the addresses the last expanded ones paid still become nodes: one address
// paying 100 000 others gave 100 000 nodes (and hundreds of MB of JSON) under --max-nodes 10 000.
// Here, when the graph holds more than maxNodes nodes, its leaves (addresses the value went no
// further from, in the trace's direction) that carry no label, no cluster, no burn and are not
// seeds are folded, smallest value first, until it fits. The value that ended at each folded
// address becomes one `cut` terminal (reason max-nodes) at the address it came from, per hop, with
// a note counting the addresses folded. Totals are unchanged (terminals only move); exposure is
// unchanged (labelled and clustered addresses are never folded). Pure.
import type { Terminal, TraceOutcome } from './trace-types.js';

export function capOutcome(
  o: TraceOutcome,
  maxNodes: number,
  direction: 'forward' | 'backward',
): TraceOutcome {
  const g = o.graph;
  if (g.order <= maxNodes) return o;
  const forward = direction === 'forward';
  // Nodes a finding names by edge are kept: its evidence must stay drawn.
  const named = new Set<string>();
  for (const f of o.findings)
    for (const e of f.edges ?? []) if (g.hasEdge(e)) named.add(g.source(e)).add(g.target(e));
  const atNode = new Map<string, Terminal[]>();
  for (const t of o.terminals) {
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
  if (fold.length === 0) return o;

  const folded = new Set(fold.map((c) => c.key));
  const groups = new Map<string, { node: string; hop: number; amount: bigint; count: number }>();
  for (const { key } of fold) {
    // The address the value came from: the one of its largest movement (ties: the smaller edge key).
    let best: { edge: string; tainted: bigint } | undefined;
    const each = forward ? g.forEachInEdge.bind(g) : g.forEachOutEdge.bind(g);
    each(key, (edge, attrs) => {
      if (!best || attrs.tainted > best.tainted || (attrs.tainted === best.tainted && edge < best.edge))
        best = { edge, tainted: attrs.tainted };
    });
    const from = forward ? g.source(best!.edge) : g.target(best!.edge);
    const here = atNode.get(key) ?? [];
    const hop = here.length > 0 ? Math.min(...here.map((t) => t.hop)) : g.getNodeAttribute(key, 'hop');
    const grp = groups.get(from) ?? { node: from, hop, amount: 0n, count: 0 };
    grp.hop = Math.min(grp.hop, hop);
    grp.count++;
    for (const t of here) grp.amount += t.amount;
    groups.set(from, grp);
  }
  let movements = 0;
  for (const key of folded) {
    movements += g.degree(key);
    g.dropNode(key);
  }
  const terminals = o.terminals.filter((t) => t.node === null || !folded.has(t.node));
  const sorted = [...groups.values()].sort(
    (a, b) => a.hop - b.hop || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0),
  );
  for (const grp of sorted) {
    if (grp.amount === 0n) continue;
    terminals.push({
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
    ...o,
    terminals,
    warnings: [
      ...o.warnings,
      `the graph was capped at --max-nodes ${maxNodes}: ${folded.size} address(es) and ${movements} movement(s) at its edge are not drawn; their value (held, or cut by a limit) is counted as cut by max-nodes at the address that paid them, and the per-hop counts cover the drawn graph only`,
    ],
  };
}
