// Rows of an ETL export file (blockchain-etl / BigQuery `crypto_*` column names), CSV with a header
// or JSON Lines, as string-valued records with the line they start on. JSON Lines write big
// integers as bare numbers (a `value` in wei can exceed 2^53): they are read as their digits,
// never through a float.
import { constants, createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { parseCsv } from '../../core/csv.js';
import { FundtraceError } from '../../core/errors.js';
import { sanitize as termSafe } from '../dataset/problems.js';

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

export async function readEtlRows(file: string, required: readonly string[]): Promise<EtlRow[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new FundtraceError('BAD_INPUT', `${termSafe(file)} cannot be read: ${(e as Error).message}`);
  }
  const ext = extname(file).toLowerCase();
  const rows: EtlRow[] = [];
  if (ext === '.csv') {
    const records = parseCsv(text);
    const header = records[0];
    if (!header) throw etlError(file, null, 'empty file (a CSV export starts with its header row)');
    const col = new Map(header.fields.map((h, i) => [h.trim(), i]));
    const missing = required.filter((c) => !col.has(c));
    if (missing.length > 0)
      throw etlError(file, 1, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    for (const r of records.slice(1)) {
      if (r.fields.length === 1 && r.fields[0] === '') continue;
      if (r.fields.length !== header.fields.length)
        throw etlError(
          file,
          r.line,
          `${r.fields.length} fields where the header has ${header.fields.length}`,
        );
      rows.push({
        file,
        line: r.line,
        get: (c) => {
          const i = col.get(c);
          const v = i === undefined ? undefined : r.fields[i];
          return v === undefined || v === '' ? null : v;
        },
        has: (c) => col.has(c),
        raw: (c) => {
          const i = col.get(c);
          return i === undefined ? undefined : r.fields[i];
        },
      });
    }
    return rows;
  }
  if (ext !== '.json' && ext !== '.jsonl' && ext !== '.ndjson')
    throw etlError(file, null, 'an ETL export must be .csv, .json, .jsonl or .ndjson');
  text.split('\n').forEach((raw, i) => {
    const row = jsonRow(file, i + 1, raw, required);
    if (row) rows.push(row);
  });
  return rows;
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

/** JSON Lines rows one at a time, for exports too big to hold as text and parsed objects at once
 * (a row's nested lists and scripts are dropped once the caller has taken what it needs). */
export async function* streamEtlJsonLines(file: string): AsyncGenerator<EtlRow> {
  const ext = extname(file).toLowerCase();
  if (ext !== '.json' && ext !== '.jsonl' && ext !== '.ndjson')
    throw etlError(file, null, 'an ETL export must be .csv, .json, .jsonl or .ndjson');
  let rl: Interface;
  try {
    await access(file, constants.R_OK);
    rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  } catch (e) {
    throw new FundtraceError('BAD_INPUT', `${termSafe(file)} cannot be read: ${(e as Error).message}`);
  }
  let line = 0;
  try {
    for await (const raw of rl) {
      line++;
      const row = jsonRow(file, line, raw, []);
      if (row) yield row;
    }
  } finally {
    rl.close();
  }
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
