import { afterEach, describe, expect, it } from 'vitest';
import { HostGate, Semaphore, TokenBucket } from '../../src/sources/http/limiter.js';
import {
  DEFAULT_HOST_LIMITS,
  GENERIC_HOST_LIMITS,
  resolveHostLimits,
} from '../../src/sources/http/limits.js';
import { fakeClock, isThing, json, rejection, startServer, type TestServer, testClient } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('TokenBucket', () => {
  it('N back-to-back reservations at rate R, burst B: the last waits (N - B) / R', () => {
    for (const [n, rate, burst] of [
      [10, 5, 3],
      [7, 2.5, 1],
      [20, 100, 20],
      [4, 1, 4],
    ] as const) {
      const b = new TokenBucket(rate, burst, 0);
      const waits = Array.from({ length: n }, () => b.reserve(0));
      expect(waits.slice(0, burst).every((w) => w === 0)).toBe(true);
      expect(waits[n - 1]).toBeCloseTo((Math.max(0, n - burst) / rate) * 1000, 6);
      // monotonic: callers leave in FIFO order
      for (let i = 1; i < n; i++) expect(waits[i]!).toBeGreaterThanOrEqual(waits[i - 1]!);
    }
  });

  it('refills with time, up to the burst size', () => {
    const b = new TokenBucket(2, 2, 0);
    expect([b.reserve(0), b.reserve(0), b.reserve(0)]).toEqual([0, 0, 500]);
    // at t=10 s the debt is repaid and the bucket is full again (but no fuller)
    expect([b.reserve(10_000), b.reserve(10_000), b.reserve(10_000)]).toEqual([0, 0, 500]);
  });

  it('unlimited rate never waits; refund returns a token', () => {
    const inf = new TokenBucket(Number.POSITIVE_INFINITY, 1, 0);
    expect(Array.from({ length: 50 }, () => inf.reserve(0)).every((w) => w === 0)).toBe(true);
    const b = new TokenBucket(1, 1, 0);
    b.reserve(0);
    expect(b.reserve(0)).toBe(1000);
    b.refund();
    expect(b.reserve(0)).toBe(1000);
  });
});

describe('HostGate with an injected clock', () => {
  it('N requests through the gate take at least (N - burst) / rate of clock time', async () => {
    const clock = fakeClock(0);
    const gate = new HostGate('h', { rate: 4, burst: 2, concurrency: 100 }, clock);
    const n = 10;
    await Promise.all(
      Array.from({ length: n }, async () => {
        const release = await gate.enter();
        release();
      }),
    );
    expect(clock.now()).toBeGreaterThanOrEqual(((n - 2) / 4) * 1000);
  });

  it('pause() holds every request until the cool-down ends', async () => {
    const clock = fakeClock(0);
    const gate = new HostGate('h', { rate: Number.POSITIVE_INFINITY, burst: 1, concurrency: 4 }, clock);
    gate.pause(5000);
    (await gate.enter())();
    expect(clock.now()).toBe(5000);
    expect(clock.sleeps).toEqual([5000]);
  });

  it('an aborted wait for a slot leaves the queue and does not take a slot', async () => {
    const sem = new Semaphore(1);
    const first = await sem.acquire();
    const ac = new AbortController();
    const waiting = sem.acquire(ac.signal);
    expect(sem.waiting).toBe(1);
    ac.abort();
    expect((await rejection(waiting)).name).toBe('AbortError');
    expect(sem.waiting).toBe(0);
    first();
    expect(sem.inFlight).toBe(0);
    const again = await sem.acquire();
    expect(sem.inFlight).toBe(1);
    again();
  });
});

describe('limits per host', () => {
  it('has documented defaults for the known hosts and a generic one', () => {
    expect(resolveHostLimits('blockstream.info', 'blockstream.info')).toEqual(
      DEFAULT_HOST_LIMITS['blockstream.info'],
    );
    expect(resolveHostLimits('mempool.space', 'mempool.space')).toEqual(DEFAULT_HOST_LIMITS['mempool.space']);
    expect(resolveHostLimits('api.etherscan.io', 'api.etherscan.io')).toEqual({
      rate: 2.5,
      burst: 1,
      concurrency: 2,
    });
    expect(resolveHostLimits('eth.blockscout.com', 'eth.blockscout.com')).toEqual(
      DEFAULT_HOST_LIMITS['*.blockscout.com'],
    );
    expect(resolveHostLimits('example.org', 'example.org')).toEqual(GENERIC_HOST_LIMITS);
    expect(resolveHostLimits('127.0.0.1:8545', '127.0.0.1').rate).toBe(Number.POSITIVE_INFINITY);
  });

  it('user overrides win, exact beats wildcard, host:port beats host', () => {
    const o = {
      '*.blockscout.com': { rate: 10 },
      'base.blockscout.com': { rate: 20 },
      'api.etherscan.io': { rate: 10, concurrency: 5 },
      '127.0.0.1:9999': { rate: 1, burst: 1, concurrency: 1 },
    };
    expect(resolveHostLimits('eth.blockscout.com', 'eth.blockscout.com', o).rate).toBe(10);
    expect(resolveHostLimits('base.blockscout.com', 'base.blockscout.com', o).rate).toBe(20);
    expect(resolveHostLimits('api.etherscan.io', 'api.etherscan.io', o)).toEqual({
      rate: 10,
      burst: 1,
      concurrency: 5,
    });
    expect(resolveHostLimits('127.0.0.1:9999', '127.0.0.1', o)).toEqual({
      rate: 1,
      burst: 1,
      concurrency: 1,
    });
    expect(resolveHostLimits('blockscout.com', 'blockscout.com', o)).toEqual(GENERIC_HOST_LIMITS);
  });
});

describe('against a real server', () => {
  it('rate limit in real time: 6 requests at 20/s with burst 2 take at least 200 ms', async () => {
    server = await startServer((_req, res) => json(res, 200, { id: 'r', n: 1 }));
    const { createHttpClient } = await import('../../src/sources/http/client.js');
    const { loopbackFetch } = await import('./helpers.js');
    const client = createHttpClient({
      fetch: loopbackFetch,
      hosts: { '127.0.0.1': { rate: 20, burst: 2, concurrency: 8 } },
    });
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => client.getJson(server!.url(`/r/${i}`), { validate: isThing })),
    );
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(190); // (6 - 2) / 20 s, minus timer slack
    expect(elapsed).toBeLessThan(3000);
    expect(client.stats().requests).toBe(6);
  });

  it('never has more requests in flight than the host concurrency', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => json(res, 200, { id: 'c', n: 1 }), 40);
    });
    const { client } = testClient({
      hosts: { '127.0.0.1': { rate: Number.POSITIVE_INFINITY, concurrency: 3 } },
    });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => client.getJson(server!.url(`/c/${i}`), { validate: isThing })),
    );
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight).toBe(3);
  });

  it('a 429 cool-down also holds back the other requests to that host', async () => {
    server = await startServer((_req, res, { n }) =>
      n === 1
        ? json(res, 429, { error: 'slow down' }, { 'retry-after': '2' })
        : json(res, 200, { id: 'p', n: 1 }),
    );
    const { client, clock } = testClient({
      hosts: { '127.0.0.1': { rate: Number.POSITIVE_INFINITY, concurrency: 1 } },
    });
    await Promise.all([
      client.getJson(server.url('/p/1'), { validate: isThing }),
      client.getJson(server.url('/p/2'), { validate: isThing }),
    ]);
    // The second request was queued behind the first; it waited out the 2 s cool-down too.
    expect(clock.sleeps).toContain(2000);
    expect(server.requests.map((r) => r.url)).toEqual(['/p/1', '/p/2', '/p/1']);
  });
});
