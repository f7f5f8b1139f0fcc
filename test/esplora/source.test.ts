// The esplora: source against a local Esplora-shaped server: normal operation, paging with a page
// size that is not 25, and the failure modes (429 with and without Retry-After, 429 with an HTML
// body, 500s, a timeout, a truncated body, a field of the wrong type, cursors refused with 422 or
// answered with an early empty page, a server that ignores the cursor), plus spec parsing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnySource } from '../../src/app/sources.js';
import { labelPolicy } from '../../src/cli/policy.js';
import { runTrace } from '../../src/core/trace.js';
import type { TraceOptions } from '../../src/core/trace-types.js';
import type { UtxoView } from '../../src/core/view.js';
import { traceWithFetcher } from '../../src/sources/driver.js';
import {
  esploraChain,
  openEsplora,
  parseEsploraSpec,
  parseRateLimits,
} from '../../src/sources/esplora/index.js';
import type { SourceContext } from '../../src/sources/open.js';
import { sharedHttp } from '../../src/sources/shared-http.js';
import { cli } from '../helpers.js';
import { equivalenceScenario, roles } from './cases.js';
import { comparable, FAST, tempDir, traceEsplora, writeDataset } from './helpers.js';
import { type Fault, type ServerOptions, startEsplora } from './server.js';

const built = equivalenceScenario();
const t = built.tx;
let tmp: { dir: string; done: () => Promise<void> };
let dataset: string;
/** The dataset's answer for each seed/args, computed once. */
const expected = new Map<string, unknown>();

beforeAll(async () => {
  tmp = await tempDir();
  dataset = await writeDataset(tmp.dir, built.s);
});
afterAll(() => tmp.done());

async function reference(seed: string, args: string[]): Promise<unknown> {
  const key = JSON.stringify([seed, args]);
  if (!expected.has(key)) {
    const r = await cli(['trace', seed, '--source', dataset, '--format', 'json', ...args]);
    expect(r.status, r.stderr).toBe(0);
    expected.set(key, comparable(r.stdout));
  }
  return expected.get(key);
}

/** Start a server with `options`, run one trace with a fresh cache, close. */
async function withServer<T>(
  options: ServerOptions,
  fn: (s: Awaited<ReturnType<typeof startEsplora>>, cacheDir: string) => Promise<T>,
): Promise<T> {
  const server = await startEsplora(built.s, { pageSize: 7, ...options });
  const cache = await tempDir();
  try {
    return await fn(server, cache.dir);
  } finally {
    await server.close();
    await cache.done();
  }
}

const txPath = (id: string) => `/tx/${id}`;
const once =
  (path: string, fault: Fault, times = 1) =>
  (p: string, n: number) =>
    p === path && n <= times ? fault : undefined;

describe('esplora source: transient failures are retried, the result is unchanged', () => {
  const seed = `${t.sp1!.txid}:0`;
  const args = ['--hops', '5'];
  it.each<[string, Fault, number]>([
    ['429 without Retry-After', { status: 429, body: 'Too Many Requests' }, 2],
    ['429 with Retry-After: 0', { status: 429, body: '', headers: { 'retry-after': '0' } }, 1],
    [
      '429 with an HTML body (mempool.space)',
      {
        status: 429,
        contentType: 'text/html',
        body: '<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests</h1></center><hr><center>nginx</center></body></html>',
      },
      2,
    ],
    ['500 twice', { status: 500, body: 'Internal Server Error' }, 2],
    ['503 Service Unavailable', { status: 503, body: 'upstream unavailable' }, 1],
    ['a timeout (no answer)', { kind: 'hang' }, 1],
    ['a truncated body', { kind: 'truncate' }, 1],
  ])('%s', async (_name, fault, times) => {
    await withServer({ fault: once(txPath(t.x1!.txid), fault, times) }, async (server, cacheDir) => {
      const r = await traceEsplora(server.url, cacheDir, seed, args);
      expect(r.status, r.stderr).toBe(0);
      expect(comparable(r.stdout)).toEqual(await reference(seed, args));
      expect(server.hits(txPath(t.x1!.txid))).toBe(times + 1);
    });
  });
});

describe('esplora source: fatal failures exit 4, name the URL and say how to resume', () => {
  const seed = `${t.sp1!.txid}:0`;
  it('500 on every attempt', async () => {
    await withServer(
      { fault: (p) => (p === txPath(t.x1!.txid) ? { status: 500, body: 'boom' } : undefined) },
      async (server, cacheDir) => {
        const r = await traceEsplora(server.url, cacheDir, seed);
        expect(r.status).toBe(4);
        expect(r.stderr).toContain(`GET ${server.url}/tx/${t.x1!.txid} failed after 4 attempts: HTTP 500`);
        expect(r.stderr).toContain('run the same command again to resume');
      },
    );
  });

  it('a truncated body every time is bad data', async () => {
    await withServer(
      { fault: (p) => (p === txPath(t.x1!.txid) ? { kind: 'truncate' } : undefined) },
      async (server, cacheDir) => {
        const r = await traceEsplora(server.url, cacheDir, seed);
        expect(r.status).toBe(4);
        expect(r.stderr).toMatch(
          /bad response from GET http:\/\/127\.0\.0\.1:\d+\/tx\/[0-9a-f]{64}: truncated body/,
        );
      },
    );
  });

  it.each<[string, (w: Record<string, unknown>) => void, RegExp]>([
    [
      'an output value as a string',
      (w) => {
        (w.vout as Record<string, unknown>[])[0]!.value = '1500000';
      },
      /tx\.vout\[0\]\.value: expected an integer number of satoshis .*got "1500000" \(string\)/,
    ],
    [
      'a fractional value (BTC instead of sat)',
      (w) => {
        (w.vout as Record<string, unknown>[])[0]!.value = 0.015;
      },
      /tx\.vout\[0\]\.value: expected an integer number of satoshis/,
    ],
    [
      'a block height as a string',
      (w) => {
        (w.status as Record<string, unknown>).block_height = '110';
      },
      /tx\.status\.block_height: expected an integer/,
    ],
    [
      'a missing prevout',
      (w) => {
        (w.vin as Record<string, unknown>[])[0]!.prevout = null;
      },
      /tx\.vin\[0\]\.prevout: missing/,
    ],
    [
      'another transaction than the one asked for',
      (w) => {
        w.txid = t.sp2!.txid;
      },
      /tx\.txid: is [0-9a-f]{64}, not the requested/,
    ],
    [
      'a testnet address from a mainnet server',
      (w) => {
        (w.vout as Record<string, unknown>[])[0]!.scriptpubkey_address =
          'tb1qy9xagxksmqjz6rwqh4kn03x8gp96sv8gjhkenu';
      },
      /is not a valid bitcoin address \(is the server on another network/,
    ],
  ])('a field of the wrong type or form: %s → BAD_DATA naming the URL', async (_n, mutate, message) => {
    const { wireTx } = await import('./scenario.js');
    const bad = wireTx(built.s, t.x1!) as Record<string, unknown>;
    mutate(bad);
    await withServer(
      { fault: (p) => (p === txPath(t.x1!.txid) ? { kind: 'json', body: bad } : undefined) },
      async (server, cacheDir) => {
        const r = await traceEsplora(server.url, cacheDir, seed);
        expect(r.status).toBe(4);
        expect(r.stderr).toContain(`unexpected response from GET ${server.url}/tx/${t.x1!.txid}`);
        expect(r.stderr).toMatch(message);
        // Validation failures are not retried (the answer is deterministic).
        expect(server.hits(txPath(t.x1!.txid))).toBe(1);
      },
    );
  });

  it('a base URL that is not an Esplora API says so', async () => {
    await withServer({ prefix: '/api' }, async (server, cacheDir) => {
      const r = await traceEsplora(server.url.replace('/api', '/wrong'), cacheDir, seed);
      expect(r.status).toBe(4);
      expect(r.stderr).toMatch(/HTTP 404.*is .*\/wrong the root of an Esplora API/);
    });
  });

  it('an unknown seed transaction is a bad seed (exit 3), not a source failure', async () => {
    await withServer({}, async (server, cacheDir) => {
      const r = await traceEsplora(server.url, cacheDir, `${'ab'.repeat(32)}:0`);
      expect(r.status).toBe(3);
      expect(r.stderr).toContain('is not in the data');
    });
  });
});

describe('esplora source: address history paging', () => {
  const S = encodeURIComponent(roles.S);
  const args = ['--hops', '3'];
  it.each([1, 3, 7, 25, 100])('page size %i: same result, pages until the empty one', async (pageSize) => {
    await withServer({ pageSize }, async (server, cacheDir) => {
      const r = await traceEsplora(server.url, cacheDir, roles.S, args);
      expect(r.status, r.stderr).toBe(0);
      expect(comparable(r.stdout)).toEqual(await reference(roles.S, args));
      // 17 confirmed + 1 unconfirmed? S has 18 confirmed transactions here.
      const confirmed = 18;
      const firstChain = Math.min(pageSize, confirmed);
      const cursorPages = Math.ceil((confirmed - firstChain) / pageSize) + (firstChain > 0 ? 1 : 0);
      expect(server.count(`/address/${S}/txs/chain/`)).toBe(cursorPages);
    });
  });

  it('a cursor refused with 422 (history changed between pages): paged again from the start', async () => {
    await withServer(
      {
        unknownCursor: 422,
        fault: firstCursorOnly(`/address/${S}/txs/chain/`, { status: 422, body: 'unknown last_seen_txid' }),
      },
      async (server, cacheDir) => {
        const r = await traceEsplora(server.url, cacheDir, roles.S, args);
        expect(r.status, r.stderr).toBe(0);
        expect(comparable(r.stdout)).toEqual(await reference(roles.S, args));
        expect(server.count(`/address/${S}/txs`)).toBeGreaterThanOrEqual(5);
        expect(server.hits(`/address/${S}/txs`)).toBe(2);
      },
    );
  });

  it('a cursor refused with 422 every time: exit 4 naming the URL', async () => {
    await withServer(
      {
        fault: (p) =>
          p.startsWith(`/address/${S}/txs/chain/`)
            ? { status: 422, body: 'unknown last_seen_txid' }
            : undefined,
      },
      async (server, cacheDir) => {
        const r = await traceEsplora(server.url, cacheDir, roles.S, args);
        expect(r.status).toBe(4);
        expect(r.stderr).toMatch(
          new RegExp(`GET ${server.url}/address/${S}/txs/chain/[0-9a-f]{64} failed: HTTP 422`),
        );
      },
    );
  });

  it('electrs answers an unknown cursor with an empty page: the count check catches it and pages again', async () => {
    await withServer(
      { fault: firstCursorOnly(`/address/${S}/txs/chain/`, { kind: 'json', body: [] }) },
      async (server, cacheDir) => {
        const r = await traceEsplora(server.url, cacheDir, roles.S, args);
        expect(r.status, r.stderr).toBe(0);
        expect(comparable(r.stdout)).toEqual(await reference(roles.S, args));
      },
    );
  });

  it('a history that always ends early is bad data', async () => {
    await withServer(
      { fault: (p) => (p.startsWith(`/address/${S}/txs/chain/`) ? { kind: 'json', body: [] } : undefined) },
      async (server, cacheDir) => {
        const r = await traceEsplora(server.url, cacheDir, roles.S, args);
        expect(r.status).toBe(4);
        expect(r.stderr).toMatch(/the history of .* ended after 7 of the 18 confirmed transactions/);
      },
    );
  });

  it('a server that ignores the cursor (answers the first page again) is caught, not looped on', async () => {
    const { wireTx } = await import('./scenario.js');
    const newest = [...built.s.txs]
      .filter(
        (x) =>
          x.height !== null &&
          (x.inputs.some((i) => i.address === roles.S) || x.outputs.some((o) => o.address === roles.S)),
      )
      .reverse()
      .slice(0, 7)
      .map((x) => wireTx(built.s, x));
    await withServer(
      {
        fault: (p) => (p.startsWith(`/address/${S}/txs/chain/`) ? { kind: 'json', body: newest } : undefined),
      },
      async (server, cacheDir) => {
        const r = await traceEsplora(server.url, cacheDir, roles.S, args);
        expect(r.status).toBe(4);
        expect(r.stderr).toContain('the server ignored the last_seen_txid cursor');
        expect(server.count(`/address/${S}/txs/chain/`)).toBeLessThanOrEqual(3);
      },
    );
  });
});

/** A fault for the very first request under `prefix` only (one server, one test). */
function firstCursorOnly(prefix: string, fault: Fault): (p: string) => Fault | undefined {
  let fired = false;
  return (p) => {
    if (fired || !p.startsWith(prefix)) return undefined;
    fired = true;
    return fault;
  };
}

describe('esplora source: the view and the opener', () => {
  const ctx = (cacheDir: string, extra: Partial<SourceContext> = {}): SourceContext => ({
    cacheMode: 'normal',
    cacheDir,
    env: FAST,
    ...extra,
  });
  const options = (seed: string, over: Partial<TraceOptions> = {}): TraceOptions => ({
    seed,
    seedKind: 'address',
    direction: 'forward',
    model: 'haircut',
    maxHops: 3,
    asset: 'BTC',
    minValue: 0n,
    maxNodes: 10_000,
    historyLimit: 10_000,
    policy: labelPolicy(() => []),
    ...over,
  });

  it('mempool transactions are unconfirmed (height null), the head is the tip read', async () => {
    await withServer({}, async (server, cacheDir) => {
      const src = await openAnySource(`esplora:${server.url}`, ctx(cacheDir));
      const view = src.view as UtxoView;
      const o = await traceWithFetcher(
        view,
        src.fetcher,
        options(`${t.x1!.txid}:2`, { seedKind: 'outpoint' }),
      );
      expect(o.missing).toEqual({ addresses: [], txs: [], outspends: [] });
      const mp = view.tx(t.mp!.txid);
      expect(mp).toEqual({
        status: 'ok',
        value: expect.objectContaining({ height: null, position: null, time: null }),
      });
      expect(view.head).toEqual({ height: built.s.tip });
      expect(src.describe()).toEqual({
        spec: `esplora:${server.url}`,
        kind: 'esplora',
        asOf: { height: built.s.tip },
        capabilities: ['tx', 'outspends', 'address-history', 'block-order'],
      });
      expect(src.chain).toBe('bitcoin');
      expect(src.http?.stats().requests).toBe(server.count());
    });
  });

  it('the history limit stops paging early; the count still tells the whole size', async () => {
    await withServer({}, async (server, cacheDir) => {
      const S = encodeURIComponent(roles.S);
      const src = await openEsplora(
        server.url,
        `esplora:${server.url}`,
        { ...ctx(cacheDir), historyLimit: 5 },
        sharedHttp(ctx(cacheDir)),
      );
      const view = src.view as UtxoView;
      const o = await traceWithFetcher(view, src.fetcher, options(roles.S, { historyLimit: 5 }));
      expect(server.count(`/address/${S}/txs/chain/`)).toBe(0); // the first page (7) already exceeds 5
      expect(view.addressTxCount?.(roles.S)).toBe(18);
      const h = view.addressTxs(roles.S);
      expect(h.status === 'ok' && h.value.length).toBe(7);
      expect(o.warnings.join('\n')).toContain('has 18 transactions, more than the history limit 5');
      expect(src.warnings?.()).toEqual([
        `esplora: the history of ${roles.S} was read only to its newest 7 of 18 transactions (--history-limit 5); older ones were not fetched`,
      ]);
      // Without the limit, the same view pages everything.
      const all = await openEsplora(
        server.url,
        `esplora:${server.url}`,
        ctx(cacheDir),
        sharedHttp(ctx(cacheDir)),
      );
      await traceWithFetcher(all.view, all.fetcher, options(roles.S));
      const full = (all.view as UtxoView).addressTxs(roles.S);
      expect(full.status === 'ok' && full.value.length).toBe(18);
    });
  });

  it('credentials in the URL are used but never shown', async () => {
    await withServer({ prefix: '/api' }, async (server, cacheDir) => {
      const url = server.url.replace('http://', 'http://alice:s3cret-pass@') + '?key=k3y-v4lue';
      const r = await traceEsplora(url, cacheDir, `${t.sp1!.txid}:0`);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).not.toContain('s3cret-pass');
      expect(r.stdout).not.toContain('k3y-v4lue');
      expect(JSON.parse(r.stdout).query.sources).toEqual([
        `esplora:${server.url.replace('http://', 'http://REDACTED@')}?key=REDACTED`,
      ]);
    });
  });

  it.each([
    ['https://blockstream.info/api', undefined, 'bitcoin'],
    ['https://blockstream.info/testnet/api', undefined, 'bitcoin-testnet'],
    ['https://mempool.space/signet/api/', undefined, 'bitcoin-testnet'],
    ['https://mempool.space/testnet4/api', 'bitcoin', 'bitcoin-testnet'],
    ['http://127.0.0.1:3000', 'testnet', 'bitcoin-testnet'],
    ['http://127.0.0.1:3000', undefined, 'bitcoin'],
  ])('network of %s with --chain %s: %s', (url, chain, want) => {
    expect(esploraChain(parseEsploraSpec(url).base, chain)).toBe(want);
  });

  it('spec shortcuts and bad specs', () => {
    expect(parseEsploraSpec('blockstream')).toMatchObject({
      base: 'https://blockstream.info/api',
      shown: 'blockstream',
    });
    expect(parseEsploraSpec('http://h:1/api/?a=1#x')).toEqual({
      base: 'http://h:1/api',
      query: '?a=1',
      shown: 'http://h:1/api/?a=1',
    });
    expect(() => parseEsploraSpec('')).toThrow(/needs a base URL/);
    expect(() => parseEsploraSpec('not a url')).toThrow(/not a URL/);
    expect(() => parseEsploraSpec('ftp://x/')).toThrow(/only http and https/);
    expect(() => esploraChain('http://h', 'ethereum')).toThrow(/serves Bitcoin/);
  });

  it('FUNDTRACE_RATE_LIMIT parsing', () => {
    expect(parseRateLimits('127.0.0.1:3000=20/1/8, Blockstream.info=1')).toEqual({
      '127.0.0.1:3000': { rate: 20, burst: 1, concurrency: 8 },
      'blockstream.info': { rate: 1 },
    });
    expect(() => parseRateLimits('nohost')).toThrow(/host=rate/);
    expect(() => parseRateLimits('h=0')).toThrow(/host=rate/);
  });

  it('a bad tuning variable is a usage error', async () => {
    const r = await cli(['trace', roles.S, '--source', 'esplora:http://127.0.0.1:9', '--format', 'json'], {
      FUNDTRACE_HTTP_RETRIES: 'lots',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('FUNDTRACE_HTTP_RETRIES="lots"');
  });

  it('the pure engine over a fully fetched view needs nothing more', async () => {
    await withServer({}, async (server, cacheDir) => {
      const src = await openAnySource(`esplora:${server.url}`, ctx(cacheDir));
      const opts = options(roles.S);
      await traceWithFetcher(src.view, src.fetcher, opts);
      const again = runTrace(src.view, opts);
      expect(again.missing).toEqual({ addresses: [], txs: [], outspends: [] });
    });
  });
});
