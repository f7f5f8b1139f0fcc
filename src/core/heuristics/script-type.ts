// Script type of a Bitcoin output, derived from its address form alone (datasets carry addresses,
// not scripts): base58 version byte (P2PKH 0x00/0x6f, P2SH 0x05/0xc4) or bech32/bech32m witness
// version and program length (v0 20 bytes P2WPKH, v0 32 bytes P2WSH, v1 32 bytes P2TR).
// Network-agnostic: mainnet, testnet/signet and regtest forms map to the same types.
import { fromBase58Check, fromBech32 } from '../base58check.js';

export type ScriptType = 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr' | 'witness-other' | 'unknown';

const BECH32 = /^(bc|tb|bcrt)1/;
const memo = new Map<string, ScriptType>();
const MEMO_MAX = 100_000;

function derive(address: string): ScriptType {
  const lower = address.toLowerCase();
  if (BECH32.test(lower)) {
    try {
      const d = fromBech32(lower);
      if (d.version === 0 && d.data.length === 20) return 'p2wpkh';
      if (d.version === 0 && d.data.length === 32) return 'p2wsh';
      if (d.version === 1 && d.data.length === 32) return 'p2tr';
      return 'witness-other';
    } catch {
      return 'unknown';
    }
  }
  try {
    const d = fromBase58Check(address);
    if (d.version === 0x00 || d.version === 0x6f) return 'p2pkh';
    if (d.version === 0x05 || d.version === 0xc4) return 'p2sh';
  } catch {
    // not base58check either
  }
  return 'unknown';
}

/** The script type an address stands for; 'unknown' for null (OP_RETURN, bare scripts) or unparsable. */
export function scriptTypeOf(address: string | null): ScriptType {
  if (address === null) return 'unknown';
  let t = memo.get(address);
  if (t === undefined) {
    t = derive(address);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(address, t);
  }
  return t;
}
