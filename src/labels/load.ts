// Reading label files from disk: format detection, gzip, and the strict/lenient policy. Strict
// turns any problem into one BAD_INPUT error listing every problem; lenient keeps the good entries
// and returns the problems as warnings. The project's own formats are strict unless `lenient`
// (--lenient); published third-party lists are lenient unless `strict` (--strict-labels), because
// their defects are facts of the list (OFAC's XBT list holds a TRON address, the SDN CSV truncates
// remarks, MEW's darklist repeats entries) and refusing the whole list helps no one.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { FundtraceError, inputError } from '../core/errors.js';
import type { Label } from '../core/model.js';
import {
  detectFormat,
  importLabelText,
  isLabelFormat,
  type LabelFormat,
  labelFormats,
} from './importers/index.js';
import { escapeControls, escapeUnsafe, quoteUntrusted } from './sanitize.js';
import type { ImportOptions, LabelProblem, SkipCount } from './types.js';

export interface LoadOptions extends ImportOptions {
  /** A format name (see `labelFormats()`); detected from the file name and content when absent. */
  format?: string;
  /** Keep the good entries and report problems as warnings instead of throwing (--lenient). */
  lenient?: boolean;
  /** Refuse third-party lists with problems too (--strict-labels). */
  strict?: boolean;
}

/** Published third-party list formats: their problems are warnings unless --strict-labels. */
export const TOLERANT_FORMATS: ReadonlySet<LabelFormat> = new Set<LabelFormat>([
  'graphsense',
  'ofac-sdn',
  'ofac-list',
  'etherscan',
  'mew-darklist',
  'mew-lightlist',
  'scamsniffer',
]);

/** Whether a file of this format keeps its good entries when it has problems. */
export function isLenientFor(format: LabelFormat, opts: Pick<LoadOptions, 'lenient' | 'strict'>): boolean {
  return opts.lenient === true || (opts.strict !== true && TOLERANT_FORMATS.has(format));
}

/** What to pass to import the good entries of a refused file: names the flag. */
export function lenientHint(format: LabelFormat | undefined, verb = 'import'): string {
  return format && TOLERANT_FORMATS.has(format)
    ? `drop --strict-labels (or pass --lenient) to ${verb} the good entries and list the rest as warnings`
    : `pass --lenient to ${verb} the good entries and list the rest as warnings`;
}

export interface LoadedLabels {
  file: string;
  format: LabelFormat;
  entries: Label[];
  /** Problems (only non-empty in lenient mode: strict mode throws instead). */
  warnings: LabelProblem[];
  skipped: SkipCount[];
}

/** One line for a problem, safe to print: the file name and location are escaped too. */
export function formatProblem(p: LabelProblem): string {
  const where = typeof p.location === 'number' ? `:${p.location}` : p.location ? ` at ${p.location}` : '';
  // Messages and locations are built safe; escaping controls again is idempotent and guards
  // against problems constructed elsewhere.
  return escapeControls(`${p.file}${where}: ${p.message}`);
}

export function problemsError(
  file: string,
  problems: readonly LabelProblem[],
  format?: LabelFormat,
): FundtraceError {
  const n = problems.length;
  const fmt = format ? ` (${format})` : '';
  return inputError(
    `${escapeUnsafe(file)}${fmt}: ${n} problem${n === 1 ? '' : 's'} in the label file, nothing imported (${lenientHint(format)})`,
    problems.map(formatProblem),
  );
}

export async function loadLabelFile(path: string, opts: LoadOptions = {}): Promise<LoadedLabels> {
  const format = checkFormat(opts.format);
  const { text, name } = await readText(path);
  const detected = format ?? detectFormat(text, name);
  if (!detected) {
    throw inputError(`${escapeUnsafe(path)}: cannot tell the label file format`, [
      `pass a format: ${labelFormats().join(', ')}`,
    ]);
  }
  const result = await importLabelText(detected, text, name, opts);
  // Importers saw the name without .gz (it carries the format); problems name the real file.
  const problems = result.problems.map((p) => ({ ...p, file: path }));
  if (problems.length > 0 && !isLenientFor(detected, opts)) throw problemsError(path, problems, detected);
  return {
    file: path,
    format: detected,
    entries: result.entries,
    warnings: problems,
    skipped: result.skipped,
  };
}

function checkFormat(format: string | undefined): LabelFormat | undefined {
  if (format === undefined) return undefined;
  if (isLabelFormat(format)) return format;
  throw new FundtraceError('USAGE', `unknown label format ${quoteUntrusted(format)}`, [
    `known formats: ${labelFormats().join(', ')}`,
  ]);
}

async function readText(path: string): Promise<{ text: string; name: string }> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw inputError(`cannot read label file ${quoteUntrusted(path, 200)} (${code})`);
  }
  if (!/\.gz$/i.test(path)) return { text: strictUtf8(buf, path), name: path };
  let raw: Buffer;
  try {
    raw = gunzipSync(buf);
  } catch {
    throw inputError(`${escapeUnsafe(path)}: not a valid gzip file`);
  }
  return { text: strictUtf8(raw, path), name: path.slice(0, -3) };
}

/** Decode UTF-8, refusing invalid bytes (they would silently become U+FFFD in an entity name). */
function strictUtf8(buf: Buffer, path: string): string {
  try {
    // ignoreBOM: keep a BOM in the text, as Buffer#toString does (the parsers drop it).
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    const bad = firstInvalidUtf8(buf);
    const line = bad < 0 ? 0 : buf.subarray(0, bad).toString('latin1').split('\n').length;
    throw inputError(
      `${escapeUnsafe(path)}: line ${line}: not valid UTF-8 (byte offset ${bad}); nothing loaded`,
    );
  }
}

/** Offset of the first byte where UTF-8 decoding fails (binary search over prefixes). */
function firstInvalidUtf8(buf: Buffer): number {
  let lo = 0;
  let hi = buf.length;
  // the longest valid prefix (allowing a cut multi-byte sequence at the end via stream mode)
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}
