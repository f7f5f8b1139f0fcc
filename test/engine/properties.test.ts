// Property tests over random valid datasets: conservation under haircut and fifo, poison as an
// upper bound of haircut on every edge, no value leaving an address before it arrived, and no
// negative amounts anywhere.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelPolicy } from '../../src/cli/policy.js';
import { foldPlanning } from '../../src/core/account/forward.js';
import { findChain } from '../../src/core/chains.js';
import {
  compareTransfers,
  compareTxs,
  type Dataset,
  type Transfer,
  type UtxoTx,
} from '../../src/core/model.js';
import { exposure } from '../../src/core/summary.js';
import { runTrace, terminalTotal } from '../../src/core/trace.js';
import type { Model, TraceOptions, TraceOutcome } from '../../src/core/trace-types.js';
import { buildDatasetView } from '../../src/sources/dataset/index.js';
import { btcAddr, btcTxid, ethAddr, ethTx } from '../vector-roles.js';

const BTC_POOL = Array.from({ length: 12 }, (_, i) => btcAddr(`prop-${i}`));
const ETH_POOL = Array.from({ length: 10 }, (_, i) => ethAddr(`prop-${i}`));
const time = (h: number) => new Date(Date.UTC(2024, 0, 1) + h * 60_000).toISOString().replace('.000Z', 'Z');

function baseDataset(chain: string): Dataset {
  const c = findChain(chain)!;
  return {
    format: 'fundtrace-dataset/1',
    chain,
    assets: new Map([[c.native.symbol, c.native]]),
    transactions: [],
    transfers: [],
    labels: [],
  };
}

/** A random UTXO history: coinbases, then transactions spending 1–3 unspent outputs into 1–3 outputs. */
const utxoDataset = fc
  .record({
    steps: fc.array(
      fc.record({
        nIn: fc.integer({ min: 1, max: 3 }),
        pick: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        outs: fc.array(fc.record({ addr: fc.nat(11), w: fc.integer({ min: 1, max: 1000 }) }), {
          minLength: 1,
          maxLength: 3,
        }),
        feePermille: fc.integer({ min: 0, max: 50 }),
      }),
      { minLength: 1, maxLength: 25 },
    ),
    coinbases: fc.array(fc.record({ addr: fc.nat(11), value: fc.bigInt({ min: 1n, max: 10_000_000n }) }), {
      minLength: 2,
      maxLength: 5,
    }),
  })
  .map(({ steps, coinbases }) => {
    const ds = baseDataset('bitcoin');
    const unspent: { txid: string; vout: number; address: string; value: bigint }[] = [];
    let h = 100;
    coinbases.forEach((cb, i) => {
      const tx: UtxoTx = {
        txid: btcTxid(`prop-cb-${i}`),
        height: h++,
        position: 0,
        time: time(h),
        inputs: [],
        outputs: [{ address: BTC_POOL[cb.addr]!, value: cb.value }],
      };
      ds.transactions.push(tx);
      unspent.push({ txid: tx.txid, vout: 0, address: BTC_POOL[cb.addr]!, value: cb.value });
    });
    steps.forEach((s, i) => {
      if (unspent.length === 0) return;
      const inputs = [];
      for (let k = 0; k < s.nIn && unspent.length > 0; k++)
        inputs.push(unspent.splice(s.pick[k]! % unspent.length, 1)[0]!);
      const vin = inputs.reduce((a, x) => a + x.value, 0n);
      const fee = (vin * BigInt(s.feePermille)) / 1000n;
      const wsum = BigInt(s.outs.reduce((a, o) => a + o.w, 0));
      const values = s.outs.map((o) => ((vin - fee) * BigInt(o.w)) / wsum);
      const txid = btcTxid(`prop-tx-${i}`);
      const tx: UtxoTx = {
        txid,
        height: h++,
        position: 0,
        time: time(h),
        inputs: inputs.map((x) => ({ txid: x.txid, vout: x.vout, address: x.address, value: x.value })),
        outputs: s.outs.map((o, j) => ({ address: BTC_POOL[o.addr]!, value: values[j]! })),
      };
      ds.transactions.push(tx);
      tx.outputs.forEach((o, vout) => {
        unspent.push({ txid, vout, address: o.address!, value: o.value });
      });
    });
    ds.transactions.sort(compareTxs);
    return ds;
  });

/** A random account history: funded addresses sending part of what they hold, several per block. */
const accountDataset = fc
  .array(
    fc.record({
      from: fc.nat(9),
      to: fc.nat(9),
      permille: fc.integer({ min: 0, max: 1000 }),
      sameBlock: fc.boolean(),
      /** 0: a plain transfer; 1: also a fee record; 2: a second transfer in the same transaction. */
      shape: fc.integer({ min: 0, max: 2 }),
      to2: fc.nat(9),
    }),
    {
      minLength: 1,
      maxLength: 40,
    },
  )
  .map((steps) => {
    const ds = baseDataset('ethereum');
    const bal = new Map<string, bigint>();
    let h = 1000;
    let pos = 0;
    const push = (from: string, to: string | null, value: bigint, name: string, index = 0) => {
      const t: Transfer = {
        tx: ethTx(name),
        index,
        height: h,
        position: index === 0 ? pos++ : pos - 1,
        time: time(h),
        from,
        to,
        asset: 'ETH',
        value,
        kind: to === null ? 'fee' : index === 0 ? 'native' : 'internal',
      };
      ds.transfers.push(t);
      bal.set(from, (bal.get(from) ?? 0n) - value);
      if (to !== null) bal.set(to, (bal.get(to) ?? 0n) + value);
    };
    const genesis = ethAddr('prop-genesis');
    bal.set(genesis, 10n ** 30n);
    ETH_POOL.forEach((a, i) => {
      push(genesis, a, 10n ** 18n * BigInt(i + 1), `prop-fund-${i}`);
    });
    steps.forEach((s, i) => {
      if (!s.sameBlock) {
        h++;
        pos = 0;
      }
      // from = to is a self-transfer, permille 0 a zero-value transfer: both must be ignored.
      const from = ETH_POOL[s.from]!;
      const to = ETH_POOL[s.to]!;
      const value = ((bal.get(from) ?? 0n) * BigInt(s.permille)) / 1000n;
      push(from, to, value, `prop-t-${i}`);
      const left = bal.get(from) ?? 0n;
      if (s.shape === 1 && left > 0n) push(from, null, left / 100n + 1n, `prop-t-${i}`, 1);
      else if (s.shape === 2) {
        // The recipient passes half of it on inside the same transaction (call order).
        push(to, ETH_POOL[s.to2]!, value / 2n, `prop-t-${i}`, 1);
      }
    });
    ds.transfers.sort(compareTransfers);
    return ds;
  });

const noLabels = labelPolicy(() => []);
function options(
  seed: string,
  seedKind: TraceOptions['seedKind'],
  model: Model,
  asset: string,
): TraceOptions {
  return {
    seed,
    seedKind,
    direction: 'forward',
    model,
    maxHops: 50,
    asset,
    minValue: 0n,
    maxNodes: 1000,
    historyLimit: 100_000,
    policy: noLabels,
  };
}

function edgeTaint(o: TraceOutcome): Map<string, bigint> {
  const m = new Map<string, bigint>();
  o.graph.forEachEdge((k, a) => m.set(k, a.tainted));
  return m;
}

/** Every tainted movement out of a non-seed address comes after some tainted movement into it. */
function timeTrue(o: TraceOutcome, order: Map<string, number>) {
  o.graph.forEachEdge((_k, a, source) => {
    const s = o.graph.getNodeAttributes(source);
    if (s.seed || a.tainted === 0n) return;
    const out = order.get(a.tx)!;
    const firstIn = Math.min(
      ...o.graph.mapInEdges(source, (_e, ia) =>
        ia.tainted > 0n ? order.get(ia.tx)! : Number.POSITIVE_INFINITY,
      ),
    );
    expect(firstIn).toBeLessThanOrEqual(out);
  });
}

function noNegatives(o: TraceOutcome) {
  o.graph.forEachEdge((_k, a) => {
    expect(a.value >= 0n && a.tainted >= 0n && a.tainted <= (a.kind === 'output' ? a.value : a.tainted)).toBe(
      true,
    );
  });
  for (const t of o.terminals) expect(t.amount >= 0n).toBe(true);
}

describe('engine properties (random valid datasets)', () => {
  it('UTXO: conservation, poison ≥ haircut, time order, no negatives', () => {
    fc.assert(
      fc.property(utxoDataset, fc.nat(), (ds, seedPick) => {
        const view = buildDatasetView(ds);
        const tx = ds.transactions[seedPick % ds.transactions.length]!;
        const seed = `${tx.txid}:0`;
        const order = new Map(ds.transactions.map((t, i) => [t.txid, i]));
        const runs = Object.fromEntries(
          (['haircut', 'fifo', 'poison'] as const).map((m) => [
            m,
            runTrace(view, options(seed, 'outpoint', m, 'BTC')),
          ]),
        ) as Record<Model, TraceOutcome>;
        for (const m of ['haircut', 'fifo'] as const) expect(terminalTotal(runs[m])).toBe(runs[m].traced);
        const poison = edgeTaint(runs.poison);
        for (const [k, v] of edgeTaint(runs.haircut)) expect((poison.get(k) ?? -1n) >= v).toBe(true);
        for (const m of ['haircut', 'fifo', 'poison'] as const) {
          timeTrue(runs[m], order);
          noNegatives(runs[m]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('account: conservation, poison ≥ haircut, time order, no negatives', () => {
    fc.assert(
      fc.property(accountDataset, fc.nat(), (ds, seedPick) => {
        const view = buildDatasetView(ds);
        const movers = ds.transfers.filter((t) => t.value > 0n && t.from !== t.to && t.to !== null);
        fc.pre(movers.length > 0);
        const seedTx = movers[seedPick % movers.length]!.tx;
        const order = new Map<string, number>();
        ds.transfers.forEach((t, i) => {
          if (!order.has(t.tx)) order.set(t.tx, i);
        });
        const runs = Object.fromEntries(
          (['haircut', 'fifo', 'poison'] as const).map((m) => [
            m,
            runTrace(view, options(seedTx, 'tx', m, 'ETH')),
          ]),
        ) as Record<Model, TraceOutcome>;
        for (const m of ['haircut', 'fifo'] as const) expect(terminalTotal(runs[m])).toBe(runs[m].traced);
        const poison = edgeTaint(runs.poison);
        for (const [k, v] of edgeTaint(runs.haircut)) expect((poison.get(k) ?? -1n) >= v).toBe(true);
        for (const m of ['haircut', 'fifo', 'poison'] as const) {
          timeTrue(runs[m], order);
          noNegatives(runs[m]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('backward: the traced value is fully attributed under haircut and fifo', () => {
    fc.assert(
      fc.property(accountDataset, utxoDataset, fc.nat(), (acc, ut, pick) => {
        const av = buildDatasetView(acc);
        const target = ETH_POOL[pick % ETH_POOL.length]!;
        const uv = buildDatasetView(ut);
        const last = ut.transactions[ut.transactions.length - 1]!;
        for (const m of ['haircut', 'fifo'] as const) {
          const a = runTrace(av, { ...options(target, 'address', m, 'ETH'), direction: 'backward' });
          expect(terminalTotal(a)).toBe(a.traced);
          const u = runTrace(uv, {
            ...options(`${last.txid}:0`, 'outpoint', m, 'BTC'),
            direction: 'backward',
          });
          expect(terminalTotal(u)).toBe(u.traced);
        }
      }),
      { numRuns: 100 },
    );
  });

  // Address seeds see value come back to the seed (pool addresses repeat): cycles under both
  // directions, with every limit small enough to cut. Every unit ends in a terminal, every cut
  // names its limit, and the exposure shares add up to exactly 1.000000.
  const limits = fc.record({
    maxHops: fc.integer({ min: 1, max: 6 }),
    maxNodes: fc.integer({ min: 1, max: 12 }),
    historyLimit: fc.integer({ min: 1, max: 30 }),
    minPermille: fc.integer({ min: 0, max: 300 }),
  });
  const REASONS = new Set([
    'hops',
    'min-value',
    'max-nodes',
    'history-limit',
    'time-window',
    'dust',
    'missing-data',
  ]);
  function checkAll(o: TraceOutcome, model: Model, backward: boolean) {
    expect(terminalTotal(o)).toBe(o.traced);
    noNegatives(o);
    for (const t of o.terminals) if (t.kind === 'cut') expect(REASONS.has(t.reason ?? '')).toBe(true);
    o.graph.forEachEdge((_k, a) => expect(a.tainted <= a.value).toBe(true));
    if (o.traced > 0n) {
      const x = exposure(o, model, backward);
      const ppm = [...x.direct, ...x.indirect, ...x.buckets].reduce((a, i) => a + i.sharePpm, 0n);
      expect(ppm).toBe(1_000_000n);
    }
  }

  it('UTXO address seeds, both directions, with limits: conservation and named cuts', () => {
    fc.assert(
      fc.property(utxoDataset, fc.nat(), limits, (ds, pick, lim) => {
        const view = buildDatasetView(ds);
        const seed = BTC_POOL[pick % BTC_POOL.length]!;
        fc.pre(ds.transactions.some((tx) => tx.outputs.some((o) => o.address === seed)));
        for (const m of ['haircut', 'fifo'] as const)
          for (const direction of ['forward', 'backward'] as const) {
            const base = options(seed, 'address', m, 'BTC');
            const o = runTrace(view, {
              ...base,
              direction,
              maxHops: lim.maxHops,
              maxNodes: lim.maxNodes,
              minValue: BigInt(lim.minPermille) * 1000n,
            });
            checkAll(o, m, direction === 'backward');
          }
      }),
      { numRuns: 150 },
    );
  });

  it('account: every seed kind, both directions, with limits: conservation and named cuts', () => {
    fc.assert(
      fc.property(accountDataset, fc.nat(), fc.boolean(), limits, (ds, pick, byTx, lim) => {
        const view = buildDatasetView(ds);
        const movers = ds.transfers.filter((t) => t.value > 0n && t.from !== t.to && t.to !== null);
        fc.pre(movers.length > 0);
        const t = movers[pick % movers.length]!;
        const seed = byTx ? t.tx : t.to!;
        for (const m of ['haircut', 'fifo'] as const)
          for (const direction of ['forward', 'backward'] as const) {
            const base = options(seed, byTx ? 'tx' : 'address', m, 'ETH');
            const o = runTrace(view, {
              ...base,
              direction,
              maxHops: lim.maxHops,
              maxNodes: lim.maxNodes,
              historyLimit: lim.historyLimit,
              minValue: BigInt(lim.minPermille) * 10n ** 15n,
            });
            checkAll(o, m, direction === 'backward');
          }
      }),
      { numRuns: 200 },
    );
  });

  // The forward engine plans --max-nodes's fold on an outline and never draws what it folds
  // (src/core/account/drawing.ts): its result must be byte for byte the one of drawing everything
  // and folding after. Two pool addresses carry labels (one stops the trace, one does not).
  it('account forward: the planned fold equals drawing everything and folding after', () => {
    const labelled = labelPolicy((a) =>
      a === ETH_POOL[3]
        ? [{ chain: 'ethereum', address: a, entity: 'Prop Exchange', category: 'exchange', source: 'test' }]
        : a === ETH_POOL[5]
          ? [{ chain: 'ethereum', address: a, entity: 'Prop Person', category: 'individual', source: 'test' }]
          : [],
    );
    const doc = (o: TraceOutcome) =>
      JSON.stringify(
        {
          graph: o.graph.export(),
          terminals: o.terminals,
          traced: o.traced,
          warnings: o.warnings,
          findings: o.findings,
          conversions: o.conversions,
        },
        (_k, v) => (typeof v === 'bigint' ? `${v}n` : v),
      );
    let folds = 0;
    fc.assert(
      fc.property(
        accountDataset,
        fc.nat(),
        fc.boolean(),
        fc.record({
          maxHops: fc.integer({ min: 1, max: 6 }),
          // At most 12 addresses take part: small caps, so that most traces are folded.
          maxNodes: fc.integer({ min: 1, max: 5 }),
          minPermille: fc.integer({ min: 0, max: 100 }),
        }),
        fc.constantFrom<Model>('haircut', 'fifo', 'poison'),
        (ds, pick, byTx, lim, model) => {
          const view = buildDatasetView(ds);
          const movers = ds.transfers.filter((t) => t.value > 0n && t.from !== t.to && t.to !== null);
          fc.pre(movers.length > 0);
          const t = movers[pick % movers.length]!;
          const opts: TraceOptions = {
            ...options(byTx ? t.tx : t.to!, byTx ? 'tx' : 'address', model, 'ETH'),
            policy: labelled,
            maxHops: lim.maxHops,
            maxNodes: lim.maxNodes,
            minValue: BigInt(lim.minPermille) * 10n ** 15n,
          };
          const planned = runTrace(view, opts);
          foldPlanning.enabled = false;
          let after: TraceOutcome;
          try {
            after = runTrace(view, opts);
          } finally {
            foldPlanning.enabled = true;
          }
          expect(doc(planned)).toBe(doc(after));
          if (planned.warnings.some((w) => w.includes('capped at --max-nodes'))) folds++;
        },
      ),
      { numRuns: 400 },
    );
    // The property held where it matters: on traces that were folded.
    expect(folds).toBeGreaterThan(40);
  });
});
