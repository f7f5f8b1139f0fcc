// `fundtrace labels import|list|lookup|stats`: manage the local label directory the CLI loads by
// default, and inspect labels (the local directory plus any --labels files).
import type { Command } from 'commander';
import { canonicalAddress, guessChainFamily } from '../core/address.js';
import { isBurnAddress } from '../core/burn.js';
import { findChain } from '../core/chains.js';
import { usageError } from '../core/errors.js';
import type { Label } from '../core/model.js';
import { defaultLabelDir, importIntoDirectory } from '../labels/directory.js';
import { isLabelFormat, labelFormats } from '../labels/importers/index.js';
import { formatProblem } from '../labels/load.js';
import { labelStats } from '../labels/stats.js';
import { categoryPolicy, isFlagged, isService, rankLabels } from '../labels/taxonomy.js';
import { csvRow, stringifySafe, termSafe } from '../report/sanitize.js';
import type { CliContext } from './context.js';
import { collect, enumFlag } from './flags.js';
import { loadLabels, refuseEmptyLabelFiles } from './policy.js';

interface ListFlags {
  labels?: string[];
  lenient?: boolean;
  strictLabels?: boolean;
  labelDir?: boolean;
  chain?: string;
  category?: string;
  format: string;
}

const labelRow = (l: Label) => ({
  chain: l.chain,
  address: l.address,
  entity: l.entity,
  category: l.category,
  source: l.source,
  confidence: l.confidence ?? null,
  note: l.note ?? null,
  lastmod: l.lastmod ?? null,
});

export function registerLabelsCommands(program: Command, ctx: CliContext): void {
  const labels = program
    .command('labels')
    .description('label sources: import into the local label directory, list, look up, count')
    .addHelpText(
      'after',
      `\nLocal label directory: $FUNDTRACE_LABEL_DIR, else ~/.local/share/fundtrace/labels (loaded by every trace).`,
    );

  labels
    .command('import')
    .description('import a label file into the local label directory (normalised to fundtrace JSON Lines)')
    .argument(
      '<file>',
      'label file: fundtrace JSON/JSONL/CSV, GraphSense TagPack YAML, OFAC SDN CSV or lists, Etherscan exports, scam lists',
    )
    .option('--format <name>', `the file's format (default: detected): ${labelFormats().join(', ')}`)
    .option(
      '--lenient',
      'import the good entries and report the bad ones (default for third-party lists; fundtrace files are refused)',
    )
    .option('--strict-labels', 'refuse a third-party list (OFAC, Etherscan, MEW …) with any bad entry')
    .option('--name <name>', 'name of the file in the label directory (default: from the source)')
    .option('--dir <dir>', 'label directory (default: the local one)')
    .addHelpText(
      'after',
      '\nExample:\n  fundtrace labels import ../shared/data/graphsense-tagpacks/packs/tornado_cash.yaml --lenient',
    )
    .action(
      async (
        file: string,
        f: { format?: string; lenient?: boolean; strictLabels?: boolean; name?: string; dir?: string },
      ) => {
        if (f.format !== undefined && !isLabelFormat(f.format)) {
          throw usageError(`--format "${termSafe(f.format)}" is not one of: ${labelFormats().join(', ')}`);
        }
        const dir = f.dir ?? defaultLabelDir(ctx.io.env);
        await refuseEmptyLabelFiles([file]);
        if (f.lenient && f.strictLabels) throw usageError('--lenient and --strict-labels exclude each other');
        const r = await importIntoDirectory(dir, file, {
          format: f.format,
          lenient: f.lenient,
          strict: f.strictLabels,
          name: f.name,
        });
        for (const p of r.warnings) ctx.io.err(`fundtrace: warning: ${formatProblem(p)}\n`);
        const skipped = r.skipped.reduce((a, s) => a + s.count, 0);
        ctx.io.out(
          `imported ${r.count} labels (${r.format}) into ${termSafe(r.path)}` +
            (r.warnings.length ? `; ${r.warnings.length} bad entries skipped` : '') +
            (skipped ? `; ${skipped} entries for unsupported chains or without an address skipped` : '') +
            '\n',
        );
      },
    );

  const listing = (name: string, description: string) =>
    labels
      .command(name)
      .description(description)
      .option('--labels <file>', 'also load this label file (repeatable)', collect)
      .option('--lenient', 'label files: load the good entries and warn about bad ones')
      .option('--strict-labels', 'label files: refuse third-party lists with any bad entry (default: warn)')
      .option('--no-label-dir', 'do not load the local label directory')
      .option('--chain <name>', 'only this chain');

  listing('list', 'list labels (local directory plus --labels files)')
    .option('--category <cat>', 'only this category')
    .option('--format <format>', 'ndjson or csv', 'ndjson')
    .action(async (f: ListFlags) => {
      const format = enumFlag('--format', f.format, ['ndjson', 'csv'] as const);
      const chain = f.chain === undefined ? undefined : resolveChain(f.chain);
      const set = await loadLabels(f, ctx.io, []);
      for (const w of set.warnings) ctx.io.err(`fundtrace: warning: ${termSafe(w)}\n`);
      const rows = [...set.store]
        .filter(
          (l) =>
            (chain === undefined || l.chain === chain) &&
            (f.category === undefined || l.category === f.category),
        )
        .sort((a, b) => (a.chain + a.address + a.entity < b.chain + b.address + b.entity ? -1 : 1));
      if (format === 'csv')
        ctx.io.out(
          csvRow(['chain', 'address', 'entity', 'category', 'source', 'confidence', 'note', 'lastmod']),
        );
      for (const l of rows) {
        if (format === 'csv') ctx.io.out(csvRow(Object.values(labelRow(l))));
        else ctx.io.out(stringifySafe(labelRow(l)) + '\n');
      }
    });

  listing('lookup', 'every label of one address, best first, and the category that decides its exposure')
    .argument('<address>', 'the address')
    .action(async (address: string, f: ListFlags) => {
      const chain = f.chain !== undefined ? resolveChain(f.chain) : chainOfAddress(address);
      const canonical = canonicalAddress(chain, address);
      const set = await loadLabels(f, ctx.io, []);
      for (const w of set.warnings) ctx.io.err(`fundtrace: warning: ${termSafe(w)}\n`);
      const found = rankLabels(set.store.get(chain, canonical), set.categories);
      const policy = categoryPolicy();
      // The null, burn and precompile addresses are never exposure, whatever their labels say.
      const burn = isBurnAddress(chain, canonical);
      ctx.io.out(
        stringifySafe(
          {
            chain,
            address: canonical,
            category: found[0]?.category ?? null,
            flagged:
              !burn && found[0]
                ? isFlagged(found[0].category, policy) || found[0].category === 'sanctioned'
                : false,
            service: !burn && found[0] ? isService(found[0].category, policy) : false,
            ...(burn
              ? { burn: 'a null, burn or precompile address: never counted as exposure in a trace' }
              : {}),
            labels: found.map(labelRow),
          },
          2,
        ) + '\n',
      );
      if (found.length === 0) {
        ctx.io.err(`fundtrace: no labels for ${termSafe(canonical)} on ${chain}\n`);
        ctx.status = 3;
      }
    });

  listing('stats', 'count labels by category, chain and source').action(async (f: ListFlags) => {
    const chain = f.chain === undefined ? undefined : resolveChain(f.chain);
    const set = await loadLabels(f, ctx.io, []);
    const st = labelStats([...set.store].filter((l) => chain === undefined || l.chain === chain));
    ctx.io.out(stringifySafe({ files: set.loaded, ...st }, 2) + '\n');
  });
}

function resolveChain(name: string): string {
  const c = findChain(name);
  if (!c) throw usageError(`--chain "${termSafe(name)}" is not a known chain`);
  return c.name;
}

/** Bitcoin addresses name their network; 0x addresses default to ethereum (use --chain otherwise);
 *  T… addresses are TRON's. */
function chainOfAddress(address: string): string {
  const fam = guessChainFamily(address.trim());
  if (fam === 'bitcoin' || fam === 'bitcoin-testnet' || fam === 'tron') return fam;
  if (fam === 'evm') return 'ethereum';
  throw usageError(`"${termSafe(address)}" is not a Bitcoin, EVM or TRON address (give --chain if it is)`);
}
