// Shared shapes of the label importers. Every importer is a pure function from file text (plus
// the file's name, which often carries the chain or list name) to entries and problems.
import type { Label } from '../core/model.js';

/**
 * One bad entry (or a bad file): where it is and what is wrong. `message` and `location` are
 * display-safe (untrusted text quoted and escaped); print with `formatProblem`, which also
 * escapes the file name.
 */
export interface LabelProblem {
  file: string;
  /** 1-based line number, or a JSON pointer such as `/labels/3/address`. */
  location: number | string;
  message: string;
}

/** Entries deliberately left out (not errors), e.g. tags for chains fundtrace does not support. */
export interface SkipCount {
  reason: string;
  count: number;
}

export interface ImportResult {
  entries: Label[];
  problems: LabelProblem[];
  skipped: SkipCount[];
}

/** Options every importer understands; each importer documents which ones it uses. */
export interface ImportOptions {
  /** Chain for formats that do not name one (address lists, Etherscan exports, scam lists). */
  chain?: string;
  /** Category for plain address lists. */
  category?: string;
  /** Entity for plain address lists. */
  entity?: string;
  /** Overrides the `source` the importer would put on every entry. */
  source?: string;
}

export type LabelImporter = (
  text: string,
  file: string,
  opts?: ImportOptions,
) => ImportResult | Promise<ImportResult>;
