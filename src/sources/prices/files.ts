// `--prices DIR`: daily price files, the layout of ../shared/data/prices/:
//   SYMBOL-USD.csv   header `date,close`: USD per 1 SYMBOL at the end of each UTC day
//   USD-XXX.csv      header `date,rate`:  XXX per 1 USD, business days (XXX an ISO 4217 code)
//   ANOMALIES.csv    optional, `file,date,close,check,reference,difference`: rows the data's
//                    curator flags as doubtful; a figure using one says so
// Other files (README, PROVENANCE.md) are ignored; another .csv name is ignored with a warning.
//
// Validation is strict: a bad date, a negative, zero or non-numeric value, a wrong field count, a
// repeated or out-of-order day, a wrong header, a file for a pair fundtrace does not read (KES-USD,
// EUR-KES, USD-BTC) — every problem is listed with its file and line and the files are refused
// (BAD_INPUT, exit 3). With `lenient`, bad rows and files are skipped with a warning each instead;
// a day given twice with different values keeps neither. Values are copied byte for byte.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../../core/errors.js';
import { PRICE_IDS } from '../../core/fiat/assets.js';
import type { PriceRow, PriceSeries } from '../../core/fiat/book.js';
import { isCalendarDay } from '../../core/fiat/calendar.js';
import { CURRENCY_MINOR_UNITS } from '../../core/fiat/currency.js';
import { parseDecimal } from '../../core/fiat/decimal.js';

export interface PriceFileOptions {
  /** Skip bad rows and files with warnings instead of refusing them. */
  lenient?: boolean;
}

export interface ParsedPriceFile {
  /** Undefined when the file was refused (problems) or skipped (lenient). */
  series?: PriceSeries;
  /** Each problem names the file and line; non-empty = refused. */
  problems: string[];
  warnings: string[];
}

export type PriceFileKind =
  | { kind: 'crypto'; base: string; quote: 'USD' }
  | { kind: 'fx'; base: 'USD'; quote: string }
  | { kind: 'anomalies' }
  | { kind: 'refused'; problem: string }
  | { kind: 'other' };

const quoted = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
const isFiat = (code: string) => Object.hasOwn(CURRENCY_MINOR_UNITS, code);

/** What a file name means in a prices directory. */
export function classifyPriceFile(name: string): PriceFileKind {
  if (/^anomalies\.csv$/i.test(name)) return { kind: 'anomalies' };
  const m = /^([A-Za-z0-9]+)-([A-Za-z0-9]+)\.csv$/.exec(name);
  if (!m) return { kind: 'other' };
  const base = m[1]!.toUpperCase();
  const quote = m[2]!.toUpperCase();
  if (base === 'USD' && quote === 'USD')
    return { kind: 'refused', problem: `${name}: USD-USD is not a pair` };
  if (quote === 'USD') {
    if (isFiat(base))
      return {
        kind: 'refused',
        problem: `${name}: an exchange rate for the inverted pair; fundtrace reads USD-${base}.csv (${base} per 1 USD, header date,rate)`,
      };
    return { kind: 'crypto', base, quote: 'USD' };
  }
  if (base === 'USD') {
    if (!/^[A-Z]{3}$/.test(quote) || Object.hasOwn(PRICE_IDS, quote))
      return {
        kind: 'refused',
        problem: `${name}: an exchange-rate file must be USD-XXX with a three-letter currency code; coin prices go in SYMBOL-USD.csv`,
      };
    return { kind: 'fx', base: 'USD', quote };
  }
  return {
    kind: 'refused',
    problem: `${name}: not a USD pair; fundtrace reads SYMBOL-USD.csv (coin prices) and USD-XXX.csv (exchange rates) and crosses through USD`,
  };
}

/** Known-doubtful rows from ANOMALIES.csv: "BTC-USD 2017-12-07" → "deviation>10%: … (+11 %)". */
export type AnomalyIndex = Map<string, { close: string; note: string }[]>;

export function parseAnomalies(
  text: string,
  name = 'ANOMALIES.csv',
): { index: AnomalyIndex; warnings: string[] } {
  const index: AnomalyIndex = new Map();
  const warnings: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== 'file,date,close,check,reference,difference') {
    warnings.push(`${name}: not read (header is not file,date,close,check,reference,difference)`);
    return { index, warnings };
  }
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '') continue;
    const f = line.split(',');
    if (f.length < 6) {
      warnings.push(`${name} line ${n + 1}: not read (expected 6 fields)`);
      continue;
    }
    const [file, date, close, check] = f as [string, string, string, string];
    const difference = f[f.length - 1]!;
    const reference = f.slice(4, f.length - 1).join(',');
    const series = file
      .trim()
      .replace(/\.csv$/i, '')
      .toUpperCase();
    const key = `${series} ${date.trim()}`;
    const list = index.get(key) ?? [];
    list.push({ close: close.trim(), note: `${check.trim()}: ${reference.trim()} (${difference.trim()})` });
    index.set(key, list);
  }
  return { index, warnings };
}

/**
 * Parse one price file's text. `name` is the file name (it decides the pair), `source` how the
 * series names its origin (default: the name).
 */
export function parsePriceFile(
  name: string,
  text: string,
  opts: PriceFileOptions & { source?: string; anomalies?: AnomalyIndex; sha256?: string } = {},
): ParsedPriceFile {
  const kind = classifyPriceFile(name);
  const problems: string[] = [];
  const warnings: string[] = [];
  const refuse = (p: string): ParsedPriceFile =>
    opts.lenient
      ? { problems: [], warnings: [...warnings, `${p}; file skipped`] }
      : { problems: [p], warnings };
  if (kind.kind === 'refused') return refuse(kind.problem);
  if (kind.kind !== 'crypto' && kind.kind !== 'fx') return refuse(`${name}: not a price file name`);
  const column = kind.kind === 'crypto' ? 'close' : 'rate';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 1 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const header = lines[0]?.trim().toLowerCase() ?? '';
  if (header !== `date,${column}`) {
    const other = kind.kind === 'crypto' ? 'date,rate' : 'date,close';
    if (header === other)
      return refuse(
        kind.kind === 'fx'
          ? `${name} line 1: header date,close is a coin price file's, not an exchange rate's (date,rate): is this file for the pair USD-${kind.quote}?`
          : `${name} line 1: header date,rate is an exchange rate file's, not a coin price file's (date,close): is this file for the pair ${kind.base}-USD?`,
      );
    return refuse(`${name} line 1: header must be date,${column}, found ${quoted(lines[0] ?? '')}`);
  }

  const rows: (PriceRow & { line: number })[] = [];
  const bad = (p: string) => (opts.lenient ? warnings.push(`${p}; row skipped`) : problems.push(p));
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    const at = `${name} line ${n + 1}`;
    if (line.trim() === '') {
      bad(`${at}: empty line`);
      continue;
    }
    const f = line.split(',');
    if (f.length !== 2) {
      bad(`${at}: expected 2 fields (date,${column}), found ${f.length}`);
      continue;
    }
    const date = f[0]!.trim();
    const raw = f[1]!.trim();
    let ok = true;
    if (!isCalendarDay(date)) {
      bad(`${at}: date ${quoted(date)} is not a calendar day (YYYY-MM-DD)`);
      ok = false;
    }
    const value = parseDecimal(raw);
    if (value === undefined) {
      if (raw.startsWith('-') && parseDecimal(raw.slice(1)) !== undefined)
        bad(`${at}: negative ${column} ${raw}`);
      else bad(`${at}: ${column} ${quoted(raw)} is not a number`);
      ok = false;
    } else if (value.units === 0n) {
      bad(`${at}: zero ${column} ${raw} (a price is never zero)`);
      ok = false;
    }
    if (ok) rows.push({ date, text: raw, value: value!, at: `line ${n + 1}`, line: n + 1 });
  }

  // Order and duplicates, reported against the line they clash with.
  const kept: (PriceRow & { line: number })[] = [];
  const ambiguous = new Set<string>();
  let unsorted = false;
  const byDate = new Map<string, PriceRow & { line: number }>();
  let prev: (PriceRow & { line: number }) | undefined;
  for (const r of rows) {
    const first = byDate.get(r.date);
    if (first) {
      if (opts.lenient) {
        if (first.text === r.text)
          warnings.push(`${name} line ${r.line}: ${r.date} repeats line ${first.line}; row skipped`);
        else {
          warnings.push(
            `${name} line ${r.line}: ${r.date} repeats line ${first.line} with another value (${r.text} vs ${first.text}); neither is used`,
          );
          ambiguous.add(r.date);
        }
      } else problems.push(`${name} line ${r.line}: ${r.date} repeats line ${first.line}`);
      continue;
    }
    if (prev && r.date < prev.date) {
      if (opts.lenient) unsorted = true;
      else
        problems.push(
          `${name} line ${r.line}: ${r.date} is out of order (after ${prev.date} on line ${prev.line})`,
        );
    }
    byDate.set(r.date, r);
    kept.push(r);
    prev = r;
  }
  if (unsorted) warnings.push(`${name}: rows are not in date order; sorted`);
  if (problems.length > 0) return { problems, warnings };
  const final = kept
    .filter((r) => !ambiguous.has(r.date))
    .sort((a, b) => (a.date < b.date ? -1 : 1))
    .map(({ line: _l, ...r }) => r);
  if (final.length === 0) return refuse(`${name}: no ${column} rows`);
  const id = `${kind.base}-${kind.quote}`;
  for (const r of final) {
    const notes = opts.anomalies?.get(`${id} ${r.date}`)?.filter((a) => a.close === r.text);
    if (notes && notes.length > 0) r.flag = `listed in ANOMALIES.csv: ${notes.map((a) => a.note).join('; ')}`;
  }
  const series: PriceSeries = {
    id,
    kind: kind.kind,
    base: kind.base,
    quote: kind.quote,
    source: opts.source ?? name,
    coverage: { first: final[0]!.date, last: final[final.length - 1]!.date },
    rows: final,
  };
  if (opts.sha256 !== undefined) series.sha256 = opts.sha256;
  return { series, problems, warnings };
}

export interface PriceDirectory {
  series: PriceSeries[];
  warnings: string[];
}

/**
 * Read every price file in `dir`. Problems in any file refuse the whole directory with one
 * BAD_INPUT error listing every problem (file and line), unless `lenient`.
 */
export async function readPriceDir(dir: string, opts: PriceFileOptions = {}): Promise<PriceDirectory> {
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw inputError(`--prices ${dir}: not a directory`);
    names = (await readdir(dir)).sort();
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT')
      throw inputError(`--prices ${dir}: no such directory`);
    throw e;
  }
  const warnings: string[] = [];
  let anomalies: AnomalyIndex | undefined;
  const anomalyFile = names.find((n) => classifyPriceFile(n).kind === 'anomalies');
  if (anomalyFile) {
    const a = parseAnomalies(await readFile(join(dir, anomalyFile), 'utf8'), anomalyFile);
    anomalies = a.index;
    warnings.push(...a.warnings);
  }
  const series: PriceSeries[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const k = classifyPriceFile(name);
    if (k.kind === 'anomalies') continue;
    if (k.kind === 'other') {
      if (/\.csv$/i.test(name))
        warnings.push(`--prices: ${name} ignored (not SYMBOL-USD.csv or USD-XXX.csv)`);
      continue;
    }
    const bytes = await readFile(join(dir, name));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const p = parsePriceFile(name, bytes.toString('utf8'), { ...opts, anomalies, sha256 });
    problems.push(...p.problems);
    warnings.push(...p.warnings);
    if (p.series) series.push(p.series);
  }
  if (problems.length > 0) {
    const files = new Set(problems.map((p) => p.split(/[ :]/)[0]));
    throw inputError(
      `--prices ${dir}: ${[...files].join(', ')} refused (${problems.length} problem${problems.length > 1 ? 's' : ''}): ${problems[0]}`,
      problems,
    );
  }
  if (series.length === 0)
    throw inputError(
      `--prices ${dir}: no price files (SYMBOL-USD.csv with date,close or USD-XXX.csv with date,rate)`,
    );
  return { series, warnings };
}
