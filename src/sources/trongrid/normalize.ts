// TronGrid rows → core Transfers (the same records as dataset-v1 `transfers` on chain "tron").
//
//   TransferContract        TRX `amount` (sun) from owner to to_address, index 0, when the tx
//                           succeeded (contractRet "SUCCESS"); a failed tx moves nothing
//   TriggerSmartContract    `call_value` (TRX sent with a contract call) to the contract, index 0
//   every tx                the TRX burned for energy and bandwidth (ret[0].fee, or the receipt's
//                           `fee`) as kind "fee" from the owner (the signer pays), index 9·10¹⁵,
//                           failed txs included
//   TRC-20 Transfer events  kind "token", index 3·10¹⁵ + the event's position in the receipt's log
//                           list (so two transfers of one tx keep their order whichever list they
//                           were read from); an unconfirmed row with no receipt yet gets the
//                           hashed index 4·10¹⁵ + h of ../etherscan/indices.ts
//   TransferAssetContract   TRC-10: not traced (only its fee); the view warns
// Asset keys: TRX, the chain's well-known symbol for the real contract (USDT), else the base58
// contract (a look-alike "USDT" stays another asset). Heights = blockNumber, positions unknown
// (null: TronGrid does not give a tx's place in its block), times = block time, ISO-8601 UTC.
import type { ChainInfo } from '../../core/chains.js';
import type { AssetInfo, Transfer } from '../../core/model.js';
import { derivedTokenIndex, FEE_INDEX, NATIVE_INDEX, TOKEN_LOG_BASE } from '../etherscan/indices.js';
import { cleanSymbol, isoTime } from '../etherscan/normalize.js';
import type { TransferLog, Trc20Row } from './rows.js';

export interface TxFacts {
  tx: string;
  height: number | null;
  /** ms, or null when unknown */
  time: number | null;
  type: string;
  owner: string;
  to: string | null;
  amount: bigint;
  success: boolean;
  fee: bigint;
}

const timeOf = (ms: number | null): string | null => (ms === null ? null : isoTime(Math.floor(ms / 1000)));

export class TronNormalizer {
  readonly native: AssetInfo;
  private readonly wellKnown = new Map<string, string>();
  /** Asset key → info, for tokens learned from rows (keyed by base58 contract). */
  readonly learned = new Map<string, AssetInfo>();

  constructor(readonly chain: ChainInfo) {
    this.native = chain.native;
    for (const [symbol, info] of Object.entries(chain.tokens ?? {}))
      if (info.contract) this.wellKnown.set(info.contract, symbol);
  }

  tokenKey(contract: string): string {
    return this.wellKnown.get(contract) ?? contract;
  }

  isWellKnown(contract: string): boolean {
    return this.wellKnown.has(contract);
  }

  learn(r: Trc20Row): void {
    const key = this.tokenKey(r.contract);
    if (this.wellKnown.has(r.contract) || this.learned.has(key)) return;
    this.learned.set(key, { symbol: cleanSymbol(r.symbol) || key, decimals: r.decimals ?? 0, contract: key });
  }

  /** The TRX value and the fee of one transaction. */
  tx(f: TxFacts): Transfer[] {
    const out: Transfer[] = [];
    const base = { tx: f.tx, height: f.height, position: null, time: timeOf(f.time) };
    const moves = f.type === 'TransferContract' || f.type === 'TriggerSmartContract';
    if (moves && f.success && f.amount > 0n && f.to !== null && f.to !== '') {
      out.push({
        ...base,
        index: NATIVE_INDEX,
        from: f.owner,
        to: f.to,
        asset: this.native.symbol,
        value: f.amount,
        kind: 'native',
      });
    }
    if (f.fee > 0n) {
      out.push({
        ...base,
        index: FEE_INDEX,
        from: f.owner,
        to: null,
        asset: this.native.symbol,
        value: f.fee,
        kind: 'fee',
      });
    }
    return out;
  }

  /** A TRC-20 Transfer event from a receipt. */
  token(tx: string, height: number | null, timeMs: number | null, l: TransferLog): Transfer {
    return {
      tx,
      index: TOKEN_LOG_BASE + l.index,
      height,
      position: null,
      time: timeOf(timeMs),
      from: l.from,
      to: l.to,
      asset: this.tokenKey(l.contract),
      value: l.value,
      kind: 'token',
    };
  }

  /** An unconfirmed TRC-20 row with no receipt yet: a hashed index (occurrence = identical rows before it). */
  pendingToken(r: Trc20Row, occurrence: number): Transfer {
    return {
      tx: r.tx,
      index: derivedTokenIndex(r.tx, r.contract, r.from, r.to, r.value, occurrence),
      height: null,
      position: null,
      time: timeOf(r.time),
      from: r.from,
      to: r.to,
      asset: this.tokenKey(r.contract),
      value: r.value,
      kind: 'token',
    };
  }
}
