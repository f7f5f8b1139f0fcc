// The address codecs (src/core/base58check.ts) against bitcoinjs-lib, whose three functions they
// replace: the same result or the same error for valid addresses of every kind and for thousands
// of corrupted ones (a character swapped, dropped, doubled, the case flipped).
import { address as btc } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { fromBase58Check, fromBech32, toBase58Check } from '../../src/core/base58check.js';

const VALID = [
  '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
  '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
  'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn',
  '2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc',
  'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
  'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3',
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
  'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
  'bc1sw50qgdz25j',
  'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs',
  'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
  'bcrt1qs758ursh4q9z627kt3pp5yysm78ddny6txaqgw',
  // Wrong checksum variant for the witness version (BIP-350 test vectors).
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh',
];

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** Deterministic corruptions of an address: every position swapped, dropped or doubled, case flipped. */
function corruptions(a: string): string[] {
  const alphabet = /^(bc|tb|bcrt)1/.test(a) ? BECH32 : BASE58;
  const out = [a.toUpperCase(), a.toLowerCase()];
  for (let i = 0; i < a.length; i++) {
    const c = alphabet[(alphabet.indexOf(a[i]!) + 7) % alphabet.length]!;
    out.push(
      a.slice(0, i) + c + a.slice(i + 1),
      a.slice(0, i) + a.slice(i + 1),
      a.slice(0, i) + a[i] + a.slice(i),
    );
  }
  return out;
}

function outcome(f: () => unknown): unknown {
  try {
    const r = f() as Record<string, unknown>;
    return {
      ok: {
        ...r,
        ...('hash' in r ? { hash: [...(r.hash as Uint8Array)] } : {}),
        ...('data' in r ? { data: [...(r.data as Uint8Array)] } : {}),
      },
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('address codecs equal bitcoinjs-lib 7', () => {
  const inputs = VALID.flatMap((a) => [a, ...corruptions(a)]);

  it(`fromBase58Check and fromBech32 give the same result or error (${inputs.length} inputs)`, () => {
    let agreed = 0;
    for (const a of inputs) {
      expect(
        outcome(() => fromBase58Check(a)),
        a,
      ).toEqual(outcome(() => btc.fromBase58Check(a)));
      expect(
        outcome(() => fromBech32(a)),
        a,
      ).toEqual(outcome(() => btc.fromBech32(a)));
      agreed++;
    }
    expect(agreed).toBeGreaterThan(1000);
  });

  it('the valid ones decode (so the comparison is not only of errors)', () => {
    expect(fromBase58Check('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa').version).toBe(0);
    expect(fromBase58Check('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t').version).toBe(0x41);
    expect(fromBech32('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0')).toMatchObject({
      version: 1,
      prefix: 'bc',
    });
    expect(() => fromBech32('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh')).toThrow(/wrong encoding/);
  });

  it('toBase58Check encodes as bitcoinjs does and refuses what it refuses', () => {
    for (const a of VALID.filter((x) => !/^(bc|tb|bcrt)1/.test(x))) {
      const { version, hash } = btc.fromBase58Check(a);
      expect(toBase58Check(hash, version)).toBe(btc.toBase58Check(hash, version));
      expect(toBase58Check(hash, version)).toBe(a);
    }
    expect(() => toBase58Check(new Uint8Array(19), 0)).toThrow(/20-byte/);
    expect(() => btc.toBase58Check(new Uint8Array(19), 0)).toThrow();
    expect(() => toBase58Check(new Uint8Array(20), 256)).toThrow(/not a byte/);
    expect(() => btc.toBase58Check(new Uint8Array(20), 256)).toThrow();
  });
});
