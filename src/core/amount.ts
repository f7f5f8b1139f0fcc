// Exact integer arithmetic on amounts: unit parsing/formatting and the apportionment rule
// that conserves totals (largest remainder, ties to the lower index).

/** Parse a human amount like "0.01" in an asset with `decimals` into base units. */
export function parseUnits(input: string, decimals: number): bigint | undefined {
  const s = input.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return undefined;
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  if (frac.length > decimals) return undefined;
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
}

/** Format base units as a decimal string with trailing zeros trimmed ("1.5", "0.00000001", "12"). */
export function formatUnits(value: bigint, decimals: number): string {
  const neg = value < 0n;
  const v = neg ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = v / base;
  const frac = v % base;
  let s = whole.toString();
  if (decimals > 0 && frac > 0n) s += '.' + frac.toString().padStart(decimals, '0').replace(/0+$/, '');
  return neg ? '-' + s : s;
}

/**
 * Split `total` in proportion to `weights` (non-negative). Each share is floor(total·w/W); the
 * remaining units go one by one to the largest remainders, ties to the lower index. The shares
 * add up to `total` exactly (when W > 0). This is the rounding rule of the taint-vectors page.
 */
export function apportion(total: bigint, weights: readonly bigint[]): bigint[] {
  let sum = 0n;
  for (const w of weights) sum += w;
  if (sum === 0n || total === 0n) return weights.map(() => 0n);
  const shares: bigint[] = new Array(weights.length);
  const rems: bigint[] = new Array(weights.length);
  let given = 0n;
  for (let i = 0; i < weights.length; i++) {
    const num = total * weights[i]!;
    shares[i] = num / sum;
    rems[i] = num % sum;
    given += shares[i]!;
  }
  let left = total - given;
  if (left > 0n) {
    const order = weights
      .map((_, i) => i)
      .sort((a, b) => (rems[a]! === rems[b]! ? a - b : rems[a]! > rems[b]! ? -1 : 1));
    for (const i of order) {
      if (left === 0n) break;
      shares[i] = shares[i]! + 1n;
      left -= 1n;
    }
  }
  return shares;
}

/** A rational number as an exact decimal string with `digits` places, rounded half-up. */
export function ratioString(num: bigint, den: bigint, digits = 6): string {
  if (den === 0n) return '0';
  const scale = 10n ** BigInt(digits);
  const scaled = (num * scale * 2n + den) / (2n * den);
  const whole = scaled / scale;
  const frac = (scaled % scale).toString().padStart(digits, '0');
  return digits > 0 ? `${whole}.${frac}` : whole.toString();
}

export const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
export const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
