// The application service every trace goes through: one typed, validated TraceQuery in (parsed
// once from flags, a case, the demo's table or a screen line), a TraceResult out. It opens the
// source, loads the labels, starts a case when asked, and runs the one pipeline
// (src/sources/pipeline.ts). Commands only parse flags into a query and pick a renderer.
import { canonicalAddress, canonicalTxid, isTronChain, isTxid, parseOutpoint } from '../core/address.js';
import { parseUnits } from '../core/amount.js';
import { type ChainRegistry, findChain } from '../core/chains.js';
import { FundtraceError, usageError } from '../core/errors.js';
import { eventRules } from '../core/events/rules.js';
import type { PriceEvidence } from '../core/fiat/book.js';
import type { HeuristicSelection } from '../core/heuristics/index.js';
import { compareLabelFields } from '../core/model.js';
import type { ResolvedQuery, TraceResult } from '../core/result.js';
import { defaultDust } from '../core/spam.js';
import type { Bound, Direction, Model, SeedKind, TraceOptions } from '../core/trace-types.js';
import type { ChainView } from '../core/view.js';
import { labelsFromApiTags } from '../labels/importers/graphsense-tags.js';
import { labelPolicy } from '../labels/policy.js';
import { version } from '../meta/version.js';
import { termSafe } from '../report/sanitize.js';
import type { CacheMode } from '../sources/http/index.js';
import { redactText, sourceSpecSecrets } from '../sources/http/redact.js';
import type { OpenedSource } from '../sources/open.js';
import { tracePipeline } from '../sources/pipeline.js';
import { conversionsApply, loadRegistry } from '../sources/registry.js';
import { continueAcrossBridges, DEFAULT_MATCH_RULE } from './bridges.js';
import { DEFAULT_LIMITS } from './defaults.js';
import { type LabelQuery, type LoadedLabelSet, loadLabels } from './labels.js';
import { openAnySource } from './sources.js';

export { DEFAULT_LIMITS };

/** Everything a trace needs to know, validated (src/cli/trace-query.ts builds it from flags). */
export interface TraceQuery {
  /** The --source spec (one per trace in this version). */
  source: string;
  /** The chain registry of the command (built-in + config chains); made active by the caller. */
  chains?: ChainRegistry;
  /** Canonical chain name from --chain, checked against the source. */
  chain?: string;
  direction: Direction;
  hops: number;
  model: Model;
  /** Symbol or token contract (account chains), `all`, or absent for the native asset. */
  asset?: string;
  since?: Bound;
  until?: Bound;
  /** In units of the traced asset (decimal string), converted per asset. */
  minValue: string;
  /** Backward dust threshold in units of the asset; the asset's default when absent. */
  dust?: string;
  maxNodes: number;
  historyLimit: number;
  heuristics: HeuristicSelection;
  cospend: boolean;
  deposits: boolean;
  /** Account chains, forward: follow swaps and wrapping decoded from event logs (--no-conversions). */
  conversions?: boolean;
  /** Contract registry files added to the bundled one (--registry, config `registry`). */
  registryFiles?: string[];
  /** Sources of other chains (`--source CHAIN=SPEC`): bridges into them are followed there. */
  bridgeSources?: { chain: string; spec: string }[];
  /** `--bridge-match` / `--follow-candidates`: heuristic matches for deposits without a join key. */
  bridgeMatch?: { follow: boolean };
  labels: LabelQuery;
  cache: { mode: CacheMode; dir?: string };
  /** Never printed, cached or written to a case. */
  apiKey?: string;
  /** The key as given with --api-key (rpc: puts it into the URL's {key}; never ETHERSCAN_API_KEY). */
  apiKeyFlag?: string;
  /** rpc: read as of this height (recorded in a case), or this many blocks below the tip. */
  asOf?: number;
  confirmations?: number;
  case?: { dir: string; force: boolean; redact: boolean };
  /**
   * `--fiat CODE` with its price files: each result is valued (src/app/fiat.ts) before a case is
   * written, so the case records the prices used.
   */
  fiat?: {
    code: string;
    prices?: string | readonly string[];
    lenient: boolean;
    /** A case's recorded prices, used when no `prices` are given (`case retrace`). */
    recorded?: PriceEvidence;
  };
}

/** A query with the defaults of `fundtrace trace` for everything not given (demo, tests). */
export function traceQuery(q: Pick<TraceQuery, 'source'> & Partial<TraceQuery>): TraceQuery {
  return {
    direction: 'forward',
    hops: DEFAULT_LIMITS.hops,
    model: 'haircut',
    minValue: '0',
    maxNodes: DEFAULT_LIMITS.maxNodes,
    historyLimit: DEFAULT_LIMITS.historyLimit,
    heuristics: { coinjoin: true, change: true, peel: true },
    cospend: true,
    deposits: true,
    labels: { files: [], labelDir: true },
    cache: { mode: 'normal' },
    ...q,
  };
}

/** A progress line the caller may show (a spinner on a terminal); never required. */
export interface Progress {
  update(text: string): void;
  succeed(text: string): void;
  stop(): void;
}

export interface TraceDeps {
  env: NodeJS.ProcessEnv;
  /** Ctrl-C: long fetches stop and keep what they have (in the cache). */
  signal?: AbortSignal;
  /** One-line notes for the person running the trace (case written, timings). */
  note?: (line: string) => void;
  progress?: (text: string) => Progress;
  /** Print phase timings through `note`. */
  verbose?: boolean;
}

export interface TraceSession {
  source: OpenedSource;
  chain: string;
  view: ChainView;
  labels: LoadedLabelSet;
  /** `--fiat` (or the config's default): value each result with these price flags. */
  fiat?: { code: string; flags: FiatSessionFlags };
  /**
   * Trace one seed; direction, hops and asset may differ from the query (screen, --asset all).
   * With `fiat` the result is valued; `fiat: false` leaves that to the caller (screen).
   */
  trace(seedInput: string, over?: TraceOver): Promise<TraceResult>;
}

/** What one trace of a session may change from the query. */
export interface TraceOver {
  direction?: Direction;
  hops?: number;
  asset?: string;
  fiat?: false;
  /** --asset all: each asset on its own ledger. */
  noConversions?: boolean;
  /** A bridge's destination leg (src/app/bridges.ts): the seed transfers, their taint, their hop. */
  entry?: Pick<TraceOptions, 'entries' | 'hopBase'>;
}

/** How each result is valued: the price flags, the source kind, and the HTTP settings for a price API. */
export interface FiatSessionFlags {
  prices?: string | readonly string[];
  lenient?: boolean;
  sourceKind?: string;
  /** Recorded prices (a replayed or re-traced case) for when no --prices are given. */
  recorded?: PriceEvidence;
  http: { env: NodeJS.ProcessEnv; cacheMode: CacheMode; cacheDir?: string; signal?: AbortSignal };
}

/** Open the source once, load labels, start a case; then trace as many seeds as needed. */
export async function openTrace(q: TraceQuery, deps: TraceDeps, firstSeed?: string): Promise<TraceSession> {
  // A seed that cannot be on --chain fails before any data is read.
  const chainInfo = q.chain !== undefined ? findChain(q.chain) : undefined;
  if (chainInfo && firstSeed !== undefined) parseSeed(firstSeed, chainInfo.name, chainInfo.kind);
  // The case modules load only when a case is written (a plain trace starts faster without them).
  const cases = q.case ? await import('../case/index.js') : undefined;
  if (q.case && cases) await cases.checkCaseTarget(q.case.dir, q.case.force);
  const httpRecorder = cases ? new cases.HttpRecorder() : undefined;
  // The key, and any credential written into the source URL: never on screen nor in a case.
  // A price API key (COINGECKO_API_KEY) is sent as a header only; it must not reach a case either.
  const priceKey = q.fiat ? deps.env.COINGECKO_API_KEY?.trim() : undefined;
  const secrets = [
    ...new Set([
      ...(q.apiKey ? [q.apiKey] : []),
      ...(priceKey ? [priceKey] : []),
      ...sourceSpecSecrets(q.source),
    ]),
  ];

  const loading = deps.progress?.(`loading ${redact(q.source, secrets)}`);
  let src: OpenedSource;
  const t0 = performance.now();
  try {
    src = await openAnySource(q.source, {
      cacheMode: q.cache.mode,
      cacheDir: q.cache.dir,
      apiKey: q.apiKey,
      ...(q.apiKeyFlag !== undefined ? { apiKeyFlag: q.apiKeyFlag } : {}),
      chain: q.chain,
      historyLimit: q.historyLimit,
      asset: q.asset,
      ...(q.asOf !== undefined ? { asOf: q.asOf } : {}),
      ...(q.confirmations !== undefined ? { confirmations: q.confirmations } : {}),
      onResponse: httpRecorder?.onResponse,
      signal: deps.signal,
      env: deps.env,
    });
    await src.prepare?.({ asset: q.asset });
  } catch (e) {
    loading?.stop();
    throw resumable(e, deps.signal);
  }
  loading?.stop();
  const chain = src.chain;
  if (q.chain !== undefined && q.chain !== chain) {
    throw usageError(`--chain ${q.chain} does not match the source, which holds ${chain} data`);
  }
  // With a case, every lookup the trace makes goes through a recording view: that is the evidence.
  const caseSession =
    q.case && cases
      ? await cases.startCase(q.case.dir, {
          source: src,
          force: q.case.force,
          redact: q.case.redact,
          env: deps.env,
          secrets,
        })
      : undefined;
  const view = caseSession?.view ?? src.view;
  const all = isAllAssets(q.asset);
  if (all && view.kind === 'utxo')
    throw usageError(`--asset all: ${chain} has only its native asset ${view.native.symbol}`);
  /** The asset to follow, and --min-value / --dust in its units (with --asset all, each asset's own). */
  const assetTerms = (input: string | undefined) => {
    const asset = resolveAsset(view, input);
    const minValue = parseUnits(q.minValue, asset.decimals);
    if (minValue === undefined) {
      throw usageError(
        `--min-value "${termSafe(q.minValue)}" is not an amount of ${asset.symbol} (at most ${asset.decimals} decimals)`,
      );
    }
    const dust = q.dust === undefined ? defaultDust(asset.decimals) : parseUnits(q.dust, asset.decimals);
    if (dust === undefined)
      throw usageError(`--dust "${termSafe(q.dust ?? '')}" is not an amount of ${asset.symbol}`);
    return { asset, minValue, dust };
  };
  const sessionTerms = all ? undefined : assetTerms(q.asset);
  // A case already carries the labels it was traced with: the local directory must not add to them.
  const labels = await loadLabels(
    src.kind === 'case' ? { ...q.labels, labelDir: false } : q.labels,
    deps.env,
    src.labels,
  );
  // GraphSense tags of the addresses a trace reaches come in as labels of this run.
  let tagGeneration = 0;
  src.attachTagSink?.((address, tags) => {
    let added = 0;
    // In the dataset's label order, so that the result does not depend on the API's tag order.
    for (const l of labelsFromApiTags(chain, address, tags).sort(compareLabelFields))
      if (labels.store.add(l)) added++;
    if (added > 0) tagGeneration++;
    return added;
  });
  // The contract registry (bundled + --registry files): how swaps, wrapping and bridges are decoded.
  const registry = conversionsApply(view, q.conversions) ? await loadRegistry(q.registryFiles) : undefined;
  const events = registry ? eventRules(registry) : undefined;
  // Destination chains of bridges: opened when a trace first needs one, then kept.
  const destinations = new Map<string, Promise<TraceSession>>();
  const destination = (c: string): Promise<TraceSession> | undefined => {
    const spec = q.bridgeSources?.find((b) => b.chain === c)?.spec;
    if (spec === undefined || c === chain) return undefined;
    let s = destinations.get(c);
    if (!s) {
      const { case: _c, asset: _a, bridgeSources: _b, ...rest } = q;
      s = openTrace({ ...rest, source: spec, chain: c }, deps);
      destinations.set(c, s);
    }
    return s;
  };
  const policy = labelPolicy(
    (a) => labels.store.get(chain, a),
    labels.categories,
    src.attachTagSink ? () => tagGeneration : undefined,
  );
  const openMs = performance.now() - t0;

  const fiat = q.fiat
    ? {
        code: q.fiat.code,
        flags: {
          ...(q.fiat.prices !== undefined ? { prices: q.fiat.prices } : {}),
          lenient: q.fiat.lenient,
          sourceKind: src.kind,
          ...(q.fiat.recorded || src.prices ? { recorded: q.fiat.recorded ?? src.prices } : {}),
          http: {
            env: deps.env,
            cacheMode: q.cache.mode,
            ...(q.cache.dir !== undefined ? { cacheDir: q.cache.dir } : {}),
            ...(deps.signal ? { signal: deps.signal } : {}),
          },
        },
      }
    : undefined;
  const trace = async (seedInput: string, over: TraceOver = {}): Promise<TraceResult> => {
    const seed = parseSeed(seedInput, chain, view.kind);
    const terms = over.asset !== undefined ? assetTerms(over.asset) : sessionTerms;
    if (!terms) throw usageError('--asset all: name one asset per trace');
    const { asset, minValue, dust } = terms;
    const query: ResolvedQuery = {
      seed: seed.value,
      seedKind: seed.kind,
      chain,
      direction: over.direction ?? q.direction,
      hops: over.hops ?? q.hops,
      model: q.model,
      asset: {
        key: asset.key,
        symbol: asset.symbol,
        decimals: asset.decimals,
        ...(asset.contract ? { contract: asset.contract } : {}),
      },
      since: q.since ?? null,
      until: q.until ?? null,
      minValue,
      maxNodes: q.maxNodes,
      historyLimit: q.historyLimit,
      sources: [src.describe().spec],
      labels: labels.files,
      ...(q.registryFiles?.length && view.kind === 'account' ? { registry: [...q.registryFiles] } : {}),
      // dust last: case replay (src/case/rerun.ts optionsFromJson) rebuilds the options in this order
      options: {
        cospend: q.cospend,
        deposits: q.deposits,
        coinjoin: q.heuristics.coinjoin,
        change: q.heuristics.change,
        peel: q.heuristics.peel,
        // Recorded only when switched off, so that results of chains without conversions read as before.
        ...((q.conversions === false || over.noConversions) && view.kind === 'account'
          ? { conversions: false }
          : {}),
        ...(q.bridgeMatch ? { bridgeMatch: true, followCandidates: q.bridgeMatch.follow } : {}),
        dust,
      },
    };
    const spin = deps.progress?.(`tracing ${seed.value}`);
    const t1 = performance.now();
    try {
      const { result, outcome, warnings } = await tracePipeline(
        {
          view,
          fetcher: src.fetcher,
          query,
          policy,
          ...(events && !over.noConversions ? { events } : {}),
          ...(over.entry ? { entry: over.entry } : {}),
          generator: { name: 'fundtrace', version: version() },
          warnings: () => [...labels.warnings, ...(src.warnings?.() ?? [])],
        },
        {
          signal: deps.signal,
          onRound: (round, m) =>
            spin?.update(
              `tracing ${seed.value}: round ${round}, fetching ${m.txs.length + m.outspends.length} tx items and ${m.addresses.length} address histories`,
            ),
        },
      );
      if (registry && events && q.bridgeSources?.length && result.query.direction === 'forward') {
        const links = await continueAcrossBridges(
          result,
          {
            registry,
            events,
            destination: async (c) => destination(c),
            maxHops: result.query.hops,
            ...(q.bridgeMatch ? { match: { rule: DEFAULT_MATCH_RULE, follow: q.bridgeMatch.follow } } : {}),
          },
          result.query.model,
        );
        if (links.length > 0) result.links = links;
      }
      // Say how much of the evidence came from the local cache, and whether the cache could be
      // written (an unwritable cache directory would make "run again to resume" a lie).
      const hs = src.http?.stats();
      if (hs && hs.cacheHits > 0)
        deps.note?.(`${hs.cacheHits} responses read from the local cache, ${hs.requests} network requests`);
      if (hs && hs.cacheWriteErrors > 0)
        deps.note?.(
          `warning: ${hs.cacheWriteErrors} responses could not be written to the cache directory (unwritable?); a re-run will fetch them again`,
        );
      if (deps.verbose) {
        deps.note?.(
          `timings: open source ${Math.round(openMs)} ms, trace ${Math.round(performance.now() - t1)} ms (${outcome.graph.order} addresses, ${outcome.graph.size} movements)`,
        );
        if (src.loaded) deps.note?.(src.loaded);
        const r = src.reads?.();
        if (r) deps.note?.(`reads: ${r.lookups} lookups in the store, ${r.records} records read`);
        const st = src.http?.stats();
        // What the README promises: a re-run within the cache window makes no request.
        if (st)
          deps.note?.(
            `requests: ${st.requests} made (${st.retries} retries), ${st.cacheHits} answered from the cache`,
          );
      }
      if (fiat && over.fiat !== false && result.parts && result.parts.length > 0)
        result.warnings.push(
          `--fiat ${fiat.code}: money values are given for the ${result.outcome.asset.symbol} the trace started in; the parts in assets or on chains it was converted or bridged into are in coin only`,
        );
      // Valued before the case is written: the case records every price a figure used.
      const valued =
        fiat && over.fiat !== false
          ? await (await import('./fiat.js')).applyFiat(result, view, fiat.code, fiat.flags)
          : undefined;
      // --asset all keeps only the assets the seed moved: no case for one it did not.
      if (caseSession && !(all && result.summary.traced === 0n)) {
        try {
          const w = await caseSession.write(
            result,
            {
              labelsOf: (a) => labels.store.get(chain, a),
              categories: labels.categories,
              warnings,
              files: labels.loaded.map((l) => ({ path: l.file, entries: l.entries })),
            },
            httpRecorder?.responses(),
            valued,
            all ? caseDirOfAsset(asset) : undefined,
          );
          deps.note?.(
            `case written to ${termSafe(w.dir)} (${w.files} files, manifest.json included${caseSession.saltFrom ? `; redacted, salt from ${termSafe(caseSession.saltFrom)}` : ''}); case hash ${w.caseHash}`,
          );
        } catch (e) {
          // A finished trace is never thrown away: the command prints it, then reports this.
          if (!(e instanceof FundtraceError)) throw e;
          caseNotWritten.set(result, e);
        }
      }
      spin?.succeed(`traced ${outcome.graph.order} addresses, ${outcome.graph.size} movements`);
      return result;
    } catch (e) {
      spin?.stop();
      throw resumable(e, deps.signal);
    }
  };
  return { source: src, chain, trace, labels, view, ...(fiat ? { fiat } : {}) };
}

/**
 * `--asset all --case DIR`: the sub-directory of one asset's case: the native symbol, or a token's
 * symbol (when it is a plain name) and its contract, so that two tokens never share one.
 */
export function caseDirOfAsset(a: { symbol: string; contract?: string }): string {
  const symbol = /^[A-Za-z0-9._-]{1,16}$/.test(a.symbol) ? a.symbol : 'token';
  return a.contract ? `${symbol}-${a.contract}` : symbol;
}

/**
 * Results whose case could not be written after the trace finished: the command still prints
 * them, then fails with the write error.
 */
export const caseNotWritten = new WeakMap<TraceResult, FundtraceError>();

/** One seed, one result: what `fundtrace trace` and `demo` run. */
export async function runTrace(seed: string, q: TraceQuery, deps: TraceDeps): Promise<TraceResult> {
  const session = await openTrace(q, deps, seed);
  return session.trace(seed);
}

export const isAllAssets = (asset: string | undefined) =>
  asset !== undefined && asset.toLowerCase() === 'all';

/**
 * `--asset all`: one trace per asset the seed moved (each asset keeps its own ledger). Assets are
 * taken from the view, native first; a remote view learns more as it fetches, so the list is read
 * again after each trace. Assets the seed did not move are skipped.
 */
export async function runTraceAllAssets(
  seed: string,
  q: TraceQuery,
  deps: TraceDeps,
): Promise<TraceResult[]> {
  return traceAllAssets(await openTrace(q, deps, seed), seed);
}

/** `--asset all` over an open session. */
export async function traceAllAssets(session: TraceSession, seed: string): Promise<TraceResult[]> {
  const view = session.view;
  if (view.kind !== 'account') throw usageError('--asset all is for account chains');
  const done = new Set<string>();
  const parts: TraceResult[] = [];
  for (;;) {
    const next = [view.native.symbol, ...[...view.assets()].sort()].find((a) => !done.has(a));
    if (next === undefined) break;
    done.add(next);
    try {
      // Each asset on its own ledger: conversions would count the same value in two assets' traces.
      const r = await session.trace(seed, { asset: next, noConversions: true });
      if (r.summary.traced > 0n) parts.push(r);
    } catch (e) {
      // This asset is simply not part of the seed.
      if (e instanceof FundtraceError && e.reason === 'seed-not-in-asset') continue;
      throw e;
    }
  }
  if (parts.length === 0)
    throw new FundtraceError('BAD_INPUT', `seed "${termSafe(seed)}" moves none of the assets in the data`);
  return parts;
}

export function parseSeed(
  input: string,
  chain: string,
  kind: 'utxo' | 'account',
): { kind: SeedKind; value: string } {
  const s = input.trim();
  const op = parseOutpoint(s);
  if (op) {
    if (kind !== 'utxo')
      throw usageError(
        `seed "${termSafe(s)}" is an outpoint (txid:vout), which only exists on UTXO chains, not ${chain}`,
      );
    return { kind: 'outpoint', value: `${op.txid}:${op.vout}` };
  }
  // Bitcoin and TRON txids are 64 hex digits, EVM ones 0x + 64: isTxid knows the chain's form.
  if (isTxid(chain, s)) return { kind: 'tx', value: canonicalTxid(chain, s) };
  if (/^0x[0-9a-fA-F]{64}$/.test(s) && isTronChain(chain))
    throw usageError(
      `seed "${termSafe(s)}" looks like an EVM transaction hash: a TRON transaction id is 64 hex digits without 0x (give ${s.slice(2)}, or --chain of an EVM chain)`,
    );
  try {
    return { kind: 'address', value: canonicalAddress(chain, s) };
  } catch (e) {
    if (e instanceof FundtraceError) throw new FundtraceError('USAGE', `seed ${e.message}`);
    throw e;
  }
}

function resolveAsset(view: ChainView, input: string | undefined) {
  if (view.kind === 'utxo') {
    if (input !== undefined && input.toUpperCase() !== view.native.symbol.toUpperCase()) {
      throw usageError(
        `--asset "${termSafe(input)}": ${view.chain} has only its native asset ${view.native.symbol}`,
      );
    }
    return { key: view.native.symbol, ...view.native };
  }
  const key = view.resolveAsset(input ?? view.native.symbol);
  if (!key) {
    throw usageError(
      `--asset "${termSafe(input ?? '')}" is not an asset in this data (known: ${view.assets().join(', ')})`,
    );
  }
  const info = view.asset(key)!;
  return { ...info, key };
}

const RESUME = 'everything fetched so far is in the cache: run the same command again to resume from there';

/** A source failure or Ctrl-C mid-trace: what was fetched is in the cache; say how to resume. */
function resumable(e: unknown, signal: AbortSignal | undefined): unknown {
  if (e instanceof FundtraceError && (e.code === 'SOURCE' || e.code === 'BAD_DATA')) {
    return new FundtraceError(e.code, e.message, [...e.details, RESUME]);
  }
  if (signal?.aborted === true)
    return new FundtraceError('SOURCE', 'interrupted before the trace finished', [RESUME]);
  return e;
}

/** A spec for the progress line, with every credential removed (as every error line is). */
const redact = (spec: string, secrets: readonly string[]) => redactText(termSafe(spec), secrets);
