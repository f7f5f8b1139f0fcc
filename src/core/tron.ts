// TRON addresses. Pure: no I/O. A TRON address is 21 bytes, version byte 0x41 followed by the same
// 20-byte body an EVM address has; the canonical form is its base58check encoding (double-SHA256
// 4-byte checksum, 34 characters starting with "T"); FullNode and raw transactions show it in hex
// as "41" + 40 hex digits. The base58check codec of Bitcoin addresses handles exactly a 1-byte
// version + 20-byte payload, so no other hashing code is needed here.
import { fromBase58Check, toBase58Check } from './base58check.js';
import { toChecksumAddress } from './keccak.js';

export const TRON_VERSION = 0x41;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;
/** FullNode's hex form: 41 + the 20-byte body (any case, optional 0x never used by TRON tools). */
const TRON_HEX = /^41[0-9a-fA-F]{40}$/;

export type TronDecoded =
  | { ok: true; base58: string; body: Uint8Array }
  | { ok: false; reason: string; version?: number };

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** The base58check TRON address of a 20-byte body. */
export function tronFromBody(body: Uint8Array): string {
  if (body.length !== 20) throw new RangeError(`a TRON address body is 20 bytes, got ${body.length}`);
  return toBase58Check(body, TRON_VERSION);
}

/** Decode a TRON address given in base58check ("T…") or hex ("41…" + 40 hex digits). */
export function decodeTron(input: string): TronDecoded {
  if (TRON_HEX.test(input)) {
    const body = hexToBytes(input.slice(2));
    return { ok: true, base58: tronFromBody(body), body };
  }
  if (!BASE58.test(input)) {
    return { ok: false, reason: 'contains characters base58 does not use (0, O, I, l or others)' };
  }
  const lengthFault = `has ${input.length} characters (TRON addresses have 34, starting with T)`;
  if (input.length < 25 || input.length > 40) return { ok: false, reason: lengthFault };
  let dec: { version: number; hash: Uint8Array };
  try {
    dec = fromBase58Check(input);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (input.length !== 34) return { ok: false, reason: lengthFault };
    if (/checksum/i.test(msg)) return { ok: false, reason: 'fails its base58check checksum' };
    return { ok: false, reason: 'is not a valid base58check address (wrong length)' };
  }
  if (dec.version !== TRON_VERSION) {
    return {
      ok: false,
      version: dec.version,
      reason: `has version byte 0x${dec.version.toString(16).padStart(2, '0')} (TRON addresses use 0x41)`,
    };
  }
  return { ok: true, base58: input, body: dec.hash };
}

/** Is `input` a valid TRON address in either form? */
export const isTronAddress = (input: string): boolean => decodeTron(input).ok;

/** Shape only (for guessing a chain before validating): "T" + 33 base58 chars, or 41 + 40 hex. */
export const looksLikeTron = (input: string): boolean =>
  TRON_HEX.test(input) || (input.length === 34 && input[0] === 'T' && BASE58.test(input));

/** "41" + 40 lowercase hex digits (FullNode's form) of a valid TRON address; throws on an invalid one. */
export function tronHex(address: string): string {
  const d = decodeTron(address);
  if (!d.ok) throw new RangeError(`not a TRON address: ${d.reason}`);
  return `41${bytesToHex(d.body)}`;
}

/** The EIP-55 EVM address with the same 20-byte body as a valid TRON address. */
export function tronToEvm(address: string): string {
  const d = decodeTron(address);
  if (!d.ok) throw new RangeError(`not a TRON address: ${d.reason}`);
  return toChecksumAddress(bytesToHex(d.body));
}

/** The TRON address with the same 20-byte body as an EVM address (0x + 40 hex digits, any case). */
export function evmToTron(evm: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(evm)) throw new RangeError('not an EVM address');
  return tronFromBody(hexToBytes(evm.slice(2)));
}
