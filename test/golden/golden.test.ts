// Every golden output (test/golden/out/) is reproduced byte for byte. A deliberate change of
// output is re-recorded with `node bin/run-ts.js scripts/golden.ts` and listed in the issue note.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAllGolden } from './record.js';

const dir = join(import.meta.dirname, 'out');

describe('golden outputs', async () => {
  const all = await renderAllGolden();
  it('records the same set of files', () => {
    expect([...all.keys()].sort()).toEqual(readdirSync(dir).sort());
  });
  it.each([...all.keys()].sort())('%s is byte-identical', (name) => {
    expect(all.get(name)).toBe(readFileSync(join(dir, name), 'utf8'));
  });
});
