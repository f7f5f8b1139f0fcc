// Attacker-controlled strings (label entities, sources and notes; token symbols) end to end: a
// dataset carrying them is traced and exported in every format, and each output is parsed or
// scanned for what its format must not contain.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { MultiDirectedGraph } from 'graphology';
import * as gexf from 'graphology-gexf';
import { beforeAll, describe, expect, it } from 'vitest';
import { termSafe } from '../../src/report/sanitize.js';
import { cli } from '../helpers.js';
import {
  EVIL,
  EVIL_SYMBOL,
  type EvilDataset,
  evilDataset,
  FORMULA,
  isFormula,
  parseCsv,
  tmp,
  UNSAFE,
} from './helpers.js';

const dir = tmp();
let ds: EvilDataset;
let caseDir: string;

const run = async (args: string[]) => {
  const r = await cli(args);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};
const trace = (more: string[]) => run(['trace', ds.seed, '--source', ds.path, '--no-label-dir', ...more]);

beforeAll(async () => {
  ds = evilDataset(dir);
  caseDir = join(dir, 'case');
  await run(['trace', ds.seed, '--source', ds.path, '--no-label-dir', '--case', caseDir, '--format', 'json']);
});

/** The positions of unsafe characters, for a readable failure. */
const unsafeIn = (s: string) =>
  [...s.matchAll(new RegExp(UNSAFE.source, 'gu'))].map(
    (m) => `U+${m[0].codePointAt(0)!.toString(16)}@${m.index}`,
  );

describe('terminal table', () => {
  for (const asset of [undefined, EVIL_SYMBOL, 'all']) {
    it(`strips escapes, controls, bidi and separators (--asset ${asset ?? 'native'})`, async () => {
      const out = await trace(['--format', 'table', '--no-color', ...(asset ? ['--asset', asset] : [])]);
      expect(unsafeIn(out)).toEqual([]);
      expect(out).not.toContain('\r');
      // The hostile entity stays on one line (its newlines became spaces).
      const lines = out.split('\n').filter((l) => l.includes('RED'));
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(l).toContain('end');
    });
  }

  it('with colour on, the only escapes are the SGR colours fundtrace added', async () => {
    const r = await cli(['trace', ds.seed, '--source', ds.path, '--no-label-dir', '--format', 'table'], {
      FORCE_COLOR: '1',
    });
    expect(r.status, r.stderr).toBe(0);
    const withoutSgr = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(unsafeIn(withoutSgr)).toEqual([]);
    expect(r.stdout).not.toContain('\u001b]8');
  });
});

describe('CSV', () => {
  const check = (text: string) => {
    const rows = parseCsv(text);
    const width = rows[0]!.length;
    for (const row of rows) {
      expect(row).toHaveLength(width);
      for (const cell of row) {
        expect(unsafeIn(cell), cell).toEqual([]);
        expect(isFormula(cell), cell).toBe(false);
      }
    }
    return rows;
  };
  for (const table of ['edges', 'exits', 'atrest', 'nodes']) {
    for (const asset of [undefined, EVIL_SYMBOL, 'all']) {
      it(`trace --format csv --table ${table} --asset ${asset ?? 'native'}: RFC 4180, no formula`, async () => {
        check(await trace(['--format', 'csv', '--table', table, ...(asset ? ['--asset', asset] : [])]));
      });
    }
  }

  it('the case tables and export --format csv (nodes, edges)', async () => {
    for (const f of ['exits.csv', 'exposure.csv', 'atrest.csv'])
      check(readFileSync(join(caseDir, f), 'utf8'));
    const nodes = check(await run(['export', caseDir, '--format', 'csv', '--table', 'nodes']));
    check(await run(['export', caseDir, '--format', 'csv', '--table', 'edges']));
    // The entity is still there, neutralised, not dropped.
    expect(nodes.flat().some((c) => c.includes('HYPERLINK') && c.startsWith("'"))).toBe(true);
  });

  it('a cell is quoted when a semicolon-separated locale would split it', async () => {
    const rows = await trace(['--format', 'csv', '--table', 'exits']);
    const line = rows.split('\n').find((l) => l.includes('RED'))!;
    // The cell holding the entity (with ; inside) is one quoted field.
    expect(line).toMatch(/^"RED/);
  });
});

describe('JSON and NDJSON', () => {
  it('keep the data exactly, with no raw control, bidi or separator character in the text', async () => {
    const out = await trace(['--format', 'json']);
    expect(unsafeIn(out)).toEqual([]);
    const j = JSON.parse(out) as { graph: { nodes: { attributes: { labels: { entity: string }[] } }[] } };
    const entities = j.graph.nodes.flatMap((n) => n.attributes.labels.map((l) => l.entity));
    expect(entities).toContain(EVIL);
    expect(entities).toContain(FORMULA);
  });

  it('NDJSON: one parseable object per line', async () => {
    for (const asset of [undefined, 'all']) {
      const out = await trace(['--format', 'ndjson', ...(asset ? ['--asset', asset] : [])]);
      expect(unsafeIn(out)).toEqual([]);
      const lines = out.trimEnd().split('\n');
      for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
      expect(lines.some((l) => JSON.parse(l).type === 'node')).toBe(true);
    }
  });

  it('the case result.json and manifest are escaped the same way', () => {
    for (const f of ['result.json', 'manifest.json']) {
      const text = readFileSync(join(caseDir, f), 'utf8');
      expect(unsafeIn(text)).toEqual([]);
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });
});

describe('graph exports', () => {
  const exp = (format: string) => run(['export', caseDir, '--format', format]);
  const strictXml = (xml: string) => {
    const errors: string[] = [];
    const d = new DOMParser({
      errorHandler: {
        warning: () => undefined,
        error: (m) => errors.push(m),
        fatalError: (m) => errors.push(m),
      },
    }).parseFromString(xml, 'application/xml');
    expect(errors).toEqual([]);
    return d;
  };

  it('GEXF: well-formed XML, no injected element, the entity readable', async () => {
    const xml = await exp('gexf');
    expect(unsafeIn(xml)).toEqual([]);
    const d = strictXml(xml);
    expect(d.getElementsByTagName('script')).toHaveLength(0);
    expect(d.getElementsByTagName('i')).toHaveLength(0);
    const g = gexf.parse(MultiDirectedGraph, xml);
    const labels = g.mapNodes((_, a) => a.label as string);
    expect(labels).toContain(termSafe(EVIL));
  });

  it('GraphML: well-formed XML, no injected element', async () => {
    const xml = await exp('graphml');
    expect(unsafeIn(xml)).toEqual([]);
    const d = strictXml(xml);
    expect(d.getElementsByTagName('script')).toHaveLength(0);
    const texts = Array.from(d.getElementsByTagName('data')).map((x) => x.textContent ?? '');
    expect(texts).toContain(termSafe(EVIL));
  });

  it('DOT: every string quoted and escaped; Graphviz reads it back with the labels intact', async (ctx) => {
    const dot = await exp('dot');
    expect(unsafeIn(dot)).toEqual([]);
    for (const line of dot.split('\n')) {
      // Outside quoted strings only DOT syntax remains.
      const bare = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
      expect(bare, line).toMatch(/^[\sA-Za-z0-9_=,;{}[\]\->."().#]*$/);
    }
    if (spawnSync('dot', ['-V']).error) ctx.skip();
    const r = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const svg = new DOMParser().parseFromString(r.stdout, 'image/svg+xml');
    const texts = Array.from(svg.getElementsByTagName('text')).map((x) =>
      (x.textContent ?? '').replace(/\u00a0/g, ' '),
    );
    // Graphviz writes runs of spaces as no-break spaces. The caption's first line is the whole entity: its literal backslash-n stays text, its
    // quotes and backslashes come out as written.
    expect(texts).toContain(termSafe(EVIL));
    expect(svg.getElementsByTagName('script')).toHaveLength(0);
  });

  it('Mermaid: labels cannot close their quotes, open markup or add directives', async () => {
    const mmd = await exp('mermaid');
    expect(unsafeIn(mmd)).toEqual([]);
    for (const line of mmd.split('\n')) {
      const strings = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
      for (const s of strings) expect(s.replace(/<br\/>/g, ''), line).not.toMatch(/[<>`"|]/);
      const bare = line.replace(/"[^"]*"/g, '""');
      expect(bare, line).not.toMatch(/click|call|<|`/);
    }
  });

  it('Cypher: every value a closed string literal; nothing outside literals but syntax', async () => {
    const cy = await exp('cypher');
    expect(unsafeIn(cy)).toEqual([]);
    for (const line of cy.trimEnd().split('\n')) {
      const bare = line.replace(/'(?:[^'\\]|\\.)*'/g, 'S');
      if (line.startsWith('//')) continue;
      expect(bare, line).not.toMatch(/['"`]|\/\/|\/\*/);
      expect(line.endsWith(';')).toBe(true);
    }
    expect(cy).toContain('RED');
  });
});

describe('reports', () => {
  it('Markdown: no raw markup, table rows keep their columns, the Mermaid fence stays closed', async () => {
    const md = await run(['report', caseDir, '--format', 'md']);
    expect(unsafeIn(md)).toEqual([]);
    expect(md).not.toMatch(/<script|<i>|<b>/i);
    expect(md.match(/^```/gm)).toHaveLength(2);
    // Every row of a table has as many unescaped cell separators as its header.
    const lines = md.split('\n');
    let width = -1;
    for (const l of lines) {
      if (!l.startsWith('|')) {
        width = -1;
        continue;
      }
      const cells = l.replace(/\\\|/g, '').split('|').length;
      if (width < 0) width = cells;
      expect(cells, l).toBe(width);
    }
    // No autolink to the attacker's host (outside the Mermaid block, where nothing links).
    const prose = md.replace(/```mermaid[\s\S]*?```/, '');
    expect(prose).not.toMatch(/https?:\/\/(?:x|evil)|www\.evil/);
  });

  it('HTML: no injected element, two scripts (data and viewer), the data block parses', async () => {
    const html = await run(['report', caseDir, '--format', 'html']);
    expect(unsafeIn(html.replace(/<script>[\s\S]*?<\/script>/, ''))).toEqual([]);
    expect(html).not.toMatch(/<script>alert|<i>|<b>/);
    expect(html.match(/<script\b/g)).toHaveLength(2);
    const data = /<script type="application\/json" id="fundtrace-data">([\s\S]*?)<\/script>/.exec(html)!;
    expect(() => JSON.parse(data[1]!)).not.toThrow();
  });
});

describe('labels commands', () => {
  it('labels list (ndjson, csv) with a hostile label file', async () => {
    const file = join(dir, 'labels.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      file,
      JSON.stringify([
        {
          chain: 'ethereum',
          address: ds.exchange,
          entity: EVIL,
          category: 'exchange',
          source: EVIL,
          note: EVIL,
        },
        { chain: 'ethereum', address: ds.mixer, entity: FORMULA, category: 'mixer', source: FORMULA },
      ]),
    );
    const nd = await run(['labels', 'list', '--no-label-dir', '--labels', file]);
    expect(unsafeIn(nd)).toEqual([]);
    expect(
      nd
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).entity),
    ).toContain(EVIL);
    const csv = await run(['labels', 'list', '--no-label-dir', '--labels', file, '--format', 'csv']);
    for (const cell of parseCsv(csv).flat()) {
      expect(unsafeIn(cell)).toEqual([]);
      expect(isFormula(cell), cell).toBe(false);
    }
    const look = await run(['labels', 'lookup', ds.exchange, '--no-label-dir', '--labels', file]);
    expect(unsafeIn(look)).toEqual([]);
  });
});
