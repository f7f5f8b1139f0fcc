// `fundtrace diff A B`: what changed between two trace results (a re-trace after new blocks,
// another model, a new label file). Compares the JSON documents `trace --format json` writes:
// flows (graph edges by key, tainted value), terminals, exposure items, exits and funds at rest.
// Amounts are compared as base-unit integers; the difference is B − A.
import { formatUnits } from '../core/amount.js';
import { termSafe } from './sanitize.js';

interface Amt {
  value: string;
  asset: string;
  decimals: number;
  display?: string;
}
interface EdgeJ {
  key: string;
  source: string;
  target: string;
  attributes: { tx: string; hop: number; tainted: Amt; value: Amt };
}
interface ExpItem {
  category: string;
  entity: string;
  flagged: boolean;
  value: Amt;
  share: string | null;
  minHops: number;
  /** "graphsense" when GraphSense tags attributed the item (kept apart from a label's). */
  via?: string;
}
export interface TraceJsonDoc {
  schema?: string;
  query: Record<string, unknown> & {
    seed: string;
    chain: string;
    model: string;
    hops: number;
    labels: string[];
  };
  summary: {
    traced: Amt;
    terminals: Record<string, Amt>;
    atRest: { address: string; amount: Amt; hop: number }[];
    exits: { entity: string; category: string; address: string; tainted: Amt; edge: string }[];
  };
  exposure: { direct: ExpItem[]; indirect: ExpItem[] };
  graph: { edges: EdgeJ[] };
}

export interface Change {
  /** What the row is about: an edge key, a terminal kind, "direct scam AngelDrainer kit", an address. */
  key: string;
  detail?: string;
  a: string | null;
  b: string | null;
  /** B − A in base units (a missing side counts as 0). */
  delta: string;
}

export interface TraceDiff {
  schema: 'fundtrace.diff/1';
  a: { seed: string; chain: string; asset: string; decimals: number };
  b: { seed: string; chain: string; asset: string; decimals: number };
  /** Query fields that differ (labels, model, hops, bounds …), as JSON text. */
  query: { field: string; a: string; b: string }[];
  traced: Change | null;
  flows: { added: Change[]; removed: Change[]; changed: Change[] };
  terminals: Change[];
  exposure: { added: Change[]; removed: Change[]; changed: Change[] };
  atRest: { added: Change[]; removed: Change[]; changed: Change[] };
  identical: boolean;
}

const big = (a: Amt | undefined) => (a ? BigInt(a.value) : 0n);
const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

function keyed<T>(
  aItems: readonly T[],
  bItems: readonly T[],
  key: (t: T) => string,
  amount: (t: T) => bigint,
  detail: (t: T) => string | undefined,
) {
  const A = new Map(aItems.map((t) => [key(t), t]));
  const B = new Map(bItems.map((t) => [key(t), t]));
  const out = { added: [] as Change[], removed: [] as Change[], changed: [] as Change[] };
  for (const k of [...new Set([...A.keys(), ...B.keys()])].sort(cmp)) {
    const a = A.get(k);
    const b = B.get(k);
    const va = a ? amount(a) : 0n;
    const vb = b ? amount(b) : 0n;
    const d = (b ? detail(b) : undefined) ?? (a ? detail(a) : undefined);
    const row: Change = {
      key: k,
      ...(d ? { detail: d } : {}),
      a: a ? va.toString() : null,
      b: b ? vb.toString() : null,
      delta: (vb - va).toString(),
    };
    if (!a) out.added.push(row);
    else if (!b) out.removed.push(row);
    else if (va !== vb) out.changed.push(row);
  }
  return out;
}

export function diffTraces(a: TraceJsonDoc, b: TraceJsonDoc): TraceDiff {
  const side = (t: TraceJsonDoc) => ({
    seed: t.query.seed,
    chain: t.query.chain,
    asset: t.summary.traced.asset,
    decimals: t.summary.traced.decimals,
  });
  const query: TraceDiff['query'] = [];
  for (const f of [...new Set([...Object.keys(a.query), ...Object.keys(b.query)])].sort(cmp)) {
    const ja = JSON.stringify(a.query[f] ?? null);
    const jb = JSON.stringify(b.query[f] ?? null);
    if (ja !== jb) query.push({ field: f, a: ja, b: jb });
  }
  const ta = big(a.summary.traced);
  const tb = big(b.summary.traced);
  const traced =
    ta === tb ? null : { key: 'traced', a: ta.toString(), b: tb.toString(), delta: (tb - ta).toString() };
  const flows = keyed(
    a.graph.edges,
    b.graph.edges,
    (e) => e.key,
    (e) => big(e.attributes.tainted),
    (e) => `hop ${e.attributes.hop} ${e.source.replace(/^[^:]+:/, '')} → ${e.target.replace(/^[^:]+:/, '')}`,
  );
  const kinds = [...new Set([...Object.keys(a.summary.terminals), ...Object.keys(b.summary.terminals)])];
  const terminals: Change[] = [];
  for (const k of kinds) {
    const va = big(a.summary.terminals[k]);
    const vb = big(b.summary.terminals[k]);
    if (va !== vb)
      terminals.push({ key: k, a: va.toString(), b: vb.toString(), delta: (vb - va).toString() });
  }
  const items = (t: TraceJsonDoc) => [
    ...t.exposure.direct.map((i) => ({ ...i, scope: 'direct' })),
    ...t.exposure.indirect.map((i) => ({ ...i, scope: 'indirect' })),
  ];
  const exposure = keyed(
    items(a),
    items(b),
    (i) => `${i.scope} ${i.category} ${i.entity}${i.via === 'graphsense' ? ' (via graphsense)' : ''}`,
    (i) => big(i.value),
    (i) => `${i.flagged ? 'flagged' : 'service'}, share ${i.share ?? '-'}, min hops ${i.minHops}`,
  );
  const atRest = keyed(
    a.summary.atRest,
    b.summary.atRest,
    (h) => h.address,
    (h) => big(h.amount),
    (h) => `hop ${h.hop}`,
  );
  const empty = (x: { added: Change[]; removed: Change[]; changed: Change[] }) =>
    x.added.length + x.removed.length + x.changed.length === 0;
  return {
    schema: 'fundtrace.diff/1',
    a: side(a),
    b: side(b),
    query,
    traced,
    flows,
    terminals,
    exposure,
    atRest,
    identical:
      query.length === 0 &&
      !traced &&
      empty(flows) &&
      terminals.length === 0 &&
      empty(exposure) &&
      empty(atRest),
  };
}

/** Parse and check that a JSON document is a trace result (what diff needs of it). */
export function asTraceJson(doc: unknown, name: string): TraceJsonDoc {
  const d = doc as Partial<TraceJsonDoc> | null;
  if (
    !d ||
    typeof d !== 'object' ||
    !d.query ||
    !d.summary?.terminals ||
    !d.summary.traced ||
    !d.exposure ||
    !Array.isArray(d.graph?.edges)
  )
    throw new Error(
      `${name} is not a trace result (fundtrace trace --format json): no query/summary/exposure/graph`,
    );
  return d as TraceJsonDoc;
}

const unit = (v: string | null, decimals: number, asset: string) =>
  v === null ? '—' : `${formatUnits(BigInt(v), decimals)} ${asset}`;
const signed = (v: string, decimals: number, asset: string) =>
  `${v.startsWith('-') ? '' : '+'}${formatUnits(BigInt(v), decimals)} ${asset}`;

interface Section {
  title: string;
  rows: { kind: string; row: Change }[];
}

function sections(d: TraceDiff): Section[] {
  const three = (x: { added: Change[]; removed: Change[]; changed: Change[] }) => [
    ...x.added.map((row) => ({ kind: 'added', row })),
    ...x.removed.map((row) => ({ kind: 'removed', row })),
    ...x.changed.map((row) => ({ kind: 'changed', row })),
  ];
  return [
    { title: 'Traced value', rows: d.traced ? [{ kind: 'changed', row: d.traced }] : [] },
    {
      title: 'Terminals (where the value ended)',
      rows: d.terminals.map((row) => ({ kind: 'changed', row })),
    },
    { title: 'Exposure', rows: three(d.exposure) },
    { title: 'Flows (tainted value per movement)', rows: three(d.flows) },
    { title: 'Funds at rest', rows: three(d.atRest) },
  ];
}

export function renderDiffTable(d: TraceDiff): string {
  const { decimals, asset } = d.b;
  const out: string[] = [
    `fundtrace diff · ${d.a.seed === d.b.seed ? d.a.seed : `${d.a.seed} vs ${d.b.seed}`} on ${d.b.chain} (${asset})`,
  ];
  if (d.identical) return `${out[0]}\nno difference\n`;
  if (d.query.length) {
    out.push('', 'Query');
    for (const q of d.query) out.push(`  ${q.field}: ${termSafe(q.a)} → ${termSafe(q.b)}`);
  }
  for (const s of sections(d)) {
    if (s.rows.length === 0) continue;
    out.push('', s.title);
    for (const { kind, row } of s.rows)
      out.push(
        `  ${kind.padEnd(8)} ${termSafe(row.key)}${row.detail ? ` (${termSafe(row.detail)})` : ''}: ${unit(row.a, decimals, asset)} → ${unit(row.b, decimals, asset)} (${signed(row.delta, decimals, asset)})`,
      );
  }
  return `${out.join('\n')}\n`;
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));

export function renderDiffMarkdown(d: TraceDiff): string {
  const { decimals, asset } = d.b;
  const out: string[] = [
    `# fundtrace diff`,
    '',
    `Seed \`${mdCell(d.b.seed)}\` on ${mdCell(d.b.chain)}, amounts in ${mdCell(asset)}; difference = B − A.`,
  ];
  if (d.identical) return `${out.join('\n')}\n\nNo difference.\n`;
  if (d.query.length) {
    out.push('', '## Query', '', '| field | A | B |', '| --- | --- | --- |');
    for (const q of d.query) out.push(`| ${q.field} | \`${mdCell(q.a)}\` | \`${mdCell(q.b)}\` |`);
  }
  for (const s of sections(d)) {
    if (s.rows.length === 0) continue;
    out.push(
      '',
      `## ${s.title}`,
      '',
      '| change | what | A | B | B − A |',
      '| --- | --- | ---: | ---: | ---: |',
    );
    for (const { kind, row } of s.rows)
      out.push(
        `| ${kind} | ${mdCell(termSafe(row.key))}${row.detail ? ` (${mdCell(termSafe(row.detail))})` : ''} | ${unit(row.a, decimals, asset)} | ${unit(row.b, decimals, asset)} | ${signed(row.delta, decimals, asset)} |`,
      );
  }
  return `${out.join('\n')}\n`;
}

export const renderDiffJson = (d: TraceDiff) => `${JSON.stringify(d, null, 2)}\n`;
