import { describe, expect, it } from 'vitest';
import { findChain } from '../../src/core/chains.js';
import { BRIDGE_TOKENS_A, BRIDGE_TOKENS_B, CHAIN_A, CHAIN_B } from '../../src/devnet/bridge-deployment.js';
import { CONTRACTS, DEVNET_CHAIN, DEVNET_CHAIN_ID, USDF } from '../../src/devnet/deployment.js';
import { knownTokens } from '../../src/sources/evm/assets.js';

// The registry holds the devnet token as a literal (core may not import devnet); both must agree.
describe('devnet token in the chain registry', () => {
  it('the anvil entry names USDF at the devnet’s deployment address', () => {
    const chain = findChain(DEVNET_CHAIN);
    expect(chain?.chainId).toBe(DEVNET_CHAIN_ID);
    expect(chain?.tokens?.USDF).toEqual(USDF);
    expect(knownTokens(DEVNET_CHAIN).USDF?.contract).toBe(CONTRACTS.usdf);
  });

  it('the two-chain scenario’s chains name their tokens at the deployment addresses', () => {
    const a = findChain(CHAIN_A.name);
    const b = findChain(CHAIN_B.name);
    expect(a?.chainId).toBe(CHAIN_A.chainId);
    expect(b?.chainId).toBe(CHAIN_B.chainId);
    expect(b?.kind).toBe('account');
    expect(b?.native.symbol).toBe('ETH');
    expect(findChain('31338')?.name).toBe('anvil-b');
    expect(findChain('devnet-b')?.name).toBe('anvil-b');
    expect(a?.tokens?.USDT).toEqual(BRIDGE_TOKENS_A.USDT);
    expect(a?.tokens?.WETH).toEqual(BRIDGE_TOKENS_A.WETH);
    expect(b?.tokens).toEqual(BRIDGE_TOKENS_B);
    expect(knownTokens(CHAIN_B.name).USDT?.contract).toBe(BRIDGE_TOKENS_B.USDT!.contract);
  });
});
