// Co-spend (common-input) clustering over the transactions a UTXO trace has seen: addresses spent
// together in one transaction are taken to be one wallet (Meiklejohn et al., "A Fistful of
// Bitcoins", 2013). CoinJoins break that assumption, so transactions the CoinJoin detector flags
// are skipped. An unlabelled address that co-spends with a labelled one inherits its entity,
// with the transaction that joined them as evidence.
import { compareTxs, type Label, type UtxoTx } from './model.js';
import type { LabelPolicy, TraceGraph } from './trace-types.js';

class UnionFind {
  private parent = new Map<string, string>();
  find(a: string): string {
    let r = a;
    for (let p = this.parent.get(r); p !== undefined && p !== r; p = this.parent.get(r)) r = p;
    // Path compression.
    for (let x = a, p = this.parent.get(x); p !== undefined && p !== r; p = this.parent.get(x)) {
      this.parent.set(x, r);
      x = p;
    }
    if (!this.parent.has(r)) this.parent.set(r, r);
    return r;
  }
  union(a: string, b: string): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    // Deterministic root: the smaller address.
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
    return true;
  }
}

export interface CospendOptions {
  /** Non-null when the transaction looks like a CoinJoin (then it joins nothing). */
  coinjoin?: (tx: UtxoTx) => string | null;
}

/**
 * Sets `cluster` on every node of the graph from labels and co-spend over `txs`. Returns the
 * transactions used as co-spend evidence (skipped CoinJoins excluded).
 */
export function attributeClusters(
  graph: TraceGraph,
  txs: readonly UtxoTx[],
  policy: LabelPolicy,
  opts: CospendOptions = {},
): { joined: string[]; skipped: string[] } {
  const uf = new UnionFind();
  const joinedBy = new Map<string, string>(); // address → first tx that joined it to another
  const joined: string[] = [];
  const skipped: string[] = [];
  for (const tx of [...txs].sort(compareTxs)) {
    const addrs = [...new Set(tx.inputs.map((i) => i.address).filter((a): a is string => a !== null))].sort();
    if (addrs.length < 2) continue;
    if (opts.coinjoin?.(tx)) {
      skipped.push(tx.txid);
      continue;
    }
    let any = false;
    for (const a of addrs.slice(1)) if (uf.union(addrs[0]!, a)) any = true;
    if (!any) continue;
    joined.push(tx.txid);
    for (const a of addrs) if (!joinedBy.has(a)) joinedBy.set(a, tx.txid);
  }
  // The label that names each component: the best primary label among its members, the
  // co-spending input addresses included (they need not be nodes of the trace).
  const members = new Map<string, string[]>();
  const all = new Set<string>(joinedBy.keys());
  graph.forEachNode((_k, n) => {
    all.add(n.address);
  });
  for (const a of [...all].sort()) {
    const r = uf.find(a);
    const list = members.get(r);
    if (list) list.push(a);
    else members.set(r, [a]);
  }
  const named = new Map<string, { label: Label; from: string }>();
  for (const [root, list] of members) {
    const candidates: { label: Label; from: string }[] = [];
    for (const a of list) {
      const p = policy.primary(policy.labelsOf(a));
      if (p) candidates.push({ label: p, from: a });
    }
    const best = policy.primary(candidates.map((c) => c.label));
    if (best) named.set(root, candidates.find((c) => c.label === best)!);
  }
  graph.forEachNode((key, n) => {
    if (n.cluster.via === 'label' || n.cluster.via === 'graphsense') return;
    const root = uf.find(n.address);
    const name = named.get(root);
    const evidence = joinedBy.get(n.address);
    if (name && evidence) {
      graph.setNodeAttribute(key, 'cluster', {
        id: name.label.entity,
        entity: name.label.entity,
        category: name.label.category,
        via: 'co-spend',
        evidence,
        from: name.from,
      });
    } else if (evidence) {
      graph.setNodeAttribute(key, 'cluster', {
        id: `cospend:${root}`,
        entity: null,
        category: null,
        via: 'co-spend',
        evidence,
      });
    }
  });
  return { joined, skipped };
}
