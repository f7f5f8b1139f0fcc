// Summary and exposure figures computed from a trace outcome. Pure: integers in, integers out.
import { apportion } from './amount.js';
import type { BridgeTerminal, EdgeAttributes, TerminalKind, TraceOutcome } from './trace-types.js';

export interface HopRow {
  hop: number;
  addresses: number;
  movements: number;
  value: bigint;
  tainted: bigint;
}

export interface ExitRow {
  entity: string;
  category: string;
  address: string;
  asset: string;
  value: bigint;
  tainted: bigint;
  tx: string;
  time: string | null;
  height: number | null;
  hop: number;
  edge: string;
  kind: 'exit' | 'flagged';
  /** The address the value came through, when it was recognised as this exchange's deposit address. */
  depositAddress: string | null;
}

export interface ExposureItem {
  category: string;
  entity: string;
  /** True for flagged categories (risk); false for services such as exchanges (exits). */
  flagged: boolean;
  value: bigint;
  /** Share of the traced value in millionths; shares of all buckets add up to exactly 1 000 000. */
  sharePpm: bigint;
  minHops: number;
  /** The paths (edge keys from the seed, hop by hop) that carried the most value here: the evidence. */
  paths: EvidencePath[];
  /**
   * Present when the attribution came from GraphSense API tags (cluster.via "graphsense"): the
   * GraphSense entity ids of the clusters reached, ascending. Such items are never merged with a
   * label-attributed item of the same name.
   */
  graphsense?: { entities: number[] };
}

export interface EvidencePath {
  edges: string[];
  /** Tainted value of the last movement of the path (what arrived at the cluster through it). */
  amount: bigint;
}

export interface Summary {
  traced: bigint;
  hops: HopRow[];
  terminals: Record<TerminalKind, bigint>;
  cutByReason: Record<string, bigint>;
  terminalTotal: bigint;
  /** True when the terminals add up to the traced value (always, under haircut and fifo). */
  conserved: boolean;
  exits: ExitRow[];
  atRest: { address: string; amount: bigint; hop: number }[];
  cut: { reason: string; address: string | null; amount: bigint; hop: number; edge: string | null }[];
  largestFlows: {
    edge: string;
    source: string;
    target: string;
    tainted: bigint;
    value: bigint;
    hop: number;
    tx: string;
  }[];
  findings: TraceOutcome['findings'];
  /** Value sent into registered bridges (terminals of kind `bridged`), in time order; absent when none. */
  bridges?: BridgeRow[];
}

export interface BridgeRow {
  /** Node of the bridge contract and the movement into it. */
  address: string;
  edge: string | null;
  tx: string | null;
  time: string | null;
  hop: number;
  tainted: bigint;
  name: string;
  bridge: BridgeTerminal | null;
  note: string | null;
}

export interface Exposure {
  /** false under poison: reachability and value reached, never shares. */
  shares: boolean;
  direct: ExposureItem[];
  indirect: ExposureItem[];
  /** `converted` is listed only when a conversion carried taint on into another asset. */
  buckets: {
    name: 'unattributed' | 'held' | 'fees' | 'cut' | 'converted' | 'bridged';
    value: bigint;
    sharePpm: bigint;
  }[];
}

const KINDS: TerminalKind[] = [
  'exit',
  'flagged',
  'mixer',
  'held',
  'fee',
  'returned',
  'coinbase',
  'unknown-origin',
  'unspendable',
  'cut',
];

const addressOfNode = (o: TraceOutcome, key: string | null) =>
  key && o.graph.hasNode(key) ? o.graph.getNodeAttribute(key, 'address') : key;

export function summarize(o: TraceOutcome, topN = 10): Summary {
  const g = o.graph;
  const hopMap = new Map<number, HopRow>();
  const row = (h: number) => {
    let r = hopMap.get(h);
    if (!r) {
      r = { hop: h, addresses: 0, movements: 0, value: 0n, tainted: 0n };
      hopMap.set(h, r);
    }
    return r;
  };
  g.forEachNode((_, a) => {
    row(a.hop).addresses++;
  });
  g.forEachEdge((_, a: EdgeAttributes) => {
    // A conversion moves nothing between addresses: it is listed with the conversions.
    if (a.kind === 'conversion') return;
    const r = row(a.hop);
    r.movements++;
    r.value += a.value;
    r.tainted += a.tainted;
  });
  const terminals = Object.fromEntries(KINDS.map((k) => [k, 0n])) as Record<TerminalKind, bigint>;
  const cutByReason: Record<string, bigint> = {};
  let total = 0n;
  for (const t of o.terminals) {
    // `converted` appears only in traces that followed a conversion (older documents stay as they were).
    terminals[t.kind] = (terminals[t.kind] ?? 0n) + t.amount;
    total += t.amount;
    if (t.kind === 'cut')
      cutByReason[t.reason ?? 'other'] = (cutByReason[t.reason ?? 'other'] ?? 0n) + t.amount;
  }
  const exits: ExitRow[] = [];
  for (const t of o.terminals) {
    if ((t.kind !== 'exit' && t.kind !== 'flagged') || !t.edge || !g.hasEdge(t.edge)) continue;
    const e = g.getEdgeAttributes(t.edge);
    const src = g.getNodeAttributes(g.source(t.edge));
    const viaDeposit = src.cluster.via === 'deposit' && src.cluster.entity === t.entity;
    exits.push({
      depositAddress: viaDeposit ? src.address : null,
      entity: t.entity ?? '',
      category: t.category ?? '',
      address: addressOfNode(o, t.node) ?? '',
      asset: e.asset,
      value: e.value,
      tainted: t.amount,
      tx: e.tx,
      time: e.time,
      height: e.height,
      hop: t.hop,
      edge: t.edge,
      kind: t.kind,
    });
  }
  exits.sort((a, b) => a.hop - b.hop || cmpStr(a.edge, b.edge));
  const atRest = o.terminals
    .filter((t) => t.kind === 'held')
    .map((t) => ({ address: addressOfNode(o, t.node) ?? '', amount: t.amount, hop: t.hop }))
    .sort((a, b) => (a.amount === b.amount ? cmpStr(a.address, b.address) : a.amount > b.amount ? -1 : 1));
  const cut = o.terminals
    .filter((t) => t.kind === 'cut')
    .map((t) => ({
      reason: t.reason ?? 'other',
      address: addressOfNode(o, t.node),
      amount: t.amount,
      hop: t.hop,
      edge: t.edge,
    }))
    .sort((a, b) => a.hop - b.hop || cmpStr(a.reason, b.reason) || cmpStr(a.edge ?? '', b.edge ?? ''));
  const flows: Summary['largestFlows'] = [];
  g.forEachEdge((key, a, source, target) => {
    if (a.kind === 'conversion') return;
    flows.push({ edge: key, source, target, tainted: a.tainted, value: a.value, hop: a.hop, tx: a.tx });
  });
  flows.sort((a, b) => (a.tainted === b.tainted ? cmpStr(a.edge, b.edge) : a.tainted > b.tainted ? -1 : 1));
  const bridges: BridgeRow[] = o.terminals
    .filter((t) => t.kind === 'bridged')
    .map((t) => {
      const e = t.edge && g.hasEdge(t.edge) ? g.getEdgeAttributes(t.edge) : undefined;
      return {
        address: addressOfNode(o, t.node) ?? '',
        edge: t.edge,
        tx: e?.tx ?? null,
        time: e?.time ?? null,
        hop: t.hop,
        tainted: t.amount,
        name: t.entity ?? '',
        bridge: t.bridge ?? null,
        note: t.note ?? t.bridge?.note ?? null,
      };
    })
    .sort((a, b) => a.hop - b.hop || cmpStr(a.edge ?? '', b.edge ?? ''));
  return {
    ...(bridges.length > 0 ? { bridges } : {}),
    traced: o.traced,
    hops: [...hopMap.values()].sort((a, b) => a.hop - b.hop),
    terminals,
    cutByReason,
    terminalTotal: total,
    conserved: total === o.traced,
    exits,
    atRest,
    cut,
    largestFlows: flows.slice(0, topN),
    findings: o.findings,
  };
}

export const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Exposure: value that reached (forward) or came from (backward) each category and entity (flagged
 * clusters and services alike, each item saying which),
 * direct (hop 1) and indirect (hop ≥ 2); the rest in buckets so the shares add up to exactly one.
 */
export function exposure(o: TraceOutcome, model: string, backward = false): Exposure {
  const groups = new Map<string, ExposureItem & { direct: boolean }>();
  const buckets: Record<'unattributed' | 'held' | 'fees' | 'cut', bigint> & {
    converted?: bigint;
    bridged?: bigint;
  } = {
    unattributed: 0n,
    held: 0n,
    fees: 0n,
    cut: 0n,
  };
  for (const t of o.terminals) {
    if (t.kind === 'flagged' || t.kind === 'mixer' || t.kind === 'exit') {
      const category = t.category ?? 'mixer';
      const entity = t.entity ?? (t.kind === 'mixer' ? 'CoinJoin' : '');
      const direct = t.hop <= 1;
      const flagged = t.kind !== 'exit';
      const cluster =
        t.node !== null && o.graph.hasNode(t.node) ? o.graph.getNodeAttribute(t.node, 'cluster') : null;
      const gs = cluster?.via === 'graphsense';
      const k = `${direct ? 'd' : 'i'}\u0000${category}\u0000${entity}\u0000${flagged}${gs ? '\u0000graphsense' : ''}`;
      const g: ExposureItem & { direct: boolean } = groups.get(k) ?? {
        category,
        entity,
        flagged,
        value: 0n,
        sharePpm: 0n,
        minHops: t.hop,
        direct,
        paths: [],
        ...(gs ? { graphsense: { entities: [] } } : {}),
      };
      groups.set(k, g);
      const id = cluster?.graphsenseEntity;
      if (g.graphsense && id !== undefined && !g.graphsense.entities.includes(id)) {
        g.graphsense.entities.push(id);
        g.graphsense.entities.sort((a, b) => a - b);
      }
      g.value += t.amount;
      g.minHops = Math.min(g.minHops, t.hop);
      if (t.edge) g.paths.push({ edges: [t.edge], amount: t.amount });
    } else if (t.kind === 'held') buckets.held += t.amount;
    else if (t.kind === 'fee') buckets.fees += t.amount;
    else if (t.kind === 'cut') buckets.cut += t.amount;
    else if (t.kind === 'converted') buckets.converted = (buckets.converted ?? 0n) + t.amount;
    else if (t.kind === 'bridged') buckets.bridged = (buckets.bridged ?? 0n) + t.amount;
    else buckets.unattributed += t.amount;
  }
  const items = [...groups.values()].sort((a, b) =>
    a.value === b.value
      ? cmpStr(a.category, b.category) ||
        cmpStr(a.entity, b.entity) ||
        Number(!!a.graphsense) - Number(!!b.graphsense)
      : a.value > b.value
        ? -1
        : 1,
  );
  const bucketList = (Object.keys(buckets) as (keyof typeof buckets)[]).map((name) => ({
    name,
    value: buckets[name]!,
    sharePpm: 0n,
  }));
  const shares = model !== 'poison';
  if (shares && o.traced > 0n) {
    // Largest-remainder apportionment of one million over every item and bucket: exact to the ppm.
    const all = [...items.map((i) => i.value), ...bucketList.map((b) => b.value)];
    const ppm = apportion(1_000_000n, all);
    items.forEach((it, i) => {
      it.sharePpm = ppm[i]!;
    });
    bucketList.forEach((b, i) => {
      b.sharePpm = ppm[items.length + i]!;
    });
  }
  for (const it of items) it.paths = topPaths(o, it.paths, backward);
  const strip = ({ direct: _d, ...rest }: ExposureItem & { direct: boolean }) => rest;
  return {
    shares,
    direct: items.filter((i) => i.direct).map(strip),
    indirect: items.filter((i) => !i.direct).map(strip),
    buckets: bucketList,
  };
}

/**
 * The evidence for an exposure figure: the largest movements into the cluster, each extended back
 * to the seed hop by hop through the neighbour (one hop nearer the seed) that carried the most
 * tainted value, ties to the smaller edge key. Forward traces walk incoming edges; backward
 * traces walk outgoing ones (their edges point from payer to payee).
 */
function topPaths(o: TraceOutcome, last: EvidencePath[], backward: boolean, n = 3): EvidencePath[] {
  const g = o.graph;
  const best = [...last].sort((a, b) =>
    a.amount === b.amount ? cmpStr(a.edges[0]!, b.edges[0]!) : a.amount > b.amount ? -1 : 1,
  );
  return best.slice(0, n).map((p) => {
    const edges = [p.edges[0]!];
    const seen = new Set(edges);
    let node = backward ? g.target(edges[0]!) : g.source(edges[0]!);
    while (g.getNodeAttribute(node, 'hop') > 0) {
      const hop = g.getNodeAttribute(node, 'hop');
      let pick: { key: string; tainted: bigint; next: string } | undefined;
      const consider = (key: string, a: EdgeAttributes, next: string) => {
        if (seen.has(key) || a.tainted === 0n || g.getNodeAttribute(next, 'hop') !== hop - 1) return;
        if (!pick || a.tainted > pick.tainted || (a.tainted === pick.tainted && key < pick.key))
          pick = { key, tainted: a.tainted, next };
      };
      if (backward) g.forEachOutEdge(node, (key, a, _s, t) => consider(key, a, t));
      else g.forEachInEdge(node, (key, a, s) => consider(key, a, s));
      if (!pick) break;
      edges.unshift(pick.key);
      seen.add(pick.key);
      node = pick.next;
    }
    return { edges, amount: p.amount };
  });
}
