#!/usr/bin/env node
// Runs the TypeScript sources through tsx: no build step, no stale dist/ (see README).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
