// Parameters and results of the trace engine. The result is one object that every renderer reads.
import type { MultiDirectedGraph } from 'graphology';
import type { AssetInfo, Label } from './model.js';
import type { Model, Taint } from './taint.js';

export type Direction = 'forward' | 'backward';
export type SeedKind = 'address' | 'outpoint' | 'tx';

/** A time or height bound (`--since`/`--until`): ISO date-time or block height. */
export type Bound = { kind: 'height'; height: number } | { kind: 'time'; time: string };

export interface TraceOptions {
  seed: string;
  seedKind: SeedKind;
  direction: Direction;
  model: Model;
  maxHops: number;
  /** Asset key as resolved by the view (account chains); the native symbol on UTXO chains. */
  asset: string;
  minValue: bigint;
  maxNodes: number;
  /** Addresses with more history entries than this are not expanded (stop `history-limit`). */
  historyLimit: number;
  since?: Bound;
  until?: Bound;
  policy: LabelPolicy;
  /**
   * UTXO: co-spend clustering. An address spent together with a labelled address belongs to that
   * entity: the trace stops there as at the labelled address, and every node is attributed.
   */
  cospend?: boolean;
  /** Account chains: recognise unlabelled exchange deposit addresses by their sweeps (core/deposit.ts). */
  deposits?: boolean;
  /** Backward: credits below this many base units are dust and not followed (address poisoning). */
  dust?: bigint;
  /** Optional UTXO heuristics (CoinJoin detection …); absent = none applied. */
  heuristics?: UtxoHeuristics;
}

/** How labels act on a trace: which addresses stop it, and as what. */
export interface LabelPolicy {
  labelsOf(address: string): readonly Label[];
  /** exit = a service (exchange, bridge …); flagged = a flagged category (sanctioned, scam …). */
  stopKind(labels: readonly Label[]): 'exit' | 'flagged' | null;
  /** The label that decides the address's category (documented precedence). */
  primary(labels: readonly Label[]): Label | undefined;
}

export interface UtxoHeuristics {
  /** Non-null when the transaction looks like a CoinJoin: the rule that matched, as evidence. */
  coinjoin?(tx: import('./model.js').UtxoTx): string | null;
}

export type StopReason =
  | 'label'
  | 'hops'
  | 'min-value'
  | 'max-nodes'
  | 'history-limit'
  | 'unspent'
  | 'time-window'
  | 'mixer'
  | 'missing-data'
  | 'returned'
  | 'origin'
  | 'dust'
  | 'burn';

export type TerminalKind =
  | 'exit' // reached a service (forward) / came from a service (backward)
  | 'flagged' // reached / came from a flagged cluster
  | 'mixer' // entered a detected CoinJoin (forward) / left one (backward)
  | 'held' // at rest at the end of the data (forward)
  | 'fee' // paid as a fee (forward)
  | 'returned' // came back to the seed address, already counted in what it sent
  | 'coinbase' // newly mined (backward origin)
  | 'unknown-origin' // before the data starts or beyond what the history shows (backward)
  | 'unspendable' // an output with no address (OP_RETURN)
  | 'cut'; // a limit stopped the path: `reason` says which

export interface Terminal {
  kind: TerminalKind;
  reason?: StopReason;
  /** Node key of the address where value stopped (null for fees, coinbase, unspendable). */
  node: string | null;
  /** Edge key of the movement that brought the value there, when it is one movement. */
  edge: string | null;
  hop: number;
  amount: bigint;
  category?: string;
  entity?: string;
  note?: string;
}

/**
 * An address's cluster. `via` says what attributed it: a label ('label'), a tag of the GraphSense
 * API, i.e. the engine's whole-chain clustering ('graphsense'), co-spend, a deposit pattern, or
 * nothing ('none'). `id` is stable: the entity name for labelled clusters, else
 * `cospend:<smallest member address>`, else the address itself (`via: 'none'`).
 */
export interface Cluster {
  id: string;
  entity: string | null;
  category: string | null;
  via: 'label' | 'graphsense' | 'co-spend' | 'deposit' | 'none';
  /** graphsense: the GraphSense entity (whole-chain cluster) id of the tag, when it came with one. */
  graphsenseEntity?: number;
  /** graphsense: the tag's confidence level (0–100), when given. */
  confidence?: number;
  /** co-spend: the transaction whose inputs joined this address to the cluster. */
  evidence?: string;
  /** co-spend: the labelled member the entity was inherited from. */
  from?: string;
}

export interface NodeAttributes {
  address: string;
  chain: string;
  hop: number;
  seed: boolean;
  labels: Label[];
  /** Who controls the address, as far as the evidence goes: a label, or co-spend with a labelled address. */
  cluster: Cluster;
  received: bigint;
  sent: bigint;
  tainted: bigint;
  stop: StopReason | null;
}

export interface EdgeAttributes {
  tx: string;
  /** Output index (UTXO) or transfer index (account). */
  index: number;
  kind: 'output' | 'native' | 'internal' | 'token' | 'fee';
  time: string | null;
  height: number | null;
  asset: string;
  value: bigint;
  tainted: bigint;
  hop: number;
  /** UTXO: every input address that contributed (forward: taint; backward: traced origin). */
  inputs?: { address: string | null; amount: bigint }[];
  /** UTXO: this output is the transaction's likely change (src/core/heuristics/change.ts). */
  change?: { confidence: 'high' | 'medium' | 'low'; rules: string[] };
}

export type TraceGraph = MultiDirectedGraph<NodeAttributes, EdgeAttributes>;

export interface MissingData {
  addresses: string[];
  txs: string[];
  outspends: string[];
}

export interface TraceOutcome {
  graph: TraceGraph;
  terminals: Terminal[];
  traced: bigint;
  asset: AssetInfo & { key: string };
  warnings: string[];
  /** What the view did not have loaded (remote sources fetch it, then the engine runs again). */
  missing: MissingData;
  /** Detected structures (peel chains, CoinJoins …) with their evidence. */
  findings: Finding[];
}

export interface Finding {
  kind: string;
  description: string;
  txs: string[];
  edges?: string[];
  amount?: bigint;
}

export type { Model, Taint };
