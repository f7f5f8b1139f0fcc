// Credentials in a source URL under any name (issue 10, item 4): every query value and key-like
// path segments are kept out of stdout, stderr, the cache and a case directory.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactSourceSpec, sourceSpecSecrets } from '../../src/sources/http/redact.js';
import { FAST, tempDir } from '../esplora/helpers.js';
import { ScenarioBuilder } from '../esplora/scenario.js';
import { startEsplora } from '../esplora/server.js';
import { cli } from '../helpers.js';
import { addr } from '../heuristics/fixtures.js';

async function allText(dir: string): Promise<string> {
  let out = '';
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) out += await readFile(join(e.parentPath, e.name), 'utf8').catch(() => '');
  return out;
}

describe('source URL credentials under any name', () => {
  it('redacts every query value and key-like path segments, any host', () => {
    expect(redactSourceSpec('esplora:https://h.example/api?access_key=abcd1234&dkey=zz99')).toBe(
      'esplora:https://h.example/api?access_key=REDACTED&dkey=REDACTED',
    );
    expect(redactSourceSpec('rpc:https://mainnet.gateway.tenderly.co/4xT9bQ2mZ7pL1kV8wR3sN6')).toBe(
      'rpc:https://mainnet.gateway.tenderly.co/REDACTED',
    );
    expect(redactSourceSpec('rpc:https://lb.drpc.org/ogrpc?network=ethereum&dkey=Ak80gSCleU')).toBe(
      'rpc:https://lb.drpc.org/ogrpc?network=REDACTED&dkey=REDACTED',
    );
    expect(redactSourceSpec('rpc:https://nd-123-456-789.p2pify.com/0a9d79d93fb2f4a4b1e04695da2b77a7')).toBe(
      'rpc:https://nd-123-456-789.p2pify.com/REDACTED',
    );
    expect(redactSourceSpec('rpc:https://eth-mainnet.g.alchemy.com/v2/abcdefghijklmnopqrst')).toBe(
      'rpc:https://eth-mainnet.g.alchemy.com/v2/REDACTED',
    );
    expect(redactSourceSpec('esplora:https://blockstream.info/api')).toBe(
      'esplora:https://blockstream.info/api',
    );
    expect(redactSourceSpec('rpc:http://127.0.0.1:8545')).toBe('rpc:http://127.0.0.1:8545');
    expect(sourceSpecSecrets('esplora:https://h.example/api?access_key=abcd1234&dkey=zz99xx')).toEqual(
      expect.arrayContaining(['abcd1234', 'zz99xx']),
    );
  });

  it('esplora:URL?access_key=…&dkey=… leaks into no output, cache or case file', async () => {
    const b = new ScenarioBuilder(130);
    const p = b.tx(
      'rs-p',
      110,
      [{ external: addr('rs-S'), value: 100_000_000n }],
      [[addr('rs-A'), 99_990_000n]],
    );
    b.tx('rs-c', 112, [{ tx: p, vout: 0 }], [[addr('rs-B'), 99_980_000n]]);
    const server = await startEsplora(b.build());
    const tmp = await tempDir();
    try {
      const K1 = 'AccessKeyValue5551';
      const K2 = 'DkeyValue7772';
      const src = `esplora:${server.url.replace(/\/$/, '')}/?access_key=${K1}&dkey=${K2}`;
      const r = await cli(
        [
          'trace',
          `${p.txid}:0`,
          '--source',
          src,
          '--cache-dir',
          join(tmp.dir, 'cache'),
          '--format',
          'json',
          '--case',
          join(tmp.dir, 'case'),
          '--verbose',
        ],
        FAST,
      );
      expect(r.status, r.stderr).toBe(0);
      const everything = r.stdout + r.stderr + (await allText(tmp.dir));
      expect(everything).toContain('access_key=REDACTED');
      expect(everything).not.toContain(K1);
      expect(everything).not.toContain(K2);
    } finally {
      await server.close();
      await tmp.done();
    }
  });
});
