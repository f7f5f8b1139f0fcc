// CSV output: edges (default), exits (for a request letter), at-rest funds, or nodes.
import { formatUnits } from '../core/amount.js';
import type { TraceResult } from '../core/result.js';
import type { CsvTable } from './csv-tables.js';
import { renderEdgesCsv, renderNodesCsv } from './export/csv.js';
import { docOf } from './export/doc.js';
import { exportGraph } from './export/graph.js';
import { fiatCsvEdge, fiatCsvHead, fiatCsvHeld } from './fiat-csv.js';
import { csvRow } from './sanitize.js';

export { CSV_TABLES, type CsvTable } from './csv-tables.js';

export function renderCsv(r: TraceResult, table: CsvTable = 'edges'): string {
  const a = r.outcome.asset;
  const fmt = (v: bigint) => formatUnits(v, a.decimals);
  let out = '';
  // Edges and nodes: the one graph CSV writer (src/report/export/csv.ts), as `export --format csv`;
  // with --fiat, the edges gain the fiat columns of their tainted value.
  if (table === 'edges')
    return renderEdgesCsv(exportGraph(docOf(r)), {
      head: fiatCsvHead(r, 'tainted'),
      row: (key) => fiatCsvEdge(r, key),
    });
  if (table === 'nodes') return renderNodesCsv(exportGraph(docOf(r)));
  if (table === 'exits') {
    out += csvRow([
      'entity',
      'category',
      'kind',
      'address',
      'likely_deposit_address',
      'asset',
      'value',
      'tainted',
      'tx',
      'time',
      'block',
      'hop',
      'edge',
      'tainted_base_units',
      ...fiatCsvHead(r, 'tainted'),
    ]);
    for (const x of r.summary.exits) {
      out += csvRow([
        x.entity,
        x.category,
        x.kind,
        x.address,
        x.depositAddress,
        a.symbol,
        fmt(x.value),
        fmt(x.tainted),
        x.tx,
        x.time,
        x.height,
        x.hop,
        x.edge,
        x.tainted,
        ...fiatCsvEdge(r, x.edge),
      ]);
    }
  } else if (table === 'atrest') {
    out += csvRow([
      'address',
      'asset',
      'tainted_at_rest',
      'hop',
      'tainted_base_units',
      ...fiatCsvHead(r, 'arrival'),
      ...fiatCsvHead(r, 'as_of'),
    ]);
    for (const h of r.summary.atRest)
      out += csvRow([
        h.address,
        a.symbol,
        fmt(h.amount),
        h.hop,
        h.amount,
        ...fiatCsvHeld(r, h.address, false),
        ...fiatCsvHeld(r, h.address, true),
      ]);
  }
  return out;
}
