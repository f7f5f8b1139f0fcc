// Benchmark of the rpc: source on a real node: the devnet scenario scaled up (a second theft fanned
// out 6 ways over 4 hops, in ETH and in USDF: about 530 more transactions), traced through
// `--source rpc:` behind a loopback proxy that counts requests and measures how long at least one
// request was in flight (the share of wall time spent waiting on the node). Then the same trace
// again (cache: zero requests) and with --offline (zero requests).
//
//   node bin/run-ts.js scripts/bench-rpc.ts [--fanout 6] [--json]

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseEther } from 'ethers';
import { encodeCall, PLAIN_GAS_PRICE, type TxRequest } from '../src/devnet/chain.js';
import { CONTRACTS, devnetAddress } from '../src/devnet/deployment.js';
import { type Devnet, startDevnet } from '../src/devnet/index.js';
import { ACTORS } from '../src/devnet/scenario.js';
import { cli } from '../test/helpers.js';

interface Proxy {
  url: string;
  requests: number;
  byMethod: Map<string, number>;
  /** ms with at least one request in flight. */
  busyMs(): number;
  reset(): void;
  close(): Promise<void>;
}

async function timingProxy(target: string): Promise<Proxy> {
  let requests = 0;
  const byMethod = new Map<string, number>();
  let inFlight = 0;
  let busy = 0;
  let since = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', async () => {
      requests++;
      const method = (JSON.parse(body) as { method?: string }).method ?? '?';
      byMethod.set(method, (byMethod.get(method) ?? 0) + 1);
      if (inFlight++ === 0) since = performance.now();
      try {
        const r = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const text = await r.text();
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(text);
      } catch {
        res.writeHead(502).end();
      } finally {
        if (--inFlight === 0) busy += performance.now() - since;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    busyMs: () => busy,
    byMethod,
    reset: () => {
      requests = 0;
      byMethod.clear();
      busy = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `fundtrace ARGS` in-process, with an empty label directory (the shared test helper). */
const fundtrace = (args: string[]) => cli(args);

/** A second theft on top of the scenario: seed → thief → F mules → F² → F³ (4 hops), ETH and USDF. */
async function playScaled(d: Devnet, fanout: number): Promise<{ eth: string; usdf: string; txs: number }> {
  const c = d.chain;
  const victim = devnetAddress('bench victim');
  const thief = devnetAddress('bench thief');
  let txs = 0;
  const plain = (from: string, to: string, value: bigint): TxRequest => ({
    from,
    to,
    value,
    gasPrice: PLAIN_GAS_PRICE,
  });
  const usdf = (from: string, to: string, n: bigint): TxRequest => ({
    from,
    to: CONTRACTS.usdf,
    data: encodeCall('DevToken', 'transfer', [to, n]),
    gasPrice: 0n,
  });
  const inBlocks = async (list: TxRequest[]) => {
    for (let i = 0; i < list.length; i += 120) await c.block(list.slice(i, i + 120));
    txs += list.length;
  };
  const U = 1_000_000n;
  await inBlocks([plain(ACTORS.faucet, victim, parseEther('100'))]);
  await inBlocks([
    {
      from: ACTORS.deployer,
      to: CONTRACTS.usdf,
      data: encodeCall('DevToken', 'mint', [victim, 100_000n * U]),
      gasPrice: 0n,
    },
  ]);
  const [eth] = await c.block([plain(victim, thief, parseEther('60'))]);
  const [tok] = await c.block([usdf(victim, thief, 60_000n * U)]);
  txs += 2;
  const level1 = Array.from({ length: fanout }, (_, i) => devnetAddress(`bench mule ${i}`));
  await inBlocks(level1.flatMap((m) => [plain(thief, m, parseEther('9')), usdf(thief, m, 9_000n * U)]));
  // merge with clean money
  await inBlocks(level1.flatMap((m) => [plain(ACTORS.faucet, m, parseEther('3'))]));
  const level2: [string, string][] = level1.flatMap((m, i) =>
    Array.from({ length: fanout }, (_, j) => [m, devnetAddress(`bench mule ${i}.${j}`)] as [string, string]),
  );
  await inBlocks(
    level2.flatMap(([from, to]) => [plain(from, to, parseEther('1.5')), usdf(from, to, 1_400n * U)]),
  );
  const level3: [string, string][] = level2.flatMap(([, m], k) =>
    Array.from(
      { length: fanout },
      (_, j) =>
        [m, j === 0 ? ACTORS.exchangeDeposit : devnetAddress(`bench mule ${k}.${j}.x`)] as [string, string],
    ),
  );
  await inBlocks(
    level3.flatMap(([from, to]) => [plain(from, to, parseEther('0.2')), usdf(from, to, 200n * U)]),
  );
  return { eth: eth!, usdf: tok!, txs };
}

export async function benchRpc(opts: { fanout?: number } = {}): Promise<Record<string, number | string>> {
  const fanout = opts.fanout ?? 6;
  const out: Record<string, number | string> = {};
  const t0 = performance.now();
  const d = await startDevnet();
  const proxy = await timingProxy(d.url);
  try {
    const seeds = await playScaled(d, fanout);
    out.devnet_play_ms = Math.round(performance.now() - t0);
    out.scaled_transactions = seeds.txs;
    out.fanout = fanout;
    const dir = mkdtempSync(join(tmpdir(), 'fundtrace-bench-rpc-'));
    const labels = join(dir, 'labels.json');
    writeFileSync(labels, JSON.stringify({ labels: d.labels }));
    for (const [name, seed, asset] of [
      ['eth', seeds.eth, 'ETH'],
      ['usdf', seeds.usdf, 'USDF'],
    ] as const) {
      const cacheDir = join(dir, `cache-${name}`);
      const args = [
        'trace',
        seed,
        '--source',
        `rpc:${proxy.url}`,
        '--asset',
        asset,
        '--hops',
        '5',
        '--labels',
        labels,
        '--format',
        'json',
        '--cache-dir',
        cacheDir,
      ];
      proxy.reset();
      let t = performance.now();
      const r = await fundtrace(args);
      const wall = performance.now() - t;
      if (r.status !== 0) throw new Error(`trace failed: ${r.stderr}`);
      const j = JSON.parse(r.stdout) as {
        graph: { nodes: unknown[]; edges: unknown[] };
        summary: { conserved: boolean };
      };
      out[`${name}_wall_ms`] = Math.round(wall);
      out[`${name}_requests`] = proxy.requests;
      out[`${name}_requests_by_method`] = [...proxy.byMethod]
        .sort((a, b) => b[1] - a[1])
        .map(([m, n]) => `${m} ${n}`)
        .join(', ');
      out[`${name}_node_wait_share`] = (proxy.busyMs() / wall).toFixed(2);
      out[`${name}_graph`] = `${j.graph.nodes.length} nodes, ${j.graph.edges.length} edges`;
      out[`${name}_conserved`] = String(j.summary.conserved);
      proxy.reset();
      t = performance.now();
      const again = await fundtrace(args);
      out[`${name}_rerun_ms`] = Math.round(performance.now() - t);
      out[`${name}_rerun_requests`] = proxy.requests;
      if (again.stdout !== r.stdout) throw new Error('re-run differs');
      proxy.reset();
      t = performance.now();
      const off = await fundtrace([...args, '--offline']);
      out[`${name}_offline_ms`] = Math.round(performance.now() - t);
      out[`${name}_offline_requests`] = proxy.requests;
      if (off.stdout !== r.stdout) throw new Error(`offline run differs: ${off.stderr}`);
    }
  } finally {
    await proxy.close();
    await d.stop();
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--fanout');
  const fanout = i > 0 ? Number(process.argv[i + 1]) : undefined;
  const r = await benchRpc(fanout ? { fanout } : {});
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else for (const [k, v] of Object.entries(r)) process.stdout.write(`${k.padEnd(24)} ${v}\n`);
}
