// The work of `fundtrace trace`: flags → one TraceQuery → the application (src/app/trace.ts) → a
// renderer. Loaded by the command's action (./trace-cmd.ts), so help never loads it.
import type { Command } from 'commander';
import {
  caseNotWritten,
  isAllAssets,
  openTrace,
  type TraceDeps,
  type TraceQuery,
  type TraceSession,
  traceAllAssets,
} from '../app/trace.js';
import { withChains } from '../core/chains.js';
import { FundtraceError } from '../core/errors.js';
import type { TraceResult } from '../core/result.js';
import type { CsvTable } from '../report/csv.js';
import { renderJsonChunks, renderMultiJsonChunks } from '../report/json.js';
import { termSafe } from '../report/sanitize.js';
import type { CliContext } from './context.js';
import type { Io } from './io.js';
import { writeOutput } from './output.js';
import { type ProgressLine, progressLine } from './progress.js';
import type { TRACE_FORMATS, TraceFlags } from './trace-query.js';

/** What the command checked before loading this module: the query and the rendering choices. */
export interface TraceCommandInput {
  seed: string;
  flags: TraceFlags;
  query: TraceQuery;
  format: (typeof TRACE_FORMATS)[number];
  table: CsvTable;
}

export async function runTraceCommand(i: TraceCommandInput, ctx: CliContext, cmd: Command): Promise<void> {
  const { seed, flags, query, format, table } = i;
  const globals = cmd.optsWithGlobals() as { color?: boolean };
  const all = isAllAssets(flags.asset);
  // Config chains are this command's own (src/core/chains.ts).
  await withChains(query.chains, async () => {
    const deps = traceDeps(ctx.io, ctx.verbose);
    // The session (and the records its view read) is dropped before rendering: a busy trace's
    // records are most of its memory, and rendering needs only the results.
    const parts = await traceParts(await openTrace(query, deps, seed), seed, all);
    let text: string | Iterable<string>;
    if (format === 'json') text = all ? renderMultiJsonChunks(parts) : renderJsonChunks(parts[0]!);
    else {
      // The other renderers (and chalk) load only when asked for: JSON, what scripts and
      // benchmarks read, starts without them.
      const { makeChalk, renderTrace } = await import('./trace-render.js');
      const c = makeChalk(ctx.io, globals.color !== false && !flags.out);
      // A table on a terminal fits its width (addresses shortened in the middle); --wide, --out
      // and pipes get every value in full.
      const fit = { ...(!flags.wide && !flags.out ? { width: ctx.io.stdoutColumns } : {}) };
      text = renderTrace(parts, all, format, table, c, fit);
    }
    await writeOutput(ctx.io, text, flags.out);
    const failed = parts.map((r) => caseNotWritten.get(r)).find((e) => e !== undefined);
    if (failed)
      throw new FundtraceError(
        failed.code,
        `the trace finished and its result was ${flags.out ? `written to ${termSafe(flags.out)}` : 'printed'}, but the case was NOT written: ${failed.message}`,
        failed.details,
      );
    const cut = parts
      .flatMap((r) => [r, ...(r.parts ?? [])])
      .flatMap((r) => Object.keys(r.summary.cutByReason));
    if (flags.strict && cut.length > 0) {
      ctx.io.err(
        `fundtrace: --strict: the trace was cut short (${[...new Set(cut)].sort().join(', ')}); result printed, exit 5\n`,
      );
      ctx.status = 5;
    }
  });
}

async function traceParts(session: TraceSession, seed: string, all: boolean): Promise<TraceResult[]> {
  return all ? traceAllAssets(session, seed) : [await session.trace(seed)];
}

/** What the application needs from the process: env, Ctrl-C, notes on stderr, a progress line on a terminal. */
export function traceDeps(io: Io, verbose = false): TraceDeps {
  let line: ProgressLine | undefined;
  return {
    env: io.env,
    ...(io.signal ? { signal: io.signal } : {}),
    note: (text) => {
      line?.clear(); // a note never lands on the end of the progress line
      io.err(`fundtrace: ${text}\n`);
    },
    ...(io.stderrIsTTY
      ? {
          progress: (text: string) => {
            line = progressLine(process.stderr, text, {
              env: io.env,
              ...(io.signal ? { signal: io.signal } : {}),
            });
            return line;
          },
        }
      : {}),
    verbose,
  };
}
