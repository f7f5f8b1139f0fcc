// ethereum-etl `logs` export → dataset `logs` records (CSV with the topics in one quoted field, or
// JSON Lines with a list): the same TxLogs rpc: gives, none for a failed transaction, bad rows
// named by file and line; the dataset written validates and its view answers txLogs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/core/view.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { cli } from '../helpers.js';
import { A, H, scratch, TX_HEADER } from './etl-fixtures.js';

const { dir, file } = scratch('fundtrace-etl-logs-');
const T0 = `0x${'ab'.repeat(32)}`;
const W = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const txs = () =>
  file(
    'txs.csv',
    `${TX_HEADER}\n` +
      `${H(1)},3,${A(1)},${A(2)},0,7,1700000000,100,1,50000,5\n` +
      `${H(2)},4,${A(1)},${A(3)},0,7,1700000000,100,0,30000,5\n`,
  );

describe('ethereum-etl logs export', () => {
  for (const form of ['csv', 'json'] as const) {
    it(`${form}: every log of a successful tx, in order; none of a failed one`, async () => {
      const logs =
        form === 'csv'
          ? file(
              'logs.csv',
              'log_index,transaction_hash,transaction_index,block_hash,block_number,address,data,topics\n' +
                `7,${H(1)},3,${H(9)},100,${A(4)},0x00FF,"${T0},${W(1)}"\n` +
                `2,${H(1)},3,${H(9)},100,${A(5)},0x,\n` +
                `8,${H(2)},4,${H(9)},100,${A(4)},0x,${T0}\n`,
            )
          : file(
              'logs.json',
              [
                { log_index: 7, transaction_hash: H(1), address: A(4), data: '0x00FF', topics: [T0, W(1)] },
                { log_index: 2, transaction_hash: H(1), address: A(5), data: '0x', topics: [] },
                { log_index: 8, transaction_hash: H(2), address: A(4), data: '0x', topics: [T0] },
              ]
                .map((o) => JSON.stringify(o))
                .join('\n'),
            );
      const out = join(dir, `out-${form}.jsonl`);
      const r = await cli(['dataset', 'import-etl', '--transactions', txs(), '--logs', logs, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      const lines = readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      // Written in the export's order (the import streams); the view answers in chain order.
      expect(lines.filter((l) => l.type === 'log').map((l) => l.index)).toEqual([7, 2]);
      const view = buildDatasetView(await loadDataset(out)) as AccountView;
      const got = view.txLogs!(H(1));
      expect(got.status === 'ok' && got.value).toEqual([
        {
          tx: H(1),
          index: 2,
          height: 100,
          position: 3,
          time: '2023-11-14T22:13:20Z',
          address: A(5),
          topics: [],
          data: '0x',
        },
        {
          tx: H(1),
          index: 7,
          height: 100,
          position: 3,
          time: '2023-11-14T22:13:20Z',
          address: A(4),
          topics: [T0, W(1)],
          data: '0x00ff',
        },
      ]);
      expect(view.txLogs!(H(2))).toEqual({ status: 'ok', value: [] });
    });
  }

  it.each([
    [
      'a log of a tx outside the export',
      `9,${H(7)},0,${H(9)},100,${A(4)},0x,${T0}`,
      /logs\.csv:2: transaction 0x0+7 is not in the transactions export/,
    ],
    [
      'a topic that is not 32 bytes',
      `9,${H(1)},3,${H(9)},100,${A(4)},0x,0xabcd`,
      /logs\.csv:2: topics "0xabcd" are not 0 to 4 32-byte words/,
    ],
    [
      'odd data',
      `9,${H(1)},3,${H(9)},100,${A(4)},0xabc,${T0}`,
      /logs\.csv:2: data "0xabc" is not 0x and an even number of hex digits/,
    ],
  ])('%s: exit 3, file and line, nothing written', async (_n, row, message) => {
    const logs = file(
      'logs.csv',
      `log_index,transaction_hash,transaction_index,block_hash,block_number,address,data,topics\n${row}\n`,
    );
    const out = join(dir, 'bad.jsonl');
    const r = await cli(['dataset', 'import-etl', '--transactions', txs(), '--logs', logs, '--out', out]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(() => readFileSync(out)).toThrow();
  });
});
