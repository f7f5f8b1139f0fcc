// `npm run bench -- --only watch`: the monitor at scale. 10 000 watched addresses (movement and
// label rules), a local JSON-RPC server whose chain grows by one block of 100 transactions to
// watched addresses before every poll (half native transfers, half ERC-20 Transfer logs), the real
// scanner (src/watch/scan-rpc.ts) and the real state database. Reports the poll time, requests per
// poll, the database size after the polls (extrapolated to 1 000 when fewer are run) and the time
// from a transaction appearing at the server to its alert being committed when a poll starts at
// once (add half the poll interval for a monitor polling on a timer).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalAddress } from '../src/core/address.js';
import { createHttpClient } from '../src/sources/http/index.js';
import { JsonRpc } from '../src/sources/rpc/jsonrpc.js';
import { WatchDb } from '../src/watch/db.js';
import { pollOnce, type ResolvedEntry } from '../src/watch/monitor.js';
import { RpcScanner } from '../src/watch/scan-rpc.js';

const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
const hex = (n: number | bigint) => `0x${n.toString(16)}`;
const h32 = (s: string) => `0x${Buffer.from(s).toString('hex').padEnd(64, '0').slice(0, 64)}`;
const addr = (i: number) => canonicalAddress('ethereum', `0x${(i + 1).toString(16).padStart(40, 'a')}`);

export async function benchWatch(o: { polls?: number } = {}): Promise<Record<string, string | number>> {
  const WATCHED = 10_000;
  const PER_POLL = 100;
  const polls = o.polls ?? Number(process.env.FUNDTRACE_BENCH_WATCH_POLLS ?? 1000);
  const token = canonicalAddress('ethereum', '0x61c656cf1ef280595e9ce1911e0a93fb436c67e8');
  const outsider = canonicalAddress('ethereum', `0x${'b'.repeat(40)}`);
  interface Block {
    number: number;
    hash: string;
    parent: string;
    txs: { hash: string; from: string; to: string; value: bigint; index: number }[];
    logs: { tx: string; index: number; from: string; to: string; amount: bigint }[];
    appearedAt: number;
  }
  const chain: Block[] = [
    { number: 0, hash: h32('block0'), parent: h32('genesis'), txs: [], logs: [], appearedAt: 0 },
  ];
  let seq = 0;
  const grow = () => {
    const n = chain.length;
    const b: Block = {
      number: n,
      hash: h32(`block${n}`),
      parent: chain[n - 1]!.hash,
      txs: [],
      logs: [],
      appearedAt: performance.now(),
    };
    for (let i = 0; i < PER_POLL; i++) {
      const w = addr(seq++ % WATCHED);
      const tx = h32(`tx${n}-${i}`);
      if (i % 2 === 0) b.txs.push({ hash: tx, from: w, to: outsider, value: 10n ** 15n, index: i });
      else {
        b.txs.push({ hash: tx, from: outsider, to: token, value: 0n, index: i });
        b.logs.push({ tx, index: i, from: w, to: outsider, amount: 10n ** 6n });
      }
    }
    chain.push(b);
  };
  const blockJson = (b: Block, full: boolean) => ({
    number: hex(b.number),
    hash: b.hash,
    parentHash: b.parent,
    timestamp: hex(1_700_000_000 + b.number * 12),
    transactions: full
      ? b.txs.map((t) => ({
          hash: t.hash,
          from: t.from,
          to: t.to,
          value: hex(t.value),
          transactionIndex: hex(t.index),
        }))
      : b.txs.map((t) => t.hash),
  });
  let requests = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      requests++;
      const m = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      let result: unknown = null;
      const tip = chain[chain.length - 1]!;
      if (m.method === 'eth_getBlockByNumber') {
        const p = m.params[0] as string;
        const b = p === 'latest' ? tip : chain[Number(BigInt(p))];
        result = b ? blockJson(b, m.params[1] === true) : null;
      } else if (m.method === 'eth_getBlockReceipts') {
        const b = chain[Number(BigInt(m.params[0] as string))]!;
        result = b.txs.map((t) => ({ transactionHash: t.hash, status: '0x1', blockHash: b.hash }));
      } else if (m.method === 'eth_getLogs') {
        const f = m.params[0] as { fromBlock: string; toBlock: string };
        const out: unknown[] = [];
        for (let n = Number(BigInt(f.fromBlock)); n <= Number(BigInt(f.toBlock)); n++)
          for (const l of chain[n]?.logs ?? [])
            out.push({
              address: token,
              topics: [
                TRANSFER,
                `0x${l.from.slice(2).toLowerCase().padStart(64, '0')}`,
                `0x${l.to.slice(2).toLowerCase().padStart(64, '0')}`,
              ],
              data: `0x${l.amount.toString(16).padStart(64, '0')}`,
              blockNumber: hex(n),
              blockHash: chain[n]!.hash,
              transactionHash: l.tx,
              transactionIndex: hex(l.index),
              logIndex: hex(0),
              removed: false,
            });
        result = out;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const dir = mkdtempSync(join(tmpdir(), 'fundtrace-bench-watch-'));
  const dbFile = join(dir, 'watch.db');
  const db = await WatchDb.open(dbFile);
  await db.acquireLease();
  const scanner = new RpcScanner('ethereum', new JsonRpc(createHttpClient({}), url));
  const entries: ResolvedEntry[] = Array.from({ length: WATCHED }, (_, i) => ({
    address: addr(i),
    movement: [
      { asset: 'native', min: 0n },
      { asset: token, min: 0n },
    ],
    arrival: [],
    labels: true,
  }));
  const deps = {
    db,
    scanner,
    chain: 'ethereum',
    entries,
    asset: (k: string) =>
      k === 'native'
        ? { key: 'ETH', symbol: 'ETH', decimals: 18 }
        : { key: k, symbol: 'USDT', decimals: 6, contract: k },
    labels: async () => ({ hash: 'none', flagged: () => undefined }),
    now: () => new Date(),
    overlap: 2,
    maxBlocks: 1000,
    fromHeight: 1,
    targets: [],
  };
  const times: number[] = [];
  const reqs: number[] = [];
  const latencies: number[] = [];
  let alerts = 0;
  const t0 = performance.now();
  try {
    for (let i = 0; i < polls; i++) {
      grow();
      const appeared = chain[chain.length - 1]!.appearedAt;
      const before = requests;
      const r = await pollOnce(deps);
      const done = performance.now();
      times.push(r.ms);
      reqs.push(requests - before);
      latencies.push(done - appeared);
      alerts += r.alerts;
      // stdout is not part of the figure: mark as printed, like the CLI does after writing.
      const rows = await db.unemitted();
      await db.markEmitted(rows.map((x) => x.id));
    }
  } finally {
    await db.releaseLease();
    db.close();
    server.close();
  }
  const total = performance.now() - t0;
  const size =
    statSync(dbFile).size +
    (() => {
      try {
        return statSync(`${dbFile}-wal`).size;
      } catch {
        return 0;
      }
    })();
  rmSync(dir, { recursive: true, force: true });
  const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
  const pct = (a: number[], p: number) =>
    sorted(a)[Math.min(a.length - 1, Math.floor((a.length * p) / 100))]!;
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  return {
    'watched addresses': WATCHED,
    'new transactions per poll': `${PER_POLL} (one block: 50 native, 50 ERC-20; each raises a movement alert)`,
    polls: polls,
    alerts,
    'poll time (median, p95)': `${pct(times, 50)} ms, ${pct(times, 95)} ms`,
    'requests per poll (median)': pct(reqs, 50),
    'database size after the polls': mb(size),
    'database size at 1 000 polls':
      polls >= 1000 ? mb(size) : `${mb((size * 1000) / polls)} (extrapolated linearly from ${polls})`,
    'tx appearing → alert committed (median, p95)': `${pct(latencies, 50).toFixed(0)} ms, ${pct(latencies, 95).toFixed(0)} ms (+ half the --interval on a timer)`,
    'wall time': `${(total / 1000).toFixed(1)} s`,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const polls = process.argv[2] ? Number(process.argv[2]) : undefined;
  console.log(await benchWatch(polls ? { polls } : {}));
}
