// CSV output: edges (default), exits (for a request letter), at-rest funds, or nodes.
import { formatUnits } from '../core/amount.js';
import type { TraceResult } from '../core/result.js';
import { fiatCsvEdge, fiatCsvHead, fiatCsvHeld } from './fiat-csv.js';
import { csvRow } from './sanitize.js';

export type CsvTable = 'edges' | 'exits' | 'atrest' | 'nodes';
export const CSV_TABLES: readonly CsvTable[] = ['edges', 'exits', 'atrest', 'nodes'];

export function renderCsv(r: TraceResult, table: CsvTable = 'edges'): string {
  const a = r.outcome.asset;
  const fmt = (v: bigint) => formatUnits(v, a.decimals);
  const g = r.outcome.graph;
  const addr = (key: string) => g.getNodeAttribute(key, 'address');
  let out = '';
  if (table === 'edges') {
    out += csvRow([
      'edge',
      'hop',
      'tx',
      'index',
      'kind',
      'time',
      'height',
      'from',
      'to',
      'asset',
      'value',
      'tainted',
      'value_base_units',
      'tainted_base_units',
      ...fiatCsvHead(r, 'tainted'),
    ]);
    const rows = g.mapEdges((key, e, s, t) => ({ key, e, s, t }));
    rows.sort((x, y) => x.e.hop - y.e.hop || (x.key < y.key ? -1 : 1));
    for (const { key, e, s, t } of rows) {
      out += csvRow([
        key,
        e.hop,
        e.tx,
        e.index,
        e.kind,
        e.time,
        e.height,
        addr(s),
        addr(t),
        a.symbol,
        fmt(e.value),
        fmt(e.tainted),
        e.value,
        e.tainted,
        ...fiatCsvEdge(r, key),
      ]);
    }
  } else if (table === 'exits') {
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
  } else {
    out += csvRow([
      'node',
      'address',
      'asset',
      'hop',
      'seed',
      'entity',
      'category',
      'received',
      'sent',
      'tainted',
      'stop',
    ]);
    const rows = g.mapNodes((key, n) => ({ key, n }));
    rows.sort((x, y) => x.n.hop - y.n.hop || (x.key < y.key ? -1 : 1));
    for (const { key, n } of rows) {
      out += csvRow([
        key,
        n.address,
        a.symbol,
        n.hop,
        n.seed,
        n.cluster?.entity,
        n.cluster?.category,
        fmt(n.received),
        fmt(n.sent),
        fmt(n.tainted),
        n.stop,
      ]);
    }
  }
  return out;
}
