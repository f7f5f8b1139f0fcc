// The wire protocol of Etherscan-compatible account APIs: URLs, envelopes, error texts, dialects.
//
// Envelope (HTTP 200 even for errors; every number a string):
//   {"status":"1","message":"OK","result":[…rows…]}                  rows
//   {"status":"0","message":"No transactions found","result":[]}     EMPTY, not an error (also
//                                                                    "No records found", "No data found", …)
//   {"status":"0","message":"NOTOK","result":"<error text>"}         an error; the text says which:
//     "Max rate limit reached…", "Max calls per sec rate limit reached (5/sec)", "…temporarily
//       unavailable…", "Query Timeout occured…"      → transient: retried by the shared client
//       (`retryWhen`, like a 429: the whole host is paused), SOURCE after the last retry
//     "Invalid API Key" / "Missing/Invalid API Key" → SOURCE at once ("check --api-key …")
//     "You are using a deprecated V1 endpoint, switch to Etherscan API V2 …"
//                                                   → SOURCE with the v2 URL to use instead
//     "Result window is too large, PageNo x Offset size must be less than or equal to 10000"
//                                                   → not fatal: paging asks for smaller pages
//     "Missing or unsupported chainid parameter …" → SOURCE naming --chain
//     anything else                                 → SOURCE quoting the text (sanitised, key removed)
//   Blockscout uses the same envelope with alphabetically ordered keys, and puts its error text in
//   `message` with `result: null`.
// Proxy calls (JSON-RPC results wrapped): {"jsonrpc":"2.0","id":1,"result":…} or
//   {"jsonrpc":"2.0","id":1,"error":{"code":…,"message":…}}; Etherscan reports key and rate-limit
//   problems on proxy calls with the NOTOK envelope (or a bare text `result`).
//
// Dialects (see ./README.md): "etherscan" (Etherscan v2 `…/v2/api?chainid=N`, Routescan, other
// Etherscan clones: `module=proxy` for eth_blockNumber / eth_getTransactionByHash / receipts) and
// "blockscout" (`…/api`, no chainid; head from `module=block&action=eth_block_number`, tx and
// receipt look-ups from its JSON-RPC endpoint `…/api/eth-rpc`, or `/<chain>/json-rpc` on
// api.blockscout.com). The dialect is chosen from the URL (host or path containing "blockscout" →
// blockscout; a path ending in /v2/api → etherscan with chainid) and otherwise from the first
// answer: a server that rejects `module=proxy` as an unknown module/action is treated as Blockscout.
import { FundtraceError } from '../../core/errors.js';
import type { RawLogFields } from '../evm/logs.js';
import { type HttpClient, HttpError, redactUrl, remoteLine, ValidationError } from '../http/index.js';
import { type ListAction, parseRows, type RowOf } from './rows.js';

export type Dialect = 'etherscan' | 'blockscout';

/** Blocks behind the head after which a page of history is treated as final (cached for good). */
export const FINALITY_DEPTH = 64;

const RATE_LIMIT =
  /rate limit|too many requests|temporarily unavailable|query timeout|server (?:is )?(?:too )?busy|please try again later/i;
const BAD_KEY = /invalid api[- ]?key|missing\/invalid api|api[- ]?key (?:is )?(?:missing|required|invalid)/i;
const V1 = /deprecated v1 endpoint|switch to (?:etherscan )?api v2/i;
const WINDOW = /result window is too large/i;
const CHAINID = /chainid/i;
const EMPTY =
  /^no (?:transactions?|records?|data|token transfers?|internal transactions?|logs?)(?: \w+)* found/i;
const UNSUPPORTED =
  /(?:unknown|invalid|unsupported|missing or invalid) (?:module|action)|(?:module|action)(?: name)? (?:not found|is not supported)|params 'module' and 'action'/i;
const HEX = /^0x[0-9a-fA-F]+$/;
const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** The server refused a page as too large (page × offset over its window). */
export class ResultWindowError extends FundtraceError {
  constructor(
    message: string,
    readonly limit: number | undefined,
  ) {
    super('SOURCE', message);
    this.name = 'ResultWindowError';
  }
}

/** The server does not know the module/action (e.g. Blockscout has no `module=proxy`). */
export class UnsupportedActionError extends FundtraceError {
  constructor(message: string) {
    super('SOURCE', message);
    this.name = 'UnsupportedActionError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The error text of a 200 answer, when it is an error (undefined for a real answer). */
export function errorText(data: unknown): string | undefined {
  if (!isObject(data)) return undefined;
  if (isObject(data.error)) return str(data.error.message) || JSON.stringify(data.error).slice(0, 200);
  if (data.status === '0') {
    if (Array.isArray(data.result) && data.result.length === 0 && EMPTY.test(str(data.message)))
      return undefined;
    if (data.result == null && EMPTY.test(str(data.message))) return undefined;
    return str(data.result) || str(data.message) || 'status "0" without a message';
  }
  if (
    data.status === undefined &&
    typeof data.result === 'string' &&
    !HEX.test(data.result) &&
    data.result !== ''
  )
    return data.result;
  return undefined;
}

/** `retryWhen` for the shared client: transient texts (rate limits, overload) inside a 200 answer. */
export function transientText(data: unknown): string | undefined {
  const t = errorText(data);
  if (t === undefined || BAD_KEY.test(t)) return undefined;
  return RATE_LIMIT.test(t) ? t : undefined;
}

export interface ApiConfig {
  http: HttpClient;
  /** The API URL as given, without any apikey parameter. */
  base: URL;
  dialect: Dialect;
  /** True when the URL fixed the dialect (no probing). */
  dialectKnown: boolean;
  /** Sent as `chainid` (Etherscan v2 URLs only). */
  chainId: number | undefined;
  apiKey: string | undefined;
  secrets: readonly string[];
  signal?: AbortSignal;
}

export interface Receipt {
  hash: string;
  block: number;
  position: number;
  from: string;
  to: string;
  status: boolean;
  /** ERC-20 Transfer logs: (contract, from, to), lower-case. */
  transfers: { contract: string; from: string; to: string }[];
  /** Every log as the node gave it (checked when turned into TxLogs, src/sources/evm/logs.ts). */
  logs: RawLogFields[];
  /** A log without address, topics, data or a hex logIndex (the receipt's logs are then unusable). */
  logProblem?: string;
  /** The block's timestamp (seconds), when the receipt or its logs carry `blockTimestamp`. */
  time?: number;
}

export interface TxRef {
  block: number | null;
  position: number | null;
}

export interface ListQuery {
  address?: string;
  txhash?: string;
  startblock?: number;
  endblock?: number;
  page?: number;
  offset?: number;
}

export interface ListPage<A extends ListAction> {
  rows: RowOf<A>[];
  /** Rows in the answer (before any filtering). */
  count: number;
}

export class EtherscanApi {
  dialect: Dialect;
  /** Latest block, once known: pages that end FINALITY_DEPTH blocks below it are cached for good. */
  head: number | undefined;
  readonly redactedBase: string;

  constructor(private readonly cfg: ApiConfig) {
    this.dialect = cfg.dialect;
    this.redactedBase = redactUrl(cfg.base, cfg.secrets);
  }

  /**
   * The request URL (with the key) and the cache key: the same URL without any key, so a run with
   * or without --api-key (e.g. --offline) finds the same entries, and no key can reach the cache.
   */
  private url(
    params: Record<string, string | number | undefined>,
    base: URL = this.cfg.base,
  ): { href: string; cacheKey: string } {
    const u = new URL(base.href);
    const q = new URLSearchParams(u.search);
    if (this.cfg.chainId !== undefined && base === this.cfg.base) q.set('chainid', String(this.cfg.chainId));
    for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
    u.search = q.toString();
    const cacheKey = u.href;
    if (this.cfg.apiKey) q.set('apikey', this.cfg.apiKey);
    u.search = q.toString();
    return { href: u.href, cacheKey: redactUrl(cacheKey, this.cfg.secrets) };
  }

  private who(what: string): string {
    return `etherscan source ${this.redactedBase} (${what})`;
  }

  /** Turn an API error text into the right error. */
  private fail(text: string, what: string): never {
    const t = remoteLine(text, this.cfg.secrets);
    const who = this.who(what);
    if (WINDOW.test(t)) {
      const m = /less than or equal to (\d+)/i.exec(t);
      throw new ResultWindowError(`${who}: ${t}`, m ? Number(m[1]) : undefined);
    }
    if (BAD_KEY.test(t)) {
      throw new FundtraceError(
        'SOURCE',
        `${who}: the API key was rejected ("${t}"); check --api-key or ETHERSCAN_API_KEY`,
      );
    }
    if (V1.test(t)) {
      throw new FundtraceError(
        'SOURCE',
        `${who}: "${t}": use an Etherscan API v2 URL, e.g. --source etherscan:https://api.etherscan.io/v2/api (the chain comes from --chain)`,
      );
    }
    if (UNSUPPORTED.test(t)) throw new UnsupportedActionError(`${who}: ${t}`);
    if (CHAINID.test(t)) {
      throw new FundtraceError(
        'SOURCE',
        `${who}: "${t}" (chainid ${this.cfg.chainId ?? 'not sent'}; pick the chain with --chain)`,
      );
    }
    throw new FundtraceError('SOURCE', `${who}: the API answered an error: "${t}"`);
  }

  /** Unwrap a list envelope into its rows (throws for errors; [] for "No transactions found"). */
  private listResult(data: unknown, what: string): unknown[] {
    if (!isObject(data) || (data.status !== '0' && data.status !== '1')) {
      throw new ValidationError('not an Etherscan-style answer (no "status" of "0" or "1")');
    }
    const err = errorText(data);
    if (err !== undefined) this.fail(err, what);
    if (data.status === '0') return [];
    if (!Array.isArray(data.result)) throw new ValidationError('"result" is not a list');
    return data.result;
  }

  private async get<T>(
    params: Record<string, string | number | undefined>,
    what: string,
    validate: (data: unknown) => T,
    kind: string,
    immutable: boolean | ((v: T) => boolean),
  ): Promise<T> {
    try {
      const u = this.url(params);
      return await this.cfg.http.getJson(u.href, {
        cacheKey: u.cacheKey,
        validate,
        retryWhen: transientText,
        cachePolicy: { kind, immutable },
        signal: this.cfg.signal,
      });
    } catch (e) {
      throw this.adapt(e, what);
    }
  }

  /** HTTP-level failures keep their message; a 404/400 during probing means "unsupported". */
  private adapt(e: unknown, what: string): unknown {
    if (e instanceof HttpError && (e.status === 404 || e.status === 400) && !this.cfg.dialectKnown) {
      return new UnsupportedActionError(`${this.who(what)}: ${e.message}`);
    }
    return e;
  }

  private isFinal(block: number): boolean {
    return this.head !== undefined && block <= this.head - FINALITY_DEPTH;
  }

  /** One page of an account list, ascending. */
  async listPage<A extends ListAction>(action: A, q: ListQuery): Promise<ListPage<A>> {
    const what = `${action} ${q.address ?? q.txhash ?? ''}`.trim();
    const params = {
      module: 'account',
      action,
      address: q.address,
      txhash: q.txhash,
      startblock: q.startblock,
      endblock: q.endblock,
      page: q.page,
      offset: q.offset,
      sort: q.txhash === undefined ? 'asc' : undefined,
    };
    const validate = (data: unknown): ListPage<A> => {
      const raw = this.listResult(data, what);
      return { rows: parseRows(action, raw), count: raw.length };
    };
    const full = (p: ListPage<A>) => q.offset !== undefined && p.count >= q.offset;
    const immutable = (p: ListPage<A>) => {
      // A full page is a fact once its last block is final; a short page grows with the chain,
      // unless the query itself ends at a final block (or names a tx mined in a final block).
      if (q.endblock !== undefined && this.isFinal(q.endblock)) return true;
      if (q.txhash !== undefined) return p.rows.length > 0 && p.rows.every((r) => this.isFinal(r.block));
      const last = p.rows[p.rows.length - 1];
      return full(p) && last !== undefined && this.isFinal(last.block);
    };
    return this.get(params, what, validate, `etherscan.${action}`, immutable);
  }

  /** One transfer of a token (to learn its decimals and symbol before a trace). */
  async tokenSample(contract: string): Promise<RowOf<'tokentx'>[]> {
    const what = `tokentx of contract ${contract}`;
    const params = {
      module: 'account',
      action: 'tokentx',
      contractaddress: contract,
      page: 1,
      offset: 1,
      sort: 'asc',
    };
    const validate = (data: unknown) => parseRows('tokentx', this.listResult(data, what));
    return this.get(params, what, validate, 'etherscan.tokeninfo', (rows) => rows.length > 0);
  }

  /** Latest block number. */
  async headBlock(): Promise<number> {
    const what = 'latest block';
    const validate = (data: unknown): number => {
      const err = errorText(data);
      if (err !== undefined) this.fail(err, what);
      const r = isObject(data) ? data.result : undefined;
      if (typeof r !== 'string' || !HEX.test(r))
        throw new ValidationError('"result" is not a hex block number');
      return Number.parseInt(r, 16);
    };
    const params =
      this.dialect === 'blockscout'
        ? { module: 'block', action: 'eth_block_number' }
        : { module: 'proxy', action: 'eth_blockNumber' };
    return this.get(params, what, validate, 'etherscan.head', false);
  }

  /** The JSON-RPC endpoint of a Blockscout instance. */
  private rpcBase(): URL {
    const u = new URL(this.cfg.base.href);
    const pro = /^\/(\d+)\/api\/?$/.exec(u.pathname);
    if (u.hostname === 'api.blockscout.com' && pro) u.pathname = `/${pro[1]}/json-rpc`;
    else if (/\/api\/?$/.test(u.pathname)) u.pathname = u.pathname.replace(/\/api\/?$/, '/api/eth-rpc');
    else u.pathname = `${u.pathname.replace(/\/$/, '')}/eth-rpc`;
    return u;
  }

  /** A JSON-RPC read through the API: module=proxy (etherscan) or the eth-rpc endpoint (blockscout). */
  private async rpc<T>(method: string, hash: string, parse: (r: unknown) => T, immutable: (v: T) => boolean) {
    const what = `${method} ${hash}`;
    const validate = (data: unknown): T => {
      const err = errorText(data);
      if (err !== undefined) this.fail(err, what);
      if (!isObject(data) || !('result' in data))
        throw new ValidationError('no "result" in the JSON-RPC answer');
      return parse(data.result);
    };
    const policy = { kind: `etherscan.${method}`, immutable };
    if (this.dialect === 'etherscan') {
      return this.get(
        { module: 'proxy', action: method, txhash: hash },
        what,
        validate,
        policy.kind,
        immutable,
      );
    }
    try {
      const u = this.url({}, this.rpcBase());
      return await this.cfg.http.postJson(
        u.href,
        { jsonrpc: '2.0', id: 1, method, params: [hash] },
        {
          cacheKey: `POST ${u.cacheKey} ${method} ${hash}`,
          validate,
          retryWhen: transientText,
          cachePolicy: policy,
          signal: this.cfg.signal,
        },
      );
    } catch (e) {
      throw this.adapt(e, what);
    }
  }

  /**
   * The hash of the block at `height` (eth_getBlockByNumber without transactions); null when the
   * chain has no such block yet. Never cached: a monitor asks it to notice a reorganisation.
   */
  async blockHashAt(height: number): Promise<string | null> {
    const what = `eth_getBlockByNumber ${height}`;
    const tag = `0x${height.toString(16)}`;
    const validate = (data: unknown): string | null => {
      const err = errorText(data);
      if (err !== undefined) this.fail(err, what);
      if (!isObject(data) || !('result' in data))
        throw new ValidationError('no "result" in the JSON-RPC answer');
      const r = data.result;
      if (r === null) return null;
      if (!isObject(r) || typeof r.hash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(r.hash))
        throw new ValidationError('the block has no 32-byte "hash"');
      if (typeof r.number === 'string' && HEX.test(r.number) && Number.parseInt(r.number, 16) !== height)
        throw new ValidationError(
          `asked for block ${height}, the answer is block ${Number.parseInt(r.number, 16)}`,
        );
      return r.hash.toLowerCase();
    };
    if (this.dialect === 'etherscan')
      return this.get(
        { module: 'proxy', action: 'eth_getBlockByNumber', tag, boolean: 'false' },
        what,
        validate,
        'etherscan.block',
        false,
      );
    try {
      const u = this.url({}, this.rpcBase());
      return await this.cfg.http.postJson(
        u.href,
        { jsonrpc: '2.0', id: 1, method: 'eth_getBlockByNumber', params: [tag, false] },
        {
          cacheKey: `POST ${u.cacheKey} eth_getBlockByNumber ${tag}`,
          validate,
          retryWhen: transientText,
          cachePolicy: { kind: 'etherscan.block', immutable: false },
          signal: this.cfg.signal,
        },
      );
    } catch (e) {
      throw this.adapt(e, what);
    }
  }

  /** Block and position of a transaction (eth_getTransactionByHash); null when unknown. */
  txRef(hash: string): Promise<TxRef | null> {
    return this.rpc(
      'eth_getTransactionByHash',
      hash,
      (r) => {
        if (r === null) return null;
        if (!isObject(r)) throw new ValidationError('the transaction is not an object');
        const hex = (v: unknown) => (typeof v === 'string' && HEX.test(v) ? Number.parseInt(v, 16) : null);
        return { block: hex(r.blockNumber), position: hex(r.transactionIndex) };
      },
      (v) => v !== null && v.block !== null && this.isFinal(v.block),
    );
  }

  /** A transaction's receipt (sender, block, position, status, ERC-20 Transfer logs); null when unknown. */
  receipt(hash: string): Promise<Receipt | null> {
    return this.rpc(
      'eth_getTransactionReceipt',
      hash,
      (r) => parseReceipt(r, hash),
      (v) => v !== null && this.isFinal(v.block),
    );
  }
}

function parseReceipt(r: unknown, hash: string): Receipt | null {
  if (r === null) return null;
  if (!isObject(r)) throw new ValidationError('the receipt is not an object');
  const problems: string[] = [];
  const hex = (field: string): number => {
    const v = r[field];
    if (typeof v === 'string' && HEX.test(v)) return Number.parseInt(v, 16);
    problems.push(`receipt ${field} ${JSON.stringify(v)} is not a hex number`);
    return 0;
  };
  const addr = (v: unknown, field: string, nullable: boolean): string => {
    if (v == null && nullable) return '';
    if (typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v)) return v.toLowerCase();
    problems.push(`receipt ${field} ${JSON.stringify(v)} is not an address`);
    return '';
  };
  const block = hex('blockNumber');
  const position = hex('transactionIndex');
  const from = addr(r.from, 'from', false);
  const to = addr(r.to, 'to', true) || addr(r.contractAddress, 'contractAddress', true);
  const status = r.status === undefined || r.status === '0x1' || r.status === '0x01';
  const transfers: Receipt['transfers'] = [];
  const logs = Array.isArray(r.logs) ? r.logs : [];
  const all: RawLogFields[] = [];
  let logProblem: string | undefined;
  let time: number | undefined =
    typeof r.blockTimestamp === 'string' && HEX.test(r.blockTimestamp)
      ? Number.parseInt(r.blockTimestamp, 16)
      : undefined;
  for (const [i, l] of logs.entries()) {
    if (
      !isObject(l) ||
      typeof l.address !== 'string' ||
      !Array.isArray(l.topics) ||
      !l.topics.every((t) => typeof t === 'string') ||
      typeof l.data !== 'string' ||
      typeof l.logIndex !== 'string' ||
      !HEX.test(l.logIndex)
    ) {
      logProblem ??= `log ${i} of the receipt lacks a string address, topics, data or a hex logIndex`;
      continue;
    }
    all.push({
      address: l.address,
      topics: l.topics as string[],
      data: l.data,
      logIndex: Number.parseInt(l.logIndex, 16),
      removed: l.removed === true,
    });
    if (time === undefined && typeof l.blockTimestamp === 'string' && HEX.test(l.blockTimestamp))
      time = Number.parseInt(l.blockTimestamp, 16);
  }
  for (const l of logs) {
    if (!isObject(l) || !Array.isArray(l.topics) || l.topics.length !== 3) continue;
    const [t0, t1, t2] = l.topics as unknown[];
    if (typeof t0 !== 'string' || t0.toLowerCase() !== TRANSFER_TOPIC) continue;
    if (typeof t1 !== 'string' || typeof t2 !== 'string' || typeof l.address !== 'string') continue;
    const topicAddr = (t: string) => `0x${t.slice(-40)}`.toLowerCase();
    transfers.push({ contract: l.address.toLowerCase(), from: topicAddr(t1), to: topicAddr(t2) });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    hash,
    block,
    position,
    from,
    to,
    status,
    transfers,
    logs: all,
    ...(logProblem !== undefined ? { logProblem } : {}),
    ...(time !== undefined ? { time } : {}),
  };
}
