// Public API of the dataset source: load (refusing an invalid file with every problem listed),
// validate (for `fundtrace dataset validate FILE`), and index for the trace engine.
import { FundtraceError } from '../../core/errors.js';
import type { Dataset, Label } from '../../core/model.js';
import type { DatasetStats } from './builder.js';
import { type DatasetProblem, sanitize } from './problems.js';
import { datasetFormOf, readDataset } from './read.js';

export type { DatasetStats } from './builder.js';
export type { DatasetForm, DatasetProblem } from './problems.js';
export { datasetFormOf } from './read.js';
export { DATASET_SCHEMA_ID, datasetSchema } from './schema.js';
export { buildDatasetView, DatasetAccountView, DatasetUtxoView } from './view.js';

export interface DatasetValidation {
  /** True when the file has no problems. */
  ok: boolean;
  /** Every problem, in file order. */
  problems: DatasetProblem[];
  stats: DatasetStats;
  /** The loaded dataset, when ok. */
  dataset?: Dataset;
}

export interface LoadOptions {
  /** At most this many problem lines in the error's details (default 1000); the rest are counted. */
  maxDetails?: number;
}

/** Does a --source SPEC name a dataset file (by extension)? */
export function isDatasetPath(spec: string): boolean {
  return datasetFormOf(spec) !== undefined;
}

/** One line for a problem: `location: message`. */
export function formatProblem(p: DatasetProblem): string {
  return `${p.location}: ${p.message}`;
}

/**
 * Check a dataset file and report every problem with its location. Throws FundtraceError
 * ('BAD_INPUT') only when the file cannot be read at all (missing, a directory, unknown extension).
 */
export async function validateDataset(path: string): Promise<DatasetValidation> {
  const r = await readDataset(path);
  const result: DatasetValidation = { ok: r.problems.length === 0, problems: r.problems, stats: r.stats };
  if (r.dataset) result.dataset = r.dataset;
  return result;
}

/**
 * Load a dataset file (.json, .jsonl, .ndjson). An invalid file is refused with
 * FundtraceError('BAD_INPUT'): a one-line summary naming the first problem, and one detail line per
 * problem (`location: message`).
 */
export async function loadDataset(path: string, options: LoadOptions = {}): Promise<Dataset> {
  const r = await readDataset(path);
  if (r.dataset && r.problems.length === 0) return r.dataset;
  const problems = r.problems;
  const first = problems[0];
  const n = problems.length;
  const shown = sanitize(path);
  if (!first) {
    throw new FundtraceError('BAD_INPUT', `dataset ${shown} is invalid: it names no known chain`);
  }
  const max = options.maxDetails ?? 1000;
  const details = problems.slice(0, max).map(formatProblem);
  if (n > max) {
    details.push(
      `… and ${n - max} more problems (run \`fundtrace dataset validate ${shown}\` to list them all)`,
    );
  }
  throw new FundtraceError(
    'BAD_INPUT',
    `dataset ${shown} is invalid: ${n} problem${n === 1 ? '' : 's'} (first: ${formatProblem(first)})`,
    details,
  );
}

/** The labels a dataset carries (already validated for its chain), for the label store. */
export function datasetLabels(dataset: Dataset): readonly Label[] {
  return dataset.labels;
}
