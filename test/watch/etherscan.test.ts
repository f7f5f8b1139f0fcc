// `fundtrace watch --source etherscan:URL` against the local Etherscan v2 / Blockscout look-alike:
// per-address lists by block range (normal, internal, token transfers), block hashes from
// eth_getBlockByNumber, the chain advancing between polls, no repeated alert, and the API key
// never printed nor stored.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type EtherscanTestServer, type ServerDialect, startEtherscanServer } from '../etherscan/server.js';
import { addr, cs, ETH, GWEI, type Scenario, type ScTx, txh, USDT } from '../fixtures/etherscan/scenario.js';
import { cli } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';
import { parseAlerts } from './helpers.js';

const W = addr('watch-W'); // funds at rest, watched for movement
const D = addr('watch-D'); // an exchange deposit address, watched for label hits
const THIEF = addr('watch-thief');
const MIXER = addr('watch-mixer');
const Z = addr('watch-Z');
const KEY = 'WATCHKEY0123456789ABCDEFGHIJ';

const t = (
  name: string,
  block: number,
  position: number,
  from: string,
  to: string,
  value: bigint,
  more: Partial<ScTx> = {},
): ScTx => ({
  name,
  hash: txh(name),
  block,
  position,
  time: 1_705_132_800 + block * 12,
  from,
  to,
  value,
  gasUsed: 21_000n,
  gasPrice: 20n * GWEI,
  ...more,
});

/** fund W (90); the thief pays D 2 ETH (102); W sends 10 ETH and 500 USDT to Z (104); later, a mixer pays D through an internal call (106). */
function scenario(head: number): Scenario {
  return {
    chainId: 1,
    head,
    txs: [
      t('w-fund', 90, 0, Z, W, 50n * ETH),
      t('theft', 102, 3, THIEF, D, 2n * ETH),
      t('failed', 103, 0, W, Z, 20n * ETH, { failed: true }),
      t('move', 104, 1, W, Z, 10n * ETH, {
        tokens: [
          {
            logIndex: 0,
            contract: USDT,
            from: W,
            to: Z,
            value: 500_000_000n,
            symbol: 'USDT',
            name: 'Tether USD',
            decimals: 6,
          },
        ],
      }),
      t('mix', 106, 2, Z, MIXER, 0n, {
        gasUsed: 60_000n,
        internal: [{ traceId: '0', seq: 0, from: MIXER, to: D, value: 1n * ETH }],
      }),
    ],
  };
}

const servers: EtherscanTestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe.each(['etherscan', 'blockscout'] as ServerDialect[])(
  'fundtrace watch on etherscan: (%s)',
  (dialect) => {
    it('movement and label alerts (internal transfers too), no repeats as the chain advances, the key never shown', async () => {
      const dir = tmp('fundtrace-watch-etherscan-');
      writeFileSync(
        join(dir, 'labels.json'),
        JSON.stringify({
          labels: [
            { chain: 'ethereum', address: THIEF, entity: 'Thief', category: 'theft', source: 'test' },
            { chain: 'ethereum', address: MIXER, entity: 'Mixer', category: 'mixer', source: 'test' },
          ],
        }),
      );
      const file = join(dir, 'watch.yaml');
      writeFileSync(
        file,
        `chain: ethereum
labels: [labels.json]
watch:
  - address: ${W}
    rules: { movement: [{ min: "1" }, { asset: "${cs(USDT)}", min: "100" }] }
  - address: ${D}
    rules: { labels: true }
`,
      );
      const sc = scenario(105);
      const srv = await startEtherscanServer(sc, { dialect, apiKey: KEY });
      servers.push(srv);
      const db = join(dir, 'w.db');
      const run = () =>
        cli(
          [
            'watch',
            '-f',
            file,
            '--source',
            `etherscan:${srv.url}`,
            '--db',
            db,
            '--once',
            '--from-height',
            '100',
            '--no-label-dir',
          ],
          { ETHERSCAN_API_KEY: KEY },
        );

      const r1 = await run();
      expect(r1.status, r1.stderr).toBe(0);
      const a1 = parseAlerts(r1.stdout);
      expect(a1.map((a) => `${a.rule} ${a.address === cs(W) ? 'W' : 'D'} ${a.block.height}`)).toEqual([
        'labels D 102',
        'movement W 104',
      ]);
      // The failed transaction at 103 moved nothing; the move at 104 is one alert with both assets.
      expect(a1[1]!.amounts.map((x) => [x.direction, x.counterparty, x.asset.symbol, x.amount])).toEqual([
        ['out', cs(Z), 'ETH', (10n * ETH).toString()],
        ['out', cs(Z), 'USDT', '500000000'],
      ]);
      expect(a1[0]!.labels).toEqual([
        { counterparty: cs(THIEF), entity: 'Thief', category: 'theft', source: 'test' },
      ]);
      // Lists were read by block range, and the block hashes by number.
      expect(
        srv.requests.some((q) => q.query.get('startblock') === '100' && q.query.get('endblock') === '105'),
      ).toBe(true);

      sc.head = 107;
      const r2 = await run();
      expect(r2.status, r2.stderr).toBe(0);
      const a2 = parseAlerts(r2.stdout);
      // Only the new block's alert: the mixer's internal payment into D.
      expect(a2.map((a) => `${a.rule} ${a.block.height} ${a.labels?.[0]?.entity}`)).toEqual([
        'labels 106 Mixer',
      ]);
      expect(a2[0]!.amounts[0]!.amount).toBe((1n * ETH).toString());

      const r3 = await run();
      expect(r3.stdout).toBe('');
      for (const r of [r1, r2, r3]) expect(r.stdout + r.stderr).not.toContain(KEY);
      expect(readFileSync(db).includes(Buffer.from(KEY))).toBe(false);
    }, 120_000);
  },
);
