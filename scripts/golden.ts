// Re-records the golden outputs (test/golden/out/) after a deliberate change of output.
// Usage: node bin/run-ts.js scripts/golden.ts   — then review `git diff test/golden/out`.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAllGolden } from '../test/golden/record.js';

const dir = join(import.meta.dirname, '..', 'test', 'golden', 'out');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const all = await renderAllGolden();
for (const [name, text] of all) writeFileSync(join(dir, name), text);
process.stdout.write(
  `${all.size} golden files written to test/golden/out (${readdirSync(dir).length} on disk)\n`,
);
