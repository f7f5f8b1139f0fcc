// Writes the taint-vectors page (../shared/spec/taint-vectors.md) as dataset files under
// test/fixtures/vectors/, one per vector, with well-formed addresses derived from role names.
// Run: node bin/run-ts.js scripts/make-vectors.ts   (the files are committed; a test checks they match)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { btcAddr, btcTxid, ethAddr, ethTx } from '../test/vector-roles.js';

const ETH = (n: string) => {
  const [w, f = ''] = n.split('.');
  return (BigInt(w!) * 10n ** 18n + BigInt((f + '0'.repeat(18)).slice(0, 18))).toString();
};
const USDT = (n: number) => (BigInt(n) * 1_000_000n).toString();

interface Tx {
  txid: string;
  height: number;
  position: number;
  time: string;
  inputs: { txid: string; vout: number; address: string; value: string }[];
  outputs: { address: string | null; value: string }[];
}

const time = (h: number) => new Date(Date.UTC(2024, 0, 1) + h * 600_000).toISOString().replace('.000Z', 'Z');

/** A tiny UTXO builder: named transactions, inputs by (tx name, vout). */
function utxo() {
  const txs: Tx[] = [];
  const byName = new Map<string, Tx>();
  let h = 800_000;
  return {
    txs,
    tx(name: string, inputs: [string, number][], outputs: [string | null, number][]) {
      const t: Tx = {
        txid: btcTxid(name),
        height: h,
        position: 1,
        time: time(h - 800_000),
        inputs: inputs.map(([n, vout]) => {
          const src = byName.get(n)!;
          const o = src.outputs[vout]!;
          return { txid: src.txid, vout, address: o.address!, value: o.value };
        }),
        outputs: outputs.map(([a, v]) => ({ address: a === null ? null : btcAddr(a), value: String(v) })),
      };
      h++;
      txs.push(t);
      byName.set(name, t);
      return t;
    },
  };
}

interface Transfer {
  tx: string;
  index: number;
  height: number;
  position: number;
  time: string;
  from: string;
  to: string;
  asset: string;
  value: string;
  kind: string;
}

function account() {
  const transfers: Transfer[] = [];
  return {
    transfers,
    t(
      name: string,
      height: number,
      position: number,
      from: string,
      to: string,
      value: string,
      asset = 'ETH',
      index = 0,
    ) {
      transfers.push({
        tx: ethTx(name),
        index,
        height,
        position,
        time: time(height - 19_000_000),
        from: ethAddr(from),
        to: ethAddr(to),
        asset,
        value,
        kind: asset === 'ETH' ? 'native' : 'token',
      });
    },
  };
}

const label = (chain: string, address: string, entity: string, category: string) => ({
  chain,
  address,
  entity,
  category,
  source: 'taint-vectors.md',
  confidence: 'high',
});

const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'vectors');
mkdirSync(dir, { recursive: true });
const write = (name: string, obj: unknown) =>
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(obj, null, 2) + '\n');
const btcSet = (name: string, txs: Tx[], labels: unknown[] = []) =>
  write(name, { format: 'fundtrace-dataset/1', chain: 'bitcoin', name, transactions: txs, labels });
const ethSet = (name: string, transfers: Transfer[], labels: unknown[] = [], assets?: unknown) =>
  write(name, {
    format: 'fundtrace-dataset/1',
    chain: 'ethereum',
    name,
    ...(assets ? { assets } : {}),
    transfers,
    labels,
  });

// V1: one UTXO transaction. Inputs [300 T, 700 C], outputs [X 400, Y 590], fee 10. Seed: f1:0.
{
  const u = utxo();
  u.tx('v1-f1', [], [['v1-S', 300]]);
  u.tx('v1-f2', [], [['v1-C', 700]]);
  u.tx(
    'v1-t',
    [
      ['v1-f1', 0],
      ['v1-f2', 0],
    ],
    [
      ['v1-X', 400],
      ['v1-Y', 590],
    ],
  );
  btcSet('v1', u.txs);
}
// V2: two hops, a merge, an exchange. Seed output 500 (f0:0).
{
  const u = utxo();
  u.tx('v2-f0', [], [['v2-S', 500]]);
  u.tx('v2-g', [], [['v2-C', 700]]);
  u.tx(
    'v2-a',
    [['v2-f0', 0]],
    [
      ['v2-P', 195],
      ['v2-Q', 300],
    ],
  );
  u.tx(
    'v2-b',
    [
      ['v2-a', 1],
      ['v2-g', 0],
    ],
    [
      ['v2-E', 600],
      ['v2-Q2', 390],
    ],
  );
  btcSet('v2', u.txs, [label('bitcoin', btcAddr('v2-E'), 'Exchange E', 'exchange')]);
}
// V3: account ledger. Seed: the thief's transaction t2.
{
  const a = account();
  a.t('v3-fund-thief', 99, 0, 'v3-F', 'v3-thief', ETH('3'));
  a.t('v3-t1', 100, 0, 'v3-F', 'v3-alice', ETH('2'));
  a.t('v3-t2', 101, 0, 'v3-thief', 'v3-alice', ETH('3'));
  a.t('v3-t3', 102, 0, 'v3-F', 'v3-alice', ETH('5'));
  a.t('v3-t4', 103, 0, 'v3-alice', 'v3-bob', ETH('4'));
  a.t('v3-t5', 104, 0, 'v3-alice', 'v3-carol', ETH('6'));
  ethSet('v3', a.transfers);
}
// V4: order inside blocks. Seed: the transaction at (h102, pos2).
{
  const a = account();
  a.t('v4-fund-src', 99, 0, 'v4-F', 'v4-src', ETH('4'));
  a.t('v4-c1', 100, 0, 'v4-F', 'v4-M', ETH('5'));
  a.t('v4-d1', 101, 0, 'v4-M', 'v4-D', ETH('4'));
  a.t('v4-seed', 102, 2, 'v4-src', 'v4-M', ETH('4'));
  a.t('v4-d2', 102, 7, 'v4-M', 'v4-K', ETH('3'));
  a.t('v4-d3', 103, 0, 'v4-M', 'v4-L', ETH('2'));
  ethSet('v4', a.transfers);
}
// V5: token decimals and spam (USDT, 6 decimals). Seed: the 5 USDT transaction.
{
  const a = account();
  const usdt = ethAddr('v5-usdt-contract');
  const fake = ethAddr('v5-fake-usdt-contract');
  a.t('v5-fund-src', 99, 0, 'v5-F', 'v5-src', USDT(5), 'USDT');
  a.t('v5-c1', 100, 0, 'v5-F', 'v5-A', USDT(15), 'USDT');
  a.t('v5-seed', 101, 0, 'v5-src', 'v5-A', USDT(5), 'USDT');
  a.t('v5-zero', 102, 0, 'v5-A', 'v5-P', '0', 'USDT');
  a.t('v5-fake', 103, 0, 'v5-F', 'v5-A', '1000000000000', fake);
  a.t('v5-d1', 104, 0, 'v5-A', 'v5-E1', USDT(8), 'USDT');
  a.t('v5-d2', 105, 0, 'v5-A', 'v5-B', USDT(12), 'USDT');
  ethSet('v5', a.transfers, [label('ethereum', ethAddr('v5-E1'), 'Exchange E1', 'exchange')], {
    USDT: { decimals: 6, contract: usdt },
    'USDT-lookalike': { decimals: 6, contract: fake },
  });
}
// V7: peel chain. Seed output 10 000 (f0:0).
{
  const u = utxo();
  u.tx('v7-f0', [], [['v7-S', 10_000]]);
  u.tx(
    'v7-p1',
    [['v7-f0', 0]],
    [
      ['v7-E1', 1_000],
      ['v7-c1', 8_990],
    ],
  );
  u.tx(
    'v7-p2',
    [['v7-p1', 1]],
    [
      ['v7-U', 2_000],
      ['v7-c2', 6_980],
    ],
  );
  u.tx(
    'v7-p3',
    [['v7-p2', 1]],
    [
      ['v7-E2', 500],
      ['v7-c3', 6_470],
    ],
  );
  btcSet('v7', u.txs, [
    label('bitcoin', btcAddr('v7-E1'), 'Exchange A', 'exchange'),
    label('bitcoin', btcAddr('v7-E2'), 'Exchange B', 'exchange'),
  ]);
}
// V8: mixer pool. Seed: the depositor's address.
{
  const a = account();
  a.t('v8-fund', 100, 0, 'v8-F', 'v8-seed', ETH('10'));
  a.t('v8-others', 101, 0, 'v8-others', 'v8-pool', ETH('990'));
  a.t('v8-deposit', 102, 0, 'v8-seed', 'v8-pool', ETH('10'));
  a.t('v8-w1', 103, 0, 'v8-pool', 'v8-W1', ETH('100'));
  a.t('v8-w2', 104, 0, 'v8-pool', 'v8-W2', ETH('10'));
  ethSet('v8', a.transfers, [label('ethereum', ethAddr('v8-pool'), 'Mixer pool', 'mixer')]);
}
// V9: cycle. Seed: the transaction that pays S.
{
  const a = account();
  a.t('v9-fund', 99, 0, 'v9-F', 'v9-thief', ETH('10'));
  a.t('v9-seed', 100, 0, 'v9-thief', 'v9-S', ETH('10'));
  a.t('v9-s-a', 101, 0, 'v9-S', 'v9-A', ETH('10'));
  a.t('v9-a-s', 102, 0, 'v9-A', 'v9-S', ETH('10'));
  a.t('v9-s-e', 103, 0, 'v9-S', 'v9-E', ETH('10'));
  ethSet('v9', a.transfers, [label('ethereum', ethAddr('v9-E'), 'Exchange E', 'exchange')]);
}
// V6: a Whirlpool-shaped CoinJoin (5 × 1 000 200 in, 5 × 1 000 000 out, fee 1 000); input 2 tainted.
{
  const u = utxo();
  for (let i = 0; i < 5; i++) u.tx(`v6-f${i}`, [], [[`v6-in${i}`, 1_000_200]]);
  u.tx(
    'v6-mix',
    [0, 1, 2, 3, 4].map((i) => [`v6-f${i}`, 0] as [string, number]),
    [0, 1, 2, 3, 4].map((i) => [`v6-out${i}`, 1_000_000] as [string | null, number]),
  );
  btcSet('v6', u.txs);
}
// B1 (our own, backward): where did T's 6 ETH come from? A (funded 6 by an exchange, then 4 by
// a scammer) pays T 5; a Tornado-like address labelled both mixer and sanctioned pays T 1.
{
  const a = account();
  a.t('b1-fund-x', 99, 0, 'b1-F', 'b1-exchange', ETH('100'));
  a.t('b1-fund-s', 99, 1, 'b1-F', 'b1-scammer', ETH('4'));
  a.t('b1-fund-m', 99, 2, 'b1-F', 'b1-mixer', ETH('1'));
  a.t('b1-t1', 100, 0, 'b1-exchange', 'b1-A', ETH('6'));
  a.t('b1-t2', 101, 0, 'b1-scammer', 'b1-A', ETH('4'));
  a.t('b1-t3', 102, 0, 'b1-A', 'b1-T', ETH('5'));
  a.t('b1-t4', 103, 0, 'b1-mixer', 'b1-T', ETH('1'));
  ethSet('b1', a.transfers, [
    label('ethereum', ethAddr('b1-exchange'), 'Exchange X', 'exchange'),
    label('ethereum', ethAddr('b1-scammer'), 'Scam S', 'scam'),
    label('ethereum', ethAddr('b1-mixer'), 'Tornado-like', 'mixer'),
    label('ethereum', ethAddr('b1-mixer'), 'Tornado-like', 'sanctioned'),
  ]);
}
// D1 (our own): the seed pays an unlabelled address that sweeps everything to a labelled exchange
// hot wallet within the hour: a deposit address, named in the exits table.
{
  const a = account();
  a.t('d1-fund', 99, 0, 'd1-F', 'd1-seed', ETH('5'));
  a.t('d1-pay', 100, 0, 'd1-seed', 'd1-deposit', ETH('5'));
  a.t('d1-other', 100, 1, 'd1-customer', 'd1-deposit', ETH('1'));
  a.t('d1-sweep', 101, 0, 'd1-deposit', 'd1-hot', ETH('6'));
  ethSet('d1', a.transfers, [label('ethereum', ethAddr('d1-hot'), 'Northbank Exchange', 'exchange')]);
}
// C1 (our own): co-spend clustering joins X to a labelled exchange through a plain transaction,
// but never through a CoinJoin-shaped one (Y enters a Whirlpool-shaped mix with a labelled input).
{
  const u = utxo();
  u.tx('c1-f0', [], [['c1-S', 5_005_210]]);
  u.tx('c1-fE', [], [['c1-E', 1_000]]);
  u.tx('c1-fF', [], [['c1-F', 5_000_200]]);
  for (let i = 1; i <= 3; i++) u.tx(`c1-fO${i}`, [], [[`c1-O${i}`, 5_000_200]]);
  u.tx(
    'c1-a',
    [['c1-f0', 0]],
    [
      ['c1-X', 5_000],
      ['c1-Y', 5_000_200],
    ],
  );
  u.tx(
    'c1-b',
    [
      ['c1-a', 0],
      ['c1-fE', 0],
    ],
    [['c1-Z', 5_990]],
  );
  u.tx(
    'c1-mix',
    [
      ['c1-a', 1],
      ['c1-fF', 0],
      ['c1-fO1', 0],
      ['c1-fO2', 0],
      ['c1-fO3', 0],
    ],
    [0, 1, 2, 3, 4].map((i) => [`c1-mix-out${i}`, 5_000_000] as [string | null, number]),
  );
  btcSet('c1', u.txs, [
    label('bitcoin', btcAddr('c1-E'), 'Exchange K', 'exchange'),
    label('bitcoin', btcAddr('c1-F'), 'Exchange L', 'exchange'),
  ]);
}
// R1 (our own): value that comes back to an address seed (UTXO). X pays S 1 000; S → A; A → S;
// S → E (exchange). Seed: the address S (forward: it sent 2 000; backward: it received 2 000).
{
  const u = utxo();
  u.tx('r1-cb', [], [['r1-X', 1_000]]);
  u.tx('r1-t0', [['r1-cb', 0]], [['r1-S', 1_000]]);
  u.tx('r1-t1', [['r1-t0', 0]], [['r1-A', 1_000]]);
  u.tx('r1-t2', [['r1-t1', 0]], [['r1-S', 1_000]]);
  u.tx('r1-t3', [['r1-t2', 0]], [['r1-E', 1_000]]);
  btcSet('r1', u.txs, [label('bitcoin', btcAddr('r1-E'), 'Exchange E', 'exchange')]);
}
process.stdout.write(`wrote vectors to ${dir}\n`);
