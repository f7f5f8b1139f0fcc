// `fundtrace diff A B` (two trace results or case directories) and `fundtrace case retrace DIR
// --out NEW` (the same query again, at the source's current tip, as a new case).
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openTrace } from '../app/trace.js';
import { readManifest } from '../case/read.js';
import { loadEvidence } from '../case/verify.js';
import { withChains } from '../core/chains.js';
import { FundtraceError, usageError } from '../core/errors.js';
import { termSafe } from '../report/sanitize.js';
import {
  asTraceJson,
  diffTraces,
  renderDiffJson,
  renderDiffMarkdown,
  renderDiffTable,
  type TraceJsonDoc,
} from '../report/trace-diff.js';
import type { CliContext } from './context.js';
import { collect, enumFlag } from './flags.js';
import { checkOutTarget, writeOutput } from './output.js';
import { type TraceFlags, traceQueryFromFlags } from './trace-query.js';
import { traceDeps } from './trace-run.js';

const FORMATS = ['table', 'json', 'md'] as const;

/** A trace result file, or a case directory's result.json. */
async function loadResult(p: string): Promise<TraceJsonDoc> {
  let file = p;
  try {
    if ((await stat(p)).isDirectory()) file = join(p, 'result.json');
  } catch {
    throw new FundtraceError('BAD_INPUT', `${termSafe(p)}: no such file or case directory`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new FundtraceError('BAD_INPUT', `${termSafe(file)}: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    return asTraceJson(doc, termSafe(file));
  } catch (e) {
    throw new FundtraceError('BAD_INPUT', (e as Error).message);
  }
}

export function registerDiffCommand(program: Command, ctx: CliContext): void {
  program
    .command('diff')
    .summary('what changed between two trace results or cases')
    .description(
      'Compare two trace results (trace --format json) or case directories: flows added, removed and ' +
        'changed, terminals, exposure and funds at rest that changed, with amounts (B − A).',
    )
    .argument('<a>', 'the earlier result: a JSON file or a case directory')
    .argument('<b>', 'the later result')
    .option('--format <format>', 'table, json or md', 'table')
    .option('--out <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Examples:
  fundtrace diff my-case my-case-retraced
  fundtrace diff before.json after.json --format md > changes.md`,
    )
    .action(async (a: string, b: string, flags: { format: string; out?: string }) => {
      const format = enumFlag('--format', flags.format, FORMATS);
      await checkOutTarget(flags.out);
      const A = await loadResult(a);
      const B = await loadResult(b);
      if (A.summary.traced.asset !== B.summary.traced.asset)
        throw usageError(
          `${termSafe(a)} traces ${termSafe(A.summary.traced.asset)}, ${termSafe(b)} traces ${termSafe(B.summary.traced.asset)}: diff compares one asset`,
        );
      const d = diffTraces(A, B);
      const text =
        format === 'json' ? renderDiffJson(d) : format === 'md' ? renderDiffMarkdown(d) : renderDiffTable(d);
      await writeOutput(ctx.io, text, flags.out);
    });

  const caseCmd = program.commands.find((c) => c.name() === 'case');
  if (!caseCmd) return;
  caseCmd
    .command('retrace')
    .description(
      "trace a case's query again at the source's current tip and write a new case (then: fundtrace diff DIR NEW)",
    )
    .argument('<dir>', 'case directory')
    .requiredOption('--out <dir>', 'the new case directory')
    .option('--source <spec>', 'source to use instead of the one recorded (e.g. with a key, or another node)')
    .option('--labels <file>', 'label files instead of the recorded ones (repeatable)', collect)
    .option('--no-label-dir', 'do not load the local label directory')
    .option('--force', 'replace an existing --out case')
    .option('--api-key <key>', 'etherscan: API key (default: ETHERSCAN_API_KEY); never printed or stored')
    .option('--fiat <code>', "value the figures in this currency (default: the case's own, when it has one)")
    .option(
      '--prices <dir|url>',
      "price data for --fiat (as for trace; repeatable); default: the prices the case recorded, which cover only the case's own days",
      collect,
    )
    .action(
      async (
        dir: string,
        flags: {
          out: string;
          source?: string;
          labels?: string[];
          labelDir?: boolean;
          force?: boolean;
          apiKey?: string;
          fiat?: string;
          prices?: string[];
        },
      ) => {
        const r = await loadResult(dir);
        // A case made with --fiat: its currency again, and its recorded prices unless --prices.
        // (A result.json without a manifest re-traces as before, with no recorded prices.)
        const manifest = await readManifest(dir).then(
          (m) => m.manifest,
          () => undefined,
        );
        const recorded = manifest?.replay.prices !== undefined ? (await loadEvidence(dir)).fiat : undefined;
        const fiatCode = flags.fiat ?? recorded?.currency;
        const q = r.query as TraceJsonDoc['query'] & {
          seed: string;
          direction: string;
          asset: { symbol: string; contract?: string };
          bounds: { since: { height?: number; time?: string } | null };
          limits: { minValue: { display: string }; maxNodes: number; historyLimit: number };
          sources: string[];
          options: {
            cospend: boolean;
            deposits: boolean;
            coinjoin?: boolean;
            change?: boolean;
            peel?: boolean;
            dust: { display: string };
          };
        };
        const source = flags.source ?? q.sources[0];
        if (!source) throw new FundtraceError('BAD_INPUT', `${termSafe(dir)}: the case records no source`);
        const heur = (['coinjoin', 'change', 'peel'] as const).filter((h) => q.options[h] !== false);
        const since = q.bounds.since;
        const tf: TraceFlags = {
          source: [source],
          direction: q.direction,
          hops: String(q.hops),
          model: q.model,
          asset: q.asset.contract ?? q.asset.symbol,
          ...(since ? { since: since.height !== undefined ? String(since.height) : String(since.time) } : {}),
          // no --until: the point of a re-trace is what happened since
          minValue: q.limits.minValue.display,
          maxNodes: String(q.limits.maxNodes),
          historyLimit: String(q.limits.historyLimit),
          labels: flags.labels ?? q.labels,
          ...(flags.labelDir === false ? { labelDir: false } : {}),
          table: 'edges',
          // At the current tip: a cached address history (mutable, kept for minutes) would hide
          // exactly the new activity a re-trace is for.
          cache: false,
          cospend: q.options.cospend,
          deposits: q.options.deposits,
          heuristics: heur.length ? heur.join(',') : 'none',
          dust: q.options.dust.display,
          case: flags.out,
          ...(flags.force ? { force: true } : {}),
          ...(flags.apiKey ? { apiKey: flags.apiKey } : {}),
          ...(fiatCode !== undefined ? { fiat: fiatCode } : {}),
          ...(flags.prices ? { prices: flags.prices } : {}),
        };
        const query = await traceQueryFromFlags(tf, ctx.io.env);
        if (query.fiat && recorded) query.fiat.recorded = recorded.prices;
        await withChains(query.chains, async () => {
          const session = await openTrace(query, traceDeps(ctx.io, ctx.verbose), q.seed);
          await session.trace(q.seed);
          ctx.io.err(`fundtrace: compare with: fundtrace diff ${termSafe(dir)} ${termSafe(flags.out)}\n`);
        });
      },
    );
}
