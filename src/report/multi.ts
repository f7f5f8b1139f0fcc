// `--asset all`: one trace per asset (each asset keeps its own ledger), rendered together. The
// JSON keeps the contract's top-level keys: `summary` and `exposure` hold one entry per asset, and
// the graph is the union, with each node's amounts listed per asset (never added across assets).
import type { ChalkInstance } from 'chalk';
import { formatUnits } from '../core/amount.js';
import type { TraceResult } from '../core/result.js';
import { type CsvTable, renderCsv } from './csv.js';
import { renderEdgesCsv, renderNodesCsv } from './export/csv.js';
import { checkDocs } from './export/doc.js';
import { exportTrailGraph } from './export/graph.js';
import { renderMultiJson, toMultiJsonObject } from './json.js';
import { stringifySafe, termSafe } from './sanitize.js';

export { renderMultiJson, toMultiJsonObject };

import { renderTable, type TableOptions, table } from './table.js';

export function renderMultiNdjson(parts: readonly TraceResult[]): string {
  const j = toMultiJsonObject(parts);
  const lines: unknown[] = [
    { type: 'query', schema: j.schema, generator: j.generator, query: j.query },
    ...j.summary.perAsset.map((s) => ({ type: 'summary', summary: s })),
    ...j.exposure.perAsset.map((e) => ({ type: 'exposure', exposure: e })),
    ...j.graph.nodes.map((n) => ({ type: 'node', ...n })),
    ...j.graph.edges.map((e) => ({ type: 'edge', ...e })),
    ...j.warnings.map((w) => ({ type: 'warning', message: w })),
  ];
  return lines.map((l) => stringifySafe(l)).join('\n') + '\n';
}

/** One CSV: the header once, then every asset's rows (each row names its asset). */
export function renderMultiCsv(parts: readonly TraceResult[], table: CsvTable): string {
  let out = '';
  parts.forEach((p, i) => {
    const text = renderCsv(p, table);
    out += i === 0 ? text : text.slice(text.indexOf('\n') + 1);
  });
  return out;
}

export function renderMultiTable(
  parts: readonly TraceResult[],
  c: ChalkInstance,
  opts: TableOptions = {},
): string {
  const crossChain = parts.some((p) => p.query.chain !== parts[0]!.query.chain);
  const title = (p: TraceResult) =>
    termSafe(crossChain ? `${p.outcome.asset.symbol} on ${p.query.chain}` : p.outcome.asset.symbol);
  return parts
    .map((p) => `${c.bold.inverse(` ${title(p)} `)}\n${renderTable(p, c, opts)}`)
    .join('\n' + '─'.repeat(Math.min(78, opts.width && opts.width >= 40 ? opts.width : 78)) + '\n');
}

/**
 * A trace that followed conversions, as a table: what was converted into what (each amount in its
 * own asset), then the trace in each asset, starting with the one the trace started in.
 */
export function renderConversionTable(r: TraceResult, c: ChalkInstance, opts: TableOptions = {}): string {
  const parts = [r, ...(r.parts ?? [])];
  const info = new Map(parts.map((p) => [`${p.query.chain}\u0000${p.outcome.asset.key}`, p.outcome.asset]));
  const amt = (v: bigint, chain: string, key: string) => {
    const a = info.get(`${chain}\u0000${key}`);
    return a ? `${formatUnits(v, a.decimals)} ${termSafe(a.symbol)}` : `${v} ${termSafe(key)}`;
  };
  const width = opts.width !== undefined && opts.width >= 40 ? opts.width - 2 : undefined;
  const head: string[] = [];
  const conv = parts.flatMap((p) => (p.outcome.conversions ?? []).map((x) => ({ x, chain: p.query.chain })));
  if (conv.length > 0) {
    const rows: string[][] = [
      ['hop', 'address', 'via', 'traced in', 'traced out', 'tx'].map((x) => c.dim(x)),
    ];
    for (const { x, chain } of conv)
      rows.push([
        String(x.hop),
        termSafe(x.node),
        x.via,
        `${amt(x.from.tainted, chain, x.from.asset)} of ${amt(x.from.value, chain, x.from.asset)}`,
        `${amt(x.to.tainted, chain, x.to.asset)} of ${amt(x.to.value, chain, x.to.asset)}`,
        termSafe(x.tx),
      ]);
    head.push(
      c.bold.underline('Conversions'),
      '  The traced value changed asset here; the trace went on in the asset that came out. Each asset',
      '  keeps its own totals below (amounts are never added across assets).',
      ...table(rows, ['r', 'l', 'l', 'r', 'r', 'l'], width, [{ shrink: { 1: 12, 5: 12 } }]).map(
        (l) => `  ${l}`,
      ),
      '',
    );
  }
  if (r.links && r.links.length > 0) {
    const rows: string[][] = [
      ['bridge', 'look up', 'from', 'to', 'recipient', 'tainted in', 'tainted out'].map((x) => c.dim(x)),
    ];
    const assetOf = (chain: string, edge: string | null) =>
      parts.find((p) => p.query.chain === chain && edge !== null && p.outcome.graph.hasEdge(edge))?.outcome
        .asset;
    const fmt = (v: bigint, a: { symbol: string; decimals: number } | undefined) =>
      a ? `${formatUnits(v, a.decimals)} ${termSafe(a.symbol)}` : String(v);
    for (const l of r.links)
      rows.push([
        termSafe(l.heuristic ? `${l.protocol} (heuristic, ${l.heuristic.confidence})` : l.protocol),
        termSafe(l.identifier),
        termSafe(l.from.chain),
        termSafe(l.to.chain),
        termSafe(l.to.recipient),
        fmt(l.from.tainted, assetOf(l.from.chain, l.from.edge)),
        fmt(l.to.tainted, assetOf(l.to.chain, l.to.edge)),
      ]);
    head.push(
      c.bold.underline('Bridges followed'),
      "  Each deposit was joined to its destination leg by the protocol's own identifier (or, where",
      '  marked heuristic, by amount and time with --follow-candidates); the trace goes on from the',
      '  recipient on the destination chain (sections below).',
      ...table(rows, ['l', 'l', 'l', 'l', 'l', 'r', 'r'], width, [{ shrink: { 4: 13 } }, { drop: 1 }]).map(
        (l) => `  ${l}`,
      ),
      '',
    );
  }
  return `${head.join('\n')}\n${renderMultiTable(parts, c, opts)}`;
}

/**
 * CSV of a trace that followed conversions or bridges. Edges and nodes: the one graph across its
 * parts, exactly as `export --format csv` writes it from the JSON (one header, conversion and
 * bridge columns on every row, a row per followed bridge); appending each part's CSV under the
 * first part's header gave rows with fewer cells where a part had no conversion. With --fiat
 * (whose columns are per part) and for the other tables: the parts one after another.
 */
export function renderConversionCsv(r: TraceResult, table: CsvTable): string {
  const parts = [r, ...(r.parts ?? [])];
  if ((table !== 'edges' && table !== 'nodes') || parts.some((p) => p.fiat))
    return renderMultiCsv(parts, table);
  const docs = checkDocs(JSON.parse(renderMultiJson(parts, r)), 'the trace result');
  const g = exportTrailGraph(docs);
  return table === 'nodes' ? renderNodesCsv(g) : renderEdgesCsv(g);
}

/**
 * NDJSON of a trace that followed conversions or bridges: the multi-asset lines, then one line per
 * conversion and one per bridge followed (both legs), as in the JSON's `conversions` and `bridges`.
 */
export function renderConversionNdjson(r: TraceResult): string {
  const j = toMultiJsonObject([r, ...(r.parts ?? [])], r) as { conversions?: unknown[]; bridges?: unknown[] };
  const extra = [
    ...(j.conversions ?? []).map((x) => stringifySafe({ type: 'conversion', ...(x as object) })),
    ...(j.bridges ?? []).map((x) => stringifySafe({ type: 'bridge', ...(x as object) })),
  ];
  return renderMultiNdjson([r, ...(r.parts ?? [])]) + (extra.length > 0 ? `${extra.join('\n')}\n` : '');
}
