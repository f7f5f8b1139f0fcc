// Shared helpers for dataset tests: write a document in either form to a temp dir and validate it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import { type DatasetValidation, validateDataset } from '../../src/sources/dataset/index.js';
import { type JsonDoc, toJsonLines } from '../fixtures/dataset/docs.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/dataset/', import.meta.url));

let dir: string | undefined;
let counter = 0;

/** A fresh temp file path (the directory is removed after the test file). */
export function tmpPath(name: string): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'fundtrace-dataset-'));
    const d = dir;
    afterAll(() => rmSync(d, { recursive: true, force: true }));
  }
  counter++;
  return join(dir, `${counter}-${name}`);
}

export function writeJson(doc: unknown, name = 'ds.json'): string {
  const p = tmpPath(name);
  writeFileSync(p, JSON.stringify(doc, null, 2));
  return p;
}

export function writeJsonl(doc: JsonDoc, name = 'ds.jsonl'): string {
  const p = tmpPath(name);
  writeFileSync(p, toJsonLines(doc));
  return p;
}

export function writeText(text: string, name: string): string {
  const p = tmpPath(name);
  writeFileSync(p, text);
  return p;
}

export type Section = 'transactions' | 'transfers' | 'logs' | 'labels';

/** The JSON Lines line number of a record written by toJsonLines. */
export function lineOf(doc: JsonDoc, section: Section, index: number): number {
  const tx = doc.transactions?.length ?? 0;
  const tr = doc.transfers?.length ?? 0;
  const before =
    section === 'transactions'
      ? 0
      : section === 'transfers'
        ? tx
        : section === 'logs'
          ? tx + tr
          : tx + tr + (doc.logs?.length ?? 0);
  return 2 + before + index;
}

export interface Expected {
  section: Section;
  index: number;
  /** Pointer inside the record, '' for the record itself. */
  sub: string;
  message: string | RegExp;
}

/** Validate the document in both forms; return both results. */
export async function validateBoth(
  doc: JsonDoc,
): Promise<{ json: DatasetValidation; jsonl: DatasetValidation }> {
  const json = await validateDataset(writeJson(doc));
  const jsonl = await validateDataset(writeJsonl(doc));
  return { json, jsonl };
}

/**
 * Validate the document in both forms and check that exactly the expected problems are reported,
 * at the expected locations (JSON pointer / `line N pointer`), in file order.
 */
export async function expectProblems(doc: JsonDoc, expected: Expected[]): Promise<void> {
  const { json, jsonl } = await validateBoth(doc);
  for (const [form, r] of [
    ['json', json],
    ['jsonl', jsonl],
  ] as const) {
    expect(r.ok, `${form} should be invalid`).toBe(false);
    expect(r.dataset).toBeUndefined();
    const got = r.problems.map((p) => ({ location: p.location, message: p.message }));
    const want = expected.map((e) => ({
      location: locations(doc, e)[form],
      message:
        form === 'jsonl' && typeof e.message === 'string' ? pointersToLines(doc, e.message) : e.message,
    }));
    expect(got, form).toHaveLength(want.length);
    for (let i = 0; i < want.length; i++) {
      expect(got[i]!.location, `${form} problem ${i}`).toBe(want[i]!.location);
      if (typeof want[i]!.message === 'string')
        expect(got[i]!.message, `${form} problem ${i}`).toBe(want[i]!.message);
      else expect(got[i]!.message, `${form} problem ${i}`).toMatch(want[i]!.message);
    }
  }
}

/** Rewrite JSON-form references inside a message (`/transactions/1/inputs/0`) to JSON Lines ones (`line 3 /inputs/0`). */
export function pointersToLines(doc: JsonDoc, message: string): string {
  return message.replace(
    /\/(transactions|transfers|logs|labels)\/(\d+)((?:\/[\w-]+)*)/g,
    (_m, section: Section, index: string, sub: string) =>
      locations(doc, { section, index: Number(index), sub }).jsonl,
  );
}

/** The locations a record problem has in the JSON and JSON Lines forms. */
export function locations(doc: JsonDoc, e: Pick<Expected, 'section' | 'index' | 'sub'>) {
  const line = lineOf(doc, e.section, e.index);
  return {
    json: `/${e.section}/${e.index}${e.sub}`,
    jsonl: e.sub ? `line ${line} ${e.sub}` : `line ${line}`,
  };
}
