// The tool's version, in one small module every layer may read (case files record it).
// Two levels below the package root both in src/ and in the bundle (dist/cli/), so the same
// relative URL finds package.json either way.
import { readFileSync } from 'node:fs';

let cachedVersion: string | undefined;
export function version(): string {
  if (!cachedVersion) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}
