// `fundtrace watch --source trongrid:URL` against the local TronGrid replay server: TRX and
// USDT-TRC20 movements and label hits at watched TRON addresses, block ids by number, no alert
// repeated as the chain advances, and the TronGrid key never printed nor stored.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';
import { addr, TRX, type TronScenario, type TronTx, txid, USD, USDT } from '../trongrid/scenario.js';
import { startTronGridServer, type TronGridTestServer } from '../trongrid/server.js';
import { parseAlerts } from './helpers.js';

const W = addr('watch-W'); // funds at rest, watched for movement
const D = addr('watch-D'); // an exchange deposit address, watched for label hits
const THIEF = addr('watch-thief');
const Z = addr('watch-Z');
const KEY = 'TRONWATCHKEY0123456789abcdef';
const T0 = 1_700_000_000_000;
const at = (block: number) => T0 + block * 3000;

const tx = (name: string, block: number, rest: Omit<TronTx, 'id' | 'block' | 'time'>): TronTx => ({
  id: txid(`watch-${name}`),
  block,
  time: at(block),
  ...rest,
});

/** W funded (100); the thief pays D 1 000 USDT (102); W sends 10 TRX and 500 USDT to Z (104); later 5 TRX more (107). */
function chain(head: number): TronScenario {
  const txs: TronTx[] = [
    tx('fund', 100, { type: 'TransferContract', owner: Z, to: W, amount: 50n * TRX, fee: 0n }),
    tx('usdt-fund', 100, {
      type: 'TriggerSmartContract',
      owner: Z,
      to: USDT,
      fee: 13_000_000n,
      transfers: [{ contract: USDT, from: Z, to: W, value: 800n * USD }],
    }),
    tx('theft', 102, {
      type: 'TriggerSmartContract',
      owner: THIEF,
      to: USDT,
      fee: 13_000_000n,
      transfers: [{ contract: USDT, from: THIEF, to: D, value: 1_000n * USD }],
    }),
    tx('failed', 103, {
      type: 'TransferContract',
      owner: W,
      to: Z,
      amount: 20n * TRX,
      fee: 100_000n,
      failed: true,
    }),
    tx('move', 104, { type: 'TransferContract', owner: W, to: Z, amount: 10n * TRX, fee: 100_000n }),
    tx('move-usdt', 104, {
      type: 'TriggerSmartContract',
      owner: W,
      to: USDT,
      fee: 13_000_000n,
      transfers: [{ contract: USDT, from: W, to: Z, value: 500n * USD }],
    }),
    tx('move2', 107, { type: 'TransferContract', owner: W, to: Z, amount: 5n * TRX, fee: 100_000n }),
  ].filter((t) => t.block <= head);
  return {
    head,
    headTime: at(head),
    txs,
    tokens: { [USDT]: { symbol: 'USDT', name: 'Tether USD', decimals: 6 } },
  };
}

const servers: TronGridTestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('fundtrace watch on trongrid:', () => {
  it('TRX and USDT movement, a label hit, no repeats as the chain advances, the key never shown', async () => {
    const dir = tmp('fundtrace-watch-trongrid-');
    writeFileSync(
      join(dir, 'labels.json'),
      JSON.stringify({
        labels: [{ chain: 'tron', address: THIEF, entity: 'Thief', category: 'theft', source: 'test' }],
      }),
    );
    const file = join(dir, 'watch.yaml');
    writeFileSync(
      file,
      `chain: tron
labels: [labels.json]
watch:
  - address: ${W}
    rules: { movement: [{ min: "1" }, { asset: USDT, min: "100" }] }
  - address: ${D}
    rules: { labels: true }
`,
    );
    const db = join(dir, 'w.db');
    const run = async (head: number) => {
      const srv = await startTronGridServer(chain(head));
      servers.push(srv);
      return cli(
        [
          'watch',
          '-f',
          file,
          '--source',
          `trongrid:${srv.url}`,
          '--db',
          db,
          '--once',
          '--from-height',
          '100',
          '--no-label-dir',
        ],
        { TRONGRID_API_KEY: KEY },
      );
    };
    const r1 = await run(105);
    expect(r1.status, r1.stderr).toBe(0);
    const a1 = parseAlerts(r1.stdout);
    expect(a1.map((a) => `${a.rule} ${a.address === W ? 'W' : 'D'} ${a.block.height}`)).toEqual([
      'labels D 102',
      'movement W 104',
      'movement W 104',
    ]);
    // The failed payment at 103 moved nothing; at 104 W sent 10 TRX and 500 USDT (two transactions).
    expect(
      a1
        .slice(1)
        .flatMap((a) => a.amounts.map((x) => [x.direction, x.counterparty, x.asset.symbol, x.amount])),
    ).toEqual(
      expect.arrayContaining([
        ['out', Z, 'TRX', (10n * TRX).toString()],
        ['out', Z, 'USDT', (500n * USD).toString()],
      ]),
    );
    expect(a1[0]!.labels).toEqual([
      { counterparty: THIEF, entity: 'Thief', category: 'theft', source: 'test' },
    ]);

    const r2 = await run(108);
    expect(r2.status, r2.stderr).toBe(0);
    expect(parseAlerts(r2.stdout).map((a) => `${a.rule} ${a.block.height} ${a.amounts[0]!.amount}`)).toEqual([
      `movement 107 ${5n * TRX}`,
    ]);
    const r3 = await run(108);
    expect(r3.stdout).toBe('');
    for (const r of [r1, r2, r3]) expect(r.stdout + r.stderr).not.toContain(KEY);
    expect(readFileSync(db).includes(Buffer.from(KEY))).toBe(false);
  }, 120_000);
});
