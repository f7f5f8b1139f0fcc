// Shared helpers for the label tests: fixture paths, temp dirs, and the optional real data.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { Label } from '../../src/core/model.js';

export const FIX = fileURLToPath(new URL('../fixtures/labels/', import.meta.url));
/**
 * ../shared/data next to the repository; absent in most checkouts, so real-data tests skip.
 * FUNDTRACE_TEST_SHARED_DATA points elsewhere (e.g. a missing dir, to check the skipping).
 */
export const SHARED =
  process.env.FUNDTRACE_TEST_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
export const hasShared = (sub: string) => existsSync(join(SHARED, sub));

export const fixture = (rel: string) => join(FIX, rel);
export const readFixture = (rel: string) => readFileSync(fixture(rel), 'utf8');

/** A fresh temp directory, removed after the test file. */
export function tmpDir(prefix = 'fundtrace-labels-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Count labels by a field, as a plain object for toEqual. */
export function countBy(labels: readonly Label[], field: keyof Label): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of labels) {
    const k = String(l[field]);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

export const label = (over: Partial<Label> = {}): Label => ({
  chain: 'ethereum',
  address: '0x8FA78bf8B7334950907FE202E882AFD91aa3236F',
  entity: 'Example',
  category: 'unknown',
  source: 'test',
  ...over,
});
