// Benchmark: a forward trace through `--source etherscan:URL` against the local Etherscan-shaped
// server with 100 ms latency per request and a 5 requests/second limit (enforced by the server,
// which answers "Max calls per sec rate limit reached" beyond it). The client is told the same
// limit (FUNDTRACE_RATE_LIMIT=127.0.0.1:PORT=5/1: rate 5, burst 1). With enough concurrency the run is bounded by the rate alone:
// wall time should stay within 1.3 × (requests ÷ rate). An immediate re-run must make no request.
//
//   node bin/run-ts.js scripts/bench-etherscan.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Io } from '../src/cli/io.js';
import { run } from '../src/cli/program.js';
import { startEtherscanServer } from '../test/etherscan/server.js';
import { addr, ETH, GWEI, type Scenario, type ScTx, txh } from '../test/fixtures/etherscan/scenario.js';

const RATE = 5;
const LATENCY_MS = 100;
const KEY = 'BENCHKEY-0000';

/** Seed tx → T; T pays 6 addresses, each pays 2 more; T also has 45 small incoming payments (3 pages). */
function benchScenario(): Scenario {
  const txs: ScTx[] = [];
  let block = 19_000_000;
  const add = (name: string, from: string, to: string, value: bigint, position = 0) =>
    txs.push({
      name,
      hash: txh(`bench-${name}`),
      block,
      position,
      time: 1_705_132_800 + (block - 19_000_000) * 12,
      from,
      to,
      value,
      gasUsed: 21_000n,
      gasPrice: 20n * GWEI,
    });
  const t = addr('bench-t');
  for (let i = 0; i < 45; i++) {
    add(`dust-${i}`, addr(`bench-dust-${i % 4}`), t, GWEI * BigInt(i + 1), i % 3);
    if (i % 3 === 2) block++;
  }
  block++;
  add('seed', addr('bench-victim'), t, 12n * ETH);
  block++;
  for (let i = 0; i < 6; i++) {
    add(`hop1-${i}`, t, addr(`bench-h1-${i}`), 2n * ETH, i);
  }
  block++;
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 2; j++) {
      add(`hop2-${i}-${j}`, addr(`bench-h1-${i}`), addr(`bench-h2-${i}-${j}`), ETH / 2n, i * 2 + j);
    }
  }
  return { chainId: 1, head: block + 500, txs };
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

export async function benchEtherscan(): Promise<Record<string, number | string>> {
  const sc = benchScenario();
  const server = await startEtherscanServer(sc, {
    dialect: 'etherscan',
    apiKey: KEY,
    latencyMs: LATENCY_MS,
    rate: { perSecond: RATE, burst: 2 },
  });
  const dir = await mkdtemp(join(tmpdir(), 'ft-bench-etherscan-'));
  const env = {
    FUNDTRACE_RATE_LIMIT: `127.0.0.1:${server.port}=${RATE}/1`,
    FUNDTRACE_ETHERSCAN_PAGE_SIZE: '20',
    FUNDTRACE_HTTP_BACKOFF_MS: '250',
  };
  const args = [
    'trace',
    txh('bench-seed'),
    '--source',
    `etherscan:${server.url}`,
    '--api-key',
    KEY,
    '--cache-dir',
    join(dir, 'cache'),
    '--hops',
    '4',
    '--format',
    'json',
  ];
  try {
    const io1 = quietIo(env);
    const t0 = performance.now();
    const s1 = await run(args, io1);
    const wall = (performance.now() - t0) / 1000;
    if (s1 !== 0) throw new Error(`bench trace failed (${s1}): ${io1.stderr()}`);
    const requests = server.requests.length;
    const rateLimited = server.rateLimited;
    const bound = requests / RATE;
    const nodes = (JSON.parse(io1.stdout()) as { graph: { nodes: unknown[] } }).graph.nodes.length;

    server.reset();
    const io2 = quietIo(env);
    const t1 = performance.now();
    const s2 = await run(args, io2);
    const rerunWall = (performance.now() - t1) / 1000;
    if (s2 !== 0) throw new Error(`bench re-run failed (${s2}): ${io2.stderr()}`);
    if (io2.stdout() !== io1.stdout()) throw new Error('bench re-run printed a different result');

    return {
      scenario: `seed → T (45 dust payments, 3 pages) → 6 → 12, hops 4, ${nodes} nodes`,
      latencyMs: LATENCY_MS,
      rateLimitPerSecond: RATE,
      requests,
      refusedByServerRateLimit: rateLimited,
      boundSeconds: Number(bound.toFixed(2)),
      wallSeconds: Number(wall.toFixed(2)),
      ratioToBound: Number((wall / bound).toFixed(3)),
      target: '≤ 1.3',
      rerunRequests: server.requests.length,
      rerunWallSeconds: Number(rerunWall.toFixed(3)),
    };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchEtherscan();
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  const ok = typeof r.ratioToBound === 'number' && r.ratioToBound <= 1.3 && r.rerunRequests === 0;
  process.exitCode = ok ? 0 : 1;
}
