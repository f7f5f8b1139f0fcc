// Graph exports: each format parsed back with node and edge counts and key attributes intact, and
// untrusted strings escaped for the format.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { MultiDirectedGraph } from 'graphology';
import * as gexf from 'graphology-gexf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceDoc } from '../../src/report/export/doc.js';
import { type ExportGraph, exportGraph } from '../../src/report/export/graph.js';
import { renderExport } from '../../src/report/export/index.js';
import { mermaidUnescape } from '../../src/report/export/mermaid.js';
import { ftcli, sampleCase, tempDir } from '../case/helpers.js';
import { HOSTILE, hostileDoc } from './fixtures.js';

let doc: TraceDoc;
let g: ExportGraph;
beforeAll(async () => {
  doc = await hostileDoc();
  g = exportGraph(doc);
});

const hostileNode = () => g.nodes.find((n) => n.entity === HOSTILE)!;

describe('GEXF', () => {
  it('re-imports with graphology-gexf: counts and attributes intact', () => {
    const xml = renderExport(doc, 'gexf');
    expect(xml).not.toContain('<script>');
    const back = gexf.parse(MultiDirectedGraph, xml);
    expect(back.order).toBe(g.nodes.length);
    expect(back.size).toBe(g.edges.length);
    for (const n of g.nodes) {
      const a = back.getNodeAttributes(n.key);
      expect(a).toMatchObject({ label: n.label, hop: n.hop, tainted: n.tainted });
      // GEXF leaves empty values out.
      expect([a.entity ?? '', a.category ?? '']).toEqual([n.entity, n.category]);
    }
    for (const e of g.edges) {
      expect(back.source(e.key)).toBe(e.source);
      expect(back.target(e.key)).toBe(e.target);
      expect(back.getEdgeAttributes(e.key)).toMatchObject({
        tx: e.tx,
        asset: e.asset,
        value: e.value,
        tainted: e.tainted,
        time: e.time,
      });
    }
    expect(back.getNodeAttribute(hostileNode().key, 'label')).toBe(HOSTILE);
  });
});

describe('GraphML', () => {
  it('parses back as XML with every node, edge and typed attribute', () => {
    const xml = renderExport(doc, 'graphml');
    expect(xml).not.toContain('<script>');
    const d = new DOMParser().parseFromString(xml, 'application/xml');
    const keys = new Map<string, string>();
    for (const k of Array.from(d.getElementsByTagName('key')))
      keys.set(k.getAttribute('id')!, k.getAttribute('attr.name')!);
    const data = (el: Element) =>
      Object.fromEntries(
        Array.from(el.getElementsByTagName('data')).map((x) => [
          keys.get(x.getAttribute('key')!)!,
          x.textContent,
        ]),
      );
    const nodes = Array.from(d.getElementsByTagName('node'));
    const edges = Array.from(d.getElementsByTagName('edge'));
    expect(nodes).toHaveLength(g.nodes.length);
    expect(edges).toHaveLength(g.edges.length);
    nodes.forEach((el, i) => {
      const n = g.nodes[i]!;
      expect(el.getAttribute('id')).toBe(n.key);
      expect(data(el)).toMatchObject({
        label: n.label,
        entity: n.entity,
        category: n.category,
        hop: String(n.hop),
        tainted: n.tainted,
      });
    });
    edges.forEach((el, i) => {
      const e = g.edges[i]!;
      expect([el.getAttribute('id'), el.getAttribute('source'), el.getAttribute('target')]).toEqual([
        e.key,
        e.source,
        e.target,
      ]);
      expect(data(el)).toMatchObject({
        tx: e.tx,
        asset: e.asset,
        value: e.value,
        tainted: e.tainted,
        time: e.time,
      });
    });
  });
});

/** A small DOT reader for what renderDot writes: statements of quoted ids and attribute lists. */
function parseDot(text: string) {
  const tokens: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(->|[{}[\];=,])|([A-Za-z0-9_.]+))/gy;
  let m: RegExpExecArray | null;
  const body = text.replace(/^digraph \w+ \{/, '').replace(/\}\s*$/, '');
  re.lastIndex = 0;
  // biome-ignore lint/suspicious/noAssignInExpressions: tokenizer loop
  while ((m = re.exec(body)) !== null) {
    if (m[1] !== undefined) tokens.push('"' + m[1].replace(/\\(["\\])/g, '$1'));
    else tokens.push(m[2] ?? m[3]!);
    if (re.lastIndex >= body.trimEnd().length) break;
  }
  const nodes = new Map<string, Record<string, string>>();
  const edges: { source: string; target: string; attrs: Record<string, string> }[] = [];
  const ranks: string[][] = [];
  const val = (t: string) => (t.startsWith('"') ? t.slice(1) : t);
  let i = 0;
  const attrList = () => {
    const a: Record<string, string> = {};
    if (tokens[i] !== '[') return a;
    i++;
    while (tokens[i] !== ']') {
      const k = val(tokens[i++]!);
      i++; // =
      a[k] = val(tokens[i++]!);
      if (tokens[i] === ',') i++;
    }
    i++;
    return a;
  };
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t === '{') {
      i += 4; // { rank = same ;
      const ids: string[] = [];
      while (tokens[i] !== '}') {
        if (tokens[i] !== ';') ids.push(val(tokens[i]!));
        i++;
      }
      i++;
      ranks.push(ids);
    } else if (t.startsWith('"') && tokens[i + 1] === '->') {
      const source = val(t);
      const target = val(tokens[i + 2]!);
      i += 3;
      edges.push({ source, target, attrs: attrList() });
    } else if (t.startsWith('"')) {
      i++;
      nodes.set(val(t), attrList());
    } else {
      i++;
      attrList();
    }
    if (tokens[i] === ';') i++;
  }
  return { nodes, edges, ranks };
}

describe('DOT', () => {
  it('parses back: nodes ranked by hop, edges with their attributes, strings quoted', () => {
    const text = renderExport(doc, 'dot');
    expect(text).toContain('rankdir=LR;');
    const d = parseDot(text);
    expect(d.nodes.size).toBe(g.nodes.length);
    expect(d.edges).toHaveLength(g.edges.length);
    const hops = [...new Set(g.nodes.map((n) => n.hop))].sort((a, b) => a - b);
    expect(d.ranks.map((r) => r.length)).toEqual(hops.map((h) => g.nodes.filter((n) => n.hop === h).length));
    for (const n of g.nodes)
      expect(d.nodes.get(n.key)).toMatchObject({
        entity: n.entity,
        category: n.category,
        hop: String(n.hop),
        tainted: n.tainted,
      });
    g.edges.forEach((e, i) => {
      expect(d.edges[i]).toMatchObject({
        source: e.source,
        target: e.target,
        attrs: { key: e.key, tx: e.tx, value: e.value, tainted: e.tainted, time: e.time, asset: e.asset },
      });
    });
  });

  it('is accepted by Graphviz when installed', (ctx) => {
    const v = spawnSync('dot', ['-V'], { encoding: 'utf8' });
    if (v.error) ctx.skip(); // Graphviz is optional
    const r = spawnSync('dot', ['-Tjson'], { input: renderExport(doc, 'dot'), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { objects: { name: string }[]; edges: unknown[] };
    expect(j.edges).toHaveLength(g.edges.length);
  });
});

describe('Mermaid', () => {
  it('parses back: one node per address, one edge per movement, labels escaped', () => {
    const text = renderExport(doc, 'mermaid');
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    expect(text).not.toMatch(/<script|<\/script|<!--/);
    const nodes = [...text.matchAll(/^ {2}(n\d+)\["(.*)"\]$/gm)];
    const edges = [...text.matchAll(/^ {2}(n\d+) -->\|"(.*)"\| (n\d+)$/gm)];
    const keys = new Map(
      [...text.matchAll(/^ {2}%% (n\d+) = (.*)$/gm)].map((m) => [m[1]!, mermaidUnescape(m[2]!)]),
    );
    expect(nodes).toHaveLength(g.nodes.length);
    expect(edges).toHaveLength(g.edges.length);
    nodes.forEach((m, i) => {
      const n = g.nodes[i]!;
      expect(keys.get(m[1]!)).toBe(n.key);
      // No raw quote inside a label: the quoted string cannot end early.
      expect(m[2]).not.toContain('"');
      const caption = mermaidUnescape(m[2]!).split('<br/>');
      expect(caption[1]).toBe(`hop ${n.hop}${n.category ? ` · ${n.category}` : ''}`);
    });
    expect(nodes.some((m) => mermaidUnescape(m[2]!).startsWith(HOSTILE))).toBe(true);
    edges.forEach((m, i) => {
      const e = g.edges[i]!;
      expect([keys.get(m[1]!), keys.get(m[3]!), mermaidUnescape(m[2]!)]).toEqual([
        e.source,
        e.target,
        `${e.taintedDisplay} ${e.asset}`,
      ]);
    });
  });
});

/** Reads back the Cypher literals renderCypher writes. */
function parseCypherMap(s: string): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  const re = /\s*(\w+): (?:'((?:[^'\\]|\\.)*)'|(-?\d+)|(true|false|null))\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  // biome-ignore lint/suspicious/noAssignInExpressions: tokenizer loop
  while ((m = re.exec(s)) !== null) {
    out[m[1]!] =
      m[2] !== undefined
        ? m[2].replace(/\\u([0-9a-f]{4})|\\(.)/g, (_, u: string, c: string) =>
            u ? String.fromCharCode(parseInt(u, 16)) : c,
          )
        : m[3] !== undefined
          ? Number(m[3])
          : m[4] === 'null'
            ? null
            : m[4] === 'true';
    if (re.lastIndex >= s.length) break;
  }
  return out;
}

describe('Cypher', () => {
  it('parses back: one MERGE per address and per movement, values as escaped literals', () => {
    const text = renderExport(doc, 'cypher');
    const nodes = [
      ...text.matchAll(/^MERGE \(a:Address \{key: '((?:[^'\\]|\\.)*)'\}\) SET a \+= \{(.*)\};$/gm),
    ];
    const edges = [
      ...text.matchAll(
        /^MATCH \(s:Address \{key: '(.*?)'\}\), \(t:Address \{key: '(.*?)'\}\) MERGE \(s\)-\[m:MOVED \{key: '(.*?)'\}\]->\(t\) SET m \+= \{(.*)\};$/gm,
      ),
    ];
    expect(nodes).toHaveLength(g.nodes.length);
    expect(edges).toHaveLength(g.edges.length);
    nodes.forEach((m, i) => {
      const n = g.nodes[i]!;
      expect(m[1]).toBe(n.key);
      expect(parseCypherMap(m[2]!)).toMatchObject({
        label: n.label,
        entity: n.entity,
        category: n.category,
        hop: n.hop,
        seed: n.seed,
        tainted: n.tainted,
      });
    });
    edges.forEach((m, i) => {
      const e = g.edges[i]!;
      expect([m[1], m[2], m[3]]).toEqual([e.source, e.target, e.key]);
      expect(parseCypherMap(m[4]!)).toMatchObject({
        tx: e.tx,
        asset: e.asset,
        value: e.value,
        tainted: e.tainted,
        time: e.time,
        hop: e.hop,
      });
    });
    expect(text).toContain(`entity: '${HOSTILE.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
  });
});

/** RFC 4180 reader. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}

describe('CSV', () => {
  it('nodes and edges parse back with their columns', () => {
    const nodes = parseCsv(renderExport(doc, 'csv', 'nodes'));
    const edges = parseCsv(renderExport(doc, 'csv', 'edges'));
    expect(nodes).toHaveLength(g.nodes.length + 1);
    expect(edges).toHaveLength(g.edges.length + 1);
    const nh = nodes[0]!;
    const eh = edges[0]!;
    g.nodes.forEach((n, i) => {
      const r = Object.fromEntries(nh.map((h, j) => [h, nodes[i + 1]![j]]));
      expect(r).toMatchObject({
        Id: n.key,
        Label: n.label,
        entity: n.entity,
        category: n.category,
        hop: String(n.hop),
        tainted_base_units: n.tainted,
      });
    });
    g.edges.forEach((e, i) => {
      const r = Object.fromEntries(eh.map((h, j) => [h, edges[i + 1]![j]]));
      expect(r).toMatchObject({
        Id: e.key,
        Source: e.source,
        Target: e.target,
        tx: e.tx,
        asset: e.asset,
        value_base_units: e.value,
        tainted_base_units: e.tainted,
        time: e.time,
      });
    });
  });
});

describe('fundtrace export', () => {
  it('reads a case directory or a result file and writes --out', async () => {
    const c = await sampleCase();
    const fromCase = await ftcli(['export', c.dir, '--format', 'graphml']);
    expect(fromCase.status, fromCase.stderr).toBe(0);
    const fromFile = await ftcli(['export', join(c.dir, 'result.json'), '--format', 'graphml']);
    expect(fromFile.stdout).toBe(fromCase.stdout);
    const out = join(await tempDir(), 'g.dot');
    const r = await ftcli(['export', c.dir, '--format', 'dot', '--out', out]);
    expect(r.status).toBe(0);
    expect(await readFile(out, 'utf8')).toContain('digraph fundtrace');
  });

  it('refuses a bad format (2) and a file that is not a trace result (3)', async () => {
    const c = await sampleCase();
    expect((await ftcli(['export', c.dir, '--format', 'png'])).status).toBe(2);
    const r = await ftcli(['export', join(c.dir, 'manifest.json'), '--format', 'dot']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('/schema');
  });
});
