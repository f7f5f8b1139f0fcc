// The UtxoView an Esplora source fills as it fetches. Lookups of data not fetched yet answer
// `missing` (the driver then asks the fetcher and reruns the engine); everything fetched is kept
// for the run.
//
// Order within a block: Esplora's tx JSON gives `status.block_height` and `block_hash` but not
// the transaction's index in the block. Ordering only matters between transactions of the same
// height (the engine orders by (height, position, txid)), so:
//   - a confirmed transaction alone at its height among everything the view holds keeps
//     `position: null` (its position cannot change any comparison);
//   - as soon as two held transactions share a height, both (and every later one in that block)
//     are `missing` until the block's txid list (GET /block/:hash/txids, one request per block,
//     cached for good once deep) gives their real positions.
// The view therefore orders exactly like a dataset that carries the true positions, which is
// what the dataset-equivalence test checks; a spend within one block is always ordered right.
// Two held transactions claiming one height in different blocks (a reorganisation while
// fetching) is reported as a source error.
import type { AssetInfo, UtxoTx } from '../../core/model.js';
import { compareTxs } from '../../core/model.js';
import { type Lookup, MISSING, ok, type SpendRef, type UtxoView } from '../../core/view.js';
import type { EsploraTx, Outspend } from './wire.js';

interface Entry extends EsploraTx {}

export interface History {
  /** Every transaction of the address that was paged in (mempool and chain). */
  txids: string[];
  /** chain + mempool transaction counts from GET /address/:a, when fetched. */
  count: number | undefined;
  /** Paging stopped at the history cap: `txids` holds only the newest part. */
  truncated: boolean;
}

export class EsploraView implements UtxoView {
  readonly kind = 'utxo' as const;
  tip: number | undefined;
  private readonly txs = new Map<string, Entry>();
  private readonly notFound = new Set<string>();
  private readonly spends = new Map<string, (Outspend | null)[]>();
  private readonly histories = new Map<string, History>();
  /** height → confirmed transactions held at that height, and the block hash(es) claimed. */
  private readonly byHeight = new Map<number, { count: number; hashes: Set<string> }>();
  /** block hash → txid → index in the block. */
  private readonly positions = new Map<string, Map<string, number>>();
  /** First inconsistency seen (two blocks at one height). */
  conflict: string | undefined;

  constructor(
    readonly chain: string,
    readonly native: AssetInfo,
  ) {}

  get head(): { height: number } | undefined {
    return this.tip === undefined ? undefined : { height: this.tip };
  }

  // ---- UtxoView ----------------------------------------------------------------------------

  tx(txid: string): Lookup<UtxoTx | undefined> {
    const e = this.txs.get(txid) ?? this.txs.get(txid.toLowerCase());
    if (e) return this.ready(e) ? ok(e.tx) : MISSING;
    if (this.notFound.has(txid.toLowerCase())) return ok(undefined);
    return MISSING;
  }

  spender(txid: string, vout: number): Lookup<SpendRef | null> {
    const list = this.spends.get(txid) ?? this.spends.get(txid.toLowerCase());
    if (!list) return MISSING;
    const s = list[vout];
    return ok(s ? { txid: s.txid, inputIndex: s.inputIndex } : null);
  }

  addressTxs(address: string): Lookup<readonly UtxoTx[]> {
    const h = this.histories.get(address);
    if (!h) return MISSING;
    const out: UtxoTx[] = [];
    for (const id of h.txids) {
      const e = this.txs.get(id);
      if (!e) continue;
      if (!this.ready(e)) return MISSING;
      out.push(e.tx);
    }
    return ok(out.sort(compareTxs));
  }

  addressTxCount(address: string): number | undefined {
    return this.histories.get(address)?.count;
  }

  // ---- filled by the fetcher -----------------------------------------------------------------

  hasTx(txid: string): boolean {
    return this.txs.has(txid) || this.notFound.has(txid);
  }

  entry(txid: string): EsploraTx | undefined {
    return this.txs.get(txid);
  }

  hasOutspends(txid: string): boolean {
    return this.spends.has(txid);
  }

  hasHistory(address: string): boolean {
    return this.histories.has(address);
  }

  history(address: string): History | undefined {
    return this.histories.get(address);
  }

  /** Histories cut at the cap: the address, how many transactions were read, the server's count. */
  truncatedHistories(): { address: string; read: number; count: number | undefined }[] {
    return [...this.histories]
      .filter(([, h]) => h.truncated)
      .map(([address, h]) => ({ address, read: h.txids.length, count: h.count }));
  }

  addTx(t: EsploraTx): void {
    const old = this.txs.get(t.tx.txid);
    if (old) {
      // Keep what we have unless the new copy is confirmed and the old one was not.
      if (old.tx.height !== null || t.tx.height === null) return;
      this.txs.delete(t.tx.txid);
    }
    const e: Entry = { ...t, tx: { ...t.tx, position: null } };
    if (e.tx.height !== null && e.blockHash !== null) {
      let h = this.byHeight.get(e.tx.height);
      if (!h) {
        h = { count: 0, hashes: new Set() };
        this.byHeight.set(e.tx.height, h);
      }
      h.count++;
      h.hashes.add(e.blockHash);
      if (h.hashes.size > 1 && this.conflict === undefined) {
        this.conflict = `transactions at height ${e.tx.height} claim different blocks (${[...h.hashes].join(', ')}): the chain reorganised while fetching; run the command again`;
      }
      const pos = this.positions.get(e.blockHash)?.get(e.tx.txid);
      if (pos !== undefined) e.tx = { ...e.tx, position: pos };
    }
    this.txs.set(e.tx.txid, e);
  }

  markNotFound(txid: string): void {
    this.notFound.add(txid.toLowerCase());
  }

  setOutspends(txid: string, list: (Outspend | null)[]): void {
    this.spends.set(txid, list);
  }

  setHistory(address: string, h: History): void {
    this.histories.set(address, h);
  }

  /** Record a block's order; returns the held txids of that block that the list lacks. */
  setBlock(hash: string, txids: readonly string[]): string[] {
    const index = new Map<string, number>();
    txids.forEach((t, i) => {
      index.set(t, i);
    });
    this.positions.set(hash, index);
    const absent: string[] = [];
    for (const [id, e] of this.txs) {
      if (e.blockHash !== hash) continue;
      const pos = index.get(id);
      if (pos === undefined) absent.push(id);
      else e.tx = { ...e.tx, position: pos };
    }
    return absent;
  }

  /** Block hashes whose order is needed (two or more held transactions at their height) and not known. */
  blocksNeeded(): { hash: string; height: number }[] {
    const out: { hash: string; height: number }[] = [];
    for (const [height, h] of this.byHeight) {
      if (h.count < 2) continue;
      for (const hash of h.hashes) if (!this.positions.has(hash)) out.push({ hash, height });
    }
    return out;
  }

  private ready(e: Entry): boolean {
    if (e.tx.height === null || e.blockHash === null) return true;
    if ((this.byHeight.get(e.tx.height)?.count ?? 0) < 2) return true;
    return this.positions.has(e.blockHash);
  }
}
