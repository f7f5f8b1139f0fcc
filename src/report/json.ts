// JSON output (`--format json`): the contract's fixed top-level keys, amounts as strings, and a
// deterministic order everywhere (sorted keys of nodes and edges), so the same input prints
// byte-identical output.
import { formatUnits, ratioString } from '../core/amount.js';
import { edgeItemId, terminalItemId } from '../core/fiat/ids.js';
import type { FiatTotal, FiatValue, Valuation } from '../core/fiat/value.js';
import type { TraceResult } from '../core/result.js';
import type { Bound, BridgeTerminal } from '../core/trace-types.js';
import type { TraceDoc } from './doc-types.js';
import { batched, stringifySafeChunks } from './sanitize.js';

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
        ...(e.conversion
          ? {
              conversion: {
                via: e.conversion.via,
                to: {
                  asset: e.conversion.toAsset,
                  value: amountJson(e.conversion.toValue, e.conversion.to),
                  tainted: amountJson(e.conversion.toTainted, e.conversion.to),
                },
                evidence: e.conversion.evidence,
              },
            }
          : {}),
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
      ...(q.registry ? { registry: q.registry } : {}),
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
      ...(s.bridges
        ? {
            bridges: s.bridges.map((b) => ({
              address: b.address,
              name: b.name,
              edge: b.edge,
              tx: b.tx,
              time: b.time,
              hop: b.hop,
              tainted: amt(b.tainted),
              ...bridgeJson(b.bridge, a),
              note: b.note,
            })),
          }
        : {}),
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

/**
 * A bridge deposit as its event states it. Amounts in the traced asset's units when the deposit is
 * of that asset; the destination's token may have other decimals on its chain: given as a raw value.
 */
function bridgeJson(b: BridgeTerminal | null, a: { symbol: string; decimals: number; contract?: string }) {
  if (!b) return { protocol: null, key: null, identifier: null, destination: null, deposit: null };
  const same = b.token === null ? a.contract === undefined : b.token === a.contract;
  return {
    protocol: b.protocol,
    key: b.key,
    identifier: b.identifier,
    destination: {
      chain: b.destChain,
      chainId: b.destChainId,
      recipient: b.recipient,
      ...(b.outAmount !== undefined ? { token: b.outToken ?? null, value: b.outAmount.toString() } : {}),
    },
    deposit: {
      depositor: b.depositor,
      token: b.token,
      ...(same ? amountJson(b.amount, a) : { value: b.amount.toString() }),
    },
    evidence: b.evidence,
  };
}

const withTotal = (x: JsonAmount, t: FiatTotal | undefined) => (t ? { ...x, fiat: t } : x);
const exposureId = (i: { category: string; entity: string; flagged: boolean }, direct: boolean) =>
  `exposure:${direct ? 'direct' : 'indirect'}:${i.flagged ? 'flagged' : 'service'}:${i.category}:${i.entity}`;

/** The JSON document of a result: one asset's, or (conversions) the result with its parts. */
export const renderJson = (r: TraceResult): string => [...renderJsonChunks(r)].join('');

export const renderMultiJson = (parts: readonly TraceResult[], conversions?: TraceResult): string =>
  [...renderMultiJsonChunks(parts, conversions)].join('');

/**
 * renderJson's text in pieces of about 64 K characters (the CLI writes a big result as it goes,
 * never holding it as one string).
 */
export function* renderJsonChunks(r: TraceResult): Generator<string> {
  if (r.parts && r.parts.length > 0) yield* renderMultiJsonChunks([r, ...r.parts], r);
  else yield* piecesOf(toJsonObject(r));
}

export function* renderMultiJsonChunks(
  parts: readonly TraceResult[],
  conversions?: TraceResult,
): Generator<string> {
  yield* piecesOf(toMultiJsonObject(parts, conversions));
}

function* piecesOf(doc: unknown): Generator<string> {
  yield* batched(stringifySafeChunks(doc, 2));
  yield '\n';
}

/** The conversions a trace followed (on any chain), with their amounts in each asset's own units. */
function conversionsJson(r: TraceResult) {
  const all = [r, ...(r.parts ?? [])];
  const info = new Map(all.map((p) => [`${p.query.chain}\u0000${p.outcome.asset.key}`, p.outcome.asset]));
  return all.flatMap((p) =>
    (p.outcome.conversions ?? []).map((c) => {
      const side = (x: { asset: string; value: bigint; tainted: bigint }) => {
        const a = info.get(`${p.query.chain}\u0000${x.asset}`) ?? { symbol: x.asset, decimals: 0 };
        return { asset: x.asset, value: amountJson(x.value, a), tainted: amountJson(x.tainted, a) };
      };
      return {
        edge: c.edge,
        node: c.node,
        tx: c.tx,
        time: c.time,
        height: c.height,
        hop: c.hop,
        via: c.via,
        from: side(c.from),
        to: side(c.to),
        evidence: c.evidence,
      };
    }),
  );
}

/** The bridges a trace followed onto other chains: both legs, the key that joins them. */
function linksJson(r: TraceResult) {
  const all = [r, ...(r.parts ?? [])];
  const asset = (chain: string, edge: string | null) => {
    for (const p of all)
      if (p.query.chain === chain && edge && p.outcome.graph.hasEdge(edge)) return p.outcome.asset;
    return undefined;
  };
  const amount = (v: bigint, a: { symbol: string; decimals: number } | undefined) =>
    a ? amountJson(v, a) : { value: v.toString() };
  return (r.links ?? []).map((l) => {
    const from = asset(l.from.chain, l.from.edge);
    const to = asset(l.to.chain, l.to.edge);
    return {
      protocol: l.protocol,
      key: l.key,
      identifier: l.identifier,
      from: {
        chain: l.from.chain,
        edge: l.from.edge,
        tx: l.from.tx,
        deposit: amount(l.from.amount, from),
        tainted: amount(l.from.tainted, from),
      },
      to: {
        chain: l.to.chain,
        edge: l.to.edge,
        tx: l.to.tx,
        recipient: l.to.recipient,
        value: amount(l.to.value, to),
        tainted: amount(l.to.tainted, to),
      },
      ...(l.heuristic ? { heuristic: l.heuristic } : {}),
    };
  });
}

type Json = ReturnType<typeof toJsonObject>;
type NodeJson = Json['graph']['nodes'][number];

/**
 * Several results as one document: `--asset all` (one trace per asset), or one trace that followed
 * conversions (the result and its `parts`, in the asset each was converted into; `query.asset`
 * stays the asset the trace started in, and `conversions` lists each conversion).
 */
export function toMultiJsonObject(parts: readonly TraceResult[], conversions?: TraceResult) {
  const crossChain = parts.some((p) => p.query.chain !== parts[0]!.query.chain);
  // A trace continued across a bridge: each part names its chain (the same asset key may be on two).
  const assets = parts.map((p) => (crossChain ? { ...p.query.asset, chain: p.query.chain } : p.query.asset));
  const objs = parts.map(toJsonObject);
  const first = objs[0]!;
  const nodes = new Map<
    string,
    {
      key: string;
      attributes: Omit<NodeJson['attributes'], 'received' | 'sent' | 'tainted'> & Record<string, unknown>;
    }
  >();
  const amounts = new Map<string, { received: unknown[]; sent: unknown[]; tainted: unknown[] }>();
  // Hop, seed and stop of each node in each asset's own trace (null where it is not in it).
  const perAsset = new Map<string, ({ hop: number; seed: boolean; stop: string | null } | null)[]>();
  parts.forEach((p, i) => {
    const a = p.outcome.asset;
    for (const n of objs[i]!.graph.nodes) {
      const { received: _r, sent: _s, tainted: _t, ...rest } = n.attributes;
      const prev = nodes.get(n.key);
      if (!prev) nodes.set(n.key, { key: n.key, attributes: { ...rest } });
      else {
        prev.attributes.hop = Math.min(prev.attributes.hop, rest.hop);
        prev.attributes.seed ||= rest.seed;
        prev.attributes.stop ??= rest.stop;
      }
      // One entry per asset of query.assets, in its order (zero where the node is not in that
      // asset's trace), so entry k is always asset k's amount.
      const zeros = () => parts.map((q) => amountJson(0n, q.outcome.asset));
      const m = amounts.get(n.key) ?? { received: zeros(), sent: zeros(), tainted: zeros() };
      const attrs = p.outcome.graph.getNodeAttributes(n.key);
      m.received[i] = amountJson(attrs.received, a);
      m.sent[i] = amountJson(attrs.sent, a);
      m.tainted[i] = amountJson(attrs.tainted, a);
      amounts.set(n.key, m);
      const pa = perAsset.get(n.key) ?? parts.map(() => null);
      pa[i] = { hop: rest.hop, seed: rest.seed, stop: rest.stop };
      perAsset.set(n.key, pa);
    }
  });
  const byKey = (
    x: { key: string; attributes: { hop: number } },
    y: { key: string; attributes: { hop: number } },
  ) => x.attributes.hop - y.attributes.hop || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
  return {
    schema: first.schema,
    generator: first.generator,
    query: {
      ...first.query,
      asset: conversions ? first.query.asset : 'all',
      assets,
      // Limits and dust are amounts of one asset: each asset's own (query.limits is the first's).
      perAsset: objs.map((o) => ({
        limits: o.query.limits,
        ...(o.query.options ? { options: o.query.options } : {}),
        // A part on another chain was read from that chain's own source.
        ...(crossChain ? { sources: o.query.sources } : {}),
      })),
    },
    ...(conversions ? { conversions: conversionsJson(conversions) } : {}),
    ...(conversions?.links ? { bridges: linksJson(conversions) } : {}),
    summary: { perAsset: objs.map((o, i) => ({ asset: assets[i], ...o.summary })) },
    exposure: { perAsset: objs.map((o, i) => ({ asset: assets[i], ...o.exposure })) },
    graph: {
      nodes: [...nodes.values()]
        .map((n) => ({
          key: n.key,
          attributes: { ...n.attributes, ...amounts.get(n.key)!, perAsset: perAsset.get(n.key)! },
        }))
        .sort(byKey),
      edges: objs.flatMap((o) => o.graph.edges).sort(byKey),
    },
    warnings: objs.flatMap((o) =>
      o.warnings.map((w) => `${o.query.asset.symbol}${crossChain ? ` on ${o.query.chain}` : ''}: ${w}`),
    ),
  };
}
