// The same scenario traced through the local Esplora server and from the equivalent dataset file
// (built from the same objects the server serves) prints identical JSON, apart from
// query.sources. Through the CLI in-process, forward and backward, address/tx/outpoint seeds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { equivalenceScenario, roles } from './cases.js';
import { comparable, tempDir, traceEsplora, writeDataset } from './helpers.js';
import { type EsploraServer, startEsplora } from './server.js';

const built = equivalenceScenario();
let server: EsploraServer;
let tmp: { dir: string; done: () => Promise<void> };
let dataset: string;

beforeAll(async () => {
  server = await startEsplora(built.s, { pageSize: 7, prefix: '/api' });
  tmp = await tempDir();
  dataset = await writeDataset(tmp.dir, built.s);
});
afterAll(async () => {
  await server.close();
  await tmp.done();
});

const t = built.tx;
const cases: { name: string; seed: () => string; args: string[] }[] = [
  { name: 'forward from the address S (18 txs, 3 pages of 7)', seed: () => roles.S, args: ['--hops', '6'] },
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
    name: 'backward from the mempool transaction, fifo',
    seed: () => `${t.mp!.txid}:0`,
    args: ['--direction', 'backward', '--hops', '6', '--model', 'fifo'],
  },
  {
    name: 'forward from the address S with --history-limit above its size',
    seed: () => roles.S,
    args: ['--hops', '3', '--history-limit', '30'],
  },
];

describe('esplora ≡ dataset', () => {
  it.each(cases)('$name', async (c) => {
    const fromFile = await cli(['trace', c.seed(), '--source', dataset, '--format', 'json', ...c.args]);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    const cache = await tempDir();
    try {
      const fromApi = await traceEsplora(server.url, cache.dir, c.seed(), c.args);
      expect(fromApi.status, fromApi.stderr).toBe(0);
      expect(comparable(fromApi.stdout)).toEqual(comparable(fromFile.stdout));
      const j = JSON.parse(fromApi.stdout);
      expect(j.query.sources).toEqual([`esplora:${server.url}`]);
      expect(j.summary.traced.value).not.toBe('0');
    } finally {
      await cache.done();
    }
  });

  it('--history-limit below the history size: both warn; the API source reads only the newest part', async () => {
    // A dataset holds the whole history and the engine uses its oldest N; Esplora pages newest
    // first, so reading the oldest N would mean paging everything (what the limit is there to
    // avoid). The API source stops after N + 1 confirmed transactions and says so.
    const args = ['--hops', '3', '--history-limit', '10'];
    const fromFile = JSON.parse(
      (await cli(['trace', roles.S, '--source', dataset, '--format', 'json', ...args])).stdout,
    );
    const cache = await tempDir();
    try {
      server.reset();
      const r = await traceEsplora(server.url, cache.dir, roles.S, args);
      expect(r.status, r.stderr).toBe(0);
      const fromApi = JSON.parse(r.stdout);
      for (const j of [fromFile, fromApi])
        expect(j.warnings.join('\n')).toContain('has 18 transactions, more than the history limit 10');
      expect(fromApi.warnings.join('\n')).toContain(
        'was read only to its newest 14 of 18 transactions (--history-limit 10)',
      );
      expect(server.count(`/address/${encodeURIComponent(roles.S)}/txs/chain/`)).toBe(1); // 7 + 7 > 10: stop
    } finally {
      await cache.done();
    }
  });

  it('needed the block order, paged S with the cursor, and asked for nothing twice', async () => {
    server.reset();
    const cache = await tempDir();
    try {
      const r = await traceEsplora(server.url, cache.dir, roles.S, ['--hops', '6']);
      expect(r.status, r.stderr).toBe(0);
      const S = encodeURIComponent(roles.S);
      expect(server.count(`/address/${S}/txs/chain/`)).toBe(3); // pages 2, 3, then the empty one
      expect(server.count(`/address/${S}/txs`)).toBe(4);
      expect(server.count('/block/')).toBeGreaterThanOrEqual(8); // heights 102–110 hold two scenario txs
      expect(server.count('/blocks/tip/height')).toBe(1);
      expect(new Set(server.requests).size).toBe(server.requests.length);
    } finally {
      await cache.done();
    }
  });
});
