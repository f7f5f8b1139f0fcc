// The dataset index the trace engine reads (src/core/view.ts).
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareTransfers,
  compareTxs,
  type Dataset,
  type Transfer,
  type UtxoTx,
} from '../../src/core/model.js';
import type { AccountView, UtxoView } from '../../src/core/view.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { btcAddr, btcTxid, evmAddr, evmTx } from '../fixtures/dataset/addresses.js';
import { BTC, ETH, TX, TXID, USDT } from '../fixtures/dataset/docs.js';
import { FIXTURES } from './helpers.js';

async function utxoView(): Promise<UtxoView> {
  const v = buildDatasetView(await loadDataset(join(FIXTURES, 'utxo.jsonl')));
  if (v.kind !== 'utxo') throw new Error('expected a UTXO view');
  return v;
}
async function accountView(): Promise<AccountView> {
  const v = buildDatasetView(await loadDataset(join(FIXTURES, 'account.jsonl')));
  if (v.kind !== 'account') throw new Error('expected an account view');
  return v;
}
const value = <T>(l: { status: string; value?: T }): T => {
  expect(l.status).toBe('ok');
  return (l as { value: T }).value;
};

describe('UTXO view', () => {
  it('describes the chain', async () => {
    const v = await utxoView();
    expect(v.kind).toBe('utxo');
    expect(v.chain).toBe('bitcoin');
    expect(v.native).toEqual({ symbol: 'BTC', decimals: 8 });
    expect(v.head).toEqual({ height: 800010, time: '2023-07-24T12:00:00Z' });
  });

  it('finds transactions by id (any case)', async () => {
    const v = await utxoView();
    expect(value(v.tx(TXID.t1))?.txid).toBe(TXID.t1);
    expect(value(v.tx(TXID.t1.toUpperCase()))?.txid).toBe(TXID.t1);
    expect(v.tx(TXID.outside)).toEqual({ status: 'ok', value: undefined });
  });

  it('knows who spent each output', async () => {
    const v = await utxoView();
    expect(value(v.spender(TXID.t0, 0))).toEqual({ txid: TXID.t1, inputIndex: 0 });
    expect(value(v.spender(TXID.t1, 0))).toEqual({ txid: TXID.t2, inputIndex: 0 });
    expect(value(v.spender(TXID.t1, 1))).toEqual({ txid: TXID.t3, inputIndex: 0 });
    expect(value(v.spender(TXID.t2, 0))).toEqual({ txid: TXID.t4, inputIndex: 0 });
    expect(value(v.spender(TXID.t2, 1))).toBeNull();
    expect(value(v.spender(TXID.t3, 2))).toBeNull();
    expect(value(v.spender(TXID.t3, 9))).toBeNull();
    // an output outside the snapshot, spent inside it
    expect(value(v.spender(TXID.outside, 1))).toEqual({ txid: TXID.t2, inputIndex: 1 });
    expect(value(v.spender(TXID.outside, 0))).toBeNull();
  });

  it('lists an address’s transactions (as input or output) in chain order', async () => {
    const v = await utxoView();
    const ids = (a: string) => value(v.addressTxs(a)).map((t) => t.txid);
    expect(ids(BTC.A)).toEqual([TXID.t0, TXID.t1, TXID.t3]);
    expect(ids(BTC.E)).toEqual([TXID.t2, TXID.t3]);
    expect(ids(BTC.X)).toEqual([TXID.t2, TXID.t4]);
    expect(ids(BTC.E.toUpperCase())).toEqual([TXID.t2, TXID.t3]);
    expect(ids('bc1qnothere')).toEqual([]);
    expect(v.addressTxCount?.(BTC.A)).toBe(3);
    expect(v.addressTxCount?.(BTC.D)).toBe(2);
  });
});

describe('account view', () => {
  it('describes the chain and its assets', async () => {
    const v = await accountView();
    expect(v.kind).toBe('account');
    expect(v.chain).toBe('ethereum');
    expect(v.native).toEqual({ symbol: 'ETH', decimals: 18 });
    expect(v.assets()).toEqual(['ETH', 'USDT']);
    expect(v.asset('USDT')).toEqual({ symbol: 'USDT', decimals: 6, contract: USDT });
    expect(v.asset('DAI')).toBeUndefined();
  });

  it('resolves --asset input: symbol, any-case contract, case-insensitive symbol', async () => {
    const v = await accountView();
    expect(v.resolveAsset('USDT')).toBe('USDT');
    expect(v.resolveAsset('usdt')).toBe('USDT');
    expect(v.resolveAsset('ETH')).toBe('ETH');
    expect(v.resolveAsset('eth')).toBe('ETH');
    expect(v.resolveAsset(USDT)).toBe('USDT');
    expect(v.resolveAsset(USDT.toLowerCase())).toBe('USDT');
    expect(v.resolveAsset(USDT.toUpperCase().replace('0X', '0x'))).toBe('USDT');
    expect(v.resolveAsset('DAI')).toBeUndefined();
    expect(v.resolveAsset(evmAddr('other'))).toBeUndefined();
  });

  it('ledger: every transfer of the asset from or to the address, fees included, in order', async () => {
    const v = await accountView();
    const key = (ts: readonly Transfer[]) =>
      ts.map(
        (t) =>
          `${t.tx === TX.tx1 ? 'tx1' : t.tx === TX.tx2 ? 'tx2' : t.tx === TX.tx3 ? 'tx3' : 'tx4'}#${t.index}`,
      );
    expect(key(value(v.ledger(ETH.A, 'ETH')))).toEqual(['tx1#0', 'tx1#1']);
    expect(key(value(v.ledger(ETH.B, 'ETH')))).toEqual(['tx1#0', 'tx2#0', 'tx2#6']);
    expect(key(value(v.ledger(ETH.C, 'ETH')))).toEqual(['tx3#0', 'tx3#1']);
    expect(key(value(v.ledger(ETH.C, 'USDT')))).toEqual(['tx2#5', 'tx4#0']);
    expect(key(value(v.ledger(ETH.C.toLowerCase(), 'usdt')))).toEqual(['tx2#5', 'tx4#0']);
    expect(key(value(v.ledger(ETH.X, USDT)))).toEqual(['tx4#0']);
    expect(value(v.ledger(ETH.A, 'USDT'))).toEqual([]);
    expect(value(v.ledger(evmAddr('nobody'), 'ETH'))).toEqual([]);
    expect(v.ledgerSize?.(ETH.B, 'ETH')).toBe(3);
    expect(v.ledgerSize?.(ETH.B, 'USDT')).toBe(1);
    expect(v.ledgerSize?.(evmAddr('nobody'), 'ETH')).toBe(0);
  });

  it('txTransfers: all transfers of a transaction in index order', async () => {
    const v = await accountView();
    expect(value(v.txTransfers(TX.tx2))?.map((t) => [t.index, t.asset])).toEqual([
      [0, 'ETH'],
      [5, 'USDT'],
      [6, 'ETH'],
    ]);
    expect(value(v.txTransfers(TX.tx2.toUpperCase().replace('0X', '0x')))?.length).toBe(3);
    expect(v.txTransfers(evmTx('unknown'))).toEqual({ status: 'ok', value: undefined });
  });
});

// ---- properties against a naive model --------------------------------------------------------

const POOL = Array.from({ length: 6 }, (_, i) => evmAddr(`pool${i}`));
const transferArb = fc.record({
  tx: fc.integer({ min: 0, max: 7 }),
  index: fc.integer({ min: 0, max: 3 }),
  from: fc.constantFrom(...POOL),
  to: fc.option(fc.constantFrom(...POOL), { nil: null }),
  asset: fc.constantFrom('ETH', 'USDT'),
  value: fc.bigInt({ min: 0n, max: 10n ** 20n }),
});

type RawTransfer = {
  tx: number;
  index: number;
  from: string;
  to: string | null;
  asset: string;
  value: bigint;
};

function accountDataset(raw: RawTransfer[]): Dataset {
  const seen = new Set<string>();
  const transfers: Transfer[] = [];
  for (const r of raw) {
    const key = `${r.tx}:${r.index}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const kind = r.to === null ? 'fee' : r.asset === 'ETH' ? 'native' : 'token';
    transfers.push({
      tx: evmTx(`p${r.tx}`),
      index: r.index,
      height: r.tx < 7 ? 100 + r.tx : null,
      position: 0,
      time: null,
      from: r.from,
      to: r.to,
      asset: r.to === null ? 'ETH' : r.asset,
      value: r.value,
      kind,
    });
  }
  return {
    format: 'fundtrace-dataset/1',
    chain: 'ethereum',
    assets: new Map([
      ['ETH', { symbol: 'ETH', decimals: 18 }],
      ['USDT', { symbol: 'USDT', decimals: 6, contract: USDT }],
    ]),
    transactions: [],
    transfers, // deliberately not sorted: the view must order them
    labels: [],
  };
}

describe('account view properties', () => {
  it('ledger and txTransfers equal a naive filter + sort', () => {
    fc.assert(
      fc.property(fc.array(transferArb, { maxLength: 40 }), (raw) => {
        const ds = accountDataset(raw);
        const v = buildDatasetView(ds) as AccountView;
        const sorted = ds.transfers.slice().sort(compareTransfers);
        for (const a of POOL) {
          for (const asset of ['ETH', 'USDT']) {
            const naive = sorted.filter((t) => t.asset === asset && (t.from === a || t.to === a));
            expect(value(v.ledger(a, asset))).toEqual(naive);
            expect(v.ledgerSize?.(a, asset)).toBe(naive.length);
          }
        }
        for (let k = 0; k < 8; k++) {
          const tx = evmTx(`p${k}`);
          const naive = sorted.filter((t) => t.tx === tx);
          expect(value(v.txTransfers(tx))).toEqual(naive.length ? naive : undefined);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('scale', () => {
  it('indexes 200k transfers over 20k addresses quickly', () => {
    const n = 200_000;
    const addrs = Array.from({ length: 20_000 }, (_, i) => `0x${i.toString(16).padStart(40, '0')}`);
    const txs = Array.from({ length: n / 2 }, (_, i) => `0x${i.toString(16).padStart(64, '0')}`);
    const transfers: Transfer[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const h = Math.floor(i / 2);
      transfers[i] = {
        tx: txs[h]!,
        index: i % 2,
        height: 1000 + Math.floor(h / 100),
        position: h % 100,
        time: null,
        from: addrs[(i * 7919) % addrs.length]!,
        to: addrs[(i * 104729 + 1) % addrs.length]!,
        asset: i % 5 === 0 ? 'USDT' : 'ETH',
        value: BigInt(i),
        kind: i % 5 === 0 ? 'token' : 'native',
      };
    }
    const ds: Dataset = {
      format: 'fundtrace-dataset/1',
      chain: 'ethereum',
      assets: new Map([
        ['ETH', { symbol: 'ETH', decimals: 18 }],
        ['USDT', { symbol: 'USDT', decimals: 6, contract: USDT }],
      ]),
      transactions: [],
      transfers,
      labels: [],
    };
    const t0 = performance.now();
    const v = buildDatasetView(ds) as AccountView;
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(5000);
    let total = 0;
    for (const a of addrs) total += (v.ledgerSize?.(a, 'ETH') ?? 0) + (v.ledgerSize?.(a, 'USDT') ?? 0);
    const selfTransfers = transfers.filter((t) => t.from === t.to).length;
    expect(total).toBe(2 * n - selfTransfers);
    expect(value(v.txTransfers(txs[123]!))?.map((t) => t.index)).toEqual([0, 1]);
  });
});

describe('UTXO view properties', () => {
  it('spender and addressTxs equal a naive scan', () => {
    const pool = Array.from({ length: 5 }, (_, i) => btcAddr(`u${i}`));
    const txArb = fc.array(
      fc.record({
        spends: fc.array(fc.tuple(fc.nat(30), fc.nat(2)), { maxLength: 3 }),
        outs: fc.array(fc.option(fc.constantFrom(...pool), { nil: null }), { minLength: 1, maxLength: 3 }),
        height: fc.option(fc.nat(5), { nil: null }),
      }),
      { minLength: 1, maxLength: 25 },
    );
    fc.assert(
      fc.property(txArb, (rows) => {
        const txs: UtxoTx[] = rows.map((r, i) => ({
          txid: btcTxid(`v${i}`),
          height: r.height,
          position: r.height === null ? null : i,
          time: null,
          inputs: r.spends.map(([t, vout]) => ({
            txid: btcTxid(`v${t}`), // may be a later tx or one outside the set: the view does not judge
            vout,
            address: pool[(t + vout) % pool.length]!,
            value: 1n,
          })),
          outputs: r.outs.map((address) => ({ address, value: 1n })),
        }));
        const ds: Dataset = {
          format: 'fundtrace-dataset/1',
          chain: 'bitcoin',
          assets: new Map([['BTC', { symbol: 'BTC', decimals: 8 }]]),
          transactions: txs.slice().reverse(),
          transfers: [],
          labels: [],
        };
        const v = buildDatasetView(ds) as UtxoView;
        const sorted = txs.slice().sort(compareTxs);
        const byId = new Map(sorted.map((t) => [t.txid, t]));
        // first spender in chain order
        const naiveSpender = (txid: string, vout: number) => {
          const known = byId.get(txid);
          if (known && vout >= known.outputs.length) return null;
          for (const t of sorted) {
            const j = t.inputs.findIndex((i) => i.txid === txid && i.vout === vout);
            if (j >= 0) return { txid: t.txid, inputIndex: j };
          }
          return null;
        };
        for (let k = 0; k < 31; k++) {
          for (let vout = 0; vout < 3; vout++) {
            expect(value(v.spender(btcTxid(`v${k}`), vout))).toEqual(naiveSpender(btcTxid(`v${k}`), vout));
          }
        }
        for (const a of pool) {
          const naive = sorted.filter(
            (t) => t.inputs.some((i) => i.address === a) || t.outputs.some((o) => o.address === a),
          );
          expect(value(v.addressTxs(a))).toEqual(naive);
          expect(v.addressTxCount?.(a)).toBe(naive.length);
        }
      }),
      { numRuns: 200 },
    );
  });
});
