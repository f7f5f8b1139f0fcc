#!/usr/bin/env node
// Bundles the CLI into dist/cli/main.mjs with esbuild (no type check: `npm test` does that), so the
// executable starts without compiling TypeScript on every run, and the HTML report's browser code
// into dist/viewer.js (src/report/html/page.ts reads it from there, so an installed package needs
// neither the TypeScript sources nor esbuild). bin/fundtrace.js uses the bundle in a checkout only
// while it is newer than every source file, and falls back to tsx otherwise, so a stale bundle
// can never run. Runs on `npm ci` / `npm install` and before `npm pack` (the "prepare" script).
// `node scripts/build.mjs DIR` writes DIR/cli/main.mjs instead (the bundle test builds its own copy,
// so it never rewrites dist/ under other tests); DIR must sit directly in the project root, like
// dist/, so that files found relative to the bundle (package.json, samples) resolve the same.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const outDir = process.argv[2] ?? 'dist';
if (!/^[\w.-]+$/.test(outDir)) throw new Error(`build: ${outDir} must be a folder name in the project root`);

// Chunk names change with their content: start from an empty folder, so that no chunk of an earlier
// build lingers (and ships in `npm pack`, whose "files" take every dist/cli/*.mjs).
rmSync(`${outDir}/cli`, { recursive: true, force: true });

await build({
  // The dataset worker is its own entry: src/sources/dataset/parallel.ts starts it by file name.
  entryPoints: { main: 'src/cli/main.ts', 'dataset-worker': 'src/sources/dataset/worker.ts' },
  // Split at dynamic imports: a command's module and the libraries it needs load only when it runs
  // (src/cli/program.ts), so `fundtrace --help` does not parse ethers, bitcoinjs or the devnet.
  // Chunks sit beside main.mjs: files found relative to a module (package.json, samples) resolve alike.
  outdir: `${outDir}/cli`,
  splitting: true,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});

// The same options as the sources' own build of the viewer (src/report/html/page.ts).
await build({
  ...JSON.parse(readFileSync('src/report/html/viewer.build.json', 'utf8')),
  entryPoints: ['src/report/html/viewer.ts'],
  outfile: `${outDir}/viewer.js`,
  logLevel: 'warning',
});
