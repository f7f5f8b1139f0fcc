// The AccountView an Etherscan-compatible source offers the engine, filled on demand.
//
// ledger(address, asset)  'missing' until the address is fetched; then every transfer of that asset
//                         from or to the address, in chain order (fees included for the native asset).
//                         Fetching an address reads its three lists (txlist, txlistinternal, tokentx)
//                         in full (./paging.ts), concurrently. The zero address is never fetched: it
//                         is the mint / burn / genesis pseudo-address, whose history is effectively
//                         unbounded, so ledgerSize reports it as such and the engine stops there with
//                         `history-limit` (value burnt, or minted / allocated at genesis, is a cut
//                         path at 0x000…000, in either direction; nothing is fetched).
// txTransfers(tx)         the account module has no "transaction by hash". A tx seed is assembled from:
//                         the receipt (module=proxy eth_getTransactionReceipt, or Blockscout JSON-RPC):
//                         sender, block, position and the ERC-20 Transfer logs; the sender's txlist for
//                         that one block (native value and fee); txlistinternal&txhash= for the
//                         senders of internal calls, then each sender's txlistinternal for that block;
//                         and each token sender's tokentx for that block — keeping the rows of this tx.
//                         Rows are normalised exactly as in address ledgers, so the seed's transfers
//                         carry the same (tx, index) keys as the same transfers read from any ledger.
// txLogs(tx)              'missing' until read; then the receipt's logs (module=proxy
//                         eth_getTransactionReceipt, the request a tx seed also makes) as TxLogs
//                         (src/sources/evm/logs.ts), [] for a failed or unknown tx. Their time is the
//                         receipt's blockTimestamp when it carries one, else the tx's row in the
//                         sender's txlist for that block (the row its transfers take their time from).
// Positions               txlist and tokentx rows carry transactionIndex; internal rows by address do
//                         not. A tx's position, once known from any row, applies to all its transfers.
//                         An internal transfer whose tx position is still unknown gets one look-up
//                         (eth_getTransactionByHash, cached for good) when the address has another tx
//                         in the same block — the only case where the position changes the ledger order.
import { getAddress } from 'ethers';
import type { ChainInfo } from '../../core/chains.js';
import { FundtraceError } from '../../core/errors.js';
import type { AssetInfo, Transfer, TxLog } from '../../core/model.js';
import type { MissingData } from '../../core/trace-types.js';
import { type AccountView, type Lookup, MISSING, ok } from '../../core/view.js';
import { MissCollector } from '../cache/index.js';
import type { Fetcher } from '../driver.js';
import { receiptLogs } from '../evm/logs.js';
import { LedgerCache } from '../ledgers.js';
import type { EtherscanApi } from './api.js';
import { isoTime, Normalizer, ZERO_ADDRESS } from './normalize.js';
import { fetchList, type PagingState } from './paging.js';
import type { InternalRow, TokenRow } from './rows.js';

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const NO_VALUE_FRAMES = new Set(['delegatecall', 'staticcall', 'callcode']);

interface AddressData {
  ids: string[];
  /** Native history cut by the row limit (txlist or txlistinternal). */
  nativeTruncated: boolean;
  tokensTruncated: boolean;
}

const idOf = (t: Transfer) => `${t.tx}:${t.index}`;

export class EtherscanView implements AccountView, Fetcher {
  readonly kind = 'account' as const;
  readonly chain: string;
  readonly native: AssetInfo;
  readonly head: { height: number };
  private readonly norm: Normalizer;
  private readonly byId = new Map<string, Transfer>();
  private readonly byTx = new Map<string, Transfer[]>();
  private readonly positions = new Map<string, number>();
  private readonly fetched = new Map<string, AddressData>();
  private readonly txs = new Map<string, readonly Transfer[] | null>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly ledgers = new LedgerCache();
  private readonly notes: string[] = [];
  /** tx (lowercase) → its event logs; and the txs whose logs were asked for and not read yet. */
  private readonly logs = new Map<string, readonly TxLog[]>();
  private readonly wantedLogs = new Set<string>();
  private version = 0;

  constructor(
    private readonly info: ChainInfo,
    private readonly api: EtherscanApi,
    private readonly paging: PagingState,
    head: number,
  ) {
    this.chain = info.name;
    this.native = info.native;
    this.head = { height: head };
    this.norm = new Normalizer(info);
  }

  // ---- AccountView ---------------------------------------------------------------------------

  resolveAsset(input: string): string | undefined {
    const s = input.trim();
    if (s.toUpperCase() === this.native.symbol.toUpperCase()) return this.native.symbol;
    for (const sym of Object.keys(this.info.tokens ?? {}))
      if (sym.toUpperCase() === s.toUpperCase()) return sym;
    if (EVM_ADDRESS.test(s)) {
      try {
        getAddress(s); // a mixed-case input must carry a valid checksum
      } catch {
        return undefined;
      }
      return this.norm.tokenKey(s);
    }
    return this.norm.learned.has(s) ? s : undefined;
  }

  asset(key: string): AssetInfo | undefined {
    if (key === this.native.symbol) return this.native;
    const known = this.info.tokens?.[key];
    if (known) return known;
    const learned = this.norm.learned.get(key);
    if (learned) return learned;
    // A token contract not seen in any row yet: its decimals arrive with its first transfer.
    if (EVM_ADDRESS.test(key)) return { symbol: key, decimals: 0, contract: key };
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
    if (address.toLowerCase() === ZERO_ADDRESS) return ok([]);
    const data = this.fetched.get(address);
    if (!data) return MISSING;
    return ok(this.ledgers.get(address, asset, data.ids, this.byId, this.version));
  }

  ledgerSize(address: string, asset: string): number | undefined {
    if (address.toLowerCase() === ZERO_ADDRESS) return Number.MAX_SAFE_INTEGER;
    const data = this.fetched.get(address);
    if (!data) return undefined;
    const r = this.ledger(address, asset);
    const n = r.status === 'ok' ? r.value.length : 0;
    const cut = asset === this.native.symbol ? data.nativeTruncated : data.tokensTruncated;
    return cut ? Math.max(n, this.paging.maxRows + 1) : n;
  }

  txTransfers(tx: string): Lookup<readonly Transfer[] | undefined> {
    const key = tx.toLowerCase();
    if (!this.txs.has(key)) return MISSING;
    const list = this.txs.get(key);
    return ok(list === null ? undefined : list);
  }

  txLogs(tx: string): Lookup<readonly TxLog[]> {
    const key = tx.toLowerCase();
    const l = this.logs.get(key);
    if (l) return ok(l);
    this.wantedLogs.add(key);
    return MISSING;
  }

  /** Plain-language notes about gaps in what the API returned (for the result's warnings). */
  warnings(): string[] {
    return [...new Set(this.notes)].sort();
  }

  /** Learn a token's decimals before the trace when `--asset` names a contract (one small request). */
  async prepareAsset(input: string | undefined): Promise<void> {
    if (input === undefined || !EVM_ADDRESS.test(input.trim())) return;
    const key = this.resolveAsset(input);
    if (key === undefined || key !== this.norm.checksum(input.trim().toLowerCase())) return;
    if (this.norm.learned.has(key)) return;
    const p = await this.api.tokenSample(key);
    if (p.length > 0) this.norm.tokens(p);
  }

  // ---- Fetcher -------------------------------------------------------------------------------

  async fetchMissing(missing: MissingData): Promise<void> {
    const misses = new MissCollector();
    const jobs: Promise<unknown>[] = [];
    for (const a of new Set(missing.addresses)) {
      jobs.push(misses.attempt(() => this.once(`a:${a}`, () => this.fetchAddress(a))));
    }
    for (const t of new Set(missing.txs)) {
      jobs.push(misses.attempt(() => this.once(`t:${t}`, () => this.fetchTx(t.toLowerCase()))));
    }
    // Logs asked for (the engine may list their txs in `missing.txs`, or in a `logs` list).
    const logTxs = [...this.wantedLogs, ...((missing as { logs?: string[] }).logs ?? [])];
    for (const t of new Set(logTxs.map((x) => x.toLowerCase()))) {
      if (!this.logs.has(t)) jobs.push(misses.attempt(() => this.once(`l:${t}`, () => this.fetchLogs(t))));
    }
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

  // ---- the canonical transfer store ----------------------------------------------------------

  /** One object per (tx, index), so a later position look-up reaches every ledger holding it. */
  private intern(t: Transfer): Transfer {
    const id = idOf(t);
    const have = this.byId.get(id);
    if (have) {
      if (have.position === null && t.position !== null) this.learnPosition(t.tx, t.position);
      return have;
    }
    if (t.position === null) {
      const p = this.positions.get(t.tx);
      if (p !== undefined) t.position = p;
    } else if (!this.positions.has(t.tx)) this.learnPosition(t.tx, t.position);
    this.byId.set(id, t);
    const list = this.byTx.get(t.tx);
    if (list) list.push(t);
    else this.byTx.set(t.tx, [t]);
    return t;
  }

  private learnPosition(tx: string, position: number): void {
    if (this.positions.has(tx)) return;
    this.positions.set(tx, position);
    for (const t of this.byTx.get(tx) ?? []) {
      if (t.position === null) {
        t.position = position;
        this.version++;
      }
    }
  }

  private positionOf = (tx: string): number | null => this.positions.get(tx) ?? null;

  // ---- fetching ------------------------------------------------------------------------------

  private async fetchAddress(address: string): Promise<void> {
    if (this.fetched.has(address)) return;
    if (address.toLowerCase() === ZERO_ADDRESS) {
      this.fetched.set(address, { ids: [], nativeTruncated: false, tokensTruncated: false });
      return;
    }
    const [normal, internal, tokens] = await Promise.all([
      fetchList(this.api, this.paging, 'txlist', address),
      fetchList(this.api, this.paging, 'txlistinternal', address),
      fetchList(this.api, this.paging, 'tokentx', address),
    ]);
    for (const r of normal.rows)
      if (r.position !== null && !r.genesis) this.learnPosition(r.hash, r.position);
    for (const r of tokens.rows) if (r.position !== null) this.learnPosition(r.hash, r.position);
    const all = [
      ...normal.rows.flatMap((r) => this.norm.normal(r, r.position)),
      ...this.norm.internal(internal.rows, this.positionOf),
      ...this.norm.tokens(tokens.rows),
    ];
    const ids = new Set<string>();
    for (const t of all) {
      if (t.from !== address && t.to !== address) continue;
      ids.add(idOf(this.intern(t)));
    }
    await this.resolvePositions([...ids]);
    for (const r of [normal, internal, tokens]) this.notes.push(...r.notes);
    if (normal.truncated || internal.truncated || tokens.truncated) {
      this.notes.push(
        `the history of ${address} was cut at ${this.paging.maxRows} rows per list (FUNDTRACE_ETHERSCAN_MAX_ROWS); it counts as over the history limit`,
      );
    }
    this.fetched.set(address, {
      ids: [...ids],
      nativeTruncated: normal.truncated || internal.truncated,
      tokensTruncated: tokens.truncated,
    });
    this.version++;
  }

  /** Position look-ups for internal transfers that share a block with another tx of the ledger. */
  private async resolvePositions(ids: readonly string[]): Promise<void> {
    const txsByBlock = new Map<number, Set<string>>();
    const unknown = new Map<string, number>();
    for (const id of ids) {
      const t = this.byId.get(id)!;
      if (t.asset !== this.native.symbol || t.height === null) continue;
      let s = txsByBlock.get(t.height);
      if (!s) {
        s = new Set();
        txsByBlock.set(t.height, s);
      }
      s.add(t.tx);
      if (t.position === null) unknown.set(t.tx, t.height);
    }
    const need = [...unknown].filter(([, h]) => txsByBlock.get(h)!.size > 1).map(([tx]) => tx);
    await Promise.all(
      need.sort().map(async (tx) => {
        const ref = await this.api.txRef(tx);
        if (ref?.position != null) this.learnPosition(tx, ref.position);
      }),
    );
  }

  private async fetchLogs(tx: string): Promise<void> {
    if (this.logs.has(tx)) return;
    const rc = await this.api.receipt(tx);
    const done = (logs: TxLog[]) => {
      this.logs.set(tx, logs);
      this.wantedLogs.delete(tx);
    };
    if (!rc?.status) return done([]);
    const fail = (why: string): never => {
      throw new FundtraceError(
        'SOURCE',
        `etherscan source ${this.api.redactedBase}: the receipt of ${tx} is malformed: ${why}`,
      );
    };
    if (rc.logProblem !== undefined) fail(rc.logProblem);
    let time: string | null = rc.time !== undefined ? isoTime(rc.time) : null;
    if (time === null && rc.logs.some((l) => !l.removed)) {
      time = this.byTx.get(tx)?.find((t) => t.time !== null)?.time ?? null;
      if (time === null) {
        const range = { startblock: rc.block, endblock: rc.block };
        const page = await fetchList(this.api, this.paging, 'txlist', this.norm.checksum(rc.from), range);
        const row = page.rows.find((r) => r.hash === tx);
        if (row) time = isoTime(row.time);
      }
    }
    try {
      done(receiptLogs({ tx, height: rc.block, position: rc.position, time }, true, rc.logs));
    } catch (e) {
      fail((e as Error).message);
    }
  }

  private async fetchTx(tx: string): Promise<void> {
    if (this.txs.has(tx)) return;
    const rc = await this.api.receipt(tx);
    if (!rc) {
      this.txs.set(tx, null);
      return;
    }
    this.learnPosition(tx, rc.position);
    const range = { startblock: rc.block, endblock: rc.block };
    const byTx = await this.api.listPage('txlistinternal', { txhash: tx });
    const internalSenders = new Set<string>();
    for (const r of byTx.rows as InternalRow[]) {
      if (r.failed || r.value === 0n || r.from === '') continue;
      if (NO_VALUE_FRAMES.has(r.type) || NO_VALUE_FRAMES.has(r.callType)) continue;
      internalSenders.add(r.from);
    }
    const tokenSenders = new Set<string>();
    for (const l of rc.transfers) tokenSenders.add(l.from === ZERO_ADDRESS ? l.to : l.from);
    const cs = (a: string) => this.norm.checksum(a);
    const [normal, internals, tokens] = await Promise.all([
      fetchList(this.api, this.paging, 'txlist', cs(rc.from), range),
      Promise.all(
        [...internalSenders]
          .sort()
          .map((a) => fetchList(this.api, this.paging, 'txlistinternal', cs(a), range)),
      ),
      Promise.all(
        [...tokenSenders].sort().map((a) => fetchList(this.api, this.paging, 'tokentx', cs(a), range)),
      ),
    ]);
    const mine = <R extends { hash: string }>(rows: readonly R[]) => rows.filter((r) => r.hash === tx);
    // Each list is normalised on its own (occurrence counts are per list), then merged by key.
    const found = new Map<string, Transfer>();
    const add = (ts: readonly Transfer[]) => {
      for (const t of ts) if (t.tx === tx) found.set(idOf(t), this.intern(t));
    };
    add(mine(normal.rows).flatMap((r) => this.norm.normal(r, r.position)));
    for (const l of internals) add(this.norm.internal(mine(l.rows), this.positionOf));
    for (const l of tokens) add(this.norm.tokens(mine(l.rows) as TokenRow[]));
    this.txs.set(
      tx,
      [...found.values()].sort((a, b) => a.index - b.index),
    );
    this.version++;
  }
}
