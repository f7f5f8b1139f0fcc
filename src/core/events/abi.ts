// Event ABIs fundtrace decodes: each event's parameters, from which its canonical signature and
// topic0 are computed (keccak-256, src/core/keccak.ts) — never typed in by hand. test/events/abi
// checks every topic0 against the table in ../shared/data/bridge-swap-abis/EVENTS.md.
// The decoder is deliberately strict (exact topic count, exact head size, every word in range for
// its type): a log that does not fit its ABI is reported, never half-read.
import { toChecksumAddress } from '../address.js';
import { keccak256Hex } from '../keccak.js';

/** Solidity types the decoded events use. A tuple is written as its canonical text, e.g. "(bytes32,uint256)". */
export type AbiType = string;

export interface AbiParam {
  name: string;
  type: AbiType;
  indexed?: boolean;
}

export interface EventAbi {
  /** Our id for the event (unique), e.g. "cctp.DepositForBurn". */
  id: string;
  /** Event name as in the ABI. */
  name: string;
  params: readonly AbiParam[];
  /** Canonical signature, e.g. "Transfer(address,address,uint256)". */
  signature: string;
  /** 0x + 64 lowercase hex. */
  topic0: string;
}

function event(id: string, name: string, params: readonly AbiParam[]): EventAbi {
  const signature = `${name}(${params.map((p) => p.type).join(',')})`;
  return { id, name, params, signature, topic0: keccak256Hex(signature) };
}

const p = (name: string, type: AbiType, indexed = false): AbiParam => ({ name, type, indexed });

/** Every event the decoder recognises, by our id. */
export const EVENTS = {
  uniswapV2Swap: event('uniswap-v2.Swap', 'Swap', [
    p('sender', 'address', true),
    p('amount0In', 'uint256'),
    p('amount1In', 'uint256'),
    p('amount0Out', 'uint256'),
    p('amount1Out', 'uint256'),
    p('to', 'address', true),
  ]),
  uniswapV3Swap: event('uniswap-v3.Swap', 'Swap', [
    p('sender', 'address', true),
    p('recipient', 'address', true),
    p('amount0', 'int256'),
    p('amount1', 'int256'),
    p('sqrtPriceX96', 'uint160'),
    p('liquidity', 'uint128'),
    p('tick', 'int24'),
  ]),
  wethDeposit: event('weth.Deposit', 'Deposit', [p('dst', 'address', true), p('wad', 'uint256')]),
  wethWithdrawal: event('weth.Withdrawal', 'Withdrawal', [p('src', 'address', true), p('wad', 'uint256')]),
  cctpDepositForBurn: event('cctp.DepositForBurn', 'DepositForBurn', [
    p('nonce', 'uint64', true),
    p('burnToken', 'address', true),
    p('amount', 'uint256'),
    p('depositor', 'address', true),
    p('mintRecipient', 'bytes32'),
    p('destinationDomain', 'uint32'),
    p('destinationTokenMessenger', 'bytes32'),
    p('destinationCaller', 'bytes32'),
  ]),
  cctpMintAndWithdraw: event('cctp.MintAndWithdraw', 'MintAndWithdraw', [
    p('mintRecipient', 'address', true),
    p('amount', 'uint256'),
    p('mintToken', 'address', true),
  ]),
  cctpMessageReceived: event('cctp.MessageReceived', 'MessageReceived', [
    p('caller', 'address', true),
    p('sourceDomain', 'uint32'),
    p('nonce', 'uint64', true),
    p('sender', 'bytes32'),
    p('messageBody', 'bytes'),
  ]),
  /** The same signature in CCTP v1 and v2 (the message layouts differ). */
  cctpMessageSent: event('cctp.MessageSent', 'MessageSent', [p('message', 'bytes')]),
  cctpV2DepositForBurn: event('cctp-v2.DepositForBurn', 'DepositForBurn', [
    p('burnToken', 'address', true),
    p('amount', 'uint256'),
    p('depositor', 'address', true),
    p('mintRecipient', 'bytes32'),
    p('destinationDomain', 'uint32'),
    p('destinationTokenMessenger', 'bytes32'),
    p('destinationCaller', 'bytes32'),
    p('maxFee', 'uint256'),
    p('minFinalityThreshold', 'uint32', true),
    p('hookData', 'bytes'),
  ]),
  cctpV2MintAndWithdraw: event('cctp-v2.MintAndWithdraw', 'MintAndWithdraw', [
    p('mintRecipient', 'address', true),
    p('amount', 'uint256'),
    p('mintToken', 'address', true),
    p('feeCollected', 'uint256'),
  ]),
  cctpV2MessageReceived: event('cctp-v2.MessageReceived', 'MessageReceived', [
    p('caller', 'address', true),
    p('sourceDomain', 'uint32'),
    p('nonce', 'bytes32', true),
    p('sender', 'bytes32'),
    p('finalityThresholdExecuted', 'uint32', true),
    p('messageBody', 'bytes'),
  ]),
  acrossFundsDeposited: event('across.FundsDeposited', 'FundsDeposited', [
    p('inputToken', 'bytes32'),
    p('outputToken', 'bytes32'),
    p('inputAmount', 'uint256'),
    p('outputAmount', 'uint256'),
    p('destinationChainId', 'uint256', true),
    p('depositId', 'uint256', true),
    p('quoteTimestamp', 'uint32'),
    p('fillDeadline', 'uint32'),
    p('exclusivityDeadline', 'uint32'),
    p('depositor', 'bytes32', true),
    p('recipient', 'bytes32'),
    p('exclusiveRelayer', 'bytes32'),
    p('message', 'bytes'),
  ]),
  acrossV3FundsDeposited: event('across.V3FundsDeposited', 'V3FundsDeposited', [
    p('inputToken', 'address'),
    p('outputToken', 'address'),
    p('inputAmount', 'uint256'),
    p('outputAmount', 'uint256'),
    p('destinationChainId', 'uint256', true),
    p('depositId', 'uint32', true),
    p('quoteTimestamp', 'uint32'),
    p('fillDeadline', 'uint32'),
    p('exclusivityDeadline', 'uint32'),
    p('depositor', 'address', true),
    p('recipient', 'address'),
    p('exclusiveRelayer', 'address'),
    p('message', 'bytes'),
  ]),
  acrossFilledRelay: event('across.FilledRelay', 'FilledRelay', [
    p('inputToken', 'bytes32'),
    p('outputToken', 'bytes32'),
    p('inputAmount', 'uint256'),
    p('outputAmount', 'uint256'),
    p('repaymentChainId', 'uint256'),
    p('originChainId', 'uint256', true),
    p('depositId', 'uint256', true),
    p('fillDeadline', 'uint32'),
    p('exclusivityDeadline', 'uint32'),
    p('exclusiveRelayer', 'bytes32'),
    p('relayer', 'bytes32', true),
    p('depositor', 'bytes32'),
    p('recipient', 'bytes32'),
    p('messageHash', 'bytes32'),
    // updatedRecipient, updatedMessageHash, updatedOutputAmount, fillType
    p('relayExecutionInfo', '(bytes32,bytes32,uint256,uint8)'),
  ]),
  acrossFilledV3Relay: event('across.FilledV3Relay', 'FilledV3Relay', [
    p('inputToken', 'address'),
    p('outputToken', 'address'),
    p('inputAmount', 'uint256'),
    p('outputAmount', 'uint256'),
    p('repaymentChainId', 'uint256'),
    p('originChainId', 'uint256', true),
    p('depositId', 'uint32', true),
    p('fillDeadline', 'uint32'),
    p('exclusivityDeadline', 'uint32'),
    p('exclusiveRelayer', 'address'),
    p('relayer', 'address', true),
    p('depositor', 'address'),
    p('recipient', 'address'),
    p('message', 'bytes'),
    // updatedRecipient, updatedMessage, updatedOutputAmount, fillType (dynamic: an offset in the head)
    p('relayExecutionInfo', '(address,bytes,uint256,uint8)'),
  ]),
  /** Across v2.5 (before V3): recognised by topic so the reader is told it is not decoded. */
  acrossLegacyFilledRelay: event('across-v2.FilledRelay', 'FilledRelay', [
    p('amount', 'uint256'),
    p('totalFilledAmount', 'uint256'),
    p('fillAmount', 'uint256'),
    p('repaymentChainId', 'uint256'),
    p('originChainId', 'uint256', true),
    p('destinationChainId', 'uint256'),
    p('relayerFeePct', 'int64'),
    p('realizedLpFeePct', 'int64'),
    p('depositId', 'uint32', true),
    p('destinationToken', 'address'),
    p('relayer', 'address'),
    p('depositor', 'address', true),
    p('recipient', 'address'),
    p('message', 'bytes'),
    p('updatableRelayData', '(address,bytes,int64,bool,int256)'),
  ]),
  hopTransferSent: event('hop.TransferSent', 'TransferSent', [
    p('transferId', 'bytes32', true),
    p('chainId', 'uint256', true),
    p('recipient', 'address', true),
    p('amount', 'uint256'),
    p('transferNonce', 'bytes32'),
    p('bonderFee', 'uint256'),
    p('index', 'uint256'),
    p('amountOutMin', 'uint256'),
    p('deadline', 'uint256'),
  ]),
  hopWithdrawalBonded: event('hop.WithdrawalBonded', 'WithdrawalBonded', [
    p('transferId', 'bytes32', true),
    p('amount', 'uint256'),
  ]),
  hopWithdrew: event('hop.Withdrew', 'Withdrew', [
    p('transferId', 'bytes32', true),
    p('recipient', 'address', true),
    p('amount', 'uint256'),
    p('transferNonce', 'bytes32'),
  ]),
  hopTransferSentToL2: event('hop.TransferSentToL2', 'TransferSentToL2', [
    p('chainId', 'uint256', true),
    p('recipient', 'address', true),
    p('amount', 'uint256'),
    p('amountOutMin', 'uint256'),
    p('deadline', 'uint256'),
    p('relayer', 'address', true),
    p('relayerFee', 'uint256'),
  ]),
  hopTransferFromL1Completed: event('hop.TransferFromL1Completed', 'TransferFromL1Completed', [
    p('recipient', 'address', true),
    p('amount', 'uint256'),
    p('amountOutMin', 'uint256'),
    p('deadline', 'uint256'),
    p('relayer', 'address', true),
    p('relayerFee', 'uint256'),
  ]),
  stargateOFTSent: event('stargate.OFTSent', 'OFTSent', [
    p('guid', 'bytes32', true),
    p('dstEid', 'uint32'),
    p('fromAddress', 'address', true),
    p('amountSentLD', 'uint256'),
    p('amountReceivedLD', 'uint256'),
  ]),
  stargateOFTReceived: event('stargate.OFTReceived', 'OFTReceived', [
    p('guid', 'bytes32', true),
    p('srcEid', 'uint32'),
    p('toAddress', 'address', true),
    p('amountReceivedLD', 'uint256'),
  ]),
} as const satisfies Record<string, EventAbi>;

export type EventKey = keyof typeof EVENTS;

/** topic0 → the events with that hash (MessageSent is shared by CCTP v1 and v2; the rest are unique). */
export const BY_TOPIC0: ReadonlyMap<string, readonly EventAbi[]> = (() => {
  const m = new Map<string, EventAbi[]>();
  for (const e of Object.values(EVENTS) as EventAbi[]) {
    const list = m.get(e.topic0) ?? [];
    list.push(e);
    m.set(e.topic0, list);
  }
  return m;
})();

/** A decoded value: bigint for integers, EIP-55 for addresses, 0x-hex for bytes32/bytes, boolean, or a tuple. */
export type AbiValue = bigint | string | boolean | AbiValue[];

export type DecodeResult = { ok: true; values: Record<string, AbiValue> } | { ok: false; reason: string };

const WORD_HEX = /^0x[0-9a-f]{64}$/;
const DATA_HEX = /^0x(?:[0-9a-f]{2})*$/;

/** Decode one log against an event ABI: exact topic count, exact static head, bounded dynamic parts. */
export function decodeEvent(abi: EventAbi, topics: readonly string[], data: string): DecodeResult {
  const { indexed, nonIndexed, types } = layout(abi);
  if (topics.length !== indexed.length + 1)
    return { ok: false, reason: `${topics.length} topics, ${abi.signature} has ${indexed.length + 1}` };
  for (const t of topics)
    if (!WORD_HEX.test(t)) return { ok: false, reason: `topic ${quote(t)} is not 32 bytes of hex` };
  if (!DATA_HEX.test(data)) return { ok: false, reason: 'data is not hex of whole bytes' };
  const values: Record<string, AbiValue> = {};
  let ti = 1;
  for (const q of indexed) {
    // Indexed dynamic types are hashes; none of ours are, so every indexed value is a word.
    const v = word(q.type, topics[ti++]!.slice(2));
    if (typeof v === 'object' && 'bad' in v) return { ok: false, reason: `indexed ${q.name}: ${v.bad}` };
    values[q.name] = v;
  }
  const body = data.slice(2);
  const r = decodeTuple(types, body, 0, true);
  if ('bad' in r) return { ok: false, reason: r.bad };
  nonIndexed.forEach((q, i) => {
    values[q.name] = r.values[i]!;
  });
  return { ok: true, values };
}

type Bad = { bad: string };

const layouts = new WeakMap<EventAbi, { indexed: AbiParam[]; nonIndexed: AbiParam[]; types: string[] }>();
function layout(abi: EventAbi) {
  let l = layouts.get(abi);
  if (!l) {
    const nonIndexed = abi.params.filter((q) => !q.indexed);
    l = { indexed: abi.params.filter((q) => q.indexed), nonIndexed, types: nonIndexed.map((q) => q.type) };
    layouts.set(abi, l);
  }
  return l;
}

/** Split a tuple's canonical text "(a,b,(c,d))" into its member types. */
function tupleMembers(t: string): string[] {
  const inner = t.slice(1, -1);
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  if (inner.length > 0) out.push(inner.slice(start));
  return out;
}

/** Memoised per type text: the decoder runs per log, the type set is fixed. */
function memo<T>(f: (t: string) => T): (t: string) => T {
  const m = new Map<string, T>();
  return (t) => {
    let v = m.get(t);
    if (v === undefined) {
      v = f(t);
      m.set(t, v);
    }
    return v;
  };
}

const members = memo(tupleMembers);

const isDynamic: (t: string) => boolean = memo(
  (t) =>
    t === 'bytes' || t === 'string' || t.endsWith('[]') || (t.startsWith('(') && members(t).some(isDynamic)),
);

/** Head size in words of a static type (a static tuple is inline). */
const headWords: (t: string) => number = memo((t) =>
  t.startsWith('(') && !isDynamic(t) ? members(t).reduce((n, m) => n + headWords(m), 0) : 1,
);

/**
 * Decode a tuple encoded at `base` (hex-char offset) of `hex`. `exact`: the whole top-level data
 * must be consumed by the head plus the dynamic tails it points at (no trailing or missing bytes).
 */
function decodeTuple(
  types: readonly string[],
  hex: string,
  base: number,
  exact: boolean,
): { values: AbiValue[] } | Bad {
  const head = types.reduce((n, t) => n + (isDynamic(t) ? 1 : headWords(t)), 0);
  const avail = (hex.length - base) / 64;
  if (exact && !types.some(isDynamic) && hex.length !== head * 64)
    return { bad: `data is ${hex.length / 2} bytes, the ABI needs ${head * 32}` };
  if (avail < head)
    return { bad: `data is ${(hex.length - base) / 2} bytes, the ABI head alone needs ${head * 32}` };
  const values: AbiValue[] = [];
  let w = 0;
  let end = base + head * 64; // furthest byte a dynamic tail reaches, for the exact check
  for (const t of types) {
    const at = base + w * 64;
    if (isDynamic(t)) {
      const off = toSmall(hex.slice(at, at + 64));
      if (off === undefined || off % 32 !== 0 || base + off * 2 > hex.length)
        return { bad: `offset of a ${t} field points outside the data` };
      // A canonical encoding puts every tail after the head: an offset into the head is forged.
      if (off < head * 32)
        return { bad: `offset of a ${t} field points into the head (${off} < ${head * 32})` };
      const start = base + off * 2;
      if (t === 'bytes') {
        const len = toSmall(hex.slice(start, start + 64));
        if (start + 64 > hex.length || len === undefined || start + 64 + len * 2 > hex.length)
          return { bad: 'a bytes field runs past the end of the data' };
        values.push(`0x${hex.slice(start + 64, start + 64 + len * 2)}`);
        end = Math.max(end, start + 64 + Math.ceil(len / 32) * 64);
      } else if (t.startsWith('(')) {
        const r = decodeTuple(members(t), hex, start, false);
        if ('bad' in r) return r;
        values.push(r.values);
        end = Math.max(end, hex.length); // nested tails: bounded above, not measured
      } else return { bad: `unsupported type ${t}` };
      w++;
    } else if (t.startsWith('(')) {
      const r = decodeTuple(members(t), hex, at, false);
      if ('bad' in r) return r;
      values.push(r.values);
      w += headWords(t);
    } else {
      const v = word(t, hex.slice(at, at + 64));
      if (typeof v === 'object' && 'bad' in v) return v;
      values.push(v);
      w++;
    }
  }
  if (exact && end !== hex.length)
    return { bad: `data is ${hex.length / 2} bytes, the ABI encoding needs ${end / 2}` };
  return { values };
}

/** Offsets and lengths: small non-negative integers, or undefined. */
function toSmall(h: string): number | undefined {
  if (h.length !== 64) return undefined;
  const v = BigInt(`0x${h}`);
  return v <= 0xffffffffn ? Number(v) : undefined;
}

/** One 32-byte word (64 hex chars) as `t`, range-checked. */
function word(t: string, h: string): AbiValue | Bad {
  const v = BigInt(`0x${h}`);
  if (t === 'address') {
    if (v >> 160n !== 0n) return { bad: `address word 0x${h} has non-zero upper 12 bytes` };
    return toChecksumAddress(h.slice(24));
  }
  if (t === 'bytes32') return `0x${h}`;
  if (t === 'bool') {
    if (v > 1n) return { bad: `bool word 0x${h} is not 0 or 1` };
    return v === 1n;
  }
  const u = /^uint(\d+)$/.exec(t);
  if (u) {
    const bits = BigInt(u[1]!);
    if (v >> bits !== 0n) return { bad: `${t} word 0x${h} is out of range` };
    return v;
  }
  const s = /^int(\d+)$/.exec(t);
  if (s) {
    const bits = BigInt(s[1]!);
    const signed = BigInt.asIntN(256, v);
    if (BigInt.asIntN(Number(bits), signed) !== signed) return { bad: `${t} word 0x${h} is out of range` };
    return signed;
  }
  return { bad: `unsupported type ${t}` };
}

const quote = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}…` : s);

/**
 * A bytes32 that should hold an EVM address: EIP-55 when the upper 12 bytes are zero, else
 * undefined (the caller decides whether that is a non-EVM address or a malformed log).
 */
export function bytes32Address(b: string): string | undefined {
  const h = b.slice(2).toLowerCase();
  return /^0{24}[0-9a-f]{40}$/.test(h) ? toChecksumAddress(h.slice(24)) : undefined;
}
