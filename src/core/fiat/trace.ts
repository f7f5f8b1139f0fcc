// The figures of a trace result as valuation items: the bridge between today's TraceResult and
// valueItems(). The output integration (issue 15, on the new result document) may build its items
// differently; the ids and times below are the rules it should keep:
//
// | item id                        | amount                       | valued at                                    |
// |--------------------------------|------------------------------|----------------------------------------------|
// | edge:<key>:value / :tainted    | a movement's value / taint   | its block time                               |
// | terminal:<i>                   | terminal i's amount          | arrival: the block time of the movement that |
// |                                |                              | brought it; for a balance built from several |
// |                                |                              | movements, the last of them ("last arrival");|
// |                                |                              | a fee or CoinJoin: its transaction's time    |
// | terminal:<i>:as-of             | a held terminal's amount     | the as-of time (head of the data, or now)    |
//
// | group id                                       | adds up                                          |
// |------------------------------------------------|--------------------------------------------------|
// | exits / flagged / mixer / fees                 | the terminals of that kind, at arrival           |
// | at-rest:arrival / at-rest:as-of                | held terminals, at arrival / at the as-of time   |
// | exposure:<direct|indirect>:<flagged|service>:<category>:<entity> | the exposure item's flows, each at its own time |
import type { TraceResult } from '../result.js';
import type { Terminal, TraceOutcome } from '../trace-types.js';
import type { ChainView } from '../view.js';
import type { AssetForPricing } from './assets.js';
import type { PriceBook } from './book.js';
import { resolveCurrency } from './currency.js';
import { edgeItemId, terminalItemId } from './ids.js';
import {
  type Valuation,
  type ValuationGroup,
  type ValuationInput,
  type ValuationItem,
  valueItems,
} from './value.js';

/** The same grouping as exposure() in ../summary.ts, as a group id. */
export function exposureGroupId(t: Pick<Terminal, 'kind' | 'hop' | 'category' | 'entity'>): string {
  const category = t.category ?? 'mixer';
  const entity = t.entity ?? (t.kind === 'mixer' ? 'CoinJoin' : '');
  const direct = t.hop <= 1;
  return `exposure:${direct ? 'direct' : 'indirect'}:${t.kind === 'exit' ? 'service' : 'flagged'}:${category}:${entity}`;
}

/**
 * The transaction of a fee or CoinJoin terminal. Today's engines write it at the start of the
 * terminal's note (fee: the txid; mixer: "txid: rule"); the new result document should carry it
 * as a field, and this goes away.
 */
function terminalTx(t: Terminal): string | undefined {
  if ((t.kind !== 'fee' && t.kind !== 'mixer') || t.note === undefined) return undefined;
  // A redacted case writes a pseudonym (`tx-` and 12 hex digits) in its place.
  return /^(?:(?:0x)?[0-9a-fA-F]{64}|tx-[0-9a-f]{12}\b)/.exec(t.note)?.[0];
}

/** When the value of a terminal arrived, and how that was decided. */
function arrivalOf(
  o: TraceOutcome,
  t: Terminal,
  txTimes: Map<string, string | null>,
  txTime?: (txid: string) => string | null,
): { time: string | null; basis: string } {
  const g = o.graph;
  if (t.edge && g.hasEdge(t.edge)) return { time: g.getEdgeAttribute(t.edge, 'time'), basis: 'arrival' };
  if (t.node && g.hasNode(t.node)) {
    // A balance built from several movements: the last tainted movement in completes it.
    let last: string | null = null;
    g.forEachInEdge(t.node, (_k, a) => {
      if (a.tainted > 0n && a.time !== null && (last === null || a.time > last)) last = a.time;
    });
    return { time: last, basis: 'last arrival' };
  }
  // A fee, or value that entered a CoinJoin: the block time of that transaction.
  const tx = terminalTx(t);
  if (tx !== undefined) return { time: txTimes.get(tx) ?? txTime?.(tx) ?? null, basis: 'block time' };
  return { time: null, basis: 'arrival' };
}

export interface FromResultOptions {
  /** The as-of instant for funds at rest (the data's head time, or the time of the run). */
  asOf: string | null;
  /** The traced asset's symbol is the dataset's own declaration (see AssetForPricing.declared). */
  declared?: boolean;
  /** Block time of a transaction that has no edge in the graph (a CoinJoin the trace stopped at). */
  txTime?: (txid: string) => string | null;
}

export function valuationInputFromResult(r: TraceResult, opts: FromResultOptions): ValuationInput {
  const o = r.outcome;
  const asset: AssetForPricing = {
    chain: r.query.chain,
    symbol: o.asset.symbol,
    decimals: o.asset.decimals,
    ...(o.asset.contract !== undefined ? { contract: o.asset.contract } : {}),
    ...(opts.declared ? { declared: true } : {}),
  };
  const items: ValuationItem[] = [];
  const groups = new Map<string, string[]>();
  const add = (group: string, id: string) => {
    const list = groups.get(group);
    if (list) list.push(id);
    else groups.set(group, [id]);
  };
  const txTimes = new Map<string, string | null>();
  for (const key of [...o.graph.edges()].sort()) {
    const a = o.graph.getEdgeAttributes(key);
    if (!txTimes.has(a.tx)) txTimes.set(a.tx, a.time);
    items.push({ id: edgeItemId(key, 'value'), amount: a.value, asset, time: a.time, basis: 'block time' });
    items.push({
      id: edgeItemId(key, 'tainted'),
      amount: a.tainted,
      asset,
      time: a.time,
      basis: 'block time',
    });
  }
  for (const group of ['exits', 'flagged', 'mixer', 'at-rest:arrival', 'at-rest:as-of'])
    groups.set(group, []);
  o.terminals.forEach((t, i) => {
    const { time, basis } = arrivalOf(o, t, txTimes, opts.txTime);
    const id = terminalItemId(i);
    items.push({ id, amount: t.amount, asset, time, basis });
    if (t.kind === 'exit') add('exits', id);
    if (t.kind === 'flagged') add('flagged', id);
    if (t.kind === 'mixer') add('mixer', id);
    if (t.kind === 'fee') add('fees', id);
    if (t.kind === 'exit' || t.kind === 'flagged' || t.kind === 'mixer') add(exposureGroupId(t), id);
    if (t.kind === 'held') {
      add('at-rest:arrival', id);
      const asOfId = terminalItemId(i, true);
      items.push({ id: asOfId, amount: t.amount, asset, time: opts.asOf, basis: 'as-of' });
      add('at-rest:as-of', asOfId);
    }
  });
  const groupList: ValuationGroup[] = [...groups].map(([id, list]) => ({ id, items: list }));
  return { items, groups: groupList };
}

/** Block time of a transaction the graph has no edge for (a fee, a CoinJoin the trace stopped at). */
export const txTimeOf = (view: ChainView) => (id: string) => {
  if (view.kind === 'account') {
    // A fee paid by a transaction that moved none of the traced asset: the time of its transfers.
    const l = view.txTransfers(id);
    return l.status === 'ok' ? (l.value?.find((t) => t.time !== null)?.time ?? null) : null;
  }
  const l = view.tx(id);
  return l.status === 'ok' && l.value ? l.value.time : null;
};

/** The valuation input of a result traced over `view` (funds at rest also at the view's head). */
export function valuationInputOf(r: TraceResult, view: ChainView, declared: boolean): ValuationInput {
  return valuationInputFromResult(r, {
    asOf: view.head?.time ?? null,
    ...(declared ? { declared: true } : {}),
    txTime: txTimeOf(view),
  });
}

/**
 * Value `r` in `code` from `book` and attach the valuation (`r.fiat`). Its warnings join the
 * result's: the price source's own (`sourceWarnings`, e.g. rows skipped with --lenient), the
 * valuation's (missing days, unpriced assets), then each carried FX rate once per day. The same
 * function values a fresh trace and re-derives a case's figures from its recorded prices.
 */
export function attachValuation(
  r: TraceResult,
  input: ValuationInput,
  book: PriceBook,
  code: string,
  sourceWarnings: readonly string[],
): Valuation {
  const currency = resolveCurrency(code, (c) => book.has(`USD-${c}`));
  const v = valueItems(input, book, currency);
  r.fiat = v;
  const carried = new Set<string>();
  for (const f of Object.values(v.items))
    for (const p of f.prices)
      if (p.carried !== undefined) carried.add(`fiat values: ${p.series}: ${p.carried}`);
  r.warnings.push(...sourceWarnings.map((w) => `prices: ${w}`), ...v.warnings, ...[...carried].sort());
  return v;
}
