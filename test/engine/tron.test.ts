// A small TRON scenario (USDT-TRC20 and TRX), hand-checked under every model, through a dataset with
// chain "tron" and the CLI's JSON output. Records follow the rpc:/devnet index scheme
// (src/sources/evm/transfers.ts): native 0, fee 2 000 000, token 3 000 000 + the event's index.
//
// Collection wallet A (USDT, 6 decimals):
//   h100  C0 → A 20 USDT (clean)            h100  FUNDER → A 100 TRX
//   h101  V → A 30 USDT (the seed tx)        h101  a fake "USDT" contract credits A 10^12 units
//   h101  A → P 0 USDT (zero value: no node)
//   h102  a failed transaction of A: moves nothing, burns 8 TRX fee
//   h103  A → E1 16 USDT (exchange), fee 13.845 TRX burned
//   h104  A → B 24 USDT, fee 13.845 TRX burned
//   h105  B → F 24 USDT (B paid with staked energy: no TRX burned, no fee record)
// haircut: A holds 50 (30 T); E1 gets floor(16·30/50) = 9.6; A keeps 34 (20.4 T); B gets
//   floor(24·20.4/34) = 14.4; A keeps 10 (6 T) at rest; F gets all of B's 14.4. Total 9.6 + 6 + 14.4 = 30.
// fifo: lots [20 C][30 T]: E1 takes 16 C → 0; B takes 4 C + 20 T → 20; A keeps 10 T; F 20.
// poison: every debit after the first tainted credit is wholly tainted: E1 16, B 24, F 24.
// TRX trace from the funding tx: 100 TRX in; fees 8 + 13.845 + 13.845 = 35.69 burned; 64.31 at rest.
import { describe, expect, it } from 'vitest';
import { findLookalikes } from '../../src/core/spam.js';
import { writeJson } from '../dataset/helpers.js';
import { cli, type TraceJson, taintedAt, traceJson } from '../helpers.js';
import { tronAddr, tronTx } from '../vector-roles.js';

const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const U = 1_000_000n; // base units per USDT and sun per TRX
const A = tronAddr('t1-A');
const E1 = tronAddr('t1-E1');
const B = tronAddr('t1-B');
const F = tronAddr('t1-F');
const P = tronAddr('t1-P');
const FAKE = tronAddr('t1-fake-usdt-contract');
const FEE = 13_845_000n;

let pos = 0;
const rec = (
  h: number,
  tx: string,
  index: number,
  from: string,
  to: string | null,
  asset: string,
  value: bigint,
  kind: 'native' | 'token' | 'fee',
) => ({
  tx: tronTx(tx),
  index,
  height: h,
  position: pos++ % 3,
  time: `2026-03-0${Math.min(h - 99, 9)}T10:00:00Z`,
  from,
  to,
  asset,
  value: String(value),
  kind,
});

function scenario() {
  pos = 0;
  const transfers = [
    { ...rec(100, 't1-c0', 3_000_000, tronAddr('t1-C0'), A, 'USDT', 20n * U, 'token'), position: 0 },
    { ...rec(100, 't1-fund', 0, tronAddr('t1-FUNDER'), A, 'TRX', 100n * U, 'native'), position: 1 },
    { ...rec(101, 't1-seed', 3_000_000, tronAddr('t1-V'), A, 'USDT', 30n * U, 'token'), position: 0 },
    { ...rec(101, 't1-fake', 3_000_000, tronAddr('t1-X'), A, FAKE, 10n ** 12n, 'token'), position: 1 },
    { ...rec(101, 't1-zero', 3_000_000, A, P, 'USDT', 0n, 'token'), position: 2 },
    { ...rec(102, 't1-failed', 2_000_000, A, null, 'TRX', 8n * U, 'fee'), position: 0 },
    { ...rec(103, 't1-e1', 2_000_000, A, null, 'TRX', FEE, 'fee'), position: 0 },
    { ...rec(103, 't1-e1', 3_000_000, A, E1, 'USDT', 16n * U, 'token'), position: 0 },
    { ...rec(104, 't1-b', 2_000_000, A, null, 'TRX', FEE, 'fee'), position: 0 },
    { ...rec(104, 't1-b', 3_000_000, A, B, 'USDT', 24n * U, 'token'), position: 0 },
    { ...rec(105, 't1-f', 3_000_000, B, F, 'USDT', 24n * U, 'token'), position: 0 },
  ];
  return {
    format: 'fundtrace-dataset/1',
    chain: 'tron',
    name: 't1',
    assets: { USDT: { decimals: 6, contract: USDT } },
    transfers,
    labels: [
      {
        address: E1,
        entity: 'Exchange E1',
        category: 'exchange',
        source: 'test',
        confidence: 'high',
      },
    ],
  };
}

const file = () => writeJson(scenario(), 't1.json');

describe('TRON dataset: taint under every model (hand-checked)', () => {
  const cases: [string, Record<string, bigint>, bigint, bigint | null][] = [
    // model, tainted per address, exit total, held at A (poison is reachability: no balance kept)
    ['haircut', { [E1]: 9_600_000n, [B]: 14_400_000n, [F]: 14_400_000n }, 9_600_000n, 6_000_000n],
    ['fifo', { [E1]: 0n, [B]: 20_000_000n, [F]: 20_000_000n }, 0n, 10_000_000n],
    ['poison', { [E1]: 16_000_000n, [B]: 24_000_000n, [F]: 24_000_000n }, 16_000_000n, null],
  ];
  it.each(cases)('%s', async (model, at, exits, heldAtA) => {
    const j: TraceJson = await traceJson([
      tronTx('t1-seed'),
      '--source',
      file(),
      '--model',
      model,
      '--asset',
      'USDT',
    ]);
    expect(j.summary.traced).toMatchObject({
      value: String(30n * U),
      asset: 'USDT',
      decimals: 6,
      display: '30',
    });
    for (const [address, want] of Object.entries(at))
      expect({ address, tainted: taintedAt(j, address) }).toEqual({ address, tainted: want });
    expect(BigInt(j.summary.terminals.exit?.value ?? '0')).toBe(exits);
    const held = Object.fromEntries(j.summary.atRest.map((x) => [x.address, BigInt(x.amount.value)]));
    if (heldAtA !== null) expect(held[A] ?? 0n).toBe(heldAtA);
    const nodes = j.graph.nodes.map((n) => n.attributes.address);
    expect(nodes).not.toContain(P); // zero-value transfer: no node
    expect(nodes.every((a) => /^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(a))).toBe(true);
    if (model !== 'poison') {
      expect(j.summary.conserved).toBe(true);
      expect(j.summary.terminalTotal.value).toBe(j.summary.traced.value);
    }
  });

  it('the fake "USDT" contract is another asset: --asset USDT never follows it', async () => {
    const j = await traceJson([A, '--source', file(), '--direction', 'backward', '--asset', 'USDT']);
    expect(j.graph.nodes.map((n) => n.attributes.address)).not.toContain(tronAddr('t1-X'));
    const fake = await traceJson([A, '--source', file(), '--direction', 'backward', '--asset', FAKE]);
    expect(fake.summary.traced).toMatchObject({ asset: FAKE, value: String(10n ** 12n) });
  });

  it('TRX burned for energy and bandwidth is a fee terminal; a failed transaction only pays its fee', async () => {
    const j = await traceJson([
      tronTx('t1-fund'),
      '--source',
      file(),
      '--asset',
      'TRX',
      '--model',
      'haircut',
    ]);
    expect(j.summary.traced).toMatchObject({ value: String(100n * U), asset: 'TRX', decimals: 6 });
    expect(BigInt(j.summary.terminals.fee!.value)).toBe(8n * U + 2n * FEE);
    const held = Object.fromEntries(j.summary.atRest.map((x) => [x.address, BigInt(x.amount.value)]));
    expect(held[A]).toBe(100n * U - 8n * U - 2n * FEE);
    expect(j.summary.conserved).toBe(true);
  });

  it('the hex (41…) form of a seed is the same address', async () => {
    const { tronHex } = await import('../../src/core/tron.js');
    const a = await traceJson([tronHex(A), '--source', file(), '--asset', 'USDT']);
    const b = await traceJson([A, '--source', file(), '--asset', 'USDT']);
    expect(a.summary).toEqual(b.summary);
  });

  it('a 0x seed with a TRON dataset is a usage error showing the TRON form', async () => {
    const { tronToEvm } = await import('../../src/core/tron.js');
    const r = await cli(['trace', tronToEvm(A), '--source', file(), '--format', 'json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `is an EVM address (0x…), not a valid tron address; the same 20-byte body on tron is ${A}`,
    );
  });
});

describe('TRON look-alikes (address poisoning)', () => {
  // Vanity look-alikes share the characters after the fixed leading T and the last ones; base58 is
  // case-sensitive, so a case-only difference is another text.
  const traced = 'TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE';
  it.each([
    ['same 4 after T and last 4', 'TQn9Yabcdefghijkmnopqrstuvwx5cbLSE', true],
    ['the same letters in another case', 'Tqn9Yabcdefghijkmnopqrstuvwx5cbLSE', false],
    ['only the end matches', 'TZZZZabcdefghijkmnopqrstuvwx5cbLSE', false],
  ])('%s', (_n, seen, hit) => {
    expect(findLookalikes([traced], [seen])).toEqual(hit ? [[seen, traced]] : []);
  });
});
