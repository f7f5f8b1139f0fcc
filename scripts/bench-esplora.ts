// Benchmark of the esplora: source (figures, not a timed test). A local Esplora-shaped server
// (test/esplora/server.ts) answers every request after an injected delay and refuses more than
// `rate` requests per second (429); fundtrace is told the same rate (FUNDTRACE_RATE_LIMIT).
//
// Scenario: a seed address A with `payments` incoming transactions (so its history spans
// several pages of 25), one consolidation C spending them all into `fanout` outputs, then three
// more levels where every output is spent into `fanout − 1` … outputs: 4 hops of forward trace
// from A, a few hundred transactions in all (the last level's spenders exist but are beyond the
// hop limit, so they are never fetched). Every transaction sits in its own block.
//
// Reported:
//   wall time of `fundtrace trace A --hops 4` through the CLI, in-process;
//   the lower bound max(critical path × delay, requests needed ÷ rate), where the critical path
//   is the chain of requests that must follow one another (tip → first history page → each
//   further page → per hop: outspends → spending tx → …) and the requests needed are the unique
//   requests a complete trace must make;
//   requests made vs unique requests (target: equal: nothing asked twice, no 429 retries);
//   a re-run from the cache (target: 0 requests).
// Target: wall ≤ 1.3 × bound.
//
//   node bin/run-ts.js scripts/bench-esplora.ts [--delay 50] [--rate 20] [--payments 40] [--fanout 5]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Io } from '../src/cli/io.js';
import { run } from '../src/cli/program.js';
import type { UtxoTx } from '../src/core/model.js';
import { ScenarioBuilder } from '../test/esplora/scenario.js';
import { startEsplora } from '../test/esplora/server.js';
import { addr } from '../test/heuristics/fixtures.js';

export interface BenchEsploraOptions {
  delayMs?: number;
  rate?: number;
  payments?: number;
  fanout?: number;
  hops?: number;
  log?: (line: string) => void;
}

/** The scenario and the requests a complete 4-hop trace from the seed address needs. */
export function scenario(payments: number, fanout: number, hops: number) {
  const b = new ScenarioBuilder(1_000_000);
  let height = 100;
  const seed = addr('bench-seed');
  const pays: UtxoTx[] = [];
  for (let i = 0; i < payments; i++) {
    pays.push(
      b.tx(
        `bench-pay-${i}`,
        height++,
        [{ external: addr(`bench-funder-${i}`, 'p2pkh'), value: 2_000_000n + BigInt(i) }],
        [
          [seed, 1_000_000n + BigInt(i) * 10n],
          [addr(`bench-funder-${i}`, 'p2pkh'), 999_000n - BigInt(i) * 9n],
        ],
      ),
    );
  }
  const total = pays.reduce((a, p) => a + p.outputs[0]!.value, 0n);
  const split = (name: string, from: { tx: UtxoTx; vout: number }, n: number): UtxoTx => {
    const v = from.tx.outputs[from.vout]!.value - 1_000n;
    const each = v / BigInt(n);
    const outs: [string, bigint][] = Array.from({ length: n }, (_, k) => [
      addr(`${name}-o${k}`, k % 2 ? 'p2tr' : 'p2wpkh'),
      k === n - 1 ? v - each * BigInt(n - 1) : each,
    ]);
    return b.tx(name, height++, [from], outs);
  };
  const c = b.tx(
    'bench-consolidation',
    height++,
    pays.map((p) => ({ tx: p, vout: 0 })),
    Array.from({ length: fanout }, (_, k): [string, bigint] => [
      addr(`bench-c-o${k}`),
      k === fanout - 1
        ? total - 10_000n - (total / BigInt(fanout)) * BigInt(fanout - 1)
        : total / BigInt(fanout),
    ]),
  );
  // Levels: level[0] = [C]; every output of level L is spent by a tx of level L+1.
  const levels: UtxoTx[][] = [[c]];
  for (let l = 1; l <= hops; l++) {
    const next: UtxoTx[] = [];
    for (const tx of levels[l - 1]!) {
      tx.outputs.forEach((_o, vout) => {
        next.push(
          split(`bench-l${l}-${tx.txid.slice(0, 8)}-${vout}`, { tx, vout }, l === hops ? 2 : fanout - 1),
        );
      });
    }
    levels.push(next);
  }
  // What a forward trace from the seed address with --hops H needs: the tip, the address counts,
  // the history pages (25 per page, then an empty one), outspends of every payment and of every
  // transaction of levels 0 … H-1, and the transactions of levels 1 … H-1 (C, level 0, spends the
  // seed's outputs, so it comes with the seed's history; level H's spenders are known from
  // outspends but beyond the hop limit). The payments come with the history too.
  const history = payments + 1;
  const pages = 1 + Math.ceil(Math.max(0, history - 25) / 25) + 1;
  let fetchedTxs = 0;
  for (let l = 1; l < hops; l++) fetchedTxs += levels[l]!.length;
  const needed = 1 + 1 + pages + payments + (fetchedTxs + 1) + fetchedTxs;
  // Sequential chain: tip → the pages one after another → outspends of the payments → outspends
  // of C → per further level: its txs → their outspends.
  const critical = 1 + pages + 1 + 1 + 2 * (hops - 1);
  return {
    s: b.build(),
    seed,
    needed,
    critical,
    txCount: b.txs.length,
    fetchedTxs,
    lastLevelTxs: levels[hops]!.length,
  };
}

export async function benchEsplora(o: BenchEsploraOptions = {}): Promise<Record<string, number | string>> {
  const delayMs = o.delayMs ?? 50;
  const rate = o.rate ?? 20;
  const payments = o.payments ?? 40;
  const fanout = o.fanout ?? 5;
  const hops = o.hops ?? 4;
  const log = o.log ?? (() => undefined);
  const sc = scenario(payments, fanout, hops);
  // The server enforces `rate` per second on average with a token bucket that tolerates half a
  // second's worth of requests at once (at least 5), like nginx's limit_req with a burst: the
  // client spaces its requests 1/rate apart, but a timer that fires late (the event loop busy
  // parsing a page or re-running the engine) can send two or three together.
  const server = await startEsplora(sc.s, {
    delayMs,
    rate: { rps: rate, burst: Math.max(5, Math.ceil(rate / 2)) },
  });
  const dir = await mkdtemp(join(tmpdir(), 'ft-bench-esplora-'));
  const env: NodeJS.ProcessEnv = {
    FUNDTRACE_RATE_LIMIT: `127.0.0.1:${server.port}=${rate}/1/16`,
    FUNDTRACE_HTTP_BACKOFF_MS: '100',
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
    const args = [
      'trace',
      sc.seed,
      '--source',
      `esplora:${server.url}`,
      '--hops',
      String(hops),
      '--cache-dir',
      dir,
    ];
    const t0 = performance.now();
    const status = await run([...args, '--format', 'json'], io);
    const ms = performance.now() - t0;
    if (status !== 0) throw new Error(`bench trace failed (${status}): ${err}`);
    return { ms, out };
  };
  try {
    log(
      `esplora bench: ${sc.txCount} transactions, ${payments} payments to the seed, fan-out ${fanout}, ${hops} hops; ` +
        `server delay ${delayMs} ms, ${rate} req/s`,
    );
    const cold = await trace();
    const made = server.count();
    const unique = new Set(server.requests).size;
    const limited = server.limited;
    server.reset();
    const warm = await trace();
    const rerun = server.count();
    const j = JSON.parse(cold.out) as { summary: { traced: { value: string }; conserved: boolean } };
    const boundMs = Math.max(sc.critical * delayMs, (sc.needed / rate) * 1000);
    const r = {
      scenarioTxs: sc.txCount,
      hops,
      delayMs,
      ratePerS: rate,
      wallMs: Math.round(cold.ms),
      criticalPathRequests: sc.critical,
      criticalPathMs: sc.critical * delayMs,
      rateBoundMs: Math.round((sc.needed / rate) * 1000),
      boundMs: Math.round(boundMs),
      wallOverBound: Number((cold.ms / boundMs).toFixed(3)),
      requestsMade: made,
      uniqueRequests: unique,
      requestsNeeded: sc.needed,
      rateLimited429: limited,
      rerunRequests: rerun,
      rerunWallMs: Math.round(warm.ms),
      traced: j.summary.traced.value,
      conserved: String(j.summary.conserved),
      target:
        cold.ms <= 1.3 * boundMs && made === unique && unique === sc.needed && rerun === 0 ? 'met' : 'MISSED',
    };
    log(
      `  wall ${r.wallMs} ms vs bound ${r.boundMs} ms (critical path ${r.criticalPathRequests} × ${delayMs} ms = ${r.criticalPathMs} ms, ` +
        `${sc.needed} requests ÷ ${rate}/s = ${r.rateBoundMs} ms): ${r.wallOverBound} × bound (target ≤ 1.3)`,
    );
    log(
      `  requests made ${made}, unique ${unique}, needed ${sc.needed}, 429s ${limited}; re-run from cache: ${rerun} requests, ${r.rerunWallMs} ms → target ${r.target}`,
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
  const r = await benchEsplora({
    delayMs: num('--delay'),
    rate: num('--rate'),
    payments: num('--payments'),
    fanout: num('--fanout'),
    hops: num('--hops'),
    log: (l) => process.stdout.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
