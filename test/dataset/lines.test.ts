// The JSON Lines reader's line splitter must number lines exactly as node:readline does (problem
// locations name lines): compared on random texts of \r, \n, \r\n, multi-byte characters and
// blanks, cut into random chunks.

import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/sources/dataset/read.js';

async function readlineLines(chunks: string[]): Promise<string[]> {
  const rl = createInterface({ input: Readable.from(chunks), crlfDelay: Number.POSITIVE_INFINITY });
  const out: string[] = [];
  for await (const l of rl) out.push(l);
  return out;
}

function splitterLines(chunks: string[]): string[] {
  const s = new LineSplitter();
  const out: string[] = [];
  const emit = (l: string) => {
    out.push(l);
    return true;
  };
  for (const c of chunks) s.push(c, emit);
  s.end(emit);
  return out;
}

/** A small deterministic generator (tests must not depend on Math.random). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const PIECES = ['a', '{"k":1}', '\n', '\r', '\r\n', '\n\n', ' ', 'é', '\uFEFF', ''];

describe('LineSplitter', () => {
  it('splits like readline on fixed edge cases', async () => {
    for (const chunks of [
      ['a\r', '\nb'],
      ['a\r', '\r\n', 'b\n'],
      ['\n'],
      [''],
      ['a'],
      ['a\n'],
      ['a\r'],
      ['\r\n\r\n'],
      ['x', 'y', 'z\n', '\n', 'w'],
    ]) {
      expect(splitterLines(chunks), JSON.stringify(chunks)).toEqual(await readlineLines(chunks));
    }
  });

  it('splits like readline on 2 000 random texts and chunkings', async () => {
    const r = rng(16);
    for (let t = 0; t < 2000; t++) {
      let text = '';
      const n = Math.floor(r() * 30);
      for (let i = 0; i < n; i++) text += PIECES[Math.floor(r() * PIECES.length)];
      const chunks: string[] = [];
      for (let at = 0; at < text.length; ) {
        const len = 1 + Math.floor(r() * 8);
        chunks.push(text.slice(at, at + len));
        at += len;
      }
      expect(splitterLines(chunks), JSON.stringify(chunks)).toEqual(await readlineLines(chunks));
    }
  });

  it('stops when the consumer says so', () => {
    const s = new LineSplitter();
    const seen: string[] = [];
    const stopAtB = (l: string) => {
      seen.push(l);
      return l !== 'b';
    };
    expect(s.push('a\nb\nc\n', stopAtB)).toBe(false);
    expect(seen).toEqual(['a', 'b']);
  });
});
