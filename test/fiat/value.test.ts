// Valuation: hand-checked figures (exact cents), cross rates through USD naming both prices,
// totals rounded once from unrounded parts, missing prices reported and never filled.
import { describe, expect, it } from 'vitest';
import type { AssetForPricing } from '../../src/core/fiat/assets.js';
import { createPriceBook, priceBookFromEvidence } from '../../src/core/fiat/book.js';
import { resolveCurrency } from '../../src/core/fiat/currency.js';
import { pricesNeeded, type ValuationItem, valueItems } from '../../src/core/fiat/value.js';
import { series } from './helpers.js';

const BTC: AssetForPricing = { chain: 'bitcoin', symbol: 'BTC', decimals: 8 };
const USDT: AssetForPricing = {
  chain: 'ethereum',
  symbol: 'USDT',
  decimals: 6,
  contract: '0xdAC17F958D2ee523a2206206994597C13D831ec7',
};
const book = createPriceBook([
  series('BTC-USD', [
    ['2024-02-15', '51958.23029105492'],
    ['2024-02-16', '52166.43430976192'],
  ]),
  series('USDT-USD', [
    ['2024-05-03', '0.9999507278675663'],
    ['2024-05-04', '1.0001416518193977'],
  ]),
  // Synthetic prices that land exactly on half a cent.
  series('ETH-USD', [['2024-01-01', '0.005']]),
  series('USD-KES', [
    ['2024-02-15', '153.2039'],
    ['2024-02-16', '145.8551'],
    ['2024-05-03', '133.0844'],
  ]),
]);
const USD = resolveCurrency('USD', () => false);
const KES = resolveCurrency('KES', () => true);
const item = (id: string, amount: bigint, asset: AssetForPricing, time: string | null): ValuationItem => ({
  id,
  amount,
  asset,
  time,
  basis: 'block time',
});

describe('one figure', () => {
  it('values 1.5 BTC at the close of its day, in USD and in KES through USD', () => {
    const input = { items: [item('pay', 150_000_000n, BTC, '2024-02-16T12:40:00Z')] };
    const usd = valueItems(input, book, USD).items.pay!;
    expect(usd).toEqual({
      currency: 'USD',
      value: '78249.65',
      exact: '78249.65146464288',
      at: '2024-02-16T12:40:00Z',
      day: '2024-02-16',
      basis: 'block time',
      prices: [
        {
          series: 'BTC-USD',
          date: '2024-02-16',
          value: '52166.43430976192',
          source: 'BTC-USD.csv',
          granularity: 'day-close',
        },
      ],
    });
    const kes = valueItems(input, book, KES).items.pay!;
    // 78249.65146464288 × 145.8551 = 11413110.739340633726688 → KES 11,413,110.74
    expect(kes.value).toBe('11413110.74');
    expect(kes.exact).toBe('11413110.739340633726688');
    expect(kes.prices.map((p) => `${p.series} ${p.date} ${p.value}`)).toEqual([
      'BTC-USD 2024-02-16 52166.43430976192',
      'USD-KES 2024-02-16 145.8551',
    ]);
  });

  it('values a stablecoin at its market close, not at 1.00', () => {
    // 10 000 USDT on Saturday 2024-05-04: 10000 × 1.0001416518193977 = 10001.416518193977
    const v = valueItems({ items: [item('rest', 10_000_000_000n, USDT, '2024-05-04T00:02:23Z')] }, book, USD);
    expect(v.items.rest!.value).toBe('10001.42');
  });

  it('converts a Saturday flow to KES at Friday’s CBK rate and says so', () => {
    const v = valueItems({ items: [item('sat', 10_000_000_000n, USDT, '2024-05-04T00:02:23Z')] }, book, KES);
    const f = v.items.sat!;
    // 10001.416518193977 × 133.0844 = 1331032.5164739345126588
    expect(f.value).toBe('1331032.52');
    expect(f.prices[0]).toMatchObject({ series: 'USDT-USD', date: '2024-05-04' });
    expect(f.prices[1]).toMatchObject({
      series: 'USD-KES',
      date: '2024-05-03',
      carried:
        'Saturday 2024-05-04 has no published rate (weekend); the last rate published before it, Friday 2024-05-03, is used',
    });
  });

  it('rounds an exact half cent up, and keeps a tiny amount at 0.00 with its exact value', () => {
    const ETH: AssetForPricing = { chain: 'ethereum', symbol: 'ETH', decimals: 18 };
    const v = valueItems(
      {
        items: [
          item('half', 10n ** 18n, ETH, '2024-01-01T00:00:00Z'), // 1 ETH × 0.005 = 0.005 → 0.01
          item('below', 999_999_999_999_999_999n, ETH, '2024-01-01T00:00:00Z'), // 0.004999… → 0.00
          item('sat', 1n, BTC, '2024-02-16T00:00:00Z'), // 1 satoshi
        ],
      },
      book,
      USD,
    );
    expect(v.items.half!.value).toBe('0.01');
    expect(v.items.half!.exact).toBe('0.005');
    expect(v.items.below!.value).toBe('0.00');
    expect(v.items.below!.exact).toBe('0.004999999999999999995');
    expect(v.items.sat!.value).toBe('0.00');
    expect(v.items.sat!.exact).toBe('0.0005216643430976192');
  });

  it('values zero at zero without a price', () => {
    const v = valueItems({ items: [item('z', 0n, BTC, '2030-01-01T00:00:00Z')] }, book, KES);
    expect(v.items.z).toMatchObject({ value: '0.00', exact: '0', prices: [] });
    expect(v.warnings).toEqual([]);
  });
});

describe('missing prices', () => {
  it('leaves a day without a close null with the reason, and warns once per series and day', () => {
    const v = valueItems(
      {
        items: [
          item('a', 100_000_000n, BTC, '2024-02-17T02:10:00Z'),
          item('b', 50_000_000n, BTC, '2024-02-17T04:20:00Z'),
          item('c', 50_000_000n, BTC, '2024-02-16T04:20:00Z'),
        ],
        groups: [{ id: 'all', items: ['a', 'b', 'c'] }],
      },
      book,
      USD,
    );
    expect(v.items.a).toMatchObject({
      value: null,
      exact: null,
      day: '2024-02-17',
      missing: {
        code: 'after-series',
        reason: 'no BTC-USD close for 2024-02-17: BTC-USD.csv ends 2024-02-16',
      },
    });
    expect(v.warnings).toEqual([
      '2 figure(s) have no USD value: no BTC-USD close for 2024-02-17: BTC-USD.csv ends 2024-02-16',
    ]);
    // A total with a missing part is not a total: null, with the known part as a lower bound.
    expect(v.groups.all).toEqual({
      currency: 'USD',
      value: null,
      exact: null,
      parts: 3,
      missingParts: 2,
      roundedPartsSum: null,
      rounding: 'once-from-unrounded-parts',
      partial: { value: '26083.22', exact: '26083.21715488096', parts: 1 },
    });
  });

  it('names a missing FX rate after a valued USD price', () => {
    const v = valueItems({ items: [item('x', 150_000_000n, BTC, '2024-02-12T10:00:00Z')] }, book, USD);
    expect(v.items.x!.missing?.code).toBe('before-series');
    const w = valueItems(
      { items: [item('y', 10_000_000n, USDT, '2024-05-03T10:00:00Z')] },
      createPriceBook([series('USDT-USD', [['2024-05-03', '0.9999507278675663']])]),
      KES,
    );
    expect(w.items.y).toMatchObject({
      value: null,
      missing: { code: 'no-series' },
      prices: [{ series: 'USDT-USD', date: '2024-05-03' }],
    });
  });

  it('reports an unconfirmed movement and an unknown token as unvalued', () => {
    const fake: AssetForPricing = {
      chain: 'ethereum',
      symbol: 'USDT',
      decimals: 6,
      contract: '0x6de1F25788A3c078378F4b8D2E3C776a9900cD58',
    };
    const v = valueItems(
      { items: [item('u', 5n, BTC, null), item('f', 1_000_000n, fake, '2024-05-03T10:00:00Z')] },
      book,
      USD,
    );
    expect(v.items.u!.missing).toEqual({
      code: 'no-time',
      reason: 'no time for this figure (an unconfirmed transaction has no block time)',
    });
    expect(v.items.f!.missing).toEqual({
      code: 'unpriced-asset',
      reason:
        'token 0x6de1F25788A3c078378F4b8D2E3C776a9900cD58 on ethereum has no price id: only native coins and known token contracts are priced',
    });
    expect(v.warnings).toEqual([
      '1 figure(s) have no USD value: figures without a time cannot be valued',
      '1 figure(s) have no USD value: unpriced asset: token 0x6de1F25788A3c078378F4b8D2E3C776a9900cD58 on ethereum has no price id: only native coins and known token contracts are priced',
    ]);
  });
});

describe('totals', () => {
  const ETH: AssetForPricing = { chain: 'ethereum', symbol: 'ETH', decimals: 18 };
  const at = '2024-01-01T12:00:00Z';

  it('rounds once from the unrounded parts; the sum of rounded parts is shown beside it', () => {
    // Three parts of 0.8 ETH × 0.005 = 0.004 each: each shows 0.00, the total is 0.012 → 0.01.
    const three = valueItems(
      {
        items: ['p1', 'p2', 'p3'].map((id) => item(id, 8n * 10n ** 17n, ETH, at)),
        groups: [{ id: 't', items: ['p1', 'p2', 'p3'] }],
      },
      book,
      USD,
    );
    expect(['p1', 'p2', 'p3'].map((id) => three.items[id]!.value)).toEqual(['0.00', '0.00', '0.00']);
    expect(three.groups.t).toMatchObject({
      value: '0.01',
      exact: '0.012',
      roundedPartsSum: '0.00',
      parts: 3,
    });

    // Two half cents: each rounds up to 0.01, the exact total 0.010 is 0.01, not 0.02.
    const two = valueItems(
      {
        items: ['h1', 'h2'].map((id) => item(id, 10n ** 18n, ETH, at)),
        groups: [{ id: 't', items: ['h1', 'h2'] }],
      },
      book,
      USD,
    );
    expect(two.groups.t).toMatchObject({ value: '0.01', exact: '0.01', roundedPartsSum: '0.02' });
  });

  it('adds parts valued on different days at their own prices (exposure = sum of its flows)', () => {
    const v = valueItems(
      {
        items: [
          item('thu', 100_000_000n, BTC, '2024-02-15T10:00:00Z'),
          item('fri', 100_000_000n, BTC, '2024-02-16T10:00:00Z'),
        ],
        groups: [
          { id: 'exposure', items: ['thu', 'fri'] },
          { id: 'empty', items: [] },
        ],
      },
      book,
      KES,
    );
    // 51958.23029105492 × 153.2039 = 7960203.517687748858188
    // 52166.43430976192 × 145.8551 = 7608740.492893755817792
    expect(v.items.thu!.exact).toBe('7960203.517687748858188');
    expect(v.items.fri!.exact).toBe('7608740.492893755817792');
    expect(v.groups.exposure).toMatchObject({
      value: '15568944.01',
      exact: '15568944.01058150467598',
      roundedPartsSum: '15568944.01',
    });
    expect(v.groups.empty).toMatchObject({ value: '0.00', parts: 0, missingParts: 0 });
  });

  it('refuses duplicate ids and groups naming unknown items (caller bugs)', () => {
    expect(() => valueItems({ items: [item('a', 1n, BTC, at), item('a', 1n, BTC, at)] }, book, USD)).toThrow(
      /item id a appears twice/,
    );
    expect(() => valueItems({ items: [], groups: [{ id: 'g', items: ['nope'] }] }, book, USD)).toThrow(
      /group g names unknown item nope/,
    );
  });
});

describe('prices used', () => {
  it('lists every price used, and a book rebuilt from that list gives byte-identical values', () => {
    const input = {
      items: [
        item('a', 150_000_000n, BTC, '2024-02-16T12:40:00Z'),
        item('b', 10_000_000_000n, USDT, '2024-05-04T00:02:23Z'),
        item('c', 1n, BTC, '2024-02-17T02:00:00Z'),
      ],
      groups: [{ id: 'all', items: ['a', 'b', 'c'] }],
    };
    const v = valueItems(input, book, KES);
    expect(
      v.prices.series.map((s) => `${s.id}: ${s.rows.map((r) => `${r.date}=${r.value}`).join(' ')}`),
    ).toEqual([
      'BTC-USD: 2024-02-16=52166.43430976192',
      'USD-KES: 2024-02-16=145.8551 2024-05-03=133.0844',
      'USDT-USD: 2024-05-04=1.0001416518193977',
    ]);
    const again = valueItems(input, priceBookFromEvidence(JSON.parse(JSON.stringify(v.prices))), KES);
    expect(JSON.stringify(again)).toBe(JSON.stringify(v));
  });

  it('says which prices a valuation will need, for the sources to fetch', () => {
    expect(
      pricesNeeded(
        {
          items: [
            item('a', 1n, BTC, '2024-02-16T12:40:00Z'),
            item('b', 1n, BTC, '2024-02-15T12:40:00Z'),
            item('c', 1n, USDT, '2024-05-04T00:00:00Z'),
            item('d', 0n, USDT, '2024-05-05T00:00:00Z'),
            item('e', 1n, BTC, null),
          ],
        },
        'KES',
      ),
    ).toEqual({ crypto: { BTC: ['2024-02-15', '2024-02-16'], USDT: ['2024-05-04'] }, fx: 'KES' });
  });
});
