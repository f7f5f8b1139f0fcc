// The esplora: source and the persistent cache: an immediate second run makes zero requests, a
// corrupted entry is refetched, --offline works from a warm cache and fails clearly (exit 4,
// listing what is missing) from a cold one, --no-cache writes nothing, cache policies
// (immutable once final), and resuming after a fatal error fetches only what is missing.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFileCache } from '../../src/sources/cache/index.js';
import { cli, ISOLATED_ENV } from '../helpers.js';
import { equivalenceScenario, roles } from './cases.js';
import { comparable, tempDir, traceEsplora } from './helpers.js';
import { type EsploraServer, startEsplora } from './server.js';

const built = equivalenceScenario();
const t = built.tx;
let server: EsploraServer;

beforeAll(async () => {
  server = await startEsplora(built.s, { pageSize: 7 });
});
afterAll(() => server.close());

const seeds = [
  { name: 'address seed, forward', seed: () => roles.S, args: ['--hops', '6'] },
  {
    name: 'outpoint seed, backward',
    seed: () => `${t.sp2!.txid}:0`,
    args: ['--direction', 'backward', '--hops', '4'],
  },
];

describe('esplora + cache', () => {
  it("without --cache-dir, the run's own environment names the cache (FUNDTRACE_CACHE_DIR), not the process's", async () => {
    const cache = await tempDir();
    try {
      const r = await cli(
        ['trace', `${t.sp1!.txid}:0`, '--source', `esplora:${server.url}`, '--format', 'json'],
        {
          FUNDTRACE_CACHE_DIR: cache.dir,
          FUNDTRACE_RETRY_BASE_MS: '1',
        },
      );
      expect(r.status, r.stderr).toBe(0);
      expect((await readdir(cache.dir)).sort()).toContain('CACHEDIR.TAG');
      expect(ISOLATED_ENV.FUNDTRACE_CACHE_DIR).not.toBe(cache.dir);
    } finally {
      await cache.done();
    }
  });

  it.each(seeds)('$name: an immediate second run makes zero requests and prints the same', async (c) => {
    const cache = await tempDir();
    try {
      server.reset();
      const first = await traceEsplora(server.url, cache.dir, c.seed(), c.args);
      expect(first.status, first.stderr).toBe(0);
      const made = server.count();
      expect(made).toBeGreaterThan(5);
      expect(new Set(server.requests).size).toBe(made); // nothing asked twice
      server.reset();
      const second = await traceEsplora(server.url, cache.dir, c.seed(), c.args);
      expect(second.status, second.stderr).toBe(0);
      expect(server.count()).toBe(0);
      expect(second.stdout).toBe(first.stdout);
    } finally {
      await cache.done();
    }
  });

  it('a corrupted cache entry is dropped and refetched (one request)', async () => {
    const cache = await tempDir();
    try {
      const seed = `${t.sp1!.txid}:0`;
      const first = await traceEsplora(server.url, cache.dir, seed);
      expect(first.status, first.stderr).toBe(0);
      const store = openFileCache({ dir: cache.dir });
      const file = store.pathFor(`${server.url}/tx/${t.x1!.txid}`);
      const bytes = await readFile(file, 'utf8');
      await writeFile(file, bytes.replace('"vout"', '"vOut"')); // body no longer matches its checksum
      server.reset();
      const second = await traceEsplora(server.url, cache.dir, seed);
      expect(second.status, second.stderr).toBe(0);
      expect(server.requests).toEqual([`/tx/${t.x1!.txid}`]);
      expect(second.stdout).toBe(first.stdout);
    } finally {
      await cache.done();
    }
  });

  it('--offline with a warm cache: zero requests, same result', async () => {
    const cache = await tempDir();
    try {
      const first = await traceEsplora(server.url, cache.dir, roles.S, ['--hops', '6']);
      server.reset();
      const off = await traceEsplora(server.url, cache.dir, roles.S, ['--hops', '6', '--offline']);
      expect(off.status, off.stderr).toBe(0);
      expect(server.count()).toBe(0);
      expect(comparable(off.stdout)).toEqual(comparable(first.stdout));
    } finally {
      await cache.done();
    }
  });

  it('--offline with a cold cache: exit 4, listing what is missing, no request', async () => {
    const cache = await tempDir();
    try {
      server.reset();
      const seed = `${t.sp1!.txid}:0`;
      const r = await traceEsplora(server.url, cache.dir, seed, ['--offline']);
      expect(r.status).toBe(4);
      expect(server.count()).toBe(0);
      expect(r.stderr).toContain('offline: 2 items are not in the cache');
      expect(r.stderr).toContain(`  ${server.url}/blocks/tip/height`);
      expect(r.stderr).toContain(`  ${server.url}/tx/${t.sp1!.txid}`);
    } finally {
      await cache.done();
    }
  });

  it('--offline with a partly warm cache lists what the deeper trace still needs', async () => {
    const cache = await tempDir();
    try {
      const seed = `${t.sp1!.txid}:0`;
      expect((await traceEsplora(server.url, cache.dir, seed, ['--hops', '1'])).status).toBe(0);
      server.reset();
      const r = await traceEsplora(server.url, cache.dir, seed, ['--hops', '4', '--offline']);
      expect(r.status).toBe(4);
      expect(server.count()).toBe(0);
      expect(r.stderr).toMatch(/offline: .*not in the cache/);
      // hops 1 fetched x1 and its outspends; hops 4 next needs the mempool tx that spends x1:2.
      expect(r.stderr).toContain(`${server.url}/tx/${t.mp!.txid}`);
    } finally {
      await cache.done();
    }
  });

  it('--no-cache: every run asks the server, nothing is written', async () => {
    const cache = await tempDir();
    try {
      const seed = `${t.sp1!.txid}:0`;
      server.reset();
      expect((await traceEsplora(server.url, cache.dir, seed, ['--no-cache'])).status).toBe(0);
      const once = server.count();
      expect((await traceEsplora(server.url, cache.dir, seed, ['--no-cache'])).status).toBe(0);
      expect(server.count()).toBe(2 * once);
      expect((await openFileCache({ dir: cache.dir }).stats()).entries).toBe(0);
    } finally {
      await cache.done();
    }
  });

  it('cache policies: final transactions, spends and blocks are kept for good; recent ones and histories are not', async () => {
    const cache = await tempDir();
    try {
      expect((await traceEsplora(server.url, cache.dir, roles.S, ['--hops', '6'])).status).toBe(0);
      const store = openFileCache({ dir: cache.dir });
      const entry = async (path: string) => {
        const r = await store.read(`${server.url}${path}`);
        if (r.status !== 'hit') throw new Error(`${path}: ${r.status}`);
        return r.entry;
      };
      const S = encodeURIComponent(roles.S);
      const tip = built.s.tip; // 120: final = height ≤ 114
      expect(tip).toBe(120);
      expect(await entry('/blocks/tip/height')).toMatchObject({ kind: 'esplora.tip', immutable: false });
      expect(await entry(`/tx/${t.x2!.txid}`)).toMatchObject({ kind: 'esplora.tx', immutable: false }); // h116
      expect(await entry(`/tx/${t.y1!.txid}`)).toMatchObject({ kind: 'esplora.tx', immutable: false }); // h117
      // sp1 (h110): both outputs spent at h110/h111 → final
      expect(await entry(`/tx/${t.sp1!.txid}/outspends`)).toMatchObject({
        kind: 'esplora.outspends',
        immutable: true,
      });
      // sp2: U unspent → may still change
      expect(await entry(`/tx/${t.sp2!.txid}/outspends`)).toMatchObject({ immutable: false });
      expect(await entry(`/block/${built.s.blocks.get(104)!.hash}/txids`)).toMatchObject({
        kind: 'esplora.block-txids',
        immutable: true,
      });
      expect(await entry(`/block/${built.s.blocks.get(117)!.hash}/txids`)).toMatchObject({
        immutable: false,
      });
      expect(await entry(`/address/${S}`)).toMatchObject({ kind: 'esplora.address', immutable: false });
      expect(await entry(`/address/${S}/txs`)).toMatchObject({
        kind: 'esplora.address-txs',
        immutable: false,
      });
      // Transactions confirmed deep enough that were fetched one by one are immutable.
      const backward = await traceEsplora(server.url, cache.dir, `${t.sp2!.txid}:0`, [
        '--direction',
        'backward',
      ]);
      expect(backward.status, backward.stderr).toBe(0);
      expect(await entry(`/tx/${t.p9!.txid}`)).toMatchObject({ kind: 'esplora.tx', immutable: true });
    } finally {
      await cache.done();
    }
  });

  it('after a fatal error, the next run resumes from the cache and fetches only the rest', async () => {
    let broken = true;
    const flaky = await startEsplora(built.s, {
      pageSize: 7,
      fault: (p) =>
        broken && p === `/tx/${t.x2!.txid}` ? { status: 500, body: 'down for maintenance' } : undefined,
    });
    const cache = await tempDir();
    try {
      const args = ['--hops', '6'];
      const r1 = await traceEsplora(flaky.url, cache.dir, roles.S, args);
      expect(r1.status).toBe(4);
      expect(r1.stderr).toContain(`/tx/${t.x2!.txid} failed after 4 attempts: HTTP 500`);
      expect(r1.stderr).toContain(
        'everything fetched so far is in the cache: run the same command again to resume',
      );
      const before = new Set(flaky.requests.filter((p) => p !== `/tx/${t.x2!.txid}`));
      expect(before.size).toBeGreaterThan(10);
      broken = false;
      flaky.reset();
      const r2 = await traceEsplora(flaky.url, cache.dir, roles.S, args);
      expect(r2.status, r2.stderr).toBe(0);
      // Nothing that arrived before the failure is asked again; the failed item is.
      expect(flaky.requests.filter((p) => before.has(p))).toEqual([]);
      expect(flaky.requests).toContain(`/tx/${t.x2!.txid}`);
      const fresh = await tempDir();
      try {
        const r3 = await traceEsplora(flaky.url, fresh.dir, roles.S, args);
        expect(comparable(r2.stdout)).toEqual(comparable(r3.stdout));
      } finally {
        await fresh.done();
      }
    } finally {
      await flaky.close();
      await cache.done();
    }
  });
});
