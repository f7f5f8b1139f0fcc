// stderr says how much came from the cache, and an unwritable cache directory is a warning.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, traceEsplora } from '../esplora/helpers.js';
import { ScenarioBuilder } from '../esplora/scenario.js';
import { startEsplora } from '../esplora/server.js';
import { addr } from '../heuristics/fixtures.js';

describe('cache reporting', () => {
  it('a re-run says how many responses came from the cache; an unwritable cache warns', async () => {
    const b = new ScenarioBuilder(130);
    const p = b.tx(
      'cn-p',
      110,
      [{ external: addr('cn-S'), value: 100_000_000n }],
      [[addr('cn-A'), 99_990_000n]],
    );
    b.tx('cn-c', 112, [{ tx: p, vout: 0 }], [[addr('cn-B'), 99_980_000n]]);
    const server = await startEsplora(b.build());
    const tmp = await tempDir();
    try {
      const cache = join(tmp.dir, 'cache');
      const first = await traceEsplora(server.url, cache, `${p.txid}:0`);
      expect(first.status, first.stderr).toBe(0);
      expect(first.stderr).not.toMatch(/read from the local cache/);
      const again = await traceEsplora(server.url, cache, `${p.txid}:0`);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/\d+ responses read from the local cache, 0 network requests/);
      expect(again.stdout).toBe(first.stdout);

      const notADir = join(tmp.dir, 'file');
      writeFileSync(notADir, 'x');
      const bad = await traceEsplora(server.url, join(notADir, 'cache'), `${p.txid}:0`);
      expect(bad.status, bad.stderr).toBe(0);
      expect(bad.stderr).toMatch(/warning: \d+ responses could not be written to the cache directory/);
    } finally {
      await server.close();
      await tmp.done();
    }
  });
});
