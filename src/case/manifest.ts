// manifest.json of a case directory: what was asked, from which sources as of which chain tip,
// with which labels, when (the one wall-clock value of a case), and a SHA-256 for every other
// file. The case hash is the SHA-256 of manifest.json itself.
import { createHash } from 'node:crypto';
import { inputError } from '../core/errors.js';
import type { DocQuery } from '../report/export/doc.js';
import type { ReportSourceMeta } from '../report/meta.js';
import { termSafe } from '../report/sanitize.js';

export const CASE_FORMAT = 'fundtrace-case/1';
export const MANIFEST = 'manifest.json';
export const RESULT = 'result.json';

/** The files every case holds besides manifest.json: a manifest that lists fewer is not a case. */
export const REQUIRED_FILES = [RESULT, 'exits.csv', 'exposure.csv', 'atrest.csv'] as const;

export type FileRole = 'result' | 'table' | 'lookups' | 'labels' | 'prices' | 'http-response';

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
  role: FileRole;
  description: string;
  /** http-response: the requests that returned this body (URLs with credentials removed). */
  requests?: { method: string; url: string; status: number | null; from: string | null }[];
}

/** A source as the manifest records it: the report metadata's own shape (src/report/meta.ts). */
export type ManifestSource = ReportSourceMeta;

export interface CaseManifest {
  format: typeof CASE_FORMAT;
  tool: { name: string; version: string };
  /** When the trace ran (ISO-8601 UTC): the only wall-clock value in a case. */
  created: string;
  query: DocQuery;
  sources: ManifestSource[];
  labels: {
    /** Label files given with --labels: path, entries read, SHA-256 of the file. */
    files: { path: string; entries: number; sha256: string }[];
    /** Labels the source itself carried (dataset `labels`). */
    carriedBySource: number;
    /** Labels on addresses the trace looked at: the ones stored as evidence. */
    stored: number;
  };
  redaction: {
    method: string;
    saltFingerprint: string;
    httpResponsesDropped: number;
    /** Whether the redacted evidence re-runs to exactly this result (see `fundtrace case verify`). */
    replayExact: boolean;
    /** `case redact --workshop`: times shifted, amounts rounded. Such a case is NOT EVIDENCE. */
    workshop?: { notEvidence: true; note: string; amountUnit: string };
  } | null;
  /**
   * The evidence files a replay reads (paths into `files`); `prices` only in a case made with
   * --fiat: the prices its money values used (`fundtrace-case-fiat/1`, src/case/fiat.ts).
   */
  replay: { lookups: string; labels: string; prices?: string; lookupCount: number; recordCount: number };
  files: ManifestFile[];
}

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

export function parseManifest(text: string, where: string): CaseManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw inputError(`${termSafe(where)} is not valid JSON (${(e as Error).message})`);
  }
  const m = data as Partial<CaseManifest>;
  const bad = (what: string) => inputError(`${termSafe(where)}: not a fundtrace case manifest (${what})`);
  if (typeof m !== 'object' || m === null) throw bad('not an object');
  if (m.format !== CASE_FORMAT) throw bad(`format is not ${CASE_FORMAT}`);
  if (!Array.isArray(m.files)) throw bad('no files list');
  for (const f of m.files) {
    if (typeof f?.path !== 'string' || typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256))
      throw bad('a files entry lacks path or sha256');
    if (typeof f.bytes !== 'number' || !Number.isSafeInteger(f.bytes) || f.bytes < 0)
      throw bad(`file ${JSON.stringify(f.path)} has no byte size`);
    if (f.path.startsWith('/') || f.path.split(/[\\/]/).includes('..') || f.path === MANIFEST)
      throw bad(`file path ${JSON.stringify(f.path)} points outside the case`);
  }
  if (typeof m.query !== 'object' || m.query === null) throw bad('no query');
  if (!m.replay || typeof m.replay.lookups !== 'string' || typeof m.replay.labels !== 'string')
    throw bad('no replay evidence named');
  if (m.replay.prices !== undefined && typeof m.replay.prices !== 'string')
    throw bad('replay.prices is not a path');
  // A case without its result or tables (removed from disk and manifest alike) is not a case.
  const listed = new Set(m.files.map((f) => f.path));
  const evidence = [
    m.replay.lookups,
    m.replay.labels,
    ...(m.replay.prices !== undefined ? [m.replay.prices] : []),
  ];
  for (const p of [...REQUIRED_FILES, ...evidence])
    if (!listed.has(p)) throw bad(`${JSON.stringify(p)} is not listed`);
  return m as CaseManifest;
}
