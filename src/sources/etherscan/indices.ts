// Transfer `index` scheme for Etherscan-compatible sources.
//
// A transfer is identified by `(tx, index)` (edge key `chain:tx:index`), and the engine merges the
// ledgers of many addresses, so the SAME movement must get the SAME index whichever address's list
// it was read from (the sender's, the recipient's, or the by-transaction look-up of a tx seed).
// Every index below is computed from the row alone, never from its position in a list.
// Within one transaction the order is: native value, internal calls (in call order when the API
// says it), token transfers, and the fee last. Ledgers are per asset, so only the order among
// native/internal/fee (one asset) and among the transfers of one token matters.
//
// | range                         | what                                                                  |
// |-------------------------------|-----------------------------------------------------------------------|
// | 0                             | the transaction's own value (kind native)                             |
// | 1 000 + n                     | internal call with Blockscout `index` n (its order in the tx)         |
// |                               | or a Routescan `traceId` "n" (bare number ≥ 1: the same flat index)   |
// | Σ (cᵢ+1)·1000^(4−i) (≥ 10¹²) | internal call with Etherscan `traceId` c₀_c₁_…_c₄ (depth ≤ 5, each    |
// |                               | cᵢ ≤ 998): three decimal digits per call level, so the number sorts in |
// |                               | call (pre-)order: "0_1" → 1 002 000 000 000, "0_1_1_1" → 1 002 002 002 000 |
// | 2·10¹⁵ + h                    | internal call without a usable traceId/index (deeper or wider than the |
// |                               | table above, or absent): h = stable hash (see below); order not known  |
// | 3·10¹⁵ + logIndex             | token transfer whose row carries `logIndex` (Blockscout)               |
// | 4·10¹⁵ + h                    | token transfer without `logIndex` (Etherscan tokentx rows have none):  |
// |                               | h = stable hash of (tx, contract, from, to, value, occurrence)         |
// | 9·10¹⁵                        | the gas fee (kind fee, to null), last                                  |
//
// The stable hash h is the first 48 bits of sha256("tx|contract-or-type|from|to|value|occurrence")
// (addresses lower-case), reduced mod 10¹²; `occurrence` counts identical earlier rows of the same
// transaction (1, 2, …). Identical rows are interchangeable, and every list that holds one of them
// holds all of them (they share sender and recipient), so the count is the same in every list.
// All values stay below Number.MAX_SAFE_INTEGER (≈ 9.007·10¹⁵).
import { createHash } from 'node:crypto';

export const NATIVE_INDEX = 0;
export const BLOCKSCOUT_INTERNAL_BASE = 1_000;
export const INTERNAL_FALLBACK_BASE = 2_000_000_000_000_000;
export const TOKEN_LOG_BASE = 3_000_000_000_000_000;
export const TOKEN_DERIVED_BASE = 4_000_000_000_000_000;
export const FEE_INDEX = 9_000_000_000_000_000;
const HASH_SPACE = 1_000_000_000_000;
const LEVELS = 5;
const PER_LEVEL = 1000;

/** The order-preserving index for an Etherscan traceId ("0_1_1_1"), or undefined if it does not fit. */
export function traceIdIndex(traceId: string): number | undefined {
  if (!/^\d{1,4}(?:_\d{1,4})*$/.test(traceId)) return undefined;
  const parts = traceId.split('_').map(Number);
  if (parts.length > LEVELS || parts.some((c) => c > PER_LEVEL - 2)) return undefined;
  let n = 0;
  for (let i = 0; i < LEVELS; i++) n = n * PER_LEVEL + (i < parts.length ? parts[i]! + 1 : 0);
  return n;
}

/** Index for a Blockscout internal transaction `index` field. */
export function blockscoutInternalIndex(seq: number): number | undefined {
  return Number.isSafeInteger(seq) && seq >= 0 && seq < HASH_SPACE - BLOCKSCOUT_INTERNAL_BASE
    ? BLOCKSCOUT_INTERNAL_BASE + seq
    : undefined;
}

export function tokenLogIndex(logIndex: number): number | undefined {
  return Number.isSafeInteger(logIndex) && logIndex >= 0 && logIndex < HASH_SPACE
    ? TOKEN_LOG_BASE + logIndex
    : undefined;
}

/** The stable hash h of the table above. */
export function stableHash(parts: readonly (string | bigint | number)[]): number {
  const hex = createHash('sha256')
    .update(parts.map((p) => String(p).toLowerCase()).join('|'))
    .digest('hex')
    .slice(0, 12);
  return Number.parseInt(hex, 16) % HASH_SPACE;
}

/** Index of a token transfer without a log index (Etherscan tokentx). */
export function derivedTokenIndex(
  tx: string,
  contract: string,
  from: string,
  to: string,
  value: bigint,
  occurrence: number,
): number {
  return TOKEN_DERIVED_BASE + stableHash([tx, contract, from, to, value, occurrence]);
}

/** Index of an internal call without a usable traceId / index. */
export function fallbackInternalIndex(
  tx: string,
  type: string,
  from: string,
  to: string,
  value: bigint,
  occurrence: number,
): number {
  return INTERNAL_FALLBACK_BASE + stableHash([tx, type, from, to, value, occurrence]);
}

/** Counts identical keys in order: the n-th time a key is seen gives n (1-based). */
export class Occurrences {
  private readonly seen = new Map<string, number>();
  next(key: string): number {
    const n = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, n);
    return n;
  }
}
