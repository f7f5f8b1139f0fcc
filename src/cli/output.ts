// Results go to stdout, or to --out FILE written atomically (temp file + rename), so a killed
// process never leaves a half-written result where a previous good one was.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { FundtraceError } from '../core/errors.js';
import type { Io } from './io.js';

export async function writeOutput(io: Io, text: string, out: string | undefined): Promise<void> {
  if (!out) {
    io.out(text);
    return;
  }
  const tmp = `${out}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { flag: 'wx' });
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new FundtraceError('USAGE', `--out "${out}": cannot write the file (${err.code ?? err.message})`);
  }
}
