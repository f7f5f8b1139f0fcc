// How the indexed store reads: every lookup is a B-tree search on the key (so its cost does not grow
// with the dataset), many keys in one round are answered exactly as the dataset file answers them,
// and keys that cannot be in the index (a quote, a control character, non-ASCII) read nothing
// rather than break anything.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAccountSynthetic, writeUtxoSynthetic } from '../../scripts/synthetic.js';
import type { AccountView, UtxoView } from '../../src/core/view.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { buildIndex } from '../../src/sources/index/build.js';
import { openIndexSource } from '../../src/sources/index/open.js';
import { bucketOf, txTextKey } from '../../src/sources/index/pieces.js';
import { type IndexAccountView, type IndexUtxoView, SQL } from '../../src/sources/index/view.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-index-lookup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

/** SQLite's plan for each read the view makes, one line per step. */
function plans(db: string, names: (keyof typeof SQL)[]): Record<string, string[]> {
  const d = new Database(db, { readonly: true });
  const out: Record<string, string[]> = {};
  for (const name of names) {
    const sql = SQL[name];
    out[name] = (d.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('k') as { detail: string }[]).map(
      (r) => r.detail,
    );
  }
  d.close();
  return out;
}

/**
 * B-tree searches only; the one scan allowed is of the list just read (json_each over a ledger's own
 * seq list, or over the keys and locs a lookup asks for), each element then searched; and the one
 * sort, of the records a query returns (at most RECORDS_AT_ONCE) into the order they were asked in.
 */
const searchesOnly = (steps: string[]) => {
  expect(steps.length).toBeGreaterThan(0);
  for (const step of steps) {
    if (step.startsWith('SCAN j VIRTUAL TABLE') || step === 'CORRELATED SCALAR SUBQUERY 1') continue;
    if (step === 'USE TEMP B-TREE FOR group_concat(ORDER BY)') continue;
    expect(step).toMatch(/^SEARCH /);
    expect(step).not.toMatch(/TEMP B-TREE/);
  }
};

const odd = ["0x'); DROP TABLE ledger; --", 'bad\u0000key', 'naïve', '\u001b[31mred', ''];

describe('index:DB lookups (account)', () => {
  const file = join(dir, 'account.jsonl');
  const db = join(dir, 'account.ftindex');
  let addresses: string[] = [];
  let txs: string[] = [];

  beforeAll(async () => {
    await writeAccountSynthetic(file, { transfers: 12_000, addresses: 3_000, seed: 5 });
    await buildIndex(file, db);
    const ds = await loadDataset(file);
    addresses = [...new Set(ds.transfers.flatMap((t) => [t.from, ...(t.to ? [t.to] : [])]))].sort();
    txs = ds.transfers.slice(0, 2_500).map((t) => t.tx);
  }, 60_000);

  it('every read of an account index is a B-tree search (no scan, no sort)', () => {
    const p = plans(db, ['ledger', 'tx', 'records', 'logs', 'emitted']);
    for (const steps of Object.values(p)) searchesOnly(steps);
    expect(p.ledger).toEqual([
      'SCAN j VIRTUAL TABLE INDEX 1:',
      'SEARCH l USING INTEGER PRIMARY KEY (rowid=?)',
    ]);
    expect(p.tx).toEqual(['SEARCH txs USING INTEGER PRIMARY KEY (rowid=?)']);
    // Each loc: its piece found by one search (the greatest start at or below it), then read.
    expect(p.records).toEqual([
      'USE TEMP B-TREE FOR group_concat(ORDER BY)',
      'SCAN j VIRTUAL TABLE INDEX 1:',
      'SEARCH p USING INTEGER PRIMARY KEY (rowid=?)',
      'CORRELATED SCALAR SUBQUERY 1',
      'SEARCH pieces USING INTEGER PRIMARY KEY (rowid<?)',
    ]);
  });

  it('thousands of addresses in one round: every ledger as the dataset file has it', async () => {
    expect(addresses.length).toBeGreaterThan(2_000);
    const fromFile = buildDatasetView(await loadDataset(file)) as AccountView;
    const src = await openIndexSource(db, `index:${db}`);
    const view = src.view as IndexAccountView;
    const asked = [...addresses, ...odd];
    await view.fetchMissing({ addresses: asked, txs: [...txs, ...odd], outspends: [] });
    for (const a of addresses)
      for (const asset of ['ETH', 'USDT'])
        expect(json(view.ledger(a, asset))).toBe(json(fromFile.ledger(a, asset)));
    for (const t of txs) expect(json(view.txTransfers(t))).toBe(json(fromFile.txTransfers(t)));
    // What --verbose reports: one lookup per key asked, and exactly the records those keys hold.
    const ledgerRows = addresses.reduce(
      (n, a) =>
        n +
        ['ETH', 'USDT'].reduce((m, asset) => {
          const l = fromFile.ledger(a, asset);
          return m + (l.status === 'ok' ? l.value.length : 0);
        }, 0),
      0,
    );
    const txRows = txs.reduce((n, t) => {
      const l = fromFile.txTransfers(t);
      return n + (l.status === 'ok' ? (l.value?.length ?? 0) : 0);
    }, 0);
    expect(src.reads!().records).toBe(ledgerRows + txRows);
    expect(src.reads!().lookups).toBeGreaterThanOrEqual(asked.length + txs.length);
    // Keys that cannot be stored read nothing: empty ledgers and unknown transactions, as the file.
    for (const k of odd) {
      expect(view.ledger(k, 'ETH')).toEqual({ status: 'ok', value: [] });
      expect(view.txTransfers(k)).toEqual({ status: 'ok', value: undefined });
      expect(fromFile.txTransfers(k)).toEqual({ status: 'ok', value: undefined });
    }
  });

  it('another transaction stored under the same tx key (a hash collision): a lookup keeps only its own records', async () => {
    const copy = join(dir, 'account-collision.ftindex');
    copyFileSync(db, copy);
    const [a, c] = [txs[0]!, txs.find((t) => t !== txs[0])!];
    const d = new Database(copy);
    // c's entries copied into a's bucket under a's key: a lookup of a finds c's records too.
    const bits = JSON.parse(
      d.prepare(`SELECT value FROM meta WHERE key = 'txBits'`).pluck().all()[0] as string,
    );
    const [ka, kc] = [txTextKey(a)!, txTextKey(c)!];
    const bucket = (k: number) =>
      (
        d.prepare('SELECT entries FROM txs WHERE bucket = ?').raw().all(bucketOf(k, bits)) as [Buffer][]
      )[0]![0];
    const fromC = bucket(kc);
    const moved: Buffer[] = [];
    for (let p = 0; p < fromC.length; p += 16) {
      if (fromC.readDoubleLE(p) !== kc) continue;
      const e = Buffer.alloc(16);
      e.writeDoubleLE(ka, 0);
      e.writeDoubleLE(fromC.readDoubleLE(p + 8), 8);
      moved.push(e);
    }
    expect(moved.length).toBeGreaterThan(0);
    d.prepare('UPDATE txs SET entries = ? WHERE bucket = ?').run(
      Buffer.concat([bucket(ka), ...moved]),
      bucketOf(ka, bits),
    );
    d.close();
    const fromFile = buildDatasetView(await loadDataset(file)) as AccountView;
    const src = await openIndexSource(copy, `index:${copy}`);
    const view = src.view as IndexAccountView;
    await view.fetchMissing({ addresses: [], txs: [a], outspends: [] });
    expect(json(view.txTransfers(a))).toBe(json(fromFile.txTransfers(a)));
    // c's rows were read too (--verbose counts them), and dropped.
    const rows = (t: string) => {
      const l = fromFile.txTransfers(t);
      return l.status === 'ok' ? (l.value?.length ?? 0) : 0;
    };
    expect(rows(c)).toBeGreaterThan(0);
    expect(src.reads!().records).toBe(rows(a) + rows(c));
  });
});

describe('index:DB lookups (UTXO)', () => {
  const file = join(dir, 'utxo.jsonl');
  const db = join(dir, 'utxo.ftindex');

  beforeAll(async () => {
    await writeUtxoSynthetic(file, { txs: 3_000, addresses: 2_500, seed: 5 });
    await buildIndex(file, db);
  }, 60_000);

  it('every read of a UTXO index is a B-tree search (no scan, no sort)', () => {
    const p = plans(db, ['utxoTx', 'addressTxs', 'spends']);
    for (const steps of Object.values(p)) searchesOnly(steps);
    expect(p.addressTxs).toEqual([
      'SEARCH a USING PRIMARY KEY (addr=?)',
      'SCAN j VIRTUAL TABLE INDEX 1:',
      'SEARCH t USING INTEGER PRIMARY KEY (rowid=?)',
    ]);
  });

  it('transactions, spenders and address histories as the dataset file has them', async () => {
    const ds = await loadDataset(file);
    const fromFile = buildDatasetView(ds) as UtxoView;
    const view = (await openIndexSource(db, `index:${db}`)).view as IndexUtxoView;
    const txids = ds.transactions.map((t) => t.txid);
    const addrs = [
      ...new Set(ds.transactions.flatMap((t) => t.outputs.map((o) => o.address).filter((a) => a !== null))),
    ] as string[];
    await view.fetchMissing({
      addresses: [...addrs, ...odd],
      txs: [...txids, ...odd],
      outspends: txids.slice(0, 50).map((t) => `${t}:0`),
    });
    for (const t of txids) {
      expect(json(view.tx(t))).toBe(json(fromFile.tx(t)));
      expect(json(view.spender(t, 0))).toBe(json(fromFile.spender(t, 0)));
    }
    for (const a of addrs) expect(json(view.addressTxs(a))).toBe(json(fromFile.addressTxs(a)));
    for (const k of odd) expect(view.tx(k)).toEqual({ status: 'ok', value: undefined });
  });
});
