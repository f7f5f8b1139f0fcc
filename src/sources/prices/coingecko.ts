// Daily USD closes from a CoinGecko-compatible API, through the shared HTTP client and cache.
//
// Endpoints (docs.coingecko.com):
//   range   GET /coins/{id}/market_chart/range?vs_currency=usd&from=…&to=…&interval=daily&precision=full
//           → {"prices": [[ms, price], …], "market_caps": …, "total_volumes": …}; one request per
//           calendar month of snapshots (reusable cache entries).
//   history GET /coins/{id}/history?date=DD-MM-YYYY&localization=false
//           → {"id": "bitcoin", …, "market_data": {"current_price": {"usd": …}}}; one request per day.
//           Its answer names the coin, so an answer for another id is caught.
// Key: COINGECKO_API_KEY, sent only as a header (x-cg-demo-api-key, or x-cg-pro-api-key for the
// Pro plan), never in a URL, a cache key, a message or evidence.
//
// Which snapshot is which day's close. CoinGecko's daily points are snapshots taken at 00:00 UTC;
// from 2018-01-30 on, the snapshot stamped day D+1 is the close of day D; before that, the
// snapshot stamped D was already D's close (two timestamp regimes, established against independent
// closes in ../shared/data/prices/PROVENANCE.md §1; the 2018-01-29 snapshot is dropped, as there).
// This keeps API values identical to the shared CSV files, which are CoinGecko's own exports.
//
// Errors: HTTP failures and 429 go through the client's retries and become SOURCE errors; an
// empty series, a point outside the range asked for, an answer for another coin or a missing
// price are BAD_DATA and nothing is cached (a validator failure is never cached).
import { FundtraceError, usageError } from '../../core/errors.js';
import { PRICE_IDS } from '../../core/fiat/assets.js';
import type { PriceRow, PriceSeries } from '../../core/fiat/book.js';
import { addDays, dayOfMs, dayStartMs, isCalendarDay } from '../../core/fiat/calendar.js';
import { type Decimal, parseDecimal } from '../../core/fiat/decimal.js';
import type { Clock, HttpClient } from '../http/index.js';
import { ValidationError } from '../http/index.js';
import { type ExactJson, isObject, JsonNumber, parseJsonExact } from './json-exact.js';

export const COINGECKO_DEMO_URL = 'https://api.coingecko.com/api/v3';
export const COINGECKO_PRO_URL = 'https://pro-api.coingecko.com/api/v3';

/** The last snapshot day of the first regime (see the header). */
const REGIME_SWITCH = '2018-01-29';
const HOUR_MS = 3_600_000;

export interface CoinGeckoConfig {
  baseUrl: string;
  /** From the environment only; sent as a header. */
  apiKey?: string;
  plan: 'demo' | 'pro';
  endpoint: 'range' | 'history';
}

/**
 * COINGECKO_API_KEY (optional), COINGECKO_API_PLAN (demo | pro; default pro when the URL is
 * pro-api.coingecko.com, else demo), FUNDTRACE_COINGECKO_URL (default by plan),
 * FUNDTRACE_COINGECKO_ENDPOINT (range | history; default range).
 */
export function coinGeckoConfigFromEnv(env: NodeJS.ProcessEnv): CoinGeckoConfig {
  const key = env.COINGECKO_API_KEY?.trim();
  const url = env.FUNDTRACE_COINGECKO_URL?.trim();
  const planRaw = env.COINGECKO_API_PLAN?.trim().toLowerCase();
  if (planRaw && planRaw !== 'demo' && planRaw !== 'pro')
    throw usageError(`COINGECKO_API_PLAN=${JSON.stringify(planRaw.slice(0, 20))}: expected demo or pro`);
  let host = '';
  if (url) {
    try {
      host = new URL(url).hostname;
    } catch {
      throw usageError(`FUNDTRACE_COINGECKO_URL is not a URL`);
    }
  }
  const plan = (planRaw as 'demo' | 'pro' | undefined) ?? (host === 'pro-api.coingecko.com' ? 'pro' : 'demo');
  const endpointRaw = env.FUNDTRACE_COINGECKO_ENDPOINT?.trim().toLowerCase() || 'range';
  if (endpointRaw !== 'range' && endpointRaw !== 'history')
    throw usageError(
      `FUNDTRACE_COINGECKO_ENDPOINT=${JSON.stringify(endpointRaw.slice(0, 20))}: expected range or history`,
    );
  return {
    baseUrl: (url || (plan === 'pro' ? COINGECKO_PRO_URL : COINGECKO_DEMO_URL)).replace(/\/+$/, ''),
    ...(key ? { apiKey: key } : {}),
    plan,
    endpoint: endpointRaw,
  };
}

/** The snapshot day whose 00:00 UTC point is the close of `day`. */
export function snapshotDayFor(day: string): string {
  return day < REGIME_SWITCH ? day : addDays(day, 1);
}

/** The day a snapshot stamped on `snapshotDay` closes, or undefined for the dropped 2018-01-29 one. */
export function closeDayOfSnapshot(snapshotDay: string): string | undefined {
  if (snapshotDay < REGIME_SWITCH) return snapshotDay;
  if (snapshotDay === REGIME_SWITCH) return undefined;
  return addDays(snapshotDay, -1);
}

export interface CoinGeckoSource {
  readonly config: Readonly<Omit<CoinGeckoConfig, 'apiKey'>>;
  /**
   * The USD closes of `symbol` (a key of PRICE_IDS) for `days`, as a price series. Days whose
   * close is not known yet (the day has not ended) and days the API has no point for are absent,
   * so a valuation reports them missing.
   */
  dailyCloses(symbol: string, days: readonly string[], signal?: AbortSignal): Promise<PriceSeries>;
}

interface Point {
  ms: number;
  text: string;
  value: Decimal;
}

const fmtDdMmYyyy = (day: string) => `${day.slice(8, 10)}-${day.slice(5, 7)}-${day.slice(0, 4)}`;

const num = (v: ExactJson | undefined): string | undefined => (v instanceof JsonNumber ? v.text : undefined);

/** Validate a market_chart/range body: every problem listed; the points inside [fromMs, toMs]. */
export function parseRangeBody(text: string, id: string, fromMs: number, toMs: number): Point[] {
  let data: ExactJson;
  try {
    data = parseJsonExact(text);
  } catch (e) {
    throw new ValidationError(`invalid JSON (${(e as Error).message})`);
  }
  if (!isObject(data)) throw new ValidationError('expected a JSON object');
  if (data.error !== undefined || data.status !== undefined)
    throw new ValidationError(`API error: ${apiError(data)}`);
  const prices = data.prices;
  if (!Array.isArray(prices)) throw new ValidationError('no "prices" list in the answer');
  const range = `${dayOfMs(fromMs)} … ${dayOfMs(toMs)}`;
  if (prices.length === 0)
    throw new ValidationError(
      `empty price series for ${id} (${range}): the API has no prices for that range`,
    );
  const problems: string[] = [];
  const points: Point[] = [];
  let prev = -Infinity;
  prices.forEach((p, i) => {
    const at = `prices[${i}]`;
    if (!Array.isArray(p) || p.length !== 2) {
      problems.push(`${at}: expected [timestamp, price]`);
      return;
    }
    const tsText = num(p[0]);
    const ms = tsText !== undefined && /^\d+$/.test(tsText) ? Number(tsText) : Number.NaN;
    if (!Number.isSafeInteger(ms)) {
      problems.push(`${at}: timestamp is not a whole number of milliseconds`);
      return;
    }
    if (ms <= prev) problems.push(`${at}: timestamps are not increasing`);
    prev = ms;
    // CoinGecko ends a range with the latest price; anything else outside the range means the
    // answer is not the series that was asked for.
    if (ms < fromMs - HOUR_MS || ms > toMs + 2 * HOUR_MS) {
      problems.push(
        `${at}: point at ${new Date(ms).toISOString()} is outside the range asked for (${range})`,
      );
      return;
    }
    if (p[1] === null) return; // no price at that moment: the day stays missing
    const text = num(p[1]);
    const value = text === undefined ? undefined : parseDecimal(text);
    if (value === undefined || value.units <= 0n) {
      problems.push(`${at}: price ${JSON.stringify(text ?? typeof p[1])} is not a positive number`);
      return;
    }
    points.push({ ms, text: text!, value });
  });
  if (problems.length > 0) throw new ValidationError(problems);
  return points;
}

function apiError(data: Record<string, ExactJson>): string {
  const e = data.error;
  if (typeof e === 'string') return e.slice(0, 200);
  const status =
    isObject(e) && isObject(e.status) ? e.status : isObject(data.status) ? data.status : undefined;
  const msg = status?.error_message;
  return typeof msg === 'string' ? msg.slice(0, 200) : 'unrecognised error object';
}

/** Validate a /history body for coin `id`: the USD price of its 00:00 UTC snapshot. */
export function parseHistoryBody(text: string, id: string, date: string): { text: string; value: Decimal } {
  let data: ExactJson;
  try {
    data = parseJsonExact(text);
  } catch (e) {
    throw new ValidationError(`invalid JSON (${(e as Error).message})`);
  }
  if (!isObject(data)) throw new ValidationError('expected a JSON object');
  if (data.error !== undefined || (data.status !== undefined && data.id === undefined))
    throw new ValidationError(`API error: ${apiError(data)}`);
  if (data.id !== id)
    throw new ValidationError(
      `the answer is for coin ${JSON.stringify(String(data.id).slice(0, 60))}, not ${JSON.stringify(id)}: nothing from it is used`,
    );
  const md = data.market_data;
  const usd = isObject(md) && isObject(md.current_price) ? md.current_price.usd : undefined;
  if (md === undefined || usd === undefined)
    throw new ValidationError(`no USD market data for ${id} on ${date}: the API has no price for that day`);
  const t = num(usd);
  const value = t === undefined ? undefined : parseDecimal(t);
  if (value === undefined || value.units <= 0n)
    throw new ValidationError(`market_data.current_price.usd is not a positive number`);
  return { text: t!, value };
}

export function createCoinGeckoSource(
  client: HttpClient,
  config: CoinGeckoConfig,
  clock: Pick<Clock, 'now'> = { now: () => Date.now() },
): CoinGeckoSource {
  const host = new URL(config.baseUrl).host;
  const headers: Record<string, string> = {};
  if (config.apiKey)
    headers[config.plan === 'pro' ? 'x-cg-pro-api-key' : 'x-cg-demo-api-key'] = config.apiKey;
  const { apiKey: _k, ...publicConfig } = config;

  async function rangeMonth(id: string, month: string, signal?: AbortSignal): Promise<Map<string, PriceRow>> {
    // Snapshots stamped in this month: [first day 00:00, first day of next month 00:00).
    const fromMs = dayStartMs(`${month}-01`);
    const next = new Date(fromMs);
    next.setUTCMonth(next.getUTCMonth() + 1);
    const toMs = next.getTime();
    const url = `${config.baseUrl}/coins/${encodeURIComponent(id)}/market_chart/range?vs_currency=usd&from=${fromMs / 1000}&to=${toMs / 1000}&interval=daily&precision=full`;
    // Past snapshots never change: cached for good once the month's last snapshot is an hour old.
    const past = toMs + HOUR_MS < clock.now();
    const points = await client.getText(url, {
      headers,
      ...(signal ? { signal } : {}),
      validate: (body) => parseRangeBody(body, id, fromMs, toMs),
      cachePolicy: { kind: 'coingecko.range', immutable: past },
    });
    const rows = new Map<string, PriceRow>();
    for (const p of points) {
      // A daily snapshot is within the first hour of its UTC day; hourly points and the
      // closing "latest price" point are not closes.
      if (p.ms % 86_400_000 >= HOUR_MS) continue;
      const sd = dayOfMs(p.ms);
      if (sd.slice(0, 7) !== month) continue;
      const day = closeDayOfSnapshot(sd);
      if (day === undefined || rows.has(day)) continue;
      rows.set(day, { date: day, text: p.text, value: p.value, at: url });
    }
    return rows;
  }

  async function historyDay(id: string, day: string, signal?: AbortSignal): Promise<PriceRow> {
    const sd = snapshotDayFor(day);
    const url = `${config.baseUrl}/coins/${encodeURIComponent(id)}/history?date=${fmtDdMmYyyy(sd)}&localization=false`;
    const r = await client.getText(url, {
      headers,
      ...(signal ? { signal } : {}),
      validate: (body) => parseHistoryBody(body, id, sd),
      cachePolicy: { kind: 'coingecko.history', immutable: true },
    });
    return { date: day, text: r.text, value: r.value, at: url };
  }

  return {
    config: publicConfig,
    async dailyCloses(symbol, days, signal) {
      const id = Object.hasOwn(PRICE_IDS, symbol) ? PRICE_IDS[symbol]! : undefined;
      if (id === undefined) throw usageError(`no CoinGecko id for ${symbol}`);
      for (const d of days)
        if (!isCalendarDay(d))
          throw new FundtraceError('INTERNAL', `dailyCloses: ${JSON.stringify(d)} is not a day`);
      const wanted = [...new Set(days)].sort();
      // A day's close exists once its closing snapshot has been taken (an hour's margin to publish).
      const now = clock.now();
      const closed = wanted.filter((d) => dayStartMs(snapshotDayFor(d)) + HOUR_MS <= now);
      // The latest day whose close is known now: lookups after it are "after the series".
      const lastKnown = closeDayOfSnapshot(dayOfMs(now - HOUR_MS)) ?? addDays(REGIME_SWITCH, -1);
      const rows = new Map<string, PriceRow>();
      if (config.endpoint === 'history') {
        for (const d of closed) rows.set(d, await historyDay(id, d, signal));
      } else {
        const months = [...new Set(closed.map((d) => snapshotDayFor(d).slice(0, 7)))].sort();
        for (const m of months) {
          const got = await rangeMonth(id, m, signal);
          for (const d of closed) {
            const r = got.get(d);
            if (r && snapshotDayFor(d).slice(0, 7) === m) rows.set(d, r);
          }
        }
      }
      return {
        id: `${symbol}-USD`,
        kind: 'crypto',
        base: symbol,
        quote: 'USD',
        source: `CoinGecko API ${host} (${id})`,
        coverage: wanted.length > 0 ? { first: wanted[0]!, last: lastKnown } : null,
        rows: [...rows.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
      };
    },
  };
}
