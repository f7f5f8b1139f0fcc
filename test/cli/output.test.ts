// Where results go (src/cli/output.ts): stdout, or --out FILE written to a temporary file and
// renamed when complete. A big JSON result arrives in pieces (rendered as it is written): on stdout
// each piece is one write; in a file the pieces are the file; a piece that fails to render is that
// error, and the previous good file stays as it was.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { writeOutput } from '../../src/cli/output.js';
import { FundtraceError } from '../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): Io & { writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    out: (s) => writes.push(s),
    err: () => {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: {},
  };
}

describe('writeOutput', () => {
  it('pieces go to stdout one write each, in order', async () => {
    const o = io();
    await writeOutput(o, ['{\n', '  "a": 1', '\n}\n'], undefined);
    expect(o.writes).toEqual(['{\n', '  "a": 1', '\n}\n']);
  });

  it('pieces written to --out make the file, and no temporary file is left', async () => {
    const out = join(dir, 'pieces.json');
    await writeOutput(
      io(),
      (function* () {
        for (let i = 0; i < 1000; i++) yield `${i}\n`;
      })(),
      out,
    );
    expect(readFileSync(out, 'utf8')).toBe(Array.from({ length: 1000 }, (_, i) => `${i}\n`).join(''));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a piece that fails to render: that error, the earlier file untouched, no temporary file', async () => {
    const out = join(dir, 'kept.json');
    writeFileSync(out, 'the previous good result\n');
    const failing = (function* () {
      yield 'half of a result';
      throw new FundtraceError('INTERNAL', 'could not render');
    })();
    await expect(writeOutput(io(), failing, out)).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'could not render',
    });
    expect(readFileSync(out, 'utf8')).toBe('the previous good result\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a file that cannot be written is a usage error naming it', async () => {
    const out = join(dir, 'no-such-dir', 'x.json');
    await expect(writeOutput(io(), ['x'], out)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(writeOutput(io(), ['x'], out)).rejects.toThrow(/--out ".*x\.json": cannot write the file/);
  });
});
