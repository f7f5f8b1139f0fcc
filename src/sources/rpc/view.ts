// The rpc: source's AccountView: it answers from what has been fetched and says {status:
// 'missing'} for the rest, remembering which (address, asset) ledgers were asked for, so that the
// fetcher (src/sources/driver.ts calls fetchMissing) loads exactly those, all concurrently. Each
// ledger is also cached as one derived entry (keyed by chain instance, head, asset and address),
// so an immediate re-run or an --offline run reads one cache entry per address and makes no
// request at all.
import { tryCanonicalAddress } from '../../core/address.js';
import type { ChainInfo } from '../../core/chains.js';
import type { AssetInfo, Transfer, TxLog } from '../../core/model.js';
import type { MissingData } from '../../core/trace-types.js';
import { type AccountView, type Lookup, MISSING, ok } from '../../core/view.js';
import { MissCollector } from '../cache/index.js';
import type { Fetcher } from '../driver.js';
import { knownTokens, resolveAssetInput } from '../evm/assets.js';
import type { LedgerData, RpcNode } from './node.js';

function checkLedger(v: unknown): LedgerData {
  const o = v as LedgerData;
  if (!o || !Array.isArray(o.transfers) || typeof o.truncated !== 'boolean')
    throw new Error('bad ledger entry');
  for (const t of o.transfers) {
    if (typeof t.value !== 'bigint' || typeof t.tx !== 'string' || typeof t.index !== 'number') {
      throw new Error('bad ledger record');
    }
  }
  return o;
}

function checkLogs(v: unknown): { height: number; logs: TxLog[] } | null {
  if (v === null) return null;
  const o = v as { height: number; logs: TxLog[] };
  if (typeof o?.height !== 'number' || !Array.isArray(o.logs)) throw new Error('bad logs entry');
  for (const l of o.logs) {
    if (typeof l?.tx !== 'string' || typeof l.index !== 'number' || !Array.isArray(l.topics))
      throw new Error('bad log record');
  }
  return o;
}

export class RpcAccountView implements AccountView, Fetcher {
  readonly kind = 'account' as const;
  readonly chain: string;
  readonly native: AssetInfo;
  readonly head: { height: number; time?: string };
  private readonly known: Readonly<Record<string, AssetInfo>>;
  /** Tokens that are not well known: EIP-55 contract → metadata read from the chain. */
  private readonly extra = new Map<string, AssetInfo>();
  /** asset key → address → ledger. */
  private readonly ledgers = new Map<string, Map<string, LedgerData>>();
  private readonly txs = new Map<string, readonly Transfer[] | null>();
  /** Ledgers asked for and not loaded yet: address → asset keys. */
  private readonly wanted = new Map<string, Set<string>>();
  /** tx (lowercase) → its event logs ([] for a tx the node does not know). */
  private readonly logs = new Map<string, readonly TxLog[]>();
  /** "emitter topic0" → logs, and those asked for and not loaded yet (logsAt). */
  private readonly emitted = new Map<string, TxLog[]>();
  private readonly wantedEmitted = new Set<string>();
  /** txLogs asked for and not loaded yet (loaded by the next fetchMissing, whatever it lists). */
  private readonly wantedLogs = new Set<string>();

  constructor(
    readonly node: RpcNode,
    chain: ChainInfo,
    headTime: string | null = node.head === node.id.head.height ? node.id.head.time : null,
  ) {
    this.chain = chain.name;
    this.native = { ...chain.native };
    this.head = headTime ? { height: node.head, time: headTime } : { height: node.head };
    this.known = knownTokens(chain.name);
  }

  private canon(address: string): string {
    return tryCanonicalAddress(this.chain, address) ?? address;
  }

  resolveAsset(input: string): string | undefined {
    return resolveAssetInput(this.chain, input, (c) => {
      const key = tryCanonicalAddress(this.chain, c.toLowerCase());
      return key !== undefined && this.extra.has(key) ? key : undefined;
    });
  }

  asset(key: string): AssetInfo | undefined {
    if (key === this.native.symbol) return this.native;
    return this.known[key] ?? this.extra.get(key);
  }

  assets(): readonly string[] {
    return [this.native.symbol, ...Object.keys(this.known), ...this.extra.keys()];
  }

  /** The contract behind a token key, undefined for the native asset / unknown keys. */
  contractOf(key: string): string | undefined {
    return this.asset(key)?.contract;
  }

  ledger(address: string, asset: string): Lookup<readonly Transfer[]> {
    const a = this.canon(address);
    const l = this.ledgers.get(asset)?.get(a);
    if (l) return ok(l.transfers);
    let w = this.wanted.get(a);
    if (!w) {
      w = new Set();
      this.wanted.set(a, w);
    }
    w.add(asset);
    return MISSING;
  }

  ledgerSize(address: string, asset: string): number | undefined {
    const l = this.ledgers.get(asset)?.get(this.canon(address));
    if (!l) return undefined;
    return l.truncated ? Math.max(l.transfers.length, this.node.historyCap + 1) : l.transfers.length;
  }

  txTransfers(tx: string): Lookup<readonly Transfer[] | undefined> {
    const k = tx.toLowerCase();
    if (!this.txs.has(k)) return MISSING;
    return ok(this.txs.get(k) ?? undefined);
  }

  txLogs(tx: string): Lookup<readonly TxLog[]> {
    const k = tx.toLowerCase();
    const l = this.logs.get(k);
    if (l) return ok(l);
    this.wantedLogs.add(k);
    return MISSING;
  }

  logsAt(address: string, topic0: string): Lookup<readonly TxLog[]> {
    const k = `${address.toLowerCase()} ${topic0.toLowerCase()}`;
    const l = this.emitted.get(k);
    if (l) return ok(l);
    this.wantedEmitted.add(k);
    return MISSING;
  }

  // ---- loading --------------------------------------------------------------------------------

  /** Events of one contract and topic0 (a bridge's destination legs); one cache entry, bounded by the head. */
  async loadEmitted(k: string, signal?: AbortSignal): Promise<void> {
    const [address, topic0] = k.split(' ') as [string, string];
    const r = await this.node.rpc.http.cached<{ height: number; logs: TxLog[] }>(
      `${this.node.prefix} logsat ${this.node.head} ${k}`,
      { kind: 'rpc.logsat', immutable: this.node.isFinal(this.node.head) },
      async (sig) => ({
        height: this.node.head,
        logs: await this.node.logsAt(address, topic0, sig ?? signal),
      }),
      { validate: (v) => checkLogs(v)!, ...(signal ? { signal } : {}) },
    );
    this.emitted.set(k, r.logs);
    this.wantedEmitted.delete(k);
  }

  /** Make a token contract known to the view (reads its metadata), e.g. for `--asset 0x…`. */
  async addToken(contract: string, signal?: AbortSignal): Promise<string | undefined> {
    const c = tryCanonicalAddress(this.chain, contract.toLowerCase());
    if (c === undefined) return undefined;
    const known = this.resolveAsset(c);
    if (known !== undefined) return known;
    const meta = await this.node.tokenMeta(c, signal);
    this.extra.set(c, meta);
    return c;
  }

  async loadTx(hash: string, signal?: AbortSignal): Promise<void> {
    const k = hash.toLowerCase();
    type TxEntry = { transfers: Transfer[]; tokens: string[] } | null;
    const r = await this.node.rpc.http.cached<TxEntry>(
      `${this.node.prefix} txtransfers ${this.node.head} ${k}`,
      {
        kind: 'rpc.txtransfers',
        immutable: (v) =>
          v?.transfers.every((t) => t.height !== null && this.node.isFinal(t.height)) === true,
      },
      async (sig) => this.node.txTransfers(k, sig ?? signal),
      {
        validate: (v) => {
          if (v === null) return null;
          const o = v as NonNullable<TxEntry>;
          if (!Array.isArray(o?.transfers) || !Array.isArray(o.tokens)) throw new Error('bad tx entry');
          return o;
        },
        ...(signal ? { signal } : {}),
      },
    );
    if (r) for (const c of r.tokens) await this.addToken(c, signal);
    this.txs.set(k, r ? r.transfers : null);
  }

  /** A transaction's event logs, from its receipt; one derived cache entry, final with its block. */
  async loadLogs(hash: string, signal?: AbortSignal): Promise<void> {
    const k = hash.toLowerCase();
    type LogsEntry = { height: number; logs: TxLog[] } | null;
    const r = await this.node.rpc.http.cached<LogsEntry>(
      `${this.node.prefix} txlogs ${this.node.head} ${k}`,
      { kind: 'rpc.txlogs', immutable: (v) => v !== null && this.node.isFinal(v.height) },
      async (sig) => this.node.txLogs(k, sig ?? signal),
      { validate: checkLogs, ...(signal ? { signal } : {}) },
    );
    this.logs.set(k, r ? r.logs : []);
    this.wantedLogs.delete(k);
  }

  async loadLedger(address: string, asset: string, signal?: AbortSignal): Promise<void> {
    const a = this.canon(address);
    const contract = asset === this.native.symbol ? undefined : this.contractOf(asset);
    if (asset !== this.native.symbol && contract === undefined) return; // unknown asset: nothing to load
    const which = contract ?? 'native';
    const data = await this.node.rpc.http.cached(
      `${this.node.prefix} ledger ${this.node.head} ${which} ${a}`,
      // Bounded by the head: final once the head is (a reorg could still undo a shallower one).
      { kind: 'rpc.ledger', immutable: this.node.isFinal(this.node.head) },
      async (sig) => {
        const s = sig ?? signal;
        return contract === undefined
          ? this.node.nativeLedger(a, s)
          : this.node.tokenLedger(a, contract, asset, s);
      },
      { validate: checkLedger, ...(signal ? { signal } : {}) },
    );
    let m = this.ledgers.get(asset);
    if (!m) {
      m = new Map();
      this.ledgers.set(asset, m);
    }
    m.set(a, data);
    this.wanted.get(a)?.delete(asset);
  }

  async fetchMissing(missing: MissingData, signal?: AbortSignal): Promise<void> {
    const misses = new MissCollector();
    const jobs: Promise<unknown>[] = [];
    for (const tx of missing.txs) jobs.push(misses.attempt(() => this.loadTx(tx, signal)));
    // Logs asked for (the engine may list their txs in `missing.txs`, or in a `logs` list).
    const logTxs = new Set([...this.wantedLogs, ...((missing as { logs?: string[] }).logs ?? [])]);
    for (const tx of logTxs) {
      if (!this.logs.has(tx.toLowerCase())) jobs.push(misses.attempt(() => this.loadLogs(tx, signal)));
    }
    for (const k of [...this.wantedEmitted]) jobs.push(misses.attempt(() => this.loadEmitted(k, signal)));
    for (const address of missing.addresses) {
      const a = this.canon(address);
      for (const asset of [...(this.wanted.get(a) ?? [])]) {
        jobs.push(misses.attempt(() => this.loadLedger(a, asset, signal)));
      }
    }
    await Promise.all(jobs);
    misses.throwIfAny();
  }
}
