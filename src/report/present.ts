// Presentation shared by every renderer (terminal table, Markdown, HTML): one rule for
// percentages and one set of names for the terminal kinds, so the same figure reads the same
// everywhere.
import { apportion } from '../core/amount.js';

/**
 * A part of a whole as a percentage with two decimals, from integers, rounded half up; a part
 * that is not zero but rounds to 0.00 reads "<0.01 %" (never "0.00 %" for something that is there).
 * An empty whole has no percentage: "n/a".
 */
export function percentOf(part: bigint | string, whole: bigint | string): string {
  const p = BigInt(part);
  const w = BigInt(whole);
  if (w === 0n) return 'n/a';
  return hundredths((p * 10_000n * 2n + w) / (2n * w), p > 0n);
}

/**
 * Parts that make up a whole (a trace's end points, its exposure rows) as percentages that add up
 * to 100.00 %: 10 000 hundredths apportioned over the parts by largest remainder (core/amount.ts,
 * the project's one rounding rule that conserves totals), where rounding each on its own could show
 * 100.01 % under a line saying they add up. Parts that do not make up the whole (a trace whose end
 * points do not add up) are each rounded on their own, as percentOf.
 */
export function percentsOf(parts: readonly bigint[], whole: bigint | string): string[] {
  const w = BigInt(whole);
  let sum = 0n;
  for (const p of parts) sum += p;
  if (w === 0n || sum !== w || parts.some((p) => p < 0n)) return parts.map((p) => percentOf(p, w));
  return apportion(10_000n, parts).map((h, i) => hundredths(h, parts[i]! > 0n));
}

/** A share in the JSON's form ("0.475063", a decimal fraction) in millionths; undefined if not one. */
function ppmOfShare(share: string): bigint | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(share);
  return m ? BigInt(m[1]!) * 1_000_000n + BigInt(m[2]!.padEnd(6, '0').slice(0, 6)) : undefined;
}

/**
 * Shares in the JSON's form (every exposure row and bucket, which together make up the whole) as
 * percentages that add up (percentsOf); null shares (a poison trace) read "n/a".
 */
export function percentsOfShares(shares: readonly (string | null)[]): string[] {
  const ppm = shares.map((s) => (s === null ? undefined : ppmOfShare(s)));
  if (ppm.some((p) => p === undefined)) return shares.map((s) => (s === null ? 'n/a' : percentOfShare(s)));
  return percentsOf(ppm as bigint[], 1_000_000n);
}

/** A share in the JSON's form ("0.475063", a decimal fraction) as a percentage; null → "n/a". */
export function percentOfShare(share: string | null): string {
  if (share === null) return 'n/a';
  const ppm = ppmOfShare(share);
  return ppm === undefined ? share : percentOfPpm(ppm);
}

/** Millionths (the summary's sharePpm) as a percentage. */
export const percentOfPpm = (ppm: bigint) => hundredths((ppm + 50n) / 100n, ppm > 0n);

function hundredths(h: bigint, nonZero: boolean): string {
  if (h === 0n && nonZero) return '<0.01 %';
  return `${h / 100n}.${(h % 100n).toString().padStart(2, '0')} %`;
}

/** Names of the terminal kinds, forward (the table, the HTML summary). */
export const TERMINAL_LABELS: Readonly<Record<string, string>> = {
  exit: 'exits to services',
  flagged: 'flagged clusters',
  mixer: 'into a CoinJoin / mixer',
  held: 'held (at rest)',
  fee: 'fees',
  returned: 'returned to the seed',
  coinbase: 'newly mined (coinbase)',
  'unknown-origin': 'origin before the data',
  unspendable: 'unspendable outputs',
  converted: 'converted into another asset (followed below)',
  bridged: 'sent into a bridge to another chain',
  cut: 'cut by a limit',
};

/** Backward traces read the same terminals as origins. */
export const BACKWARD_LABELS: Readonly<Record<string, string>> = {
  exit: 'from services',
  flagged: 'from flagged clusters',
  mixer: 'out of a CoinJoin / mixer',
  returned: 'from the seed itself',
};

/** The label of a terminal kind in a trace of this direction. */
export const terminalLabel = (kind: string, backward: boolean) =>
  (backward ? BACKWARD_LABELS[kind] : undefined) ?? TERMINAL_LABELS[kind] ?? kind;

/** How reports name a label category: its id, except where words read better ("frozen by issuer"). */
export const categoryText = (id: string): string => (id === 'frozen_by_issuer' ? 'frozen by issuer' : id);

/** " (GraphSense entity 4242, 4343)" for a GraphSense-attributed exposure item, else "". */
export function graphsenseNote(i: { via?: string; graphsenseEntities?: number[] }): string {
  if (i.via !== 'graphsense') return '';
  const ids = i.graphsenseEntities ?? [];
  return ids.length === 0
    ? ' (GraphSense tag)'
    : ` (GraphSense entit${ids.length === 1 ? 'y' : 'ies'} ${ids.join(', ')})`;
}
