// Ethereum (ETH and USDT) and TRON (USDT) scenarios traced through the local GraphSense server and
// from the dataset file the same movements make (./account-scenario.ts, written by the dataset
// rules, not by the source's code): identical JSON apart from query.sources and the warnings that
// state what GraphSense cannot give (each checked here by its words). Through the CLI in-process.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST, tempDir } from '../esplora/helpers.js';
import { cli } from '../helpers.js';
import {
  type AccountScenario,
  accountDataset,
  ethScenario,
  roles,
  tronScenario,
} from './account-scenario.js';
import { type AccountServer, startAccountServer } from './account-server.js';
import { split } from './helpers.js';

function suite(name: string, make: () => AccountScenario, cases: [string, string[]][]) {
  describe(`graphsense ${name} ≡ dataset`, () => {
    const sc = make();
    let server: AccountServer;
    let tmp: { dir: string; done: () => Promise<void> };
    let file = '';
    beforeAll(async () => {
      server = await startAccountServer(sc, { pageSize: 3, prefix: '/api' });
      tmp = await tempDir('ft-gsacct-');
      file = join(tmp.dir, `${name}.json`);
      await writeFile(file, JSON.stringify(accountDataset(sc), null, 1));
    });
    afterAll(async () => {
      await server.close();
      await tmp.done();
    });
    it.each(cases)('%s', async (_n, args) => {
      const local = await cli(['trace', ...args, '--source', file, '--chain', sc.chain, '--format', 'json']);
      expect(local.status, local.stderr).toBe(0);
      server.reset();
      const remote = await cli(
        [
          'trace',
          ...args,
          '--source',
          `graphsense:${server.url}`,
          '--chain',
          sc.chain,
          '--no-cache',
          '--format',
          'json',
        ],
        FAST,
      );
      expect(remote.status, remote.stderr).toBe(0);
      expect(server.count()).toBeGreaterThan(0);
      const a = split(remote.stdout);
      const b = split(local.stdout);
      expect(a.rest).toBe(b.rest);
      expect(b.gs).toEqual([]);
      expect(a.gs).toContain(
        `graphsense: GraphSense gives no success or failure status for ${sc.chain} transactions or internal transfers: every value it lists is taken as moved (confirm a key transaction through ${sc.chain === 'tron' ? 'trongrid:' : 'etherscan: or rpc:'})`,
      );
      // Paged 3 at a time: the scam address's list took more than one page.
      expect(server.count(/\/addresses\/[^/]+\/txs\?pagesize=100&page=/)).toBeGreaterThan(0);
    });
  });
}

const e = roles.eth;
suite('ethereum', ethScenario, [
  ['ETH forward from the victim, haircut', [e.victim, '--asset', 'ETH', '--hops', '4']],
  [
    'ETH forward from a tx seed, fifo (internal transfer)',
    [e.seed, '--asset', 'ETH', '--hops', '4', '--model', 'fifo'],
  ],
  ['USDT forward from a tx seed, haircut', [e.usdtIn, '--asset', 'USDT', '--hops', '4']],
  ['USDT forward from the victim, poison', [e.victim, '--asset', 'USDT', '--hops', '4', '--model', 'poison']],
  // S pays X and E in one block: under fifo the order (from the block's list) moves the figures.
  [
    'USDT forward from the victim, fifo (block order)',
    [e.victim, '--asset', 'USDT', '--hops', '4', '--model', 'fifo'],
  ],
  [
    'USDT backward from the exchange, fifo',
    [e.exchange, '--asset', 'USDT', '--direction', 'backward', '--hops', '3', '--model', 'fifo'],
  ],
]);

const t = roles.trx;
suite('tron', tronScenario, [
  ['USDT forward from a tx seed, haircut', [t.seed, '--asset', 'USDT', '--hops', '4']],
  [
    'USDT forward from a tx seed, fifo (block order)',
    [t.seed, '--asset', 'USDT', '--hops', '4', '--model', 'fifo'],
  ],
  [
    'TRX forward from a tx seed, fifo (fees burnt)',
    [t.trxIn, '--asset', 'TRX', '--hops', '3', '--model', 'fifo'],
  ],
  [
    'USDT backward from the exchange, haircut',
    [t.exchange, '--asset', 'USDT', '--direction', 'backward', '--hops', '3'],
  ],
]);
