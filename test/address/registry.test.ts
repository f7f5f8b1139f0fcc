import { describe, expect, it } from 'vitest';
import { toChecksumAddress } from '../../src/core/address.js';
import { findChain, knownChains } from '../../src/core/chains.js';

// The registry's token contracts are typed by hand; a wrong digit would silently make the
// real token "unknown" (or, worse, name a look-alike as the real one). Every EVM contract must
// be a correctly checksummed EIP-55 address, and the well-known ones are pinned to their issuers'.
describe('chain registry token contracts', () => {
  it('every EVM token contract is a valid EIP-55 checksum address', () => {
    let checked = 0;
    for (const name of knownChains()) {
      const chain = findChain(name);
      if (chain?.kind !== 'account') continue;
      for (const token of Object.values(chain.tokens ?? {})) {
        if (!token.contract?.startsWith('0x')) continue;
        expect(toChecksumAddress(token.contract.slice(2).toLowerCase()), `${name} ${token.symbol}`).toBe(
          token.contract,
        );
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('Base USDC is Circle’s native USDC contract', () => {
    expect(findChain('base')?.tokens?.USDC?.contract).toBe('0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913');
  });
});
