// The CoinGecko price source against a loopback replay of the API's wire format: which snapshot
// is which day's close, exact digits, the key in a header only, the cache (past months for good,
// nothing wrong cached), 429s, empty series, unknown coins and answers for the wrong coin.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FundtraceError } from '../../src/core/errors.js';
import { createPriceBook } from '../../src/core/fiat/book.js';
import { resolveCurrency } from '../../src/core/fiat/currency.js';
import { pricesNeeded, valueItems } from '../../src/core/fiat/value.js';
import { type CacheStore, openFileCache } from '../../src/sources/cache/store.js';
import {
  type CoinGeckoConfig,
  closeDayOfSnapshot,
  coinGeckoConfigFromEnv,
  createCoinGeckoSource,
  parseRangeBody,
  snapshotDayFor,
} from '../../src/sources/prices/coingecko.js';
import { loadPriceBook } from '../../src/sources/prices/load.js';
import { fakeClock, rejection, tempDir, testClient } from '../http/helpers.js';
import { type CoinGeckoReplay, startCoinGecko } from './coingecko-server.js';
import { SAMPLE_PRICES } from './helpers.js';

// CoinGecko snapshots, stamped 00:00 UTC of the day given: from 2018-01-30 on, the snapshot of
// day D+1 is the close of day D (the values are the BTC-USD.csv closes of the day before).
const SNAPSHOTS = {
  bitcoin: {
    '2017-06-01': '2436.0363', // regime 1: the close of 2017-06-01 itself
    '2018-01-28': '11665.6969300847', // close of 2018-01-28
    '2018-01-29': '11157.6638878978', // the snapshot PROVENANCE.md drops
    '2018-01-30': '11095.2106891266', // close of 2018-01-29
    '2018-01-31': '9989.68977659669', // close of 2018-01-30
    '2024-02-13': '50050.13609456397', // close of 2024-02-12
    '2024-02-17': '52166.43430976192', // close of 2024-02-16
    '2024-02-18': '51684.51749264525', // close of 2024-02-17
    '2024-03-01': '61298.216861101624', // close of 2024-02-29
  },
  tether: { '2024-05-04': '0.99629000000000001' }, // more digits than a double holds
  'usd-coin': { '2023-03-12': '0.9655782350580624' },
};
const KEY = 'cg-demo-SECRET-0123456789';
const NOW = Date.UTC(2024, 5, 1, 12); // 2024-06-01T12:00Z

let cg: CoinGeckoReplay;
let dir: string;
let cleanup: () => Promise<void>;
let cache: CacheStore;

beforeEach(async () => {
  cg = await startCoinGecko(SNAPSHOTS, { now: NOW, key: { header: 'x-cg-demo-api-key', value: KEY } });
  ({ dir, cleanup } = await tempDir());
  cache = openFileCache({ dir });
});
afterEach(async () => {
  await cg.close();
  await cleanup();
});

const config = (over: Partial<CoinGeckoConfig> = {}): CoinGeckoConfig => ({
  baseUrl: cg.baseUrl,
  apiKey: KEY,
  plan: 'demo',
  endpoint: 'range',
  ...over,
});
function source(over: Partial<CoinGeckoConfig> = {}, now = NOW) {
  const clock = fakeClock(now);
  const { client } = testClient({ cache, clock });
  return { src: createCoinGeckoSource(client, config(over), clock), client, clock };
}
const rowsOf = (s: { rows: { date: string; text: string }[] }) => s.rows.map((r) => `${r.date}=${r.text}`);

describe('which snapshot closes which day', () => {
  it('follows the two timestamp regimes of PROVENANCE.md §1', () => {
    expect(snapshotDayFor('2017-06-01')).toBe('2017-06-01');
    expect(snapshotDayFor('2018-01-28')).toBe('2018-01-28');
    expect(snapshotDayFor('2018-01-29')).toBe('2018-01-30');
    expect(snapshotDayFor('2024-02-16')).toBe('2024-02-17');
    expect(closeDayOfSnapshot('2018-01-28')).toBe('2018-01-28');
    expect(closeDayOfSnapshot('2018-01-29')).toBeUndefined();
    expect(closeDayOfSnapshot('2018-01-30')).toBe('2018-01-29');
    expect(closeDayOfSnapshot('2024-02-17')).toBe('2024-02-16');
  });
});

describe('market_chart/range', () => {
  it('reads daily closes, one request per month, the key sent as a header only', async () => {
    const { src } = source();
    const s = await src.dailyCloses('BTC', ['2024-02-16', '2024-02-12', '2024-02-29', '2024-02-16']);
    expect(rowsOf(s)).toEqual([
      '2024-02-12=50050.13609456397',
      '2024-02-16=52166.43430976192',
      '2024-02-29=61298.216861101624',
    ]);
    expect(s).toMatchObject({
      id: 'BTC-USD',
      kind: 'crypto',
      source: `CoinGecko API 127.0.0.1:${cg.server.port} (bitcoin)`,
      coverage: { first: '2024-02-12', last: '2024-05-31' },
    });
    // 2024-02-29 closes with the 2024-03-01 snapshot: a second month.
    expect(cg.server.requests.map((r) => r.url)).toEqual([
      '/api/v3/coins/bitcoin/market_chart/range?vs_currency=usd&from=1706745600&to=1709251200&interval=daily&precision=full',
      '/api/v3/coins/bitcoin/market_chart/range?vs_currency=usd&from=1709251200&to=1711929600&interval=daily&precision=full',
    ]);
    expect(cg.server.requests[0]!.headers['x-cg-demo-api-key']).toBe(KEY);
    expect(s.rows[0]!.at).toBe(
      `${cg.baseUrl}/coins/bitcoin/market_chart/range?vs_currency=usd&from=1706745600&to=1709251200&interval=daily&precision=full`,
    );
  });

  it('sends the Pro header for the Pro plan', async () => {
    await cg.close();
    cg = await startCoinGecko(SNAPSHOTS, { now: NOW, key: { header: 'x-cg-pro-api-key', value: KEY } });
    const { src } = source({ plan: 'pro' });
    expect(rowsOf(await src.dailyCloses('BTC', ['2024-02-16']))).toEqual(['2024-02-16=52166.43430976192']);
  });

  it('maps the 2018 regime switch exactly like the shared CSV files', async () => {
    const { src } = source();
    const s = await src.dailyCloses('BTC', ['2017-06-01', '2018-01-28', '2018-01-29', '2018-01-30']);
    expect(rowsOf(s)).toEqual([
      '2017-06-01=2436.0363',
      '2018-01-28=11665.6969300847',
      '2018-01-29=11095.2106891266',
      '2018-01-30=9989.68977659669',
    ]);
  });

  it('keeps every digit the server sent', async () => {
    const { src } = source();
    expect(rowsOf(await src.dailyCloses('USDT', ['2024-05-03']))).toEqual(['2024-05-03=0.99629000000000001']);
  });

  it('leaves a day the API has no point for missing, and a valuation says so', async () => {
    const { src } = source();
    const s = await src.dailyCloses('BTC', ['2024-02-13', '2024-02-16']);
    expect(rowsOf(s)).toEqual(['2024-02-16=52166.43430976192']);
    const book = createPriceBook([s]);
    const l = book.lookup('BTC', 'USD', '2024-02-13T10:00:00Z');
    expect(!l.ok && l.missing.reason).toBe(
      `no BTC-USD close for 2024-02-13 in CoinGecko API 127.0.0.1:${cg.server.port} (bitcoin); a missing day is not filled from its neighbours`,
    );
  });

  it('does not ask for a day that has not closed yet, and does not cache the current month for good', async () => {
    const now = Date.parse('2024-02-17T10:00:00Z');
    await cg.close();
    cg = await startCoinGecko(SNAPSHOTS, { now, key: { header: 'x-cg-demo-api-key', value: KEY } });
    const { src, clock } = source({}, now);
    const s = await src.dailyCloses('BTC', ['2024-02-16', '2024-02-17']);
    expect(rowsOf(s)).toEqual(['2024-02-16=52166.43430976192']);
    expect(s.coverage).toEqual({ first: '2024-02-16', last: '2024-02-16' });
    const l = createPriceBook([s]).lookup('BTC', 'USD', '2024-02-17T09:20:00Z');
    expect(!l.ok && l.missing.code).toBe('after-series');
    // The month is still open: re-read after the revalidation window, not kept for good.
    await src.dailyCloses('BTC', ['2024-02-16']);
    expect(cg.server.requests).toHaveLength(1);
    clock.advance(11 * 60_000);
    await src.dailyCloses('BTC', ['2024-02-16']);
    expect(cg.server.requests).toHaveLength(2);
  });

  it('caches past months for good, and never stores the key', async () => {
    const { src, clock } = source();
    await src.dailyCloses('BTC', ['2024-02-16']);
    clock.advance(365 * 86_400_000);
    const again = await src.dailyCloses('BTC', ['2024-02-16']);
    expect(rowsOf(again)).toEqual(['2024-02-16=52166.43430976192']);
    expect(cg.server.requests).toHaveLength(1);
    const files = await readdir(dir, { recursive: true });
    let stored = '';
    for (const f of files)
      stored += await readFile(join(dir, f)).then(
        (b) => b.toString('utf8'),
        () => '',
      );
    expect(stored).toContain('market_chart/range');
    expect(stored).not.toContain(KEY);
  });

  it('retries a 429 and then succeeds', async () => {
    const { src, client } = source();
    cg.rateLimit(2);
    expect(rowsOf(await src.dailyCloses('BTC', ['2024-02-16']))).toEqual(['2024-02-16=52166.43430976192']);
    expect(cg.server.requests).toHaveLength(3);
    expect(client.stats().rateLimited).toBe(2);
  });

  it('fails with a source error on a 429 that does not stop, caching nothing', async () => {
    const { src } = source();
    cg.rateLimit(10);
    const e = await rejection(src.dailyCloses('BTC', ['2024-02-16']));
    expect(e).toBeInstanceOf(FundtraceError);
    expect(e.code).toBe('SOURCE');
    expect(e.message).toMatch(/failed after 4 attempts: HTTP 429 .*exceeded the Rate Limit/);
    expect(e.message).not.toContain(KEY);
    cg.rateLimit(0);
    await src.dailyCloses('BTC', ['2024-02-16']);
    expect(cg.server.requests).toHaveLength(5);
  });

  it('refuses an empty series and caches nothing', async () => {
    const { src } = source();
    const e = await rejection(src.dailyCloses('USDC', ['2024-02-16']));
    expect(e.code).toBe('BAD_DATA');
    expect(e.message).toMatch(
      /unexpected response from GET .*usd-coin.*: empty price series for usd-coin \(2024-02-01 … 2024-03-01\): the API has no prices for that range/,
    );
    await rejection(src.dailyCloses('USDC', ['2024-02-16']));
    expect(cg.server.requests).toHaveLength(2);
  });

  it('names an unknown coin (404) and a refused key (401)', async () => {
    const { src } = source();
    const e = await rejection(src.dailyCloses('TRX', ['2024-02-16']));
    expect(e.code).toBe('SOURCE');
    expect(e.message).toMatch(/tron.*HTTP 404.*coin not found/);
    const { src: keyless } = source({ apiKey: undefined });
    const k = await rejection(keyless.dailyCloses('BTC', ['2024-02-16']));
    expect(k.message).toMatch(/HTTP 401.*API Key Missing/);
  });

  it('refuses a symbol without a CoinGecko id', async () => {
    const { src } = source();
    await expect(src.dailyCloses('DOGE', ['2024-02-16'])).rejects.toThrow(/no CoinGecko id for DOGE/);
  });
});

describe('/history', () => {
  it('gives the same closes as the range endpoint, one request per day', async () => {
    const { src } = source({ endpoint: 'history' });
    const s = await src.dailyCloses('BTC', ['2018-01-29', '2024-02-16', '2017-06-01']);
    expect(rowsOf(s)).toEqual([
      '2017-06-01=2436.0363',
      '2018-01-29=11095.2106891266',
      '2024-02-16=52166.43430976192',
    ]);
    expect(cg.server.requests.map((r) => r.url)).toEqual([
      '/api/v3/coins/bitcoin/history?date=01-06-2017&localization=false',
      '/api/v3/coins/bitcoin/history?date=30-01-2018&localization=false',
      '/api/v3/coins/bitcoin/history?date=17-02-2024&localization=false',
    ]);
  });

  it('refuses an answer for another coin and caches nothing', async () => {
    const { src } = source({ endpoint: 'history' });
    cg.answerAs('ethereum');
    const e = await rejection(src.dailyCloses('BTC', ['2024-02-16']));
    expect(e.code).toBe('BAD_DATA');
    expect(e.message).toMatch(/the answer is for coin "ethereum", not "bitcoin": nothing from it is used/);
    cg.answerAs(null);
    expect(rowsOf(await src.dailyCloses('BTC', ['2024-02-16']))).toEqual(['2024-02-16=52166.43430976192']);
    expect(cg.server.requests).toHaveLength(2);
  });

  it('refuses a day without market data', async () => {
    const { src } = source({ endpoint: 'history' });
    const e = await rejection(src.dailyCloses('BTC', ['2024-02-14']));
    expect(e.code).toBe('BAD_DATA');
    expect(e.message).toMatch(
      /no USD market data for bitcoin on 2024-02-15: the API has no price for that day/,
    );
  });
});

describe('response validation', () => {
  const from = Date.parse('2024-02-01T00:00:00Z');
  const to = Date.parse('2024-03-01T00:00:00Z');
  it('lists every problem of a malformed series', () => {
    try {
      parseRangeBody(
        '{"prices":[[1707955200000,1],[1707955200000,2],[1600000000000,3],[1708041600000,-4],[1708128000000,"5"],[1.5,6],7]}',
        'bitcoin',
        from,
        to,
      );
      throw new Error('expected an error');
    } catch (e) {
      expect((e as { problems: string[] }).problems).toEqual([
        'prices[1]: timestamps are not increasing',
        'prices[2]: timestamps are not increasing',
        'prices[2]: point at 2020-09-13T12:26:40.000Z is outside the range asked for (2024-02-01 … 2024-03-01)',
        'prices[3]: price "-4" is not a positive number',
        'prices[4]: price "string" is not a positive number',
        'prices[5]: timestamp is not a whole number of milliseconds',
        'prices[6]: expected [timestamp, price]',
      ]);
    }
  });

  it('reports an API error object sent with status 200', () => {
    expect(() => parseRangeBody('{"error":"coin not found"}', 'x', from, to)).toThrow(
      'API error: coin not found',
    );
    expect(() =>
      parseRangeBody(
        '{"error":{"status":{"error_code":10012,"error_message":"Your request exceeds the allowed time range."}}}',
        'x',
        from,
        to,
      ),
    ).toThrow('API error: Your request exceeds the allowed time range.');
  });
});

describe('configuration from the environment', () => {
  it('defaults to the public API, picks the Pro plan from its URL, refuses bad values', () => {
    expect(coinGeckoConfigFromEnv({})).toEqual({
      baseUrl: 'https://api.coingecko.com/api/v3',
      plan: 'demo',
      endpoint: 'range',
    });
    expect(
      coinGeckoConfigFromEnv({
        COINGECKO_API_KEY: ' k ',
        FUNDTRACE_COINGECKO_URL: 'https://pro-api.coingecko.com/api/v3/',
      }),
    ).toEqual({
      baseUrl: 'https://pro-api.coingecko.com/api/v3',
      apiKey: 'k',
      plan: 'pro',
      endpoint: 'range',
    });
    expect(coinGeckoConfigFromEnv({ COINGECKO_API_PLAN: 'PRO' }).baseUrl).toBe(
      'https://pro-api.coingecko.com/api/v3',
    );
    expect(() => coinGeckoConfigFromEnv({ COINGECKO_API_PLAN: 'gold' })).toThrow(/expected demo or pro/);
    expect(() => coinGeckoConfigFromEnv({ FUNDTRACE_COINGECKO_ENDPOINT: 'ohlc' })).toThrow(
      /expected range or history/,
    );
  });

  it('never exposes the key on the source object', () => {
    const { src } = source();
    expect(JSON.stringify(src.config)).not.toContain(KEY);
  });
});

describe('loadPriceBook', () => {
  const BTC = { chain: 'bitcoin', symbol: 'BTC', decimals: 8 };
  const input = {
    items: [
      { id: 'a', amount: 150_000_000n, asset: BTC, time: '2024-02-16T12:40:00Z' },
      { id: 'b', amount: 50_000_000n, asset: BTC, time: '2024-02-17T04:20:00Z' },
    ],
  };

  it('takes coin prices the files lack from the API, exchange rates from the files', async () => {
    const { src } = source();
    const { dir: only, cleanup: done } = await tempDir();
    try {
      const kes = await readFile(join(SAMPLE_PRICES, 'USD-KES.csv'));
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(only, 'USD-KES.csv'), kes);
      const { book } = await loadPriceBook({ dir: only, coingecko: src }, pricesNeeded(input, 'KES'));
      const v = valueItems(
        input,
        book,
        resolveCurrency('KES', (c) => book.has(`USD-${c}`)),
      );
      expect(v.items.a!.value).toBe('11413110.74');
      expect(v.items.b!.prices.map((p) => `${p.series} ${p.date}`)).toEqual([
        'BTC-USD 2024-02-17',
        'USD-KES 2024-02-16',
      ]);
      expect(cg.server.requests).toHaveLength(1);
    } finally {
      await done();
    }
  });

  it('asks the API nothing when the files have the prices', async () => {
    const { src } = source();
    const { book, warnings } = await loadPriceBook(
      { dir: SAMPLE_PRICES, coingecko: src },
      pricesNeeded(input, 'KES'),
    );
    expect(warnings).toEqual([]);
    expect(book.series('BTC-USD')!.source).toBe('BTC-USD.csv');
    expect(cg.server.requests).toHaveLength(0);
  });
});
