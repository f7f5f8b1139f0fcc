// `--source SPEC` → a chain view the engine can read (plus a fetcher for remote sources, which
// fill the view on demand), and what the case file should record about the source.
import { extname } from 'node:path';
import { usageError } from '../core/errors.js';
import type { PriceEvidence } from '../core/fiat/book.js';
import type { Label } from '../core/model.js';
import type { ChainView } from '../core/view.js';
import type { Fetcher } from './driver.js';
import type { CacheMode, HttpClient, HttpClientOptions } from './http/index.js';
import { redactSourceSpec, sourceSpecSecrets } from './http/redact.js';
import { checkedView } from './integrity/index.js';
import { SAMPLE_SCHEME, samplePath } from './sample.js';

export interface SourceDescription {
  /** The spec with any key removed. */
  spec: string;
  kind: 'dataset' | 'esplora' | 'etherscan' | 'trongrid' | 'graphsense' | 'rpc' | 'case' | 'index';
  /** The tip the data was read "as of", when the source knows it. */
  asOf?: { height: number; time?: string };
  capabilities?: string[];
}

export interface OpenedSource {
  spec: string;
  kind: SourceDescription['kind'];
  chain: string;
  view: ChainView;
  /** Remote sources: fetches what a trace round lacked. Absent for complete, local data. */
  fetcher?: Fetcher;
  /** Labels carried by the source itself (dataset `labels`). */
  labels: Label[];
  description?: string;
  describe(): SourceDescription;
  /** Request counters for remote sources (benchmarks, `--verbose`). */
  http?: HttpClient;
  /** What a local store read for the trace (`--verbose`, benchmarks): lookups and the records they returned. */
  reads?(): { lookups: number; records: number };
  /** How the source was loaded, when it says something (`--verbose`: a dataset read in parallel). */
  loaded?: string;
  /**
   * Sources that carry labels for the addresses a trace reaches (GraphSense tags): the app hands
   * in a sink that turns the source's tag records into labels of the run's label store and
   * answers how many were new.
   */
  attachTagSink?(sink: (address: string, tags: readonly Record<string, unknown>[]) => number): void;
  /** Called before `--asset` is resolved (e.g. to read a token's metadata). */
  prepare?(opts: { asset?: string }): Promise<void>;
  /** Notes about gaps in the source's data (pages cut by a result window …), for the result's warnings. */
  warnings?(): string[];
  /** A replayed case made with --fiat: the prices it recorded (used when no --prices is given). */
  prices?: PriceEvidence;
  /** A dataset's file when the spec is not its path (`sample:NAME`): the case hashes it. */
  file?: string;
}

/** What remote sources need from the command line and environment. */
export interface SourceContext {
  cacheMode: CacheMode;
  cacheDir?: string;
  /** `--api-key`, or ETHERSCAN_API_KEY (TRONGRID_API_KEY for trongrid:, GRAPHSENSE_API_KEY for graphsense:): never printed, cached or written to a case. */
  apiKey?: string;
  /** `--api-key` only (not the Etherscan variable): what `rpc:` puts in place of `{key}` in its URL. */
  apiKeyFlag?: string;
  /** `--chain` when given: remote sources need it to pick the network. */
  chain?: string;
  /** `--history-limit`: remote sources stop paging an address's history beyond it. */
  historyLimit?: number;
  /** `--asset` input: a remote source reads an unknown token contract's metadata before the trace. */
  asset?: string;
  /** `--as-of HEIGHT`: remote sources read as of this block instead of the tip. */
  asOf?: number;
  /** `--confirmations N`: remote sources read as of N blocks below the tip (final data only). */
  confirmations?: number;
  /** `--case`: receives every response body the trace used, as evidence. */
  onResponse?: HttpClientOptions['onResponse'];
  signal?: AbortSignal;
  env: NodeJS.ProcessEnv;
}

export { SOURCE_CHOICES } from './choices.js';

import { SOURCE_CHOICES } from './choices.js';

/** The shared HTTP client for this run; `secrets` adds values to redact (e.g. a key inside the URL). */
export type HttpFactory = (extra?: { secrets?: readonly string[] }) => HttpClient;

export type Opener = (
  rest: string,
  spec: string,
  ctx: SourceContext,
  http: HttpFactory,
) => Promise<OpenedSource>;
/** scheme → opener: built in one place above the sources (src/app/sources.ts) and passed in. */
export type SourceOpeners = ReadonlyMap<string, Opener>;

export async function openSource(
  spec: string,
  ctx: SourceContext,
  openers: SourceOpeners,
): Promise<OpenedSource> {
  // A shipped sample: a dataset found by name, recorded under its name (the same on every install).
  if (spec.startsWith(SAMPLE_SCHEME)) return openDataset(spec, samplePath(spec), ctx.env);
  const m = /^([a-z]+):(.*)$/s.exec(spec);
  if (m && !/^[a-zA-Z]:[\\/]/.test(spec)) {
    const [, scheme, rest] = m as unknown as [string, string, string];
    const open = openers.get(scheme);
    if (!open) {
      const known = ['esplora', 'etherscan', 'trongrid', 'graphsense', 'rpc', 'case', 'index'].includes(
        scheme,
      );
      throw usageError(
        known
          ? `--source ${JSON.stringify(spec)}: the ${scheme}: source is not available in this version`
          : `--source ${JSON.stringify(spec)}: unknown source kind "${scheme}:"`,
        SOURCE_CHOICES,
      );
    }
    // Credentials in the source URL under any name (every query value, key-like path segments)
    // are scrubbed from every message, cache key and evidence URL, and never shown.
    const specSecrets = sourceSpecSecrets(spec);
    // Local stores never ask for a client: the HTTP layer and its cache are not even loaded for them.
    const base = LOCAL_SCHEMES.has(scheme)
      ? noHttp(scheme)
      : (await import('./shared-http.js')).sharedHttp(ctx);
    const http: HttpFactory = (extra = {}) => base({ secrets: [...(extra.secrets ?? []), ...specSecrets] });
    const src = await open(rest, spec, ctx, http);
    const describe = src.describe.bind(src);
    const shown = redactSourceSpec(src.spec);
    src.spec = shown;
    src.describe = () => {
      const d = describe();
      return { ...d, spec: redactSourceSpec(d.spec) };
    };
    // Every remote answer is cross-checked (src/sources/integrity): contradictions are BAD_DATA.
    src.view = checkedView(src.view, shown);
    return src;
  }
  const ext = extname(spec).toLowerCase();
  if (!['.json', '.jsonl', '.ndjson'].includes(ext)) {
    throw usageError(
      `--source ${JSON.stringify(spec)}: a dataset file must end in .json, .jsonl or .ndjson`,
      SOURCE_CHOICES,
    );
  }
  return openDataset(spec, spec, ctx.env);
}

/** Schemes whose openers read local files only (src/app/sources.ts: an index, a case's evidence). */
const LOCAL_SCHEMES: ReadonlySet<string> = new Set(['index', 'case']);

function noHttp(scheme: string): HttpFactory {
  return () => {
    throw new Error(`internal: the ${scheme}: source asked for an HTTP client`);
  };
}

async function openDataset(spec: string, file: string, env: NodeJS.ProcessEnv): Promise<OpenedSource> {
  // Loaded here, not at the top: a trace from an index or a remote source never parses a dataset.
  const { loadParallelIf } = await import('./dataset/parallel.js');
  // A big JSON Lines account dataset: checked on worker threads, records read when visited.
  const fast = await loadParallelIf(file, env);
  if (fast) {
    const { view, head, notes } = fast;
    return {
      spec,
      kind: 'dataset',
      chain: fast.chain,
      view,
      fetcher: view,
      labels: fast.labels,
      description: fast.description,
      describe: () => ({ spec, kind: 'dataset', ...(head ? { asOf: head } : {}) }),
      reads: () => ({ lookups: view.read.lookups, records: view.read.records }),
      loaded: `dataset checked on ${fast.workers} worker thread${fast.workers === 1 ? '' : 's'}${fast.early ? ' (started with the command)' : ''}: ${fast.records} transfers, each read from the file when the trace visits it`,
      warnings: () => notes,
      ...(file !== spec ? { file } : {}),
    };
  }
  const { buildDatasetView, loadDataset } = await import('./dataset/index.js');
  const dataset = await loadDataset(file);
  return {
    spec,
    kind: 'dataset',
    chain: dataset.chain,
    view: buildDatasetView(dataset),
    labels: dataset.labels,
    description: dataset.description,
    describe: () => ({ spec, kind: 'dataset', ...(dataset.head ? { asOf: dataset.head } : {}) }),
    warnings: () => dataset.notes ?? [],
    ...(file !== spec ? { file } : {}),
  };
}
