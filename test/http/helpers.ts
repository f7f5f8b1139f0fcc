// Test helpers: a scripted HTTP server on 127.0.0.1 (random port), a fake clock, a fetch that
// refuses anything but loopback (tests must never touch the internet), temp cache dirs.

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpClient, type HttpClientOptions } from '../../src/sources/http/client.js';
import type { Clock } from '../../src/sources/http/clock.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: { n: number; body: string },
) => void | Promise<void>;

export interface TestServer {
  port: number;
  url(path?: string): string;
  requests: SeenRequest[];
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/** Start a server whose handler sees the 1-based request number `ctx.n`. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    res.on('close', finish);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      Promise.resolve(handler(req, res, { n: requests.length, body })).catch((e) => {
        res.destroy(e as Error);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function text(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': 'text/plain',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export const MEMPOOL_429_HTML =
  '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n' +
  '<center><h2>Sign Up for <a href="https://mempool.space/enterprise">Mempool Enterprise</a> to get increased API limits</h2></center>\r\n</body>\r\n</html>\r\n';

/**
 * A fake clock: `sleep` records the duration, advances virtual time and resolves on the next
 * macrotask (so concurrent code interleaves), honouring abort.
 */
export function fakeClock(
  start = Date.UTC(2024, 0, 2, 3, 4, 5),
): Clock & { sleeps: number[]; advance(ms: number): void } {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    sleep: (ms, signal) => {
      if (signal?.aborted) return Promise.reject(signal.reason);
      sleeps.push(ms);
      t += Math.max(0, ms);
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** fetch that only ever talks to the loopback test servers. */
export const loopbackFetch: typeof fetch = (input, init) => {
  const u = new URL(input instanceof Request ? input.url : String(input));
  if (u.hostname !== '127.0.0.1') throw new Error(`test tried to reach ${u.hostname}`);
  return fetch(input, init);
};

/** A client with fast, deterministic settings for tests. */
export function testClient(opts: HttpClientOptions = {}) {
  const clock = (opts.clock as ReturnType<typeof fakeClock> | undefined) ?? fakeClock();
  const client = createHttpClient({
    clock,
    random: () => 0.5,
    backoffBaseMs: 1,
    backoffMaxMs: 20,
    retries: 3,
    timeoutMs: 2_000,
    fetch: loopbackFetch,
    ...opts,
  });
  return { client, clock };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'fundtrace-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Validator for `{ id: string, n: number }`. */
export function isThing(d: unknown): { id: string; n: number } {
  const r = d as { id?: unknown; n?: unknown };
  if (typeof d !== 'object' || d === null) throw new Error('expected an object');
  if (typeof r.id !== 'string') throw new Error(`id: expected a string, got ${typeof r.id}`);
  if (typeof r.n !== 'number') throw new Error(`n: expected a number, got ${typeof r.n}`);
  return { id: r.id, n: r.n };
}

/** Collect a rejection (fails the test if the promise resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}
