// The graphsense: source on account chains (ethereum, tron) against the local replay server: cache
// and --offline, the API key (Authorization only; never in output, cache or case), case recording
// and offline replay, transient failures retried (429, 5xx, timeout, truncated body), amounts
// beyond 2^53 kept exact, contradictions refused (exit 4 naming the URL), cursor loops refused,
// tokens without decimals refused, fees GraphSense leaves out stated, tags via "graphsense".
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST, tempDir } from '../esplora/helpers.js';
import type { Fault } from '../esplora/server.js';
import { cli } from '../helpers.js';
import {
  type AccountScenario,
  accountDataset,
  ethScenario,
  roles,
  tronScenario,
} from './account-scenario.js';
import { type AccountServerOptions, accountItems, bigJson, startAccountServer } from './account-server.js';
import { split } from './helpers.js';

const KEY = 'gs-acct-secret-5b1e77';
const e = roles.eth;
let tmp: { dir: string; done: () => Promise<void> };
let ethFile = '';

beforeAll(async () => {
  tmp = await tempDir('ft-gsacct-');
  ethFile = join(tmp.dir, 'eth.json');
  await writeFile(ethFile, JSON.stringify(accountDataset(ethScenario()), null, 1));
});
afterAll(() => tmp.done());

async function withServer(
  o: AccountServerOptions,
  fn: (url: string, s: Awaited<ReturnType<typeof startAccountServer>>, cacheDir: string) => Promise<void>,
  sc: AccountScenario = ethScenario(),
): Promise<void> {
  const server = await startAccountServer(sc, { pageSize: 4, ...o });
  const cache = await tempDir('ft-gsacct-');
  try {
    await fn(server.url, server, cache.dir);
  } finally {
    await server.close();
    await cache.done();
  }
}

const trace = (url: string, cacheDir: string, args: string[], env = FAST, chain = 'ethereum') =>
  cli(
    [
      'trace',
      ...args,
      '--source',
      `graphsense:${url}`,
      '--chain',
      chain,
      '--cache-dir',
      cacheDir,
      '--format',
      'json',
    ],
    env,
  );

async function reference(args: string[]): Promise<string> {
  const r = await cli(['trace', ...args, '--source', ethFile, '--chain', 'ethereum', '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  return split(r.stdout).rest;
}

async function allText(dir: string): Promise<string> {
  let out = '';
  for (const name of await readdir(dir, { recursive: true })) {
    const p = join(dir, name);
    if ((await stat(p)).isFile()) out += await readFile(p, 'utf8');
  }
  return out;
}

const ETH_ARGS = [e.victim, '--asset', 'ETH', '--hops', '4'];
const addrTxs = (a: string) => `/eth/addresses/${a}/txs?pagesize=100`;

describe('graphsense accounts: cache, offline, key, case', () => {
  it('a re-run from the cache makes 0 requests; --offline gives the same result', async () => {
    await withServer({}, async (url, server, cacheDir) => {
      const first = await trace(url, cacheDir, ETH_ARGS);
      expect(first.status, first.stderr).toBe(0);
      expect(server.count()).toBeGreaterThan(5);
      expect(server.count('/eth/supported_tokens')).toBe(1);
      server.reset();
      const again = await trace(url, cacheDir, ETH_ARGS);
      expect(again.stdout).toBe(first.stdout);
      expect(server.count()).toBe(0);
      const off = await trace(url, cacheDir, [...ETH_ARGS, '--offline']);
      expect(off.status, off.stderr).toBe(0);
      expect(server.count()).toBe(0);
      expect(split(off.stdout).rest).toBe(await reference(ETH_ARGS));
    });
  });

  it('--offline with a cold cache: exit 4, no request', async () => {
    await withServer({}, async (url, server, cacheDir) => {
      const r = await trace(url, cacheDir, [...ETH_ARGS, '--offline']);
      expect(r.status).toBe(4);
      expect(r.stderr).toMatch(/offline: .*not in the cache/);
      expect(server.count()).toBe(0);
    });
  });

  it('the key goes in Authorization and nowhere else; the case replays offline', async () => {
    await withServer({ apiKey: KEY }, async (url, server, cacheDir) => {
      const caseDir = join(cacheDir, 'case');
      const r = await trace(url, cacheDir, [e.usdtIn, '--asset', 'USDT', '--case', caseDir, '--verbose'], {
        ...FAST,
        GRAPHSENSE_API_KEY: KEY,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(server.auth.length).toBeGreaterThan(3);
      expect(server.auth.every((a) => a === KEY)).toBe(true);
      expect(r.stdout + r.stderr).not.toContain(KEY);
      const files = await allText(cacheDir);
      expect(files).toContain('address_txs');
      expect(files).not.toContain(KEY);
      await server.close();
      const v = await cli(['case', 'verify', caseDir]);
      expect(v.status, v.stderr).toBe(0);
      expect(v.stdout).toMatch(/identical/);
    });
  });
});

describe('graphsense accounts: transient failures are retried, the result is unchanged', () => {
  it.each<[string, Fault, number]>([
    ['429', { status: 429, body: '{"detail":"Too Many Requests"}' }, 2],
    ['500 twice', { status: 500, body: '{"detail":"Internal Server Error"}' }, 2],
    ['503 text', { status: 503, body: 'upstream unavailable', contentType: 'text/plain' }, 1],
    ['a timeout (no answer)', { kind: 'hang' }, 1],
    ['a truncated body', { kind: 'truncate' }, 1],
  ])('%s', async (_n, fault, times) => {
    const path = addrTxs(e.scam);
    await withServer(
      { fault: (p, n) => (p === path && n <= times ? fault : undefined) },
      async (url, server, cacheDir) => {
        const r = await trace(url, cacheDir, ETH_ARGS);
        expect(r.status, r.stderr).toBe(0);
        expect(split(r.stdout).rest).toBe(await reference(ETH_ARGS));
        expect(server.requests.filter((p) => p === path).length).toBe(times + 1);
      },
    );
  });
});

describe('graphsense accounts: what the API says is taken exactly or refused', () => {
  it('an amount beyond 2^53 wei is exact to the last unit', async () => {
    await withServer({}, async (url, _s, cacheDir) => {
      const r = await trace(url, cacheDir, [e.seed, '--asset', 'ETH', '--hops', '4']);
      expect(r.status, r.stderr).toBe(0);
      // The internal transfer of 2.500000000000000001 ETH (2^53 ≈ 9.007 · 10^15 wei).
      expect(r.stdout).toContain('"2500000000000000001"');
    });
  });

  it('a repeated next_page cursor', async () => {
    const sc = ethScenario();
    const body = { address_txs: [accountItems(sc)[1]!.body], next_page: 'same-cursor' };
    await withServer(
      { fault: (p) => (p.startsWith(`/eth/addresses/${e.victim}/txs`) ? { kind: 'json', body } : undefined) },
      async (url, server, cacheDir) => {
        const r = await trace(url, cacheDir, ETH_ARGS);
        expect(r.status).toBe(4);
        expect(r.stderr).toMatch(/next_page repeats the cursor "same-cursor"/);
        expect(server.count(`/eth/addresses/${e.victim}/txs`)).toBe(2);
      },
    );
  });

  it('an address list that names a transfer not involving the address', async () => {
    const sc = ethScenario();
    const foreign = accountItems(sc).find((i) => i.from !== e.victim && i.to !== e.victim)!.body;
    await withServer(
      {
        fault: (p) =>
          p === addrTxs(e.victim)
            ? { kind: 'json', body: { address_txs: [foreign], next_page: null } }
            : undefined,
      },
      async (url, _s, cacheDir) => {
        const r = await trace(url, cacheDir, ETH_ARGS);
        expect(r.status).toBe(4);
        expect(r.stderr).toContain(`bad response from GET ${url}${addrTxs(e.victim)}`);
        expect(r.stderr).toContain(`which does not involve ${e.victim}`);
      },
    );
  });

  it('an identifier that disagrees with is_external, a fraction, a number beyond 2^256', async () => {
    const sc = ethScenario();
    const items = accountItems(sc).filter((i) => i.from === e.victim || i.to === e.victim);
    const ext = { ...items[0]!.body, is_external: false };
    const frac = { ...items[1]!.body, value: { fiat_values: [], value: 1.5 } };
    const huge = { ...items[2]!.body, value: { fiat_values: [], value: `__big__${10n ** 80n}` } };
    const raw = bigJson({ address_txs: [ext, frac, huge], next_page: null });
    await withServer(
      { fault: (p) => (p === addrTxs(e.victim) ? { kind: 'json', body: raw } : undefined) },
      async (url, _s, cacheDir) => {
        const r = await trace(url, cacheDir, ETH_ARGS);
        expect(r.status).toBe(4);
        expect(r.stderr).toContain('address_txs[0].is_external: is false, but the identifier');
        expect(r.stderr).toContain('address_txs[1].value.value: expected a whole number of base units');
        expect(r.stderr).toContain('address_txs[2].value.value: expected a whole number of base units');
      },
    );
  });

  it('a token transfer in a token /supported_tokens does not list: its decimals are unknown', async () => {
    const sc = ethScenario();
    const listed = sc.tokens.filter((t) => t.ticker !== 'USDT');
    await withServer(
      {},
      async (url, _s, cacheDir) => {
        // The server's list is read at open; the transfers still name usdt.
        const r = await trace(url, cacheDir, [e.usdtIn, '--asset', 'USDT']);
        expect(r.status).toBe(4);
        expect(r.stderr).toContain('moves the token "usdt", which /supported_tokens does not list');
      },
      { ...sc, tokens: listed },
    );
  });

  it('decimals that contradict the chain registry are BAD_DATA', async () => {
    const sc = ethScenario();
    sc.tokens[0] = { ...sc.tokens[0]!, decimals: 18 };
    await withServer(
      {},
      async (url, _s, cacheDir) => {
        const r = await trace(url, cacheDir, [e.usdtIn, '--asset', 'USDT']);
        expect(r.status).toBe(4);
        expect(r.stderr).toContain(`bad response from GET ${url}/eth/supported_tokens: USDT has 18 decimals`);
      },
      sc,
    );
  });

  it('without /supported_tokens the chain registry gives USDT its decimals', async () => {
    await withServer({ noTokenConfigs: true }, async (url, _s, cacheDir) => {
      const args = [e.usdtIn, '--asset', 'USDT', '--hops', '3'];
      const r = await trace(url, cacheDir, args);
      expect(r.status, r.stderr).toBe(0);
      expect(split(r.stdout).rest).toBe(await reference(args));
    });
  });

  it('a transaction without a fee is named in a warning, not silently dropped', async () => {
    const sc = ethScenario();
    delete sc.txs[1]!.fee; // the seed: victim → scam
    await withServer(
      {},
      async (url, _s, cacheDir) => {
        const r = await trace(url, cacheDir, ETH_ARGS);
        expect(r.status, r.stderr).toBe(0);
        const w = split(r.stdout).gs;
        expect(w).toContain(
          `graphsense: 1 ethereum transaction came without a fee (e.g. ${e.seed}): the ETH balances leave those fees out`,
        );
      },
      sc,
    );
  });

  it('two transactions of one ledger in one block: their order comes from the block list', async () => {
    const args = [e.victim, '--asset', 'USDT', '--hops', '3', '--model', 'fifo'];
    await withServer({}, async (url, server, cacheDir) => {
      const r = await trace(url, cacheDir, args);
      expect(r.status, r.stderr).toBe(0);
      expect(server.count('/eth/blocks/18000040/txs')).toBe(1);
      expect(split(r.stdout).gs.filter((w) => w.includes('ordered by hash'))).toEqual([]);
      expect(split(r.stdout).rest).toBe(await reference(args));
    });
    // A deployment without the route: hash order, stated; the figures then differ from chain order.
    await withServer(
      {
        fault: (p) =>
          p.startsWith('/eth/blocks/') ? { status: 404, body: '{"detail":"Not Found"}' } : undefined,
      },
      async (url, _s, cacheDir) => {
        const r = await trace(url, cacheDir, args);
        expect(r.status, r.stderr).toBe(0);
        expect(split(r.stdout).gs).toContain(
          `graphsense: GraphSense gave no transaction list for block 18000040: the 2 transactions of ${e.scam} in that block are ordered by hash, not as the chain ran them`,
        );
        expect(split(r.stdout).rest).not.toBe(await reference(args));
      },
    );
  });

  it('a block list that leaves out a transaction the history places in it is BAD_DATA', async () => {
    await withServer(
      { fault: (p) => (p === '/eth/blocks/18000040/txs' ? { kind: 'json', body: [] } : undefined) },
      async (url, _s, cacheDir) => {
        const r = await trace(url, cacheDir, [e.victim, '--asset', 'USDT', '--hops', '3']);
        expect(r.status).toBe(4);
        expect(r.stderr).toContain(
          `bad response from GET ${url}/eth/blocks/18000040/txs: block 18000040 does not list`,
        );
      },
    );
  });

  it('--history-limit: paging stops past it, the address counts as over the limit, and it is stated', async () => {
    await withServer({}, async (url, server, cacheDir) => {
      const r = await trace(url, cacheDir, [...ETH_ARGS, '--history-limit', '3']);
      expect(r.status, r.stderr).toBe(0);
      // Pages of 4: the first page already holds more than 3 items, so no second page is asked.
      expect(server.count(`/eth/addresses/${e.scam}/txs?pagesize=100`)).toBe(1);
      expect(server.count(`/eth/addresses/${e.scam}/txs?pagesize=100&page=`)).toBe(0);
      expect(split(r.stdout).gs).toContain(
        `graphsense: the history of ${e.scam} was read only to 3 items (--history-limit); the rest was not fetched`,
      );
      const j = JSON.parse(r.stdout) as { summary: { cut: { reason: string; address: string | null }[] } };
      expect(j.summary.cut).toContainEqual(
        expect.objectContaining({ reason: 'history-limit', address: e.scam }),
      );
    });
  });

  it('a deployment without /txs/{h}/flows: a tx seed is refused, not read without its token transfers', async () => {
    await withServer(
      { fault: (p) => (p.includes('/flows') ? { status: 404, body: '{"detail":"Not Found"}' } : undefined) },
      async (url, _s, cacheDir) => {
        const r = await trace(url, cacheDir, [e.usdtIn, '--asset', 'USDT']);
        expect(r.status).toBe(4);
        expect(r.stderr).toContain('this deployment has no /txs/{h}/flows');
      },
    );
  });

  it('an unknown transaction seed is a clear error', async () => {
    await withServer({}, async (url, _s, cacheDir) => {
      const r = await trace(url, cacheDir, [`0x${'ab'.repeat(32)}`]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/not found|unknown|no such|does not hold/i);
    });
  });
});

describe('graphsense accounts: tags attribute clusters via "graphsense"', () => {
  it('TRON: the exchange tag reaches exposure with its entity id', async () => {
    const sc = tronScenario();
    const t = roles.trx;
    await withServer(
      {
        tags: {
          [t.exchange]: [
            {
              label: 'Coinharbor TRON hot wallet',
              actor: 'coinharbor',
              category: 'exchange',
              confidence: 'service_data',
              confidence_level: 50,
              currency: 'trx',
              is_cluster_definer: true,
              tag_type: 'actor',
              tagpack_creator: 'test',
              tagpack_is_public: true,
              tagpack_title: 'Exchanges',
              address: t.exchange,
              entity: 9191,
            },
          ],
        },
      },
      async (url, server, cacheDir) => {
        const r = await trace(url, cacheDir, [t.seed, '--asset', 'USDT', '--hops', '4'], FAST, 'tron');
        expect(r.status, r.stderr).toBe(0);
        expect(server.count(`/trx/addresses/${t.exchange}/tags`)).toBe(1);
        const j = JSON.parse(r.stdout) as {
          graph: { nodes: { attributes: { address: string; cluster: Record<string, unknown> } }[] };
          exposure: { direct: Record<string, unknown>[]; indirect: Record<string, unknown>[] };
        };
        const node = j.graph.nodes.find((n) => n.attributes.address === t.exchange)!;
        expect(node.attributes.cluster).toEqual({
          id: 'coinharbor',
          entity: 'coinharbor',
          category: 'exchange',
          via: 'graphsense',
          graphsenseEntity: 9191,
          confidence: 50,
        });
        expect([...j.exposure.direct, ...j.exposure.indirect]).toContainEqual(
          expect.objectContaining({
            entity: 'coinharbor',
            category: 'exchange',
            via: 'graphsense',
            graphsenseEntities: [9191],
          }),
        );
      },
      sc,
    );
  });
});
