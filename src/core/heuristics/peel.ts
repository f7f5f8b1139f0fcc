// Peel-chain detection over a finished trace. A peel chain is a run of one-input/two-output
// transactions in which one output "peels" a small amount off (a payment, a deposit to a
// service) and the other, the remainder, is spent by the next one-input/two-output transaction
// (Meiklejohn et al. 2013, "A Fistful of Bitcoins" §5 — the Silk Road and theft peel chains;
// Kappos et al. 2022, "How to Peel a Million: Validating and Expanding Bitcoin Clusters",
// USENIX Security, which defines them as such 1-in/2-out runs continued by the change).
//
// Pure: reads the outcome's graph (which transactions the trace went through) and the view
// (the transactions and who spent their outputs); never fetches. One finding per chain of at
// least `minLength` transactions (default 3): its length, the total peeled, where each peel went
// (the terminal the trace recorded for that output: exit, flagged, held, cut … or "followed"),
// the remainder at the end, the transactions and the graph edges.
//
// Which output continues: the one spent by the next 1-in/2-out transaction of the trace. When
// both are (a fork), or at the last transaction, the change guess decides (src/core/heuristics/
// change.ts), else the larger output (the remainder is usually the bigger part).
import { formatUnits } from '../amount.js';
import type { UtxoTx } from '../model.js';
import type { Finding, Terminal, TraceOutcome } from '../trace-types.js';
import type { UtxoView } from '../view.js';
import { guessChange } from './change.js';
import { detectCoinjoin } from './coinjoin.js';

export interface PeelOptions {
  /** Shortest chain reported, in transactions (default 3, minimum 2). */
  minLength?: number;
}

export interface PeelStep {
  tx: string;
  /** The peeled output and the continuing one. */
  peel: number;
  rest: number;
}

const isPeelShape = (tx: UtxoTx) =>
  tx.inputs.length === 1 && tx.outputs.length === 2 && tx.outputs.every((o) => o.value > 0n);

/** Which of the two outputs carries on: the change guess, else the larger (ties: output 1). */
function remainderOf(tx: UtxoTx, among: number[] = [0, 1]): number {
  const g = guessChange(tx);
  if (g && among.includes(g.vout)) return g.vout;
  const [a, b] = among as [number, number];
  if (b === undefined) return a;
  return tx.outputs[a]!.value > tx.outputs[b]!.value ? a : b;
}

/** The chains of 1-in/2-out transactions the trace went through, as steps (no length filter). */
export function peelChains(outcome: TraceOutcome, view: UtxoView): PeelStep[][] {
  const txs = new Map<string, UtxoTx>();
  outcome.graph.forEachEdge((_k, e) => {
    if (txs.has(e.tx)) return;
    const r = view.tx(e.tx);
    if (r.status === 'ok' && r.value && isPeelShape(r.value) && !detectCoinjoin(r.value))
      txs.set(e.tx, r.value);
  });
  // next[A] = the peel transaction that spends A's remainder, and which output that is.
  const next = new Map<string, { txid: string; vout: number }>();
  const hasPrev = new Set<string>();
  for (const tx of txs.values()) {
    const spentBy: { vout: number; txid: string }[] = [];
    for (const vout of [0, 1]) {
      const sp = view.spender(tx.txid, vout);
      if (sp.status === 'ok' && sp.value && txs.has(sp.value.txid))
        spentBy.push({ vout, txid: sp.value.txid });
    }
    if (spentBy.length === 0) continue;
    const rest = remainderOf(
      tx,
      spentBy.map((s) => s.vout),
    );
    const chosen = spentBy.find((s) => s.vout === rest) ?? spentBy[0]!;
    next.set(tx.txid, { txid: chosen.txid, vout: chosen.vout });
    hasPrev.add(chosen.txid);
  }
  const chains: PeelStep[][] = [];
  const ordered = [...txs.values()].sort(
    (a, b) =>
      (a.height ?? Number.POSITIVE_INFINITY) - (b.height ?? Number.POSITIVE_INFINITY) ||
      (a.position ?? -1) - (b.position ?? -1) ||
      (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : 0),
  );
  for (const head of ordered) {
    if (hasPrev.has(head.txid)) continue;
    const steps: PeelStep[] = [];
    const seen = new Set<string>();
    for (let tx: UtxoTx | undefined = head; tx && !seen.has(tx.txid); ) {
      seen.add(tx.txid);
      const n = next.get(tx.txid);
      const rest = n ? n.vout : remainderOf(tx);
      steps.push({ tx: tx.txid, peel: 1 - rest, rest });
      tx = n ? txs.get(n.txid) : undefined;
    }
    chains.push(steps);
  }
  return chains;
}

/** One `peel-chain` finding per chain of at least `minLength` transactions in the trace. */
export function detectPeelChains(
  outcome: TraceOutcome,
  view: UtxoView,
  options: PeelOptions = {},
): Finding[] {
  const minLength = Math.max(2, Math.floor(options.minLength ?? 3));
  const { symbol, decimals } = outcome.asset;
  const amt = (v: bigint) => `${formatUnits(v, decimals)} ${symbol}`;
  const byEdge = new Map<string, Terminal[]>();
  for (const t of outcome.terminals) {
    if (t.edge === null) continue;
    byEdge.set(t.edge, [...(byEdge.get(t.edge) ?? []), t]);
  }
  const g = outcome.graph;
  const fate = (key: string): string => {
    const ts = byEdge.get(key);
    if (ts && ts.length > 0) {
      return ts
        .map((t) => {
          if (t.kind === 'exit' || t.kind === 'flagged')
            return `${t.kind}: ${t.entity ?? 'labelled'}${t.category ? ` (${t.category})` : ''}, hop ${t.hop}`;
          if (t.kind === 'cut') return `cut by ${t.reason ?? 'a limit'}, hop ${t.hop}`;
          return `${t.kind}, hop ${t.hop}`;
        })
        .join('; ');
    }
    return g.hasEdge(key) ? `followed further, hop ${g.getEdgeAttribute(key, 'hop')}` : 'not traced';
  };
  const findings: Finding[] = [];
  for (const steps of peelChains(outcome, view)) {
    if (steps.length < minLength) continue;
    let total = 0n;
    const parts: string[] = [];
    const edges: string[] = [];
    for (const s of steps) {
      const tx = (view.tx(s.tx) as { status: 'ok'; value: UtxoTx }).value;
      const out = tx.outputs[s.peel]!;
      total += out.value;
      const key = `${view.chain}:${s.tx}:${s.peel}`;
      if (g.hasEdge(key)) edges.push(key);
      const restKey = `${view.chain}:${s.tx}:${s.rest}`;
      if (g.hasEdge(restKey)) edges.push(restKey);
      parts.push(`${amt(out.value)} to ${out.address ?? 'a script without address'} (${fate(key)})`);
    }
    const last = steps[steps.length - 1]!;
    const lastTx = (view.tx(last.tx) as { status: 'ok'; value: UtxoTx }).value;
    const rest = lastTx.outputs[last.rest]!;
    const restFate = fate(`${view.chain}:${last.tx}:${last.rest}`);
    findings.push({
      kind: 'peel-chain',
      description:
        `peel chain of length ${steps.length} (${steps[0]!.tx.slice(0, 12)}… → ${last.tx.slice(0, 12)}…): ` +
        `${steps.length} peels totalling ${amt(total)} — ${parts.join('; ')}; ` +
        `remainder ${amt(rest.value)} at ${rest.address ?? 'a script without address'} (${restFate})`,
      txs: steps.map((s) => s.tx),
      edges,
      amount: total,
    });
  }
  return findings;
}
