// Rows of the account module → core Transfers (dataset-v1 `transfers`).
//
//   txlist          native value of successful txs (failed ones — isError "1" or
//                   txreceipt_status "0" — move nothing), plus a kind "fee" record
//                   (gasUsed × gasPrice, to null) from the sender for every tx, failed or not.
//                   A contract creation (to "") pays the created contract (contractAddress).
//                   Genesis allocations (hash "GENESIS_…", from "GENESIS") become a native transfer
//                   from the zero address at height 0 (no fee): value that entered from nowhere,
//                   like a coinbase; the zero address is never fetched (see ./view.ts).
//   txlistinternal  value moved by contract calls: failed calls (isError "1"), delegatecall /
//                   staticcall / callcode frames (they move no value of their own), the top-level
//                   frame (traceId "0", which repeats the tx's own value) and zero values are
//                   skipped. A create frame (to "") pays contractAddress. Routescan's `traceId` is
//                   the flat trace index ("19", as Blockscout's `index`), not a path ("0_1"): it
//                   is indexed like Blockscout's, so both give the same key for the same call.
//   tokentx         ERC-20 Transfer events: asset = the chain's well-known symbol for the real
//                   contract (chains.ts: USDT, USDC, …), else the EIP-55 contract address, so a
//                   look-alike "USDT" stays another asset. Decimals from tokenDecimal. NFT rows
//                   (tokenID) are ignored. Zero-value rows are kept (address poisoning is evidence;
//                   the engine never follows them).
// Indices: ./indices.ts. Heights = blockNumber, positions = transactionIndex (internal rows by
// address have none: the position comes from the tx's other rows or a look-up, see ./view.ts),
// times = timeStamp as ISO-8601 UTC without milliseconds.
import { getAddress } from 'ethers';
import type { ChainInfo } from '../../core/chains.js';
import type { AssetInfo, Transfer } from '../../core/model.js';
import {
  blockscoutInternalIndex,
  derivedTokenIndex,
  FEE_INDEX,
  fallbackInternalIndex,
  NATIVE_INDEX,
  Occurrences,
  tokenLogIndex,
  traceIdIndex,
} from './indices.js';
import type { InternalRow, NormalRow, TokenRow } from './rows.js';

export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
const NO_VALUE_FRAMES = new Set(['delegatecall', 'staticcall', 'callcode']);
/** A Routescan `traceId`: the call's flat index in the trace, not a path. */
const FLAT_TRACE_ID = /^[1-9]\d{0,8}$/;

export const isoTime = (seconds: number): string =>
  new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Strip control / invisible formatting characters and bound the length of a remote token symbol. */
export function cleanSymbol(s: string): string {
  const t = s.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '').trim();
  return t.length > 32 ? t.slice(0, 32) : t;
}

export class Normalizer {
  readonly native: AssetInfo;
  private readonly checksums = new Map<string, string>();
  /** lower-case contract → well-known symbol (chains.ts). */
  private readonly wellKnown = new Map<string, string>();
  /** Asset key → info, for tokens learned from rows (keyed by EIP-55 contract). */
  readonly learned = new Map<string, AssetInfo>();

  constructor(readonly chain: ChainInfo) {
    this.native = chain.native;
    for (const [symbol, info] of Object.entries(chain.tokens ?? {})) {
      if (info.contract) this.wellKnown.set(info.contract.toLowerCase(), symbol);
    }
  }

  /** EIP-55 form of a lower-case address (memoised: checksumming costs a keccak). */
  checksum(lower: string): string {
    let c = this.checksums.get(lower);
    if (c === undefined) {
      c = getAddress(lower);
      this.checksums.set(lower, c);
    }
    return c;
  }

  /** Asset key for a token contract (lower-case or any case). */
  tokenKey(contract: string): string {
    const lower = contract.toLowerCase();
    return this.wellKnown.get(lower) ?? this.checksum(lower);
  }

  normal(r: NormalRow, position: number | null): Transfer[] {
    const out: Transfer[] = [];
    const time = isoTime(r.time);
    const base = { tx: r.hash, height: r.block, position, time };
    if (r.genesis) {
      if (r.value > 0n && r.to !== '') {
        out.push({
          ...base,
          index: NATIVE_INDEX,
          from: ZERO_ADDRESS,
          to: this.checksum(r.to),
          asset: this.native.symbol,
          value: r.value,
          kind: 'native',
        });
      }
      return out;
    }
    const from = this.checksum(r.from);
    const to = r.to !== '' ? r.to : r.contractAddress;
    if (!r.failed && r.value > 0n && to !== '') {
      out.push({
        ...base,
        index: NATIVE_INDEX,
        from,
        to: this.checksum(to),
        asset: this.native.symbol,
        value: r.value,
        kind: 'native',
      });
    }
    const fee = r.gasUsed * r.gasPrice;
    if (fee > 0n) {
      out.push({
        ...base,
        index: FEE_INDEX,
        from,
        to: null,
        asset: this.native.symbol,
        value: fee,
        kind: 'fee',
      });
    }
    return out;
  }

  /** One list of internal rows (occurrences are counted within the list, per tx). */
  internal(rows: readonly InternalRow[], positionOf: (tx: string) => number | null): Transfer[] {
    const out: Transfer[] = [];
    const occ = new Occurrences();
    for (const r of rows) {
      if (r.hash === '' || r.failed || r.value === 0n) continue;
      if (NO_VALUE_FRAMES.has(r.type) || NO_VALUE_FRAMES.has(r.callType)) continue;
      if (r.traceId === '0') continue;
      const to = r.to !== '' ? r.to : r.contractAddress;
      if (to === '' || r.from === '') continue;
      let index: number | undefined;
      if (r.traceId !== undefined) {
        // Routescan sends the flat trace index (Blockscout's `index`) in `traceId` ("19" where
        // Etherscan says "0_1"): a bare number other than "0" is never an Etherscan call path
        // (every path starts at the top-level frame "0"), so it gets Blockscout's index.
        index = FLAT_TRACE_ID.test(r.traceId)
          ? blockscoutInternalIndex(Number(r.traceId))
          : traceIdIndex(r.traceId);
      } else if (r.seq !== undefined) index = blockscoutInternalIndex(r.seq);
      if (index === undefined) {
        const key = `${r.hash}|${r.type}|${r.from}|${to}|${r.value}`;
        index = fallbackInternalIndex(r.hash, r.type, r.from, to, r.value, occ.next(key));
      }
      out.push({
        tx: r.hash,
        index,
        height: r.block,
        position: r.position ?? positionOf(r.hash),
        time: isoTime(r.time),
        from: this.checksum(r.from),
        to: this.checksum(to),
        asset: this.native.symbol,
        value: r.value,
        kind: 'internal',
      });
    }
    return out;
  }

  /** One list of tokentx rows; learns each token's decimals and symbol. */
  tokens(rows: readonly TokenRow[]): Transfer[] {
    const out: Transfer[] = [];
    const occ = new Occurrences();
    for (const r of rows) {
      if (r.nft) continue;
      const asset = this.tokenKey(r.contract);
      if (!this.wellKnown.has(r.contract) && !this.learned.has(asset)) {
        this.learned.set(asset, {
          symbol: cleanSymbol(r.symbol) || asset,
          decimals: r.decimals ?? 0,
          contract: asset,
        });
      }
      let index = r.logIndex !== undefined ? tokenLogIndex(r.logIndex) : undefined;
      if (index === undefined) {
        const key = `${r.hash}|${r.contract}|${r.from}|${r.to}|${r.value}`;
        index = derivedTokenIndex(r.hash, r.contract, r.from, r.to, r.value, occ.next(key));
      }
      out.push({
        tx: r.hash,
        index,
        height: r.block,
        position: r.position,
        time: isoTime(r.time),
        from: this.checksum(r.from),
        to: this.checksum(r.to),
        asset,
        value: r.value,
        kind: 'token',
      });
    }
    return out;
  }
}
