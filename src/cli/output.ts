// Results go to stdout, or to --out FILE written atomically (temp file + rename), so a killed
// process never leaves a half-written result where a previous good one was. The target is checked
// before any work starts (`checkOutTarget`), so a typo in --out never throws away a finished trace.
import { randomBytes } from 'node:crypto';
import { access, constants, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { usageError } from '../core/errors.js';
import { termSafe } from '../report/sanitize.js';
import type { Io } from './io.js';

const shown = (out: string) => JSON.stringify(termSafe(out));

/**
 * Fail fast, with a usage error naming the flag and path, when `--out FILE` (or `flag`) could not be written: its
 * directory is missing, is not a directory or is not writable, or FILE is itself a directory.
 */
export async function checkOutTarget(out: string | undefined, flag = '--out'): Promise<void> {
  if (out === undefined) return;
  if (out === '') throw usageError(`${flag} "": give a file name`);
  const dir = dirname(resolve(out));
  let d: Awaited<ReturnType<typeof stat>>;
  try {
    d = await stat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw usageError(
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `${flag} ${shown(out)}: the directory ${shown(dirname(out))} does not exist`
        : `${flag} ${shown(out)}: cannot use the directory ${shown(dirname(out))} (${code ?? 'error'})`,
    );
  }
  if (!d.isDirectory()) throw usageError(`${flag} ${shown(out)}: ${shown(dirname(out))} is not a directory`);
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw usageError(`${flag} ${shown(out)}: the directory ${shown(dirname(out))} is not writable`);
  }
  try {
    if ((await stat(out)).isDirectory())
      throw usageError(`${flag} ${shown(out)}: is a directory, not a file`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** `text` whole, or in pieces (a big JSON result: written as it is rendered, never held whole). */
export async function writeOutput(
  io: Io,
  text: string | Iterable<string>,
  out: string | undefined,
): Promise<void> {
  if (!out) {
    if (typeof text === 'string') io.out(text);
    else for (const piece of text) io.out(piece);
    return;
  }
  const tmp = `${out}.${randomBytes(4).toString('hex')}.tmp`;
  // A piece that fails to render is that error, not a file error (the temporary file goes either way).
  let renderError: { e: unknown } | undefined;
  const data =
    typeof text === 'string'
      ? text
      : (function* () {
          try {
            yield* text;
          } catch (e) {
            renderError = { e };
            throw e;
          }
        })();
  try {
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    if (renderError) throw renderError.e;
    const err = e as NodeJS.ErrnoException;
    throw usageError(`--out ${shown(out)}: cannot write the file (${err.code ?? err.message})`);
  }
}
