// Runs the pure engine against a source that fetches on demand: the engine reports what it
// lacked (addresses, transactions, outspends), the source fetches all of it concurrently, and the
// engine runs again over the larger view. Each round adds at least one hop's worth of data, so
// wall time tracks the number of hops, not the number of transactions.
import { FundtraceError } from '../core/errors.js';
import { runTrace } from '../core/trace.js';
import type { MissingData, TraceOptions, TraceOutcome } from '../core/trace-types.js';
import type { ChainView } from '../core/view.js';

export interface Fetcher {
  /** Fetch everything listed (concurrently, within the host's limits) into the view. */
  fetchMissing(missing: MissingData, signal?: AbortSignal): Promise<void>;
  /**
   * Called when a round lacks nothing: a source that adds labels for the addresses the trace
   * reached (GraphSense tags) fetches them here and answers true when any label was added, so
   * the engine runs once more with them. Each address is asked once, so this settles.
   */
  settle?(outcome: TraceOutcome, signal?: AbortSignal): Promise<boolean>;
}

export const isEmpty = (m: MissingData) => m.addresses.length + m.txs.length + m.outspends.length === 0;

export interface DriveOptions {
  signal?: AbortSignal;
  /** Called after each round, for progress display. */
  onRound?: (round: number, missing: MissingData) => void;
  maxRounds?: number;
}

export async function traceWithFetcher(
  view: ChainView,
  fetcher: Fetcher | undefined,
  opts: TraceOptions,
  d: DriveOptions = {},
): Promise<TraceOutcome> {
  const maxRounds = d.maxRounds ?? 10_000;
  let previous = '';
  for (let round = 1; ; round++) {
    let outcome: TraceOutcome | undefined = runTrace(view, opts);
    if (!fetcher) return outcome;
    if (isEmpty(outcome.missing)) {
      if (fetcher.settle && (await fetcher.settle(outcome, d.signal))) continue;
      return outcome;
    }
    // A source that answered but still lacks the same items would loop forever: stop; the
    // engine has already marked those paths as cut by missing data.
    const now = JSON.stringify(outcome.missing);
    if (now === previous) return outcome;
    if (round > maxRounds) {
      throw new FundtraceError('INTERNAL', `the trace did not settle after ${maxRounds} fetch rounds`);
    }
    previous = now;
    const missing = outcome.missing;
    // Not kept while the next round runs (a busy trace's round holds a graph of thousands of nodes).
    outcome = undefined;
    d.onRound?.(round, missing);
    await fetcher.fetchMissing(missing, d.signal);
  }
}
