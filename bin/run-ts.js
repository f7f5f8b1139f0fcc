#!/usr/bin/env node
// Runs a TypeScript script (benchmarks, sample generators) through tsx.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

register();
const [script, ...rest] = process.argv.slice(2);
if (!script) {
  process.stderr.write('usage: run-ts.js SCRIPT.ts [args…]\n');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(script), ...rest];
await import(pathToFileURL(resolve(script)).href);
