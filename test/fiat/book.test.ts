// PriceBook lookups: the close of the flow's own day, missing days never filled, FX weekend and
// holiday carry saying which day's rate was used, and evidence that rebuilds the same answers.
import { describe, expect, it } from 'vitest';
import { FundtraceError } from '../../src/core/errors.js';
import {
  checkPriceEvidence,
  createPriceBook,
  type PriceLookup,
  priceBookFromEvidence,
  priceEvidence,
} from '../../src/core/fiat/book.js';
import { series } from './helpers.js';

const BTC = series('BTC-USD', [
  ['2024-02-12', '50050.13609456397'],
  ['2024-02-13', '49732.14536955351'],
  // 2024-02-14 deliberately missing
  ['2024-02-15', '51958.23029105492'],
  ['2024-02-16', '52166.43430976192'],
]);
// CBK business days around the Labour Day holiday (Wed 2024-05-01) and a weekend.
const KES = series('USD-KES', [
  ['2024-04-26', '132.9510'],
  ['2024-04-29', '133.0617'],
  ['2024-04-30', '133.2789'],
  ['2024-05-02', '133.1980'],
  ['2024-05-03', '133.0844'],
]);
const book = createPriceBook([BTC, KES]);

const quote = (l: PriceLookup) => {
  if (!l.ok) throw new Error(`expected a price: ${l.missing.reason}`);
  return l.quote;
};
const missing = (l: PriceLookup) => {
  if (l.ok) throw new Error(`expected no price, got ${l.quote.text} of ${l.quote.date}`);
  return l.missing;
};

describe('crypto closes', () => {
  it('uses the close of the UTC day of the instant', () => {
    const q = quote(book.lookup('BTC', 'USD', '2024-02-16T12:40:00Z'));
    expect(q).toMatchObject({
      series: 'BTC-USD',
      requested: '2024-02-16',
      date: '2024-02-16',
      text: '52166.43430976192',
      granularity: 'day-close',
      source: 'BTC-USD.csv',
      at: 'line 5',
    });
    // 23:30 in Nairobi on the 16th is 20:30 UTC the same day; 01:00 EAT on the 17th is the 16th UTC.
    expect(quote(book.lookup('BTC', 'USD', '2024-02-17T01:00:00+03:00')).date).toBe('2024-02-16');
    expect(quote(book.lookup('BTC', 'USD', '2024-02-12')).text).toBe('50050.13609456397');
  });

  it('reports a missing day, never filling it from a neighbour', () => {
    const m = missing(book.lookup('BTC', 'USD', '2024-02-14T03:00:00Z'));
    expect(m).toMatchObject({ series: 'BTC-USD', requested: '2024-02-14', code: 'gap' });
    expect(m.reason).toBe(
      'no BTC-USD close for 2024-02-14 in BTC-USD.csv; a missing day is not filled from its neighbours',
    );
  });

  it('says when the day is before or after the data', () => {
    expect(missing(book.lookup('BTC', 'USD', '2024-02-11T23:00:00Z'))).toMatchObject({
      code: 'before-series',
      reason: 'no BTC-USD close for 2024-02-11: BTC-USD.csv starts 2024-02-12',
    });
    // A Saturday after the data: crypto trades every day, nothing is carried.
    expect(missing(book.lookup('BTC', 'USD', '2024-02-17T09:20:00Z'))).toMatchObject({
      code: 'after-series',
      reason: 'no BTC-USD close for 2024-02-17: BTC-USD.csv ends 2024-02-16',
    });
  });

  it('has no price for a series it does not have, and no assumed 1.00 for a stablecoin', () => {
    const m = missing(book.lookup('USDC', 'USD', '2023-03-11T10:00:00Z'));
    expect(m.code).toBe('no-series');
    expect(m.reason).toMatch(/no USDC-USD prices loaded/);
  });

  it('refuses a time that is not a date', () => {
    expect(missing(book.lookup('BTC', 'USD', 'soon')).code).toBe('bad-time');
  });
});

describe('FX rates (business days)', () => {
  it('uses the day’s own rate on a business day', () => {
    const q = quote(book.lookup('USD', 'KES', '2024-05-03T12:00:00Z'));
    expect(q).toMatchObject({ date: '2024-05-03', text: '133.0844', granularity: 'fx-day' });
    expect(q.carried).toBeUndefined();
  });

  it('carries the last rate before a holiday and says so', () => {
    const q = quote(book.lookup('USD', 'KES', '2024-05-01T08:00:00Z'));
    expect(q.date).toBe('2024-04-30');
    expect(q.requested).toBe('2024-05-01');
    expect(q.carried).toBe(
      'Wednesday 2024-05-01 has no published rate (no rate published that day, e.g. a public holiday); the last rate published before it, Tuesday 2024-04-30, is used',
    );
  });

  it('carries Friday’s rate over the weekend inside the data', () => {
    const q = quote(book.lookup('USD', 'KES', '2024-04-28T10:00:00Z'));
    expect(q.date).toBe('2024-04-26');
    expect(q.carried).toMatch(
      /^Sunday 2024-04-28 has no published rate \(weekend\); .*Friday 2024-04-26, is used$/,
    );
  });

  it('bridges only a weekend past the end of the data', () => {
    const sat = quote(book.lookup('USD', 'KES', '2024-05-04T00:30:00Z'));
    expect(sat.date).toBe('2024-05-03');
    expect(sat.carried).toMatch(/^Saturday 2024-05-04 has no published rate \(weekend\)/);
    expect(quote(book.lookup('USD', 'KES', '2024-05-05')).date).toBe('2024-05-03');
    // Monday: the data simply ends; carrying Friday's rate would invent Monday's.
    expect(missing(book.lookup('USD', 'KES', '2024-05-06'))).toMatchObject({
      code: 'after-series',
      reason: 'no USD-KES rate for 2024-05-06: USD-KES.csv ends 2024-05-03',
    });
  });

  it('never carries a rate further back than 14 days', () => {
    const gap = createPriceBook([
      series('USD-KES', [
        ['2008-01-02', '70.6170'],
        ['2008-02-01', '70.0000'],
      ]),
    ]);
    expect(quote(gap.lookup('USD', 'KES', '2008-01-16')).date).toBe('2008-01-02'); // 14 days
    expect(missing(gap.lookup('USD', 'KES', '2008-01-17'))).toMatchObject({
      code: 'gap',
      consulted: '2008-01-02',
      reason: 'no USD-KES rate within 14 days before 2008-01-17 in USD-KES.csv (the last one is 2008-01-02)',
    });
  });

  it('USD to USD is the identity, not a market price', () => {
    expect(quote(book.lookup('USD', 'USD', '2024-05-04'))).toMatchObject({
      text: '1',
      granularity: 'identity',
      source: 'identity',
    });
  });
});

describe('price books', () => {
  it('refuses two sources for the same series', () => {
    expect(() => createPriceBook([BTC, series('BTC-USD', [['2024-02-12', '1']], { source: 'api' })])).toThrow(
      /two price sources give BTC-USD: BTC-USD.csv and api/,
    );
  });

  it('refuses a series that is out of order or not positive (a reader bug)', () => {
    const bad = series('BTC-USD', [
      ['2024-02-13', '2'],
      ['2024-02-12', '1'],
    ]);
    expect(() => createPriceBook([bad])).toThrow(FundtraceError);
  });
});

describe('price evidence', () => {
  const days = [
    ['BTC', 'USD', '2024-02-12T10:00:00Z'],
    ['BTC', 'USD', '2024-02-14T10:00:00Z'], // gap
    ['BTC', 'USD', '2024-02-20T10:00:00Z'], // after the series
    ['USD', 'KES', '2024-05-04T10:00:00Z'], // weekend, carried
    ['USD', 'KES', '2024-05-01T10:00:00Z'], // holiday, carried
    ['USD', 'KES', '2024-05-06T10:00:00Z'], // after the series, not a weekend
    ['ETH', 'USD', '2024-05-04T10:00:00Z'], // no series
    ['USD', 'USD', '2024-05-04T10:00:00Z'],
  ] as const;

  it('records only the rows used, with each consulted series and its coverage', () => {
    const lookups = days.map(([b, q, t]) => book.lookup(b, q, t));
    const e = priceEvidence(book, lookups);
    expect(e).toEqual({
      format: 'fundtrace-prices/1',
      series: [
        {
          id: 'BTC-USD',
          kind: 'crypto',
          base: 'BTC',
          quote: 'USD',
          source: 'BTC-USD.csv',
          coverage: { first: '2024-02-12', last: '2024-02-16' },
          rows: [{ date: '2024-02-12', value: '50050.13609456397', at: 'line 2' }],
        },
        {
          id: 'USD-KES',
          kind: 'fx',
          base: 'USD',
          quote: 'KES',
          source: 'USD-KES.csv',
          coverage: { first: '2024-04-26', last: '2024-05-03' },
          rows: [
            { date: '2024-04-30', value: '133.2789', at: 'line 4' },
            { date: '2024-05-03', value: '133.0844', at: 'line 6' },
          ],
        },
      ],
    });
  });

  it('rebuilds a book that answers every recorded lookup identically, offline', () => {
    const lookups = days.map(([b, q, t]) => book.lookup(b, q, t));
    const e = checkPriceEvidence(JSON.parse(JSON.stringify(priceEvidence(book, lookups))), 'prices.json');
    const again = priceBookFromEvidence(e);
    const replayed = days.map(([b, q, t]) => again.lookup(b, q, t));
    expect(JSON.stringify(replayed, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(
      JSON.stringify(lookups, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
    );
  });

  it('refuses damaged evidence, listing every problem', () => {
    const bad = {
      format: 'fundtrace-prices/1',
      series: [
        {
          id: 'BTC-EUR',
          kind: 'crypto',
          base: 'BTC',
          quote: 'USD',
          source: 'x',
          coverage: null,
          rows: [
            { date: '2024-02-12', value: '0' },
            { date: '2024-02-12', value: '1' },
            { date: '12/02/2024', value: 'abc' },
          ],
        },
      ],
    };
    try {
      checkPriceEvidence(bad, 'case/prices.json');
      throw new Error('expected an error');
    } catch (e) {
      const err = e as FundtraceError;
      expect(err.code).toBe('BAD_INPUT');
      expect(err.message).toBe(
        'case/prices.json: invalid price evidence: series 1: id BTC-EUR is not BTC-USD',
      );
      expect(err.details).toEqual([
        'series 1: id BTC-EUR is not BTC-USD',
        'series 1 (BTC-EUR) row 1: value must be a positive decimal string',
        'series 1 (BTC-EUR) row 2: 2024-02-12 is out of order or repeated',
        'series 1 (BTC-EUR) row 3: date is not YYYY-MM-DD',
        'series 1 (BTC-EUR) row 3: value must be a positive decimal string',
      ]);
    }
    expect(() => checkPriceEvidence({ format: 'x' }, 'p.json')).toThrow(
      /not a fundtrace price evidence file/,
    );
  });
});
