// The dataset file's SHA-256 an index records (and checks a touched file against): hashed in a
// worker thread for a big file, on this thread for a small one — the same digest either way.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSha256 } from '../../src/sources/index/format.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fileSha256', () => {
  it('a 9 MiB file (worker thread) and a small one (this thread): the digest of their bytes', async () => {
    const big = Buffer.alloc(9 << 20);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE((i * 2654435761) >>> 0, i);
    const small = Buffer.from('{"format":"fundtrace-dataset/1"}\n');
    for (const [name, bytes] of [
      ['big', big],
      ['small', small],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const want = createHash('sha256').update(bytes).digest('hex');
      expect(await fileSha256(path, bytes.length)).toBe(want);
      expect(await fileSha256(path)).toBe(want);
    }
  });

  it('a file that cannot be read: an error, in the worker as on this thread', async () => {
    const missing = join(dir, 'missing');
    await expect(fileSha256(missing, 9 << 20)).rejects.toThrow(/ENOENT/);
    await expect(fileSha256(missing)).rejects.toThrow(/ENOENT/);
  });
});
