// Shared EVM helpers, part 3: asset keys. The native asset is keyed by its symbol ("ETH"); a
// well-known token (src/core/chains.ts `tokens` for the chain; on the devnet chain 31337 only the
// tokens `fundtrace devnet` deploys) by its registered symbol ("USDT"); every other token by its
// EIP-55 contract address. So a look-alike "USDT" is always another asset, whatever it calls
// itself, and `--asset USDT` can only mean the registered contract.
//
// API:
//   knownTokens(chain)                     symbol → AssetInfo of the chain's well-known tokens
//   knownTokenAt(chain, contract)          [key, info] when the contract is well known
//   tokenKey(chain, contract)              the asset key for a token contract
//   resolveAssetInput(chain, input, extra) `--asset` input → key: the native symbol, a well-known
//                                          symbol (any case), or a contract address (well-known →
//                                          its symbol; otherwise the contract, when `extra` knows it)
import { contractLookupKey } from '../../core/address.js';
import { findChain } from '../../core/chains.js';
import type { AssetInfo } from '../../core/model.js';

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function knownTokens(chain: string): Readonly<Record<string, AssetInfo>> {
  const info = findChain(chain);
  if (!info) return {};
  return info.tokens ?? {};
}

export function knownTokenAt(chain: string, contract: string): [string, AssetInfo] | undefined {
  const c = contractLookupKey(chain, contract);
  if (c === undefined) return undefined;
  for (const [key, info] of Object.entries(knownTokens(chain))) {
    if (info.contract !== undefined && contractLookupKey(chain, info.contract) === c) return [key, info];
  }
  return undefined;
}

/** `contract` must already be EIP-55. */
export function tokenKey(chain: string, contract: string): string {
  return knownTokenAt(chain, contract)?.[0] ?? contract;
}

export function resolveAssetInput(
  chain: string,
  input: string,
  isKnownContract: (eip55OrLower: string) => string | undefined,
): string | undefined {
  const info = findChain(chain);
  if (!info) return undefined;
  const s = input.trim();
  if (s.toUpperCase() === info.native.symbol.toUpperCase()) return info.native.symbol;
  if (EVM_ADDRESS.test(s)) return knownTokenAt(chain, s)?.[0] ?? isKnownContract(s);
  const tokens = knownTokens(chain);
  if (tokens[s]) return s;
  const matches = Object.keys(tokens).filter((k) => k.toUpperCase() === s.toUpperCase());
  return matches.length === 1 ? matches[0] : undefined;
}
