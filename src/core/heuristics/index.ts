// UTXO heuristics: CoinJoin detection, change-output guessing, peel-chain detection. Each is
// pure, documented with its sources in its own file, switchable, and leaves evidence.
//
// Wiring (the CLI's `--heuristics coinjoin,change,peel` / `--no-heuristics`, recorded in the
// resolved query's `options` so that a case replays the same way):
//   const sel = parseHeuristics(flags.heuristics);                 // default: all on
//   query.options = { …, coinjoin: sel.coinjoin, change: sel.change, peel: sel.peel };
//   engineOptions(query): heuristics = utxoHeuristics(selectionFromOptions(q.options))
//   const outcome = await traceWithFetcher(view, fetcher, opts);
//   postTrace(outcome, view, selectionFromOptions(query.options)); // peel findings, change marks
import type { EdgeAttributes, TraceOutcome, UtxoHeuristics } from '../trace-types.js';
import type { ChainView, UtxoView } from '../view.js';
import { type ChangeContext, type ChangeGuess, guessChange } from './change.js';
import { detectCoinjoin } from './coinjoin.js';
import { detectPeelChains } from './peel.js';
import { ALL_HEURISTICS, type HeuristicSelection } from './select.js';

export {
  CHANGE_RULES,
  type ChangeContext,
  type ChangeGuess,
  type ChangeRule,
  guessChange,
} from './change.js';
export {
  COINJOIN_RULES,
  type CoinjoinMatch,
  type CoinjoinOptions,
  type CoinjoinRule,
  detectCoinjoin,
  WASABI2_DENOMINATIONS,
  WHIRLPOOL_POOLS,
} from './coinjoin.js';
export { detectPeelChains, type PeelOptions, type PeelStep, peelChains } from './peel.js';
export { type ScriptType, scriptTypeOf } from './script-type.js';

export {
  ALL_HEURISTICS,
  HEURISTIC_NAMES,
  type HeuristicName,
  type HeuristicSelection,
  NO_HEURISTICS,
  parseHeuristics,
} from './select.js';

/** The engine hooks for a selection (TraceOptions.heuristics); undefined when none applies. */
export function utxoHeuristics(sel: HeuristicSelection): UtxoHeuristics | undefined {
  if (!sel.coinjoin) return undefined;
  const options = sel.coinjoinOptions ?? {};
  return {
    coinjoin: (tx) => detectCoinjoin(tx, options)?.evidence ?? null,
  };
}

/**
 * The selection recorded in a resolved query's `options`. A key that is absent (a case written
 * before heuristics existed) counts as off, so old cases replay to the same bytes.
 */
export function selectionFromOptions(o: {
  coinjoin?: boolean;
  change?: boolean;
  peel?: boolean;
}): HeuristicSelection {
  return { coinjoin: o.coinjoin === true, change: o.change === true, peel: o.peel === true };
}

/** After the trace: add peel-chain findings (UTXO views only). Mutates `outcome.findings`. */
export function applyPostTrace(outcome: TraceOutcome, view: ChainView, sel: HeuristicSelection): void {
  if (view.kind !== 'utxo' || !sel.peel) return;
  outcome.findings.push(...detectPeelChains(outcome, view, sel.peelOptions));
}

/** The edge attribute the change heuristic sets (EdgeAttributes.change once the type has it). */
export interface EdgeChange {
  confidence: ChangeGuess['confidence'];
  rules: string[];
}

/**
 * Everything the heuristics add after a trace, in one call for `trace` and for case replay:
 * peel-chain findings, and `change: {confidence, rules}` on every edge whose output is the
 * transaction's likely change. Pure with respect to the view (never fetches). Mutates `outcome`.
 */
export function postTrace(outcome: TraceOutcome, view: ChainView, sel: HeuristicSelection): void {
  applyPostTrace(outcome, view, sel);
  for (const [key, g] of changeAnnotations(outcome, view, sel)) {
    const change: EdgeChange = { confidence: g.confidence, rules: [...g.rules] };
    outcome.graph.mergeEdgeAttributes(key, { change } as unknown as Partial<EdgeAttributes>);
  }
}

/**
 * `fresh-address` context from what a view already holds: an address was "seen before" a
 * transaction when its history (if loaded) has an earlier transaction. Remote views answer
 * `missing` for histories they never fetched: the rule then abstains (never fetches).
 */
export function viewChangeContext(view: UtxoView): ChangeContext {
  return {
    seenBefore(address, tx) {
      const r = view.addressTxs(address);
      if (r.status !== 'ok') return undefined;
      const h = tx.height ?? Number.POSITIVE_INFINITY;
      return r.value.some((t) => {
        if (t.txid === tx.txid) return false;
        const th = t.height ?? Number.POSITIVE_INFINITY;
        return th < h || (th === h && (t.position ?? -1) < (tx.position ?? -1));
      });
    },
  };
}

/**
 * Change guesses for the edges of a UTXO trace: edge key → guess, only where the edge's output
 * is the change. By default every rule but `fresh-address` runs, on the transaction alone, so the
 * annotation is the same whatever the source (a dataset holds every address history, a remote
 * source or a case replay only what was fetched). Pass a context (e.g. viewChangeContext(view)
 * over complete data) to add `fresh-address`.
 */
export function changeAnnotations(
  outcome: TraceOutcome,
  view: ChainView,
  sel: HeuristicSelection = ALL_HEURISTICS,
  context: ChangeContext = {},
): Map<string, ChangeGuess> {
  const out = new Map<string, ChangeGuess>();
  if (view.kind !== 'utxo' || !sel.change) return out;
  const guesses = new Map<string, ChangeGuess | null>();
  outcome.graph.forEachEdge((key, e) => {
    if (e.kind !== 'output') return;
    let g = guesses.get(e.tx);
    if (g === undefined) {
      const r = view.tx(e.tx);
      g = r.status === 'ok' && r.value ? guessChange(r.value, context) : null;
      guesses.set(e.tx, g);
    }
    if (g && g.vout === e.index) out.set(key, g);
  });
  return out;
}
