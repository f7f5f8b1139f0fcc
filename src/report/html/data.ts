// The data the interactive report's viewer reads (inlined as JSON in the page), built from a trace
// document in Node: graph reduced for large traces, laid out by hop, coloured and sized.
import { formatUnits } from '../../core/amount.js';
import type { DocNode, TraceDoc } from '../export/doc.js';
import { CATEGORY_COLORS, nodeLabel } from '../export/graph.js';
import { termSafe } from '../sanitize.js';

export interface ViewerNode {
  key: string;
  label: string;
  address: string;
  hop: number;
  x: number;
  y: number;
  size: number;
  color: string;
  /** Legend group: seed, a category, "unlabelled" or "aggregate". */
  group: string;
  entity: string;
  category: string;
  seed: boolean;
  stop: string;
  tainted: string;
  received: string;
  sent: string;
  labels: { entity: string; category: string; source: string; confidence: string; note: string }[];
  /** Aggregate nodes: how many addresses they stand for. */
  count?: number;
  /** A graph of several assets (a trace that followed conversions or bridges): this node's asset and chain. */
  asset?: string;
  chain?: string;
  /** Conversions at this address ("400 USDT → 0.2 ETH (swap) in 0x…"): drawn as a mark on the node. */
  conversions?: string[];
}

export interface ViewerEdge {
  key: string;
  source: string;
  target: string;
  size: number;
  tx: string;
  time: string;
  hop: number;
  value: string;
  tainted: string;
  /** Aggregated edges: how many movements they stand for. */
  count?: number;
  /** Several assets: the edge's asset; "bridge" for a followed bridge (drawn apart, with its caption). */
  asset?: string;
  kind?: 'bridge';
  caption?: string;
}

export interface ViewerData {
  seed: string;
  asset: string;
  direction: string;
  maxHop: number;
  hops: { hop: number; addresses: number; movements: number; tainted: string }[];
  nodes: ViewerNode[];
  edges: ViewerEdge[];
  legend: { group: string; color: string; count: number }[];
  /** Set when the graph was reduced for display: says what is shown. */
  note: string | null;
  total: { nodes: number; edges: number };
  /** A trace that followed conversions or bridges: amounts carry their own asset (node.asset, edge.asset). */
  multi?: boolean;
}

export const SEED_COLOR = '#f5c542';
const UNLABELLED = '#9aa5b1';
const AGGREGATE = '#d5dae0';

export interface ViewerOptions {
  /** Graphs with more nodes than this are reduced (default 2000). */
  maxNodes?: number;
  /** How many addresses a reduced graph keeps individually (default 1500). */
  keep?: number;
}

const t = termSafe;
const shortAddress = (a: string) => (a.length > 20 ? `${a.slice(0, 8)}…${a.slice(-6)}` : a);
const big = (s: string) => BigInt(s);

/** value / max as a number in [0, 1], from integers (display sizes only). */
const ratio = (v: bigint, max: bigint) => (max <= 0n || v <= 0n ? 0 : Number((v * 10_000n) / max) / 10_000);

type RawEdge = Omit<ViewerEdge, 'size' | 'value' | 'tainted'> & { v: bigint; tv: bigint };

/** One document's nodes (amounts still in base units) and edges, reduced when too large. */
function collect(
  doc: TraceDoc,
  o: ViewerOptions,
  skipEdge: (key: string) => boolean = () => false,
  /** Names the part in the keys of its aggregate nodes (several parts in one graph). */
  part = '',
) {
  const maxNodes = o.maxNodes ?? 2000;
  const keepCount = Math.min(o.keep ?? 1500, maxNodes);
  const all = doc.graph.nodes;
  const reduce = all.length > maxNodes;

  // Which nodes are shown individually: all, or the seed, every service/flagged endpoint and the
  // addresses that received the most tainted value, up to `keep`.
  const kept = new Set<string>();
  if (!reduce) for (const n of all) kept.add(n.key);
  else {
    const rank = (n: DocNode) => (n.attributes.seed ? 0 : n.attributes.cluster?.category ? 1 : 2);
    const order = [...all].sort((a, b) => {
      const r = rank(a) - rank(b);
      if (r !== 0) return r;
      const d = big(b.attributes.tainted.value) - big(a.attributes.tainted.value);
      return d > 0n ? 1 : d < 0n ? -1 : a.key < b.key ? -1 : 1;
    });
    for (const n of order.slice(0, keepCount)) kept.add(n.key);
  }
  const byKey = new Map(all.map((n) => [n.key, n]));
  const aggKey = (hop: number) => `${part}…other addresses at hop ${hop}`;
  const target = (key: string) => (kept.has(key) ? key : aggKey(byKey.get(key)?.attributes.hop ?? 0));

  type Agg = { hop: number; count: number; tainted: bigint; received: bigint; sent: bigint };
  const aggs = new Map<string, Agg>();
  for (const n of all) {
    if (kept.has(n.key)) continue;
    const k = aggKey(n.attributes.hop);
    const a = aggs.get(k) ?? { hop: n.attributes.hop, count: 0, tainted: 0n, received: 0n, sent: 0n };
    a.count++;
    a.tainted += big(n.attributes.tainted.value);
    a.received += big(n.attributes.received.value);
    a.sent += big(n.attributes.sent.value);
    aggs.set(k, a);
  }

  // Edges: kept-to-kept as they are; anything touching an aggregate merged per (from, to).
  const edges: RawEdge[] = [];
  const merged = new Map<string, RawEdge>();
  for (const e of doc.graph.edges) {
    if (skipEdge(e.key)) continue;
    const s = target(e.source);
    const d = target(e.target);
    const a = e.attributes;
    if (s === e.source && d === e.target) {
      edges.push({
        key: t(e.key),
        source: s,
        target: d,
        tx: t(a.tx),
        time: t(a.time ?? ''),
        hop: a.hop,
        v: big(a.value.value),
        tv: big(a.tainted.value),
      });
      continue;
    }
    const k = `${s}\u0000${d}`;
    let m = merged.get(k);
    if (!m) {
      m = {
        key: `…${s} → ${d}`,
        source: s,
        target: d,
        tx: '',
        time: '',
        hop: a.hop,
        v: 0n,
        tv: 0n,
        count: 0,
      };
      merged.set(k, m);
      edges.push(m);
    }
    m.v += big(a.value.value);
    m.tv += big(a.tainted.value);
    m.count = (m.count ?? 0) + 1;
  }

  // Nodes with amounts; sizes by tainted received relative to the largest.
  const nodes: ViewerNode[] = [];
  for (const n of all) {
    if (!kept.has(n.key)) continue;
    const a = n.attributes;
    // An unlabelled address where the trace stopped at a detected CoinJoin is shown as a mixer
    // (the exposure table already counts it as one); without this it was grey and "unlabelled".
    const coinjoin = !a.cluster?.category && a.stop === 'mixer';
    const category = coinjoin ? 'mixer' : t(a.cluster?.category ?? '');
    const group = a.seed ? 'seed' : category || 'unlabelled';
    nodes.push({
      key: t(n.key),
      label: coinjoin
        ? `CoinJoin ${shortAddress(t(a.address))}`
        : a.cluster?.entity || a.labels[0]?.entity
          ? nodeLabel(a)
          : shortAddress(t(a.address)),
      address: t(a.address),
      hop: a.hop,
      x: 0,
      y: 0,
      size: 0,
      color: a.seed
        ? SEED_COLOR
        : category
          ? Object.hasOwn(CATEGORY_COLORS, category)
            ? CATEGORY_COLORS[category]!
            : '#5e81ac'
          : UNLABELLED,
      group,
      entity: coinjoin ? 'CoinJoin (detected by heuristic, no label)' : t(a.cluster?.entity ?? ''),
      category,
      seed: a.seed,
      stop: t(a.stop ?? ''),
      tainted: a.tainted.value,
      received: a.received.value,
      sent: a.sent.value,
      labels: a.labels.map((l) => ({
        entity: t(l.entity),
        category: t(l.category),
        source: t(l.source),
        confidence: t(l.confidence ?? ''),
        note: t(l.note ?? ''),
      })),
    });
  }
  for (const [k, a] of [...aggs].sort(([, x], [, y]) => x.hop - y.hop)) {
    nodes.push({
      key: k,
      label: `${a.count} other addresses (hop ${a.hop})`,
      address: '',
      hop: a.hop,
      x: 0,
      y: 0,
      size: 0,
      color: AGGREGATE,
      group: 'aggregate',
      entity: '',
      category: '',
      seed: false,
      stop: '',
      tainted: a.tainted.toString(),
      received: a.received.toString(),
      sent: a.sent.toString(),
      labels: [],
      count: a.count,
    });
  }
  const maxT = nodes.reduce((m, n) => (big(n.tainted) > m ? big(n.tainted) : m), 0n);
  for (const n of nodes)
    n.size = n.seed ? 18 : Math.round((3 + 15 * Math.sqrt(ratio(big(n.tainted), maxT))) * 10) / 10;
  return { nodes, edges, reduce, kept: kept.size };
}

/** Edge widths relative to the largest tainted edge of the list. */
function edgeSizes(edges: RawEdge[]): Map<RawEdge, number> {
  const maxE = edges.reduce((m, e) => (e.tv > m ? e.tv : m), 0n);
  return new Map(edges.map((e) => [e, Math.round((0.6 + 6 * ratio(e.tv, maxE)) * 10) / 10]));
}

function legendOf(nodes: ViewerNode[]): ViewerData['legend'] {
  const legendCount = new Map<string, { color: string; count: number }>();
  for (const n of nodes) {
    const l = legendCount.get(n.group) ?? { color: n.color, count: 0 };
    l.count += n.count ?? 1;
    legendCount.set(n.group, l);
  }
  return [...legendCount]
    .map(([group, l]) => ({ group, ...l }))
    .sort((a, b) =>
      a.group === 'seed' ? -1 : b.group === 'seed' ? 1 : b.count - a.count || (a.group < b.group ? -1 : 1),
    );
}

export function viewerData(doc: TraceDoc, o: ViewerOptions = {}): ViewerData {
  const dec = doc.query.asset.decimals;
  const fmt = (v: bigint) => formatUnits(v, dec);
  const all = doc.graph.nodes;
  const { nodes, edges, reduce, kept } = collect(doc, o);
  const sizes = edgeSizes(edges);
  layout(nodes, edges);

  const legendCount = new Map<string, { color: string; count: number }>();
  for (const n of nodes) {
    const l = legendCount.get(n.group) ?? { color: n.color, count: 0 };
    l.count += n.count ?? 1;
    legendCount.set(n.group, l);
  }
  const maxHop = nodes.reduce((m, n) => Math.max(m, n.hop), 0);
  return {
    seed: t(doc.query.seed),
    asset: t(doc.query.asset.symbol),
    direction: doc.query.direction,
    maxHop,
    hops: doc.summary.hops.map((h) => ({
      hop: h.hop,
      addresses: h.addresses,
      movements: h.movements,
      tainted: h.tainted.display,
    })),
    nodes: nodes.map((n) => ({
      ...n,
      tainted: fmt(big(n.tainted)),
      received: fmt(big(n.received)),
      sent: fmt(big(n.sent)),
    })),
    edges: edges.map((raw) => {
      const { v, tv, ...e } = raw;
      return { ...e, value: fmt(v), tainted: fmt(tv), size: sizes.get(raw)! };
    }),
    legend: [...legendCount]
      .map(([group, l]) => ({ group, ...l }))
      .sort((a, b) =>
        a.group === 'seed' ? -1 : b.group === 'seed' ? 1 : b.count - a.count || (a.group < b.group ? -1 : 1),
      ),
    note: reduce
      ? `This trace has ${all.length} addresses and ${doc.graph.edges.length} movements. Shown: the seed, every attributed address and the addresses that received the most tainted value (${kept} in all); the other ${all.length - kept} are collapsed into one node per hop, with their movements merged. The tables and exports hold every address.`
      : null,
    total: { nodes: all.length, edges: doc.graph.edges.length },
  };
}

/**
 * Columns by hop (x), and within a column an order that keeps children near their parents: hop 0
 * by tainted value, each later hop by the weighted mean position of its predecessors (one
 * barycentre pass, O(E log N)); ties by tainted value, then key. Deterministic, never iterative.
 */
function layout(nodes: ViewerNode[], edges: { source: string; target: string; tv: bigint }[]): void {
  const byHop = new Map<number, ViewerNode[]>();
  for (const n of nodes) {
    const list = byHop.get(n.hop) ?? [];
    list.push(n);
    byHop.set(n.hop, list);
  }
  const incoming = new Map<string, { source: string; w: number }[]>();
  for (const e of edges) {
    const list = incoming.get(e.target) ?? [];
    list.push({ source: e.source, w: Number(e.tv > 0n ? e.tv : 1n) });
    incoming.set(e.target, list);
  }
  const pos = new Map<string, number>();
  const hops = [...byHop.keys()].sort((a, b) => a - b);
  const tallest = Math.max(1, ...[...byHop.values()].map((l) => l.length));
  const maxHop = hops[hops.length - 1] ?? 0;
  const dx = Math.max(2, (tallest * 1.6) / Math.max(1, maxHop));
  const byTaint = (a: ViewerNode, b: ViewerNode) => {
    const d = BigInt(b.tainted) - BigInt(a.tainted);
    return d > 0n ? 1 : d < 0n ? -1 : a.key < b.key ? -1 : 1;
  };
  for (const h of hops) {
    const list = byHop.get(h)!;
    const bary = new Map<string, number>();
    for (const n of list) {
      let sum = 0;
      let w = 0;
      for (const i of incoming.get(n.key) ?? []) {
        const p = pos.get(i.source);
        if (p === undefined) continue;
        sum += p * i.w;
        w += i.w;
      }
      bary.set(n.key, w > 0 ? sum / w : Number.POSITIVE_INFINITY);
    }
    list.sort((a, b) => {
      const ba = bary.get(a.key)!;
      const bb = bary.get(b.key)!;
      if (ba !== bb) return ba < bb ? -1 : 1; // no predecessor (Infinity) sorts last
      return byTaint(a, b);
    });
    list.forEach((n, i) => {
      n.x = Math.round(h * dx * 1000) / 1000;
      n.y = -(i - (list.length - 1) / 2);
      pos.set(n.key, i - (list.length - 1) / 2);
    });
  }
}

/**
 * The viewer data of a trace that followed conversions or bridges (checkDocs' parts, each with its
 * `trail`): one graph across the parts. Each node and edge carries its own asset (amounts are in
 * that asset's units and sized against that asset only); a conversion (a self-loop in the
 * document) is listed on its node instead of drawn as an edge; a followed bridge is an edge of kind
 * "bridge" from the bridge contract to where the other chain paid out.
 */
export function viewerDataTrail(docs: readonly TraceDoc[], o: ViewerOptions = {}): ViewerData {
  const trail = docs[0]!.trail;
  const crossChain = trail?.crossChain ?? false;
  const conversionEdges = new Set(trail?.conversions.map((c) => c.edge) ?? []);
  const nodes = new Map<string, ViewerNode>();
  const edges: RawEdge[] = [];
  const formatted = new Map<RawEdge, ViewerEdge>();
  const format = new Map<string, (v: bigint) => string>();
  let reduced = 0;
  let kept = 0;
  docs.forEach((doc, i) => {
    const a = doc.query.asset;
    const fmt = (v: bigint) => formatUnits(v, a.decimals);
    const part = collect(
      doc,
      o,
      (key) => conversionEdges.has(key),
      i === 0 ? '' : `${t(a.symbol)}${crossChain ? ` on ${t(doc.query.chain)}` : ''} `,
    );
    if (part.reduce) reduced += doc.graph.nodes.length - part.kept;
    kept += part.kept;
    const sizes = edgeSizes(part.edges);
    for (const n of part.nodes) {
      if (nodes.has(n.key)) continue;
      // Only where the trace started is "the seed"; a later part's start is where it entered that asset.
      const seed = i === 0 && n.seed;
      nodes.set(n.key, {
        ...n,
        seed,
        ...(n.seed && !seed
          ? { group: n.category || 'unlabelled', color: n.category ? n.color : UNLABELLED }
          : {}),
        size: n.seed && !seed ? Math.max(n.size, 10) : n.size,
        asset: t(a.symbol),
        ...(crossChain ? { chain: t(doc.query.chain) } : {}),
      });
      format.set(n.key, fmt);
    }
    for (const e of part.edges) {
      edges.push(e);
      formatted.set(e, {
        ...e,
        value: fmt(e.v),
        tainted: fmt(e.tv),
        size: sizes.get(e)!,
        asset: t(a.symbol),
      });
    }
  });
  for (const c of trail?.conversions ?? []) {
    const n = nodes.get(t(c.node));
    if (!n) continue;
    n.conversions = [
      ...(n.conversions ?? []),
      t(
        `${c.from.tainted.display} ${c.from.value.asset} → ${c.to.tainted.display} ${c.to.value.asset} (${c.via}) in ${c.tx}`,
      ),
    ];
  }
  const edgeByKey = new Map(docs.flatMap((d) => d.graph.edges.map((e) => [e.key, e])));
  for (const b of trail?.bridges ?? []) {
    const from = b.from.edge !== null ? edgeByKey.get(b.from.edge) : undefined;
    const to = b.to.edge !== null ? edgeByKey.get(b.to.edge) : undefined;
    if (!from || !to || !nodes.has(t(from.target)) || !nodes.has(t(to.source))) continue;
    const tainted = b.from.tainted as { value: string; display?: string; asset?: string };
    const value = b.from.deposit as { value: string; display?: string };
    const asset = t(tainted.asset ?? from.attributes.asset);
    const raw: RawEdge = {
      key: t(`bridge:${b.key}`),
      source: t(from.target),
      target: t(to.source),
      tx: t(b.from.tx),
      time: t(from.attributes.time ?? ''),
      hop: from.attributes.hop,
      v: BigInt(value.value),
      tv: BigInt(tainted.value),
      kind: 'bridge',
    };
    edges.push(raw);
    formatted.set(raw, {
      ...raw,
      value: t(value.display ?? value.value),
      tainted: t(tainted.display ?? tainted.value),
      size: 3,
      asset,
      caption: t(`${tainted.display ?? tainted.value} ${asset} bridged to ${b.to.chain} (${b.protocol})`),
    });
  }
  const list = [...nodes.values()];
  layout(list, edges);
  // Per hop: addresses and movements over every part; the tainted amounts per asset, never added.
  const hops = new Map<number, { addresses: number; movements: number; tainted: string[] }>();
  for (const d of docs)
    for (const h of d.summary.hops) {
      const x = hops.get(h.hop) ?? { addresses: 0, movements: 0, tainted: [] };
      x.addresses += h.addresses;
      x.movements += h.movements;
      if (h.tainted.value !== '0')
        x.tainted.push(`${h.tainted.display} ${h.tainted.asset}${crossChain ? ` on ${d.query.chain}` : ''}`);
      hops.set(h.hop, x);
    }
  const total = {
    nodes: new Set(docs.flatMap((d) => d.graph.nodes.map((n) => n.key))).size,
    edges: docs.reduce((s, d) => s + d.graph.edges.length, 0),
  };
  return {
    seed: t(docs[0]!.query.seed),
    asset: t(docs[0]!.query.asset.symbol),
    direction: docs[0]!.query.direction,
    maxHop: list.reduce((m, n) => Math.max(m, n.hop), 0),
    hops: [...hops]
      .sort(([a], [b]) => a - b)
      .map(([hop, x]) => ({
        hop,
        addresses: x.addresses,
        movements: x.movements,
        tainted: t(x.tainted.join(', ') || '0'),
      })),
    nodes: list.map((n) => {
      const fmt = format.get(n.key)!;
      return { ...n, tainted: fmt(big(n.tainted)), received: fmt(big(n.received)), sent: fmt(big(n.sent)) };
    }),
    edges: edges.map((e) => {
      const { v: _v, tv: _tv, ...rest } = formatted.get(e)! as ViewerEdge & { v?: bigint; tv?: bigint };
      return rest;
    }),
    legend: legendOf(list),
    note:
      reduced > 0
        ? `This trace has ${total.nodes} addresses and ${total.edges} movements across its assets. Shown: ${kept}; the other ${reduced} are collapsed into one node per hop and asset. The tables and exports hold every address.`
        : null,
    total,
    multi: true,
  };
}
