// The input of `report` and `export`: a case directory (its result.json read through the case
// reader, so checked against the manifest exactly as `case verify` checks it) or a result file.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaseManifest } from '../case/manifest.js';
import { readCaseResult } from '../case/read.js';
import { inputError, usageError } from '../core/errors.js';
import { checkDocs, loadTraceInput, type TraceDoc } from '../report/export/doc.js';
import { termSafe } from '../report/sanitize.js';

export interface TraceInput {
  /** One document per asset (several for an `--asset all` result; see checkDocs). */
  docs: TraceDoc[];
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
  if (!isDir) return { docs: (await loadTraceInput(path)).docs };
  const { manifest, manifestText, resultText } = await readCaseResult(path);
  let data: unknown;
  try {
    data = JSON.parse(resultText);
  } catch (e) {
    throw inputError(`${termSafe(join(path, 'result.json'))} is not valid JSON (${(e as Error).message})`);
  }
  return { docs: checkDocs(data, join(path, 'result.json')), case: { dir: path, manifest, manifestText } };
}

/**
 * `--asset SYMBOL|CONTRACT` of report/export: the one asset's document of an `--asset all`
 * result (a single-asset result must be that asset). Without it, every document.
 */
export function pickAsset(docs: TraceDoc[], asset: string | undefined): TraceDoc[] {
  if (asset === undefined) return docs;
  const want = asset.trim().toLowerCase();
  const hit = docs.filter((d) => {
    const a = d.query.asset;
    return (
      a.symbol.toLowerCase() === want || a.key.toLowerCase() === want || a.contract?.toLowerCase() === want
    );
  });
  if (hit.length === 1) return hit;
  const have = docs.map((d) => d.query.asset.contract ?? d.query.asset.symbol).join(', ');
  throw usageError(
    hit.length === 0
      ? `--asset ${termSafe(asset)}: the result holds ${termSafe(have)}`
      : `--asset ${termSafe(asset)} names ${hit.length} assets of the result; give the token contract (${termSafe(have)})`,
  );
}

/** Formats that draw one asset's graph: an `--asset all` result needs --asset for them. */
export function oneAsset(docs: TraceDoc[], what: string): TraceDoc {
  if (docs.length === 1) return docs[0]!;
  const have = docs.map((d) => d.query.asset.symbol).join(', ');
  throw usageError(
    `${what} draws one asset's graph and this --asset all result holds ${docs.length} (${termSafe(have)}): add --asset SYMBOL (or the token contract)`,
  );
}
