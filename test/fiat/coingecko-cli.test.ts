// `--prices URL` from the command line: the CoinGecko source through the shared HTTP layer and
// cache, against a loopback replay of the API's wire format. The API's closes are the samples'
// own (CoinGecko's exports), so every figure must equal the one from the price files; the key
// (COINGECKO_API_KEY) travels as a header only and appears in no output, cache entry or case; a
// 429, an empty series and an answer for another coin are clear errors with nothing cached.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyCase } from '../../src/case/verify.js';
import { snapshotDayFor } from '../../src/sources/prices/coingecko.js';
import { cli } from '../helpers.js';
import { type CoinGeckoReplay, type Snapshots, startCoinGecko } from './coingecko-server.js';
import { SAMPLE_PRICES } from './helpers.js';

const SEED = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
const trace = ['trace', SEED, '--source', 'samples/ransomware-btc.json', '--hops', '10', '--format', 'json'];
const KEY = 'cg-demo-SECRET-key-4242424242';

/** The samples' BTC-USD closes as CoinGecko serves them: the close of D is the snapshot of D+1. */
function btcSnapshots(): Snapshots {
  const rows = readFileSync(join(SAMPLE_PRICES, 'BTC-USD.csv'), 'utf8').trim().split('\n').slice(1);
  return {
    bitcoin: Object.fromEntries(rows.map((r) => r.split(',')).map(([d, c]) => [snapshotDayFor(d!), c!])),
  };
}

let cg: CoinGeckoReplay;
let tmp: string;
let cache: string;
beforeEach(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'fundtrace-cg-cli-'));
  cache = join(tmp, 'cache');
});
afterEach(async () => {
  await cg?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const start = async (snapshots: Snapshots = btcSnapshots()) => {
  cg = await startCoinGecko(snapshots, { now: Date.now(), key: { header: 'x-cg-demo-api-key', value: KEY } });
};
const env = (more: NodeJS.ProcessEnv = {}) => ({
  COINGECKO_API_KEY: KEY,
  FUNDTRACE_CACHE_DIR: cache,
  FUNDTRACE_HTTP_BACKOFF_MS: '1',
  FUNDTRACE_HTTP_RETRIES: '1',
  ...more,
});

interface Out {
  summary: { exits: { entity: string; tainted: { fiat: { value: string; source: string } } }[] };
  fiat: { totals: Record<string, { value: string | null; exact: string | null }> };
}
const figures = (o: Out) => ({
  exits: o.summary.exits.map((e) => [e.entity, e.tainted.fiat.value]),
  totals: Object.fromEntries(Object.entries(o.fiat.totals).map(([k, t]) => [k, [t.value, t.exact]])),
});
const fromFiles = async (code: string) => {
  const r = await cli([...trace, '--fiat', code, '--prices', SAMPLE_PRICES]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Out;
};

/** Every file under `dir`, concatenated (to look for the key). */
const allText = (dir: string): string =>
  readdirSync(dir)
    .map((f) => join(dir, f))
    .map((p) => (statSync(p).isDirectory() ? allText(p) : readFileSync(p, 'latin1')))
    .join('\n');

describe('--prices URL (a CoinGecko-compatible API)', () => {
  it('USD from the API alone: the same figures as the files; key in a header only; past months cached for good', async () => {
    await start();
    const r = await cli([...trace, '--fiat', 'USD', '--prices', cg.baseUrl], env());
    expect(r.status, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout) as Out;
    expect(figures(o)).toEqual(figures(await fromFiles('USD')));
    expect(o.summary.exits[0]!.tainted.fiat.source).toMatch(/^CoinGecko API 127\.0\.0\.1:\d+ \(bitcoin\)$/);
    // One range request per month of snapshots, each with the key as its header.
    const asked = cg.server.requests.length;
    expect(asked).toBeGreaterThan(0);
    for (const q of cg.server.requests) {
      expect(q.url).toMatch(/^\/api\/v3\/coins\/bitcoin\/market_chart\/range\?vs_currency=usd&/);
      expect(q.url).not.toContain(KEY);
      expect(q.headers['x-cg-demo-api-key']).toBe(KEY);
    }
    expect(r.stdout + r.stderr).not.toContain(KEY);
    expect(allText(cache)).not.toContain(KEY);
    // February 2024 is long past: --offline answers from the cache, with no request.
    const again = await cli([...trace, '--fiat', 'USD', '--prices', cg.baseUrl, '--offline'], env());
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe(r.stdout);
    expect(cg.server.requests.length).toBe(asked);
  });

  it('KES: coin prices from the API, the CBK rate from a file (--prices DIR --prices URL)', async () => {
    await start();
    const fx = join(tmp, 'fx');
    cpSync(SAMPLE_PRICES, fx, { recursive: true });
    for (const f of readdirSync(fx)) if (f !== 'USD-KES.csv') rmSync(join(fx, f));
    const r = await cli([...trace, '--fiat', 'KES', '--prices', fx, '--prices', cg.baseUrl], env());
    expect(r.status, r.stderr).toBe(0);
    expect(figures(JSON.parse(r.stdout) as Out)).toEqual(figures(await fromFiles('KES')));
  });

  it('a case made from the API verifies offline and holds no key', async () => {
    await start();
    const dir = join(tmp, 'case');
    const r = await cli([...trace, '--fiat', 'USD', '--prices', cg.baseUrl, '--case', dir], env());
    expect(r.status, r.stderr).toBe(0);
    await cg.close();
    expect(allText(dir)).not.toContain(KEY);
    expect(allText(dir)).toContain('market_chart/range');
    const v = await verifyCase(dir);
    expect(v.problems).toEqual([]);
    expect(v.ok && v.rerunIdentical).toBe(true);
  });

  it('a 429 that persists: a SOURCE error (exit 4), nothing cached', async () => {
    await start();
    cg.rateLimit(100, '0');
    const r = await cli([...trace, '--fiat', 'USD', '--prices', cg.baseUrl], env());
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/429/);
    expect(r.stderr).not.toContain(KEY);
    const off = await cli([...trace, '--fiat', 'USD', '--prices', cg.baseUrl, '--offline'], env());
    expect(off.status).toBe(4);
    expect(off.stderr).toMatch(/offline|cache/i);
    // A 429 that clears within the retries is only a delay.
    cg.rateLimit(1, '0');
    const ok = await cli([...trace, '--fiat', 'USD', '--prices', cg.baseUrl], env());
    expect(ok.status, ok.stderr).toBe(0);
  });

  it('an empty series: BAD_DATA naming the coin and range (exit 4), nothing cached', async () => {
    await start({ bitcoin: { '2023-01-01': '16625.08' } });
    const r = await cli([...trace, '--fiat', 'USD', '--prices', cg.baseUrl], env());
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/empty price series for bitcoin \(2024-02-01 … 2024-03-01\)/);
    const off = await cli([...trace, '--fiat', 'USD', '--prices', cg.baseUrl, '--offline'], env());
    expect(off.status).toBe(4);
  });

  it('an answer for another coin (/history): refused, nothing from it used or cached', async () => {
    await start();
    cg.answerAs('ethereum');
    const e = env({ FUNDTRACE_COINGECKO_ENDPOINT: 'history' });
    const r = await cli([...trace, '--fiat', 'USD', '--prices', cg.baseUrl], e);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/the answer is for coin "ethereum", not "bitcoin"/);
    cg.answerAs(null);
    const ok = await cli([...trace, '--fiat', 'USD', '--prices', cg.baseUrl], e);
    expect(ok.status, ok.stderr).toBe(0);
    expect(figures(JSON.parse(ok.stdout) as Out)).toEqual(figures(await fromFiles('USD')));
  });

  it('two URLs, or two directories, are a usage error', async () => {
    const r = await cli([
      ...trace,
      '--fiat',
      'USD',
      '--prices',
      'http://127.0.0.1:9/a',
      '--prices',
      'http://127.0.0.1:9/b',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/at most one directory and one price API URL/);
  });
});
