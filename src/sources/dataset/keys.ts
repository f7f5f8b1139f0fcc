// JSON.parse lets a repeated key win silently ({"value": "1", "value": "4000"} reads as 4000) and
// turns "__proto__" into an ordinary own key. A dataset is evidence: either is refused, with the
// place named. The check must not slow down big files, so it has a cheap exact precheck and runs
// the full scan only when the precheck cannot rule a problem out.

/** A repeated or forbidden key, with its character offset in the text. */
export interface KeyProblem {
  offset: number;
  message: string;
}

// Keys that mean something to JavaScript objects; never data in a dataset.
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Colons that follow a closing quote and JSON blanks (the key ends `"…" :`), counted without
 * allocating (a regex match list per line was a large share of the load on big files).
 */
function keyColons(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) {
    let j = i - 1;
    let c = text.charCodeAt(j);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(--j);
    if (c === 34) n++;
  }
  return n;
}

/**
 * Keys in every object of a parsed value, or -1 when one of them is forbidden (JSON.parse makes
 * every key, even "__proto__" and escaped spellings, an own key). No allocation: hot on
 * million-record files.
 */
function countKeys(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (const x of v)
      if (x !== null && typeof x === 'object') {
        const m = countKeys(x);
        if (m < 0) return -1;
        n += m;
      }
    return n;
  }
  for (const k in v as Record<string, unknown>) {
    if (FORBIDDEN.has(k)) return -1;
    n++;
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === 'object') {
      const m = countKeys(x);
      if (m < 0) return -1;
      n += m;
    }
  }
  return n;
}

/**
 * The first repeated or forbidden key of `text`, whose parse is `parsed`. Every key is a string
 * followed by optional blanks and a colon, so the key colons of the text are at least the keys of
 * the parsed tree; when they are exactly as many and no key of the parse is forbidden, no key can
 * repeat (a repeat adds a colon but no key). Otherwise (a string holding `":`, or a real repeat)
 * scan.
 */
export function keyProblem(text: string, parsed: unknown): KeyProblem | undefined {
  // A forbidden key found in the parse (-1) never equals the colon count: the exact scan runs.
  if (keyColons(text) === countKeys(parsed)) return undefined;
  return scanKeys(text);
}

/** The exact scan: walk the text's structure, one key set per open object. */
export function scanKeys(text: string): KeyProblem | undefined {
  const stack: (Set<string> | null)[] = [];
  const structural = /["{}[\]]/g;
  for (let m = structural.exec(text); m !== null; m = structural.exec(text)) {
    const at = m.index;
    const c = text[at];
    if (c === '{') stack.push(new Set());
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    else {
      // A string: find its closing quote (one not escaped by an odd run of backslashes).
      let end = at + 1;
      for (;;) {
        end = text.indexOf('"', end);
        if (end < 0) return undefined; // not valid JSON: the parser has said so already
        let bs = 0;
        while (text[end - 1 - bs] === '\\') bs++;
        if (bs % 2 === 0) break;
        end++;
      }
      structural.lastIndex = end + 1;
      let j = end + 1;
      while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n' || text[j] === '\r'))
        j++;
      const keys = stack[stack.length - 1];
      if (text[j] !== ':' || !keys) continue;
      const raw = text.slice(at + 1, end);
      const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      if (FORBIDDEN.has(key))
        return { offset: at, message: `key ${JSON.stringify(key)} is not allowed in a dataset` };
      if (keys.has(key))
        return {
          offset: at,
          message: `key ${JSON.stringify(key)} appears twice in one object (JSON would silently keep the last value)`,
        };
      keys.add(key);
    }
  }
  return undefined;
}
