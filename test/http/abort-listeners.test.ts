// Issue 9 item 8: many concurrent calls under one run signal (Ctrl-C) must not make Node print
// "MaxListenersExceededWarning: … 11 abort listeners": each call's listener is removed when it
// ends, so the count is bounded by concurrency, not a leak.
import { afterEach, describe, expect, it } from 'vitest';
import { isThing, json, startServer, type TestServer, testClient } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('abort listeners', () => {
  it('40 concurrent calls under one signal, in and out of the cache, raise no process warning', async () => {
    server = await startServer((_req, res, { n }) => {
      setTimeout(() => json(res, 200, { id: 'a', n }), 20);
    });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const run = new AbortController();
      const { client } = testClient({ signal: run.signal });
      const s = server;
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          client.cached(
            `k${i}`,
            { kind: 'test', immutable: true },
            (sig) =>
              client.getJson(s.url(`/tx/${i}`), { validate: isThing, ...(sig ? { signal: sig } : {}) }),
            { validate: isThing, signal: run.signal },
          ),
        ),
      );
      await new Promise((r) => setImmediate(r));
      expect(server.requests.length).toBe(40);
      expect(warnings.map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
