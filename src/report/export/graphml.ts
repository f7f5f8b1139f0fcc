// GraphML, written here (graphology-graphml only parses). Typed <key> declarations, one <data> per
// attribute; every value XML-escaped (htmlEscape's numeric references are valid XML).
import { htmlEscape } from '../sanitize.js';
import {
  EDGE_FIAT_FIELDS,
  EDGE_FIELDS,
  EDGE_LINK_FIELDS,
  type ExportGraph,
  edgeFiatProperties,
  edgeLinkProperties,
  NODE_FIELDS,
} from './graph.js';

const x = (v: string | number | boolean) => htmlEscape(String(v));

export function renderGraphml(g: ExportGraph): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    '    xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  for (const [name, type] of NODE_FIELDS)
    out.push(`  <key id="n_${name}" for="node" attr.name="${name}" attr.type="${type}"/>`);
  for (const [name, type] of EDGE_FIELDS)
    out.push(`  <key id="e_${name}" for="edge" attr.name="${name}" attr.type="${type}"/>`);
  // A --fiat result: each movement's money values (strings: exact decimals, never floats).
  if (g.fiat)
    for (const name of EDGE_FIAT_FIELDS)
      out.push(`  <key id="e_${name}" for="edge" attr.name="${name}" attr.type="string"/>`);
  // Conversions and bridges (declared only when the graph has any, so plain traces stay as they were).
  const linked = g.edges.some((e) => e.conversion || e.bridge);
  if (linked)
    for (const name of EDGE_LINK_FIELDS)
      out.push(`  <key id="e_${name}" for="edge" attr.name="${name}" attr.type="string"/>`);
  if (g.multi) out.push('  <key id="n_asset" for="node" attr.name="asset" attr.type="string"/>');
  out.push(`  <graph id="${x(`fundtrace ${g.chain} ${g.asset}`)}" edgedefault="directed">`);
  for (const n of g.nodes) {
    out.push(`    <node id="${x(n.key)}">`);
    for (const [name] of NODE_FIELDS) out.push(`      <data key="n_${name}">${x(n[name])}</data>`);
    if (g.multi) out.push(`      <data key="n_asset">${x(n.asset ?? g.asset)}</data>`);
    out.push('    </node>');
  }
  for (const e of g.edges) {
    out.push(`    <edge id="${x(e.key)}" source="${x(e.source)}" target="${x(e.target)}">`);
    for (const [name] of EDGE_FIELDS) {
      const v = e[name];
      if (v !== null) out.push(`      <data key="e_${name}">${x(v)}</data>`);
    }
    for (const [name, v] of Object.entries({ ...edgeFiatProperties(e, g), ...edgeLinkProperties(e) }))
      out.push(`      <data key="e_${name}">${x(v)}</data>`);
    out.push('    </edge>');
  }
  out.push('  </graph>', '</graphml>');
  return out.join('\n') + '\n';
}
