// Peel-chain detection over finished traces: V7 of taint-vectors.md ("a peel chain of length 3"),
// table-driven positive and negative shapes, and the CLI with `--heuristics`.
import { describe, expect, it } from 'vitest';
import { indexLabels, labelPolicy } from '../../src/cli/policy.js';
import { findChain } from '../../src/core/chains.js';
import {
  changeAnnotations,
  detectPeelChains,
  peelChains,
  postTrace,
  selectionFromOptions,
} from '../../src/core/heuristics/index.js';
import type { Dataset, Label, UtxoTx } from '../../src/core/model.js';
import { runTrace } from '../../src/core/trace.js';
import type { Model, TraceOptions } from '../../src/core/trace-types.js';
import type { UtxoView } from '../../src/core/view.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { cli, fixture } from '../helpers.js';
import { addr, txid } from './fixtures.js';

function opts(seed: string, model: Model = 'haircut', labels: Label[] = [], maxHops = 10): TraceOptions {
  return {
    seed,
    seedKind: 'outpoint',
    direction: 'forward',
    model,
    maxHops,
    asset: 'BTC',
    minValue: 0n,
    maxNodes: 10_000,
    historyLimit: 10_000,
    policy: labelPolicy(indexLabels('bitcoin', labels)),
  };
}

async function v7() {
  const ds = await loadDataset(fixture('vectors', 'v7.json'));
  const view = buildDatasetView(ds) as UtxoView;
  return { ds, view, seed: `${ds.transactions[0]!.txid}:0`, labels: ds.labels };
}

describe('V7 — peel chain', () => {
  it.each(['haircut', 'fifo', 'poison'] as const)(
    '%s: one finding, a peel chain of length 3',
    async (model) => {
      const { ds, view, seed, labels } = await v7();
      const o = runTrace(view, opts(seed, model, labels));
      const f = detectPeelChains(o, view);
      expect(f).toHaveLength(1);
      const [p1, p2, p3] = [ds.transactions[1]!, ds.transactions[2]!, ds.transactions[3]!];
      expect(f[0]).toMatchObject({ kind: 'peel-chain', txs: [p1.txid, p2.txid, p3.txid], amount: 3_500n });
      const d = f[0]!.description;
      expect(d).toMatch(/^peel chain of length 3 /);
      expect(d).toContain('3 peels totalling 0.000035 BTC');
      expect(d).toContain(`0.00001 BTC to ${p1.outputs[0]!.address} (exit: Exchange A (exchange), hop 1)`);
      expect(d).toContain(`0.00002 BTC to ${p2.outputs[0]!.address} (held, hop 2)`);
      expect(d).toContain(`0.000005 BTC to ${p3.outputs[0]!.address} (exit: Exchange B (exchange), hop 3)`);
      expect(d).toContain(`remainder 0.0000647 BTC at ${p3.outputs[1]!.address} (held, hop 3)`);
      // The peel edges and the continuation edges are all in the trace graph.
      expect(f[0]!.edges).toEqual([
        `bitcoin:${p1.txid}:0`,
        `bitcoin:${p1.txid}:1`,
        `bitcoin:${p2.txid}:0`,
        `bitcoin:${p2.txid}:1`,
        `bitcoin:${p3.txid}:0`,
        `bitcoin:${p3.txid}:1`,
      ]);
      for (const e of f[0]!.edges!) expect(o.graph.hasEdge(e)).toBe(true);
    },
  );

  it('a trace cut after two hops sees a chain of two only: no finding by default, one with minLength 2', async () => {
    const { view, seed, labels } = await v7();
    const o = runTrace(view, opts(seed, 'haircut', labels, 2));
    expect(detectPeelChains(o, view)).toEqual([]);
    const f = detectPeelChains(o, view, { minLength: 2 });
    expect(f).toHaveLength(1);
    expect(f[0]!.description).toMatch(/^peel chain of length 2 .*cut by hops/);
  });
});

// ---- synthetic chains --------------------------------------------------------------------

interface Step {
  /** Name of the tx; inputs: the named tx's output, or an external funding. */
  name: string;
  from: { tx: string; vout: number } | { external: bigint; inputs?: number };
  outs: bigint[];
}

/** A dataset of 1-in/2-out (or other) transactions, one per block, each output to a fresh address. */
function dataset(steps: Step[]): { view: UtxoView; txs: Map<string, UtxoTx> } {
  const txs = new Map<string, UtxoTx>();
  const list: UtxoTx[] = [];
  steps.forEach((s, i) => {
    let inputs: UtxoTx['inputs'];
    if ('tx' in s.from) {
      const prev = txs.get(s.from.tx)!;
      const o = prev.outputs[s.from.vout]!;
      inputs = [{ txid: prev.txid, vout: s.from.vout, address: o.address, value: o.value }];
    } else {
      const n = s.from.inputs ?? 1;
      inputs = Array.from({ length: n }, (_, k) => ({
        txid: txid(`ext-${s.name}-${k}`),
        vout: 0,
        address: addr(`ext-${s.name}-${k}`),
        value: (s.from as { external: bigint }).external / BigInt(n),
      }));
    }
    const tx: UtxoTx = {
      txid: txid(s.name),
      height: 800_000 + i,
      position: 1,
      time: new Date(Date.UTC(2024, 0, 1) + i * 600_000).toISOString().replace('.000Z', 'Z'),
      inputs,
      outputs: s.outs.map((value, k) => ({ address: addr(`${s.name}-out-${k}`), value })),
    };
    txs.set(s.name, tx);
    list.push(tx);
  });
  const c = findChain('bitcoin')!;
  const ds: Dataset = {
    format: 'fundtrace-dataset/1',
    chain: 'bitcoin',
    assets: new Map([[c.native.symbol, c.native]]),
    transactions: list,
    transfers: [],
    labels: [],
  };
  return { view: buildDatasetView(ds) as UtxoView, txs };
}

interface PeelCase {
  name: string;
  steps: Step[];
  seed: string;
  minLength?: number;
  /** Expected chains: tx names in order. */
  chains: string[][];
  amounts?: bigint[];
}

const peel = (name: string, from: Step['from'], peelOut: bigint, rest: bigint, restFirst = false): Step => ({
  name,
  from,
  outs: restFirst ? [rest, peelOut] : [peelOut, rest],
});

const cases: PeelCase[] = [
  {
    name: 'a chain of 5, the remainder sometimes first, sometimes second',
    steps: [
      { name: 'f', from: { external: 1_000_000n }, outs: [1_000_000n] },
      peel('a', { tx: 'f', vout: 0 }, 50_000n, 949_000n),
      peel('b', { tx: 'a', vout: 1 }, 70_000n, 878_000n, true),
      peel('c', { tx: 'b', vout: 0 }, 30_000n, 847_000n),
      peel('d', { tx: 'c', vout: 1 }, 40_000n, 806_000n, true),
      peel('e', { tx: 'd', vout: 0 }, 6_000n, 799_000n),
    ],
    seed: 'f',
    chains: [['a', 'b', 'c', 'd', 'e']],
    amounts: [196_000n],
  },
  {
    name: 'the continuation is known by who spends it, even when it is the smaller output',
    steps: [
      { name: 'f', from: { external: 1_000_000n }, outs: [1_000_000n] },
      peel('a', { tx: 'f', vout: 0 }, 700_000n, 299_000n),
      peel('b', { tx: 'a', vout: 1 }, 200_000n, 98_000n),
      peel('c', { tx: 'b', vout: 1 }, 50_000n, 47_000n),
    ],
    seed: 'f',
    chains: [['a', 'b', 'c']],
    amounts: [950_000n],
  },
  {
    name: 'a chain of 2 is not reported by default',
    steps: [
      { name: 'f', from: { external: 1_000_000n }, outs: [1_000_000n] },
      peel('a', { tx: 'f', vout: 0 }, 50_000n, 949_000n),
      peel('b', { tx: 'a', vout: 1 }, 70_000n, 878_000n),
    ],
    seed: 'f',
    chains: [],
  },
  {
    name: '…but is with minLength 2',
    steps: [
      { name: 'f', from: { external: 1_000_000n }, outs: [1_000_000n] },
      peel('a', { tx: 'f', vout: 0 }, 50_000n, 949_000n),
      peel('b', { tx: 'a', vout: 1 }, 70_000n, 878_000n),
    ],
    seed: 'f',
    minLength: 2,
    chains: [['a', 'b']],
  },
  {
    name: 'a merge (2 inputs) breaks the chain: 2 + 2, nothing reported',
    steps: [
      { name: 'f', from: { external: 1_000_000n }, outs: [1_000_000n] },
      peel('a', { tx: 'f', vout: 0 }, 50_000n, 949_000n),
      peel('b', { tx: 'a', vout: 1 }, 70_000n, 878_000n),
      { name: 'm', from: { external: 10_000n }, outs: [9_000n] },
    ],
    seed: 'f',
    chains: [],
  },
  {
    name: 'a fan-out (1 in, 3 out) is no peel',
    steps: [
      { name: 'f', from: { external: 1_000_000n }, outs: [1_000_000n] },
      { name: 'a', from: { tx: 'f', vout: 0 }, outs: [300_000n, 300_000n, 399_000n] },
      peel('b', { tx: 'a', vout: 2 }, 70_000n, 328_000n),
      peel('c', { tx: 'b', vout: 1 }, 70_000n, 257_000n),
    ],
    seed: 'f',
    chains: [],
  },
  {
    name: 'a fork: both outputs start their own peels; the larger output continues the chain',
    steps: [
      { name: 'f', from: { external: 2_000_000n }, outs: [2_000_000n] },
      peel('a', { tx: 'f', vout: 0 }, 600_000n, 1_399_000n),
      peel('b', { tx: 'a', vout: 1 }, 100_000n, 1_298_000n),
      peel('c', { tx: 'b', vout: 1 }, 100_000n, 1_197_000n),
      peel('x', { tx: 'a', vout: 0 }, 100_000n, 499_000n),
      peel('y', { tx: 'x', vout: 1 }, 100_000n, 398_000n),
      peel('z', { tx: 'y', vout: 1 }, 100_000n, 297_000n),
    ],
    seed: 'f',
    chains: [
      ['a', 'b', 'c'],
      ['x', 'y', 'z'],
    ],
  },
];

describe('detectPeelChains', () => {
  it.each(cases)('$name', (c) => {
    const { view, txs } = dataset(c.steps);
    const o = runTrace(view, opts(`${txs.get(c.seed)!.txid}:0`));
    const f = detectPeelChains(o, view, c.minLength === undefined ? {} : { minLength: c.minLength });
    const names = new Map([...txs].map(([n, t]) => [t.txid, n]));
    expect(f.map((x) => x.txs.map((t) => names.get(t)))).toEqual(c.chains);
    for (const x of f) {
      expect(x.kind).toBe('peel-chain');
      expect(x.description).toContain(`peel chain of length ${x.txs.length}`);
    }
    if (c.amounts) expect(f.map((x) => x.amount)).toEqual(c.amounts);
  });

  it('peelChains exposes the steps (peel and remainder outputs) for other consumers', () => {
    const { view, txs } = dataset(cases[0]!.steps);
    const o = runTrace(view, opts(`${txs.get('f')!.txid}:0`));
    const [chain] = peelChains(o, view);
    expect(chain!.map((s) => [s.peel, s.rest])).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
  });

  it('change annotations: an address-reuse remainder is marked change, high confidence', () => {
    const self = addr('self');
    const f: UtxoTx = {
      txid: txid('reuse-f'),
      height: 800_000,
      position: 1,
      time: '2024-01-01T00:00:00Z',
      inputs: [{ txid: txid('reuse-ext'), vout: 0, address: addr('ext'), value: 1_000_000n }],
      outputs: [{ address: self, value: 1_000_000n }],
    };
    const a: UtxoTx = {
      txid: txid('reuse-a'),
      height: 800_001,
      position: 1,
      time: '2024-01-01T00:10:00Z',
      inputs: [{ txid: f.txid, vout: 0, address: self, value: 1_000_000n }],
      outputs: [
        { address: addr('shop'), value: 123_456n },
        { address: self, value: 875_544n },
      ],
    };
    const c = findChain('bitcoin')!;
    const view = buildDatasetView({
      format: 'fundtrace-dataset/1',
      chain: 'bitcoin',
      assets: new Map([[c.native.symbol, c.native]]),
      transactions: [f, a],
      transfers: [],
      labels: [],
    }) as UtxoView;
    const o = runTrace(view, opts(`${f.txid}:0`));
    const ann = changeAnnotations(o, view);
    expect([...ann.keys()]).toEqual([`bitcoin:${a.txid}:1`]);
    expect(ann.get(`bitcoin:${a.txid}:1`)).toMatchObject({ confidence: 'high', rules: ['address-reuse'] });
  });
});

describe('postTrace: what the heuristics add after a trace', () => {
  it('V7: one peel-chain finding with peel on, none with it off', async () => {
    const { view, seed, labels } = await v7();
    const on = runTrace(view, opts(seed, 'haircut', labels));
    postTrace(on, view, selectionFromOptions({ coinjoin: true, change: true, peel: true }));
    expect(on.findings.map((f) => f.kind)).toEqual(['peel-chain']);
    const off = runTrace(view, opts(seed, 'haircut', labels));
    postTrace(off, view, selectionFromOptions({}));
    expect(off.findings).toEqual([]);
  });

  it('marks the change edge with its confidence and rules', () => {
    const self = addr('pt-self');
    const c = findChain('bitcoin')!;
    const f: UtxoTx = {
      txid: txid('pt-f'),
      height: 800_000,
      position: 1,
      time: '2024-01-01T00:00:00Z',
      inputs: [{ txid: txid('pt-ext'), vout: 0, address: addr('pt-ext'), value: 1_000_000n }],
      outputs: [{ address: self, value: 1_000_000n }],
    };
    const a: UtxoTx = {
      txid: txid('pt-a'),
      height: 800_001,
      position: 1,
      time: '2024-01-01T00:10:00Z',
      inputs: [{ txid: f.txid, vout: 0, address: self, value: 1_000_000n }],
      outputs: [
        { address: addr('pt-shop'), value: 123_456n },
        { address: self, value: 875_544n },
      ],
    };
    const view = buildDatasetView({
      format: 'fundtrace-dataset/1',
      chain: 'bitcoin',
      assets: new Map([[c.native.symbol, c.native]]),
      transactions: [f, a],
      transfers: [],
      labels: [],
    }) as UtxoView;
    const o = runTrace(view, opts(`${f.txid}:0`));
    postTrace(o, view, selectionFromOptions({ change: true }));
    const attrs = o.graph.getEdgeAttributes(`bitcoin:${a.txid}:1`) as unknown as { change?: unknown };
    expect(attrs.change).toEqual({ confidence: 'high', rules: ['address-reuse'] });
    const payment = o.graph.getEdgeAttributes(`bitcoin:${a.txid}:0`) as unknown as { change?: unknown };
    expect(payment.change).toBeUndefined();
  });

  it('an option absent from an old case counts as off', () => {
    expect(selectionFromOptions({})).toEqual({ coinjoin: false, change: false, peel: false });
    expect(selectionFromOptions({ coinjoin: true, peel: false })).toEqual({
      coinjoin: true,
      change: false,
      peel: false,
    });
  });
});

describe('V7 through the CLI', () => {
  it('the JSON summary lists the peel chain', async () => {
    const { seed } = await v7();
    const r = await cli(['trace', seed, '--source', fixture('vectors', 'v7.json'), '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const f = j.summary.findings.filter((x: { kind: string }) => x.kind === 'peel-chain');
    expect(f).toHaveLength(1);
    expect(f[0].description).toMatch(/^peel chain of length 3/);
    expect(f[0].amount.value).toBe('3500');
  });
});
