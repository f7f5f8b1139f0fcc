// `--asset all`: one trace per asset (each asset keeps its own ledger), rendered together. The
// JSON keeps the contract's top-level keys: `summary` and `exposure` hold one entry per asset, and
// the graph is the union, with each node's amounts listed per asset (never added across assets).
import type { ChalkInstance } from 'chalk';
import type { TraceResult } from '../core/result.js';
import { type CsvTable, renderCsv } from './csv.js';
import { amountJson, toJsonObject } from './json.js';
import { stringifySafe, termSafe } from './sanitize.js';
import { renderTable, type TableOptions } from './table.js';

type Json = ReturnType<typeof toJsonObject>;
type NodeJson = Json['graph']['nodes'][number];

export function toMultiJsonObject(parts: readonly TraceResult[]) {
  const objs = parts.map(toJsonObject);
  const first = objs[0]!;
  const nodes = new Map<
    string,
    {
      key: string;
      attributes: Omit<NodeJson['attributes'], 'received' | 'sent' | 'tainted'> & Record<string, unknown>;
    }
  >();
  const amounts = new Map<string, { received: unknown[]; sent: unknown[]; tainted: unknown[] }>();
  // Hop, seed and stop of each node in each asset's own trace (null where it is not in it).
  const perAsset = new Map<string, ({ hop: number; seed: boolean; stop: string | null } | null)[]>();
  parts.forEach((p, i) => {
    const a = p.outcome.asset;
    for (const n of objs[i]!.graph.nodes) {
      const { received: _r, sent: _s, tainted: _t, ...rest } = n.attributes;
      const prev = nodes.get(n.key);
      if (!prev) nodes.set(n.key, { key: n.key, attributes: { ...rest } });
      else {
        prev.attributes.hop = Math.min(prev.attributes.hop, rest.hop);
        prev.attributes.seed ||= rest.seed;
        prev.attributes.stop ??= rest.stop;
      }
      // One entry per asset of query.assets, in its order (zero where the node is not in that
      // asset's trace), so entry k is always asset k's amount.
      const zeros = () => parts.map((q) => amountJson(0n, q.outcome.asset));
      const m = amounts.get(n.key) ?? { received: zeros(), sent: zeros(), tainted: zeros() };
      const attrs = p.outcome.graph.getNodeAttributes(n.key);
      m.received[i] = amountJson(attrs.received, a);
      m.sent[i] = amountJson(attrs.sent, a);
      m.tainted[i] = amountJson(attrs.tainted, a);
      amounts.set(n.key, m);
      const pa = perAsset.get(n.key) ?? parts.map(() => null);
      pa[i] = { hop: rest.hop, seed: rest.seed, stop: rest.stop };
      perAsset.set(n.key, pa);
    }
  });
  const byKey = (
    x: { key: string; attributes: { hop: number } },
    y: { key: string; attributes: { hop: number } },
  ) => x.attributes.hop - y.attributes.hop || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
  return {
    schema: first.schema,
    generator: first.generator,
    query: {
      ...first.query,
      asset: 'all',
      assets: objs.map((o) => o.query.asset),
      // Limits and dust are amounts of one asset: each asset's own (query.limits is the first's).
      perAsset: objs.map((o) => ({
        limits: o.query.limits,
        ...(o.query.options ? { options: o.query.options } : {}),
      })),
    },
    summary: { perAsset: objs.map((o) => ({ asset: o.query.asset, ...o.summary })) },
    exposure: { perAsset: objs.map((o) => ({ asset: o.query.asset, ...o.exposure })) },
    graph: {
      nodes: [...nodes.values()]
        .map((n) => ({
          key: n.key,
          attributes: { ...n.attributes, ...amounts.get(n.key)!, perAsset: perAsset.get(n.key)! },
        }))
        .sort(byKey),
      edges: objs.flatMap((o) => o.graph.edges).sort(byKey),
    },
    warnings: objs.flatMap((o) => o.warnings.map((w) => `${o.query.asset.symbol}: ${w}`)),
  };
}

export const renderMultiJson = (parts: readonly TraceResult[]) =>
  stringifySafe(toMultiJsonObject(parts), 2) + '\n';

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
  return parts
    .map((p) => `${c.bold.inverse(` ${termSafe(p.outcome.asset.symbol)} `)}\n${renderTable(p, c, opts)}`)
    .join('\n' + '─'.repeat(Math.min(78, opts.width && opts.width >= 40 ? opts.width : 78)) + '\n');
}
