// The real price data in ../shared/data/prices (CoinGecko closes, CBK USD-KES rates): read with
// the strict reader, the USDC de-peg valued at its real close, CBK weekends and holidays.
// Skips when ../shared is absent.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPriceBook, type PriceBook } from '../../src/core/fiat/book.js';
import { resolveCurrency } from '../../src/core/fiat/currency.js';
import { valueItems } from '../../src/core/fiat/value.js';
import { type PriceDirectory, readPriceDir } from '../../src/sources/prices/files.js';
import { SHARED_PRICES } from './helpers.js';

const USDC = {
  chain: 'ethereum',
  symbol: 'USDC',
  decimals: 6,
  contract: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
};

describe.skipIf(!existsSync(SHARED_PRICES))('shared price data', () => {
  let dir: PriceDirectory;
  let book: PriceBook;
  beforeAll(async () => {
    dir = await readPriceDir(SHARED_PRICES);
    book = createPriceBook(dir.series);
  });

  it('passes the strict reader as it is, ANOMALIES.csv included', () => {
    expect(dir.warnings).toEqual([]);
    expect(book.ids()).toEqual([
      'BNB-USD',
      'BTC-USD',
      'ETH-USD',
      'MATIC-USD',
      'TRX-USD',
      'USD-KES',
      'USDC-USD',
      'USDT-USD',
    ]);
    const flagged = dir.series.flatMap((s) => s.rows.filter((r) => r.flag !== undefined));
    expect(flagged.length).toBeGreaterThan(50);
  });

  it('values USDC on the SVB de-peg day at its real close, 0.9656, not 1.00', () => {
    const v = valueItems(
      { items: [{ id: 'x', amount: 1_000_000_000n, asset: USDC, time: '2023-03-11T15:00:00Z' }] },
      book,
      resolveCurrency('USD', () => false),
    );
    expect(v.items.x).toMatchObject({
      value: '965.58',
      exact: '965.5782350580624',
      prices: [
        { series: 'USDC-USD', date: '2023-03-11', value: '0.9655782350580624', source: 'USDC-USD.csv' },
      ],
    });
  });

  it('converts the de-peg Saturday to KES at Friday’s CBK rate, both rates named', () => {
    const v = valueItems(
      { items: [{ id: 'x', amount: 1_000_000_000n, asset: USDC, time: '2023-03-11T15:00:00Z' }] },
      book,
      resolveCurrency('KES', (c) => book.has(`USD-${c}`)),
    );
    // 965.5782350580624 × 128.8882 = 124451.64067581055822368
    expect(v.items.x!.value).toBe('124451.64');
    expect(v.items.x!.prices.map((p) => `${p.series} ${p.date} ${p.value}`)).toEqual([
      'USDC-USD 2023-03-11 0.9655782350580624',
      'USD-KES 2023-03-10 128.8882',
    ]);
    expect(v.items.x!.prices[1]!.carried).toMatch(/^Saturday 2023-03-11 has no published rate \(weekend\)/);
  });

  it('carries CBK rates over holidays: Labour Day 2024 and the 2007/08 year end', () => {
    const l1 = book.lookup('USD', 'KES', '2024-05-01T09:00:00Z');
    expect(l1.ok && l1.quote.date).toBe('2024-04-30');
    const ny = book.lookup('USD', 'KES', '2008-01-01T09:00:00Z');
    expect(ny.ok && ny.quote).toMatchObject({ date: '2007-12-20', text: '62.5411' });
    // After the last CBK rate in the data (Friday 2025-06-13) only that weekend is bridged.
    expect(book.lookup('USD', 'KES', '2025-06-15').ok).toBe(true);
    expect(book.lookup('USD', 'KES', '2025-06-16').ok).toBe(false);
  });

  it('says when a price used is one the data’s curator flags as doubtful', () => {
    const v = valueItems(
      {
        items: [
          {
            id: 'x',
            amount: 10n ** 18n,
            asset: { chain: 'bsc', symbol: 'BNB', decimals: 18 },
            time: '2017-09-16T12:00:00Z',
          },
        ],
      },
      book,
      resolveCurrency('USD', () => false),
    );
    expect(v.items.x!.prices[0]!.flag).toMatch(
      /^listed in ANOMALIES.csv: deviation>10%: CoinMarketCap close/,
    );
    expect(v.warnings).toEqual([
      expect.stringMatching(
        /^fiat values use a price its source flags as doubtful: BNB-USD 2017-09-16: listed in ANOMALIES.csv/,
      ),
    ]);
  });

  it('reports the known missing days of the real data as missing', () => {
    // BTC-USD has no 2015-01-28 (PROVENANCE.md "Missing days").
    const l = book.lookup('BTC', 'USD', '2015-01-28T12:00:00Z');
    expect(l.ok).toBe(false);
    expect(!l.ok && l.missing.code).toBe('gap');
  });
});
