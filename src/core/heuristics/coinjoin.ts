// CoinJoin detection: does a transaction look like a collaborative mix? A detected CoinJoin stops
// the deterministic trace (taint-vectors.md V6): spreading taint over the other participants'
// outputs, or clustering the inputs as one owner, would be wrong.
//
// Rules, tried from the most specific to the most generic; the first that matches is reported
// with its evidence (what was counted). Every rule can be switched off.
//
// | rule          | matches                                                                       | source |
// |---------------|-------------------------------------------------------------------------------|--------|
// | whirlpool     | n inputs → n outputs, 5 ≤ n ≤ 8, every output exactly one pool denomination   | Samourai Whirlpool docs (pools 0.5, 0.05, 0.01 BTC; 0.001 BTC added 2021); "surge cycles" of 6–8 since 2023 (Plan ₿ Academy course on Whirlpool); Stockinger et al. 2021, "Pinpointing and Measuring Wasabi and Samourai CoinJoins" (arXiv 2109.10229) |
// |               | (0.001/0.01/0.05/0.5 BTC), each input ≥ the denomination and below it plus   | |
// |               | 10 % + 10 000 sat (premix miner-fee allowance), all addresses distinct        | |
// | wasabi2       | ≥ 50 inputs, ≥ 75 % of the outputs on WabiSabi standard denominations        | Wasabi 2.0 docs (standard denominations; coordinator minimum of inputs); Schnoering & Vazirgiannis 2023, "Heuristics for Detecting CoinJoin Transactions on the Bitcoin Blockchain" (arXiv 2311.12491) |
// |               | (2ⁿ, 3ⁿ, 2·3ⁿ, 10ⁿ, 2·10ⁿ, 5·10ⁿ sat, ≥ 5 000 sat), one of them repeated      | |
// | wasabi1       | ≥ 10 equal outputs of ≈ 0.1 BTC (± 5 %, the ZeroLink base denomination) and  | Wasabi 1.x ZeroLink docs; Stockinger et al. 2021; GraphSense coinjoin heuristics |
// |               | at least as many inputs (mixing levels 2ⁱ × base are reported as evidence)    | |
// | joinmarket    | k ≥ N equal outputs (the most frequent value), at most k other outputs (one   | JoinMarket docs (maker/taker: every participant gets the CoinJoin amount, makers and the taker at most one change each); Möser & Narayanan 2022, "Resurrecting Address Clustering in Bitcoin" (FC 2022) |
// |               | change per participant), ≥ k inputs from ≥ k addresses                        | |
// | equal-outputs | ≥ N equal-valued outputs to distinct addresses that are not input addresses,  | the generic equal-output rule: Meiklejohn et al. 2013, "A Fistful of Bitcoins" (IMC) §4 notes mixes break co-spend; Ermilov et al. 2017, "Automatic Bitcoin Address Clustering" (ICMLA) |
// |               | and ≥ N inputs from ≥ 2 addresses                                             | |
//
// N (`minEqual`) defaults to 3 and is never below 2. Known false positives: an exchange batch
// payout funded by several inputs that happens to pay N equal (round) amounts matches
// `equal-outputs`; switch that rule off (or raise N) when tracing through a known service.
import { formatUnits } from '../amount.js';
import type { UtxoTx } from '../model.js';

export type CoinjoinRule = 'whirlpool' | 'wasabi2' | 'wasabi1' | 'joinmarket' | 'equal-outputs';

export const COINJOIN_RULES: readonly CoinjoinRule[] = [
  'whirlpool',
  'wasabi2',
  'wasabi1',
  'joinmarket',
  'equal-outputs',
];

export interface CoinjoinOptions {
  /** N of the generic and JoinMarket rules: equal outputs (and inputs) needed; default 3, minimum 2. */
  minEqual?: number;
  /** Rules to apply, default all (order of evaluation is fixed, see the table above). */
  rules?: readonly CoinjoinRule[];
}

export interface CoinjoinMatch {
  rule: CoinjoinRule;
  /** What was counted, in one line (goes into the finding and the `mixer` terminal's note). */
  evidence: string;
}

/** Whirlpool pool denominations in sat: 0.001, 0.01, 0.05, 0.5 BTC. */
export const WHIRLPOOL_POOLS: readonly bigint[] = [100_000n, 1_000_000n, 5_000_000n, 50_000_000n];
const WASABI1_BASE = 10_000_000n; // 0.1 BTC
const WASABI1_MIN_EQUAL = 10;
const WASABI2_MIN_INPUTS = 50;
const WASABI2_MIN_STANDARD_SHARE = 0.75;
const WASABI2_MIN_DENOMINATION = 5_000n;
const WASABI2_MAX_DENOMINATION = 4_300_000_000_000n; // 43 000 BTC

const btc = (v: bigint) => formatUnits(v, 8);

/** WabiSabi standard denominations: 2ⁿ, 3ⁿ, 2·3ⁿ, 10ⁿ, 2·10ⁿ, 5·10ⁿ sat within [5 000 sat, 43 000 BTC]. */
export const WASABI2_DENOMINATIONS: ReadonlySet<bigint> = (() => {
  const s = new Set<bigint>();
  const add = (v: bigint) => {
    if (v >= WASABI2_MIN_DENOMINATION && v <= WASABI2_MAX_DENOMINATION) s.add(v);
  };
  for (let v = 1n; v <= WASABI2_MAX_DENOMINATION; v *= 2n) add(v);
  for (let v = 1n; v <= WASABI2_MAX_DENOMINATION; v *= 3n) {
    add(v);
    add(2n * v);
  }
  for (let v = 1n; v <= WASABI2_MAX_DENOMINATION; v *= 10n) {
    add(v);
    add(2n * v);
    add(5n * v);
  }
  return s;
})();

interface Shape {
  tx: UtxoTx;
  nIn: number;
  /** Outputs that carry value (zero-value OP_RETURN markers are left out). */
  outs: UtxoTx['outputs'];
  /** value → count, over `outs`. */
  groups: Map<bigint, number>;
  /** The most frequent output value (ties: the larger value) and its count. */
  top: { value: bigint; count: number };
  inputAddresses: Set<string>;
}

function shape(tx: UtxoTx): Shape {
  const outs = tx.outputs.filter((o) => o.value > 0n);
  const groups = new Map<bigint, number>();
  for (const o of outs) groups.set(o.value, (groups.get(o.value) ?? 0) + 1);
  let top = { value: 0n, count: 0 };
  for (const [value, count] of groups) {
    if (count > top.count || (count === top.count && value > top.value)) top = { value, count };
  }
  const inputAddresses = new Set<string>();
  for (const i of tx.inputs) if (i.address !== null) inputAddresses.add(i.address);
  return { tx, nIn: tx.inputs.length, outs, groups, top, inputAddresses };
}

/** Do the outputs of value `v` pay distinct addresses, none of them an input address? */
function distinctPayees(s: Shape, v: bigint): boolean {
  const seen = new Set<string>();
  for (const o of s.outs) {
    if (o.value !== v) continue;
    if (o.address === null || seen.has(o.address) || s.inputAddresses.has(o.address)) return false;
    seen.add(o.address);
  }
  return true;
}

function whirlpool(s: Shape): string | null {
  const n = s.nIn;
  if (n < 5 || n > 8 || s.tx.outputs.length !== n || s.outs.length !== n) return null;
  const d = s.top.value;
  if (s.top.count !== n || !WHIRLPOOL_POOLS.includes(d)) return null;
  const allowance = d / 10n + 10_000n;
  for (const i of s.tx.inputs) if (i.value < d || i.value > d + allowance) return null;
  if (s.inputAddresses.size !== n || !distinctPayees(s, d)) return null;
  const values = s.tx.inputs.map((i) => i.value);
  const lo = values.reduce((a, v) => (v < a ? v : a));
  const hi = values.reduce((a, v) => (v > a ? v : a));
  const range = lo === hi ? btc(lo) : `${btc(lo)}–${btc(hi)}`;
  return `whirlpool: ${n} inputs of ${range} BTC (pool size plus at most ${btc(allowance)} for fees) → ${n} × ${btc(d)} BTC to distinct addresses (Whirlpool pool ${btc(d)} BTC: one input and one equal output per participant)`;
}

function wasabi2(s: Shape): string | null {
  if (s.nIn < WASABI2_MIN_INPUTS || s.outs.length === 0) return null;
  let standard = 0;
  let repeated = 0;
  for (const [v, c] of s.groups) {
    if (!WASABI2_DENOMINATIONS.has(v)) continue;
    standard += c;
    if (c >= 2) repeated++;
  }
  if (repeated === 0 || standard < WASABI2_MIN_STANDARD_SHARE * s.outs.length) return null;
  const pct = Math.floor((100 * standard) / s.outs.length);
  return `wasabi2: ${s.nIn} inputs, ${standard} of ${s.outs.length} outputs (${pct} %) on WabiSabi standard denominations, ${repeated} of them repeated`;
}

function wasabi1(s: Shape): string | null {
  // The base denomination is the most frequent value near 0.1 BTC.
  let base: { value: bigint; count: number } | undefined;
  for (const [value, count] of s.groups) {
    const near = value * 100n >= WASABI1_BASE * 95n && value * 100n <= WASABI1_BASE * 105n;
    if (near && (!base || count > base.count)) base = { value, count };
  }
  if (!base || base.count < WASABI1_MIN_EQUAL || s.nIn < base.count) return null;
  const levels: string[] = [];
  for (let m = 2n; m <= 64n; m *= 2n) {
    for (const [value, count] of s.groups) {
      // mixing level 2ⁱ × base (the coordinator subtracts fees, so allow ±1 %)
      const target = base.value * m;
      if (count >= 2 && value * 100n >= target * 99n && value * 100n <= target * 101n) {
        levels.push(`${count} × ${btc(value)}`);
      }
    }
  }
  const extra = levels.length > 0 ? `, mixing levels ${levels.join(', ')}` : '';
  return `wasabi1: ${base.count} equal outputs of ${btc(base.value)} BTC (ZeroLink denomination ≈ 0.1 BTC)${extra}, ${s.nIn} inputs`;
}

function joinmarket(s: Shape, n: number): string | null {
  const { value: v, count: k } = s.top;
  if (k < n) return null;
  const others = s.outs.length - k;
  if (others > k || s.nIn < k || s.inputAddresses.size < k || !distinctPayees(s, v)) return null;
  return `joinmarket: ${k} equal outputs of ${btc(v)} BTC, ${others} other output(s) (at most one change per participant), ${s.nIn} inputs from ${s.inputAddresses.size} addresses`;
}

function equalOutputs(s: Shape, n: number): string | null {
  const { value: v, count: k } = s.top;
  if (k < n || s.nIn < n || s.inputAddresses.size < 2 || !distinctPayees(s, v)) return null;
  return `equal-outputs: ${k} outputs of ${btc(v)} BTC to distinct addresses, ${s.nIn} inputs from ${s.inputAddresses.size} addresses (≥ ${n} equal outputs and ≥ ${n} inputs)`;
}

/** Does the transaction look like a CoinJoin? The first matching rule and its evidence, or null. */
export function detectCoinjoin(tx: UtxoTx, options: CoinjoinOptions = {}): CoinjoinMatch | null {
  if (tx.inputs.length < 2 || tx.outputs.length < 2) return null;
  const n = Math.max(2, Math.floor(options.minEqual ?? 3));
  const on = new Set(options.rules ?? COINJOIN_RULES);
  const s = shape(tx);
  const tries: [CoinjoinRule, () => string | null][] = [
    ['whirlpool', () => whirlpool(s)],
    ['wasabi2', () => wasabi2(s)],
    ['wasabi1', () => wasabi1(s)],
    ['joinmarket', () => joinmarket(s, n)],
    ['equal-outputs', () => equalOutputs(s, n)],
  ];
  for (const [rule, test] of tries) {
    if (!on.has(rule)) continue;
    const evidence = test();
    if (evidence !== null) return { rule, evidence };
  }
  return null;
}
