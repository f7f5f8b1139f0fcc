// The dataset JSON Schema (schema/dataset-v1.schema.json), compiled once with ajv, and the
// translation of ajv's errors into plain one-line problems. Structure is checked here; the
// semantic rules live in builder.ts. ajv is imported when a dataset is first read, not with this
// module: a trace from an index (which imports the dataset view) never needs it (~45 ms to load).
import type { ErrorObject, ValidateFunction } from 'ajv';
import schemaJson from '../../../schema/dataset-v1.schema.json' with { type: 'json' };
import { quoteValue } from '../../core/address.js';
import { escapePointer } from './problems.js';

/** The dataset JSON Schema document (draft 2020-12). */
export const datasetSchema: Readonly<Record<string, unknown>> = schemaJson;
export const DATASET_SCHEMA_ID = 'urn:fundtrace:schema:dataset-v1';

export interface DatasetValidators {
  /** The whole JSON container. */
  document: ValidateFunction;
  /** The first line of the JSON Lines form. */
  header: ValidateFunction;
  transaction: ValidateFunction;
  transfer: ValidateFunction;
  log: ValidateFunction;
  label: ValidateFunction;
}

let compiled: DatasetValidators | undefined;

/** The compiled validators (allErrors, verbose), built on first use. */
export async function validators(): Promise<DatasetValidators> {
  if (compiled) return compiled;
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  if (compiled) return compiled; // another caller compiled them while ajv loaded
  const ajv = new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
  // "date-time" is checked by a dedicated UTC-only function (ajv-formats' generic one is a large
  // share of the time on million-record files); the schema's pattern already requires the Z form.
  ajv.addFormat('date-time', { type: 'string', validate: isUtcDateTime });
  ajv.addSchema(schemaJson as object);
  const get = (ref: string) => {
    const v = ajv.getSchema(DATASET_SCHEMA_ID + ref);
    if (!v) throw new Error(`dataset schema lacks ${ref}`);
    return v;
  };
  compiled = {
    document: get(''),
    header: get('#/$defs/header'),
    transaction: get('#/$defs/transaction'),
    transfer: get('#/$defs/transfer'),
    log: get('#/$defs/log'),
    label: get('#/$defs/label'),
  };
  return compiled;
}

const DATE_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,9})?Z$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
let lastDateTime = '';

/** RFC 3339 date-time in UTC (`Z`): real calendar date, hours 00–23, minutes 00–59, seconds 00–60. */
export function isUtcDateTime(s: string): boolean {
  if (s === lastDateTime) return true; // consecutive records of one block share their time
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS[mo - 1]!)) return false;
  lastDateTime = s;
  return true;
}

/** A structural problem: pointer relative to the validated value, plain message. */
export interface SchemaProblem {
  pointer: string;
  message: string;
}

const TIME_EXAMPLE = '"2024-03-01T10:15:00Z"';

/** Describe a JSON value briefly for "got …" phrases. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return `the string ${quoteValue(v, 60)}`;
    case 'number':
      return `the number ${String(v)}`;
    case 'boolean':
      return String(v);
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

/** Plain explanation of a bad amount (anything that is not a decimal string of base units). */
export function amountMessage(v: unknown): string {
  if (typeof v === 'number') {
    return `amount ${String(v)} is a JSON number; amounts must be decimal strings of base units such as "150000" (JSON numbers lose precision)`;
  }
  if (typeof v !== 'string') return `amount must be a decimal string of base units, got ${describeValue(v)}`;
  const q = quoteValue(v, 60);
  if (v === '') return 'amount is empty; write a decimal string of base units such as "150000"';
  if (/^\s*-/.test(v)) return `amount ${q} is negative`;
  if (/^\+?[0-9]*\.[0-9]*$/.test(v)) return `amount ${q} is not a whole number of base units`;
  if (/^\+?[0-9.]+[eE][+-]?[0-9]+$/.test(v)) return `amount ${q} uses an exponent; write out all the digits`;
  if (/^0[0-9]+$/.test(v)) return `amount ${q} has leading zeros`;
  if (/^[0-9]+$/.test(v)) return `amount ${q} is too large (more than 78 digits)`;
  return `amount ${q} is not a decimal string of base units`;
}

function fieldName(pointer: string): string {
  const parts = pointer.split('/').filter(Boolean);
  const last = parts[parts.length - 1];
  if (last === undefined) return 'the record';
  if (/^[0-9]+$/.test(last)) return `${parts[parts.length - 2] ?? 'item'}[${last}]`;
  return last.replace(/~1/g, '/').replace(/~0/g, '~');
}

function typeWords(t: unknown): string {
  const list = Array.isArray(t) ? t : [t];
  const words = list.map((x) =>
    x === 'integer'
      ? 'a whole number'
      : x === 'null'
        ? 'null'
        : x === 'object'
          ? 'an object'
          : x === 'array'
            ? 'an array'
            : `a ${String(x)}`,
  );
  return words.join(' or ');
}

function titled(e: ErrorObject): string | undefined {
  const ps = e.parentSchema as { title?: unknown } | undefined;
  return typeof ps?.title === 'string' ? ps.title : undefined;
}

function messageFor(e: ErrorObject, pointer: string): string | undefined {
  const title = titled(e);
  const data = e.data;
  const field = fieldName(pointer);
  if (title === 'amount') return amountMessage(data);
  if (title === 'time' && (e.keyword === 'pattern' || e.keyword === 'format')) {
    return `time ${quoteValue(String(data), 60)} is not an ISO-8601 UTC time like ${TIME_EXAMPLE}`;
  }
  if (title === 'txid' && e.keyword === 'pattern') {
    return `txid ${quoteValue(String(data))} is not a Bitcoin txid (64 hex digits)`;
  }
  if (title === 'tx hash' && e.keyword === 'pattern') {
    return `tx hash ${quoteValue(String(data))} is not a transaction hash (EVM: 0x and 64 hex digits; TRON: 64 hex digits)`;
  }
  if (title === 'topic' && e.keyword === 'pattern') {
    return `topic ${quoteValue(String(data))} is not an event topic (0x and 64 hex digits)`;
  }
  if (title === 'log data' && e.keyword === 'pattern') {
    return `log data ${quoteValue(String(data), 80)} is not 0x followed by an even number of hex digits`;
  }
  if (title === 'contract' && e.keyword === 'pattern') {
    return `contract ${quoteValue(String(data))} is not a contract address (EVM: 0x and 40 hex digits; TRON: T… base58)`;
  }
  switch (e.keyword) {
    case 'required':
      return `missing required field "${String(e.params.missingProperty)}"`;
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return `unknown field ${quoteValue(field, 60)} (extension fields must start with "x-")`;
    case 'type':
      return `${field} must be ${typeWords(e.params.type)}, got ${describeValue(data)}`;
    case 'const':
      return `${field} must be ${JSON.stringify(e.params.allowedValue)}, got ${describeValue(data)}`;
    case 'enum':
      return `${field} must be one of ${(e.params.allowedValues as unknown[]).join(', ')}; got ${describeValue(data)}`;
    case 'minimum':
      return `${field} must be at least ${String(e.params.limit)}, got ${String(data)}`;
    case 'maximum':
      return `${field} must be at most ${String(e.params.limit)}, got ${String(data)}`;
    case 'minLength':
      return `${field} must not be empty`;
    case 'maxLength':
      return `${field} is too long (at most ${String(e.params.limit)} characters)`;
    case 'maxItems':
      return field === 'topics'
        ? `topics has ${Array.isArray(data) ? data.length : 'more than 4'} items; an event log has at most 4 topics`
        : `${field} must have at most ${String(e.params.limit)} item(s)`;
    case 'minItems':
      return field === 'outputs'
        ? 'outputs must not be empty (a transaction has at least one output)'
        : `${field} must have at least ${String(e.params.limit)} item(s)`;
    case 'pattern':
      return `${field} ${quoteValue(String(data))} does not have the expected form`;
    case 'format':
      return `${field} ${quoteValue(String(data))} is not a valid ${String(e.params.format)}`;
    case 'propertyNames':
      return undefined; // reported by the caller with the offending name
    default:
      return `${field} ${e.message ?? 'is invalid'}`;
  }
}

/**
 * Translate ajv errors into one problem per location (the first, most specific error wins).
 * Pointers are relative to the validated value.
 */
export function schemaProblems(errors: readonly ErrorObject[] | null | undefined): SchemaProblem[] {
  if (!errors) return [];
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let pointer = e.instancePath;
    let message: string | undefined;
    if (e.keyword === 'required') {
      pointer += `/${escapePointer(String(e.params.missingProperty))}`;
    } else if (e.keyword === 'additionalProperties') {
      pointer += `/${escapePointer(String(e.params.additionalProperty))}`;
    } else if (e.keyword === 'unevaluatedProperties') {
      pointer += `/${escapePointer(String(e.params.unevaluatedProperty))}`;
    } else if (e.keyword === 'propertyNames') {
      const name = String(e.params.propertyName);
      pointer += `/${escapePointer(name)}`;
      message = `asset symbol ${quoteValue(name)} is not valid (1 to 32 characters, no spaces or control characters)`;
    } else if (titled(e) === 'asset symbol') {
      continue; // the propertyNames error for the same name says it better
    }
    if (e.keyword === 'if') continue;
    if (seen.has(pointer)) continue;
    message ??= messageFor(e, pointer);
    if (message === undefined) continue;
    seen.add(pointer);
    out.push({ pointer, message });
  }
  return out;
}

// ---- fast path for transfer records ------------------------------------------------------------

const TRANSFER_KEYS = new Set([
  'type',
  'tx',
  'index',
  'height',
  'position',
  'time',
  'from',
  'to',
  'asset',
  'value',
  'kind',
]);
const ACCOUNT_TX = /^(0x)?[0-9a-fA-F]{64}$/;
const AMOUNT = /^(0|[1-9][0-9]*)$/;
const MAX_SAFE = 9007199254740991;

function isCount(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_SAFE;
}

/** 1..max characters. UTF-16 units bound code points from above, so a pass here is a pass for ajv. */
function isShortString(v: unknown, max: number): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= max;
}

/**
 * A hand-written check of `#/$defs/transfer` for the common, valid record (about 3× cheaper than
 * the compiled schema on million-transfer files). It only ever says yes when the schema would:
 * anything it does not accept goes to the compiled validator, which decides and words the
 * problems, so messages and locations are the schema's own.
 */
export function isPlainValidTransfer(o: Record<string, unknown>): boolean {
  for (const k in o) if (!TRANSFER_KEYS.has(k) && !k.startsWith('x-')) return false;
  if (o.type !== undefined && o.type !== 'transfer') return false;
  const tx = o.tx;
  if (typeof tx !== 'string' || !ACCOUNT_TX.test(tx)) return false;
  if (!isCount(o.index)) return false;
  if (o.height !== null && !isCount(o.height)) return false;
  if (o.position !== undefined && o.position !== null && !isCount(o.position)) return false;
  const t = o.time;
  if (t !== undefined && t !== null && (typeof t !== 'string' || !isUtcDateTime(t))) return false;
  if (!isShortString(o.from, 100)) return false;
  if (o.to !== null && !isShortString(o.to, 100)) return false;
  if (!isShortString(o.asset, 64)) return false;
  const value = o.value;
  if (typeof value !== 'string' || value.length > 78 || !AMOUNT.test(value)) return false;
  const kind = o.kind;
  return kind === 'native' || kind === 'token' || kind === 'internal' || kind === 'fee';
}

const LABEL_KEYS: ReadonlyMap<string, [min: number, max: number]> = new Map([
  ['chain', [1, 64]],
  ['address', [1, 100]],
  ['entity', [1, 200]],
  ['category', [1, 64]],
  ['source', [1, 500]],
  ['confidence', [1, 64]],
  ['note', [0, 2000]],
  ['lastmod', [0, 64]],
]);

/**
 * A hand-written check of `#/$defs/label` for the common, valid record, like isPlainValidTransfer:
 * it only says yes when the schema would (so a file of valid records needs no compiled schema in
 * the parallel load's workers: compiling it was ~150 ms of each worker's start).
 */
export function isPlainValidLabel(o: Record<string, unknown>): boolean {
  for (const k in o) {
    if (k === 'type') {
      if (o.type !== 'label') return false;
      continue;
    }
    const len = LABEL_KEYS.get(k);
    if (len === undefined) {
      if (!k.startsWith('x-')) return false;
      continue;
    }
    const v = o[k];
    if (typeof v !== 'string' || v.length < len[0] || v.length > len[1]) return false;
  }
  return (
    o.address !== undefined && o.entity !== undefined && o.category !== undefined && o.source !== undefined
  );
}

const SYMBOL = /^[^\s\u0000-\u001f\u007f]{1,32}$/u;
const CONTRACT = /^(0x[0-9a-fA-F]{40}|T[1-9A-HJ-NP-Za-km-z]{33}|41[0-9a-fA-F]{40})$/u;

/** A JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPlainAssetInfo(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const k in v) {
    if (k === 'decimals') {
      const d = v.decimals;
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > 255) return false;
    } else if (k === 'contract') {
      if (typeof v.contract !== 'string' || !CONTRACT.test(v.contract)) return false;
    } else if (!k.startsWith('x-')) return false;
  }
  return v.decimals !== undefined;
}

/**
 * A hand-written check of `#/$defs/header` for the common, valid header, like isPlainValidTransfer:
 * it only says yes when the schema would, so the parallel load of a valid file never loads ajv
 * (importing and compiling it was ~0.13 s of CPU while the workers ran).
 */
export function isPlainValidHeader(o: Record<string, unknown>): boolean {
  for (const k in o) {
    const v = o[k];
    switch (k) {
      case 'type':
        if (v !== 'header') return false;
        break;
      case 'format':
        if (v !== 'fundtrace-dataset/1') return false;
        break;
      case 'chain':
        if (!isShortString(v, 64)) return false;
        break;
      case 'name':
      case 'description':
        if (typeof v !== 'string' || v.length > (k === 'name' ? 200 : 10000)) return false;
        break;
      case 'assets':
        if (!isObject(v)) return false;
        for (const symbol in v) if (!SYMBOL.test(symbol) || !isPlainAssetInfo(v[symbol])) return false;
        break;
      case 'head': {
        if (!isObject(v) || !isCount(v.height)) return false;
        for (const h in v)
          if (h !== 'height' && !(h === 'time' && typeof v.time === 'string' && isUtcDateTime(v.time)))
            return false;
        break;
      }
      default:
        if (!k.startsWith('x-')) return false;
    }
  }
  return o.format !== undefined && o.chain !== undefined;
}
