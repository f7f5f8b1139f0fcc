// The CLI's side of labels: flags and the config file into a LabelQuery (src/app/labels.ts).

import { type LoadedLabelSet, loadLabels as loadLabelQuery } from '../app/labels.js';
import type { Label } from '../core/model.js';
import type { Config } from './config.js';
import type { Io } from './io.js';
import { type LabelFlags, labelQuery } from './label-flags.js';

export { indexLabels, type LoadedLabelSet, refuseEmptyLabelFiles } from '../app/labels.js';
// The policy itself lives with the labels (case replay needs it too, below the CLI).
export { labelPolicy } from '../labels/policy.js';

export { type LabelFlags, labelQuery } from './label-flags.js';

export function loadLabels(
  flags: LabelFlags,
  io: Io,
  fromSource: readonly Label[],
  config: Config = {},
): Promise<LoadedLabelSet> {
  return loadLabelQuery(labelQuery(flags, config), io.env, fromSource);
}
