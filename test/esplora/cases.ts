// The scenario behind the Esplora source tests and the dataset-equivalence test. It exercises:
//   - an address (S) with 18 transactions: more than two pages at the tests' page size of 7;
//   - two scenario transactions per block at heights 102–109 (block order needed);
//   - spends inside one block whose txid sorts BEFORE the parent's (x1 after sp1; y2 after y1, where
//     y2 also spends an older output, so ordering by txid would process it early and lose taint);
//   - a coinbase, external funding (outside the data), an OP_RETURN output, unspent outputs,
//     script types P2WPKH/P2PKH/P2SH/P2TR, and an unconfirmed (mempool) transaction.
import { addr } from '../heuristics/fixtures.js';
import { type Scenario, ScenarioBuilder, sha } from './scenario.js';

export const TIP = 120;

export const roles = {
  miner: addr('eq-miner', 'p2pkh'),
  miner2: addr('eq-miner2', 'p2pkh'),
  S: addr('eq-S'),
  T1: addr('eq-T1', 'p2sh'),
  A1: addr('eq-A1', 'p2tr'),
  T1b: addr('eq-T1b'),
  U: addr('eq-U'),
  V: addr('eq-V', 'p2pkh'),
  W1: addr('eq-W1'),
  W2: addr('eq-W2', 'p2tr'),
  Z: addr('eq-Z'),
  Y1a: addr('eq-Y1a'),
  Y1b: addr('eq-Y1b', 'p2sh'),
  Y2: addr('eq-Y2'),
  T1c: addr('eq-T1c'),
  funder: (i: number) => addr(`eq-F${i}`, i % 2 === 0 ? 'p2wpkh' : 'p2sh'),
};

export interface Built {
  s: Scenario;
  /** Named transactions. */
  tx: Record<string, import('../../src/core/model.js').UtxoTx>;
}

/** A name for a child tx whose txid sorts before `parentTxid`. */
function nameBefore(prefix: string, parentTxid: string): string {
  for (let k = 0; ; k++) {
    const n = `${prefix}-${k}`;
    if (sha(`tx:${n}`) < parentTxid) return n;
  }
}

export function equivalenceScenario(): Built {
  const b = new ScenarioBuilder(TIP);
  const tx: Built['tx'] = {};
  tx.cb = b.coinbase('cb', 100, [[roles.miner, 312_500_000n]]);
  // 16 payments to S, two per block, between fillers.
  const pay: import('../../src/core/model.js').UtxoTx[] = [];
  for (let i = 0; i < 16; i++) {
    const height = 102 + Math.floor(i / 2);
    const value = 100_000n * BigInt(i + 1) + BigInt(i);
    if (i === 0) {
      pay.push(
        b.tx(
          'p0',
          height,
          [{ tx: tx.cb, vout: 0 }],
          [
            [roles.S, value],
            [roles.miner2, 312_500_000n - value - 10_000n],
          ],
        ),
      );
    } else {
      const funding = 5_000_000n + BigInt(i) * 1_000n;
      pay.push(
        b.tx(
          `p${i}`,
          height,
          [{ external: roles.funder(i), value: funding }],
          [
            [roles.funder(i), funding - value - 1_500n],
            [roles.S, value],
          ],
          i % 2 === 1 ? 2 : 0,
        ),
      );
    }
  }
  pay.forEach((p, i) => {
    tx[`p${i}`] = p;
  });
  const sOut = (p: (typeof pay)[number]) => ({
    tx: p,
    vout: p.outputs.findIndex((o) => o.address === roles.S),
  });
  // h110: S spends the first eight payments; a child of it in the same block, txid sorting first.
  const in1 = pay.slice(0, 8).map(sOut);
  const sum1 = pay.slice(0, 8).reduce((a, p) => a + p.outputs[sOut(p).vout]!.value, 0n);
  tx.sp1 = b.tx(
    'sp1',
    110,
    in1,
    [
      [roles.T1, 2_000_000n],
      [roles.S, sum1 - 2_000_000n - 3_000n],
    ],
    2,
  );
  tx.x1 = b.tx(
    nameBefore('x1', tx.sp1.txid),
    110,
    [{ tx: tx.sp1, vout: 0 }],
    [
      [roles.A1, 1_500_000n],
      [null, 0n],
      [roles.T1b, 499_000n],
    ],
    1,
  );
  // h111: S spends the other eight and its own change.
  const in2 = [...pay.slice(8).map(sOut), { tx: tx.sp1, vout: 1 }];
  const sum2 =
    pay.slice(8).reduce((a, p) => a + p.outputs[sOut(p).vout]!.value, 0n) + tx.sp1.outputs[1]!.value;
  tx.sp2 = b.tx('sp2', 111, in2, [
    [roles.U, 3_000_000n],
    [roles.V, sum2 - 3_000_000n - 4_000n],
  ]);
  // h116 (not yet final at tip 120): V splits.
  const v = tx.sp2.outputs[1]!.value;
  tx.x2 = b.tx(
    'x2',
    116,
    [{ tx: tx.sp2, vout: 1 }],
    [
      [roles.W1, 1_234_567n],
      [roles.W2, v - 1_234_567n - 2_000n],
    ],
  );
  // h117: y1 splits W2; y2, later in the same block but with a txid sorting first, merges y1's
  // first output with W1. Ordered by txid, y2 would be processed before y1 and lose y1's taint.
  tx.y1 = b.tx(
    'y1',
    117,
    [{ tx: tx.x2, vout: 1 }],
    [
      [roles.Y1a, 700_000n],
      [roles.Y1b, tx.x2.outputs[1]!.value - 700_000n - 1_000n],
    ],
    1,
  );
  tx.y2 = b.tx(
    nameBefore('y2', tx.y1.txid),
    117,
    [
      { tx: tx.x2, vout: 0 },
      { tx: tx.y1, vout: 0 },
    ],
    [[roles.Y2, 1_234_567n + 700_000n - 1_500n]],
    2,
  );
  // mempool: T1b moves on, unconfirmed.
  tx.mp = b.tx(
    'mp',
    null,
    [{ tx: tx.x1, vout: 2 }],
    [
      [roles.Z, 400_000n],
      [roles.T1c, 98_000n],
    ],
  );
  return { s: b.build(), tx };
}
