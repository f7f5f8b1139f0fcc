// `fundtrace export CASE|RESULT --format …`: the trace graph for Gephi, yEd, Graphviz, Mermaid,
// Neo4j or a spreadsheet, from a case directory or a saved `trace --format json` result.
import { type Command, Option } from 'commander';
import { EXPORT_FORMATS, renderExport } from '../report/export/index.js';
import { loadInput } from './case-input.js';
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
    .addHelpText(
      'after',
      `
Examples:
  fundtrace export cases/darklock --format gexf --out darklock.gexf      open in Gephi
  fundtrace export trace.json --format dot | dot -Tsvg > trace.svg
  fundtrace export cases/darklock --format cypher | cypher-shell -u neo4j
  fundtrace export cases/darklock --format csv --table nodes > nodes.csv`,
    )
    .action(async (input: string, flags: { format: string; table: string; out?: string }) => {
      const format = enumFlag('--format', flags.format, EXPORT_FORMATS);
      const table = enumFlag('--table', flags.table, ['nodes', 'edges'] as const);
      await checkOutTarget(flags.out);
      const { doc } = await loadInput(input);
      await writeOutput(ctx.io, renderExport(doc, format, table), flags.out);
    });
}
