// `fundtrace export`: the trace graph in the formats graph tools read.

import { markCsvNotEvidence, NOT_EVIDENCE_MARK } from '../sanitize.js';
import { edgeFiatColumns, renderEdgesCsv, renderNodesCsv } from './csv.js';
import { renderCypher } from './cypher.js';
import type { TraceDoc } from './doc.js';
import { renderDot } from './dot.js';
import { renderGexf } from './gexf.js';
import { type ExportGraph, exportGraph, exportTrailGraph } from './graph.js';
import { renderGraphml } from './graphml.js';
import { renderMermaid } from './mermaid.js';

export const EXPORT_FORMATS = ['gexf', 'graphml', 'dot', 'mermaid', 'cypher', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function renderExport(
  doc: TraceDoc,
  format: ExportFormat,
  table: 'nodes' | 'edges' = 'edges',
): string {
  return marked(doc, format, renderGraph(exportGraph(doc), format, table));
}

/**
 * A trace that followed conversions or bridges (checkDocs' parts, each with its `trail`): one graph
 * across its assets and chains, conversion self-loops and bridge edges typed (exportTrailGraph).
 */
export function renderTrailExport(
  docs: readonly TraceDoc[],
  format: ExportFormat,
  table: 'nodes' | 'edges' = 'edges',
): string {
  return marked(docs[0]!, format, renderGraph(exportTrailGraph(docs), format, table));
}

function marked(doc: TraceDoc, format: ExportFormat, text: string): string {
  // A workshop copy (`case redact --workshop`) says so in every format that has comments.
  if (!doc.warnings.some((w) => typeof w === 'string' && w.startsWith('NOT EVIDENCE'))) return text;
  if (format === 'gexf' || format === 'graphml') {
    const i = text.startsWith('<?xml') ? text.indexOf('\n') + 1 : 0;
    return `${text.slice(0, i)}<!-- ${NOT_EVIDENCE_MARK} -->\n${text.slice(i)}`;
  }
  if (format === 'dot' || format === 'cypher') return `// ${NOT_EVIDENCE_MARK}\n${text}`;
  if (format === 'mermaid') {
    const i = text.indexOf('\n') + 1;
    return `${text.slice(0, i)}%% ${NOT_EVIDENCE_MARK}\n${text.slice(i)}`;
  }
  return markCsvNotEvidence(text); // CSV has no comments: a column on every row instead
}

function renderGraph(g: ExportGraph, format: ExportFormat, table: 'nodes' | 'edges'): string {
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
      return table === 'nodes' ? renderNodesCsv(g) : renderEdgesCsv(g, edgeFiatColumns(g));
  }
}

export { type LoadedInput, loadTraceInput, type TraceDoc } from './doc.js';
export { exportGraph, exportTrailGraph } from './graph.js';
