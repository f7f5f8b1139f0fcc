// The CSV reader reads exports a piece at a time: whatever the pieces, the records (fields and the
// line each starts on) are those of the whole text, read by the straightforward character-by-
// character reading of RFC 4180 below (the reader's behaviour before it was made incremental).
import { describe, expect, it } from 'vitest';
import { type CsvRecord, CsvStream, parseCsv } from '../../src/core/csv.js';

/** The reference reading, one character at a time, of the whole text. */
function reference(text: string): CsvRecord[] {
  let src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const eof = src.indexOf('\u001a');
  if (eof >= 0) src = src.slice(0, eof);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let atFieldStart = true;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
      fields = [];
      field = '';
      atFieldStart = true;
      line++;
      start = line;
    } else {
      field += ch;
      atFieldStart = false;
    }
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: start, fields });
  }
  return records;
}

function inPieces(text: string, cuts: number[]): CsvRecord[] {
  const out: CsvRecord[] = [];
  const s = new CsvStream();
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    s.push(text.slice(at, c), out);
    at = c;
  }
  s.push(text.slice(at), out);
  s.end(out);
  return out;
}

/** A small deterministic generator (xorshift), so a failure names a seed that reproduces it. */
function rng(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const ALPHABET = ['a', 'b', '0', ',', ',', '"', '"', '""', '\n', '\n', '\r', '\r\n', ' ', 'é', '\u001a'];

describe('CsvStream', () => {
  it.each([
    [
      'plain',
      'a,b\n1,2\n',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    [
      'CRLF and a lone CR',
      'a,b\r\n1,2\r3,4',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
        [3, ['3', '4']],
      ],
    ],
    [
      'a quoted comma, doubled quote and newline',
      'x,"a,""b""\nc"\ny,z\n',
      [
        [1, ['x', 'a,"b"\nc']],
        [3, ['y', 'z']],
      ],
    ],
    [
      'blank lines skipped, numbering kept',
      'a\n\n\nb\n',
      [
        [1, ['a']],
        [4, ['b']],
      ],
    ],
    ['BOM dropped', '\ufeffa,b\n', [[1, ['a', 'b']]]],
    [
      '0x1A ends the text',
      'a\nb\u001ac\nd\n',
      [
        [1, ['a']],
        [2, ['b']],
      ],
    ],
    ['no final newline', 'a,b', [[1, ['a', 'b']]]],
    ['text after a closing quote is kept', '"ab"cd,e\n', [[1, ['abcd', 'e']]]],
    ['a quote inside an unquoted field is a character', 'ab"c,d\n', [[1, ['ab"c', 'd']]]],
  ])('%s', (_name, text, want) => {
    const expected = want.map(([line, fields]) => ({ line, fields }));
    expect(parseCsv(text)).toEqual(expected);
    expect(reference(text)).toEqual(expected);
    // Every single cut, including inside CRLF and between doubled quotes.
    for (let c = 0; c <= text.length; c++) expect(inPieces(text, [c]), `cut at ${c}`).toEqual(expected);
  });

  it('random texts in random pieces read as the reference reads the whole text', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      let text = r() < 0.2 ? '\ufeff' : '';
      const n = Math.floor(r() * 60);
      for (let k = 0; k < n; k++) text += ALPHABET[Math.floor(r() * ALPHABET.length)];
      const cuts = Array.from({ length: Math.floor(r() * 6) }, () => Math.floor(r() * (text.length + 1)));
      const want = reference(text);
      expect(parseCsv(text), `seed ${seed}`).toEqual(want);
      expect(inPieces(text, cuts), `seed ${seed}, cuts ${cuts}`).toEqual(want);
    }
  });

  it('one character at a time', () => {
    const text = 'h1,h2\r\n"q ""x""\r\ny",2\n\n3,"4"\r';
    const cuts = Array.from({ length: text.length }, (_, i) => i);
    expect(inPieces(text, cuts)).toEqual(reference(text));
  });
});
