// Validation problems and how their locations are written.
//
// Location conventions (stable: tests, docs and scripts rely on them):
//   JSON form        a JSON pointer into the document: `/transactions/3/inputs/0/value`,
//                    `/assets/USDT/contract`, `/chain`. A problem with the whole document is
//                    `(document)`; a JSON syntax error is `line L column C` when the parser says where.
//   JSON Lines form  `line N` for a whole record, `line N /inputs/0/value` for a field of it (the
//                    pointer is relative to that line's object). A problem with the whole file
//                    (e.g. it is empty) is `(document)`.
// Messages are one line, plain language, and quote the offending value (escaped, cut to length).

export interface DatasetProblem {
  /** Where: a JSON pointer (JSON form), `line N` / `line N /pointer` (JSON Lines) or `(document)`. */
  location: string;
  /** What is wrong, in plain language, naming the value. */
  message: string;
  /** JSON Lines: the 1-based line number. */
  line?: number;
  /** The JSON pointer (JSON form: from the document root; JSON Lines: within the line's object). */
  pointer?: string;
}

export type DatasetForm = 'json' | 'jsonl';

export const DOCUMENT = '(document)';

/** Escape one JSON-pointer reference token (RFC 6901). */
export function escapePointer(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Replace control and invisible formatting characters (bidi overrides …) so a message stays one safe line. */
export function sanitize(text: string): string {
  return text.replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Collects problems with a sort key so they can be listed in file order. */
export class ProblemList {
  private readonly items: { p: DatasetProblem; k1: number; k2: number; seq: number }[] = [];
  constructor(readonly form: DatasetForm) {}

  get size(): number {
    return this.items.length;
  }

  /** Format a location. `section` is the JSON array name (ignored for JSON Lines), `n` its index or the line. */
  locate(
    section: string | undefined,
    n: number | undefined,
    sub = '',
  ): Pick<DatasetProblem, 'location' | 'line' | 'pointer'> {
    if (this.form === 'jsonl') {
      if (n === undefined) return { location: DOCUMENT };
      return sub
        ? { location: `line ${n} ${sub}`, line: n, pointer: sub }
        : { location: `line ${n}`, line: n };
    }
    const base = section === undefined ? '' : n === undefined ? `/${section}` : `/${section}/${n}`;
    const pointer = base + sub;
    return pointer ? { location: pointer, pointer } : { location: DOCUMENT };
  }

  /** Add a problem. k1/k2 order problems by position in the file (section rank / line, index). */
  add(
    loc: Pick<DatasetProblem, 'location' | 'line' | 'pointer'>,
    message: string,
    k1: number,
    k2: number,
  ): void {
    const p: DatasetProblem = { location: loc.location, message: sanitize(message) };
    if (loc.line !== undefined) p.line = loc.line;
    if (loc.pointer !== undefined) p.pointer = loc.pointer;
    this.items.push({ p, k1, k2, seq: this.items.length });
  }

  /** Every problem, in file order (then in the order found). */
  sorted(): DatasetProblem[] {
    return this.items
      .slice()
      .sort((a, b) => a.k1 - b.k1 || a.k2 - b.k2 || a.seq - b.seq)
      .map((x) => x.p);
  }
}
