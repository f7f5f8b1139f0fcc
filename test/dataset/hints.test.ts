// The loader hands buildDatasetView precomputed address ids (index hints). A view built with them
// must answer exactly like one built from scratch, and stale hints must be ignored.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/model.js';
import type { AccountView, UtxoView } from '../../src/core/view.js';
import { indexHints, StringIds } from '../../src/sources/dataset/hints.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { btcAddr, btcTxid, evmAddr, evmTx } from '../fixtures/dataset/addresses.js';
import { toJsonLines } from '../fixtures/dataset/docs.js';
import { FIXTURES, writeText } from './helpers.js';

/** Every answer a view gives about the dataset's own addresses, txs and outputs. */
function answers(ds: Dataset) {
  const v = buildDatasetView(ds);
  const out: unknown[] = [];
  if (v.kind === 'utxo') {
    const uv = v as UtxoView;
    const addrs = new Set<string>();
    for (const tx of ds.transactions) {
      out.push(uv.tx(tx.txid));
      for (const i of tx.inputs) {
        if (i.address) addrs.add(i.address);
        out.push(uv.spender(i.txid, i.vout));
      }
      tx.outputs.forEach((o, k) => {
        if (o.address) addrs.add(o.address);
        out.push(uv.spender(tx.txid, k));
      });
    }
    for (const a of [...addrs].sort()) out.push(a, uv.addressTxs(a), uv.addressTxCount?.(a));
  } else {
    const av = v as AccountView;
    const addrs = new Set<string>();
    for (const t of ds.transfers) {
      addrs.add(t.from);
      if (t.to) addrs.add(t.to);
      out.push(av.txTransfers(t.tx));
    }
    for (const a of [...addrs].sort()) {
      for (const asset of av.assets()) out.push(a, asset, av.ledger(a, asset), av.ledgerSize?.(a, asset));
    }
  }
  return out;
}

/** The same dataset without hints (a structured clone is a different object). */
const fresh = (ds: Dataset): Dataset => structuredClone(ds);

describe('index hints', () => {
  for (const name of ['utxo.jsonl', 'account.json']) {
    it(`${name}: a hinted view answers like one built from scratch`, async () => {
      const ds = await loadDataset(join(FIXTURES, name));
      expect(indexHints(ds)).toBeDefined();
      expect(indexHints(fresh(ds))).toBeUndefined();
      expect(answers(ds)).toEqual(answers(fresh(ds)));
    });
  }

  it('are dropped when the dataset no longer holds the arrays they describe', async () => {
    const ds = await loadDataset(join(FIXTURES, 'account.json'));
    const moved = { ...ds, transfers: ds.transfers.slice(0, 3) };
    expect(indexHints(moved)).toBeUndefined();
    ds.transfers = ds.transfers.slice(1);
    expect(indexHints(ds)).toBeUndefined();
    expect(answers(ds)).toEqual(answers(fresh(ds)));
  });

  it('are dropped when a record was edited in place', async () => {
    const ds = await loadDataset(join(FIXTURES, 'account.json'));
    ds.transfers[0]!.from = evmAddr('someone else');
    expect(indexHints(ds)).toBeUndefined();
  });

  it('random JSON Lines datasets: hinted and unhinted views agree', async () => {
    const evm = Array.from({ length: 8 }, (_, i) => evmAddr(`h${i}`));
    const btc = Array.from({ length: 8 }, (_, i) => btcAddr(`h${i}`, i % 2 ? 'p2wpkh' : 'p2pkh'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(7), fc.nat(7), fc.nat(3), fc.boolean()), { minLength: 1, maxLength: 30 }),
        async (rows) => {
          // account: one transfer per row, some with a fee record
          const transfers = rows.flatMap(([f, t, h, fee], i) => [
            {
              tx: evmTx(`r${i}`),
              index: 0,
              height: 100 + h,
              position: i,
              from: evm[f]!.toLowerCase(),
              to: evm[t]!,
              asset: 'ETH',
              value: String(i * 7),
              kind: 'native',
            },
            ...(fee
              ? [
                  {
                    tx: evmTx(`r${i}`),
                    index: 1,
                    height: 100 + h,
                    position: i,
                    from: evm[f]!,
                    to: null,
                    asset: 'ETH',
                    value: '1',
                    kind: 'fee',
                  },
                ]
              : []),
          ]);
          const acc = await loadDataset(
            writeText(
              toJsonLines({
                format: 'fundtrace-dataset/1',
                chain: 'ethereum',
                transfers: transfers.reverse(),
              }),
              'r.jsonl',
            ),
          );
          expect(answers(acc)).toEqual(answers(fresh(acc)));
          // UTXO: a chain of spends, each tx spending the previous one's first output
          const txs = rows.map(([f, t, h], i) => ({
            txid: btcTxid(`r${i}`),
            height: 100 + i,
            position: h,
            inputs:
              i === 0
                ? []
                : [
                    {
                      txid: btcTxid(`r${i - 1}`),
                      vout: 0,
                      address: btc[rows[i - 1]![1]]!,
                      value: String(10_000 - (i - 1)),
                    },
                  ],
            outputs: [
              { address: btc[t]!, value: String(10_000 - i) },
              { address: f % 3 === 0 ? null : btc[f]!, value: '0' },
            ],
          }));
          const ut = await loadDataset(
            writeText(
              toJsonLines({ format: 'fundtrace-dataset/1', chain: 'bitcoin', transactions: txs.reverse() }),
              'u.jsonl',
            ),
          );
          expect(answers(ut)).toEqual(answers(fresh(ut)));
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('StringIds', () => {
  it('maps strings to values through growth and collisions', () => {
    const t = new StringIds();
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}`);
    for (const [i, k] of keys.entries()) t.set(k, StringIds.hash(k), i);
    expect(t.size).toBe(keys.length);
    for (const [i, k] of keys.entries()) expect(t.get(k, StringIds.hash(k))).toBe(i);
    expect(t.get('absent', StringIds.hash('absent'))).toBe(-1);
    // forced collisions: same hash, different strings
    const c = new StringIds();
    for (let i = 0; i < 100; i++) c.set(`x${i}`, 7, i);
    for (let i = 0; i < 100; i++) expect(c.get(`x${i}`, 7)).toBe(i);
    expect(c.get('x100', 7)).toBe(-1);
  });
});
