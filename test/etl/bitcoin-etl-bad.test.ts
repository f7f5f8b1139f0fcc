// bitcoin-etl import, bad input: each refused with exit 3 and one line naming the export's file and
// line, and nothing written (no dataset, no index, no partial file).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from '../helpers.js';
import { bitcoinEtlLines, blockHash, blockLines, type Sample } from './bitcoin-etl-export.js';

const root = mkdtempSync(join(tmpdir(), 'fundtrace-btc-etl-bad-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const SAMPLE = JSON.parse(readFileSync(join(ROOT, 'samples', 'ransomware-btc.json'), 'utf8')) as Sample;
type Line = Record<string, unknown> & {
  inputs: Record<string, unknown>[];
  outputs: Record<string, unknown>[];
};
/** The sample's export, in chain order (line n+1 is transaction n), for a case to spoil. */
const fresh = () => bitcoinEtlLines(SAMPLE.transactions) as Line[];
const lineOf = (txid: string) => SAMPLE.transactions.findIndex((t) => t.txid === txid) + 1;
// The ransom payment's spender: its input 0 spends an output the export holds.
const RANSOM = '356c145b1c4b017a6771cd6a785ba2dc0e5af7915df58cefd686f709b563b01c';
const spenderIx = SAMPLE.transactions.findIndex((t) => t.inputs.some((i) => i.txid === RANSOM));

let n = 0;
async function refused(
  lines: readonly unknown[] | string,
  expected: RegExp,
  opts: { blocks?: string; name?: string } = {},
) {
  const dir = join(root, String(n++));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir);
  const txs = join(dir, opts.name ?? 'transactions.json');
  writeFileSync(
    txs,
    typeof lines === 'string' ? lines : `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
  );
  const args = ['dataset', 'import-etl', '--chain', 'bitcoin', '--transactions', txs];
  if (opts.blocks) {
    const b = join(dir, opts.blocks.startsWith('hash,') ? 'blocks.csv' : 'blocks.json');
    writeFileSync(b, opts.blocks);
    args.push('--blocks', b);
  }
  const before = readdirSync(dir);
  const r = await cli([...args, '--out', join(dir, 'out.jsonl'), '--index', join(dir, 'out.ftindex')]);
  expect(r.status, r.stdout).toBe(3);
  expect(r.stderr).toMatch(expected);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(readdirSync(dir)).toEqual(before);
}

describe('bitcoin-etl import: bad input', () => {
  it('a missing field, named with its line', async () => {
    const l = fresh();
    delete (l[4] as Partial<Line>).outputs;
    await refused(l, /^fundtrace: transactions\.json:5: missing field outputs$/m);
  });

  it('a transaction without block number and time, and no blocks export', async () => {
    const l = fresh();
    delete l[2]!.block_number;
    await refused(l, /transactions\.json:3: .*no block_number and block_timestamp.*not in the blocks export/);
  });

  it('an input spending an output the export has, with a different value', async () => {
    const l = fresh();
    const input = l[spenderIx]!.inputs.find((i) => i.spent_transaction_hash === RANSOM)!;
    const j = l[spenderIx]!.inputs.indexOf(input);
    const out = SAMPLE.transactions[lineOf(RANSOM) - 1]!.outputs[input.spent_output_index as number]!;
    Object.assign(input, {
      value: Number(out.value) + 1,
      addresses: [out.address],
      type: 'witness_v0_keyhash',
    });
    await refused(
      l,
      new RegExp(
        `transactions\\.json:${spenderIx + 1}: inputs\\[${j}\\]\\.value ${BigInt(out.value) + 1n} differs from ${out.value}, the value of output ${RANSOM}:\\d+ it spends \\(line ${lineOf(RANSOM)}\\)`,
      ),
    );
  });

  it('an input naming another address than the output it spends', async () => {
    const l = fresh();
    const input = l[spenderIx]!.inputs.find((i) => i.spent_transaction_hash === RANSOM)!;
    const out = SAMPLE.transactions[lineOf(RANSOM) - 1]!.outputs[input.spent_output_index as number]!;
    Object.assign(input, {
      value: Number(out.value),
      addresses: ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
    });
    await refused(
      l,
      new RegExp(`transactions\\.json:${spenderIx + 1}: inputs\\[\\d\\] address .* differs from`),
    );
  });

  it.each([
    ['21 million BTC + 1 satoshi', 2_100_000_000_000_001n],
    ['an integer beyond 2^256', 1n << 257n],
  ])('an output value beyond range: %s', async (_name, v) => {
    const l = fresh();
    // Written as a bare JSON number, as bitcoin-etl writes values: read as digits, never a float.
    const text = l
      .map((x, i) =>
        i === 3
          ? JSON.stringify({ ...x, outputs: [{ ...x.outputs[0], value: 'V' }] }).replace('"V"', String(v))
          : JSON.stringify(x),
      )
      .join('\n');
    await refused(
      text,
      new RegExp(`transactions\\.json:4: outputs\\[0\\]\\.value ${v} is more than the 21 million BTC`),
    );
  });

  it('a BigQuery timestamp that is no day', async () => {
    const l = fresh();
    l[2]!.block_timestamp = '2024-02-30 00:00:00 UTC';
    await refused(l, /transactions\.json:3: block_timestamp "2024-02-30 00:00:00 UTC" is not a time/);
  });

  it('a double spend', async () => {
    const l = fresh();
    const tx = SAMPLE.transactions[spenderIx]!;
    const clone: Line = { ...l[spenderIx]!, hash: 'ab'.repeat(32), index: tx.position + 1 };
    l.splice(spenderIx + 1, 0, clone);
    await refused(
      l,
      new RegExp(
        `transactions\\.json:${spenderIx + 2}: double spend: inputs\\[0\\] spends [0-9a-f]{64}:\\d+, already spent at line ${spenderIx + 1}`,
      ),
    );
  });

  it('a spend before what it spends', async () => {
    const l = fresh();
    const f = lineOf(RANSOM) - 1;
    l[spenderIx]!.block_number = SAMPLE.transactions[f]!.height - 1;
    await refused(
      l,
      new RegExp(
        `transactions\\.json:${spenderIx + 1}: inputs\\[\\d\\] spends an output of ${RANSOM} \\(line ${f + 1}.*which is not earlier`,
      ),
    );
  });

  it('a negative fee', async () => {
    const l = fresh();
    const o = l[spenderIx]!.outputs[0]!;
    o.value = (o.value as number) + 2_000_000_000;
    await refused(
      l,
      new RegExp(
        `transactions\\.json:${spenderIx + 1}: negative fee: the inputs total \\d+ but the outputs total \\d+ satoshi`,
      ),
    );
  });

  it('a stated fee that is not inputs − outputs', async () => {
    const l: Line[] = fresh().map((x) => ({
      ...x,
      inputs: x.inputs.map((i) => ({ ...i, value: null, addresses: null })),
    }));
    // Only rows whose inputs carry values are checked; give the first non-coinbase outside inputs.
    const ix = l.findIndex((x) => x.inputs.length > 0);
    const tx = SAMPLE.transactions[ix]!;
    l[ix] = bitcoinEtlLines([tx])[0] as Line;
    const fee =
      tx.inputs.reduce((s, i) => s + BigInt(i.value), 0n) -
      tx.outputs.reduce((s, o) => s + BigInt(o.value), 0n);
    l[ix]!.fee = Number(fee + 1n);
    await refused(
      l,
      new RegExp(
        `transactions\\.json:${ix + 1}: fee ${fee + 1n} differs from inputs − outputs = ${fee} satoshi`,
      ),
    );
  });

  it('an input funded outside the export without value or addresses (not enriched)', async () => {
    const l = fresh();
    Object.assign(l[spenderIx]!.inputs[0]!, {
      spent_transaction_hash: 'cd'.repeat(32),
      value: null,
      addresses: null,
    });
    await refused(
      l,
      new RegExp(
        `transactions\\.json:${spenderIx + 1}: inputs\\[0\\] spends (cd)+:\\d+, which is not in the export.*enrich_transactions`,
      ),
    );
  });

  it('a coinbase that spends, and a transaction that is not a coinbase without inputs', async () => {
    const a = fresh();
    a[spenderIx]!.is_coinbase = true;
    await refused(
      a,
      new RegExp(`transactions\\.json:${spenderIx + 1}: a coinbase transaction spends an output`),
    );
    const b = fresh();
    b[0]!.is_coinbase = false;
    await refused(b, /transactions\.json:1: a transaction that is not a coinbase has no inputs/);
  });

  it('an address that is not a Bitcoin address', async () => {
    const l = fresh();
    l[1]!.outputs[0]!.addresses = ['0x0000000000000000000000000000000000000001'];
    await refused(l, /transactions\.json:2: outputs\[0\]\.addresses: /);
  });

  it('a blocks CSV with a quoted field holding a newline: the bad row after it is named by its line', async () => {
    const l = fresh().map((x) => {
      const { block_number: _n, block_timestamp: _t, ...rest } = x;
      return rest;
    });
    const blocks = blockLines(SAMPLE.transactions, SAMPLE.head);
    const csv = [
      'hash,number,timestamp,coinbase_param',
      `${blocks[0]!.hash},${blocks[0]!.number},${blocks[0]!.timestamp},"03a1b2\nc3"`,
      `${blocks[1]!.hash},x${blocks[1]!.number},${blocks[1]!.timestamp},`,
    ].join('\n');
    await refused(l, /blocks\.csv:4: number "x\d+" is not a non-negative integer/, { blocks: `${csv}\n` });
  });

  it('a blocks export without its timestamp column', async () => {
    await refused(fresh(), /blocks\.csv:1: missing column timestamp/, {
      blocks: `hash,number\n${blockHash(1)},1\n`,
    });
  });

  it('transactions as CSV (nested inputs and outputs do not fit)', async () => {
    await refused(
      'hash,inputs,outputs\n',
      /transactions\.csv: bitcoin-etl transactions are read from JSON Lines only/,
      { name: 'transactions.csv' },
    );
  });

  it('a line that is not JSON', async () => {
    const text = fresh().map((x) => JSON.stringify(x));
    text[6] = text[6]!.slice(0, 40);
    await refused(text.join('\n'), /transactions\.json:7: not JSON/);
  });
});

it('ethereum-etl options with --chain bitcoin are a usage error', async () => {
  const r = await cli([
    'dataset',
    'import-etl',
    '--chain',
    'bitcoin',
    '--transactions',
    'x.json',
    '--receipts',
    'r.csv',
    '--out',
    join(root, 'u.jsonl'),
  ]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/--receipts: not an export of bitcoin-etl/);
});
