// The core data model: every remote source and every dataset is normalised into these records,
// so the trace engine never sees a wire format. Amounts are bigint base units everywhere.

export type ChainKind = 'utxo' | 'account';

export interface AssetInfo {
  /** Display symbol, e.g. BTC, ETH, USDT. Attacker-controlled for tokens: sanitise before display. */
  symbol: string;
  decimals: number;
  /** EIP-55 contract address for tokens; absent for the native asset. */
  contract?: string;
}

/** An amount in base units of one asset. */
export interface Amount {
  value: bigint;
  asset: string;
  decimals: number;
}

export interface TxInput {
  txid: string;
  vout: number;
  address: string | null;
  value: bigint;
}

export interface TxOutput {
  address: string | null;
  value: bigint;
}

/** A UTXO-chain transaction (dataset-v1 `transactions`). */
export interface UtxoTx {
  txid: string;
  /** null = unconfirmed (sorts after every confirmed transaction). */
  height: number | null;
  position: number | null;
  /** ISO-8601 UTC, or null when unknown (unconfirmed). */
  time: string | null;
  inputs: TxInput[];
  outputs: TxOutput[];
}

export type TransferKind = 'native' | 'internal' | 'token' | 'fee';

/** An account-chain value movement (dataset-v1 `transfers`). */
export interface Transfer {
  tx: string;
  index: number;
  height: number | null;
  position: number | null;
  time: string | null;
  from: string;
  /** null only for kind "fee". */
  to: string | null;
  /** Asset key: the native symbol, a declared symbol, or a token contract address. */
  asset: string;
  value: bigint;
  kind: TransferKind;
}

/**
 * An EVM event log of a transaction (dataset extension `logs`, README "Conversions and bridges"):
 * the raw evidence swaps, wrapping and bridge legs are decoded from (src/core/events). Only logs of
 * successful transactions exist; a failed transaction emits none.
 */
export interface TxLog {
  tx: string;
  /** Log index in the block: the same numbering as a token transfer's `index`. */
  index: number;
  height: number | null;
  position: number | null;
  time: string | null;
  /** Emitting contract, EIP-55. */
  address: string;
  /** 0x + 64 lowercase hex each, topic0 (the event signature hash) first; 0 to 4 topics. */
  topics: string[];
  /** 0x + lowercase hex of even length ("0x" when empty). */
  data: string;
}

export type LabelConfidence = 'high' | 'medium' | 'low';

export interface Label {
  chain: string;
  address: string;
  entity: string;
  category: string;
  source: string;
  confidence?: LabelConfidence | string;
  note?: string;
  lastmod?: string;
  /**
   * Set only on labels made from a GraphSense API tag (not a TagPack file): the whole-chain
   * entity (cluster) the tag came with and its confidence level (0–100), each null when absent.
   */
  graphsense?: { entity: number | null; confidenceLevel: number | null };
}

/** Absent sorts first. */
function cmpOptional(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/** Deterministic label order: address, entity, category, source, confidence, note, lastmod. */
export function compareLabelFields(a: Label, b: Label): number {
  return (
    cmpOptional(a.address, b.address) ||
    cmpOptional(a.entity, b.entity) ||
    cmpOptional(a.category, b.category) ||
    cmpOptional(a.source, b.source) ||
    cmpOptional(a.confidence, b.confidence) ||
    cmpOptional(a.note, b.note) ||
    cmpOptional(a.lastmod, b.lastmod)
  );
}

export interface DatasetHead {
  height: number;
  time?: string;
}

/** A whole dataset after parsing and validation. */
export interface Dataset {
  format: 'fundtrace-dataset/1';
  chain: string;
  name?: string;
  description?: string;
  head?: DatasetHead;
  /** symbol/contract → info; always contains the chain's native asset. */
  assets: Map<string, AssetInfo>;
  transactions: UtxoTx[];
  transfers: Transfer[];
  /** Account chains: event logs (optional extension); absent or empty = none recorded. */
  logs?: TxLog[];
  labels: Label[];
  /** Notes for a result's warnings (e.g. a token contract used without being declared). */
  notes?: string[];
}

/** Total order of events: (height, position, id, index); unconfirmed (null height) last. */
export function compareOrder(
  a: { height: number | null; position: number | null },
  aId: string,
  aIndex: number,
  b: { height: number | null; position: number | null },
  bId: string,
  bIndex: number,
): number {
  const ah = a.height ?? Number.POSITIVE_INFINITY;
  const bh = b.height ?? Number.POSITIVE_INFINITY;
  if (ah !== bh) return ah < bh ? -1 : 1;
  const ap = a.position ?? -1;
  const bp = b.position ?? -1;
  if (ap !== bp) return ap < bp ? -1 : 1;
  if (aId !== bId) return aId < bId ? -1 : 1;
  return aIndex - bIndex;
}

export const compareTransfers = (a: Transfer, b: Transfer) =>
  compareOrder(a, a.tx, a.index, b, b.tx, b.index);
export const compareTxs = (a: UtxoTx, b: UtxoTx) => compareOrder(a, a.txid, 0, b, b.txid, 0);
