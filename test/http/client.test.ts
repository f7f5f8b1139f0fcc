import { afterEach, describe, expect, it } from 'vitest';
import { FundtraceError } from '../../src/core/errors.js';
import { HttpError, ValidationError } from '../../src/sources/http/errors.js';
import {
  isThing,
  json,
  MEMPOOL_429_HTML,
  rejection,
  startServer,
  type TestServer,
  testClient,
  text,
} from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SECRET = 'SECRET-KEY-123';

describe('retries', () => {
  it('retries a 429 without Retry-After, with backoff, then succeeds', async () => {
    server = await startServer((_req, res, { n }) =>
      n === 1 ? text(res, 429, 'Too Many Requests') : json(res, 200, { id: 'a', n: 1 }),
    );
    const { client, clock } = testClient();
    const value = await client.getJson(server.url('/tx/a'), { validate: isThing });
    expect(value).toEqual({ id: 'a', n: 1 });
    const s = client.stats();
    expect(s.requests).toBe(2);
    expect(s.retries).toBe(1);
    expect(s.rateLimited).toBe(1);
    // backoff 1: cap = base = 1 ms, jitter 0.5 → 0.75 → 1 ms
    expect(clock.sleeps).toEqual([1]);
  });

  it('checks the status before parsing: a 429 with an HTML body (mempool.space) is retried', async () => {
    server = await startServer((_req, res, { n }) => {
      if (n <= 2) {
        res.writeHead(429, { 'content-type': 'text/html' });
        res.end(MEMPOOL_429_HTML);
      } else json(res, 200, { id: 'b', n: 2 });
    });
    const { client } = testClient();
    expect(await client.getJson(server.url('/api/tx/b'), { validate: isThing })).toEqual({ id: 'b', n: 2 });
    expect(client.stats().requests).toBe(3);
  });

  it('an HTML 429 that never ends gives a one-line SOURCE error without markup', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(429, { 'content-type': 'text/html' });
      res.end(MEMPOOL_429_HTML);
    });
    const { client } = testClient({ retries: 2 });
    const err = await rejection(client.getJson(server.url('/api/tx/b'), { validate: isThing }));
    expect(err).toBeInstanceOf(HttpError);
    expect(err.code).toBe('SOURCE');
    expect(err.message).toContain('HTTP 429');
    expect(err.message).toContain('after 3 attempts');
    expect(err.message).not.toMatch(/[<>\r\n]/);
    expect((err as unknown as HttpError).status).toBe(429);
  });

  it('honours Retry-After in seconds', async () => {
    server = await startServer((_req, res, { n }) =>
      n === 1 ? text(res, 429, 'slow down', { 'retry-after': '1' }) : json(res, 200, { id: 'c', n: 3 }),
    );
    const { client, clock } = testClient();
    await client.getJson(server.url('/x'), { validate: isThing });
    expect(clock.sleeps).toEqual([1000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const { client, clock } = testClient();
    const at = new Date(clock.now() + 3000).toUTCString();
    server = await startServer((_req, res, { n }) =>
      n === 1 ? text(res, 503, 'maintenance', { 'retry-after': at }) : json(res, 200, { id: 'd', n: 4 }),
    );
    await client.getJson(server.url('/x'), { validate: isThing });
    expect(clock.sleeps).toEqual([3000]);
  });

  it('gives up at once when Retry-After is longer than maxRetryAfterMs', async () => {
    server = await startServer((_req, res) => text(res, 429, 'daily limit', { 'retry-after': '3600' }));
    const { client } = testClient({ maxRetryAfterMs: 60_000 });
    const err = await rejection(client.getJson(server.url('/x'), { validate: isThing }));
    expect(err.code).toBe('SOURCE');
    expect(err.message).toContain('asks to wait 3600 s');
    expect(client.stats().requests).toBe(1);
  });

  it('retries a 500 and then succeeds', async () => {
    server = await startServer((_req, res, { n }) =>
      n === 1 ? text(res, 500, 'oops') : json(res, 200, { id: 'e', n: 5 }),
    );
    const { client } = testClient();
    expect(await client.getJson(server.url('/x'), { validate: isThing })).toEqual({ id: 'e', n: 5 });
    expect(client.stats().retries).toBe(1);
  });

  it('503 forever: SOURCE after N retries, naming the redacted URL, never the API key', async () => {
    server = await startServer((_req, res) => text(res, 503, 'Service Unavailable'));
    const { client, clock } = testClient({ retries: 4, backoffBaseMs: 2, backoffMaxMs: 8 });
    const url = server.url(`/api?module=account&action=txlist&apikey=${SECRET}&address=0xabc`);
    const err = await rejection(client.getJson(url, { validate: isThing }));
    expect(err).toBeInstanceOf(FundtraceError);
    expect(err.code).toBe('SOURCE');
    expect(client.stats().requests).toBe(5);
    expect(client.stats().retries).toBe(4);
    expect(client.stats().failures).toBe(1);
    const redacted = `http://127.0.0.1:${server.port}/api?module=account&action=txlist&apikey=REDACTED&address=0xabc`;
    expect(err.message).toBe(
      `GET ${redacted} failed after 5 attempts: HTTP 503 Service Unavailable "Service Unavailable"`,
    );
    expect(err.message.split('\n')).toHaveLength(1);
    // exponential: caps 2, 4, 8, 8 → [cap/2, cap) with jitter 0.5
    expect(clock.sleeps).toEqual([2, 3, 6, 6]);
    const everything = JSON.stringify({ m: err.message, d: err.details, u: err.url, s: err.stack });
    expect(everything).not.toContain(SECRET);
    expect(err.details).toHaveLength(5);
  });

  it('sends URL userinfo as Basic auth and redacts it, and literal secrets, from messages', async () => {
    server = await startServer((req, res) => text(res, 502, `auth=${req.headers.authorization}`));
    const { client } = testClient({ retries: 0, secrets: ['PATHKEY-abcdef'] });
    const url = `http://user:${SECRET}@127.0.0.1:${server.port}/v2/PATHKEY-abcdef?token=${SECRET}`;
    const err = await rejection(client.getJson(url, { validate: isThing }));
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain('PATHKEY');
    expect(err.message).toContain(`http://REDACTED@127.0.0.1:${server.port}/v2/REDACTED?token=REDACTED`);
    expect(server.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from(`user:${SECRET}`).toString('base64')}`,
    );
  });

  it('does not retry a 404 and exposes the status', async () => {
    server = await startServer((_req, res) => text(res, 404, 'Transaction not found'));
    const { client } = testClient();
    const err = await rejection(client.getJson(server.url('/tx/ff'), { validate: isThing }));
    expect(err.code).toBe('SOURCE');
    expect((err as unknown as HttpError).status).toBe(404);
    expect(err.message).toContain('HTTP 404 Not Found "Transaction not found"');
    expect(client.stats().requests).toBe(1);
  });

  it('retries a refused connection, then fails with SOURCE', async () => {
    const s = await startServer(() => {});
    const url = s.url('/x');
    await s.close();
    const { client } = testClient({ retries: 2 });
    const err = await rejection(client.getJson(url, { validate: isThing }));
    expect(err.code).toBe('SOURCE');
    expect(err.message).toContain('connection failed');
    expect(err.message).toContain('ECONNREFUSED');
    expect(client.stats().requests).toBe(3);
  });

  it('retries an application-level rate limit inside a 200 (retryWhen)', async () => {
    server = await startServer((_req, res, { n }) =>
      n === 1
        ? json(res, 200, { status: '0', message: 'NOTOK', result: 'Max rate limit reached' })
        : json(res, 200, { id: 'f', n: 6 }),
    );
    const { client } = testClient();
    const value = await client.getJson(server.url('/api'), {
      validate: isThing,
      retryWhen: (d) =>
        (d as { result?: unknown }).result === 'Max rate limit reached'
          ? 'Max rate limit reached'
          : undefined,
    });
    expect(value).toEqual({ id: 'f', n: 6 });
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1, rateLimited: 1 });
  });
});

describe('timeouts and broken bodies', () => {
  it('a response that hangs times out, then the retry succeeds', async () => {
    server = await startServer((_req, res, { n }) => {
      if (n === 1) return; // never answer
      json(res, 200, { id: 'g', n: 7 });
    });
    const { client } = testClient({ timeoutMs: 150 });
    const t0 = Date.now();
    expect(await client.getJson(server.url('/slow'), { validate: isThing })).toEqual({ id: 'g', n: 7 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1 });
  });

  it('a body that stalls half-way times out', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":"h",');
    });
    const { client } = testClient({ timeoutMs: 100, retries: 1 });
    const err = await rejection(client.getJson(server.url('/stall'), { validate: isThing }));
    expect(err.code).toBe('SOURCE');
    expect(err.message).toContain('timed out after 100 ms while reading the body');
    expect(client.stats().requests).toBe(2);
  });

  it('a truncated body (socket closed before Content-Length) is retried', async () => {
    server = await startServer((_req, res, { n }) => {
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"id":"i","n":', () => res.socket?.destroy());
      } else json(res, 200, { id: 'i', n: 9 });
    });
    const { client } = testClient();
    expect(await client.getJson(server.url('/trunc'), { validate: isThing })).toEqual({ id: 'i', n: 9 });
    expect(client.stats().requests).toBe(2);
  });

  it('a body that is always truncated ends in BAD_DATA after badBodyRetries', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":"i","n":', () => res.socket?.destroy());
    });
    const { client } = testClient({ retries: 5, badBodyRetries: 1 });
    const err = await rejection(client.getJson(server.url(`/trunc?apikey=${SECRET}`), { validate: isThing }));
    expect(err.code).toBe('BAD_DATA');
    expect(err.message).toMatch(
      /^bad response from GET http:\/\/127\.0\.0\.1:\d+\/trunc\?apikey=REDACTED: truncated body/,
    );
    expect(err.message).not.toContain(SECRET);
    expect(client.stats().requests).toBe(2);
  });

  it('invalid JSON in a 200 is BAD_DATA after badBodyRetries, quoting the start of the body', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"j","n":1');
    });
    const { client } = testClient({ badBodyRetries: 2 });
    const err = await rejection(client.getJson(server.url('/bad'), { validate: isThing }));
    expect(err.code).toBe('BAD_DATA');
    expect(err.message).toContain('invalid JSON');
    expect(err.message).toContain('body starts "{"id":"j","n":1"');
    expect(err.message).toContain('(3 attempts)');
    expect(client.stats().requests).toBe(3);
  });
});

describe('validation', () => {
  it('a wrong-typed field is BAD_DATA naming the URL; not retried', async () => {
    server = await startServer((_req, res) => json(res, 200, { id: 'k', n: '10' }));
    const { client } = testClient();
    const err = await rejection(
      client.getJson(server.url(`/thing?api_key=${SECRET}`), { validate: isThing }),
    );
    expect(err).toBeInstanceOf(HttpError);
    expect(err.code).toBe('BAD_DATA');
    expect(err.message).toBe(
      `unexpected response from GET http://127.0.0.1:${server.port}/thing?api_key=REDACTED: n: expected a number, got string`,
    );
    expect(client.stats().requests).toBe(1);
  });

  it('a ValidationError lists every problem as details', async () => {
    server = await startServer((_req, res) => json(res, 200, [1, 'x']));
    const { client } = testClient();
    const err = await rejection(
      client.getJson(server.url('/list'), {
        validate: () => {
          throw new ValidationError(['[0]: expected an object', '[1]: expected an object']);
        },
      }),
    );
    expect(err.code).toBe('BAD_DATA');
    expect(err.message).toContain('[0]: expected an object');
    expect(err.details).toEqual(['[0]: expected an object', '[1]: expected an object']);
  });

  it('a FundtraceError thrown by a validator passes through unchanged', async () => {
    server = await startServer((_req, res) => json(res, 200, { status: '0', result: 'Invalid API Key' }));
    const { client } = testClient();
    const err = await rejection(
      client.getJson(server.url('/api'), {
        validate: () => {
          throw new FundtraceError('SOURCE', 'etherscan: Invalid API Key');
        },
      }),
    );
    expect(err.message).toBe('etherscan: Invalid API Key');
  });

  it('rejects non-http URLs as USAGE', async () => {
    const { client } = testClient();
    expect((await rejection(client.getJson('ftp://example.invalid/x', { validate: isThing }))).code).toBe(
      'USAGE',
    );
    expect((await rejection(client.getJson('not a url', { validate: isThing }))).code).toBe('USAGE');
  });
});

describe('other calls', () => {
  it('postJson sends JSON and parses the answer', async () => {
    server = await startServer((req, res, { body }) => {
      const call = JSON.parse(body) as { id: number; method: string };
      json(res, 200, {
        jsonrpc: '2.0',
        id: call.id,
        result: `${req.headers['content-type']}|${call.method}`,
      });
    });
    const { client } = testClient();
    const result = await client.postJson(
      server.url('/rpc'),
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
      { validate: (d) => (d as { result: string }).result },
    );
    expect(result).toBe('application/json|eth_chainId');
    expect(server.requests[0]?.method).toBe('POST');
  });

  it('getText returns the body as text', async () => {
    server = await startServer((_req, res) => text(res, 200, '840000'));
    const { client } = testClient();
    expect(await client.getText(server.url('/blocks/tip/height'), { validate: (s) => Number(s) })).toBe(
      840000,
    );
  });

  it('counts requests and bytes per host and reports events', async () => {
    server = await startServer((_req, res) => json(res, 200, { id: 'l', n: 12 }));
    const events: string[] = [];
    const { client } = testClient({ onEvent: (e) => events.push(e.type) });
    await client.getJson(server.url('/a'), { validate: isThing });
    await client.getJson(server.url('/b'), { validate: isThing });
    const s = client.stats();
    const host = `127.0.0.1:${server.port}`;
    const size = Buffer.byteLength(JSON.stringify({ id: 'l', n: 12 }));
    expect(s).toMatchObject({ requests: 2, retries: 0, bytes: 2 * size });
    expect(s.byHost[host]).toEqual({ requests: 2, retries: 0, bytes: 2 * size, rateLimited: 0, failures: 0 });
    expect(events).toEqual(['request', 'request']);
    client.resetStats();
    expect(client.stats().requests).toBe(0);
  });
});

describe('cancellation', () => {
  it('aborting a hanging request rejects promptly with AbortError, without retrying', async () => {
    server = await startServer(() => {});
    const { client } = testClient({ timeoutMs: 10_000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t0 = Date.now();
    const err = await rejection(
      client.getJson(server.url('/hang'), { validate: isThing, signal: ac.signal }),
    );
    expect(err.name).toBe('AbortError');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(client.stats()).toMatchObject({ requests: 1, retries: 0 });
  });

  it('the client-wide signal interrupts a backoff wait (real clock)', async () => {
    server = await startServer((_req, res) => text(res, 500, 'down'));
    const ac = new AbortController();
    const { createHttpClient } = await import('../../src/sources/http/client.js');
    const { loopbackFetch } = await import('./helpers.js');
    const client = createHttpClient({ signal: ac.signal, backoffBaseMs: 60_000, fetch: loopbackFetch });
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const err = await rejection(client.getJson(server.url('/x'), { validate: isThing }));
    expect(err.name).toBe('AbortError');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(client.stats().requests).toBe(1);
  });
});

describe('interruptSignal', () => {
  it('aborts on the first SIGINT and exits 130 on the second', async () => {
    const { EventEmitter } = await import('node:events');
    const { interruptSignal } = await import('../../src/sources/http/clock.js');
    const exits: number[] = [];
    const proc = Object.assign(new EventEmitter(), { exit: (code: number) => exits.push(code) });
    const { signal, dispose } = interruptSignal(proc as unknown as NodeJS.Process);
    proc.emit('SIGINT', 'SIGINT');
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).name).toBe('AbortError');
    expect(exits).toEqual([]);
    proc.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
    dispose();
    expect(proc.listenerCount('SIGINT')).toBe(0);
  });
});

describe('response size cap and redirects', () => {
  it('refuses a body over the cap at once, without retrying (declared length or streamed)', async () => {
    const big = 'x'.repeat(5000);
    server = await startServer((req, res) => {
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(big.length + 2) });
        res.end(`"${big}"`);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length
        res.write('"');
        for (let i = 0; i < 10; i++) res.write(big);
        res.end('"');
      }
    });
    for (const path of ['/declared', '/streamed']) {
      const { client } = testClient({ maxResponseBytes: 4096 });
      const e = await rejection(client.getJson(server.url(path), { validate: (d) => d }));
      expect(e).toBeInstanceOf(HttpError);
      expect(e.message).toMatch(/response larger than 4096 bytes .*FUNDTRACE_HTTP_MAX_BYTES/);
      expect(client.stats().requests).toBe(1);
    }
  });

  it('refuses a redirect to another host instead of attributing its body to the asked URL', async () => {
    const other = await startServer((_req, res) => json(res, 200, { id: 'elsewhere', n: 1 }));
    try {
      server = await startServer((_req, res) => {
        res.writeHead(302, { location: other.url('/tx/a') });
        res.end();
      });
      const { client } = testClient();
      const e = await rejection(client.getJson(server.url('/tx/a'), { validate: isThing }));
      expect(e.message).toMatch(/redirected to another host/);
      expect(client.stats().requests).toBe(1);
    } finally {
      await other.close();
    }
  });
});
