// Join bridge deposits (BridgeOut) to their destination legs (BridgeIn) by the protocol's own
// identifier, and nothing else: a null key never links (heuristics live in candidates.ts).
//
// A key links only when exactly one deposit and exactly one destination leg carry it and they
// agree. What is compared (each failure is a problem, and neither side is linked):
//  - the destination leg's own statement of the deposit (Across fills repeat inputAmount and
//    inputToken; a CCTP mint's burn message repeats the burnt amount) must equal the deposit;
//  - the delivered amount must not exceed what the deposit promised: the deposit's `outAmount`
//    when it names one (Across outputAmount, Stargate amountReceivedLD), else the deposited amount
//    itself (CCTP burns and mints the same USDC 1:1; a Hop bridge moves one asset 1:1). Both are
//    base units of the same asset, so no decimals conversion is involved;
//  - the chains: the deposit's destination chain (when known) must be the chain of the
//    destination leg, and the destination leg's origin chain (when known) the deposit's chain.
// Two destination legs claiming one deposit: a problem for each, none linked (both reported in
// unmatchedIns). Two deposits with one key: likewise. The same log given twice counts once.
// Every input appears exactly once in the output: in a link or in an unmatched list.
import type { BridgeIn, BridgeLink, BridgeOut, EventProblem, LogRef } from './types.js';

export interface LinkResult {
  links: BridgeLink[];
  unmatchedOuts: BridgeOut[];
  unmatchedIns: BridgeIn[];
  problems: EventProblem[];
}

const refKey = (r: LogRef) => `${r.chain}\u0000${r.tx}\u0000${String(r.index).padStart(10, '0')}`;
const byRef = (a: { ref: LogRef }, b: { ref: LogRef }) => {
  const x = refKey(a.ref);
  const y = refKey(b.ref);
  return x < y ? -1 : x > y ? 1 : 0;
};
const where = (r: LogRef) => `${r.chain} tx ${r.tx} log ${r.index}`;

function unique<T extends { ref: LogRef }>(xs: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const x of xs) if (!seen.has(refKey(x.ref))) seen.set(refKey(x.ref), x);
  return [...seen.values()].sort(byRef);
}

function groupByKey<T extends { key: string | null }>(xs: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    if (x.key === null) continue;
    const list = m.get(x.key) ?? [];
    list.push(x);
    m.set(x.key, list);
  }
  return m;
}

const sameToken = (a: string | null | undefined, b: string | null | undefined) =>
  (a ?? 'native').toLowerCase() === (b ?? 'native').toLowerCase();

/** Why `inn` cannot be the destination of `out`, or undefined when they agree. */
export function disagreement(out: BridgeOut, inn: BridgeIn): string | undefined {
  if (inn.depositAmount !== undefined && inn.depositAmount !== out.amount)
    return `the destination leg names a deposit of ${inn.depositAmount}, the deposit was ${out.amount}`;
  // Across repeats the input token as an address on the origin chain: it must be the deposited one.
  if (
    inn.depositToken !== undefined &&
    out.token !== null &&
    inn.depositToken !== null &&
    !sameToken(inn.depositToken, out.token)
  )
    return `the destination leg names deposit token ${inn.depositToken}, the deposit was of ${out.token}`;
  const promised = out.outAmount ?? out.amount;
  if (inn.amount > promised)
    return `the destination leg delivers ${inn.amount}, more than the deposit's ${out.outAmount !== undefined ? 'promised output' : 'amount'} ${promised}`;
  if (out.destChain !== null && out.destChain !== inn.ref.chain)
    return `the deposit goes to ${out.destChain}, the destination leg is on ${inn.ref.chain}`;
  if (inn.originChain !== null && inn.originChain !== out.ref.chain)
    return `the destination leg comes from ${inn.originChain}, the deposit is on ${out.ref.chain}`;
  return undefined;
}

export function linkBridges(outs: readonly BridgeOut[], ins: readonly BridgeIn[]): LinkResult {
  const o = unique(outs);
  const i = unique(ins);
  const outsByKey = groupByKey(o);
  const insByKey = groupByKey(i);
  const links: BridgeLink[] = [];
  const linked = new Set<object>();
  const problems: EventProblem[] = [];

  for (const [key, os] of [...outsByKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const is = insByKey.get(key) ?? [];
    if (os.length > 1) {
      for (const x of os)
        problems.push({
          ref: x.ref,
          message: `${os.length} deposits claim key ${key} (${os.map((y) => where(y.ref)).join('; ')}): none linked`,
        });
      continue;
    }
    const out = os[0]!;
    if (is.length === 0) continue;
    if (is.length > 1) {
      for (const x of is)
        problems.push({
          ref: x.ref,
          message: `${is.length} destination legs claim the deposit ${key} at ${where(out.ref)} (${is.map((y) => where(y.ref)).join('; ')}): none linked`,
        });
      continue;
    }
    const inn = is[0]!;
    const why = disagreement(out, inn);
    if (why !== undefined) {
      problems.push({ ref: inn.ref, message: `${key}: ${why}: not linked` });
      continue;
    }
    links.push({ out, in: inn });
    linked.add(out).add(inn);
  }
  problems.sort((a, b) => byRef(a, b) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return {
    links,
    unmatchedOuts: o.filter((x) => !linked.has(x)),
    unmatchedIns: i.filter((x) => !linked.has(x)),
    problems,
  };
}
