// Change-output detection: table-driven, one positive and one negative case per rule at least,
// plus combination, conflict and exclusion cases.
import { describe, expect, it } from 'vitest';
import { labelPolicy } from '../../src/cli/policy.js';
import {
  type ChangeContext,
  type ChangeGuess,
  type ChangeRule,
  changeAnnotations,
  guessChange,
  viewChangeContext,
} from '../../src/core/heuristics/index.js';
import type { UtxoTx } from '../../src/core/model.js';
import { runTrace } from '../../src/core/trace.js';
import type { UtxoView } from '../../src/core/view.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { fixture } from '../helpers.js';
import { addr, sameInputs, sameOutputs, tx } from './fixtures.js';

interface Case {
  name: string;
  tx: UtxoTx;
  ctx?: ChangeContext;
  want: (Pick<ChangeGuess, 'vout' | 'confidence'> & { rules: ChangeRule[]; against?: ChangeRule[] }) | null;
}

const only = (...rules: ChangeRule[]): ChangeContext => ({ rules });

const A = addr('alice');
const B = addr('bob');
const C = addr('carol');
const seen =
  (known: string[]): ChangeContext['seenBefore'] =>
  (a) =>
    known.includes(a);

const cases: Case[] = [
  // address-reuse
  {
    name: 'address-reuse: output 1 pays the input address back',
    tx: tx(
      'reuse',
      [[A, 500_000n]],
      [
        [B, 123_456n],
        [A, 376_000n],
      ],
    ),
    ctx: only('address-reuse'),
    want: { vout: 1, confidence: 'high', rules: ['address-reuse'] },
  },
  {
    name: 'address-reuse negative: no output pays an input address',
    tx: tx(
      'noreuse',
      [[A, 500_000n]],
      [
        [B, 123_456n],
        [C, 376_000n],
      ],
    ),
    ctx: only('address-reuse'),
    want: null,
  },
  // script-type
  {
    name: 'script-type: P2PKH inputs, the P2PKH output is change, the P2WPKH one the payment',
    tx: tx(
      'stype',
      [[addr('st-in', 'p2pkh'), 900_000n]],
      [
        [addr('st-pay', 'p2wpkh'), 300_001n],
        [addr('st-chg', 'p2pkh'), 598_999n],
      ],
    ),
    ctx: only('script-type'),
    want: { vout: 1, confidence: 'low', rules: ['script-type'] },
  },
  {
    name: 'script-type negative: both outputs have the inputs’ type',
    tx: tx(
      'stype-neg',
      [[addr('stn-in', 'p2tr'), 900_000n]],
      [
        [addr('stn-a', 'p2tr'), 300_001n],
        [addr('stn-b', 'p2tr'), 598_999n],
      ],
    ),
    ctx: only('script-type'),
    want: null,
  },
  {
    name: 'script-type negative: mixed input types',
    tx: tx(
      'stype-mixed',
      [
        [addr('stm-in1', 'p2pkh'), 500_000n],
        [addr('stm-in2', 'p2sh'), 500_000n],
      ],
      [
        [addr('stm-a', 'p2wpkh'), 300_001n],
        [addr('stm-b', 'p2pkh'), 698_999n],
      ],
    ),
    ctx: only('script-type'),
    want: null,
  },
  // optimal-change
  {
    name: 'optimal-change: only output 1 is smaller than every input',
    tx: tx(
      'opt',
      [
        [addr('opt-1'), 500_000n],
        [addr('opt-2'), 600_000n],
      ],
      [
        [B, 900_001n],
        [C, 199_000n],
      ],
    ),
    ctx: only('optimal-change'),
    want: { vout: 1, confidence: 'low', rules: ['optimal-change'] },
  },
  {
    name: 'optimal-change negative: one input, both outputs smaller (no information)',
    tx: tx(
      'opt-neg',
      [[A, 1_000_000n]],
      [
        [B, 400_001n],
        [C, 599_000n],
      ],
    ),
    ctx: only('optimal-change'),
    want: null,
  },
  // unnecessary-input
  {
    name: 'unnecessary-input: the larger output needs both inputs, so it is the payment',
    tx: tx(
      'unn',
      [
        [addr('unn-1'), 700_000n],
        [addr('unn-2'), 800_000n],
      ],
      [
        [B, 1_200_001n],
        [C, 299_000n],
      ],
    ),
    ctx: only('unnecessary-input'),
    want: { vout: 1, confidence: 'low', rules: ['unnecessary-input'] },
  },
  {
    name: 'unnecessary-input negative: either output could be paid without the smallest input',
    tx: tx(
      'unn-neg',
      [
        [addr('unnn-1'), 100_000n],
        [addr('unnn-2'), 2_000_000n],
      ],
      [
        [B, 1_000_001n],
        [C, 1_099_000n],
      ],
    ),
    ctx: only('unnecessary-input'),
    want: null,
  },
  // round-payment
  {
    name: 'round-payment: output 0 is 0.01 BTC, output 1 is change',
    tx: tx(
      'round',
      [[A, 3_141_592n]],
      [
        [B, 1_000_000n],
        [C, 2_140_592n],
      ],
    ),
    ctx: only('round-payment'),
    want: { vout: 1, confidence: 'low', rules: ['round-payment'] },
  },
  {
    name: 'round-payment negative: both round',
    tx: tx(
      'round-neg',
      [[A, 3_001_000n]],
      [
        [B, 1_000_000n],
        [C, 2_000_000n],
      ],
    ),
    ctx: only('round-payment'),
    want: null,
  },
  // fresh-address
  {
    name: 'fresh-address: Bob was seen before, Carol is new',
    tx: tx(
      'fresh',
      [[A, 3_141_592n]],
      [
        [B, 1_234_567n],
        [C, 1_906_025n],
      ],
    ),
    ctx: { rules: ['fresh-address'], seenBefore: seen([B]) },
    want: { vout: 1, confidence: 'low', rules: ['fresh-address'] },
  },
  {
    name: 'fresh-address negative: both addresses new',
    tx: tx(
      'fresh-neg',
      [[A, 3_141_592n]],
      [
        [B, 1_234_567n],
        [C, 1_906_025n],
      ],
    ),
    ctx: { rules: ['fresh-address'], seenBefore: seen([]) },
    want: null,
  },
  {
    name: 'fresh-address abstains when the history is unknown',
    tx: tx(
      'fresh-unknown',
      [[A, 3_141_592n]],
      [
        [B, 1_234_567n],
        [C, 1_906_025n],
      ],
    ),
    ctx: { rules: ['fresh-address'], seenBefore: (a) => (a === B ? true : undefined) },
    want: null,
  },
  {
    name: 'fresh-address abstains when an output pays an input address (Meiklejohn: no self-change)',
    tx: tx(
      'fresh-self',
      [[A, 3_141_592n]],
      [
        [B, 1_234_567n],
        [A, 1_906_025n],
      ],
    ),
    ctx: { rules: ['fresh-address'], seenBefore: seen([A]) },
    want: null,
  },
  // combinations
  {
    name: 'three rules agree: high confidence',
    tx: tx(
      'three',
      [
        [addr('three-1', 'p2pkh'), 700_000n],
        [addr('three-2', 'p2pkh'), 800_000n],
      ],
      [
        [addr('three-pay', 'p2wpkh'), 1_200_000n],
        [addr('three-chg', 'p2pkh'), 299_000n],
      ],
    ),
    want: {
      vout: 1,
      confidence: 'high',
      rules: ['script-type', 'optimal-change', 'unnecessary-input', 'round-payment'],
    },
  },
  {
    name: 'two rules for output 1, one against: medium, with the dissent as evidence',
    tx: tx(
      'dissent',
      [[addr('dis-in', 'p2wpkh'), 3_141_592n]],
      [
        [addr('dis-pay', 'p2wpkh'), 1_000_000n],
        [addr('dis-chg', 'p2pkh'), 2_140_592n],
      ],
    ),
    ctx: { seenBefore: seen([addr('dis-pay', 'p2wpkh')]) },
    want: {
      vout: 1,
      confidence: 'medium',
      rules: ['round-payment', 'fresh-address'],
      against: ['script-type'],
    },
  },
  {
    name: 'a tie between outputs: undecided',
    tx: tx(
      'tie',
      [[addr('tie-in', 'p2wpkh'), 3_141_592n]],
      [
        [addr('tie-pay', 'p2wpkh'), 1_000_000n],
        [addr('tie-chg', 'p2pkh'), 2_140_592n],
      ],
    ),
    want: null,
  },
  // exclusions
  {
    name: 'a CoinJoin has no change',
    tx: tx('cj', sameInputs('cj-in', 5, 1_000_200n), sameOutputs('cj-out', 5, 1_000_000n)),
    want: null,
  },
  {
    name: 'a coinbase has no change',
    tx: {
      ...tx(
        'cb',
        [],
        [
          [A, 312_500_000n],
          [B, 1n],
        ],
      ),
    },
    want: null,
  },
  {
    name: 'one spendable output (the other is OP_RETURN): nothing to choose',
    tx: tx(
      'opret',
      [[A, 100_000n]],
      [
        [null, 0n],
        [B, 99_000n],
      ],
    ),
    want: null,
  },
];

describe('guessChange', () => {
  it.each(cases)('$name', (c) => {
    const g = guessChange(c.tx, c.ctx);
    if (c.want === null) {
      expect(g).toBeNull();
      return;
    }
    expect(g).not.toBeNull();
    expect(g!.vout).toBe(c.want.vout);
    expect(g!.confidence).toBe(c.want.confidence);
    expect([...g!.rules].sort()).toEqual([...c.want.rules].sort());
    expect([...g!.against].sort()).toEqual([...(c.want.against ?? [])].sort());
    expect(g!.evidence).toHaveLength(g!.rules.length + g!.against.length);
    for (const e of g!.evidence) expect(e.length).toBeGreaterThan(10);
  });
});

describe('change guesses on a trace', () => {
  it('V7: the remainder of each peel is annotated as change, from the view alone', async () => {
    const ds = await loadDataset(fixture('vectors', 'v7.json'));
    const view = buildDatasetView(ds) as UtxoView;
    const seedTx = ds.transactions[0]!;
    const o = runTrace(view, {
      seed: `${seedTx.txid}:0`,
      seedKind: 'outpoint',
      direction: 'forward',
      model: 'haircut',
      maxHops: 5,
      asset: 'BTC',
      minValue: 0n,
      maxNodes: 1000,
      historyLimit: 1000,
      policy: labelPolicy(() => []),
    });
    // V7 carries no change evidence: one input per peel (optimal-change and unnecessary-input
    // need more), a single script type, no round amount, and every payee is fresh. The peel
    // detector therefore falls back to "the output spent by the next peel" (peel.test.ts).
    expect(changeAnnotations(o, view).size).toBe(0);
    // With every rule off there is nothing to annotate.
    expect(changeAnnotations(o, view, { coinjoin: false, change: false, peel: false }).size).toBe(0);
    // The view-backed context sees histories in chain order.
    const ctx = viewChangeContext(view);
    const p2 = ds.transactions[2]!;
    expect(ctx.seenBefore!(p2.inputs[0]!.address!, p2)).toBe(true);
    expect(ctx.seenBefore!(p2.outputs[0]!.address!, p2)).toBe(false);
  });
});
