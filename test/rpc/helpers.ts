// Helpers for the rpc: and devnet integration tests: a devnet per test file (stopped in afterAll,
// and killed on process exit by src/devnet/anvil.ts), a loopback JSON-RPC proxy in front of it
// that counts requests and can misbehave like real providers (refuse eth_getLogs ranges, hide
// namespaces), temp directories, and an in-process trace that also takes a token contract.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openTrace, traceQuery } from '../../src/app/trace.js';
import type { Label } from '../../src/core/model.js';
import type { TraceResult } from '../../src/core/result.js';
import type { Model } from '../../src/core/trace-types.js';
import type { AccountView } from '../../src/core/view.js';
import { type Devnet, startDevnet } from '../../src/devnet/index.js';
import { renderJson } from '../../src/report/json.js';
import type { OpenedSource } from '../../src/sources/open.js';

export const tmp = (prefix = 'fundtrace-rpc-') => mkdtempSync(join(tmpdir(), prefix));

/** A played devnet for the whole test file. */
export function useDevnet(opts: { play?: boolean } = {}): { readonly current: Devnet } {
  const box: { current?: Devnet } = {};
  beforeAll(async () => {
    box.current = await startDevnet(opts);
  });
  afterAll(async () => {
    await box.current?.stop();
  });
  return {
    get current() {
      if (!box.current) throw new Error('devnet not started');
      return box.current;
    },
  };
}

export function writeLabels(dir: string, labels: readonly Label[]): string {
  const file = join(dir, 'labels.json');
  writeFileSync(file, JSON.stringify({ labels }, null, 2));
  return file;
}

export interface ProxyOptions {
  /** Refuse eth_getLogs spans wider than this many blocks, with this JSON-RPC error. */
  logsMaxSpan?: number;
  logsError?: { code: number; message: (from: number, to: number) => string };
  /** Answer "method not found" for methods with these prefixes / names. */
  hide?: string[];
}

export interface RpcProxy {
  url: string;
  /** Requests received, by JSON-RPC method. */
  counts: Map<string, number>;
  total(): number;
  refused: number;
  reset(): void;
  close(): Promise<void>;
}

/** A JSON-RPC proxy on a free loopback port in front of `target`. */
export async function startProxy(target: string, opts: ProxyOptions = {}): Promise<RpcProxy> {
  const counts = new Map<string, number>();
  let refused = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', async () => {
      let msg: { id?: unknown; method?: string; params?: unknown[] };
      try {
        msg = JSON.parse(body);
      } catch {
        res.writeHead(400).end();
        return;
      }
      const method = msg.method ?? '?';
      counts.set(method, (counts.get(method) ?? 0) + 1);
      const reply = (o: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(o));
      };
      if (opts.hide?.some((h) => method === h || method.startsWith(h))) {
        reply({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
        return;
      }
      if (method === 'eth_getLogs' && opts.logsMaxSpan !== undefined) {
        const f = (msg.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string };
        const from = Number(f.fromBlock ?? 0);
        const to = Number(f.toBlock ?? 0);
        if (to - from + 1 > opts.logsMaxSpan) {
          refused++;
          const e = opts.logsError ?? {
            code: -32005,
            message: () => 'query returned more than 10000 results',
          };
          reply({ jsonrpc: '2.0', id: msg.id, error: { code: e.code, message: e.message(from, to) } });
          return;
        }
      }
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
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    get refused() {
      return refused;
    },
    reset: () => {
      counts.clear();
      refused = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Strip what legitimately differs between two sources of the same activity. */
export function withoutSources(json: string): string {
  const j = JSON.parse(json) as { query: Record<string, unknown> };
  delete j.query.sources;
  return JSON.stringify(j, null, 2);
}

export interface InProcessTrace {
  source: OpenedSource;
  json: string;
  result: TraceResult;
  view: AccountView;
}

/**
 * Trace in-process like `fundtrace trace … --format json`, but `asset` may be any token contract
 * (the source is asked to read its metadata first: `RpcOpenedSource.prepareAsset`).
 */
export async function traceInProcess(o: {
  spec: string;
  seed: string;
  seedKind: 'tx' | 'address';
  asset: string;
  model?: Model;
  hops?: number;
  labels?: readonly Label[];
  cacheDir: string;
  env?: NodeJS.ProcessEnv;
}): Promise<InProcessTrace> {
  // The application service, as `fundtrace trace` runs it (no CLI, no label directory).
  const files = o.labels ? [writeLabels(o.cacheDir, o.labels)] : [];
  const session = await openTrace(
    traceQuery({
      source: o.spec,
      asset: o.asset,
      model: o.model ?? 'haircut',
      hops: o.hops ?? 5,
      cache: { mode: 'normal', dir: o.cacheDir },
      labels: { files, labelDir: false },
    }),
    { env: o.env ?? {} },
  );
  const result = await session.trace(o.seed);
  if (result.query.seedKind !== o.seedKind) throw new Error(`seed ${o.seed} is a ${result.query.seedKind}`);
  return { source: session.source, json: renderJson(result), result, view: session.view as AccountView };
}
