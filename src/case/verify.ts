// Reading and verifying a case: every hash, then a re-run of the trace from the evidence alone
// (no network, no dataset) that must reproduce result.json and the tables byte for byte.
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { inputError } from '../core/errors.js';
import { version } from '../meta/version.js';
import { renderJson } from '../report/json.js';
import { termSafe } from '../report/sanitize.js';
import { firstDifference, type TextDifference } from './diff.js';
import { checkLabelEvidence, labelContext } from './evidence.js';
import { checkFiatEvidence, type FiatEvidence, revalue } from './fiat.js';
import { type CaseManifest, MANIFEST, parseManifest, RESULT, sha256 } from './manifest.js';
import {
  CaseReadError,
  MANIFEST_MAX_BYTES,
  readCaseBytes,
  readCaseText,
  readListedText,
  readManifest,
} from './read.js';
import type { LookupLog } from './recording.js';
import { checkLog, type ReplayView, replayView } from './replay.js';
import { type LabelContext, queryFromJson, rerunTrace } from './rerun.js';
import { caseTables } from './write.js';

export interface CaseProblem {
  file: string;
  message: string;
  difference?: TextDifference;
}

export interface CaseVerification {
  ok: boolean;
  caseHash: string | null;
  manifest: CaseManifest | null;
  /** Files whose hash matched. */
  checked: string[];
  problems: CaseProblem[];
  /** Notes that do not fail the check (e.g. made by another fundtrace version). */
  notes: string[];
  /** Whether the re-run happened (it needs the evidence to be intact). */
  replayed: boolean;
  /** Whether the re-run gave result.json and the tables byte for byte (a redacted case may not). */
  rerunIdentical: boolean;
}

export interface LoadedEvidence {
  manifest: CaseManifest;
  manifestText: string;
  log: LookupLog;
  labels: LabelContext;
  /** A case made with --fiat: the prices its money values used. */
  fiat?: FiatEvidence;
}

/** The manifest and the replay evidence of a case, each evidence file checked against its hash. */
export async function loadEvidence(dir: string): Promise<LoadedEvidence> {
  const { manifest, manifestText } = await readManifest(dir);
  const read = async (path: string) => {
    const text = await readListedText(dir, manifest, path);
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw inputError(
        `case ${termSafe(dir)}: ${termSafe(path)} is not valid JSON (${(e as Error).message})`,
      );
    }
  };
  const log = checkLog(await read(manifest.replay.lookups), join(dir, manifest.replay.lookups));
  const labels = labelContext(
    checkLabelEvidence(await read(manifest.replay.labels), join(dir, manifest.replay.labels)),
  );
  const fiat =
    manifest.replay.prices !== undefined
      ? checkFiatEvidence(await read(manifest.replay.prices), join(dir, manifest.replay.prices))
      : undefined;
  return { manifest, manifestText, log, labels, ...(fiat ? { fiat } : {}) };
}

async function listFiles(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // Dirent types come from lstat: a symlink (even to a directory) is listed, never entered.
    if (e.isDirectory()) out.push(...(await listFiles(p, root)));
    else out.push(relative(root, p).split(sep).join('/'));
  }
  return out.sort();
}

export async function verifyCase(dir: string): Promise<CaseVerification> {
  const v: CaseVerification = {
    ok: false,
    caseHash: null,
    manifest: null,
    checked: [],
    problems: [],
    notes: [],
    replayed: false,
    rerunIdentical: false,
  };
  let manifestText: string;
  try {
    manifestText = await readCaseText(dir, MANIFEST, MANIFEST_MAX_BYTES);
    v.caseHash = sha256(manifestText);
    v.manifest = parseManifest(manifestText, MANIFEST);
  } catch (e) {
    v.problems.push({ file: MANIFEST, message: (e as Error).message });
    return v;
  }
  const m = v.manifest;

  // 1. Hashes: every listed file present and unchanged; nothing unlisted.
  const present = new Set(await listFiles(dir));
  const listed = new Set(m.files.map((f) => f.path));
  const stored = new Map<string, string>();
  for (const f of m.files) {
    let data: Buffer;
    try {
      data = await readCaseBytes(dir, f.path, f.bytes);
    } catch (e) {
      if (!(e instanceof CaseReadError)) throw e;
      v.problems.push({
        file: f.path,
        message: e.reason === 'missing' ? 'missing (listed in the manifest)' : e.reason,
      });
      continue;
    }
    const actual = sha256(data);
    if (actual !== f.sha256)
      v.problems.push({
        file: f.path,
        message: `SHA-256 mismatch: the manifest says ${f.sha256}, the file has ${actual} (${data.length} bytes, manifest says ${f.bytes})`,
      });
    else {
      v.checked.push(f.path);
      stored.set(f.path, data.toString('utf8'));
    }
  }
  for (const p of present)
    if (p !== MANIFEST && !listed.has(p))
      v.problems.push({ file: p, message: 'not listed in the manifest (added after the case was made)' });

  // 2. Re-run from the evidence alone (a workshop copy's evidence was altered on purpose: no re-run).
  if (m.redaction?.workshop) {
    v.notes.push(
      'NOT EVIDENCE: a workshop copy (times shifted, amounts rounded); only its hashes were checked, it was not re-run',
    );
    v.ok = v.problems.length === 0;
    return v;
  }
  const evidenceFiles = [m.replay.lookups, m.replay.labels, ...(m.replay.prices ? [m.replay.prices] : [])];
  const broken = evidenceFiles.find((p) => !v.checked.includes(p));
  if (broken !== undefined) {
    v.problems.push({
      file: broken,
      message: 'the replay was not run: its evidence failed the hash check',
    });
    return v;
  }
  let replay: ReplayView;
  let ev: LoadedEvidence;
  try {
    ev = await loadEvidence(dir);
    replay = replayView(ev.log);
  } catch (e) {
    v.problems.push({ file: m.replay.lookups, message: (e as Error).message });
    return v;
  }
  if (m.tool.version !== version())
    v.notes.push(
      `made by fundtrace ${m.tool.version}, verified with ${version()}: the tool version is taken from the case`,
    );
  let result: Awaited<ReturnType<typeof rerunTrace>>;
  try {
    result = await rerunTrace(replay.view, queryFromJson(m.query), ev.labels, m.tool);
  } catch (e) {
    v.problems.push({ file: m.replay.lookups, message: `the re-run failed: ${(e as Error).message}` });
    return v;
  }
  if (ev.fiat) {
    // Every money value re-derived from the recorded prices alone (no --prices, no network).
    try {
      revalue(result, replay.view, ev.fiat);
    } catch (e) {
      v.problems.push({
        file: m.replay.prices!,
        message: `the money values could not be re-derived: ${(e as Error).message}`,
      });
      return v;
    }
    // The record holds exactly the prices the figures use: no row more, none changed.
    const again = JSON.stringify(result.fiat?.prices);
    if (again !== JSON.stringify(ev.fiat.prices))
      v.problems.push({
        file: m.replay.prices!,
        message: 'the recorded prices are not exactly the prices the re-derived money values use',
      });
  }
  v.replayed = true;
  v.rerunIdentical = true;
  const exact = m.redaction === null || m.redaction.replayExact;
  const tables = caseTables(result);
  const regenerated: [string, string, boolean][] = [
    [RESULT, renderJson(result), true],
    ['exits.csv', tables.exits, false],
    ['exposure.csv', tables.exposure, false],
    ['atrest.csv', tables.atrest, false],
  ];
  for (const [path, text, isJson] of regenerated) {
    const old = stored.get(path);
    if (old === undefined) continue; // already reported (missing or changed)
    const d = firstDifference(old, text, isJson);
    if (d) v.rerunIdentical = false;
    if (d && !exact) {
      v.notes.push(
        `${path}: the redacted evidence does not re-run to the same ${path} (heuristics read address forms that pseudonyms hide); the hashes are what this case offers`,
      );
    } else if (d)
      v.problems.push({
        file: path,
        message: `the re-run from the evidence differs at ${d.pointer ? `${d.pointer} (line ${d.line})` : `line ${d.line}`}`,
        difference: d,
      });
  }
  const miss = replay.unrecorded();
  if (miss.length > 0)
    v.problems.push({
      file: m.replay.lookups,
      message: `the re-run asked ${miss.length} lookup(s) the evidence does not hold, first: ${miss[0]}`,
    });
  v.ok = v.problems.length === 0;
  return v;
}
