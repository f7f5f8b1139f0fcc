// The shared HTTP client every remote source uses (Esplora, Etherscan-compatible APIs, EVM
// JSON-RPC). One client per run, passed to the sources (viem/ethers style), so rate limits,
// request counts and the cache are shared.
//
// A call goes: cache lookup (by mode) → per-host gate (concurrency slot, 429 cool-down, token
// bucket) → fetch with a per-attempt timeout → status check (before any parsing: mempool.space
// answers 429 with HTML) → body read → JSON parse → optional app-level retry check → validate →
// cache write. Failures are retried with exponential backoff + jitter:
//   - 408/425/429/5xx (not 501/505), connection errors (resets, refused, DNS EAI_AGAIN), timeouts:
//     up to `retries` times; Retry-After (seconds or HTTP date) is honoured and pauses the host;
//   - a truncated body (connection closed mid-body) or invalid JSON: up to `badBodyRetries`
//     times (default 2), then BAD_DATA;
//   - other 4xx, DNS failures, TLS errors: no retry, SOURCE at once.
// A validator failure is not retried (the answer is deterministic): BAD_DATA, never cached.
// All messages name the URL with credentials removed (./redact.ts).
//
// Cancellation: pass `signal` (client-wide, e.g. interruptSignal() for Ctrl-C) and/or per call.
// On abort the call rejects with the signal's reason (an AbortError) right away, whatever it was
// doing (waiting for a slot, a token, a backoff, headers or body); nothing is written to the
// cache unless a complete, validated response arrived, and writes are atomic. Because every
// response is cached as it arrives, a re-run after an interruption resumes from the cache.

import { createHash } from 'node:crypto';
import { FundtraceError } from '../../core/errors.js';
import { decodeValue, encodeValue } from '../cache/codec.js';
import { OfflineMissError } from '../cache/offline.js';
import type { CacheStore } from '../cache/store.js';
import { type Clock, linkedAbort, type Random, systemClock } from './clock.js';
import { HttpError, ValidationError } from './errors.js';
import { HostGate } from './limiter.js';
import { type HostLimits, resolveHostLimits } from './limits.js';
import { redactText, redactUrl, scrubBody, snippet } from './redact.js';
import {
  backoffDelay,
  describeNetworkError,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
} from './retry.js';
import { cloneStats, emptyHostStats, emptyStats, type HostStats, type HttpStats } from './stats.js';

/**
 * normal: use fresh cache entries, fetch and store the rest.
 * offline: cache only (any age); a miss throws OFFLINE_MISS and is recorded.
 * refresh: always fetch, then store (re-validates everything).
 * noCache: always fetch, never read or write the cache.
 */
export type CacheMode = 'normal' | 'offline' | 'refresh' | 'noCache';

/** Default revalidation window for mutable entries: 10 minutes. */
export const DEFAULT_REVALIDATE_AFTER_MS = 10 * 60_000;

export interface CachePolicy<T = unknown> {
  /** Category for `cache stats`: "esplora.tx", "etherscan.txlist", "rpc.receipt", … */
  kind: string;
  /**
   * true: an immutable fact (a confirmed tx, a block): kept for good.
   * false: mutable (address history, tip, unconfirmed tx): refetched after `maxAgeMs`.
   * A function decides from the validated value, e.g. `(tx) => tx.status.confirmed`.
   */
  immutable: boolean | ((value: T) => boolean);
  /** Revalidation window for mutable entries; default: the client's `revalidateAfterMs`. */
  maxAgeMs?: number;
}

/** Turns untrusted parsed JSON into a typed value, or throws (ValidationError for a list of problems). */
export type Validator<T> = (data: unknown) => T;

export interface CallOptions {
  /** Cancels this call (in addition to the client-wide signal). */
  signal?: AbortSignal;
  /** Extra request headers (e.g. an Authorization header); never logged. */
  headers?: Record<string, string>;
  /** Per-attempt timeout (headers and body), ms. */
  timeoutMs?: number;
}

export interface RequestOptions<T> extends CallOptions {
  validate: Validator<T>;
  /** Cache key; default: the redacted URL (GET) or redacted URL + body hash (POST). Redacted again. */
  cacheKey?: string;
  /** Cache the response under this policy; without it the call is never cached. */
  cachePolicy?: CachePolicy<T>;
  /**
   * Spot a transient error inside a 200 answer (Etherscan "Max rate limit reached", JSON-RPC
   * -32005): return a reason to retry it like a 429, or undefined when the body is a real answer.
   */
  retryWhen?: (data: unknown) => string | undefined;
  /**
   * Spot a rate limit in an error status the client would not retry (TronGrid answers 403 with
   * "The key exceeds the frequency limit(15), and the query server is suspended for 30s"):
   * return a reason (and the wait the body names, ms) to retry it like a 429, else undefined.
   * The wait is capped at the backoff cap (FUNDTRACE_HTTP_BACKOFF_MAX_MS, default 30 s).
   */
  retryStatusWhen?: (status: number, body: string) => { reason: string; waitMs?: number } | undefined;
}

export interface TextOptions<T>
  extends Omit<RequestOptions<T>, 'validate' | 'retryWhen' | 'retryStatusWhen'> {
  validate?: (text: string) => T;
}

export interface MemoOptions<T> {
  signal?: AbortSignal;
  /** Re-check a cached value on read; a failure drops the entry and recomputes. */
  validate?: Validator<T>;
}

export interface Fetched<T> {
  value: T;
  from: 'network' | 'cache';
  /** When the data was fetched (the cache entry's as-of marker for cache hits). */
  asOfMs: number;
  /** The cache key the value is (or would be) stored under. */
  key: string;
}

export type HttpEvent =
  | { type: 'request'; method: string; url: string; host: string; attempt: number }
  | { type: 'retry'; method: string; url: string; attempt: number; delayMs: number; reason: string }
  | {
      type: 'cache';
      key: string;
      result: 'hit' | 'miss' | 'stale' | 'corrupt' | 'write' | 'write-failed' | 'offline-miss';
      reason?: string;
    };

export interface HttpClientOptions {
  /** The persistent cache; omit for none (then `offline` mode misses everything). */
  cache?: CacheStore;
  cacheMode?: CacheMode;
  /** Revalidation window for mutable entries (default 10 min). */
  revalidateAfterMs?: number;
  /** Per-host overrides, keyed by `host`, `host:port` or `*.suffix`; see ./limits.ts for defaults. */
  hosts?: Record<string, Partial<HostLimits>>;
  /** Limits for hosts with no built-in or user entry (default 5 req/s, burst 5, 4 in flight). */
  defaultLimits?: Partial<HostLimits>;
  /** Retries after the first attempt for transient failures (default 5). */
  retries?: number;
  /** Retries for a truncated or unparsable body (default 2, and never more than `retries`). */
  badBodyRetries?: number;
  /** Backoff base and cap (defaults 1000 ms and 30 s): retry n waits in [c/2, c), c = min(max, base·2^(n-1)). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Give up at once when a server asks to wait longer than this (default 120 s). */
  maxRetryAfterMs?: number;
  /** Per-attempt timeout in ms (default 30 s). */
  timeoutMs?: number;
  /** Cap on one response body in bytes (default 64 MiB): a larger body fails at once, unretried. */
  maxResponseBytes?: number;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  userAgent?: string;
  /** Literal secrets (API keys given on the command line) to scrub from every message and key. */
  secrets?: readonly string[];
  /** Client-wide cancellation (Ctrl-C). */
  signal?: AbortSignal;
  clock?: Clock;
  random?: Random;
  fetch?: typeof globalThis.fetch;
  onEvent?: (event: HttpEvent) => void;
  /**
   * Every response body a call used, from the network or the cache (for case evidence). `url` is
   * the cache key: the redacted URL, plus the body hash for POST.
   */
  onResponse?: (r: {
    method: string;
    url: string;
    status: number | null;
    body: string;
    from: 'network' | 'cache';
  }) => void;
}

export interface HttpClient {
  readonly mode: CacheMode;
  readonly cache: CacheStore | undefined;
  getJson<T>(url: string | URL, opts: RequestOptions<T>): Promise<T>;
  /** Like getJson, plus where the value came from and its as-of time. */
  getJsonResult<T>(url: string | URL, opts: RequestOptions<T>): Promise<Fetched<T>>;
  /** POST a JSON body (JSON-RPC); retried like GET, so only use it for idempotent calls. */
  postJson<T>(url: string | URL, body: unknown, opts: RequestOptions<T>): Promise<T>;
  postJsonResult<T>(url: string | URL, body: unknown, opts: RequestOptions<T>): Promise<Fetched<T>>;
  /** GET a text body (Esplora /blocks/tip/height, /tx/:id/hex). */
  getText<T = string>(url: string | URL, opts?: TextOptions<T>): Promise<T>;
  /**
   * Cache a derived value under a logical key with the same modes and accounting (e.g. a whole
   * paginated address history). Values may contain bigint. `compute` is not retried here.
   */
  cached<T>(
    key: string,
    policy: CachePolicy<T>,
    compute: (signal: AbortSignal | undefined) => Promise<T>,
    opts?: MemoOptions<T>,
  ): Promise<T>;
  /** A snapshot of the counters. */
  stats(): HttpStats;
  resetStats(): void;
  /** Keys that missed in offline mode so far (deduplicated, first-seen order). */
  offlineMisses(): string[];
  /** The effective limits for a URL's host. */
  limitsFor(url: string | URL): HostLimits;
}

type Outcome =
  | { ok: true; status: number; text: string }
  | {
      ok: false;
      kind: 'status';
      status: number;
      statusText: string;
      retryAfter: string | null;
      body: string;
    }
  | { ok: false; kind: 'timeout'; phase: 'headers' | 'body' }
  | { ok: false; kind: 'network'; message: string; retryable: boolean }
  | { ok: false; kind: 'truncated'; message: string }
  | { ok: false; kind: 'refused'; message: string };

/** Default cap on one response body (FUNDTRACE_HTTP_MAX_BYTES overrides): 64 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Read a body, giving up (and cancelling the stream) past `max` bytes; undefined when over. */
async function readCapped(res: Response, max: number): Promise<Uint8Array | undefined> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

interface Transfer {
  method: 'GET' | 'POST';
  /** The URL to fetch, without userinfo (fetch refuses URLs with credentials). */
  url: URL;
  redacted: string;
  body?: string;
  accept: string;
  /** Basic auth from URL userinfo (http://user:pass@node:8332/), sent as a header. */
  authorization?: string;
}

function target(
  u: string | URL,
  secrets: readonly string[],
  method: 'GET' | 'POST',
  accept: string,
  body?: string,
) {
  const url = toUrl(u, secrets);
  const redacted = redactUrl(url, secrets);
  const t: Transfer = { method, url, redacted, accept };
  if (body !== undefined) t.body = body;
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    t.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return t;
}

const toUrl = (u: string | URL, secrets: readonly string[]): URL => {
  let url: URL;
  try {
    url = new URL(String(u));
  } catch {
    throw new FundtraceError('USAGE', `not a valid URL: ${redactText(String(u), secrets)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FundtraceError('USAGE', `not an http(s) URL: ${redactUrl(url, secrets)}`);
  }
  return url;
};

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const store = options.cache;
  const mode: CacheMode = options.cacheMode ?? 'normal';
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  const retries = Math.max(0, options.retries ?? 5);
  const badBodyRetries = Math.min(retries, Math.max(0, options.badBodyRetries ?? 2));
  const baseMs = options.backoffBaseMs ?? 1000;
  const maxMs = options.backoffMaxMs ?? 30_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const defaultTimeoutMs = options.timeoutMs ?? 30_000;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const revalidateAfterMs = options.revalidateAfterMs ?? DEFAULT_REVALIDATE_AFTER_MS;
  const hostOverrides = options.hosts ?? {};
  const fallbackLimits = { ...resolveHostLimits('', ''), ...options.defaultLimits } as HostLimits;
  const baseHeaders: Record<string, string> = {
    'user-agent': options.userAgent ?? 'fundtrace (+https://github.com/fundtrace)',
    ...options.headers,
  };
  const emit = (e: HttpEvent) => {
    try {
      options.onEvent?.(e);
    } catch {
      // a logging hook must never break a request
    }
  };

  let counters = emptyStats();
  const misses = new Set<string>();
  const gates = new Map<string, HostGate>();

  const hostStats = (host: string): HostStats => (counters.byHost[host] ??= emptyHostStats());
  const redactT = (t: string) => redactText(t, secrets);

  const limitsFor = (u: string | URL): HostLimits => {
    const url = u instanceof URL ? u : new URL(String(u));
    return resolveHostLimits(url.host, url.hostname, hostOverrides, fallbackLimits);
  };

  const gateFor = (url: URL): HostGate => {
    let g = gates.get(url.host);
    if (!g) {
      g = new HostGate(url.host, limitsFor(url), clock);
      gates.set(url.host, g);
    }
    return g;
  };

  // ---- one attempt -------------------------------------------------------------------------

  async function attemptOnce(
    t: Transfer,
    signal: AbortSignal,
    headers: Record<string, string>,
    timeoutMs: number,
  ) {
    const { controller, dispose } = linkedAbort([signal]);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs);
    const hs = hostStats(t.url.host);
    counters.requests++;
    hs.requests++;
    let phase: 'headers' | 'body' = 'headers';
    try {
      const res = await fetchImpl(t.url, {
        method: t.method,
        headers: { accept: t.accept, ...headers },
        body: t.body,
        signal: controller.signal,
        redirect: 'follow',
      });
      phase = 'body';
      // A redirect to another host would make the evidence name a URL that did not answer.
      if (res.redirected && res.url) {
        const to = new URL(res.url);
        if (to.host !== t.url.host || to.protocol !== t.url.protocol) {
          await res.body?.cancel().catch(() => {});
          const o: Outcome = {
            ok: false,
            kind: 'refused',
            message: `redirected to another host (${to.protocol}//${to.host}); not followed: point the source at that URL if it is the right server`,
          };
          return o;
        }
      }
      if (!res.ok) {
        // Look at the status before the body: error bodies are often HTML (mempool.space 429).
        let body = '';
        try {
          const b = await readCapped(res, maxResponseBytes);
          body = b === undefined ? '(body over the size cap, not read)' : new TextDecoder().decode(b);
          counters.bytes += b?.byteLength ?? 0;
          hs.bytes += b?.byteLength ?? 0;
        } catch {
          if (signal.aborted) throw signal.reason;
        }
        const o: Outcome = {
          ok: false,
          kind: 'status',
          status: res.status,
          statusText: res.statusText,
          retryAfter: res.headers.get('retry-after'),
          body,
        };
        return o;
      }
      const buf = await readCapped(res, maxResponseBytes);
      if (buf === undefined) {
        const o: Outcome = {
          ok: false,
          kind: 'refused',
          message: `response larger than ${maxResponseBytes} bytes (the cap; raise it with FUNDTRACE_HTTP_MAX_BYTES)`,
        };
        return o;
      }
      counters.bytes += buf.byteLength;
      hs.bytes += buf.byteLength;
      const o: Outcome = { ok: true, status: res.status, text: new TextDecoder().decode(buf) };
      return o;
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      let o: Outcome;
      if (timedOut) o = { ok: false, kind: 'timeout', phase };
      else if (phase === 'body') o = { ok: false, kind: 'truncated', message: describeNetworkError(e) };
      else
        o = {
          ok: false,
          kind: 'network',
          message: describeNetworkError(e),
          retryable: isRetryableNetworkError(e),
        };
      return o;
    } finally {
      clearTimeout(timer);
      dispose();
    }
  }

  // ---- retries ----------------------------------------------------------------------------

  /** Fetch with retries; resolves with the body text and (for JSON) the parsed data. */
  async function transfer(
    t: Transfer,
    parse: 'json' | 'text',
    opts: CallOptions & Pick<RequestOptions<unknown>, 'retryWhen' | 'retryStatusWhen'>,
  ): Promise<{ text: string; data: unknown; attempts: number }> {
    const { controller, dispose } = linkedAbort([options.signal, opts.signal]);
    const signal = controller.signal;
    const gate = gateFor(t.url);
    const hs = hostStats(t.url.host);
    const headers: Record<string, string> = { ...baseHeaders, ...opts.headers };
    if (t.body !== undefined) headers['content-type'] = 'application/json';
    if (t.authorization !== undefined) headers.authorization ??= t.authorization;
    const timeoutMs = opts.timeoutMs ?? defaultTimeoutMs;
    const log: string[] = [];
    let badBodies = 0;
    const where = `${t.method} ${t.redacted}`;

    const fail = (code: 'SOURCE' | 'BAD_DATA', what: string, attempts: number, status?: number): never => {
      counters.failures++;
      hs.failures++;
      const prefix =
        code === 'BAD_DATA'
          ? `bad response from ${where}`
          : `${where} failed${attempts > 1 ? ` after ${attempts} attempts` : ''}`;
      const suffix = code === 'BAD_DATA' && attempts > 1 ? ` (${attempts} attempts)` : '';
      throw new HttpError(code, redactT(`${prefix}: ${what}${suffix}`), {
        url: t.redacted,
        method: t.method,
        status,
        attempts,
        details: attempts > 1 ? log.map(redactT) : [],
      });
    };

    try {
      for (let attempt = 1; ; attempt++) {
        signal.throwIfAborted();
        const release = await gate.enter(signal);
        let o: Outcome;
        try {
          emit({ type: 'request', method: t.method, url: t.redacted, host: t.url.host, attempt });
          o = await attemptOnce(t, signal, headers, timeoutMs);
        } finally {
          release();
        }

        // What went wrong this time, and is it worth another attempt?
        let what: string;
        let code: 'SOURCE' | 'BAD_DATA' = 'SOURCE';
        let retryable = true;
        let rateLimited = false;
        let waitMs: number | undefined;
        let status: number | undefined;

        if (o.ok) {
          let data: unknown = o.text;
          let bad: string | undefined;
          if (parse === 'json') {
            if (o.text.trim() === '') bad = `empty body (HTTP ${o.status})`;
            else {
              try {
                data = JSON.parse(o.text);
              } catch (e) {
                bad = `invalid JSON (${(e as Error).message}); body starts "${snippet(o.text, 60)}"`;
              }
            }
          }
          if (bad === undefined) {
            const transient = opts.retryWhen?.(data);
            if (transient === undefined) return { text: o.text, data, attempts: attempt };
            what = `server says: ${snippet(transient)}`;
            rateLimited = true;
          } else {
            what = bad;
            code = 'BAD_DATA';
            retryable = ++badBodies <= badBodyRetries;
          }
        } else if (o.kind === 'status') {
          status = o.status;
          const text = o.body ? ` "${snippet(o.body, 100)}"` : '';
          what = `HTTP ${o.status}${o.statusText ? ` ${snippet(o.statusText, 60)}` : ''}${text}`;
          retryable = isRetryableStatus(o.status);
          rateLimited = o.status === 429;
          waitMs = parseRetryAfter(o.retryAfter, clock.now());
          const limit = retryable ? undefined : opts.retryStatusWhen?.(o.status, o.body);
          if (limit !== undefined) {
            retryable = true;
            rateLimited = true;
            what = `${what} (${snippet(limit.reason, 100)})`;
            if (waitMs === undefined && limit.waitMs !== undefined) waitMs = Math.min(limit.waitMs, maxMs);
          }
          if (retryable && waitMs !== undefined && waitMs > maxRetryAfterMs) {
            log.push(`attempt ${attempt}: ${what}, Retry-After ${Math.ceil(waitMs / 1000)} s`);
            fail('SOURCE', `${what}; the server asks to wait ${Math.ceil(waitMs / 1000)} s`, attempt, status);
          }
        } else if (o.kind === 'timeout') {
          what = `timed out after ${timeoutMs} ms${o.phase === 'body' ? ' while reading the body' : ''}`;
        } else if (o.kind === 'network') {
          what = `connection failed (${o.message})`;
          retryable = o.retryable;
        } else if (o.kind === 'refused') {
          // Asking again would download the same oversize body or follow the same redirect.
          what = o.message;
          retryable = false;
        } else {
          what = `truncated body (${o.message})`;
          code = 'BAD_DATA';
          retryable = ++badBodies <= badBodyRetries;
        }

        if (rateLimited) {
          counters.rateLimited++;
          hs.rateLimited++;
        }
        if (!retryable || attempt > retries) {
          log.push(`attempt ${attempt}: ${what}`);
          fail(code, what, attempt, status);
        }
        const delay = waitMs ?? backoffDelay(attempt, baseMs, maxMs, random);
        log.push(`attempt ${attempt}: ${what}; retry in ${delay} ms`);
        counters.retries++;
        hs.retries++;
        emit({
          type: 'retry',
          method: t.method,
          url: t.redacted,
          attempt,
          delayMs: delay,
          reason: redactT(what),
        });
        if (rateLimited || waitMs !== undefined) {
          // Slow down every request to this host, not just this one; gate.enter waits it out.
          gate.pause(clock.now() + delay);
        } else {
          await clock.sleep(delay, signal);
        }
      }
    } finally {
      dispose();
    }
  }

  // ---- validation -------------------------------------------------------------------------

  function validated<T>(
    validate: (d: never) => T,
    data: unknown,
    where: string,
    redacted: string,
    method: string,
  ): T {
    try {
      return validate(data as never);
    } catch (e) {
      if (e instanceof FundtraceError) throw e;
      const problems = (
        e instanceof ValidationError ? e.problems : [e instanceof Error ? e.message : String(e)]
      ).map(redactT);
      throw new HttpError(
        'BAD_DATA',
        `unexpected response from ${where}: ${problems[0] ?? 'invalid'}`,
        { url: redacted, method, attempts: 1, details: problems.length > 1 ? problems : [] },
        { cause: e },
      );
    }
  }

  // ---- cache ------------------------------------------------------------------------------

  const isFresh = (immutable: boolean, asOfMs: number, maxAgeMs: number) => {
    if (immutable) return true;
    const age = clock.now() - asOfMs;
    return age >= 0 && age < maxAgeMs;
  };

  /**
   * The cache-mode logic shared by HTTP calls and memoised values. `decode` turns a stored body
   * into a value (throwing if it no longer validates); `load` produces a fresh value and the
   * text to store.
   */
  function respond(key: string, status: number | null, body: string, from: 'network' | 'cache'): void {
    if (!options.onResponse) return;
    try {
      options.onResponse({ method: key.startsWith('POST ') ? 'POST' : 'GET', url: key, status, body, from });
    } catch {
      // A recorder must never break a trace.
    }
  }

  async function throughCache<T>(
    key: string,
    policy: CachePolicy<T> | undefined,
    signals: readonly (AbortSignal | undefined)[],
    decode: (body: string) => T,
    load: () => Promise<{ value: T; body: string }>,
  ): Promise<Fetched<T>> {
    for (const s of [options.signal, ...signals]) s?.throwIfAborted();
    const canRead =
      store !== undefined && (mode === 'offline' || (mode === 'normal' && policy !== undefined));
    if (canRead) {
      const found = await store.read(key);
      if (found.status === 'hit') {
        const e = found.entry;
        const maxAge = policy?.maxAgeMs ?? revalidateAfterMs;
        if (mode === 'offline' || isFresh(e.immutable, e.asOfMs, maxAge)) {
          let value: T | undefined;
          let ok = false;
          try {
            value = decode(e.body);
            ok = true;
          } catch (err) {
            counters.cacheCorrupt++;
            emit({
              type: 'cache',
              key,
              result: 'corrupt',
              reason: `no longer valid: ${(err as Error).message}`,
            });
            await store.remove(key).catch(() => undefined);
          }
          if (ok) {
            counters.cacheHits++;
            emit({ type: 'cache', key, result: 'hit' });
            respond(key, null, e.body, 'cache');
            return { value: value as T, from: 'cache', asOfMs: e.asOfMs, key };
          }
        } else {
          counters.cacheStale++;
          emit({ type: 'cache', key, result: 'stale' });
        }
      } else if (found.status === 'corrupt') {
        counters.cacheCorrupt++;
        emit({ type: 'cache', key, result: 'corrupt', reason: found.reason });
      }
    }
    if (mode === 'offline') {
      counters.offlineMisses++;
      misses.add(key);
      emit({ type: 'cache', key, result: 'offline-miss' });
      throw new OfflineMissError([key]);
    }
    if (canRead) {
      counters.cacheMisses++;
      emit({ type: 'cache', key, result: 'miss' });
    }

    const { value, body } = await load();
    respond(key, 200, body, 'network');
    const asOfMs = clock.now();
    if (store && policy && mode !== 'noCache') {
      const immutable = typeof policy.immutable === 'function' ? policy.immutable(value) : policy.immutable;
      try {
        // The key never reaches the disk, even echoed inside a body (issue 10, item 3).
        await store.write({ key, kind: policy.kind, immutable, asOfMs, body: scrubBody(body, secrets) });
        counters.cacheWrites++;
        emit({ type: 'cache', key, result: 'write' });
      } catch (err) {
        // A full disk must not fail the trace; the value is still good.
        counters.cacheWriteErrors++;
        emit({ type: 'cache', key, result: 'write-failed', reason: (err as Error).message });
      }
    }
    return { value, from: 'network', asOfMs, key };
  }

  // ---- public calls -----------------------------------------------------------------------

  function jsonCall<T>(t: Transfer, key: string, opts: RequestOptions<T>): Promise<Fetched<T>> {
    const where = `${t.method} ${t.redacted}`;
    return throughCache(
      key,
      opts.cachePolicy,
      [opts.signal],
      (body) => opts.validate(JSON.parse(body)),
      async () => {
        const r = await transfer(t, 'json', opts);
        return { value: validated(opts.validate, r.data, where, t.redacted, t.method), body: r.text };
      },
    );
  }

  const keyOf = (given: string | undefined, fallback: () => string) =>
    given !== undefined ? redactT(given) : fallback();

  function getJsonResult<T>(u: string | URL, opts: RequestOptions<T>): Promise<Fetched<T>> {
    const t = target(u, secrets, 'GET', 'application/json');
    return jsonCall(
      t,
      keyOf(opts.cacheKey, () => t.redacted),
      opts,
    );
  }

  function postJsonResult<T>(u: string | URL, body: unknown, opts: RequestOptions<T>): Promise<Fetched<T>> {
    const text = JSON.stringify(body);
    const t = target(u, secrets, 'POST', 'application/json', text);
    const hash = createHash('sha256').update(text).digest('hex');
    return jsonCall(
      t,
      keyOf(opts.cacheKey, () => `POST ${t.redacted} ${hash}`),
      opts,
    );
  }

  async function getText<T = string>(u: string | URL, opts: TextOptions<T> = {}): Promise<T> {
    const t = target(u, secrets, 'GET', 'text/plain, */*');
    const redacted = t.redacted;
    const validate = (opts.validate ?? ((s: string) => s as unknown as T)) as (s: string) => T;
    const where = `GET ${redacted}`;
    const r = await throughCache(
      keyOf(opts.cacheKey, () => redacted),
      opts.cachePolicy,
      [opts.signal],
      (body) => validate(body),
      async () => {
        const x = await transfer(t, 'text', opts);
        return { value: validated(validate, x.text, where, redacted, 'GET'), body: x.text };
      },
    );
    return r.value;
  }

  async function cached<T>(
    key: string,
    policy: CachePolicy<T>,
    compute: (signal: AbortSignal | undefined) => Promise<T>,
    opts: MemoOptions<T> = {},
  ): Promise<T> {
    const k = redactT(key);
    const check = opts.validate ?? ((d: unknown) => d as T);
    const r = await throughCache(
      k,
      policy,
      [opts.signal],
      (body) => check(decodeValue(body)),
      async () => {
        const { controller, dispose } = linkedAbort([options.signal, opts.signal]);
        try {
          const value = await compute(controller.signal);
          return { value, body: encodeValue(value) };
        } finally {
          dispose();
        }
      },
    );
    return r.value;
  }

  return {
    mode,
    cache: store,
    getJsonResult,
    getJson: async (u, opts) => (await getJsonResult(u, opts)).value,
    postJsonResult,
    postJson: async (u, body, opts) => (await postJsonResult(u, body, opts)).value,
    getText,
    cached,
    stats: () => cloneStats(counters),
    resetStats: () => {
      counters = emptyStats();
      misses.clear();
    },
    offlineMisses: () => [...misses],
    limitsFor,
  };
}
