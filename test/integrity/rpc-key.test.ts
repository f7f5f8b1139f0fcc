// `rpc:` takes `--api-key` through a `{key}` placeholder in its URL; the key is sent, never shown.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FAST } from '../esplora/helpers.js';
import { cli } from '../helpers.js';

const seed = '0x8FA78bf8B7334950907FE202E882AFD91aa3236F';

describe('rpc: --api-key', () => {
  it('a {key} placeholder without --api-key is a usage error', async () => {
    const r = await cli(['trace', seed, '--source', 'rpc:https://eth.example/v2/{key}'], FAST);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/\{key\} placeholder; pass --api-key/);
  });

  it('the key replaces {key} in the request path and appears nowhere in the output', async () => {
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `bad key at ${req.url}` })); // a server echoing the key
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const KEY = 'RpcPathKey0123456789abcd';
      const r = await cli(
        ['trace', seed, '--source', `rpc:http://127.0.0.1:${port}/v2/{key}`, '--api-key', KEY, '--no-cache'],
        FAST,
      );
      expect(paths[0]).toBe(`/v2/${KEY}`);
      expect(r.status).not.toBe(0);
      expect(r.stdout + r.stderr).not.toContain(KEY);
      expect(r.stderr).toContain('REDACTED');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
