import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from '../../src/sources/cache/codec.js';
import { defaultCacheDir } from '../../src/sources/cache/dir.js';
import { MissCollector, OfflineMissError, offlineMissError } from '../../src/sources/cache/offline.js';
import { type CacheStore, cacheStats, clearCache, openFileCache } from '../../src/sources/cache/store.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let store: CacheStore;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  store = openFileCache({ dir });
});
afterEach(() => cleanup());

const entry = (key: string, body = '{"a":1}', kind = 'test.kind', immutable = true) => ({
  key,
  kind,
  immutable,
  asOfMs: Date.UTC(2024, 0, 1),
  body,
});

async function allFiles(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe('file cache store', () => {
  it('round-trips an entry, atomically, in the documented layout', async () => {
    await store.write(entry('https://blockstream.info/api/tx/aa', '{"txid":"aa","ünï":"ç"}'));
    const r = await store.read('https://blockstream.info/api/tx/aa');
    expect(r).toEqual({
      status: 'hit',
      entry: entry('https://blockstream.info/api/tx/aa', '{"txid":"aa","ünï":"ç"}'),
    });
    const files = await allFiles(dir);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    expect(files.map((f) => f.slice(dir.length))).toContain('/CACHEDIR.TAG');
    const file = store.pathFor('https://blockstream.info/api/tx/aa');
    expect(file).toMatch(/entries-v1\/([0-9a-f]{2})\/\1[0-9a-f]{62}\.entry$/);
    const [header, body] = (await readFile(file, 'utf8')).split('\n');
    expect(JSON.parse(header!)).toMatchObject({
      format: 'fundtrace-cache/1',
      key: 'https://blockstream.info/api/tx/aa',
      kind: 'test.kind',
      immutable: true,
      asOf: '2024-01-01T00:00:00.000Z',
    });
    expect(body).toBe('{"txid":"aa","ünï":"ç"}');
    expect(await store.read('https://blockstream.info/api/tx/bb')).toEqual({ status: 'miss' });
  });

  it.each([
    ['a flipped body byte', (s: Buffer) => Buffer.from(s.toString('utf8').replace('"v":1', '"v":7'))],
    ['a truncated file', (s: Buffer) => s.subarray(0, s.length - 3)],
    ['garbage', () => Buffer.from('\u0000\u0001garbage')],
    ['an empty file', () => Buffer.alloc(0)],
    [
      'a changed header field',
      (s: Buffer) => Buffer.from(s.toString('utf8').replace('"immutable":false', '"immutable":true')),
    ],
  ])('detects %s, reports corrupt and deletes the entry', async (_name, damage) => {
    await store.write(entry('k1', '{"v":1}', 'x', false));
    const file = store.pathFor('k1');
    await writeFile(file, damage(await readFile(file)));
    const r = await store.read('k1');
    expect(r.status).toBe('corrupt');
    expect(await store.read('k1')).toEqual({ status: 'miss' });
  });

  it('detects an entry file that belongs to another key', async () => {
    await store.write(entry('k1'));
    await store.write(entry('k2'));
    await writeFile(store.pathFor('k2'), await readFile(store.pathFor('k1')));
    expect(await store.read('k2')).toEqual({ status: 'corrupt', reason: 'header names a different key' });
  });

  it('never stores an API key, even if a caller passes one in a key', async () => {
    await store.write(entry('https://api.etherscan.io/v2/api?module=account&apikey=SECRET-KEY-123'));
    for (const f of await allFiles(dir)) expect(await readFile(f, 'utf8')).not.toContain('SECRET-KEY-123');
    const hit = await store.read('https://api.etherscan.io/v2/api?module=account&apikey=OTHER-KEY-456');
    expect(hit.status).toBe('hit');
  });

  it('stats by kind, clear by kind, clear all (only its own files)', async () => {
    await store.write(entry('a', '{}', 'esplora.tx'));
    await store.write(entry('b', '{"x":[1,2,3]}', 'esplora.tx'));
    await store.write(entry('c', '[]', 'esplora.address', false));
    await writeFile(`${store.pathFor('a')}.123-abc.tmp`, 'half-written');
    await writeFile(join(dir, 'user-file.txt'), 'keep me');
    const s = await cacheStats(dir);
    expect(s).toMatchObject({ dir, entries: 3, immutable: 2, mutable: 1, unreadable: 0, tmpFiles: 1 });
    expect(s.byKind['esplora.tx']?.entries).toBe(2);
    expect(s.byKind['esplora.address']?.entries).toBe(1);
    expect(s.bytes).toBe((s.byKind['esplora.tx']?.bytes ?? 0) + (s.byKind['esplora.address']?.bytes ?? 0));
    expect(s.bytes).toBeGreaterThan(3 * 100);

    expect(await clearCache(dir, { kind: 'esplora.address' })).toMatchObject({ removed: 1 });
    expect((await store.read('c')).status).toBe('miss');
    expect((await store.read('a')).status).toBe('hit');

    const all = await clearCache(dir);
    expect(all.removed).toBe(2);
    expect(all.bytes).toBe(s.byKind['esplora.tx']?.bytes);
    expect((await cacheStats(dir)).entries).toBe(0);
    expect(await readFile(join(dir, 'user-file.txt'), 'utf8')).toBe('keep me');
    // usable again after a clear
    await store.write(entry('a'));
    expect((await store.read('a')).status).toBe('hit');
  });

  it('stats of a cache that does not exist yet is empty', async () => {
    const s = await cacheStats(join(dir, 'nope'));
    expect(s.entries).toBe(0);
  });
});

describe('cache dir', () => {
  it('FUNDTRACE_CACHE_DIR, else absolute XDG_CACHE_HOME/fundtrace, else ~/.cache/fundtrace', () => {
    expect(defaultCacheDir({ FUNDTRACE_CACHE_DIR: '/c/ft', XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/c/ft');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/x/fundtrace');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/u')).toBe('/home/u/.cache/fundtrace');
    expect(defaultCacheDir({ FUNDTRACE_CACHE_DIR: '  ' }, '/home/u')).toBe('/home/u/.cache/fundtrace');
  });
});

describe('codec', () => {
  it('round-trips bigint (and only real bigint tags)', () => {
    const v = {
      value: 2n ** 70n,
      neg: -5n,
      list: [1n, 'x'],
      fake: { $bigint: 'nope' },
      two: { $bigint: '1', y: 1 },
    };
    expect(decodeValue(encodeValue(v))).toEqual(v);
  });
});

describe('offline misses', () => {
  it('collects many misses into one OFFLINE_MISS listing every key', async () => {
    const misses = new MissCollector();
    const results = await Promise.all(
      ['k1', 'k2', 'k1', 'k3'].map((k) =>
        misses.attempt(async () => {
          if (k === 'k3') return 'found';
          throw new OfflineMissError([k]);
        }),
      ),
    );
    expect(results).toEqual([undefined, undefined, undefined, 'found']);
    expect(misses.keys).toEqual(['k1', 'k2']);
    const err = misses.error()!;
    expect(err.code).toBe('OFFLINE_MISS');
    expect(err.message).toBe(
      'offline: 2 items are not in the cache (first: k1); run once online to fetch them',
    );
    expect(err.details).toEqual(['k1', 'k2']);
    expect(() => misses.throwIfAny()).toThrow(OfflineMissError);
    await expect(misses.attempt(async () => Promise.reject(new Error('other')))).rejects.toThrow('other');
    expect(offlineMissError(['only']).message).toBe('offline: not in the cache: only');
  });
});

describe('keyed checksum', () => {
  it('an entry forged without the cache key (a plain SHA-256 recomputed) is refused, not used', async () => {
    const { createHash } = await import('node:crypto');
    await store.write({ key: 'forge:1', kind: 'test', immutable: true, asOfMs: 1, body: '{"v":1}' });
    const file = store.pathFor('forge:1');
    const [head] = (await readFile(file, 'utf8')).split('\n');
    const h = JSON.parse(head!) as Record<string, unknown>;
    const body = '{"v":999}';
    h.bytes = body.length;
    h.sha256 = createHash('sha256')
      .update(`${h.key}\n${h.kind}\n${h.immutable}\n${h.asOfMs}\n`)
      .update(body)
      .digest('hex');
    await writeFile(file, `${JSON.stringify(h)}\n${body}`);
    const r = await store.read('forge:1');
    expect(r.status).toBe('corrupt');
    expect(await readFile(join(dir, 'cache.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
  });
});
