// `fundtrace export` of a result made with --fiat: CSV gains the tainted value's money columns
// (the same columns as `trace --fiat --format csv --table edges`); GEXF, GraphML, Cypher and DOT
// carry each movement's figures as attributes; DOT and Mermaid write them on the edge too. Each
// format is read back and every edge compared with the JSON it came from.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { MultiDirectedGraph } from 'graphology';
import * as gexf from 'graphology-gexf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceDoc } from '../../src/report/export/doc.js';
import { exportGraph } from '../../src/report/export/graph.js';
import { renderExport } from '../../src/report/export/index.js';
import { mermaidUnescape } from '../../src/report/export/mermaid.js';
import { cli } from '../helpers.js';
import { SAMPLE_PRICES } from './helpers.js';

const SEED = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
const trace = ['trace', SEED, '--source', 'samples/ransomware-btc.json', '--hops', '10'];

interface FiatJson {
  value: string | null;
  day: string | null;
  missing?: { reason: string };
}
type Edge = TraceDoc['graph']['edges'][number] & {
  attributes: { value: { fiat?: FiatJson }; tainted: { fiat?: FiatJson } };
};

let file: string;
let plainFile: string;
let doc: TraceDoc;
let edges: Edge[];
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fundtrace-fiat-export-'));
  const r = await cli([...trace, '--fiat', 'KES', '--prices', SAMPLE_PRICES, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  file = join(dir, 'kes.json');
  writeFileSync(file, r.stdout);
  doc = JSON.parse(r.stdout) as TraceDoc;
  edges = doc.graph.edges as Edge[];
  const p = await cli([...trace, '--format', 'json']);
  plainFile = join(dir, 'plain.json');
  writeFileSync(plainFile, p.stdout);
});

const exported = async (f: string, format: string, more: string[] = []) => {
  const r = await cli(['export', f, '--format', format, ...more]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};

describe('export of a --fiat result', () => {
  it('CSV edges: the fiat columns, the same table as trace --format csv --table edges', async () => {
    const csv = await exported(file, 'csv');
    const [head] = csv.split('\n');
    expect(head).toMatch(/,tainted_KES,tainted_KES_day,tainted_KES_prices,tainted_KES_missing$/);
    // Hand-checked: 0.1425 BTC × 52166.43430976192 USD × 145.8551 KES/USD = 1084245.5202… → 1084245.52
    expect(csv).toContain(
      ',0.1425,0.1425,14250000,14250000,1084245.52,2024-02-16,"BTC-USD 2024-02-16 52166.43430976192 [BTC-USD.csv]; USD-KES 2024-02-16 145.8551 [USD-KES.csv]",\n',
    );
    const t = await cli([
      ...trace,
      '--fiat',
      'KES',
      '--prices',
      SAMPLE_PRICES,
      '--format',
      'csv',
      '--table',
      'edges',
    ]);
    expect(csv).toBe(t.stdout);
    // Nodes sum movements of several days: no single-day figure, no fiat columns.
    expect(await exported(file, 'csv', ['--table', 'nodes'])).toBe(
      await exported(plainFile, 'csv', ['--table', 'nodes']),
    );
  });

  it('GEXF and GraphML: every edge carries its figures as attributes', async () => {
    const back = gexf.parse(MultiDirectedGraph, await exported(file, 'gexf'));
    const xml = new DOMParser().parseFromString(await exported(file, 'graphml'), 'application/xml');
    const keys = new Map(
      Array.from(xml.getElementsByTagName('key')).map((k) => [
        k.getAttribute('id')!,
        k.getAttribute('attr.name')!,
      ]),
    );
    const gml = new Map(
      Array.from(xml.getElementsByTagName('edge')).map((el) => [
        el.getAttribute('id')!,
        Object.fromEntries(
          Array.from(el.getElementsByTagName('data')).map((x) => [
            keys.get(x.getAttribute('key')!)!,
            x.textContent,
          ]),
        ),
      ]),
    );
    expect(edges.length).toBeGreaterThan(5);
    for (const e of edges) {
      const f = e.attributes.tainted.fiat!;
      const want = {
        fiat_currency: 'KES',
        ...(f.value !== null ? { fiat_tainted: f.value } : {}),
        ...(e.attributes.value.fiat?.value ? { fiat_value: e.attributes.value.fiat.value } : {}),
      };
      expect(back.getEdgeAttributes(e.key)).toMatchObject(want);
      expect(gml.get(e.key)).toMatchObject(want);
      if (f.value === null) expect(gml.get(e.key)?.fiat_missing).toBe(f.missing?.reason);
    }
  });

  it('Cypher, DOT and Mermaid: the figure on each movement', async () => {
    const cypher = await exported(file, 'cypher');
    const dot = await exported(file, 'dot');
    const mermaid = mermaidUnescape(await exported(file, 'mermaid'));
    for (const e of edges) {
      const v = e.attributes.tainted.fiat!.value!;
      const line = cypher.split('\n').find((l) => l.includes(`{key: '${e.key}'}`))!;
      expect(line).toContain(`fiat_currency: 'KES'`);
      expect(line).toContain(`fiat_tainted: '${v}'`);
      const d = dot.split('\n').find((l) => l.includes(`key="${e.key}"`))!;
      expect(d).toContain(`fiat_tainted="${v}"`);
      expect(d).toContain(` · ${v} KES"`);
      expect(mermaid).toContain(`${e.attributes.tainted.display} BTC · ${v} KES`);
    }
  });

  it('a missing price: no figure, the reason in the attributes and "no KES price" on the diagram', () => {
    const d = structuredClone(doc) as TraceDoc & { graph: { edges: Edge[] } };
    const e = d.graph.edges[0]!;
    e.attributes.tainted.fiat = {
      value: null,
      day: '2024-02-16',
      missing: { reason: 'no BTC-USD close for 2024-02-16' },
    };
    const g = exportGraph(d);
    expect(g.edges[0]!.fiat).toMatchObject({ tainted: '', missing: 'no BTC-USD close for 2024-02-16' });
    expect(renderExport(d, 'mermaid')).toContain('no KES price');
    expect(renderExport(d, 'dot')).toContain('fiat_missing="no BTC-USD close for 2024-02-16"');
  });

  it('a currency that is not a plain code (a hostile result file) gives no fiat attributes at all', () => {
    const d = structuredClone(doc) as TraceDoc & { fiat: { currency: string } };
    d.fiat.currency = "KES'}) DETACH DELETE (n";
    expect(exportGraph(d).fiat).toBeUndefined();
    expect(renderExport(d, 'cypher')).not.toContain('fiat_');
  });

  it('without --fiat nothing changes', async () => {
    for (const format of ['csv', 'gexf', 'graphml', 'dot', 'mermaid', 'cypher'])
      expect(await exported(plainFile, format)).not.toMatch(/fiat|KES/);
  });
});
