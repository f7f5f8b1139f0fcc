// An ETL import written as a dataset (fundtrace-dataset/1, JSON Lines), then checked as any dataset
// is checked — and with --index built into the indexed store on that same pass. Nothing is left
// behind when a check fails: the records go to a temporary file as the import makes them, the
// header (known only at the end: assets, head) is written before them into a second temporary file
// in the output's folder, and that one is renamed only once valid.

import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FundtraceError, usageError } from '../../core/errors.js';
import type { Transfer, TxLog, UtxoTx } from '../../core/model.js';
import { loadDataset } from '../dataset/index.js';
import { loadParallelIf } from '../dataset/parallel.js';
import { buildIndex, type IndexBuildStats } from '../index/build.js';
import type { EmitRecord, EtlHeader } from './ethereum.js';

/** Lines gathered before a write: fewer writes, and strings small enough to be collected young. */
const FLUSH_BYTES = 1 << 16;

/** A JSON Lines file written a record at a time; emit() returns a promise only when it flushed. */
class RecordWriter {
  private lines: string[] = [];
  private bytes = 0;
  /** The stream's failure (a full disk): rethrown by the next flush, never an unhandled 'error'. */
  private failed: Error | undefined;
  constructor(private readonly ws: WriteStream) {
    ws.on('error', (e) => {
      this.failed ??= e;
    });
  }

  readonly emit: EmitRecord = (type, record) => {
    const line = recordLine(type, record);
    this.lines.push(line);
    this.bytes += line.length;
    return this.bytes >= FLUSH_BYTES ? this.flush() : undefined;
  };

  async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.bytes = 0;
    if (!this.ws.write(text)) await once(this.ws, 'drain');
  }

  async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((res, rej) => this.ws.end((e?: Error | null) => (e ? rej(e) : res())));
    if (this.failed) throw this.failed;
  }

  /**
   * Stop writing (the import failed) and wait until the file is closed: the caller then removes it.
   * (A stream destroyed while its file is still being opened creates the file after a removal
   * that did not wait: a refused import left an empty `.records-` file behind now and then.)
   */
  async abandon(): Promise<void> {
    if (this.ws.closed) return;
    const closed = new Promise<void>((res) => this.ws.once('close', () => res()));
    this.ws.destroy();
    await closed;
  }
}

function recordLine(type: 'transfer' | 'log' | 'transaction', record: Transfer | TxLog | UtxoTx): string {
  // A transfer's one bigint is its value; a transaction's are nested (inputs, outputs).
  if (type === 'transfer') {
    const t = record as Transfer;
    return `${JSON.stringify({ type, ...t, value: t.value.toString() })}\n`;
  }
  return `${JSON.stringify({ type, ...record }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`;
}

/**
 * Runs `produce` (the import, handing each record to emit as it is made), then writes the dataset
 * to `out` with its header first, checks it, and (with `index`) builds the indexed store from it.
 * Returns the header, the record count and the index build's figures.
 */
export async function writeEtlDataset(
  out: string,
  sources: readonly string[],
  opts: { index?: string; env?: NodeJS.ProcessEnv; progress?: (text: string) => void },
  produce: (emit: EmitRecord) => Promise<EtlHeader & { records: number }>,
): Promise<{ header: EtlHeader; records: number; index?: IndexBuildStats }> {
  // Same folder (so the rename is atomic) and a dataset extension (so the validator reads it).
  const tmp = join(dirname(out), `.${basename(out)}.partial-${process.pid}.jsonl`);
  const body = join(dirname(out), `.${basename(out)}.records-${process.pid}`);
  const records = new RecordWriter(createWriteStream(body));
  let index: IndexBuildStats | undefined;
  let made: EtlHeader & { records: number };
  try {
    made = await produce(records.emit);
    await records.end();
    const assets = Object.fromEntries(
      Object.entries(made.assets).map(([k, a]) => [
        k,
        { decimals: a.decimals, ...(a.contract ? { contract: a.contract } : {}) },
      ]),
    );
    const header = {
      format: 'fundtrace-dataset/1',
      chain: made.chain,
      name: `ETL import of ${sources.map((s) => basename(s)).join(', ')}`,
      ...(Object.keys(assets).length > 0 ? { assets } : {}),
      ...(made.head ? { head: made.head } : {}),
    };
    const progress = opts.progress ?? (() => {});
    progress('writing the dataset');
    const ws = createWriteStream(tmp);
    ws.write(`${JSON.stringify(header)}\n`);
    await pipeline(createReadStream(body), ws);
    await rm(body, { force: true });
    const env = opts.env ?? {};
    if (opts.index !== undefined) {
      // The build checks the file (in parallel where it can) and records it under its final name.
      index = await buildIndex(tmp, opts.index, undefined, env, progress, out);
    } else {
      progress('checking the dataset');
      if (!(await loadParallelIf(tmp, env))) await loadDataset(tmp); // the sequential check: it words any problem, or takes what the parallel one does not
    }
    await rename(tmp, out);
  } catch (e) {
    await records.abandon();
    await rm(body, { force: true });
    await rm(tmp, { force: true });
    if (index && opts.index !== undefined) await rm(opts.index, { force: true });
    // A file that could not be written (a full disk): one line naming it, not an internal error.
    const code = (e as NodeJS.ErrnoException)?.code;
    if (!(e instanceof FundtraceError) && typeof code === 'string')
      throw usageError(`--out ${JSON.stringify(out)}: cannot write the dataset (${code})`);
    throw e;
  }
  const { records: n, ...header } = made;
  return { header, records: n, ...(index ? { index } : {}) };
}
