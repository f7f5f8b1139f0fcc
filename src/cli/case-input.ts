// The input of `report` and `export`: a case directory (its result.json read through the case
// reader, so checked against the manifest exactly as `case verify` checks it) or a result file.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaseManifest } from '../case/manifest.js';
import { readCaseResult } from '../case/read.js';
import { inputError } from '../core/errors.js';
import { checkDoc, loadTraceInput, type TraceDoc } from '../report/export/doc.js';
import { termSafe } from '../report/sanitize.js';

export interface TraceInput {
  doc: TraceDoc;
  /** Present when the input is a case directory. */
  case?: { dir: string; manifest: CaseManifest; manifestText: string };
}

export async function loadInput(path: string): Promise<TraceInput> {
  let isDir = false;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    isDir = false; // loadTraceInput names the problem
  }
  if (!isDir) return { doc: (await loadTraceInput(path)).doc };
  const { manifest, manifestText, resultText } = await readCaseResult(path);
  let data: unknown;
  try {
    data = JSON.parse(resultText);
  } catch (e) {
    throw inputError(`${termSafe(join(path, 'result.json'))} is not valid JSON (${(e as Error).message})`);
  }
  return { doc: checkDoc(data, join(path, 'result.json')), case: { dir: path, manifest, manifestText } };
}
