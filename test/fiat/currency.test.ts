import { describe, expect, it } from 'vitest';
import { FundtraceError } from '../../src/core/errors.js';
import { isCalendarDay, isWeekend, utcDayOf } from '../../src/core/fiat/calendar.js';
import { resolveCurrency } from '../../src/core/fiat/currency.js';

const has = (codes: string[]) => (c: string) => codes.includes(c);

describe('resolveCurrency', () => {
  it('knows minor units of table currencies, case-insensitively', () => {
    expect(resolveCurrency('usd', has([]))).toEqual({ code: 'USD', minorUnits: 2 });
    expect(resolveCurrency('KES', has(['KES']))).toEqual({ code: 'KES', minorUnits: 2 });
    expect(resolveCurrency('ugx', has(['UGX']))).toEqual({ code: 'UGX', minorUnits: 0 });
    expect(resolveCurrency('JPY', has(['JPY']))).toEqual({ code: 'JPY', minorUnits: 0 });
    expect(resolveCurrency('BHD', has(['BHD']))).toEqual({ code: 'BHD', minorUnits: 3 });
  });

  it('accepts a code outside the table only when the price data has its rates, with a note', () => {
    const c = resolveCurrency('XYZ', has(['XYZ']));
    expect(c.minorUnits).toBe(2);
    expect(c.note).toMatch(
      /XYZ is not in fundtrace's ISO 4217 table; figures are rounded to 2 decimal places/,
    );
  });

  it('is a usage error without rates or for a malformed code, naming the code', () => {
    const err = (code: string, rates: string[] = []) => {
      try {
        resolveCurrency(code, has(rates));
      } catch (e) {
        expect(e).toBeInstanceOf(FundtraceError);
        expect((e as FundtraceError).code).toBe('USAGE');
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(err('EUR')).toMatch(/no USD-EUR exchange rates in the price data/);
    expect(err('XYZ')).toMatch(/unknown fiat currency XYZ/);
    expect(err('US')).toMatch(/"US" is not a three-letter ISO 4217 code/);
    expect(err('K€S')).toMatch(/not a three-letter/);
  });
});

describe('calendar', () => {
  it('takes the UTC day of an instant, offsets included', () => {
    expect(utcDayOf('2024-02-16T23:59:59Z')).toBe('2024-02-16');
    expect(utcDayOf('2024-02-17T01:00:00+03:00')).toBe('2024-02-16');
    expect(utcDayOf('2024-02-16')).toBe('2024-02-16');
    expect(utcDayOf('2024-02-30')).toBeUndefined();
    expect(utcDayOf('yesterday')).toBeUndefined();
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2023-02-29')).toBe(false);
    expect(isWeekend('2024-05-04')).toBe(true);
    expect(isWeekend('2024-05-03')).toBe(false);
  });
});
