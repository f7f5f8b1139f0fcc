// Benchmark of issue 14: the two-chain devnet scenario (swap, wrap, CCTP-like and Across-like
// bridges) traced across both real anvil nodes through rpc:, each node behind a loopback proxy that
// adds a fixed round-trip time and counts requests and request waves (a wave starts whenever a
// request goes out while none is in flight: the waves of a chain are its critical path). The bound
// is the sum of both chains' critical paths: (waves A + waves B) × RTT in round trips alone, and as
// measured (time each node had a request in flight, its own work included); the ratios say how much
// the run adds to them. Then the same trace again from the cache (zero requests), and offline from the
// two exported datasets.
//
//   node bin/run-ts.js scripts/bench-bridges.ts [--rtt 40]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridgeDevnet } from '../src/devnet/bridges.js';
import { datasetJson } from '../src/devnet/export.js';
import { cli } from '../test/helpers.js';

interface Proxy {
  url: string;
  requests: number;
  unique: number;
  waves: number;
  /** ms with at least one request in flight (round trips and the node's own time). */
  busyMs: number;
  reset(): void;
  close(): Promise<void>;
}

async function latencyProxy(target: string, rttMs: number): Promise<Proxy> {
  let requests = 0;
  let waves = 0;
  let inFlight = 0;
  let busy = 0;
  let since = 0;
  const bodies = new Set<string>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', async () => {
      requests++;
      // The same call twice (ids aside) is the same request.
      bodies.add(body.replace(/"id":\s*\d+/, ''));
      if (inFlight++ === 0) {
        waves++;
        since = performance.now();
      }
      try {
        await new Promise((r) => setTimeout(r, rttMs));
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
    get unique() {
      return bodies.size;
    },
    get waves() {
      return waves;
    },
    get busyMs() {
      return busy;
    },
    reset: () => {
      requests = 0;
      waves = 0;
      busy = 0;
      bodies.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function benchBridges(opts: { rtt?: number } = {}): Promise<Record<string, number | string>> {
  const rtt = opts.rtt ?? 40;
  const out: Record<string, number | string> = {};
  const dn = await startBridgeDevnet();
  const pa = await latencyProxy(dn.a.url, rtt);
  const pb = await latencyProxy(dn.b.url, rtt);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'fundtrace-bench-bridges-'));
    const ds = await dn.exportDatasets();
    const files = {
      registry: join(dir, 'registry.json'),
      labels: join(dir, 'labels.json'),
      a: join(dir, 'anvil.json'),
      b: join(dir, 'anvil-b.json'),
    };
    writeFileSync(files.registry, JSON.stringify(dn.registry));
    writeFileSync(files.labels, JSON.stringify(dn.labels));
    writeFileSync(files.a, datasetJson(ds.a));
    writeFileSync(files.b, datasetJson(ds.b));
    const common = [
      '--chain',
      'anvil',
      '--registry',
      files.registry,
      '--labels',
      files.labels,
      '--asset',
      'USDT',
    ];
    const run = async (sources: string[], cacheDir: string) => {
      const t = performance.now();
      const r = await cli([
        'trace',
        dn.seed,
        ...sources.flatMap((s) => ['--source', s]),
        ...common,
        '--hops',
        '6',
        '--format',
        'json',
        '--cache-dir',
        cacheDir,
      ]);
      if (r.status !== 0) throw new Error(`trace failed: ${r.stderr}`);
      return {
        ms: performance.now() - t,
        doc: JSON.parse(r.stdout) as { summary: { perAsset: unknown[] }; bridges?: unknown[] },
      };
    };
    const live = [`anvil=rpc:${pa.url}`, `anvil-b=rpc:${pb.url}`];
    const cache = join(dir, 'cache');
    // Warm-up (module loading), then offline from the two datasets.
    await run([`anvil=${files.a}`, `anvil-b=${files.b}`], join(dir, 'cache-warm'));
    pa.reset();
    pb.reset();
    const cold = await run(live, cache);
    const bound = (pa.waves + pb.waves) * rtt;
    out.rtt_ms = rtt;
    out.parts = `${cold.doc.summary.perAsset.length} (assets × chains), ${cold.doc.bridges?.length ?? 0} bridges followed`;
    out['chain A: requests (unique)'] = `${pa.requests} (${pa.unique})`;
    out['chain B: requests (unique)'] = `${pb.requests} (${pb.unique})`;
    out['critical path: waves A + B'] = `${pa.waves} + ${pb.waves}`;
    out['bound (waves × RTT), ms'] = bound;
    out['whole run, ms'] = Math.round(cold.ms);
    out['ratio whole run / bound'] = (cold.ms / bound).toFixed(2);
    // The measured critical paths: time each node had a request in flight (round trips and its own work).
    const busy = pa.busyMs + pb.busyMs;
    out['critical paths measured: A + B, ms'] = `${Math.round(pa.busyMs)} + ${Math.round(pb.busyMs)}`;
    out['ratio whole run / (A + B) (target ≤ 1.3)'] = (cold.ms / busy).toFixed(2);
    pa.reset();
    pb.reset();
    const warm = await run(live, cache);
    out['re-run from the cache: requests'] = pa.requests + pb.requests;
    out['re-run, ms'] = Math.round(warm.ms);
    const off = await run([`anvil=${files.a}`, `anvil-b=${files.b}`], join(dir, 'cache-off'));
    out['offline from the two datasets, ms'] = Math.round(off.ms);
  } finally {
    await pa.close();
    await pb.close();
    await dn.stop();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rtt = process.argv.includes('--rtt') ? Number(process.argv[process.argv.indexOf('--rtt') + 1]) : 40;
  const figures = await benchBridges({ rtt });
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`  ${k}  ${v}\n`);
}
