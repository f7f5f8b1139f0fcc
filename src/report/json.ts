// JSON output (`--format json`): the contract's fixed top-level keys, amounts as strings, and a
// deterministic order everywhere (sorted keys of nodes and edges), so the same input prints
// byte-identical output.
import { formatUnits, ratioString } from '../core/amount.js';
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

export function toJsonObject(r: TraceResult): TraceDoc {
  const a = r.outcome.asset;
  const amt = (v: bigint) => amountJson(v, a);
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
        value: amt(e.value),
        tainted: amt(e.tainted),
        hop: e.hop,
        ...(e.inputs ? { inputs: e.inputs.map((i) => ({ address: i.address, amount: amt(i.amount) })) } : {}),
        ...(e.change ? { change: e.change } : {}),
      },
    }))
    .sort((x, y) => x.attributes.hop - y.attributes.hop || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const s = r.summary;
  const ex = r.exposure;
  const item = (i: (typeof ex.direct)[number]) => ({
    category: i.category,
    entity: i.entity,
    flagged: i.flagged,
    value: amt(i.value),
    share: ex.shares ? shareString(i.sharePpm) : null,
    minHops: i.minHops,
    paths: i.paths.map((p) => ({ edges: p.edges, amount: amt(p.amount) })),
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
        value: amt(e.value),
        tainted: amt(e.tainted),
        tx: e.tx,
        time: e.time,
        height: e.height,
        hop: e.hop,
        edge: e.edge,
        kind: e.kind,
        depositAddress: e.depositAddress,
      })),
      atRest: s.atRest.map((h) => ({ address: h.address, amount: amt(h.amount), hop: h.hop })),
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
      direct: ex.direct.map(item),
      indirect: ex.indirect.map(item),
      buckets: ex.buckets.map((b) => ({
        name: b.name,
        value: amt(b.value),
        share: ex.shares ? shareString(b.sharePpm) : null,
      })),
    },
    graph: { nodes, edges },
    warnings: r.warnings,
  };
}

export function renderJson(r: TraceResult): string {
  return stringifySafe(toJsonObject(r), 2) + '\n';
}
