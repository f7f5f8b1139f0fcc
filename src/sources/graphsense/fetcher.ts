// Fetches what a trace round lacked from a GraphSense REST API (UTXO currencies), through the
// shared HTTP client (rate limits, retries, Retry-After, validation, the persistent cache). It
// fills the same view as the Esplora source (src/sources/esplora/view.ts), so ordering within a
// block, histories and the history cap behave the same.
//
// Endpoints ({c} = currency, e.g. btc; every request carries `Authorization: <key>` when a key is given):
//   GET /stats                                      once per run: the tip (no_blocks − 1)
//   GET /{c}/txs/{h}?include_io=true&include_nonstandard_io=true&include_io_index=true
//   GET /{c}/txs/{h}/spending                       outpoints the inputs spend (input_index → tx_hash:output_index)
//   GET /{c}/txs/{h}/spent_in                       spenders of the outputs (output_index → tx_hash, input_index)
//   GET /{c}/addresses/{a}/txs?pagesize=N[&page=…]  history, cursor paging by next_page
//   GET /{c}/blocks/{height}/txs                    block order, when two held txs share a height
//   GET /{c}/addresses/{a}/tags?pagesize=N[&page=…] tags of every address reached (settle(), after the data)
// (GraphSense's naming trap: `spending` looks backward, `spent_in` forward.)
//
// Paging never assumes a page size: it follows next_page until absent; a cursor seen before is
// BAD_DATA (the server would loop). The history's transactions are fetched in the same round.
// Cache: a tx and its spending list are immutable once ≥ FINAL_DEPTH blocks deep (GraphSense
// serves confirmed blocks only); spent_in, histories and the tip are mutable (5 min, 60 s).
import { FundtraceError } from '../../core/errors.js';
import type { TraceOutcome } from '../../core/trace-types.js';
import { UtxoRounds } from '../esplora/fetch-rounds.js';
import { MUTABLE_MAX_AGE_MS, TIP_MAX_AGE_MS } from '../esplora/fetcher.js';
import type { EsploraView } from '../esplora/view.js';
import type { AddressNormalizer } from '../esplora/wire.js';
import { type HttpClient, HttpError, redactUrl } from '../http/index.js';
import { TagReader, type TagSink } from './tags.js';
import {
  addressTxsValidator,
  blockTxsValidator,
  joinSpending,
  statsValidator,
  txRefsValidator,
  txValidator,
} from './wire.js';

/** Items asked per history page (a request, not an assumption: the server may send fewer). */
export const PAGE_SIZE = 100;

export interface GraphSenseSettings {
  /** API root without a trailing slash, e.g. https://api.iknaio.com. */
  base: string;
  /** Path currency, e.g. "btc". */
  currency: string;
  historyCap: number;
  norm: AddressNormalizer;
  /** `Authorization` header value, when a key was given. */
  apiKey?: string;
  /** Values to scrub from messages (the key). */
  secrets: readonly string[];
}

export class GraphSenseFetcher extends UtxoRounds {
  private readonly tagReader: TagReader;
  /** Where tags go (the run's label store, set by the app); no sink: tags are not fetched. */
  tagSink: TagSink | undefined;

  constructor(
    private readonly http: () => HttpClient,
    view: EsploraView,
    private readonly s: GraphSenseSettings,
  ) {
    super(view);
    this.tagReader = new TagReader(http, s);
  }

  private url(path: string): string {
    return `${this.s.base}${path}`;
  }

  private shown(url: string): string {
    return redactUrl(url, this.s.secrets);
  }

  private headers(): { headers?: Record<string, string> } {
    return this.s.apiKey ? { headers: { authorization: this.s.apiKey } } : {};
  }

  /** Tags of every address the trace reached and not asked yet (see ./tags.ts). */
  settle(outcome: TraceOutcome, signal?: AbortSignal): Promise<boolean> {
    return this.tagReader.settle(this.tagSink, outcome, signal);
  }

  protected async loadTip(signal?: AbortSignal): Promise<void> {
    try {
      this.view.tip = await this.http().getJson(this.url('/stats'), {
        signal,
        ...this.headers(),
        validate: statsValidator(this.s.currency),
        cachePolicy: { kind: 'graphsense.stats', immutable: false, maxAgeMs: TIP_MAX_AGE_MS },
      });
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) {
        throw new FundtraceError(
          'SOURCE',
          `${e.message} — is ${this.shown(this.s.base)} the root of a GraphSense REST API (e.g. https://api.iknaio.com)?`,
          e.details,
        );
      }
      throw e;
    }
  }

  protected ensureTx(txid: string, signal?: AbortSignal): Promise<void> {
    if (this.view.hasTx(txid)) return Promise.resolve();
    return this.once(`tx:${txid}`, async () => {
      const c = this.s.currency;
      const txUrl = this.url(
        `/${c}/txs/${txid}?include_io=true&include_nonstandard_io=true&include_io_index=true`,
      );
      const spendingUrl = this.url(`/${c}/txs/${txid}/spending`);
      const final = (h: number) => this.final(h);
      const txP = this.http().getJson(txUrl, {
        signal,
        ...this.headers(),
        validate: txValidator(this.s.norm, txid),
        cachePolicy: {
          kind: 'graphsense.tx',
          immutable: (t) => final(t.height),
          maxAgeMs: MUTABLE_MAX_AGE_MS,
        },
      });
      // Both requests go out together; the spending list is only read when the tx exists.
      const spP = this.http().getJson(spendingUrl, {
        signal,
        ...this.headers(),
        validate: txRefsValidator('spending'),
        cachePolicy: { kind: 'graphsense.spending', immutable: false, maxAgeMs: MUTABLE_MAX_AGE_MS },
      });
      spP.catch(() => undefined);
      let t: Awaited<typeof txP>;
      try {
        t = await txP;
      } catch (e) {
        // GraphSense answers 404 for a transaction it does not hold.
        if (!(e instanceof HttpError && e.status === 404)) throw e;
        this.view.markNotFound(txid);
        return;
      }
      const joined = joinSpending(t, await spP);
      if (!joined.tx) {
        throw new FundtraceError(
          'BAD_DATA',
          `bad response from GET ${this.shown(spendingUrl)}: ${joined.problem} (transaction ${txid})`,
        );
      }
      this.view.addTx(joined.tx);
    });
  }

  protected ensureOutspends(txid: string, signal?: AbortSignal): Promise<void> {
    if (this.view.hasOutspends(txid)) return Promise.resolve();
    return this.once(`outspends:${txid}`, async () => {
      const url = this.url(`/${this.s.currency}/txs/${txid}/spent_in`);
      const listP = this.http().getJson(url, {
        signal,
        ...this.headers(),
        validate: txRefsValidator('spent_in'),
        cachePolicy: { kind: 'graphsense.spent-in', immutable: false, maxAgeMs: MUTABLE_MAX_AGE_MS },
      });
      listP.catch(() => undefined);
      // The number of outputs comes from the tx itself (spent_in lists only spent outputs).
      await this.ensureTx(txid, signal);
      const refs = await listP;
      const known = this.view.entry(txid);
      if (!known) {
        if (refs.length > 0)
          throw new FundtraceError(
            'BAD_DATA',
            `bad response from GET ${this.shown(url)}: names spenders of a transaction the server does not hold`,
          );
        this.view.setOutspends(txid, []);
        return;
      }
      const n = known.tx.outputs.length;
      const list: ({ txid: string; inputIndex: number; height: null } | null)[] = Array.from(
        { length: n },
        () => null,
      );
      for (const r of refs) {
        if (r.outputIndex >= n)
          throw new FundtraceError(
            'BAD_DATA',
            `bad response from GET ${this.shown(url)}: output ${r.outputIndex} is spent, but ${txid} has ${n} outputs`,
          );
        const prior = list[r.outputIndex];
        if (prior && (prior.txid !== r.txid || prior.inputIndex !== r.inputIndex))
          throw new FundtraceError(
            'BAD_DATA',
            `bad response from GET ${this.shown(url)}: output ${txid}:${r.outputIndex} is spent twice (by ${prior.txid}:${prior.inputIndex} and ${r.txid}:${r.inputIndex})`,
          );
        list[r.outputIndex] = { txid: r.txid, inputIndex: r.inputIndex, height: null };
      }
      // A spent-by link must be matched by the spender's own inputs: fetch the spenders now and
      // check (the integrity wrapper checks the same later, but here the URL can be named).
      const spenders = [...new Set(refs.map((r) => r.txid))];
      await Promise.all(spenders.map((s) => this.ensureTx(s, signal)));
      for (const r of refs) {
        const sp = this.view.entry(r.txid);
        const input = sp?.tx.inputs[r.inputIndex];
        if (!input || input.txid !== txid || input.vout !== r.outputIndex) {
          throw new FundtraceError(
            'BAD_DATA',
            `bad response from GET ${this.shown(url)}: says ${r.txid} input ${r.inputIndex} spends ${txid}:${r.outputIndex}, but that transaction ${sp ? (input ? `spends ${input.txid}:${input.vout} there` : `has no input ${r.inputIndex}`) : 'is not held by the server'}`,
          );
        }
      }
      this.view.setOutspends(txid, list);
    });
  }

  protected ensureBlock({ height }: { height: number }, signal?: AbortSignal): Promise<void> {
    return this.once(`block:${height}`, async () => {
      const url = this.url(`/${this.s.currency}/blocks/${height}/txs`);
      const txids = await this.http().getJson(url, {
        signal,
        ...this.headers(),
        validate: blockTxsValidator(height),
        cachePolicy: {
          kind: 'graphsense.block-txs',
          immutable: () => this.final(height),
          maxAgeMs: MUTABLE_MAX_AGE_MS,
        },
      });
      const absent = this.view.setBlock(`height:${height}`, txids);
      if (absent.length > 0) {
        throw new FundtraceError(
          'BAD_DATA',
          `bad response from GET ${this.shown(url)}: block ${height} does not list ${absent.length} transaction(s) that claim to be in it (first: ${absent[0]})`,
        );
      }
    });
  }

  protected ensureHistory(address: string, signal?: AbortSignal): Promise<void> {
    if (this.view.hasHistory(address)) return Promise.resolve();
    return this.once(`address:${address}`, async () => {
      const base = this.url(
        `/${this.s.currency}/addresses/${encodeURIComponent(address)}/txs?pagesize=${PAGE_SIZE}`,
      );
      const seen = new Set<string>();
      const cursors = new Set<string>();
      const txids: string[] = [];
      let url = base;
      let truncated = false;
      for (;;) {
        const page = await this.http().getJson(url, {
          signal,
          ...this.headers(),
          validate: addressTxsValidator,
          cachePolicy: { kind: 'graphsense.address-txs', immutable: false, maxAgeMs: MUTABLE_MAX_AGE_MS },
        });
        for (const t of page.txids) {
          if (seen.has(t)) continue;
          seen.add(t);
          txids.push(t);
        }
        if (page.next === null) break;
        if (cursors.has(page.next)) {
          throw new FundtraceError(
            'BAD_DATA',
            `bad response from GET ${this.shown(url)}: next_page repeats the cursor ${JSON.stringify(page.next.slice(0, 60))} already followed (paging would never end)`,
          );
        }
        cursors.add(page.next);
        if (txids.length > this.s.historyCap) {
          truncated = true;
          break;
        }
        url = `${base}&page=${encodeURIComponent(page.next)}`;
      }
      await Promise.all(txids.map((t) => this.ensureTx(t, signal)));
      const absent = txids.filter((t) => !this.view.entry(t));
      if (absent.length > 0) {
        throw new FundtraceError(
          'BAD_DATA',
          `bad response from GET ${this.shown(base)}: the history of ${address} lists ${absent[0]}, which the server does not hold`,
        );
      }
      this.view.setHistory(address, { txids, count: truncated ? undefined : txids.length, truncated });
    });
  }
}
