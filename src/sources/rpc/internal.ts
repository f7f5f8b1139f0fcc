// Internal (contract-moved) ETH from the three trace shapes a node may offer, in execution order
// (depth-first), with reverted frames and everything under them dropped, the top-level call left
// out (it is the transaction's native transfer), and frames that move nothing skipped:
//   - Parity traces (trace_transaction): a flat list with traceAddress; `error` marks a frame
//     that reverted, and every frame whose traceAddress starts with it is undone too;
//   - geth callTracer (debug_traceTransaction): a tree; `error` on a frame undoes its subtree;
//   - Otterscan ots_getInternalOperations: value moves only, with no revert information (anvil
//     lists moves made inside reverted frames, and the top-level transfer too). Used only when
//     neither tracer is available; the source declares that limit in its capabilities.
// CALL moves value; CREATE/CREATE2 move it to the new contract; SELFDESTRUCT moves the balance to
// the beneficiary; DELEGATECALL, CALLCODE and STATICCALL move nothing.
import type { InternalMove } from '../evm/transfers.js';
import type { CallFrame, OtsInternalOp, ParityTrace } from './schemas.js';

export function movesFromParity(traces: readonly ParityTrace[]): InternalMove[] {
  const key = (a: readonly number[]) => a.join('.');
  const reverted = new Set(traces.filter((t) => t.error).map((t) => key(t.traceAddress)));
  const undone = (t: ParityTrace) => {
    for (let n = 0; n <= t.traceAddress.length; n++)
      if (reverted.has(key(t.traceAddress.slice(0, n)))) return true;
    return false;
  };
  const ordered = [...traces].sort((a, b) => {
    const n = Math.min(a.traceAddress.length, b.traceAddress.length);
    for (let i = 0; i < n; i++)
      if (a.traceAddress[i] !== b.traceAddress[i]) return a.traceAddress[i]! - b.traceAddress[i]!;
    return a.traceAddress.length - b.traceAddress.length;
  });
  const out: InternalMove[] = [];
  for (const t of ordered) {
    if (t.traceAddress.length === 0 || t.value <= 0n || undone(t)) continue;
    if (t.type === 'call') {
      if ((t.callType ?? 'call') !== 'call' || !t.from || !t.to) continue;
      out.push({ from: t.from, to: t.to, value: t.value });
    } else if (t.type === 'create') {
      if (t.from && t.created) out.push({ from: t.from, to: t.created, value: t.value });
    } else if (t.type === 'suicide') {
      if (t.address && t.refundAddress) out.push({ from: t.address, to: t.refundAddress, value: t.value });
    }
  }
  return out;
}

export function movesFromCallTracer(root: CallFrame): InternalMove[] {
  const out: InternalMove[] = [];
  const walk = (f: CallFrame) => {
    for (const c of f.calls) {
      if (c.error) continue;
      if (c.value > 0n && c.to !== null && ['CALL', 'CREATE', 'CREATE2', 'SELFDESTRUCT'].includes(c.type)) {
        out.push({ from: c.from, to: c.to, value: c.value });
      }
      walk(c);
    }
  };
  if (!root.error) walk(root);
  return out;
}

export function movesFromOts(
  ops: readonly OtsInternalOp[],
  top: { from: string; to: string | null; value: bigint },
): InternalMove[] {
  let list = ops;
  const first = ops[0];
  if (first && first.from === top.from && first.to === top.to && first.value === top.value)
    list = ops.slice(1);
  return list
    .filter((o) => o.value > 0n && [0, 1, 2, 3].includes(o.type))
    .map(({ from, to, value }) => ({ from, to, value }));
}
