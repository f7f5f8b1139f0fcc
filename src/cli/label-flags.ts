// Label flags and the config file's category sets into a LabelQuery (light: no label loading here).
import type { LabelQuery } from '../app/labels.js';
import type { Config } from './config.js';

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
    ...(flags.strictLabels ? { strict: true } : {}),
    labelDir: flags.labelDir !== false,
    ...(flagged ? { flagged } : {}),
    ...(services ? { services } : {}),
  };
}
