// Per-address ledgers of a remote account view (Etherscan, TronGrid): the address's transfers of
// one asset in chain order, built from the transfer ids fetched for it and kept until the view
// learns more (its version changes).
import { compareTransfers, type Transfer } from '../core/model.js';

export class LedgerCache {
  private readonly lists = new Map<string, { version: number; list: readonly Transfer[] }>();

  get(
    address: string,
    asset: string,
    ids: Iterable<string>,
    byId: ReadonlyMap<string, Transfer>,
    version: number,
  ): readonly Transfer[] {
    const key = `${address}|${asset}`;
    const hit = this.lists.get(key);
    if (hit && hit.version === version) return hit.list;
    const list: Transfer[] = [];
    for (const id of ids) {
      const t = byId.get(id)!;
      if (t.asset === asset) list.push(t);
    }
    list.sort(compareTransfers);
    this.lists.set(key, { version, list });
    return list;
  }
}
