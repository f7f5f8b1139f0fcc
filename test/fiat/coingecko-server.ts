// A CoinGecko replay server on loopback: the wire format of /coins/{id}/market_chart/range and
// /coins/{id}/history as the API sends it (numbers written out digit for digit, the trailing
// "latest price" point, error objects with their HTTP status), with switchable failures.
import type { ServerResponse } from 'node:http';
import { startServer, type TestServer } from '../http/helpers.js';

/** Snapshot day (YYYY-MM-DD, stamped 00:00 UTC) → USD price text, per coin id. */
export type Snapshots = Record<string, Record<string, string>>;

export interface CoinGeckoReplay {
  server: TestServer;
  baseUrl: string;
  /** Answers with 429 to the next `n` requests. */
  rateLimit(n: number, retryAfter?: string): void;
  /** /history answers name this coin id instead of the one asked for. */
  answerAs(id: string | null): void;
  close(): Promise<void>;
}

const RATE_LIMIT_BODY =
  '{"status":{"error_code":429,"error_message":"You\'ve exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits."}}';

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export async function startCoinGecko(
  snapshots: Snapshots,
  opts: { now: number; key?: { header: string; value: string } },
): Promise<CoinGeckoReplay> {
  let limited = 0;
  let retryAfter: string | undefined;
  let answerAs: string | null = null;
  const server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (limited > 0) {
      limited--;
      return send(res, 429, RATE_LIMIT_BODY, retryAfter ? { 'retry-after': retryAfter } : {});
    }
    if (opts.key && req.headers[opts.key.header] !== opts.key.value)
      return send(res, 401, '{"status":{"error_code":10002,"error_message":"API Key Missing"}}');
    const m = /^\/api\/v3\/coins\/([^/]+)\/(market_chart\/range|history)$/.exec(url.pathname);
    if (!m) return send(res, 404, '{"error":"Not Found"}');
    const id = decodeURIComponent(m[1]!);
    const coin = snapshots[id];
    if (!coin) return send(res, 404, '{"error":"coin not found"}');
    if (m[2] === 'history') {
      const [dd, mm, yyyy] = (url.searchParams.get('date') ?? '').split('-');
      const price = coin[`${yyyy}-${mm}-${dd}`];
      const name = answerAs ?? id;
      const head = `{"id":"${name}","symbol":"${name.slice(0, 3)}","name":"${name}","localization":{"en":"${name}"},"image":{"thumb":"https://example.invalid/t.png"}`;
      if (price === undefined) return send(res, 200, `${head}}`);
      return send(
        res,
        200,
        `${head},"market_data":{"current_price":{"aed":1,"usd":${price},"kes":2},"market_cap":{"usd":1},"total_volume":{"usd":1}},"community_data":{"facebook_likes":null},"developer_data":{"forks":0},"public_interest_stats":{"alexa_rank":null}}`,
      );
    }
    if (url.searchParams.get('vs_currency') !== 'usd')
      return send(res, 400, '{"error":"invalid vs_currency"}');
    const from = Number(url.searchParams.get('from')) * 1000;
    const to = Number(url.searchParams.get('to')) * 1000;
    const points: string[] = [];
    const caps: string[] = [];
    for (const day of Object.keys(coin).sort()) {
      const ms = Date.parse(`${day}T00:00:00Z`);
      if (ms < from || ms > to || ms > opts.now) continue;
      points.push(`[${ms},${coin[day]}]`);
      caps.push(`[${ms},870245378452.5381]`);
    }
    // Like the real API, a range reaching into the present ends with the latest price.
    if (to >= opts.now && points.length > 0) {
      points.push(`[${opts.now - 1234},61234.5]`);
      caps.push(`[${opts.now - 1234},1]`);
    }
    return send(
      res,
      200,
      `{"prices":[${points.join(',')}],"market_caps":[${caps.join(',')}],"total_volumes":[${caps.join(',')}]}`,
    );
  });
  return {
    server,
    baseUrl: server.url('/api/v3'),
    rateLimit(n, ra) {
      limited = n;
      retryAfter = ra;
    },
    answerAs(id) {
      answerAs = id;
    },
    close: () => server.close(),
  };
}
