// What the trace engine reads: an indexed, read-only view of chain data. A dataset builds one
// in memory; remote sources fill one as they fetch. The engine never sees a wire format.
import type { AssetInfo, Transfer, TxLog, UtxoTx } from './model.js';

/** Result of asking a view for something it may not have loaded yet (remote sources). */
export type Lookup<T> = { status: 'ok'; value: T } | { status: 'missing' };

/** A lookup answered, and one the view has not loaded yet (every view answers with these). */
export const ok = <T>(value: T): Lookup<T> => ({ status: 'ok', value });
export const MISSING = { status: 'missing' } as const;

export interface SpendRef {
  txid: string;
  inputIndex: number;
}

export interface UtxoView {
  readonly kind: 'utxo';
  readonly chain: string;
  readonly native: AssetInfo;
  /** The tip the data is "as of": outputs unspent at this point are held. */
  readonly head?: { height: number; time?: string };
  tx(txid: string): Lookup<UtxoTx | undefined>;
  /** Who spent output (txid, vout): a SpendRef, null when unspent as of the data. */
  spender(txid: string, vout: number): Lookup<SpendRef | null>;
  /** Every transaction touching the address (as input or output), in chain order. */
  addressTxs(address: string): Lookup<readonly UtxoTx[]>;
  /** Number of transactions touching the address, when known without loading them all. */
  addressTxCount?(address: string): number | undefined;
}

export interface AccountView {
  readonly kind: 'account';
  readonly chain: string;
  readonly native: AssetInfo;
  readonly head?: { height: number; time?: string };
  /** Resolve `--asset` input (symbol or contract) to the view's asset key; undefined if unknown. */
  resolveAsset(input: string): string | undefined;
  asset(key: string): AssetInfo | undefined;
  assets(): readonly string[];
  /** Every transfer of `asset` from or to the address, in chain order (fee records included). */
  ledger(address: string, asset: string): Lookup<readonly Transfer[]>;
  /** Size of the address's history for the asset, when known cheaply (for the history limit). */
  ledgerSize?(address: string, asset: string): number | undefined;
  /** All transfers of a transaction (every asset), in index order; undefined if unknown tx. */
  txTransfers(tx: string): Lookup<readonly Transfer[] | undefined>;
  /**
   * Event logs of a transaction, in index order ([] when it emitted none). Absent on views whose
   * source cannot give logs: swaps and bridges are then not recognised (the result says so).
   */
  txLogs?(tx: string): Lookup<readonly TxLog[]>;
  /**
   * Logs the contract emitted with this topic0 (any transaction), in chain order: how a bridge's
   * destination leg is found on this chain. Absent where the source cannot search by emitter.
   */
  logsAt?(address: string, topic0: string): Lookup<readonly TxLog[]>;
}

export type ChainView = UtxoView | AccountView;
