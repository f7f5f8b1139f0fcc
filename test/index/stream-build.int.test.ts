// The parallel index build keeps no bytes of the dataset: its workers check the file in streamed
// chunks while this thread copies the file into the index as pieces, in one sequential read that
// also hashes it. The pieces are the file, byte for byte; the hash stored is that of the bytes
// copied; and a file changed between the check's read and the copy's — in either order — is
// refused (never an index of lines that were not checked).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, describe, expect, it } from 'vitest';
import { NewlineSum } from '../../src/sources/dataset/chunk.js';
import { loadParallel } from '../../src/sources/dataset/parallel.js';
import { buildIndex, changedWhileIndexed, copyLines, verifyCopy } from '../../src/sources/index/build.js';
import { SCHEMA } from '../../src/sources/index/format.js';
import { PIECE_BYTES } from '../../src/sources/index/pieces.js';
import { toJsonLines } from '../fixtures/dataset/docs.js';
import { FILE_CHANGES } from '../fixtures/file-changes.js';
import { cli, ROOT } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-stream-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DOC = JSON.parse(readFileSync(join(ROOT, 'samples/tron-scam.json'), 'utf8'));
/** In chain order, and the same records in reverse (the file's order is not the index's). */
const TEXT = toJsonLines(DOC);
const REVERSED = toJsonLines({ ...DOC, transfers: [...DOC.transfers].reverse() });
/**
 * Lines of every shape the pieces must cut around: CRLF endings, blank lines and labels between
 * transfers, transfers longer than a piece (spaces inside their JSON), one exactly a piece long,
 * and a last line with no newline.
 */
const ODD = (() => {
  const lines = TEXT.trimEnd().split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    let l = line;
    if (i > 0 && i % 7 === 0) l = `{${' '.repeat(PIECE_BYTES + 500 * (i % 3))}${line.slice(1)}`;
    if (i === 12) l = `{${' '.repeat(PIECE_BYTES - line.length)}${line.slice(1)}`;
    out.push(i % 5 === 0 ? `${l}\r` : l);
    if (i % 11 === 3) out.push('', '   ');
  });
  return out.join('\n');
})();
const SEED = 'TA1zc4qQqsLRxRkfZX1Gi9SoLfo3CJNqSs';
const PARALLEL = { FUNDTRACE_LOAD: 'parallel' };

function file(name: string, text = TEXT): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The same JSON apart from query.sources, which names the source used. */
const body = (s: string) => {
  const doc = JSON.parse(s) as { query: { sources?: unknown } };
  delete doc.query.sources;
  return JSON.stringify(doc);
};

describe('a streamed index build', () => {
  it.each([
    ['in chain order', TEXT],
    ['in another order', REVERSED],
    ['with odd lines (CRLF, blanks, longer than a piece, no last newline)', ODD],
  ])('stores the file as pieces, hashed, and traces as the file does (%s)', async (name, text) => {
    const path = file(`scam-${name.slice(0, 12).replace(/ /g, '-')}.jsonl`, text);
    const db = join(dir, `scam-${name.slice(0, 12).replace(/ /g, '-')}.ftindex`);
    const stats = await buildIndex(path, db, undefined, PARALLEL);
    const bytes = readFileSync(path);
    expect(stats.addresses).toBe(
      new Set(
        (DOC.transfers as { from: string; to: string | null }[]).flatMap((t) =>
          t.to ? [t.from, t.to] : [t.from],
        ),
      ).size,
    );
    expect(stats.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const d = new Database(db, { readonly: true });
    const meta = new Map(d.prepare('SELECT key, value FROM meta').raw().all() as [string, string][]);
    expect(JSON.parse(meta.get('source')!).sha256).toBe(stats.sha256);
    expect(JSON.parse(meta.get('payload')!)).toBe('line');
    // The pieces, in key order, are the file; each at its offset, ending after a newline (but the
    // last), within a piece's size unless it is one line.
    const pieces = d.prepare('SELECT start, bytes FROM pieces ORDER BY start').raw().all() as [
      number,
      Buffer,
    ][];
    d.close();
    expect(Buffer.concat(pieces.map((p) => p[1])).equals(bytes)).toBe(true);
    let at = 0;
    for (const [start, b] of pieces) {
      expect(start).toBe(at);
      at += b.length;
      if (at < bytes.length) expect(b[b.length - 1]).toBe(10);
      if (b.length > PIECE_BYTES) expect(b.subarray(0, b.length - 1).includes(10)).toBe(false);
    }
    if (text === ODD) expect(pieces.some(([, b]) => b.length > PIECE_BYTES)).toBe(true);
    const args = ['trace', SEED, '--asset', 'USDT', '--format', 'json'];
    const fromFile = await cli([...args, '--source', path]);
    const fromIndex = await cli([...args, '--source', `index:${db}`]);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    expect(fromIndex.status, fromIndex.stderr).toBe(0);
    expect(body(fromIndex.stdout)).toBe(body(fromFile.stdout));
    // Every transfer's transactions read back as the file has them (the long ones too).
    const tx = DOC.transfers[7].tx as string;
    const t = await cli(['trace', tx, '--format', 'json', '--source', `index:${db}`]);
    const f = await cli(['trace', tx, '--format', 'json', '--source', path]);
    expect(t.status, t.stderr).toBe(f.status);
    if (f.status === 0) expect(body(t.stdout)).toBe(body(f.stdout));
  });

  // Each change made after the check read the file and before the copy did, then the other way round.
  const both = FILE_CHANGES.flatMap(([name, change]) => [
    [`${name}, in chain order`, TEXT, change] as const,
    [`${name}, in another order`, REVERSED, change] as const,
  ]);
  it.each(both)(
    'a file changed after the check, before the copy: refused (%s)',
    async (_name, text, change) => {
      const path = file(`changed-${Math.random().toString(36).slice(2)}.jsonl`, text);
      const before = statSync(path);
      const p = await loadParallel(path, { minBytes: 0, workers: 2, piece: 128 });
      expect(p).toBeDefined();
      change(path);
      const db = new Database(':memory:');
      db.exec(SCHEMA.account);
      const changed = () => changedWhileIndexed(path);
      await expect(
        (async () => {
          const copied = await copyLines(db, path, before.size, changed);
          verifyCopy(copied!, p!, before, path, changed);
        })(),
      ).rejects.toThrow(/dataset ".*" changed while it was indexed; run the build again/);
      db.close();
    },
  );

  it.each([
    ['in chain order', TEXT],
    ['in another order', REVERSED],
  ])('an unchanged file: the copy is of the bytes checked (%s)', async (_name, text) => {
    const path = file(`unchanged-${Math.random().toString(36).slice(2)}.jsonl`, text);
    const before = statSync(path);
    const p = await loadParallel(path, { minBytes: 0, workers: 3, piece: 64 });
    const db = new Database(':memory:');
    db.exec(SCHEMA.account);
    const changed = () => changedWhileIndexed(path);
    const copied = await copyLines(db, path, before.size, changed);
    expect(() => verifyCopy(copied!, p!, before, path, changed)).not.toThrow();
    expect(copied!.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    // The check and the copy found the same newlines (one a line, the last one ending in one).
    expect(copied!.newlines.n).toBe(text.split('\n').length - 1);
    expect(copied!.newlines.equals(p!.newlines)).toBe(true);
    // The addresses a build reports, counted across the three chunks once each, as the ledgers are.
    const parties = new Set(
      (DOC.transfers as { from: string; to: string | null }[]).flatMap((t) =>
        t.to ? [t.from, t.to] : [t.from],
      ),
    );
    let ledgers = 0;
    p!.store.eachLedger(() => ledgers++);
    expect(ledgers).toBe(parties.size);
    expect(p!.store.addressCount()).toBe(parties.size);
    db.close();
  });

  it("newlines elsewhere than the check found them: refused, whatever the file's times say", async () => {
    const path = file(`moved-${Math.random().toString(36).slice(2)}.jsonl`, TEXT);
    const before = statSync(path);
    const p = await loadParallel(path, { minBytes: 0, workers: 2, piece: 128 });
    const db = new Database(':memory:');
    db.exec(SCHEMA.account);
    const changed = () => changedWhileIndexed(path);
    const copied = (await copyLines(db, path, before.size, changed))!;
    db.close();
    // The same times, one newline one byte later: only the newline sums tell.
    const moved = new NewlineSum().plus(p!.newlines);
    moved.add(100);
    moved.plus({ a: 0, b: 0, n: -1 });
    const other = new NewlineSum();
    other.add(101);
    const shifted = { stat: p!.stat, newlines: new NewlineSum().plus(p!.newlines).plus(other) };
    expect(() => verifyCopy(copied, { ...p!, newlines: moved }, before, path, changed)).toThrow(
      /changed while/,
    );
    expect(() => verifyCopy(copied, shifted, before, path, changed)).toThrow(/changed while/);
    expect(() => verifyCopy(copied, p!, before, path, changed)).not.toThrow();
  });

  it.each(both)(
    'a file changed after the copy, before the check: refused (%s)',
    async (name, text, change) => {
      const path = file(`changed-${Math.random().toString(36).slice(2)}.jsonl`, text);
      const before = statSync(path);
      const db = new Database(':memory:');
      db.exec(SCHEMA.account);
      const changed = () => changedWhileIndexed(path);
      const copied = await copyLines(db, path, before.size, changed);
      change(path);
      const p = await loadParallel(path, { minBytes: 0, workers: 2, piece: 128 });
      // The check of a changed file that is still valid (the same bytes written again) is refused
      // here; the others are turned down by the check itself (then the file is read sequentially).
      expect(p !== undefined).toBe(name.startsWith('the same bytes written again'));
      if (p)
        expect(() => verifyCopy(copied!, p, before, path, changed)).toThrow(/changed while it was indexed/);
      db.close();
    },
  );

  it.each(FILE_CHANGES)(
    'a file changed while the build copies it: refused, nothing written (%s)',
    async (_name, change) => {
      const path = file(`during-${Math.random().toString(36).slice(2)}.jsonl`, TEXT);
      const db = join(dir, `during-${Math.random().toString(36).slice(2)}.ftindex`);
      let changedOnce = false;
      const progress = (text: string) => {
        if (!changedOnce && text.endsWith('% copied, checking')) {
          changedOnce = true;
          change(path);
        }
      };
      const built = buildIndex(path, db, undefined, PARALLEL, progress);
      // Refused by the copy or its check, or (the check's workers read the changed file, and turned it
      // down) by the sequential reader: never an index of bytes that were not checked.
      await built.then(
        () => {
          // Built: only from the file as it now is (the sequential reader read it again).
          expect(existsSync(path)).toBe(true);
          const d = new Database(db, { readonly: true });
          const source = JSON.parse(
            (d.prepare(`SELECT value FROM meta WHERE key = 'source'`).raw().all()[0] as [string])[0],
          ) as { sha256: string };
          d.close();
          expect(source.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
        },
        (e: Error) => {
          expect(e.message).toMatch(/changed while it was indexed|dataset|no such file/);
          expect(existsSync(db)).toBe(false);
        },
      );
      expect(changedOnce).toBe(true);
    },
  );
});
