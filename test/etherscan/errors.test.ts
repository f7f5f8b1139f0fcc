// Documented envelopes and failures, through the CLI: empty lists, NOTOK rate limits (retried),
// a rejected key (exit 4, key never shown or stored), the v1 deprecation text, HTML error pages,
// chain and seed problems, and dialect detection from the answers.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import envelopes from '../fixtures/etherscan/envelopes.json' with { type: 'json' };
import { A, addr, cs, phishScenario, txh } from '../fixtures/etherscan/scenario.js';
import { fixture } from '../helpers.js';
import { comparable, FAKE_KEY, readTree, tempDir, trace, writeDataset } from './helpers.js';
import { type EtherscanTestServer, startEtherscanServer } from './server.js';

const sc = phishScenario();
const html503 = await readFile(fixture('etherscan', 'cloudflare-503.html'), 'utf8');
const isList = (action: string) => (q: URLSearchParams) => q.get('action') === action;

describe('etherscan: source failures (Etherscan v2 dialect)', () => {
  let server: EtherscanTestServer;
  let tmp: { dir: string; done: () => Promise<void> };
  let n = 0;
  let cache = '';
  const args = (seed: string, more: string[] = []) => [
    seed,
    '--source',
    `etherscan:${server.url}`,
    '--api-key',
    FAKE_KEY,
    '--cache-dir',
    cache,
    '--format',
    'json',
    ...more,
  ];
  beforeAll(async () => {
    server = await startEtherscanServer(sc, { dialect: 'etherscan', apiKey: FAKE_KEY });
    tmp = await tempDir();
  });
  afterAll(async () => {
    await server.close();
    await tmp.done();
  });
  beforeEach(() => {
    server.reset();
    cache = `${tmp.dir}/cache-${++n}`;
  });

  it('"No transactions found" is an empty history, not an error (exit 3: nothing to trace)', async () => {
    const r = await trace(args(cs(addr('nobody'))));
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/is not in the data: no ETH history/);
    expect(server.requests.filter((q) => q.query.get('module') === 'account')).toHaveLength(3);
  });

  it('retries a NOTOK rate limit (and an overload text) in a 200 answer, then succeeds', async () => {
    const clean = await trace(args(txh('seed')));
    expect(clean.status, clean.stderr).toBe(0);
    const cleanCount = server.requests.length;
    server.reset();
    cache = `${tmp.dir}/cache-${++n}`;
    server.faults.push(
      { match: isList('txlist'), times: 2, body: JSON.stringify(envelopes.etherscan.rateLimit) },
      { match: isList('tokentx'), times: 1, body: JSON.stringify(envelopes.etherscan.busy) },
    );
    const r = await trace(args(txh('seed')));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(clean.stdout);
    expect(server.requests.length).toBe(cleanCount + 3);
  });

  it('gives up on a rate limit that persists: exit 4, one clear line', async () => {
    server.faults.push({ times: 100, body: JSON.stringify(envelopes.etherscan.rateLimitPerSec) });
    const r = await trace(args(txh('seed')));
    expect(r.status).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/failed after 4 attempts: server says: Max calls per sec rate limit reached/);
    expect(r.stderr).not.toContain(FAKE_KEY);
  });

  it('reports a rejected key as a SOURCE error (exit 4) without ever showing or storing it', async () => {
    const other = await startEtherscanServer(sc, { dialect: 'etherscan', apiKey: 'THE-REAL-KEY-999' });
    try {
      for (const how of ['flag', 'env', 'url'] as const) {
        const c = `${tmp.dir}/cache-key-${how}`;
        const base = how === 'url' ? `${other.url}?apikey=${FAKE_KEY}` : other.url;
        const a = [cs(A.thief), '--source', `etherscan:${base}`, '--cache-dir', c, '--format', 'json'];
        if (how === 'flag') a.push('--api-key', FAKE_KEY);
        const r = await trace(a, how === 'env' ? { ETHERSCAN_API_KEY: FAKE_KEY } : {});
        expect(r.status, r.stderr).toBe(4);
        expect(r.stderr).toMatch(
          /the API key was rejected \("Invalid API Key"\); check --api-key or ETHERSCAN_API_KEY/,
        );
        expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
        expect(r.stdout + r.stderr + (await readTree(c))).not.toContain(FAKE_KEY);
      }
      expect(other.requests.every((q) => q.query.get('apikey') === FAKE_KEY)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('a key written into the URL is used, and kept out of results, messages and the cache', async () => {
    const a = [
      txh('seed'),
      '--source',
      `etherscan:${server.url}?apikey=${FAKE_KEY}`,
      '--cache-dir',
      cache,
      '--format',
      'json',
    ];
    const r = await trace(a);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { query: { sources: string[] } };
    expect(j.query.sources).toEqual([`etherscan:${server.url}`]);
    expect(r.stdout + r.stderr + (await readTree(cache))).not.toContain(FAKE_KEY);
  });

  it('explains the v1 deprecation text and names the v2 URL', async () => {
    const r = await trace([
      txh('seed'),
      '--source',
      `etherscan:${server.origin}/api`,
      '--api-key',
      FAKE_KEY,
      '--no-cache',
    ]);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/deprecated V1 endpoint/);
    expect(r.stderr).toMatch(/etherscan:https:\/\/api\.etherscan\.io\/v2\/api/);
  });

  it('retries an HTML 503 (Cloudflare) page, then succeeds', async () => {
    server.faults.push({
      match: isList('txlistinternal'),
      times: 2,
      status: 503,
      contentType: 'text/html; charset=UTF-8',
      body: html503,
    });
    const r = await trace(args(txh('seed')));
    expect(r.status, r.stderr).toBe(0);
    expect(
      server.requests.filter((q) => q.query.get('action') === 'txlistinternal').length,
    ).toBeGreaterThanOrEqual(4);
  });

  it('a 503 HTML page that persists: exit 4 naming the status, no markup, no key', async () => {
    server.faults.push({ times: 100, status: 503, contentType: 'text/html', body: html503 });
    const r = await trace(args(txh('seed')));
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/HTTP 503/);
    expect(r.stderr).toMatch(/Service temporarily unavailable/);
    expect(r.stderr).not.toMatch(/<div|<html|<h1/);
    expect(r.stderr).not.toContain(FAKE_KEY);
  });

  it('an HTML page with status 200 is a bad answer (exit 4), not data', async () => {
    server.faults.push({ times: 100, status: 200, contentType: 'text/html', body: html503 });
    const r = await trace(args(txh('seed')));
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/bad response from GET .*invalid JSON/);
    expect(r.stderr).not.toContain(FAKE_KEY);
  });

  it('a chain the server does not serve: exit 4 naming the chainid problem and --chain', async () => {
    const r = await trace([...args(txh('seed')), '--chain', 'bsc']);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/chainid 56; pick the chain with --chain/);
  });

  it('a tx seed the API does not know: exit 3', async () => {
    const r = await trace(args(txh('no-such-tx')));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/not in the data: no such transaction/);
  });

  it('api.etherscan.io without a key is a usage error before any request', async () => {
    const r = await trace([
      txh('seed'),
      '--source',
      'etherscan:https://api.etherscan.io/v2/api',
      '--no-cache',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/needs an API key: pass --api-key or set ETHERSCAN_API_KEY/);
  });

  it('malformed tuning variables are usage errors naming them', async () => {
    const r = await trace([txh('seed'), '--source', `etherscan:${server.url}`, '--no-cache'], {
      FUNDTRACE_HTTP_RETRIES: 'many',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/FUNDTRACE_HTTP_RETRIES="many"/);
    const p = await trace([txh('seed'), '--source', `etherscan:${server.url}`, '--no-cache'], {
      FUNDTRACE_ETHERSCAN_PAGE_SIZE: '20000',
    });
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(
      /FUNDTRACE_ETHERSCAN_PAGE_SIZE="20000" is not a whole number between 1 and 10000/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('a non-EVM chain is a usage error', async () => {
    const r = await trace([
      cs(A.thief),
      '--source',
      `etherscan:${server.url}`,
      '--chain',
      'bitcoin',
      '--no-cache',
    ]);
    expect(r.status).toBe(2);
  });

  it('pages through a small result window by block cursor and gets the same result', async () => {
    const ref = await trace(args(cs(A.thief), ['--asset', 'USDT']));
    expect(ref.status, ref.stderr).toBe(0);
    const small = await startEtherscanServer(sc, { dialect: 'etherscan', apiKey: FAKE_KEY, window: 2 });
    try {
      const r = await trace([
        cs(A.thief),
        '--asset',
        'USDT',
        '--source',
        `etherscan:${small.url}`,
        '--api-key',
        FAKE_KEY,
        '--cache-dir',
        `${tmp.dir}/cache-window`,
        '--format',
        'json',
      ]);
      expect(r.status, r.stderr).toBe(0);
      // A window of 2 rows cannot hold a block of 3: the source says which blocks it could not read
      // in full. The figures still match here (the unread rows move nothing this trace follows).
      const got = comparable(r) as { warnings: string[] };
      expect(got.warnings.length).toBeGreaterThan(0);
      expect(
        got.warnings.every((w) => w.includes('holds more rows than the API lets one page through')),
      ).toBe(true);
      expect({ ...got, warnings: [] }).toEqual(comparable(ref));
      const windowErrors = small.requests.filter((q) => Number(q.query.get('offset')) > 2);
      expect(windowErrors.length).toBeGreaterThan(0);
      expect(small.requests.filter((q) => q.query.get('offset') === '2').length).toBeGreaterThan(3);
    } finally {
      await small.close();
    }
  });
});

describe('etherscan: source, dialect detection', () => {
  it('a plain …/api URL that refuses module=proxy is read as Blockscout, with the same result', async () => {
    const server = await startEtherscanServer(sc, { dialect: 'blockscout' });
    const tmp = await tempDir();
    try {
      const dataset = await writeDataset(tmp.dir, sc, 'blockscout');
      const r = await trace([
        txh('seed'),
        '--source',
        `etherscan:${server.origin}/api`,
        '--cache-dir',
        `${tmp.dir}/c`,
        '--format',
        'json',
      ]);
      expect(r.status, r.stderr).toBe(0);
      const local = await trace([txh('seed'), '--source', dataset, '--format', 'json']);
      expect(comparable(r)).toEqual(comparable(local));
      expect(server.requests[0]!.query.get('module')).toBe('proxy');
      expect(server.requests.some((q) => q.method === 'POST' && q.path === '/api/eth-rpc')).toBe(true);
      const lists = server.requests.filter(
        (q) => q.query.get('module') === 'account' && q.query.get('address'),
      );
      expect(lists.length).toBeGreaterThan(0);
      expect(lists.every((q) => q.query.get('sort') === 'asc' && !q.query.has('chainid'))).toBe(true);
    } finally {
      await server.close();
      await tmp.done();
    }
  });
});
