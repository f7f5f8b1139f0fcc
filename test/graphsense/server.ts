// A local GraphSense-REST-shaped HTTP server (127.0.0.1, random port) over a Scenario, speaking the
// wire format of the OpenAPI spec v1.15.5 (../shared/data/graphsense-openapi/): `stats`,
// `tx_utxo` with `tx_value` inputs/outputs and `values` amounts, `tx_ref` lists for
// /spending and /spent_in, `address_txs` pages with an opaque `next_page` cursor, and the block
// transaction list. Confirmed transactions only (GraphSense indexes blocks, not the mempool).
// Unknown items answer 404 with a JSON `{detail}` body, as the FastAPI server does. With `apiKey`
// set, a request without that exact `Authorization` header gets 401. Fault injection as in
// test/esplora/server.ts. Counts every request and keeps every Authorization header seen.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UtxoTx } from '../../src/core/model.js';
import type { Scenario } from '../esplora/scenario.js';
import type { Fault } from '../esplora/server.js';

export interface GsServerOptions {
  /** Transactions per address_txs page when the client asks for more (or for none). */
  pageSize?: number;
  prefix?: string;
  /** Require `Authorization: <apiKey>`. */
  apiKey?: string;
  delayMs?: number;
  rate?: { rps: number; burst: number };
  /** address → address_tag objects served by /btc/addresses/{a}/tags (two per page). */
  tags?: Record<string, Record<string, unknown>[]>;
  /** Answer this request (path with query, prefix removed) with a fault instead. */
  fault?: (path: string, n: number) => Fault | undefined;
}

export interface GsServer {
  url: string;
  requests: string[];
  /** Authorization header values received (undefined when absent). */
  auth: (string | undefined)[];
  limited: number;
  count(match?: RegExp | string): number;
  reset(): void;
  close(): Promise<void>;
}

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/** GraphSense `values`: base units plus fiat values (made up here: 1 BTC = 50 000 EUR / 55 000 USD). */
const values = (sat: bigint) => ({
  fiat_values: [
    { code: 'eur', value: Number(sat) / 2000 },
    { code: 'usd', value: Number(sat) / 1818.18 },
  ],
  value: Number(sat),
});
const txValue = (address: string | null, sat: bigint, index: number) => ({
  address: address === null ? [] : [address],
  value: values(sat),
  index,
});

/** A tx_utxo as GET /btc/txs/{h}?include_io=true&include_io_index=true answers it. */
export function gsTx(t: UtxoTx, io = true): Record<string, unknown> {
  const sumIn = t.inputs.reduce((a, i) => a + i.value, 0n);
  const sumOut = t.outputs.reduce((a, o) => a + o.value, 0n);
  return {
    coinbase: t.inputs.length === 0,
    currency: 'btc',
    height: t.height,
    ...(io
      ? {
          inputs: t.inputs.map((i, n) => txValue(i.address, i.value, n)),
          outputs: t.outputs.map((o, n) => txValue(o.address, o.value, n)),
        }
      : {}),
    no_inputs: t.inputs.length,
    no_outputs: t.outputs.length,
    timestamp: unix(t.time!),
    total_input: values(sumIn),
    total_output: values(sumOut),
    tx_hash: t.txid,
    tx_type: 'utxo',
  };
}

export async function startGraphSense(s: Scenario, options: GsServerOptions = {}): Promise<GsServer> {
  const prefix = options.prefix ?? '';
  const txs = s.txs.filter((t) => t.height !== null);
  const byId = new Map(txs.map((t) => [t.txid, t]));
  const spentIn = new Map<string, { tx_hash: string; input_index: number; output_index: number }[]>();
  const history = new Map<string, UtxoTx[]>();
  const touch = (a: string | null, t: UtxoTx) => {
    if (a === null) return;
    const h = history.get(a) ?? [];
    if (h[h.length - 1] !== t) h.push(t);
    history.set(a, h);
  };
  for (const t of txs) {
    t.inputs.forEach((i, vin) => {
      const l = spentIn.get(i.txid) ?? [];
      l.push({ input_index: vin, output_index: i.vout, tx_hash: t.txid });
      spentIn.set(i.txid, l);
      touch(i.address, t);
    });
    for (const o of t.outputs) touch(o.address, t);
  }
  const requests: string[] = [];
  const auth: (string | undefined)[] = [];
  const perPath = new Map<string, number>();
  let limited = 0;
  let tokens = options.rate?.burst ?? 0;
  let last = Date.now();

  const send = (res: ServerResponse, code: number, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(code, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...extra,
    });
    res.end(body);
  };
  const json = (res: ServerResponse, v: unknown) => send(res, 200, JSON.stringify(v));
  const notFound = (res: ServerResponse, what: string) =>
    send(res, 404, JSON.stringify({ detail: `${what} not found` }));

  const route = (url: URL, res: ServerResponse) => {
    const [cur, a, b, c, d] = url.pathname.slice(prefix.length).split('/').slice(1);
    if (cur === 'stats' && a === undefined) {
      return json(res, {
        currencies: [
          {
            name: 'btc',
            no_address_relations: 0,
            no_addresses: history.size,
            no_blocks: s.tip + 1,
            no_entities: 0,
            no_labels: 0,
            no_tagged_addresses: 0,
            no_txs: txs.length,
            timestamp: unix(s.blocks.get(Math.max(...s.blocks.keys()))!.time),
          },
        ],
        request_timestamp: '2026-12-04 06:00:00',
        version: '1.15.5',
      });
    }
    if (cur !== 'btc') return send(res, 400, JSON.stringify({ detail: `currency ${cur} not supported` }));
    if (a === 'txs' && b !== undefined) {
      const t = byId.get(b.toLowerCase());
      if (!t) return notFound(res, `Transaction ${b}`);
      if (c === undefined) return json(res, gsTx(t, url.searchParams.get('include_io') === 'true'));
      if (c === 'spending' && d === undefined)
        return json(
          res,
          t.inputs.map((i, n) => ({ input_index: n, output_index: i.vout, tx_hash: i.txid })),
        );
      if (c === 'spent_in' && d === undefined) return json(res, spentIn.get(t.txid) ?? []);
    }
    if (a === 'addresses' && b !== undefined && c === 'txs' && d === undefined) {
      const list = [...(history.get(decodeURIComponent(b)) ?? [])].sort(
        (x, y) => y.height! - x.height! || y.position! - x.position!,
      );
      if (list.length === 0) return notFound(res, `Address ${b}`);
      const asked = Number(url.searchParams.get('pagesize') ?? 'NaN');
      const size = Math.min(options.pageSize ?? 25, Number.isInteger(asked) && asked > 0 ? asked : 1e9);
      const page = url.searchParams.get('page');
      const start = page ? Number(Buffer.from(page, 'base64url').toString().replace('offset:', '')) : 0;
      if (!Number.isInteger(start) || start < 0)
        return send(res, 400, JSON.stringify({ detail: 'bad page' }));
      const slice = list.slice(start, start + size);
      const next =
        start + size < list.length ? Buffer.from(`offset:${start + size}`).toString('base64url') : null;
      return json(res, {
        address_txs: slice.map((t) => {
          const v =
            t.outputs.reduce((x, o) => x + (o.address === b ? o.value : 0n), 0n) -
            t.inputs.reduce((x, i) => x + (i.address === b ? i.value : 0n), 0n);
          return {
            coinbase: t.inputs.length === 0,
            currency: 'btc',
            height: t.height,
            timestamp: unix(t.time!),
            tx_hash: t.txid,
            tx_type: 'utxo',
            value: { fiat_values: values(v < 0n ? -v : v).fiat_values, value: Number(v) },
          };
        }),
        next_page: next,
      });
    }
    if (a === 'addresses' && b !== undefined && c === 'tags' && d === undefined) {
      const address = decodeURIComponent(b);
      if (!history.has(address)) return notFound(res, `Address ${address}`);
      const all = options.tags?.[address] ?? [];
      const page = url.searchParams.get('page');
      const start = page ? Number(page.replace('tags-', '')) : 0;
      const next = start + 2 < all.length ? `tags-${start + 2}` : null;
      return json(res, { address_tags: all.slice(start, start + 2), next_page: next });
    }
    if (a === 'blocks' && b !== undefined && c === 'txs' && d === undefined) {
      const blk = s.blocks.get(Number(b));
      if (!blk) return notFound(res, `Block ${b}`);
      return json(
        res,
        blk.txids.map((id) => {
          const t = byId.get(id);
          if (t) return gsTx(t, false);
          // A filler: unrelated transaction of the block, only its hash matters here.
          return {
            coinbase: false,
            currency: 'btc',
            height: blk.height,
            no_inputs: 1,
            no_outputs: 1,
            timestamp: unix(blk.time),
            total_input: values(1000n),
            total_output: values(900n),
            tx_hash: id,
            tx_type: 'utxo',
          };
        }),
      );
    }
    return send(res, 404, JSON.stringify({ detail: 'Not Found' }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith(prefix)) return send(res, 404, '{"detail":"Not Found"}');
    const path = `${url.pathname.slice(prefix.length)}${url.search}`;
    requests.push(path);
    auth.push(req.headers.authorization);
    const n = (perPath.get(path) ?? 0) + 1;
    perPath.set(path, n);
    if (options.rate) {
      const now = Date.now();
      tokens = Math.min(options.rate.burst, tokens + ((now - last) * options.rate.rps) / 1000);
      last = now;
      if (tokens < 1) {
        limited++;
        return send(res, 429, '{"detail":"Too Many Requests"}');
      }
      tokens -= 1;
    }
    if (options.apiKey !== undefined && req.headers.authorization !== options.apiKey)
      return send(res, 401, '{"detail":"Not authenticated"}');
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const f = options.fault?.(path, n);
    if (f) {
      if ('kind' in f) {
        if (f.kind === 'hang') return;
        if (f.kind === 'json') return json(res, f.body);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 5000 });
        res.write('{"tx_hash":"');
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      }
      res.writeHead(f.status, { 'content-type': f.contentType ?? 'application/json', ...(f.headers ?? {}) });
      return res.end(f.body ?? '');
    }
    return route(url, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => res.destroy(e as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    auth,
    get limited() {
      return limited;
    },
    count: (m) =>
      m === undefined
        ? requests.length
        : requests.filter((r) => (typeof m === 'string' ? r.startsWith(m) : m.test(r))).length,
    reset: () => {
      requests.length = 0;
      auth.length = 0;
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
