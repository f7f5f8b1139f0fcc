// Benchmark of the graphsense: source (figures, not a timed test), on the Esplora benchmark's
// scenario (scripts/bench-esplora.ts: a seed address with `payments` incoming transactions, a
// consolidation, then fan-out levels; 4 hops forward) served by the GraphSense replay server
// (test/graphsense/server.ts) with an injected delay per answer and a request rate it enforces
// with 429s; fundtrace is told the same rate (FUNDTRACE_RATE_LIMIT).
//
// Requests a complete trace needs (GraphSense wire): /stats; the seed's history pages (the
// server sends 25 per page whatever pagesize asks); per history transaction its tx and its
// /spending; /spent_in of every payment, of the consolidation C and of levels 1 … H−1; tx and
// /spending of levels 1 … H (the spenders of level H−1 are fetched to check the spent-by links).
// Critical path: /stats → each history page → the history's txs → spent_in of the payments →
// per level 0 … H−1: its spent_in → its spenders' txs → the tags of every address reached
// (GET /btc/addresses/{a}/tags, one per address of the result).
// Target: wall ≤ 1.3 × max(critical path × delay, requests needed ÷ rate); re-run 0 requests.
//
// Account run (account.* figures): Ethereum USDT, a tx seed paying the scam address, which splits
// to `fanout` addresses, each splitting again, `hops` levels (test/graphsense/account-server.ts).
// Requests: at open /stats and /eth/supported_tokens (together); the seed's /txs/{h} and its
// /flows (together); one address_txs page per address whose ledger the engine reads (each list is
// under a page); the tags of every address reached. Critical path: open → seed → one round per
// level of addresses read → tags. The levels read and the requests needed are counted from the
// scenario (which addresses sit at which level), not from the server's log.
//
//   node bin/run-ts.js scripts/bench-graphsense.ts [--delay 50] [--rate 20] [--payments 40] [--fanout 5]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Io } from '../src/cli/io.js';
import { run } from '../src/cli/program.js';
import type { AccountScenario, GsAccountScenarioTx } from '../test/graphsense/account-scenario.js';
import { evmAddr, hashOf, USD, USDT_ETH } from '../test/graphsense/account-scenario.js';
import { startAccountServer } from '../test/graphsense/account-server.js';
import { startGraphSense } from '../test/graphsense/server.js';
import { scenario } from './bench-esplora.js';

export interface BenchGraphSenseOptions {
  delayMs?: number;
  rate?: number;
  payments?: number;
  fanout?: number;
  hops?: number;
  /** Fan-out of the account (Ethereum USDT) run. */
  accountFanout?: number;
  log?: (line: string) => void;
}

const SERVER_PAGE = 25;

export async function benchGraphSense(
  o: BenchGraphSenseOptions = {},
): Promise<Record<string, number | string>> {
  const delayMs = o.delayMs ?? 50;
  const rate = o.rate ?? 20;
  const payments = o.payments ?? 40;
  const fanout = o.fanout ?? 5;
  const hops = o.hops ?? 4;
  const log = o.log ?? (() => undefined);
  const sc = scenario(payments, fanout, hops);
  const history = payments + 1;
  const pages = Math.ceil(history / SERVER_PAGE);
  let needed =
    1 + pages + 2 * history + (payments + 1 + sc.fetchedTxs) + 2 * (sc.fetchedTxs + sc.lastLevelTxs);
  let critical = 1 + pages + 1 + 1 + 2 * hops;
  const key = 'bench-graphsense-key';
  const server = await startGraphSense(sc.s, {
    delayMs,
    pageSize: SERVER_PAGE,
    apiKey: key,
    rate: { rps: rate, burst: Math.max(5, Math.ceil(rate / 2)) },
  });
  const port = new URL(server.url).port;
  const dir = await mkdtemp(join(tmpdir(), 'ft-bench-graphsense-'));
  const env: NodeJS.ProcessEnv = {
    FUNDTRACE_RATE_LIMIT: `127.0.0.1:${port}=${rate}/1/16`,
    FUNDTRACE_HTTP_BACKOFF_MS: '100',
    GRAPHSENSE_API_KEY: key,
  };
  const trace = async () => {
    let out = '';
    let err = '';
    const io: Io = {
      out: (s) => {
        out += s;
      },
      err: (s) => {
        err += s;
      },
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env,
    };
    const args = ['trace', sc.seed, '--source', `graphsense:${server.url}`, '--hops', String(hops)];
    const t0 = performance.now();
    const status = await run([...args, '--cache-dir', dir, '--format', 'json'], io);
    const ms = performance.now() - t0;
    if (status !== 0) throw new Error(`bench trace failed (${status}): ${err}`);
    return { ms, out };
  };
  try {
    log(
      `graphsense bench: ${sc.txCount} transactions, ${payments} payments to the seed, fan-out ${fanout}, ${hops} hops; ` +
        `server delay ${delayMs} ms, ${rate} req/s`,
    );
    const cold = await trace();
    const made = server.count();
    const unique = new Set(server.requests).size;
    const limited = server.limited;
    server.reset();
    const warm = await trace();
    // The tip (/stats) is cached for 60 s only; a cold run longer than that asks it again.
    const rerunTip = server.count('/stats');
    const rerun = server.count() - rerunTip;
    const j = JSON.parse(cold.out) as {
      summary: { traced: { value: string }; conserved: boolean };
      graph: { nodes: unknown[] };
    };
    // Then the tags of every address the trace reached: one request each, one more round trip.
    const addresses = j.graph.nodes.length;
    needed += addresses;
    critical += 1;
    const boundMs = Math.max(critical * delayMs, (needed / rate) * 1000);
    const r = {
      scenarioTxs: sc.txCount,
      hops,
      delayMs,
      ratePerS: rate,
      wallMs: Math.round(cold.ms),
      criticalPathRequests: critical,
      rateBoundMs: Math.round((needed / rate) * 1000),
      boundMs: Math.round(boundMs),
      wallOverBound: Number((cold.ms / boundMs).toFixed(3)),
      requestsMade: made,
      uniqueRequests: unique,
      requestsNeeded: needed,
      rateLimited429: limited,
      rerunRequests: rerun,
      rerunTipRequests: rerunTip,
      rerunWallMs: Math.round(warm.ms),
      traced: j.summary.traced.value,
      target:
        cold.ms <= 1.3 * boundMs && made === unique && unique === needed && rerun === 0 ? 'met' : 'MISSED',
    };
    log(
      `  wall ${r.wallMs} ms vs bound ${r.boundMs} ms (critical path ${critical} × ${delayMs} ms, ${needed} requests ÷ ${rate}/s = ${r.rateBoundMs} ms): ${r.wallOverBound} × bound (target ≤ 1.3)`,
    );
    log(
      `  requests made ${made}, unique ${unique}, needed ${needed}, 429s ${limited}; re-run from cache: ${rerun} requests (+ ${rerunTip} for the tip, cached 60 s) → target ${r.target}`,
    );
    const acct = await benchAccounts({ delayMs, rate, fanout: o.accountFanout ?? 3, hops, log });
    return { ...r, ...Object.fromEntries(Object.entries(acct).map(([k, v]) => [`account.${k}`, v])) };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** An Ethereum USDT fan-out tree: the seed pays S (level 1); each level-k address pays `fanout` new ones. */
function accountTree(
  fanout: number,
  hops: number,
): { sc: AccountScenario; seed: string; levels: string[][] } {
  const txs: GsAccountScenarioTx[] = [];
  const fee = 21_000n * 30_000_000_000n;
  let height = 18_000_000;
  let n = 0;
  const pay = (from: string, to: string, value: bigint) => {
    const hash = hashOf(`bench:${n++}`);
    txs.push({
      hash,
      height: height++,
      position: 0,
      time: 1_700_000_000 + n * 12,
      from,
      to: USDT_ETH,
      value: 0n,
      fee,
      tokens: [{ log: 1, ticker: 'usdt', from, to, value }],
    });
    return hash;
  };
  const victim = evmAddr('bench-victim');
  const levels: string[][] = [[evmAddr('bench-L1-0')]];
  const per = BigInt(fanout) ** BigInt(hops);
  const seed = pay(victim, levels[0]![0]!, per * 1000n * USD);
  for (let k = 1; k < hops; k++) {
    const next: string[] = [];
    const each = (per / BigInt(fanout) ** BigInt(k)) * 1000n * USD;
    for (const a of levels[k - 1]!)
      for (let i = 0; i < fanout; i++) {
        const b = evmAddr(`bench-L${k + 1}-${next.length}`);
        next.push(b);
        pay(a, b, each);
      }
    levels.push(next);
  }
  return {
    sc: {
      net: 'eth',
      chain: 'ethereum',
      tip: height + 100,
      tokens: [{ ticker: 'USDT', decimals: 6, contract: USDT_ETH.toLowerCase(), peg: 'USD' }],
      txs,
    },
    seed: `0x${seed}`,
    levels,
  };
}

async function benchAccounts(o: {
  delayMs: number;
  rate: number;
  fanout: number;
  hops: number;
  log: (line: string) => void;
}): Promise<Record<string, number | string>> {
  const { delayMs, rate, fanout, hops, log } = o;
  const { sc, seed, levels } = accountTree(fanout, hops);
  const key = 'bench-graphsense-key';
  const server = await startAccountServer(sc, {
    delayMs,
    pageSize: 25,
    apiKey: key,
    rate: { rps: rate, burst: Math.max(5, Math.ceil(rate / 2)) },
  });
  const port = new URL(server.url).port;
  const dir = await mkdtemp(join(tmpdir(), 'ft-bench-graphsense-acct-'));
  const env: NodeJS.ProcessEnv = {
    FUNDTRACE_RATE_LIMIT: `127.0.0.1:${port}=${rate}/1/16`,
    FUNDTRACE_HTTP_BACKOFF_MS: '100',
    GRAPHSENSE_API_KEY: key,
  };
  const trace = async () => {
    let out = '';
    let err = '';
    const io: Io = {
      out: (x) => {
        out += x;
      },
      err: (x) => {
        err += x;
      },
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env,
    };
    const args = ['trace', seed, '--source', `graphsense:${server.url}`, '--chain', 'ethereum'];
    const t0 = performance.now();
    const status = await run(
      [...args, '--asset', 'USDT', '--hops', String(hops), '--cache-dir', dir, '--format', 'json'],
      io,
    );
    const ms = performance.now() - t0;
    if (status !== 0) throw new Error(`bench account trace failed (${status}): ${err}`);
    return { ms, out };
  };
  try {
    const cold = await trace();
    const made = server.count();
    const unique = new Set(server.requests).size;
    const limited = server.limited;
    // Which levels' ledgers the engine read (a whole level or none: the tree is regular).
    const read = levels.filter((l) => server.count(`/eth/addresses/${l[0]}/txs`) > 0);
    const ledgers = read.reduce((a, l) => a + l.length, 0);
    server.reset();
    const warm = await trace();
    const rerunTip = server.count('/stats');
    const rerun = server.count() - rerunTip - server.count('/eth/supported_tokens');
    const j = JSON.parse(cold.out) as {
      summary: { traced: { value: string } };
      graph: { nodes: unknown[] };
    };
    const addresses = j.graph.nodes.length;
    const needed = 2 + 2 + ledgers + addresses;
    const critical = 1 + 1 + read.length + 1;
    const boundMs = Math.max(critical * delayMs, (needed / rate) * 1000);
    const r = {
      scenarioTxs: sc.txs.length,
      fanout,
      hops,
      wallMs: Math.round(cold.ms),
      criticalPathRequests: critical,
      rateBoundMs: Math.round((needed / rate) * 1000),
      boundMs: Math.round(boundMs),
      wallOverBound: Number((cold.ms / boundMs).toFixed(3)),
      requestsMade: made,
      uniqueRequests: unique,
      requestsNeeded: needed,
      rateLimited429: limited,
      rerunRequests: rerun,
      rerunWallMs: Math.round(warm.ms),
      traced: j.summary.traced.value,
      target:
        cold.ms <= 1.3 * boundMs && made === unique && unique === needed && rerun === 0 ? 'met' : 'MISSED',
    };
    log(
      `graphsense account bench (ethereum USDT): ${sc.txs.length} transactions, fan-out ${fanout}, ${hops} hops; wall ${r.wallMs} ms vs bound ${r.boundMs} ms (critical path ${critical} × ${delayMs} ms, ${needed} requests ÷ ${rate}/s = ${r.rateBoundMs} ms): ${r.wallOverBound} × bound (target ≤ 1.3)`,
    );
    log(
      `  requests made ${made}, unique ${unique}, needed ${needed} (${ledgers} ledgers in ${read.length} levels, ${addresses} addresses' tags), 429s ${limited}; re-run from cache: ${rerun} requests → target ${r.target}`,
    );
    return r;
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const args = process.argv.slice(2);
  const num = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const r = await benchGraphSense({
    delayMs: num('--delay'),
    rate: num('--rate'),
    payments: num('--payments'),
    fanout: num('--fanout'),
    hops: num('--hops'),
    accountFanout: num('--account-fanout'),
    log: (l) => process.stdout.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
