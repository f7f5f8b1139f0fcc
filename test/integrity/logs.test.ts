// The integrity wrapper every remote source gets also checks txLogs answers: logs of another
// transaction, or out of log-index order, end the run with BAD_DATA naming the source.
import { describe, expect, it } from 'vitest';
import type { TxLog } from '../../src/core/model.js';
import type { AccountView, Lookup } from '../../src/core/view.js';
import { checkedView } from '../../src/sources/integrity/index.js';

const TX = `0x${'1'.repeat(64)}`;
const OTHER = `0x${'2'.repeat(64)}`;
const log = (tx: string, index: number): TxLog => ({
  tx,
  index,
  height: 1,
  position: 0,
  time: null,
  address: '0x0000000000000000000000000000000000000001',
  topics: [],
  data: '0x',
});

function lying(answer: TxLog[]): AccountView {
  return {
    kind: 'account',
    chain: 'ethereum',
    native: { symbol: 'ETH', decimals: 18 },
    resolveAsset: () => undefined,
    asset: () => undefined,
    assets: () => ['ETH'],
    ledger: () => ({ status: 'ok', value: [] }),
    txTransfers: () => ({ status: 'ok', value: undefined }),
    txLogs: (): Lookup<readonly TxLog[]> => ({ status: 'ok', value: answer }),
  };
}

describe('integrity: txLogs', () => {
  it('good answers pass through unchanged', () => {
    const v = checkedView(lying([log(TX, 1), log(TX, 4)]), 'rpc http://x') as AccountView;
    expect(v.txLogs!(TX.toUpperCase().replace('0X', '0x'))).toEqual({
      status: 'ok',
      value: [log(TX, 1), log(TX, 4)],
    });
  });
  it('a log of another transaction', () => {
    const v = checkedView(lying([log(OTHER, 1)]), 'rpc http://x') as AccountView;
    expect(() => v.txLogs!(TX)).toThrow(
      `rpc http://x answered inconsistent data: asked for the logs of ${TX}, got one of ${OTHER}`,
    );
  });
  it('logs out of index order (or a repeated index)', () => {
    const v = checkedView(lying([log(TX, 4), log(TX, 4)]), 'rpc http://x') as AccountView;
    expect(() => v.txLogs!(TX)).toThrow(/the logs of 0x1+ are not in log-index order \(4 after 4\)/);
  });
  it('a view without txLogs stays without', () => {
    const { txLogs: _none, ...plain } = lying([]);
    expect((checkedView(plain as AccountView, 'x') as AccountView).txLogs).toBeUndefined();
  });
});
