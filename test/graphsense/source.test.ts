// The graphsense: source against the local replay server: cache and --offline, the API key (sent
// in Authorization, never in output, cache or case), case recording and offline replay, transient
// failures retried, contradictions refused (exit 4 naming the URL), cursor loops refused.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equivalenceScenario, roles } from '../esplora/cases.js';
import { comparable, FAST, tempDir, writeDataset } from '../esplora/helpers.js';
import type { Fault } from '../esplora/server.js';
import { cli } from '../helpers.js';
import { confirmedOnly } from './helpers.js';
import { type GsServer, type GsServerOptions, gsTx, startGraphSense } from './server.js';

const built = equivalenceScenario();
const scenario = confirmedOnly(built.s);
const t = built.tx;
const KEY = 'gs-secret-key-7f3a9c';
let tmp: { dir: string; done: () => Promise<void> };
let dataset: string;

beforeAll(async () => {
  tmp = await tempDir('ft-gs-');
  dataset = await writeDataset(tmp.dir, scenario);
});
afterAll(() => tmp.done());

const trace = (url: string, cacheDir: string, seed: string, args: string[] = [], env = FAST) =>
  cli(
    ['trace', seed, '--source', `graphsense:${url}`, '--cache-dir', cacheDir, '--format', 'json', ...args],
    env,
  );

async function reference(seed: string, args: string[]): Promise<unknown> {
  const r = await cli(['trace', seed, '--source', dataset, '--format', 'json', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return comparable(r.stdout);
}

async function withServer(
  o: GsServerOptions,
  fn: (s: GsServer, cacheDir: string) => Promise<void>,
): Promise<void> {
  const server = await startGraphSense(scenario, { pageSize: 7, ...o });
  const cache = await tempDir('ft-gs-');
  try {
    await fn(server, cache.dir);
  } finally {
    await server.close();
    await cache.done();
  }
}

/** Every file under dir, as text. */
async function allText(dir: string): Promise<string> {
  let out = '';
  for (const name of await readdir(dir, { recursive: true })) {
    const p = join(dir, name);
    if ((await stat(p)).isFile()) out += await readFile(p, 'utf8');
  }
  return out;
}

const txPath = (id: string) =>
  `/btc/txs/${id}?include_io=true&include_nonstandard_io=true&include_io_index=true`;
const once =
  (path: string, fault: Fault, times = 1) =>
  (p: string, n: number) =>
    p === path && n <= times ? fault : undefined;

describe('graphsense source: cache, offline, key', () => {
  it('a re-run from the cache makes 0 requests; --offline gives the same result', async () => {
    await withServer({}, async (server, cacheDir) => {
      const args = ['--hops', '6'];
      const first = await trace(server.url, cacheDir, roles.S, args);
      expect(first.status, first.stderr).toBe(0);
      expect(server.count()).toBeGreaterThan(10);
      // History pages asked with an explicit pagesize and followed by next_page.
      expect(server.count(new RegExp(`^/btc/addresses/${roles.S}/txs\\?pagesize=\\d+$`))).toBe(1);
      expect(server.count(new RegExp(`^/btc/addresses/${roles.S}/txs\\?pagesize=\\d+&page=`))).toBe(2);
      server.reset();
      const again = await trace(server.url, cacheDir, roles.S, args);
      expect(again.status, again.stderr).toBe(0);
      expect(server.count()).toBe(0);
      expect(again.stdout).toBe(first.stdout);
      const off = await trace(server.url, cacheDir, roles.S, [...args, '--offline']);
      expect(off.status, off.stderr).toBe(0);
      expect(server.count()).toBe(0);
      expect(comparable(off.stdout)).toEqual(await reference(roles.S, args));
    });
  });

  it('--offline with a cold cache: exit 4, no request', async () => {
    await withServer({}, async (server, cacheDir) => {
      const r = await trace(server.url, cacheDir, `${t.sp1!.txid}:0`, ['--offline']);
      expect(r.status).toBe(4);
      expect(r.stderr).toMatch(/offline: .*not in the cache/);
      expect(server.count()).toBe(0);
    });
  });

  it('the key goes in Authorization (from GRAPHSENSE_API_KEY or --api-key) and nowhere else', async () => {
    await withServer({ apiKey: KEY }, async (server, cacheDir) => {
      const caseDir = join(cacheDir, 'case');
      const seed = `${t.sp1!.txid}:0`;
      const r = await trace(server.url, cacheDir, seed, ['--hops', '5', '--case', caseDir, '--verbose'], {
        ...FAST,
        GRAPHSENSE_API_KEY: KEY,
        ETHERSCAN_API_KEY: 'not-this-one',
      });
      expect(r.status, r.stderr).toBe(0);
      expect(server.auth.length).toBeGreaterThan(3);
      expect(server.auth.every((a) => a === KEY)).toBe(true);
      expect(r.stdout + r.stderr).not.toContain(KEY);
      const cache = await allText(join(cacheDir));
      expect(cache).toContain(t.sp1!.txid); // the cache and the case were written …
      expect(cache).not.toContain(KEY); // … without the key
      // The case replays offline (the server is gone) to the identical result.
      await server.close();
      const v = await cli(['case', 'verify', caseDir]);
      expect(v.status, v.stderr).toBe(0);
      expect(v.stdout).toMatch(/identical/);
      // --api-key wins over the variable; a wrong key is refused by the server, and not shown.
      const wrong = await withServerRun({ apiKey: KEY }, seed, [
        '--api-key',
        'wrong-key-123456',
        '--no-cache',
      ]);
      expect(wrong.status).toBe(4);
      expect(wrong.stderr).toMatch(/HTTP 401/);
      expect(wrong.stderr).not.toContain('wrong-key-123456');
    });
  });
});

async function withServerRun(o: GsServerOptions, seed: string, args: string[]) {
  let out: Awaited<ReturnType<typeof cli>> | undefined;
  await withServer(o, async (server, cacheDir) => {
    out = await trace(server.url, cacheDir, seed, args, { ...FAST, GRAPHSENSE_API_KEY: KEY });
  });
  return out!;
}

describe('graphsense source: transient failures are retried, the result is unchanged', () => {
  const seed = `${t.sp1!.txid}:0`;
  const args = ['--hops', '5'];
  it.each<[string, Fault, number]>([
    ['429 without Retry-After', { status: 429, body: '{"detail":"Too Many Requests"}' }, 2],
    ['429 with Retry-After: 0', { status: 429, body: '', headers: { 'retry-after': '0' } }, 1],
    ['500 twice', { status: 500, body: '{"detail":"Internal Server Error"}' }, 2],
    ['503', { status: 503, body: 'upstream unavailable', contentType: 'text/plain' }, 1],
    ['a timeout (no answer)', { kind: 'hang' }, 1],
    ['a truncated body', { kind: 'truncate' }, 1],
  ])('%s', async (_name, fault, times) => {
    await withServer({ fault: once(txPath(t.x1!.txid), fault, times) }, async (server, cacheDir) => {
      const r = await trace(server.url, cacheDir, seed, args);
      expect(r.status, r.stderr).toBe(0);
      expect(comparable(r.stdout)).toEqual(await reference(seed, args));
      expect(server.requests.filter((p) => p === txPath(t.x1!.txid)).length).toBe(times + 1);
    });
  });
});

describe('graphsense source: contradictions are BAD_DATA (exit 4) naming the URL', () => {
  const seed = `${t.sp1!.txid}:0`;
  it('outputs worth more than inputs', async () => {
    const w = gsTx(t.x1!) as { outputs: { value: { value: number } }[]; total_output: { value: number } };
    w.outputs[0]!.value.value += 1_000_000_000;
    w.total_output.value += 1_000_000_000;
    await withServer(
      { fault: (p) => (p === txPath(t.x1!.txid) ? { kind: 'json', body: w } : undefined) },
      async (server, cacheDir) => {
        const r = await trace(server.url, cacheDir, seed, ['--hops', '5']);
        expect(r.status).toBe(4);
        expect(r.stderr).toContain(`response from GET ${server.url}${txPath(t.x1!.txid)}: tx: inputs total`);
        expect(r.stderr).toContain('(outputs worth more than inputs)');
      },
    );
  });

  it('a total that disagrees with the outputs listed', async () => {
    const w = gsTx(t.x1!) as { total_output: { value: number } };
    w.total_output.value += 1;
    await withServer(
      { fault: (p) => (p === txPath(t.x1!.txid) ? { kind: 'json', body: w } : undefined) },
      async (server, cacheDir) => {
        const r = await trace(server.url, cacheDir, seed, ['--hops', '5']);
        expect(r.status).toBe(4);
        expect(r.stderr).toMatch(/tx\.total_output: says \d+ sat, but the outputs add up to \d+ sat/);
      },
    );
  });

  it('a spent-by link to a transaction that does not spend that output', async () => {
    // sp1's output 0 "spent" by p5's input 0, which spends something else.
    const path = `/btc/txs/${t.sp1!.txid}/spent_in`;
    await withServer(
      {
        fault: (p) =>
          p === path
            ? { kind: 'json', body: [{ input_index: 0, output_index: 0, tx_hash: t.p5!.txid }] }
            : undefined,
      },
      async (server, cacheDir) => {
        const r = await trace(server.url, cacheDir, seed, ['--hops', '5']);
        expect(r.status).toBe(4);
        expect(r.stderr).toContain(`bad response from GET ${server.url}${path}`);
        expect(r.stderr).toContain(`says ${t.p5!.txid} input 0 spends ${t.sp1!.txid}:0`);
      },
    );
  });

  it('a repeated next_page cursor', async () => {
    const pageOf = (p: string) => p.startsWith(`/btc/addresses/${roles.S}/txs`);
    await withServer(
      {
        fault: (p) =>
          pageOf(p)
            ? { kind: 'json', body: { address_txs: [gsTx(t.p1!, false)], next_page: 'same-cursor' } }
            : undefined,
      },
      async (server, cacheDir) => {
        const r = await trace(server.url, cacheDir, roles.S, ['--hops', '2']);
        expect(r.status).toBe(4);
        expect(r.stderr).toMatch(/next_page repeats the cursor "same-cursor"/);
        expect(server.count(`/btc/addresses/${roles.S}/txs`)).toBe(2);
      },
    );
  });

  it('500 on every attempt: exit 4 naming the URL', async () => {
    await withServer(
      { fault: (p) => (p === txPath(t.x1!.txid) ? { status: 500, body: 'boom' } : undefined) },
      async (server, cacheDir) => {
        const r = await trace(server.url, cacheDir, seed);
        expect(r.status).toBe(4);
        expect(r.stderr).toContain(
          `GET ${server.url}${txPath(t.x1!.txid)} failed after 4 attempts: HTTP 500`,
        );
      },
    );
  });
});

describe('graphsense source: a server that echoes the key', () => {
  it('the key in an error body is scrubbed from the message (GRAPHSENSE_API_KEY is a CLI secret)', async () => {
    const seed = `${t.sp1!.txid}:0`;
    await withServer(
      {
        fault: (p) =>
          p === txPath(t.x1!.txid)
            ? { status: 400, body: JSON.stringify({ detail: `invalid key ${KEY} for this plan` }) }
            : undefined,
      },
      async (server, cacheDir) => {
        const r = await trace(server.url, cacheDir, seed, ['--hops', '5'], {
          ...FAST,
          GRAPHSENSE_API_KEY: KEY,
        });
        expect(r.status).toBe(4);
        expect(r.stderr).toMatch(/HTTP 400/);
        expect(r.stderr + r.stdout).not.toContain(KEY);
      },
    );
  });
});

describe('graphsense source: spec', () => {
  it('bad specs and chains are usage errors', async () => {
    const a = await cli(['trace', roles.S, '--source', 'graphsense:']);
    expect(a.status).toBe(2);
    const b = await cli(['trace', roles.S, '--source', 'graphsense:http://h/?key=abc12345']);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('--api-key or GRAPHSENSE_API_KEY');
    expect(b.stderr).not.toContain('abc12345');
    const c = await cli([
      'trace',
      '0x00000000219ab540356cbb839cbe05303d7705fa',
      '--source',
      'graphsense:http://127.0.0.1:9',
      '--chain',
      'polygon',
    ]);
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('reads bitcoin, ethereum and tron');
  });
});
