import { describe, expect, it } from 'vitest';
import { findChain } from '../../src/core/chains.js';
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
});
