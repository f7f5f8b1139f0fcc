// An ethereum-etl import reads its exports a piece at a time and writes records as it makes them:
// rows that straddle the reader's 64 KiB pieces, shards of one export, BigQuery's times, problems
// found after records were already written (nothing left behind), and the transactions table the
// token transfers are joined on.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { TxTable } from '../../src/sources/etl/txtable.js';
import { cli } from '../helpers.js';
import { A, H, importEtl, scratch, TX_HEADER as TX_COLUMNS, withoutSources } from './etl-fixtures.js';

const { dir, file } = scratch('fundtrace-etl-stream-');
const TX_HEADER = `${TX_COLUMNS},input`;
const TT_HEADER = 'token_address,from_address,to_address,value,transaction_hash,log_index';
const USDT = '0xdac17f958d2ee523a2206206994597c13d831ec7';
const txRow = (n: number, extra = '0x') =>
  `${H(n)},${n % 100},${A(1)},${A(2)},${n},7,1700000000,${100 + Math.floor(n / 100)},1,21000,5,${extra}\n`;

interface Rec {
  type?: string;
  tx: string;
  index: number;
  value: string;
  kind: string;
  time: string;
  asset: string;
}
const records = (out: string): Rec[] =>
  readFileSync(out, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Rec);
/** Files an import might leave in the output's folder: none may remain after a refusal. */
const leftovers = (d: string) => readdirSync(d).filter((f) => /partial|records-/.test(f));

describe('ethereum-etl import, streamed', () => {
  it('quoted multi-line fields across the 64 KiB pieces: every row read, the row after them named by its line', async () => {
    // Rows of ~300 KB with a quoted field of 3 lines: pieces split them, and their newlines count.
    const big = (k: number) =>
      `"0x${'ab'.repeat(50_000)}\n${'cd'.repeat(50_000 + k)}\n${'ef'.repeat(50_000)}"`;
    let text = TX_HEADER + '\n';
    for (let n = 1; n <= 12; n++) text += txRow(n, big(n));
    const good = file('big.csv', text);
    const out = join(dir, 'big.jsonl');
    const r = await cli(['dataset', 'import-etl', '--transactions', good, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(good).length).toBeGreaterThan(3 << 20);
    expect(records(out).filter((x) => x.kind === 'native')).toHaveLength(12);
    // Row 13 starts on line 2 + 12 × 3 = 38.
    const bad = file('big-bad.csv', `${text}${H(13)},13,${A(1)},nothex,1,7,1700000000,100,1,21000,5,0x\n`);
    const refused = await cli([
      'dataset',
      'import-etl',
      '--transactions',
      bad,
      '--out',
      join(dir, 'x.jsonl'),
    ]);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/big-bad\.csv:38: to_address "nothex" is not an address/);
  });

  it('shards of one export, CSV and JSON Lines mixed, are read in turn: the records of the whole export', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => txRow(i + 1));
    const whole = file('all.csv', TX_HEADER + '\n' + rows.join(''));
    const s1 = file('part-0.csv', TX_HEADER + '\n' + rows.slice(0, 10).join(''));
    const s2 = file('part-1.csv', TX_HEADER + '\n' + rows.slice(10, 25).join(''));
    const s3 = file(
      'part-2.json',
      rows
        .slice(25)
        .map((l) => {
          const f = l.trim().split(',');
          const names = TX_HEADER.split(',');
          return JSON.stringify(Object.fromEntries(names.map((n, i) => [n, f[i]])));
        })
        .join('\n'),
    );
    const tt = file('tt.csv', `${TT_HEADER}\n${USDT},${A(3)},${A(4)},500,${H(27)},4\n`);
    const a = join(dir, 'whole.jsonl');
    const b = join(dir, 'shards.jsonl');
    await importEtl(['--transactions', whole, '--token-transfers', tt], a);
    await importEtl(['--transactions', s1, s2, s3, '--token-transfers', tt], b);
    expect(records(b)).toEqual(records(a));
    expect(records(b).filter((x) => x.kind === 'token')).toEqual([
      expect.objectContaining({ tx: H(27), asset: 'USDT', value: '500', index: 3_000_004 }),
    ]);
    // The same transaction in two shards: named where it appears the second time.
    const dup = file('dup.csv', TX_HEADER + '\n' + rows[4]);
    const r3 = await cli(['dataset', 'import-etl', '--transactions', s1, dup, '--out', join(dir, 'd.jsonl')]);
    expect(r3.status).toBe(3);
    expect(r3.stderr).toMatch(new RegExp(`dup\\.csv:2: transaction ${H(5)} appears twice`));
  });

  it('BigQuery\'s block_timestamp ("YYYY-MM-DD HH:MM:SS UTC") is read as unix seconds are; a bad one is named', async () => {
    const unix = file('unix.csv', TX_HEADER + '\n' + txRow(1));
    const bq = file('bq.csv', TX_HEADER + '\n' + txRow(1).replace('1700000000', '2023-11-14 22:13:20 UTC'));
    const a = join(dir, 'unix.jsonl');
    const b = join(dir, 'bq.jsonl');
    await importEtl(['--transactions', unix], a);
    await importEtl(['--transactions', bq], b);
    expect(records(b)).toEqual(records(a));
    expect(records(b)[0]!.time).toBe('2023-11-14T22:13:20Z');
    const bad = file(
      'bq-bad.csv',
      TX_HEADER + '\n' + txRow(1).replace('1700000000', '2023-02-30 10:00:00 UTC'),
    );
    const r = await cli(['dataset', 'import-etl', '--transactions', bad, '--out', join(dir, 'bad.jsonl')]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/bq-bad\.csv:2: block_timestamp "2023-02-30 10:00:00 UTC" is not a time/);
  });

  it('a problem found after records were written (a token transfer of an unknown transaction): nothing left behind', async () => {
    const sub = mkdtempSync(join(dir, 'late-'));
    const txs = file(
      'late-txs.csv',
      TX_HEADER + '\n' + Array.from({ length: 50 }, (_, i) => txRow(i + 1)).join(''),
    );
    const tt = file(
      'late-tt.csv',
      `${TT_HEADER}\n${USDT},${A(3)},${A(4)},5,${H(2)},0\n${USDT},${A(3)},${A(4)},5,${H(999)},1\n`,
    );
    const out = join(sub, 'late.jsonl');
    const db = join(sub, 'late.ftindex');
    const r = await cli([
      'dataset',
      'import-etl',
      '--transactions',
      txs,
      '--token-transfers',
      tt,
      '--out',
      out,
      '--index',
      db,
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(`late-tt\\.csv:3: transaction ${H(999)} is not in the transactions export`),
    );
    expect(existsSync(out)).toBe(false);
    expect(existsSync(db)).toBe(false);
    expect(readdirSync(sub)).toEqual([]);
    expect(leftovers(dir)).toEqual([]);
  });

  it('imported with --index: the index records the dataset under its final name (not stale, not the temporary file)', async () => {
    const txs = file(
      'idx-txs.csv',
      TX_HEADER + '\n' + Array.from({ length: 20 }, (_, i) => txRow(i + 1)).join(''),
    );
    const out = join(dir, 'idx.jsonl');
    const db = join(dir, 'idx.ftindex');
    const r = await cli(['dataset', 'import-etl', '--transactions', txs, '--out', out, '--index', db]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/idx\.ftindex: indexed 40 records/);
    const a = await cli(['trace', H(3), '--source', out, '--format', 'json']);
    const b = await cli(['trace', H(3), '--source', `index:${db}`, '--format', 'json']);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(withoutSources(b.stdout)).toEqual(withoutSources(a.stdout));
    const idx = new Database(db, { readonly: true });
    const [[source]] = idx.prepare("SELECT value FROM meta WHERE key = 'source'").raw().all() as [[string]];
    idx.close();
    expect((JSON.parse(source) as { path: string }).path).toBe(out);
    // Watched under that name: the dataset changed, the index is refused as stale.
    appendFileSync(out, `${readFileSync(out, 'utf8').split('\n')[1]}\n`);
    const stale = await cli(['trace', H(3), '--source', `index:${db}`, '--format', 'json']);
    expect(stale.status).toBe(3);
    expect(stale.stderr).toMatch(/is stale: its dataset .*idx\.jsonl.* changed/);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('TxTable', () => {
  it('holds a million hashes through its growth (made-up ones alike in their first bytes too); a hash added twice is refused; unknown hashes are -1', () => {
    const t = new TxTable();
    const hex = (i: number) =>
      `0x${(i * 2654435761).toString(16).padStart(16, '0')}${'0'.repeat(47)}${(i % 16).toString(16)}`;
    const n = 1 << 20;
    let added = 0;
    for (let i = 0; i < n; i++) if (t.add(hex(i), i >> 4, i & 15, `t${i >> 8}`, i % 7 === 0)) added++;
    expect(added).toBe(n);
    expect(t.size).toBe(n);
    for (const i of [0, 1, 4095, 4096, 65_535, n - 1]) {
      const row = t.get(hex(i));
      expect(row).toBe(i);
      expect([t.height(row), t.position(row), t.time(row), t.failed(row)]).toEqual([
        i >> 4,
        i & 15,
        `t${i >> 8}`,
        i % 7 === 0,
      ]);
      expect(t.get(hex(i).toUpperCase().replace('0X', '0x'))).toBe(i);
    }
    expect(t.add(hex(12345), 0, 0, 'x', false)).toBe(false);
    expect(t.get(`0x${'f'.repeat(64)}`)).toBe(-1);
  });
});
