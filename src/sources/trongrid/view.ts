// The AccountView a TronGrid source offers the engine, filled on demand (the missing-data protocol
// of src/sources/driver.ts: 'missing' until fetched, then the pipeline runs the engine again).
//
// ledger(address, asset)  fetching an address reads its two lists in full (./paging.ts),
//                         concurrently: /transactions (TRX value and fees) and /transactions/trc20
//                         (TRC-20 transfers). TRC-20 rows carry no block and no event index, so each
//                         of their transactions gets one gettransactioninfobyid (block, result, the
//                         Transfer events in log order; fetched once per run, cached for good once
//                         final) and every row must match an event of that receipt (else BAD_DATA).
//                         Receipts are read only for the token assets the engine asks about, and not
//                         for an address (other than the seed) whose token list is over the history
//                         limit: the engine stops there from ledgerSize alone.
// txTransfers(tx)         gettransactionbyid + gettransactioninfobyid: the tx's TRX value, fee and
//                         TRC-20 events, with the same (tx, index) keys as in any ledger.
// Confirmation policy     rows flagged `_unconfirmed` (not yet solidified) are read to the tip by
//                         default and named in a warning; with --confirmations N (or --as-of H) rows
//                         above head − N (H), unconfirmed rows and rows without a block are left out.
// Not traced (warned)     TRC-10 transfers (TransferAssetContract), TRX moved by contract calls
//                         (internal transactions).
import type { ChainInfo } from '../../core/chains.js';
import { FundtraceError } from '../../core/errors.js';
import type { AssetInfo, Transfer } from '../../core/model.js';
import type { MissingData } from '../../core/trace-types.js';
import { decodeTron } from '../../core/tron.js';
import { type AccountView, type Lookup, MISSING, ok } from '../../core/view.js';
import { MissCollector } from '../cache/index.js';
import type { Fetcher } from '../driver.js';
import { cleanSymbol } from '../etherscan/normalize.js';
import { LedgerCache } from '../ledgers.js';
import type { TronGridApi } from './api.js';
import { TronNormalizer } from './normalize.js';
import { fetchList, type PagingTuning } from './paging.js';
import type { Trc20Row, TxInfo, TxRow } from './rows.js';

interface AddressData {
  ids: string[];
  nativeTruncated: boolean;
  tokensTruncated: boolean;
  /** TRC-20 rows whose receipts are not read yet: asset key → tx → rows. */
  pending: Map<string, Map<string, Trc20Row[]>>;
  /** Transfers per token asset in the lists (the ledger size before the receipts are read). */
  rowCounts: Map<string, number>;
}

export interface ReadPolicy {
  /** Highest block read (head − confirmations, or --as-of); undefined: to the tip, unconfirmed included. */
  cutoff: number | undefined;
}

const idOf = (t: Transfer) => `${t.tx}:${t.index}`;

export class TronGridView implements AccountView, Fetcher {
  readonly kind = 'account' as const;
  readonly chain: string;
  readonly native: AssetInfo;
  readonly head: { height: number };
  private readonly norm: TronNormalizer;
  private readonly byId = new Map<string, Transfer>();
  private readonly fetched = new Map<string, AddressData>();
  private readonly txs = new Map<string, readonly Transfer[] | null>();
  private readonly infos = new Map<string, Promise<TxInfo | undefined>>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly ledgers = new LedgerCache();
  private readonly notes: string[] = [];
  /** Token assets the engine asked about: only their rows get receipts (spam tokens cost nothing). */
  private readonly wantedAssets = new Set<string>();
  private version = 0;

  constructor(
    private readonly info: ChainInfo,
    private readonly api: TronGridApi,
    private readonly paging: PagingTuning,
    head: number,
    private readonly policy: ReadPolicy,
  ) {
    this.chain = info.name;
    this.native = info.native;
    this.head = { height: policy.cutoff ?? head };
    this.norm = new TronNormalizer(info);
  }

  // ---- AccountView ---------------------------------------------------------------------------

  resolveAsset(input: string): string | undefined {
    const s = input.trim();
    if (s.toUpperCase() === this.native.symbol.toUpperCase()) return this.native.symbol;
    for (const sym of Object.keys(this.info.tokens ?? {}))
      if (sym.toUpperCase() === s.toUpperCase()) return sym;
    const d = decodeTron(s);
    if (d.ok) return this.norm.tokenKey(d.base58);
    return this.norm.learned.has(s) ? s : undefined;
  }

  asset(key: string): AssetInfo | undefined {
    if (key === this.native.symbol) return this.native;
    const known = this.info.tokens?.[key];
    if (known) return known;
    const learned = this.norm.learned.get(key);
    if (learned) return learned;
    // A token contract not seen in any row yet: its decimals arrive with its first transfer.
    if (decodeTron(key).ok) return { symbol: key, decimals: 0, contract: key };
    return undefined;
  }

  assets(): readonly string[] {
    return [
      this.native.symbol,
      ...Object.keys(this.info.tokens ?? {}),
      ...[...this.norm.learned.keys()].sort(),
    ];
  }

  ledger(address: string, asset: string): Lookup<readonly Transfer[]> {
    if (asset !== this.native.symbol) this.wantedAssets.add(asset);
    const data = this.fetched.get(address);
    if (!data || data.pending.has(asset)) return MISSING;
    return ok(this.ledgers.get(address, asset, data.ids, this.byId, this.version));
  }

  ledgerSize(address: string, asset: string): number | undefined {
    const data = this.fetched.get(address);
    if (!data) return undefined;
    let n: number;
    if (data.pending.has(asset)) {
      // Before the receipts: every row is one transfer, unless a cut-off may drop some.
      if (this.policy.cutoff !== undefined) return undefined;
      n = data.rowCounts.get(asset) ?? 0;
    } else {
      const r = this.ledger(address, asset);
      n = r.status === 'ok' ? r.value.length : 0;
    }
    const cut = asset === this.native.symbol ? data.nativeTruncated : data.tokensTruncated;
    return cut ? Math.max(n, this.paging.maxRows + 1) : n;
  }

  txTransfers(tx: string): Lookup<readonly Transfer[] | undefined> {
    const key = tx.toLowerCase();
    if (!this.txs.has(key)) return MISSING;
    const list = this.txs.get(key);
    return ok(list === null ? undefined : list);
  }

  /** Before the trace, when `--asset` names a token contract the registry does not know: its
   *  decimals and symbol from the contract itself (two read-only calls), so figures are scaled right. */
  async prepareAsset(input: string | undefined): Promise<void> {
    if (input === undefined) return;
    const d = decodeTron(input.trim());
    if (!d.ok || this.norm.isWellKnown(d.base58) || this.norm.learned.has(d.base58)) return;
    const info = await this.api.tokenInfo(d.base58);
    if (info.decimals === undefined) return;
    this.norm.learned.set(d.base58, {
      symbol: cleanSymbol(info.symbol ?? '') || d.base58,
      decimals: info.decimals,
      contract: d.base58,
    });
  }

  warnings(): string[] {
    return [...new Set(this.notes)].sort();
  }

  // ---- Fetcher -------------------------------------------------------------------------------

  async fetchMissing(missing: MissingData): Promise<void> {
    const misses = new MissCollector();
    const jobs: Promise<unknown>[] = [];
    for (const a of new Set(missing.addresses)) {
      const data = this.fetched.get(a);
      const assets = data ? [...data.pending.keys()].filter((x) => this.wantedAssets.has(x)).sort() : [];
      if (data && assets.length > 0)
        jobs.push(misses.attempt(() => this.once(`r:${a}`, () => this.loadTokens(a, data, assets))));
      else jobs.push(misses.attempt(() => this.once(`a:${a}`, () => this.fetchAddress(a))));
    }
    for (const t of new Set(missing.txs))
      jobs.push(misses.attempt(() => this.once(`t:${t}`, () => this.fetchTx(t.toLowerCase()))));
    await Promise.all(jobs);
    misses.throwIfAny();
  }

  private once(key: string, job: () => Promise<void>): Promise<void> {
    let p = this.pending.get(key);
    if (!p) {
      p = job().finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  /** One gettransactioninfobyid per tx per run, whichever ledgers share the tx. */
  private txInfo(tx: string): Promise<TxInfo | undefined> {
    let p = this.infos.get(tx);
    if (!p) {
      p = this.api.txInfo(tx);
      this.infos.set(tx, p);
      p.catch(() => this.infos.delete(tx));
    }
    return p;
  }

  /** One object per (tx, index); the same movement read from two answers must agree. */
  private intern(t: Transfer): string {
    const id = idOf(t);
    const have = this.byId.get(id);
    if (!have) this.byId.set(id, t);
    else if (have.value !== t.value || have.from !== t.from || have.to !== t.to || have.asset !== t.asset) {
      this.bad(
        `two answers disagree about transfer ${t.index} of transaction ${t.tx}: ${have.value} ${have.asset} from ${have.from} to ${have.to ?? '(fee)'} against ${t.value} ${t.asset} from ${t.from} to ${t.to ?? '(fee)'}`,
      );
    } else if (have.height === null && t.height !== null) this.byId.set(id, t);
    return id;
  }

  /** Does the confirmation policy keep a row at this height? */
  private keeps(height: number | null, unconfirmed: boolean): boolean {
    if (this.policy.cutoff === undefined) return true;
    return !unconfirmed && height !== null && height <= this.policy.cutoff;
  }

  private bad(problem: string): never {
    throw new FundtraceError('BAD_DATA', `trongrid source ${this.api.redactedBase}: ${problem}`);
  }

  // ---- fetching ------------------------------------------------------------------------------

  private async fetchAddress(address: string): Promise<void> {
    if (this.fetched.has(address)) return;
    const seed = this.fetched.size === 0 && this.txs.size === 0 && this.pending.size <= 1;
    const [native, tokens] = await Promise.all([
      fetchList(this.api, this.paging, 'transactions', address),
      fetchList(this.api, this.paging, 'trc20', address),
    ]);
    const all: Transfer[] = [];
    let unconfirmed = 0;
    let left = 0;

    // One row per tx (a tx listed twice, unconfirmed and confirmed, is one tx).
    const byTx = new Map<string, TxRow>();
    for (const r of native.rows) {
      const have = byTx.get(r.tx);
      if (!have || (have.unconfirmed && !r.unconfirmed)) byTx.set(r.tx, r);
    }
    const trc10: string[] = [];
    const internal: string[] = [];
    const mine = [...byTx.values()].filter((r) => r.owner === address || r.to === address);
    // A confirmed row without blockNumber (TronGrid's older history has none): the receipt says.
    const noBlock = mine.filter((r) => r.block === null && !r.unconfirmed).map((r) => r.tx);
    const blocks = await Promise.all(noBlock.map((tx) => this.txInfo(tx)));
    noBlock.forEach((tx, i) => {
      const b = blocks[i]?.block ?? null;
      if (b === null) {
        this.bad(
          `transaction ${tx} (listed for ${address}) has no block: neither its TronGrid row nor gettransactioninfobyid gives blockNumber`,
        );
      }
      byTx.set(tx, { ...byTx.get(tx)!, block: b });
    });
    for (const listed of mine) {
      const r = byTx.get(listed.tx)!;
      if (!this.keeps(r.block, r.unconfirmed)) {
        left++;
        continue;
      }
      if (r.type === 'TransferAssetContract') trc10.push(r.tx);
      if (r.internalCount > 0) internal.push(r.tx);
      const ts = this.norm.tx({ ...r, height: r.block });
      if (r.unconfirmed) unconfirmed += ts.length;
      all.push(...ts);
    }

    // TRC-20 rows by asset and tx; receipts are read only for the assets the trace asks about.
    const pendingRows = new Map<string, Map<string, Trc20Row[]>>();
    const rowCounts = new Map<string, number>();
    for (const r of tokens.rows) {
      if (r.from !== address && r.to !== address) continue;
      this.norm.learn(r);
      const asset = this.norm.tokenKey(r.contract);
      let byTx = pendingRows.get(asset);
      if (!byTx) {
        byTx = new Map();
        pendingRows.set(asset, byTx);
      }
      const list = byTx.get(r.tx);
      if (list) list.push(r);
      else byTx.set(r.tx, [r]);
    }
    for (const [asset, byTx] of pendingRows) {
      let n = 0;
      for (const rows of byTx.values())
        n += rows.some((r) => !r.unconfirmed) ? rows.filter((r) => !r.unconfirmed).length : rows.length;
      rowCounts.set(asset, n);
    }

    const ids = new Set<string>();
    for (const t of all) if (t.from === address || t.to === address) ids.add(this.intern(t));
    if (trc10.length > 0) {
      this.notes.push(
        `${address} has TRC-10 token movements (TransferAssetContract, e.g. transaction ${trc10.sort()[0]}): TRC-10 assets are not traced`,
      );
    }
    if (internal.length > 0) {
      this.notes.push(
        `${address} has transactions with internal (contract-call) transfers, e.g. ${internal.sort()[0]}: TRX moved by contract calls is not traced`,
      );
    }
    this.confirmationNotes(address, this.native.symbol, unconfirmed, left);
    if (native.truncated || tokens.truncated) {
      this.notes.push(
        `the history of ${address} was cut at ${this.paging.maxRows} rows per list (FUNDTRACE_TRONGRID_MAX_ROWS or --history-limit); it counts as over the history limit`,
      );
    }
    const data: AddressData = {
      ids: [...ids],
      nativeTruncated: native.truncated,
      tokensTruncated: tokens.truncated,
      pending: pendingRows,
      rowCounts,
    };
    this.fetched.set(address, data);
    this.version++;
    // A token list cut at the history limit: the engine stops at this address (history-limit)
    // from ledgerSize alone, so its receipts (one per transfer, up to the limit) are not read —
    // unless it is the seed, the first address asked before any transaction (the engine then
    // traces its first transfers).
    if (tokens.truncated && !seed) return;
    const wanted = [...pendingRows.keys()].filter((x) => this.wantedAssets.has(x)).sort();
    if (wanted.length > 0) await this.loadTokens(address, data, wanted);
  }

  private confirmationNotes(address: string, asset: string, unconfirmed: number, left: number): void {
    if (unconfirmed > 0) {
      this.notes.push(
        `${unconfirmed} ${asset} transfer(s) of ${address} are not yet confirmed (TronGrid marks them unconfirmed): read as of the tip; --confirmations N leaves them out`,
      );
    }
    if (left > 0 && this.policy.cutoff !== undefined) {
      this.notes.push(
        `${left} ${asset} transfer(s) of ${address} after block ${this.policy.cutoff} or not yet confirmed were left out (read as of block ${this.policy.cutoff})`,
      );
    }
  }

  /** Read the receipts of one address's TRC-20 rows of these assets: block, result, event order. */
  private async loadTokens(address: string, data: AddressData, assets: readonly string[]): Promise<void> {
    await Promise.all(assets.map((asset) => this.loadAsset(address, data, asset)));
  }

  private async loadAsset(address: string, data: AddressData, asset: string): Promise<void> {
    const rowsByTx = data.pending.get(asset);
    if (!rowsByTx) return;
    const all: Transfer[] = [];
    let unconfirmed = 0;
    let left = 0;
    const txids = [...rowsByTx.keys()].sort();
    const infos = await Promise.all(txids.map((tx) => this.txInfo(tx)));
    txids.forEach((tx, i) => {
      let rows = rowsByTx.get(tx)!;
      if (rows.some((r) => !r.unconfirmed)) rows = rows.filter((r) => !r.unconfirmed);
      const pending = rows.every((r) => r.unconfirmed);
      const info = infos[i];
      const height = info?.block ?? null;
      if (height === null && !pending) {
        this.bad(
          `TRC-20 transfer of ${rows[0]!.value} in transaction ${tx} (listed for ${address}) has no block: gettransactioninfobyid answered ${info ? 'without blockNumber' : 'that it does not know the transaction'}`,
        );
      }
      if (!this.keeps(height, pending)) {
        left += rows.length;
        return;
      }
      if (pending) unconfirmed += rows.length;
      if (info === undefined || height === null) {
        const occ = new Map<string, number>();
        for (const r of rows) {
          const k = `${r.contract}|${r.from}|${r.to}|${r.value}`;
          const n = (occ.get(k) ?? 0) + 1;
          occ.set(k, n);
          all.push(this.norm.pendingToken(r, n));
        }
        return;
      }
      if (info.failed) {
        this.bad(
          `TronGrid lists TRC-20 transfers for ${address} in transaction ${tx}, whose receipt says it failed`,
        );
      }
      // Each row takes the next unused event with the same contract, sender, recipient and value.
      const used = new Set<number>();
      for (const r of rows) {
        const l = info.transfers.find(
          (x) =>
            !used.has(x.index) &&
            x.contract === r.contract &&
            x.from === r.from &&
            x.to === r.to &&
            x.value === r.value,
        );
        if (!l) {
          this.bad(
            `TronGrid lists a TRC-20 transfer of ${r.value} from ${r.from} to ${r.to} in transaction ${tx} that the transaction's receipt does not hold`,
          );
        }
        used.add(l.index);
        all.push(this.norm.token(tx, height, info.time ?? r.time, l));
      }
    });
    data.pending.delete(asset);
    for (const t of all) if (t.from === address || t.to === address) data.ids.push(this.intern(t));
    this.confirmationNotes(address, asset, unconfirmed, left);
    this.version++;
  }

  private async fetchTx(tx: string): Promise<void> {
    if (this.txs.has(tx)) return;
    const [raw, info] = await Promise.all([this.api.rawTx(tx), this.txInfo(tx)]);
    if (!raw) {
      this.txs.set(tx, null);
      return;
    }
    const height = info?.block ?? null;
    if (!this.keeps(height, height === null)) {
      this.notes.push(
        `transaction ${tx} is ${height === null ? 'not yet in a block' : `in block ${height}`}, after the block read as of (${this.policy.cutoff})`,
      );
      this.txs.set(tx, null);
      return;
    }
    if (raw.type === 'TransferAssetContract')
      this.notes.push(
        `transaction ${tx} moves a TRC-10 token (TransferAssetContract): TRC-10 assets are not traced`,
      );
    if ((info?.internalCount ?? 0) > 0)
      this.notes.push(
        `transaction ${tx} has internal (contract-call) transfers: TRX moved by contract calls is not traced`,
      );
    const success = raw.success && !(info?.failed ?? false);
    const list = this.norm.tx({
      tx,
      height,
      time: info?.time ?? null,
      type: raw.type,
      owner: raw.owner,
      to: raw.to,
      amount: raw.amount,
      success,
      fee: info?.fee ?? 0n,
    });
    if (info && success) for (const l of info.transfers) list.push(this.norm.token(tx, height, info.time, l));
    const out = list.map((t) => this.byId.get(this.intern(t))!).sort((a, b) => a.index - b.index);
    this.txs.set(tx, out);
    this.version++;
  }
}
