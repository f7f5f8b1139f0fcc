// Heuristic bridge matching (only on request, `--bridge-match`): for a deposit without a usable
// join key, the arrivals that could be its destination leg by amount and time. A guess, labelled:
// never a link, always with its confidence and the rule in words.
//
// Rule: on the deposit's destination chain (when the deposit names it), arriving within
// `windowSeconds` after the deposit, an amount between the expected amount less feeMaxBps and less
// feeMinBps (exact integer comparison: amount × 10000 against expected × (10000 − bps)), where
// expected = the deposit's promised output when it names one, else its amount. Amounts are compared
// in base units: pass arrivals of the same asset with the same decimals. Confidence: 'medium' when
// the deposit names the recipient and the arrival goes to it; 'low' when the deposit names no
// recipient. An arrival to another address than a named recipient is not a candidate.
import type { Transfer } from '../model.js';
import type { BridgeIn, BridgeOut } from './types.js';

export interface CandidateRule {
  feeMinBps: number;
  feeMaxBps: number;
  windowSeconds: number;
}

/** A possible destination leg: a decoded BridgeIn without a key match, or a plain transfer. */
export type Arrival = BridgeIn | { kind: 'transfer'; chain: string; transfer: Transfer };

export interface BridgeCandidate {
  arrival: Arrival;
  confidence: 'medium' | 'low';
  /** The rule in words, with the figures that satisfied it. */
  rule: string;
  /** Seconds from the deposit to the arrival. */
  delaySeconds: number;
}

interface Flat {
  chain: string;
  tx: string;
  index: number;
  time: string | null;
  to: string | null;
  amount: bigint;
}

const flat = (a: Arrival): Flat =>
  a.kind === 'bridge-in'
    ? {
        chain: a.ref.chain,
        tx: a.ref.tx,
        index: a.ref.index,
        time: a.ref.time ?? null,
        to: a.recipient,
        amount: a.amount,
      }
    : {
        chain: a.chain,
        tx: a.transfer.tx,
        index: a.transfer.index,
        time: a.transfer.time,
        to: a.transfer.to,
        amount: a.transfer.value,
      };

/** Validate a rule: one-line message naming the value, or undefined. */
export function checkRule(rule: CandidateRule): string | undefined {
  const { feeMinBps: lo, feeMaxBps: hi, windowSeconds: w } = rule;
  if (!Number.isInteger(lo) || lo < 0 || lo > 10000)
    return `fee minimum ${lo} bps is not an integer from 0 to 10000`;
  if (!Number.isInteger(hi) || hi < lo || hi > 10000)
    return `fee maximum ${hi} bps is not an integer from ${lo} to 10000`;
  if (!Number.isInteger(w) || w <= 0) return `time window ${w} s is not a positive whole number of seconds`;
  return undefined;
}

/**
 * Candidate destination legs of `out` among `arrivals`, best first (medium before low, then the
 * shortest delay, then chain/tx/index). `outTime` defaults to the deposit's block time; without a
 * time there is no window and so no candidate.
 */
export function bridgeCandidates(
  out: BridgeOut,
  arrivals: readonly Arrival[],
  rule: CandidateRule,
  outTime: string | null = out.ref.time ?? null,
): BridgeCandidate[] {
  const bad = checkRule(rule);
  if (bad !== undefined) throw new RangeError(bad);
  if (outTime === null) return [];
  const t0 = Date.parse(outTime);
  if (Number.isNaN(t0)) return [];
  const expected = out.outAmount ?? out.amount;
  const lo = expected * BigInt(10000 - rule.feeMaxBps);
  const hi = expected * BigInt(10000 - rule.feeMinBps);
  const found: BridgeCandidate[] = [];
  for (const a of arrivals) {
    const f = flat(a);
    if (out.destChain !== null && f.chain !== out.destChain) continue;
    if (f.chain === out.ref.chain && f.tx === out.ref.tx) continue;
    if (f.time === null) continue;
    const t = Date.parse(f.time);
    if (Number.isNaN(t)) continue;
    const delay = (t - t0) / 1000;
    if (delay < 0 || delay > rule.windowSeconds) continue;
    const scaled = f.amount * 10000n;
    if (scaled < lo || scaled > hi) continue;
    let confidence: 'medium' | 'low';
    if (out.recipient !== null) {
      if (f.to === null || f.to.toLowerCase() !== out.recipient.toLowerCase()) continue;
      confidence = 'medium';
    } else confidence = 'low';
    const who =
      out.recipient !== null ? `to the named recipient ${out.recipient}` : 'the deposit names no recipient';
    found.push({
      arrival: a,
      confidence,
      delaySeconds: delay,
      rule: `heuristic, not a protocol link: ${f.amount} arrived ${delay} s after the deposit (window ${rule.windowSeconds} s), within ${rule.feeMinBps}–${rule.feeMaxBps} bps below the expected ${expected}; ${who}`,
    });
  }
  const rank = (c: BridgeCandidate) => (c.confidence === 'medium' ? 0 : 1);
  return found.sort((a, b) => {
    const fa = flat(a.arrival);
    const fb = flat(b.arrival);
    return (
      rank(a) - rank(b) ||
      a.delaySeconds - b.delaySeconds ||
      (fa.chain < fb.chain ? -1 : fa.chain > fb.chain ? 1 : 0) ||
      (fa.tx < fb.tx ? -1 : fa.tx > fb.tx ? 1 : 0) ||
      fa.index - fb.index
    );
  });
}
