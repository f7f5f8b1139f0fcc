// Where fundtrace is installed, for the files it ships and the commands it prints. Two levels below
// the package root both in src/ and in the bundle (dist/cli/), like ./version.ts.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The sample datasets shipped with the package (samples/NAME.json, `--source sample:NAME`). */
export const SAMPLES_DIR = join(PACKAGE_ROOT, 'samples');

/** Run from a checkout (the TypeScript sources beside the package), not from an installed package. */
export const fromCheckout = (): boolean => existsSync(join(PACKAGE_ROOT, 'src', 'cli', 'main.ts'));

/**
 * How the user runs fundtrace, for the commands the CLI prints: `npx fundtrace` inside a checkout
 * (the README's set-up), `fundtrace` for an installed package (on the PATH).
 */
export const selfCommand = (): string => (fromCheckout() ? 'npx fundtrace' : 'fundtrace');

/** Names of the sample datasets (samples/NAME.json, without the address and transaction books). */
export function sampleNames(): string[] {
  try {
    return readdirSync(SAMPLES_DIR)
      .filter((f) => f.endsWith('.json') && !/\.(txs|addresses)\.json$/.test(f))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

/** The contract registry shipped with the package (bridge/DEX/wrapper addresses per chain). */
export const REGISTRY_FILE = join(PACKAGE_ROOT, 'registry', 'contracts.json');
