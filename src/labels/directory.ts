// The label directory the CLI loads by default. `importIntoDirectory` normalises any supported
// label file into one JSON Lines file there (a header line, then one label per line, sorted),
// written atomically (temp file + rename) so a crash never leaves a half-written file that would
// later fail to load. Re-importing the same list replaces its file.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { usageError } from '../core/errors.js';
import type { Label } from '../core/model.js';
import { fileStem } from './collect.js';
import { type LoadOptions, loadLabelFile } from './load.js';
import { LabelStore, loadLabelStore, type StoreLoad } from './store.js';
import type { LabelProblem, SkipCount } from './types.js';

export const LABEL_FILE_FORMAT = 'fundtrace-labels/1';

/** $FUNDTRACE_LABEL_DIR, else $XDG_DATA_HOME/fundtrace/labels, else ~/.local/share/fundtrace/labels. */
export function defaultLabelDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.FUNDTRACE_LABEL_DIR) return env.FUNDTRACE_LABEL_DIR;
  const data = env.XDG_DATA_HOME?.startsWith('/') ? env.XDG_DATA_HOME : join(home, '.local', 'share');
  return join(data, 'fundtrace', 'labels');
}

export interface ImportIntoOptions extends LoadOptions {
  /** File name (without .jsonl) in the directory; default: derived from the entries' source. */
  name?: string;
}

export interface DirectoryImport {
  /** The written file. */
  path: string;
  name: string;
  format: string;
  count: number;
  warnings: LabelProblem[];
  skipped: SkipCount[];
}

export async function importIntoDirectory(
  dir: string,
  file: string,
  opts: ImportIntoOptions = {},
): Promise<DirectoryImport> {
  const loaded = await loadLabelFile(file, opts);
  const name = opts.name !== undefined ? checkedName(opts.name) : directoryName(loaded.entries, file);
  const entries = [...new LabelStore(loaded.entries)].sort(compareForFile);
  const header = {
    format: LABEL_FILE_FORMAT,
    name,
    importedFrom: basename(file),
    sourceFormat: loaded.format,
    importedAt: new Date().toISOString(),
    count: entries.length,
    skipped: loaded.skipped,
  };
  const lines = [JSON.stringify(header), ...entries.map(serialise)];
  const path = join(dir, `${name}.jsonl`);
  await writeAtomically(dir, path, `${lines.join('\n')}\n`);
  const { warnings, skipped, format } = loaded;
  return { path, name, format, count: entries.length, warnings, skipped };
}

/** Load every label file of the directory (a missing directory is an empty store). */
export async function loadDirectory(dir: string, opts: { lenient?: boolean } = {}): Promise<StoreLoad> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { store: new LabelStore(), files: [], warnings: [] };
    throw err;
  }
  const files = names
    .filter((n) => !n.startsWith('.') && /\.(jsonl|json|csv)$/i.test(n))
    .sort()
    .map((n) => join(dir, n));
  return loadLabelStore(files, { format: 'fundtrace', lenient: opts.lenient });
}

/** Named after the entries' source (e.g. graphsense:ofac → graphsense-ofac), plus the file stem if it adds anything. */
export function directoryName(entries: readonly Label[], file: string): string {
  const sources = [...new Set(entries.map((e) => e.source))];
  const stem = safeName(fileStem(file));
  const source = sources.length === 1 ? safeName(sources[0]!) : '';
  if (!source) return stem || 'labels';
  return source.includes(stem) ? source : `${source}-${stem}`.slice(0, 120);
}

function safeName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 80);
}

function checkedName(name: string): string {
  if (/^[A-Za-z0-9][\w.-]{0,119}$/.test(name)) return name.replace(/\.jsonl$/i, '');
  throw usageError('a label file name may only use letters, digits, ".", "_" and "-"');
}

const FIELDS = ['chain', 'address', 'entity', 'category', 'source', 'confidence', 'note', 'lastmod'] as const;

/** Fixed field order and no undefined fields, so re-imports produce identical lines. */
function serialise(l: Label): string {
  const out: Record<string, string> = {};
  for (const f of FIELDS) {
    const v = l[f];
    if (v !== undefined) out[f] = v;
  }
  return JSON.stringify(out);
}

function compareForFile(a: Label, b: Label): number {
  for (const f of FIELDS) {
    const x = a[f] ?? '';
    const y = b[f] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

async function writeAtomically(dir: string, path: string, content: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(content, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}
