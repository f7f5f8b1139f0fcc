// The trace graph flattened for export formats: one row per node and per edge with plain string
// and number attributes (amounts as base-unit strings plus display strings). Order is the JSON
// order (by hop, then key), so every export is deterministic.
import { termSafe } from '../sanitize.js';
import type { DocNode, TraceDoc } from './doc.js';

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

export function exportGraph(doc: TraceDoc): ExportGraph {
  const flagged = flaggedCategories(doc);
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
    label: t(`${a.tainted.display} of ${a.value.display} ${a.value.asset}`),
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
  }));
  return {
    asset: t(doc.query.asset.symbol),
    chain: t(doc.query.chain),
    tracedDisplay: doc.summary.traced.display,
    largest: doc.summary.largestFlows.map((f) => t(f.edge)),
    nodes,
    edges,
  };
}

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
  n: Pick<ExportNode, 'seed' | 'taintedDisplay'>,
  g: Pick<ExportGraph, 'tracedDisplay' | 'asset'>,
) => (n.seed ? `traced ${g.tracedDisplay} ${g.asset}` : `${n.taintedDisplay} ${g.asset}`);

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
    asset: g.asset,
    received: n.received,
    sent: n.sent,
    tainted: n.tainted,
    tainted_display: n.taintedDisplay,
    labels: n.labels,
  };
}
