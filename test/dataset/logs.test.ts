// Dataset extension "logs" (JSON) / "type": "log" (JSON Lines): event logs of account-chain
// transactions, checked like every other record (exact locations in both forms) and answered by
// the dataset view's txLogs in index order.
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/core/view.js';
import { buildDatasetView, loadDataset, validateDataset } from '../../src/sources/dataset/index.js';
import { evmAddr, evmTx } from '../fixtures/dataset/addresses.js';
import { accountDoc, ETH, type JsonDoc, TX, USDT, utxoDoc } from '../fixtures/dataset/docs.js';
import { logsDoc, TRANSFER, TX5, word } from '../fixtures/dataset/logs.js';
import { tronAddr, tronTx } from '../vector-roles.js';
import { expectProblems, validateBoth, writeJson, writeJsonl } from './helpers.js';

const log = (doc: JsonDoc, i: number) => doc.logs![i] as Record<string, unknown>;

describe('dataset logs: loading', () => {
  it('both forms load the same logs: sorted, emitter EIP-55, topics and data lowercase', async () => {
    const { json, jsonl } = await validateBoth(logsDoc());
    expect(json.problems).toEqual([]);
    expect(jsonl.problems).toEqual([]);
    expect(json.stats.logs).toBe(3);
    expect(jsonl.stats).toEqual({ ...json.stats, form: 'jsonl' });
    const logs = json.dataset!.logs!;
    expect(jsonl.dataset!.logs).toEqual(logs);
    expect(logs.map((l) => [l.tx, l.index])).toEqual([
      [TX.tx2, 4],
      [TX.tx2, 5],
      [TX5, 0],
    ]);
    expect(logs[1]).toEqual({
      tx: TX.tx2,
      index: 5,
      height: 19000001,
      position: 3,
      time: '2024-01-13T08:01:00Z',
      address: USDT,
      topics: [TRANSFER, word(ETH.B), word(ETH.C)],
      data: word((1000000000).toString(16)),
    });
    expect(logs[0]!.data).toBe('0xabcd');
  });

  it('the dataset view answers txLogs in index order, [] for a tx without logs', async () => {
    const ds = await loadDataset(writeJsonl(logsDoc()));
    const view = buildDatasetView(ds) as AccountView;
    const got = view.txLogs!(TX.tx2);
    expect(got.status).toBe('ok');
    expect(got.status === 'ok' && got.value.map((l) => l.index)).toEqual([4, 5]);
    expect(view.txLogs!(TX.tx2.toUpperCase().replace('0X', '0x'))).toEqual(got);
    expect(view.txLogs!(TX.tx1)).toEqual({ status: 'ok', value: [] });
    expect(view.txLogs!(evmTx('unknown'))).toEqual({ status: 'ok', value: [] });
    const five = view.txLogs!(TX5);
    expect(five.status === 'ok' && five.value).toEqual([
      {
        tx: TX5,
        index: 0,
        height: 19000003,
        position: 1,
        time: '2024-01-13T08:03:00Z',
        address: ETH.D,
        topics: [],
        data: '0x',
      },
    ]);
  });

  it('a dataset without logs has no logs field, no logs stat, and its view offers no txLogs (not recorded ≠ none)', async () => {
    const { json, jsonl } = await validateBoth(accountDoc());
    for (const r of [json, jsonl]) {
      expect(r.dataset!.logs).toBeUndefined();
      expect('logs' in r.stats).toBe(false);
      expect((buildDatasetView(r.dataset!) as AccountView).txLogs).toBeUndefined();
    }
  });

  it('a JSON document with "logs": [] records that no tx emitted any: txLogs answers []', async () => {
    const doc = accountDoc();
    doc.logs = [];
    const ds = await loadDataset(writeJson(doc));
    expect(ds.logs).toEqual([]);
    const view = buildDatasetView(ds) as AccountView;
    expect(view.txLogs!(TX.tx2)).toEqual({ status: 'ok', value: [] });
  });

  it('TRON: logs allowed, emitter canonicalised to base58, tx id without 0x', async () => {
    const A = tronAddr('log-A');
    const tx = tronTx('log-1');
    const doc: JsonDoc = {
      format: 'fundtrace-dataset/1',
      chain: 'tron',
      transfers: [
        {
          tx,
          index: 0,
          height: 5,
          position: 0,
          time: '2024-01-01T00:00:00Z',
          from: A,
          to: tronAddr('log-B'),
          asset: 'TRX',
          value: '1',
          kind: 'native',
        },
      ],
      logs: [
        {
          tx,
          index: 3,
          height: 5,
          position: 0,
          time: '2024-01-01T00:00:00Z',
          address: A,
          topics: [TRANSFER],
          data: '0x',
        },
      ],
    };
    const { json } = await validateBoth(doc);
    expect(json.problems).toEqual([]);
    expect(json.dataset!.logs![0]!.address).toBe(A);
    const bad = structuredClone(doc);
    log(bad, 0).tx = `0x${tx}`;
    await expectProblems(bad, [
      {
        section: 'logs',
        index: 0,
        sub: '/tx',
        message: `tx hash "0x${tx}" is not a TRON transaction id (64 hex digits, without 0x)`,
      },
    ]);
  });
});

describe('dataset logs: problems, with their locations', () => {
  it('logs in a bitcoin dataset', async () => {
    const doc = utxoDoc();
    doc.logs = [log(logsDoc(), 2), log(logsDoc(), 1)];
    const json = await validateBoth(doc);
    expect(json.json.problems).toEqual([
      {
        location: '/logs',
        pointer: '/logs',
        message:
          'bitcoin is a UTXO chain: event logs exist only on account (EVM) chains (2 log records; the first is here)',
      },
    ]);
    const line = 2 + doc.transactions!.length;
    expect(json.jsonl.problems).toEqual([
      {
        location: `line ${line}`,
        line,
        message:
          'bitcoin is a UTXO chain: event logs exist only on account (EVM) chains (2 log records; the first is here)',
      },
    ]);
  });

  it('a tx hash without 0x on an EVM chain', async () => {
    const doc = logsDoc();
    log(doc, 2).tx = TX5.slice(2);
    await expectProblems(doc, [
      {
        section: 'logs',
        index: 2,
        sub: '/tx',
        message: `tx hash "${TX5.slice(2)}" is not an EVM transaction hash (0x and 64 hex digits)`,
      },
    ]);
  });

  it('an emitter that is not an address of the chain (bad checksum)', async () => {
    const doc = logsDoc();
    // USDT's EIP-55 form with one letter's case flipped: mixed case that fails the checksum.
    log(doc, 1).address = USDT.replace(/[a-f]/, (c) => c.toUpperCase());
    const { json } = await validateBoth(doc);
    expect(json.problems.map((p) => p.location)).toEqual(['/logs/1/address']);
    expect(json.problems[0]!.message).toMatch(/checksum/i);
  });

  it('five topics; a topic that is not 32 bytes; data of odd length', async () => {
    const doc = logsDoc();
    log(doc, 0).topics = [TRANSFER, TRANSFER, TRANSFER, TRANSFER, TRANSFER];
    log(doc, 1).topics = [TRANSFER.slice(0, 40)];
    log(doc, 2).data = '0xabc';
    await expectProblems(doc, [
      {
        section: 'logs',
        index: 0,
        sub: '/topics',
        message: 'topics has 5 items; an event log has at most 4 topics',
      },
      {
        section: 'logs',
        index: 1,
        sub: '/topics/0',
        message: `topic "${TRANSFER.slice(0, 40)}" is not an event topic (0x and 64 hex digits)`,
      },
      {
        section: 'logs',
        index: 2,
        sub: '/data',
        message: 'log data "0xabc" is not 0x followed by an even number of hex digits',
      },
    ]);
  });

  it('a missing field and an unknown one', async () => {
    const doc = logsDoc();
    delete log(doc, 0).topics;
    log(doc, 1).removed = false;
    await expectProblems(doc, [
      { section: 'logs', index: 0, sub: '/topics', message: 'missing required field "topics"' },
      {
        section: 'logs',
        index: 1,
        sub: '/removed',
        message: 'unknown field "removed" (extension fields must start with "x-")',
      },
    ]);
  });

  it('a duplicate (tx, index)', async () => {
    const doc = logsDoc();
    log(doc, 1).index = 5;
    await expectProblems(doc, [
      {
        section: 'logs',
        index: 1,
        sub: '/index',
        message: `duplicate log: tx ${TX.tx2} index 5 also appears at /logs/0`,
      },
    ]);
  });

  it('a log disagreeing with its transfers on height, and logs of one tx disagreeing on time', async () => {
    const doc = logsDoc();
    log(doc, 0).height = 19000002;
    log(doc, 0).position = 7;
    log(doc, 1).time = '2024-01-13T08:01:01Z';
    await expectProblems(doc, [
      {
        section: 'logs',
        index: 0,
        sub: '/height',
        message: `log of tx ${TX.tx2} disagrees with its transfers on height: 19000002 here, 19000001 at /transfers/3`,
      },
      {
        section: 'logs',
        index: 1,
        sub: '/height',
        message: `logs of tx ${TX.tx2} disagree on height: 19000001 here, 19000002 at /logs/0`,
      },
      {
        section: 'logs',
        index: 1,
        sub: '/time',
        message: `log of tx ${TX.tx2} disagrees with its transfers on time: 2024-01-13T08:01:01Z here, 2024-01-13T08:01:00Z at /transfers/3`,
      },
    ]);
  });

  it('a log after the head; two txs claiming one block position', async () => {
    const doc = logsDoc();
    log(doc, 2).height = 19000011;
    const other = evmTx('other');
    doc.logs!.push({ ...log(doc, 2), tx: other, index: 1 });
    // The later of the two in chain order (same height and position: by tx hash) is reported.
    const [early, late] = other < TX5 ? [3, 2] : [2, 3];
    const lateTx = late === 3 ? other : TX5;
    const earlyTx = late === 3 ? TX5 : other;
    const head = 'height 19000011 is after the dataset head (height 19000010)';
    await expectProblems(
      doc,
      [
        { section: 'logs' as const, index: 2, sub: '/height', message: head },
        { section: 'logs' as const, index: 3, sub: '/height', message: head },
        {
          section: 'logs' as const,
          index: late,
          sub: '/position',
          message: `inconsistent order: logs of transactions ${lateTx} and ${earlyTx} (/logs/${early}) both claim height 19000011 position 1`,
        },
      ].sort((x, y) => x.index - y.index),
    );
  });
});

describe('dataset logs: the JSON form names the record type exactly', () => {
  it('writeJson and writeJsonl of one doc give the same dataset', async () => {
    const a = await loadDataset(writeJson(logsDoc()));
    const b = await loadDataset(writeJsonl(logsDoc()));
    expect(b.logs).toEqual(a.logs);
    expect(b.transfers).toEqual(a.transfers);
    expect(a.logs!.every((l) => l.address === evmAddr('D') || l.address === USDT)).toBe(true);
  });
});

describe('dataset logs: order does not matter', () => {
  it('every permutation of the log records loads the same logs and answers the same txLogs', async () => {
    const base = logsDoc();
    const want = await loadDataset(writeJson(base));
    const perms = [
      [0, 1, 2],
      [2, 1, 0],
      [1, 2, 0],
      [2, 0, 1],
    ];
    for (const p of perms) {
      const doc = logsDoc();
      doc.logs = p.map((i) => base.logs![i]!);
      doc.transfers = [...doc.transfers!].reverse();
      for (const file of [writeJson(doc), writeJsonl(doc)]) {
        const ds = await loadDataset(file);
        expect(JSON.stringify(ds.logs)).toBe(JSON.stringify(want.logs));
        const view = buildDatasetView(ds) as AccountView;
        expect(JSON.stringify(view.txLogs!(TX.tx2))).toBe(
          JSON.stringify((buildDatasetView(want) as AccountView).txLogs!(TX.tx2)),
        );
      }
    }
  });

  it('"logs" that is not a list is one problem at /logs', async () => {
    const doc = logsDoc();
    (doc as Record<string, unknown>).logs = { tx: TX.tx2 };
    const json = await validateDataset(writeJson(doc));
    expect(json.problems).toEqual([
      { location: '/logs', pointer: '/logs', message: 'logs must be an array, got an object' },
    ]);
  });
});
