// What the ethereum-etl tests share: a scratch folder, made-up addresses and hashes, the
// transactions CSV header (BigQuery's receipt_* columns), importing, and comparing two traces.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { cli } from '../helpers.js';

/** A scratch folder removed after the file's tests, and a writer of files into it. */
export function scratch(prefix: string): { dir: string; file: (name: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file: (name, text) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
  };
}

export const A = (n: number) => `0x${String(n).repeat(40).slice(0, 40)}`;
export const H = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
export const TX_HEADER =
  'hash,transaction_index,from_address,to_address,value,gas_price,block_timestamp,block_number,receipt_status,receipt_gas_used,receipt_effective_gas_price';

/** `dataset import-etl ARGS --out OUT`, which must succeed. */
export async function importEtl(args: readonly string[], out: string): Promise<void> {
  const r = await cli(['dataset', 'import-etl', ...args, '--out', out]);
  expect(r.status, r.stderr).toBe(0);
}

/** A JSON result without `query.sources` (which names the file or index traced). */
export function withoutSources(stdout: string): unknown {
  const j = JSON.parse(stdout) as { query: { sources?: unknown } };
  delete j.query.sources;
  return j;
}
