// New activity at watched TRON addresses from a TronGrid-compatible API, by block height. TronGrid
// lists an account's transactions and TRC-20 transfers oldest first with fingerprint paging and no
// block filter, so each poll pages every watched address's two lists (pages of final rows come
// from the HTTP layer's memory of the run; a new database starts at the tip) and keeps the rows in
// the scanned blocks. TRC-20 rows carry only a time: their block, success and event order come from
// the transaction's receipt (one request per new TRC-20 transaction). Block ids from
// /wallet/getblockbynum, one per new block, so the monitor notices a reorganisation. A failed
// transaction moves nothing; unconfirmed rows wait for their block. Requests per poll grow with the
// watched addresses: tens to hundreds, within TronGrid's per-key rate.
import { tryCanonicalAddress } from '../core/address.js';
import { FundtraceError } from '../core/errors.js';
import type { HttpClient } from '../sources/http/index.js';
import type { TronGridApi } from '../sources/trongrid/api.js';
import { fetchList, type PagingTuning } from '../sources/trongrid/paging.js';
import type { Activity, BlockRef, ChainScanner, ScanResult } from './types.js';

/** Order inside a block is unknown on TronGrid: transactions by id, then the event's index. */
const SUB = 1_000_000;

export class TronGridScanner implements ChainScanner {
  constructor(
    readonly chain: string,
    private readonly api: TronGridApi,
    private readonly paging: PagingTuning,
    private readonly http: HttpClient,
  ) {}

  requests(): number {
    return this.http.stats().requests;
  }

  private canon(a: string): string {
    return tryCanonicalAddress(this.chain, a) ?? a;
  }

  async tip(): Promise<BlockRef> {
    const head = await this.api.headBlock();
    this.api.head = head;
    const hash = await this.hashAt(head.height);
    if (!hash)
      throw new FundtraceError(
        'SOURCE',
        `${this.api.redactedBase}: no block at the tip height ${head.height}`,
      );
    return { height: head.height, hash };
  }

  async hashAt(height: number): Promise<string | null> {
    return (await this.api.blockAt(height))?.hash ?? null;
  }

  async scan(from: number, to: number, watched: ReadonlySet<string>): Promise<ScanResult> {
    const blocks: BlockRef[] = [];
    let tFrom = Number.POSITIVE_INFINITY;
    let tTo = 0;
    for (let h = from; h <= to; h++) {
      const b = await this.api.blockAt(h);
      if (!b)
        throw new FundtraceError(
          'SOURCE',
          `${this.api.redactedBase}: block ${h} is missing below the tip ${to}`,
        );
      blocks.push({ height: h, hash: b.hash });
      tFrom = Math.min(tFrom, b.time);
      tTo = Math.max(tTo, b.time);
    }
    const hashOf = new Map(blocks.map((b) => [b.height, b.hash]));
    const out: Activity[] = [];
    const inRange = (block: number | null): block is number => block !== null && block >= from && block <= to;
    for (const address of [...watched].sort()) {
      const push = (
        tx: string,
        block: number,
        position: number,
        counterparty: string,
        asset: string,
        amount: bigint,
        out1: boolean,
      ) =>
        out.push({
          tx,
          height: block,
          blockHash: hashOf.get(block)!,
          position,
          address,
          direction: out1 ? 'out' : 'in',
          counterparty: this.canon(counterparty) || 'unknown',
          asset,
          amount,
        });
      const txs = await this.list('transactions', address);
      for (const r of txs) {
        if (r.unconfirmed || !inRange(r.block) || !r.success || r.amount <= 0n || r.to === null) continue;
        // TRC-10 (TransferAssetContract) is not traced by fundtrace: not reported as TRX either.
        if (r.assetName !== undefined) continue;
        const out1 = r.owner === address;
        if (!out1 && r.to !== address) continue;
        if (r.owner === r.to) continue;
        push(r.tx, r.block, 0, out1 ? r.to : r.owner, 'native', r.amount, out1);
      }
      const trc20 = (await this.list('trc20', address)).filter(
        (r) => !r.unconfirmed && r.time >= tFrom && r.time <= tTo && r.value > 0n && r.from !== r.to,
      );
      for (const tx of [...new Set(trc20.map((r) => r.tx))].sort()) {
        const info = await this.api.txInfo(tx);
        if (!info || info.failed || !inRange(info.block)) continue;
        for (const l of info.transfers) {
          const out1 = l.from === address;
          if ((!out1 && l.to !== address) || l.from === l.to || l.value <= 0n) continue;
          push(tx, info.block, 1 + l.index, out1 ? l.to : l.from, this.canon(l.contract), l.value, out1);
        }
      }
    }
    // Transactions by id inside a block (TronGrid does not give the order), then event order.
    out.sort(
      (a, b) =>
        a.height - b.height ||
        (a.tx < b.tx ? -1 : a.tx > b.tx ? 1 : 0) ||
        a.position - b.position ||
        (a.address < b.address ? -1 : a.address > b.address ? 1 : 0),
    );
    out.forEach((a, i) => {
      a.position = i * SUB + (a.position % SUB);
    });
    return { blocks, activity: out };
  }

  private async list<K extends 'transactions' | 'trc20'>(kind: K, address: string) {
    const r = await fetchList(this.api, this.paging, kind, address);
    // A monitor that silently skipped rows would miss the very movement it exists to see.
    if (r.truncated)
      throw new FundtraceError(
        'SOURCE',
        `${this.api.redactedBase}: the ${kind === 'trc20' ? 'TRC-20 transfers' : 'transactions'} of ${address} are more than --history-limit rows; a monitor cannot skip any`,
      );
    return r.rows;
  }
}
