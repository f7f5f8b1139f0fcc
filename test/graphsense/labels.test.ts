// GraphSense tags of the addresses a trace reaches come in as labels (entity from actor, category
// from category/abuse/concepts, confidence from confidence_level, source graphsense:<tagpack>, the
// GraphSense entity id in the note), so exposure uses them: the result equals the trace of the
// same scenario from a dataset carrying the same labels. Tags are paged (next_page), cached, and
// recorded in a case that replays offline.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equivalenceScenario, roles } from '../esplora/cases.js';
import { comparable, FAST, tempDir } from '../esplora/helpers.js';
import { datasetJson } from '../esplora/scenario.js';
import { cli, ROOT } from '../helpers.js';
import { confirmedOnly } from './helpers.js';
import { type GsServer, startGraphSense } from './server.js';

const built = equivalenceScenario();
const scenario = confirmedOnly(built.s);
const seed = roles.S;
const args = ['--hops', '6'];
let server: GsServer;
let tmp: { dir: string; done: () => Promise<void> };
let exchange: string;
let mixer: string;

const tag = (o: Record<string, unknown>) => ({
  currency: 'btc',
  is_cluster_definer: true,
  tag_type: 'actor',
  tagpack_creator: 'test',
  tagpack_is_public: true,
  ...o,
});

beforeAll(async () => {
  tmp = await tempDir('ft-gs-');
  // Two addresses the plain trace reaches (beyond the seed), from the dataset trace.
  const plain = join(tmp.dir, 'plain.json');
  await writeFile(plain, datasetJson(scenario));
  const r = await cli(['trace', seed, '--source', plain, '--format', 'json', ...args]);
  const nodes = (
    JSON.parse(r.stdout) as { graph: { nodes: { attributes: { address: string; hop: number } }[] } }
  ).graph.nodes;
  const reached = nodes.filter((n) => n.attributes.hop >= 2).map((n) => n.attributes.address);
  exchange = reached[0]!;
  mixer = reached[reached.length - 1]!;
  server = await startGraphSense(scenario, {
    pageSize: 7,
    tags: {
      // Three tags: two pages of two.
      [exchange]: [
        tag({
          label: 'Coinharbor hot wallet',
          actor: 'coinharbor',
          category: 'exchange',
          confidence: 'service_data',
          confidence_level: 50,
          tagpack_title: 'Exchanges',
          entity: 4242,
          address: exchange,
        }),
        tag({
          label: 'Coinharbor deposit',
          actor: 'coinharbor',
          category: 'exchange',
          confidence_level: 90,
          tagpack_title: 'Exchanges',
          entity: 4242,
          address: exchange,
        }),
        tag({
          label: 'old \u001b[31mred\u001b[0m name',
          category: 'organization',
          confidence_level: 20,
          tagpack_title: 'Web',
          entity: 4242,
          address: exchange,
          inherited_from: 'cluster',
        }),
      ],
      [mixer]: [
        tag({
          label: 'Mixer X',
          abuse: 'mixing',
          category: 'mixing_service',
          confidence_level: 70,
          tagpack_title: 'Abuse',
          entity: 77,
          address: mixer,
        }),
      ],
    },
  });
});
afterAll(async () => {
  await server.close();
  await tmp.done();
});

/** The result with GraphSense attribution written as plain label attribution. */
function asLabels(doc: unknown): unknown {
  return JSON.parse(JSON.stringify(doc), (_k, v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v) || v.via !== 'graphsense') return v;
    const { graphsenseEntity: _e, confidence: _c, graphsenseEntities: _g, via: _v, ...rest } = v;
    // An exposure item (it has paths) carries no via of its own; a node's cluster says "label".
    return 'paths' in v ? rest : { ...rest, via: 'label' };
  });
}

describe('graphsense tags as labels', () => {
  it('the trace with tags equals the dataset with the same labels; tags are cached and replay from a case', async () => {
    const cache = await tempDir('ft-gs-');
    try {
      const caseDir = join(cache.dir, 'case');
      const api = await cli(
        [
          'trace',
          seed,
          '--source',
          `graphsense:${server.url}`,
          '--cache-dir',
          cache.dir,
          '--format',
          'json',
          '--case',
          caseDir,
          ...args,
        ],
        FAST,
      );
      expect(api.status, api.stderr).toBe(0);
      expect(server.count(`/btc/addresses/${exchange}/tags?pagesize=100&page=`)).toBe(1);
      const j = JSON.parse(api.stdout) as {
        graph: {
          nodes: {
            attributes: {
              address: string;
              labels: Record<string, unknown>[];
              cluster: Record<string, unknown>;
            };
          }[];
        };
        exposure: {
          direct: { entity: string; category: string; via?: string; graphsenseEntities?: number[] }[];
          indirect: { entity: string; category: string; via?: string; graphsenseEntities?: number[] }[];
        };
      };
      const node = j.graph.nodes.find((n) => n.attributes.address === exchange)!;
      // GraphSense-derived attribution is its own kind, with the entity id and the tag's confidence.
      expect(node.attributes.cluster).toEqual({
        id: 'coinharbor',
        entity: 'coinharbor',
        category: 'exchange',
        via: 'graphsense',
        graphsenseEntity: 4242,
        confidence: expect.any(Number),
      });
      expect([50, 90]).toContain(node.attributes.cluster.confidence);
      const labels = node.attributes.labels;
      expect(labels).toContainEqual(
        expect.objectContaining({
          entity: 'coinharbor',
          category: 'exchange',
          source: 'graphsense:Exchanges',
          confidence: 'high',
          note: expect.stringContaining('graphsense entity 4242'),
        }),
      );
      expect(JSON.stringify(labels)).not.toContain('\u001b');
      // The result document with via "graphsense" is valid against the published schema.
      const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'trace-v1.schema.json'), 'utf8')) as object;
      const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
      expect(validate(j), JSON.stringify(validate.errors)).toBe(true);
      // The table names the GraphSense entity in the exposure rows.
      const table = await cli(
        [
          'trace',
          seed,
          '--source',
          `graphsense:${server.url}`,
          '--cache-dir',
          cache.dir,
          '--format',
          'table',
          ...args,
        ],
        FAST,
      );
      expect(table.stdout).toContain('coinharbor (GraphSense entity 4242)');
      // So do the Markdown and HTML reports made from the JSON result.
      const resultFile = join(cache.dir, 'result.json');
      await writeFile(resultFile, api.stdout);
      const md = await cli(['report', resultFile, '--format', 'md']);
      expect(md.status, md.stderr).toBe(0);
      expect(md.stdout).toContain('coinharbor (GraphSense entity 4242)');
      const html = await cli(['report', resultFile, '--format', 'html']);
      expect(html.status, html.stderr).toBe(0);
      expect(html.stdout).toContain('coinharbor (GraphSense entity 4242)');
      const exposures = [...j.exposure.direct, ...j.exposure.indirect].map(
        (e) => `${e.entity}/${e.category}/${e.via}/${e.graphsenseEntities}`,
      );
      expect(exposures).toContain('coinharbor/exchange/graphsense/4242');

      // The same labels in a dataset give the identical result, apart from the kind of attribution
      // (a dataset label is via "label"; the API tag is via "graphsense" with its entity id).
      const all = j.graph.nodes.flatMap((n) =>
        n.attributes.labels.map((l) => ({ chain: 'bitcoin', address: n.attributes.address, ...l })),
      );
      const ds = JSON.parse(datasetJson(scenario)) as { labels: unknown[] };
      ds.labels = all;
      const file = join(tmp.dir, 'labelled.json');
      await writeFile(file, JSON.stringify(ds));
      const fromFile = await cli(['trace', seed, '--source', file, '--format', 'json', ...args]);
      expect(fromFile.status, fromFile.stderr).toBe(0);
      expect(asLabels(comparable(api.stdout))).toEqual(comparable(fromFile.stdout));
      // `fundtrace diff` keeps the two kinds of attribution apart (not one item "unchanged").
      const fileResult = join(cache.dir, 'from-file.json');
      await writeFile(fileResult, fromFile.stdout);
      const apiResult = join(cache.dir, 'from-api.json');
      await writeFile(apiResult, api.stdout);
      const diff = await cli(['diff', fileResult, apiResult, '--format', 'json']);
      const d = JSON.parse(diff.stdout) as {
        exposure: { added: { key: string }[]; removed: { key: string }[] };
      };
      expect(d.exposure.added.map((c) => c.key)).toContainEqual(
        expect.stringMatching(/exchange coinharbor \(via graphsense\)$/),
      );
      expect(d.exposure.removed.map((c) => c.key)).toContainEqual(
        expect.stringMatching(/exchange coinharbor$/),
      );

      // Cached: a re-run asks nothing; the case replays offline.
      server.reset();
      const again = await cli(
        [
          'trace',
          seed,
          '--source',
          `graphsense:${server.url}`,
          '--cache-dir',
          cache.dir,
          '--format',
          'json',
          ...args,
        ],
        FAST,
      );
      expect(server.count()).toBe(0);
      expect(again.stdout).toBe(api.stdout);
      const v = await cli(['case', 'verify', caseDir]);
      expect(v.status, v.stderr).toBe(0);
      expect(v.stdout).toMatch(/identical/);
    } finally {
      await cache.done();
    }
  });
});
