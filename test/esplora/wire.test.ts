// Esplora wire validators: hand-made fixtures in the API's shapes (test/fixtures/esplora/) are
// converted once into core records; wrong types and impossible values are all reported, with
// their JSON paths.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AddressNormalizer,
  addressStatsValidator,
  blockTxidsValidator,
  MAX_MONEY,
  outspendsValidator,
  tipValidator,
  txListValidator,
  txValidator,
} from '../../src/sources/esplora/wire.js';
import { ValidationError } from '../../src/sources/http/index.js';
import { fixture } from '../helpers.js';

const load = (name: string) => JSON.parse(readFileSync(fixture('esplora', name), 'utf8'));
const norm = () => new AddressNormalizer('bitcoin');
const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a ValidationError');
};

describe('tx', () => {
  it('a coinbase: no inputs, OP_RETURN without address, time from block_time', () => {
    const w = load('tx-coinbase.json');
    const t = txValidator(norm(), w.txid)(w);
    expect(t.tx).toEqual({
      txid: w.txid,
      height: 900_000,
      position: null,
      time: '2025-05-23T11:33:20Z',
      inputs: [],
      outputs: [
        { address: w.vout[0].scriptpubkey_address, value: 312_500_000n },
        { address: null, value: 0n },
      ],
    });
    expect(t.blockHash).toBe(w.status.block_hash);
    expect(t.unspendable).toEqual([false, true]);
  });

  it('a mempool.space-shaped unconfirmed tx (sigops, scriptpubkey_address: null)', () => {
    const w = load('tx-mempool-space.json');
    const t = txValidator(norm(), w.txid.toUpperCase())(w);
    expect(t.tx.height).toBeNull();
    expect(t.tx.time).toBeNull();
    expect(t.blockHash).toBeNull();
    expect(t.tx.inputs).toEqual([
      { txid: w.vin[0].txid, vout: 1, address: w.vin[0].prevout.scriptpubkey_address, value: 150_000n },
      { txid: w.vin[1].txid, vout: 0, address: w.vin[1].prevout.scriptpubkey_address, value: 60_000n },
    ]);
    expect(t.tx.outputs.map((o) => o.value)).toEqual([200_000n, 0n, 8_500n]);
    expect(t.tx.outputs[1]!.address).toBeNull();
  });

  it('bech32 addresses in upper case are canonicalised to lower case', () => {
    const w = load('tx-mempool-space.json');
    w.vout[2].scriptpubkey_address = w.vout[2].scriptpubkey_address.toUpperCase();
    const t = txValidator(norm(), w.txid)(w);
    expect(t.tx.outputs[2]!.address).toBe(load('tx-mempool-space.json').vout[2].scriptpubkey_address);
  });

  // biome-ignore lint/suspicious/noExplicitAny: mutating untyped wire JSON
  it.each<[string, (w: Record<string, any>) => void, RegExp]>([
    ['txid not hex', (w) => (w.txid = 'xyz'), /^tx\.txid: expected 64 hex digits, got "xyz"/],
    ['vin not an array', (w) => (w.vin = {}), /^tx\.vin: expected an array, got \{\} \(object\)/],
    ['vout empty', (w) => (w.vout = []), /^tx\.vout: a transaction has at least one output/],
    [
      'value negative',
      (w) => (w.vout[0].value = -1),
      /^tx\.vout\[0\]\.value: expected an integer number of satoshis/,
    ],
    [
      'value above 21M BTC',
      (w) => (w.vout[0].value = MAX_MONEY + 1),
      /^tx\.vout\[0\]\.value: expected an integer/,
    ],
    ['value beyond 2^53', (w) => (w.vout[0].value = 2 ** 60), /^tx\.vout\[0\]\.value/],
    ['value null', (w) => (w.vout[0].value = null), /^tx\.vout\[0\]\.value: .*got null/],
    ['prevout value a string', (w) => (w.vin[0].prevout.value = '150000'), /^tx\.vin\[0\]\.prevout\.value/],
    [
      'is_coinbase missing',
      (w) => delete w.vin[1].is_coinbase,
      /^tx\.vin\[1\]\.is_coinbase: expected true or false, got nothing/,
    ],
    ['vout index as a string', (w) => (w.vin[0].vout = '1'), /^tx\.vin\[0\]\.vout: expected an integer/],
    [
      'address a number',
      (w) => (w.vout[0].scriptpubkey_address = 42),
      /^tx\.vout\[0\]\.scriptpubkey_address: expected a string/,
    ],
    ['status missing', (w) => delete w.status, /^tx\.status: expected an object, got nothing/],
    [
      'confirmed without a block hash',
      (w) => (w.status = { confirmed: true, block_height: 5, block_time: 1 }),
      /^tx\.status\.block_hash: expected 64 hex digits/,
    ],
    ['negative fee', (w) => (w.vout[0].value = 10_000_000), /negative fee/],
    ['fee disagrees', (w) => (w.fee = 1), /^tx\.fee: says 1 sat, but inputs minus outputs is 1500 sat/],
    ['version a string', (w) => (w.version = '2'), /^tx\.version: expected an integer/],
    [
      'a witness item not hex',
      (w) => (w.vin[0].witness = ['zz']),
      /^tx\.vin\[0\]\.witness: expected an array of hex strings/,
    ],
    [
      'scriptpubkey not hex',
      (w) => (w.vout[0].scriptpubkey = 'a9 14'),
      /^tx\.vout\[0\]\.scriptpubkey: expected hex bytes/,
    ],
    ['sequence negative', (w) => (w.vin[1].sequence = -1), /^tx\.vin\[1\]\.sequence: expected an integer/],
    [
      'a testnet address',
      (w) => (w.vout[0].scriptpubkey_address = 'tb1qy9xagxksmqjz6rwqh4kn03x8gp96sv8gjhkenu'),
      /not a valid bitcoin address/,
    ],
  ])('%s', (_name, mutate, message) => {
    const w = load('tx-mempool-space.json');
    mutate(w);
    const p = problems(() => txValidator(norm(), w.txid === 'xyz' ? 'ab'.repeat(32) : w.txid)(w));
    expect(p[0]).toMatch(message);
  });

  it('reports every problem of a response at once', () => {
    const w = load('tx-mempool-space.json');
    w.vout[0].value = '1';
    w.vout[2].value = 1.5;
    w.vin[1].vout = -1;
    const p = problems(() => txValidator(norm(), w.txid)(w));
    expect(p).toEqual([
      expect.stringMatching(/^tx\.vin\[1\]\.vout/),
      expect.stringMatching(/^tx\.vout\[0\]\.value/),
      expect.stringMatching(/^tx\.vout\[2\]\.value/),
    ]);
  });

  it('the answer must be the transaction asked for', () => {
    const w = load('tx-coinbase.json');
    expect(problems(() => txValidator(norm(), 'ab'.repeat(32))(w))[0]).toMatch(
      /^tx\.txid: is .*, not the requested/,
    );
  });

  it('a chain page may not hold unconfirmed transactions', () => {
    const list = [load('tx-coinbase.json'), load('tx-mempool-space.json')];
    expect(txListValidator(norm(), false)(list)).toHaveLength(2);
    expect(problems(() => txListValidator(norm(), true)(list))[0]).toMatch(
      /^txs\[1\]\.status\.confirmed: an unconfirmed tx/,
    );
    expect(problems(() => txListValidator(norm(), true)({ txs: [] }))[0]).toMatch(/^txs: expected an array/);
  });
});

describe('outspends, address stats, block txids, tip', () => {
  it('outspends: spent, unspent, spent in the mempool', () => {
    const w = load('outspends.json');
    expect(outspendsValidator(3)(w)).toEqual([
      { txid: w[0].txid, inputIndex: 0, height: 900_010 },
      null,
      { txid: w[2].txid, inputIndex: 3, height: null },
    ]);
    expect(problems(() => outspendsValidator(2)(w))[0]).toMatch(
      /has 3 entries, but the transaction has 2 outputs/,
    );
    expect(problems(() => outspendsValidator(undefined)([{ spent: 'yes' }]))[0]).toMatch(
      /outspends\[0\]\.spent/,
    );
    expect(problems(() => outspendsValidator(undefined)([{ spent: true, vin: 0 }]))[0]).toMatch(
      /outspends\[0\]\.txid/,
    );
  });

  it('address stats', () => {
    expect(addressStatsValidator(load('address-stats.json'))).toEqual({
      chainTxCount: 19,
      mempoolTxCount: 1,
    });
    expect(
      problems(() => addressStatsValidator({ chain_stats: { tx_count: '19' }, mempool_stats: {} })),
    ).toEqual([
      expect.stringMatching(/chain_stats\.tx_count: expected an integer/),
      expect.stringMatching(/mempool_stats\.tx_count: expected an integer/),
    ]);
  });

  it('block txids', () => {
    expect(blockTxidsValidator(['AB'.repeat(32), 'cd'.repeat(32)])).toEqual([
      'ab'.repeat(32),
      'cd'.repeat(32),
    ]);
    expect(problems(() => blockTxidsValidator([]))[0]).toMatch(/at least its coinbase/);
    expect(problems(() => blockTxidsValidator(['x']))[0]).toMatch(/txids\[0\]: expected 64 hex digits/);
  });

  it('tip height is bare text', () => {
    expect(tipValidator('840000')).toBe(840_000);
    expect(tipValidator(' 840000\n')).toBe(840_000);
    expect(() => tipValidator('<html>rate limited</html>')).toThrow(/expected a block height/);
    expect(() => tipValidator('"840000"')).toThrow(ValidationError);
  });
});
