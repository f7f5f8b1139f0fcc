// Wires labels into the engine's LabelPolicy: the taxonomy decides which addresses are exits
// (services) and which are flagged hits; sanctioned outranks everything (src/labels/taxonomy.ts).
import { open } from 'node:fs/promises';
import { reservedAddress, reservedNote } from '../core/burn.js';
import { FundtraceError, inputError, usageError } from '../core/errors.js';
import type { Label } from '../core/model.js';
import type { LabelPolicy } from '../core/trace-types.js';
import { defaultLabelDir, loadDirectory } from '../labels/directory.js';
import { isLabelFormat, labelFormats } from '../labels/importers/index.js';
import { formatProblem } from '../labels/load.js';
import { LabelStore, loadLabelStore } from '../labels/store.js';
import { type CategoryPolicy, categoryPolicy, DEFAULT_POLICY, primaryLabel } from '../labels/taxonomy.js';
import { termSafe } from '../report/sanitize.js';
import type { Config } from './config.js';
import type { Io } from './io.js';

/**
 * `notes`, when given, receives one line per burn/mint/null/precompile address whose labels were
 * ignored (src/core/burn.ts): such an address is never an exit or a flagged hit.
 */
export function labelPolicy(
  lookup: (address: string) => readonly Label[],
  cats: CategoryPolicy = DEFAULT_POLICY,
  chainKind?: 'account' | 'utxo',
  notes?: string[],
): LabelPolicy {
  // The engine asks about the same addresses many times (limits, nodes, clusters): remember answers.
  const memo = new Map<string, readonly Label[]>();
  const labelsOf = (a: string) => {
    let l = memo.get(a);
    if (l === undefined) {
      l = lookup(a);
      const reserved = chainKind && l.length > 0 ? reservedAddress(chainKind, a) : null;
      if (reserved) {
        notes?.push(reservedNote(a, reserved, [...new Set(l.map((x) => x.category))].sort()));
        l = [];
      }
      memo.set(a, l);
    }
    return l;
  };
  return {
    labelsOf,
    primary: (labels) => primaryLabel(labels, cats),
    stopKind(labels) {
      const p = primaryLabel(labels, cats);
      if (!p) return null;
      if (cats.flagged.has(p.category)) return 'flagged';
      if (cats.service.has(p.category)) return 'exit';
      return null;
    },
  };
}

export interface LabelFlags {
  labels?: string[];
  labelFormat?: string;
  lenient?: boolean;
  strictLabels?: boolean;
  labelDir?: boolean;
  flagged?: string;
  services?: string;
  config?: string;
}

export interface LoadedLabelSet {
  store: LabelStore;
  categories: CategoryPolicy;
  /** The --labels files as given (recorded in the query). */
  files: string[];
  /** Every file loaded, the label directory's included, with its entry count. */
  loaded: { file: string; format: string; entries: number }[];
  warnings: string[];
}

/**
 * A label file that holds nothing (no bytes, or only blanks) is a mistake (a failed download, the
 * wrong path): refuse it by name instead of loading zero labels in silence. Files that cannot be
 * read are left to the loader, which reports them.
 */
export async function refuseEmptyLabelFiles(files: readonly string[]): Promise<void> {
  for (const file of files) {
    let fh: Awaited<ReturnType<typeof open>> | undefined;
    try {
      fh = await open(file, 'r');
      const s = await fh.stat();
      if (!s.isFile()) continue;
      const head = Buffer.alloc(Math.min(s.size, 65_536));
      await fh.read(head, 0, head.length, 0);
      if (s.size <= head.length && head.toString('utf8').trim() === '')
        throw inputError(`label file ${JSON.stringify(termSafe(file))} is empty`);
    } catch (e) {
      if (e instanceof FundtraceError) throw e;
    } finally {
      await fh?.close();
    }
  }
}

/** Labels from the source, the local label directory and --labels files, in one store. */
export async function loadLabels(
  flags: LabelFlags,
  io: Io,
  fromSource: readonly Label[],
  config: Config = {},
): Promise<LoadedLabelSet> {
  const store = new LabelStore();
  store.addAll(fromSource);
  const warnings: string[] = [];
  const loaded: LoadedLabelSet['loaded'] = [];
  if (flags.labelDir !== false) {
    const dir = await loadDirectory(defaultLabelDir(io.env), { lenient: true });
    for (const l of dir.store) store.add(l);
    for (const f of dir.files) loaded.push({ file: f.file, format: f.format, entries: f.entries.length });
    warnings.push(...dir.warnings.map((p) => `label directory: ${formatProblem(p)}`));
  }
  const files = flags.labels ?? [];
  if (flags.labelFormat !== undefined && !isLabelFormat(flags.labelFormat)) {
    throw usageError(
      `--label-format "${termSafe(flags.labelFormat)}" is not one of: ${labelFormats().join(', ')}`,
    );
  }
  if (flags.lenient && flags.strictLabels)
    throw usageError('--lenient and --strict-labels exclude each other');
  await refuseEmptyLabelFiles(files);
  const got = await loadLabelStore(files, {
    format: flags.labelFormat,
    lenient: flags.lenient,
    strict: flags.strictLabels,
  });
  for (const l of got.store) store.add(l);
  for (const f of got.files) loaded.push({ file: f.file, format: f.format, entries: f.entries.length });
  warnings.push(...got.warnings.map((p) => `label file: ${formatProblem(p)}`));
  return { store, categories: categoriesFrom(flags, config), files, loaded, warnings };
}

/** Flagged and service sets: --flagged/--services replace the defaults, else the config file's. */
function categoriesFrom(flags: LabelFlags, config: Config): CategoryPolicy {
  const split = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
  const flagged = flags.flagged !== undefined ? split(flags.flagged) : config.flagged;
  const service = flags.services !== undefined ? split(flags.services) : config.services;
  return categoryPolicy({ flagged, service });
}

/** Labels of one chain indexed by address (used where no files or directory are involved, e.g. replay). */
export function indexLabels(chain: string, labels: readonly Label[]): (address: string) => readonly Label[] {
  const store = new LabelStore();
  store.addAll(labels);
  return (a) => store.get(chain, a);
}
