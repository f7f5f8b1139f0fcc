// Fetches what a trace round lacked from an Esplora server, through the shared HTTP client
// (rate limits, retries, Retry-After, validation, request counting, the persistent cache).
//
// Per round (one `fetchMissing` call) every item is requested at once and the host's limits
// decide the pace. Nothing is fetched speculatively: on every public Esplora the request budget
// (not latency) is the binding cost, so the adapter asks only for what the engine reported
// missing (a spending transaction is fetched in the round after its outspends; that costs one
// round trip per hop, never a request the trace did not need).
//
// Endpoints: GET /blocks/tip/height (once per run, first), /tx/:txid, /tx/:txid/outspends,
// /address/:a (transaction counts) with /address/:a/txs then /address/:a/txs/chain/:last_seen
// until an empty page (the page size is never assumed: electrs serves 25, others differ), and
// /block/:hash/txids when two held transactions share a height (see ./view.ts).
//
// Cache policies (kinds esplora.*):
//   tip          mutable, 60 s                    the run's "as of"
//   tx           immutable once confirmed ≥ FINAL_DEPTH (6) blocks below the tip; else mutable 5 min
//   outspends    immutable once every spendable output is spent by a transaction ≥ 6 deep; else 5 min
//   block txids  immutable once the block is ≥ 6 deep; else 5 min
//   address      counts and pages: mutable, 5 min (a history is "as of" the tip read with it)
//   tx-absent    a 404 for /tx/:txid, recorded by the adapter (the client never caches errors): 5 min
//
// Address histories and the history limit: paging stops once more than `historyCap` confirmed
// transactions were read (the cap is the trace's --history-limit when the CLI passes it). The
// view then holds the newest cap + 1 transactions and reports the true total (GET /address/:a)
// through addressTxCount, so the engine warns that the limit cut the history. A complete history
// is checked against the server's chain tx_count: a shorter one (electrs answers an empty page
// for a cursor it no longer knows, e.g. after a reorg) is paged again once from the start, then
// reported as BAD_DATA. A cursor refused with 400/404/422 is handled the same way.
// At most the mempool part of the first page is seen (electrs lists ≤ 50 unconfirmed txs).
import { FundtraceError } from '../../core/errors.js';
import { type CachePolicy, type HttpClient, HttpError, redactUrl } from '../http/index.js';
import { UtxoRounds } from './fetch-rounds.js';
import type { EsploraView } from './view.js';
import {
  type AddressNormalizer,
  addressStatsValidator,
  blockTxidsValidator,
  type EsploraTx,
  outspendsValidator,
  tipValidator,
  txListValidator,
  txValidator,
} from './wire.js';

export { FINAL_DEPTH } from './fetch-rounds.js';
export const TIP_MAX_AGE_MS = 60_000;
export const MUTABLE_MAX_AGE_MS = 5 * 60_000;
/** Cursor answers that mean "I do not know that last_seen_txid". */
const CURSOR_REFUSED = new Set([400, 404, 410, 422]);

export interface EsploraSettings {
  /** Base URL without a trailing slash, query or fragment, e.g. https://blockstream.info/api. */
  base: string;
  /** Query string of the spec (e.g. an access key), appended to every request ('' for none). */
  query: string;
  /** Stop paging an address history beyond this many confirmed transactions. */
  historyCap: number;
  norm: AddressNormalizer;
}

export class EsploraFetcher extends UtxoRounds {
  constructor(
    private readonly http: () => HttpClient,
    view: EsploraView,
    private readonly s: EsploraSettings,
  ) {
    super(view);
  }

  private url(path: string): string {
    return `${this.s.base}${path}${this.s.query}`;
  }

  // ---- items -------------------------------------------------------------------------------

  protected async loadTip(signal?: AbortSignal): Promise<void> {
    const url = this.url('/blocks/tip/height');
    try {
      this.view.tip = await this.http().getText(url, {
        signal,
        validate: tipValidator,
        cachePolicy: { kind: 'esplora.tip', immutable: false, maxAgeMs: TIP_MAX_AGE_MS },
      });
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) {
        throw new FundtraceError(
          'SOURCE',
          `${e.message} — is ${redactUrl(this.s.base)} the root of an Esplora API (e.g. https://blockstream.info/api)?`,
          e.details,
        );
      }
      throw e;
    }
  }

  private txPolicy(): CachePolicy<EsploraTx> {
    return {
      kind: 'esplora.tx',
      immutable: (t) => this.final(t.tx.height),
      maxAgeMs: MUTABLE_MAX_AGE_MS,
    };
  }

  protected ensureTx(txid: string, signal?: AbortSignal): Promise<void> {
    if (this.view.hasTx(txid)) return Promise.resolve();
    return this.once(`tx:${txid}`, async () => {
      const url = this.url(`/tx/${txid}`);
      if (await this.knownAbsent(url)) {
        this.view.markNotFound(txid);
        return;
      }
      try {
        const t = await this.http().getJson(url, {
          signal,
          validate: txValidator(this.s.norm, txid),
          cachePolicy: this.txPolicy(),
        });
        this.view.addTx(t);
      } catch (e) {
        // "Transaction not found": the data does not have it (the engine reports it as such).
        if (!(e instanceof HttpError && e.status === 404)) throw e;
        this.view.markNotFound(txid);
        await this.rememberAbsent(url);
      }
    });
  }

  // A 404 is an error to the HTTP client, so it is never cached there. The adapter records "not
  // found as of now" itself (a mutable entry, kind esplora.tx-absent, 5 min; any age offline), so
  // that an immediate re-run asks nothing: real Esplora servers answer 404 only for transactions
  // that do not exist (a mistyped seed, a dropped mempool transaction, data a test server lacks).
  private absentKey(url: string): string {
    return `${redactUrl(url)} 404`;
  }

  private async knownAbsent(url: string): Promise<boolean> {
    const http = this.http();
    if (!http.cache || http.mode === 'noCache' || http.mode === 'refresh') return false;
    const r = await http.cache.read(this.absentKey(url)).catch(() => undefined);
    if (r?.status !== 'hit') return false;
    return http.mode === 'offline' || Date.now() - r.entry.asOfMs < MUTABLE_MAX_AGE_MS;
  }

  private async rememberAbsent(url: string): Promise<void> {
    const http = this.http();
    if (!http.cache || http.mode === 'noCache' || http.mode === 'offline') return;
    await http.cache
      .write({
        key: this.absentKey(url),
        kind: 'esplora.tx-absent',
        immutable: false,
        asOfMs: Date.now(),
        body: '404',
      })
      .catch(() => undefined);
  }

  protected ensureOutspends(txid: string, signal?: AbortSignal): Promise<void> {
    if (this.view.hasOutspends(txid)) return Promise.resolve();
    return this.once(`outspends:${txid}`, async () => {
      const known = this.view.entry(txid);
      const list = await this.http().getJson(this.url(`/tx/${txid}/outspends`), {
        signal,
        validate: outspendsValidator(known?.tx.outputs.length),
        cachePolicy: {
          kind: 'esplora.outspends',
          immutable: (l) =>
            known !== undefined &&
            l.every((s, i) => (s === null ? known.unspendable[i] === true : this.final(s.height))),
          maxAgeMs: MUTABLE_MAX_AGE_MS,
        },
      });
      this.view.setOutspends(txid, list);
    });
  }

  protected ensureBlock(
    { hash, height }: { hash: string; height: number },
    signal?: AbortSignal,
  ): Promise<void> {
    return this.once(`block:${hash}`, async () => {
      const txids = await this.http().getJson(this.url(`/block/${hash}/txids`), {
        signal,
        validate: blockTxidsValidator,
        cachePolicy: {
          kind: 'esplora.block-txids',
          immutable: () => this.final(height),
          maxAgeMs: MUTABLE_MAX_AGE_MS,
        },
      });
      const absent = this.view.setBlock(hash, txids);
      if (absent.length > 0) {
        throw new FundtraceError(
          'BAD_DATA',
          `bad response from GET ${redactUrl(this.url(`/block/${hash}/txids`))}: block ${hash} does not list ${absent.length} transaction(s) that claim to be in it (first: ${absent[0]})`,
        );
      }
    });
  }

  protected ensureHistory(address: string, signal?: AbortSignal): Promise<void> {
    if (this.view.hasHistory(address)) return Promise.resolve();
    return this.once(`address:${address}`, async () => {
      const enc = encodeURIComponent(address);
      const stats = this.http().getJson(this.url(`/address/${enc}`), {
        signal,
        validate: addressStatsValidator,
        cachePolicy: { kind: 'esplora.address', immutable: false, maxAgeMs: MUTABLE_MAX_AGE_MS },
      });
      // Both requests go out together; a failure of either fails the history.
      stats.catch(() => undefined);
      let paged: Paged;
      try {
        paged = await this.page(address, signal);
      } catch (e) {
        if (!(e instanceof CursorRefused)) throw e;
        // The server no longer knows a cursor (a reorg between pages): start again, once.
        await this.forget(e.urls);
        paged = await this.page(address, signal).catch((e2: unknown) => {
          throw e2 instanceof CursorRefused ? e2.error : e2;
        });
      }
      const counts = await stats;
      if (!paged.truncated && paged.confirmed < counts.chainTxCount) {
        // An early empty page: page once more from the start, then give up.
        await this.forget(paged.urls);
        const again = await this.page(address, signal).catch((e2: unknown) => {
          throw e2 instanceof CursorRefused ? e2.error : e2;
        });
        if (!again.truncated && again.confirmed < counts.chainTxCount) {
          await this.forget(again.urls);
          throw new FundtraceError(
            'BAD_DATA',
            `bad response from GET ${redactUrl(this.url(`/address/${enc}/txs/chain/…`))}: the history of ${address} ended after ${again.confirmed} of the ${counts.chainTxCount} confirmed transactions the server counts (an empty page for a cursor it no longer knows?); run the command again`,
          );
        }
        paged = again;
      }
      for (const t of paged.txs) this.view.addTx(t);
      this.view.setHistory(address, {
        txids: paged.txs.map((t) => t.tx.txid),
        count: counts.chainTxCount + counts.mempoolTxCount,
        truncated: paged.truncated,
      });
    });
  }

  /** Page through an address history: mempool + first chain page, then cursor pages until empty. */
  private async page(address: string, signal?: AbortSignal): Promise<Paged> {
    const enc = encodeURIComponent(address);
    const policy: CachePolicy<EsploraTx[]> = {
      kind: 'esplora.address-txs',
      immutable: false,
      maxAgeMs: MUTABLE_MAX_AGE_MS,
    };
    const urls: string[] = [];
    const seen = new Set<string>();
    const txs: EsploraTx[] = [];
    let confirmed = 0;
    let cursor: string | undefined;
    const take = (list: EsploraTx[], url: string) => {
      let last: string | undefined;
      for (const t of list) {
        if (seen.has(t.tx.txid)) {
          if (cursor !== undefined)
            throw new FundtraceError(
              'BAD_DATA',
              `bad response from GET ${redactUrl(url)}: the page repeats ${t.tx.txid}, already seen: the server ignored the last_seen_txid cursor`,
            );
          continue;
        }
        seen.add(t.tx.txid);
        txs.push(t);
        if (t.tx.height !== null) {
          confirmed++;
          last = t.tx.txid;
        }
      }
      return last;
    };
    const first = this.url(`/address/${enc}/txs`);
    urls.push(first);
    cursor = take(
      await this.http().getJson(first, {
        signal,
        validate: txListValidator(this.s.norm, false),
        cachePolicy: policy,
      }),
      first,
    );
    let truncated = false;
    while (cursor !== undefined) {
      if (confirmed > this.s.historyCap) {
        truncated = true;
        break;
      }
      const url = this.url(`/address/${enc}/txs/chain/${cursor}`);
      urls.push(url);
      let page: EsploraTx[];
      try {
        page = await this.http().getJson(url, {
          signal,
          validate: txListValidator(this.s.norm, true),
          cachePolicy: policy,
        });
      } catch (e) {
        if (e instanceof HttpError && e.status !== undefined && CURSOR_REFUSED.has(e.status))
          throw new CursorRefused(e, urls);
        throw e;
      }
      if (page.length === 0) break;
      const next = take(page, url);
      if (next === undefined) break;
      cursor = next;
    }
    return { txs, confirmed, truncated, urls };
  }

  /** Drop cached pages so that paging again asks the server. */
  private async forget(urls: readonly string[]): Promise<void> {
    const cache = this.http().cache;
    if (!cache || this.http().mode === 'offline') return;
    await Promise.all(urls.map((u) => cache.remove(redactUrl(u)).catch(() => false)));
  }
}

interface Paged {
  txs: EsploraTx[];
  confirmed: number;
  truncated: boolean;
  urls: string[];
}

class CursorRefused extends Error {
  constructor(
    readonly error: HttpError,
    readonly urls: string[],
  ) {
    super(error.message);
  }
}
