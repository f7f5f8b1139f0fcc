// GEXF 1.3 through graphology-gexf (Gephi's native format). Nodes carry label, entity, category,
// hop and amounts; edges asset, value, tainted value, tx and time; positions by hop for Gephi.
import { MultiDirectedGraph } from 'graphology';
import * as gexf from 'graphology-gexf';
import { type ExportGraph, edgeFiatProperties, edgeLinkProperties, nodeProperties } from './graph.js';

export function renderGexf(g: ExportGraph): string {
  const graph = new MultiDirectedGraph();
  for (const n of g.nodes) {
    graph.addNode(n.key, nodeProperties(n, g));
  }
  for (const e of g.edges) {
    graph.addDirectedEdgeWithKey(e.key, e.source, e.target, {
      label: e.label,
      tx: e.tx,
      index: e.index,
      kind: e.kind,
      time: e.time,
      height: e.height ?? undefined,
      hop: e.hop,
      asset: e.asset,
      value: e.value,
      tainted: e.tainted,
      value_display: e.valueDisplay,
      tainted_display: e.taintedDisplay,
      ...edgeFiatProperties(e, g),
      ...edgeLinkProperties(e),
    });
  }
  return gexf.write(graph, { version: '1.3', pretty: true }) + '\n';
}
