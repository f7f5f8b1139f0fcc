// Labels for a trace: what the source carries, the local label directory and --labels files, in
// one store; and the category policy (which categories are flagged, which are service exits).
import { open } from 'node:fs/promises';
import { FundtraceError, inputError, usageError } from '../core/errors.js';
import type { Label } from '../core/model.js';
import { defaultLabelDir, loadDirectory } from '../labels/directory.js';
import { isLabelFormat, labelFormats } from '../labels/importers/index.js';
import { formatProblem } from '../labels/load.js';
import { LabelStore, loadLabelStore } from '../labels/store.js';
import { type CategoryPolicy, categoryPolicy } from '../labels/taxonomy.js';
import { termSafe } from '../report/sanitize.js';

/** The label part of a query: files, how to read them, and the category sets. */
export interface LabelQuery {
  files: string[];
  format?: string;
  lenient?: boolean;
  /** Refuse third-party lists with any bad entry (default: load the good ones, warn). */
  strict?: boolean;
  /** Read the local label directory (`fundtrace labels import`). */
  labelDir: boolean;
  /** Categories that count as flagged / as service exits; the defaults when absent. */
  flagged?: string[];
  services?: string[];
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
  q: LabelQuery,
  env: NodeJS.ProcessEnv,
  fromSource: readonly Label[],
): Promise<LoadedLabelSet> {
  const store = new LabelStore();
  store.addAll(fromSource);
  const warnings: string[] = [];
  const loaded: LoadedLabelSet['loaded'] = [];
  if (q.labelDir) {
    const dir = await loadDirectory(defaultLabelDir(env), { lenient: true });
    for (const l of dir.store) store.add(l);
    for (const f of dir.files) loaded.push({ file: f.file, format: f.format, entries: f.entries.length });
    warnings.push(...dir.warnings.map((p) => `label directory: ${formatProblem(p)}`));
  }
  const files = q.files;
  if (q.format !== undefined && !isLabelFormat(q.format)) {
    throw usageError(`--label-format "${termSafe(q.format)}" is not one of: ${labelFormats().join(', ')}`);
  }
  if (q.lenient && q.strict) throw usageError('--lenient and --strict-labels exclude each other');
  await refuseEmptyLabelFiles(files);
  const got = await loadLabelStore(files, { format: q.format, lenient: q.lenient, strict: q.strict });
  for (const l of got.store) store.add(l);
  for (const f of got.files) loaded.push({ file: f.file, format: f.format, entries: f.entries.length });
  warnings.push(...got.warnings.map((p) => `label file: ${formatProblem(p)}`));
  return {
    store,
    categories: categoryPolicy({ flagged: q.flagged, service: q.services }),
    files,
    loaded,
    warnings,
  };
}

/** Labels of one chain indexed by address (used where no files or directory are involved, e.g. replay). */
export function indexLabels(chain: string, labels: readonly Label[]): (address: string) => readonly Label[] {
  const store = new LabelStore();
  store.addAll(labels);
  return (a) => store.get(chain, a);
}
