// The shared sanitisers (src/report/sanitize.ts and the per-format escapes built on them) over
// arbitrary strings: what each format must never contain, and that data survives where it should.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cliSecrets } from '../../src/cli/exit.js';
import { cypherString } from '../../src/report/export/cypher.js';
import { dotQuote } from '../../src/report/export/dot.js';
import { mermaidText, mermaidUnescape } from '../../src/report/export/mermaid.js';
import { mdText } from '../../src/report/markdown.js';
import {
  batched,
  csvCell,
  htmlEscape,
  jsonSafe,
  stringifySafe,
  stringifySafeChunks,
  termSafe,
} from '../../src/report/sanitize.js';
import { redactText, urlSecrets } from '../../src/sources/http/redact.js';
import { EVIL, isFormula, parseCsv, UNSAFE } from './helpers.js';

/** Strings biased towards the characters that matter. */
const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\u001b',
      '[',
      ']',
      '\u0007',
      '\u009b',
      '\u202e',
      '\u2066',
      '\u200b',
      '\u2028',
      '\ufeff',
      '\ufffe',
      '\r',
      '\n',
      '\t',
      '=',
      '+',
      '-',
      '@',
      '"',
      "'",
      '`',
      '\\',
      '|',
      '<',
      '>',
      '&',
      ';',
      ',',
      ' ',
      '#',
      ':',
      '/',
      '\ud800',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});

describe('termSafe', () => {
  it('leaves no control, escape, bidi, separator or non-character; is idempotent', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const t = termSafe(s);
        expect(t).not.toMatch(UNSAFE);
        expect(t).not.toMatch(/[\r\n]|\p{Cs}/u);
        expect(termSafe(t)).toBe(t);
      }),
    );
  });

  it('removes whole escape sequences, not only the ESC byte', () => {
    expect(termSafe('a\u001b[31mb\u001b[0mc\u001b]8;;http://x\u0007d\u001b]8;;\u001b\\e\u009b2Jf')).toBe(
      'abcdef',
    );
    expect(termSafe('x\u2028y\u0085z')).toBe('x y z');
  });
});

describe('jsonSafe', () => {
  it('same value once parsed, no raw unsafe character in the text', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const text = stringifySafe({ s });
        expect(text).not.toMatch(UNSAFE);
        expect(JSON.parse(text).s).toBe(s);
        expect(jsonSafe(text)).toBe(text);
      }),
    );
    expect(JSON.parse(stringifySafe(EVIL))).toBe(EVIL);
  });
});

describe('stringifySafeChunks (a big JSON result written in pieces)', () => {
  const joined = (v: unknown, indent: number, depth?: number) =>
    [...batched(stringifySafeChunks(v, indent, depth), 7)].join('');

  it('joined, the pieces are stringifySafe text byte for byte, whatever the value and depth', () => {
    const value = fc.anything({
      key: nasty,
      values: [nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null)],
      withObjectString: true,
      withNullPrototype: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withSparseArray: true,
      maxDepth: 5,
    });
    fc.assert(
      fc.property(
        value,
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        (v, depth, indent) => {
          if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return;
          expect(joined(v, indent, depth)).toBe(stringifySafe(v, indent));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('members JSON.stringify skips or writes as null, toJSON, and an indent of 0', () => {
    const cases: unknown[] = [
      { a: undefined, b: () => 1, c: Symbol('x'), d: [undefined, () => 1, Symbol('y'), 1] },
      { when: new Date(0), nested: { toJSON: () => ({ replaced: ['\u2028'] }) } },
      { empty: {}, none: [], deep: [[[]], [{}], { x: [{ y: { z: [1, 2] } }] }] },
      [{ 'k\u202e\n': 'v\u2066\r\n' }, '\ufeff', -0, Number.NaN, 1e21],
      Object.assign(Object.create(null) as object, { p: [1, { q: 2 }] }),
    ];
    for (const v of cases)
      for (const indent of [0, 2])
        for (const depth of [0, 1, 3, 9]) expect(joined(v, indent, depth)).toBe(stringifySafe(v, indent));
  });
});

describe('csvCell', () => {
  it('one RFC 4180 cell, never a formula, never an unsafe character', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const rows = parseCsv(`${csvCell(s)}\n`);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toHaveLength(1);
        const cell = rows[0]![0]!;
        expect(isFormula(cell)).toBe(false);
        expect(cell).not.toMatch(UNSAFE);
      }),
    );
  });

  it('quotes cells a semicolon or tab locale would split; neutralises blank-led and full-width formulas', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell(' =1+1')).toBe("' =1+1");
    expect(csvCell('\n=1+1')).toBe("' =1+1");
    expect(csvCell('\uff1dSUM(A1)')).toBe("'\uff1dSUM(A1)");
    expect(csvCell(-5)).toBe('-5');
  });
});

describe('markup escapes', () => {
  it('htmlEscape: no markup character and no unsafe character survives', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const h = htmlEscape(s);
        expect(h).not.toMatch(/[<>"'`]|&(?!#\d+;)/);
        expect(h).not.toMatch(UNSAFE);
      }),
    );
  });

  it('mdText: no raw markup, no table separator, no autolink start', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const m = mdText(s);
        expect(m).not.toMatch(/[<>`]/);
        expect(m.replace(/\\\|/g, '')).not.toContain('|');
        expect(m).not.toMatch(/(?<!\\):\/\//);
      }),
    );
    expect(mdText('see https://evil.example or www.evil.example or a@evil.example')).not.toMatch(
      /https:\/\/|www\.e|a@e/,
    );
  });

  it('mermaidText: round-trips and never closes its quotes', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const t = termSafe(s);
        const m = mermaidText(t);
        expect(m).not.toMatch(/["<>`|]/);
        expect(mermaidUnescape(m)).toBe(t);
      }),
    );
  });

  it('dotQuote and cypherString: one closed literal', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const d = dotQuote(termSafe(s));
        expect(d).toMatch(/^"(?:[^"\\]|\\.)*"$/);
        const c = cypherString(s);
        expect(c).toMatch(/^'(?:[^'\\\n\r]|\\.)*'$/u);
      }),
    );
  });
});

describe('secrets on the command line', () => {
  it('finds option values, URL credentials and keyed path segments', () => {
    const s = cliSecrets(
      [
        'trace',
        '--api-key',
        'flag-key-1',
        '--auth-token=eq-key-2',
        '--source',
        'rpc:https://u:pass-key-3@eth-mainnet.g.alchemy.com/v2/abcdefghijklmnop4',
        'etherscan:https://h.example/api?apikey=url-key-5&module=x',
      ],
      { ETHERSCAN_API_KEY: 'env-key-6' },
    );
    for (const k of ['flag-key-1', 'eq-key-2', 'pass-key-3', 'abcdefghijklmnop4', 'url-key-5', 'env-key-6'])
      expect(s).toContain(k);
    expect(s).not.toContain('module');
  });

  it('urlSecrets and redactText agree: a URL redacted by text keeps none of its secrets', () => {
    const url = 'https://user:pw-secret@mainnet.infura.io/v3/0123456789abcdef0123?token=tok-secret';
    const text = `failed: ${url} and mainnet.infura.io/v3/0123456789abcdef0123 again`;
    const red = redactText(text);
    for (const s of urlSecrets(url)) expect(red).not.toContain(s);
    expect(red).toContain('mainnet.infura.io/v3/REDACTED');
  });
});
