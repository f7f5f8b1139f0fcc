#!/usr/bin/env node
// The fundtrace executable. An installed package (npm i -g, npx from the registry) ships only the
// bundle in dist/ (built by scripts/build.mjs when the package is packed) and runs it. In a checkout
// it runs the bundle (built by `npm ci`) while it is newer than every file under src/, and the
// TypeScript sources through tsx (a dev dependency) otherwise, so a stale bundle never runs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'cli', 'main.mjs');
const sources = join(root, 'src', 'cli', 'main.ts');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function bundleIsFresh() {
  try {
    return (
      statSync(bundle).mtimeMs >=
      Math.max(newest(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs)
    );
  } catch {
    return false;
  }
}

// An installed package has no sources: the bundle is all there is.
if (!existsSync(sources) || (bundleIsFresh() && !process.env.FUNDTRACE_NO_BUNDLE)) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
