// Address, transaction-id and outpoint handling for every supported chain. Pure: no I/O, no
// observable state (the keccak scratch buffer lives in ./keccak.ts). Every rejection is a FundtraceError('USAGE') whose one-line message names the
// value and says what is wrong with it, so the CLI and the dataset validator can show it as is.
//
// Canonical forms:
//   EVM      EIP-55 mixed-case checksum form (all-lowercase / all-uppercase input is accepted)
//   Bitcoin  base58check addresses exactly as given (they are case-sensitive); bech32/bech32m
//            addresses in lowercase (BIP-173 allows an all-uppercase form, never mixed case)
//   TRON     base58check "T…" (version 0x41); the hex form 41 + 40 hex digits is accepted
//
// TRON and EVM addresses share the same 20-byte body, and investigators mix them up: one given on
// the other chain is refused with a message naming the chain it belongs to and its form there.
import { BTC_NETWORKS, type BtcNetwork, fromBase58Check, fromBech32 } from './base58check.js';
import { type ChainInfo, findChain, knownChains } from './chains.js';
import { FundtraceError } from './errors.js';
import { checksummedEvm, toChecksumAddress } from './keccak.js';
import type { ChainKind } from './model.js';
import { decodeTron, evmToTron, looksLikeTron, tronToEvm } from './tron.js';

export type ChainFamily = 'bitcoin' | 'bitcoin-testnet' | 'evm' | 'tron';

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const EVM_LIKE = /^0[xX][0-9a-fA-F]*$/;
/** Bitcoin and TRON transaction ids: 64 hex digits, no prefix. */
const BTC_TXID = /^[0-9a-fA-F]{64}$/;
const EVM_TXHASH = /^0x[0-9a-fA-F]{64}$/;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;
/** Lowercased input that starts with a Bitcoin bech32 prefix (mainnet, testnet/signet, regtest). */
const BECH32_BTC = /^(bc|tb|bcrt)1/;

type NetName = 'bitcoin' | 'testnet' | 'regtest';
const NETWORKS: Record<NetName, BtcNetwork> = BTC_NETWORKS;
const NET_ORDER: NetName[] = ['bitcoin', 'testnet', 'regtest'];

/** Quote a user-supplied value for a one-line message: JSON-escaped, control/format chars escaped, cut. */
export function quoteValue(value: string, max = 90): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut).replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const bad = (input: string, what: string) =>
  new FundtraceError('USAGE', `address ${quoteValue(input)} ${what}`);

/** The registered chain for a name/alias/chain id, or a USAGE error listing the known chains. */
export function requireChain(chain: string): ChainInfo {
  const info = findChain(chain);
  if (!info) {
    throw new FundtraceError(
      'USAGE',
      `unknown chain ${quoteValue(chain)} (known: ${knownChains().join(', ')})`,
    );
  }
  return info;
}

/** 'utxo' for Bitcoin-like chains, 'account' for EVM chains. Throws USAGE for an unknown chain. */
export function chainFamily(chain: string): ChainKind {
  return requireChain(chain).kind;
}

/** Name of the registered chain that uses a Bitcoin network (for "belongs to X" messages). */
function chainNameForNetwork(net: NetName): string {
  for (const name of knownChains()) {
    const c = findChain(name);
    if (c?.kind === 'utxo' && c.network === net) return c.name;
  }
  return net === 'bitcoin' ? 'bitcoin' : `bitcoin ${net}`;
}

function networkOf(info: ChainInfo): NetName {
  return info.network ?? 'bitcoin';
}

/**
 * The canonical form of `input` as an address on `chain` (a chain name, alias or chain id).
 * Throws FundtraceError('USAGE') with a one-line message naming the value and the fault.
 */
export function canonicalAddress(chain: string, input: string): string {
  const info = requireChain(chain);
  if (info.kind === 'account') {
    return info.addressFormat === 'tron' ? canonicalTron(info, input) : canonicalEvm(info, input);
  }
  return canonicalBitcoin(info, networkOf(info), input);
}

/**
 * The lookup key of a token contract given on an account chain, or undefined when `input` is not
 * a contract address of the chain's form: lowercase hex on EVM chains (any case is the same
 * contract), the canonical base58 on TRON (base58 is case-sensitive; the 41… hex form maps to it).
 */
export function contractLookupKey(chain: string, input: string): string | undefined {
  const info = findChain(chain);
  // A chain outside the active registry (a config chain read elsewhere) keeps the EVM rule.
  if (info === undefined) return EVM_ADDRESS.test(input) ? input.toLowerCase() : undefined;
  if (info.kind !== 'account') return undefined;
  if (info.addressFormat === 'tron') {
    const d = looksLikeTron(input) ? decodeTron(input) : undefined;
    return d?.ok ? d.base58 : undefined;
  }
  return EVM_ADDRESS.test(input) ? input.toLowerCase() : undefined;
}

/** Is `chain` (a registered name, alias or id) a chain with TRON-form addresses? */
export function isTronChain(chain: string): boolean {
  return findChain(chain)?.addressFormat === 'tron';
}

/** Name of the registered chain with TRON addresses (for "belongs to X" messages). */
function tronChainName(): string {
  for (const name of knownChains()) if (findChain(name)?.addressFormat === 'tron') return name;
  return 'tron';
}

function canonicalTron(info: ChainInfo, input: string): string {
  const dec = decodeTron(input);
  if (dec.ok) return dec.base58;
  if (EVM_ADDRESS.test(input)) {
    throw bad(
      input,
      `is an EVM address (0x…), not a valid ${info.name} address; the same 20-byte body on ${info.name} is ${evmToTron(input)} (check which chain the funds are on; give --chain ethereum or another EVM chain if it is one)`,
    );
  }
  const net = bitcoinNetworkOf(input);
  if (net) return throwWrongChain(input, chainNameForNetwork(net), info.name);
  if (input[0] === 'T' || dec.version !== undefined) throw bad(input, dec.reason);
  if (/^41[0-9a-fA-F]*$/.test(input)) {
    throw bad(
      input,
      `is not a valid ${info.name} address: expected 41 and 40 hex digits, got ${input.length - 2}`,
    );
  }
  if (EVM_LIKE.test(input)) {
    throw bad(input, `is not a valid ${info.name} address (expected T… base58, or 41 and 40 hex digits)`);
  }
  throw bad(input, `is not a valid ${info.name} address (expected 34 base58 characters starting with T)`);
}

/** A valid TRON address given on an EVM chain: name TRON and show the EVM form of the same body. */
function throwTronOnEvm(input: string, wanted: string): never {
  const tron = tronChainName();
  throw bad(
    input,
    `is a TRON address (${tron}), not a valid ${wanted} address; the same 20-byte body on ${wanted} is ${tronToEvm(input)} (check which chain the funds are on; give --chain ${tron} if it is TRON)`,
  );
}

/** Like canonicalAddress, but returns undefined instead of throwing. */
export function tryCanonicalAddress(chain: string, input: string): string | undefined {
  try {
    return canonicalAddress(chain, input);
  } catch {
    return undefined;
  }
}

function canonicalEvm(info: ChainInfo, input: string): string {
  if (EVM_ADDRESS.test(input)) {
    const checksummed = checksummedEvm(input);
    if (checksummed === undefined) {
      throw bad(
        input,
        'fails its EIP-55 checksum (check for a mistyped character, or give it in all lowercase)',
      );
    }
    return checksummed;
  }
  if (looksLikeTron(input)) {
    const dec = decodeTron(input);
    if (dec.ok) return throwTronOnEvm(input, info.name);
    if (input[0] === 'T') {
      throw bad(
        input,
        `looks like a TRON address but ${dec.reason}; ${info.name} addresses are 0x and 40 hex digits`,
      );
    }
  }
  const net = bitcoinNetworkOf(input);
  if (net) return throwWrongChain(input, chainNameForNetwork(net), info.name);
  if (/^0X[0-9a-fA-F]{40}$/.test(input)) throw bad(input, 'must start with a lowercase "0x"');
  if (EVM_LIKE.test(input)) {
    const digits = input.length - 2;
    throw bad(input, `is not a valid ${info.name} address: expected 0x and 40 hex digits, got ${digits}`);
  }
  throw bad(input, `is not a valid ${info.name} address (expected 0x and 40 hex digits)`);
}

function throwWrongChain(input: string, owner: string, wanted: string): never {
  throw bad(input, `belongs to another chain (${owner}), not ${wanted}`);
}

/** Which Bitcoin network a syntactically valid Bitcoin address belongs to, if any. */
function bitcoinNetworkOf(input: string): NetName | undefined {
  for (const net of NET_ORDER) {
    if (decodeBitcoin(input, NETWORKS[net]).ok) return net;
  }
  return undefined;
}

type Decoded = { ok: true; canonical: string } | { ok: false; reason: string; otherNet?: NetName };

/** Validate a Bitcoin address for one network. Witness v1+ programs are checked here (BIP-350 rules),
 *  as bitcoinjs' toOutputScript would, without an ECC library or its future-segwit console warning. */
function decodeBitcoin(input: string, network: BtcNetwork): Decoded {
  const lower = input.toLowerCase();
  if (BECH32_BTC.test(lower)) {
    if (input !== lower && input !== input.toUpperCase()) {
      return { ok: false, reason: 'mixes upper and lower case (bech32 addresses are all one case)' };
    }
    const data = lower.slice(lower.lastIndexOf('1') + 1);
    if (/[^qpzry9x8gf2tvdw0s3jn54khce6mua7l]/.test(data)) {
      return {
        ok: false,
        reason: 'contains a character bech32 does not use (1, b, i or o after the prefix)',
      };
    }
    if (data.length < 8) return { ok: false, reason: 'is too short to hold a witness program' };
    let dec: { version: number; prefix: string; data: Uint8Array };
    try {
      dec = fromBech32(lower);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/wrong encoding/i.test(msg)) {
        return {
          ok: false,
          reason: 'uses the wrong checksum variant for its witness version (v0 needs bech32, v1+ bech32m)',
        };
      }
      if (/checksum/i.test(msg)) return { ok: false, reason: 'fails its bech32 checksum' };
      if (/padding/i.test(msg)) return { ok: false, reason: 'has invalid padding in its witness program' };
      return { ok: false, reason: 'is not a valid bech32 address' };
    }
    if (dec.prefix !== network.bech32) {
      const other = NET_ORDER.find((n) => NETWORKS[n].bech32 === dec.prefix);
      return other
        ? { ok: false, reason: 'wrong network', otherNet: other }
        : { ok: false, reason: `has an unknown prefix "${dec.prefix}"` };
    }
    const len = dec.data.length;
    if (dec.version === 0) {
      if (len !== 20 && len !== 32) {
        return { ok: false, reason: `has a ${len}-byte witness v0 program (must be 20 or 32 bytes)` };
      }
      // P2WPKH / P2WSH: exactly the checks address.toOutputScript makes (prefix, v0, 20 or 32
      // bytes), without building a payment object (costly over a dataset's many addresses).
      return { ok: true, canonical: lower };
    }
    if (dec.version > 16) return { ok: false, reason: `has an invalid witness version ${dec.version}` };
    if (len < 2 || len > 40) {
      return { ok: false, reason: `has a ${len}-byte witness program (must be 2 to 40 bytes)` };
    }
    // v1 with 32 bytes is P2TR; other v1+ programs are valid (future) segwit addresses.
    return { ok: true, canonical: lower };
  }
  if (BASE58.test(input) && input.length >= 25 && input.length <= 40) {
    let dec: { version: number; hash: Uint8Array };
    try {
      dec = fromBase58Check(input);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/checksum/i.test(msg)) return { ok: false, reason: 'fails its base58check checksum' };
      return { ok: false, reason: 'is not a valid base58check address (wrong length)' };
    }
    if (dec.version === network.pubKeyHash || dec.version === network.scriptHash) {
      // P2PKH / P2SH: the version byte is what address.toOutputScript checks after the same decode.
      return { ok: true, canonical: input };
    }
    const other = NET_ORDER.find(
      (n) => NETWORKS[n].pubKeyHash === dec.version || NETWORKS[n].scriptHash === dec.version,
    );
    return other
      ? { ok: false, reason: 'wrong network', otherNet: other }
      : { ok: false, reason: `has an unknown version byte 0x${dec.version.toString(16).padStart(2, '0')}` };
  }
  return { ok: false, reason: 'is not a Bitcoin address' };
}

function canonicalBitcoin(info: ChainInfo, net: NetName, input: string): string {
  if (EVM_ADDRESS.test(input)) return throwWrongChain(input, 'an EVM chain', info.name);
  // TRON's version byte 0x41 is no Bitcoin network's, so a valid T… address is never a Bitcoin one.
  if (looksLikeTron(input) && decodeTron(input).ok) return throwWrongChain(input, tronChainName(), info.name);
  const res = decodeBitcoin(input, NETWORKS[net]);
  if (res.ok) return res.canonical;
  if (res.otherNet) {
    // testnet and regtest share base58 version bytes; only bech32 prefixes tell them apart.
    return throwWrongChain(input, chainNameForNetwork(res.otherNet), info.name);
  }
  if (res.reason === 'is not a Bitcoin address') throw bad(input, `is not a valid ${info.name} address`);
  throw bad(input, res.reason);
}

/**
 * Guess the chain family from the form of an address (for inferring --chain). Returns the family
 * of a valid address, or by prefix/shape for a malformed one (so the caller can then report the
 * precise fault through canonicalAddress); undefined when it looks like no known address.
 */
export function guessChainFamily(input: string): ChainFamily | undefined {
  if (EVM_ADDRESS.test(input)) return 'evm';
  if (looksLikeTron(input)) return 'tron';
  const net = bitcoinNetworkOf(input);
  if (net === 'bitcoin') return 'bitcoin';
  if (net === 'testnet') return 'bitcoin-testnet';
  if (net === 'regtest') return undefined;
  const lower = input.toLowerCase();
  if (lower.startsWith('bc1')) return 'bitcoin';
  if (lower.startsWith('tb1')) return 'bitcoin-testnet';
  if (BASE58.test(input) && input.length >= 25 && input.length <= 35) {
    const c = input[0];
    if (c === '1' || c === '3') return 'bitcoin';
    if (c === 'm' || c === 'n' || c === '2') return 'bitcoin-testnet';
  }
  if (EVM_LIKE.test(input) && input.length > 30 && input.length < 50) return 'evm';
  return undefined;
}

/** Is `s` a transaction id of the chain's form (Bitcoin, TRON: 64 hex; EVM: 0x + 64 hex; any case)? */
export function isTxid(chain: string, s: string): boolean {
  const info = findChain(chain);
  if (!info) return false;
  return info.kind === 'utxo' || info.addressFormat === 'tron' ? BTC_TXID.test(s) : EVM_TXHASH.test(s);
}

/** The canonical (lowercase) form of a transaction id, or a USAGE error. */
export function canonicalTxid(chain: string, s: string): string {
  const info = requireChain(chain);
  if (!isTxid(info.name, s)) {
    const want =
      info.kind === 'utxo' || info.addressFormat === 'tron' ? '64 hex digits' : '0x and 64 hex digits';
    throw new FundtraceError('USAGE', `transaction id ${quoteValue(s)} is not a ${info.name} txid (${want})`);
  }
  return s.toLowerCase();
}

export interface Outpoint {
  txid: string;
  vout: number;
}

/** Parse a Bitcoin outpoint `txid:vout`; undefined when `s` does not have that form. */
export function parseOutpoint(s: string): Outpoint | undefined {
  const m = /^([0-9a-fA-F]{64}):(0|[1-9][0-9]{0,9})$/.exec(s);
  if (!m) return undefined;
  const vout = Number(m[2]);
  if (vout > 0xffffffff) return undefined;
  return { txid: m[1]!.toLowerCase(), vout };
}

export { toChecksumAddress };
