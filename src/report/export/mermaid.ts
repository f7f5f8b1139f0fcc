// Mermaid flowcharts: the whole graph (`export --format mermaid`) or the main paths only (the
// Markdown report: the top N flows by tainted value, everything else aggregated per hop).
// Labels are double-quoted Mermaid strings with every character that could end the string, start
// markup or an entity written as a Mermaid entity code (#quot; #35; …).
import { formatUnits } from '../../core/amount.js';
import { type ExportGraph, edgeCaption, nodeAmount, nodeHopLine } from './graph.js';

/** Text safe inside a quoted Mermaid label. Inputs are termSafe already (no newlines). */
export function mermaidText(s: string): string {
  return s.replace(/[#"<>&`|;{}[\]()\\]/g, (c) => (c === '"' ? '#quot;' : `#${c.charCodeAt(0)};`));
}

/** Inverse of mermaidText (tests, and anyone reading the labels back). */
export function mermaidUnescape(s: string): string {
  return s.replace(/#quot;/g, '"').replace(/#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)));
}

const CLASSES = `  classDef seed fill:#f5c542,stroke:#8a6d00,color:#111
  classDef flagged fill:#f8c9c9,stroke:#b3001b,color:#111
  classDef service fill:#cfe3f6,stroke:#1f77b4,color:#111
  classDef mixer fill:#e4d4f4,stroke:#7b2cbf,color:#111
  classDef other fill:#eef0f3,stroke:#8a94a6,color:#333,stroke-dasharray:4 3`;

function classOf(n: { seed: boolean; category: string; flagged: boolean }): string | null {
  if (n.seed) return 'seed';
  if (n.category === 'mixer') return 'mixer';
  if (n.flagged) return 'flagged';
  if (n.category) return 'service';
  return null;
}

const short = (a: string) => (a.length > 18 ? `${a.slice(0, 10)}…${a.slice(-6)}` : a);

function nodeCaption(n: ExportGraph['nodes'][number], g: ExportGraph): string {
  const name = n.entity ? n.label : short(n.address);
  return `${mermaidText(name)}<br/>${mermaidText(nodeHopLine(n, g))}<br/>${mermaidText(nodeAmount(n, g))}`;
}

/** Every node and edge. Node ids are n0, n1 … in JSON order; `%%` comments map them to keys. */
export function renderMermaid(g: ExportGraph): string {
  const id = new Map(g.nodes.map((n, i) => [n.key, `n${i}`]));
  const out = ['flowchart LR'];
  g.nodes.forEach((n, i) => {
    out.push(`  %% n${i} = ${mermaidText(n.key)}`);
    out.push(`  n${i}["${nodeCaption(n, g)}"]`);
  });
  // A bridge to another chain is dashed: value changed chain there, it did not move in one tx.
  for (const e of g.edges)
    out.push(
      `  ${id.get(e.source)} ${e.bridge ? '-.->' : '-->'}|"${mermaidText(edgeCaption(e, g))}"| ${id.get(e.target)}`,
    );
  out.push(CLASSES);
  g.nodes.forEach((n, i) => {
    const c = classOf(n);
    if (c) out.push(`  class n${i} ${c}`);
  });
  return out.join('\n') + '\n';
}

/**
 * The main paths: the largest flows of the summary (summary.largestFlows, up to `top`) and their
 * endpoints, plus every named or flagged node (an exit, a flagged cluster, a mixer is never folded
 * away); every other edge is merged into flows to and from one "other addresses" node per hop, so
 * the totals still add up.
 */
export function renderMermaidFlows(g: ExportGraph, decimals: number, top = 12): string {
  const byKey = new Map(g.edges.map((e) => [e.key, e]));
  const kept = g.largest
    .map((k) => byKey.get(k))
    .filter((e): e is ExportGraph['edges'][number] => e !== undefined && BigInt(e.tainted) > 0n)
    .slice(0, top);
  const keptNodes = new Set<string>();
  for (const n of g.nodes) if (n.seed || n.entity !== '' || n.flagged) keptNodes.add(n.key);
  for (const e of kept) {
    keptNodes.add(e.source);
    keptNodes.add(e.target);
  }
  // An edge between two kept nodes is drawn as itself, not merged into an "other" flow.
  for (const e of g.edges)
    if (!kept.includes(e) && BigInt(e.tainted) > 0n && keptNodes.has(e.source) && keptNodes.has(e.target))
      kept.push(e);
  const nodeByKey = new Map(g.nodes.map((n) => [n.key, n]));
  const id = new Map<string, string>();
  const out = ['flowchart LR'];
  let i = 0;
  for (const n of g.nodes) {
    if (!keptNodes.has(n.key)) continue;
    id.set(n.key, `n${i}`);
    out.push(`  n${i}["${nodeCaption(n, g)}"]`);
    i++;
  }
  // Aggregate the rest per (from, to) where an end that is not kept becomes "other at hop h".
  const others = new Map<number, Set<string>>();
  const endpoint = (key: string) => {
    if (keptNodes.has(key)) return id.get(key)!;
    const hop = nodeByKey.get(key)?.hop ?? 0;
    const set = others.get(hop) ?? new Set<string>();
    others.set(hop, set);
    set.add(key);
    return `o${hop}`;
  };
  const keptKeys = new Set(kept.map((e) => e.key));
  const flows = new Map<string, { from: string; to: string; tainted: bigint; count: number }>();
  for (const e of g.edges) {
    if (keptKeys.has(e.key)) continue;
    if (BigInt(e.tainted) === 0n) continue;
    const from = endpoint(e.source);
    const to = endpoint(e.target);
    const k = `${from}>${to}`;
    const f = flows.get(k) ?? { from, to, tainted: 0n, count: 0 };
    f.tainted += BigInt(e.tainted);
    f.count++;
    flows.set(k, f);
  }
  for (const [hop, set] of [...others].sort(([a], [b]) => a - b))
    out.push(
      `  o${hop}["${mermaidText(`${set.size} other address${set.size === 1 ? '' : 'es'}`)}<br/>hop ${hop}"]`,
    );
  // A conversion (self-loop) says what came out: "400 USDT" alone would read as a movement.
  for (const e of kept)
    out.push(
      `  ${id.get(e.source)} -->|"${mermaidText(e.conversion ? edgeCaption(e, {}) : `${e.taintedDisplay} ${e.asset}`)}"| ${id.get(e.target)}`,
    );
  for (const f of [...flows.values()].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1))) {
    const label = `${formatUnits(f.tainted, decimals)} ${g.asset} in ${f.count} movement${f.count === 1 ? '' : 's'}`;
    out.push(`  ${f.from} -.->|"${mermaidText(label)}"| ${f.to}`);
  }
  out.push(CLASSES);
  for (const n of g.nodes) {
    const c = id.has(n.key) ? classOf(n) : null;
    if (c) out.push(`  class ${id.get(n.key)} ${c}`);
  }
  for (const hop of others.keys()) out.push(`  class o${hop} other`);
  return out.join('\n') + '\n';
}
