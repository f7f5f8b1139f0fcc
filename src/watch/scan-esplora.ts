// New activity at watched Bitcoin addresses from an Esplora API, by block height. Esplora has an
// address index but no cheap "whole block" read (a block holds thousands of transactions), so
// each poll pages every watched address's history newest first (`/address/:a/txs`, then
// `/txs/chain/:last_seen_txid`) until it reaches a transaction below the scan range: requests per
// poll grow with the watched addresses (one each when nothing is new), so this suits tens to
// hundreds of addresses, not ten thousand. Block hashes come from `/block-height/:h` and are
// checked against each transaction's confirming block, so a reorganisation during the poll is
// caught. Unconfirmed transactions are not reported (an alert waits for the first confirmation).

import { FundtraceError } from '../core/errors.js';
import type { UtxoTx } from '../core/model.js';
import { AddressNormalizer, type EsploraTx, txListValidator } from '../sources/esplora/wire.js';
import { type HttpClient, HttpError } from '../sources/http/index.js';
import type { Activity, BlockRef, ChainScanner, ScanResult } from './types.js';

const HEX64 = /^[0-9a-f]{64}$/;

export class EsploraScanner implements ChainScanner {
  private count = 0;
  private readonly norm: AddressNormalizer;
  constructor(
    readonly chain: string,
    private readonly base: string,
    private readonly http: HttpClient,
    private readonly signal?: AbortSignal,
  ) {
    this.norm = new AddressNormalizer(chain);
  }

  requests(): number {
    return this.count;
  }

  private url(path: string): string {
    return `${this.base.replace(/\/+$/, '')}${path}`;
  }

  private text(path: string): Promise<string> {
    this.count++;
    return this.http.getText(this.url(path), { ...(this.signal ? { signal: this.signal } : {}) });
  }

  async tip(): Promise<BlockRef> {
    const t = (await this.text('/blocks/tip/height')).trim();
    if (!/^\d+$/.test(t))
      throw new FundtraceError('BAD_DATA', `${this.base}: /blocks/tip/height answered "${t.slice(0, 40)}"`);
    const height = Number(t);
    const hash = await this.hashAt(height);
    if (!hash) throw new FundtraceError('SOURCE', `${this.base}: no block at the tip height ${height}`);
    return { height, hash };
  }

  async hashAt(height: number): Promise<string | null> {
    try {
      const h = (await this.text(`/block-height/${height}`)).trim().toLowerCase();
      if (!HEX64.test(h))
        throw new FundtraceError(
          'BAD_DATA',
          `${this.base}: /block-height/${height} answered "${h.slice(0, 70)}"`,
        );
      return h;
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return null;
      throw e;
    }
  }

  /** Confirmed transactions of `address` at heights ≥ from, newest first, across pages. */
  private async history(address: string, from: number): Promise<EsploraTx[]> {
    const enc = encodeURIComponent(address);
    const out: EsploraTx[] = [];
    const seen = new Set<string>();
    let path = `/address/${enc}/txs`;
    let chainOnly = false;
    for (;;) {
      this.count++;
      const page = await this.http.getJson(this.url(path), {
        validate: txListValidator(this.norm, chainOnly),
        ...(this.signal ? { signal: this.signal } : {}),
      });
      let last: EsploraTx | undefined;
      for (const t of page) {
        if (t.tx.height === null) continue;
        if (seen.has(t.tx.txid)) {
          if (chainOnly)
            throw new FundtraceError(
              'BAD_DATA',
              `${this.base}: the history of ${address} repeats ${t.tx.txid} (the server ignored the page cursor)`,
            );
          continue;
        }
        seen.add(t.tx.txid);
        last = t;
        if (t.tx.height >= from) out.push(t);
      }
      // Newest first: a page that reaches below the range (or an empty page) ends the walk.
      if (!last || last.tx.height! < from) return out;
      path = `/address/${enc}/txs/chain/${last.tx.txid}`;
      chainOnly = true;
    }
  }

  async scan(from: number, to: number, watched: ReadonlySet<string>): Promise<ScanResult> {
    const blocks: BlockRef[] = [];
    for (let h = from; h <= to; h++) {
      const hash = await this.hashAt(h);
      if (!hash)
        throw new FundtraceError('SOURCE', `${this.base}: block ${h} is missing below the tip ${to}`);
      blocks.push({ height: h, hash });
    }
    const hashOf = new Map(blocks.map((b) => [b.height, b.hash]));
    const out: Activity[] = [];
    for (const address of [...watched].sort()) {
      for (const t of await this.history(address, from)) {
        const height = t.tx.height!;
        if (height > to) continue;
        if (t.blockHash !== null && t.blockHash.toLowerCase() !== hashOf.get(height))
          throw new FundtraceError(
            'SOURCE',
            `the chain reorganised during the poll (at block ${height}); polling again`,
          );
        out.push(...movements(t.tx, address, hashOf.get(height)!));
      }
    }
    out.sort(
      (a, b) =>
        a.height - b.height ||
        a.position - b.position ||
        (a.address < b.address ? -1 : a.address > b.address ? 1 : 0),
    );
    return { blocks, activity: out };
  }
}

/**
 * What one transaction did at `address`: value out = its inputs there minus the change back to
 * it (when positive); otherwise value in = its outputs there. The counterparty is the largest
 * other output (out) or the largest other input (in); "unknown" when there is none.
 */
export function movements(tx: UtxoTx, address: string, blockHash: string): Activity[] {
  const spent = tx.inputs.filter((i) => i.address === address).reduce((s, i) => s + i.value, 0n);
  const got = tx.outputs.filter((o) => o.address === address).reduce((s, o) => s + o.value, 0n);
  const largest = (list: { address: string | null; value: bigint }[]) =>
    list
      .filter((x) => x.address !== null && x.address !== address)
      .sort((a, b) => (b.value > a.value ? 1 : b.value < a.value ? -1 : a.address! < b.address! ? -1 : 1))[0]
      ?.address ?? 'unknown';
  const base = {
    tx: tx.txid,
    height: tx.height!,
    blockHash,
    position: tx.position ?? 0,
    address,
    asset: 'native',
  };
  if (spent > got)
    return [{ ...base, direction: 'out', counterparty: largest(tx.outputs), amount: spent - got }];
  if (spent === 0n && got > 0n)
    return [{ ...base, direction: 'in', counterparty: largest(tx.inputs), amount: got }];
  return [];
}
