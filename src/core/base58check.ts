// Bitcoin and TRON address codecs: base58check (1-byte version + 20-byte hash) and bech32/bech32m
// segwit addresses. The same packages and the same checks as bitcoinjs-lib 7's address.fromBase58Check,
// toBase58Check and fromBech32, without loading the rest of bitcoinjs (psbt, payments, valibot):
// that took ~100 ms of every trace's start-up, for three functions. Pure: no I/O.
import { bech32, bech32m } from 'bech32';
import bs58check from 'bs58check';

/** What address validation needs of a Bitcoin network (the values bitcoinjs' `networks` hold). */
export interface BtcNetwork {
  bech32: string;
  pubKeyHash: number;
  scriptHash: number;
}

export const BTC_NETWORKS = {
  bitcoin: { bech32: 'bc', pubKeyHash: 0x00, scriptHash: 0x05 },
  testnet: { bech32: 'tb', pubKeyHash: 0x6f, scriptHash: 0xc4 },
  regtest: { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4 },
} as const satisfies Record<string, BtcNetwork>;

/** Version byte and 20-byte hash of a base58check address; throws on a bad checksum or length. */
export function fromBase58Check(address: string): { version: number; hash: Uint8Array } {
  const payload = bs58check.decode(address);
  if (payload.length < 21) throw new TypeError(`${address} is too short`);
  if (payload.length > 21) throw new TypeError(`${address} is too long`);
  return { version: payload[0]!, hash: payload.slice(1) };
}

/** The base58check form of a 20-byte hash under a version byte. */
export function toBase58Check(hash: Uint8Array, version: number): string {
  if (hash.length !== 20) throw new TypeError(`expected a 20-byte hash, got ${hash.length} bytes`);
  if (!Number.isInteger(version) || version < 0 || version > 0xff) {
    throw new TypeError(`version ${version} is not a byte`);
  }
  const payload = new Uint8Array(21);
  payload[0] = version;
  payload.set(hash, 1);
  return bs58check.encode(payload);
}

/**
 * Witness version, human-readable prefix and program of a segwit address. Version 0 must use
 * bech32 and versions 1+ bech32m (BIP-350); the error then says "uses wrong encoding".
 */
export function fromBech32(address: string): { version: number; prefix: string; data: Uint8Array } {
  let result: { prefix: string; words: number[] } | undefined;
  let version: number;
  try {
    result = bech32.decode(address);
  } catch {
    // not bech32: try bech32m below
  }
  if (result) {
    version = result.words[0]!;
    if (version !== 0) throw new TypeError(`${address} uses wrong encoding`);
  } else {
    result = bech32m.decode(address);
    version = result.words[0]!;
    if (version === 0) throw new TypeError(`${address} uses wrong encoding`);
  }
  return { version, prefix: result.prefix, data: Uint8Array.from(bech32.fromWords(result.words.slice(1))) };
}
