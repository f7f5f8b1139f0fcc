// Where the persistent cache lives: FUNDTRACE_CACHE_DIR, else $XDG_CACHE_HOME/fundtrace (only
// when XDG_CACHE_HOME is absolute, as the XDG spec requires), else ~/.cache/fundtrace.
// Every API that opens the cache also takes an explicit directory (the per-call override).

import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export function defaultCacheDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
): string {
  const explicit = env.FUNDTRACE_CACHE_DIR?.trim();
  if (explicit) return resolve(explicit);
  const xdg = env.XDG_CACHE_HOME?.trim();
  if (xdg && isAbsolute(xdg)) return join(xdg, 'fundtrace');
  return join(home, '.cache', 'fundtrace');
}
