// `fundtrace report CASE|RESULT --format md|html`: a Markdown report for a file or a request letter,
// or one self-contained interactive HTML page (graph, details, hop-by-hop steps, tables).

import type { Command } from 'commander';
import { type CaseManifest, sha256 } from '../case/manifest.js';
import { renderHtml, renderHtmlTrail } from '../report/html/page.js';
import { renderMarkdownAll } from '../report/markdown.js';
import { loadInput, oneAsset, pickAsset } from './case-input.js';
import type { CliContext } from './context.js';
import { enumFlag, intFlag } from './flags.js';
import { checkOutTarget, writeOutput } from './output.js';

export const REPORT_FORMATS = ['md', 'html'] as const;

export function registerReportCommand(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .summary('write a Markdown or interactive HTML report of a case')
    .description(
      'Markdown (--format md): the question, method, headline figures, exposure, the exits table for a ' +
        'request letter, funds at rest, a Mermaid diagram of the main paths, limitations, the case hash. ' +
        'HTML (--format html): one self-contained page with the trace graph (hover/click for details, ' +
        'step through it hop by hop with the buttons or ← →) beside the summary, exposure and exits tables.',
    )
    .argument('<input>', 'case directory (or a trace result JSON file)')
    .option('--format <format>', 'md or html', 'md')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--top <n>', 'md: flows drawn individually in the diagram', '12')
    .option('--max-nodes <n>', 'html: graphs larger than this are reduced for display', '2000')
    .option('--asset <asset>', 'an --asset all result: report only this asset (symbol or token contract)')
    .addHelpText(
      'after',
      `
Examples:
  fundtrace report cases/darklock --format md --out darklock.md
  fundtrace report cases/darklock --format html --out darklock.html     open it in any browser, offline
  fundtrace report all-assets.json --format md          an --asset all result: one section per asset
  fundtrace report all-assets.json --format html --asset USDT
  fundtrace report swapped.json --format md             a trace that followed swaps or bridges: where it
                                                        started, the conversions and bridges, then each asset`,
    )
    .action(
      async (
        input: string,
        flags: { format: string; out?: string; top: string; maxNodes: string; asset?: string },
      ) => {
        const format = enumFlag('--format', flags.format, REPORT_FORMATS);
        const top = intFlag('--top', flags.top, 1, 10_000);
        const maxNodes = intFlag('--max-nodes', flags.maxNodes, 10, 1_000_000);
        await checkOutTarget(flags.out);
        const loaded = await loadInput(input);
        const manifest: CaseManifest | undefined = loaded.case?.manifest;
        const caseHash = loaded.case ? sha256(loaded.case.manifestText) : undefined;
        const ctxR = { ...(manifest ? { manifest } : {}), ...(caseHash ? { caseHash } : {}) };
        const docs = pickAsset(loaded.docs, flags.asset);
        const text =
          format === 'md'
            ? renderMarkdownAll(docs, { ...ctxR, topFlows: top })
            : docs.length > 1 && docs[0]!.trail
              ? // A trace that followed conversions or bridges: one graph across its parts.
                await renderHtmlTrail(docs, { ...ctxR, maxNodes, keep: Math.min(1500, maxNodes) })
              : await renderHtml(oneAsset(docs, 'report --format html'), {
                  ...ctxR,
                  maxNodes,
                  keep: Math.min(1500, maxNodes),
                });
        await writeOutput(ctx.io, text, flags.out);
      },
    );
}
