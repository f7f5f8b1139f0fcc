// JSON output (`--format json`): the contract's fixed top-level keys, amounts as strings, and a
// deterministic order everywhere (sorted keys of nodes and edges), so the same input prints
// byte-identical output.
import { formatUnits, ratioString } from '../core/amount.js';
import { edgeItemId, terminalItemId } from '../core/fiat/trace.js';
import type { FiatTotal, FiatValue, Valuation } from '../core/fiat/value.js';
import type { TraceResult } from '../core/result.js';
import type { Bound } from '../core/trace-types.js';
import type { TraceDoc } from './doc-types.js';
import { stringifySafe } from './sanitize.js';

export const SCHEMA = 'fundtrace.trace/1';

export interface JsonAmount {
  value: string;
  asset: string;
  decimals: number;
  display: string;
}

export function amountJson(value: bigint, asset: { symbol: string; decimals: number }): JsonAmount {
  return {
    value: value.toString(),
    asset: asset.symbol,
    decimals: asset.decimals,
    display: formatUnits(value, asset.decimals),
  };
}

/** A share in millionths as a decimal fraction string ("0.360000" = 36 %). */
export const shareString = (ppm: bigint) => ratioString(ppm, 1_000_000n, 6);

const bound = (b: Bound | null) =>
  b === null ? null : b.kind === 'height' ? { height: b.height } : { time: b.time };

/** One figure's fiat value as JSON (issue 15): `{currency, value, at, price, source, …}`. */
export function fiatJson(f: FiatValue) {
  const sources = [...new Set(f.prices.map((p) => p.source))];
  return {
    currency: f.currency,
    value: f.value,
    exact: f.exact,
    at: f.at,
    day: f.day,
    basis: f.basis ?? null,
    // The asset's USD close, then (other currencies) the USD→currency rate: both named.
    price: f.prices,
    source: sources.length > 0 ? sources.join('; ') : null,
    ...(f.missing ? { missing: f.missing } : {}),
    ...(f.note !== undefined ? { note: f.note } : {}),
  };
}

/** The `fiat` section: currency, rounding rule, totals (rounded once from unrounded parts), prices used. */
export function fiatSectionJson(v: Valuation) {
  return {
    currency: v.currency.code,
    minorUnits: v.currency.minorUnits,
    rounding: {
      rule: v.rounding.rule,
      text: v.rounding.text,
      totals:
        'each total is the exact sum of its unrounded parts, rounded once; roundedPartsSum shows the sum of the printed parts',
    },
    atRest:
      'funds at rest are valued twice: at arrival (atRest[].fiat, totals at-rest:arrival) and at the as-of time of the data (atRest[].fiatAsOf, totals at-rest:as-of)',
    totals: v.groups,
    prices: v.prices,
  };
}

export function toJsonObject(r: TraceResult): TraceDoc {
  const a = r.outcome.asset;
  const v = r.fiat;
  const amt = (x: bigint) => amountJson(x, a);
  /** An amount with its fiat value, when --fiat gave one for this item id. */
  const amtF = (x: bigint, id: string | undefined) => {
    const f = v && id !== undefined ? v.items[id] : undefined;
    return f ? { ...amt(x), fiat: fiatJson(f) } : amt(x);
  };
  const terms = r.outcome.terminals;
  const heldIndex = (address: string) =>
    terms.findIndex(
      (t) =>
        t.kind === 'held' &&
        t.node !== null &&
        r.outcome.graph.hasNode(t.node) &&
        r.outcome.graph.getNodeAttribute(t.node, 'address') === address,
    );
  const g = r.outcome.graph;
  const q = r.query;
  const nodes = g
    .mapNodes((key, n) => ({
      key,
      attributes: {
        address: n.address,
        chain: n.chain,
        hop: n.hop,
        seed: n.seed,
        labels: n.labels.map((l) => ({
          entity: l.entity,
          category: l.category,
          source: l.source,
          confidence: l.confidence ?? null,
          note: l.note ?? null,
        })),
        cluster: n.cluster,
        received: amt(n.received),
        sent: amt(n.sent),
        tainted: amt(n.tainted),
        stop: n.stop,
      },
    }))
    .sort((x, y) => x.attributes.hop - y.attributes.hop || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const edges = g
    .mapEdges((key, e, source, target) => ({
      key,
      source,
      target,
      attributes: {
        tx: e.tx,
        index: e.index,
        kind: e.kind,
        time: e.time,
        height: e.height,
        asset: e.asset,
        value: amtF(e.value, edgeItemId(key, 'value')),
        tainted: amtF(e.tainted, edgeItemId(key, 'tainted')),
        hop: e.hop,
        ...(e.inputs ? { inputs: e.inputs.map((i) => ({ address: i.address, amount: amt(i.amount) })) } : {}),
        ...(e.change ? { change: e.change } : {}),
      },
    }))
    .sort((x, y) => x.attributes.hop - y.attributes.hop || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const s = r.summary;
  const ex = r.exposure;
  const item = (i: (typeof ex.direct)[number], direct: boolean) => ({
    category: i.category,
    entity: i.entity,
    flagged: i.flagged,
    value: v ? withTotal(amt(i.value), v.groups[exposureId(i, direct)]) : amt(i.value),
    share: ex.shares ? shareString(i.sharePpm) : null,
    minHops: i.minHops,
    paths: i.paths.map((p) => ({ edges: p.edges, amount: amt(p.amount) })),
    // Only GraphSense-attributed items carry these (every other output is unchanged).
    ...(i.graphsense ? { via: 'graphsense' as const, graphsenseEntities: i.graphsense.entities } : {}),
  });
  return {
    schema: SCHEMA,
    generator: r.generator,
    query: {
      seed: q.seed,
      seedKind: q.seedKind,
      chain: q.chain,
      direction: q.direction,
      hops: q.hops,
      model: q.model,
      asset: q.asset,
      bounds: { since: bound(q.since), until: bound(q.until) },
      limits: { minValue: amt(q.minValue), maxNodes: q.maxNodes, historyLimit: q.historyLimit },
      sources: q.sources,
      labels: q.labels,
      options: { ...q.options, dust: amt(q.options.dust) },
    },
    summary: {
      traced: amt(s.traced),
      conserved: s.conserved,
      terminalTotal: amt(s.terminalTotal),
      hops: s.hops.map((h) => ({
        hop: h.hop,
        addresses: h.addresses,
        movements: h.movements,
        value: amt(h.value),
        tainted: amt(h.tainted),
      })),
      terminals: Object.fromEntries(Object.entries(s.terminals).map(([k, v]) => [k, amt(v)])),
      cutByReason: Object.fromEntries(
        Object.entries(s.cutByReason)
          .sort(([x], [y]) => (x < y ? -1 : 1))
          .map(([k, v]) => [k, amt(v)]),
      ),
      exits: s.exits.map((e) => ({
        entity: e.entity,
        category: e.category,
        address: e.address,
        asset: e.asset,
        value: amtF(e.value, e.edge ? edgeItemId(e.edge, 'value') : undefined),
        tainted: amtF(e.tainted, e.edge ? edgeItemId(e.edge, 'tainted') : undefined),
        tx: e.tx,
        time: e.time,
        height: e.height,
        hop: e.hop,
        edge: e.edge,
        kind: e.kind,
        depositAddress: e.depositAddress,
      })),
      atRest: s.atRest.map((h) => {
        if (!v) return { address: h.address, amount: amt(h.amount), hop: h.hop };
        const i = heldIndex(h.address);
        const asOf = i >= 0 ? v.items[terminalItemId(i, true)] : undefined;
        return {
          address: h.address,
          amount: amtF(h.amount, i >= 0 ? terminalItemId(i) : undefined),
          hop: h.hop,
          ...(asOf ? { fiatAsOf: fiatJson(asOf) } : {}),
        };
      }),
      cut: s.cut.map((c) => ({
        reason: c.reason,
        address: c.address,
        amount: amt(c.amount),
        hop: c.hop,
        edge: c.edge,
      })),
      largestFlows: s.largestFlows.map((f) => ({
        edge: f.edge,
        source: f.source,
        target: f.target,
        value: amt(f.value),
        tainted: amt(f.tainted),
        hop: f.hop,
        tx: f.tx,
      })),
      findings: s.findings.map((f) => ({
        kind: f.kind,
        description: f.description,
        txs: f.txs,
        edges: f.edges ?? [],
        amount: f.amount === undefined ? null : amt(f.amount),
      })),
    },
    exposure: {
      shares: ex.shares
        ? 'decimal fraction of the traced value, from integers (largest remainder over all buckets)'
        : null,
      direct: ex.direct.map((i) => item(i, true)),
      indirect: ex.indirect.map((i) => item(i, false)),
      buckets: ex.buckets.map((b) => ({
        name: b.name,
        value: amt(b.value),
        share: ex.shares ? shareString(b.sharePpm) : null,
      })),
    },
    ...(v ? { fiat: fiatSectionJson(v) } : {}),
    graph: { nodes, edges },
    warnings: r.warnings,
  };
}

const withTotal = (x: JsonAmount, t: FiatTotal | undefined) => (t ? { ...x, fiat: t } : x);
const exposureId = (i: { category: string; entity: string; flagged: boolean }, direct: boolean) =>
  `exposure:${direct ? 'direct' : 'indirect'}:${i.flagged ? 'flagged' : 'service'}:${i.category}:${i.entity}`;

export function renderJson(r: TraceResult): string {
  return stringifySafe(toJsonObject(r), 2) + '\n';
}
