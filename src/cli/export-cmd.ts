// `fundtrace export CASE|RESULT --format …`: the trace graph for Gephi, yEd, Graphviz, Mermaid,
// Neo4j or a spreadsheet, from a case directory or a saved `trace --format json` result.
import { type Command, Option } from 'commander';
import { EXPORT_FORMATS, renderExport, renderTrailExport } from '../report/export/index.js';
import { loadInput, oneAsset, pickAsset } from './case-input.js';
import type { CliContext } from './context.js';
import { enumFlag } from './flags.js';
import { checkOutTarget, writeOutput } from './output.js';

export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .summary('export the trace graph: GEXF, GraphML, DOT, Mermaid, Cypher or CSV')
    .description(
      'Write the trace graph of a case directory (or a `trace --format json` result file) in a graph format. ' +
        'Nodes carry label, entity, category, hop and amounts; edges asset, value, tainted value, tx and time.',
    )
    .argument('<input>', 'case directory or trace result JSON file')
    .addOption(new Option('--format <format>', `one of: ${EXPORT_FORMATS.join(', ')}`).makeOptionMandatory())
    .option('--table <table>', 'with --format csv: nodes or edges', 'edges')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--asset <asset>', 'an --asset all result: export only this asset (symbol or token contract)')
    .addHelpText(
      'after',
      `
Examples:
  fundtrace export cases/darklock --format gexf --out darklock.gexf      open in Gephi
  fundtrace export trace.json --format dot | dot -Tsvg > trace.svg
  fundtrace export cases/darklock --format cypher | cypher-shell -u neo4j
  fundtrace export cases/darklock --format csv --table nodes > nodes.csv
  fundtrace export all-assets.json --format csv          an --asset all result: every asset's edges
  fundtrace export all-assets.json --format gexf --asset USDT
  fundtrace export swapped.json --format gexf           a trace that followed swaps or bridges: one graph,
                                                        conversion and bridge edges typed (kind, bridge_*)`,
    )
    .action(async (input: string, flags: { format: string; table: string; out?: string; asset?: string }) => {
      const format = enumFlag('--format', flags.format, EXPORT_FORMATS);
      const table = enumFlag('--table', flags.table, ['nodes', 'edges'] as const);
      await checkOutTarget(flags.out);
      const docs = pickAsset((await loadInput(input)).docs, flags.asset);
      // Edges of several assets fit one CSV (each row names its asset, the header is written once);
      // every other format draws one asset's graph.
      // A trace that followed conversions or bridges is one story: one graph across its parts.
      const text =
        docs.length > 1 && docs[0]!.trail
          ? renderTrailExport(docs, format, table)
          : format === 'csv' && table === 'edges' && docs.length > 1
            ? docs
                .map((d, i) =>
                  i === 0 ? renderExport(d, format, table) : dropFirstLine(renderExport(d, format, table)),
                )
                .join('')
            : renderExport(
                oneAsset(docs, `export --format ${format}${format === 'csv' ? ' --table nodes' : ''}`),
                format,
                table,
              );
      await writeOutput(ctx.io, text, flags.out);
    });
}

const dropFirstLine = (csv: string) => csv.slice(csv.indexOf('\n') + 1);
