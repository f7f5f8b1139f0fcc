// The CLI's side of labels: flags and the config file into a LabelQuery (src/app/labels.ts).

import { type LabelQuery, type LoadedLabelSet, loadLabels as loadLabelQuery } from '../app/labels.js';
import type { Label } from '../core/model.js';
import type { Config } from './config.js';
import type { Io } from './io.js';

export { indexLabels, type LoadedLabelSet, refuseEmptyLabelFiles } from '../app/labels.js';
// The policy itself lives with the labels (case replay needs it too, below the CLI).
export { labelPolicy } from '../labels/policy.js';

export interface LabelFlags {
  labels?: string[];
  labelFormat?: string;
  lenient?: boolean;
  labelDir?: boolean;
  flagged?: string;
  services?: string;
  config?: string;
}

/** --labels, --label-format, --lenient, --no-label-dir, and the flagged/service sets: --flagged and
 *  --services replace the defaults, else the config file's sets. */
export function labelQuery(flags: LabelFlags, config: Config = {}): LabelQuery {
  const split = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
  const flagged = flags.flagged !== undefined ? split(flags.flagged) : config.flagged;
  const services = flags.services !== undefined ? split(flags.services) : config.services;
  return {
    files: flags.labels ?? [],
    ...(flags.labelFormat !== undefined ? { format: flags.labelFormat } : {}),
    ...(flags.lenient ? { lenient: true } : {}),
    labelDir: flags.labelDir !== false,
    ...(flagged ? { flagged } : {}),
    ...(services ? { services } : {}),
  };
}

export function loadLabels(
  flags: LabelFlags,
  io: Io,
  fromSource: readonly Label[],
  config: Config = {},
): Promise<LoadedLabelSet> {
  return loadLabelQuery(labelQuery(flags, config), io.env, fromSource);
}
