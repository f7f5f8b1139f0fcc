// NDJSON output: one self-describing object per line (query, summary, exposure, each node, each
// edge, each warning), in the same deterministic order as the JSON output.
import type { TraceResult } from '../core/result.js';
import { toJsonObject } from './json.js';
import { stringifySafe } from './sanitize.js';

export function renderNdjson(r: TraceResult): string {
  const j = toJsonObject(r);
  const lines: unknown[] = [
    { type: 'query', schema: j.schema, generator: j.generator, query: j.query },
    { type: 'summary', summary: j.summary },
    { type: 'exposure', exposure: j.exposure },
    ...j.graph.nodes.map((n) => ({ type: 'node', ...n })),
    ...j.graph.edges.map((e) => ({ type: 'edge', ...e })),
    ...j.warnings.map((w) => ({ type: 'warning', message: w })),
  ];
  return lines.map((l) => stringifySafe(l)).join('\n') + '\n';
}
