// Full traces through the CLI in-process against the local API server: the result must equal the
// same scenario traced from an equivalent dataset file, for both dialects; a re-run is served by the
// cache (zero requests), also with --offline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A, cs, phishScenario, txh, USDT } from '../fixtures/etherscan/scenario.js';
import { comparable, FAKE_KEY, readTree, tempDir, trace, writeDataset } from './helpers.js';
import { type EtherscanTestServer, startEtherscanServer } from './server.js';

const sc = phishScenario();

const cases: { name: string; args: string[] }[] = [
  { name: 'ETH forward from the seed tx (haircut)', args: [txh('seed')] },
  {
    name: 'ETH forward from the seed tx (fifo, 4 hops)',
    args: [txh('seed'), '--model', 'fifo', '--hops', '4'],
  },
  { name: 'ETH backward from C (haircut)', args: [cs(A.c), '--direction', 'backward'] },
  { name: 'USDT forward from the victim (fifo)', args: [cs(A.victim), '--asset', 'USDT', '--model', 'fifo'] },
  {
    name: 'USDT backward from B (poison)',
    args: [cs(A.b), '--asset', 'USDT', '--direction', 'backward', '--model', 'poison'],
  },
  { name: 'USDT forward from a tx with two identical transfers', args: [txh('batch'), '--asset', 'USDT'] },
  {
    name: 'ETH backward from a tx with an internal call',
    args: [txh('router'), '--direction', 'backward', '--model', 'fifo'],
  },
  { name: 'USDT by contract address', args: [cs(A.victim), '--asset', cs(USDT)] },
];

for (const dialect of ['etherscan', 'blockscout'] as const) {
  describe(`etherscan: source, ${dialect} dialect, through the CLI`, () => {
    let server: EtherscanTestServer;
    let tmp: { dir: string; done: () => Promise<void> };
    let dataset: string;
    beforeAll(async () => {
      server = await startEtherscanServer(sc, { dialect, apiKey: FAKE_KEY });
      tmp = await tempDir();
      dataset = await writeDataset(tmp.dir, sc, dialect);
    });
    afterAll(async () => {
      await server.close();
      await tmp.done();
    });

    for (const c of cases) {
      it(`${c.name}: same result as the dataset; a re-run makes no request`, async () => {
        const cache = `${tmp.dir}/cache-${c.name.replace(/\W+/g, '-')}`;
        const remote = [
          ...c.args,
          '--source',
          `etherscan:${server.url}`,
          '--chain',
          'ethereum',
          '--api-key',
          FAKE_KEY,
          '--cache-dir',
          cache,
          '--format',
          'json',
        ];
        server.reset();
        const live = await trace(remote);
        expect(live.status, live.stderr).toBe(0);
        expect(server.requests.length).toBeGreaterThan(0);
        const local = await trace([...c.args, '--source', dataset, '--format', 'json']);
        expect(comparable(live)).toEqual(comparable(local));
        const j = JSON.parse(live.stdout) as { query: { sources: string[] }; graph: { edges: unknown[] } };
        expect(j.query.sources).toEqual([`etherscan:${server.url}`]);
        expect(j.graph.edges.length).toBeGreaterThan(0);

        server.reset();
        const again = await trace(remote);
        expect(again.stdout).toBe(live.stdout);
        expect(server.requests).toHaveLength(0);
        const offline = await trace([
          ...remote.filter((a) => a !== '--api-key' && a !== FAKE_KEY),
          '--offline',
        ]);
        expect(offline.status, offline.stderr).toBe(0);
        expect(offline.stdout).toBe(live.stdout);
        expect(server.requests).toHaveLength(0);

        const everything = live.stdout + live.stderr + again.stderr + (await readTree(cache));
        expect(everything).not.toContain(FAKE_KEY);
      });
    }
  });
}

describe('etherscan: source, genesis allocations', () => {
  it('a genesis pseudo-tx is value minted by the zero address: an origin, never fetched', async () => {
    const { genesisScenario, addr } = await import('../fixtures/etherscan/scenario.js');
    const server = await startEtherscanServer(genesisScenario(), { dialect: 'etherscan' });
    try {
      const r = await trace([
        cs(addr('genesis-l')),
        '--direction',
        'backward',
        '--hops',
        '5',
        '--source',
        `etherscan:${server.url}`,
        '--no-cache',
        '--format',
        'json',
      ]);
      expect(r.status, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as {
        summary: {
          conserved: boolean;
          cut: { reason: string; address: string; amount: { value: string } }[];
          terminals: Record<string, { value: string }>;
        };
        graph: { edges: { key: string; source: string }[] };
      };
      expect(j.summary.conserved).toBe(true);
      // The zero address is never expanded nor counted as a cluster: the genesis value is minted.
      expect(j.summary.cut).toEqual([]);
      expect(j.summary.terminals.coinbase?.value).toBe(String(2n * 10n ** 18n));
      const genesisEdge = j.graph.edges.find((e) => e.key.startsWith('ethereum:GENESIS_'));
      expect(genesisEdge?.source).toBe('ethereum:0x0000000000000000000000000000000000000000');
      expect(
        server.requests.some((q) => q.query.get('address')?.toLowerCase() === `0x${'0'.repeat(40)}`),
      ).toBe(false);
    } finally {
      await server.close();
    }
  });
});
