// A small RFC 4180 reader that remembers the line each record starts on, so problems can name
// it. Handles quoted fields with commas, doubled quotes and newlines, CRLF, a UTF-8 BOM and the
// DOS end-of-file byte (0x1A) that OFAC's sdn.csv ends with. It reads text a piece at a time
// (CsvStream), so an export of several gigabytes never has to be one string: pieces may split
// anywhere, even between the two characters of CRLF or of a doubled quote.

export interface CsvRecord {
  /** 1-based line number where the record starts. */
  line: number;
  fields: string[];
}

export function parseCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  const s = new CsvStream();
  s.push(text, out);
  s.end(out);
  return out;
}

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;

export class CsvStream {
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  private atFieldStart = true;
  private line = 1;
  private start = 1;
  /** A character whose meaning depends on the next one (a quote inside quotes, a CR), held back. */
  private carry = '';
  private begun = false;
  /** A 0x1A was seen: the rest is ignored. */
  private stopped = false;

  /** Read a piece of text; complete records are appended to `out`. */
  push(piece: string, out: CsvRecord[]): void {
    if (this.stopped) return;
    let text = piece;
    if (!this.begun && text.length > 0) {
      this.begun = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const eof = text.indexOf('\u001a');
    if (eof >= 0) {
      text = text.slice(0, eof);
      this.stopped = true;
    }
    this.read(this.carry + text, out, false);
  }

  /** The end of the text: the last record, if it did not end with a newline. */
  end(out: CsvRecord[]): void {
    this.read(this.carry, out, true);
    if (this.field !== '' || this.fields.length > 0) {
      this.fields.push(this.field);
      out.push({ line: this.start, fields: this.fields });
    }
    this.fields = [];
    this.field = '';
  }

  private read(s: string, out: CsvRecord[], final: boolean): void {
    this.carry = '';
    const len = s.length;
    let i = 0;
    while (i < len) {
      if (this.quoted) {
        const q = s.indexOf('"', i);
        const stop = q < 0 ? len : q;
        for (let n = s.indexOf('\n', i); n >= 0 && n < stop; n = s.indexOf('\n', n + 1)) this.line++;
        this.field += s.slice(i, stop);
        if (q < 0) return;
        if (q + 1 === len && !final) {
          this.carry = '"'; // a doubled quote or the closing one: the next piece tells
          return;
        }
        if (s.charCodeAt(q + 1) === QUOTE) {
          this.field += '"';
          i = q + 2;
        } else {
          this.quoted = false;
          i = q + 1;
        }
        continue;
      }
      if (this.atFieldStart && s.charCodeAt(i) === QUOTE) {
        this.quoted = true;
        this.atFieldStart = false;
        i++;
        continue;
      }
      let j = i;
      let c = 0;
      while (j < len) {
        c = s.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR) break;
        j++;
      }
      if (j > i) {
        this.field += s.slice(i, j);
        this.atFieldStart = false;
      }
      if (j === len) return;
      if (c === COMMA) {
        this.fields.push(this.field);
        this.field = '';
        this.atFieldStart = true;
        i = j + 1;
        continue;
      }
      if (c === CR && j + 1 === len && !final) {
        this.carry = '\r'; // CRLF split between pieces is one line end
        return;
      }
      i = c === CR && s.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
      this.fields.push(this.field);
      if (!(this.fields.length === 1 && this.fields[0] === ''))
        out.push({ line: this.start, fields: this.fields });
      this.fields = [];
      this.field = '';
      this.atFieldStart = true;
      this.line++;
      this.start = this.line;
    }
  }
}
