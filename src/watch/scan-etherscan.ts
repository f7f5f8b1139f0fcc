// New activity at watched addresses from an Etherscan-compatible API (Etherscan v2, Blockscout),
// by block height. The API has per-address lists with a block range, so each poll reads, for every
// watched address, its normal transactions, internal transfers and token transfers in the new
// blocks (three lists, paged as `trace` pages them): requests per poll grow with the watched
// addresses, which suits tens to hundreds of addresses on the free tiers' 3–5 requests a second,
// not thousands. Unlike `rpc:`, value moved by internal calls is seen (txlistinternal). Block
// hashes come from eth_getBlockByNumber (one request per new block) so the monitor can notice a
// reorganisation at its next poll. A failed transaction moves nothing and is not reported.
import { tryCanonicalAddress } from '../core/address.js';
import { FundtraceError } from '../core/errors.js';
import type { EtherscanApi } from '../sources/etherscan/api.js';
import { fetchList, type PagingState } from '../sources/etherscan/paging.js';
import type { HttpClient } from '../sources/http/index.js';
import type { Activity, BlockRef, ChainScanner, ScanResult } from './types.js';

/** Order inside a block: the transaction's index, then the row's place inside the transaction. */
const SUB = 1_000_000;

export class EtherscanScanner implements ChainScanner {
  constructor(
    readonly chain: string,
    private readonly api: EtherscanApi,
    private readonly paging: PagingState,
    private readonly http: HttpClient,
  ) {}

  requests(): number {
    return this.http.stats().requests;
  }

  private canon(a: string): string {
    return tryCanonicalAddress(this.chain, a) ?? a.toLowerCase();
  }

  async tip(): Promise<BlockRef> {
    const height = await this.api.headBlock();
    // The lists are read up to the API's head: move it with the chain.
    this.api.head = height;
    const hash = await this.hashAt(height);
    if (!hash)
      throw new FundtraceError('SOURCE', `${this.api.redactedBase}: no block at the tip height ${height}`);
    return { height, hash };
  }

  hashAt(height: number): Promise<string | null> {
    return this.api.blockHashAt(height);
  }

  async scan(from: number, to: number, watched: ReadonlySet<string>): Promise<ScanResult> {
    const blocks: BlockRef[] = [];
    for (let h = from; h <= to; h++) {
      const hash = await this.hashAt(h);
      if (!hash)
        throw new FundtraceError(
          'SOURCE',
          `${this.api.redactedBase}: block ${h} is missing below the tip ${to}`,
        );
      blocks.push({ height: h, hash });
    }
    const hashOf = new Map(blocks.map((b) => [b.height, b.hash]));
    const range = { startblock: from, endblock: to };
    const out: Activity[] = [];
    for (const address of [...watched].sort()) {
      const lower = address.toLowerCase();
      const txPos = new Map<string, number>();
      const add = (
        row: { hash: string; block: number; from: string; to: string; value: bigint },
        asset: string,
        position: number,
      ) => {
        if (row.value <= 0n || row.from === row.to || row.block < from || row.block > to) return;
        const out1 = row.from === lower;
        if (!out1 && row.to !== lower) return;
        out.push({
          tx: row.hash,
          height: row.block,
          blockHash: hashOf.get(row.block)!,
          position,
          address,
          direction: out1 ? 'out' : 'in',
          counterparty: this.canon(out1 ? row.to : row.from) || 'unknown',
          asset,
          amount: row.value,
        });
      };
      const normal = await this.list('txlist', lower, range);
      for (const r of normal) {
        txPos.set(r.hash, r.position ?? 0);
        if (!r.failed && !r.genesis) add(r, 'native', (r.position ?? 0) * SUB);
      }
      for (const r of await this.list('txlistinternal', lower, range)) {
        // A by-address internal row has no transaction index: take its transaction's when known.
        if (!r.failed && r.hash !== '')
          add(r, 'native', (r.position ?? txPos.get(r.hash) ?? 0) * SUB + 1 + (r.seq ?? 0));
      }
      for (const r of await this.list('tokentx', lower, range)) {
        if (r.nft) continue;
        add(
          r,
          this.canon(r.contract),
          (r.position ?? txPos.get(r.hash) ?? 0) * SUB + 500_000 + (r.logIndex ?? 0),
        );
      }
    }
    out.sort(
      (a, b) =>
        a.height - b.height ||
        a.position - b.position ||
        (a.address < b.address ? -1 : a.address > b.address ? 1 : 0) ||
        (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0),
    );
    return { blocks, activity: out };
  }

  private async list<A extends 'txlist' | 'txlistinternal' | 'tokentx'>(
    action: A,
    address: string,
    range: { startblock: number; endblock: number },
  ) {
    const r = await fetchList(this.api, this.paging, action, address, range);
    // A monitor that silently skipped rows would miss the very movement it exists to see.
    if (r.truncated || r.notes.length > 0)
      throw new FundtraceError(
        'SOURCE',
        `${this.api.redactedBase}: ${action} of ${address} in blocks ${range.startblock}–${range.endblock} is more than one poll can read completely${r.notes.length ? ` (${r.notes.join('; ')})` : ''}; lower --max-blocks`,
      );
    return r.rows;
  }
}
