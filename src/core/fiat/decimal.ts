// Exact decimal arithmetic for fiat values: a decimal is an integer `units` scaled by 10^-scale
// (`{ units: 96558n, scale: 5 }` is 0.96558). Prices are parsed from their source text without
// ever passing through a float, products of decimals are decimals, so every fiat figure is an
// exact decimal until it is rounded once, to the currency's minor unit, by `roundToMinor`.
//
// Rounding rule: half away from zero ("round half up" for the non-negative values fundtrace
// values). Why this one for court figures: it is the rule a reader applies by hand and the rule of
// spreadsheet ROUND(), so anyone can re-check a figure from the exact value printed next to it. The
// usual argument for half-to-even (no upward drift when many rounded figures are added) does not
// apply here: totals are never sums of rounded figures, they are rounded once from the exact sum
// of their parts (see ./value.ts), so a bias cannot accumulate.

export interface Decimal {
  /** The digits as an integer (sign included). */
  units: bigint;
  /** Number of decimal places, ≥ 0. */
  scale: number;
}

export const ROUNDING_RULE = 'half-up' as const;
export const ROUNDING_RULE_TEXT =
  'rounded half away from zero (half up) to the currency minor unit, once per figure; totals are rounded once from the exact sum of their unrounded parts';

const PLAIN = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parse a non-negative decimal string exactly: `123`, `0.96558`, `434.4269999999999`, `1.5e-7`.
 * No sign, no thousands separators, no spaces, no `NaN`/`Infinity`. Returns undefined otherwise.
 * The scale is kept as written (`1.50` has scale 2), so the source text can be reproduced.
 */
export function parseDecimal(text: string): Decimal | undefined {
  const m = PLAIN.exec(text);
  if (!m) return undefined;
  const whole = m[1]!;
  const frac = m[2] ?? '';
  const exp = m[3] === undefined ? 0 : Number(m[3]);
  // An absurd exponent is not a price; refuse it rather than build a gigantic integer.
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return undefined;
  let units = BigInt(whole + frac);
  let scale = frac.length - exp;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units, scale };
}

/** The exact decimal string, trailing fractional zeros trimmed ("0.96558", "12", "0.0005"). */
export function decimalToString(d: Decimal): string {
  const neg = d.units < 0n;
  const v = neg ? -d.units : d.units;
  if (d.scale === 0) return (neg ? '-' : '') + v.toString();
  const base = 10n ** BigInt(d.scale);
  const whole = v / base;
  const frac = (v % base).toString().padStart(d.scale, '0').replace(/0+$/, '');
  return (neg ? '-' : '') + whole.toString() + (frac ? '.' + frac : '');
}

/** a × b, exact. */
export const mulDecimal = (a: Decimal, b: Decimal): Decimal => ({
  units: a.units * b.units,
  scale: a.scale + b.scale,
});

/** The same value at a larger scale. */
function rescale(d: Decimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

/** a + b, exact. */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export const ZERO: Decimal = Object.freeze({ units: 0n, scale: 0 });

/** Compare two decimals: -1, 0, 1. */
export function cmpDecimal(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Base units of an asset with `decimals` places as an exact decimal amount of whole coins. */
export const unitsToDecimal = (amount: bigint, decimals: number): Decimal => ({
  units: amount,
  scale: decimals,
});

/**
 * Round an exact value to `minorUnits` decimal places, half away from zero. Returns the rounded
 * value as an integer count of minor units (cents for USD and KES, yen for JPY).
 */
export function roundToMinor(d: Decimal, minorUnits: number): bigint {
  if (d.scale <= minorUnits) return d.units * 10n ** BigInt(minorUnits - d.scale);
  const div = 10n ** BigInt(d.scale - minorUnits);
  const neg = d.units < 0n;
  const v = neg ? -d.units : d.units;
  const q = v / div;
  const r = v % div;
  const rounded = r * 2n >= div ? q + 1n : q;
  return neg ? -rounded : rounded;
}

/** Minor units as a fixed-point string with exactly `minorUnits` places ("1234.50", "0.00", "1235"). */
export function formatMinor(minor: bigint, minorUnits: number): string {
  const neg = minor < 0n;
  const v = neg ? -minor : minor;
  if (minorUnits === 0) return (neg ? '-' : '') + v.toString();
  const base = 10n ** BigInt(minorUnits);
  return (neg ? '-' : '') + (v / base).toString() + '.' + (v % base).toString().padStart(minorUnits, '0');
}
