// The hand-checked vectors of ../shared/spec/taint-vectors.md (V1–V5, V7–V9; V6 in the
// heuristics tests), run through the CLI's JSON output. Table-driven, bitcoinjs-lib style.
import { describe, expect, it } from 'vitest';
import { fixture, type TraceJson, taintedAt, traceJson } from '../helpers.js';
import { btcAddr, btcTxid, ethAddr, ethTx } from '../vector-roles.js';

const E = 10n ** 18n; // wei per ETH
const tenth = E / 10n;

interface Case {
  vector: string;
  model: 'haircut' | 'fifo' | 'poison';
  seed: string;
  args?: string[];
  /** Tainted value received per role address. */
  at: Record<string, bigint>;
  fees?: bigint;
  traced: bigint;
  /** Exchange (exit) total, and direct/indirect flagged shares where the vector names them. */
  exits?: bigint;
  check?: (j: TraceJson) => void;
}

const b = btcAddr;
const e = ethAddr;

const cases: Case[] = [
  // V1 — one UTXO transaction
  {
    vector: 'v1',
    model: 'poison',
    seed: `${btcTxid('v1-f1')}:0`,
    traced: 300n,
    at: { [b('v1-X')]: 400n, [b('v1-Y')]: 590n },
    fees: 10n,
  },
  {
    vector: 'v1',
    model: 'haircut',
    seed: `${btcTxid('v1-f1')}:0`,
    traced: 300n,
    at: { [b('v1-X')]: 120n, [b('v1-Y')]: 177n },
    fees: 3n,
  },
  {
    vector: 'v1',
    model: 'fifo',
    seed: `${btcTxid('v1-f1')}:0`,
    traced: 300n,
    at: { [b('v1-X')]: 300n, [b('v1-Y')]: 0n },
    fees: 0n,
  },
  // V2 — two hops, a merge, an exchange
  {
    vector: 'v2',
    model: 'haircut',
    seed: `${btcTxid('v2-f0')}:0`,
    traced: 500n,
    at: { [b('v2-P')]: 195n, [b('v2-E')]: 180n, [b('v2-Q2')]: 117n },
    fees: 8n,
    exits: 180n,
    check: (j) => {
      expect(j.summary.exits).toHaveLength(1);
      expect(j.summary.exits[0]).toMatchObject({ entity: 'Exchange E', category: 'exchange', hop: 2 });
      // 180/500 = 36 % of the traced value went to the exchange, indirectly (hop 2).
      expect(j.exposure.direct).toEqual([]);
      expect(j.exposure.indirect).toEqual([
        expect.objectContaining({
          category: 'exchange',
          entity: 'Exchange E',
          flagged: false,
          share: '0.360000',
          minHops: 2,
        }),
      ]);
    },
  },
  {
    vector: 'v2',
    model: 'fifo',
    seed: `${btcTxid('v2-f0')}:0`,
    traced: 500n,
    at: { [b('v2-P')]: 195n, [b('v2-E')]: 300n, [b('v2-Q2')]: 0n },
    fees: 5n,
    exits: 300n,
    check: (j) => expect(j.exposure.indirect[0]).toMatchObject({ entity: 'Exchange E', share: '0.600000' }),
  },
  {
    vector: 'v2',
    model: 'poison',
    seed: `${btcTxid('v2-f0')}:0`,
    traced: 500n,
    at: { [b('v2-P')]: 195n, [b('v2-E')]: 600n, [b('v2-Q2')]: 390n },
    check: (j) => expect(j.exposure.buckets.every((x) => x.share === null)).toBe(true),
  },
  // V3 — account ledger
  {
    vector: 'v3',
    model: 'poison',
    seed: ethTx('v3-t2'),
    traced: 3n * E,
    at: { [e('v3-bob')]: 4n * E, [e('v3-carol')]: 6n * E },
  },
  {
    vector: 'v3',
    model: 'haircut',
    seed: ethTx('v3-t2'),
    traced: 3n * E,
    at: { [e('v3-bob')]: 12n * tenth, [e('v3-carol')]: 18n * tenth },
  },
  {
    vector: 'v3',
    model: 'fifo',
    seed: ethTx('v3-t2'),
    traced: 3n * E,
    at: { [e('v3-bob')]: 2n * E, [e('v3-carol')]: 1n * E },
  },
  // V4 — order inside blocks: D gets nothing under every model
  {
    vector: 'v4',
    model: 'poison',
    seed: ethTx('v4-seed'),
    traced: 4n * E,
    at: { [e('v4-D')]: 0n, [e('v4-K')]: 3n * E, [e('v4-L')]: 2n * E },
  },
  {
    vector: 'v4',
    model: 'haircut',
    seed: ethTx('v4-seed'),
    traced: 4n * E,
    at: { [e('v4-D')]: 0n, [e('v4-K')]: 24n * tenth, [e('v4-L')]: 16n * tenth },
  },
  {
    vector: 'v4',
    model: 'fifo',
    seed: ethTx('v4-seed'),
    traced: 4n * E,
    at: { [e('v4-D')]: 0n, [e('v4-K')]: 2n * E, [e('v4-L')]: 2n * E },
  },
  // V5 — token decimals and spam
  {
    vector: 'v5',
    model: 'haircut',
    seed: ethTx('v5-seed'),
    args: ['--asset', 'USDT'],
    traced: 5_000_000n,
    at: { [e('v5-E1')]: 2_000_000n, [e('v5-B')]: 3_000_000n },
    exits: 2_000_000n,
    check: (j) => {
      const addrs = j.graph.nodes.map((n) => n.attributes.address);
      expect(addrs).not.toContain(e('v5-P')); // zero-value transfer: no node
      expect(j.exposure.indirect).toEqual([
        expect.objectContaining({ entity: 'Exchange E1', share: '0.400000', minHops: 2 }),
      ]);
      expect(j.summary.traced).toMatchObject({ asset: 'USDT', decimals: 6, display: '5' });
    },
  },
  {
    vector: 'v5',
    model: 'fifo',
    seed: ethTx('v5-seed'),
    args: ['--asset', 'USDT'],
    traced: 5_000_000n,
    at: { [e('v5-E1')]: 0n, [e('v5-B')]: 5_000_000n },
    exits: 0n,
  },
  {
    vector: 'v5',
    model: 'poison',
    seed: ethTx('v5-seed'),
    args: ['--asset', 'USDT'],
    traced: 5_000_000n,
    at: { [e('v5-E1')]: 8_000_000n, [e('v5-B')]: 12_000_000n },
  },
  // V7 — peel chain: the same under every model
  ...(['haircut', 'fifo', 'poison'] as const).map(
    (model): Case => ({
      vector: 'v7',
      model,
      seed: `${btcTxid('v7-f0')}:0`,
      traced: 10_000n,
      at: { [b('v7-E1')]: 1_000n, [b('v7-U')]: 2_000n, [b('v7-E2')]: 500n, [b('v7-c3')]: 6_470n },
      fees: 30n,
      exits: 1_500n,
      check: (j) => {
        const hops = Object.fromEntries(j.summary.exits.map((x) => [x.entity, x.hop]));
        expect(hops).toEqual({ 'Exchange A': 1, 'Exchange B': 3 });
        const held = Object.fromEntries(j.summary.atRest.map((x) => [x.address, BigInt(x.amount.value)]));
        expect(held).toEqual({ [b('v7-U')]: 2_000n, [b('v7-c3')]: 6_470n });
        expect(j.summary.cut).toEqual([]);
        if (model !== 'poison') {
          // E1 direct 10 %, E2 indirect 5 %; held 84.7 %, fees 0.3 %: exactly 100 %.
          expect(j.exposure.direct).toEqual([
            expect.objectContaining({ entity: 'Exchange A', share: '0.100000', minHops: 1 }),
          ]);
          expect(j.exposure.indirect).toEqual([
            expect.objectContaining({ entity: 'Exchange B', share: '0.050000', minHops: 3 }),
          ]);
          const ppm = [...j.exposure.direct, ...j.exposure.indirect, ...j.exposure.buckets].map((x) =>
            BigInt(x.share!.replace('.', '')),
          );
          expect(ppm.reduce((a, b) => a + b, 0n)).toBe(1_000_000n);
          expect(j.exposure.buckets.find((b) => b.name === 'held')?.share).toBe('0.847000');
        }
      },
    }),
  ),
  // V8 — mixer pool: 100 % direct mixer exposure, withdrawals carry nothing
  ...(['haircut', 'fifo'] as const).map(
    (model): Case => ({
      vector: 'v8',
      model,
      seed: e('v8-seed'),
      traced: 10n * E,
      at: { [e('v8-pool')]: 10n * E, [e('v8-W1')]: 0n, [e('v8-W2')]: 0n },
      check: (j) => {
        expect(j.exposure.direct).toEqual([
          expect.objectContaining({ category: 'mixer', entity: 'Mixer pool', share: '1.000000', minHops: 1 }),
        ]);
        expect(j.exposure.indirect).toEqual([]);
      },
    }),
  ),
  // V9 — a cycle is never counted twice
  ...(['haircut', 'fifo', 'poison'] as const).map(
    (model): Case => ({
      vector: 'v9',
      model,
      seed: ethTx('v9-seed'),
      traced: 10n * E,
      at: { [e('v9-E')]: 10n * E },
      exits: 10n * E,
    }),
  ),
];

describe('taint vectors through the CLI JSON', () => {
  it.each(cases.map((c) => [`${c.vector.toUpperCase()} ${c.model}`, c] as const))('%s', async (_name, c) => {
    const j = await traceJson([
      c.seed,
      '--source',
      fixture('vectors', `${c.vector}.json`),
      '--model',
      c.model,
      ...(c.args ?? []),
    ]);
    expect(BigInt(j.summary.traced.value)).toBe(c.traced);
    for (const [address, want] of Object.entries(c.at))
      expect({ address, tainted: taintedAt(j, address) }).toEqual({ address, tainted: want });
    if (c.fees !== undefined) expect(BigInt(j.summary.terminals.fee!.value)).toBe(c.fees);
    if (c.exits !== undefined) expect(BigInt(j.summary.terminals.exit!.value)).toBe(c.exits);
    if (c.model !== 'poison') {
      expect(j.summary.conserved).toBe(true);
      expect(j.summary.terminalTotal.value).toBe(j.summary.traced.value);
    }
    for (const edge of j.graph.edges)
      expect(BigInt(edge.attributes.tainted.value)).toBeGreaterThanOrEqual(0n);
    c.check?.(j);
  });
});
