// Benchmark: a 4-hop USDT trace through `--source trongrid:URL` against the local TronGrid replay
// server with 100 ms latency per request and a 10 requests/second limit (enforced by the server,
// which answers 429 beyond it; the client is told the same limit with FUNDTRACE_RATE_LIMIT). Bound:
// max(hops × round trip, requests ÷ rate); target ≤ 1.3 × the bound. Every request must be needed
// once (no URL asked twice), and an immediate re-run must make no request.
//
//   node bin/run-ts.js scripts/bench-trongrid.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Io } from '../src/cli/io.js';
import { run } from '../src/cli/program.js';
import { addr, type TronScenario, type TronTx, txid, USD, USDT } from '../test/trongrid/scenario.js';
import { startTronGridServer } from '../test/trongrid/server.js';

const RATE = 10;
const LATENCY_MS = 100;
const HOPS = 4;
const KEY = 'BENCH-TRONGRID-KEY-0000';

/** victim → T (T also has 45 small incoming payments: 3 pages of 20); T → 4; each → 2; each → 1. */
function benchScenario(): TronScenario {
  const txs: TronTx[] = [];
  let block = 60_000_000;
  const T0 = 1_735_689_600_000;
  const pay = (name: string, from: string, to: string, value: bigint) =>
    txs.push({
      id: txid(`bench-${name}`),
      block,
      time: T0 + (block - 60_000_000) * 3000,
      type: 'TriggerSmartContract',
      owner: from,
      to: USDT,
      fee: 13_844_850n,
      transfers: [{ contract: USDT, from, to, value }],
    });
  const t = addr('bench-t');
  for (let i = 0; i < 45; i++) {
    pay(`dust-${i}`, addr(`bench-dust-${i % 3}`), t, BigInt(i + 1) * 1000n);
    block++;
  }
  pay('seed', addr('bench-victim'), t, 12_000n * USD);
  block++;
  for (let i = 0; i < 4; i++) {
    pay(`h1-${i}`, t, addr(`bench-h1-${i}`), 3_000n * USD);
    block++;
  }
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 2; j++) {
      pay(`h2-${i}-${j}`, addr(`bench-h1-${i}`), addr(`bench-h2-${i}-${j}`), 1_500n * USD);
      block++;
    }
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 2; j++) {
      pay(`h3-${i}-${j}`, addr(`bench-h2-${i}-${j}`), addr(`bench-h3-${i}-${j}`), 1_500n * USD);
      block++;
    }
  return {
    head: block + 500,
    headTime: T0 + (block + 500 - 60_000_000) * 3000,
    txs,
    tokens: { [USDT]: { symbol: 'USDT', name: 'Tether USD', decimals: 6 } },
  };
}

function quietIo(env: NodeJS.ProcessEnv): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env,
    stdout: () => out,
    stderr: () => err,
  };
}

export async function benchTronGrid(): Promise<Record<string, number | string>> {
  const server = await startTronGridServer(benchScenario(), {
    apiKey: KEY,
    cap: 20,
    latencyMs: LATENCY_MS,
    rate: { perSecond: RATE, burst: 2 },
  });
  const dir = await mkdtemp(join(tmpdir(), 'ft-bench-trongrid-'));
  const env = {
    FUNDTRACE_RATE_LIMIT: `127.0.0.1:${server.port}=${RATE}/1`,
    FUNDTRACE_HTTP_BACKOFF_MS: '250',
    TRONGRID_API_KEY: KEY,
  };
  const args = [
    'trace',
    txid('bench-seed'),
    '--source',
    `trongrid:${server.url}`,
    '--asset',
    'USDT',
    '--cache-dir',
    join(dir, 'cache'),
    '--hops',
    String(HOPS),
    '--format',
    'json',
  ];
  try {
    const io1 = quietIo(env);
    const start = Date.now();
    const t0 = performance.now();
    const s1 = await run(args, io1);
    const wall = (performance.now() - t0) / 1000;
    const end = Date.now();
    const first = server.requests[0]?.at ?? start;
    const last = server.requests[server.requests.length - 1]?.at ?? end;
    if (s1 !== 0) throw new Error(`bench trace failed (${s1}): ${io1.stderr()}`);
    const requests = server.requests.length;
    const unique = new Set(server.requests.map((q) => `${q.path}?${q.query.toString()}`)).size;
    const rateLimited = server.rateLimited;
    const bound = Math.max((HOPS * LATENCY_MS) / 1000, unique / RATE);
    const nodes = (JSON.parse(io1.stdout()) as { graph: { nodes: unknown[] } }).graph.nodes.length;

    server.reset();
    const io2 = quietIo(env);
    const t1 = performance.now();
    const s2 = await run(args, io2);
    const rerunWall = (performance.now() - t1) / 1000;
    if (s2 !== 0) throw new Error(`bench re-run failed (${s2}): ${io2.stderr()}`);
    if (io2.stdout() !== io1.stdout()) throw new Error('bench re-run printed a different result');

    return {
      scenario: `USDT: seed → T (45 small payments, 3 pages of 20) → 4 → 8 → 8, hops ${HOPS}, ${nodes} nodes`,
      latencyMs: LATENCY_MS,
      rateLimitPerSecond: RATE,
      requests,
      uniqueRequestsNeeded: unique,
      refusedByServerRateLimit: rateLimited,
      boundSeconds: Number(bound.toFixed(2)),
      wallSeconds: Number(wall.toFixed(2)),
      ratioToBound: Number((wall / bound).toFixed(3)),
      // From the first request to the last: the source's own part, without process start-up.
      requestPhaseRatioToBound: Number(((last - first) / 1000 / bound).toFixed(3)),
      startToFirstRequestSeconds: Number(((first - start) / 1000).toFixed(2)),
      lastRequestToEndSeconds: Number(((end - last) / 1000).toFixed(2)),
      target: '≤ 1.3, requests = unique requests needed',
      rerunRequests: server.requests.length,
      rerunWallSeconds: Number(rerunWall.toFixed(3)),
    };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchTronGrid();
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  const ok =
    typeof r.ratioToBound === 'number' &&
    r.ratioToBound <= 1.3 &&
    r.rerunRequests === 0 &&
    r.requests === r.uniqueRequestsNeeded;
  process.exitCode = ok ? 0 : 1;
}
