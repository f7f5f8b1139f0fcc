// Unconfirmed transactions have no height or position: a child can sort before one of its parents.
// The forward sweep must still see all of the child's tainted inputs (a remote source can deliver
// such mempool chains; a dataset would reject the order).
import { describe, expect, it } from 'vitest';
import { labelPolicy } from '../../src/cli/policy.js';
import { findChain } from '../../src/core/chains.js';
import type { Dataset, UtxoTx } from '../../src/core/model.js';
import { runTrace, terminalTotal } from '../../src/core/trace.js';
import { buildDatasetView } from '../../src/sources/dataset/index.js';
import { btcAddr } from '../vector-roles.js';

const id = (c: string) => c.repeat(64);
const a = (n: string) => btcAddr(`unconf-${n}`);

describe('unconfirmed chains, forward', () => {
  it.each(['haircut', 'fifo', 'poison'] as const)(
    '%s: a child merging two unconfirmed parents gets both parents’ taint',
    (model) => {
      const coinbase: UtxoTx = {
        txid: id('c'),
        height: 100,
        position: 0,
        time: '2024-01-01T00:00:00Z',
        inputs: [],
        outputs: [
          { address: a('A'), value: 1000n },
          { address: a('B'), value: 1000n },
        ],
      };
      // Sorted by txid: child (1…) < p1 (2…) < p2 (f…), although the child spends both.
      const p1: UtxoTx = {
        txid: id('2'),
        height: null,
        position: null,
        time: null,
        inputs: [{ txid: coinbase.txid, vout: 0, address: a('A'), value: 1000n }],
        outputs: [{ address: a('P1'), value: 990n }],
      };
      const p2: UtxoTx = {
        txid: id('f'),
        height: null,
        position: null,
        time: null,
        inputs: [{ txid: coinbase.txid, vout: 1, address: a('B'), value: 1000n }],
        outputs: [{ address: a('P2'), value: 990n }],
      };
      const child: UtxoTx = {
        txid: id('1'),
        height: null,
        position: null,
        time: null,
        inputs: [
          { txid: p1.txid, vout: 0, address: a('P1'), value: 990n },
          { txid: p2.txid, vout: 0, address: a('P2'), value: 990n },
        ],
        outputs: [{ address: a('Z'), value: 1970n }],
      };
      const btc = findChain('bitcoin')!;
      const ds: Dataset = {
        format: 'fundtrace-dataset/1',
        chain: 'bitcoin',
        assets: new Map([['BTC', btc.native]]),
        transactions: [coinbase, child, p1, p2],
        transfers: [],
        labels: [],
      };
      const o = runTrace(buildDatasetView(ds), {
        seed: coinbase.txid,
        seedKind: 'tx',
        direction: 'forward',
        model,
        maxHops: 10,
        asset: 'BTC',
        minValue: 0n,
        maxNodes: 100,
        historyLimit: 100,
        policy: labelPolicy(() => []),
      });
      const z = o.graph.getNodeAttributes(`bitcoin:${a('Z')}`);
      expect(z.tainted).toBe(1970n);
      if (model !== 'poison') expect(terminalTotal(o)).toBe(o.traced);
    },
  );
});
