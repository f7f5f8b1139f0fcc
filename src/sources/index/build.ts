// `fundtrace dataset index FILE --out DB`: load the dataset exactly as a trace would (same
// validation, same refusal of an invalid file), then write it into a new DuckDB file. The file is
// written under a temporary name and renamed when complete, so an interrupted build leaves no
// half-written index behind.
import { rename, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { findChain } from '../../core/chains.js';
import { FundtraceError } from '../../core/errors.js';
import {
  compareOrder,
  compareTransfers,
  compareTxs,
  type Dataset,
  type Transfer,
  type TxLog,
  type UtxoTx,
} from '../../core/model.js';
import { buildDatasetView, loadDataset } from '../dataset/index.js';
import { encodeRecord, fileSha256, INDEX_FORMAT } from './format.js';

export interface IndexBuildStats {
  chain: string;
  records: number;
  addresses: number;
  bytes: number;
  sha256: string;
}

export async function buildIndex(datasetPath: string, outPath: string): Promise<IndexBuildStats> {
  const source = resolve(datasetPath);
  const [dataset, sha256, st] = await Promise.all([loadDataset(source), fileSha256(source), stat(source)]);
  const chain = findChain(dataset.chain);
  if (!chain) throw new FundtraceError('BAD_INPUT', `dataset chain "${dataset.chain}" is not a known chain`);
  const tmp = `${outPath}.partial-${process.pid}`;
  await rm(tmp, { force: true });
  await rm(`${tmp}.wal`, { force: true });
  const instance = await DuckDBInstance.create(tmp);
  const conn = await instance.connect();
  let addresses = 0;
  try {
    await conn.run('CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)');
    await conn.run('CREATE TABLE labels (payload VARCHAR NOT NULL)');
    const view = buildDatasetView(dataset);
    const meta: Record<string, unknown> = {
      format: INDEX_FORMAT,
      chain: chain.name,
      source: { path: source, bytes: st.size, mtimeMs: Math.trunc(st.mtimeMs), sha256 },
      name: dataset.name ?? null,
      description: dataset.description ?? null,
      head: dataset.head ?? null,
      assets: [...dataset.assets].map(([k, v]) => [k, v]),
      assetOrder: view.kind === 'account' ? view.assets() : [],
      // Whether the dataset records event logs at all (else the index offers no txLogs, as the file).
      logs: dataset.logs !== undefined,
    };
    const m = await conn.createAppender('meta');
    for (const [k, v] of Object.entries(meta)) {
      m.appendVarchar(k);
      m.appendVarchar(JSON.stringify(v));
      m.endRow();
    }
    m.closeSync();
    const l = await conn.createAppender('labels');
    for (const label of dataset.labels) {
      l.appendVarchar(JSON.stringify(label));
      l.endRow();
    }
    l.closeSync();
    addresses = chain.kind === 'account' ? await writeAccount(conn, dataset) : await writeUtxo(conn, dataset);
    await conn.run('CHECKPOINT');
  } catch (e) {
    conn.closeSync();
    instance.closeSync();
    await rm(tmp, { force: true });
    throw e;
  }
  conn.closeSync();
  instance.closeSync();
  await rename(tmp, outPath);
  const records = chain.kind === 'account' ? dataset.transfers.length : dataset.transactions.length;
  return { chain: chain.name, records, addresses, bytes: (await stat(outPath)).size, sha256 };
}

type Conn = Awaited<ReturnType<DuckDBInstance['connect']>>;

async function writeAccount(conn: Conn, dataset: Dataset): Promise<number> {
  await conn.run(
    'CREATE TABLE transfers (seq UBIGINT NOT NULL, tx VARCHAR NOT NULL, payload VARCHAR NOT NULL)',
  );
  await conn.run('CREATE TABLE ledger (addr VARCHAR NOT NULL, asset VARCHAR NOT NULL, seq UBIGINT NOT NULL)');
  const trs: readonly Transfer[] = dataset.transfers.slice().sort(compareTransfers);
  const t = await conn.createAppender('transfers');
  const l = await conn.createAppender('ledger');
  const seen = new Set<string>();
  trs.forEach((tr, seq) => {
    t.appendUBigInt(BigInt(seq));
    t.appendVarchar(tr.tx);
    t.appendVarchar(encodeRecord(tr));
    t.endRow();
    for (const a of tr.to === null || tr.to === tr.from ? [tr.from] : [tr.from, tr.to]) {
      seen.add(a);
      l.appendVarchar(a);
      l.appendVarchar(tr.asset);
      l.appendUBigInt(BigInt(seq));
      l.endRow();
    }
  });
  t.closeSync();
  l.closeSync();
  // Logs in chain order; a tx's logs are read back by seq, i.e. in index order (as the dataset view).
  await conn.run('CREATE TABLE logs (seq UBIGINT NOT NULL, tx VARCHAR NOT NULL, payload VARCHAR NOT NULL)');
  const logs: readonly TxLog[] = (dataset.logs ?? [])
    .slice()
    .sort((a, b) => compareOrder(a, a.tx, a.index, b, b.tx, b.index));
  if (logs.length > 0) {
    const g = await conn.createAppender('logs');
    logs.forEach((log, seq) => {
      g.appendUBigInt(BigInt(seq));
      g.appendVarchar(log.tx);
      g.appendVarchar(JSON.stringify(log));
      g.endRow();
    });
    g.closeSync();
  }
  // Sorted storage keeps each ledger in few row groups, so a lookup reads little.
  await conn.run('CREATE TABLE ledger_sorted AS SELECT * FROM ledger ORDER BY addr, asset, seq');
  await conn.run('DROP TABLE ledger');
  await conn.run('ALTER TABLE ledger_sorted RENAME TO ledger');
  return seen.size;
}

async function writeUtxo(conn: Conn, dataset: Dataset): Promise<number> {
  await conn.run('CREATE TABLE txs (seq UBIGINT NOT NULL, txid VARCHAR NOT NULL, payload VARCHAR NOT NULL)');
  await conn.run('CREATE TABLE addr_txs (addr VARCHAR NOT NULL, seq UBIGINT NOT NULL)');
  await conn.run(
    'CREATE TABLE spends (txid VARCHAR NOT NULL, vout UINTEGER NOT NULL, spender VARCHAR NOT NULL, input_index UINTEGER NOT NULL)',
  );
  const txs: readonly UtxoTx[] = dataset.transactions.slice().sort(compareTxs);
  const t = await conn.createAppender('txs');
  const a = await conn.createAppender('addr_txs');
  const s = await conn.createAppender('spends');
  const firstSeq = new Map<string, number>();
  const spent = new Set<string>();
  const seen = new Set<string>();
  txs.forEach((tx, seq) => {
    if (firstSeq.has(tx.txid)) return; // the dataset view answers with the first occurrence
    firstSeq.set(tx.txid, seq);
    t.appendUBigInt(BigInt(seq));
    t.appendVarchar(tx.txid);
    t.appendVarchar(encodeRecord(tx));
    t.endRow();
    const here = new Set<string>();
    for (const x of [...tx.inputs, ...tx.outputs]) if (x.address !== null) here.add(x.address);
    for (const addr of here) {
      seen.add(addr);
      a.appendVarchar(addr);
      a.appendUBigInt(BigInt(seq));
      a.endRow();
    }
    tx.inputs.forEach((input, j) => {
      const key = `${input.txid}:${input.vout}`;
      if (spent.has(key)) return; // first spender in chain order, as the dataset view
      spent.add(key);
      s.appendVarchar(input.txid);
      s.appendUInteger(input.vout);
      s.appendVarchar(tx.txid);
      s.appendUInteger(j);
      s.endRow();
    });
  });
  t.closeSync();
  a.closeSync();
  s.closeSync();
  await conn.run('CREATE TABLE addr_sorted AS SELECT * FROM addr_txs ORDER BY addr, seq');
  await conn.run('DROP TABLE addr_txs');
  await conn.run('ALTER TABLE addr_sorted RENAME TO addr_txs');
  return seen.size;
}
