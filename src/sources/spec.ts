// Small parsing shared by the remote sources: the URL of a `scheme:URL` spec, and whole-number
// tuning variables from the environment (page sizes, row limits).
import { usageError } from '../core/errors.js';
import { redactUrl } from './http/index.js';

/** The http(s) URL of a `--source scheme:URL` (its fragment dropped); a usage error names the spec. */
export function parseSourceUrl(rest: string, spec: string, example: string): URL {
  let url: URL;
  try {
    url = new URL(rest);
  } catch {
    throw usageError(`--source ${JSON.stringify(redactUrl(spec))}: "${redactUrl(rest)}" is not a URL`, [
      `expected e.g. ${example}`,
    ]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`--source ${JSON.stringify(redactUrl(spec))}: only http(s) URLs are supported`);
  }
  url.hash = '';
  return url;
}

/** A whole-number environment variable within [min, max]; undefined when unset or blank. */
export function envInt(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = Number(raw.trim());
  if (!Number.isInteger(v) || v < min || v > max) {
    throw usageError(
      `environment variable ${name}=${JSON.stringify(raw.slice(0, 40))} is not a whole number between ${min} and ${max}`,
    );
  }
  return v;
}
