// The project's own label format, in three encodings:
//  - JSON: an array of labels, `{ "labels": [...] }`, or a whole dataset-v1 document (its labels
//    inherit the dataset's `chain` when they name none);
//  - JSON Lines: one label per line; a header line carrying `format` is allowed, and dataset-v1
//    JSONL records of another `type` are skipped, so a dataset file can serve as a label file;
//  - CSV with a header naming at least chain,address,entity,category (optional: source,
//    confidence, note, lastmod; other columns are ignored).
// Fields: chain (a registered chain or alias), address (canonicalised), entity (non-empty),
// category (taxonomy id or alias), source (default: the file's stem), confidence (high, medium,
// low), note, lastmod.
import type { Label } from '../../core/model.js';
import { Collector, fileStem, isRecord, optString, parseJson, pointer, stripBom } from '../collect.js';
import { parseCsv } from '../csv.js';
import { quoteUntrusted } from '../sanitize.js';
import { normaliseCategory } from '../taxonomy.js';
import type { ImportOptions, ImportResult } from '../types.js';

export type OwnEncoding = 'json' | 'jsonl' | 'csv';

const CONFIDENCES = new Set(['high', 'medium', 'low']);
const CSV_REQUIRED = ['chain', 'address', 'entity', 'category'];
const CSV_FIELDS = [...CSV_REQUIRED, 'source', 'confidence', 'note', 'lastmod'];

interface Defaults {
  chain?: string;
  source: string;
}

/** Guess the encoding from the file name, then from the first non-blank character. */
export function ownEncoding(text: string, file: string): OwnEncoding {
  if (/\.(jsonl|ndjson)(\.gz)?$/i.test(file)) return 'jsonl';
  if (/\.json(\.gz)?$/i.test(file)) return 'json';
  if (/\.csv(\.gz)?$/i.test(file)) return 'csv';
  const head = stripBom(text).trimStart();
  if (head.startsWith('[')) return 'json';
  if (head.startsWith('{')) return looksLikeJsonLines(head) ? 'jsonl' : 'json';
  return 'csv';
}

function looksLikeJsonLines(text: string): boolean {
  const first = text.split('\n', 1)[0]!.trim();
  try {
    return isRecord(JSON.parse(first)) && text.trim() !== first;
  } catch {
    return false;
  }
}

export function importFundtrace(
  text: string,
  file: string,
  opts: ImportOptions = {},
  encoding?: OwnEncoding,
): ImportResult {
  const c = new Collector(file);
  const defaults: Defaults = { chain: opts.chain, source: opts.source ?? fileStem(file) };
  const enc = encoding ?? ownEncoding(text, file);
  if (enc === 'csv') readCsv(text, c, defaults);
  else if (enc === 'jsonl') readJsonLines(text, c, defaults);
  else readJson(text, c, defaults);
  return c.result();
}

function readJson(text: string, c: Collector, defaults: Defaults): void {
  const doc = parseJson(text, c);
  if (doc === undefined) return;
  if (Array.isArray(doc)) {
    doc.forEach((item, i) => {
      addLabel(item, pointer(i), c, defaults);
    });
    return;
  }
  if (isRecord(doc) && Array.isArray(doc.labels)) {
    const inherited = { ...defaults, chain: optString(doc.chain) ?? defaults.chain };
    doc.labels.forEach((item, i) => {
      addLabel(item, pointer('labels', i), c, inherited);
    });
    return;
  }
  c.problem('', 'expected a JSON array of labels or an object with a "labels" array');
}

function readJsonLines(text: string, c: Collector, defaults: Defaults): void {
  const lines = stripBom(text).split('\n');
  let inherited = defaults;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      c.problem(i + 1, 'not a valid JSON line');
      return;
    }
    if (isRecord(value) && typeof value.format === 'string') {
      // A header line (dataset-v1 JSONL or a normalised label file): may set the default chain.
      inherited = { ...defaults, chain: optString(value.chain) ?? defaults.chain };
      return;
    }
    if (isRecord(value) && value.type !== undefined && value.type !== 'label') {
      c.skip('dataset record that is not a label');
      return;
    }
    addLabel(value, i + 1, c, inherited);
  });
}

function readCsv(text: string, c: Collector, defaults: Defaults): void {
  const [header, ...rows] = parseCsv(text);
  if (!header) {
    c.problem(1, 'empty CSV file');
    return;
  }
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const missing = CSV_REQUIRED.filter((f) => !names.includes(f));
  if (missing.length > 0) {
    c.problem(
      header.line,
      `CSV header lacks column(s) ${missing.join(', ')} (needs ${CSV_REQUIRED.join(',')})`,
    );
    return;
  }
  for (const row of rows) {
    if (row.fields.length !== names.length) {
      c.problem(row.line, `expected ${names.length} fields, found ${row.fields.length}`);
      continue;
    }
    const obj: Record<string, string> = {};
    names.forEach((name, i) => {
      const v = row.fields[i]!;
      if (CSV_FIELDS.includes(name) && v.trim() !== '') obj[name] = v;
    });
    addLabel(obj, row.line, c, defaults);
  }
}

/** Validate one label object; every bad field is its own problem, and a bad label is not added. */
function addLabel(item: unknown, loc: number | string, c: Collector, defaults: Defaults): void {
  if (!isRecord(item)) {
    c.problem(loc, 'expected a label object');
    return;
  }
  const at = (field: string) => (typeof loc === 'number' ? loc : `${loc}${pointer(field)}`);
  const before = c.problemCount;
  const chain = c.chain(item.chain ?? defaults.chain, at('chain'));
  const address = chain ? c.address(chain, item.address, at('address')) : undefined;
  const entity = requiredText(item.entity, 'entity', at('entity'), c);
  const category = checkCategory(item.category, at('category'), c);
  const source = optionalText(item.source, 'source', at('source'), c) ?? defaults.source;
  const confidence = checkConfidence(item.confidence, at('confidence'), c);
  const note = optionalText(item.note, 'note', at('note'), c);
  const lastmod = optionalText(item.lastmod, 'lastmod', at('lastmod'), c);
  if (c.problemCount !== before || !chain || !address || !entity || !category) return;
  const label: Label = { chain, address, entity, category, source };
  if (confidence) label.confidence = confidence;
  if (note) label.note = note;
  if (lastmod) label.lastmod = lastmod;
  c.add(label, loc);
}

function requiredText(v: unknown, field: string, loc: number | string, c: Collector): string | undefined {
  if (v !== undefined && v !== null && typeof v !== 'string') {
    c.problem(loc, `${field} must be a string`);
    return undefined;
  }
  const s = optString(v);
  if (s === undefined) c.problem(loc, `missing ${field}`);
  return s;
}

function optionalText(v: unknown, field: string, loc: number | string, c: Collector): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    c.problem(loc, `${field} must be a string`);
    return undefined;
  }
  return optString(v);
}

function checkCategory(v: unknown, loc: number | string, c: Collector): string | undefined {
  if (typeof v !== 'string' || v.trim() === '') {
    c.problem(loc, 'missing category');
    return undefined;
  }
  const id = normaliseCategory(v);
  if (!id)
    c.problem(loc, `unknown category ${quoteUntrusted(v)} (see the taxonomy in src/labels/taxonomy.ts)`);
  return id;
}

function checkConfidence(v: unknown, loc: number | string, c: Collector): Label['confidence'] {
  if (v === undefined || v === null || v === '') return undefined;
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (CONFIDENCES.has(s)) return s;
  c.problem(loc, `confidence must be high, medium or low, not ${quoteUntrusted(String(v))}`);
  return undefined;
}
