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

import { middle, renderTable, type TableOptions, table, wrap } from './table.js';

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
  const unit = (chain: string, key: string) => {
    const a = info.get(`${chain}\u0000${key}`);
    return a
      ? { symbol: termSafe(a.symbol), fmt: (v: bigint) => formatUnits(v, a.decimals) }
      : { symbol: termSafe(key), fmt: String };
  };
  /** "400 of 600 USDT": the tainted part of what moved, in the asset's units. */
  const part = (s: { asset: string; value: bigint; tainted: bigint }, chain: string) => {
    const u = unit(chain, s.asset);
    return `${u.fmt(s.tainted)} of ${u.fmt(s.value)} ${u.symbol}`;
  };
  const crossChain = parts.some((p) => p.query.chain !== r.query.chain);
  const width = opts.width !== undefined && opts.width >= 40 ? opts.width - 2 : undefined;
  const say = (text: string) =>
    wrap(`  ${text}`, opts.width !== undefined && opts.width >= 40 ? opts.width : undefined, '  ');
  const head: string[] = [];
  const conv = parts.flatMap((p) => (p.outcome.conversions ?? []).map((x) => ({ x, chain: p.query.chain })));
  if (conv.length > 0) {
    const rows: string[][] = [
      ['hop', 'address', 'via', 'tainted in', 'tainted out', 'tx'].map((x) => c.dim(x)),
    ];
    for (const { x, chain } of conv)
      rows.push([
        String(x.hop),
        termSafe(crossChain ? x.node : x.node.slice(x.node.indexOf(':') + 1)),
        x.via,
        part(x.from, chain),
        part(x.to, chain),
        termSafe(x.tx),
      ]);
    head.push(
      c.bold.underline('Conversions'),
      ...say(
        'The traced value changed asset here; the trace went on in the asset that came out. Each asset keeps its own totals below (amounts are never added across assets).',
      ),
      ...conversionLines(rows, width, c),
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
      ...say(
        "Each deposit was joined to its destination leg by the protocol's own identifier (or, where marked heuristic, by amount and time with --follow-candidates); the trace goes on from the recipient on the destination chain (sections below).",
      ),
      ...table(rows, ['l', 'l', 'l', 'l', 'l', 'r', 'r'], width, [
        { shrink: { 4: 13 } },
        { drop: 2 },
        { shrink: { 1: 16 } },
        { drop: 1 },
      ]).map((l) => `  ${l}`),
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

/**
 * The conversions table; where the terminal is too narrow for it (amounts are never cut), one short
 * record per conversion instead: hop, address, via, tx on a line, then what went in and came out.
 */
function conversionLines(rows: string[][], width: number | undefined, c: ChalkInstance): string[] {
  // Narrow: the tx left out first, then the address shortened in the middle.
  const lines = table(rows, ['r', 'l', 'l', 'r', 'r', 'l'], width, [{ drop: 5 }, { shrink: { 1: 13 } }]);
  const visible = (x: string) => x.replace(/\u001b\[[0-9;]*m/g, '').length;
  if (width === undefined || lines.every((l) => visible(l) <= width)) return lines.map((l) => `  ${l}`);
  // Addresses and tx ids shortened in the middle, as the tables do (--wide prints them in full).
  return rows.slice(1).flatMap(([hop, address, via, tin, tout, tx]) => {
    const line = `  hop ${hop}  ${middle(address!, 13)}  ${via}`;
    const withTx = `${line}  ${c.dim(`tx ${middle(tx!, 15)}`)}`;
    return [
      visible(withTx) <= width + 2 ? withTx : line,
      ...wrap(`    in   ${tin}`, width + 2, '         '),
      ...wrap(`    out  ${tout}`, width + 2, '         '),
    ];
  });
}
