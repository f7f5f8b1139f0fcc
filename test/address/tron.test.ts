// TRON addresses, table-driven with the real addresses of ../shared/data/api-fixtures-tron/PROVENANCE.md
// (facts, not copied data): USDT's contract TR7NH… ↔ 41a614f8…, the account TM1zz…x9R (valid) and
// the blockatlas-edited TM1zz…x9D (checksum fails). An independent base58check encoder built on
// node:crypto's SHA-256 checks the module's encoding on random bodies.
import { createHash } from 'node:crypto';
import { getAddress } from 'ethers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalAddress,
  canonicalTxid,
  contractLookupKey,
  guessChainFamily,
  isTxid,
  tryCanonicalAddress,
} from '../../src/core/address.js';
import { findChain } from '../../src/core/chains.js';
import { FundtraceError } from '../../src/core/errors.js';
import { decodeTron, evmToTron, tronFromBody, tronHex, tronToEvm } from '../../src/core/tron.js';

const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const USDT_HEX = '41a614f803b6fd780986a42c78ec9c7f77e6ded13c';
const TM1ZZ = 'TM1zzNDZD2DPASbKcgdVoTYhfmYgtfwx9R';
const TM1ZZ_HEX = '4179309abcff2cf531070ca9222a1f72c4a5136874';
const TM1ZZ_BAD = 'TM1zzNDZD2DPASbKcgdVoTYhfmYgtfwx9D';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** Reference base58check: payload + first 4 bytes of sha256(sha256(payload)), big-endian base 58. */
function refBase58check(payload: Uint8Array): string {
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest();
  const full = Buffer.concat([Buffer.from(payload), sha(sha(payload)).subarray(0, 4)]);
  let n = BigInt(`0x${full.toString('hex')}`);
  let s = '';
  while (n > 0n) {
    s = ALPHABET[Number(n % 58n)] + s;
    n /= 58n;
  }
  for (const b of full) {
    if (b !== 0) break;
    s = `1${s}`;
  }
  return s;
}

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FundtraceError);
    expect((e as FundtraceError).code).toBe('USAGE');
    return (e as Error).message;
  }
  throw new Error('expected a USAGE error');
}

describe('TRON chain registry entry', () => {
  it('tron (alias trx) is an account chain with TRX 6 decimals and USDT-TRC20 at TR7NH…', () => {
    const c = findChain('trx');
    expect(c?.name).toBe('tron');
    expect(c?.kind).toBe('account');
    expect(c?.addressFormat).toBe('tron');
    expect(c?.native).toEqual({ symbol: 'TRX', decimals: 6 });
    expect(c?.tokens?.USDT).toEqual({ symbol: 'USDT', decimals: 6, contract: USDT });
    expect(c?.tokens?.USDC).toEqual({
      symbol: 'USDC',
      decimals: 6,
      contract: 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8',
    });
    expect(findChain('TRON')?.name).toBe('tron');
  });

  it('every registered TRON token contract is a valid canonical TRON address', () => {
    for (const t of Object.values(findChain('tron')?.tokens ?? {})) {
      expect(canonicalAddress('tron', t.contract!)).toBe(t.contract);
    }
  });
});

describe('TRON address codec', () => {
  it.each([
    [USDT, USDT_HEX],
    [TM1ZZ, TM1ZZ_HEX],
    ['T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb', `41${'00'.repeat(20)}`], // the all-zero body
  ])('%s ↔ %s', (base58, hex) => {
    expect(tronHex(base58)).toBe(hex);
    expect(decodeTron(hex)).toMatchObject({ ok: true, base58 });
    expect(decodeTron(hex.toUpperCase())).toMatchObject({ ok: true, base58 });
    expect(refBase58check(Buffer.from(hex, 'hex'))).toBe(base58);
  });

  it('the EVM form shares the 20-byte body', () => {
    expect(tronToEvm(USDT)).toBe(getAddress(USDT_HEX.replace(/^41/, '0x')));
    expect(evmToTron('0xa614f803b6fd780986a42c78ec9c7f77e6ded13c')).toBe(USDT);
  });

  it('encodes like an independent base58check on random bodies, and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (body) => {
        const a = tronFromBody(body);
        expect(a).toBe(refBase58check(Uint8Array.of(0x41, ...body)));
        expect(a).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
        expect(canonicalAddress('tron', a)).toBe(a);
        expect(tronHex(a)).toBe(`41${Buffer.from(body).toString('hex')}`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('canonicalAddress on tron', () => {
  it.each([
    [USDT, USDT],
    [TM1ZZ, TM1ZZ],
    [USDT_HEX, USDT],
    [USDT_HEX.toUpperCase(), USDT],
    [TM1ZZ_HEX, TM1ZZ],
  ])('%s → %s', (input, canonical) => {
    expect(canonicalAddress('tron', input)).toBe(canonical);
    expect(canonicalAddress('trx', input)).toBe(canonical);
  });

  it.each<[string, string, string]>([
    [TM1ZZ_BAD, 'tron', `address "${TM1ZZ_BAD}" fails its base58check checksum`],
    [
      `${TM1ZZ.slice(0, 33)}0`,
      'tron',
      `address "${TM1ZZ.slice(0, 33)}0" contains characters base58 does not use (0, O, I, l or others)`,
    ],
    [TM1ZZ.slice(0, 33), 'tron', `has 33 characters (TRON addresses have 34, starting with T)`],
    [
      '0xa614f803b6fd780986a42c78ec9c7f77e6ded13c',
      'tron',
      `is an EVM address (0x…), not a valid tron address; the same 20-byte body on tron is ${USDT}`,
    ],
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'tron', 'belongs to another chain (bitcoin), not tron'],
    [`41${'ab'.repeat(19)}`, 'tron', 'expected 41 and 40 hex digits, got 38'],
    ['hello', 'tron', 'is not a valid tron address (expected 34 base58 characters starting with T)'],
    // base58check-valid with a version byte no chain here uses
    [
      refBase58check(Uint8Array.of(0xa0, ...new Uint8Array(20).fill(7))),
      'tron',
      'has version byte 0xa0 (TRON addresses use 0x41)',
    ],
  ])('%s on %s is refused: %s', (input, chain, message) => {
    expect(usage(() => canonicalAddress(chain, input))).toContain(message);
    expect(tryCanonicalAddress(chain, input)).toBeUndefined();
  });
});

describe('TRON and EVM addresses mixed up', () => {
  it.each(['ethereum', 'bsc', 'polygon', 'anvil'])(
    'a T… address on %s names tron and shows the 0x form',
    (chain) => {
      const m = usage(() => canonicalAddress(chain, USDT));
      expect(m).toBe(
        `address "${USDT}" is a TRON address (tron), not a valid ${findChain(chain)!.name} address; the same 20-byte body on ${findChain(chain)!.name} is ${getAddress(USDT_HEX.replace(/^41/, '0x'))} (check which chain the funds are on; give --chain tron if it is TRON)`,
      );
    },
  );

  it('the hex 41… form on an EVM chain is named TRON too', () => {
    expect(usage(() => canonicalAddress('ethereum', TM1ZZ_HEX))).toContain(
      `is a TRON address (tron), not a valid ethereum address; the same 20-byte body on ethereum is ${getAddress(TM1ZZ_HEX.replace(/^41/, '0x'))}`,
    );
  });

  it('a T… address with a bad checksum on an EVM chain says both', () => {
    expect(usage(() => canonicalAddress('ethereum', TM1ZZ_BAD))).toBe(
      `address "${TM1ZZ_BAD}" looks like a TRON address but fails its base58check checksum; ethereum addresses are 0x and 40 hex digits`,
    );
  });

  it('a T… address on a Bitcoin chain names tron', () => {
    expect(usage(() => canonicalAddress('bitcoin', USDT))).toContain(
      'belongs to another chain (tron), not bitcoin',
    );
  });

  it('guessChainFamily recognises T… and 41… by form', () => {
    expect(guessChainFamily(USDT)).toBe('tron');
    expect(guessChainFamily(TM1ZZ_BAD)).toBe('tron');
    expect(guessChainFamily(USDT_HEX)).toBe('tron');
  });
});

describe('TRON transaction ids', () => {
  const txid = '5a9935a1'.padEnd(64, '0');
  it('are 64 hex digits without 0x, canonicalised to lowercase', () => {
    expect(isTxid('tron', txid)).toBe(true);
    expect(isTxid('tron', `0x${txid}`)).toBe(false);
    expect(canonicalTxid('tron', txid.toUpperCase())).toBe(txid);
    expect(usage(() => canonicalTxid('tron', `0x${txid}`))).toContain('is not a tron txid (64 hex digits)');
  });
});

describe('contractLookupKey', () => {
  it.each<[string, string, string | undefined]>([
    ['ethereum', '0xA614F803B6FD780986A42C78EC9C7F77E6DED13C', '0xa614f803b6fd780986a42c78ec9c7f77e6ded13c'],
    ['tron', USDT, USDT],
    ['tron', USDT_HEX, USDT], // the hex form is the same contract
    ['tron', USDT.toLowerCase(), undefined], // base58 is case-sensitive: another text, no valid address
    ['tron', '0xa614f803b6fd780986a42c78ec9c7f77e6ded13c', undefined],
    ['bitcoin', '0xa614f803b6fd780986a42c78ec9c7f77e6ded13c', undefined],
    [
      'not-registered',
      '0xAB00000000000000000000000000000000000000',
      '0xab00000000000000000000000000000000000000',
    ],
  ])('%s %s → %s', (chain, input, key) => {
    expect(contractLookupKey(chain, input)).toBe(key);
  });
});
