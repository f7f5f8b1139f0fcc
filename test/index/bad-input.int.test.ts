// An index that no longer says what it did, or is not one: a clear one-line error, exit 3.
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, describe, expect, it } from 'vitest';
import { toJsonLines } from '../fixtures/dataset/docs.js';
import { cli } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-index-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SEED = '0x5E7EB83410bAF42E284C27C9b754d7B51ce4C52c';
const BTC_SEED = '3d4b3d8e65f76aa5d3c5d0d7f795e9dc74dfb14542a5f6954243344114db898c';

async function indexed(name: string): Promise<{ dataset: string; db: string }> {
  const dataset = join(dir, `${name}.json`);
  copyFileSync('samples/phishing-eth.json', dataset);
  const db = join(dir, `${name}.ftindex`);
  const r = await cli(['dataset', 'index', dataset, '--out', db]);
  expect(r.status, r.stderr).toBe(0);
  return { dataset, db };
}

const trace = (db: string) =>
  cli([
    'trace',
    SEED,
    '--source',
    `index:${db}`,
    '--direction',
    'backward',
    '--asset',
    'USDT',
    '--format',
    'json',
  ]);

/** Damage the index's stored records with `sql`: a trace on it is exit 3, one line naming the index. */
async function expectDamaged(db: string, sql: string, name: string): Promise<void> {
  const d = new Database(db);
  d.exec(sql);
  d.close();
  const r = await trace(db);
  expect(r.status).toBe(3);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(`${name}.ftindex" cannot be read: a stored record does not convert (damaged)`);
}

describe('index:DB refuses what it cannot vouch for', () => {
  it('a dataset changed after indexing: stale, exit 3, names the file and the recorded hash', async () => {
    const { dataset, db } = await indexed('stale');
    const doc = JSON.parse(readFileSync(dataset, 'utf8')) as { description?: string };
    doc.description = 'edited after indexing';
    writeFileSync(dataset, JSON.stringify(doc));
    const r = await trace(db);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(
      /is stale: its dataset .*stale\.json.* changed since the index was built \(SHA-256 was [0-9a-f]{64}\)/,
    );
    expect(r.stdout).toBe('');
  });

  it('a dataset only touched (same bytes, new mtime) is not stale', async () => {
    const { dataset, db } = await indexed('touched');
    utimesSync(dataset, new Date(), new Date(Date.now() + 60_000));
    const r = await trace(db);
    expect(r.status, r.stderr).toBe(0);
  });

  it('a dataset that is gone: the index still traces (it holds the data)', async () => {
    const { dataset, db } = await indexed('gone');
    rmSync(dataset);
    const r = await trace(db);
    expect(r.status, r.stderr).toBe(0);
  });

  it('a JSON Lines dataset indexed as lines, then gone: still traces; a stored line damaged: exit 3, one line', async () => {
    const dataset = join(dir, 'lines.jsonl');
    writeFileSync(dataset, toJsonLines(JSON.parse(readFileSync('samples/phishing-eth.json', 'utf8'))));
    const db = join(dir, 'lines.ftindex');
    const built = await cli(['dataset', 'index', dataset, '--out', db], { FUNDTRACE_LOAD: 'parallel' });
    expect(built.status, built.stderr).toBe(0);
    rmSync(dataset);
    const ok = await trace(db);
    expect(ok.status, ok.stderr).toBe(0);
    await expectDamaged(db, `UPDATE pieces SET bytes = CAST('{"type":"transfer","tx":1}' AS BLOB)`, 'lines');
  });

  it('a stored record damaged in an index of converted records: exit 3, one line', async () => {
    const { db } = await indexed('damaged');
    await expectDamaged(db, `UPDATE pieces SET bytes = CAST('{"tx":' AS BLOB)`, 'damaged');
  });

  // A transaction seed: its transfers are read by tx key.
  const TX = '0xece2a6e74fd86b468bc200d396e13327b150b00983d414176f43656667bc91fa';
  it.each([
    [
      'a ledger bucket cut short',
      `UPDATE ledger SET entries = substr(entries, 1, 20)`,
      SEED,
      /a ledger bucket ends inside an entry/,
    ],
    [
      'a transaction bucket cut short',
      `UPDATE txs SET entries = substr(entries, 1, 20)`,
      TX,
      /a transaction bucket is not whole entries/,
    ],
    ['the pieces gone', 'DELETE FROM pieces', SEED, /a record is missing/],
    [
      'a bucket that is not bytes',
      'UPDATE ledger SET entries = 7',
      SEED,
      /a ledger bucket ends inside an entry/,
    ],
  ])('%s: exit 3, one line naming the index', async (name, sql, seed, says) => {
    const { db } = await indexed(`bucket-${name.replace(/ /g, '-')}`);
    const d = new Database(db);
    d.exec(sql);
    d.close();
    const r = await cli(['trace', seed, '--source', `index:${db}`, '--format', 'json']);
    expect(r.status).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/\.ftindex" cannot be read: /);
    expect(r.stderr).toMatch(says);
    expect(r.stdout).toBe('');
  });

  // The binding aborts the process on a TEXT value that is not UTF-8: every value is read as bytes.
  it.each([
    ['a label', `UPDATE labels SET payload = CAST(x'7bff7d' AS TEXT)`, 'samples/phishing-eth.json', SEED],
    [
      'a meta value',
      `UPDATE meta SET value = CAST(x'22ff22' AS TEXT) WHERE key = 'format'`,
      'samples/phishing-eth.json',
      SEED,
    ],
    [
      'a ledger bucket',
      `UPDATE ledger SET entries = CAST(x'ffff' AS TEXT)`,
      'samples/phishing-eth.json',
      SEED,
    ],
    ['the pieces', `UPDATE pieces SET bytes = CAST(x'7bff' AS TEXT)`, 'samples/phishing-eth.json', SEED],
    [
      'a UTXO transaction',
      `UPDATE txs SET payload = CAST(x'7bff7d' AS TEXT)`,
      'samples/ransomware-btc.json',
      BTC_SEED,
    ],
    [
      'a UTXO spend list',
      `UPDATE spends SET list = CAST(x'5bff5d' AS TEXT)`,
      'samples/ransomware-btc.json',
      BTC_SEED,
    ],
  ])('%s that is not UTF-8: exit 3, one line, no crash', async (name, sql, sample, seed) => {
    const dataset = join(dir, `utf8-${name.replace(/ /g, '-')}.json`);
    copyFileSync(sample, dataset);
    const db = join(dir, `utf8-${name.replace(/ /g, '-')}.ftindex`);
    const built = await cli(['dataset', 'index', dataset, '--out', db]);
    expect(built.status, built.stderr).toBe(0);
    const d = new Database(db);
    d.exec(sql);
    d.close();
    const r = await cli(['trace', seed, '--source', `index:${db}`, '--format', 'json']);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/\.ftindex" (cannot be read|is not a fundtrace index|is in format)/);
    expect(r.stdout).toBe('');
  });

  it('a truncated index file: exit 3, one line', async () => {
    const { db } = await indexed('truncated');
    truncateSync(db, 5000);
    const r = await trace(db);
    expect(r.status).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/is not a fundtrace index/);
  });

  it('a file that is not an index at all: exit 3', async () => {
    const r = await trace('samples/phishing-eth.json');
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/is not a fundtrace index/);
  });

  it.each([
    ['0', 'another format version'],
    ['2', 'a DuckDB-era format recorded in a SQLite file'],
    ['3', 'a ledger row per entry'],
    ['4', 'the previous format (a row per transfer)'],
    ['6', 'a newer format'],
  ])('an index whose meta says fundtrace-index/%s (%s): exit 3, says to rebuild', async (v) => {
    const { db } = await indexed(`version-${v}`);
    const d = new Database(db);
    d.exec(`UPDATE meta SET value = '"fundtrace-index/${v}"' WHERE key = 'format'`);
    d.close();
    const r = await trace(db);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(`format "fundtrace-index/${v}", this version reads fundtrace-index/5: rebuild it`),
    );
  });

  it('a DuckDB index of an earlier fundtrace (formats /1 and /2): exit 3, says to rebuild', async () => {
    // DuckDB's file header: an 8-byte checksum, then the magic "DUCK".
    const db = join(dir, 'old.duckdb');
    writeFileSync(db, Buffer.concat([Buffer.alloc(8), Buffer.from('DUCK'), Buffer.alloc(4096)]));
    const r = await trace(db);
    expect(r.status).toBe(3);
    expect(r.stderr.trim()).toMatch(
      /^fundtrace: index ".*old\.duckdb" is a DuckDB index from an earlier fundtrace \(format fundtrace-index\/1 or \/2\), this version reads fundtrace-index\/5: rebuild it with `fundtrace dataset index`$/,
    );
  });

  it('an index cut short anywhere after its first page: exit 3, one line, nothing on stdout', async () => {
    const { db } = await indexed('half');
    const size = statSync(db).size;
    for (const at of [8192 * 2, Math.floor(size / 2), size - 1]) {
      truncateSync(db, at);
      const r = await trace(db);
      expect(r.status, `cut at ${at}`).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/is not a fundtrace index \(.*(truncated|malformed)/);
      expect(r.stdout).toBe('');
    }
  });

  it('an existing --out is not replaced without --force, and an invalid dataset writes nothing', async () => {
    const { dataset, db } = await indexed('exists');
    const again = await cli(['dataset', 'index', dataset, '--out', db]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists; give --force/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format":"fundtrace-dataset/1","chain":"ethereum","transfers":[{"tx":1}]}');
    const r = await cli(['dataset', 'index', bad, '--out', join(dir, 'bad.ftindex')]);
    expect(r.status).toBe(3);
    expect(readdirNames()).not.toContain('bad.ftindex');
  });
});

const readdirNames = () => readdirSync(dir);
