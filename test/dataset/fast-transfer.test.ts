// The hand-written transfer check may only say yes when the compiled schema does (anything else
// falls back to the schema, which words the problems). Checked on thousands of mutated records.
import { describe, expect, it } from 'vitest';
import {
  isPlainValidHeader,
  isPlainValidLabel,
  isPlainValidTransfer,
  validators,
} from '../../src/sources/dataset/schema.js';

const BASE: Record<string, unknown> = {
  type: 'transfer',
  tx: '0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060',
  index: 3,
  height: 18000000,
  position: 12,
  time: '2023-08-26T22:06:35Z',
  from: '0x8663eAC394557F1C486703AfCFC089d5082E5972',
  to: '0x13A8Da9cBf8B5eC63b480ba9D89Ef3Fe5Ab16d24',
  asset: 'USDT',
  value: '2500000',
  kind: 'token',
};

/** Values that sit on and around every rule of the schema. */
const ODD: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  2 ** 53,
  2 ** 53 - 1,
  Number.NaN,
  '',
  '0',
  '00',
  '01',
  '-1',
  '1e3',
  '9'.repeat(78),
  '9'.repeat(79),
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(100),
  'x'.repeat(101),
  '😀'.repeat(60),
  '😀'.repeat(51),
  '5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060',
  '0X5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060',
  '0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b2206',
  '2023-02-29T00:00:00Z',
  '2024-02-29T23:59:60.123456789Z',
  '2024-02-29T24:00:00Z',
  '2024-02-29T10:00:00+00:00',
  'native',
  'internal',
  'fee',
  'token',
  'Token',
  'transfer',
  'transaction',
  true,
  [],
  {},
];
const EXTRA_KEYS = ['x-note', 'x-', 'X-note', 'note', 'y-x-'];

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Set a random key of `keys` to a random value of `odd` (undefined deletes it). */
function mutate(
  rec: Record<string, unknown>,
  r: () => number,
  keys: readonly string[],
  odd: readonly unknown[],
): void {
  const k = keys[Math.floor(r() * keys.length)]!;
  const v = odd[Math.floor(r() * odd.length)];
  if (v === undefined) delete rec[k];
  else rec[k] = v;
}

/**
 * 10 000 records from `fresh`, each changed 1 to 3 times by `change`: the plain check may only say
 * yes where the compiled schema does, and both outcomes must have been exercised, or the test
 * proves nothing.
 */
function neverAcceptsWhatSchemaRejects(
  r: () => number,
  fresh: () => Record<string, unknown>,
  change: (rec: Record<string, unknown>) => void,
  plain: (o: Record<string, unknown>) => boolean,
  compiled: (o: unknown) => boolean,
): void {
  let accepted = 0;
  let rejected = 0;
  for (let t = 0; t < 10_000; t++) {
    const rec = fresh();
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) change(rec);
    const fast = plain(rec);
    const full = compiled(rec);
    if (fast) expect(full, JSON.stringify(rec)).toBe(true);
    if (fast) accepted++;
    if (!full) rejected++;
  }
  expect(accepted).toBeGreaterThan(500);
  expect(rejected).toBeGreaterThan(2000);
}

const schema = (await validators()).transfer;

describe('isPlainValidTransfer', () => {
  it('accepts ordinary valid records (so the fast path is taken)', () => {
    expect(isPlainValidTransfer({ ...BASE })).toBe(true);
    expect(isPlainValidTransfer({ ...BASE, to: null, kind: 'fee', time: null, height: null })).toBe(true);
    const { type: _t, position: _p, time: _tm, ...minimal } = BASE;
    expect(isPlainValidTransfer(minimal)).toBe(true);
    expect(isPlainValidTransfer({ ...BASE, 'x-source': { any: 1 } })).toBe(true);
  });

  it('never accepts what the schema rejects (10 000 mutated records)', () => {
    const r = rng(4);
    const keys = Object.keys(BASE);
    neverAcceptsWhatSchemaRejects(
      r,
      () => ({ ...BASE }),
      (rec) => {
        if (r() < 0.1) rec[EXTRA_KEYS[Math.floor(r() * EXTRA_KEYS.length)]!] = 1;
        else mutate(rec, r, keys, ODD);
      },
      isPlainValidTransfer,
      schema,
    );
  });
});

const LABEL: Record<string, unknown> = {
  type: 'label',
  chain: 'ethereum',
  address: '0x8663eAC394557F1C486703AfCFC089d5082E5972',
  entity: 'Synthetic Exchange 1',
  category: 'exchange',
  source: 'synthetic',
  confidence: 'high',
  note: 'hot wallet',
  lastmod: '2024-01-01',
};
const labelSchema = (await validators()).label;

describe('isPlainValidLabel', () => {
  it('accepts ordinary valid labels (so a worker needs no compiled schema)', () => {
    expect(isPlainValidLabel({ ...LABEL })).toBe(true);
    const { type: _t, chain: _c, confidence: _f, note: _n, lastmod: _l, ...minimal } = LABEL;
    expect(isPlainValidLabel(minimal)).toBe(true);
    expect(isPlainValidLabel({ ...LABEL, note: '', 'x-tag': [1] })).toBe(true);
  });

  it('never accepts what the schema rejects (10 000 mutated labels)', () => {
    const r = rng(5);
    const keys = [...Object.keys(LABEL), 'x-a', 'X-a', 'tags'];
    const odd: unknown[] = [
      ...ODD,
      'x'.repeat(199),
      'x'.repeat(200),
      'x'.repeat(201),
      '😀'.repeat(100),
      '😀'.repeat(101),
      'x'.repeat(500),
      'x'.repeat(501),
      'x'.repeat(2001),
      'label',
    ];
    neverAcceptsWhatSchemaRejects(
      r,
      () => ({ ...LABEL }),
      (rec) => mutate(rec, r, keys, odd),
      isPlainValidLabel,
      labelSchema,
    );
  });
});

const HEADER: Record<string, unknown> = {
  type: 'header',
  format: 'fundtrace-dataset/1',
  chain: 'ethereum',
  assets: {
    USDT: { decimals: 6, contract: '0xe8F53526Bc69A21e3e39932a8782197d1af62731' },
    WETH: { decimals: 18 },
  },
  head: { height: 18006632, time: '2023-08-26T22:06:35Z' },
  name: 'synthetic',
  description: 'Synthetic ETH/USDT transfers',
};
const headerSchema = (await validators()).header;

describe('isPlainValidHeader', () => {
  it('accepts ordinary valid headers (so the parallel load needs no compiled schema)', () => {
    expect(isPlainValidHeader({ ...HEADER })).toBe(true);
    expect(isPlainValidHeader({ format: 'fundtrace-dataset/1', chain: 'tron' })).toBe(true);
    expect(isPlainValidHeader({ ...HEADER, 'x-export': { by: 'etl' }, head: { height: 0 } })).toBe(true);
  });

  it('never accepts what the schema rejects (10 000 mutated headers)', () => {
    const r = rng(6);
    const keys = [...Object.keys(HEADER), 'x-a', 'X-a', 'labels'];
    const assetOdd: unknown[] = [
      { decimals: 6 },
      { decimals: 256 },
      { decimals: -1 },
      { decimals: 6.5 },
      { decimals: '6' },
      {},
      { contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
      { decimals: 6, contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
      { decimals: 6, contract: '41e8f53526bc69a21e3e39932a8782197d1af62731' },
      { decimals: 6, contract: '0xe8F53526Bc69A21e3e39932a8782197d1af6273' },
      { decimals: 6, 'x-note': 1 },
      { decimals: 6, note: 1 },
      null,
      [],
    ];
    const symbols = [
      'USDT',
      'US DT',
      '',
      'x'.repeat(32),
      'x'.repeat(33),
      '😀'.repeat(32),
      '😀'.repeat(17),
      'A\u0007',
      '\u007f',
      'é',
    ];
    const odd: unknown[] = [
      ...ODD,
      'fundtrace-dataset/1',
      'fundtrace-dataset/2',
      'x'.repeat(200),
      'x'.repeat(201),
      'x'.repeat(10_000),
      'x'.repeat(10_001),
      'header',
      { height: 5 },
      { height: -1 },
      { height: 5, time: '2024-02-30T00:00:00Z' },
      { height: 5, time: '2024-02-29T00:00:00Z' },
      { height: 5, other: 1 },
      { time: '2024-02-29T00:00:00Z' },
      { height: 2 ** 53 },
    ];
    neverAcceptsWhatSchemaRejects(
      r,
      () => ({ ...HEADER, assets: { ...(HEADER.assets as object) } }),
      (rec) => {
        if (r() < 0.3) {
          const assets = (typeof rec.assets === 'object' && rec.assets !== null ? rec.assets : {}) as Record<
            string,
            unknown
          >;
          assets[symbols[Math.floor(r() * symbols.length)]!] = assetOdd[Math.floor(r() * assetOdd.length)];
          rec.assets = assets;
        } else mutate(rec, r, keys, odd);
      },
      isPlainValidHeader,
      headerSchema,
    );
  });
});
