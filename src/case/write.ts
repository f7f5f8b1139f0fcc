// writeCase: a case directory with the result, the evidence to reproduce it, and hashes.
//
//   DIR/manifest.json       query, tool, sources (as-of tip), label files, time, SHA-256 of every file
//   DIR/result.json         exactly `fundtrace trace --format json`
//   DIR/exits.csv, exposure.csv, atrest.csv
//   DIR/evidence/<sha256>   content-addressed: the lookup log, the labels used, raw HTTP bodies
//
// Writes are atomic: everything is built in a temporary directory beside DIR (each file fsynced),
// then renamed into place, so a killed process leaves either no case or a complete one (and at
// worst a `.DIR.partial-*` directory beside it). An existing case is replaced only with `force`,
// and never a directory that is not a case. Before anything is written the evidence is replayed
// and must reproduce the result byte for byte; credentials must appear in no file.
import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FundtraceError, usageError } from '../core/errors.js';
import type { Label } from '../core/model.js';
import type { TraceResult } from '../core/result.js';
import { type CategoryPolicy, DEFAULT_POLICY } from '../labels/taxonomy.js';
import { renderCsv } from '../report/csv.js';
import { renderExposureCsv } from '../report/export/csv.js';
import { docOf } from '../report/export/doc.js';
import { renderJson } from '../report/json.js';
import { markCsvNotEvidence, stringifySafe, termSafe } from '../report/sanitize.js';
import { redactText, redactUrl } from '../sources/http/redact.js';
import type { OpenedSource } from '../sources/open.js';
import { firstDifference } from './diff.js';
import { LABELS_FORMAT, type LabelEvidence, type RecordedResponse, usedLabels } from './evidence.js';
import { type CaseFiat, revalue, withoutFiat } from './fiat.js';
import {
  CASE_FORMAT,
  type CaseManifest,
  MANIFEST,
  type ManifestFile,
  type ManifestSource,
  parseManifest,
  RESULT,
  sha256,
} from './manifest.js';
import { readManifest } from './read.js';
import { type LookupLog, logAddresses, type Recording } from './recording.js';
import {
  Pseudonymizer,
  REDACTION_METHOD,
  redactLabels,
  redactLog,
  redactResult,
  redactSpec,
  saltFingerprint,
  serviceAddresses,
  tokenMapper,
} from './redact.js';
import { replayView } from './replay.js';
import { rerunTrace } from './rerun.js';
import { NOT_EVIDENCE, workshopLog, workshopResult, workshopShift } from './workshop.js';

export interface WriteCaseOptions {
  result: TraceResult;
  source: OpenedSource;
  recording: Recording;
  /** The label lookup the trace's policy used (labels for any address, from every label source). */
  labelsOf: (address: string) => readonly Label[];
  /** The category policy the trace used (default: the taxonomy's default). */
  categories?: CategoryPolicy;
  /** The extra warnings the trace command passed to `buildResult` (label loading, source notes). */
  extraWarnings?: readonly string[];
  /** Label files given with --labels (path and entries read); hashed here. */
  labelFiles?: { path: string; entries: number }[];
  force?: boolean;
  /** Pseudonymise; with `workshop`, also shift times and round amounts (NOT EVIDENCE). */
  redact?: { salt: string; workshop?: boolean };
  /** Literal credentials (API keys) that must not appear in any file. */
  secrets?: readonly string[];
  /** Raw bodies from a remote source's HTTP client (URLs already without credentials). */
  httpResponses?: readonly RecordedResponse[];
  /** `--fiat`: the prices the result's money values used (recorded; the re-run values from them). */
  fiat?: CaseFiat;
  /** When the trace ran (default: now). */
  now?: Date;
  /** Tests: called after each file is written into the temporary directory. */
  onFile?: (path: string) => void | Promise<void>;
}

export interface WrittenCase {
  dir: string;
  /** SHA-256 of manifest.json. */
  caseHash: string;
  files: number;
  bytes: number;
  manifest: CaseManifest;
}

interface PlannedFile {
  path: string;
  data: string;
  role: ManifestFile['role'];
  description: string;
  requests?: ManifestFile['requests'];
}

/** Every file under DIR (relative, '/'-separated); symlinks are listed, never entered. */
async function filesUnder(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      const inner = await filesUnder(dir, p);
      out.push(...(inner.length > 0 ? inner : [`${p}/`]));
    } else out.push(p);
  }
  return out.sort();
}

/**
 * Refuse early (before tracing) when DIR could not be written or may not be replaced: its parent
 * is not a writable directory, DIR is a symlink or not a directory, or DIR is not empty and either
 * no --force was given or DIR is not exactly a case fundtrace wrote (a manifest that parses, and
 * no file it does not list: an investigator's notes in a case are never deleted).
 */
export async function checkCaseTarget(dir: string, force = false): Promise<void> {
  const shown = termSafe(dir);
  let s: Awaited<ReturnType<typeof lstat>> | null = null;
  try {
    s = await lstat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR')
      throw usageError(`--case ${shown}: a part of the path is a file, not a directory`);
    if (code !== 'ENOENT')
      throw usageError(`--case ${shown}: cannot be used (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // The case is built beside DIR and renamed into place: the nearest existing ancestor must be a
  // writable directory.
  let parent = dirname(resolve(dir));
  for (;;) {
    try {
      const p = await stat(parent);
      if (!p.isDirectory()) throw usageError(`--case ${shown}: ${termSafe(parent)} is not a directory`);
      break;
    } catch (e) {
      if (e instanceof FundtraceError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR')
        throw usageError(`--case ${shown}: a part of the path is a file, not a directory`);
      if (code !== 'ENOENT' || dirname(parent) === parent)
        throw usageError(`--case ${shown}: cannot use ${termSafe(parent)} (${code ?? 'error'})`);
      parent = dirname(parent);
    }
  }
  try {
    await access(parent, constants.W_OK);
  } catch (e) {
    throw usageError(
      `--case ${shown}: ${termSafe(parent)} is not writable (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (s === null) return;
  if (s.isSymbolicLink())
    throw usageError(
      `--case ${shown}: is a symlink; give the real directory (a case is never written through a link)`,
    );
  if (!s.isDirectory()) throw usageError(`--case ${shown}: exists and is not a directory`);
  const entries = await readdir(dir);
  if (entries.length === 0) return;
  if (!force)
    throw usageError(`--case ${shown}: the directory exists; pass --force to replace the case in it`);
  let listed: Set<string>;
  try {
    listed = new Set((await readManifest(dir)).manifest.files.map((f) => f.path));
  } catch (e) {
    throw usageError(
      `--case ${shown}: the directory is not empty and holds no case (${e instanceof Error ? e.message : 'error'}); refusing to replace it`,
    );
  }
  const unexpected = (await filesUnder(dir)).filter((f) => f !== MANIFEST && !listed.has(f));
  if (unexpected.length > 0) {
    const names = unexpected.slice(0, 5).map((f) => termSafe(f));
    throw usageError(
      `--case ${shown}: refusing to replace it: it holds ${unexpected.length} file(s) fundtrace did not write (${names.join(', ')}${unexpected.length > 5 ? ', …' : ''}); move them out or choose another directory`,
    );
  }
}

export async function writeCase(dir: string, opts: WriteCaseOptions): Promise<WrittenCase> {
  await checkCaseTarget(dir, opts.force);
  const { files, manifest } = await planCase(opts);
  return commit(dir, files, manifest, opts);
}

const json = (v: unknown) => stringifySafe(v, 2) + '\n';
const cleanSecrets = (s: readonly string[] | undefined) => (s ?? []).filter((x) => x.length >= 4);

async function planCase(opts: WriteCaseOptions): Promise<{ files: PlannedFile[]; manifest: CaseManifest }> {
  const secrets = cleanSecrets(opts.secrets);
  const original = opts.result;
  const fiat = opts.fiat;
  // What the chain evidence alone re-runs to; the money values are then re-derived from the
  // recorded prices alone, exactly as `case verify` does.
  const plain = fiat ? withoutFiat(original, fiat.plainWarnings) : original;
  let fiatKept = fiat !== undefined;
  const chain = original.query.chain;
  const rawLog = opts.recording.log();
  const addresses = logAddresses(rawLog);
  if (original.query.seedKind === 'address') addresses.add(original.query.seed);
  const rawLabels = usedLabels(chain, addresses, opts.labelsOf);

  const categories = opts.categories ?? DEFAULT_POLICY;
  const extraWarnings = [...(opts.extraWarnings ?? [])];
  let extraWarningsRedacted = extraWarnings;

  // What goes into the case: as traced, or with identifiers pseudonymised (same figures).
  let log: LookupLog = rawLog;
  let labels: Label[] = rawLabels;
  let result: TraceResult = original;
  let redaction: CaseManifest['redaction'] = null;
  let pseudonyms: Pseudonymizer | undefined;
  if (opts.redact) {
    const p = new Pseudonymizer(opts.redact.salt, serviceAddresses(rawLabels, categories.service));
    const txids = new Set<string>();
    for (const r of rawLog.records) {
      if ('txid' in r) {
        txids.add(r.txid);
        for (const i of r.inputs) txids.add(i.txid);
      } else txids.add(r.tx);
    }
    original.outcome.graph.forEachEdge((_, a) => txids.add(a.tx));
    const addresses2 = new Set(addresses);
    original.outcome.graph.forEachNode((_, a) => addresses2.add(a.address));
    const f = tokenMapper(p, addresses2, txids);
    pseudonyms = p;
    log = redactLog(rawLog, p);
    labels = redactLabels(rawLabels, p);
    result = redactResult(plain, p, f);
    extraWarningsRedacted = extraWarnings.map(f);
    p.assertNoCollision();
    const changed = figuresDiffer(plain, result);
    if (changed)
      throw new FundtraceError(
        'INTERNAL',
        `--redact changed a figure of the trace (${changed}); the case was not written. Please report this.`,
      );
    const shift = opts.redact.workshop
      ? workshopShift(opts.redact.salt, original.query.asset.decimals)
      : null;
    if (shift) {
      result = workshopResult(result, shift);
      log = workshopLog(log, shift);
      // Shifted days would be valued at other days' prices, and real prices would date the flows:
      // a workshop copy carries no money values.
      fiatKept = false;
    } else if (fiat) revalue(result, replayView(log).view, fiat.evidence);
    // Heuristics that read address forms (script types, look-alike checks, cluster ids) see only
    // pseudonyms in a re-run, so a redacted case may not re-run byte for byte: say which it is.
    let again = '';
    if (!shift)
      try {
        const ctx = { labels, categories, warnings: extraWarningsRedacted };
        const view = replayView(log).view;
        const r = await rerunTrace(view, result.query, ctx, original.generator);
        again = renderJson(fiat ? revalue(r, view, fiat.evidence) : r);
      } catch {
        again = '';
      }
    redaction = {
      method: REDACTION_METHOD,
      saltFingerprint: saltFingerprint(opts.redact.salt),
      httpResponsesDropped: opts.httpResponses?.length ?? 0,
      replayExact: !shift && again === renderJson(result),
      ...(shift
        ? {
            workshop: {
              notEvidence: true as const,
              note: `${NOT_EVIDENCE}. Times are shifted by a number of days and heights by a number of blocks known only to the holder of the salt; amounts are rounded down to multiples of ${shift.unit} base units.`,
              amountUnit: shift.unit.toString(),
            },
          }
        : {}),
    };
  } else {
    // The evidence must reproduce the result before it is sealed in a case.
    const replay = replayView(log);
    const ctx = { labels, categories, warnings: extraWarnings };
    const rerun = await rerunTrace(replay.view, original.query, ctx, original.generator);
    const again = renderJson(fiat ? revalue(rerun, replay.view, fiat.evidence) : rerun);
    const d = firstDifference(renderJson(original), again, true);
    if (d) {
      const miss = replay.unrecorded();
      throw new FundtraceError(
        'INTERNAL',
        `the recorded evidence does not reproduce the result (first difference at ${d.pointer ?? `line ${d.line}`}); the case was not written. Please report this.`,
        miss.length > 0 ? [`lookups not recorded: ${miss.slice(0, 5).join(', ')}`] : [],
      );
    }
  }

  const files: PlannedFile[] = [];
  const evidence = (data: string, role: ManifestFile['role'], description: string) => {
    const path = `evidence/${sha256(data)}`;
    const existing = files.find((f) => f.path === path);
    if (existing) return existing;
    const f: PlannedFile = { path, data, role, description };
    files.push(f);
    return f;
  };
  const lookupsFile = evidence(
    json(log),
    'lookups',
    `every lookup the trace engine made and its answer (${log.lookups.length} lookups, ${log.records.length} records)`,
  );
  const labelDoc: LabelEvidence = {
    format: LABELS_FORMAT,
    chain,
    categories: { flagged: [...categories.flagged].sort(), service: [...categories.service].sort() },
    warnings: extraWarningsRedacted,
    labels,
  };
  const labelsFile = evidence(
    json(labelDoc),
    'labels',
    `labels on the addresses the trace looked at (${labels.length})`,
  );
  const pricesFile =
    fiat && fiatKept
      ? evidence(
          json(fiat.evidence),
          'prices',
          `every price the money values used (${fiat.evidence.currency}; ${fiat.evidence.prices.series.reduce((n, s) => n + s.rows.length, 0)} rows of ${fiat.evidence.prices.series.length} series)`,
        )
      : undefined;
  if (!opts.redact) {
    const byBody = new Map<string, RecordedResponse[]>();
    for (const r of opts.httpResponses ?? []) {
      const body = redactText(r.body, secrets);
      const list = byBody.get(body) ?? [];
      list.push(r);
      byBody.set(body, list);
    }
    for (const [body, reqs] of [...byBody].sort(([, a], [, b]) => cmp(a[0]!.url, b[0]!.url))) {
      const f = evidence(body, 'http-response', 'raw HTTP response body');
      f.requests = reqs
        .map((r) => ({ method: r.method, url: redactUrl(r.url, secrets), status: r.status, from: r.from }))
        .sort((a, b) => cmp(a.url, b.url) || cmp(a.method, b.method));
    }
  }
  const doc = docOf(result);
  const tables = caseTables(result);
  // A workshop copy's tables say NOT EVIDENCE on every row (src/report/sanitize.ts).
  const table = (text: string) => (opts.redact?.workshop ? markCsvNotEvidence(text) : text);
  files.push({
    path: RESULT,
    data: renderJson(result),
    role: 'result',
    description: 'the trace result (JSON)',
  });
  files.push({
    path: 'exits.csv',
    data: table(tables.exits),
    role: 'table',
    description: 'movements into services and flagged clusters (for a request letter)',
  });
  files.push({
    path: 'exposure.csv',
    data: table(tables.exposure),
    role: 'table',
    description: 'exposure to flagged clusters, direct and indirect, and the remaining buckets',
  });
  files.push({
    path: 'atrest.csv',
    data: table(tables.atrest),
    role: 'table',
    description: 'tainted funds at rest at the end of the data',
  });

  const described = opts.source.describe();
  const asOf = described.asOf ?? opts.source.view.head;
  const source: ManifestSource = {
    spec: pseudonyms ? redactSpec(pseudonyms, described.spec) : redactText(described.spec, secrets),
    kind: described.kind,
    chain: opts.source.chain,
    asOf: asOf ? { height: asOf.height, time: asOf.time ?? null } : null,
  };
  // A redacted case keeps no dataset file name, description or file hash (each can name the
  // victim or be looked up); label files keep only pseudonyms of their path and hash.
  if (!pseudonyms) {
    if (opts.source.kind === 'dataset')
      Object.assign(source, await fileHash(opts.source.file ?? opts.source.spec));
    if (opts.source.description) source.description = redactText(opts.source.description, secrets);
  }
  const labelFiles = [];
  for (const f of opts.labelFiles ?? []) {
    const h = await fileHash(f.path);
    labelFiles.push(
      pseudonyms
        ? {
            path: pseudonyms.name('labels', f.path),
            entries: f.entries,
            sha256: pseudonyms.name('sha256', h.sha256),
          }
        : { path: f.path, entries: f.entries, sha256: h.sha256 },
    );
  }
  const manifest: CaseManifest = {
    format: CASE_FORMAT,
    tool: { ...original.generator },
    // A workshop copy does not give away when the case was made either.
    created: opts.redact?.workshop ? '1970-01-01T00:00:00.000Z' : (opts.now ?? new Date()).toISOString(),
    query: doc.query,
    sources: [source],
    labels: { files: labelFiles, carriedBySource: opts.source.labels.length, stored: labels.length },
    redaction,
    replay: {
      lookups: lookupsFile.path,
      labels: labelsFile.path,
      ...(pricesFile ? { prices: pricesFile.path } : {}),
      lookupCount: log.lookups.length,
      recordCount: log.records.length,
    },
    files: files
      .map((f) => ({
        path: f.path,
        sha256: sha256(f.data),
        bytes: Buffer.byteLength(f.data),
        role: f.role,
        description: f.description,
        ...(f.requests ? { requests: f.requests } : {}),
      }))
      .sort((a, b) => cmp(a.path, b.path)),
  };
  // Belt and braces: no credential in any byte of the case.
  const all = [...files.map((f) => [f.path, f.data] as const), [MANIFEST, json(manifest)] as const];
  for (const s of secrets) {
    for (const form of new Set([s, encodeURIComponent(s)])) {
      const hit = all.find(([, data]) => data.includes(form));
      if (hit)
        throw new FundtraceError(
          'INTERNAL',
          `refusing to write the case: a credential would be stored in ${hit[0]}. Please report this.`,
        );
    }
  }
  return { files, manifest };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A description of the first headline figure that differs, or null. */
function figuresDiffer(a: TraceResult, b: TraceResult): string | null {
  if (a.summary.traced !== b.summary.traced) return 'traced value';
  for (const [k, v] of Object.entries(a.summary.terminals))
    if (b.summary.terminals[k as keyof typeof a.summary.terminals] !== v) return `terminal ${k}`;
  if (a.outcome.graph.order !== b.outcome.graph.order) return 'number of addresses';
  if (a.outcome.graph.size !== b.outcome.graph.size) return 'number of movements';
  const exits = (r: TraceResult) =>
    r.summary.exits
      .map((e) => `${e.entity}|${e.tainted}`)
      .sort()
      .join(',');
  if (exits(a) !== exits(b)) return 'exits';
  return null;
}

async function fileHash(path: string): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), bytes };
}

async function writeSynced(path: string, data: string): Promise<void> {
  const fh = await open(path, 'wx', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function syncDir(path: string): Promise<void> {
  try {
    const fh = await open(path, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // not supported on every platform (Windows): the file syncs above still hold
  }
}

async function commit(
  dir: string,
  files: PlannedFile[],
  manifest: CaseManifest,
  opts: WriteCaseOptions,
): Promise<WrittenCase> {
  const parent = dirname(dir);
  const base = basename(dir);
  const tag = randomBytes(4).toString('hex');
  const tmp = join(parent, `.${base}.partial-${tag}`);
  const old = join(parent, `.${base}.old-${tag}`);
  await mkdir(parent, { recursive: true });
  let movedOld = false;
  try {
    await mkdir(join(tmp, 'evidence'), { recursive: true });
    let bytes = 0;
    for (const f of files) {
      await writeSynced(join(tmp, f.path), f.data);
      bytes += Buffer.byteLength(f.data);
      await opts.onFile?.(f.path);
    }
    const manifestText = json(manifest);
    await writeSynced(join(tmp, MANIFEST), manifestText);
    await opts.onFile?.(MANIFEST);
    await syncDir(join(tmp, 'evidence'));
    await syncDir(tmp);
    // Re-check just before the switch: another process may have made DIR meanwhile.
    await checkCaseTarget(dir, opts.force);
    try {
      await rename(tmp, dir); // works when DIR is absent or an empty directory
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
      await rename(dir, old);
      movedOld = true;
      await rename(tmp, dir);
    }
    await syncDir(parent);
    if (movedOld) await rm(old, { recursive: true, force: true });
    parseManifest(manifestText, MANIFEST); // sanity: what we wrote reads back
    return { dir, caseHash: sha256(manifestText), files: files.length + 1, bytes, manifest };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (movedOld) await rename(old, dir).catch(() => undefined);
    if (e instanceof FundtraceError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new FundtraceError(
      'USAGE',
      `--case ${termSafe(dir)}: cannot write the case (${err.code ?? err.message}); nothing was written`,
    );
  }
}

/**
 * The case's tables. A trace that followed conversions or bridges has every part's rows under one
 * header (each row names its asset), so a request letter sees every exit whatever its asset.
 */
export function caseTables(result: TraceResult): { exits: string; exposure: string; atrest: string } {
  const parts = [result, ...(result.parts ?? [])];
  const joined = (texts: string[]) =>
    texts.map((t, i) => (i === 0 ? t : t.slice(t.indexOf('\n') + 1))).join('');
  return {
    exits: joined(parts.map((r) => renderCsv(r, 'exits'))),
    exposure: joined(parts.map((r) => renderExposureCsv(docOf(r)))),
    atrest: joined(parts.map((r) => renderCsv(r, 'atrest'))),
  };
}
