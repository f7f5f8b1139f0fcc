// One fetch round of a UTXO source whose answers fill an EsploraView (Esplora itself, GraphSense):
// the tip first, then every missing transaction, spend list and address history at once (the
// host's limits decide the pace), then the blocks whose order the view needs. Each item is asked
// once per run; a failure may be retried by a later round. Misses of an offline run are collected
// and reported together.
import { FundtraceError } from '../../core/errors.js';
import type { MissingData } from '../../core/trace-types.js';
import { MissCollector } from '../cache/index.js';
import type { Fetcher } from '../driver.js';
import { isAbortError } from '../http/index.js';
import type { EsploraView } from './view.js';

/** Confirmations below the tip after which a transaction, spend or block is taken as final. */
export const FINAL_DEPTH = 6;

export abstract class UtxoRounds implements Fetcher {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(protected readonly view: EsploraView) {}

  protected abstract loadTip(signal?: AbortSignal): Promise<void>;
  protected abstract ensureTx(txid: string, signal?: AbortSignal): Promise<void>;
  protected abstract ensureOutspends(txid: string, signal?: AbortSignal): Promise<void>;
  protected abstract ensureHistory(address: string, signal?: AbortSignal): Promise<void>;
  protected abstract ensureBlock(
    block: { hash: string; height: number },
    signal?: AbortSignal,
  ): Promise<void>;

  protected final(height: number | null): boolean {
    const tip = this.view.tip;
    return height !== null && tip !== undefined && height <= tip - FINAL_DEPTH;
  }

  /** One promise per item for the whole run: an item is never requested twice. */
  protected once(key: string, fn: () => Promise<void>): Promise<void> {
    let p = this.inflight.get(key);
    if (!p) {
      p = fn();
      this.inflight.set(key, p);
      // A failure may be retried by a later round (e.g. after a transient error was reported).
      p.catch(() => this.inflight.delete(key));
    }
    return p;
  }

  async fetchMissing(missing: MissingData, signal?: AbortSignal): Promise<void> {
    const misses = new MissCollector();
    const errors: unknown[] = [];
    const run = async (fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (e) {
        if (!misses.record(e)) errors.push(e);
      }
    };
    if (this.view.tip === undefined) {
      await run(() => this.once('tip', () => this.loadTip(signal)));
      if (errors.length > 0) throw errors[0];
    }
    const txids = [...new Set(missing.txs.map((t) => t.toLowerCase()))];
    const spent = [...new Set(missing.outspends.map((k) => k.slice(0, k.lastIndexOf(':')).toLowerCase()))];
    const addresses = [...new Set(missing.addresses)];
    await Promise.all([
      ...txids.map((t) => run(() => this.ensureTx(t, signal))),
      ...spent.map((t) => run(() => this.ensureOutspends(t, signal))),
      ...addresses.map((a) => run(() => this.ensureHistory(a, signal))),
    ]);
    if (errors.length === 0 && this.view.conflict) throw new FundtraceError('SOURCE', this.view.conflict);
    if (errors.length === 0)
      await Promise.all(this.view.blocksNeeded().map((b) => run(() => this.ensureBlock(b, signal))));
    if (errors.length > 0) throw errors.find((e) => isAbortError(e)) ?? errors[0];
    misses.throwIfAny();
  }
}
