// The AccountView a GraphSense source offers the engine on account chains (ethereum → eth,
// tron → trx), filled on demand through the shared HTTP client (rate limits, retries, cache,
// --offline, case evidence). Requests ({c} = eth | trx; `Authorization: <key>` when a key is given):
//
//   GET /{c}/addresses/{a}/txs?pagesize=N[&page=…]    an address's transactions, internal transfers
//                                                    (traces) and token transfers, one paged list,
//                                                    followed by next_page (a repeated cursor is
//                                                    BAD_DATA), read to --history-limit items
//   GET /{c}/txs/{h}                                 a tx seed: the transaction itself (value, fee)
//   GET /{c}/txs/{h}/flows?pagesize=N[&page=…]       a tx seed: its internal and token transfers
//   GET /{c}/blocks/{height}/txs                     block order, when one ledger holds two
//                                                    transactions of a block (their positions)
//   GET /{c}/addresses/{a}/tags                      tags of every address reached (./tags.ts)
//   (opened once: GET /stats for the tip, GET /{c}/supported_tokens for token decimals)
//
// Records (the same Transfer records as the etherscan:, trongrid: and rpc: sources):
//   the transaction itself   its value (kind native, index 0) when > 0, and its `fee` (kind fee,
//                            from the sender, to null) when GraphSense gives one
//   `_I<n>` (a trace)        kind internal, value > 0 only
//   `_T<n>` (a token event)  kind token; asset: the chain's well-known symbol for the real contract
//                            (chains.ts), else the contract, else the ticker; decimals from
//                            /supported_tokens (a disagreement with chains.ts is BAD_DATA)
// Indices: ethereum as src/sources/evm/transfers.ts (rpc:, ethereum-etl): native 0, internal
// 1 000 000 + trace index, fee 2 000 000, token 3 000 000 + log index; tron as trongrid:
// (../etherscan/indices.ts): native 0, internal 1 000 + trace index, token 3·10¹⁵ + log index,
// fee 9·10¹⁵. GraphSense's trace index is not the rpc: source's count of value-moving calls, so an
// internal transfer has another index than through rpc: (its order within the tx is the same).
//
// What GraphSense cannot say (stated in the result's warnings, see warnings()):
//   - a transaction's place in its block (tx_account has no position): positions stay null unless
//     one ledger holds two transactions of a block, when the block's list gives them (a deployment
//     without that route: hash order, named in a warning);
//   - whether a transaction or trace failed (tx_account has no status): every listed value is
//     taken as moved;
//   - a fee, on deployments that leave `fee` out: named per address.
import type { ChainInfo } from '../../core/chains.js';
import { FundtraceError } from '../../core/errors.js';
import type { AssetInfo, Transfer } from '../../core/model.js';
import type { MissingData, TraceOutcome } from '../../core/trace-types.js';
import { type AccountView, type Lookup, MISSING, ok } from '../../core/view.js';
import { MissCollector } from '../cache/index.js';
import type { Fetcher } from '../driver.js';
import { MUTABLE_MAX_AGE_MS } from '../esplora/fetcher.js';
import { cleanSymbol, isoTime } from '../etherscan/normalize.js';
import { type HttpClient, HttpError, redactUrl } from '../http/index.js';
import { LedgerCache } from '../ledgers.js';
import {
  type AccountPage,
  type AddressForm,
  accountPageValidator,
  accountTxValidator,
  blockTxsValidator,
  canonicalAccount,
  type GsAccountTx,
  type TokenConfig,
} from './account-wire.js';
import { TagReader, type TagSink } from './tags.js';

/** Items asked per page (a request: the server may send fewer). */
export const ACCOUNT_PAGE_SIZE = 100;
/** Blocks below the tip after which a transaction is cached for good. */
const FINAL_DEPTH = 64;

interface Indices {
  native: number;
  internal: (trace: number) => number;
  token: (log: number) => number;
  fee: number;
}
const EVM_INDICES: Indices = {
  native: 0,
  internal: (n) => 1_000_000 + n,
  fee: 2_000_000,
  token: (n) => 3_000_000 + n,
};
const TRON_INDICES: Indices = {
  native: 0,
  internal: (n) => 1_000 + n,
  token: (n) => 3_000_000_000_000_000 + n,
  fee: 9_000_000_000_000_000,
};

const ZERO_EVM = '0x0000000000000000000000000000000000000000';
const ZERO_TRON = 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb';

export interface AccountSettings {
  base: string;
  /** Path currency: eth or trx. */
  currency: string;
  historyCap: number;
  apiKey?: string;
  secrets: readonly string[];
  head: number;
  /** /supported_tokens, or undefined when the deployment has none (404). */
  tokens: readonly TokenConfig[] | undefined;
}

interface AddressData {
  ids: string[];
  truncated: boolean;
}

const idOf = (t: Transfer) => `${t.tx}:${t.index}`;

export class GraphSenseAccountView implements AccountView, Fetcher {
  readonly kind = 'account' as const;
  readonly chain: string;
  readonly native: AssetInfo;
  readonly head: { height: number };
  private readonly form: AddressForm;
  private readonly idx: Indices;
  private readonly zero: string;
  private readonly byId = new Map<string, Transfer>();
  private readonly fetched = new Map<string, AddressData>();
  private readonly txs = new Map<string, readonly Transfer[] | null>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly ledgers = new LedgerCache();
  private readonly notes: string[] = [];
  /** lowercase ticker → asset key; asset key → info. */
  private readonly tickers = new Map<string, string>();
  private readonly learned = new Map<string, AssetInfo>();
  private readonly wellKnown = new Map<string, string>();
  /** Block height → its transactions in order (null: the deployment gave none). */
  private readonly blocks = new Map<number, string[] | null>();
  private readonly positions = new Map<string, number>();
  private readonly byTx = new Map<string, Transfer[]>();
  /** Transactions GraphSense gave without a fee (named in the warnings). */
  private readonly noFee = new Set<string>();
  private version = 0;
  private readonly tagReader: TagReader;
  /** Where GraphSense tags go (the run's label store, set by the app); none: not fetched. */
  tagSink: TagSink | undefined;

  constructor(
    private readonly info: ChainInfo,
    private readonly http: () => HttpClient,
    private readonly s: AccountSettings,
  ) {
    this.chain = info.name;
    this.native = info.native;
    this.head = { height: s.head };
    this.form = info.addressFormat === 'tron' ? 'tron' : 'evm';
    this.idx = this.form === 'tron' ? TRON_INDICES : EVM_INDICES;
    this.zero = this.form === 'tron' ? ZERO_TRON : ZERO_EVM;
    for (const [symbol, t] of Object.entries(info.tokens ?? {}))
      if (t.contract) this.wellKnown.set(this.contractKey(t.contract), symbol);
    this.learnTokens();
    this.tagReader = new TagReader(http, s);
  }

  private contractKey(c: string): string {
    return this.form === 'evm' ? c.toLowerCase() : c;
  }

  /** Ticker → asset key, by the rules at the top of this file. */
  private learnTokens(): void {
    const known = this.info.tokens ?? {};
    const bad: string[] = [];
    for (const t of this.s.tokens ?? []) {
      let key: string;
      if (t.contract !== undefined) key = this.wellKnown.get(this.contractKey(t.contract)) ?? t.contract;
      else key = Object.keys(known).find((k) => k.toLowerCase() === t.ticker) ?? t.symbol.toUpperCase();
      this.tickers.set(t.ticker, key);
      // A well-known token (by contract, or by ticker when the deployment names no contract).
      const k = known[key];
      if (k) {
        if (k.decimals !== t.decimals)
          bad.push(`${t.symbol} has ${t.decimals} decimals, but ${key} on ${this.chain} has ${k.decimals}`);
        continue;
      }
      this.learned.set(key, {
        symbol: cleanSymbol(t.symbol) || key,
        decimals: t.decimals,
        ...(t.contract ? { contract: t.contract } : {}),
      });
    }
    if (bad.length > 0)
      throw new FundtraceError(
        'BAD_DATA',
        `bad response from GET ${this.shown(this.url(`/${this.s.currency}/supported_tokens`))}: ${bad.join('; ')}`,
      );
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

  // ---- AccountView ---------------------------------------------------------------------------

  resolveAsset(input: string): string | undefined {
    const s = input.trim();
    if (s.toUpperCase() === this.native.symbol.toUpperCase()) return this.native.symbol;
    for (const sym of Object.keys(this.info.tokens ?? {}))
      if (sym.toUpperCase() === s.toUpperCase()) return sym;
    const c = canonicalAccount(this.form, s);
    if (c !== undefined) {
      const k = this.wellKnown.get(this.contractKey(c));
      if (k) return k;
      if (this.learned.has(c)) return c;
    }
    const t = this.tickers.get(s.toLowerCase());
    return t ?? (this.learned.has(s) ? s : undefined);
  }

  asset(key: string): AssetInfo | undefined {
    if (key === this.native.symbol) return this.native;
    return this.info.tokens?.[key] ?? this.learned.get(key);
  }

  assets(): readonly string[] {
    return [this.native.symbol, ...Object.keys(this.info.tokens ?? {}), ...[...this.learned.keys()].sort()];
  }

  ledger(address: string, asset: string): Lookup<readonly Transfer[]> {
    if (address === this.zero) return ok([]);
    const data = this.fetched.get(address);
    if (!data) return MISSING;
    return ok(this.ledgers.get(address, asset, data.ids, this.byId, this.version));
  }

  ledgerSize(address: string, asset: string): number | undefined {
    // The mint / burn pseudo-address: its history is unbounded and never fetched.
    if (address === this.zero) return Number.MAX_SAFE_INTEGER;
    const data = this.fetched.get(address);
    if (!data) return undefined;
    const r = this.ledger(address, asset);
    const n = r.status === 'ok' ? r.value.length : 0;
    return data.truncated ? Math.max(n, this.s.historyCap + 1) : n;
  }

  txTransfers(tx: string): Lookup<readonly Transfer[] | undefined> {
    const key = tx.toLowerCase();
    if (!this.txs.has(key)) return MISSING;
    const list = this.txs.get(key);
    return ok(list === null ? undefined : list);
  }

  /** What GraphSense could not give for this run, in plain words (the result's warnings). */
  warnings(): string[] {
    const out = [
      `graphsense: GraphSense gives no success or failure status for ${this.chain} transactions or internal transfers: every value it lists is taken as moved (confirm a key transaction through ${this.form === 'tron' ? 'trongrid:' : 'etherscan: or rpc:'})`,
      ...this.notes,
    ];
    const n = this.noFee.size;
    if (n > 0)
      out.push(
        `graphsense: ${n} ${this.chain} transaction${n === 1 ? '' : 's'} came without a fee (e.g. ${[...this.noFee].sort()[0]}): the ${this.native.symbol} balances leave those fees out`,
      );
    for (const [address, data] of this.fetched)
      if (data.truncated)
        out.push(
          `graphsense: the history of ${address} was read only to ${this.s.historyCap} items (--history-limit); the rest was not fetched`,
        );
    return [...new Set(out)].sort();
  }

  // ---- Fetcher -------------------------------------------------------------------------------

  async fetchMissing(missing: MissingData, signal?: AbortSignal): Promise<void> {
    const misses = new MissCollector();
    const jobs: Promise<unknown>[] = [];
    for (const a of new Set(missing.addresses))
      jobs.push(misses.attempt(() => this.once(`a:${a}`, () => this.fetchAddress(a, signal))));
    for (const t of new Set(missing.txs))
      jobs.push(misses.attempt(() => this.once(`t:${t}`, () => this.fetchTx(t.toLowerCase(), signal))));
    await Promise.all(jobs);
    misses.throwIfAny();
  }

  /** GraphSense tags of the addresses the trace reached (./tags.ts). */
  settle(outcome: TraceOutcome, signal?: AbortSignal): Promise<boolean> {
    return this.tagReader.settle(this.tagSink, outcome, signal);
  }

  private once(key: string, job: () => Promise<void>): Promise<void> {
    let p = this.pending.get(key);
    if (!p) {
      p = job().finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  // ---- records -------------------------------------------------------------------------------

  /** The asset key of a token transfer's ticker; an unknown ticker has no decimals: BAD_DATA. */
  private tokenAsset(t: GsAccountTx, where: string): string {
    const key = this.tickers.get(t.currency);
    if (key !== undefined) return key;
    if (this.s.tokens === undefined) {
      const known = Object.keys(this.info.tokens ?? {}).find((k) => k.toLowerCase() === t.currency);
      if (known) return known;
    }
    throw new FundtraceError(
      'BAD_DATA',
      `bad response from GET ${where}: ${t.identifier} moves the token ${JSON.stringify(t.currency.slice(0, 20))}, which ${
        this.s.tokens === undefined
          ? `fundtrace does not know on ${this.chain} (the server has no /supported_tokens)`
          : '/supported_tokens does not list'
      }: its decimals are unknown`,
    );
  }

  private records(t: GsAccountTx, where: string): Transfer[] {
    const base = { tx: t.tx, height: t.height, position: null, time: isoTime(t.timestamp) };
    const out: Transfer[] = [];
    const native = this.native.symbol;
    if (t.kind === 'external') {
      if (t.value > 0n)
        out.push({
          ...base,
          index: this.idx.native,
          from: t.from,
          to: t.to,
          asset: native,
          value: t.value,
          kind: 'native',
        });
      if (t.fee !== null && t.fee > 0n)
        out.push({
          ...base,
          index: this.idx.fee,
          from: t.from,
          to: null,
          asset: native,
          value: t.fee,
          kind: 'fee',
        });
    } else if (t.kind === 'internal') {
      if (t.value > 0n)
        out.push({
          ...base,
          index: this.idx.internal(t.sub!),
          from: t.from,
          to: t.to,
          asset: native,
          value: t.value,
          kind: 'internal',
        });
    } else {
      out.push({
        ...base,
        index: this.idx.token(t.sub!),
        from: t.from,
        to: t.to,
        asset: this.tokenAsset(t, where),
        value: t.value,
        kind: 'token',
      });
    }
    return out;
  }

  /** One object per (tx, index); the same key read twice with other content is BAD_DATA. */
  private intern(t: Transfer, where: string): Transfer {
    const id = idOf(t);
    const have = this.byId.get(id);
    if (!have) {
      const p = this.positions.get(t.tx);
      if (p !== undefined) t.position = p;
      this.byId.set(id, t);
      const list = this.byTx.get(t.tx);
      if (list) list.push(t);
      else this.byTx.set(t.tx, [t]);
      return t;
    }
    if (
      have.from !== t.from ||
      have.to !== t.to ||
      have.value !== t.value ||
      have.asset !== t.asset ||
      have.height !== t.height ||
      have.time !== t.time
    )
      throw new FundtraceError(
        'BAD_DATA',
        `bad response from GET ${where}: transfer ${t.tx} #${t.index} (${t.kind}) differs from the same transfer read before (${have.from} → ${have.to}, ${have.value} at height ${have.height} against ${t.from} → ${t.to}, ${t.value} at height ${t.height})`,
      );
    return have;
  }

  /** An address's list grows (mutable); a final transaction's flows do not. */
  private cachePolicy(kind: string, growing: boolean) {
    const head = this.s.head;
    return {
      kind,
      immutable: growing ? false : (p: AccountPage) => p.items.every((t) => t.height <= head - FINAL_DEPTH),
      maxAgeMs: MUTABLE_MAX_AGE_MS,
    };
  }

  /** Follows next_page from `base` until absent (or `cap` items); a repeated cursor is BAD_DATA. */
  private async pages(
    base: string,
    listKey: 'address_txs' | 'txs',
    kind: string,
    cap: number,
    signal?: AbortSignal,
  ): Promise<{ items: GsAccountTx[]; truncated: boolean } | null> {
    const cursors = new Set<string>();
    const items: GsAccountTx[] = [];
    const validate = accountPageValidator(listKey, this.s.currency, this.form);
    let url = base;
    for (;;) {
      let page: AccountPage;
      try {
        page = await this.http().getText(url, {
          signal,
          ...this.headers(),
          validate,
          cachePolicy: this.cachePolicy(kind, listKey === 'address_txs'),
        });
      } catch (e) {
        // GraphSense answers 404 for an address (or tx) it has never seen.
        if (url === base && e instanceof HttpError && e.status === 404) return null;
        throw e;
      }
      items.push(...page.items);
      if (page.next === null) return { items, truncated: false };
      if (items.length > cap) return { items, truncated: true };
      if (cursors.has(page.next))
        throw new FundtraceError(
          'BAD_DATA',
          `bad response from GET ${this.shown(url)}: next_page repeats the cursor ${JSON.stringify(page.next.slice(0, 60))} already followed (paging would never end)`,
        );
      cursors.add(page.next);
      url = `${base}&page=${encodeURIComponent(page.next)}`;
    }
  }

  private async fetchAddress(address: string, signal?: AbortSignal): Promise<void> {
    if (this.fetched.has(address)) return;
    if (address === this.zero) {
      this.fetched.set(address, { ids: [], truncated: false });
      return;
    }
    const base = this.url(
      `/${this.s.currency}/addresses/${encodeURIComponent(address)}/txs?pagesize=${ACCOUNT_PAGE_SIZE}`,
    );
    const where = this.shown(base);
    const got = await this.pages(base, 'address_txs', 'graphsense.address-txs', this.s.historyCap, signal);
    const ids = new Set<string>();
    const blocks = new Map<number, Set<string>>();
    for (const t of got?.items ?? []) {
      if (t.from !== address && t.to !== address)
        throw new FundtraceError(
          'BAD_DATA',
          `bad response from GET ${where}: lists ${t.identifier} (${t.from} → ${t.to}), which does not involve ${address}`,
        );
      if (t.kind === 'external' && t.fee === null) this.noFee.add(t.tx);
      for (const r of this.records(t, where)) {
        // The fee of a transaction the address only received is the sender's, not in its ledger.
        if (r.from !== address && r.to !== address) continue;
        ids.add(idOf(this.intern(r, where)));
        const s = blocks.get(r.height!) ?? new Set();
        s.add(r.tx);
        blocks.set(r.height!, s);
      }
    }
    // Two transactions of this ledger in one block: their order comes from the block's list.
    await Promise.all(
      [...blocks]
        .filter(([, s]) => s.size > 1)
        .sort(([a], [b]) => a - b)
        .map(([h, s]) => this.blockOrder(h, s, address, signal)),
    );
    this.fetched.set(address, { ids: [...ids], truncated: got?.truncated ?? false });
    this.version++;
  }

  /**
   * GET /{c}/blocks/{h}/txs: the block's transactions in order; each one's place becomes the
   * position of its transfers. Every transaction of the ledger in that block must be listed.
   * A deployment without the route (404): the transactions keep hash order, and the warnings say so.
   */
  private async blockOrder(
    h: number,
    need: Set<string>,
    address: string,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.once(`b:${h}`, async () => {
      if (this.blocks.has(h)) return;
      const url = this.url(`/${this.s.currency}/blocks/${h}/txs`);
      const head = this.s.head;
      try {
        const order = await this.http().getText(url, {
          signal,
          ...this.headers(),
          validate: blockTxsValidator(this.s.currency, this.form, h),
          cachePolicy: {
            kind: 'graphsense.block-txs',
            immutable: () => h <= head - FINAL_DEPTH,
            maxAgeMs: MUTABLE_MAX_AGE_MS,
          },
        });
        this.blocks.set(h, order);
      } catch (e) {
        if (!(e instanceof HttpError && e.status === 404)) throw e;
        this.blocks.set(h, null);
      }
    });
    const order = this.blocks.get(h);
    if (order === null || order === undefined) {
      this.notes.push(
        `graphsense: GraphSense gave no transaction list for block ${h}: the ${need.size} transactions of ${address} in that block are ordered by hash, not as the chain ran them`,
      );
      return;
    }
    const missing = [...need].filter((t) => !order.includes(t)).sort();
    if (missing.length > 0)
      throw new FundtraceError(
        'BAD_DATA',
        `bad response from GET ${this.shown(this.url(`/${this.s.currency}/blocks/${h}/txs`))}: block ${h} does not list ${missing[0]}, which the history of ${address} places in it`,
      );
    order.forEach((t, i) => {
      this.learnPosition(t, i);
    });
  }

  private learnPosition(tx: string, position: number): void {
    if (this.positions.has(tx)) return;
    this.positions.set(tx, position);
    for (const t of this.byTx.get(tx) ?? []) t.position = position;
    this.version++;
  }

  private async fetchTx(tx: string, signal?: AbortSignal): Promise<void> {
    if (this.txs.has(tx)) return;
    const c = this.s.currency;
    // In GraphSense's own form: hex without 0x.
    const hash = tx.replace(/^0x/, '');
    const txUrl = this.url(`/${c}/txs/${hash}`);
    const flowsBase = this.url(`/${c}/txs/${hash}/flows?pagesize=${ACCOUNT_PAGE_SIZE}`);
    const head = this.s.head;
    const txP = this.http().getText(txUrl, {
      signal,
      ...this.headers(),
      validate: accountTxValidator(c, this.form, tx),
      cachePolicy: {
        kind: 'graphsense.tx',
        immutable: (t: GsAccountTx) => t.height <= head - FINAL_DEPTH,
        maxAgeMs: MUTABLE_MAX_AGE_MS,
      },
    });
    const flowsP = this.pages(flowsBase, 'txs', 'graphsense.flows', Number.MAX_SAFE_INTEGER, signal);
    flowsP.catch(() => undefined);
    let self: GsAccountTx;
    try {
      self = await txP;
    } catch (e) {
      if (!(e instanceof HttpError && e.status === 404)) throw e;
      this.txs.set(tx, null);
      return;
    }
    const flows = await flowsP;
    const where = this.shown(flowsBase);
    const found = new Map<string, Transfer>();
    for (const r of this.records(self, this.shown(txUrl)))
      found.set(idOf(r), this.intern(r, this.shown(txUrl)));
    if (self.fee === null) this.noFee.add(self.tx);
    // Without the flows a seed's token and internal transfers would be missing: refuse instead.
    if (flows === null)
      throw new FundtraceError(
        'SOURCE',
        `GET ${where} answered 404 for transaction ${tx}, which GET ${this.shown(txUrl)} holds: this deployment has no /txs/{h}/flows, so the transaction's token and internal transfers cannot be read (seed the trace from an address instead)`,
      );
    for (const t of flows?.items ?? []) {
      if (t.tx !== tx)
        throw new FundtraceError(
          'BAD_DATA',
          `bad response from GET ${where}: lists ${t.identifier}, a part of another transaction`,
        );
      // The flows may repeat the transaction itself (without its fee): its records are known.
      if (t.kind === 'external') {
        if (t.from !== self.from || t.to !== self.to || t.value !== self.value)
          throw new FundtraceError(
            'BAD_DATA',
            `bad response from GET ${where}: the transaction itself is listed with other figures than GET ${this.shown(txUrl)} gives`,
          );
        continue;
      }
      for (const r of this.records(t, where)) found.set(idOf(r), this.intern(r, where));
    }
    this.txs.set(
      tx,
      [...found.values()].sort((a, b) => a.index - b.index),
    );
    this.version++;
  }
}
