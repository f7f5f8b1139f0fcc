// Conversions inside one transaction (swaps, wrapping): where a traced address gives one asset and
// gets another in the same transaction, with a swap or wrap event as evidence, the trace continues
// in the asset it got. Pure: the engine hands in the transaction's transfers and decoded events.
//
// Recognised (README "Conversions and bridges"): in transaction T, address X
//   - sends asset A (its transfers of A out of X in T, plus a wrapped-native burn of X), and
//   - receives asset B ≠ A (net of what it sent of B in T, plus a wrapped-native mint to X),
//   - exactly one such A and one such B (net of each asset over X's transfers in T, fees excluded),
//   - and T holds evidence: a Uniswap V2/V3-style Swap event (any pool), or a Deposit/Withdrawal of a
//     registered wrapped-native contract naming X.
// Everything X sent of A in T counts as converted (a refund of A in T comes back as a normal
// credit). Not recognised: a transfer to a pool without such an event; a swap whose output goes to
// another address; liquidity adds/removes (two assets in or out); those stay asset-true.
import { apportion } from '../amount.js';
import type { DecodedEvent, LogRef } from '../events/types.js';
import type { Transfer } from '../model.js';
import type { Model, Seg, Taint } from '../taint.js';
import { transferId } from './common.js';

export interface Conversion {
  tx: string;
  height: number | null;
  position: number | null;
  time: string | null;
  /** Sorts right after the last transfer of T that touches X (so X's credits of B are in). */
  index: number;
  address: string;
  via: 'swap' | 'wrap' | 'unwrap';
  fromAsset: string;
  /** Everything X sent of A in T (transfers plus a wrapped-native burn). */
  fromAmount: bigint;
  toAsset: string;
  /** What X got of B in T, net. */
  toAmount: bigint;
  /** X's transfers of A in T: their taint goes into the conversion, not to the pool. */
  absorbed: string[];
  /** Wrapped-native burn (unwrap): debited from X's A at the conversion (no Transfer event exists). */
  burn: bigint;
  /** Wrapped-native mint (wrap): credited to X's B at the conversion (no Transfer event exists). */
  mint: bigint;
  evidence: LogRef[];
}

/** Why a transaction with evidence was not taken as a conversion for X (a finding, for the reader). */
export interface NotConverted {
  tx: string;
  address: string;
  reason: string;
  evidence: LogRef[];
}

/**
 * The conversion X makes in transaction T, if any. `assetOfToken` maps a wrapped-native contract
 * to the view's asset key for it; `native` is the native asset key.
 */
export function detectConversion(
  address: string,
  transfers: readonly Transfer[],
  events: readonly DecodedEvent[],
  native: string,
  assetOfToken: (contract: string) => string,
): { conversion?: Conversion; skipped?: NotConverted } {
  const swaps = events.filter((e) => e.kind === 'swap');
  const wraps = events.filter(
    (e): e is Extract<DecodedEvent, { kind: 'wrap' | 'unwrap' }> =>
      (e.kind === 'wrap' || e.kind === 'unwrap') && e.account === address,
  );
  if (swaps.length === 0 && wraps.length === 0) return {};
  const evidence = [...swaps, ...wraps].map((e) => e.ref).sort((a, b) => a.index - b.index);
  const tx = transfers[0]?.tx ?? evidence[0]!.tx;
  const net = new Map<string, bigint>();
  const add = (asset: string, v: bigint) => net.set(asset, (net.get(asset) ?? 0n) + v);
  let last = -1;
  let mint = 0n;
  let burn = 0n;
  let mintAsset: string | undefined;
  let burnAsset: string | undefined;
  for (const t of transfers) {
    if (t.kind === 'fee' || t.value === 0n || t.from === t.to) continue;
    if (t.from === address) add(t.asset, -t.value);
    else if (t.to === address) add(t.asset, t.value);
    else continue;
    if (t.index > last) last = t.index;
  }
  for (const w of wraps) {
    const key = assetOfToken(w.token);
    if (w.kind === 'wrap') {
      add(key, w.value);
      mint += w.value;
      mintAsset = key;
    } else {
      add(key, -w.value);
      burn += w.value;
      burnAsset = key;
    }
    if (w.ref.index > last) last = w.ref.index;
  }
  const given = [...net].filter(([, v]) => v < 0n).map(([a]) => a);
  const got = [...net].filter(([, v]) => v > 0n).map(([a]) => a);
  const skip = (reason: string) => ({ skipped: { tx, address, reason, evidence } });
  if (given.length !== 1 || got.length !== 1) {
    const list = (l: string[]) => (l.length === 0 ? 'nothing' : l.sort().join(', '));
    return skip(
      `gave ${list(given)} and got ${list(got)} in this transaction: a conversion is one asset in and one out`,
    );
  }
  const from = given[0]!;
  const to = got[0]!;
  // A wrap mints the wrapped token from the native asset; an unwrap the reverse. A mint or burn of
  // another pair of assets would be a different contract's doing: not this conversion.
  if (
    (mint > 0n && (mintAsset !== to || from !== native)) ||
    (burn > 0n && (burnAsset !== from || to !== native))
  )
    return skip('a wrap or unwrap event does not match the assets that moved');
  const absorbed: string[] = [];
  let sent = 0n;
  for (const t of transfers) {
    if (t.kind === 'fee' || t.value === 0n || t.from === t.to) continue;
    if (t.from === address && t.asset === from) {
      absorbed.push(transferId(t));
      sent += t.value;
    }
  }
  const first = transfers[0];
  return {
    conversion: {
      tx,
      height: first?.height ?? null,
      position: first?.position ?? null,
      time: first?.time ?? null,
      index: last + 0.5,
      address,
      via: swaps.length > 0 ? 'swap' : mint > 0n ? 'wrap' : 'unwrap',
      fromAsset: from,
      fromAmount: sent + burn,
      toAsset: to,
      toAmount: net.get(to)!,
      absorbed,
      burn,
      mint,
      evidence,
    },
  };
}

/**
 * Taint of what came out of a conversion, from the taint of what went in (taint-vectors page,
 * "Conversions"): poison — all of it if any went in tainted; haircut — the tainted share, out ×
 * τ / in, split by the largest-remainder rule; fifo — the runs that went in, in order, each scaled
 * to out by the same rule (so the tainted runs land where they were in the order).
 */
export function convertTaint(model: Model, taint: Taint, inAmount: bigint, outAmount: bigint): Taint {
  if (model === 'poison') return { amount: taint.amount > 0n ? outAmount : 0n };
  if (inAmount === 0n || outAmount === 0n)
    return model === 'fifo' ? { amount: 0n, segs: [] } : { amount: 0n };
  if (model === 'haircut') {
    const [t] = apportion(outAmount, [taint.amount, inAmount - taint.amount]);
    return { amount: t! };
  }
  const segs: Seg[] = taint.segs ?? [{ t: taint.amount > 0n, n: inAmount }];
  const lens = apportion(
    outAmount,
    segs.map((s) => s.n),
  );
  const out: Seg[] = [];
  let amount = 0n;
  segs.forEach((s, i) => {
    const n = lens[i]!;
    if (n === 0n) return;
    const last = out[out.length - 1];
    if (last && last.t === s.t) last.n += n;
    else out.push({ t: s.t, n });
    if (s.t) amount += n;
  });
  return { amount, segs: out };
}

/** Concatenate the taint of consecutive movements (fifo keeps their order). */
export function joinTaint(model: Model, parts: readonly { value: bigint; taint: Taint }[]): Taint {
  const amount = parts.reduce((a, p) => a + p.taint.amount, 0n);
  if (model !== 'fifo') return { amount };
  const segs: Seg[] = [];
  for (const p of parts) {
    for (const s of p.taint.segs ?? [{ t: p.taint.amount > 0n, n: p.value }]) {
      if (s.n <= 0n) continue;
      const last = segs[segs.length - 1];
      if (last && last.t === s.t) last.n += s.n;
      else segs.push({ t: s.t, n: s.n });
    }
  }
  return { amount, segs };
}
