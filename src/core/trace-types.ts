// Parameters and results of the trace engine. The result is one object that every renderer reads.
import type { MultiDirectedGraph } from 'graphology';
import type { LogRef } from './events/types.js';
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
  /**
   * Account chains: follow conversions (swaps, wrapping) decoded from event logs. Absent =
   * asset-true (--no-conversions, or a source without logs).
   */
  events?: EventRules;
  /**
   * A transaction seed whose listed transfers arrive partly tainted: the destination legs of bridge
   * deposits (the mint or relay to the recipient), with the taint the deposit carried. Only these
   * transfers of the seed transaction are traced.
   */
  entries?: { tx: string; index: number; taint: Taint }[];
  /** Hop of the seeds (default 0): a bridge's destination leg goes on from the hop it left at. */
  hopBase?: number;
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

/** How the engine reads a transaction's event logs (src/core/events, with the contract registry). */
export interface EventRules {
  decode(
    chain: string,
    logs: readonly import('./model.js').TxLog[],
  ): {
    events: import('./events/types.js').DecodedEvent[];
    problems: import('./events/types.js').EventProblem[];
  };
  /** A registered wrapped-native token contract (WETH …) on the chain. */
  isWrappedNative(chain: string, contract: string): boolean;
  /** A registered bridge contract value is sent into (CCTP TokenMessenger, Across SpokePool …). */
  bridgeEntry(chain: string, address: string): { protocol: string; name: string } | undefined;
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
  | 'burn'
  | 'conversion'
  | 'bridge';

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
  | 'converted' // swapped or wrapped into another asset: followed in that asset (outcome.conversions)
  | 'bridged' // sent into a registered bridge: `bridge` names the destination leg to look up
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
  /** kind "bridged": the deposit as the bridge's own event states it (absent when none was decoded). */
  bridge?: BridgeTerminal;
  /** kind "bridged", fifo: the runs that went in, in order (carried to the destination leg; not output). */
  segs?: import('./taint.js').Seg[];
}

/** Where a bridge deposit goes: what the investigator looks up on the destination chain. */
export interface BridgeTerminal {
  protocol: string;
  /** The registered contract the value went into, and its registry name. */
  contract: string;
  name: string;
  /** Join key with the destination leg (null: the protocol gives none, e.g. Hop L1→L2). */
  key: string | null;
  identifier: string;
  destChain: string | null;
  destChainId: string;
  recipient: string | null;
  depositor: string | null;
  /** Deposit as the event states it (token null = native). */
  token: string | null;
  amount: bigint;
  outToken?: string | null;
  outAmount?: bigint;
  evidence: LogRef;
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
  kind: 'output' | 'native' | 'internal' | 'token' | 'fee' | 'conversion';
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
  /** kind "conversion": what went in (asset/value/tainted above) and what came out. */
  conversion?: ConversionSide;
}

/** The output side of a conversion edge, with the events that prove it. */
export interface ConversionSide {
  via: 'swap' | 'wrap' | 'unwrap';
  toAsset: string;
  /** Symbol and decimals of the asset that came out (for display). */
  to: { symbol: string; decimals: number };
  toValue: bigint;
  toTainted: bigint;
  evidence: LogRef[];
}

/** One conversion the trace went through (also drawn as a `conversion` edge, from = to = address). */
export interface ConversionRecord {
  edge: string;
  node: string;
  tx: string;
  time: string | null;
  height: number | null;
  hop: number;
  via: 'swap' | 'wrap' | 'unwrap';
  from: { asset: string; value: bigint; tainted: bigint };
  to: { asset: string; value: bigint; tainted: bigint };
  evidence: LogRef[];
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
  /**
   * Conversions the trace followed (swaps, wrapping), in order; present only when there were
   * some. Then `parts` holds the trace in each asset converted into, each with its own graph,
   * terminals and `traced` (the taint the conversions brought into it): totals stay per asset.
   */
  conversions?: ConversionRecord[];
  parts?: TraceOutcome[];
}

export interface Finding {
  kind: string;
  description: string;
  txs: string[];
  edges?: string[];
  amount?: bigint;
}

export type { Model, Taint };
