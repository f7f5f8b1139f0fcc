// One entry point for the engines: picks UTXO or account, forward or backward.
import { traceAccountBackward, traceAccountForward } from './account/index.js';
import { traceUtxoBackward, traceUtxoForward } from './engine-utxo.js';
import type { TraceOptions, TraceOutcome } from './trace-types.js';
import type { ChainView } from './view.js';

export function runTrace(view: ChainView, opts: TraceOptions): TraceOutcome {
  if (view.kind === 'utxo') {
    return opts.direction === 'forward' ? traceUtxoForward(view, opts) : traceUtxoBackward(view, opts);
  }
  return opts.direction === 'forward' ? traceAccountForward(view, opts) : traceAccountBackward(view, opts);
}

/** Sum of tainted value over all terminals (equals the traced value under haircut and fifo). */
export function terminalTotal(o: TraceOutcome): bigint {
  return o.terminals.reduce((a, t) => a + t.amount, 0n);
}
