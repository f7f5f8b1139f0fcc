// The one result object every renderer reads (terminal, JSON, CSV, graph exports, reports).
import { FundtraceError } from './errors.js';
import type { Valuation } from './fiat/value.js';
import { selectionFromOptions, utxoHeuristics } from './heuristics/index.js';
import { type Exposure, exposure, type Summary, summarize } from './summary.js';
import type {
  Bound,
  Direction,
  EventRules,
  LabelPolicy,
  Model,
  SeedKind,
  TraceOptions,
  TraceOutcome,
} from './trace-types.js';

export interface ResolvedQuery {
  seed: string;
  seedKind: SeedKind;
  chain: string;
  direction: Direction;
  hops: number;
  model: Model;
  asset: { key: string; symbol: string; decimals: number; contract?: string };
  since: Bound | null;
  until: Bound | null;
  minValue: bigint;
  maxNodes: number;
  historyLimit: number;
  sources: string[];
  labels: string[];
  /** Contract registry files added to the bundled one (--registry): recorded so a re-run decodes alike. */
  registry?: string[];
  /** Heuristics and filters that shaped the result (all switchable by flags). */
  options: {
    cospend: boolean;
    deposits: boolean;
    dust: bigint;
    coinjoin?: boolean;
    change?: boolean;
    peel?: boolean;
    /** false = --no-conversions (asset-true); absent = conversions followed where decoded. */
    conversions?: boolean;
  };
}

/** One bridge the trace followed onto another chain (src/app/bridges.ts), as the document states it. */
export interface BridgeLinkRecord {
  protocol: string;
  key: string;
  identifier: string;
  from: { chain: string; edge: string | null; tx: string; tainted: bigint; amount: bigint };
  to: { chain: string; tx: string; recipient: string; edge: string; value: bigint; tainted: bigint };
  /** --follow-candidates: the link is a heuristic match, not the protocol's identifier. */
  heuristic?: { confidence: string; rule: string };
}

export interface TraceResult {
  generator: { name: string; version: string };
  query: ResolvedQuery;
  outcome: TraceOutcome;
  summary: Summary;
  exposure: Exposure;
  warnings: string[];
  /** `--fiat`: every figure valued at its own time (src/core/fiat); absent without --fiat. */
  fiat?: Valuation;
  /**
   * Conversions (outcome.conversions): the trace in each asset converted into, one result each
   * (its query names that asset). Renderers show them with this one, as one document.
   */
  parts?: TraceResult[];
  /** Bridges followed onto another chain (their destination traces are among `parts`). */
  links?: BridgeLinkRecord[];
}

/** Engine options for a resolved query: one mapping for `fundtrace trace` and for case replay. */
export function engineOptions(q: ResolvedQuery, policy: LabelPolicy, events?: EventRules): TraceOptions {
  return {
    seed: q.seed,
    seedKind: q.seedKind,
    direction: q.direction,
    model: q.model,
    maxHops: q.hops,
    asset: q.asset.key,
    minValue: q.minValue,
    maxNodes: q.maxNodes,
    historyLimit: q.historyLimit,
    ...(q.since ? { since: q.since } : {}),
    ...(q.until ? { until: q.until } : {}),
    policy,
    cospend: q.options.cospend,
    deposits: q.options.deposits,
    dust: q.options.dust,
    heuristics: utxoHeuristics(selectionFromOptions(q.options)),
    // Conversions are followed forward only (backward traces stay in their asset, README).
    ...(events && q.options.conversions !== false && q.direction === 'forward' ? { events } : {}),
  };
}

export function buildResult(
  generator: TraceResult['generator'],
  query: ResolvedQuery,
  outcome: TraceOutcome,
  extraWarnings: string[] = [],
): TraceResult {
  const main = buildOne(generator, query, outcome, extraWarnings);
  if (!outcome.parts || outcome.parts.length === 0) return main;
  main.parts = outcome.parts.map((p) => {
    const { key, symbol, decimals, contract } = p.asset;
    return buildOne(
      generator,
      { ...query, asset: { key, symbol, decimals, ...(contract ? { contract } : {}) } },
      p,
    );
  });
  return main;
}

function buildOne(
  generator: TraceResult['generator'],
  query: ResolvedQuery,
  outcome: TraceOutcome,
  extraWarnings: string[] = [],
): TraceResult {
  const summary = summarize(outcome);
  const warnings = [...outcome.warnings, ...extraWarnings];
  if (summary.cut.length > 0) {
    const reasons = [...new Set(summary.cut.map((c) => c.reason))].sort();
    warnings.push(
      `the trace was cut short by ${reasons.join(', ')}: ${summary.cut.length} path(s) not followed to the end (see summary.cut)`,
    );
  }
  const burns = outcome.terminals.filter((t) => t.reason === 'burn');
  if (burns.length > 0) {
    const total = burns.reduce((a, t) => a + t.amount, 0n);
    const what =
      query.direction === 'backward'
        ? 'came from the null address (minted)'
        : 'went to a burn or null address (burned)';
    warnings.push(
      `${total} base units ${what} in ${burns.length} movement(s): the null, burn and precompile addresses are never counted as exposure, whatever their labels say`,
    );
  }
  if (!summary.conserved && query.model !== 'poison') {
    // Conservation is an invariant of haircut and fifo. A failure means wrong figures (a bug, or
    // data that slipped past validation): an error with exit 1, never a warning beside exit 0.
    throw new FundtraceError(
      'INTERNAL',
      `internal check failed: terminals add up to ${summary.terminalTotal}, not the traced ${summary.traced}; no result written; please report this`,
    );
  }
  return {
    generator,
    query,
    outcome,
    summary,
    exposure: exposure(outcome, query.model, query.direction === 'backward'),
    warnings,
  };
}
