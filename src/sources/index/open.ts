// `--source index:DB`: trace from an indexed store built by `fundtrace dataset index`.
// Refused when the index is of another format version, unreadable, or stale (its dataset file
// changed since it was built); a dataset file that is gone is not an error (the index holds the
// data), and the output says which file and hash the index was built from.
import { open, stat } from 'node:fs/promises';
import type Database from 'libsql';
import { findChain } from '../../core/chains.js';
import { FundtraceError, usageError } from '../../core/errors.js';
import type { AssetInfo, Label } from '../../core/model.js';
import type { RawHeader } from '../dataset/builder.js';
import type { OpenedSource } from '../open.js';
import { fileSha256, INDEX_FORMAT } from './format.js';
import { preferSmallHeap } from './heap.js';
import { bytesOf, IndexAccountView, type IndexMeta, IndexUtxoView, Reader } from './view.js';

interface StoredSource {
  path: string;
  bytes: number;
  mtimeMs: number;
  sha256: string;
}

const shown = (s: string) => JSON.stringify(s);

export async function openIndexSource(rest: string, spec: string): Promise<OpenedSource> {
  if (rest === '') throw usageError(`--source ${shown(spec)}: give the index file, e.g. index:case.ftindex`);
  try {
    const st = await stat(rest);
    if (!st.isFile()) throw new Error('not a regular file');
  } catch (e) {
    throw new FundtraceError('BAD_INPUT', `index ${shown(rest)} cannot be read: ${(e as Error).message}`);
  }
  // Loaded here, not at start-up: the native module is only for traces that use an index.
  const { default: Database } = await import('libsql');
  const magic = await readHead(rest);
  if (magic.subarray(8, 12).toString('latin1') === 'DUCK') {
    throw new FundtraceError(
      'BAD_INPUT',
      `index ${shown(rest)} is a DuckDB index from an earlier fundtrace (format fundtrace-index/1 or /2), this version reads ${INDEX_FORMAT}: rebuild it with \`fundtrace dataset index\``,
    );
  }
  let db: Database.Database;
  try {
    db = new Database(rest, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new FundtraceError('BAD_INPUT', `index ${shown(rest)} is not a fundtrace index (${firstLine(e)})`);
  }
  try {
    const opened = await openOn(db, rest, spec);
    preferSmallHeap();
    return opened;
  } catch (e) {
    db.close(); // refused: nothing keeps the file open
    throw e;
  }
}

async function openOn(db: Database.Database, rest: string, spec: string): Promise<OpenedSource> {
  const meta = new Map<string, unknown>();
  try {
    db.pragma('query_only = ON');
    // A truncated file still opens; its page count says how long it was written.
    const pages = Number(db.pragma('page_count', { simple: true }));
    const size = Number(db.pragma('page_size', { simple: true }));
    if (pages * size > (await stat(rest)).size)
      throw new Error('the file is shorter than its pages: truncated');
    // As BLOBs: the binding aborts the process on a TEXT value that is not UTF-8.
    for (const r of db.prepare('SELECT CAST(key AS BLOB), CAST(value AS BLOB) FROM meta').raw().all() as [
      unknown,
      unknown,
    ][])
      meta.set(bytesOf(r[0]).toString('utf8'), JSON.parse(bytesOf(r[1]).toString('utf8')));
  } catch (e) {
    throw new FundtraceError('BAD_INPUT', `index ${shown(rest)} is not a fundtrace index (${firstLine(e)})`);
  }
  if (meta.get('format') !== INDEX_FORMAT) {
    throw new FundtraceError(
      'BAD_INPUT',
      `index ${shown(rest)} is in format ${shown(String(meta.get('format') ?? 'unknown'))}, this version reads ${INDEX_FORMAT}: rebuild it with \`fundtrace dataset index\``,
    );
  }
  const source = meta.get('source') as StoredSource;
  await refuseStale(rest, source);
  const chain = findChain(meta.get('chain') as string);
  if (!chain) throw new FundtraceError('BAD_INPUT', `index ${shown(rest)} names an unknown chain`);
  const assets = new Map<string, AssetInfo>(meta.get('assets') as [string, AssetInfo][]);
  const im: IndexMeta = {
    chain: chain.name,
    native: assets.get(chain.native.symbol) ?? {
      symbol: chain.native.symbol,
      decimals: chain.native.decimals,
    },
    assets,
    assetOrder: meta.get('assetOrder') as string[],
    logs: meta.get('logs') === true,
  };
  const head = meta.get('head') as IndexMeta['head'] | null;
  if (head) im.head = head;
  let view: IndexAccountView | IndexUtxoView;
  let labels: Label[];
  try {
    view =
      chain.kind === 'account'
        ? new IndexAccountView(
            new Reader(db, rest, {
              ...(meta.get('payload') === 'line' ? { lineHeader: meta.get('header') as RawHeader } : {}),
              ledgerBits: bits(meta.get('ledgerBits')),
              txBits: bits(meta.get('txBits')),
            }),
            im,
          )
        : new IndexUtxoView(db, rest, im);
    labels = (
      db.prepare('SELECT CAST(payload AS BLOB) FROM labels ORDER BY rowid').raw().all() as [unknown][]
    ).map((r) => JSON.parse(bytesOf(r[0]).toString('utf8')) as Label);
  } catch (e) {
    throw new FundtraceError('BAD_INPUT', `index ${shown(rest)} is not a fundtrace index (${firstLine(e)})`);
  }
  const description = (meta.get('description') as string | null) ?? undefined;
  return {
    spec,
    kind: 'index',
    chain: chain.name,
    view,
    fetcher: view,
    labels,
    ...(description ? { description } : {}),
    describe: () => ({ spec, kind: 'index', ...(view.head ? { asOf: view.head } : {}) }),
    reads: () => ({ lookups: view.read.lookups, records: view.read.records }),
    warnings: () => [],
  };
}

/** The dataset file changed since the index was built: the index no longer says what it does. */
async function refuseStale(index: string, source: StoredSource): Promise<void> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(source.path);
  } catch {
    return; // gone or moved: the index holds the data it was built from (its hash is recorded)
  }
  if (st.size === source.bytes && Math.trunc(st.mtimeMs) === source.mtimeMs) return;
  // Touched: only a different content makes the index stale.
  if (st.size === source.bytes && (await fileSha256(source.path, st.size)) === source.sha256) return;
  throw new FundtraceError(
    'BAD_INPUT',
    `index ${shown(index)} is stale: its dataset ${shown(source.path)} changed since the index was built (SHA-256 was ${source.sha256}); rebuild it with \`fundtrace dataset index\``,
  );
}

/** A bucket bit count from meta (see pieces.ts); anything else is not an index this version wrote. */
function bits(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 30)
    throw new Error('its bucket sizes are missing');
  return v;
}

async function readHead(path: string): Promise<Buffer> {
  const f = await open(path, 'r');
  try {
    const b = Buffer.alloc(16);
    const { bytesRead } = await f.read(b, 0, 16, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await f.close();
  }
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}
