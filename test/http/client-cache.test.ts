import { readdir, readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MissCollector } from '../../src/sources/cache/offline.js';
import { type CacheStore, openFileCache } from '../../src/sources/cache/store.js';
import type { CacheMode, CachePolicy } from '../../src/sources/http/client.js';
import {
  fakeClock,
  isThing,
  json,
  rejection,
  startServer,
  type TestServer,
  tempDir,
  testClient,
} from './helpers.js';

let server: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let store: CacheStore;
let counter = 0;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  store = openFileCache({ dir });
  counter = 0;
  server = await startServer((req, res) => {
    counter++;
    if (req.url?.startsWith('/hang')) return;
    json(res, 200, { id: req.url ?? '', n: counter });
  });
});
afterEach(async () => {
  await server.close();
  await cleanup();
});

const TX: CachePolicy = { kind: 'test.tx', immutable: true };
const HISTORY: CachePolicy = { kind: 'test.history', immutable: false };
const clientWith = (mode: CacheMode = 'normal', clock = fakeClock()) =>
  testClient({ cache: store, cacheMode: mode, clock }).client;

describe('secrets never reach the cache', () => {
  it('a body echoing the API key is stored with the key scrubbed', async () => {
    const KEY = 'EchoedApiKey0987654321';
    const { client } = testClient({ cache: store, cacheMode: 'normal', clock: fakeClock(), secrets: [KEY] });
    const v = await client.getJson(server.url(`/tx/1?module=x&apikey=${KEY}`), {
      validate: isThing,
      cachePolicy: TX,
    });
    expect(v.id).toContain(KEY); // the server did echo it
    let stored = '';
    for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
      if (e.isFile()) stored += await readFile(`${e.parentPath}/${e.name}`, 'utf8');
    expect(stored).toContain('apikey=REDACTED');
    expect(stored).not.toContain(KEY);
  });
});

describe('cache modes', () => {
  it('a cache hit makes zero requests, also for a new client (a re-run)', async () => {
    const first = clientWith();
    const a = await first.getJson(server.url('/tx/1'), { validate: isThing, cachePolicy: TX });
    expect(first.stats()).toMatchObject({ requests: 1, cacheMisses: 1, cacheWrites: 1 });
    expect(await first.getJson(server.url('/tx/1'), { validate: isThing, cachePolicy: TX })).toEqual(a);

    const rerun = clientWith();
    const r = await rerun.getJsonResult(server.url('/tx/1'), { validate: isThing, cachePolicy: TX });
    expect(r).toMatchObject({ value: a, from: 'cache', key: server.url('/tx/1') });
    expect(rerun.stats()).toMatchObject({ requests: 0, cacheHits: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('without a cachePolicy nothing is cached', async () => {
    const client = clientWith();
    await client.getJson(server.url('/tip'), { validate: isThing });
    await client.getJson(server.url('/tip'), { validate: isThing });
    expect(client.stats()).toMatchObject({ requests: 2, cacheWrites: 0, cacheHits: 0 });
  });

  it('a mutable entry is served within its window and revalidated after it', async () => {
    const clock = fakeClock();
    const client = clientWith('normal', clock);
    const url = server.url('/address/abc/txs');
    expect((await client.getJson(url, { validate: isThing, cachePolicy: HISTORY })).n).toBe(1);
    clock.advance(9 * 60_000);
    expect((await client.getJson(url, { validate: isThing, cachePolicy: HISTORY })).n).toBe(1);
    clock.advance(2 * 60_000); // 11 min > default 10 min window
    const r = await client.getJsonResult(url, { validate: isThing, cachePolicy: HISTORY });
    expect(r.value.n).toBe(2);
    expect(r.from).toBe('network');
    expect(r.asOfMs).toBe(clock.now());
    expect(client.stats()).toMatchObject({ requests: 2, cacheHits: 1, cacheStale: 1, cacheWrites: 2 });
    // per-policy window
    clock.advance(2000);
    const short = { ...HISTORY, maxAgeMs: 1000 };
    expect((await client.getJson(url, { validate: isThing, cachePolicy: short })).n).toBe(3);
  });

  it('immutable can be decided from the value (unconfirmed data stays mutable)', async () => {
    const clock = fakeClock();
    const client = clientWith('normal', clock);
    const policy: CachePolicy<{ id: string; n: number }> = { kind: 'test.tx', immutable: (v) => v.n > 1 };
    await client.getJson(server.url('/tx/u'), { validate: isThing, cachePolicy: policy }); // n=1: mutable
    clock.advance(60 * 60_000);
    await client.getJson(server.url('/tx/u'), { validate: isThing, cachePolicy: policy }); // refetched, n=2: immutable
    clock.advance(365 * 24 * 60 * 60_000);
    expect((await client.getJson(server.url('/tx/u'), { validate: isThing, cachePolicy: policy })).n).toBe(2);
    expect(client.stats().requests).toBe(2);
  });

  it('a corrupted entry is detected and refetched, never trusted', async () => {
    const client = clientWith();
    const url = server.url('/tx/c');
    await client.getJson(url, { validate: isThing, cachePolicy: TX });
    const file = store.pathFor(url);
    const raw = await readFile(file, 'utf8');
    await writeFile(file, raw.replace('"n":1', '"n":9'));
    const again = await client.getJson(url, { validate: isThing, cachePolicy: TX });
    expect(again.n).toBe(2); // fresh from the server, not the tampered 9
    expect(client.stats()).toMatchObject({ requests: 2, cacheCorrupt: 1, cacheWrites: 2 });
    expect((await store.read(url)).status).toBe('hit'); // rewritten, valid
  });

  it('a cached body that no longer validates is dropped and refetched', async () => {
    const client = clientWith();
    const url = server.url('/tx/v');
    await store.write({
      key: url,
      kind: 'test.tx',
      immutable: true,
      asOfMs: 0,
      body: '{"id":"v","n":"str"}',
    });
    expect((await client.getJson(url, { validate: isThing, cachePolicy: TX })).n).toBe(1);
    expect(client.stats()).toMatchObject({ requests: 1, cacheCorrupt: 1 });
  });

  it('a response that fails validation is not cached', async () => {
    const client = clientWith();
    const url = server.url('/tx/bad');
    const strict = (d: unknown) => {
      if ((d as { n: number }).n < 5) throw new Error('n too small');
      return d;
    };
    expect((await rejection(client.getJson(url, { validate: strict, cachePolicy: TX }))).code).toBe(
      'BAD_DATA',
    );
    expect((await store.read(url)).status).toBe('miss');
  });

  it('offline: a miss throws OFFLINE_MISS naming the key, makes no request, and is recorded', async () => {
    const client = clientWith('offline');
    const err = await rejection(
      client.getJson(server.url('/tx/none?apikey=SECRET-KEY-123'), { validate: isThing, cachePolicy: TX }),
    );
    expect(err.code).toBe('OFFLINE_MISS');
    expect(err.message).toBe(`offline: not in the cache: ${server.url('/tx/none?apikey=REDACTED')}`);
    expect(client.stats()).toMatchObject({ requests: 0, offlineMisses: 1 });
    expect(client.offlineMisses()).toEqual([server.url('/tx/none?apikey=REDACTED')]);
    expect(server.requests).toHaveLength(0);
  });

  it('offline: many misses can be gathered into one error', async () => {
    const client = clientWith('offline');
    const misses = new MissCollector();
    await Promise.all(
      ['/a', '/b', '/c'].map((p) =>
        misses.attempt(() => client.getJson(server.url(p), { validate: isThing })),
      ),
    );
    const err = misses.error()!;
    expect(err.code).toBe('OFFLINE_MISS');
    expect(err.details).toEqual(['/a', '/b', '/c'].map((p) => server.url(p)));
    expect(client.offlineMisses()).toHaveLength(3);
  });

  it('offline: a hit works with zero requests, even for an expired mutable entry', async () => {
    const clock = fakeClock();
    await clientWith('normal', clock).getJson(server.url('/address/x'), {
      validate: isThing,
      cachePolicy: HISTORY,
    });
    clock.advance(30 * 24 * 60 * 60_000);
    const offline = clientWith('offline', clock);
    const r = await offline.getJsonResult(server.url('/address/x'), {
      validate: isThing,
      cachePolicy: HISTORY,
    });
    expect(r.value.n).toBe(1);
    expect(r.from).toBe('cache');
    expect(offline.stats().requests).toBe(0);
  });

  it('noCache bypasses the cache: always fetches, never writes', async () => {
    await clientWith().getJson(server.url('/tx/n'), { validate: isThing, cachePolicy: TX });
    const client = clientWith('noCache');
    expect((await client.getJson(server.url('/tx/n'), { validate: isThing, cachePolicy: TX })).n).toBe(2);
    expect((await client.getJson(server.url('/tx/m'), { validate: isThing, cachePolicy: TX })).n).toBe(3);
    expect(client.stats()).toMatchObject({ requests: 2, cacheHits: 0, cacheWrites: 0 });
    expect((await store.read(server.url('/tx/m'))).status).toBe('miss');
  });

  it('refresh refetches and rewrites', async () => {
    await clientWith().getJson(server.url('/tx/r'), { validate: isThing, cachePolicy: TX });
    const client = clientWith('refresh');
    expect((await client.getJson(server.url('/tx/r'), { validate: isThing, cachePolicy: TX })).n).toBe(2);
    expect((await clientWith().getJson(server.url('/tx/r'), { validate: isThing, cachePolicy: TX })).n).toBe(
      2,
    );
  });

  it('logical keys: POST bodies and cached() values (bigint-safe)', async () => {
    const client = clientWith();
    const call = { jsonrpc: '2.0', id: 1, method: 'eth_getTransactionReceipt', params: ['0xab'] };
    const opts = { validate: isThing, cachePolicy: TX, cacheKey: 'rpc:1:receipt:0xab' };
    await client.postJson(server.url('/rpc'), call, opts);
    await client.postJson(server.url('/rpc'), call, opts);
    expect(client.stats().requests).toBe(1);

    let computed = 0;
    const compute = async () => {
      computed++;
      return { balance: 12345678901234567890123n };
    };
    const policy = { kind: 'test.balance', immutable: true };
    expect(await client.cached('balance:0xab', policy, compute)).toEqual({
      balance: 12345678901234567890123n,
    });
    expect(await clientWith().cached('balance:0xab', policy, compute)).toEqual({
      balance: 12345678901234567890123n,
    });
    expect(computed).toBe(1);
    const stats = await store.stats();
    expect(stats.byKind).toMatchObject({ 'test.tx': { entries: 1 }, 'test.balance': { entries: 1 } });
  });

  it('Ctrl-C mid-request leaves no entry and no temp file; the re-run fetches it', async () => {
    const client = clientWith();
    const ac = new AbortController();
    const url = server.url('/hang/1');
    const p = client.getJson(url, { validate: isThing, cachePolicy: TX, signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    expect((await rejection(p)).name).toBe('AbortError');
    expect((await store.read(url)).status).toBe('miss');
    const files = await readdir(dir, { recursive: true });
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
