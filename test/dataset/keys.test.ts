// Issue 10 (low): JSON.parse keeps the last of two equal keys and makes "__proto__" an own key.
// A dataset is evidence: a repeated or forbidden key is a problem, named by place, in both forms.
import { describe, expect, it } from 'vitest';
import { validateDataset } from '../../src/sources/dataset/index.js';
import { keyProblem, scanKeys } from '../../src/sources/dataset/keys.js';
import { accountDoc, toJsonLines } from '../fixtures/dataset/docs.js';
import { writeText } from './helpers.js';

describe('keyProblem', () => {
  it.each([
    ['{"a":1,"b":2}', undefined],
    ['{"a":{"a":1},"b":[{"a":1},{"a":2}]}', undefined],
    // A string value that looks like a key is data (the precheck sees an extra `":`; the scan clears it).
    ['{"note":"x\\":1","a":"\\"a\\":"}', undefined],
    ['{"a":1,"a":2}', 'key "a" appears twice'],
    ['{"a" : 1, "b": {"c": 1, "c" : 2}}', 'key "c" appears twice'],
    // Escapes spell the same key.
    ['{"a":1,"\\u0061":2}', 'key "a" appears twice'],
    ['{"x":[{"__proto__":{}}]}', 'key "__proto__" is not allowed'],
    ['{"constructor":1}', 'key "constructor" is not allowed'],
    ['{"a":"__proto__"}', undefined],
    // An escaped spelling of a forbidden key (the old text search for "__proto__" missed it).
    ['{"__prot\\u006f__":{"a":1}}', 'key "__proto__" is not allowed'],
    ['{"b":[1,{"prototyp\\u0065":2}]}', 'key "prototype" is not allowed'],
  ])('%s', (text, expected) => {
    const p = keyProblem(text, JSON.parse(text));
    if (expected === undefined) expect(p).toBeUndefined();
    else expect(p?.message).toContain(expected);
    // The precheck never hides what the full scan finds.
    expect(scanKeys(text)?.message).toBe(p?.message);
  });
});

describe('a dataset with a repeated or forbidden key is invalid, in both forms', () => {
  const doc = accountDoc();
  const plain = JSON.stringify(doc, null, 2);
  const firstValue = /"value": "[0-9]+",/.exec(plain)![0];
  const cases = [
    [
      'a repeated transfer value',
      plain.replace(firstValue, `"value": "1", ${firstValue}`),
      /"value" appears twice/,
    ],
    [
      'a repeated chain',
      plain.replace('"chain": ', '"chain": "bitcoin", "chain": '),
      /"chain" appears twice/,
    ],
    [
      'a top-level __proto__',
      plain.replace('"chain": ', '"__proto__": {"x": 1}, "chain": '),
      /"__proto__" is not allowed/,
    ],
  ] as const;

  it.each(cases)('JSON: %s', async (_name, text, message) => {
    const r = await validateDataset(writeText(text, 'd.json'));
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.message)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['a repeated transfer value', '"value"', '"value": "1", ', /"value" appears twice/],
    ['a repeated chain', '"chain"', '"chain": "bitcoin", ', /"chain" appears twice/],
    ['a top-level __proto__', '"chain"', '"__proto__": {}, ', /"__proto__" is not allowed/],
  ] as const)('JSON Lines: %s', async (_name, onLineWith, insert, message) => {
    const lines = toJsonLines(doc).split('\n');
    const i = lines.findIndex((l) => l.includes(onLineWith));
    lines[i] = lines[i]!.replace('{', `{${insert}`);
    // The place named is the second of two equal keys (the original one, after the insert).
    const column = insert.startsWith(onLineWith) ? lines[i]!.indexOf(onLineWith, 2) + 1 : 2;
    const r = await validateDataset(writeText(lines.join('\n'), 'd.jsonl'));
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => `line ${p.line}: ${p.message}`)).toEqual([
      expect.stringMatching(new RegExp(`^line ${i + 1}: column ${column}: .*${message.source}`)),
    ]);
  });
});
