// Change-output detection: which output of a transaction returns value to the sender? Used by
// clustering (the change address belongs to the spender) and to follow the continuation of a
// payer's funds (peel chains). Each rule votes for one output and leaves a sentence of evidence.
//
// | rule              | votes for                                                          | source |
// |-------------------|--------------------------------------------------------------------|--------|
// | address-reuse     | the one output paying an address that is also an input ("self-     | Meiklejohn et al. 2013, "A Fistful of Bitcoins" (IMC), self-change; observed, not inferred |
// |                   | change")                                                           | |
// | script-type       | the one output whose script type (from the address form) equals    | Möser & Narayanan 2022, "Resurrecting Address Clustering in Bitcoin" (FC), address-type heuristic; Ermilov et al. 2017 (ICMLA) |
// |                   | the type of every input, when the other output's type differs      | |
// | optimal-change    | the one output smaller than every input (had the change been      | Nick 2015, "Data-Driven De-Anonymization in Bitcoin" (ETH MSc), optimal change; Möser & Narayanan 2022 |
// |                   | larger than an input, that input would not have been needed)       | |
// | unnecessary-input | two outputs: when one of them could have been paid without the     | Möser & Narayanan 2022 / BlockSci "unnecessary input"; Kappos et al. 2022, "How to Peel a Million" (USENIX Security) |
// |                   | smallest input, it is not the payment: the other one is, and this  | |
// |                   | one is change (in practice the larger output is the payment)       | |
// | round-payment     | two outputs: the other output is round in BTC (a whole number of    | Androulaki et al. 2013 (FC); Meiklejohn et al. 2013; Möser & Narayanan 2022 |
// |                   | 0.0001 BTC units at most four decimals) and this one is not        | |
// | fresh-address     | the one output whose address was never seen before this            | Meiklejohn et al. 2013, heuristic 2 (one-time change address) |
// |                   | transaction, when the other outputs' addresses were (and no output | |
// |                   | pays an input address: with self-change the rule abstains)          | |
//
// Votes are combined: the output with the most votes wins if no other output has as many.
// Confidence: high = self-change, or ≥ 3 agreeing rules with none against; medium = 2 agreeing
// rules (or more, with a dissent); low = one rule. CoinJoins, coinbase and one-output
// transactions have no change (null).
import { formatUnits } from '../amount.js';
import type { UtxoTx } from '../model.js';
import { detectCoinjoin } from './coinjoin.js';
import { scriptTypeOf } from './script-type.js';

export type ChangeRule =
  | 'address-reuse'
  | 'script-type'
  | 'optimal-change'
  | 'unnecessary-input'
  | 'round-payment'
  | 'fresh-address';

export const CHANGE_RULES: readonly ChangeRule[] = [
  'address-reuse',
  'script-type',
  'optimal-change',
  'unnecessary-input',
  'round-payment',
  'fresh-address',
];

export interface ChangeContext {
  /**
   * Was the address seen in the data before this transaction (paid or spending earlier)?
   * undefined = unknown (the `fresh-address` rule then abstains). Omit to skip the rule.
   */
  seenBefore?(address: string, tx: UtxoTx): boolean | undefined;
  /** Rules to apply (default all). */
  rules?: readonly ChangeRule[];
}

export interface ChangeGuess {
  vout: number;
  confidence: 'high' | 'medium' | 'low';
  /** The rules that voted for this output. */
  rules: ChangeRule[];
  /** One sentence per rule that voted (for it or against it). */
  evidence: string[];
  /** Rules that voted for another output. */
  against: ChangeRule[];
}

/** Round: a whole number of 0.0001 BTC (10 000 sat), i.e. at most four decimals in BTC. */
const ROUND_UNIT = 10_000n;
const isRound = (v: bigint) => v > 0n && v % ROUND_UNIT === 0n;
const btc = (v: bigint) => formatUnits(v, 8);

interface Vote {
  rule: ChangeRule;
  vout: number;
  evidence: string;
}

/** The likely change output of `tx`, with the rules that point to it; null when undecided. */
export function guessChange(tx: UtxoTx, context: ChangeContext = {}): ChangeGuess | null {
  if (tx.inputs.length === 0) return null;
  // Candidate outputs: spendable (with an address) and carrying value.
  const cands = tx.outputs
    .map((o, vout) => ({ ...o, vout }))
    .filter((o): o is { address: string; value: bigint; vout: number } => o.address !== null && o.value > 0n);
  if (cands.length < 2) return null;
  if (detectCoinjoin(tx)) return null;
  const on = new Set(context.rules ?? CHANGE_RULES);
  const votes: Vote[] = [];
  const inAddrs = new Set(tx.inputs.map((i) => i.address).filter((a): a is string => a !== null));
  const fee = tx.inputs.reduce((a, i) => a + i.value, 0n) - tx.outputs.reduce((a, o) => a + o.value, 0n);

  if (on.has('address-reuse')) {
    const self = cands.filter((o) => inAddrs.has(o.address));
    if (self.length === 1 && self[0]) {
      votes.push({
        rule: 'address-reuse',
        vout: self[0].vout,
        evidence: `output ${self[0].vout} pays ${self[0].address}, which is also an input address (self-change)`,
      });
    }
  }

  if (on.has('script-type')) {
    const inTypes = new Set(tx.inputs.map((i) => scriptTypeOf(i.address)));
    const [only] = inTypes;
    if (inTypes.size === 1 && only !== undefined && only !== 'unknown') {
      const same = cands.filter((o) => scriptTypeOf(o.address) === only);
      if (same.length === 1 && same[0]) {
        votes.push({
          rule: 'script-type',
          vout: same[0].vout,
          evidence: `output ${same[0].vout} is the only ${only} output, the type of every input`,
        });
      }
    }
  }

  const minIn = tx.inputs.reduce((m, i) => (i.value < m ? i.value : m), tx.inputs[0]!.value);
  if (on.has('optimal-change')) {
    const smaller = cands.filter((o) => o.value < minIn);
    if (smaller.length === 1 && smaller[0]) {
      votes.push({
        rule: 'optimal-change',
        vout: smaller[0].vout,
        evidence: `output ${smaller[0].vout} (${btc(smaller[0].value)} BTC) is smaller than every input (smallest ${btc(minIn)} BTC)`,
      });
    }
  }

  if (cands.length === 2) {
    const [a, b] = cands as [(typeof cands)[0], (typeof cands)[0]];
    if (on.has('unnecessary-input') && tx.inputs.length >= 2) {
      const total = tx.inputs.reduce((s, i) => s + i.value, 0n);
      const without = total - minIn;
      // An output could not be the payment if it could have been paid without the smallest input.
      const aPayable = without >= a.value + fee;
      const bPayable = without >= b.value + fee;
      if (aPayable !== bPayable) {
        const change = aPayable ? a : b;
        const payment = aPayable ? b : a;
        votes.push({
          rule: 'unnecessary-input',
          vout: change.vout,
          evidence: `paying output ${change.vout} would not have needed the smallest input (${btc(minIn)} BTC); output ${payment.vout} needs every input, so it is the payment`,
        });
      }
    }
    if (on.has('round-payment') && isRound(a.value) !== isRound(b.value)) {
      const payment = isRound(a.value) ? a : b;
      const change = isRound(a.value) ? b : a;
      votes.push({
        rule: 'round-payment',
        vout: change.vout,
        evidence: `output ${payment.vout} is a round ${btc(payment.value)} BTC (likely the payment); output ${change.vout} (${btc(change.value)} BTC) is not`,
      });
    }
  }

  // Meiklejohn et al.'s condition: no output pays an input address (no self-change).
  if (on.has('fresh-address') && context.seenBefore && !cands.some((o) => inAddrs.has(o.address))) {
    const seen = cands.map((o) => ({ o, s: context.seenBefore!(o.address, tx) }));
    if (seen.every((x) => x.s !== undefined)) {
      const fresh = seen.filter((x) => x.s === false);
      if (fresh.length === 1 && fresh[0]) {
        votes.push({
          rule: 'fresh-address',
          vout: fresh[0].o.vout,
          evidence: `output ${fresh[0].o.vout} pays a fresh address (${fresh[0].o.address}, never seen before); the other outputs' addresses were seen earlier`,
        });
      }
    }
  }

  if (votes.length === 0) return null;
  const tally = new Map<number, Vote[]>();
  for (const v of votes) tally.set(v.vout, [...(tally.get(v.vout) ?? []), v]);
  const ranked = [...tally].sort((x, y) => y[1].length - x[1].length || x[0] - y[0]);
  const [winVout, winVotes] = ranked[0]!;
  if (ranked[1] && ranked[1][1].length === winVotes.length) return null; // a tie: undecided
  const against = votes.filter((v) => v.vout !== winVout);
  const rules = winVotes.map((v) => v.rule);
  let confidence: ChangeGuess['confidence'];
  if (rules.includes('address-reuse') && against.length === 0) confidence = 'high';
  else if (rules.length >= 3 && against.length === 0) confidence = 'high';
  else if (rules.length >= 2) confidence = 'medium';
  else confidence = 'low';
  return {
    vout: winVout,
    confidence,
    rules,
    evidence: [...winVotes, ...against].map((v) =>
      v.vout === winVout ? v.evidence : `against: ${v.evidence}`,
    ),
    against: against.map((v) => v.rule),
  };
}
