// The in-memory index over a Dataset that the trace engine reads (src/core/view.ts). Built in a
// few linear passes over typed arrays: every address gets a dense id (taken from the loader's
// index hints when the dataset came from loadDataset, else from one Map pass), and each address's
// history is a compressed list (CSR: an offsets array plus one flat array of record indices into
// the chain-ordered record array). No per-record allocations or closures, no sorting when the
// records are already in chain order. Every lookup answers `status: 'ok'`: a dataset is complete
// as of its head.
import { contractLookupKey, tryCanonicalAddress } from '../../core/address.js';
import { findChain } from '../../core/chains.js';
import { FundtraceError } from '../../core/errors.js';
import {
  type AssetInfo,
  compareOrder,
  compareTransfers,
  compareTxs,
  type Dataset,
  type Transfer,
  type TxLog,
  type UtxoTx,
} from '../../core/model.js';
import { type AccountView, type Lookup, ok, type SpendRef, type UtxoView } from '../../core/view.js';
import { indexHints, StringIds } from './hints.js';

const PACK = 0x1000000;
/** Dense (asset × address) ledger tables up to this many cells; a Map per asset beyond. */
const DENSE_LIMIT = 16_000_000;

/** Records in chain order: the array itself when already ordered, else a sorted copy. */
export function inOrder<T>(list: readonly T[], cmp: (a: T, b: T) => number): readonly T[] {
  for (let i = 1; i < list.length; i++) {
    if (cmp(list[i - 1]!, list[i]!) > 0) return list.slice().sort(cmp);
  }
  return list;
}

/** CSR offsets (n+1) from counts. */
function offsetsOf(counts: Uint32Array, n: number): Uint32Array {
  const off = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) off[i + 1] = off[i]! + counts[i]!;
  return off;
}

/** Build the trace engine's view of a dataset: a UtxoView or an AccountView by the chain's kind. */
export function buildDatasetView(dataset: Dataset): UtxoView | AccountView {
  const chain = findChain(dataset.chain);
  if (!chain) throw new FundtraceError('BAD_INPUT', `dataset chain "${dataset.chain}" is not a known chain`);
  return chain.kind === 'utxo'
    ? new DatasetUtxoView(dataset, chain.name)
    : new DatasetAccountView(dataset, chain.name);
}

function nativeOf(dataset: Dataset, chainName: string): AssetInfo {
  const c = findChain(chainName)!;
  return dataset.assets.get(c.native.symbol) ?? { symbol: c.native.symbol, decimals: c.native.decimals };
}

/** Address ids: id → address, and address → id (built lazily when the ids came from hints). */
class AddressIds {
  private map: Map<string, number> | undefined;
  constructor(
    readonly list: string[],
    map?: Map<string, number>,
  ) {
    this.map = map;
  }
  /** Id of an address as given, or of its canonical form for the chain. */
  find(address: string, chain: string): number | undefined {
    if (!this.map) {
      const m = new Map<string, number>();
      for (let i = 0; i < this.list.length; i++) m.set(this.list[i]!, i);
      this.map = m;
    }
    const id = this.map.get(address);
    if (id !== undefined) return id;
    const c = tryCanonicalAddress(chain, address);
    return c === undefined ? undefined : this.map.get(c);
  }
}

/** Assigns ids to addresses by first appearance (the no-hints path). */
export class IdAssigner {
  readonly list: string[] = [];
  readonly map = new Map<string, number>();
  id(address: string): number {
    let id = this.map.get(address);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(address);
      this.map.set(address, id);
    }
    return id;
  }
}

export class DatasetUtxoView implements UtxoView {
  readonly kind = 'utxo' as const;
  readonly chain: string;
  readonly native: AssetInfo;
  readonly head?: { height: number; time?: string };
  private readonly txs: readonly UtxoTx[];
  /** txid → chain-order index (first occurrence). */
  private readonly index = new StringIds();
  /** Output slots: outputs of tx i are outBase[i] … outBase[i+1]-1. */
  private readonly outBase: Uint32Array;
  /** Per output slot: spending tx index + 1 (0 = unspent), and the input index. */
  private readonly spendTx: Int32Array;
  private readonly spendIn: Int32Array;
  /** Spends of outputs whose transaction is outside the dataset: "txid:vout" → tx * PACK + input. */
  private readonly external = new Map<string, number>();
  private readonly ids: AddressIds;
  private readonly addrOff: Uint32Array;
  private readonly addrTxs: Uint32Array;

  constructor(dataset: Dataset, chainName: string) {
    this.chain = chainName;
    this.native = nativeOf(dataset, chainName);
    if (dataset.head) this.head = dataset.head;
    const txs = inOrder(dataset.transactions, compareTxs);
    this.txs = txs;
    const n = txs.length;
    this.outBase = new Uint32Array(n + 1);
    let occurrences = 0;
    for (let i = 0; i < n; i++) {
      const tx = txs[i]!;
      const h = StringIds.hash(tx.txid);
      if (this.index.get(tx.txid, h) < 0) this.index.set(tx.txid, h, i);
      this.outBase[i + 1] = this.outBase[i]! + tx.outputs.length;
      occurrences += tx.inputs.length + tx.outputs.length;
    }
    this.spendTx = new Int32Array(this.outBase[n]!);
    this.spendIn = new Int32Array(this.outBase[n]!);

    // Address id of every input and output, in chain order.
    const hints = txs === dataset.transactions ? indexHints(dataset) : undefined;
    let occ: Int32Array;
    if (hints?.txAddresses) {
      occ = hints.txAddresses;
      this.ids = new AddressIds(hints.addresses as string[]);
    } else {
      occ = new Int32Array(occurrences);
      const assign = new IdAssigner();
      let c = 0;
      for (let i = 0; i < n; i++) {
        const tx = txs[i]!;
        for (const input of tx.inputs) occ[c++] = input.address === null ? -1 : assign.id(input.address);
        for (const o of tx.outputs) occ[c++] = o.address === null ? -1 : assign.id(o.address);
      }
      this.ids = new AddressIds(assign.list, assign.map);
    }
    const nAddr = this.ids.list.length;

    // Pass 1: spenders, and how many transactions touch each address.
    const counts = new Uint32Array(nAddr);
    const lastSeen = new Int32Array(nAddr).fill(-1);
    const funding = hints?.funding;
    let c = 0;
    let ci = 0;
    for (let i = 0; i < n; i++) {
      const tx = txs[i]!;
      for (let j = 0; j < tx.inputs.length; j++) {
        const input = tx.inputs[j]!;
        const id = occ[c++]!;
        if (id >= 0 && lastSeen[id] !== i) {
          lastSeen[id] = i;
          counts[id]!++;
        }
        const f = funding ? funding[ci++]! : this.index.get(input.txid, StringIds.hash(input.txid));
        if (f >= 0 && input.vout < txs[f]!.outputs.length) {
          const slot = this.outBase[f]! + input.vout;
          if (this.spendTx[slot] === 0) {
            this.spendTx[slot] = i + 1;
            this.spendIn[slot] = j;
          }
        } else {
          const key = `${input.txid}:${input.vout}`;
          if (!this.external.has(key)) this.external.set(key, i * PACK + j);
        }
      }
      for (let j = 0; j < tx.outputs.length; j++) {
        const id = occ[c++]!;
        if (id >= 0 && lastSeen[id] !== i) {
          lastSeen[id] = i;
          counts[id]!++;
        }
      }
    }

    // Pass 2: fill each address's list of transaction indices, in chain order.
    this.addrOff = offsetsOf(counts, nAddr);
    this.addrTxs = new Uint32Array(this.addrOff[nAddr]!);
    const cursor = this.addrOff.slice(0, nAddr);
    lastSeen.fill(-1);
    c = 0;
    for (let i = 0; i < n; i++) {
      const tx = txs[i]!;
      const m = tx.inputs.length + tx.outputs.length;
      for (let j = 0; j < m; j++) {
        const id = occ[c++]!;
        if (id >= 0 && lastSeen[id] !== i) {
          lastSeen[id] = i;
          this.addrTxs[cursor[id]!++] = i;
        }
      }
    }
  }

  private txIndex(txid: string): number | undefined {
    let i = this.index.get(txid, StringIds.hash(txid));
    if (i < 0) {
      const lower = txid.toLowerCase();
      if (lower !== txid) i = this.index.get(lower, StringIds.hash(lower));
    }
    return i < 0 ? undefined : i;
  }

  tx(txid: string): Lookup<UtxoTx | undefined> {
    const i = this.txIndex(txid);
    return ok(i === undefined ? undefined : this.txs[i]);
  }

  spender(txid: string, vout: number): Lookup<SpendRef | null> {
    const i = this.txIndex(txid);
    if (i !== undefined) {
      if (vout < 0 || vout >= this.txs[i]!.outputs.length) return ok(null);
      const slot = this.outBase[i]! + vout;
      const s = this.spendTx[slot]!;
      return ok(s === 0 ? null : { txid: this.txs[s - 1]!.txid, inputIndex: this.spendIn[slot]! });
    }
    const packed = this.external.get(`${txid.toLowerCase()}:${vout}`);
    if (packed === undefined) return ok(null);
    return ok({ txid: this.txs[Math.floor(packed / PACK)]!.txid, inputIndex: packed % PACK });
  }

  addressTxs(address: string): Lookup<readonly UtxoTx[]> {
    const id = this.ids.find(address, this.chain);
    if (id === undefined) return ok([]);
    const start = this.addrOff[id]!;
    const end = this.addrOff[id + 1]!;
    const out: UtxoTx[] = new Array(end - start);
    for (let k = start; k < end; k++) out[k - start] = this.txs[this.addrTxs[k]!]!;
    return ok(out);
  }

  addressTxCount(address: string): number | undefined {
    const id = this.ids.find(address, this.chain);
    return id === undefined ? 0 : this.addrOff[id + 1]! - this.addrOff[id]!;
  }
}

export class DatasetAccountView implements AccountView {
  readonly kind = 'account' as const;
  readonly chain: string;
  readonly native: AssetInfo;
  readonly head?: { height: number; time?: string };
  private readonly transfers: readonly Transfer[];
  private readonly assetInfo: ReadonlyMap<string, AssetInfo>;
  private readonly assetKeys: string[] = [];
  private readonly assetIdx = new Map<string, number>();
  private readonly byContract = new Map<string, string>();
  /** Lowercased symbol → key, or null when two keys differ only by case. */
  private readonly bySymbol = new Map<string, string | null>();
  private readonly ids: AddressIds;
  /** Per asset: address id → ledger id + 1 (0 = none), dense, or a Map when that would be too big. */
  private readonly dense: Int32Array[] | undefined;
  private readonly sparse: Map<number, number>[] | undefined;
  private readonly ledgerOff: Uint32Array;
  private readonly ledgerRecs: Uint32Array;
  private txStart: Map<string, number> | undefined;
  private txLists: Map<string, number[]> | undefined;
  private readonly logs: readonly TxLog[];
  /** tx → its logs in index order, built on first use. */
  private logsOf: Map<string, TxLog[]> | undefined;
  /** "emitter topic0" → logs, built on first use. */
  private byEmitter: Map<string, TxLog[]> | undefined;
  /**
   * Only when the dataset records logs (`Dataset.logs` present): a dataset without them cannot
   * tell "no event" from "not recorded", so it offers no txLogs (nor logsAt) and the engine says so.
   */
  readonly txLogs?: (tx: string) => Lookup<readonly TxLog[]>;
  readonly logsAt?: (address: string, topic0: string) => Lookup<readonly TxLog[]>;

  constructor(dataset: Dataset, chainName: string) {
    this.chain = chainName;
    this.native = nativeOf(dataset, chainName);
    if (dataset.head) this.head = dataset.head;
    this.assetInfo = dataset.assets;
    for (const [key, info] of dataset.assets) {
      this.assetIndex(key);
      const ck = info.contract === undefined ? undefined : contractLookupKey(this.chain, info.contract);
      if (ck !== undefined) this.byContract.set(ck, key);
      const lower = key.toLowerCase();
      this.bySymbol.set(lower, this.bySymbol.has(lower) && this.bySymbol.get(lower) !== key ? null : key);
    }
    if (!this.assetIdx.has(this.native.symbol)) this.assetIndex(this.native.symbol);
    const trs = inOrder(dataset.transfers, compareTransfers);
    this.transfers = trs;
    this.logs = dataset.logs ?? [];
    if (dataset.logs !== undefined) {
      this.txLogs = (tx) => this.logsOfTx(tx);
      this.logsAt = (address, topic0) => this.logsOfEmitter(address, topic0);
    }
    const n = trs.length;

    // Address ids of each transfer's sides, and each transfer's asset index.
    const hints = trs === dataset.transfers ? indexHints(dataset) : undefined;
    let from: Int32Array;
    let to: Int32Array;
    if (hints?.from && hints.to) {
      from = hints.from;
      to = hints.to;
      this.ids = new AddressIds(hints.addresses as string[]);
    } else {
      from = new Int32Array(n);
      to = new Int32Array(n);
      const assign = new IdAssigner();
      for (let i = 0; i < n; i++) {
        const t = trs[i]!;
        from[i] = assign.id(t.from);
        to[i] = t.to === null ? -1 : assign.id(t.to);
      }
      this.ids = new AddressIds(assign.list, assign.map);
    }
    const assetOf = new Uint32Array(n);
    let lastKey: string | undefined;
    let lastA = 0;
    for (let i = 0; i < n; i++) {
      const key = trs[i]!.asset;
      if (key !== lastKey) {
        lastA = this.assetIndex(key);
        lastKey = key;
      }
      assetOf[i] = lastA;
    }
    const nAddr = this.ids.list.length;
    const nAssets = this.assetKeys.length;
    if (nAssets * nAddr <= DENSE_LIMIT) {
      this.dense = this.assetKeys.map(() => new Int32Array(nAddr));
    } else {
      this.sparse = this.assetKeys.map(() => new Map<number, number>());
    }

    // Pass 1: ledger id of each (address, asset) side, and ledger sizes.
    let counts = new Uint32Array(Math.max(1024, nAddr));
    let ledgers = 0;
    const fromLedger = new Uint32Array(n);
    const toLedger = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const a = assetOf[i]!;
      const f = from[i]!;
      const t = to[i]!;
      for (let side = 0; side < 2; side++) {
        const id = side === 0 ? f : t;
        if (side === 1 && (id < 0 || id === f)) {
          toLedger[i] = -1;
          break;
        }
        let l: number;
        if (this.dense) {
          const d = this.dense[a]!;
          l = d[id]! - 1;
          if (l < 0) {
            l = ledgers++;
            d[id] = l + 1;
          }
        } else {
          const m = this.sparse![a]!;
          const got = m.get(id);
          if (got === undefined) {
            l = ledgers++;
            m.set(id, l);
          } else l = got;
        }
        if (l >= counts.length) {
          const next = new Uint32Array(counts.length * 2);
          next.set(counts);
          counts = next;
        }
        counts[l]!++;
        if (side === 0) fromLedger[i] = l;
        else toLedger[i] = l;
      }
    }
    // Pass 2: fill.
    this.ledgerOff = offsetsOf(counts, ledgers);
    this.ledgerRecs = new Uint32Array(this.ledgerOff[ledgers]!);
    const cursor = this.ledgerOff.slice(0, ledgers);
    for (let i = 0; i < n; i++) {
      this.ledgerRecs[cursor[fromLedger[i]!]!++] = i;
      const lt = toLedger[i]!;
      if (lt >= 0) this.ledgerRecs[cursor[lt]!++] = i;
    }
  }

  private assetIndex(key: string): number {
    let a = this.assetIdx.get(key);
    if (a === undefined) {
      a = this.assetKeys.length;
      this.assetKeys.push(key);
      this.assetIdx.set(key, a);
    }
    return a;
  }

  resolveAsset(input: string): string | undefined {
    if (this.assetIdx.has(input)) return input;
    const ck = contractLookupKey(this.chain, input);
    if (ck !== undefined) return this.byContract.get(ck);
    return this.bySymbol.get(input.toLowerCase()) ?? undefined;
  }

  asset(key: string): AssetInfo | undefined {
    return this.assetInfo.get(key) ?? (key === this.native.symbol ? this.native : undefined);
  }

  assets(): readonly string[] {
    return this.assetKeys;
  }

  private ledgerId(address: string, asset: string): number | undefined {
    const key = this.assetIdx.has(asset) ? asset : this.resolveAsset(asset);
    if (key === undefined) return undefined;
    const a = this.assetIdx.get(key)!;
    const id = this.ids.find(address, this.chain);
    if (id === undefined) return undefined;
    if (this.dense) {
      const l = this.dense[a]![id]! - 1;
      return l < 0 ? undefined : l;
    }
    return this.sparse![a]!.get(id);
  }

  ledger(address: string, asset: string): Lookup<readonly Transfer[]> {
    const l = this.ledgerId(address, asset);
    if (l === undefined) return ok([]);
    const start = this.ledgerOff[l]!;
    const end = this.ledgerOff[l + 1]!;
    const out: Transfer[] = new Array(end - start);
    for (let k = start; k < end; k++) out[k - start] = this.transfers[this.ledgerRecs[k]!]!;
    return ok(out);
  }

  ledgerSize(address: string, asset: string): number | undefined {
    const l = this.ledgerId(address, asset);
    return l === undefined ? 0 : this.ledgerOff[l + 1]! - this.ledgerOff[l]!;
  }

  txTransfers(tx: string): Lookup<readonly Transfer[] | undefined> {
    if (!this.txStart) this.indexTxs();
    const key = this.txStart!.has(tx) ? tx : tx.toLowerCase();
    const trs = this.transfers;
    if (this.txLists) {
      const list = this.txLists.get(key);
      return ok(list?.map((i) => trs[i]!).sort((a, b) => a.index - b.index));
    }
    const start = this.txStart!.get(key);
    if (start === undefined) return ok(undefined);
    let end = start + 1;
    while (end < trs.length && trs[end]!.tx === key) end++;
    return ok(trs.slice(start, end));
  }

  private logsOfTx(tx: string): Lookup<readonly TxLog[]> {
    if (!this.logsOf) {
      const m = new Map<string, TxLog[]>();
      for (const l of this.logs) {
        const list = m.get(l.tx);
        if (list) list.push(l);
        else m.set(l.tx, [l]);
      }
      const byIndex = (a: TxLog, b: TxLog) => compareOrder(a, a.tx, a.index, b, b.tx, b.index);
      for (const list of m.values()) if (list.length > 1) list.sort(byIndex);
      this.logsOf = m;
    }
    return ok(this.logsOf.get(tx) ?? this.logsOf.get(tx.toLowerCase()) ?? []);
  }

  /** Logs a contract emitted with this topic0, in chain order (finding a bridge's destination leg). */
  private logsOfEmitter(address: string, topic0: string): Lookup<readonly TxLog[]> {
    if (!this.byEmitter) {
      const m = new Map<string, TxLog[]>();
      for (const l of this.logs) {
        const k = `${l.address.toLowerCase()} ${l.topics[0] ?? ''}`;
        const list = m.get(k);
        if (list) list.push(l);
        else m.set(k, [l]);
      }
      this.byEmitter = m;
    }
    return ok(this.byEmitter.get(`${address.toLowerCase()} ${topic0.toLowerCase()}`) ?? []);
  }

  /** tx → first index (transfers of one tx are contiguous in chain order when they agree on
   *  height and position, which validation guarantees; otherwise fall back to explicit lists). */
  private indexTxs(): void {
    const start = new Map<string, number>();
    const trs = this.transfers;
    let contiguous = true;
    for (let i = 0; i < trs.length; i++) {
      const tx = trs[i]!.tx;
      if (i > 0 && trs[i - 1]!.tx === tx) continue;
      if (start.has(tx)) contiguous = false;
      else start.set(tx, i);
    }
    this.txStart = start;
    if (!contiguous) {
      const lists = new Map<string, number[]>();
      for (let i = 0; i < trs.length; i++) {
        const tx = trs[i]!.tx;
        const l = lists.get(tx);
        if (l) l.push(i);
        else lists.set(tx, [i]);
      }
      this.txLists = lists;
    }
  }
}
