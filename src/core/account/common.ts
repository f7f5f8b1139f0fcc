// What the account engine's two directions share: the seed, limits, edge attributes, label stops.
import { afterUntil, beforeSince } from '../bounds.js';
import { isBurnAddress } from '../burn.js';
import { FundtraceError } from '../errors.js';
import type { Transfer } from '../model.js';
import type { Seg } from '../taint.js';
import type {
  EdgeAttributes,
  LabelPolicy,
  MissingData,
  StopReason,
  Terminal,
  TraceOptions,
} from '../trace-types.js';
import type { AccountView } from '../view.js';

export const transferId = (t: Transfer) => `${t.tx}:${t.index}`;

export interface TaintedEdge {
  t: Transfer;
  taint: bigint;
  /** fifo: the order of tainted and clean runs (a bridge carries it to the destination leg). */
  segs?: Seg[];
}

export function assetOf(view: AccountView, key: string) {
  const info = view.asset(key);
  if (!info) throw new FundtraceError('USAGE', `asset "${key}" is not known on ${view.chain}`);
  return { ...info, key };
}

export function edgeAttrs(t: Transfer, tainted: bigint, hop: number): EdgeAttributes {
  return {
    tx: t.tx,
    index: t.index,
    kind: t.kind,
    time: t.time,
    height: t.height,
    asset: t.asset,
    value: t.value,
    tainted,
    hop,
  };
}

/** A movement the engine follows: non-zero value between two different addresses (or a fee). */
export const moves = (t: Transfer) => t.value > 0n && t.from !== t.to;

export interface Frontier {
  address: string;
  amount: bigint;
  first: Transfer;
}

/** Shared limit checks for an address about to be expanded. Returns the reason it may not be. */
export function limitFor(
  view: AccountView,
  opts: TraceOptions,
  address: string,
  hop: number,
  amount: bigint,
  order: number,
  /** The position's asset: --min-value is in the traced asset's units, so it only cuts there. */
  asset: string = opts.asset,
): StopReason | 'label' | null {
  // Before the labels: a burn or null address is never an exit or a flagged cluster.
  if (isBurnAddress(view.chain, address)) return 'burn';
  const stop = opts.policy.stopKind(opts.policy.labelsOf(address));
  if (stop === 'flagged') return 'label';
  // A registered bridge contract: the value leaves the chain there (a service label would only say "exit").
  if (opts.events?.bridgeEntry(view.chain, address)) return 'bridge';
  if (stop) return 'label';
  if (hop >= opts.maxHops) return 'hops';
  if (asset === opts.asset && opts.minValue > 0n && amount < opts.minValue) return 'min-value';
  const size = view.ledgerSize?.(address, asset);
  if (size !== undefined && size > opts.historyLimit) return 'history-limit';
  if (order > opts.maxNodes) return 'max-nodes';
  return null;
}

export type TracedAsset = ReturnType<typeof assetOf>;

/**
 * The seed's traced transfers, in data order, and its hop-0 addresses. Forward, a transaction
 * seed's senders are hop 0 and an address seed's debits are traced; backward, the recipients and
 * the credits. Missing data is recorded in `missing` (a remote source fetches it and re-runs).
 */
export function resolveSeed(
  view: AccountView,
  opts: TraceOptions,
  asset: TracedAsset,
  direction: 'forward' | 'backward',
  warnings: string[],
  missing: MissingData,
): { nodes: Set<string>; transfers: Transfer[] } {
  const nodes = new Set<string>();
  const transfers: Transfer[] = [];
  const forward = direction === 'forward';
  if (opts.seedKind === 'tx' && opts.entries && opts.entries.length > 0) {
    // Bridge destination legs: the listed transfers of their transactions, each from its sender.
    const want = new Set(opts.entries.map((e) => `${e.tx}:${e.index}`));
    for (const tx of [...new Set(opts.entries.map((e) => e.tx))].sort()) {
      const r = view.txTransfers(tx);
      if (r.status === 'missing') {
        missing.txs.push(tx);
        continue;
      }
      for (const t of r.value ?? []) {
        if (!want.has(transferId(t)) || t.asset !== asset.key || !moves(t) || t.to === null) continue;
        transfers.push(t);
        nodes.add(t.from);
      }
    }
    return { nodes, transfers };
  }
  if (opts.seedKind === 'tx') {
    const r = view.txTransfers(opts.seed);
    if (r.status === 'missing') {
      missing.txs.push(opts.seed);
      return { nodes, transfers };
    }
    if (!r.value)
      throw new FundtraceError('BAD_INPUT', `seed "${opts.seed}" is not in the data: no such transaction`);
    for (const t of r.value) {
      if (t.asset !== asset.key || !moves(t) || t.to === null) continue;
      transfers.push(t);
      nodes.add(forward ? t.from : t.to);
    }
    if (transfers.length === 0)
      throw new FundtraceError(
        'BAD_INPUT',
        `seed "${opts.seed}" moves no ${asset.symbol} (try --asset)`,
        [],
        {
          reason: 'seed-not-in-asset',
        },
      );
    return { nodes, transfers };
  }
  if (opts.seedKind !== 'address') {
    throw new FundtraceError(
      'USAGE',
      `an outpoint seed (txid:vout) only exists on UTXO chains, not on ${view.chain}`,
    );
  }
  nodes.add(opts.seed);
  const r = view.ledger(opts.seed, asset.key);
  if (r.status === 'missing') {
    missing.addresses.push(opts.seed);
    return { nodes, transfers };
  }
  if (r.value.length === 0)
    throw new FundtraceError(
      'BAD_INPUT',
      `seed "${opts.seed}" is not in the data: no ${asset.symbol} history`,
      [],
      { reason: 'seed-not-in-asset' },
    );
  const size = view.ledgerSize?.(opts.seed, asset.key) ?? r.value.length;
  if (size > opts.historyLimit) {
    warnings.push(
      `seed ${opts.seed} has ${size} ${asset.symbol} transfers, over the history limit ${opts.historyLimit}; only the first ${opts.historyLimit} are used`,
    );
  }
  for (const t of r.value.slice(0, opts.historyLimit)) {
    if ((forward ? t.from : t.to) !== opts.seed || !moves(t)) continue;
    if (beforeSince(opts.since, t) || afterUntil(opts.until, t)) continue;
    transfers.push(t);
  }
  if (forward && transfers.length === 0)
    warnings.push(`the seed address sent no ${asset.symbol} in the window: nothing to trace forward`);
  return { nodes, transfers };
}

/** The terminal fields of a stop at a labelled address (a flagged cluster or a service exit). */
export function labelStop(
  policy: LabelPolicy,
  address: string,
): Pick<Terminal, 'kind' | 'reason' | 'category' | 'entity'> {
  const labels = policy.labelsOf(address);
  const p = policy.primary(labels);
  // limitFor said 'label' only because stopKind answered: it is not null here.
  return { kind: policy.stopKind(labels)!, reason: 'label', category: p?.category, entity: p?.entity };
}
