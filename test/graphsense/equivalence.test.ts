// The Esplora equivalence scenario (confirmed part: GraphSense indexes blocks, not the mempool),
// traced through the local GraphSense server and from the equivalent dataset file, prints
// identical JSON apart from query.sources. Through the CLI in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equivalenceScenario, roles } from '../esplora/cases.js';
import { comparable, FAST, tempDir, writeDataset } from '../esplora/helpers.js';
import { cli } from '../helpers.js';
import { confirmedOnly } from './helpers.js';
import { type GsServer, startGraphSense } from './server.js';

const built = equivalenceScenario();
const scenario = confirmedOnly(built.s);
let server: GsServer;
let tmp: { dir: string; done: () => Promise<void> };
let dataset: string;

beforeAll(async () => {
  server = await startGraphSense(scenario, { pageSize: 7, prefix: '/api' });
  tmp = await tempDir('ft-gs-');
  dataset = await writeDataset(tmp.dir, scenario);
});
afterAll(async () => {
  await server.close();
  await tmp.done();
});

const t = built.tx;
const cases: { name: string; seed: () => string; args: string[] }[] = [
  { name: 'forward from the address S (3 pages of 7)', seed: () => roles.S, args: ['--hops', '6'] },
  { name: 'forward from the address S, fifo', seed: () => roles.S, args: ['--hops', '6', '--model', 'fifo'] },
  {
    name: 'forward from a tx seed, poison',
    seed: () => t.sp1!.txid,
    args: ['--model', 'poison', '--hops', '5'],
  },
  { name: 'forward from an outpoint, hops 2 (cut)', seed: () => `${t.p3!.txid}:1`, args: ['--hops', '2'] },
  {
    name: 'backward from an outpoint to the coinbase and external funders',
    seed: () => `${t.sp2!.txid}:0`,
    args: ['--direction', 'backward', '--hops', '4'],
  },
  {
    name: 'forward from S with --history-limit above its size',
    seed: () => roles.S,
    args: ['--hops', '3', '--history-limit', '30'],
  },
];

describe('graphsense ≡ dataset', () => {
  it.each(cases)('$name', async (c) => {
    const fromFile = await cli(['trace', c.seed(), '--source', dataset, '--format', 'json', ...c.args]);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    const cache = await tempDir('ft-gs-');
    try {
      const fromApi = await cli(
        [
          'trace',
          c.seed(),
          '--source',
          `graphsense:${server.url}`,
          '--cache-dir',
          cache.dir,
          '--format',
          'json',
          ...c.args,
        ],
        FAST,
      );
      expect(fromApi.status, fromApi.stderr).toBe(0);
      expect(comparable(fromApi.stdout)).toEqual(comparable(fromFile.stdout));
      const j = JSON.parse(fromApi.stdout) as { query: { sources: unknown } };
      expect(JSON.stringify(j.query.sources)).toContain('graphsense:');
    } finally {
      await cache.done();
    }
  });
});
