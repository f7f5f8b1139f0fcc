// `fundtrace trace SEED`: parse and validate flags, open the source, run the engine, render.
import { Chalk, type ChalkInstance } from 'chalk';
import { type Command, Option } from 'commander';
import ora from 'ora';
import { checkCaseTarget, HttpRecorder, startCase } from '../case/index.js';
import { canonicalAddress, canonicalTxid, parseOutpoint } from '../core/address.js';
import { parseUnits } from '../core/amount.js';
import { findChain, knownChains } from '../core/chains.js';
import { FundtraceError, usageError } from '../core/errors.js';
import { parseHeuristics, postTrace, selectionFromOptions } from '../core/heuristics/index.js';
import { buildResult, engineOptions, type ResolvedQuery, type TraceResult } from '../core/result.js';
import { defaultDust } from '../core/spam.js';
import type { Direction, Model, SeedKind } from '../core/trace-types.js';
import type { ChainView } from '../core/view.js';
import { CSV_TABLES, type CsvTable, renderCsv } from '../report/csv.js';
import { renderJson } from '../report/json.js';
import { renderMultiCsv, renderMultiJson, renderMultiNdjson, renderMultiTable } from '../report/multi.js';
import { renderNdjson } from '../report/ndjson.js';
import { termSafe } from '../report/sanitize.js';
import { renderTable } from '../report/table.js';
import '../sources/all.js';
import { traceWithFetcher } from '../sources/driver.js';
import { sourceSpecSecrets } from '../sources/http/redact.js';
import { type OpenedSource, openSource, SOURCE_CHOICES } from '../sources/open.js';
import { loadConfig } from './config.js';
import { cleanLine } from './exit.js';
import { boundFlag, collect, enumFlag, intFlag } from './flags.js';
import { type Io, version } from './io.js';
import { checkOutTarget, writeOutput } from './output.js';
import { type LoadedLabelSet, labelPolicy, loadLabels } from './policy.js';
import type { CliContext } from './program.js';

export const DEFAULTS = { hops: 3, maxNodes: 10_000, historyLimit: 10_000 } as const;
const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
type Format = (typeof FORMATS)[number];

export interface TraceFlags {
  source?: string[];
  chain?: string;
  direction: string;
  hops: string;
  model: string;
  asset?: string;
  since?: string;
  until?: string;
  minValue: string;
  maxNodes: string;
  historyLimit: string;
  labels?: string[];
  format?: string;
  table: string;
  out?: string;
  strict?: boolean;
  color?: boolean;
  offline?: boolean;
  cache?: boolean;
  cacheDir?: string;
  apiKey?: string;
  cospend?: boolean;
  heuristics?: string | boolean;
  deposits?: boolean;
  dust?: string;
  labelFormat?: string;
  lenient?: boolean;
  labelDir?: boolean;
  flagged?: string;
  services?: string;
  config?: string;
  case?: string;
  force?: boolean;
  redact?: boolean;
}

export function registerTraceCommand(program: Command, ctx: CliContext): void {
  program
    .command('trace')
    .summary('trace funds from a seed address, outpoint or transaction')
    .description(
      'Follow funds from SEED (an address, a Bitcoin outpoint txid:vout, or a transaction id) hop by hop, ' +
        'dividing mixed balances by the taint model, and report where the traced value ended.',
    )
    .argument('<seed>', 'address, txid:vout outpoint, or transaction id/hash')
    .option(
      '--source <spec>',
      'where chain data comes from: a dataset .json/.jsonl/.ndjson, esplora:URL, etherscan:URL, rpc:URL or case:DIR',
      collect,
    )
    .option('--chain <name>', `chain name or id (${knownChains().join(', ')}); default: from the source`)
    .addOption(
      new Option('--direction <dir>', 'forward: where funds went; backward: where they came from').default(
        'forward',
      ),
    )
    .option('--hops <n>', 'maximum hops from the seed', String(DEFAULTS.hops))
    .addOption(new Option('--model <model>', 'taint model: haircut, poison or fifo').default('haircut'))
    .option(
      '--asset <asset>',
      "account chains: symbol or token contract to follow, or all (default: the chain's native asset)",
    )
    .option('--since <when>', 'ignore activity before this ISO date-time or block height')
    .option('--until <when>', 'ignore activity after this ISO date-time or block height')
    .option('--min-value <amount>', 'do not follow flows below this amount, in asset units (e.g. 0.01)', '0')
    .option(
      '--max-nodes <n>',
      'stop expanding once the graph holds this many addresses',
      String(DEFAULTS.maxNodes),
    )
    .option(
      '--history-limit <n>',
      'do not expand addresses with more transfers than this',
      String(DEFAULTS.historyLimit),
    )
    .option(
      '--labels <file>',
      'label file (repeatable): fundtrace JSON/JSONL/CSV, GraphSense TagPack, OFAC SDN, Etherscan, scam lists',
      collect,
    )
    .option('--label-format <name>', 'format of the --labels files when detection is not enough')
    .option('--lenient', 'label files: load the good entries and warn about bad ones')
    .option('--no-label-dir', 'do not load the local label directory (fundtrace labels import)')
    .option('--flagged <list>', 'comma-separated categories that count as flagged (replaces the default set)')
    .option(
      '--services <list>',
      'comma-separated categories that act as service exits (replaces the default set)',
    )
    .option(
      '--config <file>',
      'config file: flagged/services sets, extra chains (default: ~/.config/fundtrace/config.json)',
    )
    .option('--format <format>', 'table, json, ndjson or csv (default: table on a terminal, json when piped)')
    .option('--table <table>', `with --format csv: ${CSV_TABLES.join(', ')}`, 'edges')
    .option('--out <file>', 'write the result to a file instead of standard output')
    .option('--strict', 'exit 5 when any limit cut the trace short')
    .option(
      '--case <dir>',
      'also write a case directory: parameters, evidence, results, hashes (see `fundtrace case`)',
    )
    .option('--force', 'with --case: replace an existing case')
    .option(
      '--redact',
      'with --case: pseudonymise addresses (except labelled services) and tx ids; salt from FUNDTRACE_REDACT_SALT or DIR.salt',
    )
    .option('--no-cospend', 'Bitcoin: do not cluster addresses spent together (common-input heuristic)')
    .option(
      '--heuristics <list>',
      'Bitcoin heuristics, comma-separated: coinjoin (stop at CoinJoins), change (mark change outputs), peel (report peel chains); all or none',
      'all',
    )
    .option('--no-heuristics', 'Bitcoin: apply no CoinJoin, change or peel-chain heuristic')
    .option(
      '--no-deposits',
      'account chains: do not recognise unlabelled exchange deposit addresses by their sweeps',
    )
    .option(
      '--dust <amount>',
      'backward: do not follow credits below this amount (default: 0.0001 of the asset)',
    )
    .option('--offline', 'remote sources: use only the local cache (missing data is an error)')
    .option('--no-cache', 'remote sources: neither read nor write the local cache')
    .option(
      '--cache-dir <dir>',
      'remote sources: cache directory (default: FUNDTRACE_CACHE_DIR or ~/.cache/fundtrace)',
    )
    .option(
      '--api-key <key>',
      'etherscan: API key (default: ETHERSCAN_API_KEY); rpc: replaces {key} in the URL; never printed or stored',
    )
    .addHelpText(
      'after',
      `
Examples:
  fundtrace trace 6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0 \\
    --source samples/ransomware-btc.json --hops 10
  fundtrace trace 0xad42f9f4bf2f169806b5ddeea99b4c51be2bbe559a94bbf56827e3c723fcb084 \\
    --source samples/phishing-eth.json --asset USDT --model fifo --format csv --table exits > exits.csv
  fundtrace trace bc1q… --source esplora:https://blockstream.info/api --direction backward --hops 5
  fundtrace trace 0x… --source etherscan:https://api.etherscan.io/v2/api --chain ethereum --asset USDT
  fundtrace trace 0x… --source rpc:http://127.0.0.1:8545 --case my-case --format json > trace.json

Limits (defaults): --hops ${DEFAULTS.hops}, --max-nodes ${DEFAULTS.maxNodes}, --history-limit ${DEFAULTS.historyLimit}.
Every limit that cuts a path is reported in summary.cut and in the warnings.`,
    )
    .action(async (seed: string, flags: TraceFlags, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { color?: boolean };
      const all = flags.asset?.toLowerCase() === 'all';
      await checkOutTarget(flags.out);
      const parts = all
        ? await traceAllAssets(seed, flags, ctx.io, ctx.verbose)
        : [await traceCommand(seed, flags, ctx.io, ctx.verbose)];
      const format = flags.format
        ? enumFlag('--format', flags.format, FORMATS)
        : ctx.io.stdoutIsTTY && !flags.out
          ? 'table'
          : 'json';
      const table = enumFlag('--table', flags.table, CSV_TABLES);
      const c = makeChalk(ctx.io, globals.color !== false && !flags.out);
      const text = all ? renderAll(parts, format, table, c) : render(parts[0]!, format, table, c);
      await writeOutput(ctx.io, text, flags.out);
      const cut = parts.flatMap((r) => Object.keys(r.summary.cutByReason));
      if (flags.strict && cut.length > 0) {
        ctx.io.err(
          `fundtrace: --strict: the trace was cut short (${[...new Set(cut)].sort().join(', ')}); result printed, exit 5\n`,
        );
        ctx.status = 5;
      }
    });
}

export function makeChalk(io: Io, colorFlag: boolean): ChalkInstance {
  const env = io.env;
  let level: 0 | 1 | 2 | 3 = io.stdoutIsTTY ? 2 : 0;
  if (env.FORCE_COLOR !== undefined) level = env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false' ? 0 : 1;
  if (!colorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) level = 0;
  return new Chalk({ level });
}

function render(r: TraceResult, format: Format, table: CsvTable, c: ChalkInstance): string {
  if (format === 'json') return renderJson(r);
  if (format === 'ndjson') return renderNdjson(r);
  if (format === 'csv') return renderCsv(r, table);
  return renderTable(r, c);
}

function renderAll(parts: TraceResult[], format: Format, table: CsvTable, c: ChalkInstance): string {
  if (format === 'json') return renderMultiJson(parts);
  if (format === 'ndjson') return renderMultiNdjson(parts);
  if (format === 'csv') return renderMultiCsv(parts, table);
  return renderMultiTable(parts, c);
}

/**
 * `--asset all`: one trace per asset the seed moved (each asset keeps its own ledger). Assets are
 * taken from the view, native first; a remote view learns more as it fetches, so the list is read
 * again after each trace. Assets the seed did not move are skipped.
 */
export async function traceAllAssets(
  seed: string,
  flags: TraceFlags,
  io: Io,
  verbose = false,
): Promise<TraceResult[]> {
  const session = await openTraceSession(flags, io, verbose, seed);
  const view = session.view;
  if (view.kind !== 'account') throw usageError('--asset all is for account chains');
  const done = new Set<string>();
  const parts: TraceResult[] = [];
  for (;;) {
    const next = [view.native.symbol, ...[...view.assets()].sort()].find((a) => !done.has(a));
    if (next === undefined) break;
    done.add(next);
    try {
      const r = await session.trace(seed, { asset: next });
      if (r.summary.traced > 0n) parts.push(r);
    } catch (e) {
      // "moves no X" / "no X history": this asset is simply not part of the seed.
      if (e instanceof FundtraceError && e.code === 'BAD_INPUT' && /moves no|no .* history/.test(e.message))
        continue;
      throw e;
    }
  }
  if (parts.length === 0)
    throw new FundtraceError('BAD_INPUT', `seed "${termSafe(seed)}" moves none of the assets in the data`);
  return parts;
}

/** Parse flags, open the source, run the trace. Shared by `trace` and `demo`. */
export async function traceCommand(
  seedInput: string,
  flags: TraceFlags,
  io: Io,
  verbose = false,
): Promise<TraceResult> {
  const session = await openTraceSession(flags, io, verbose, seedInput);
  return session.trace(seedInput);
}

export interface TraceSession {
  source: OpenedSource;
  chain: string;
  /** Trace one seed; `direction` and `hops` may differ from the flags (used by `screen`). */
  trace(
    seedInput: string,
    over?: { direction?: Direction; hops?: number; asset?: string },
  ): Promise<TraceResult>;
  /** The source's view (what `--asset all` asks for the seed's assets). */
  view: ChainView;
  labels: LoadedLabelSet;
}

/**
 * Validate every flag, open the source once and load labels; then trace as many seeds as needed.
 * `firstSeed`, when given, is checked against `--chain` before any data is read, so a typo fails fast.
 */
export async function openTraceSession(
  flags: TraceFlags,
  io: Io,
  verbose = false,
  firstSeed?: string,
): Promise<TraceSession> {
  const direction = enumFlag<Direction>('--direction', flags.direction, ['forward', 'backward']);
  const model = enumFlag<Model>('--model', flags.model, ['haircut', 'poison', 'fifo']);
  const hops = intFlag('--hops', flags.hops, 0, 1000);
  const maxNodes = intFlag('--max-nodes', flags.maxNodes, 1);
  const historyLimit = intFlag('--history-limit', flags.historyLimit, 1);
  const heuristics = parseHeuristics(flags.heuristics);
  const since = flags.since !== undefined ? boundFlag('--since', flags.since) : undefined;
  const until = flags.until !== undefined ? boundFlag('--until', flags.until) : undefined;
  if (since && until && since.kind === until.kind) {
    const at = (b: typeof since) => (b.kind === 'height' ? b.height : Date.parse(b.time));
    if (at(since) > at(until))
      throw usageError(
        `--since ${flags.since} is later than --until ${flags.until}: nothing could be traced`,
      );
  }
  if (flags.format !== undefined) enumFlag('--format', flags.format, FORMATS);
  enumFlag('--table', flags.table, CSV_TABLES);
  const config = await loadConfig(flags.config, io.env);
  const chainFlag = flags.chain !== undefined ? findChain(flags.chain) : undefined;
  if (flags.chain !== undefined && !chainFlag) {
    throw usageError(
      `--chain "${termSafe(flags.chain)}" is not a known chain (known: ${knownChains().join(', ')})`,
    );
  }
  const sources = flags.source ?? [];
  if (sources.length === 0) throw usageError('no --source given; choose one of:', SOURCE_CHOICES);
  if (sources.length > 1) throw usageError('this version traces from one --source at a time', SOURCE_CHOICES);
  if (flags.offline && flags.cache === false) throw usageError('--offline and --no-cache exclude each other');
  if (chainFlag && firstSeed !== undefined) parseSeed(firstSeed, chainFlag.name, chainFlag.kind);
  if (flags.redact && !flags.case) throw usageError('--redact needs --case DIR');
  if (flags.force && !flags.case) throw usageError('--force needs --case DIR');
  if (flags.case) await checkCaseTarget(flags.case, flags.force);
  const httpRecorder = flags.case ? new HttpRecorder() : undefined;
  const apiKey = flags.apiKey ?? io.env.ETHERSCAN_API_KEY;
  // The key, and any credential written into the source URL: never on screen nor in a case.
  const secrets = [...new Set([...(apiKey ? [apiKey] : []), ...sourceSpecSecrets(sources[0]!)])];

  const spinner = io.stderrIsTTY
    ? ora({ text: `loading ${cleanLine(sources[0]!, secrets)}`, stream: process.stderr }).start()
    : null;
  let src: OpenedSource;
  const t0 = performance.now();
  try {
    src = await openSource(sources[0]!, {
      cacheMode: flags.offline ? 'offline' : flags.cache === false ? 'noCache' : 'normal',
      cacheDir: flags.cacheDir,
      apiKey,
      apiKeyFlag: flags.apiKey,
      chain: chainFlag?.name,
      historyLimit,
      asset: flags.asset,
      onResponse: httpRecorder?.onResponse,
      signal: io.signal,
      env: io.env,
    });
    await src.prepare?.({ asset: flags.asset });
  } catch (e) {
    spinner?.stop();
    throw resumable(e, io);
  }
  spinner?.stop();
  const chain = src.chain;
  if (chainFlag && chainFlag.name !== chain) {
    throw usageError(`--chain ${chainFlag.name} does not match the source, which holds ${chain} data`);
  }
  // With --case, every lookup the trace makes goes through a recording view: that is the evidence.
  const caseSession = flags.case
    ? await startCase(flags.case, {
        source: src,
        force: flags.force,
        redact: flags.redact,
        env: io.env,
        secrets,
      })
    : undefined;
  const view = caseSession?.view ?? src.view;
  const all = flags.asset !== undefined && flags.asset.toLowerCase() === 'all';
  if (all && view.kind === 'utxo')
    throw usageError(`--asset all: ${chain} has only its native asset ${view.native.symbol}`);
  if (all && flags.case)
    throw usageError('--asset all cannot be combined with --case yet: write one case per asset');
  /** The asset to follow, and --min-value / --dust in its units (with --asset all, each asset's own). */
  const assetTerms = (input: string | undefined) => {
    const asset = resolveAsset(view, input);
    const minValue = parseUnits(flags.minValue, asset.decimals);
    if (minValue === undefined) {
      throw usageError(
        `--min-value "${termSafe(flags.minValue)}" is not an amount of ${asset.symbol} (at most ${asset.decimals} decimals)`,
      );
    }
    const dust =
      flags.dust === undefined ? defaultDust(asset.decimals) : parseUnits(flags.dust, asset.decimals);
    if (dust === undefined)
      throw usageError(`--dust "${termSafe(flags.dust ?? '')}" is not an amount of ${asset.symbol}`);
    return { asset, minValue, dust };
  };
  const sessionTerms = all ? undefined : assetTerms(flags.asset);
  // A case already carries the labels it was traced with: the local directory must not add to them.
  const labels = await loadLabels(
    src.kind === 'case' ? { ...flags, labelDir: false } : flags,
    io,
    src.labels,
    config,
  );
  const policy = labelPolicy((a) => labels.store.get(chain, a), labels.categories);
  const labelFiles = labels.files;
  const openMs = performance.now() - t0;

  const trace = async (
    seedInput: string,
    over: { direction?: Direction; hops?: number; asset?: string } = {},
  ): Promise<TraceResult> => {
    const seed = parseSeed(seedInput, chain, view.kind);
    const terms = over.asset !== undefined ? assetTerms(over.asset) : sessionTerms;
    if (!terms) throw usageError('--asset all: name one asset per trace');
    const { asset, minValue, dust } = terms;
    const dir = over.direction ?? direction;
    const maxHops = over.hops ?? hops;
    const query: ResolvedQuery = {
      seed: seed.value,
      seedKind: seed.kind,
      chain,
      direction: dir,
      hops: maxHops,
      model,
      asset: {
        key: asset.key,
        symbol: asset.symbol,
        decimals: asset.decimals,
        ...(asset.contract ? { contract: asset.contract } : {}),
      },
      since: since ?? null,
      until: until ?? null,
      minValue,
      maxNodes,
      historyLimit,
      sources: [src.describe().spec],
      labels: labelFiles,
      // dust last: case replay (src/case/rerun.ts optionsFromJson) rebuilds the options in this order
      options: {
        cospend: flags.cospend !== false,
        deposits: flags.deposits !== false,
        coinjoin: heuristics.coinjoin,
        change: heuristics.change,
        peel: heuristics.peel,
        dust,
      },
    };
    const opts = engineOptions(query, policy);
    const spin = io.stderrIsTTY
      ? ora({ text: `tracing ${seed.value}`, stream: process.stderr }).start()
      : null;
    const t1 = performance.now();
    try {
      const outcome = await traceWithFetcher(view, src.fetcher, opts, {
        signal: io.signal,
        onRound: (round, m) => {
          if (spin) {
            spin.text = `tracing ${seed.value}: round ${round}, fetching ${m.txs.length + m.outspends.length} tx items and ${m.addresses.length} address histories`;
          }
        },
      });
      postTrace(outcome, view, selectionFromOptions(query.options));
      // Say how much of the evidence came from the local cache, and whether the cache could be
      // written (an unwritable cache directory would make "run again to resume" a lie).
      const hs = src.http?.stats();
      if (hs && hs.cacheHits > 0)
        io.err(
          `fundtrace: ${hs.cacheHits} responses read from the local cache, ${hs.requests} network requests\n`,
        );
      if (hs && hs.cacheWriteErrors > 0)
        io.err(
          `fundtrace: warning: ${hs.cacheWriteErrors} responses could not be written to the cache directory (unwritable?); a re-run will fetch them again\n`,
        );
      if (verbose) {
        io.err(
          `fundtrace: timings: open source ${Math.round(openMs)} ms, trace ${Math.round(performance.now() - t1)} ms (${outcome.graph.order} addresses, ${outcome.graph.size} movements)\n`,
        );
      }
      const extra = [...labels.warnings, ...(src.warnings?.() ?? [])];
      const result = buildResult({ name: 'fundtrace', version: version() }, query, outcome, extra);
      if (caseSession) {
        const w = await caseSession.write(
          result,
          {
            labelsOf: (a) => labels.store.get(chain, a),
            categories: labels.categories,
            warnings: extra,
            files: labels.loaded.map((l) => ({ path: l.file, entries: l.entries })),
          },
          httpRecorder?.responses(),
        );
        io.err(
          `fundtrace: case written to ${termSafe(w.dir)} (${w.files} files${caseSession.saltFrom ? `, redacted, salt from ${termSafe(caseSession.saltFrom)}` : ''}); case hash ${w.caseHash}\n`,
        );
      }
      spin?.succeed(`traced ${outcome.graph.order} addresses, ${outcome.graph.size} movements`);
      return result;
    } catch (e) {
      spin?.stop();
      throw resumable(e, io);
    }
  };
  return { source: src, chain, trace, labels, view };
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
  if (kind === 'utxo' && /^[0-9a-fA-F]{64}$/.test(s)) return { kind: 'tx', value: canonicalTxid(chain, s) };
  if (kind === 'account' && /^0x[0-9a-fA-F]{64}$/.test(s))
    return { kind: 'tx', value: canonicalTxid(chain, s) };
  try {
    return { kind: 'address', value: canonicalAddress(chain, s) };
  } catch (e) {
    if (e instanceof FundtraceError)
      throw new FundtraceError('USAGE', `seed ${e.message.replace(/^address /, 'address ')}`);
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

/** A source failure or Ctrl-C mid-trace: what was fetched is in the cache; say how to resume. */
function resumable(e: unknown, io: Io): unknown {
  const interrupted = io.signal?.aborted === true;
  if (e instanceof FundtraceError && (e.code === 'SOURCE' || e.code === 'BAD_DATA')) {
    return new FundtraceError(e.code, e.message, [
      ...e.details,
      'everything fetched so far is in the cache: run the same command again to resume from there',
    ]);
  }
  if (interrupted) {
    return new FundtraceError('SOURCE', 'interrupted before the trace finished', [
      'everything fetched so far is in the cache: run the same command again to resume from there',
    ]);
  }
  return e;
}
