// What the engine learns from a transaction's event logs: swaps, wrapping, bridge legs. Decoded
// by src/core/events/decode.ts from raw logs (TxLog) against the registry (registry/*.json).
// Pure data: every field is exact (bigint amounts, EIP-55 addresses, decimal chain ids).

/** Where a decoded fact came from: one log, named. */
export interface LogRef {
  chain: string;
  tx: string;
  /** Log index. */
  index: number;
  /** Emitting contract, EIP-55. */
  address: string;
  /** Event name as in the ABI, e.g. "Swap", "Deposit", "DepositForBurn", "FilledV3Relay". */
  event: string;
  /** Block time of the transaction (ISO-8601 UTC) when the log carries it. */
  time?: string | null;
}

/** A DEX swap event (Uniswap V2/V3-style pool). Evidence only: amounts come from transfers. */
export interface SwapEvent {
  kind: 'swap';
  protocol: 'uniswap-v2' | 'uniswap-v3';
  ref: LogRef;
  /** The pool that emitted it (= ref.address). */
  pool: string;
  /** Swap `sender` (usually a router) and `to`/`recipient` (who receives the output), EIP-55. */
  sender: string;
  recipient: string;
  /**
   * What went into and out of the pool, per pool token (token0/token1 are the pool's, not named by
   * the event). V2: as emitted. V3: the signed amount split (positive = into the pool).
   */
  amount0In: bigint;
  amount1In: bigint;
  amount0Out: bigint;
  amount1Out: bigint;
}

/** WETH-style Deposit (wrap: native in, token minted to `account`) or Withdrawal (unwrap). */
export interface WrapEvent {
  kind: 'wrap' | 'unwrap';
  ref: LogRef;
  /** The wrapped-native token contract (= ref.address, a registered wrapper). */
  token: string;
  /** Deposit `dst` / Withdrawal `src`. */
  account: string;
  value: bigint;
}

export type BridgeProtocol = 'cctp' | 'across' | 'hop' | 'stargate' | 'thorchain' | 'devbridge';

/** The source-chain leg of a bridge transfer. */
export interface BridgeOut {
  kind: 'bridge-out';
  protocol: BridgeProtocol;
  ref: LogRef;
  /**
   * Join key shared with the destination leg, e.g. "cctp:0:62883" (source domain, nonce),
   * "across:1:4024312" (origin chain id, deposit id), "hop:0x…" (transfer id), "stargate:0x…"
   * (guid). null when the protocol gives no identifier (Hop L1→L2): only heuristic matching.
   */
  key: string | null;
  /** Plain words for the investigator: what to look up, e.g. "CCTP source domain 0, nonce 62883". */
  identifier: string;
  /** Who sent the funds into the bridge (EIP-55), when the event names them. */
  depositor: string | null;
  /** Recipient on the destination chain, as the event names it (EVM: EIP-55; else as given). */
  recipient: string | null;
  /** fundtrace chain name of the destination when known (registry), else null. */
  destChain: string | null;
  /** The protocol's own destination id (chain id, CCTP domain, LayerZero eid), decimal. */
  destChainId: string;
  /** Token sent (EIP-55 contract), or null for the native asset. */
  token: string | null;
  amount: bigint;
  /** What the destination should receive, when the event says (Across outputToken/outputAmount). */
  outToken?: string | null;
  outAmount?: bigint;
  /** A fee the event names, in `token` units (Hop bonderFee / relayerFee). */
  fee?: bigint;
  /** What the event does not say or what to keep in mind (e.g. "recipient not in the event"). */
  note?: string;
  /** Other logs of the same transaction that this fact rests on (CCTP MessageSent). */
  related?: LogRef[];
}

/** The destination-chain leg of a bridge transfer. */
export interface BridgeIn {
  kind: 'bridge-in';
  protocol: BridgeProtocol;
  ref: LogRef;
  key: string | null;
  identifier: string;
  recipient: string | null;
  /** fundtrace chain name of the origin when known, else null. */
  originChain: string | null;
  /** The protocol's own origin id (chain id, CCTP domain, LayerZero eid), decimal; null when the
   *  event does not name the origin (Hop WithdrawalBonded/Withdrew). */
  originChainId: string | null;
  /** Token delivered (EIP-55), or null for native. */
  token: string | null;
  /** Amount delivered to `recipient` as the event states it (see `note` for fees not deducted). */
  amount: bigint;
  /**
   * What the destination event says the deposit was (Across fills repeat inputToken/inputAmount):
   * checked against the source leg when linking. Token as on the origin chain (EIP-55, or hex).
   */
  depositToken?: string | null;
  depositAmount?: bigint;
  note?: string;
  /** Other logs of the same transaction that this fact rests on (CCTP MintAndWithdraw). */
  related?: LogRef[];
}

export type DecodedEvent = SwapEvent | WrapEvent | BridgeOut | BridgeIn;

/** A log that looked like a known event but cannot be trusted: a warning with evidence. */
export interface EventProblem {
  ref: LogRef;
  message: string;
}

/** A deposit joined to its destination leg by the protocol's identifier. */
export interface BridgeLink {
  out: BridgeOut;
  in: BridgeIn;
}
