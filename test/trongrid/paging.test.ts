// Fingerprint paging against servers with different page sizes (TronGrid's default 20, the maximum
// 200, and sizes that are neither), an empty last page that still has a next link, a repeated
// fingerprint (infinite paging), and the row limit.
import { describe, expect, it } from 'vitest';
import { openAnySource } from '../../src/app/sources.js';
import { addr, busyScenario, TRX } from './scenario.js';
import { type ServerOptions, startTronGridServer } from './server.js';

const W = addr('busy-w');
const FAST = { FUNDTRACE_HTTP_BACKOFF_MS: '5', FUNDTRACE_HTTP_RETRIES: '2' };

async function ledgerOf(n: number, opts: ServerOptions, env: Record<string, string> = {}) {
  const server = await startTronGridServer(busyScenario(n), opts);
  try {
    const src = await openAnySource(`trongrid:${server.url}`, {
      cacheMode: 'noCache',
      chain: 'tron',
      env: { ...FAST, ...env },
    });
    await src.fetcher!.fetchMissing({ addresses: [W], txs: [], outspends: [] });
    const view = src.view;
    if (view.kind !== 'account') throw new Error('not an account view');
    const r = view.ledger(W, 'TRX');
    if (r.status !== 'ok') throw new Error('ledger missing after fetch');
    const lists = server.requests.filter((q) => q.path === `/v1/accounts/${W}/transactions`);
    return { ledger: r.value, size: view.ledgerSize?.(W, 'TRX'), warnings: src.warnings?.() ?? [], lists };
  } finally {
    await server.close();
  }
}

const expected = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i + 1) * TRX);

describe('trongrid: fingerprint paging', () => {
  for (const [cap, pageSize, n] of [
    [20, undefined, 45],
    [200, undefined, 450],
    [7, undefined, 30],
    [200, '13', 40],
    [20, '200', 41],
  ] as const) {
    it(`server pages of ≤ ${cap} rows, limit ${pageSize ?? 200}: all ${n} rows once, in order, cursor by cursor`, async () => {
      const r = await ledgerOf(n, { cap }, pageSize ? { FUNDTRACE_TRONGRID_PAGE_SIZE: pageSize } : {});
      expect(r.ledger.map((t) => t.value)).toEqual(expected(n));
      expect(new Set(r.ledger.map((t) => t.tx)).size).toBe(n);
      const per = Math.min(cap, Number(pageSize ?? 200));
      expect(r.lists).toHaveLength(Math.ceil(n / per) + (n % per === 0 ? 1 : 0));
      expect(r.lists.every((q) => q.query.get('limit') === (pageSize ?? '200'))).toBe(true);
      expect(r.lists.every((q) => q.query.get('order_by') === 'block_timestamp,asc')).toBe(true);
      expect(r.lists[0]!.query.get('fingerprint')).toBeNull();
      expect(r.lists.slice(1).every((q) => q.query.get('fingerprint') !== null)).toBe(true);
    });
  }

  it('a short page that still has a cursor is not the end (the page size is never assumed)', async () => {
    // 45 rows, pages of 20: 20, 20, 5 — with `limit=200` asked, a reader assuming "fewer rows than
    // asked = last page" would stop after 20.
    const r = await ledgerOf(45, { cap: 20 });
    expect(r.ledger).toHaveLength(45);
  });

  it('stops on an empty page even when it still carries a fingerprint and a next link', async () => {
    const r = await ledgerOf(25, { cap: 10, emptyLastPage: true });
    expect(r.ledger).toHaveLength(25);
    expect(r.lists).toHaveLength(4); // 10, 10, 5, then the empty page
  });

  it('refuses a fingerprint that repeats (a server that would page forever): BAD_DATA naming the list', async () => {
    await expect(ledgerOf(30, { cap: 10, repeatFingerprint: 'AYa6eBNpCs5E2Dnum' })).rejects.toMatchObject({
      code: 'BAD_DATA',
      message: expect.stringMatching(
        new RegExp(`page 2 of the (transactions|TRC-20 transfers) of ${W} repeats the paging fingerprint`),
      ),
    });
  });

  it('cuts a list at the row limit and reports the address as over the history limit', async () => {
    const r = await ledgerOf(60, { cap: 20 }, { FUNDTRACE_TRONGRID_MAX_ROWS: '25' });
    expect(r.ledger).toHaveLength(25);
    expect(r.size).toBeGreaterThan(25);
    expect(r.warnings.join('\n')).toMatch(/cut at 25 rows per list/);
  });

  it('refuses a page size above TronGrid’s maximum of 200', async () => {
    await expect(ledgerOf(3, {}, { FUNDTRACE_TRONGRID_PAGE_SIZE: '500' })).rejects.toMatchObject({
      code: 'USAGE',
    });
  });
});
