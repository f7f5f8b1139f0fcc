#!/usr/bin/env node
// The fundtrace executable. Runs the bundle in dist/ (built by `npm ci`, see scripts/build.mjs)
// when it is newer than every file under src/; otherwise runs the TypeScript sources through tsx.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'cli', 'main.mjs');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

let fresh = false;
try {
  fresh =
    statSync(bundle).mtimeMs >=
    Math.max(newest(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs);
} catch {
  fresh = false;
}
if (fresh && !process.env.FUNDTRACE_NO_BUNDLE) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
