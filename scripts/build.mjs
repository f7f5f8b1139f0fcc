#!/usr/bin/env node
// Bundles the CLI into dist/cli/main.mjs with esbuild (no type check: `npm test` does that), so the
// executable starts without compiling TypeScript on every run. bin/fundtrace.js uses the bundle
// only while it is newer than every source file, and falls back to tsx otherwise, so a stale
// bundle can never run. Runs on `npm ci` / `npm install` (the "prepare" script).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
