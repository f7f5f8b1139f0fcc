// The real THORNode tx/status bodies in ../shared/data/bridge-swap-abis/thorchain (recorded by
// gemwalletcom/core): inbound memo → outbounds keyed by the inbound hash. Skipped without ../shared.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeThorStatus } from '../../src/core/events/thorchain.js';
import { ABIS } from './receipts.js';

const DIR = join(ABIS, 'thorchain');
const present = existsSync(join(DIR, 'thornode_tx_status_bnb_to_eth_usdt.json'));
const read = (name: string) =>
  decodeThorStatus(JSON.parse(readFileSync(join(DIR, `thornode_tx_status_${name}.json`), 'utf8')));

describe.skipIf(!present)('THORNode tx/status bodies (real)', () => {
  it('BSC BNB → ETH USDT: the ETH outbound and the RUNE affiliate payout, both keyed by the inbound hash', () => {
    const r = read('bnb_to_eth_usdt');
    expect(r.problems).toEqual([]);
    const key = 'thorchain:F87B68976E5EF68C2C8BED031A44566F9977FFC0BE90EAC45C807CC84C56D4C5';
    expect(r.inbound).toMatchObject({
      key,
      thorChain: 'BSC',
      chain: 'bsc',
      tx: '0xf87b68976e5ef68c2c8bed031a44566f9977ffc0be90eac45c807cc84c56d4c5',
      from: '0xb1dfff6762b9a5edd945e7fa55ee15288e2e294f',
      coins: [{ asset: 'BSC.BNB', amount1e8: 2130000n }],
      parsedMemo: {
        kind: 'swap',
        asset: 'ETH.USDT',
        destination: '0xb1Dfff6762b9A5Edd945e7fA55EE15288e2E294F',
        affiliate: 'g1',
        affiliateBps: 50,
      },
      status: 'done',
    });
    expect(
      r.outbounds.map((o) => [o.key, o.thorChain, o.tx, o.to, o.coins[0]!.amount1e8, o.coins[0]!.decimals]),
    ).toEqual([
      [key, 'THOR', null, 'thor1dl7un46w7l7f3ewrnrm6nq58nerjtp0dradjtd', 15742200n, undefined],
      [
        key,
        'ETH',
        '0x2ff066bc2688f4cf099e1fefd560abadc731fcf25e2f2fae432469dfca7c0dfc',
        '0xb1Dfff6762b9A5Edd945e7fA55EE15288e2E294F',
        1297378100n,
        6,
      ],
    ]);
  });

  it('LTC → TRON USDT: streaming-swap memo, TRON outbound', () => {
    const r = read('ltc_to_tron_usdt');
    expect(r.problems).toEqual([]);
    expect(r.inbound).toMatchObject({
      thorChain: 'LTC',
      chain: null,
      parsedMemo: {
        asset: 'TRON.USDT',
        destination: 'TMazs4f2ybMjGf7WXAx4uiRf2T7XtMC6qt',
        streamInterval: 1,
      },
    });
    const tron = r.outbounds.find((o) => o.thorChain === 'TRON');
    expect(tron).toMatchObject({ chain: 'tron', to: 'TMazs4f2ybMjGf7WXAx4uiRf2T7XtMC6qt', refund: false });
  });

  it('BTC → TRON pending: the inbound only, marked pending', () => {
    const r = read('btc_to_tron_pending');
    expect(r.problems).toEqual([]);
    expect(r.inbound).toMatchObject({
      chain: 'bitcoin',
      status: 'pending',
      tx: '2bc884c03438aad437abe2c18d97b5a7cab9312f68c59cecbb3ad5715fe4c15d',
    });
    expect(r.outbounds).toEqual([]);
  });

  it('ETH USDT → RUNE: the payout stays inside THORChain (no external tx)', () => {
    const r = read('eth_usdt_to_rune');
    expect(r.problems).toEqual([]);
    expect(r.inbound?.coins).toEqual([
      { asset: 'ETH.USDT-0XDAC17F958D2EE523A2206206994597C13D831EC7', amount1e8: 836600000000n, decimals: 6 },
    ]);
    expect(r.outbounds).toMatchObject([
      { thorChain: 'THOR', tx: null, coins: [{ asset: 'THOR.RUNE', amount1e8: 2096315169517n }] },
    ]);
  });
});
