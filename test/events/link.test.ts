// linkBridges (by key only) and bridgeCandidates (heuristic): table-driven on hand-made legs.
import { describe, expect, it } from 'vitest';
import { type Arrival, bridgeCandidates } from '../../src/core/events/candidates.js';
import { linkBridges } from '../../src/core/events/link.js';
import type { BridgeIn, BridgeOut } from '../../src/core/events/types.js';
import type { Transfer } from '../../src/core/model.js';

const BOB = '0x2222222222222222222222222222222222222222';
const USDC = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48';

const out = (key: string | null, over: Partial<BridgeOut> = {}): BridgeOut => ({
  kind: 'bridge-out',
  protocol: 'across',
  ref: {
    chain: 'ethereum',
    tx: `0xo${key}`,
    index: 1,
    address: USDC,
    event: 'FundsDeposited',
    time: '2026-01-01T00:00:00Z',
  },
  key,
  identifier: String(key),
  depositor: null,
  recipient: BOB,
  destChain: 'arbitrum',
  destChainId: '42161',
  token: USDC,
  amount: 1000n,
  outAmount: 990n,
  ...over,
});
const inn = (key: string | null, tx: string, over: Partial<BridgeIn> = {}): BridgeIn => ({
  kind: 'bridge-in',
  protocol: 'across',
  ref: { chain: 'arbitrum', tx, index: 4, address: USDC, event: 'FilledRelay', time: '2026-01-01T00:01:00Z' },
  key,
  identifier: String(key),
  recipient: BOB,
  originChain: 'ethereum',
  originChainId: '1',
  token: USDC,
  amount: 990n,
  depositAmount: 1000n,
  depositToken: USDC,
  ...over,
});

describe('linkBridges', () => {
  const cases: {
    name: string;
    outs: BridgeOut[];
    ins: BridgeIn[];
    links: [string, string][];
    problems: RegExp[];
    unmatched: [number, number];
  }[] = [
    {
      name: 'one deposit, one fill',
      outs: [out('k')],
      ins: [inn('k', '0xa')],
      links: [['k', '0xa']],
      problems: [],
      unmatched: [0, 0],
    },
    {
      name: 'null keys never link',
      outs: [out(null)],
      ins: [inn(null, '0xa')],
      links: [],
      problems: [],
      unmatched: [1, 1],
    },
    {
      name: 'two fills claiming one deposit: both reported, none linked',
      outs: [out('k')],
      ins: [inn('k', '0xa'), inn('k', '0xb')],
      links: [],
      problems: [
        /2 destination legs claim the deposit k at ethereum tx 0xok log 1 \(arbitrum tx 0xa log 4; arbitrum tx 0xb log 4\): none linked/,
        /2 destination legs claim/,
      ],
      unmatched: [1, 2],
    },
    {
      name: 'fill exceeding the promised output',
      outs: [out('k')],
      ins: [inn('k', '0xa', { amount: 991n })],
      links: [],
      problems: [
        /^k: the destination leg delivers 991, more than the deposit's promised output 990: not linked$/,
      ],
      unmatched: [1, 1],
    },
    {
      name: 'fill exceeding the deposit when no output is promised (CCTP-like, same asset)',
      outs: [out('k', { outAmount: undefined, protocol: 'cctp' })],
      ins: [inn('k', '0xa', { amount: 1001n, depositAmount: undefined })],
      links: [],
      problems: [/delivers 1001, more than the deposit's amount 1000/],
      unmatched: [1, 1],
    },
    {
      name: 'fill naming another deposit amount',
      outs: [out('k')],
      ins: [inn('k', '0xa', { depositAmount: 999n })],
      links: [],
      problems: [/names a deposit of 999, the deposit was 1000/],
      unmatched: [1, 1],
    },
    {
      name: 'fill on another chain than the deposit names',
      outs: [out('k', { destChain: 'optimism' })],
      ins: [inn('k', '0xa')],
      links: [],
      problems: [/the deposit goes to optimism, the destination leg is on arbitrum/],
      unmatched: [1, 1],
    },
    {
      name: 'two deposits with one key',
      outs: [out('k'), out('k', { ref: { ...out('k').ref, tx: '0xother' } })],
      ins: [inn('k', '0xa')],
      links: [],
      problems: [/2 deposits claim key k/, /2 deposits claim key k/],
      unmatched: [2, 1],
    },
    {
      name: 'the same log given twice counts once',
      outs: [out('k'), out('k')],
      ins: [inn('k', '0xa'), inn('k', '0xa')],
      links: [['k', '0xa']],
      problems: [],
      unmatched: [0, 0],
    },
    {
      name: 'a fill below the promised output links (relayer kept more fee)',
      outs: [out('k')],
      ins: [inn('k', '0xa', { amount: 500n })],
      links: [['k', '0xa']],
      problems: [],
      unmatched: [0, 0],
    },
  ];
  it.each(cases)('$name', ({ outs, ins, links, problems, unmatched }) => {
    const r = linkBridges(outs, ins);
    expect(r.links.map((l) => [l.out.key, l.in.ref.tx])).toEqual(links);
    expect(r.problems).toHaveLength(problems.length);
    problems.forEach((re, i) => {
      expect(r.problems[i]!.message).toMatch(re);
    });
    expect([r.unmatchedOuts.length, r.unmatchedIns.length]).toEqual(unmatched);
  });

  it('deterministic whatever the input order', () => {
    const outs = [out('b'), out('a'), out('c')];
    const ins = [inn('c', '0x3'), inn('a', '0x1'), inn('b', '0x2'), inn('a', '0x9')];
    const r1 = linkBridges(outs, ins);
    const r2 = linkBridges([...outs].reverse(), [...ins].reverse());
    expect(r2).toEqual(r1);
    expect(r1.links.map((l) => l.out.key)).toEqual(['b', 'c']);
  });
});

describe('bridgeCandidates (heuristic)', () => {
  const rule = { feeMinBps: 0, feeMaxBps: 100, windowSeconds: 3600 };
  const t = (to: string | null, value: bigint, time: string | null, tx = '0xt'): Arrival => ({
    kind: 'transfer',
    chain: 'arbitrum',
    transfer: {
      tx,
      index: 0,
      height: 1,
      position: 0,
      time,
      from: BOB,
      to,
      asset: USDC,
      value,
      kind: 'token',
    } satisfies Transfer,
  });
  const o = out(null, { outAmount: undefined });
  it.each([
    ['exactly the amount', t(BOB, 1000n, '2026-01-01T00:10:00Z'), 'medium'],
    ['exactly the max fee (1% below)', t(BOB, 990n, '2026-01-01T00:10:00Z'), 'medium'],
    ['one unit beyond the max fee', t(BOB, 989n, '2026-01-01T00:10:00Z'), undefined],
    ['more than deposited', t(BOB, 1001n, '2026-01-01T00:10:00Z'), undefined],
    ['at the end of the window', t(BOB, 1000n, '2026-01-01T01:00:00Z'), 'medium'],
    ['after the window', t(BOB, 1000n, '2026-01-01T01:00:01Z'), undefined],
    ['before the deposit', t(BOB, 1000n, '2025-12-31T23:59:59Z'), undefined],
    [
      'another recipient',
      t('0x3333333333333333333333333333333333333333', 1000n, '2026-01-01T00:10:00Z'),
      undefined,
    ],
    ['no time', t(BOB, 1000n, null), undefined],
  ] as const)('%s', (_n, a, want) => {
    const c = bridgeCandidates(o, [a], rule);
    expect(c[0]?.confidence).toBe(want);
    if (want) expect(c[0]!.rule).toMatch(/^heuristic, not a protocol link: /);
  });
  it('low confidence without a named recipient; medium first, then by delay', () => {
    const anon = out(null, { recipient: null, outAmount: undefined });
    const c = bridgeCandidates(
      anon,
      [t(BOB, 1000n, '2026-01-01T00:20:00Z', '0x2'), t(BOB, 995n, '2026-01-01T00:05:00Z', '0x1')],
      rule,
    );
    expect(c.map((x) => [x.confidence, x.delaySeconds])).toEqual([
      ['low', 300],
      ['low', 1200],
    ]);
    const d = bridgeCandidates(
      o,
      [inn(null, '0xi', { amount: 995n }), t(BOB, 995n, '2026-01-01T00:00:30Z')],
      rule,
    );
    expect(d.map((x) => [x.arrival.kind, x.delaySeconds])).toEqual([
      ['transfer', 30],
      ['bridge-in', 60],
    ]);
  });
  it('refuses a bad rule with a one-line message', () => {
    expect(() => bridgeCandidates(o, [], { feeMinBps: 50, feeMaxBps: 10, windowSeconds: 60 })).toThrow(
      'fee maximum 10 bps is not an integer from 50 to 10000',
    );
  });
});
