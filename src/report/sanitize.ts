// Token names, labels and API text are attacker-controlled. Every renderer passes them through
// one of these before output: terminal (strip escapes/controls/bidi), CSV (neutralise formulas),
// HTML (escape markup), JSON (escape what JSON.stringify leaves raw).

// CSI / OSC / DCS-style and other ESC sequences (7-bit and the 8-bit CSI), removed whole.
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// Line breaks of every kind (CR, LF, NEL, VT, FF, line and paragraph separators) and tabs: a space.
const BREAK = /[\r\n\t\u000b\u000c\u0085\u2028\u2029]/g;
// Everything else that is not visible text: any remaining C0/C1 control, every format character
// (bidi embeddings, overrides, isolates and marks, zero-width characters, the BOM, tag
// characters …), lone surrogates and non-characters (U+FDD0–FDEF and U+xFFFE/xFFFF, also invalid
// in XML).
const NONCHARACTERS = Array.from({ length: 17 }, (_, plane) => {
  const hex = (n: number) => `\\u{${n.toString(16)}}`;
  return hex(plane * 0x10000 + 0xfffe) + hex(plane * 0x10000 + 0xffff);
}).join('');
const UNSAFE = new RegExp(`[\\p{Cc}\\p{Cf}\\p{Cs}\\u{fdd0}-\\u{fdef}${NONCHARACTERS}]`, 'gu');

/**
 * Safe for a terminal, and the common first step of every other format: no escape sequence, no
 * control, format (bidi, zero-width) or non-character; every line break becomes a space, so the
 * text stays on one line.
 */
export function termSafe(s: string): string {
  return s.replace(ANSI, '').replace(BREAK, ' ').replace(UNSAFE, '');
}

/** A cell a spreadsheet would evaluate: =, +, -, @ (and their full-width forms), after any blanks. */
const FORMULA = /^[\s\u3000]*[=+\-@|%\uff1d\uff0b\uff0d\uff20]/u;

/**
 * One CSV cell (RFC 4180 quoting) with spreadsheet formulas neutralised by a leading apostrophe.
 * Cells holding a separator of any common locale (`,` `;` tab) or a quote are quoted.
 */
export function csvCell(v: string | number | bigint | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? termSafe(v) : String(v);
  if (typeof v === 'string' && FORMULA.test(s)) s = "'" + s;
  return /[",;\t\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: readonly (string | number | bigint | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(',') + '\n';
}

/** Fixed text (never the case's own words, which may come from anyone) for a workshop copy. */
export const NOT_EVIDENCE_MARK = 'NOT EVIDENCE: workshop copy, times shifted and amounts rounded';

/**
 * A workshop copy's CSV: one more column, `not_evidence`, holding the mark on every row, so that
 * no row copied out of a spreadsheet can pass for evidence (CSV has no comments, and a marker row
 * would break readers that expect the header first). Fields are left byte for byte: the column is
 * added at each unquoted line end.
 */
export function markCsvNotEvidence(text: string): string {
  let out = '';
  let quoted = false;
  let first = true;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      const end = i > 0 && text[i - 1] === '\r' ? i - 1 : i;
      out += `${text.slice(from, end)},${first ? 'not_evidence' : csvCell(NOT_EVIDENCE_MARK)}${text.slice(end, i + 1)}`;
      first = false;
      from = i + 1;
    }
  }
  const rest = text.slice(from);
  return rest === '' ? out : `${out}${rest},${first ? 'not_evidence' : csvCell(NOT_EVIDENCE_MARK)}`;
}

/**
 * Text for HTML and XML (element content and quoted attributes): termSafe first (no control, bidi
 * or non-character, which XML 1.0 forbids even escaped), then markup as numeric references.
 */
export function htmlEscape(s: string): string {
  return termSafe(s).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

// What JSON.stringify leaves raw although a terminal or an editor would act on it.
// A fixed list (not \p{Cf}), so the bytes do not depend on the Unicode version of the runtime.
const JSON_RAW =
  /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufdd0-\ufdef\ufeff\ufff9-\uffff\u{e0000}-\u{e007f}]/gu;
const u4 = (n: number) => `\\u${n.toString(16).padStart(4, '0')}`;

/**
 * JSON text (from JSON.stringify) with every bidi, zero-width, separator, C1 and non-character
 * written as a \u escape: the same value once parsed, but inert when printed. Idempotent.
 */
export function jsonSafe(text: string): string {
  return text.replace(JSON_RAW, (c) =>
    c.length === 1 ? u4(c.charCodeAt(0)) : u4(c.charCodeAt(0)) + u4(c.charCodeAt(1)),
  );
}

/** JSON.stringify, then jsonSafe: for every JSON or NDJSON fundtrace writes. */
export const stringifySafe = (v: unknown, indent?: number): string =>
  jsonSafe(JSON.stringify(v, null, indent));

/**
 * stringifySafe(v, indent)'s text in pieces: arrays and plain objects down to `depth` levels are
 * written member by member, so a big document (a 10 000-address trace prints ~30 MB) is never held
 * as one string, nor as that string's bytes. Joined, the pieces are stringifySafe's text, byte for
 * byte: members JSON.stringify would skip (undefined, functions, symbols) are skipped, or null in an
 * array, and anything else (an object with toJSON, a Map …) is written whole, by JSON.stringify.
 */
export function* stringifySafeChunks(v: unknown, indent: number, depth = 3): Generator<string> {
  yield* pieces(v, '', ' '.repeat(indent), indent, depth);
}

const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (
    (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function'
  );
}

function* pieces(v: unknown, pad: string, step: string, indent: number, depth: number): Generator<string> {
  const inner = pad + step;
  if (depth > 0 && step !== '' && Array.isArray(v) && v.length > 0) {
    for (let i = 0; i < v.length; i++) {
      yield `${i === 0 ? '[' : ','}\n${inner}`;
      const e: unknown = v[i];
      if (skipped(e)) yield 'null';
      else yield* pieces(e, inner, step, indent, depth - 1);
    }
    yield `\n${pad}]`;
    return;
  }
  if (depth > 0 && step !== '' && isPlain(v)) {
    const keys = Object.keys(v).filter((k) => !skipped(v[k]));
    if (keys.length > 0) {
      for (let i = 0; i < keys.length; i++) {
        yield jsonSafe(`${i === 0 ? '{' : ','}\n${inner}${JSON.stringify(keys[i])}: `);
        yield* pieces(v[keys[i]!], inner, step, indent, depth - 1);
      }
      yield `\n${pad}}`;
      return;
    }
  }
  // Whole: JSON.stringify indents from column 0, so each of its line breaks gets this depth's pad
  // (a string value never holds a raw line break: JSON escapes it).
  const s = jsonSafe(JSON.stringify(v, null, indent));
  yield pad === '' ? s : s.replaceAll('\n', `\n${pad}`);
}

/** Pieces joined into strings of about `size` characters: fewer, larger writes. */
export function* batched(chunks: Iterable<string>, size = 1 << 16): Generator<string> {
  let buf: string[] = [];
  let n = 0;
  for (const c of chunks) {
    buf.push(c);
    n += c.length;
    if (n >= size) {
      yield buf.join('');
      buf = [];
      n = 0;
    }
  }
  if (n > 0) yield buf.join('');
}
