// `fundtrace dataset validate FILE`: every problem with its location, exit 3 when invalid.
import type { Command } from 'commander';
import { termSafe } from '../report/sanitize.js';
import { validateDataset } from '../sources/dataset/index.js';
import type { CliContext } from './context.js';

export function registerDatasetCommands(program: Command, ctx: CliContext): void {
  const ds = program.command('dataset').description('work with offline datasets (fundtrace-dataset/1)');
  ds.command('validate')
    .description('check a dataset file and report every problem with its JSON pointer or line number')
    .argument('<file>', 'dataset file (.json, .jsonl, .ndjson)')
    .addHelpText(
      'after',
      '\nExample:\n  fundtrace dataset validate samples/ransomware-btc.json\n\nExit status 0 when valid, 3 when not.',
    )
    .action(async (file: string) => {
      const r = await validateDataset(file);
      if (r.ok) {
        ctx.io.out(termSafe(`${file}: valid (${describeStats(r.stats)})`) + '\n');
        return;
      }
      ctx.io.err(`fundtrace: dataset ${termSafe(file)} is invalid: ${r.problems.length} problem(s)\n`);
      for (const p of r.problems) ctx.io.err(`  ${termSafe(p.location)}: ${termSafe(p.message)}\n`);
      ctx.status = 3;
    });
}

function describeStats(stats: Record<string, unknown>): string {
  return Object.entries(stats)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
