// `--source sample:NAME`: a sample dataset shipped with fundtrace (samples/NAME.json), by name, so
// the demo's and the help's commands work from any directory and from a global install.
import { join } from 'node:path';
import { usageError } from '../core/errors.js';
import { SAMPLES_DIR, sampleNames } from '../meta/install.js';

export const SAMPLE_SCHEME = 'sample:';

/** The file of `sample:NAME`, or a usage error naming the samples there are. */
export function samplePath(spec: string): string {
  const name = spec.slice(SAMPLE_SCHEME.length);
  const names = sampleNames();
  if (!names.includes(name))
    throw usageError(
      `--source ${JSON.stringify(spec)}: no sample named "${name}" (samples: ${names.map((n) => `sample:${n}`).join(', ') || 'none installed'})`,
    );
  return join(SAMPLES_DIR, `${name}.json`);
}
