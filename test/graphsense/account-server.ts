// A local GraphSense-REST-shaped HTTP server (127.0.0.1, random port) for account chains (eth,
// trx) over an AccountScenario, in the wire format of the OpenAPI spec v1.15.5: `stats`,
// `tx_account` items (identifier `<hash>`, `<hash>_I<trace>`, `<hash>_T<log>` as graphsense-lib
// writes them; tx_hash without 0x; amounts as JSON integers of base units, beyond 2^53 where the
// scenario says so), `address_txs` pages newest first with an opaque `next_page` cursor,
// `/txs/{h}/flows` pages (`txs`), `/blocks/{h}/txs` (the block's transactions in their scenario
// positions), `/supported_tokens` (`token_configs`) and address tags.
// Unknown items answer 404 `{detail}` as the FastAPI server does; with `apiKey` a request without
// that exact Authorization header gets 401. Faults, delays and a token-bucket rate limit as in
// ./server.ts. Counts every request and keeps every Authorization header seen.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fault } from '../esplora/server.js';
import type { AccountScenario, GsAccountScenarioTx } from './account-scenario.js';

export interface AccountServerOptions {
  pageSize?: number;
  prefix?: string;
  apiKey?: string;
  delayMs?: number;
  rate?: { rps: number; burst: number };
  tags?: Record<string, Record<string, unknown>[]>;
  /** Serve no /supported_tokens (404), as an older deployment might. */
  noTokenConfigs?: boolean;
  fault?: (path: string, n: number) => Fault | undefined;
}

export interface AccountServer {
  url: string;
  requests: string[];
  auth: (string | undefined)[];
  readonly limited: number;
  count(match?: RegExp | string): number;
  reset(): void;
  close(): Promise<void>;
}

/** JSON with bigints written as bare integers (as a Python server writes big ints). */
export const bigJson = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `__big__${x}` : x)).replace(/"__big__(\d+)"/g, '$1');

const values = (v: bigint, decimals: number) => ({
  fiat_values: [
    { code: 'eur', value: Number(v) / 10 ** decimals },
    { code: 'usd', value: (Number(v) / 10 ** decimals) * 1.1 },
  ],
  value: v,
});

interface Item {
  body: Record<string, unknown>;
  tx: GsAccountScenarioTx;
  from: string;
  to: string;
  /** order within the tx: the tx itself, then traces, then token events */
  sub: number;
}

export function accountItems(sc: AccountScenario): Item[] {
  const dec = sc.net === 'eth' ? 18 : 6;
  const lower = (a: string) => (sc.net === 'eth' ? a.toLowerCase() : a);
  const out: Item[] = [];
  for (const t of sc.txs) {
    const common = {
      currency: sc.net,
      height: t.height,
      network: sc.net,
      timestamp: t.time,
      tx_hash: t.hash,
      tx_type: 'account',
    };
    out.push({
      tx: t,
      from: t.from,
      to: t.to,
      sub: -1,
      body: {
        ...common,
        contract_creation: false,
        ...(t.fee !== undefined ? { fee: values(t.fee, dec) } : {}),
        from_address: lower(t.from),
        identifier: t.hash,
        is_external: true,
        to_address: lower(t.to),
        value: values(t.value, dec),
      },
    });
    for (const i of t.internals ?? [])
      out.push({
        tx: t,
        from: i.from,
        to: i.to,
        sub: i.trace,
        body: {
          ...common,
          from_address: lower(i.from),
          identifier: `${t.hash}_I${i.trace}`,
          is_external: false,
          to_address: lower(i.to),
          value: values(i.value, dec),
        },
      });
    for (const k of t.tokens ?? []) {
      const decimals = sc.tokens.find((c) => c.ticker.toLowerCase() === k.ticker)?.decimals ?? 0;
      out.push({
        tx: t,
        from: k.from,
        to: k.to,
        sub: 1_000_000 + k.log,
        body: {
          ...common,
          currency: k.ticker,
          from_address: lower(k.from),
          identifier: `${t.hash}_T${k.log}`,
          to_address: lower(k.to),
          token_tx_id: k.log,
          value: values(k.value, decimals),
        },
      });
    }
  }
  return out;
}

export async function startAccountServer(
  sc: AccountScenario,
  options: AccountServerOptions = {},
): Promise<AccountServer> {
  const prefix = options.prefix ?? '';
  const items = accountItems(sc);
  const byAddress = new Map<string, Item[]>();
  for (const it of items)
    for (const a of new Set([it.from, it.to])) {
      const l = byAddress.get(a) ?? [];
      l.push(it);
      byAddress.set(a, l);
    }
  const byTx = new Map<string, Item[]>();
  for (const it of items) {
    const l = byTx.get(it.tx.hash) ?? [];
    l.push(it);
    byTx.set(it.tx.hash, l);
  }
  const requests: string[] = [];
  const auth: (string | undefined)[] = [];
  const perPath = new Map<string, number>();
  let limited = 0;
  let tokens = options.rate?.burst ?? 0;
  let last = Date.now();

  const send = (res: ServerResponse, code: number, body: string) => {
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const json = (res: ServerResponse, v: unknown) => send(res, 200, bigJson(v));
  const notFound = (res: ServerResponse, what: string) =>
    send(res, 404, JSON.stringify({ detail: `${what} not found` }));

  const paged = (url: URL, list: Item[], key: string) => {
    const asked = Number(url.searchParams.get('pagesize') ?? 'NaN');
    const size = Math.min(options.pageSize ?? 25, Number.isInteger(asked) && asked > 0 ? asked : 1e9);
    const page = url.searchParams.get('page');
    const start = page ? Number(Buffer.from(page, 'base64url').toString().replace('offset:', '')) : 0;
    const slice = list.slice(start, start + size);
    const next =
      start + size < list.length ? Buffer.from(`offset:${start + size}`).toString('base64url') : null;
    return { [key]: slice.map((i) => i.body), next_page: next };
  };

  const route = (url: URL, res: ServerResponse) => {
    const [cur, a, b, c, d] = url.pathname.slice(prefix.length).split('/').slice(1);
    if (cur === 'stats' && a === undefined)
      return json(res, {
        currencies: [
          {
            name: sc.net,
            no_address_relations: 0,
            no_addresses: byAddress.size,
            no_blocks: sc.tip + 1,
            no_entities: 0,
            no_labels: 0,
            no_tagged_addresses: 0,
            no_txs: sc.txs.length,
            timestamp: Math.max(...sc.txs.map((t) => t.time)),
          },
        ],
        request_timestamp: '2026-12-04 06:00:00',
        version: '1.15.5',
      });
    if (cur !== sc.net) return send(res, 400, JSON.stringify({ detail: `currency ${cur} not supported` }));
    if (a === 'supported_tokens' && b === undefined) {
      if (options.noTokenConfigs) return send(res, 404, '{"detail":"Not Found"}');
      return json(res, {
        token_configs: sc.tokens.map((t) => ({
          ticker: t.ticker,
          decimals: t.decimals,
          ...(t.peg ? { peg_currency: t.peg } : {}),
          ...(t.contract ? { contract_address: t.contract } : {}),
        })),
      });
    }
    if (a === 'blocks' && b !== undefined && c === 'txs' && d === undefined) {
      const h = Number(b);
      const list = sc.txs.filter((t) => t.height === h).sort((x, y) => x.position - y.position);
      if (list.length === 0) return notFound(res, `Block ${b}`);
      return json(
        res,
        list.map((t) => byTx.get(t.hash)![0]!.body),
      );
    }
    if (a === 'txs' && b !== undefined) {
      const list = byTx.get(b.toLowerCase().replace(/^0x/, ''));
      if (!list) return notFound(res, `Transaction ${b}`);
      if (c === undefined) return json(res, list[0]!.body);
      if (c === 'flows' && d === undefined) return json(res, paged(url, list, 'txs'));
    }
    if (a === 'addresses' && b !== undefined && d === undefined) {
      const raw = decodeURIComponent(b);
      const address = [...byAddress.keys()].find((k) => k.toLowerCase() === raw.toLowerCase());
      if (c === 'txs') {
        if (!address) return notFound(res, `Address ${raw}`);
        // Newest first (GraphSense's default order desc).
        const list = [...byAddress.get(address)!].sort(
          (x, y) => y.tx.height - x.tx.height || (y.tx.hash < x.tx.hash ? -1 : 1) || y.sub - x.sub,
        );
        return json(res, paged(url, list, 'address_txs'));
      }
      if (c === 'tags') {
        if (!address) return notFound(res, `Address ${raw}`);
        const all = options.tags?.[address] ?? [];
        const page = url.searchParams.get('page');
        const start = page ? Number(page.replace('tags-', '')) : 0;
        const next = start + 2 < all.length ? `tags-${start + 2}` : null;
        return json(res, { address_tags: all.slice(start, start + 2), next_page: next });
      }
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
        if (f.kind === 'json') return send(res, 200, typeof f.body === 'string' ? f.body : bigJson(f.body));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 5000 });
        res.write('{"address_txs":[{"tx_hash":"');
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
