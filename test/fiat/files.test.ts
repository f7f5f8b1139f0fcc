// `--prices DIR` files: the layout of ../shared/data/prices, validated strictly, every problem
// named with its file and line; --lenient skips with warnings.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FundtraceError } from '../../src/core/errors.js';
import { classifyPriceFile, parsePriceFile, readPriceDir } from '../../src/sources/prices/files.js';
import { tempDir } from '../http/helpers.js';
import { SAMPLE_PRICES } from './helpers.js';

describe('price file names', () => {
  it('reads SYMBOL-USD and USD-XXX, refuses other pairs with the reason', () => {
    expect(classifyPriceFile('BTC-USD.csv')).toEqual({ kind: 'crypto', base: 'BTC', quote: 'USD' });
    expect(classifyPriceFile('usdc-usd.csv')).toEqual({ kind: 'crypto', base: 'USDC', quote: 'USD' });
    expect(classifyPriceFile('USD-KES.csv')).toEqual({ kind: 'fx', base: 'USD', quote: 'KES' });
    expect(classifyPriceFile('ANOMALIES.csv')).toEqual({ kind: 'anomalies' });
    expect(classifyPriceFile('PROVENANCE.md')).toEqual({ kind: 'other' });
    expect(classifyPriceFile('KES-USD.csv')).toEqual({
      kind: 'refused',
      problem:
        'KES-USD.csv: an exchange rate for the inverted pair; fundtrace reads USD-KES.csv (KES per 1 USD, header date,rate)',
    });
    expect(classifyPriceFile('EUR-KES.csv')).toMatchObject({ kind: 'refused', problem: /not a USD pair/ });
    expect(classifyPriceFile('USD-BTC.csv')).toMatchObject({
      kind: 'refused',
      problem: /coin prices go in SYMBOL-USD.csv/,
    });
    expect(classifyPriceFile('USD-USD.csv')).toMatchObject({ kind: 'refused' });
  });
});

describe('parsePriceFile', () => {
  it('reads a valid file byte for byte, with lines as evidence', () => {
    const p = parsePriceFile(
      'BTC-USD.csv',
      '\uFEFFdate,close\r\n2024-02-16,52166.43430976192\r\n2024-02-17,51684.51749264525\r\n\r\n',
    );
    expect(p.problems).toEqual([]);
    expect(p.series).toMatchObject({
      id: 'BTC-USD',
      kind: 'crypto',
      coverage: { first: '2024-02-16', last: '2024-02-17' },
      rows: [
        { date: '2024-02-16', text: '52166.43430976192', at: 'line 2' },
        { date: '2024-02-17', text: '51684.51749264525', at: 'line 3' },
      ],
    });
  });

  it('refuses a file with every problem and its line', () => {
    const text = [
      'date,close',
      '2024-02-10,47768.995251247936', // 2
      '2024-02-31,48189.88', // 3 bad date
      '2024/02/12,50050.13', // 4 bad date
      '2024-02-13,-49732.14', // 5 negative
      '2024-02-14,0', // 6 zero
      '2024-02-15,abc', // 7 non-numeric
      '2024-02-16,1,234.50', // 8 fields
      '2024-02-16,52166.43', // 9 ok
      '2024-02-16,52166.43', // 10 duplicate
      '2024-02-11,48189.88', // 11 out of order
      '', // 12 empty line inside
      '2024-02-18,0.000', // 13 zero
      '2024-02-19,NaN', // 14
    ].join('\n');
    const p = parsePriceFile('BTC-USD.csv', text);
    expect(p.series).toBeUndefined();
    expect(p.problems).toEqual([
      'BTC-USD.csv line 3: date "2024-02-31" is not a calendar day (YYYY-MM-DD)',
      'BTC-USD.csv line 4: date "2024/02/12" is not a calendar day (YYYY-MM-DD)',
      'BTC-USD.csv line 5: negative close -49732.14',
      'BTC-USD.csv line 6: zero close 0 (a price is never zero)',
      'BTC-USD.csv line 7: close "abc" is not a number',
      'BTC-USD.csv line 8: expected 2 fields (date,close), found 3',
      'BTC-USD.csv line 12: empty line',
      'BTC-USD.csv line 13: zero close 0.000 (a price is never zero)',
      'BTC-USD.csv line 14: close "NaN" is not a number',
      'BTC-USD.csv line 10: 2024-02-16 repeats line 9',
      'BTC-USD.csv line 11: 2024-02-11 is out of order (after 2024-02-16 on line 9)',
    ]);
  });

  it('refuses an FX file for the wrong pair or with a coin price header', () => {
    expect(parsePriceFile('USD-KES.csv', 'date,close\n2024-05-03,133.0844\n').problems).toEqual([
      "USD-KES.csv line 1: header date,close is a coin price file's, not an exchange rate's (date,rate): is this file for the pair USD-KES?",
    ]);
    expect(parsePriceFile('BTC-USD.csv', 'date,rate\n2024-05-03,1\n').problems[0]).toMatch(
      /header date,rate is an exchange rate file's/,
    );
    expect(parsePriceFile('KES-USD.csv', 'date,rate\n2024-05-03,0.0075\n').problems[0]).toMatch(
      /inverted pair/,
    );
    expect(parsePriceFile('USD-KES.csv', 'Date,Currency,Mean,Buy,Sell\n').problems).toEqual([
      'USD-KES.csv line 1: header must be date,rate, found "Date,Currency,Mean,Buy,Sell"',
    ]);
    expect(parsePriceFile('USD-KES.csv', 'date,rate\n').problems).toEqual(['USD-KES.csv: no rate rows']);
  });

  it('neutralises hostile text in problems', () => {
    const p = parsePriceFile('BTC-USD.csv', 'date,close\n2024-02-16,\u001b[31mred\n');
    expect(p.problems[0]).toBe('BTC-USD.csv line 2: close "\\u001b[31mred" is not a number');
  });

  it('--lenient: skips bad rows with a warning each, keeps neither value of a contradicted day', () => {
    const text = [
      'date,close',
      '2024-02-12,50050.13609456397',
      '2024-02-11,48189.88179303987', // out of order: sorted
      '2024-02-13,-1',
      '2024-02-14,51790.16929752642',
      '2024-02-14,51790.16929752642', // same value twice: one kept
      '2024-02-15,51958.23',
      '2024-02-15,99999', // contradiction: neither used
    ].join('\n');
    const p = parsePriceFile('BTC-USD.csv', text, { lenient: true });
    expect(p.problems).toEqual([]);
    expect(p.series!.rows.map((r) => r.date)).toEqual(['2024-02-11', '2024-02-12', '2024-02-14']);
    expect(p.warnings).toEqual([
      'BTC-USD.csv line 4: negative close -1; row skipped',
      'BTC-USD.csv line 6: 2024-02-14 repeats line 5; row skipped',
      'BTC-USD.csv line 8: 2024-02-15 repeats line 7 with another value (99999 vs 51958.23); neither is used',
      'BTC-USD.csv: rows are not in date order; sorted',
    ]);
    expect(parsePriceFile('KES-USD.csv', 'date,rate\n', { lenient: true })).toEqual({
      problems: [],
      warnings: [
        'KES-USD.csv: an exchange rate for the inverted pair; fundtrace reads USD-KES.csv (KES per 1 USD, header date,rate); file skipped',
      ],
    });
  });
});

describe('readPriceDir', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  it('reads the bundled sample prices', async () => {
    const d = await readPriceDir(SAMPLE_PRICES);
    expect(d.warnings).toEqual([]);
    expect(d.series.map((s) => `${s.id} ${s.coverage!.first}…${s.coverage!.last} ${s.rows.length}`)).toEqual([
      'BTC-USD 2024-02-10…2024-02-19 10',
      'ETH-USD 2024-05-01…2024-05-06 6',
      'USD-KES 2024-02-09…2024-05-06 58',
      'USDT-USD 2024-05-01…2024-05-06 6',
    ]);
    expect(d.series[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses the directory listing every problem of every file', async () => {
    await writeFile(join(dir, 'BTC-USD.csv'), 'date,close\n2024-02-16,0\n');
    await writeFile(join(dir, 'USD-KES.csv'), 'date,rate\n2024-05-03,133.0844\n2024-05-03,133.0844\n');
    await writeFile(join(dir, 'notes.csv'), 'x\n');
    await writeFile(join(dir, 'README.md'), '# prices\n');
    try {
      await readPriceDir(dir);
      throw new Error('expected an error');
    } catch (e) {
      const err = e as FundtraceError;
      expect(err.code).toBe('BAD_INPUT');
      expect(err.message).toBe(
        `--prices ${dir}: BTC-USD.csv, USD-KES.csv refused (2 problems): BTC-USD.csv line 2: zero close 0 (a price is never zero)`,
      );
      expect(err.details).toEqual([
        'BTC-USD.csv line 2: zero close 0 (a price is never zero)',
        'USD-KES.csv line 3: 2024-05-03 repeats line 2',
      ]);
    }
    const lenient = await readPriceDir(dir, { lenient: true });
    expect(lenient.series.map((s) => s.id)).toEqual(['USD-KES']);
    expect(lenient.warnings).toEqual([
      'BTC-USD.csv line 2: zero close 0 (a price is never zero); row skipped',
      'BTC-USD.csv: no close rows; file skipped',
      'USD-KES.csv line 3: 2024-05-03 repeats line 2; row skipped',
      '--prices: notes.csv ignored (not SYMBOL-USD.csv or USD-XXX.csv)',
    ]);
  });

  it('flags rows listed in ANOMALIES.csv when the value matches', async () => {
    await writeFile(join(dir, 'BNB-USD.csv'), 'date,close\n2018-02-07,10.1\n2018-02-08,4.5772\n');
    await writeFile(
      join(dir, 'ANOMALIES.csv'),
      'file,date,close,check,reference,difference\nBNB-USD.csv,2018-02-08,4.5772,deviation>10%,CoinMarketCap close = 8.5955,-46.7%\nBNB-USD.csv,2018-02-07,9.9,deviation>10%,other,-1%\n',
    );
    const d = await readPriceDir(dir);
    const rows = d.series[0]!.rows;
    expect(rows[0]!.flag).toBeUndefined();
    expect(rows[1]!.flag).toBe(
      'listed in ANOMALIES.csv: deviation>10%: CoinMarketCap close = 8.5955 (-46.7%)',
    );
  });

  it('names a missing or empty directory', async () => {
    await expect(readPriceDir(join(dir, 'nope'))).rejects.toThrow(
      `--prices ${join(dir, 'nope')}: no such directory`,
    );
    await mkdir(join(dir, 'empty'));
    await expect(readPriceDir(join(dir, 'empty'))).rejects.toThrow(/no price files/);
  });
});
