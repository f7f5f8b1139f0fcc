// Graphviz DOT: left to right, one rank per hop (`rank=same` subgraphs), colours by category,
// pen width by tainted value. Every id and value is a double-quoted DOT string (`"` and `\` escaped).
import {
  type ExportGraph,
  edgeCaption,
  edgeFiatProperties,
  edgeLinkProperties,
  nodeAmount,
  nodeColor,
  nodeHopLine,
} from './graph.js';

/** A DOT quoted string: backslash and double quote escaped; no newlines (inputs are termSafe). */
export const dotQuote = (s: string | number | boolean) =>
  `"${String(s)
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[\r\n]/g, ' ')}"`;

const attrs = (a: Record<string, string | number | boolean | null>) =>
  Object.entries(a)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${dotQuote(v as string | number | boolean)}`)
    .join(', ');

/** Pen width 1–6 from the tainted share of the largest edge (display only). */
export function widthOf(tainted: string, max: bigint, lo = 1, hi = 6): number {
  const t = BigInt(tainted);
  if (max <= 0n || t <= 0n) return lo;
  const permille = Number((t * 1000n) / max);
  return Math.round((lo + ((hi - lo) * permille) / 1000) * 10) / 10;
}

export function renderDot(g: ExportGraph): string {
  const out = [
    'digraph fundtrace {',
    '  rankdir=LR;',
    '  graph [fontname="Helvetica", ranksep=1.2, nodesep=0.3];',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const hops = [...new Set(g.nodes.map((n) => n.hop))].sort((a, b) => a - b);
  for (const h of hops) {
    const ids = g.nodes.filter((n) => n.hop === h).map((n) => dotQuote(n.key));
    out.push(`  { rank=same; ${ids.join('; ')}; }`);
  }
  for (const n of g.nodes) {
    // Each line escaped on its own, then joined by DOT's `\n`: a literal backslash-n in a label stays text.
    const caption = [n.label, nodeHopLine(n, g), nodeAmount(n, g)]
      .map((part) => dotQuote(part).slice(1, -1))
      .join('\\n');
    out.push(
      `  ${dotQuote(n.key)} [${attrs({ address: n.address, entity: n.entity, category: n.category, hop: n.hop, seed: n.seed, stop: n.stop, tainted: n.tainted, fillcolor: nodeColor(n), tooltip: n.labels || n.address })}, label="${caption}"];`,
    );
  }
  // Pen widths compare amounts of one asset only (base units of ETH and USDT are not comparable).
  const max = new Map<string, bigint>();
  for (const e of g.edges) {
    const m = max.get(e.asset) ?? 0n;
    if (BigInt(e.tainted) > m) max.set(e.asset, BigInt(e.tainted));
  }
  for (const e of g.edges) {
    // A conversion (self-loop) and a bridge to another chain are drawn apart from plain movements.
    const style: Record<string, string> = e.bridge
      ? { style: 'dashed', color: '#0096c7' }
      : e.conversion
        ? { style: 'bold', color: '#43aa8b' }
        : {};
    out.push(
      `  ${dotQuote(e.source)} -> ${dotQuote(e.target)} [${attrs({ key: e.key, label: edgeCaption(e, g), tx: e.tx, time: e.time, kind: e.conversion || e.bridge ? e.kind : null, asset: e.asset, value: e.value, tainted: e.tainted, hop: e.hop, penwidth: widthOf(e.tainted, max.get(e.asset) ?? 0n), ...style, ...edgeFiatProperties(e, g), ...edgeLinkProperties(e) })}];`,
    );
  }
  out.push('}');
  return out.join('\n') + '\n';
}
