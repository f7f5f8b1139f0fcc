// bitcoin-etl import: the ransomware sample's transactions written as a bitcoin-etl export (JSON
// Lines transactions with nested inputs/outputs, as export_blocks_and_transactions writes them,
// plus the blocks export), imported with `dataset import-etl --chain bitcoin --index`, traced from
// `index:DB`: the same JSON as the trace from the dataset file (apart from query.sources).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from '../helpers.js';
import {
  bigQueryLines,
  bitcoinEtlLines,
  blockLines,
  type Sample,
  type SampleTx,
} from './bitcoin-etl-export.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-btc-etl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLE = JSON.parse(readFileSync(join(ROOT, 'samples', 'ransomware-btc.json'), 'utf8')) as Sample;
const RANSOM_SEED = '356c145b1c4b017a6771cd6a785ba2dc0e5af7915df58cefd686f709b563b01c:0';

const jsonl = (name: string, rows: readonly unknown[]) => {
  const p = join(dir, name);
  writeFileSync(p, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return p;
};

function comparable(stdout: string): unknown {
  const doc = JSON.parse(stdout) as { query: { sources?: unknown } };
  delete doc.query.sources;
  return doc;
}

describe('bitcoin-etl export of the ransomware sample → index:DB ≡ the dataset file', () => {
  // The ETL export carries no labels: both traces get the sample's labels from one label file.
  const labels = jsonl('labels.jsonl', SAMPLE.labels);
  const plain = join(dir, 'plain.json');
  writeFileSync(plain, JSON.stringify({ ...SAMPLE, labels: [] }));
  // Lines shuffled (reversed): the import orders by block and position, not by line.
  const txs = jsonl('transactions.json', bitcoinEtlLines(SAMPLE.transactions).reverse());
  const blocks = jsonl('blocks.json', blockLines(SAMPLE.transactions, SAMPLE.head));
  const out = join(dir, 'btc.jsonl');
  const db = join(dir, 'btc.ftindex');

  it('imports and indexes', async () => {
    const r = await cli([
      'dataset',
      'import-etl',
      '--chain',
      'bitcoin',
      '--transactions',
      txs,
      '--blocks',
      blocks,
      '--out',
      out,
      '--index',
      db,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `${SAMPLE.transactions.length} transactions on bitcoin up to block ${SAMPLE.head.height}`,
    );
    expect(r.stderr).toMatch(/inputs? without value or addresses took them from the output spent/);
  });

  it('one file with block lines, transactions naming only their block_hash: the same dataset', async () => {
    const combined = jsonl('combined.json', [
      ...blockLines(SAMPLE.transactions, SAMPLE.head),
      ...bitcoinEtlLines(SAMPLE.transactions).map(
        ({ block_number: _n, block_timestamp: _t, ...rest }) => rest,
      ),
    ]);
    const again = join(dir, 'combined.jsonl');
    const r = await cli([
      'dataset',
      'import-etl',
      '--chain',
      'bitcoin',
      '--transactions',
      combined,
      '--out',
      again,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const body = (f: string) => readFileSync(f, 'utf8').split('\n').slice(1).join('\n');
    expect(body(again)).toBe(body(out));
    expect(JSON.parse(readFileSync(again, 'utf8').split('\n')[0]!).head).toEqual(SAMPLE.head);
  });

  it.each([
    ['forward haircut', [RANSOM_SEED, '--hops', '10']],
    ['forward fifo', [RANSOM_SEED, '--hops', '10', '--model', 'fifo']],
    ['forward poison', [RANSOM_SEED, '--hops', '10', '--model', 'poison']],
    [
      'backward haircut',
      ['bc1qwxjde4sv6kxrve4pfsx4gq6g3umxejt3jkqv2l', '--direction', 'backward', '--hops', '6'],
    ],
    [
      'backward fifo',
      [
        'bc1qwxjde4sv6kxrve4pfsx4gq6g3umxejt3jkqv2l',
        '--direction',
        'backward',
        '--hops',
        '6',
        '--model',
        'fifo',
      ],
    ],
  ])('%s', async (_name, args) => {
    const fromFile = await cli(['trace', ...args, '--source', plain, '--labels', labels, '--format', 'json']);
    const fromIndex = await cli([
      'trace',
      ...args,
      '--source',
      `index:${db}`,
      '--labels',
      labels,
      '--format',
      'json',
    ]);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    expect(fromIndex.status, fromIndex.stderr).toBe(0);
    expect(JSON.stringify(comparable(fromIndex.stdout))).toBe(JSON.stringify(comparable(fromFile.stdout)));
    // Not an empty trace that would match anything: hops were followed.
    expect(
      (JSON.parse(fromFile.stdout) as { graph: { edges: unknown[] } }).graph.edges.length,
    ).toBeGreaterThan(1);
  });
});

describe('BigQuery crypto_bitcoin.transactions export of the sample → index:DB ≡ the dataset file', () => {
  const labels = jsonl('bq-labels.jsonl', SAMPLE.labels);
  const plain = join(dir, 'bq-plain.json');
  writeFileSync(plain, JSON.stringify({ ...SAMPLE, labels: [] }));
  // BigQuery gives rows in no particular order: interleave them.
  const rows = bigQueryLines(SAMPLE.transactions);
  const shuffled = [...rows.filter((_r, i) => i % 2 === 1), ...rows.filter((_r, i) => i % 2 === 0)];
  const txs = jsonl('bq-transactions.json', shuffled);
  const db = join(dir, 'bq.ftindex');

  it('imports without positions in the block, saying so', async () => {
    const r = await cli([
      'dataset',
      'import-etl',
      '--chain',
      'bitcoin',
      '--transactions',
      txs,
      '--out',
      join(dir, 'bq.jsonl'),
      '--index',
      db,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${SAMPLE.transactions.length} transactions without a position in the block`);
  });

  it.each([
    ['forward haircut', [RANSOM_SEED, '--hops', '10']],
    ['forward fifo', [RANSOM_SEED, '--hops', '10', '--model', 'fifo']],
    [
      'backward haircut',
      ['bc1qwxjde4sv6kxrve4pfsx4gq6g3umxejt3jkqv2l', '--direction', 'backward', '--hops', '6'],
    ],
    [
      'backward poison',
      [
        'bc1qwxjde4sv6kxrve4pfsx4gq6g3umxejt3jkqv2l',
        '--direction',
        'backward',
        '--hops',
        '6',
        '--model',
        'poison',
      ],
    ],
  ])('%s', async (_name, args) => {
    const fromFile = await cli(['trace', ...args, '--source', plain, '--labels', labels, '--format', 'json']);
    const fromIndex = await cli([
      'trace',
      ...args,
      '--source',
      `index:${db}`,
      '--labels',
      labels,
      '--format',
      'json',
    ]);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    expect(fromIndex.status, fromIndex.stderr).toBe(0);
    expect(JSON.stringify(comparable(fromIndex.stdout))).toBe(JSON.stringify(comparable(fromFile.stdout)));
    expect(
      (JSON.parse(fromFile.stdout) as { graph: { edges: unknown[] } }).graph.edges.length,
    ).toBeGreaterThan(1);
  });
});

describe('BigQuery rows without a position in the block', () => {
  it('same-block spends are ordered after what they spend, whatever their txids', async () => {
    const A = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
    const t = (txid: string, inputs: SampleTx['inputs'], value: string): SampleTx => ({
      txid,
      height: 800000,
      position: 0,
      time: '2023-07-24T03:00:00Z',
      inputs,
      outputs: [{ address: A, value }],
    });
    // ff… is the coinbase; 11… spends 99…, which spends ff…: txid order would put 11… first.
    const cb = t('ff'.repeat(32), [], '1000');
    const mid = t('99'.repeat(32), [{ txid: cb.txid, vout: 0, address: A, value: '1000' }], '900');
    const last = t('11'.repeat(32), [{ txid: mid.txid, vout: 0, address: A, value: '900' }], '800');
    const other = t('55'.repeat(32), [{ txid: 'ee'.repeat(32), vout: 3, address: A, value: '5' }], '5');
    const txs = jsonl('order.json', bigQueryLines([last, other, mid, cb]));
    const out = join(dir, 'order.jsonl');
    const r = await cli(['dataset', 'import-etl', '--chain', 'bitcoin', '--transactions', txs, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const recs = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l) as { txid: string; position: number });
    expect(recs.map((x) => [x.txid.slice(0, 2), x.position])).toEqual([
      ['ff', 0],
      ['55', 1],
      ['99', 2],
      ['11', 3],
    ]);
  });
});

describe('bitcoin-etl output addresses', () => {
  it('one address kept; OP_RETURN, nonstandard and bare multisig have none (null), and so do inputs spending them', async () => {
    const A = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
    const B = '3PzxcyRQ2HMwTETsv4U8Px3eXu8g4ksFSn';
    const cb = 'c0'.repeat(32);
    const spend = 'd0'.repeat(32);
    const base = { block_number: 800000, block_timestamp: 1690167600 };
    const txs = jsonl('owners.json', [
      {
        ...base,
        hash: cb,
        index: 0,
        is_coinbase: true,
        inputs: [
          { index: 0, spent_transaction_hash: null, spent_output_index: null, coinbase_param: '03ab' },
        ],
        outputs: [
          { index: 0, type: 'witness_v0_keyhash', addresses: [A], value: 600 },
          { index: 1, type: 'nulldata', addresses: [], value: 0 },
          { index: 2, type: 'multisig', addresses: [A, B], value: 300 },
          { index: 3, type: 'nonstandard', addresses: ['nonstandard0123abcd'], value: 100 },
        ],
      },
      {
        ...base,
        hash: spend,
        index: 1,
        inputs: [
          {
            index: 0,
            spent_transaction_hash: cb,
            spent_output_index: 2,
            type: 'multisig',
            addresses: [A, B],
            value: 300,
          },
          { index: 1, spent_transaction_hash: cb, spent_output_index: 3, addresses: null, value: null },
        ],
        outputs: [{ index: 0, type: 'scripthash', addresses: [B], value: 350 }],
        fee: 50,
      },
    ]);
    const out = join(dir, 'owners.jsonl');
    const r = await cli(['dataset', 'import-etl', '--chain', 'bitcoin', '--transactions', txs, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const [, first, second] = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as SampleTx);
    expect(first!.inputs).toEqual([]);
    expect(first!.outputs.map((o) => o.address)).toEqual([A, null, null, null]);
    expect(second!.inputs.map((i) => [i.vout, i.address, i.value])).toEqual([
      [2, null, '300'],
      [3, null, '100'],
    ]);
  });
});
