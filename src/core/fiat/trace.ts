// The figures of a trace result as valuation items: the bridge between today's TraceResult and
// valueItems(). The output integration (issue 15, on the new result document) may build its items
// differently; the ids and times below are the rules it should keep:
//
// | item id                        | amount                       | valued at                                    |
// |--------------------------------|------------------------------|----------------------------------------------|
// | edge:<key>:value / :tainted    | a movement's value / taint   | its block time                               |
// | terminal:<i>                   | terminal i's amount          | arrival: the block time of the movement that |
// |                                |                              | brought it; for a balance built from several |
// |                                |                              | movements, the last of them ("last arrival") |
// | terminal:<i>:as-of             | a held terminal's amount     | the as-of time (head of the data, or now)    |
//
// | group id                                       | adds up                                          |
// |------------------------------------------------|--------------------------------------------------|
// | exits / flagged / mixer                        | the terminals of that kind, at arrival           |
// | at-rest:arrival / at-rest:as-of                | held terminals, at arrival / at the as-of time   |
// | exposure:<direct|indirect>:<flagged|service>:<category>:<entity> | the exposure item's flows, each at its own time |
import type { TraceResult } from '../result.js';
import type { Terminal, TraceOutcome } from '../trace-types.js';
import type { AssetForPricing } from './assets.js';
import type { ValuationGroup, ValuationInput, ValuationItem } from './value.js';

export const edgeItemId = (edge: string, which: 'value' | 'tainted') => `edge:${edge}:${which}`;
export const terminalItemId = (index: number, asOf = false) => `terminal:${index}${asOf ? ':as-of' : ''}`;

/** The same grouping as exposure() in ../summary.ts, as a group id. */
export function exposureGroupId(t: Pick<Terminal, 'kind' | 'hop' | 'category' | 'entity'>): string {
  const category = t.category ?? 'mixer';
  const entity = t.entity ?? (t.kind === 'mixer' ? 'CoinJoin' : '');
  const direct = t.hop <= 1;
  return `exposure:${direct ? 'direct' : 'indirect'}:${t.kind === 'exit' ? 'service' : 'flagged'}:${category}:${entity}`;
}

/** When the value of a terminal arrived, and how that was decided. */
function arrivalOf(o: TraceOutcome, t: Terminal): { time: string | null; basis: string } {
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
  return { time: null, basis: 'arrival' };
}

export interface FromResultOptions {
  /** The as-of instant for funds at rest (the data's head time, or the time of the run). */
  asOf: string | null;
  /** The traced asset's symbol is the dataset's own declaration (see AssetForPricing.declared). */
  declared?: boolean;
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
  for (const key of [...o.graph.edges()].sort()) {
    const a = o.graph.getEdgeAttributes(key);
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
    const { time, basis } = arrivalOf(o, t);
    const id = terminalItemId(i);
    items.push({ id, amount: t.amount, asset, time, basis });
    if (t.kind === 'exit') add('exits', id);
    if (t.kind === 'flagged') add('flagged', id);
    if (t.kind === 'mixer') add('mixer', id);
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
