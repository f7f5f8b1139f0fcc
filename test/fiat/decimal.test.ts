// Exact decimals and the rounding rule: hand-checked figures, half-cent ties, tiny amounts.
import { describe, expect, it } from 'vitest';
import {
  addDecimal,
  decimalToString,
  formatMinor,
  mulDecimal,
  parseDecimal,
  roundToMinor,
  unitsToDecimal,
} from '../../src/core/fiat/decimal.js';

const d = (s: string) => {
  const v = parseDecimal(s);
  if (!v) throw new Error(`not a decimal: ${s}`);
  return v;
};
/** Round a decimal string to `m` places and format it. */
const r = (s: string, m = 2) => formatMinor(roundToMinor(d(s), m), m);

describe('parseDecimal', () => {
  it('keeps every digit of the source text', () => {
    expect(d('434.4269999999999')).toEqual({ units: 4344269999999999n, scale: 13 });
    expect(d('0.96558')).toEqual({ units: 96558n, scale: 5 });
    expect(d('1.50')).toEqual({ units: 150n, scale: 2 });
    expect(d('12')).toEqual({ units: 12n, scale: 0 });
    expect(decimalToString(d('0.99629000000000001'))).toBe('0.99629000000000001');
  });

  it('reads exponent notation exactly', () => {
    expect(decimalToString(d('1.5e-7'))).toBe('0.00000015');
    expect(decimalToString(d('2E3'))).toBe('2000');
    expect(decimalToString(d('1.25e+1'))).toBe('12.5');
  });

  it('refuses anything that is not a plain non-negative number', () => {
    for (const s of [
      '',
      '-1',
      '+1',
      '1,234.5',
      ' 1',
      '1 ',
      'NaN',
      'Infinity',
      '.5',
      '5.',
      '0x10',
      '1e999',
      '1e',
    ])
      expect(parseDecimal(s), s).toBeUndefined();
  });
});

describe('arithmetic', () => {
  it('multiplies and adds exactly', () => {
    // 1.5 BTC × 52166.43430976192 = 78249.65146464288 (no float anywhere)
    const v = mulDecimal(unitsToDecimal(150_000_000n, 8), d('52166.43430976192'));
    expect(decimalToString(v)).toBe('78249.65146464288');
    expect(decimalToString(addDecimal(d('0.1'), d('0.2')))).toBe('0.3');
    expect(decimalToString(addDecimal(d('1.005'), d('2')))).toBe('3.005');
  });
});

describe('roundToMinor: half away from zero, once', () => {
  it('rounds exact half cents up (where binary floats would not)', () => {
    expect(r('1.005')).toBe('1.01'); // Math.round(1.005 * 100) / 100 === 1
    expect(r('2.675')).toBe('2.68'); // (2.675).toFixed(2) === '2.67'
    expect(r('0.005')).toBe('0.01');
    expect(r('0.125')).toBe('0.13'); // half-to-even would give 0.12
    expect(r('0.135')).toBe('0.14');
  });

  it('rounds just below and just above a half correctly', () => {
    expect(r('1.00499999999999999999')).toBe('1.00');
    expect(r('1.00500000000000000001')).toBe('1.01');
    expect(r('1.0049')).toBe('1.00');
  });

  it('keeps tiny values at zero minor units without losing the exact value', () => {
    // 1 satoshi at 52166.43430976192 USD
    const v = mulDecimal(unitsToDecimal(1n, 8), d('52166.43430976192'));
    expect(decimalToString(v)).toBe('0.0005216643430976192');
    expect(formatMinor(roundToMinor(v, 2), 2)).toBe('0.00');
    // 1 wei at 3115.02 USD
    expect(formatMinor(roundToMinor(mulDecimal(unitsToDecimal(1n, 18), d('3115.02')), 2), 2)).toBe('0.00');
  });

  it('rounds to the currency minor unit: 0 (JPY, UGX) and 3 (BHD) places', () => {
    expect(r('1234.5', 0)).toBe('1235');
    expect(r('1234.49', 0)).toBe('1234');
    expect(r('1.0005', 3)).toBe('1.001');
    expect(r('1.0004999', 3)).toBe('1.000');
  });

  it('pads values that need no rounding', () => {
    expect(r('12')).toBe('12.00');
    expect(r('12.5')).toBe('12.50');
    expect(formatMinor(0n, 2)).toBe('0.00');
    expect(formatMinor(5n, 2)).toBe('0.05');
  });

  it('rounds negatives away from zero (symmetrically)', () => {
    expect(formatMinor(roundToMinor({ units: -1005n, scale: 3 }, 2), 2)).toBe('-1.01');
    expect(formatMinor(roundToMinor({ units: -1004n, scale: 3 }, 2), 2)).toBe('-1.00');
  });
});
