// A local Esplora-shaped HTTP server (127.0.0.1, random port) over a Scenario, speaking the wire
// format of Blockstream's electrs: the routes fundtrace uses, electrs' answers for unknown items
// ("Transaction not found", "Block not found" as text/plain 404), address histories newest first
// (mempool first, then `pageSize` confirmed per page, `txs/chain/:last_seen_txid` for the next),
// plus switches for what other deployments do (422 for an unknown cursor) and fault injection.
// Counts every request, so tests can assert "zero requests" and "no duplicates".
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UtxoTx } from '../../src/core/model.js';
import { blockHash, type Scenario, wireTx } from './scenario.js';

export type Fault =
  | { status: number; body?: string; headers?: Record<string, string>; contentType?: string }
  | { kind: 'hang' }
  | { kind: 'truncate' }
  | { kind: 'json'; body: unknown };

export interface ServerOptions {
  /** Confirmed transactions per history page (electrs: 25). */
  pageSize?: number;
  /** Path prefix of the API (e.g. "/api"). */
  prefix?: string;
  /**
   * Answer for a well-formed last_seen_txid the history does not contain: electrs answers an
   * empty page ("empty"); some deployments refuse it (422).
   */
  unknownCursor?: 'empty' | 422;
  /** Delay before every answer, ms. */
  delayMs?: number;
  /** Requests per second the server tolerates (token bucket, `burst`); beyond: 429. */
  rate?: { rps: number; burst: number };
  /** Fault injection: return a fault to answer this request with it instead. `n` counts this path. */
  fault?: (path: string, n: number) => Fault | undefined;
}

export interface EsploraServer {
  url: string;
  port: number;
  /** Paths requested (prefix removed), in arrival order. */
  requests: string[];
  /** 429s answered by the rate limit. */
  limited: number;
  /** Requests whose path starts with `match` (string) or matches it (RegExp); all without. */
  count(match?: RegExp | string): number;
  /** Requests for exactly this path. */
  hits(path: string): number;
  reset(): void;
  close(): Promise<void>;
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

export async function startEsplora(s: Scenario, options: ServerOptions = {}): Promise<EsploraServer> {
  const pageSize = options.pageSize ?? 25;
  const prefix = options.prefix ?? '';
  const byId = new Map(s.txs.map((t) => [t.txid, t]));
  const wire = new Map(s.txs.map((t) => [t.txid, JSON.stringify(wireTx(s, t))]));
  const spends = new Map<string, { txid: string; vin: number; tx: UtxoTx }>();
  const history = new Map<string, UtxoTx[]>();
  const touch = (a: string | null, t: UtxoTx) => {
    if (a === null) return;
    const h = history.get(a) ?? [];
    if (h[h.length - 1] !== t) h.push(t);
    history.set(a, h);
  };
  for (const t of s.txs) {
    t.inputs.forEach((i, vin) => {
      spends.set(`${i.txid}:${i.vout}`, { txid: t.txid, vin, tx: t });
      touch(i.address, t);
    });
    for (const o of t.outputs) touch(o.address, t);
  }
  const blocks = new Map([...s.blocks.values()].map((b) => [b.hash, b]));
  const status = (t: UtxoTx) => (wireTx(s, t) as { status: unknown }).status;
  /** Newest first: unconfirmed, then by height and position descending. */
  const newestFirst = (list: UtxoTx[]) =>
    [...list].sort(
      (a, b) =>
        (b.height ?? Number.POSITIVE_INFINITY) - (a.height ?? Number.POSITIVE_INFINITY) ||
        (b.position ?? 0) - (a.position ?? 0),
    );

  const requests: string[] = [];
  const perPath = new Map<string, number>();
  let limited = 0;
  let tokens = options.rate?.burst ?? 0;
  let last = Date.now();

  const send = (res: ServerResponse, code: number, body: string, type = 'application/json', extra = {}) => {
    res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
    res.end(body);
  };
  const text = (res: ServerResponse, code: number, body: string) => send(res, code, body, 'text/plain');

  const chainPage = (list: UtxoTx[], after: string | undefined, res: ServerResponse) => {
    const confirmed = newestFirst(list).filter((t) => t.height !== null);
    let start = 0;
    if (after !== undefined && HEX64.test(after)) {
      const i = confirmed.findIndex((t) => t.txid === after.toLowerCase());
      if (i < 0) {
        if (options.unknownCursor === 422) return text(res, 422, 'unknown last_seen_txid');
        return send(res, 200, '[]');
      }
      start = i + 1;
    }
    // A malformed cursor is ignored by electrs (Txid::from_str(..).ok()): the first page again.
    const page = confirmed.slice(start, start + pageSize);
    return send(res, 200, `[${page.map((t) => wire.get(t.txid)).join(',')}]`);
  };

  const route = (path: string, res: ServerResponse) => {
    const p = path.split('/').slice(1);
    const [a, b, c, d, e] = p;
    if (a === 'blocks' && b === 'tip' && c === 'height' && d === undefined)
      return text(res, 200, String(s.tip));
    // Block hashes by height (fundtrace watch reads them to notice reorganisations).
    const hashAt = (h: number) => s.blocks.get(h)?.hash ?? blockHash(h);
    if (a === 'blocks' && b === 'tip' && c === 'hash' && d === undefined)
      return text(res, 200, hashAt(s.tip));
    if (a === 'block-height' && b !== undefined && c === undefined) {
      if (!/^\d+$/.test(b) || Number(b) > s.tip) return text(res, 404, 'Block not found');
      return text(res, 200, hashAt(Number(b)));
    }
    if (a === 'tx' && b !== undefined) {
      const t = byId.get(b.toLowerCase());
      if (c === undefined)
        return t ? send(res, 200, wire.get(t.txid)!) : text(res, 404, 'Transaction not found');
      if (c === 'outspends' && d === undefined) {
        if (!t) return text(res, 404, 'Transaction not found');
        const list = t.outputs.map((_o, vout) => {
          const sp = spends.get(`${t.txid}:${vout}`);
          return sp ? { spent: true, txid: sp.txid, vin: sp.vin, status: status(sp.tx) } : { spent: false };
        });
        return send(res, 200, JSON.stringify(list));
      }
    }
    if (a === 'address' && b !== undefined) {
      const list = history.get(decodeURIComponent(b)) ?? [];
      if (c === undefined) {
        const chain = list.filter((t) => t.height !== null).length;
        return send(
          res,
          200,
          JSON.stringify({
            address: decodeURIComponent(b),
            chain_stats: {
              funded_txo_count: 0,
              funded_txo_sum: 0,
              spent_txo_count: 0,
              spent_txo_sum: 0,
              tx_count: chain,
            },
            mempool_stats: {
              funded_txo_count: 0,
              funded_txo_sum: 0,
              spent_txo_count: 0,
              spent_txo_sum: 0,
              tx_count: list.length - chain,
            },
          }),
        );
      }
      if (c === 'txs' && d === undefined) {
        const mempool = newestFirst(list)
          .filter((t) => t.height === null)
          .slice(0, 50);
        const confirmed = newestFirst(list)
          .filter((t) => t.height !== null)
          .slice(0, pageSize);
        return send(res, 200, `[${[...mempool, ...confirmed].map((t) => wire.get(t.txid)).join(',')}]`);
      }
      if (c === 'txs' && d === 'chain') return chainPage(list, e, res);
    }
    if (a === 'block' && b !== undefined && c === 'txids' && d === undefined) {
      const blk = blocks.get(b.toLowerCase());
      return blk ? send(res, 200, JSON.stringify(blk.txids)) : text(res, 404, 'Block not found');
    }
    return text(res, 404, `endpoint does not exist "${path}"`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let path = url.pathname;
    if (!path.startsWith(prefix)) return text(res, 404, 'endpoint does not exist');
    path = path.slice(prefix.length);
    requests.push(path);
    const n = (perPath.get(path) ?? 0) + 1;
    perPath.set(path, n);
    if (options.rate) {
      const now = Date.now();
      tokens = Math.min(options.rate.burst, tokens + ((now - last) * options.rate.rps) / 1000);
      last = now;
      if (tokens < 1) {
        limited++;
        return text(res, 429, 'Too Many Requests');
      }
      tokens -= 1;
    }
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const f = options.fault?.(path, n);
    if (f) {
      if ('kind' in f) {
        if (f.kind === 'hang') return; // never answers; the client times out
        if (f.kind === 'json') return send(res, 200, JSON.stringify(f.body));
        // truncate: promise a longer body than is sent, then cut the connection
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 5000 });
        res.write('[{"txid":"');
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      }
      return send(res, f.status, f.body ?? '', f.contentType ?? 'text/plain', f.headers ?? {});
    }
    return route(path, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => res.destroy(e as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    port,
    requests,
    get limited() {
      return limited;
    },
    count: (m) =>
      m === undefined
        ? requests.length
        : requests.filter((r) => (typeof m === 'string' ? r.startsWith(m) : m.test(r))).length,
    hits: (path) => requests.filter((r) => r === path).length,
    reset: () => {
      requests.length = 0;
      perPath.clear();
      limited = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
