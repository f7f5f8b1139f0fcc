// Shared EVM helpers, part 2: how one EVM transaction becomes fundtrace Transfer records (the
// dataset-v1 `transfers`). Pure; used by the rpc: source and the devnet export, and meant for the
// etherscan: source too, so the same transaction gets the same records whichever source read it.
//
// Index scheme (`index` orders the transfers of one transaction; (tx, index) is unique):
//   native    NATIVE_INDEX = 0                    the transaction's own value (top-level call)
//   token     TOKEN_LOG_BASE + logIndex            3_000_000 + the log's block-wide index (a bare
//                                                  log index 0 would collide with the native
//                                                  record of the block's first transaction)
//   internal  INTERNAL_BASE + k = 1_000_000 + k   k = 0, 1, … : the k-th value-moving internal
//                                                  operation that took effect, in execution order
//                                                  (depth-first), after dropping reverted frames
//   fee       FEE_INDEX = 2_000_000                gas paid by the sender, to = null, kind "fee"
// The offsets sit above any block-wide log index seen in practice, so token records never collide
// with the others; within the native asset the order is: value in, internal moves, fee.
//
// Rules:
//   - a failed transaction (receipt status 0) moves nothing: only its fee is recorded;
//   - internal operations are CALL (with value), CREATE/CREATE2 (value to the new contract) and
//     SELFDESTRUCT (balance to the beneficiary) frames whose frame and ancestors did not revert;
//     DELEGATECALL/CALLCODE/STATICCALL move nothing; zero-value operations are not recorded;
//   - the top-level transfer is the native record, never also an internal one;
//   - fee = gasUsed × effectiveGasPrice (+ blobGasUsed × blobGasPrice, + l1Fee on OP-stack chains).
//
// API:
//   NATIVE_INDEX, INTERNAL_BASE, FEE_INDEX, TOKEN_LOG_BASE, internalIndex(k)
//   isoTime(seconds)                       "2024-06-01T00:00:12Z" (no milliseconds)
//   TxFacts, InternalMove                  what a source must know about a transaction
//   txNativeTransfers(facts, moves, asset) the native/internal/fee records of one transaction
//   tokenTransfer(base, log, asset)        the record for one decoded ERC-20 Transfer log
import type { Transfer } from '../../core/model.js';
import type { Erc20Transfer } from './abi.js';

export const NATIVE_INDEX = 0;
export const INTERNAL_BASE = 1_000_000;
export const FEE_INDEX = 2_000_000;
export const TOKEN_LOG_BASE = 3_000_000;
export const internalIndex = (k: number) => INTERNAL_BASE + k;

export function isoTime(seconds: number | bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface TxFacts {
  hash: string;
  height: number;
  position: number;
  time: string | null;
  /** EIP-55. */
  from: string;
  /** EIP-55 recipient; for a contract creation, the created contract (receipt contractAddress). */
  to: string | null;
  value: bigint;
  /** Receipt status: true = success. */
  success: boolean;
  /** Everything the sender paid for gas, in wei. */
  fee: bigint;
}

export interface InternalMove {
  from: string;
  to: string;
  value: bigint;
}

export function txNativeTransfers(facts: TxFacts, moves: readonly InternalMove[], asset: string): Transfer[] {
  // Written out field by field, in one order (an object spread per record was the import's cost).
  const record = (index: number, from: string, to: string | null, value: bigint, kind: Transfer['kind']) =>
    ({
      tx: facts.hash,
      height: facts.height,
      position: facts.position,
      time: facts.time,
      asset,
      index,
      from,
      to,
      value,
      kind,
    }) satisfies Transfer;
  const out: Transfer[] = [];
  if (facts.success) {
    if (facts.value > 0n && facts.to !== null)
      out.push(record(NATIVE_INDEX, facts.from, facts.to, facts.value, 'native'));
    let k = 0;
    for (const m of moves) {
      if (m.value <= 0n) continue;
      out.push(record(internalIndex(k++), m.from, m.to, m.value, 'internal'));
    }
  }
  if (facts.fee > 0n) out.push(record(FEE_INDEX, facts.from, null, facts.fee, 'fee'));
  return out;
}

export function tokenTransfer(
  base: { tx: string; height: number; position: number; time: string | null },
  logIndex: number,
  t: Erc20Transfer,
  asset: string,
): Transfer {
  return {
    tx: base.tx,
    height: base.height,
    position: base.position,
    time: base.time,
    index: TOKEN_LOG_BASE + logIndex,
    from: t.from,
    to: t.to,
    asset,
    value: t.value,
    kind: 'token',
  };
}
