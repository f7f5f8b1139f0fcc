// Exchange deposit addresses: an unlabelled address that forwards nearly everything it receives to
// one labelled exchange wallet, each time shortly after receiving it, is that exchange's deposit
// address (the sweep pattern of custodial exchanges). A forward trace treats it as an exit to the
// exchange, with the forwarding transactions as evidence.
import type { Label, Transfer } from './model.js';
import type { LabelPolicy } from './trace-types.js';

export interface DepositRule {
  /** Share of everything received that must go on to the one exchange, in millionths. */
  minSharePpm: bigint;
  /** Longest delay between a receipt and the forward that sweeps it, in seconds. */
  windowSeconds: number;
}

export const DEFAULT_DEPOSIT_RULE: DepositRule = { minSharePpm: 950_000n, windowSeconds: 3 * 24 * 3600 };

export interface DepositEvidence {
  label: Label;
  /** The labelled exchange wallet that received the sweeps. */
  wallet: string;
  received: bigint;
  forwarded: bigint;
  txs: string[];
}

const seconds = (t: Transfer) => (t.time ? Date.parse(t.time) / 1000 : Number.NaN);

export function detectDeposit(
  address: string,
  ledger: readonly Transfer[],
  policy: LabelPolicy,
  rule: DepositRule = DEFAULT_DEPOSIT_RULE,
): DepositEvidence | null {
  if (policy.labelsOf(address).length > 0) return null;
  let received = 0n;
  let lastCredit = Number.NaN;
  const toWallet = new Map<string, { forwarded: bigint; txs: string[]; label: Label }>();
  for (const t of ledger) {
    if (t.value === 0n || t.from === t.to) continue;
    if (t.to === address) {
      received += t.value;
      lastCredit = seconds(t);
      continue;
    }
    if (t.from !== address || t.to === null) continue;
    const labels = policy.labelsOf(t.to);
    const p = policy.primary(labels);
    if (p?.category !== 'exchange') continue;
    // Paying into a (labelled) deposit address is what customers do, not what deposit addresses do:
    // deposit addresses sweep to the exchange's own wallets.
    if (labels.some((l) => /deposit/i.test(l.note ?? ''))) continue;
    // A forward long after the last receipt is not a sweep.
    if (!(seconds(t) - lastCredit <= rule.windowSeconds)) continue;
    const w = toWallet.get(p.entity) ?? { forwarded: 0n, txs: [], label: p };
    w.forwarded += t.value;
    w.txs.push(t.tx);
    toWallet.set(p.entity, w);
  }
  if (received === 0n) return null;
  for (const [, w] of [...toWallet].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (w.forwarded * 1_000_000n >= received * rule.minSharePpm) {
      return { label: w.label, wallet: w.label.address, received, forwarded: w.forwarded, txs: w.txs };
    }
  }
  return null;
}
