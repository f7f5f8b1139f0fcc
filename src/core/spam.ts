// Address poisoning: attackers send zero-value or dust transfers from addresses that share the
// first and last characters of an address the victim uses, hoping it gets copied from history.
// Zero-value transfers never create nodes (engine); dust is not followed backward; look-alikes of
// traced addresses are reported as warnings.

/** Characters compared at each end, after `0x` or TRON's fixed `T` (what wallets show in shortened addresses). */
export const LOOKALIKE_CHARS = 4;

const ends = (a: string) => {
  // EVM hex is case-insensitive; base58 (TRON) is not, and its leading T is the same for every
  // address, so the compared characters start after it.
  const h = a.startsWith('0x') ? a.toLowerCase().slice(2) : /^T.{33}$/.test(a) ? a.slice(1) : a;
  return `${h.slice(0, LOOKALIKE_CHARS)}…${h.slice(-LOOKALIKE_CHARS)}`;
};

/** Pairs (look-alike, traced) where the look-alike shares both ends with a traced address. */
export function findLookalikes(traced: Iterable<string>, seen: Iterable<string>): [string, string][] {
  const byEnds = new Map<string, string[]>();
  const tracedSet = new Set<string>();
  for (const a of traced) {
    tracedSet.add(a);
    const k = ends(a);
    const l = byEnds.get(k);
    if (l) l.push(a);
    else byEnds.set(k, [a]);
  }
  const out: [string, string][] = [];
  // Only look-alikes are remembered: `seen` can be every party of 400 000 transfers.
  const done = new Set<string>();
  for (const s of seen) {
    if (tracedSet.has(s)) continue;
    const l = byEnds.get(ends(s));
    if (!l || done.has(s)) continue;
    done.add(s);
    for (const t of l) out.push([s, t]);
  }
  return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : 1));
}

/** Both parties of each transfer read (a fee has no receiver), without collecting them. */
export function* partiesOf(
  ledgers: Iterable<readonly { from: string; to: string | null }[]>,
): Generator<string> {
  for (const l of ledgers)
    for (const t of l) {
      yield t.from;
      if (t.to !== null) yield t.to;
    }
}

export function lookalikeWarnings(pairs: [string, string][]): string[] {
  return pairs.map(
    ([s, t]) =>
      `possible address poisoning: ${s} looks like traced address ${t} (same first and last ${LOOKALIKE_CHARS} characters); check every copied address in full`,
  );
}

/** Default dust threshold: one ten-thousandth of a whole unit of the asset. */
export const defaultDust = (decimals: number) => (decimals >= 4 ? 10n ** BigInt(decimals - 4) : 1n);
