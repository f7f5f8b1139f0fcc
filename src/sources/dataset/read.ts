// Readers for the two encodings of a dataset. The JSON form is parsed whole (it is meant for small
// sets); the JSON Lines form is streamed line by line, each record checked against the compiled
// schema as it arrives, so a file of millions of records never has to fit in one string.
import { open, readFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { quoteValue } from '../../core/address.js';
import { FundtraceError } from '../../core/errors.js';
import {
  type BuildResult,
  DatasetBuilder,
  type RawHeader,
  type RawLabel,
  type RawLog,
  type RawTransaction,
  type RawTransfer,
  type Section,
} from './builder.js';
import { keyProblem } from './keys.js';
import type { DatasetForm } from './problems.js';
import { describeValue, isObject, isPlainValidTransfer, schemaProblems, validators } from './schema.js';

const SECTIONS: readonly Section[] = ['transactions', 'transfers', 'logs', 'labels'];
const HEADER_HINT = '{"format": "fundtrace-dataset/1", "chain": …}';

/** The dataset encoding a path names, by extension; undefined for anything else. */
export function datasetFormOf(path: string): DatasetForm | undefined {
  const p = path.toLowerCase();
  if (p.endsWith('.json')) return 'json';
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson')) return 'jsonl';
  return undefined;
}

/** A BAD_INPUT error for a file that cannot be read at all. */
export function readError(path: string, e: unknown): FundtraceError {
  const code = (e as { code?: unknown } | undefined)?.code;
  const why =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EISDIR'
        ? 'it is a directory, not a file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : e instanceof Error && /string longer than|Invalid string length/i.test(e.message)
            ? 'too large for the JSON form; convert it to JSON Lines (.jsonl)'
            : e instanceof Error
              ? e.message
              : String(e);
  return new FundtraceError('BAD_INPUT', `cannot read dataset ${quoteValue(path, 200)}: ${why}`, [], {
    cause: e,
  });
}

/** Read, check and build a dataset file. Throws only when the file cannot be read at all. */
export async function readDataset(path: string): Promise<BuildResult> {
  const form = datasetFormOf(path);
  if (!form) {
    throw new FundtraceError(
      'BAD_INPUT',
      `cannot read dataset ${quoteValue(path, 200)}: unknown format (expected a .json, .jsonl or .ndjson file)`,
    );
  }
  return form === 'json' ? readJson(path) : readJsonLines(path);
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

function parseErrorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e))
    .replace(/\s+/g, ' ')
    .replace(/^(Unexpected token .+?), ".*" is not valid JSON$/, '$1')
    .slice(0, 200);
}

/**
 * Offset of the first JSON syntax error in `s` (a small recursive-descent scanner, used only when
 * the engine's message does not say where); undefined when none is found or nesting is too deep.
 */
export function jsonErrorOffset(s: string): number | undefined {
  let i = 0;
  const NUM = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    for (let c = s.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = s.charCodeAt(++i));
  };
  const str = () => {
    i++;
    for (;;) {
      const c = s.charCodeAt(i);
      if (Number.isNaN(c) || c < 0x20) fail();
      if (c === 34) {
        i++;
        return;
      }
      if (c === 92) {
        const e = s[i + 1] ?? '';
        if ('"\\/bfnrt'.includes(e) && e !== '') i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) i += 6;
        else {
          i++;
          fail();
        }
      } else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (s[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (s[i] !== '"') fail();
          str();
          ws();
          if (s[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') {
      str();
      return;
    }
    NUM.lastIndex = i;
    if (NUM.test(s)) {
      i = NUM.lastIndex;
      return;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (s.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    fail();
  };
  try {
    value();
    ws();
    if (i < s.length) fail();
    return undefined;
  } catch (e) {
    if (typeof e === 'number') return e;
    return undefined;
  }
}

// ---- JSON ------------------------------------------------------------------------------------

export async function readJson(path: string): Promise<BuildResult> {
  let text: string;
  try {
    text = stripBom(await readFile(path, 'utf8'));
  } catch (e) {
    throw readError(path, e);
  }
  const b = new DatasetBuilder('json');
  if (!/\S/.test(text)) {
    b.reportDocument(`the file is empty: expected a JSON object ${HEADER_HINT}`);
    return b.finish();
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const raw = parseErrorText(e);
    const pos = /position (\d+)/.exec(raw);
    const msg = raw.replace(/ in JSON at position \d+.*$/, '');
    const offset = pos ? Number(pos[1]) : jsonErrorOffset(text);
    let hint = '';
    const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
    if (/\S/.test(text.slice(firstLine.length))) {
      try {
        if (isObject(JSON.parse(firstLine))) hint = ' (it looks like JSON Lines: name the file .jsonl)';
      } catch {}
    }
    if (offset !== undefined) {
      const { line, column } = lineColumn(text, offset);
      b.problems.add(
        { location: `line ${line} column ${column}`, line },
        `not valid JSON: ${msg}${hint}`,
        -1,
        0,
      );
    } else {
      b.reportDocument(`not valid JSON: ${msg}${hint}`);
    }
    return b.finish();
  }
  const repeated = keyProblem(text, doc);
  if (repeated) {
    const { line, column } = lineColumn(text, repeated.offset);
    b.problems.add({ location: `line ${line} column ${column}`, line }, repeated.message, -1, 0);
    return b.finish();
  }
  text = '';
  if (!isObject(doc)) {
    b.reportDocument(
      `the document must be a JSON object ${HEADER_HINT.replace('…', '…, "transactions": […]')}, got ${describeValue(doc)}`,
    );
    return b.finish();
  }
  const v = await validators();
  const badHeader = new Set<string>();
  const invalid: Record<Section, Set<number>> = {
    transactions: new Set(),
    transfers: new Set(),
    logs: new Set(),
    labels: new Set(),
  };
  const unusable = new Set<Section>();
  if (!v.document(doc)) {
    for (const p of schemaProblems(v.document.errors)) {
      const parts = p.pointer.split('/');
      const top = (parts[1] ?? '') as Section;
      if (SECTIONS.includes(top)) {
        const idx = parts[2];
        if (idx !== undefined && /^[0-9]+$/.test(idx)) {
          const i = Number(idx);
          invalid[top].add(i);
          b.reportAt(top, i, p.pointer.slice(top.length + idx.length + 2), p.message);
        } else {
          unusable.add(top);
          b.problems.add(b.problems.locate(top, undefined, p.pointer.slice(top.length + 1)), p.message, 0, 0);
        }
      } else {
        badHeader.add(top);
        b.reportHeader(p.pointer, p.message);
      }
    }
  }
  b.setHeader(doc as RawHeader, badHeader);
  const each = (section: Section, add: (rec: never, i: number) => void) => {
    const list = doc[section];
    if (unusable.has(section) || !Array.isArray(list)) return;
    for (let i = 0; i < list.length; i++) {
      if (invalid[section].has(i)) b.noteInvalidRecord();
      else add(list[i] as never, i);
    }
  };
  each('transactions', (r: RawTransaction, i) => b.addTransaction(r, i));
  each('transfers', (r: RawTransfer, i) => b.addTransfer(r, i));
  if (Array.isArray(doc.logs) && !unusable.has('logs')) b.declareLogs();
  each('logs', (r: RawLog, i) => b.addLog(r, i));
  each('labels', (r: RawLabel, i) => b.addLabel(r, i));
  return b.finish();
}

// ---- JSON Lines ------------------------------------------------------------------------------

/**
 * Splits decoded text into lines exactly as node:readline does with `crlfDelay: Infinity` (breaks
 * are \r\n, \n or a lone \r; a \r\n split across chunks is one break; a last line without a
 * break still counts; no line after a final break), without readline's regex, events and
 * per-chunk arrays: on million-line files readline alone cost about as much as JSON.parse.
 */
/** Index of the next \n or \r at or after `from`, or -1. */
function nextBreak(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

export class LineSplitter {
  private carry = '';
  /** The previous chunk ended in \r: a \n opening the next one belongs to that break. */
  private skipLf = false;

  /**
   * Feed a chunk; `emit` returns false to stop (then push returns false). The chunk is never
   * concatenated with the carried-over text (only the one line that spans chunks is), which on
   * large chunks made every indexOf/slice far slower.
   */
  push(s: string, emit: (line: string) => boolean): boolean {
    let start = 0;
    if (this.skipLf) {
      this.skipLf = false;
      if (s.charCodeAt(0) === 10) start = 1;
    }
    const noCr = s.indexOf('\r', start) === -1;
    for (;;) {
      const i = noCr ? s.indexOf('\n', start) : nextBreak(s, start);
      if (i === -1) break;
      let line = s.slice(start, i);
      if (this.carry.length > 0) {
        line = this.carry + line;
        this.carry = '';
      }
      start = i + 1;
      if (s.charCodeAt(i) === 13) {
        if (start === s.length) this.skipLf = true;
        else if (s.charCodeAt(start) === 10) start++;
      }
      if (!emit(line)) return false;
    }
    if (start < s.length) this.carry += s.slice(start);
    return true;
  }

  /** The unterminated last line, if any. */
  end(emit: (line: string) => boolean): boolean {
    const rest = this.carry;
    this.carry = '';
    return rest.length > 0 ? emit(rest) : true;
  }
}

const MiB = 2 ** 20;
const gb = (n: number) => (n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GB` : `${Math.ceil(n / MiB)} MB`);

/**
 * A file whose records will not fit in this process's heap stops early with what to do, instead of
 * running for minutes into V8's fatal out-of-memory crash. What the load added to the heap is
 * projected from the share of the file read so far (records are kept, so it grows with the file);
 * checked from a quarter of the file on, against the old generation (where kept records live: the
 * heap limit less V8's young generation, 3 × 16 MB semi-spaces by default). Refused only past 1.4×
 * that: the garbage not yet collected inflates the projection (measured: 1.0–1.4× the heap a load
 * finally needs, 300k and 1M transfers), so a file that fits is not refused; one just over the limit
 * may still crash.
 */
export class HeapGuard {
  private next: number;
  private readonly base = getHeapStatistics().used_heap_size;
  constructor(
    private readonly path: string,
    private readonly total: number,
    private readonly limit = Math.max(
      getHeapStatistics().heap_size_limit - 48 * MiB,
      getHeapStatistics().heap_size_limit / 2,
    ),
  ) {
    this.next = total / 4;
  }

  check(read: number): void {
    if (read < this.next || this.total <= 0) return;
    this.next = read + Math.min(32 * MiB, this.total / 16);
    const used = getHeapStatistics().used_heap_size;
    const projected = this.base + ((used - this.base) * this.total) / read;
    if (projected <= 1.4 * this.limit) return;
    const need = Math.ceil((projected * 1.5) / MiB / 1024) * 1024;
    throw new FundtraceError(
      'BAD_INPUT',
      `dataset ${quoteValue(this.path, 200)} does not fit in this process's memory: ${Math.round((100 * read) / this.total)} % of its ${gb(this.total)} already holds ${gb(used)}, about ${gb(projected)} for the whole file, more than the ${gb(this.limit)} Node allows here; run with NODE_OPTIONS=--max-old-space-size=${need} (this machine has ${gb(totalmem())}), or split the file`,
    );
  }
}

export async function readJsonLines(path: string): Promise<BuildResult> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let guard: HeapGuard;
  try {
    handle = await open(path, 'r');
    const st = await handle.stat();
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    guard = new HeapGuard(path, st.size);
  } catch (e) {
    await handle?.close().catch(() => {}); // a directory opens too: closed here, not left to the GC
    throw readError(path, e);
  }
  const b = new DatasetBuilder('jsonl');
  const v = await validators();
  let headerLine = 0;
  let line = 0;

  const onLine = (raw: string): void => {
    line++;
    const text = line === 1 ? stripBom(raw) : raw;
    if (text.length === 0) return;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      if (!/\S/.test(text)) return; // a blank line
      b.reportLine(line, '', `not valid JSON: ${parseErrorText(e)}`);
      if (headerLine === 0) headerLine = -1;
      return;
    }
    if (!isObject(obj)) {
      b.reportLine(line, '', `each line must be a JSON object, got ${describeValue(obj)}`);
      if (headerLine === 0) headerLine = -1;
      return;
    }
    const repeated = keyProblem(text, obj);
    if (repeated) {
      b.reportLine(line, '', `column ${repeated.offset + 1}: ${repeated.message}`);
      if (headerLine === 0) headerLine = -1;
      return;
    }
    const type = obj.type;
    const looksHeader = type === 'header' || (type === undefined && 'format' in obj);
    if (headerLine === 0) {
      if (type === undefined || type === 'header') {
        headerLine = line;
        const bad = new Set<string>();
        if (!v.header(obj)) {
          for (const p of schemaProblems(v.header.errors)) {
            bad.add(p.pointer.split('/')[1] ?? '');
            b.reportLine(line, p.pointer, p.message);
          }
        }
        b.setHeader(obj as RawHeader, bad, line);
        return;
      }
      headerLine = -1;
      const what = typeof type === 'string' ? quoteValue(type, 40) : describeValue(type);
      b.reportLine(line, '', `the first line must be the header ${HEADER_HINT}, not a ${what} record`);
    } else if (looksHeader) {
      b.reportLine(
        line,
        '',
        headerLine > 0
          ? `a second header: the header may appear only once, on the first line (line ${headerLine})`
          : 'a header may appear only on the first line',
      );
      return;
    }
    switch (type) {
      case 'transaction':
        if (v.transaction(obj)) b.addTransaction(obj as unknown as RawTransaction, line);
        else {
          b.noteInvalidRecord();
          for (const p of schemaProblems(v.transaction.errors)) b.reportLine(line, p.pointer, p.message);
        }
        return;
      case 'transfer':
        if (isPlainValidTransfer(obj) || v.transfer(obj)) b.addTransfer(obj as unknown as RawTransfer, line);
        else {
          b.noteInvalidRecord();
          for (const p of schemaProblems(v.transfer.errors)) b.reportLine(line, p.pointer, p.message);
        }
        return;
      case 'log':
        if (v.log(obj)) b.addLog(obj as unknown as RawLog, line);
        else {
          b.noteInvalidRecord();
          for (const p of schemaProblems(v.log.errors)) b.reportLine(line, p.pointer, p.message);
        }
        return;
      case 'label':
        if (v.label(obj)) b.addLabel(obj as unknown as RawLabel, line);
        else {
          b.noteInvalidRecord();
          for (const p of schemaProblems(v.label.errors)) b.reportLine(line, p.pointer, p.message);
        }
        return;
      case undefined:
        b.noteInvalidRecord();
        b.reportLine(line, '/type', 'missing required field "type" (transaction, transfer, log or label)');
        return;
      default:
        b.noteInvalidRecord();
        b.reportLine(
          line,
          '/type',
          `unknown record type ${describeValue(type)} (expected transaction, transfer, log or label)`,
        );
    }
  };

  let failure: unknown;
  try {
    // 64 KiB chunks (readline's size too): measured several times faster to split than 1 MiB ones.
    const input = handle.createReadStream({ encoding: 'utf8', highWaterMark: 1 << 16, autoClose: false });
    const lines = new LineSplitter();
    const each = (l: string): boolean => {
      try {
        onLine(l);
        return true;
      } catch (e) {
        failure = e;
        return false;
      }
    };
    let read = 0;
    for await (const chunk of input) {
      if (!lines.push(chunk as string, each)) {
        input.destroy();
        break;
      }
      read += (chunk as string).length; // characters: bytes for the ASCII records are
      guard.check(read);
    }
    if (failure === undefined) lines.end(each);
  } catch (e) {
    if (e instanceof FundtraceError) throw e; // the heap guard's
    throw readError(path, e);
  } finally {
    await handle.close();
  }
  if (failure !== undefined) throw failure;
  if (headerLine === 0) {
    b.reportDocument(`the file is empty: the first line must be the header ${HEADER_HINT}`);
  }
  return b.finish();
}
