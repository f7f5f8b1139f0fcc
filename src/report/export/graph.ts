// The trace graph flattened for export formats: one row per node and per edge with plain string
// and number attributes (amounts as base-unit strings plus display strings). Order is the JSON
// order (by hop, then key), so every export is deterministic.
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
}

export interface ExportEdge {
  key: string;
  source: string;
  target: string;
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
  nodes: ExportNode[];
  edges: ExportEdge[];
}

export const nodeLabel = (n: DocNode['attributes']) => n.cluster?.entity || n.labels[0]?.entity || n.address;

export function exportGraph(doc: TraceDoc): ExportGraph {
  const nodes = doc.graph.nodes.map(({ key, attributes: a }) => ({
    key,
    label: nodeLabel(a),
    address: a.address,
    chain: a.chain,
    entity: a.cluster?.entity ?? '',
    category: a.cluster?.category ?? '',
    hop: a.hop,
    seed: a.seed,
    stop: a.stop ?? '',
    received: a.received.value,
    sent: a.sent.value,
    tainted: a.tainted.value,
    receivedDisplay: a.received.display,
    sentDisplay: a.sent.display,
    taintedDisplay: a.tainted.display,
    labels: a.labels.map((l) => `${l.entity} (${l.category}, ${l.source})`).join('; '),
  }));
  const edges = doc.graph.edges.map(({ key, source, target, attributes: a }) => ({
    key,
    source,
    target,
    label: `${a.tainted.display} of ${a.value.display} ${a.value.asset}`,
    tx: a.tx,
    index: a.index,
    kind: a.kind,
    time: a.time ?? '',
    height: a.height,
    hop: a.hop,
    asset: a.value.asset,
    value: a.value.value,
    tainted: a.tainted.value,
    valueDisplay: a.value.display,
    taintedDisplay: a.tainted.display,
  }));
  return { asset: doc.query.asset.symbol, chain: doc.query.chain, nodes, edges };
}
