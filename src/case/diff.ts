// Where two versions of a file first differ: the line (for any text) and, for JSON, the JSON
// pointer of the first differing value, in document order.

const escapePointer = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** JSON pointer of the first difference between two parsed JSON values, or null when equal. */
export function firstJsonDifference(a: unknown, b: unknown, path = ''): string | null {
  if (a === b) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return path || '/';
  if (Array.isArray(a) !== Array.isArray(b)) return path || '/';
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const d = firstJsonDifference(a[i], b[i], `${path}/${i}`);
      if (d !== null) return d;
    }
    return a.length === b.length ? null : `${path}/${n}`;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])];
  for (const k of keys) {
    const p = `${path}/${escapePointer(k)}`;
    if (!(k in ao) || !(k in bo)) return p;
    const d = firstJsonDifference(ao[k], bo[k], p);
    if (d !== null) return d;
  }
  return null;
}

export interface TextDifference {
  line: number;
  expected: string;
  actual: string;
  pointer?: string;
}

const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** The first differing line (1-based) of `expected` vs `actual`, or null when byte-identical. */
export function firstDifference(expected: string, actual: string, json = false): TextDifference | null {
  if (expected === actual) return null;
  const e = expected.split('\n');
  const a = actual.split('\n');
  let i = 0;
  while (i < e.length && i < a.length && e[i] === a[i]) i++;
  const d: TextDifference = {
    line: i + 1,
    expected: clip(e[i] ?? '(end of file)'),
    actual: clip(a[i] ?? '(end of file)'),
  };
  if (json) {
    try {
      const p = firstJsonDifference(JSON.parse(expected), JSON.parse(actual));
      if (p !== null) d.pointer = p;
    } catch {
      // not JSON on one side: the line is the best we can say
    }
  }
  return d;
}
