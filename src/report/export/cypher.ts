// Cypher for Neo4j (cypher-shell / Neo4j Browser): a uniqueness constraint, one MERGE per address
// and one MERGE per movement. Every value is a Cypher literal: strings single-quoted with `\`, `'`
// and any control or non-ASCII-printable character escaped; labels and relationship types are fixed
// words, never data.
import { type ExportGraph, edgeFiatProperties, edgeLinkProperties, nodeProperties } from './graph.js';

export function cypherString(s: string): string {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) || c === 0x2028 || c === 0x2029)
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + "'";
}

const literal = (v: string | number | boolean | null): string =>
  v === null ? 'null' : typeof v === 'string' ? cypherString(v) : String(v);

const map = (o: Record<string, string | number | boolean | null>) =>
  `{${Object.entries(o)
    .map(([k, v]) => `${k}: ${literal(v)}`)
    .join(', ')}}`;

export function renderCypher(g: ExportGraph): string {
  const out = [
    `// fundtrace export: ${g.nodes.length} addresses, ${g.edges.length} movements (${cypherString(g.chain)}, ${cypherString(g.asset)}${g.multi ? ', and every asset and chain the trace followed it into' : ''})`,
    '// Amounts are base-unit strings (exact); *_display are decimal strings in asset units.',
    'CREATE CONSTRAINT fundtrace_address_key IF NOT EXISTS FOR (a:Address) REQUIRE a.key IS UNIQUE;',
  ];
  for (const n of g.nodes) {
    out.push(`MERGE (a:Address {key: ${cypherString(n.key)}}) SET a += ${map(nodeProperties(n, g))};`);
  }
  for (const e of g.edges) {
    out.push(
      `MATCH (s:Address {key: ${cypherString(e.source)}}), (t:Address {key: ${cypherString(e.target)}}) MERGE (s)-[m:MOVED {key: ${cypherString(e.key)}}]->(t) SET m += ${map(
        {
          tx: e.tx,
          index: e.index,
          kind: e.kind,
          time: e.time,
          height: e.height,
          hop: e.hop,
          asset: e.asset,
          value: e.value,
          tainted: e.tainted,
          value_display: e.valueDisplay,
          tainted_display: e.taintedDisplay,
          ...edgeFiatProperties(e, g),
          ...edgeLinkProperties(e),
        },
      )};`,
    );
  }
  return out.join('\n') + '\n';
}
