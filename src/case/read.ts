// Reading files of a case directory that may come from anyone (a colleague, a seized drive).
// Every read goes through here: no symlink is followed (O_NOFOLLOW), only regular files are read
// (a FIFO would hang, a device would never end; O_NONBLOCK makes the open itself return), and at
// most the size the manifest records is read, so a listed file swapped for /dev/zero or a huge
// file cannot exhaust memory. result.json is read only through `readCaseResult`, which checks it
// against the manifest: `report`, `export` and `case` commands all refuse a changed result alike.
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import { termSafe } from '../report/sanitize.js';
import { type CaseManifest, MANIFEST, type ManifestFile, parseManifest, RESULT, sha256 } from './manifest.js';

/** manifest.json has no recorded size: it is read up to this many bytes. */
export const MANIFEST_MAX_BYTES = 64 * 1024 * 1024;

export class CaseReadError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * The bytes of DIR/PATH: a regular file, not through a symlink, at most `max` bytes (a longer
 * file is refused, not truncated). Throws CaseReadError with a short reason.
 */
export async function readCaseBytes(dir: string, path: string, max: number): Promise<Buffer> {
  const full = join(dir, path);
  // A symlinked directory on the way (evidence/ → elsewhere) is refused too.
  if (path.includes('/')) {
    const parent = join(dir, path.slice(0, path.lastIndexOf('/')));
    try {
      if ((await lstat(parent)).isSymbolicLink()) throw new CaseReadError(path, 'its directory is a symlink');
    } catch (e) {
      if (e instanceof CaseReadError) throw e;
      throw new CaseReadError(path, 'missing');
    }
  }
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(full, flags);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CaseReadError(path, 'missing');
    if (code === 'ELOOP' || code === 'EMLINK') throw new CaseReadError(path, 'is a symlink (not followed)');
    if (code === 'ENXIO') throw new CaseReadError(path, 'is not a regular file');
    throw new CaseReadError(path, `cannot be read (${code ?? 'error'})`);
  }
  try {
    const s = await fh.stat();
    if (!s.isFile()) throw new CaseReadError(path, 'is not a regular file (a FIFO, device or directory)');
    if (s.size > max)
      throw new CaseReadError(path, `is ${s.size} bytes, more than the ${max} bytes the manifest records`);
    // Read at most max + 1 bytes: a file that grows while read is caught too.
    const buf = Buffer.alloc(Math.min(max, s.size) + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n >= buf.length) break;
    }
    if (n > max) throw new CaseReadError(path, `is more than the ${max} bytes the manifest records`);
    return buf.subarray(0, n);
  } finally {
    await fh.close();
  }
}

/** As readCaseBytes, with the error as one input-error line naming the case and file. */
export async function readCaseText(dir: string, path: string, max: number): Promise<string> {
  try {
    return (await readCaseBytes(dir, path, max)).toString('utf8');
  } catch (e) {
    if (e instanceof CaseReadError)
      throw inputError(
        `case ${termSafe(dir)}: ${termSafe(path)} ${e.reason === 'missing' ? 'is missing' : e.reason}`,
      );
    throw e;
  }
}

export async function readManifest(dir: string): Promise<{ manifest: CaseManifest; manifestText: string }> {
  const manifestText = await readCaseText(dir, MANIFEST, MANIFEST_MAX_BYTES);
  return { manifest: parseManifest(manifestText, join(dir, MANIFEST)), manifestText };
}

/** A listed file, read safely and checked against its SHA-256; an input error otherwise. */
export async function readListedText(dir: string, manifest: CaseManifest, path: string): Promise<string> {
  const entry: ManifestFile | undefined = manifest.files.find((f) => f.path === path);
  if (!entry)
    throw inputError(
      `case ${termSafe(dir)}: the manifest lists no ${termSafe(path)}; this is not a complete case`,
    );
  const text = await readCaseText(dir, path, entry.bytes);
  if (sha256(text) !== entry.sha256)
    throw inputError(
      `case ${termSafe(dir)}: ${termSafe(path)} does not match its SHA-256 in the manifest (it was changed); run \`fundtrace case verify ${termSafe(dir)}\``,
    );
  return text;
}

/** result.json of a case, checked against the manifest: the one way commands read a case's result. */
export async function readCaseResult(
  dir: string,
): Promise<{ manifest: CaseManifest; manifestText: string; resultText: string }> {
  const { manifest, manifestText } = await readManifest(dir);
  const resultText = await readListedText(dir, manifest, RESULT);
  return { manifest, manifestText, resultText };
}
