// One entry point for the engines: picks UTXO or account, forward or backward.
import { traceAccountBackward, traceAccountForward } from './account/index.js';
import { capOutcome } from './cap.js';
import { traceUtxoBackward, traceUtxoForward } from './engine-utxo.js';
import type { TraceOptions, TraceOutcome } from './trace-types.js';
import type { ChainView } from './view.js';

export function runTrace(view: ChainView, opts: TraceOptions): TraceOutcome {
  const o =
    view.kind === 'utxo'
      ? opts.direction === 'forward'
        ? traceUtxoForward(view, opts)
        : traceUtxoBackward(view, opts)
      : opts.direction === 'forward'
        ? traceAccountForward(view, opts)
        : traceAccountBackward(view, opts);
  // --max-nodes caps what is printed too (src/core/cap.ts); the forward account engine caps its
  // graph itself, before it becomes a graphology graph (src/core/light-graph.ts).
  if (view.kind === 'account' && opts.direction === 'forward') return o;
  return capOutcome(o, opts.maxNodes, opts.direction);
}

/** Sum of tainted value over all terminals (equals the traced value under haircut and fifo). */
export function terminalTotal(o: TraceOutcome): bigint {
  return o.terminals.reduce((a, t) => a + t.amount, 0n);
}
