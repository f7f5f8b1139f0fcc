// The parallel index build keeps no bytes of the dataset: it checks the file in streamed chunks,
// then copies each record's line from the file in one sequential read that also hashes it. The
// hash stored is that of the bytes copied, and a file changed between the check and the copy is
// refused (never an index of lines that were not checked).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, describe, expect, it } from 'vitest';
import { loadParallel } from '../../src/sources/dataset/parallel.js';
import { buildIndex, writeLines } from '../../src/sources/index/build.js';
import { SCHEMA } from '../../src/sources/index/format.js';
import { toJsonLines } from '../fixtures/dataset/docs.js';
import { FILE_CHANGES } from '../fixtures/file-changes.js';
import { cli, ROOT } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-stream-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DOC = JSON.parse(readFileSync(join(ROOT, 'samples/tron-scam.json'), 'utf8'));
/** In chain order, and the same records in reverse (stored by offset, in chain order). */
const TEXT = toJsonLines(DOC);
const REVERSED = toJsonLines({ ...DOC, transfers: [...DOC.transfers].reverse() });
const SEED = 'TA1zc4qQqsLRxRkfZX1Gi9SoLfo3CJNqSs';

function file(name: string, text = TEXT): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('a streamed index build', () => {
  it.each([
    ['in chain order', TEXT],
    ['in another order', REVERSED],
  ])('stores the SHA-256 of the bytes it read, and traces as the file does (%s)', async (name, text) => {
    const path = file(`scam-${name.replace(/ /g, '-')}.jsonl`, text);
    const db = join(dir, `scam-${name.replace(/ /g, '-')}.ftindex`);
    const stats = await buildIndex(path, db, undefined, { FUNDTRACE_LOAD: 'parallel' });
    expect(stats.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    const meta = new Database(db, { readonly: true });
    const rows = new Map(meta.prepare('SELECT key, value FROM meta').raw().all() as [string, string][]);
    meta.close();
    const source = JSON.parse(rows.get('source')!) as { sha256: string };
    const payload = JSON.parse(rows.get('payload')!);
    expect(source.sha256).toBe(stats.sha256);
    expect(payload).toBe('line');
    const args = ['trace', SEED, '--asset', 'USDT', '--format', 'json'];
    const fromFile = await cli([...args, '--source', path]);
    const fromIndex = await cli([...args, '--source', `index:${db}`]);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    expect(fromIndex.status, fromIndex.stderr).toBe(0);
    // The same JSON apart from query.sources, which names the source used.
    const body = (s: string) => {
      const doc = JSON.parse(s) as { query: { sources?: unknown } };
      delete doc.query.sources;
      return JSON.stringify(doc);
    };
    expect(body(fromIndex.stdout)).toBe(body(fromFile.stdout));
  });

  // Each change is made after the check and before the copy.
  const both = FILE_CHANGES.flatMap(([name, change]) => [
    [`${name}, in chain order`, TEXT, change] as const,
    [`${name}, in another order`, REVERSED, change] as const,
  ]);
  it.each(both)(
    'a file changed between the check and the copy: refused (%s)',
    async (_name, text, change) => {
      const path = file(`changed-${Math.random().toString(36).slice(2)}.jsonl`, text);
      const before = statSync(path);
      const p = await loadParallel(path, { minBytes: 0, workers: 2, piece: 128 });
      expect(p).toBeDefined();
      change(path);
      const db = new Database(':memory:');
      db.exec(SCHEMA.account);
      expect(() => writeLines(db, p!.store, path, before)).toThrow(
        /dataset ".*" changed while it was indexed; run the build again/,
      );
      db.close();
    },
  );

  it.each([
    ['in chain order', TEXT, true],
    ['in another order', REVERSED, false],
  ] as const)('an unchanged file copies every record once (%s)', async (name, text, ordered) => {
    const path = file(`unchanged-${name.replace(/ /g, '-')}.jsonl`, text);
    const before = statSync(path);
    const p = await loadParallel(path, { minBytes: 0, workers: 3, piece: 64 });
    expect(p!.store.inChainOrder()).toBe(ordered);
    const db = new Database(':memory:');
    db.exec(SCHEMA.account);
    const { sha256 } = writeLines(db, p!.store, path, before);
    expect(sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    const rows = db.prepare('SELECT seq, payload FROM transfers ORDER BY seq').raw(true).all() as [
      number,
      string,
    ][];
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: p!.records }, (_, i) => i));
    const lines = new Set(text.split('\n').filter((l) => l.includes('"type":"transfer"')));
    expect(rows.every((r) => lines.has(r[1]))).toBe(true);
    expect(new Set(rows.map((r) => r[1])).size).toBe(lines.size);
    db.close();
  });
});
