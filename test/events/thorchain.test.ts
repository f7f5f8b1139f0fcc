// THORChain memos (table) and THORNode tx/status bodies: synthetic bad input here, the real
// recorded bodies in thorchain.real.test.ts.
import { describe, expect, it } from 'vitest';
import { decodeThorStatus, parseThorMemo } from '../../src/core/events/thorchain.js';

const H = 'F87B68976E5EF68C2C8BED031A44566F9977FFC0BE90EAC45C807CC84C56D4C5';

describe('parseThorMemo', () => {
  it.each([
    [
      '=:ETH.USDT:0xb1Dfff6762b9A5Edd945e7fA55EE15288e2E294F:0/1/0:g1:50',
      {
        kind: 'swap',
        asset: 'ETH.USDT',
        destination: '0xb1Dfff6762b9A5Edd945e7fA55EE15288e2E294F',
        limit: '0',
        streamInterval: 1,
        streamQuantity: 0,
        affiliate: 'g1',
        affiliateBps: 50,
      },
    ],
    [
      'SWAP:BTC.BTC:bc1q3a2le4lazts64u8mqte5vuxvug25z5w6rhs95g:5855757:t:10',
      {
        kind: 'swap',
        asset: 'BTC.BTC',
        limit: '5855757',
        streamInterval: null,
        affiliate: 't',
        affiliateBps: 10,
      },
    ],
    [
      's:ETH.USDT::shapeshift:100',
      { error: expect.stringMatching(/a swap needs an asset and a destination/) },
    ],
    [
      '=:r:thor14f64wnrz5lkm8fqtq7z55wf02xjz56htmjs2nf',
      { kind: 'swap', asset: 'r', limit: null, affiliate: null, affiliateBps: null },
    ],
    [`OUT:${H}`, { kind: 'out', inboundHash: H }],
    [`out:0x${H.toLowerCase()}`, { kind: 'out', inboundHash: H }],
    [`REFUND:${H}`, { kind: 'refund', inboundHash: H }],
    [
      'OUT:1234',
      { error: expect.stringMatching(/^THORChain memo "OUT:1234": OUT needs one inbound tx hash/) },
    ],
    ['=:ETH.ETH:0xabc:0/x/0', { error: expect.stringMatching(/limit "0\/x\/0" is not LIMIT/) }],
    ['=:ETH.ETH:0xabc:0:aff:5000', { error: expect.stringMatching(/affiliate fee "5000" is not 0–1000/) }],
    ['+:BTC.BTC', { kind: 'other', action: '+' }],
    ['', { error: expect.stringMatching(/empty action/) }],
  ])('%s', (memo, want) => {
    expect(parseThorMemo(memo)).toMatchObject(want);
  });
});

describe('decodeThorStatus: bad bodies are problems, never facts', () => {
  const base = {
    tx: { id: H, chain: 'BSC', coins: [{ asset: 'BSC.BNB', amount: '2130000' }], memo: '=:ETH.USDT:0xabc' },
  };
  it.each([
    ['not an object', null, /no tx with a 64-hex id/],
    ['short id', { tx: { ...base.tx, id: 'ABC' } }, /no tx with a 64-hex id/],
    [
      'an outbound naming another inbound',
      { ...base, out_txs: [{ id: 'A'.repeat(64), chain: 'ETH', memo: `OUT:${'B'.repeat(64)}`, coins: [] }] },
      /memo names inbound BBBB.*, the status is for F87B.*: not linked/,
    ],
    [
      'an outbound with a swap memo',
      { ...base, out_txs: [{ id: 'A'.repeat(64), chain: 'ETH', memo: '=:ETH.ETH:0xabc', coins: [] }] },
      /is not OUT:\/REFUND:<inbound hash>: not linked/,
    ],
    [
      'an amount that is not a decimal string',
      { tx: { ...base.tx, coins: [{ asset: 'BSC.BNB', amount: 2130000 }] } },
      /coins\[0\] is not/,
    ],
  ])('%s', (_n, body, re) => {
    const r = decodeThorStatus(body);
    expect(r.outbounds).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(re);
  });
});
