// Where `fundtrace devnet` puts things: deterministic addresses, so a devnet replays the same
// chain every time (same contracts, same tx hashes). Pure constants; no node, no compiler. The
// rpc: source reads DEVNET_TOKENS so that `--asset USDF` on chain 31337 means the devnet's own
// token and never a look-alike.
//
// Every contract is deployed by DEPLOYER (an address derived from a fixed string, used through
// anvil's --auto-impersonate; nobody holds its key) at nonces 0..3 on a fresh anvil, so its
// address is CREATE(DEPLOYER, nonce). Actors are addresses derived the same way from their names.
//
// API:
//   devnetAddress(name)   EIP-55 address derived from "fundtrace devnet <name>"
//   DEPLOYER, CONTRACTS   {usdf, lookalike, forwarder, pool}: deployment addresses
//   DEVNET_TOKENS         symbol → AssetInfo of the devnet's well-known tokens (chain 31337)
//   DEVNET_CHAIN          'anvil' (chain id 31337 in src/core/chains.ts)
import { getAddress, getCreateAddress, keccak256, toUtf8Bytes } from 'ethers';
import type { AssetInfo } from '../core/model.js';

export const DEVNET_CHAIN = 'anvil';
export const DEVNET_CHAIN_ID = 31337;

export function devnetAddress(name: string): string {
  return getAddress(`0x${keccak256(toUtf8Bytes(`fundtrace devnet ${name}`)).slice(26)}`);
}

export const DEPLOYER = devnetAddress('deployer');

const created = (nonce: number) => getCreateAddress({ from: DEPLOYER, nonce });

/** Deployment order = nonce order on a fresh chain. */
export const CONTRACTS = {
  usdf: created(0),
  lookalike: created(1),
  forwarder: created(2),
  pool: created(3),
} as const;

export const USDF: AssetInfo = { symbol: 'USDF', decimals: 6, contract: CONTRACTS.usdf };

export const DEVNET_TOKENS: Readonly<Record<string, AssetInfo>> = Object.freeze({ USDF });
