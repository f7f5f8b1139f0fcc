// The one trace pipeline: engine options from the resolved query, the engine over a view (with the
// source's fetcher filling it round by round), the post-trace heuristics, the result document.
// Every trace goes through here: `fundtrace trace`/`screen`/`demo` (via src/app/trace.ts), case
// writing and `case verify` (replay over recorded lookups, no fetcher) and the tests.
import { postTrace, selectionFromOptions } from '../core/heuristics/index.js';
import { buildResult, engineOptions, type ResolvedQuery, type TraceResult } from '../core/result.js';
import type { EventRules, LabelPolicy, TraceOptions, TraceOutcome } from '../core/trace-types.js';
import type { ChainView } from '../core/view.js';
import { type DriveOptions, type Fetcher, traceWithFetcher } from './driver.js';

export interface PipelineInput {
  view: ChainView;
  /** Remote sources: fills the view on demand. Absent for complete data (datasets, replays). */
  fetcher?: Fetcher;
  query: ResolvedQuery;
  policy: LabelPolicy;
  generator: TraceResult['generator'];
  /** Decoding of event logs (the contract registry): conversions are followed when given. */
  events?: EventRules;
  /** A bridge's destination leg: the seed transfers with their taint, and the hop they arrive at. */
  entry?: Pick<TraceOptions, 'entries' | 'hopBase'>;
  /** Warnings from outside the engine (label loading, source notes), asked for after the trace
   *  (a remote source learns of gaps while it fetches). */
  warnings?: () => readonly string[];
}

export async function tracePipeline(
  p: PipelineInput,
  drive: DriveOptions = {},
): Promise<{ result: TraceResult; outcome: TraceOutcome; warnings: string[] }> {
  const outcome = await traceWithFetcher(
    p.view,
    p.fetcher,
    { ...engineOptions(p.query, p.policy, p.events), ...p.entry },
    drive,
  );
  postTrace(outcome, p.view, selectionFromOptions(p.query.options));
  const warnings = [...(p.warnings?.() ?? [])];
  return { result: buildResult(p.generator, p.query, outcome, warnings), outcome, warnings };
}
