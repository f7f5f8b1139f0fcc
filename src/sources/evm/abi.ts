// Shared EVM helpers, part 1: ERC-20 log decoding and token metadata decoding. Pure functions, no
// I/O; used by the rpc: source and available to the etherscan: source. Keep this API stable.
//
// API:
//   TRANSFER_TOPIC                         keccak256("Transfer(address,address,uint256)")
//   SYMBOL_CALL, DECIMALS_CALL, NAME_CALL  calldata for the ERC-20 metadata getters
//   addressTopic(address)                  a 32-byte topic holding an address (for eth_getLogs filters)
//   topicAddress(topic)                    the EIP-55 address in a topic; undefined when the top 12 bytes are not zero
//   evmAddress(raw)                        EIP-55 form of a 0x + 40 hex address (any case); throws on anything else
//   decodeErc20Transfer(log)               {token, from, to, value} for an ERC-20 Transfer log; null for anything
//                                          else, notably ERC-721 Transfer logs (4 topics, tokenId indexed)
//   decodeSymbol(hex)                      symbol() return data: ABI `string` or `bytes32`; undefined if neither
//   decodeDecimals(hex)                    decimals() return data as a number 0..255; undefined otherwise
//   cleanSymbol(raw)                       bound the raw symbol text kept in data (drop NULs, at most 32 code points);
//                                          symbols stay attacker-controlled: renderers strip escapes/controls
import { getAddress } from 'ethers';

export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
export const SYMBOL_CALL = '0x95d89b41';
export const DECIMALS_CALL = '0x313ce567';
export const NAME_CALL = '0x06fdde03';

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const TOPIC = /^0x[0-9a-fA-F]{64}$/;
const WORD_HEX = /^0x[0-9a-fA-F]{64}$/;

export function evmAddress(raw: string): string {
  if (!HEX_ADDRESS.test(raw)) throw new Error(`not an address: ${JSON.stringify(raw.slice(0, 60))}`);
  return getAddress(raw.toLowerCase());
}

export function addressTopic(address: string): string {
  return `0x${'0'.repeat(24)}${address.slice(2).toLowerCase()}`;
}

export function topicAddress(topic: string): string | undefined {
  if (!TOPIC.test(topic) || !/^0x0{24}/.test(topic)) return undefined;
  return getAddress(`0x${topic.slice(26).toLowerCase()}`);
}

export interface LogLike {
  address: string;
  topics: readonly string[];
  data: string;
}

export interface Erc20Transfer {
  token: string;
  from: string;
  to: string;
  value: bigint;
}

/** An ERC-20 Transfer: exactly 3 topics (sig, from, to) and a 32-byte value in data. */
export function decodeErc20Transfer(log: LogLike): Erc20Transfer | null {
  if (log.topics.length !== 3 || log.topics[0]?.toLowerCase() !== TRANSFER_TOPIC) return null;
  if (!WORD_HEX.test(log.data) || !HEX_ADDRESS.test(log.address)) return null;
  const from = topicAddress(log.topics[1]!);
  const to = topicAddress(log.topics[2]!);
  if (from === undefined || to === undefined) return null;
  return { token: getAddress(log.address.toLowerCase()), from, to, value: BigInt(log.data) };
}

function hexBytes(hex: string): Uint8Array | undefined {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) return undefined;
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function decodeSymbol(hex: string): string | undefined {
  const b = hexBytes(hex);
  if (!b || b.length === 0) return undefined;
  if (b.length === 32) {
    // bytes32 (MKR, SAI …): text up to the first NUL.
    const end = b.indexOf(0);
    const text = utf8.decode(b.subarray(0, end < 0 ? 32 : end));
    return text.length > 0 ? text : undefined;
  }
  if (b.length < 64 || b.length % 32 !== 0) return undefined;
  const word = (i: number) => BigInt(`0x${Buffer.from(b.subarray(i, i + 32)).toString('hex')}`);
  const offset = word(0);
  if (offset + 32n > BigInt(b.length)) return undefined;
  const len = word(Number(offset));
  const start = Number(offset) + 32;
  if (BigInt(start) + len > BigInt(b.length)) return undefined;
  const text = utf8.decode(b.subarray(start, start + Number(len)));
  return text.length > 0 ? text : undefined;
}

export function decodeDecimals(hex: string): number | undefined {
  if (!WORD_HEX.test(hex)) return undefined;
  const v = BigInt(hex);
  return v <= 255n ? Number(v) : undefined;
}

export function cleanSymbol(raw: string): string {
  return [...raw.replace(/\u0000/g, '')].slice(0, 32).join('').trim();
}
