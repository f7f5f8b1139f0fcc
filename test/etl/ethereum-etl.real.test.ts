// ethereum-etl's own expected outputs for mainnet blocks 17173049–17173050 (../shared), imported:
// every figure is recomputed here from the raw files' digits (never through a float).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, SHARED } from '../helpers.js';
import { importEtl, scratch, withoutSources } from './etl-fixtures.js';

const ROOT = join(SHARED, 'data', 'ethereum-etl-exports');
const STREAM = join(ROOT, 'stream_blocks_17173049_17173050');
const present = existsSync(join(STREAM, 'expected_transactions.json'));
const { dir } = scratch('fundtrace-etl-');
/** The JSON Lines transactions and token transfers exports of the two blocks. */
const EXPORT = [
  '--transactions',
  join(STREAM, 'expected_transactions.json'),
  '--token-transfers',
  join(STREAM, 'expected_token_transfers.json'),
];

/** Each JSON line as raw text fields: numbers kept as their digits. */
function rawRows(file: string): Record<string, string>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const row: Record<string, string> = {};
      for (const m of l.matchAll(/"([a-z_]+)": ("(?:[^"\\]|\\.)*"|-?\d+|null)/g))
        row[m[1]!] = m[2]!.replace(/^"|"$/g, '');
      return row;
    });
}

interface Rec {
  tx: string;
  index: number;
  from: string;
  to: string | null;
  asset: string;
  value: string;
  kind: string;
}
const readJsonl = (file: string): Rec[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Rec);

describe.skipIf(!present)('ethereum-etl import (real blocks 17173049–17173050)', () => {
  const txs = present ? rawRows(join(STREAM, 'expected_transactions.json')) : [];
  const tokens = present ? rawRows(join(STREAM, 'expected_token_transfers.json')) : [];

  it('JSON Lines: native values of successful transactions, every fee, every token transfer, exact', async () => {
    const out = join(dir, 'stream.jsonl');
    await importEtl(EXPORT, out);
    const recs = readJsonl(out);
    expect(txs).toHaveLength(298);
    const ok = txs.filter((t) => t.receipt_status === '1');
    const failed = txs.filter((t) => t.receipt_status === '0');
    const natives = recs.filter((x) => x.kind === 'native');
    expect(natives).toHaveLength(ok.filter((t) => BigInt(t.value!) > 0n).length);
    expect(natives.reduce((a, x) => a + BigInt(x.value), 0n)).toBe(
      ok.reduce((a, t) => a + BigInt(t.value!), 0n),
    );
    const fees = recs.filter((x) => x.kind === 'fee');
    const feeOf = (t: Record<string, string>) =>
      BigInt(t.receipt_gas_used!) * BigInt(t.receipt_effective_gas_price!);
    expect(fees).toHaveLength(txs.filter((t) => feeOf(t) > 0n).length);
    expect(fees.reduce((a, x) => a + BigInt(x.value), 0n)).toBe(txs.reduce((a, t) => a + feeOf(t), 0n));
    // A failed transaction moves nothing, but pays.
    for (const t of failed) {
      const mine = recs.filter((x) => x.tx === t.hash);
      expect(mine.map((x) => x.kind)).toEqual(feeOf(t) > 0n ? ['fee'] : []);
    }
    const tokenRecs = recs.filter((x) => x.kind === 'token');
    const moving = tokens.filter((t) => BigInt(t.value!) > 0n && t.from_address !== t.to_address);
    expect(tokenRecs).toHaveLength(moving.length);
    expect(tokenRecs.reduce((a, x) => a + BigInt(x.value), 0n)).toBe(
      moving.reduce((a, t) => a + BigInt(t.value!), 0n),
    );
    // A value beyond 2^53 (and beyond 2^64) kept to the unit.
    const big = tokens.find((t) => t.value!.length > 25)!;
    expect(tokenRecs.some((x) => x.value === big.value && x.tx === big.transaction_hash)).toBe(true);
    // Log index 0 of the block's first transaction does not collide with its native record.
    const first = recs.filter((x) => x.tx === txs[0]!.hash).map((x) => x.index);
    expect(new Set(first).size).toBe(first.length);
  });

  it('the CSV transactions export with a receipts export gives the same records; without receipts it is refused', async () => {
    const csv = join(ROOT, 'csv_blocks_17173049_17173050', 'expected_transactions.csv');
    const refused = await cli([
      'dataset',
      'import-etl',
      '--transactions',
      csv,
      '--out',
      join(dir, 'no-receipts.jsonl'),
    ]);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/298 transactions have no receipt .* --receipts/);
    expect(existsSync(join(dir, 'no-receipts.jsonl'))).toBe(false);
    const receipts = join(dir, 'receipts.csv');
    writeFileSync(
      receipts,
      `transaction_hash,status,gas_used,effective_gas_price\n${txs.map((t) => `${t.hash},${t.receipt_status},${t.receipt_gas_used},${t.receipt_effective_gas_price}`).join('\n')}\n`,
    );
    const fromCsv = join(dir, 'csv.jsonl');
    const fromJson = join(dir, 'json.jsonl');
    for (const [out, args] of [
      [fromCsv, ['--transactions', csv, '--receipts', receipts]],
      [fromJson, ['--transactions', join(STREAM, 'expected_transactions.json')]],
    ] as const) {
      const r = await cli(['dataset', 'import-etl', ...args, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
    }
    expect(readJsonl(fromCsv)).toEqual(readJsonl(fromJson));
  });

  it("BigQuery's shape: the same exports split into shards, times as BigQuery writes them, give the same records", async () => {
    // BigQuery writes an export over 1 GB as several files, and a TIMESTAMP as "YYYY-MM-DD HH:MM:SS UTC".
    const bq = (unix: string) =>
      `${new Date(Number(unix) * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
    const shards = (name: string, file: string, n: number) => {
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) =>
          l.replace(/"block_timestamp": (\d+)/, (_m, t: string) => `"block_timestamp": "${bq(t)}"`),
        );
      expect(lines.some((l) => / UTC"/.test(l))).toBe(true);
      return Array.from({ length: n }, (_, k) => {
        const p = join(dir, `${name}-${String(k).padStart(12, '0')}.json`);
        writeFileSync(p, lines.filter((_l, i) => i % n === k).join('\n') + '\n');
        return p;
      });
    };
    const whole = join(dir, 'whole.jsonl');
    const sharded = join(dir, 'sharded.jsonl');
    await importEtl(EXPORT, whole);
    await importEtl(
      [
        '--transactions',
        ...shards('transactions', join(STREAM, 'expected_transactions.json'), 3),
        '--token-transfers',
        ...shards('token_transfers', join(STREAM, 'expected_token_transfers.json'), 2),
      ],
      sharded,
    );
    const key = (x: Rec) => `${x.tx}/${x.index}`;
    const sorted = (f: string) =>
      readJsonl(f).sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
    expect(sorted(sharded)).toEqual(sorted(whole));
    expect(readFileSync(sharded, 'utf8').split('\n')[0]).toContain('"time":"2023-05-02T');
  });

  it('imported and indexed, a transaction seed traces from the index as from the file', async () => {
    const out = join(dir, 'traced.jsonl');
    const db = join(dir, 'traced.ftindex');
    await importEtl([...EXPORT, '--index', db], out);
    const seed = txs.find((t) => t.receipt_status === '1' && BigInt(t.value!) > 10n ** 18n)!.hash!;
    const a = await cli(['trace', seed, '--source', out, '--format', 'json']);
    const b = await cli(['trace', seed, '--source', `index:${db}`, '--format', 'json']);
    expect(a.status, a.stderr).toBe(0);
    expect(withoutSources(b.stdout)).toEqual(withoutSources(a.stdout));
  });
});
