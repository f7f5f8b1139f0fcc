// Address handling, table-driven in the style of bitcoinjs-lib's fixtures: valid addresses of every
// type for mainnet and testnet (derived here with bitcoinjs payments from fixed hashes, plus the
// BIP-173/BIP-350 and EIP-55 test vectors), then invalid ones with the fault each must report.
import { address as btcAddress, networks, payments } from 'bitcoinjs-lib';
import { getAddress } from 'ethers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  canonicalAddress,
  canonicalTxid,
  chainFamily,
  guessChainFamily,
  isTxid,
  parseOutpoint,
  quoteValue,
  toChecksumAddress,
  tryCanonicalAddress,
} from '../../src/core/address.js';
import { FundtraceError } from '../../src/core/errors.js';
import { isChecksumFormBytes, useKeccak } from '../../src/core/keccak.js';
import { btcAddr, evmAddr } from '../fixtures/dataset/addresses.js';

const H20 = new Uint8Array(20).map((_, i) => i + 1);
const H32 = new Uint8Array(32).map((_, i) => 255 - i);

interface Valid {
  description: string;
  chain: string;
  address: string;
  canonical?: string;
  family: 'bitcoin' | 'bitcoin-testnet' | 'evm';
}

const derived: Valid[] = [];
for (const [chain, network, family] of [
  ['bitcoin', networks.bitcoin, 'bitcoin'],
  ['bitcoin-testnet', networks.testnet, 'bitcoin-testnet'],
] as const) {
  derived.push(
    { description: 'P2PKH', chain, family, address: payments.p2pkh({ hash: H20, network }).address! },
    { description: 'P2SH', chain, family, address: payments.p2sh({ hash: H20, network }).address! },
    { description: 'P2WPKH', chain, family, address: payments.p2wpkh({ hash: H20, network }).address! },
    { description: 'P2WSH', chain, family, address: payments.p2wsh({ hash: H32, network }).address! },
    { description: 'P2TR', chain, family, address: btcAddress.toBech32(H32, 1, network.bech32) },
  );
  for (const kind of ['p2pkh', 'p2sh', 'p2wpkh', 'p2wsh', 'p2tr'] as const) {
    const a = btcAddr('vector', kind, chain === 'bitcoin-testnet');
    derived.push({ description: `${kind} from a seed`, chain, family, address: a });
  }
}

const vectors: Valid[] = [
  // BIP-350 "valid segwit addresses" (supersedes BIP-173 for v1+)
  {
    description: 'BIP-350 v0 P2WPKH, uppercase',
    chain: 'bitcoin',
    family: 'bitcoin',
    address: 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
    canonical: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
  },
  {
    description: 'BIP-350 v0 P2WSH testnet',
    chain: 'bitcoin-testnet',
    family: 'bitcoin-testnet',
    address: 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
  },
  {
    description: 'BIP-350 v1 40-byte program',
    chain: 'bitcoin',
    family: 'bitcoin',
    address: 'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
  },
  {
    description: 'BIP-350 v16 2-byte program, uppercase',
    chain: 'bitcoin',
    family: 'bitcoin',
    address: 'BC1SW50QGDZ25J',
    canonical: 'bc1sw50qgdz25j',
  },
  {
    description: 'BIP-350 v2',
    chain: 'bitcoin',
    family: 'bitcoin',
    address: 'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs',
  },
  {
    description: 'BIP-350 v0 testnet, leading zeros',
    chain: 'bitcoin-testnet',
    family: 'bitcoin-testnet',
    address: 'tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy',
  },
  {
    description: 'BIP-350 v1 P2TR testnet',
    chain: 'bitcoin-testnet',
    family: 'bitcoin-testnet',
    address: 'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
  },
  {
    description: 'BIP-350 v1 P2TR (generator point)',
    chain: 'bitcoin',
    family: 'bitcoin',
    address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
  },
  // base58check, well known
  {
    description: 'genesis coinbase P2PKH',
    chain: 'bitcoin',
    family: 'bitcoin',
    address: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
  },
  {
    description: 'P2PKH',
    chain: 'bitcoin',
    family: 'bitcoin',
    address: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
  },
  { description: 'P2SH', chain: 'bitcoin', family: 'bitcoin', address: '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy' },
  {
    description: 'zero hash P2PKH',
    chain: 'bitcoin',
    family: 'bitcoin',
    address: '1111111111111111111114oLvT2',
  },
  {
    description: 'testnet P2PKH',
    chain: 'bitcoin-testnet',
    family: 'bitcoin-testnet',
    address: 'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn',
  },
  {
    description: 'testnet P2SH',
    chain: 'bitcoin-testnet',
    family: 'bitcoin-testnet',
    address: '2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc',
  },
  {
    description: 'alias: btc',
    chain: 'btc',
    family: 'bitcoin',
    address: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
  },
  // EIP-55 test vectors
  ...[
    '0x52908400098527886E0F7030069857D2E4169EE7',
    '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
    '0xde709f2102306220921060314715629080e2fb77',
    '0x27b1fdb04752bbc536007a920d24acb045561c26',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ].map((address) => ({ description: 'EIP-55 vector', chain: 'ethereum', family: 'evm' as const, address })),
  {
    description: 'EVM all lowercase → EIP-55',
    chain: 'ethereum',
    family: 'evm',
    address: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
    canonical: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  },
  {
    description: 'EVM all uppercase → EIP-55',
    chain: 'ethereum',
    family: 'evm',
    address: '0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED',
    canonical: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  },
  {
    description: 'EVM on another EVM chain (by chain id)',
    chain: '137',
    family: 'evm',
    address: '0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359',
    canonical: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  },
  { description: 'EVM from a seed', chain: 'arbitrum', family: 'evm', address: evmAddr('vector') },
];

describe('canonicalAddress: valid', () => {
  it.each([...derived, ...vectors].map((v) => [v.description, v] as const))('%s', (_d, v) => {
    const canonical = v.canonical ?? v.address;
    expect(canonicalAddress(v.chain, v.address)).toBe(canonical);
    expect(canonicalAddress(v.chain, canonical)).toBe(canonical); // idempotent
    expect(guessChainFamily(v.address)).toBe(v.family);
    if (v.family === 'evm') expect(canonical).toBe(getAddress(canonical));
  });

  it('agrees with bitcoinjs toOutputScript for v0 and base58 addresses', () => {
    for (const v of [...derived, ...vectors]) {
      if (v.family === 'evm' || (/^(bc|tb)1[p-z]/i.test(v.address) && !/^(bc|tb)1q/i.test(v.address)))
        continue;
      const network = v.family === 'bitcoin' ? networks.bitcoin : networks.testnet;
      const canonical = canonicalAddress(v.chain, v.address);
      expect(btcAddress.fromOutputScript(btcAddress.toOutputScript(canonical, network), network)).toBe(
        canonical,
      );
    }
  });
});

interface Invalid {
  description: string;
  chain: string;
  address: string;
  exception: RegExp;
}

const BELONGS = (owner: string, chain: string) =>
  new RegExp(`belongs to another chain \\(${owner.replace(/[()]/g, '\\$&')}\\), not ${chain}$`);

const invalid: Invalid[] = [
  // BIP-350 "invalid segwit addresses"
  {
    description: 'invalid human-readable part',
    chain: 'bitcoin',
    address: 'tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut',
    exception: /is not a valid bitcoin address$/,
  },
  {
    description: 'v1 with a bech32 (not bech32m) checksum',
    chain: 'bitcoin',
    address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
    exception: /uses the wrong checksum variant for its witness version/,
  },
  {
    description: 'v2 with a bech32 checksum (testnet)',
    chain: 'bitcoin-testnet',
    address: 'tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf',
    exception: /wrong checksum variant/,
  },
  {
    description: 'v16 with a bech32 checksum',
    chain: 'bitcoin',
    address: 'BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL',
    exception: /wrong checksum variant/,
  },
  {
    description: 'v0 with a bech32m checksum',
    chain: 'bitcoin',
    address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh',
    exception: /wrong checksum variant/,
  },
  {
    description: 'v0 with a bech32m checksum (testnet)',
    chain: 'bitcoin-testnet',
    address: 'tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47',
    exception: /wrong checksum variant/,
  },
  {
    description: 'invalid character in checksum',
    chain: 'bitcoin',
    address: 'bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4',
    exception: /contains a character bech32 does not use/,
  },
  {
    description: 'invalid witness version',
    chain: 'bitcoin',
    address: 'BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R',
    exception: /has an invalid witness version 17$/,
  },
  {
    description: 'program of 1 byte',
    chain: 'bitcoin',
    address: 'bc1pw5dgrnzv',
    exception: /has a 1-byte witness program \(must be 2 to 40 bytes\)$/,
  },
  {
    description: 'program of 41 bytes',
    chain: 'bitcoin',
    address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav',
    exception: /has a 41-byte witness program/,
  },
  {
    description: 'v0 program of 16 bytes',
    chain: 'bitcoin',
    address: 'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P',
    exception: /has a 16-byte witness v0 program \(must be 20 or 32 bytes\)$/,
  },
  {
    description: 'mixed case',
    chain: 'bitcoin-testnet',
    address: 'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq',
    exception: /mixes upper and lower case/,
  },
  {
    description: 'more than 4 bits of zero padding',
    chain: 'bitcoin',
    address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf',
    exception: /invalid padding/,
  },
  {
    description: 'non-zero padding',
    chain: 'bitcoin-testnet',
    address: 'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j',
    exception: /invalid padding/,
  },
  { description: 'empty data section', chain: 'bitcoin', address: 'bc1gmk9yu', exception: /too short/ },
  // checksums
  {
    description: 'bech32 checksum',
    chain: 'bitcoin',
    address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5',
    exception: /^address "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5" fails its bech32 checksum$/,
  },
  {
    description: 'base58check checksum',
    chain: 'bitcoin',
    address: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3',
    exception: /^address "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3" fails its base58check checksum$/,
  },
  {
    description: 'base58check, too short',
    chain: 'bitcoin',
    address: '1BvBMSEYstWetqTFn5Au4m4GFg7',
    exception: /fails its base58check checksum|wrong length/,
  },
  {
    description: 'EIP-55 checksum (one letter flipped)',
    chain: 'ethereum',
    address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD',
    exception: /^address "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD" fails its EIP-55 checksum/,
  },
  {
    description: 'EIP-55 checksum, lowercase prefix body mixed',
    chain: 'polygon',
    address: '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6Fb',
    exception: /fails its EIP-55 checksum/,
  },
  // wrong network or chain
  {
    description: 'testnet bech32 on mainnet',
    chain: 'bitcoin',
    address: 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
    exception: BELONGS('bitcoin-testnet', 'bitcoin'),
  },
  {
    description: 'mainnet bech32 on testnet',
    chain: 'bitcoin-testnet',
    address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    exception: BELONGS('bitcoin', 'bitcoin-testnet'),
  },
  {
    description: 'mainnet P2PKH on testnet',
    chain: 'bitcoin-testnet',
    address: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
    exception: BELONGS('bitcoin', 'bitcoin-testnet'),
  },
  {
    description: 'testnet P2SH on mainnet',
    chain: 'bitcoin',
    address: '2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc',
    exception: BELONGS('bitcoin-testnet', 'bitcoin'),
  },
  {
    description: 'testnet P2TR on mainnet',
    chain: 'bitcoin',
    address: 'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
    exception: BELONGS('bitcoin-testnet', 'bitcoin'),
  },
  {
    description: 'regtest on mainnet',
    chain: 'bitcoin',
    address: btcAddress.toBech32(H20, 0, networks.regtest.bech32),
    exception: BELONGS('bitcoin regtest', 'bitcoin'),
  },
  {
    description: 'EVM address on Bitcoin',
    chain: 'bitcoin',
    address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    exception: BELONGS('an EVM chain', 'bitcoin'),
  },
  {
    description: 'Bitcoin address on an EVM chain',
    chain: 'ethereum',
    address: '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
    exception: BELONGS('bitcoin', 'ethereum'),
  },
  {
    description: 'testnet address on an EVM chain',
    chain: 'base',
    address: 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
    exception: BELONGS('bitcoin-testnet', 'base'),
  },
  // malformed
  {
    description: 'EVM, 39 hex digits',
    chain: 'ethereum',
    address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe',
    exception: /is not a valid ethereum address: expected 0x and 40 hex digits, got 39$/,
  },
  {
    description: 'EVM without 0x',
    chain: 'ethereum',
    address: '5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    exception: /is not a valid ethereum address/,
  },
  {
    description: 'EVM with 0X',
    chain: 'ethereum',
    address: '0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    exception: /must start with a lowercase "0x"$/,
  },
  {
    description: 'ICAP is not accepted',
    chain: 'ethereum',
    address: 'XE65GB6LDNXYOFTX0NSV3FUWKOWIXAMJK36',
    exception: /is not a valid ethereum address/,
  },
  {
    description: 'empty',
    chain: 'bitcoin',
    address: '',
    exception: /^address "" is not a valid bitcoin address$/,
  },
  {
    description: 'words',
    chain: 'bitcoin',
    address: 'hello world',
    exception: /is not a valid bitcoin address$/,
  },
  {
    description: 'surrounding whitespace is not trimmed',
    chain: 'bitcoin',
    address: ' 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
    exception: /is not a valid bitcoin address$/,
  },
];

describe('canonicalAddress: invalid', () => {
  it.each(invalid.map((v) => [v.description, v] as const))('%s', (_d, v) => {
    let err: unknown;
    try {
      canonicalAddress(v.chain, v.address);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FundtraceError);
    const fe = err as FundtraceError;
    expect(fe.code).toBe('USAGE');
    expect(fe.message).toMatch(v.exception);
    expect(fe.message.startsWith(`address ${quoteValue(v.address)} `)).toBe(true);
    expect(fe.message).not.toContain('\n');
    expect(tryCanonicalAddress(v.chain, v.address)).toBeUndefined();
  });

  it('an unknown chain is a USAGE error listing the known ones', () => {
    expect(() => canonicalAddress('dogecoin', 'D8xyz')).toThrow(
      /^unknown chain "dogecoin" \(known: .*bitcoin.*ethereum/,
    );
  });

  it('quotes hostile values safely', () => {
    expect(() => canonicalAddress('ethereum', '0x\u001b[31mred\u202e')).toThrow(
      'address "0x\\u001b[31mred\\u202e" is not a valid ethereum address (expected 0x and 40 hex digits)',
    );
  });
});

describe('guessChainFamily', () => {
  it.each([
    ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', 'evm'], // bad checksum: still EVM by form
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'bitcoin'], // bad checksum: by prefix
    ['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsy', 'bitcoin-testnet'],
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3', 'bitcoin'],
    ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfm', 'bitcoin-testnet'],
    [btcAddress.toBech32(H20, 0, 'bcrt'), undefined],
    ['hello', undefined],
    ['4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b', undefined],
    ['', undefined],
  ])('%s → %s', (input, family) => {
    expect(guessChainFamily(input)).toBe(family);
  });
});

describe('transaction ids and outpoints', () => {
  const btc = '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b';
  const eth = `0x${'ab'.repeat(32)}`;

  it('isTxid by chain kind', () => {
    expect(isTxid('bitcoin', btc)).toBe(true);
    expect(isTxid('bitcoin', btc.toUpperCase())).toBe(true);
    expect(isTxid('bitcoin', eth)).toBe(false);
    expect(isTxid('bitcoin', btc.slice(1))).toBe(false);
    expect(isTxid('ethereum', eth)).toBe(true);
    expect(isTxid('ethereum', btc)).toBe(false);
    expect(isTxid('nochain', btc)).toBe(false);
  });

  it('canonicalTxid lowercases or explains', () => {
    expect(canonicalTxid('bitcoin', btc.toUpperCase())).toBe(btc);
    expect(canonicalTxid('eth', `0x${'AB'.repeat(32)}`)).toBe(eth);
    expect(() => canonicalTxid('ethereum', btc)).toThrow(
      `transaction id "${btc}" is not a ethereum txid (0x and 64 hex digits)`,
    );
  });

  it('parseOutpoint', () => {
    expect(parseOutpoint(`${btc}:0`)).toEqual({ txid: btc, vout: 0 });
    expect(parseOutpoint(`${btc.toUpperCase()}:4294967295`)).toEqual({ txid: btc, vout: 4294967295 });
    expect(parseOutpoint(`${btc}:4294967296`)).toBeUndefined();
    expect(parseOutpoint(`${btc}:01`)).toBeUndefined();
    expect(parseOutpoint(`${btc}:-1`)).toBeUndefined();
    expect(parseOutpoint(`${btc}`)).toBeUndefined();
    expect(parseOutpoint(`${eth}:0`)).toBeUndefined();
  });

  it('chainFamily', () => {
    expect(chainFamily('bitcoin')).toBe('utxo');
    expect(chainFamily('testnet')).toBe('utxo');
    expect(chainFamily('ethereum')).toBe('account');
    expect(chainFamily('8453')).toBe('account');
    expect(() => chainFamily('dogecoin')).toThrow(FundtraceError);
  });
});

describe('the keccak permutation checksums are computed with', () => {
  afterAll(() => {
    vi.unstubAllGlobals();
    useKeccak('wasm');
  });
  it('is WebAssembly on this Node', () => {
    expect(useKeccak('wasm')).toBe('wasm');
  });
  it('is the JavaScript one where WebAssembly is missing, with the same checksums', () => {
    const lower = 'fb6916095ca1df60bb79ce92ce3ea74c37c5d359';
    const want = getAddress(`0x${lower}`);
    vi.stubGlobal('WebAssembly', undefined);
    expect(useKeccak('wasm')).toBe('js');
    expect(toChecksumAddress(lower)).toBe(want);
    vi.unstubAllGlobals();
    expect(useKeccak('wasm')).toBe('wasm');
    expect(toChecksumAddress(lower)).toBe(want);
  });
});

describe.each(['wasm', 'js'] as const)(
  'agreement with the reference libraries (random inputs, %s keccak)',
  (engine) => {
    beforeAll(() => {
      expect(useKeccak(engine)).toBe(engine);
    });
    afterAll(() => {
      useKeccak('wasm');
    });
    it('EIP-55 form equals ethers getAddress', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
          const lower = `0x${Buffer.from(bytes).toString('hex')}`;
          const want = getAddress(lower);
          expect(toChecksumAddress(lower.slice(2))).toBe(want);
          expect(canonicalAddress('ethereum', lower)).toBe(want);
          expect(canonicalAddress('ethereum', lower.toUpperCase().replace('0X', '0x'))).toBe(want);
        }),
        { numRuns: 2000 },
      );
    });

    it('by its bytes: anything but 0x and 40 hex digits is not in EIP-55 form', () => {
      const good = getAddress('0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359');
      expect(isChecksumFormBytes(Buffer.from(good, 'latin1'), 0)).toBe(true);
      // Bytes that a 0x20 bit would turn into digits or letters, a 0X prefix, a non-ASCII byte.
      for (const [at, byte] of [
        [0, 0x4f],
        [1, 0x58],
        [5, 0x11],
        [9, 0x47],
        [20, 0x40],
        [41, 0xc1],
        [30, 0x60],
      ] as const) {
        const bytes = Buffer.from(good, 'latin1');
        bytes[at] = byte;
        expect(isChecksumFormBytes(bytes, 0), `byte ${at} = ${byte}`).toBe(false);
      }
    });

    it('a mixed-case address is accepted exactly when ethers accepts it', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.nat(39), (bytes, flip) => {
          const good = getAddress(`0x${Buffer.from(bytes).toString('hex')}`);
          const chars = [...good];
          const c = chars[2 + flip]!;
          chars[2 + flip] = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
          const edited = chars.join('');
          let ethersOk = true;
          try {
            getAddress(edited);
          } catch {
            ethersOk = false;
          }
          expect(tryCanonicalAddress('ethereum', edited) !== undefined).toBe(ethersOk);
        }),
        { numRuns: 2000 },
      );
    });

    it('any case mix: accepted and canonicalised exactly as ethers does (the in-place check)', () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 20, maxLength: 20 }),
          fc.bigInt({ min: 0n, max: 2n ** 40n - 1n }),
          (bytes, mask) => {
            const hex = Buffer.from(bytes).toString('hex');
            const cased = `0x${[...hex].map((c, i) => ((mask >> BigInt(i)) & 1n ? c.toUpperCase() : c)).join('')}`;
            let want: string | undefined;
            try {
              want = getAddress(cased);
            } catch {
              want = undefined;
            }
            expect(tryCanonicalAddress('ethereum', cased)).toBe(want);
            // By its bytes (the parallel load), at an offset: in EIP-55 form exactly when ethers keeps it.
            expect(isChecksumFormBytes(Buffer.from(`"${cased}"`, 'latin1'), 1)).toBe(want === cased);
            // A checksummed input comes back as itself; the others as ethers' form.
            if (want !== undefined) expect(canonicalAddress('ethereum', want)).toBe(want);
          },
        ),
        { numRuns: 3000 },
      );
    });
  },
);

describe('agreement with the reference libraries (random inputs, Bitcoin)', () => {
  it('base58 and segwit v0 addresses are accepted exactly when toOutputScript accepts them', () => {
    const kinds = ['p2pkh', 'p2sh', 'p2wpkh', 'p2wsh'] as const;
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom(...kinds),
        fc.boolean(),
        fc.boolean(),
        fc.nat(60),
        (hash, kind, testnet, corrupt, at) => {
          const network = testnet ? networks.testnet : networks.bitcoin;
          const p =
            kind === 'p2pkh'
              ? payments.p2pkh({ hash: hash.slice(0, 20), network })
              : kind === 'p2sh'
                ? payments.p2sh({ hash: hash.slice(0, 20), network })
                : kind === 'p2wpkh'
                  ? payments.p2wpkh({ hash: hash.slice(0, 20), network })
                  : payments.p2wsh({ hash, network });
          let a = p.address!;
          if (corrupt) {
            const i = 4 + (at % (a.length - 4));
            const alphabet = kind.startsWith('p2w')
              ? 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
              : '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
            const next = alphabet[(alphabet.indexOf(a[i]!) + 1) % alphabet.length]!;
            a = a.slice(0, i) + next + a.slice(i + 1);
          }
          for (const [chain, net] of [
            ['bitcoin', networks.bitcoin],
            ['bitcoin-testnet', networks.testnet],
          ] as const) {
            let ref = true;
            try {
              btcAddress.toOutputScript(a, net);
            } catch {
              ref = false;
            }
            expect(tryCanonicalAddress(chain, a) !== undefined, `${a} on ${chain}`).toBe(ref);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
