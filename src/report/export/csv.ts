// CSV tables from a trace document: exposure (for a case), and graph nodes/edges (Gephi-style
// Id/Label and Source/Target columns) for `fundtrace export --format csv`. Cells go through
// csvRow (RFC 4180 quoting, spreadsheet formulas neutralised).
import { csvRow } from '../sanitize.js';
import type { TraceDoc } from './doc.js';
import { EDGE_LINK_FIELDS, type ExportGraph, edgeLinkProperties } from './graph.js';

export function renderExposureCsv(doc: TraceDoc): string {
  let out = csvRow([
    'scope',
    'category',
    'entity',
    'asset',
    'value',
    'share',
    'min_hops',
    'value_base_units',
  ]);
  for (const [scope, list] of [
    ['direct', doc.exposure.direct],
    ['indirect', doc.exposure.indirect],
  ] as const) {
    for (const i of list)
      out += csvRow([
        scope,
        i.category,
        i.entity,
        i.value.asset,
        i.value.display,
        i.share,
        i.minHops,
        i.value.value,
      ]);
  }
  for (const b of doc.exposure.buckets)
    out += csvRow(['bucket', b.name, '', b.value.asset, b.value.display, b.share, '', b.value.value]);
  return out;
}

export const NODE_COLUMNS = [
  'Id',
  'Label',
  'address',
  'chain',
  'entity',
  'category',
  'hop',
  'seed',
  'stop',
  'asset',
  'received',
  'sent',
  'tainted',
  'received_base_units',
  'sent_base_units',
  'tainted_base_units',
  'labels',
] as const;

export const EDGE_COLUMNS = [
  'Id',
  'Source',
  'Target',
  'from',
  'to',
  'Label',
  'tx',
  'index',
  'kind',
  'time',
  'height',
  'hop',
  'asset',
  'value',
  'tainted',
  'value_base_units',
  'tainted_base_units',
] as const;

export function renderNodesCsv(g: ExportGraph): string {
  let out = csvRow([...NODE_COLUMNS]);
  for (const n of g.nodes)
    out += csvRow([
      n.key,
      n.label,
      n.address,
      n.chain,
      n.entity,
      n.category,
      n.hop,
      n.seed,
      n.stop,
      n.asset ?? g.asset,
      n.receivedDisplay,
      n.sentDisplay,
      n.taintedDisplay,
      n.received,
      n.sent,
      n.tainted,
      n.labels,
    ]);
  return out;
}

/**
 * A --fiat result's edges: the tainted value's figure, its day, the prices and why it is missing,
 * appended after the usual columns (the same columns as `trace --fiat --format csv --table edges`).
 */
export function edgeFiatColumns(g: ExportGraph): { head: string[]; row: (key: string) => string[] } {
  const c = g.fiat;
  if (c === undefined) return { head: [], row: () => [] };
  const byKey = new Map(g.edges.map((e) => [e.key, e.fiat]));
  return {
    head: [`tainted_${c}`, `tainted_${c}_day`, `tainted_${c}_prices`, `tainted_${c}_missing`],
    row: (key) => {
      const f = byKey.get(key);
      return f ? [f.tainted, f.day, f.prices, f.missing] : ['', '', '', 'no figure'];
    },
  };
}

/** `extra`: columns appended to every row (the fiat values of `trace --fiat --format csv`). */
export function renderEdgesCsv(
  g: ExportGraph,
  extra: { head: string[]; row: (key: string) => (string | null)[] } = { head: [], row: () => [] },
): string {
  // Conversions and bridges: their columns only when the graph has any (plain traces unchanged).
  const linked = g.edges.some((e) => e.conversion || e.bridge);
  const link = (e: ExportGraph['edges'][number]) => {
    if (!linked) return [];
    const p = edgeLinkProperties(e);
    return EDGE_LINK_FIELDS.map((k) => p[k] ?? '');
  };
  let out = csvRow([...EDGE_COLUMNS, ...extra.head, ...(linked ? EDGE_LINK_FIELDS : [])]);
  for (const e of g.edges)
    out += csvRow([
      e.key,
      e.source,
      e.target,
      e.from,
      e.to,
      e.label,
      e.tx,
      e.index,
      e.kind,
      e.time,
      e.height,
      e.hop,
      e.asset,
      e.valueDisplay,
      e.taintedDisplay,
      e.value,
      e.tainted,
      ...extra.row(e.key),
      ...link(e),
    ]);
  return out;
}
