// Re-run a trace from a case: the resolved query (as printed in result.json / manifest.json), the
// recorded lookups and the labels used, through the same pipeline as `fundtrace trace`
// (src/sources/pipeline.ts).

import { inputError } from '../core/errors.js';
import { eventRules } from '../core/events/rules.js';
import type { Label } from '../core/model.js';
import { engineOptions, type ResolvedQuery, type TraceResult } from '../core/result.js';
import type { Bound, Direction, Model, SeedKind, TraceOptions } from '../core/trace-types.js';
import type { ChainView } from '../core/view.js';
import { labelPolicy } from '../labels/policy.js';
import type { CategoryPolicy } from '../labels/taxonomy.js';
import type { DocQuery } from '../report/export/doc.js';
import { tracePipeline } from '../sources/pipeline.js';
import { conversionsApply, loadRegistry } from '../sources/registry.js';

const bound = (b: DocQuery['bounds']['since']): Bound | null =>
  b === null ? null : 'height' in b ? { kind: 'height', height: b.height } : { kind: 'time', time: b.time };

/** The JSON query back into the engine's ResolvedQuery. */
export function queryFromJson(q: DocQuery): ResolvedQuery {
  const bad = (what: string) => inputError(`case query: ${what}`);
  if (!['forward', 'backward'].includes(q.direction)) throw bad(`unknown direction ${q.direction}`);
  if (!['haircut', 'poison', 'fifo'].includes(q.model)) throw bad(`unknown model ${q.model}`);
  if (!['address', 'outpoint', 'tx'].includes(q.seedKind)) throw bad(`unknown seed kind ${q.seedKind}`);
  return {
    seed: q.seed,
    seedKind: q.seedKind as SeedKind,
    chain: q.chain,
    direction: q.direction as Direction,
    hops: q.hops,
    model: q.model as Model,
    asset: {
      key: q.asset.key,
      symbol: q.asset.symbol,
      decimals: q.asset.decimals,
      ...(q.asset.contract ? { contract: q.asset.contract } : {}),
    },
    since: bound(q.bounds.since),
    until: bound(q.bounds.until),
    minValue: BigInt(q.limits.minValue.value),
    maxNodes: q.limits.maxNodes,
    historyLimit: q.limits.historyLimit,
    sources: [...q.sources],
    labels: [...q.labels],
    ...(Array.isArray((q as { registry?: unknown }).registry)
      ? { registry: [...(q as unknown as { registry: string[] }).registry] }
      : {}),
    options: optionsFromJson(q.options),
  };
}

function optionsFromJson(o: DocQuery['options']): ResolvedQuery['options'] {
  const { dust, ...rest } = o ?? {};
  const flags = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'boolean')) as Record<
    string,
    boolean
  >;
  return { cospend: false, deposits: false, ...flags, dust: dust ? BigInt(dust.value) : 0n };
}

/** What a re-run needs besides the query and the chain data: the labels as the trace saw them. */
export interface LabelContext {
  labels: readonly Label[];
  categories: CategoryPolicy;
  /** Extra warnings the trace command added to the result (label loading, source notes). */
  warnings: readonly string[];
}

/** Address → labels, in the order given (node attributes keep that order). */
export function labelIndex(labels: readonly Label[]): (address: string) => readonly Label[] {
  const m = new Map<string, Label[]>();
  for (const l of labels) {
    const list = m.get(l.address);
    if (list) list.push(l);
    else m.set(l.address, [l]);
  }
  const none: readonly Label[] = [];
  return (a) => m.get(a) ?? none;
}

/** Engine options for a resolved query (the same mapping as `fundtrace trace`). */
export function traceOptions(query: ResolvedQuery, ctx: LabelContext): TraceOptions {
  return engineOptions(query, labelPolicy(labelIndex(ctx.labels), ctx.categories));
}

/** Run the one trace pipeline over `view` (recorded lookups: no fetcher) for `query`. */
export async function rerunTrace(
  view: ChainView,
  query: ResolvedQuery,
  ctx: LabelContext,
  generator: TraceResult['generator'],
): Promise<TraceResult> {
  const policy = labelPolicy(labelIndex(ctx.labels), ctx.categories);
  // Conversions and bridges are decoded with the bundled registry and the trace's own registry files.
  const events =
    conversionsApply(view, query.options.conversions) && query.direction === 'forward'
      ? eventRules(await loadRegistry(query.registry ?? []))
      : undefined;
  return (
    await tracePipeline({
      view,
      query,
      policy,
      generator,
      warnings: () => ctx.warnings,
      ...(events ? { events } : {}),
    })
  ).result;
}
