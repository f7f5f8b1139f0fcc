// An ETL import (transfers, or UTXO transactions) written as a dataset (fundtrace-dataset/1, JSON Lines), then loaded back through
// the dataset validator: the same semantic checks as any dataset, and nothing left behind when they
// fail (written under a temporary name, renamed only once valid).

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { compareOrder, compareTransfers, compareTxs, type Dataset } from '../../core/model.js';
import { loadDataset } from '../dataset/index.js';
import type { EtlImport } from './ethereum.js';

/** Returns the record count and the dataset as loaded back (an index can be built from it directly). */
export async function writeEtlDataset(
  imp: EtlImport,
  out: string,
  sources: readonly string[],
): Promise<{ records: number; dataset: Dataset }> {
  // Same folder (so the rename is atomic) and a dataset extension (so the validator reads it).
  const tmp = join(dirname(out), `.${basename(out)}.partial-${process.pid}.jsonl`);
  const ws = createWriteStream(tmp);
  let dataset: Dataset;
  const write = async (o: unknown) => {
    if (!ws.write(`${JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`))
      await once(ws, 'drain');
  };
  try {
    const assets = Object.fromEntries(
      Object.entries(imp.assets).map(([k, a]) => [
        k,
        { decimals: a.decimals, ...(a.contract ? { contract: a.contract } : {}) },
      ]),
    );
    await write({
      format: 'fundtrace-dataset/1',
      chain: imp.chain,
      name: `ETL import of ${sources.map((s) => basename(s)).join(', ')}`,
      ...(Object.keys(assets).length > 0 ? { assets } : {}),
      ...(imp.head ? { head: imp.head } : {}),
    });
    for (const t of imp.transfers.slice().sort(compareTransfers)) await write({ type: 'transfer', ...t });
    const logs = (imp.logs ?? []).slice().sort((a, b) => compareOrder(a, a.tx, a.index, b, b.tx, b.index));
    for (const l of logs) await write({ type: 'log', ...l });
    for (const t of (imp.transactions ?? []).slice().sort(compareTxs))
      await write({ type: 'transaction', ...t });
    await new Promise<void>((res, rej) => ws.end((e?: Error | null) => (e ? rej(e) : res())));
    dataset = await loadDataset(tmp);
    await rename(tmp, out);
  } catch (e) {
    ws.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
  return { records: imp.transfers.length + (imp.transactions?.length ?? 0), dataset };
}
