// `--source index:DB`: trace from an indexed store built by `fundtrace dataset index`.
// Refused when the index is of another format version, unreadable, or stale (its dataset file
// changed since it was built); a dataset file that is gone is not an error (the index holds the
// data), and the output says which file and hash the index was built from.
import { stat } from 'node:fs/promises';
import type { DuckDBInstance } from '@duckdb/node-api';
import { findChain } from '../../core/chains.js';
import { FundtraceError, usageError } from '../../core/errors.js';
import type { AssetInfo, Label } from '../../core/model.js';
import type { OpenedSource } from '../open.js';
import { fileSha256, INDEX_FORMAT } from './format.js';
import { IndexAccountView, type IndexMeta, IndexUtxoView } from './view.js';

interface StoredSource {
  path: string;
  bytes: number;
  mtimeMs: number;
  sha256: string;
}

const shown = (s: string) => JSON.stringify(s);

export async function openIndexSource(rest: string, spec: string): Promise<OpenedSource> {
  if (rest === '') throw usageError(`--source ${shown(spec)}: give the index file, e.g. index:case.duckdb`);
  try {
    const st = await stat(rest);
    if (!st.isFile()) throw new Error('not a regular file');
  } catch (e) {
    throw new FundtraceError('BAD_INPUT', `index ${shown(rest)} cannot be read: ${(e as Error).message}`);
  }
  // Loaded here, not at start-up: the native module is only for traces that use an index.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(rest, { access_mode: 'READ_ONLY' });
  } catch (e) {
    throw new FundtraceError(
      'BAD_INPUT',
      `index ${shown(rest)} is not a fundtrace index (DuckDB cannot open it: ${firstLine(e)})`,
    );
  }
  const conn = await instance.connect();
  const meta = new Map<string, unknown>();
  try {
    const r = await conn.runAndReadAll('SELECT key, value FROM meta');
    for (const [k, v] of r.getRows()) meta.set(k as string, JSON.parse(v as string));
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
  const view = chain.kind === 'account' ? new IndexAccountView(conn, im) : new IndexUtxoView(conn, im);
  const labels: Label[] = (await conn.runAndReadAll('SELECT payload FROM labels'))
    .getRows()
    .map(([p]) => JSON.parse(p as string) as Label);
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
  if (st.size === source.bytes && (await fileSha256(source.path)) === source.sha256) return;
  throw new FundtraceError(
    'BAD_INPUT',
    `index ${shown(index)} is stale: its dataset ${shown(source.path)} changed since the index was built (SHA-256 was ${source.sha256}); rebuild it with \`fundtrace dataset index\``,
  );
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}
