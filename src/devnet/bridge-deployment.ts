// Where the two-chain devnet (`fundtrace devnet --bridges`) puts things: chain A is `anvil`
// (chain id 31337), chain B is `anvil-b` (31338); each chain's contracts are deployed by its own
// deployer (an address derived from a fixed string, used through --auto-impersonate) at nonces
// 0, 1, …, so every address is known before the node starts and the same on every run. Pure
// constants; no node. src/core/chains.ts holds the two USDT addresses as literals (core may not
// import devnet); test/devnet/registry.test.ts checks that they agree.
//
// The bridge ids the devnet assigns (written to <dir>/registry.json, see ./bridges.ts):
// CCTP domains 90 (anvil) and 91 (anvil-b), unused by Circle; Across chain ids = the EVM chain ids.
//
// API:
//   CHAIN_A, CHAIN_B                      {name, chainId, cctpDomain}
//   BRIDGE_DEPLOYERS                       {a, b}
//   A, B                                   deployment addresses per chain (deployment order = nonce)
//   LOOKALIKE                              the spoofing look-alike transmitter on chain B (not registered)
//   BRIDGE_TOKENS_A, BRIDGE_TOKENS_B       symbol → AssetInfo of each chain's tokens
import { getCreateAddress } from 'ethers';
import type { AssetInfo } from '../core/model.js';
import { devnetAddress } from './deployment.js';

export const CHAIN_A = { name: 'anvil', chainId: 31337, cctpDomain: 90 } as const;
export const CHAIN_B = { name: 'anvil-b', chainId: 31338, cctpDomain: 91 } as const;

export const BRIDGE_DEPLOYERS = {
  a: devnetAddress('bridge deployer a'),
  b: devnetAddress('bridge deployer b'),
} as const;

const created = (from: string, nonce: number) => getCreateAddress({ from, nonce });

/** Chain A (anvil): the stolen token, the wrapper, the swap and the two bridges' source side. */
export const A = {
  usdt: created(BRIDGE_DEPLOYERS.a, 0),
  weth: created(BRIDGE_DEPLOYERS.a, 1),
  pair: created(BRIDGE_DEPLOYERS.a, 2),
  router: created(BRIDGE_DEPLOYERS.a, 3),
  transmitter: created(BRIDGE_DEPLOYERS.a, 4),
  messenger: created(BRIDGE_DEPLOYERS.a, 5),
  spokePool: created(BRIDGE_DEPLOYERS.a, 6),
} as const;

/** Chain B (anvil-b): its own USDT and the two bridges' destination side. */
export const B = {
  usdt: created(BRIDGE_DEPLOYERS.b, 0),
  transmitter: created(BRIDGE_DEPLOYERS.b, 1),
  messenger: created(BRIDGE_DEPLOYERS.b, 2),
  spokePool: created(BRIDGE_DEPLOYERS.b, 3),
} as const;

/** Who deploys the look-alike (nonce 0 on chain B): an unrelated account, not the bridge's deployer. */
export const SPOOFER = devnetAddress('bridges spoofer');
export const LOOKALIKE = created(SPOOFER, 0);

export const BRIDGE_TOKENS_A: Readonly<Record<string, AssetInfo>> = Object.freeze({
  USDT: { symbol: 'USDT', decimals: 6, contract: A.usdt },
  WETH: { symbol: 'WETH', decimals: 18, contract: A.weth },
});

export const BRIDGE_TOKENS_B: Readonly<Record<string, AssetInfo>> = Object.freeze({
  USDT: { symbol: 'USDT', decimals: 6, contract: B.usdt },
});
