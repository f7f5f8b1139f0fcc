// JSON-RPC 2.0 over the shared HTTP client (src/sources/http): every call goes through its rate
// limits, retries, request counters and disk cache. A JSON-RPC error answer becomes an RpcError
// (a FundtraceError 'SOURCE', never cached); a result that fails its validator is BAD_DATA.
// Transient node answers inside a 200 (rate limits, "header not found" on load-balanced nodes)
// are retried like a 429.
import { FundtraceError } from '../../core/errors.js';
import { type CachePolicy, type HttpClient, HttpError, redactUrl } from '../http/index.js';

export class RpcError extends FundtraceError {
  readonly rpcCode: number;
  readonly rpcMessage: string;
  readonly method: string;
  constructor(method: string, code: number, message: string, where: string) {
    super('SOURCE', `${where}: ${method} failed: ${message.slice(0, 300)} (JSON-RPC error ${code})`);
    this.name = 'RpcError';
    this.rpcCode = code;
    this.rpcMessage = message;
    this.method = method;
  }
}

/** Method absent on this node (probe answers). */
export function isMethodMissing(e: unknown): boolean {
  if (!(e instanceof RpcError)) return false;
  return (
    e.rpcCode === -32601 ||
    /method not found|not supported|does not exist|not available|unsupported method|not enabled|unknown method/i.test(
      e.rpcMessage,
    )
  );
}

const RANGE_TEXT =
  /more than \d+ results|returned more than|block range|range (is )?too (large|wide|big)|range too large|response size|exceed(s|ed)? (the )?max(imum)?|max(imum)? (block )?range|too many (blocks|results|logs)|query timeout|limit exceeded|result window/i;

/** A provider refusing an eth_getLogs range as too large (so: split the range and retry). */
export function isRangeError(e: unknown): boolean {
  if (e instanceof RpcError) return e.rpcCode === -32005 || RANGE_TEXT.test(e.rpcMessage);
  if (e instanceof HttpError) return e.status === 413 || RANGE_TEXT.test(e.message);
  return false;
}

/** A block range the provider suggests in its refusal ("try with this block range [0x1, 0x2]"). */
export function suggestedRange(e: unknown): [number, number] | undefined {
  const text = e instanceof RpcError ? e.rpcMessage : e instanceof Error ? e.message : '';
  const m = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/i.exec(text);
  if (!m) return undefined;
  const a = Number.parseInt(m[1]!, 16);
  const b = Number.parseInt(m[2]!, 16);
  return Number.isSafeInteger(a) && Number.isSafeInteger(b) && b >= a ? [a, b] : undefined;
}

const TRANSIENT =
  /rate limit|too many requests|request rate|capacity|throttl|try again|header not found|busy/i;

function transientReason(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const err = (data as { error?: unknown }).error;
  if (err === null || typeof err !== 'object') return undefined;
  const { code, message } = err as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (RANGE_TEXT.test(text) && !/rate/i.test(text)) return undefined;
  if (code === 429 || code === -32029 || TRANSIENT.test(text))
    return text || `JSON-RPC error ${String(code)}`;
  return undefined;
}

export interface RpcCallOptions<T> {
  validate: (result: unknown) => T;
  /** Cache under this logical key and policy; without it the call is not cached. */
  cache?: { key: string; policy: CachePolicy<T> };
  signal?: AbortSignal;
}

export class JsonRpc {
  readonly url: string;
  /** The URL with credentials removed: safe for messages and cache keys. */
  readonly shown: string;
  constructor(
    readonly http: HttpClient,
    url: string,
    secrets: readonly string[] = [],
  ) {
    this.url = url;
    this.shown = redactUrl(new URL(url), secrets);
  }

  async call<T>(method: string, params: unknown[], opts: RpcCallOptions<T>): Promise<T> {
    const where = `rpc ${this.shown}`;
    const validate = (data: unknown): T => {
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        throw new Error(`${method}: not a JSON-RPC response object`);
      }
      const env = data as { result?: unknown; error?: unknown };
      if (env.error !== undefined && env.error !== null) {
        const e = env.error as { code?: unknown; message?: unknown };
        const code = typeof e.code === 'number' ? e.code : 0;
        const message = typeof e.message === 'string' ? e.message : JSON.stringify(env.error).slice(0, 200);
        throw new RpcError(method, code, message, where);
      }
      if (!('result' in env)) throw new Error(`${method}: the response has neither result nor error`);
      try {
        return opts.validate(env.result);
      } catch (err) {
        if (err instanceof FundtraceError) throw err;
        throw new Error(`${method}: ${(err as Error).message}`);
      }
    };
    return this.http.postJson<T>(
      this.url,
      { jsonrpc: '2.0', id: 1, method, params },
      {
        validate,
        retryWhen: transientReason,
        ...(opts.cache ? { cacheKey: opts.cache.key, cachePolicy: opts.cache.policy } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
    );
  }
}
