// The table view's fiat section (`trace --fiat`, issue 15): exits, exposure, funds at rest (at
// arrival and as of the data's head) and totals in the chosen currency. Shown only with --fiat.
import type { ChalkInstance } from 'chalk';
import { formatUnits } from '../core/amount.js';
import { edgeItemId, terminalItemId } from '../core/fiat/ids.js';
import type { FiatTotal, FiatValue } from '../core/fiat/value.js';
import type { TraceResult } from '../core/result.js';
import { termSafe as t } from './sanitize.js';

const fig = (f: FiatValue | undefined) => (f === undefined ? '' : f.value === null ? 'no price' : f.value);
const tot = (x: FiatTotal | undefined) =>
  x === undefined
    ? ''
    : x.value !== null
      ? x.value
      : `no total (${x.missingParts} of ${x.parts} unpriced${x.partial ? `; priced parts ${x.partial.value}` : ''})`;

/** Lines of the section (empty without a valuation); `table` lays out columns like the rest of the view. */
export function fiatTableLines(
  r: TraceResult,
  c: ChalkInstance,
  table: (rows: string[][], align?: ('l' | 'r')[]) => string[],
): string[] {
  const v = r.fiat;
  if (!v) return [];
  const a = r.outcome.asset;
  const cur = v.currency.code;
  const amt = (x: bigint) => `${formatUnits(x, a.decimals)} ${t(a.symbol)}`;
  const out: string[] = ['', c.bold.underline(`Fiat values (${cur})`)];
  const rows: string[][] = [[c.dim('figure'), c.dim('amount'), c.dim(cur), c.dim('valued at')]];
  for (const e of r.summary.exits) {
    const f = e.edge ? v.items[edgeItemId(e.edge, 'tainted')] : undefined;
    rows.push([`exit ${t(e.entity)}`, amt(e.tainted), fig(f), f?.day ?? '']);
  }
  const terms = r.outcome.terminals;
  const g = r.outcome.graph;
  for (const h of r.summary.atRest) {
    const i = terms.findIndex(
      (x) =>
        x.kind === 'held' &&
        x.node !== null &&
        g.hasNode(x.node) &&
        g.getNodeAttribute(x.node, 'address') === h.address,
    );
    const arr = i >= 0 ? v.items[terminalItemId(i)] : undefined;
    const asOf = i >= 0 ? v.items[terminalItemId(i, true)] : undefined;
    rows.push([`at rest ${t(h.address)} (arrival)`, amt(h.amount), fig(arr), arr?.day ?? '']);
    rows.push([`at rest ${t(h.address)} (as of)`, amt(h.amount), fig(asOf), asOf?.day ?? '']);
  }
  for (const [name, list] of [
    ['direct', r.exposure.direct],
    ['indirect', r.exposure.indirect],
  ] as const) {
    for (const i of list) {
      const id = `exposure:${name}:${i.flagged ? 'flagged' : 'service'}:${i.category}:${i.entity}`;
      rows.push([
        `exposure ${name} ${t(i.category)} ${t(i.entity)}`,
        amt(i.value),
        tot(v.groups[id]),
        'each flow at its time',
      ]);
    }
  }
  const totals: [string, string, bigint][] = [
    ['total exits', 'exits', r.summary.terminals.exit],
    ['total flagged', 'flagged', r.summary.terminals.flagged],
    ['total CoinJoin', 'mixer', r.summary.terminals.mixer],
    ['total fees', 'fees', r.summary.terminals.fee],
    ['total at rest (arrival)', 'at-rest:arrival', r.summary.terminals.held],
    ['total at rest (as of)', 'at-rest:as-of', r.summary.terminals.held],
  ];
  for (const [label, id, x] of totals)
    if (v.groups[id] && v.groups[id].parts > 0)
      rows.push([c.bold(label), amt(x), c.bold(tot(v.groups[id])), '']);
  out.push(...table(rows, ['l', 'r', 'r', 'l']).map((l) => '  ' + l));
  out.push(
    c.dim(
      `  ${v.rounding.text} (they may differ by a minor unit from adding the rows). Prices used: --format json, fiat.prices.`,
    ),
  );
  return out;
}
