// CoinJoin detection: table-driven, positive and negative cases per rule, plus V6 of
// taint-vectors.md through the engine (runTrace with opts.heuristics) and through the CLI
// with `--heuristics`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labelPolicy } from '../../src/cli/policy.js';
import {
  type CoinjoinRule,
  detectCoinjoin,
  parseHeuristics,
  utxoHeuristics,
  WASABI2_DENOMINATIONS,
} from '../../src/core/heuristics/index.js';
import type { UtxoTx } from '../../src/core/model.js';
import { runTrace, terminalTotal } from '../../src/core/trace.js';
import type { TraceOptions } from '../../src/core/trace-types.js';
import type { UtxoView } from '../../src/core/view.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { cli, fixture } from '../helpers.js';
import { addr, type Out, sameInputs, sameOutputs, tx } from './fixtures.js';

const BTC = 100_000_000n;

interface Case {
  name: string;
  tx: UtxoTx;
  options?: Parameters<typeof detectCoinjoin>[1];
  rule: CoinjoinRule | null;
  /** Substrings the evidence must contain. */
  evidence?: string[];
}

const wasabi2Outputs = (): Out[] => {
  // 60 outputs on standard denominations (several repeated) + 5 leftovers that are not standard.
  const denoms = [...WASABI2_DENOMINATIONS].filter((d) => d >= 100_000n && d <= 50_000_000n).slice(0, 12);
  const outs: Out[] = [];
  for (let i = 0; i < 60; i++) outs.push([addr(`w2-out-${i}`, 'p2tr'), denoms[i % denoms.length]!]);
  for (let i = 0; i < 5; i++) outs.push([addr(`w2-left-${i}`, 'p2tr'), 123_457n + BigInt(i)]);
  return outs;
};

const cases: Case[] = [
  {
    name: 'V6: 5 × 1 000 200 in, 5 × 1 000 000 out (Whirlpool 0.01 pool)',
    tx: tx('v6', sameInputs('v6-in', 5, 1_000_200n), sameOutputs('v6-out', 5, 1_000_000n)),
    rule: 'whirlpool',
    evidence: ['5 inputs', '5 × 0.01 BTC'],
  },
  {
    name: 'Whirlpool surge cycle 8 × 8 in the 0.5 pool, remixers at exactly the denomination',
    tx: tx(
      'wp8',
      [...sameInputs('wp8-remix', 6, BTC / 2n), ...sameInputs('wp8-new', 2, BTC / 2n + 4_321n)],
      sameOutputs('wp8-out', 8, BTC / 2n),
    ),
    rule: 'whirlpool',
    evidence: ['8 inputs', '8 × 0.5 BTC'],
  },
  {
    name: 'Whirlpool 0.001 pool',
    tx: tx('wp-small', sameInputs('wps-in', 5, 105_000n), sameOutputs('wps-out', 5, 100_000n)),
    rule: 'whirlpool',
  },
  {
    name: 'not Whirlpool: 5 × 5 but the denomination is no pool (falls to JoinMarket)',
    tx: tx('wp-nopool', sameInputs('wpn-in', 5, 2_000_200n), sameOutputs('wpn-out', 5, 2_000_000n)),
    rule: 'joinmarket',
  },
  {
    name: 'not Whirlpool: one input could pay two outputs',
    tx: tx(
      'wp-big',
      [...sameInputs('wpb-in', 4, 1_000_200n), [addr('wpb-whale'), 2_500_000n]],
      sameOutputs('wpb-out', 5, 1_000_000n),
    ),
    rule: 'joinmarket',
  },
  {
    name: 'not Whirlpool: 4 × 4 is below the minimum round size (JoinMarket shape instead)',
    tx: tx('wp4', sameInputs('wp4-in', 4, 1_000_200n), sameOutputs('wp4-out', 4, 1_000_000n)),
    rule: 'joinmarket',
  },
  {
    name: 'Wasabi 2 (WabiSabi): 80 inputs, standard denominations',
    tx: tx('w2', sameInputs('w2-in', 80, 777_777n, 'p2tr'), wasabi2Outputs()),
    rule: 'wasabi2',
    evidence: ['80 inputs', 'standard denominations'],
  },
  {
    name: 'not Wasabi 2: 30 inputs are too few for a WabiSabi round',
    tx: tx('w2-small', sameInputs('w2s-in', 30, 777_777n, 'p2tr'), wasabi2Outputs().slice(0, 30)),
    rule: 'equal-outputs',
  },
  {
    name: 'Wasabi 1 (ZeroLink): 40 × 0.0999 BTC, a 2× mixing level, changes',
    tx: tx('w1', sameInputs('w1-in', 52, 15_000_000n), [
      ...sameOutputs('w1-mix', 40, 9_990_000n),
      ...sameOutputs('w1-lvl2', 3, 19_970_000n),
      ...Array.from({ length: 30 }, (_, i): Out => [addr(`w1-change-${i}`), 4_000_000n + BigInt(i)]),
    ]),
    rule: 'wasabi1',
    evidence: ['40 equal outputs of 0.0999 BTC', 'mixing levels 3 × 0.1997'],
  },
  {
    name: 'JoinMarket: 5 participants, 4 maker changes, 9 inputs',
    tx: tx(
      'jm',
      [...sameInputs('jm-in', 9, 7_000_000n)],
      [
        ...sameOutputs('jm-cj', 5, 5_230_000n),
        ...Array.from(
          { length: 4 },
          (_, i): Out => [addr(`jm-change-${i}`), 1_000_000n + BigInt(i) * 7_919n],
        ),
      ],
    ),
    rule: 'joinmarket',
    evidence: ['5 equal outputs of 0.0523 BTC', '4 other output(s)'],
  },
  {
    name: 'generic: 3 equal outputs among many others, 4 inputs',
    tx: tx('gen', sameInputs('gen-in', 4, 3_000_000n), [
      ...sameOutputs('gen-eq', 3, 1_000_000n),
      ...Array.from({ length: 6 }, (_, i): Out => [addr(`gen-other-${i}`), 300_000n + BigInt(i)]),
    ]),
    rule: 'equal-outputs',
    evidence: ['3 outputs of 0.01 BTC'],
  },
  {
    name: 'generic with N = 4: 3 equal outputs are not enough',
    tx: tx('gen4', sameInputs('gen4-in', 4, 3_000_000n), [
      ...sameOutputs('gen4-eq', 3, 1_000_000n),
      ...Array.from({ length: 6 }, (_, i): Out => [addr(`gen4-other-${i}`), 300_000n + BigInt(i)]),
    ]),
    options: { minEqual: 4 },
    rule: null,
  },
  {
    name: 'rules switched off: V6 with only equal-outputs on still matches generically',
    tx: tx('v6b', sameInputs('v6b-in', 5, 1_000_200n), sameOutputs('v6b-out', 5, 1_000_000n)),
    options: { rules: ['equal-outputs'] },
    rule: 'equal-outputs',
  },
  {
    name: 'rules switched off: V6 with no rule on',
    tx: tx('v6c', sameInputs('v6c-in', 5, 1_000_200n), sameOutputs('v6c-out', 5, 1_000_000n)),
    options: { rules: [] },
    rule: null,
  },
  // Negatives
  {
    name: 'a payment with change (1 in, 2 out)',
    tx: tx(
      'pay',
      [[addr('pay-in'), 5_000_000n]],
      [
        [addr('pay-to'), 1_000_000n],
        [addr('pay-change'), 3_990_000n],
      ],
    ),
    rule: null,
  },
  {
    name: 'an exchange batch payout: one input, 20 equal withdrawals',
    tx: tx(
      'batch',
      [[addr('exch-hot'), 100_000_000n]],
      [...sameOutputs('batch-out', 20, 1_000_000n), [addr('exch-hot'), 79_990_000n]],
    ),
    rule: null,
  },
  {
    name: 'a consolidation: 10 inputs, 1 output',
    tx: tx('consol', sameInputs('consol-in', 10, 100_000n), [[addr('consol-out'), 990_000n]]),
    rule: null,
  },
  {
    name: 'equal outputs all to one address',
    tx: tx('same-addr', sameInputs('sa-in', 4, 1_000_000n), [
      [addr('sa-out'), 1_000_000n],
      [addr('sa-out'), 1_000_000n],
      [addr('sa-out'), 1_000_000n],
    ]),
    rule: null,
  },
  {
    name: 'a wallet splitting its own coins: every input from one address',
    tx: tx(
      'split',
      Array.from({ length: 4 }, () => [addr('split-self'), 1_000_000n] as [string, bigint]),
      sameOutputs('split-out', 3, 1_000_000n),
    ),
    rule: null,
  },
];

describe('detectCoinjoin', () => {
  it.each(cases)('$name', (c) => {
    const m = detectCoinjoin(c.tx, c.options);
    expect(m?.rule ?? null).toBe(c.rule);
    for (const s of c.evidence ?? []) expect(m?.evidence).toContain(s);
    if (m) expect(m.evidence.startsWith(`${m.rule}:`)).toBe(true);
  });

  it('the WabiSabi denomination set holds powers of 2 and 3 and 1-2-5 decimal steps, from 5 000 sat', () => {
    for (const v of [5_000n, 8_192n, 6_561n, 13_122n, 10_000n, 20_000n, 50_000n, 100_000_000n])
      expect(WASABI2_DENOMINATIONS.has(v)).toBe(true);
    for (const v of [4_096n, 4_374n, 123_456n, 30_000n]) expect(WASABI2_DENOMINATIONS.has(v)).toBe(false);
  });
});

describe('parseHeuristics', () => {
  it.each([
    [undefined, { coinjoin: true, change: true, peel: true }],
    [true, { coinjoin: true, change: true, peel: true }],
    [false, { coinjoin: false, change: false, peel: false }],
    ['coinjoin', { coinjoin: true, change: false, peel: false }],
    ['peel, change', { coinjoin: false, change: true, peel: true }],
    ['all', { coinjoin: true, change: true, peel: true }],
    ['none', { coinjoin: false, change: false, peel: false }],
  ] as const)('%s', (input, want) => {
    expect(parseHeuristics(input)).toEqual(want);
  });

  it('rejects an unknown name with the choices', () => {
    expect(() => parseHeuristics('coinjoin,taint-magic')).toThrow(
      /unknown heuristic "taint-magic".*coinjoin, change, peel/,
    );
  });
});

// ---- V6 through the engine ---------------------------------------------------------------

async function v6(): Promise<{ view: UtxoView; mix: UtxoTx; seed: string }> {
  const ds = await loadDataset(fixture('vectors', 'v6.json'));
  const view = buildDatasetView(ds) as UtxoView;
  const mix = ds.transactions.find((t) => t.inputs.length === 5)!;
  const input2 = mix.inputs[2]!;
  return { view, mix, seed: `${input2.txid}:${input2.vout}` };
}

const optsFor = (seed: string, heuristics: TraceOptions['heuristics']): TraceOptions => ({
  seed,
  seedKind: 'outpoint',
  direction: 'forward',
  model: 'haircut',
  maxHops: 5,
  asset: 'BTC',
  minValue: 0n,
  maxNodes: 10_000,
  historyLimit: 10_000,
  policy: labelPolicy(() => []),
  heuristics,
});

describe('V6 — a CoinJoin stops the trace', () => {
  it.each(['haircut', 'fifo', 'poison'] as const)(
    '%s: terminal mixer carrying 1 000 200, a coinjoin finding',
    async (model) => {
      const { view, mix, seed } = await v6();
      const o = runTrace(view, { ...optsFor(seed, utxoHeuristics(parseHeuristics('coinjoin'))), model });
      expect(o.traced).toBe(1_000_200n);
      const mixers = o.terminals.filter((t) => t.kind === 'mixer');
      expect(mixers).toHaveLength(1);
      expect(mixers[0]).toMatchObject({ amount: 1_000_200n, reason: 'mixer', hop: 1 });
      expect(mixers[0]!.note).toContain(mix.txid);
      expect(terminalTotal(o)).toBe(1_000_200n);
      expect(o.findings).toEqual([
        expect.objectContaining({ kind: 'coinjoin', txs: [mix.txid], amount: 1_000_200n }),
      ]);
      expect(o.findings[0]!.description).toMatch(/^whirlpool: 5 inputs/);
      // Taint is never spread over the pool's outputs.
      o.graph.forEachEdge((_k, e) => expect(e.tx).not.toBe(mix.txid));
    },
  );

  it('without the heuristic the taint spreads over the five outputs (the negative case)', async () => {
    const { view, seed } = await v6();
    const o = runTrace(view, optsFor(seed, undefined));
    expect(o.terminals.some((t) => t.kind === 'mixer')).toBe(false);
    expect(o.findings).toEqual([]);
    expect(o.graph.size).toBe(5);
  });

  it('--no-heuristics selects no engine hook', () => {
    expect(utxoHeuristics(parseHeuristics(false))).toBeUndefined();
  });
});

describe('V6 through the CLI', () => {
  it('--heuristics coinjoin: mixer terminal and coinjoin finding in the JSON', async () => {
    const { seed, mix } = await v6();
    const r = await cli([
      'trace',
      seed,
      '--source',
      fixture('vectors', 'v6.json'),
      '--heuristics',
      'coinjoin',
      '--format',
      'json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.summary.terminals.mixer.value).toBe('1000200');
    expect(j.summary.findings[0]).toMatchObject({ kind: 'coinjoin', txs: [mix.txid] });
    const off = JSON.parse(
      (
        await cli([
          'trace',
          seed,
          '--source',
          fixture('vectors', 'v6.json'),
          '--no-heuristics',
          '--format',
          'json',
        ])
      ).stdout,
    );
    expect(off.summary.terminals.mixer?.value ?? '0').toBe('0');
    expect(off.summary.findings).toEqual([]);
  });
});

// Keep the fixture file honest: V6 is the Whirlpool shape the detector expects.
it('the V6 fixture is the vector of taint-vectors.md', () => {
  const ds = JSON.parse(readFileSync(fixture('vectors', 'v6.json'), 'utf8'));
  const mix = ds.transactions.find((t: { inputs: unknown[] }) => t.inputs.length === 5);
  expect(mix.inputs.map((i: { value: string }) => i.value)).toEqual(Array(5).fill('1000200'));
  expect(mix.outputs.map((o: { value: string }) => o.value)).toEqual(Array(5).fill('1000000'));
});
