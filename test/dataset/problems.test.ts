// One test per kind of bad input: each asserts the exact location (JSON pointer for .json,
// `line N pointer` for .jsonl) and the plain-language message.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FundtraceError } from '../../src/core/errors.js';
import { loadDataset, validateDataset } from '../../src/sources/dataset/index.js';
import { btcAddr, evmAddr } from '../fixtures/dataset/addresses.js';
import { accountDoc, BTC, ETH, TX, TXID, toJsonLines, USDT, utxoDoc } from '../fixtures/dataset/docs.js';
import { expectProblems, tmpPath, validateBoth, writeJson, writeJsonl, writeText } from './helpers.js';

type Rec = Record<string, unknown>;
const tx = (doc: ReturnType<typeof utxoDoc>, i: number) =>
  doc.transactions![i] as Rec & {
    inputs: Rec[];
    outputs: Rec[];
  };
const tr = (doc: ReturnType<typeof accountDoc>, i: number) => doc.transfers![i] as Rec;

describe('reading', () => {
  it('a .json file that is not JSON is one clear problem', async () => {
    const p = writeText('{"format": "fundtrace-dataset/1",\n  "chain": bitcoin }\n', 'bad.json');
    const r = await validateDataset(p);
    expect(r.ok).toBe(false);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.location).toMatch(/^line 2 column \d+$/);
    expect(r.problems[0]!.message).toMatch(/^not valid JSON: /);
  });

  it('a .json file holding JSON Lines says so', async () => {
    const p = writeText(
      '{"format":"fundtrace-dataset/1","chain":"bitcoin"}\n{"type":"label"}\n',
      'lines.json',
    );
    const r = await validateDataset(p);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toMatch(/it looks like JSON Lines: name the file \.jsonl/);
  });

  it('an empty .json file', async () => {
    const r = await validateDataset(writeText(' \n', 'empty.json'));
    expect(r.problems).toEqual([
      {
        location: '(document)',
        message: 'the file is empty: expected a JSON object {"format": "fundtrace-dataset/1", "chain": …}',
      },
    ]);
  });

  it('a JSON document that is not an object', async () => {
    const r = await validateDataset(writeText('[1, 2]', 'array.json'));
    expect(r.problems).toEqual([
      {
        location: '(document)',
        message: expect.stringMatching(/^the document must be a JSON object .* got an array$/),
      },
    ]);
  });

  it('a JSON Lines line that is not JSON, or not an object', async () => {
    const good = writeJsonl(utxoDoc());
    const text = readFileSync(good, 'utf8').split('\n');
    text.splice(2, 0, '{"type": "label", oops}', '[1]');
    const r = await validateDataset(writeText(text.join('\n'), 'x.jsonl'));
    expect(r.problems.map((p) => [p.location, p.message.replace(/:.*/, '')])).toEqual([
      ['line 3', 'not valid JSON'],
      ['line 4', 'each line must be a JSON object, got an array'],
    ]);
  });

  it('a missing file is BAD_INPUT "file not found"', async () => {
    const p = tmpPath('nope.json');
    await expect(loadDataset(p)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: `cannot read dataset "${p}": file not found`,
    });
    await expect(validateDataset(p.replace(/json$/, 'jsonl'))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/file not found$/),
    });
  });

  it('an unknown extension is BAD_INPUT', async () => {
    const p = writeText('{}', 'data.csv');
    await expect(loadDataset(p)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: `cannot read dataset "${p}": unknown format (expected a .json, .jsonl or .ndjson file)`,
    });
  });

  it('an empty JSON Lines file', async () => {
    const r = await validateDataset(writeText('\n\n', 'empty.ndjson'));
    expect(r.problems).toEqual([
      {
        location: '(document)',
        message: expect.stringMatching(/^the file is empty: the first line must be the header/),
      },
    ]);
  });

  it('JSON Lines: header missing, a second header, unknown or missing record type', async () => {
    const lines = [
      JSON.stringify({ type: 'label', address: BTC.A, entity: 'E', category: 'exchange', source: 's' }),
      JSON.stringify({ format: 'fundtrace-dataset/1', chain: 'bitcoin' }),
      JSON.stringify({ type: 'swap' }),
      JSON.stringify({ txid: TXID.t0 }),
    ];
    const r = await validateDataset(writeText(lines.join('\n'), 'x.jsonl'));
    expect(r.problems.map((p) => [p.location, p.message])).toEqual([
      [
        'line 1',
        expect.stringMatching(/^the first line must be the header \{"format": "fundtrace-dataset\/1"/),
      ],
      ['line 2', 'a header may appear only on the first line'],
      [
        'line 3 /type',
        'unknown record type the string "swap" (expected transaction, transfer, log or label)',
      ],
      ['line 4 /type', 'missing required field "type" (transaction, transfer, log or label)'],
    ]);
  });

  it('JSON Lines tolerates CRLF, blank lines and a BOM', async () => {
    const doc = utxoDoc();
    const text = `\uFEFF${toJsonLines(doc).split('\n').join('\r\n\r\n')}`;
    const r = await validateDataset(writeText(text, 'crlf.jsonl'));
    expect(r.problems).toEqual([]);
    expect(r.stats.transactions).toBe(5);
  });
});

describe('header', () => {
  it('unknown chain', async () => {
    const doc = utxoDoc();
    doc.chain = 'dogecoin';
    const r = await validateDataset(writeJson(doc));
    expect(r.problems).toEqual([
      {
        location: '/chain',
        pointer: '/chain',
        message: expect.stringMatching(/^unknown chain "dogecoin" \(known: .*bitcoin/),
      },
    ]);
    const l = await validateDataset(writeJsonl(doc));
    expect(l.problems.map((p) => p.location)).toEqual(['line 1 /chain']);
  });

  it('wrong format', async () => {
    const doc = utxoDoc();
    doc.format = 'fundtrace-dataset/2';
    const r = await validateDataset(writeJson(doc));
    expect(r.problems.map((p) => [p.location, p.message])).toEqual([
      ['/format', 'format must be "fundtrace-dataset/1", got the string "fundtrace-dataset/2"'],
    ]);
  });

  it('chain aliases resolve to the canonical chain name', async () => {
    const doc = accountDoc();
    doc.chain = 'eth';
    const ds = await loadDataset(writeJson(doc));
    expect(ds.chain).toBe('ethereum');
  });

  it('assets: redeclared native, tokens on a UTXO chain, bad and duplicate contracts', async () => {
    const doc = accountDoc();
    doc.assets = {
      ETH: { decimals: 6 },
      USDT: { decimals: 6, contract: USDT },
      USDT2: { decimals: 6, contract: USDT.toLowerCase() },
      BAD: { decimals: 6, contract: USDT.replace('dAC', 'DAC') },
    };
    const r = await validateDataset(writeJson(doc));
    expect(r.problems.map((p) => [p.location, p.message])).toEqual([
      [
        '/assets/ETH',
        'ETH is the native asset of ethereum (18 decimals, no contract); declare it with the same decimals or leave it out',
      ],
      ['/assets/USDT2/contract', `contract ${USDT} is already declared as "USDT"`],
      ['/assets/BAD/contract', expect.stringMatching(/fails its EIP-55 checksum/)],
    ]);
    const u = utxoDoc();
    u.assets = { USDT: { decimals: 6 } };
    const ru = await validateDataset(writeJson(u));
    expect(ru.problems.map((p) => [p.location, p.message])).toEqual([
      ['/assets/USDT', 'bitcoin is a UTXO chain: it has no assets besides its native BTC'],
    ]);
  });

  it('records of the other chain kind', async () => {
    const doc = accountDoc();
    doc.transactions = utxoDoc().transactions;
    const r = await validateDataset(writeJson(doc));
    expect(r.problems.map((p) => [p.location, p.message])).toEqual([
      [
        '/transactions',
        'ethereum is an account chain: its records are transfers, not transactions (5 such records; the first is here)',
      ],
    ]);
  });

  it('records after the head', async () => {
    const doc = utxoDoc();
    (doc.head as Rec).height = 800001;
    await expectProblems(doc, [
      {
        section: 'transactions',
        index: 2,
        sub: '/height',
        message: 'height 800002 is after the dataset head (height 800001)',
      },
      {
        section: 'transactions',
        index: 3,
        sub: '/height',
        message: 'height 800002 is after the dataset head (height 800001)',
      },
    ]);
  });
});

describe('amounts', () => {
  it('a fractional amount', async () => {
    const doc = utxoDoc();
    tx(doc, 2).inputs[0]!.value = '1.5';
    await expectProblems(doc, [
      {
        section: 'transactions',
        index: 2,
        sub: '/inputs/0/value',
        message: 'amount "1.5" is not a whole number of base units',
      },
    ]);
  });

  it('a negative amount', async () => {
    const doc = utxoDoc();
    tx(doc, 1).outputs[1]!.value = '-5';
    await expectProblems(doc, [
      { section: 'transactions', index: 1, sub: '/outputs/1/value', message: 'amount "-5" is negative' },
    ]);
  });

  it('a JSON number instead of a string', async () => {
    const doc = accountDoc();
    tr(doc, 1).value = 2000000000000000000;
    await expectProblems(doc, [
      {
        section: 'transfers',
        index: 1,
        sub: '/value',
        message:
          'amount 2000000000000000000 is a JSON number; amounts must be decimal strings of base units such as "150000" (JSON numbers lose precision)',
      },
    ]);
  });

  it('exponents, leading zeros, more than exists', async () => {
    const doc = utxoDoc();
    tx(doc, 0).outputs[0]!.value = '1e8';
    tx(doc, 1).outputs[0]!.value = '0300000000';
    tx(doc, 4).outputs[0]!.value = '2100000000000000001';
    await expectProblems(doc, [
      {
        section: 'transactions',
        index: 0,
        sub: '/outputs/0/value',
        message: 'amount "1e8" uses an exponent; write out all the digits',
      },
      {
        section: 'transactions',
        index: 1,
        sub: '/outputs/0/value',
        message: 'amount "0300000000" has leading zeros',
      },
      {
        section: 'transactions',
        index: 4,
        sub: '/outputs/0/value',
        message:
          'amount "2100000000000000001" is more than the 21 million BTC that can exist (2100000000000000 base units)',
      },
      {
        section: 'transactions',
        index: 4,
        sub: '',
        message: /^negative fee: /,
      },
    ]);
  });
});

describe('assets and kinds', () => {
  it('an unknown asset', async () => {
    const doc = accountDoc();
    tr(doc, 7).asset = 'DOGE';
    // A token transfer may name an undeclared contract (dataset-v1, test/dataset/undeclared-token.test.ts);
    // a native one may not.
    tr(doc, 3).asset = evmAddr('not a declared token');
    tr(doc, 3).kind = 'native';
    await expectProblems(doc, [
      {
        section: 'transfers',
        index: 3,
        sub: '/asset',
        message: `unknown asset "${evmAddr('not a declared token')}": it is not the native ETH, a symbol declared in the header's "assets", or a declared token contract`,
      },
      {
        section: 'transfers',
        index: 7,
        sub: '/asset',
        message:
          'unknown asset "DOGE": it is not the native ETH, a symbol declared in the header\'s "assets", or a declared token contract',
      },
    ]);
  });

  it('kind and asset must agree; to: null only for fees', async () => {
    const doc = accountDoc();
    tr(doc, 0).kind = 'token';
    tr(doc, 7).kind = 'native';
    tr(doc, 1).to = null;
    tr(doc, 2).to = ETH.X;
    await expectProblems(doc, [
      {
        section: 'transfers',
        index: 0,
        sub: '/kind',
        message: 'kind "token" cannot move the native asset ETH (use "native", "internal" or "fee")',
      },
      {
        section: 'transfers',
        index: 1,
        sub: '/to',
        message: 'to is null, but only a kind "fee" record may have no recipient (this one is "native")',
      },
      {
        section: 'transfers',
        index: 2,
        sub: '/to',
        message: 'a kind "fee" record must have "to": null (gas fees leave the ledger)',
      },
      {
        section: 'transfers',
        index: 7,
        sub: '/kind',
        message:
          'kind "native" moves the native asset ETH, but asset is "USDT" (token movements are kind "token")',
      },
    ]);
  });
});

describe('spends', () => {
  it('an input that spends an unknown output of a known transaction', async () => {
    const doc = utxoDoc();
    tx(doc, 2).inputs[0]!.vout = 7;
    await expectProblems(doc, [
      {
        section: 'transactions',
        index: 2,
        sub: '/inputs/0/vout',
        message: `spends unknown output ${TXID.t1}:7: that transaction (/transactions/1) has only 2 output(s)`,
      },
    ]);
  });

  it('an input funded outside the snapshot is fine', async () => {
    const doc = utxoDoc();
    tx(doc, 3).inputs.push({ txid: TXID.outside, vout: 0, address: null, value: '1' });
    const r = await validateDataset(writeJson(doc));
    expect(r.problems).toEqual([]);
  });

  it('a double spend, inside and outside the snapshot', async () => {
    const doc = utxoDoc();
    tx(doc, 4).inputs.push({ txid: TXID.t1, vout: 0, address: BTC.B, value: '300000000' });
    tx(doc, 3).inputs.push({ txid: TXID.outside, vout: 1, address: BTC.E, value: '50000' });
    const { json, jsonl } = await validateBoth(doc);
    expect(json.problems.map((p) => [p.location, p.message])).toEqual([
      [
        '/transactions/3/inputs/1',
        `double spend: output ${TXID.outside}:1 is already spent by /transactions/2/inputs/1`,
      ],
      [
        '/transactions/4/inputs/1',
        `double spend: output ${TXID.t1}:0 is already spent by /transactions/2/inputs/0`,
      ],
    ]);
    expect(jsonl.problems.map((p) => [p.location, p.message])).toEqual([
      ['line 5 /inputs/1', `double spend: output ${TXID.outside}:1 is already spent by line 4 /inputs/1`],
      ['line 6 /inputs/1', `double spend: output ${TXID.t1}:0 is already spent by line 4 /inputs/0`],
    ]);
  });

  it('an input whose value or address disagrees with the output it spends', async () => {
    const doc = utxoDoc();
    tx(doc, 1).inputs[0]!.value = '624999999';
    tx(doc, 1).inputs[0]!.address = BTC.B;
    await expectProblems(doc, [
      {
        section: 'transactions',
        index: 1,
        sub: '/inputs/0/value',
        message: `input value 624999999 differs from 625000000, the value of output ${TXID.t0}:0 it spends (/transactions/0)`,
      },
      {
        section: 'transactions',
        index: 1,
        sub: '/inputs/0/address',
        message: `input address "${BTC.B}" differs from "${BTC.A}", the address of output ${TXID.t0}:0 it spends (/transactions/0)`,
      },
    ]);
  });

  it('a negative fee', async () => {
    const doc = utxoDoc();
    tx(doc, 1).outputs[1]!.value = '325000001';
    tx(doc, 3).inputs[0]!.value = '325000001';
    await expectProblems(doc, [
      {
        section: 'transactions',
        index: 1,
        sub: '',
        message:
          'negative fee: the inputs total 625000000 but the outputs total 625000001 base units (1 more out than in)',
      },
    ]);
  });

  it('a coinbase (no inputs) creates value', async () => {
    const r = await validateDataset(writeJson(utxoDoc()));
    expect(r.ok).toBe(true);
  });
});

describe('order', () => {
  it('a transaction that spends a later one', async () => {
    const doc = utxoDoc();
    tx(doc, 1).height = 800003;
    await expectProblems(doc, [
      {
        section: 'transactions',
        index: 2,
        sub: '/inputs/0',
        message: `inconsistent order: spends an output of ${TXID.t1} (/transactions/1), which is not earlier in chain order (height 800003 position 3, this one height 800002 position 1)`,
      },
      {
        section: 'transactions',
        index: 3,
        sub: '/inputs/0',
        message: `inconsistent order: spends an output of ${TXID.t1} (/transactions/1), which is not earlier in chain order (height 800003 position 3, this one height 800002 position 5)`,
      },
    ]);
  });

  it('a confirmed transaction cannot spend an unconfirmed one; same-height spends need positions', async () => {
    const doc = utxoDoc();
    tx(doc, 1).height = null;
    const r = await validateDataset(writeJson(doc));
    expect(r.problems.map((p) => p.location)).toEqual([
      '/transactions/2/inputs/0',
      '/transactions/3/inputs/0',
    ]);
    expect(r.problems[0]!.message).toMatch(/\(unconfirmed, this one height 800002 position 1\)$/);

    // Same block, the spender without a position: it sorts first, and the hint says why.
    const d2 = utxoDoc();
    tx(d2, 1).height = 800002;
    tx(d2, 1).position = 4;
    delete tx(d2, 2).position;
    await expectProblems(d2, [
      {
        section: 'transactions',
        index: 2,
        sub: '/inputs/0',
        message: `inconsistent order: spends an output of ${TXID.t1} (/transactions/1), which is not earlier in chain order (height 800002 position 4, this one height 800002); both are at the same height: give each its position within the block`,
      },
    ]);
  });

  it('two transactions claiming the same height and position', async () => {
    const doc = utxoDoc();
    tx(doc, 3).position = 1;
    const [a, b] = [TXID.t2, TXID.t3].sort();
    await expectProblems(doc, [
      {
        section: 'transactions',
        index: 3,
        sub: '/position',
        message: `inconsistent order: transactions ${TXID.t3} and ${TXID.t2} (/transactions/2) both claim height 800002 position 1`,
      },
    ]);
    expect(a! < b!).toBe(true);
  });

  it('transfers of one tx that disagree on height; two txs at one position', async () => {
    const doc = accountDoc();
    tr(doc, 2).height = 19000001;
    tr(doc, 6).position = 7;
    const t4 = tr(doc, 7);
    t4.height = 19000000;
    t4.position = 10;
    await expectProblems(doc, [
      {
        section: 'transfers',
        index: 2,
        sub: '/height',
        message: `transfers of tx ${TX.tx1} disagree on height: 19000001 here, 19000000 at /transfers/1`,
      },
      {
        section: 'transfers',
        index: 6,
        sub: '/position',
        message: `transfers of tx ${TX.tx3} disagree on position: 7 here, 0 at /transfers/0`,
      },
      {
        section: 'transfers',
        index: 7,
        sub: '/position',
        message: `inconsistent order: transactions ${TX.tx4} and ${TX.tx1} (/transfers/1) both claim height 19000000 position 10`,
      },
    ]);
  });
});

describe('duplicates', () => {
  it('the same txid twice', async () => {
    const doc = utxoDoc();
    doc.transactions!.push(structuredClone(tx(doc, 1)));
    await expectProblems(doc, [
      {
        section: 'transactions',
        index: 5,
        sub: '/txid',
        message: `duplicate transaction: txid ${TXID.t1} also appears at /transactions/1`,
      },
    ]);
  });

  it('the same (tx, index) transfer twice', async () => {
    const doc = accountDoc();
    doc.transfers!.splice(8, 0, { ...tr(doc, 1), value: '1' });
    await expectProblems(doc, [
      {
        section: 'transfers',
        index: 8,
        sub: '/index',
        message: `duplicate transfer: tx ${TX.tx1} index 0 also appears at /transfers/1`,
      },
    ]);
  });

  it('identical label rows (after address canonicalisation)', async () => {
    const doc = accountDoc();
    doc.labels!.push({ ...(doc.labels![0] as Rec), address: ETH.X });
    await expectProblems(doc, [
      { section: 'labels', index: 2, sub: '', message: 'duplicate label: the same row is at /labels/0' },
    ]);
  });
});

describe('addresses', () => {
  it('a bad base58check checksum', async () => {
    const doc = utxoDoc();
    const bad = BTC.B.slice(0, -1) + (BTC.B.endsWith('z') ? 'y' : 'z');
    tx(doc, 1).outputs[0]!.address = bad;
    tx(doc, 2).inputs[0]!.address = bad;
    await expectProblems(doc, [
      {
        section: 'transactions',
        index: 1,
        sub: '/outputs/0/address',
        message: `address "${bad}" fails its base58check checksum`,
      },
      {
        section: 'transactions',
        index: 2,
        sub: '/inputs/0/address',
        message: `address "${bad}" fails its base58check checksum`,
      },
    ]);
  });

  it('an address of another network or chain', async () => {
    const doc = utxoDoc();
    const testnet = btcAddr('A', 'p2wpkh', true);
    tx(doc, 0).outputs[0]!.address = testnet;
    tx(doc, 1).inputs[0]!.address = testnet;
    tx(doc, 4).outputs[0]!.address = ETH.A;
    await expectProblems(doc, [
      {
        section: 'transactions',
        index: 0,
        sub: '/outputs/0/address',
        message: `address "${testnet}" belongs to another chain (bitcoin-testnet), not bitcoin`,
      },
      {
        section: 'transactions',
        index: 1,
        sub: '/inputs/0/address',
        message: `address "${testnet}" belongs to another chain (bitcoin-testnet), not bitcoin`,
      },
      {
        section: 'transactions',
        index: 4,
        sub: '/outputs/0/address',
        message: `address "${ETH.A}" belongs to another chain (an EVM chain), not bitcoin`,
      },
    ]);
  });

  it('a bad EIP-55 checksum and a Bitcoin address on ethereum', async () => {
    const doc = accountDoc();
    const flipped = ETH.B.replace(/[a-f]/, (c) => c.toUpperCase());
    tr(doc, 3).from = flipped;
    tr(doc, 4).to = BTC.A;
    await expectProblems(doc, [
      {
        section: 'transfers',
        index: 3,
        sub: '/from',
        message: `address "${flipped}" fails its EIP-55 checksum (check for a mistyped character, or give it in all lowercase)`,
      },
      {
        section: 'transfers',
        index: 4,
        sub: '/to',
        message: `address "${BTC.A}" belongs to another chain (bitcoin), not ethereum`,
      },
    ]);
  });

  it('labels: a bad address and another chain', async () => {
    const doc = utxoDoc();
    (doc.labels![0] as Rec).address = 'bc1qnotanaddress';
    (doc.labels![1] as Rec).chain = 'ethereum';
    await expectProblems(doc, [
      { section: 'labels', index: 0, sub: '/address', message: /^address "bc1qnotanaddress" / },
      {
        section: 'labels',
        index: 1,
        sub: '/chain',
        message: 'label is for ethereum, but this dataset is bitcoin',
      },
    ]);
  });
});

describe('structure', () => {
  it('unknown fields, missing fields, wrong types', async () => {
    const doc = utxoDoc();
    tx(doc, 1).fee = '10000';
    tx(doc, 1)['x-note'] = 'extension fields are fine';
    delete tx(doc, 2).inputs[1]!.vout;
    tx(doc, 3).height = '800002';
    (tx(doc, 4) as Rec).time = '2024-03-01 10:00';
    await expectProblems(doc, [
      {
        section: 'transactions',
        index: 1,
        sub: '/fee',
        message: 'unknown field "fee" (extension fields must start with "x-")',
      },
      { section: 'transactions', index: 2, sub: '/inputs/1/vout', message: 'missing required field "vout"' },
      {
        section: 'transactions',
        index: 3,
        sub: '/height',
        message: 'height must be a whole number or null, got the string "800002"',
      },
      {
        section: 'transactions',
        index: 4,
        sub: '/time',
        message: 'time "2024-03-01 10:00" is not an ISO-8601 UTC time like "2024-03-01T10:15:00Z"',
      },
    ]);
  });
});

describe('loadDataset refuses an invalid file', () => {
  it('with a one-line summary and one detail line per problem', async () => {
    const doc = utxoDoc();
    tx(doc, 2).inputs[0]!.value = '1.5';
    tx(doc, 1).outputs[1]!.value = '-5';
    tx(doc, 3).outputs[0]!.value = 7;
    const p = writeJson(doc);
    const err = await loadDataset(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FundtraceError);
    const fe = err as FundtraceError;
    expect(fe.code).toBe('BAD_INPUT');
    expect(fe.message).toBe(
      `dataset ${p} is invalid: 3 problems (first: /transactions/1/outputs/1/value: amount "-5" is negative)`,
    );
    expect(fe.message).not.toContain('\n');
    expect(fe.details).toEqual([
      '/transactions/1/outputs/1/value: amount "-5" is negative',
      '/transactions/2/inputs/0/value: amount "1.5" is not a whole number of base units',
      expect.stringMatching(/^\/transactions\/3\/outputs\/0\/value: amount 7 is a JSON number/),
    ]);
    const few = await loadDataset(p, { maxDetails: 1 }).catch((e: FundtraceError) => e);
    expect((few as FundtraceError).details).toEqual([
      '/transactions/1/outputs/1/value: amount "-5" is negative',
      `… and 2 more problems (run \`fundtrace dataset validate ${p}\` to list them all)`,
    ]);
  });

  it('escapes control characters in values', async () => {
    const doc = accountDoc();
    tr(doc, 0).asset = 'EVIL\u001b[31m\u202e';
    const r = await validateDataset(writeJson(doc));
    expect(r.problems[0]!.message).toContain('"EVIL\\u001b[31m\\u202e"');
    expect(r.problems[0]!.message).not.toMatch(/[\u0000-\u001f\u202e]/);
  });
});
