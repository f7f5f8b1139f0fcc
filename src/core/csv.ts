// A small RFC 4180 reader that remembers the line each record starts on, so problems can name
// it. Handles quoted fields with commas, doubled quotes and newlines, CRLF, a UTF-8 BOM and the
// DOS end-of-file byte (0x1A) that OFAC's sdn.csv ends with.

export interface CsvRecord {
  /** 1-based line number where the record starts. */
  line: number;
  fields: string[];
}

export function parseCsv(text: string): CsvRecord[] {
  const src = stripBomAndEof(text);
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

function stripBomAndEof(text: string): string {
  let s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // 0x1A (SUB) is a DOS end-of-file marker: drop it and anything after it.
  const eof = s.indexOf('\u001a');
  if (eof >= 0) s = s.slice(0, eof);
  return s;
}
