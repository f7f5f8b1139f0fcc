// Rows of an ETL export file (blockchain-etl / BigQuery `crypto_*` column names), CSV with a header
// or JSON Lines, as string-valued records with the line they start on. JSON Lines write big
// integers as bare numbers (a `value` in wei can exceed 2^53): they are read as their digits,
// never through a float.
import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { type CsvRecord, CsvStream } from '../../core/csv.js';
import { FundtraceError } from '../../core/errors.js';
import { sanitize as termSafe } from '../dataset/problems.js';
import { isoTime } from '../evm/transfers.js';

export interface EtlRow {
  file: string;
  line: number;
  get(column: string): string | null;
  has(column: string): boolean;
  /** The value as read: JSON Lines keep nested arrays and objects (bitcoin-etl inputs/outputs). */
  raw(column: string): unknown;
}

const MAX_U256 = (1n << 256n) - 1n;
/** A key's bare integer of 16+ digits (after `": `), quoted before parsing so no float sees it. */
const BIG_NUMBER = /("\s*:\s*)(-?\d{16,})(?=\s*[,}])/g;

export function etlError(file: string, line: number | null, message: string): FundtraceError {
  return new FundtraceError(
    'BAD_INPUT',
    `${termSafe(basename(file))}${line === null ? '' : `:${line}`}: ${message}`,
  );
}

/** The shards of one export (BigQuery writes an export over 1 GB as several files), in the order given. */
export type EtlFiles = string | readonly string[];

export function fileList(files: EtlFiles): readonly string[] {
  return typeof files === 'string' ? [files] : files;
}

/** Text pieces of a file, decoded as UTF-8 (a character split between pieces is kept whole). */
async function* pieces(file: string): AsyncGenerator<string> {
  try {
    await access(file, constants.R_OK);
  } catch (e) {
    throw new FundtraceError('BAD_INPUT', `${termSafe(file)} cannot be read: ${(e as Error).message}`);
  }
  // 64 KiB pieces: strings that small are collected young (1 MiB ones would be large objects).
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  try {
    for await (const piece of stream) yield piece as string;
  } catch (e) {
    throw new FundtraceError('BAD_INPUT', `${termSafe(file)} cannot be read: ${(e as Error).message}`);
  } finally {
    stream.destroy();
  }
}

/**
 * The rows of an export, one at a time: CSV with a header row, or JSON Lines (each row must have
 * the required columns). Read a piece at a time, so an export bigger than memory (or than the
 * longest string JavaScript can hold, 512 MB) is never held whole; a row is dropped once the
 * caller has taken what it needs. Several files are the shards of one export, read in turn.
 */
export async function* etlRows(
  files: EtlFiles,
  required: readonly string[],
  /** Told how far the reading is, every 16 384 rows and at each file's end (a progress line). */
  progress?: (text: string) => void,
): AsyncGenerator<EtlRow> {
  for (const file of fileList(files)) {
    const ext = extname(file).toLowerCase();
    let rows: AsyncGenerator<EtlRow>;
    if (ext === '.csv') rows = csvRows(file, required);
    else if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') rows = jsonRows(file, required);
    else throw etlError(file, null, 'an ETL export must be .csv, .json, .jsonl or .ndjson');
    if (!progress) {
      yield* rows;
      continue;
    }
    const name = basename(file);
    let n = 0;
    for await (const r of rows) {
      if ((++n & 16383) === 0) progress(`reading ${name}: ${n.toLocaleString('en')} rows`);
      yield r;
    }
    progress(`read ${name}: ${n.toLocaleString('en')} rows`);
  }
}

async function* csvRows(file: string, required: readonly string[]): AsyncGenerator<EtlRow> {
  const csv = new CsvStream();
  const records: CsvRecord[] = [];
  let col: Map<string, number> | undefined;
  let width = 0;
  function* rows(): Generator<EtlRow> {
    for (const r of records) {
      if (!col) {
        col = new Map(r.fields.map((h, i) => [h.trim(), i]));
        width = r.fields.length;
        const missing = required.filter((c) => !col!.has(c));
        if (missing.length > 0)
          throw etlError(file, 1, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
        continue;
      }
      if (r.fields.length === 1 && r.fields[0] === '') continue;
      if (r.fields.length !== width)
        throw etlError(file, r.line, `${r.fields.length} fields where the header has ${width}`);
      const c = col;
      const fields = r.fields;
      yield {
        file,
        line: r.line,
        get: (name) => {
          const i = c.get(name);
          const v = i === undefined ? undefined : fields[i];
          return v === undefined || v === '' ? null : v;
        },
        has: (name) => c.has(name),
        raw: (name) => {
          const i = c.get(name);
          return i === undefined ? undefined : fields[i];
        },
      };
    }
    records.length = 0;
  }
  for await (const piece of pieces(file)) {
    csv.push(piece, records);
    yield* rows();
  }
  csv.end(records);
  yield* rows();
  if (!col) throw etlError(file, null, 'empty file (a CSV export starts with its header row)');
}

async function* jsonRows(file: string, required: readonly string[]): AsyncGenerator<EtlRow> {
  let line = 0;
  // The line under way at a piece's end (only it is joined with the next piece, never the piece).
  let rest = '';
  for await (const piece of pieces(file)) {
    let at = 0;
    for (let nl = piece.indexOf('\n'); nl >= 0; nl = piece.indexOf('\n', at)) {
      line++;
      const text = rest === '' ? piece.slice(at, nl) : rest + piece.slice(at, nl);
      rest = '';
      const row = jsonRow(file, line, text, required);
      at = nl + 1;
      if (row) yield row;
    }
    rest += piece.slice(at);
  }
  line++;
  const row = jsonRow(file, line, rest, required);
  if (row) yield row;
}

function jsonRow(file: string, line: number, raw: string, required: readonly string[]): EtlRow | null {
  const l = raw.trim();
  if (l === '') return null;
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(l.replace(BIG_NUMBER, '$1"$2"')) as Record<string, unknown>;
  } catch (e) {
    throw etlError(file, line, `not JSON (${(e as Error).message})`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    throw etlError(file, line, 'not a JSON object');
  const missing = required.filter((c) => !(c in obj));
  if (missing.length > 0)
    throw etlError(file, line, `missing field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return {
    file,
    line,
    get: (c) => {
      const v = obj[c];
      return v === null || v === undefined || v === '' ? null : String(v);
    },
    has: (c) => c in obj,
    raw: (c) => obj[c],
  };
}

const BQ_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?(?: UTC|Z|\+00:00)?$/;

/** A block time: unix seconds (the etl tools), or BigQuery's TIMESTAMP as exported ("2023-05-02 12:19:59 UTC"). */
export function timeOf(row: EtlRow, column: string): string {
  const v = row.raw(column);
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) {
    const s = uint(row, column);
    if (s > 253402300799n) throw etlError(row.file, row.line, `${column} ${s} is beyond the year 9999`);
    return isoTime(s);
  }
  const m = typeof v === 'string' ? BQ_TIME.exec(v) : null;
  const iso = m ? `${m[1]}T${m[2]}Z` : '';
  // Round trip: Date.parse takes 2024-02-30 as March 1st.
  const t = Date.parse(iso);
  if (!m || Number.isNaN(t) || new Date(t).toISOString().replace('.000Z', 'Z') !== iso)
    throw etlError(
      row.file,
      row.line,
      `${column} ${JSON.stringify(v)} is not a time (unix seconds or "YYYY-MM-DD HH:MM:SS UTC")`,
    );
  return iso;
}

/** A non-negative integer column, exact, at most 2^256 − 1. */
export function uint(row: EtlRow, column: string): bigint {
  const v = row.get(column);
  if (v === null) throw etlError(row.file, row.line, `${column} is empty`);
  if (!/^\d+$/.test(v))
    throw etlError(
      row.file,
      row.line,
      `${column} ${JSON.stringify(v.slice(0, 80))} is not a non-negative integer`,
    );
  const n = BigInt(v);
  if (n > MAX_U256) throw etlError(row.file, row.line, `${column} ${v.slice(0, 80)} is beyond 2^256 − 1`);
  return n;
}

export function optUint(row: EtlRow, column: string): bigint | null {
  return row.get(column) === null ? null : uint(row, column);
}

export function num(row: EtlRow, column: string): number {
  const n = uint(row, column);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw etlError(row.file, row.line, `${column} ${n} is too large`);
  return Number(n);
}
