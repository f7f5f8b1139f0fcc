// Engine review: small cases checked by hand (figures derived in the comments), each of which
// failed before the fix named beside it. Datasets are built in memory and run through the engine.
import { describe, expect, it } from 'vitest';
import { labelPolicy } from '../../src/cli/policy.js';
import { findChain } from '../../src/core/chains.js';
import { FundtraceError } from '../../src/core/errors.js';
import {
  compareTransfers,
  compareTxs,
  type Dataset,
  type Label,
  type Transfer,
  type UtxoTx,
} from '../../src/core/model.js';
import { buildResult, type ResolvedQuery } from '../../src/core/result.js';
import { exposure } from '../../src/core/summary.js';
import { runTrace, terminalTotal } from '../../src/core/trace.js';
import type { TraceOptions, TraceOutcome } from '../../src/core/trace-types.js';
import { buildDatasetView } from '../../src/sources/dataset/index.js';
import { fixture, traceJson } from '../helpers.js';
import { btcAddr, btcTxid, ethAddr, ethTx } from '../vector-roles.js';

const time = (h: number) => new Date(Date.UTC(2024, 0, 1) + h * 60_000).toISOString().replace('.000Z', 'Z');

function base(chain: string): Dataset {
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

/** Account transfers, one per block unless a height is given; `to: null` is a fee record. */
function account() {
  const ds = base('ethereum');
  let n = 0;
  return {
    ds,
    t(from: string, to: string | null, value: bigint, over: Partial<Transfer> = {}): Transfer {
      const h = 1000 + n;
      const t: Transfer = {
        tx: ethTx(`review-${n++}`),
        index: 0,
        height: h,
        position: 0,
        time: time(h),
        from: ethAddr(`review-${from}`),
        to: to === null ? null : ethAddr(`review-${to}`),
        asset: 'ETH',
        value,
        kind: to === null ? 'fee' : 'native',
        ...over,
      };
      ds.transfers.push(t);
      return t;
    },
  };
}

/** UTXO transactions by name, inputs by (name, vout), one per block. */
function utxo() {
  const ds = base('bitcoin');
  const by = new Map<string, UtxoTx>();
  let h = 800_000;
  return {
    ds,
    tx(name: string, inputs: [string, number][], outputs: [string | null, bigint][]): UtxoTx {
      const t: UtxoTx = {
        txid: btcTxid(`review-${name}`),
        height: h,
        position: 0,
        time: time(h++ - 800_000),
        inputs: inputs.map(([src, vout]) => {
          const o = by.get(src)!.outputs[vout]!;
          return { txid: by.get(src)!.txid, vout, address: o.address, value: o.value };
        }),
        outputs: outputs.map(([a, v]) => ({ address: a === null ? null : btcAddr(`review-${a}`), value: v })),
      };
      ds.transactions.push(t);
      by.set(name, t);
      return t;
    },
  };
}

const ea = (n: string) => ethAddr(`review-${n}`);
const ba = (n: string) => btcAddr(`review-${n}`);
const lbl = (chain: string, address: string, category: string, entity: string): Label => ({
  chain,
  address,
  entity,
  category,
  source: 'review',
});

function trace(
  ds: Dataset,
  o: Partial<TraceOptions> & Pick<TraceOptions, 'seed' | 'seedKind'>,
  labels: Label[] = [],
): TraceOutcome {
  ds.transactions.sort(compareTxs);
  ds.transfers.sort(compareTransfers);
  return runTrace(buildDatasetView(ds), {
    direction: 'forward',
    model: 'haircut',
    maxHops: 50,
    asset: ds.chain === 'bitcoin' ? 'BTC' : 'ETH',
    minValue: 0n,
    maxNodes: 1000,
    historyLimit: 100_000,
    policy: labelPolicy((a) => labels.filter((l) => l.address === a)),
    ...o,
  });
}

/** Terminal amounts per kind (and per cut reason). */
function byKind(o: TraceOutcome): Record<string, bigint> {
  const m: Record<string, bigint> = {};
  for (const t of o.terminals) {
    const k = t.kind === 'cut' ? `cut:${t.reason}` : t.kind;
    m[k] = (m[k] ?? 0n) + t.amount;
  }
  return m;
}

/** Tainted value a backward trace attributes to the payer `address` (its outgoing edges). */
const fromAt = (o: TraceOutcome, address: string) => {
  const key = `${o.graph.getNodeAttribute(o.graph.nodes()[0]!, 'chain')}:${address}`;
  return o.graph.hasNode(key) ? o.graph.getNodeAttribute(key, 'tainted') : 0n;
};

function conserved(o: TraceOutcome) {
  expect(terminalTotal(o)).toBe(o.traced);
  o.graph.forEachEdge((_k, a) => expect(a.tainted <= a.value).toBe(true));
}

describe('cycles back to an address seed (UTXO)', () => {
  // X pays S 1 000 (t0); S → A (t1); A → S (t2); S → E (t3, E unspent). Seed: address S.
  // Forward: S sent 2 000 (t0's output spent in t1, t2's output spent in t3) → traced 2 000. The
  // 1 000 of t1 comes back to S in t2: that output is itself a seed output, already counted →
  // `returned` 1 000; t2's output (the seed) goes on to E: held 1 000. Total 2 000.
  // Before the fix the returning taint overwrote the seed output: traced 2 000, terminals 1 000.
  // Backward: S received 2 000 (t0, t2). t2 ← A ← t1 ← S's own t0 output, which is traced (the
  // seed): `returned` 1 000; t0 ← X ← coinbase 1 000. Before the fix haircut attributed 2 000 to
  // X's 1 000-unit output and fifo lost 1 000 (overlapping ranges merged).
  const u = utxo();
  u.tx('cb', [], [['X', 1000n]]);
  u.tx('t0', [['cb', 0]], [['S', 1000n]]);
  u.tx('t1', [['t0', 0]], [['A', 1000n]]);
  u.tx('t2', [['t1', 0]], [['S', 1000n]]);
  u.tx('t3', [['t2', 0]], [['E', 1000n]]);
  for (const model of ['haircut', 'fifo'] as const) {
    it(`forward ${model}`, () => {
      const o = trace(u.ds, { seed: ba('S'), seedKind: 'address', model });
      expect(o.traced).toBe(2000n);
      expect(byKind(o)).toEqual({ returned: 1000n, held: 1000n });
      conserved(o);
    });
    it(`backward ${model}`, () => {
      const o = trace(u.ds, { seed: ba('S'), seedKind: 'address', model, direction: 'backward' });
      expect(o.traced).toBe(2000n);
      expect(byKind(o)).toEqual({ returned: 1000n, coinbase: 1000n });
      expect(fromAt(o, ba('X'))).toBe(1000n);
      conserved(o);
    });
  }
});

describe('R1 through the CLI: value back at an address seed', () => {
  // The same cycle as above as a fixture (scripts/make-vectors.ts), E labelled an exchange.
  // Forward: 1 000 exits at hop 1 (t2's output is a seed output, spent into E), 1 000 returned →
  // direct exchange exposure 1 000 / 2 000 = 50 %. Backward: returned 1 000, coinbase 1 000.
  it.each(['haircut', 'fifo'])('%s', async (model) => {
    const S = btcAddr('r1-S');
    const f = await traceJson([S, '--source', fixture('vectors', 'r1.json'), '--model', model]);
    expect([f.summary.traced.value, f.summary.conserved]).toEqual(['2000', true]);
    expect(f.summary.terminals.returned!.value).toBe('1000');
    expect(f.summary.terminals.exit!.value).toBe('1000');
    expect(f.exposure.direct).toEqual([expect.objectContaining({ entity: 'Exchange E', share: '0.500000' })]);
    expect(f.warnings.some((w) => w.startsWith('internal check failed'))).toBe(false);
    const b = await traceJson([
      S,
      '--source',
      fixture('vectors', 'r1.json'),
      '--model',
      model,
      '--direction',
      'backward',
    ]);
    expect([b.summary.traced.value, b.summary.conserved]).toEqual(['2000', true]);
    expect(b.summary.terminals.returned!.value).toBe('1000');
    expect(b.summary.terminals.coinbase!.value).toBe('1000');
  });
});

describe('value that comes back to the sender of a transaction seed (account)', () => {
  // Seed: the transaction S → A 10. A → S 10; S → E (exchange) 10. Only the seed transaction was
  // counted, so what comes back to S is followed like anything else: E 10 at hop 3 (S→A, A→S, S→E),
  // indirect exposure. Before the fix it stopped at S as `returned` ("already counted") and the exit
  // to the exchange was missed.
  const a = account();
  a.t('X', 'S', 10n);
  const seed = a.t('S', 'A', 10n);
  a.t('A', 'S', 10n);
  a.t('S', 'E', 10n);
  const labels = [lbl('ethereum', ea('E'), 'exchange', 'Exchange E')];
  for (const model of ['haircut', 'fifo', 'poison'] as const) {
    it(model, () => {
      const o = trace(a.ds, { seed: seed.tx, seedKind: 'tx', model }, labels);
      expect(o.traced).toBe(10n);
      expect(byKind(o)).toEqual({ exit: 10n });
      expect(o.terminals[0]).toMatchObject({ kind: 'exit', hop: 3, entity: 'Exchange E' });
      const x = exposure(o, model);
      expect(x.direct).toEqual([]);
      expect(x.indirect.map((i) => [i.entity, i.value, i.minHops])).toEqual([['Exchange E', 10n, 3]]);
    });
  }

  // S's balance must still drop by the seed transfer: S holds 10 clean (from X) before the seed,
  // sends 10 (the seed), gets 10 tainted back, then sends 4 to E. Haircut: B = 10, Tₐ = 10 → E 4,
  // S holds 6. (Counting the seed transfer out of S's ledger matters: without it B = 20, E would get 2.)
  it('the sender keeps an exact ledger', () => {
    const b = account();
    b.t('X', 'S', 10n);
    const s = b.t('S', 'A', 10n);
    b.t('A', 'S', 10n);
    b.t('S', 'E', 4n);
    const o = trace(b.ds, { seed: s.tx, seedKind: 'tx' }, labels);
    expect(byKind(o)).toEqual({ exit: 4n, held: 6n });
  });

  // Backward: seed X → R 10; R had paid X 10 earlier, which R got from a scam. The traced 10 came
  // (via R, before the seed) from the scam: flagged 10 at hop 3. Before the fix: `returned` at R.
  it('backward: origins behind a recipient of the seed are followed', () => {
    const b = account();
    b.t('F', 'Scam', 10n);
    b.t('Scam', 'R', 10n);
    b.t('R', 'X', 10n);
    const s = b.t('X', 'R', 10n);
    for (const model of ['haircut', 'fifo'] as const) {
      const o = trace(b.ds, { seed: s.tx, seedKind: 'tx', model, direction: 'backward' }, [
        lbl('ethereum', ea('Scam'), 'scam', 'Scam'),
      ]);
      expect(byKind(o)).toEqual({ flagged: 10n });
      expect(o.terminals[0]).toMatchObject({ hop: 3 });
    }
  });

  // A transaction that routes value through two addresses: idx0 A → R 10, idx1 R → B 6. Traced
  // = 16 (every transfer of the seed). Forward: R keeps 4 (held), B 6 (held), and the 6 R passes on
  // were already counted in idx0: returned 6. Backward: idx1 is funded by idx0 (a seed transfer,
  // already counted): returned 6; idx0 ← A ← F (before the data) 10.
  it('a seed transaction with several transfers counts nothing twice', () => {
    const b = account();
    b.t('F', 'A', 10n);
    const s0 = b.t('A', 'R', 10n);
    b.ds.transfers.push({ ...s0, index: 1, from: ea('R'), to: ea('B'), value: 6n });
    for (const model of ['haircut', 'fifo'] as const) {
      const f = trace(b.ds, { seed: s0.tx, seedKind: 'tx', model });
      expect(f.traced).toBe(16n);
      expect(byKind(f)).toEqual({ held: 10n, returned: 6n });
      const k = trace(b.ds, { seed: s0.tx, seedKind: 'tx', model, direction: 'backward' });
      expect(byKind(k)).toEqual({ returned: 6n, 'unknown-origin': 10n });
    }
  });
});

describe('backward traces checked by hand', () => {
  // Account. A: +6 from X, +4 from Y, −2 fee (record with to = null), −5 to T. Seed: T, backward.
  // haircut: fee 2 over balance [X 6, Y 4]: 1.2/0.8 → floors 1/0, remainders .2/.8 → Y gets the
  //   last unit: X 1, Y 1; left X 5, Y 3. Debit 5 over [5, 3]: 3.125/1.875 → 3/1, remainders
  //   .125/.875 → Y: X 3, Y 2. (Exact rationals: 5·4.8/8 = 3, 5·3.2/8 = 2.)
  // fifo: the fee takes the oldest 2 units (X's); T's 5 = X's units [2, 6) (4) + Y's [0, 1) (1).
  // poison: every earlier credit: X 6, Y 4.
  const a = account();
  a.t('F', 'X', 100n);
  a.t('F', 'Y', 100n);
  a.t('X', 'A', 6n);
  a.t('Y', 'A', 4n);
  a.t('A', null, 2n);
  a.t('A', 'T', 5n);
  it.each([
    ['haircut', 3n, 2n],
    ['fifo', 4n, 1n],
    ['poison', 6n, 4n],
  ] as const)('account %s', (model, x, y) => {
    const o = trace(a.ds, { seed: ea('T'), seedKind: 'address', model, direction: 'backward', maxHops: 2 });
    expect(o.traced).toBe(5n);
    expect([fromAt(o, ea('X')), fromAt(o, ea('Y'))]).toEqual([x, y]);
    expect(o.terminals.every((t) => t.kind === 'cut' && t.reason === 'hops' && t.hop === 2)).toBe(true);
    if (model !== 'poison') expect(terminalTotal(o)).toBe(5n);
  });

  // UTXO. cbW: W 1 000. fX: W → [X 300, W2 690] fee 10. fY: coinbase → Y 700.
  // a: [X 300, Y 700] → [T 400, Z 590] fee 10.
  // Seed a:0 (T 400). haircut: 400·300/1000 = 120 from X, 280 from Y; X's 120 back through fX
  //   (one input): W 120, coinbase 120 at hop 3; Y's 280: coinbase at hop 2.
  //   fifo: the tape [X 0–300, Y 300–1000]; T = [0, 400) → X 300, Y 100; X's [0, 300) of fX:0 is
  //   W's [0, 300) → W 300.
  // Seed a:1 (Z 590). haircut: 590·0.3 = 177, 590·0.7 = 413. fifo: Z = [400, 990) → Y [100, 690):
  //   all 590 from Y, nothing from X.
  const u = utxo();
  u.tx('cbW', [], [['W', 1000n]]);
  u.tx(
    'fX',
    [['cbW', 0]],
    [
      ['X', 300n],
      ['W2', 690n],
    ],
  );
  u.tx('fY', [], [['Y', 700n]]);
  const tx = u.tx(
    'a',
    [
      ['fX', 0],
      ['fY', 0],
    ],
    [
      ['T', 400n],
      ['Z', 590n],
    ],
  );
  it.each([
    ['haircut', 0, 120n, 280n],
    ['fifo', 0, 300n, 100n],
    ['haircut', 1, 177n, 413n],
    ['fifo', 1, 0n, 590n],
  ] as const)('UTXO %s a:%i', (model, vout, fromX, fromY) => {
    const o = trace(u.ds, { seed: `${tx.txid}:${vout}`, seedKind: 'outpoint', model, direction: 'backward' });
    // Y's part goes straight to a coinbase (hop 2); X's through W to a coinbase (hop 3).
    const cb = o.terminals.filter((t) => t.kind === 'coinbase');
    expect(cb.filter((t) => t.hop === 2).reduce((s, t) => s + t.amount, 0n)).toBe(fromY);
    expect(cb.filter((t) => t.hop === 3).reduce((s, t) => s + t.amount, 0n)).toBe(fromX);
    expect(fromAt(o, ba('W'))).toBe(fromX);
    conserved(o);
  });
});

describe('--since / --until', () => {
  // S: +10 (h1000); −3 → A (h1001); −4 → B (h1002); −2 → C unconfirmed, with a first-seen time
  // earlier than every bound. Forward from address S.
  const a = account();
  a.t('F', 'S', 10n);
  const d1 = a.t('S', 'A', 3n);
  const d2 = a.t('S', 'B', 4n);
  a.t('S', 'C', 2n, { height: null, position: null, time: time(0) });
  const at = (t: Transfer) => ({ kind: 'time' as const, time: t.time! });

  it('an event exactly at a bound is inside the window', () => {
    const o = trace(a.ds, { seed: ea('S'), seedKind: 'address', since: at(d1), until: at(d2) });
    expect(o.traced).toBe(7n);
    const h = trace(a.ds, {
      seed: ea('S'),
      seedKind: 'address',
      since: { kind: 'height', height: d1.height! },
      until: { kind: 'height', height: d2.height! },
    });
    expect(h.traced).toBe(7n);
  });

  // Unconfirmed events lie after every bound (src/core/bounds.ts), whatever time a source gives
  // them: --until a time excludes the unconfirmed 2, --since a time includes it. Before the fix its
  // first-seen time decided: included by --until, excluded by --since.
  it('an unconfirmed event lies after every time bound', () => {
    expect(trace(a.ds, { seed: ea('S'), seedKind: 'address', until: at(d2) }).traced).toBe(7n);
    expect(trace(a.ds, { seed: ea('S'), seedKind: 'address', since: at(d2) }).traced).toBe(6n);
    expect(
      trace(a.ds, { seed: ea('S'), seedKind: 'address', until: { kind: 'height', height: 5000 } }).traced,
    ).toBe(7n);
  });
});

describe('limits', () => {
  it('backward: a seed history over --history-limit is said, not silently dropped', () => {
    const a = account();
    a.t('F', 'S', 1n);
    a.t('G', 'S', 2n);
    a.t('H', 'S', 4n);
    const o = trace(a.ds, { seed: ea('S'), seedKind: 'address', direction: 'backward', historyLimit: 2 });
    expect(o.traced).toBe(3n);
    expect(o.warnings.some((w) => w.includes('history limit 2'))).toBe(true);
  });
});

describe('an engine invariant violated is an error, never a warning beside exit 0', () => {
  it('buildResult throws INTERNAL when terminals do not add up to the traced value', () => {
    const a = account();
    a.t('S', 'A', 1000n);
    const o = trace(a.ds, { seed: ethAddr('review-S'), seedKind: 'address' });
    const query = { model: 'haircut', direction: 'forward' } as unknown as ResolvedQuery;
    expect(() => buildResult({ name: 'fundtrace', version: 'test' }, query, o)).not.toThrow();
    // value that vanished (e.g. a source whose answers contradict each other)
    const broken: TraceOutcome = { ...o, traced: o.traced + 1n };
    let err: unknown;
    try {
      buildResult({ name: 'fundtrace', version: 'test' }, query, broken);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FundtraceError);
    expect((err as FundtraceError).code).toBe('INTERNAL');
    expect((err as FundtraceError).message).toMatch(/^internal check failed/);
  });
});
