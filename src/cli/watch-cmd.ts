// `fundtrace watch`: a monitor over a live source driven by a watch file (src/watch/file.ts);
// `watch status`, `watch alerts`, `watch add --from-case`. The monitor itself is src/watch/;
// this file wires flags, the source, labels and the trace pipeline (src/app/trace.ts) into it.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { openAnySource } from '../app/sources.js';
import { openTrace, traceQuery } from '../app/trace.js';
import { canonicalAddress } from '../core/address.js';
import { parseUnits } from '../core/amount.js';
import { withChains } from '../core/chains.js';
import { FundtraceError, usageError } from '../core/errors.js';
import { primaryLabel } from '../labels/taxonomy.js';
import { termSafe } from '../report/sanitize.js';
import { parseEsploraSpec } from '../sources/esplora/index.js';
import type { EtherscanSource } from '../sources/etherscan/open.js';
import { type OpenedSource, SOURCE_CHOICES } from '../sources/open.js';
import type { RpcOpenedSource } from '../sources/rpc/open.js';
import type { TronGridSource } from '../sources/trongrid/open.js';
import { defaultDbPath, WatchDb } from '../watch/db.js';
import { deliverPending, execTarget, sleep, type Target, webhookTarget } from '../watch/deliver.js';
import { appendWatchEntries, readWatchFile, type WatchFile } from '../watch/file.js';
import {
  type AssetInfo,
  type LabelLookup,
  labelsHash,
  pollOnce,
  type ResolvedEntry,
} from '../watch/monitor.js';
import { EsploraScanner } from '../watch/scan-esplora.js';
import { EtherscanScanner } from '../watch/scan-etherscan.js';
import { RpcScanner } from '../watch/scan-rpc.js';
import { TronGridScanner } from '../watch/scan-trongrid.js';
import { type Config, loadConfig } from './config.js';
import type { CliContext } from './context.js';
import { cleanLine } from './exit.js';
import { collect, intFlag } from './flags.js';
import { labelQuery, loadLabels } from './policy.js';
import { traceDeps } from './trace-run.js';

interface WatchFlags {
  file?: string;
  address?: string[];
  min: string;
  source?: string;
  db?: string;
  once?: boolean;
  interval: string;
  polls?: string;
  fromHeight?: string;
  overlap: string;
  maxBlocks: string;
  webhook?: string;
  exec?: string;
  labels?: string[];
  labelDir?: boolean;
  flagged?: string;
  services?: string;
  config?: string;
  quiet?: boolean;
  apiKey?: string;
  chain?: string;
}

const dbPath = (flags: { db?: string }, env: NodeJS.ProcessEnv) => resolve(flags.db ?? defaultDbPath(env));

export function registerWatchCommand(program: Command, ctx: CliContext): void {
  const watch = program
    .command('watch')
    .summary('monitor watched addresses: alert when funds move or tainted funds arrive')
    .description(
      'Poll a live source for new blocks and apply the rules of a watch file to every transaction at a ' +
        'watched address: movement (value leaves), arrival (a credit traced backward has flagged ' +
        'exposure), labels (a counterparty the labels flag). Alerts are JSON lines on standard output ' +
        '(and --webhook / --exec), each once by its id; state lives in an SQLite database.',
    )
    .option('-f, --file <file>', 'watch file (YAML or JSON; see README "Watch")')
    .option(
      '--address <address>',
      'also watch this address: movement (--min) and label rules (repeatable)',
      collect,
    )
    .option('--min <amount>', "with --address: minimum movement, in the chain's native asset", '0')
    .option(
      '--source <spec>',
      'rpc:URL (EVM JSON-RPC node), esplora:URL (Bitcoin Esplora API), etherscan:URL (Etherscan v2, Blockscout) or trongrid:URL (TRON)',
    )
    .option('--chain <name>', "etherscan: the chain (default: the watch file's chain, else ethereum)")
    .option('--api-key <key>', 'etherscan:/trongrid: API key (default: ETHERSCAN_API_KEY / TRONGRID_API_KEY)')
    .option(
      '--db <file>',
      'state database (default: $XDG_DATA_HOME/fundtrace/watch.db or ~/.local/share/fundtrace/watch.db)',
    )
    .option('--once', 'one poll, deliver, exit (for cron)')
    .option('--interval <seconds>', 'seconds between polls', '15')
    .option('--polls <n>', 'stop after this many polls')
    .option('--from-height <n>', 'a new database starts scanning at this block (default: the next block)')
    .option('--overlap <n>', 'blocks re-read below the cursor on every poll', '2')
    .option('--max-blocks <n>', 'at most this many blocks per poll', '1000')
    .option('--webhook <url>', 'POST each alert here (signature from FUNDTRACE_WEBHOOK_SECRET)')
    .option('--exec <command>', 'run this command per alert with the alert JSON on stdin')
    .option('--labels <file>', 'label file (repeatable; re-read every poll)', collect)
    .option('--no-label-dir', 'do not load the local label directory')
    .option('--flagged <list>', 'comma-separated categories that count as flagged')
    .option('--services <list>', 'comma-separated categories that act as service exits')
    .option('--config <file>', 'config file (flagged/services sets)')
    .option('--quiet', 'no per-poll progress on stderr')
    .addHelpText(
      'after',
      `
Examples:
  fundtrace watch -f watch.yaml --source rpc:http://127.0.0.1:8545 --labels labels.json
  fundtrace watch -f watch.yaml --source rpc:http://127.0.0.1:8545 --once --webhook https://hooks.example/ft
  fundtrace watch --address 0x… --min 0.5 --source rpc:http://127.0.0.1:8545 --once
  fundtrace watch status
  fundtrace watch alerts --since 2026-01-01T00:00:00Z
  fundtrace watch add --from-case my-case -f watch.yaml

Exit status: as for trace, plus 6 the state database is locked by another monitor, read-only,
full or not a watch database; 7 (--once) an alert could not be delivered after its retries
(it stays pending in the database and is retried by the next run).`,
    )
    .action(async (flags: WatchFlags) => {
      await runWatch(flags, ctx);
    });

  watch
    .command('status')
    .description('cursors, lag, last error, alert and delivery counts from the state database')
    .option('--db <file>', 'state database')
    .option('--format <format>', 'table or json', 'table')
    .action(async (_f: unknown, cmd: Command) => {
      // --db may land on the parent `watch` command (it has the same option): read both.
      const flags = cmd.optsWithGlobals() as { db?: string; format: string };
      const db = await WatchDb.open(dbPath(flags, ctx.io.env));
      try {
        const cursors = await db.cursors();
        const counts = await db.alertCounts();
        const deliveries = await db.deliveryCounts();
        if (flags.format === 'json') {
          ctx.io.out(
            `${JSON.stringify({ db: db.file, schema: await db.version(), cursors, alerts: counts, deliveries }, null, 2)}\n`,
          );
          return;
        }
        const lines = [`database ${db.file} (schema ${await db.version()})`];
        for (const c of cursors)
          lines.push(
            `${c.chain}: scanned to block ${c.height}, tip ${c.tip ?? '?'} (lag ${c.tip !== null ? Math.max(0, c.tip - c.height) : '?'}), ${c.polls} polls, last ${c.lastPoll ?? 'never'}${c.lastError ? `, last error: ${termSafe(c.lastError)}` : ''}`,
          );
        if (cursors.length === 0) lines.push('no poll yet');
        for (const a of counts)
          lines.push(`${a.chain}: ${a.n} ${a.type === 'alert' ? 'alerts' : 'retractions'}`);
        for (const d of deliveries)
          lines.push(
            `${d.target}: ${d.delivered} delivered, ${d.pending} pending${d.lastError ? `, last error: ${termSafe(d.lastError)}` : ''}`,
          );
        ctx.io.out(`${lines.join('\n')}\n`);
      } finally {
        db.close();
      }
    });

  watch
    .command('alerts')
    .description('list alerts (and retractions) from the state database, as JSON lines')
    .option('--db <file>', 'state database')
    .option('--since <time>', 'only alerts first seen at or after this ISO time')
    .action(async (_f: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals() as { db?: string; since?: string };
      let since: string | undefined;
      if (flags.since !== undefined) {
        const t = Date.parse(flags.since);
        if (Number.isNaN(t)) throw usageError(`--since "${termSafe(flags.since)}" is not an ISO date-time`);
        since = new Date(t).toISOString();
      }
      const db = await WatchDb.open(dbPath(flags, ctx.io.env));
      try {
        for (const a of await db.alerts(since ? { since } : {})) ctx.io.out(`${a.doc}\n`);
      } finally {
        db.close();
      }
    });

  watch
    .command('add')
    .description("add a case's funds at rest (address and amount) to a watch file, with a movement rule")
    .requiredOption('--from-case <dir>', 'case directory (written by trace --case)')
    .option('-f, --file <file>', 'watch file to add to (created when missing)')
    .option('--share <fraction>', 'alert when at least this share (0 to 1) of the amount at rest moves', '0')
    .action(async (_f: unknown, cmd: Command) => {
      // -f is also an option of `watch` itself: commander may hand it to the parent.
      const flags = cmd.optsWithGlobals() as { fromCase: string; file?: string; share: string };
      if (!flags.file) throw usageError('watch add needs -f FILE (the watch file to add to)');
      const path = join(flags.fromCase, 'result.json');
      let r: {
        query?: { asset?: { symbol?: string; decimals?: number; contract?: string } };
        summary?: { atRest?: { address: string; amount: { value: string; display: string } }[] };
      };
      try {
        r = JSON.parse(await readFile(path, 'utf8'));
      } catch (e) {
        throw new FundtraceError('BAD_INPUT', `cannot read ${path}: ${(e as Error).message.split('\n')[0]}`);
      }
      const atRest = r.summary?.atRest;
      if (!Array.isArray(atRest))
        throw new FundtraceError('BAD_INPUT', `${path} has no summary.atRest: not a trace result`);
      if (!/^0(\.\d+)?$|^1$/.test(flags.share))
        throw usageError(`--share "${termSafe(flags.share)}" must be a share from 0 to 1`);
      const asset = r.query?.asset;
      const decimals = asset?.decimals ?? 0;
      const scale = 1_000_000n;
      const [i, f = ''] = flags.share.split('.');
      const ppm = BigInt(i!) * scale + BigInt((f + '000000').slice(0, 6));
      const entries = atRest.map((h) => {
        const min = (BigInt(h.amount.value) * ppm) / scale; // rounded down: never a missed alert
        return {
          address: h.address,
          name: `at rest ${h.amount.display} ${asset?.symbol ?? ''} (case ${flags.fromCase})`.trim(),
          min: formatBase(min, decimals),
          ...(asset?.contract ? { asset: asset.contract } : asset?.symbol ? { asset: asset.symbol } : {}),
        };
      });
      const n = await appendWatchEntries(flags.file!, entries);
      ctx.io.err(
        `fundtrace watch: added ${n} of ${entries.length} addresses at rest to ${termSafe(flags.file)}\n`,
      );
    });
}

function formatBase(v: bigint, decimals: number): string {
  if (decimals === 0) return v.toString();
  const s = v.toString().padStart(decimals + 1, '0');
  const frac = s.slice(-decimals).replace(/0+$/, '');
  return frac ? `${s.slice(0, -decimals)}.${frac}` : s.slice(0, -decimals);
}

async function runWatch(flags: WatchFlags, ctx: CliContext): Promise<void> {
  const io = ctx.io;
  if (!flags.file && !flags.address?.length)
    throw usageError('watch needs a watch file (-f FILE, see README "Watch") or --address ADDR');
  if (!/^\d+(\.\d+)?$/.test(flags.min)) throw usageError(`--min "${termSafe(flags.min)}" is not an amount`);
  // The config's chains are active for everything this command does (the watch file's chain too).
  const config = await loadConfig(flags.config, io.env);
  return withChains(config.registry, () => watchWith(flags, ctx, config));
}

async function watchWith(flags: WatchFlags, ctx: CliContext, config: Config): Promise<void> {
  const io = ctx.io;
  const wf: WatchFile = flags.file
    ? await readWatchFile(flags.file)
    : { file: '--address', labels: [], entries: [] };
  // Addresses from flags: movement of the native asset (at least --min) and label hits.
  for (const a of flags.address ?? [])
    wf.entries.push({ address: a, line: 0, movement: [{ min: flags.min }], arrival: [], labels: true });
  const spec = flags.source;
  if (!spec) throw usageError('no --source given; watch reads a live source:', [SOURCE_CHOICES[3]!]);
  const keyed = spec.startsWith('etherscan:') || spec.startsWith('trongrid:');
  if (!spec.startsWith('rpc:') && !spec.startsWith('esplora:') && !keyed)
    throw usageError(
      `--source ${termSafe(spec.split(':')[0] ?? spec)}: watch reads a live source: rpc:, esplora:, etherscan: or trongrid:`,
    );
  // Each API's own variable: a TronGrid key is never sent to Etherscan, nor the other way.
  const apiKey =
    flags.apiKey ?? (spec.startsWith('trongrid:') ? io.env.TRONGRID_API_KEY : io.env.ETHERSCAN_API_KEY);
  const chainFlag = flags.chain ?? wf.chain;
  const interval = intFlag('--interval', flags.interval, 0, 86_400);
  const polls = flags.polls !== undefined ? intFlag('--polls', flags.polls, 1) : undefined;
  const overlap = intFlag('--overlap', flags.overlap, 0, 10_000);
  const maxBlocks = intFlag('--max-blocks', flags.maxBlocks, 1, 1_000_000);
  const fromHeight =
    flags.fromHeight !== undefined ? intFlag('--from-height', flags.fromHeight, 0) : undefined;
  const secret = io.env.FUNDTRACE_WEBHOOK_SECRET;
  if (flags.webhook !== undefined) {
    try {
      const u = new URL(flags.webhook);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      throw usageError(`--webhook "${termSafe(flags.webhook)}" is not an http(s) URL`);
    }
    if (!secret)
      throw usageError('--webhook needs FUNDTRACE_WEBHOOK_SECRET in the environment (the HMAC key)');
  }
  const targets: Target[] = [
    ...(flags.webhook !== undefined ? [webhookTarget(flags.webhook, secret!)] : []),
    ...(flags.exec !== undefined ? [execTarget(flags.exec)] : []),
  ];
  const log = (s: string) => {
    if (!flags.quiet) io.err(`${cleanLine(s, ctx.secrets)}\n`);
  };

  const db = await WatchDb.open(dbPath(flags, io.env));
  try {
    await db.acquireLease();
    const src = await openAnySource(spec, {
      cacheMode: 'noCache',
      env: io.env,
      ...(keyed
        ? { ...(apiKey ? { apiKey } : {}), ...(chainFlag !== undefined ? { chain: chainFlag } : {}) }
        : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    });
    const chain = src.chain;
    if (wf.chain !== undefined && wf.chain !== chain)
      throw usageError(
        `watch file ${termSafe(wf.file)} is for chain ${termSafe(wf.chain)}, the source serves ${chain}`,
      );
    const entries = await resolveEntries(wf, src, chain);
    const labelFiles = [...wf.labels.map((l) => resolve(dirname(wf.file), l)), ...(flags.labels ?? [])];
    const labelFlags = {
      labels: labelFiles,
      ...(flags.labelDir === false ? { labelDir: false } : {}),
      ...(flags.flagged !== undefined ? { flagged: flags.flagged } : {}),
      ...(flags.services !== undefined ? { services: flags.services } : {}),
    };
    const labels = async (): Promise<LabelLookup> => {
      const set = await loadLabels(labelFlags, io, src.labels, config);
      const lines: string[] = [];
      for (const l of set.store)
        if (l.chain === chain) lines.push(`${l.address}\t${l.category}\t${l.entity}\t${l.source}`);
      lines.push(`flagged:${[...set.categories.flagged].sort().join(',')}`);
      return {
        hash: labelsHash(lines),
        flagged(address) {
          const p = primaryLabel(set.store.get(chain, address), set.categories);
          return p && set.categories.flagged.has(p.category)
            ? { entity: p.entity, category: p.category, source: p.source }
            : undefined;
        },
      };
    };
    const scanner =
      src.kind === 'rpc'
        ? new RpcScanner(chain, (src as RpcOpenedSource).node.rpc, io.signal)
        : src.kind === 'trongrid'
          ? new TronGridScanner(chain, (src as TronGridSource).api, (src as TronGridSource).paging, src.http!)
          : src.kind === 'etherscan'
            ? new EtherscanScanner(
                chain,
                (src as EtherscanSource).api,
                (src as EtherscanSource).paging,
                src.http!,
              )
            : new EsploraScanner(
                chain,
                parseEsploraSpec(spec.slice('esplora:'.length)).base,
                src.http!,
                io.signal,
              );
    const quietIo = { ...io, stderrIsTTY: false };
    const trace = async (tx: string, assetInput: string, hops: number, height: number) => {
      // The single trace pipeline of `fundtrace trace`, backward from the credit, as of its block.
      const session = await openTrace(
        traceQuery({
          source: spec,
          direction: 'backward',
          hops,
          asset: assetInput,
          until: { kind: 'height', height },
          cache: { mode: 'noCache' },
          labels: labelQuery(labelFlags, config),
          ...(src.kind === 'etherscan' || src.kind === 'trongrid'
            ? { chain, ...(apiKey ? { apiKey } : {}) }
            : {}),
        }),
        traceDeps(quietIo),
      );
      return session.trace(tx);
    };
    const assetOf = (key: string): AssetInfo => {
      if (key === 'native')
        return {
          key: src.view.native.symbol,
          symbol: src.view.native.symbol,
          decimals: src.view.native.decimals,
        };
      const k = src.view.kind === 'account' ? src.view.resolveAsset(key) : undefined;
      const info = k && src.view.kind === 'account' ? src.view.asset(k) : undefined;
      return info
        ? { key, symbol: info.symbol, decimals: info.decimals, contract: key }
        : { key, symbol: key, decimals: -1, contract: key };
    };
    log(
      `fundtrace watch: ${entries.length} addresses on ${chain} from ${cleanLine(src.describe().spec, ctx.secrets)}, state ${db.file}`,
    );

    let n = 0;
    let failures = 0;
    for (;;) {
      if (io.signal?.aborted) break;
      n++;
      try {
        const r = await pollOnce({
          db,
          scanner,
          chain,
          entries,
          asset: assetOf,
          labels,
          trace,
          now: () => new Date(),
          overlap,
          maxBlocks,
          ...(fromHeight !== undefined ? { fromHeight } : {}),
          targets: targets.map((t) => t.name),
        });
        failures = 0;
        const span = r.to >= r.from ? `blocks ${r.from}-${r.to}` : 'no new block';
        log(
          `fundtrace watch: poll ${n}: ${span} (tip ${r.tip}, lag ${Math.max(0, r.tip - Math.max(r.to, r.from - 1))})${r.reorgAt !== undefined ? `, reorganisation from block ${r.reorgAt}` : ''}, ${r.activity} transactions, ${r.alerts} alerts, ${r.retractions} retractions, ${r.requests} requests, ${r.ms} ms`,
        );
      } catch (e) {
        // Stopped (Ctrl-C, SIGTERM, terminal gone) mid-poll: the poll's one transaction was not
        // committed, so the cursor stays where the last complete poll left it. Not a source error.
        if (io.signal?.aborted) break;
        const sourceFailure = e instanceof FundtraceError && (e.code === 'SOURCE' || e.code === 'BAD_DATA');
        if (!sourceFailure || flags.once) {
          // `watch status` shows what stopped the last run.
          if (sourceFailure) await db.recordError(chain, (e as Error).message).catch(() => undefined);
          await emit(db, io).catch(() => undefined);
          throw e;
        }
        // A source failure: nothing of this poll was written; retry with back-off.
        failures++;
        await db.recordError(chain, e.message).catch(() => undefined);
        log(`fundtrace watch: poll ${n} failed: ${e.message}; retrying`);
        await sleep(Math.min(60_000, 1000 * 2 ** Math.min(6, failures)), io.signal);
        continue;
      }
      await emit(db, io);
      let pending = 0;
      for (const t of targets)
        pending += await deliverPending(db, t, {
          attempts: flags.once ? 4 : 1,
          baseDelayMs: Number(io.env.FUNDTRACE_WATCH_BACKOFF_MS ?? 500),
          maxDelayMs: 60_000,
          ...(io.signal ? { signal: io.signal } : {}),
          log,
        });
      if (flags.once) {
        if (pending > 0)
          throw new FundtraceError('DELIVERY', `${pending} alert deliveries failed after their retries`, [
            'they stay pending in the database and are retried by the next run',
          ]);
        break;
      }
      if (polls !== undefined && n >= polls) break;
      await sleep(interval * 1000, io.signal);
    }
  } finally {
    await db.releaseLease().catch(() => undefined);
    db.close();
  }
}

/** Alerts committed but not yet printed: print them, then mark them (a kill in between repeats a line, never loses one). */
async function emit(db: WatchDb, io: CliContext['io']): Promise<void> {
  const rows = await db.unemitted();
  if (rows.length === 0) return;
  io.out(rows.map((r) => `${r.doc}\n`).join(''));
  await db.markEmitted(rows.map((r) => r.id));
}

async function resolveEntries(wf: WatchFile, src: OpenedSource, chain: string): Promise<ResolvedEntry[]> {
  const problems: string[] = [];
  const at = (line: number) => (line > 0 ? `${wf.file}:${line}` : '--address');
  const view = src.view;
  const assetKey = async (
    input: string | undefined,
    line: number,
  ): Promise<{ key: string; input: string; decimals: number } | undefined> => {
    const name = input ?? view.native.symbol;
    if (view.kind === 'utxo') {
      if (name.toUpperCase() === view.native.symbol.toUpperCase())
        return { key: 'native', input: view.native.symbol, decimals: view.native.decimals };
      problems.push(`${at(line)}: asset "${termSafe(name)}": ${chain} has only ${view.native.symbol}`);
      return undefined;
    }
    const rpc = src as Partial<RpcOpenedSource & EtherscanSource>;
    if (/^0x[0-9a-fA-F]{40}$/.test(name) && rpc.prepareAsset)
      await rpc.prepareAsset(name).catch(() => undefined);
    // Etherscan learns a token's decimals and symbol from one of its transfers.
    if (/^0x[0-9a-fA-F]{40}$/.test(name) && rpc.kind === 'etherscan' && rpc.prepare)
      await rpc.prepare({ asset: name }).catch(() => undefined);
    const k = view.resolveAsset(name);
    const info = k ? view.asset(k) : undefined;
    if (!k || !info) {
      problems.push(
        `${at(line)}: asset "${termSafe(name)}" is not known on ${chain} (a symbol or a token contract)`,
      );
      return undefined;
    }
    if (k === view.native.symbol) return { key: 'native', input: name, decimals: info.decimals };
    const contract = view.asset(k)?.contract;
    return { key: contract ? canonicalAddress(chain, contract) : k, input: name, decimals: info.decimals };
  };
  const out: ResolvedEntry[] = [];
  const seen = new Set<string>();
  for (const e of wf.entries) {
    let address: string;
    try {
      address = canonicalAddress(chain, e.address);
    } catch {
      problems.push(`${at(e.line)}: "${termSafe(e.address)}" is not an address on ${chain}`);
      continue;
    }
    if (seen.has(address)) {
      problems.push(`${at(e.line)}: ${address} is listed twice`);
      continue;
    }
    seen.add(address);
    const r: ResolvedEntry = {
      address,
      movement: [],
      arrival: [],
      labels: e.labels,
      ...(e.name ? { name: e.name } : {}),
    };
    for (const m of e.movement) {
      const a = await assetKey(m.asset, e.line);
      if (!a) continue;
      const min = parseUnits(m.min, a.decimals);
      if (min === undefined)
        problems.push(`${at(e.line)}: min "${m.min}" has more than ${a.decimals} decimals`);
      else r.movement.push({ asset: a.key, min });
    }
    for (const m of e.arrival) {
      const a = await assetKey(m.asset, e.line);
      if (!a) continue;
      const amount = m.amount !== undefined ? parseUnits(m.amount, a.decimals) : undefined;
      if (m.amount !== undefined && amount === undefined)
        problems.push(`${at(e.line)}: amount "${m.amount}" has more than ${a.decimals} decimals`);
      r.arrival.push({
        asset: a.key,
        assetInput: a.input,
        hops: m.hops,
        ...(m.sharePpm !== undefined ? { sharePpm: m.sharePpm } : {}),
        ...(amount !== undefined ? { amount } : {}),
      });
    }
    out.push(r);
  }
  if (problems.length)
    throw new FundtraceError(
      'BAD_INPUT',
      `${wf.file === '--address' ? 'watched addresses' : `watch file ${wf.file}`}: ${problems.length} problem${problems.length > 1 ? 's' : ''}`,
      problems,
    );
  return out;
}
