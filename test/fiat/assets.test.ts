// Which price series values an asset: native coins by chain, tokens by contract only, a dataset's
// declared symbol said out loud, fakes and test coins unpriced.
import { describe, expect, it } from 'vitest';
import { findChain } from '../../src/core/chains.js';
import { PRICE_IDS, priceAssetFor } from '../../src/core/fiat/assets.js';

describe('priceAssetFor', () => {
  it('prices native coins by chain', () => {
    const day = '2024-05-04';
    expect(priceAssetFor({ chain: 'bitcoin', symbol: 'BTC', decimals: 8 }, day)).toEqual({
      priced: true,
      symbol: 'BTC',
      coingecko: 'bitcoin',
      via: 'native',
    });
    expect(priceAssetFor({ chain: 'arbitrum', symbol: 'ETH', decimals: 18 }, day)).toMatchObject({
      symbol: 'ETH',
      coingecko: 'ethereum',
    });
    expect(priceAssetFor({ chain: 'bsc', symbol: 'BNB', decimals: 18 }, day)).toMatchObject({
      coingecko: 'binancecoin',
    });
  });

  it('prices Polygon’s gas coin as MATIC before the POL migration and POL from 2024-09-04', () => {
    const pol = { chain: 'polygon', symbol: 'POL', decimals: 18 };
    expect(priceAssetFor(pol, '2024-09-03')).toMatchObject({ symbol: 'MATIC', coingecko: 'matic-network' });
    expect(priceAssetFor(pol, '2024-09-04')).toMatchObject({
      symbol: 'POL',
      coingecko: 'polygon-ecosystem-token',
    });
  });

  it('gives test and development coins no price', () => {
    expect(priceAssetFor({ chain: 'anvil', symbol: 'ETH', decimals: 18 }, '2024-01-01')).toEqual({
      priced: false,
      reason: 'ETH on anvil is a test or development coin with no market price',
    });
    expect(
      priceAssetFor({ chain: 'bitcoin-testnet', symbol: 'tBTC', decimals: 8 }, '2024-01-01').priced,
    ).toBe(false);
    // The devnet's own USDT (two-chain scenario) is play money, by contract or by declaration.
    for (const chain of ['anvil', 'anvil-b']) {
      for (const declared of [false, true]) {
        const contract = findChain(chain)!.tokens!.USDT!.contract!;
        expect(
          priceAssetFor({ chain, symbol: 'USDT', decimals: 6, contract, declared }, '2024-01-01'),
        ).toEqual({
          priced: false,
          reason: `USDT on ${chain} is a test or development token with no market price`,
        });
      }
    }
    // …while the real USDT contract on ethereum still is priced.
    expect(
      priceAssetFor(
        {
          chain: 'ethereum',
          symbol: 'USDT',
          decimals: 6,
          contract: findChain('ethereum')!.tokens!.USDT!.contract!,
        },
        '2024-01-01',
      ).priced,
    ).toBe(true);
  });

  it('prices tokens by their contract, whatever symbol they report', () => {
    const real = { chain: 'ethereum', decimals: 6, contract: '0xdac17f958d2ee523a2206206994597c13d831ec7' };
    expect(priceAssetFor({ ...real, symbol: 'anything' }, '2024-01-01')).toMatchObject({
      symbol: 'USDT',
      coingecko: 'tether',
      via: 'contract',
    });
    expect(
      priceAssetFor(
        {
          chain: 'ethereum',
          symbol: 'USDC',
          decimals: 6,
          contract: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
        },
        '2023-03-11',
      ),
    ).toMatchObject({ symbol: 'USDC', coingecko: 'usd-coin' });
  });

  it('never prices a token claiming a known symbol from another contract', () => {
    const fake = {
      chain: 'ethereum',
      symbol: 'USDT',
      decimals: 6,
      contract: '0x6de1F25788A3c078378F4b8D2E3C776a9900cD58',
    };
    expect(priceAssetFor(fake, '2024-05-04')).toEqual({
      priced: false,
      reason:
        'token 0x6de1F25788A3c078378F4b8D2E3C776a9900cD58 on ethereum has no price id: only native coins and known token contracts are priced',
    });
  });

  it('prices a dataset’s declared symbol, saying that the pricing rests on the declaration', () => {
    const declared = {
      chain: 'ethereum',
      symbol: 'USDT',
      decimals: 6,
      contract: '0x61C656cf1EF280595E9cE1911E0a93fB436C67E8',
      declared: true,
    };
    expect(priceAssetFor(declared, '2024-05-04')).toEqual({
      priced: true,
      symbol: 'USDT',
      coingecko: 'tether',
      via: 'declared',
      note: 'priced as USDT because the dataset declares it so; its contract 0x61C656cf1EF280595E9cE1911E0a93fB436C67E8 is not the known USDT contract on ethereum (0xdAC17F958D2ee523a2206206994597C13D831ec7)',
    });
    expect(
      priceAssetFor({ chain: 'ethereum', symbol: 'USDT-FAKE', decimals: 6, declared: true }, '2024-05-04')
        .priced,
    ).toBe(false);
  });

  it('maps the price symbols of the issue to CoinGecko ids', () => {
    expect(PRICE_IDS).toMatchObject({
      BTC: 'bitcoin',
      ETH: 'ethereum',
      USDT: 'tether',
      USDC: 'usd-coin',
      TRX: 'tron',
      BNB: 'binancecoin',
      MATIC: 'matic-network',
    });
  });
});
