// Whole-history paging by block cursor against servers with a small result window, a silent
// per-request cap, blocks denser than a page, and the row limit.

import { describe, expect, it } from 'vitest';
import { openAnySource } from '../../src/app/sources.js';
import type { AccountView } from '../../src/core/view.js';
import type { EtherscanView } from '../../src/sources/etherscan/view.js';
import { addr, busyScenario, cs, type Scenario } from '../fixtures/etherscan/scenario.js';
import { FAKE_KEY, FAST_ENV } from './helpers.js';
import { type ServerOptions, startEtherscanServer } from './server.js';

const W = cs(addr('busy-w'));

async function ledgerOf(
  sc: Scenario,
  opts: Omit<ServerOptions, 'dialect'>,
  env: Record<string, string> = {},
) {
  const server = await startEtherscanServer(sc, { dialect: 'etherscan', apiKey: FAKE_KEY, ...opts });
  try {
    const src = await openAnySource(`etherscan:${server.url}`, {
      cacheMode: 'noCache',
      apiKey: FAKE_KEY,
      chain: 'ethereum',
      env: { ...FAST_ENV, ...env },
    });
    const view = src.view as AccountView & EtherscanView;
    await src.fetcher!.fetchMissing({ addresses: [W], txs: [], outspends: [] });
    const r = view.ledger(W, 'ETH');
    if (r.status !== 'ok') throw new Error('ledger missing after fetch');
    const lists = server.requests.filter((q) => q.query.get('action') === 'txlist');
    return { ledger: r.value, size: view.ledgerSize(W, 'ETH'), warnings: view.warnings(), lists };
  } finally {
    await server.close();
  }
}

const values = (n: number, dense = 0) =>
  [
    ...Array.from({ length: n }, (_, i) => BigInt(i + 1)),
    ...Array.from({ length: dense }, (_, i) => BigInt(i + 1)),
  ]
    .map((v) => v * 10n ** 9n)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const got = (l: readonly { value: bigint }[]) =>
  l.map((t) => t.value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('paging by block cursor', () => {
  it('"Result window is too large": asks for the window the message names, cursors on blocks, loses and doubles nothing', async () => {
    const r = await ledgerOf(busyScenario(130, 3), { window: 50 });
    expect(got(r.ledger)).toEqual(values(130));
    expect(new Set(r.ledger.map((t) => t.tx)).size).toBe(130);
    expect(r.lists[0]!.query.get('offset')).toBe('10000');
    const later = r.lists.slice(1);
    expect(later.every((q) => q.query.get('offset') === '50' && q.query.get('page') === '1')).toBe(true);
    // each next page starts at the last block of the previous one (which ends mid-block)
    const starts = later.map((q) => Number(q.query.get('startblock')));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(starts).size).toBe(starts.length);
  });

  it('learns a silent per-request cap (a short page of a multiple of 25 is confirmed)', async () => {
    const r = await ledgerOf(busyScenario(130, 3), { cap: 25 });
    expect(got(r.ledger)).toEqual(values(130));
    expect(r.lists.some((q) => q.query.get('offset') === '25')).toBe(true);
  });

  it('a list that happens to end on a multiple of 25 costs one confirming request', async () => {
    const r = await ledgerOf(busyScenario(100, 4), {});
    expect(got(r.ledger)).toEqual(values(100));
    expect(r.lists).toHaveLength(2);
    expect(r.lists[1]!.query.get('startblock')).toBe(String(19_000_024));
  });

  it('a block holding more rows than a page is read by page number', async () => {
    const r = await ledgerOf(busyScenario(10, 2, 60), {}, { FUNDTRACE_ETHERSCAN_PAGE_SIZE: '20' });
    expect(got(r.ledger)).toEqual(values(10, 60));
    const dense = r.lists.filter((q) => q.query.get('endblock') !== null);
    expect(dense.map((q) => q.query.get('page'))).toEqual(['2', '3', '4']);
    expect(r.warnings).toEqual([]);
  });

  it('a block denser than the whole window is cut there, and said so', async () => {
    const r = await ledgerOf(busyScenario(4, 2, 60), { window: 40 }, { FUNDTRACE_ETHERSCAN_PAGE_SIZE: '20' });
    expect(r.ledger.length).toBe(4 + 40);
    expect(r.warnings.join('\n')).toMatch(/holds more rows than the API lets one page through/);
  });

  it('stops at FUNDTRACE_ETHERSCAN_MAX_ROWS and reports the history as over the limit', async () => {
    const r = await ledgerOf(
      busyScenario(130, 3),
      {},
      { FUNDTRACE_ETHERSCAN_PAGE_SIZE: '30', FUNDTRACE_ETHERSCAN_MAX_ROWS: '40' },
    );
    expect(r.size).toBeGreaterThan(40);
    expect(r.warnings.join('\n')).toMatch(/was cut at 40 rows per list/);
  });
});

describe('assets and the cache', () => {
  it('a token contract not seen yet has placeholder info until prepareAsset learns it', async () => {
    const { phishScenario, A: who } = await import('../fixtures/etherscan/scenario.js');
    const server = await startEtherscanServer(phishScenario(), { dialect: 'blockscout' });
    try {
      const src = await openAnySource(`etherscan:${server.url}`, {
        cacheMode: 'noCache',
        chain: 'ethereum',
        env: FAST_ENV,
      });
      const view = src.view as AccountView & EtherscanView;
      const fake = cs(who.fake);
      expect(view.resolveAsset(fake.toLowerCase())).toBe(fake);
      expect(view.resolveAsset('usdt')).toBe('USDT');
      expect(view.resolveAsset('0xdAC17F958D2ee523a2206206994597C13D831ec7'.toLowerCase())).toBe('USDT');
      expect(view.resolveAsset('0xDAC17F958D2EE523A2206206994597C13D831EC7x')).toBeUndefined();
      expect(view.asset(fake)).toEqual({ symbol: fake, decimals: 0, contract: fake });
      await view.prepareAsset(fake);
      expect(view.asset(fake)).toEqual({ symbol: 'USDT', decimals: 6, contract: fake });
      expect(view.assets()).toEqual(['ETH', 'USDT', 'USDC', 'DAI', 'WETH', fake]);
    } finally {
      await server.close();
    }
  });

  it('--offline with an empty cache: exit 4 naming what is missing', async () => {
    const { tempDir, trace } = await import('./helpers.js');
    const { txh } = await import('../fixtures/etherscan/scenario.js');
    const tmp = await tempDir();
    try {
      const r = await trace([
        txh('seed'),
        '--source',
        'etherscan:http://127.0.0.1:9/v2/api',
        '--api-key',
        FAKE_KEY,
        '--offline',
        '--cache-dir',
        tmp.dir,
      ]);
      expect(r.status).toBe(4);
      expect(r.stderr).toMatch(
        /offline: not in the cache: http:\/\/127\.0\.0\.1:9\/v2\/api\?chainid=1&module=proxy&action=eth_blockNumber/,
      );
      expect(r.stderr).not.toContain(FAKE_KEY);
    } finally {
      await tmp.done();
    }
  });
});
