// Fiat columns for the CSV tables (`trace --fiat`, issue 15), appended after the usual columns so
// a sheet built on the old layout keeps working. Without --fiat: no columns at all.
import { edgeItemId, terminalItemId } from '../core/fiat/ids.js';
import type { FiatValue } from '../core/fiat/value.js';
import type { TraceResult } from '../core/result.js';

const price = (f: FiatValue) =>
  f.prices
    .map((p) => `${p.series} ${p.date} ${p.value}${p.carried ? ' (carried)' : ''} [${p.source}]`)
    .join('; ');

/** value (empty when missing), day, prices used, why missing. */
const cells = (f: FiatValue | undefined): (string | null)[] =>
  f === undefined ? ['', '', '', 'no figure'] : [f.value ?? '', f.day, price(f), f.missing?.reason ?? ''];

export function fiatCsvHead(r: TraceResult, what: string): string[] {
  const c = r.fiat?.currency.code;
  if (c === undefined) return [];
  return [`${what}_${c}`, `${what}_${c}_day`, `${what}_${c}_prices`, `${what}_${c}_missing`];
}

export function fiatCsvEdge(r: TraceResult, edge: string | null | undefined): (string | null)[] {
  if (!r.fiat) return [];
  return cells(edge ? r.fiat.items[edgeItemId(edge, 'tainted')] : undefined);
}

/** A held address's figures: at arrival, then at the as-of time. */
export function fiatCsvHeld(r: TraceResult, address: string, asOf: boolean): (string | null)[] {
  if (!r.fiat) return [];
  const g = r.outcome.graph;
  const i = r.outcome.terminals.findIndex(
    (t) =>
      t.kind === 'held' &&
      t.node !== null &&
      g.hasNode(t.node) &&
      g.getNodeAttribute(t.node, 'address') === address,
  );
  return cells(i >= 0 ? r.fiat.items[terminalItemId(i, asOf)] : undefined);
}
