// The TronGrid wire protocol: URLs, the API-key header, envelopes and error bodies.
//
// v1 list envelope (HTTP 200):
//   {"success":true,"meta":{"at":ms,"page_size":n,"fingerprint":"…","links":{"next":"…"}},"data":[…]}
//   the last page has no fingerprint/links; an empty page may still have both (stop on data: []).
// Errors:
//   v1:        {"success":false,"error":"<text>","statusCode":N}, with HTTP N or 200
//   FullNode:  HTTP 200 {"Error":"<text>"} (java-tron docs: errors are 200 with an "Error" field),
//              e.g. the rate limiter's "class java.lang.IllegalAccessException : lack of computing
//              resources"
//   rate limits: 429 (with or without Retry-After: the shared client), 503 over the daily quota
//              (retried as a 5xx), and 403 with "The key exceeds the frequency limit(15), and the
//              query server is suspended for 30s" (retried like a 429 after the seconds it names,
//              capped by FUNDTRACE_HTTP_BACKOFF_MAX_MS); the same texts inside a 200 are retried too.
//   anything else → SOURCE quoting the text (sanitised, bounded, key removed); a rejected key
//              names --api-key / TRONGRID_API_KEY.
// The key travels only in the TRON-PRO-API-KEY header: URLs, cache keys and case evidence never
// hold it (cache keys are plain URLs, and the key is a registered secret of the client anyway).
// `meta.links.next` is never followed: the next URL is built here from the same parameters plus
// `fingerprint`, so a server cannot point the source at another host.
import { FundtraceError } from '../../core/errors.js';
import { type HttpClient, HttpError, redactUrl, remoteLine, ValidationError } from '../http/index.js';
import {
  Checker,
  parseRawTx,
  parseTrc20Rows,
  parseTxInfo,
  parseTxRows,
  type RawTx,
  type Trc20Row,
  type TxInfo,
  type TxRow,
} from './rows.js';

/** Blocks behind the head after which a block is final on TRON (solidified: 19 of 27 producers). */
export const FINALITY_DEPTH = 20;
/** Block interval, ms (for the age of rows that carry a time and no block). */
const BLOCK_MS = 3_000;

const RATE_LIMIT =
  /frequency limit|rate limit|too many requests|lack of computing resources|suspended for|temporarily unavailable|server (?:is )?busy/i;
const BAD_KEY = /api[- ]?key|apikey/i;
const SUSPENDED = /suspended for (\d{1,4}) ?s/i;

/** TRON's null address as the caller of read-only calls (any address will do; this one is nobody's). */
const NULL_OWNER = 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb';

/** An ABI-encoded `string` (offset, length, bytes) or a bytes32 symbol; undefined when neither. */
export function abiString(hex: string): string | undefined {
  const b = Buffer.from(hex, 'hex');
  if (b.length === 32) {
    const end = b.indexOf(0);
    return b.subarray(0, end < 0 ? 32 : end).toString('utf8');
  }
  if (b.length < 64) return undefined;
  const off = Number(BigInt(`0x${b.subarray(0, 32).toString('hex')}`));
  if (off + 32 > b.length) return undefined;
  const len = Number(BigInt(`0x${b.subarray(off, off + 32).toString('hex')}`));
  if (len > 256 || off + 32 + len > b.length) return undefined;
  return b.subarray(off + 32, off + 32 + len).toString('utf8');
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The error text of a 200 answer, when it is an error. */
export function errorText(data: unknown): string | undefined {
  if (!isObject(data)) return undefined;
  if (typeof data.Error === 'string') return data.Error || 'an empty "Error"';
  if (data.success === false) {
    return typeof data.error === 'string' && data.error
      ? data.error
      : '"success": false without an error text';
  }
  return undefined;
}

/** `retryWhen`: a rate-limit text inside a 200 answer. */
export function transientText(data: unknown): string | undefined {
  const t = errorText(data);
  return t !== undefined && RATE_LIMIT.test(t) ? t : undefined;
}

/** `retryStatusWhen`: TronGrid's 403 "frequency limit … suspended for 30s" is a rate limit. */
export function transientStatus(
  status: number,
  body: string,
): { reason: string; waitMs?: number } | undefined {
  if (status !== 403 && status !== 401) return undefined;
  if (!RATE_LIMIT.test(body)) return undefined;
  const m = SUSPENDED.exec(body);
  return { reason: 'rate limited', ...(m ? { waitMs: Number(m[1]) * 1000 } : {}) };
}

export type ListKind = 'transactions' | 'trc20';

export interface ListPage<R> {
  rows: R[];
  fingerprint: string | undefined;
  /** Newest block time on the page (ms), for the cache policy. */
}

export interface ApiConfig {
  http: HttpClient;
  /** The host URL as given (path prefix kept), without any key. */
  base: URL;
  apiKey: string | undefined;
  secrets: readonly string[];
  signal?: AbortSignal;
}

export interface Head {
  height: number;
  /** ms */
  time: number;
}

export class TronGridApi {
  /** Latest block, once known: entries FINALITY_DEPTH blocks below it are cached for good. */
  head: Head | undefined;
  readonly redactedBase: string;

  constructor(private readonly cfg: ApiConfig) {
    this.redactedBase = redactUrl(cfg.base, cfg.secrets);
  }

  private url(path: string, params: Record<string, string | number | undefined> = {}): string {
    const u = new URL(this.cfg.base.href);
    u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
    const q = new URLSearchParams(u.search);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
    u.search = q.toString();
    return u.href;
  }

  private who(what: string): string {
    return `trongrid source ${this.redactedBase} (${what})`;
  }

  private fail(text: string, what: string): never {
    const t = remoteLine(text, this.cfg.secrets);
    if (BAD_KEY.test(t)) {
      throw new FundtraceError(
        'SOURCE',
        `${this.who(what)}: the API key was rejected ("${t}"); check --api-key or TRONGRID_API_KEY`,
      );
    }
    throw new FundtraceError('SOURCE', `${this.who(what)}: the API answered an error: "${t}"`);
  }

  private async get<T>(
    path: string,
    params: Record<string, string | number | undefined>,
    what: string,
    validate: (data: unknown) => T,
    kind: string,
    immutable: boolean | ((v: T) => boolean),
  ): Promise<T> {
    const href = this.url(path, params);
    try {
      return await this.cfg.http.getJson(href, {
        cacheKey: redactUrl(href, this.cfg.secrets),
        validate: (data) => {
          const err = errorText(data);
          if (err !== undefined) this.fail(err, what);
          return validate(data);
        },
        retryWhen: transientText,
        retryStatusWhen: transientStatus,
        cachePolicy: { kind, immutable },
        signal: this.cfg.signal,
        ...(this.cfg.apiKey ? { headers: { 'TRON-PRO-API-KEY': this.cfg.apiKey } } : {}),
      });
    } catch (e) {
      // A 401/403 naming the key: say which flag sets it.
      if (e instanceof HttpError && (e.status === 401 || e.status === 403) && BAD_KEY.test(e.message)) {
        throw new FundtraceError(
          'SOURCE',
          `${e.message}; the API key was rejected: check --api-key or TRONGRID_API_KEY`,
        );
      }
      throw e;
    }
  }

  private isFinalBlock(block: number | null): boolean {
    return block !== null && this.head !== undefined && block <= this.head.height - FINALITY_DEPTH;
  }

  private isFinalTime(ms: number): boolean {
    return this.head !== undefined && ms <= this.head.time - FINALITY_DEPTH * BLOCK_MS;
  }

  /** Latest block (GET /wallet/getnowblock). */
  async headBlock(): Promise<Head> {
    const validate = (data: unknown): Head => {
      const c = new Checker();
      const b = c.obj(data, 'answer');
      const raw = c.obj(c.obj(b.block_header, 'block_header').raw_data, 'block_header.raw_data');
      const height = c.int(raw.number, 'block_header.raw_data.number') ?? 0;
      const time = c.int(raw.timestamp, 'block_header.raw_data.timestamp') ?? 0;
      c.throwIfAny();
      return { height, time };
    };
    return this.get('/wallet/getnowblock', {}, 'latest block', validate, 'trongrid.head', false);
  }

  /**
   * The block at `height` (GET /wallet/getblockbynum): its id (hash) and time; null when the chain
   * has no such block yet (FullNode answers `{}`). Not cached: a monitor asks it to notice a
   * reorganisation.
   */
  async blockAt(height: number): Promise<{ hash: string; time: number } | null> {
    const validate = (data: unknown) => {
      if (isObject(data) && Object.keys(data).length === 0) return null;
      const c = new Checker();
      const b = c.obj(data, 'answer');
      const raw = c.obj(c.obj(b.block_header, 'block_header').raw_data, 'block_header.raw_data');
      const number = c.int(raw.number, 'block_header.raw_data.number');
      const time = c.int(raw.timestamp, 'block_header.raw_data.timestamp') ?? 0;
      const id = b.blockID;
      c.throwIfAny();
      if (typeof id !== 'string' || !/^[0-9a-fA-F]{64}$/.test(id))
        throw new ValidationError('blockID is not 32 bytes of hex');
      if (number !== height)
        throw new ValidationError(`asked for block ${height}, the answer is block ${number}`);
      return { hash: id.toLowerCase(), time };
    };
    return this.get(
      '/wallet/getblockbynum',
      { num: height },
      `block ${height}`,
      validate,
      'trongrid.block',
      false,
    );
  }

  /** One page of an account list, oldest first. */
  async listPage<K extends ListKind>(
    kind: K,
    address: string,
    limit: number,
    fingerprint: string | undefined,
  ): Promise<ListPage<K extends 'trc20' ? Trc20Row : TxRow>> {
    type R = K extends 'trc20' ? Trc20Row : TxRow;
    const path = `/v1/accounts/${address}/transactions${kind === 'trc20' ? '/trc20' : ''}`;
    const what = `${kind === 'trc20' ? 'TRC-20 transfers' : 'transactions'} of ${address}`;
    const validate = (data: unknown): ListPage<R> => {
      if (!isObject(data) || data.success !== true)
        throw new ValidationError('not a TronGrid v1 answer ("success": true missing)');
      if (!Array.isArray(data.data)) throw new ValidationError('"data" is not a list');
      const meta = data.meta === undefined ? {} : data.meta;
      if (!isObject(meta)) throw new ValidationError('"meta" is not an object');
      const fp = meta.fingerprint;
      if (fp !== undefined && (typeof fp !== 'string' || fp === '' || fp.length > 2_000))
        throw new ValidationError(`meta.fingerprint ${JSON.stringify(fp)} is not a paging cursor`);
      const c = new Checker();
      const rows = (kind === 'trc20' ? parseTrc20Rows(data.data, c) : parseTxRows(data.data, c)) as R[];
      c.throwIfAny();
      return { rows, fingerprint: fp };
    };
    // A page with a next cursor whose rows are all confirmed and final never changes (oldest
    // first: new rows arrive after it); the last page grows with the chain and is revalidated.
    const immutable = (p: ListPage<R>) =>
      p.fingerprint !== undefined &&
      p.rows.length > 0 &&
      p.rows.every(
        (r) => !r.unconfirmed && ('block' in r ? this.isFinalBlock(r.block) : this.isFinalTime(r.time)),
      );
    return this.get(
      path,
      { limit, order_by: 'block_timestamp,asc', fingerprint },
      what,
      validate,
      `trongrid.${kind}`,
      immutable,
    );
  }

  /** gettransactioninfobyid: block, fee, result and the Transfer events (undefined: unknown tx). */
  async txInfo(tx: string): Promise<TxInfo | undefined> {
    const validate = (data: unknown) => {
      const c = new Checker();
      const info = parseTxInfo(data, c);
      c.throwIfAny();
      if (info && info.tx !== tx)
        throw new ValidationError(`the answer is about transaction ${info.tx}, not ${tx}`);
      return info;
    };
    return this.get(
      '/wallet/gettransactioninfobyid',
      { value: tx },
      `transaction info ${tx}`,
      validate,
      'trongrid.txinfo',
      (i) => i !== undefined && this.isFinalBlock(i.block),
    );
  }

  /**
   * A TRC-20 contract's decimals and symbol, by read-only calls (POST /wallet/triggerconstantcontract
   * `decimals()` and `symbol()`, visible addresses); undefined fields when the contract does not
   * answer them (not a token, or not a contract: java-tron says so in `result`).
   */
  async tokenInfo(contract: string): Promise<{ decimals?: number; symbol?: string }> {
    const call = (selector: string) => {
      const what = `${selector} of ${contract}`;
      const href = this.url('/wallet/triggerconstantcontract');
      const body = {
        owner_address: NULL_OWNER,
        contract_address: contract,
        function_selector: selector,
        parameter: '',
        visible: true,
      };
      return this.cfg.http.postJson(href, body, {
        validate: (data: unknown): string | undefined => {
          const err = errorText(data);
          if (err !== undefined) this.fail(err, what);
          if (!isObject(data)) throw new ValidationError('not a JSON object');
          const r = isObject(data.result) ? data.result : {};
          const out = Array.isArray(data.constant_result) ? data.constant_result[0] : undefined;
          if (r.result !== true || typeof out !== 'string' || !/^(?:[0-9a-fA-F]{64})+$/.test(out))
            return undefined;
          return out;
        },
        retryWhen: transientText,
        retryStatusWhen: transientStatus,
        cachePolicy: { kind: 'trongrid.tokeninfo', immutable: (v) => v !== undefined },
        signal: this.cfg.signal,
        ...(this.cfg.apiKey ? { headers: { 'TRON-PRO-API-KEY': this.cfg.apiKey } } : {}),
      });
    };
    const [d, sym] = await Promise.all([call('decimals()'), call('symbol()')]);
    const out: { decimals?: number; symbol?: string } = {};
    if (d !== undefined) {
      const n = BigInt(`0x${d.slice(0, 64)}`);
      if (n <= 77n) out.decimals = Number(n);
    }
    const text = sym === undefined ? undefined : abiString(sym);
    if (text !== undefined) out.symbol = text;
    return out;
  }

  /** gettransactionbyid: the raw transaction (undefined: unknown tx). */
  async rawTx(tx: string): Promise<RawTx | undefined> {
    const validate = (data: unknown) => {
      const c = new Checker();
      const raw = parseRawTx(data, c);
      c.throwIfAny();
      if (raw && raw.tx !== tx)
        throw new ValidationError(`the answer is about transaction ${raw.tx}, not ${tx}`);
      return raw;
    };
    return this.get(
      '/wallet/gettransactionbyid',
      { value: tx },
      `transaction ${tx}`,
      validate,
      'trongrid.tx',
      (r) => r?.executed === true,
    );
  }
}
