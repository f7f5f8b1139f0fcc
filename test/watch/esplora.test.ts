// `fundtrace watch --source esplora:URL` against the local Esplora server (electrs wire format,
// pages of 2 so that histories span pages). The chain advances between polls by serving the next
// scenario (a later tip with a new block); a replaced block retracts the alert on its transaction.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAST } from '../esplora/helpers.js';
import { type Scenario, ScenarioBuilder, sha } from '../esplora/scenario.js';
import { type EsploraServer, type ServerOptions, startEsplora } from '../esplora/server.js';
import { cli } from '../helpers.js';
import { addr } from '../heuristics/fixtures.js';
import { tmp } from '../rpc/helpers.js';
import { parseAlerts } from './helpers.js';

const W = addr('watch-W'); // funds at rest, watched for movement
const D = addr('watch-D'); // an exchange deposit address, watched for label hits
const THIEF = addr('watch-thief', 'p2pkh');
const Z = addr('watch-Z');
const BTC = 100_000_000n;

/** tip 105: W mined 50 BTC (100), the thief pays D 1.9 BTC (102), W moves 10 BTC out (104). */
function chain(opts: { move2?: boolean; tip: number; replace?: number[] }): Scenario {
  const b = new ScenarioBuilder(opts.tip);
  const cb = b.coinbase('w-cb', 100, [[W, 50n * BTC]]);
  b.tx('theft', 102, [{ external: THIEF, value: 2n * BTC }], [[D, (19n * BTC) / 10n]]);
  const move = b.tx(
    'move',
    104,
    [{ tx: cb, vout: 0 }],
    [
      [Z, 10n * BTC],
      [W, (399n * BTC) / 10n],
    ],
  );
  if (opts.move2)
    b.tx(
      'move2',
      107,
      [{ tx: move, vout: 1 }],
      [
        [Z, 5n * BTC],
        [W, 34n * BTC],
      ],
    );
  for (const h of opts.replace ?? []) b.filler(h);
  const s = b.build();
  // A reorganisation: other blocks at these heights.
  for (const h of opts.replace ?? []) s.blocks.get(h)!.hash = `00000000${sha(`other block ${h}`).slice(8)}`;
  return s;
}

const servers: EsploraServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});
const serve = async (s: Scenario, fault?: ServerOptions['fault']) => {
  const srv = await startEsplora(s, { pageSize: 2, ...(fault ? { fault } : {}) });
  servers.push(srv);
  return srv;
};

describe('fundtrace watch on esplora:', () => {
  it('movement and label alerts, no repeats as the chain advances, a retraction after a reorg', async () => {
    const dir = tmp('fundtrace-watch-esplora-');
    const labels = join(dir, 'labels.json');
    writeFileSync(
      labels,
      JSON.stringify({
        labels: [{ chain: 'bitcoin', address: THIEF, entity: 'Thief', category: 'theft', source: 'test' }],
      }),
    );
    const file = join(dir, 'watch.yaml');
    writeFileSync(
      file,
      `labels: [labels.json]
watch:
  - address: ${W}
    rules: { movement: { min: "1" } }
  - address: ${D}
    rules: { labels: true }
`,
    );
    const run = (srv: EsploraServer) =>
      cli([
        'watch',
        '-f',
        file,
        '--source',
        `esplora:${srv.url}`,
        '--db',
        join(dir, 'w.db'),
        '--once',
        '--from-height',
        '100',
        '--no-label-dir',
      ]);

    const s1 = await serve(chain({ tip: 105 }));
    const r1 = await run(s1);
    expect(r1.status, r1.stderr).toBe(0);
    const a1 = parseAlerts(r1.stdout);
    expect(a1.map((a) => `${a.rule} ${a.address === W ? 'W' : 'D'} ${a.block.height}`)).toEqual([
      'labels D 102',
      'movement W 104',
    ]);
    // 50 BTC in, 39.9 BTC back to W: 10.1 BTC left (10 to Z and the 0.1 BTC fee).
    expect(a1[1]!.amounts).toEqual([
      {
        direction: 'out',
        counterparty: Z,
        asset: { key: 'BTC', symbol: 'BTC', decimals: 8 },
        amount: ((101n * BTC) / 10n).toString(),
      },
    ]);
    expect(a1[0]!.labels).toEqual([
      { counterparty: THIEF, entity: 'Thief', category: 'theft', source: 'test' },
    ]);
    expect(a1[0]!.amounts[0]!.amount).toBe(((19n * BTC) / 10n).toString());
    // W's history spans pages (3 transactions at 2 per page) and was read to the cursor page.
    expect(s1.count(`/address/${W}/txs/chain/`)).toBeGreaterThan(0);

    const s2 = await serve(chain({ tip: 108, move2: true }));
    const r2 = await run(s2);
    expect(r2.status, r2.stderr).toBe(0);
    const a2 = parseAlerts(r2.stdout);
    expect(a2.map((a) => `${a.rule} ${a.block.height}`)).toEqual(['movement 107']);
    expect(a2[0]!.amounts[0]!.amount).toBe((5n * BTC + (BTC * 9n) / 10n).toString()); // 39.9 − 34 = 5.9 BTC

    // Blocks 107 and 108 replaced by others without move2; the chain is longer.
    const s3 = await serve(chain({ tip: 109, replace: [107, 108] }));
    const r3 = await run(s3);
    expect(r3.status, r3.stderr).toBe(0);
    expect(r3.stderr).toMatch(/reorganisation from block 107/);
    const a3 = parseAlerts(r3.stdout);
    expect(a3.map((a) => [a.type, a.retracts])).toEqual([['retraction', a2[0]!.id]]);
    const r4 = await run(s3);
    expect(r4.stdout).toBe('');
  }, 120_000);

  it('a 429 storm is retried; a hole in the history stops the poll (exit 4) and writes nothing', async () => {
    const dir = tmp('fundtrace-watch-esplora-');
    const file = join(dir, 'watch.yaml');
    writeFileSync(file, `watch:\n  - address: ${W}\n    rules: { movement: { min: "1" } }\n`);
    const db = join(dir, 'w.db');
    const run = (srv: EsploraServer) =>
      cli(
        [
          'watch',
          '-f',
          file,
          '--source',
          `esplora:${srv.url}`,
          '--db',
          db,
          '--once',
          '--from-height',
          '100',
          '--no-label-dir',
        ],
        FAST,
      );
    // Block 103 is missing although the tip is 105.
    const holed = await serve(chain({ tip: 105 }), (path) =>
      path === '/block-height/103' ? { status: 404, body: 'Block not found' } : undefined,
    );
    const r1 = await run(holed);
    expect(r1.status).toBe(4);
    expect(r1.stderr).toMatch(/block 103 is missing below the tip 105/);
    expect(r1.stdout).toBe('');
    const st = await cli(['watch', 'status', '--db', db]);
    expect(st.stdout).toMatch(/no poll yet/);
    // After a first poll, a failing one leaves its error for `watch status`.
    const ok = await run(await serve(chain({ tip: 105 })));
    expect(ok.status, ok.stderr).toBe(0);
    const later = await serve(chain({ tip: 108, move2: true }), (path) =>
      path === '/block-height/107' ? { status: 404, body: 'Block not found' } : undefined,
    );
    expect((await run(later)).status).toBe(4);
    const st2 = await cli(['watch', 'status', '--db', db]);
    expect(st2.stdout).toMatch(/last error: .*block 107 is missing below the tip 108/);
    // Every path answers 429 twice before it answers: the alert still comes, once.
    const storm = await serve(chain({ tip: 105 }), (_path, n) =>
      n <= 2 ? { status: 429, body: 'Too Many Requests', headers: { 'retry-after': '0' } } : undefined,
    );
    const r2 = await cli(
      [
        'watch',
        '-f',
        file,
        '--source',
        `esplora:${storm.url}`,
        '--db',
        join(dir, 'storm.db'),
        '--once',
        '--from-height',
        '100',
        '--no-label-dir',
      ],
      FAST,
    );
    expect(r2.status, r2.stderr).toBe(0);
    expect(parseAlerts(r2.stdout).map((a) => `${a.rule} ${a.block.height}`)).toEqual(['movement 104']);
    expect(storm.requests.length).toBeGreaterThan(new Set(storm.requests).size);
  }, 120_000);
});
