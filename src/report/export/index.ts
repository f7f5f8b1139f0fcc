// `fundtrace export`: the trace graph in the formats graph tools read.
import { renderEdgesCsv, renderNodesCsv } from './csv.js';
import { renderCypher } from './cypher.js';
import type { TraceDoc } from './doc.js';
import { renderDot } from './dot.js';
import { renderGexf } from './gexf.js';
import { exportGraph } from './graph.js';
import { renderGraphml } from './graphml.js';
import { renderMermaid } from './mermaid.js';

export const EXPORT_FORMATS = ['gexf', 'graphml', 'dot', 'mermaid', 'cypher', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function renderExport(
  doc: TraceDoc,
  format: ExportFormat,
  table: 'nodes' | 'edges' = 'edges',
): string {
  const g = exportGraph(doc);
  switch (format) {
    case 'gexf':
      return renderGexf(g);
    case 'graphml':
      return renderGraphml(g);
    case 'dot':
      return renderDot(g);
    case 'mermaid':
      return renderMermaid(g);
    case 'cypher':
      return renderCypher(g);
    case 'csv':
      return table === 'nodes' ? renderNodesCsv(g) : renderEdgesCsv(g);
  }
}

export { type LoadedInput, loadTraceInput, type TraceDoc } from './doc.js';
export { exportGraph } from './graph.js';
