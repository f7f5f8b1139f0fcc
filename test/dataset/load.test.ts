// Loading valid datasets: both encodings, canonical forms, chain order whatever the file order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/model.js';
import { datasetLabels, loadDataset, validateDataset } from '../../src/sources/dataset/index.js';
import {
  accountDoc,
  BTC,
  ETH,
  type JsonDoc,
  TX,
  TXID,
  toJsonLines,
  USDT,
  utxoDoc,
} from '../fixtures/dataset/docs.js';
import { FIXTURES, writeJson, writeJsonl, writeText } from './helpers.js';

const fixture = (name: string) => join(FIXTURES, name);

describe('fixtures', () => {
  it('are current (regenerate with test/fixtures/dataset/generate.ts)', () => {
    for (const [name, doc] of [
      ['utxo', utxoDoc()],
      ['account', accountDoc()],
    ] as const) {
      expect(JSON.parse(readFileSync(fixture(`${name}.json`), 'utf8'))).toEqual(doc);
      expect(readFileSync(fixture(`${name}.jsonl`), 'utf8')).toBe(toJsonLines(doc));
    }
  });

  for (const name of ['utxo.json', 'utxo.jsonl', 'account.json', 'account.jsonl']) {
    it(`${name} is valid`, async () => {
      const r = await validateDataset(fixture(name));
      expect(r.problems).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.dataset).toBeDefined();
    });
  }
});

describe('UTXO dataset', () => {
  it('loads in chain order with canonical values', async () => {
    const ds = await loadDataset(fixture('utxo.json'));
    expect(ds.format).toBe('fundtrace-dataset/1');
    expect(ds.chain).toBe('bitcoin');
    expect(ds.head).toEqual({ height: 800010, time: '2023-07-24T12:00:00Z' });
    expect([...ds.assets]).toEqual([['BTC', { symbol: 'BTC', decimals: 8 }]]);
    expect(ds.transactions.map((t) => t.txid)).toEqual([TXID.t0, TXID.t1, TXID.t2, TXID.t3, TXID.t4]);
    expect(ds.transfers).toEqual([]);
    const t3 = ds.transactions[3]!;
    // The uppercase bech32 address is canonicalised to lowercase; OP_RETURN keeps address null.
    expect(t3.outputs).toEqual([
      { address: BTC.E, value: 24980000n },
      { address: null, value: 0n },
      { address: BTC.A, value: 300000000n },
    ]);
    expect(ds.transactions[0]).toEqual({
      txid: TXID.t0,
      height: 800000,
      position: 0,
      time: '2023-07-24T10:00:00Z',
      inputs: [],
      outputs: [{ address: BTC.A, value: 625000000n }],
    });
    expect(ds.transactions[4]).toMatchObject({ height: null, position: null, time: null });
    expect(ds.transactions[2]!.inputs[1]).toEqual({
      txid: TXID.outside,
      vout: 1,
      address: BTC.E,
      value: 50000n,
    });
  });

  it('carries its labels, chain filled in', async () => {
    const ds = await loadDataset(fixture('utxo.json'));
    expect(datasetLabels(ds)).toEqual(
      [
        { chain: 'bitcoin', address: BTC.E, entity: 'Mixer One', category: 'mixer', source: 'fixture' },
        {
          chain: 'bitcoin',
          address: BTC.X,
          entity: 'Example Exchange',
          category: 'exchange',
          source: 'fixture',
          confidence: 'high',
          note: 'deposit address',
        },
      ].sort((a, b) => (a.address < b.address ? -1 : 1)),
    );
  });

  it('shares one string per address and one per time across records', async () => {
    const ds = await loadDataset(fixture('utxo.jsonl'));
    const [t0, t1] = ds.transactions;
    // Identity of equal strings is not observable in JS; check what is: values are bigints, ids canonical.
    expect(typeof t1!.inputs[0]!.value).toBe('bigint');
    expect(t1!.inputs[0]!.address).toBe(t0!.outputs[0]!.address);
  });
});

describe('account dataset', () => {
  it('loads in chain order with canonical addresses and resolved assets', async () => {
    const ds = await loadDataset(fixture('account.json'));
    expect(ds.chain).toBe('ethereum');
    expect(ds.name).toBe('fixture: small account dataset');
    expect(ds.head).toEqual({ height: 19000010 });
    expect([...ds.assets]).toEqual([
      ['ETH', { symbol: 'ETH', decimals: 18 }],
      ['USDT', { symbol: 'USDT', decimals: 6, contract: USDT }],
    ]);
    expect(ds.transfers.map((t) => [t.tx, t.index])).toEqual([
      [TX.tx1, 0],
      [TX.tx1, 1],
      [TX.tx2, 0],
      [TX.tx2, 5],
      [TX.tx2, 6],
      [TX.tx3, 0],
      [TX.tx3, 1],
      [TX.tx4, 0],
    ]);
    // lowercase input → EIP-55; a token named by its (lowercase) contract → the declared symbol.
    expect(ds.transfers[0]!.from).toBe(ETH.A);
    expect(ds.transfers[3]).toEqual({
      tx: TX.tx2,
      index: 5,
      height: 19000001,
      position: 3,
      time: '2024-01-13T08:01:00Z',
      from: ETH.B,
      to: ETH.C,
      asset: 'USDT',
      value: 1000000000n,
      kind: 'token',
    });
    expect(ds.transfers[1]).toMatchObject({ kind: 'fee', to: null, value: 1000000000000000n });
    expect(ds.transfers[2]).toMatchObject({ value: 0n, to: USDT });
    expect(ds.transfers[7]).toMatchObject({ height: null, position: null, time: null });
    // Labels sort by address (then entity, category, …): plain string order.
    expect(ds.labels.map((l) => [l.chain, l.address])).toEqual(
      [
        ['ethereum', USDT],
        ['ethereum', ETH.X],
      ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)),
    );
  });

  it('an uppercase tx hash is canonicalised to lowercase', async () => {
    const doc = accountDoc();
    for (const t of doc.transfers!) t.tx = `0x${String(t.tx).slice(2).toUpperCase()}`;
    const ds = await loadDataset(writeJson(doc));
    expect(ds.transfers[0]!.tx).toBe(TX.tx1);
  });
});

describe('equivalence', () => {
  it('JSON and JSON Lines of the same content load equal', async () => {
    for (const name of ['utxo', 'account']) {
      const a = await loadDataset(fixture(`${name}.json`));
      const b = await loadDataset(fixture(`${name}.jsonl`));
      expect(b).toStrictEqual(a);
    }
  });

  it('.ndjson is JSON Lines', async () => {
    const p = writeText(toJsonLines(utxoDoc()), 'x.ndjson');
    expect(await loadDataset(p)).toStrictEqual(await loadDataset(fixture('utxo.json')));
  });

  it('a reversed file loads to the same dataset', async () => {
    for (const make of [utxoDoc, accountDoc]) {
      const doc = make();
      const base = await loadDataset(writeJson(doc));
      doc.transactions?.reverse();
      doc.transfers?.reverse();
      doc.labels?.reverse();
      expect(await loadDataset(writeJson(doc))).toStrictEqual(base);
      expect(await loadDataset(writeJsonl(doc))).toStrictEqual(base);
    }
  });

  it('any shuffle of the records (JSON Lines, record types interleaved) loads to the same dataset', async () => {
    const bases: Record<string, Dataset> = {
      bitcoin: await loadDataset(fixture('utxo.json')),
      ethereum: await loadDataset(fixture('account.json')),
    };
    const lines = (doc: JsonDoc) => toJsonLines(doc).trimEnd().split('\n');
    const all = { bitcoin: lines(utxoDoc()), ethereum: lines(accountDoc()) };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('bitcoin' as const, 'ethereum' as const),
        fc.infiniteStream(fc.nat()),
        async (chain, rnd) => {
          const [header, ...records] = all[chain];
          const order = records.map((r) => ({ r, k: rnd.next().value }));
          order.sort((a, b) => a.k - b.k);
          const text = [header, ...order.map((o) => o.r)].join('\n');
          const ds = await loadDataset(writeText(text, 'shuffled.jsonl'));
          expect(ds).toStrictEqual(bases[chain]);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('streaming', () => {
  it('reads a large JSON Lines file line by line and reports deep line numbers', async () => {
    const n = 30_000;
    const addrs = Array.from({ length: 500 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}`);
    const lines = [JSON.stringify({ format: 'fundtrace-dataset/1', chain: 'ethereum' })];
    for (let i = 0; i < n; i++) {
      lines.push(
        JSON.stringify({
          type: 'transfer',
          tx: `0x${i.toString(16).padStart(64, '0')}`,
          index: 0,
          height: 1000 + Math.floor(i / 50),
          position: i % 50,
          time: '2024-01-01T00:00:00Z',
          from: addrs[i % addrs.length],
          to: addrs[(i * 7 + 3) % addrs.length],
          asset: 'ETH',
          value: i === 20_000 ? '12.5' : String(i),
          kind: 'native',
        }),
      );
    }
    const p = writeText(`${lines.join('\n')}\n`, 'big.jsonl');
    const r = await validateDataset(p);
    expect(r.problems).toEqual([
      {
        location: 'line 20002 /value',
        line: 20002,
        pointer: '/value',
        message: 'amount "12.5" is not a whole number of base units',
      },
    ]);
    expect(r.stats).toMatchObject({ form: 'jsonl', records: n, transfers: n - 1, addresses: 500 });
  });
});
