// The trace graph flattened for export formats: one row per node and per edge with plain string
// and number attributes (amounts as base-unit strings plus display strings). Order is the JSON
// order (by hop, then key), so every export is deterministic.
import { termSafe } from '../sanitize.js';
import type { DocEdge, DocNode, TraceDoc } from './doc.js';

export interface ExportNode {
  key: string;
  /** Entity name when the address is attributed, else the address. */
  label: string;
  address: string;
  chain: string;
  entity: string;
  category: string;
  hop: number;
  seed: boolean;
  stop: string;
  received: string;
  sent: string;
  tainted: string;
  receivedDisplay: string;
  sentDisplay: string;
  taintedDisplay: string;
  /** All labels, "entity (category, source)" joined with "; ". */
  labels: string;
  /** The category counted as flagged by the trace's own label policy (--flagged, config). */
  flagged: boolean;
  /**
   * A graph of several assets (a trace that followed conversions or bridges): the asset of this
   * node's amounts (the first part it appears in); absent in a one-asset graph.
   */
  asset?: string;
  /** What a diagram writes on this node instead of its tainted amount (where a part of the trace began). */
  caption?: string;
}

export interface ExportEdge {
  key: string;
  source: string;
  target: string;
  /** The addresses of source and target (the keys are chain:address). */
  from: string;
  to: string;
  /** "<tainted> of <value> <asset>". */
  label: string;
  tx: string;
  index: number;
  kind: string;
  time: string;
  height: number | null;
  hop: number;
  asset: string;
  value: string;
  tainted: string;
  valueDisplay: string;
  taintedDisplay: string;
  /** The movement's money values at its block time, when the result was made with --fiat. */
  fiat?: ExportEdgeFiat;
  /** Kind "conversion" (a self-loop at the converting address): what came out, in its asset. */
  conversion?: {
    via: string;
    toAsset: string;
    toValue: string;
    toTainted: string;
    toValueDisplay: string;
    toTaintedDisplay: string;
    /** "Swap log 2 by 0x… in 0x…; …". */
    evidence: string;
  };
  /** Kind "bridge": a followed bridge, from the bridge contract to where the other chain paid out. */
  bridge?: { protocol: string; identifier: string; toChain: string; toTx: string; recipient: string };
}

/** An edge's fiat figures as plain strings ("" when there is none). */
export interface ExportEdgeFiat {
  /** The whole movement, then its tainted part, rounded to the currency's minor unit. */
  value: string;
  tainted: string;
  /** The UTC day whose prices were used. */
  day: string;
  /** "BTC-USD 2024-02-16 52166.43 [BTC-USD.csv]; USD-KES …" (as the trace's CSV writes them). */
  prices: string;
  /** Why the tainted value has no figure. */
  missing: string;
}

export interface ExportGraph {
  asset: string;
  chain: string;
  /** The traced value (display string): what the seed node stands for in the diagrams. */
  tracedDisplay: string;
  /** Edge keys of summary.largestFlows, largest first: the ranking the diagrams reuse. */
  largest: string[];
  nodes: ExportNode[];
  edges: ExportEdge[];
  /** The currency of the edges' `fiat` figures (a result made with --fiat), else absent. */
  fiat?: string;
  /** Several assets (exportTrailGraph): each node names its asset, amounts are never compared across. */
  multi?: boolean;
  /** The graph spans chains: diagrams name each node's chain. */
  crossChain?: boolean;
}

/** Display name of a node: its entity when attributed, else its first label, else its address. */
export const nodeLabel = (n: DocNode['attributes']) =>
  termSafe(n.cluster?.entity || n.labels[0]?.entity || n.address);

// Strings from chain data and labels are untrusted: no control, escape or bidi characters in any
// export (each format then applies its own quoting).
const t = termSafe;

/**
 * Categories the trace's label policy counted as flagged, as the exposure records them (so a
 * diagram follows --flagged and the config file rather than a list of its own).
 */
export function flaggedCategories(doc: TraceDoc): ReadonlySet<string> {
  return new Set(
    [...doc.exposure.direct, ...doc.exposure.indirect].filter((i) => i.flagged).map((i) => i.category),
  );
}

const obj = (x: unknown): Record<string, unknown> | undefined =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
const str = (x: unknown): string => (typeof x === 'string' ? t(x) : '');

/**
 * The currency of a --fiat result, read defensively (a result file may come from anyone): it
 * names columns and attributes, so anything but a plain code is refused as no fiat section.
 */
function fiatCurrency(doc: TraceDoc): string | undefined {
  const c = obj((doc as unknown as Record<string, unknown>).fiat)?.currency;
  return typeof c === 'string' && /^[A-Z][A-Z0-9]{1,9}$/.test(c) ? c : undefined;
}

/** The price list of one figure, as src/report/fiat-csv.ts writes it. */
function pricesText(f: Record<string, unknown> | undefined): string {
  const list = f?.price;
  if (!Array.isArray(list)) return '';
  return list
    .map((p) => {
      const o = obj(p) ?? {};
      return `${str(o.series)} ${str(o.date)} ${str(o.value)}${o.carried ? ' (carried)' : ''} [${str(o.source)}]`;
    })
    .join('; ');
}

function edgeFiat(a: { value: unknown; tainted: unknown }): ExportEdgeFiat {
  const v = obj(obj(a.value)?.fiat);
  const tf = obj(obj(a.tainted)?.fiat);
  return {
    value: str(v?.value),
    tainted: str(tf?.value),
    day: str(tf?.day),
    prices: pricesText(tf),
    missing: tf ? str(obj(tf.missing)?.reason) : 'no figure',
  };
}

export function exportGraph(doc: TraceDoc): ExportGraph {
  const flagged = flaggedCategories(doc);
  const fiat = fiatCurrency(doc);
  const nodes = doc.graph.nodes.map(({ key, attributes: a }) => ({
    key: t(key),
    label: nodeLabel(a),
    address: t(a.address),
    chain: t(a.chain),
    entity: t(a.cluster?.entity ?? ''),
    category: t(a.cluster?.category ?? ''),
    hop: a.hop,
    seed: a.seed,
    stop: t(a.stop ?? ''),
    received: a.received.value,
    sent: a.sent.value,
    tainted: a.tainted.value,
    receivedDisplay: a.received.display,
    sentDisplay: a.sent.display,
    taintedDisplay: a.tainted.display,
    labels: t(a.labels.map((l) => `${l.entity} (${l.category}, ${l.source})`).join('; ')),
    flagged: a.cluster?.category != null && flagged.has(a.cluster.category),
  }));
  const addressOf = new Map(doc.graph.nodes.map((n) => [n.key, n.attributes.address]));
  const edges = doc.graph.edges.map(({ key, source, target, attributes: a }) => ({
    key: t(key),
    source: t(source),
    target: t(target),
    from: t(addressOf.get(source) ?? ''),
    to: t(addressOf.get(target) ?? ''),
    label: t(
      `${a.tainted.display} of ${a.value.display} ${a.value.asset}${a.conversion ? ` → ${a.conversion.to.tainted.display} of ${a.conversion.to.value.display} ${a.conversion.to.value.asset} (${a.conversion.via})` : ''}`,
    ),
    tx: t(a.tx),
    index: a.index,
    kind: t(a.kind),
    time: t(a.time ?? ''),
    height: a.height,
    hop: a.hop,
    asset: t(a.value.asset),
    value: a.value.value,
    tainted: a.tainted.value,
    valueDisplay: a.value.display,
    taintedDisplay: a.tainted.display,
    ...(fiat ? { fiat: edgeFiat(a) } : {}),
    ...(a.conversion ? { conversion: conversionOf(a.conversion) } : {}),
  }));
  return {
    asset: t(doc.query.asset.symbol),
    chain: t(doc.query.chain),
    tracedDisplay: doc.summary.traced.display,
    largest: doc.summary.largestFlows.map((f) => t(f.edge)),
    nodes,
    edges,
    ...(fiat ? { fiat } : {}),
  };
}

const evidenceText = (list: unknown) =>
  Array.isArray(list)
    ? list
        .map((x) => {
          const e = obj(x) ?? {};
          return `${str(e.event)} log ${typeof e.index === 'number' ? e.index : '?'} by ${str(e.address)} in ${str(e.tx)}`;
        })
        .join('; ')
    : '';

function conversionOf(
  c: NonNullable<DocEdge['attributes']['conversion']>,
): NonNullable<ExportEdge['conversion']> {
  return {
    via: t(c.via),
    toAsset: t(c.to.value.asset),
    toValue: c.to.value.value,
    toTainted: c.to.tainted.value,
    toValueDisplay: c.to.value.display,
    toTaintedDisplay: c.to.tainted.display,
    evidence: evidenceText(c.evidence),
  };
}

/**
 * One graph of a trace that followed conversions or bridges (its per-part documents, as checkDocs
 * returns them): every part's nodes and edges (node keys are chain:address, so parts on two chains
 * never collide), conversion self-loops with what came out, and one edge of kind "bridge" per
 * followed bridge, from the bridge contract the deposit reached to the address the destination
 * chain paid out from. A node in several parts carries the amounts of the first (its `asset`
 * says which); only the start's seed is marked as the seed.
 */
export function exportTrailGraph(docs: readonly TraceDoc[]): ExportGraph {
  const first = docs[0]!;
  const parts = docs.map(exportGraph);
  const nodes = new Map<string, ExportNode>();
  parts.forEach((g, i) => {
    for (const n of g.nodes) {
      const prev = nodes.get(n.key);
      if (prev) prev.hop = Math.min(prev.hop, n.hop);
      else
        nodes.set(n.key, {
          ...n,
          seed: i === 0 && n.seed,
          asset: g.asset,
          // Where a part began (the converting address, or where the other chain paid out from).
          ...(i > 0 && n.seed ? { caption: `trace in ${g.asset} began: ${g.tracedDisplay} ${g.asset}` } : {}),
        });
    }
  });
  const edges = parts.flatMap((g) => g.edges);
  const byKey = new Map(edges.map((e) => [e.key, e]));
  for (const b of first.trail?.bridges ?? []) {
    const from = b.from.edge !== null ? byKey.get(t(b.from.edge)) : undefined;
    const to = b.to.edge !== null ? byKey.get(t(b.to.edge)) : undefined;
    // A link whose legs are not both in the graph cannot be drawn; the report lists it anyway.
    if (!from || !to) continue;
    const dep = b.from.deposit as { value: string; display?: string; asset?: string };
    const tainted = b.from.tainted as { value: string; display?: string };
    const asset = t(dep.asset ?? from.asset);
    edges.push({
      key: t(`bridge:${b.key}`),
      source: from.target,
      target: to.source,
      from: from.to,
      to: to.from,
      label: t(
        `${tainted.display ?? tainted.value} of ${dep.display ?? dep.value} ${asset} bridged to ${b.to.chain} (${b.identifier})`,
      ),
      tx: from.tx,
      index: from.index,
      kind: 'bridge',
      time: from.time,
      height: from.height,
      hop: from.hop,
      asset,
      value: dep.value,
      tainted: tainted.value,
      valueDisplay: dep.display ?? dep.value,
      taintedDisplay: tainted.display ?? tainted.value,
      bridge: {
        protocol: t(b.protocol),
        identifier: t(b.identifier),
        toChain: t(b.to.chain),
        toTx: t(b.to.tx),
        recipient: t(b.to.recipient),
      },
    });
  }
  const order = (x: { hop: number; key: string }, y: { hop: number; key: string }) =>
    x.hop - y.hop || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
  return {
    asset: parts[0]!.asset,
    chain: parts[0]!.chain,
    tracedDisplay: parts[0]!.tracedDisplay,
    largest: parts.flatMap((g) => g.largest),
    nodes: [...nodes.values()].sort(order),
    edges: edges.sort(order),
    ...(parts[0]!.fiat ? { fiat: parts[0]!.fiat } : {}),
    multi: true,
    ...(new Set(parts.map((g) => g.chain)).size > 1 ? { crossChain: true } : {}),
  };
}

/**
 * The conversion and bridge attributes of an edge for the typed exports (GEXF, GraphML, Cypher,
 * DOT): fixed names, absent on plain movements.
 */
export function edgeLinkProperties(e: ExportEdge): Record<string, string> {
  const c = e.conversion;
  const b = e.bridge;
  return {
    ...(c
      ? {
          conversion_via: c.via,
          converted_to_asset: c.toAsset,
          converted_to_value: c.toValue,
          converted_to_tainted: c.toTainted,
          converted_to_value_display: c.toValueDisplay,
          converted_to_tainted_display: c.toTaintedDisplay,
          evidence: c.evidence,
        }
      : {}),
    ...(b
      ? {
          bridge_protocol: b.protocol,
          bridge_identifier: b.identifier,
          bridge_to_chain: b.toChain,
          bridge_to_tx: b.toTx,
          bridge_recipient: b.recipient,
        }
      : {}),
  };
}

/** The attribute names edgeLinkProperties may write (GraphML declares them when present). */
export const EDGE_LINK_FIELDS = [
  'conversion_via',
  'converted_to_asset',
  'converted_to_value',
  'converted_to_tainted',
  'converted_to_value_display',
  'converted_to_tainted_display',
  'evidence',
  'bridge_protocol',
  'bridge_identifier',
  'bridge_to_chain',
  'bridge_to_tx',
  'bridge_recipient',
] as const;

/**
 * The fiat attributes of an edge for the typed exports (GEXF, GraphML, Cypher, DOT): fixed names,
 * the currency as a value. Absent without --fiat; a figure without a price is left out and
 * `fiat_missing` says why.
 */
export function edgeFiatProperties(e: ExportEdge, g: ExportGraph): Record<string, string> {
  if (!g.fiat || !e.fiat) return {};
  const f = e.fiat;
  return {
    fiat_currency: g.fiat,
    ...(f.value ? { fiat_value: f.value } : {}),
    ...(f.tainted ? { fiat_tainted: f.tainted } : {}),
    ...(f.day ? { fiat_day: f.day } : {}),
    ...(f.prices ? { fiat_prices: f.prices } : {}),
    ...(f.missing ? { fiat_missing: f.missing } : {}),
  };
}

/**
 * What a diagram writes on an edge: its tainted amount, and with --fiat its money value
 * ("0.1425 BTC · 1084245.52 KES"; "no KES price" when it has none).
 */
export function edgeCaption(e: ExportEdge, g: Pick<ExportGraph, 'fiat'>): string {
  const amount = e.conversion
    ? `${e.taintedDisplay} ${e.asset} → ${e.conversion.toTaintedDisplay} ${e.conversion.toAsset} (${e.conversion.via})`
    : e.bridge
      ? `${e.taintedDisplay} ${e.asset} bridged to ${e.bridge.toChain} (${e.bridge.protocol})`
      : `${e.taintedDisplay} ${e.asset}`;
  if (!g.fiat || !e.fiat) return amount;
  return `${amount} · ${e.fiat.tainted ? `${e.fiat.tainted} ${g.fiat}` : `no ${g.fiat} price`}`;
}

/** The attribute names edgeFiatProperties may write, in its order (GraphML declares them). */
export const EDGE_FIAT_FIELDS = [
  'fiat_currency',
  'fiat_value',
  'fiat_tainted',
  'fiat_day',
  'fiat_prices',
  'fiat_missing',
] as const;

/** Node attributes every typed export writes, with their GraphML types. */
export const NODE_FIELDS = [
  ['label', 'string'],
  ['address', 'string'],
  ['chain', 'string'],
  ['entity', 'string'],
  ['category', 'string'],
  ['hop', 'int'],
  ['seed', 'boolean'],
  ['stop', 'string'],
  ['received', 'string'],
  ['sent', 'string'],
  ['tainted', 'string'],
  ['taintedDisplay', 'string'],
  ['labels', 'string'],
] as const satisfies readonly (readonly [keyof ExportNode, string])[];

export const EDGE_FIELDS = [
  ['label', 'string'],
  ['tx', 'string'],
  ['index', 'int'],
  ['kind', 'string'],
  ['time', 'string'],
  ['height', 'int'],
  ['hop', 'int'],
  ['asset', 'string'],
  ['value', 'string'],
  ['tainted', 'string'],
  ['valueDisplay', 'string'],
  ['taintedDisplay', 'string'],
] as const satisfies readonly (readonly [keyof ExportEdge, string])[];

/**
 * The amount a diagram shows on a node: the traced value on the seed (its own received taint is 0
 * forward: the trace starts there), the tainted value anywhere else.
 */
export const nodeAmount = (
  n: Pick<ExportNode, 'seed' | 'taintedDisplay' | 'asset' | 'caption'>,
  g: Pick<ExportGraph, 'tracedDisplay' | 'asset'>,
) =>
  n.caption ??
  (n.seed ? `traced ${g.tracedDisplay} ${g.asset}` : `${n.taintedDisplay} ${n.asset ?? g.asset}`);

/** The hop line of a node in a diagram: its hop, its chain when the graph spans chains, its category. */
export const nodeHopLine = (
  n: Pick<ExportNode, 'hop' | 'chain' | 'category'>,
  g: Pick<ExportGraph, 'crossChain'>,
) => `hop ${n.hop}${g.crossChain ? ` · ${n.chain}` : ''}${n.category ? ` · ${n.category}` : ''}`;

/** Fill colour by role: seed, flagged, service, mixer, unattributed. Shared by DOT and Mermaid. */
export function nodeColor(n: Pick<ExportNode, 'seed' | 'category'>): string {
  if (n.seed) return '#f5c542';
  // Own keys only: a category named "constructor" or "__proto__" is data, not a colour.
  if (Object.hasOwn(CATEGORY_COLORS, n.category)) return CATEGORY_COLORS[n.category]!;
  return n.category ? '#b8c4d6' : '#e4e7eb';
}

export const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  sanctioned: '#b3001b',
  terrorist_financing: '#b3001b',
  child_abuse: '#b3001b',
  ransomware: '#d7263d',
  theft: '#d7263d',
  scam: '#e4572e',
  darknet_market: '#c2185b',
  illicit: '#d7263d',
  blocklisted: '#8e2c2c',
  mixer: '#7b2cbf',
  exchange: '#1f77b4',
  payment_processor: '#2a9d8f',
  gambling: '#f4a261',
  wallet_service: '#4c8bd6',
  bridge: '#0096c7',
  service: '#5e81ac',
  dex: '#43aa8b',
  defi: '#90be6d',
  miner: '#8d6e63',
  organization: '#6c757d',
  individual: '#adb5bd',
  suspicious: '#f28482',
  unknown: '#ced4da',
};

/** The node properties every attribute-carrying export writes (GEXF, Cypher), in one order. */
export function nodeProperties(n: ExportNode, g: ExportGraph) {
  return {
    label: n.label,
    address: n.address,
    chain: n.chain,
    entity: n.entity,
    category: n.category,
    hop: n.hop,
    seed: n.seed,
    stop: n.stop,
    asset: n.asset ?? g.asset,
    received: n.received,
    sent: n.sent,
    tainted: n.tainted,
    tainted_display: n.taintedDisplay,
    labels: n.labels,
  };
}
