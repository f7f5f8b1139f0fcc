// Decode a transaction's event logs into swaps, wraps and bridge legs (pure).
//
// Trust rules, the reason this module exists:
//  - Uniswap V2/V3 `Swap` is evidence from ANY address (pools are countless); the engine checks the
//    money movement against the token transfers, so a fake Swap moves nothing by itself.
//  - WETH `Deposit`/`Withdrawal` count only from a registered wrapped-native contract; the same
//    events from any other contract are ignored (many tokens emit them).
//  - A bridge event counts only from the registered contract of its protocol and role on that
//    chain. From any other address it is a problem ("not a registered … contract: not linked"):
//    anyone can deploy a look-alike that emits a DepositForBurn naming a victim's funds.
//  - A log that does not fit its ABI (topic count, data length, a word out of range for its type,
//    an address with junk in its upper bytes) is a problem, never half-read.
import { findChain } from '../chains.js';
import { compareOrder, type TxLog } from '../model.js';
import { type AbiValue, BY_TOPIC0, bytes32Address, decodeEvent, EVENTS, type EventAbi } from './abi.js';
import type { Registry, RegistryEntry, RegistryProtocol } from './registry.js';
import type {
  BridgeIn,
  BridgeOut,
  BridgeProtocol,
  DecodedEvent,
  EventProblem,
  LogRef,
  SwapEvent,
  WrapEvent,
} from './types.js';

export interface DecodeResult {
  events: DecodedEvent[];
  problems: EventProblem[];
}

type V = Record<string, AbiValue>;

/** Which registered contracts may emit an event: protocol family, accepted registry protocols, roles. */
interface Gate {
  family: BridgeProtocol;
  protocols: readonly RegistryProtocol[];
  roles: readonly string[];
  what: string;
}

const CCTP_TM: Gate = {
  family: 'cctp',
  protocols: ['cctp', 'devbridge'],
  roles: ['token-messenger'],
  what: 'CCTP TokenMessenger',
};
const CCTP_MT: Gate = {
  family: 'cctp',
  protocols: ['cctp', 'devbridge'],
  roles: ['message-transmitter'],
  what: 'CCTP MessageTransmitter',
};
const CCTP2_TM: Gate = {
  family: 'cctp',
  protocols: ['cctp-v2'],
  roles: ['token-messenger'],
  what: 'CCTP v2 TokenMessengerV2',
};
const CCTP2_MT: Gate = {
  family: 'cctp',
  protocols: ['cctp-v2'],
  roles: ['message-transmitter'],
  what: 'CCTP v2 MessageTransmitterV2',
};
const ACROSS: Gate = {
  family: 'across',
  protocols: ['across', 'devbridge'],
  roles: ['spoke-pool'],
  what: 'Across SpokePool',
};
const HOP_L1: Gate = { family: 'hop', protocols: ['hop'], roles: ['l1-bridge'], what: 'Hop L1 bridge' };
const HOP_L2: Gate = { family: 'hop', protocols: ['hop'], roles: ['l2-bridge'], what: 'Hop L2 bridge' };
const HOP_ANY: Gate = {
  family: 'hop',
  protocols: ['hop'],
  roles: ['l1-bridge', 'l2-bridge'],
  what: 'Hop bridge',
};
const STARGATE: Gate = {
  family: 'stargate',
  protocols: ['stargate'],
  roles: ['pool'],
  what: 'Stargate v2 pool',
};

const GATES: ReadonlyMap<EventAbi, Gate> = new Map<EventAbi, Gate>([
  [EVENTS.cctpDepositForBurn, CCTP_TM],
  [EVENTS.cctpMintAndWithdraw, CCTP_TM],
  [EVENTS.cctpMessageReceived, CCTP_MT],
  [EVENTS.cctpV2DepositForBurn, CCTP2_TM],
  [EVENTS.cctpV2MintAndWithdraw, CCTP2_TM],
  [EVENTS.cctpV2MessageReceived, CCTP2_MT],
  [EVENTS.acrossFundsDeposited, ACROSS],
  [EVENTS.acrossV3FundsDeposited, ACROSS],
  [EVENTS.acrossFilledRelay, ACROSS],
  [EVENTS.acrossFilledV3Relay, ACROSS],
  [EVENTS.acrossLegacyFilledRelay, ACROSS],
  [EVENTS.hopTransferSent, HOP_L2],
  [EVENTS.hopTransferFromL1Completed, HOP_L2],
  [EVENTS.hopTransferSentToL2, HOP_L1],
  [EVENTS.hopWithdrawalBonded, HOP_ANY],
  [EVENTS.hopWithdrew, HOP_ANY],
  [EVENTS.stargateOFTSent, STARGATE],
  [EVENTS.stargateOFTReceived, STARGATE],
]);

const passes = (g: Gate, e: RegistryEntry): boolean =>
  g.protocols.includes(e.protocol) && g.roles.includes(e.role);

/** A decoded log waiting for the CCTP pairing pass. */
interface Pending {
  log: TxLog;
  abi: EventAbi;
  v: V;
  entry: RegistryEntry;
  used?: boolean;
}

const ZERO32 = `0x${'0'.repeat(64)}`;

/** Is `chain` an EVM chain fundtrace knows (so a bytes32 recipient there must be an address)? */
function isEvmChain(chain: string | null): boolean {
  if (chain === null) return false;
  const c = findChain(chain);
  return c !== undefined && c.kind === 'account' && c.addressFormat !== 'tron';
}

/** Token of a registry entry's `asset`: null for native; undefined when the entry names none. */
const assetToken = (e: RegistryEntry): string | null | undefined =>
  e.asset === undefined ? undefined : e.asset === 'native' ? null : e.asset;

/**
 * Decode the logs of one or more transactions on `chain`. Output in log order (block, position,
 * tx, log index) whatever order the logs came in.
 */
export function decodeTxLogs(chain: string, logs: readonly TxLog[], registry: Registry): DecodeResult {
  // Most logs of a busy chain are token Transfers: keep only recognised topics, then order those.
  const sorted = logs
    .filter((l) => l.topics.length > 0 && BY_TOPIC0.has(l.topics[0]!.toLowerCase()))
    .sort((a, b) => compareOrder(a, a.tx, a.index, b, b.tx, b.index))
    // The same log given twice (overlapping datasets) is one log.
    .filter((l, i, all) => i === 0 || l.tx !== all[i - 1]!.tx || l.index !== all[i - 1]!.index);
  const logPos = new Map<TxLog, number>(sorted.map((l, i) => [l, i]));
  const refPos = new WeakMap<LogRef, number>();
  const events: DecodedEvent[] = [];
  const problems: EventProblem[] = [];
  const ref = (log: TxLog, abi: EventAbi): LogRef => {
    const r: LogRef = {
      chain,
      tx: log.tx,
      index: log.index,
      address: log.address,
      event: abi.name,
      ...(log.time !== null ? { time: log.time } : {}),
    };
    refPos.set(r, logPos.get(log) ?? 0);
    return r;
  };
  const problem = (log: TxLog, abi: EventAbi, message: string) =>
    problems.push({ ref: ref(log, abi), message });

  // Per transaction: CCTP logs that are only meaningful in pairs (resolved after the pass).
  const byTx = new Map<
    string,
    { sent: Pending[]; received: Pending[]; mints: Pending[]; burns: Pending[] }
  >();
  const group = (tx: string) => {
    let g = byTx.get(tx);
    if (!g) {
      g = { sent: [], received: [], mints: [], burns: [] };
      byTx.set(tx, g);
    }
    return g;
  };

  for (const log of sorted) {
    const topic0 = log.topics[0]?.toLowerCase();
    if (topic0 === undefined) continue;
    const candidates = BY_TOPIC0.get(topic0);
    if (!candidates) continue;
    const entry = registry.at(chain, log.address);

    // MessageSent(bytes) is a common signature: read only from a registered CCTP transmitter.
    if (candidates[0] === EVENTS.cctpMessageSent) {
      if (entry?.role !== 'message-transmitter' || !['cctp', 'cctp-v2', 'devbridge'].includes(entry.protocol))
        continue;
      const d = decodeEvent(EVENTS.cctpMessageSent, log.topics, log.data);
      if (!d.ok) problem(log, EVENTS.cctpMessageSent, `malformed MessageSent log: ${d.reason}`);
      else group(log.tx).sent.push({ log, abi: EVENTS.cctpMessageSent, v: d.values, entry });
      continue;
    }
    const abi = candidates[0]!;

    if (abi === EVENTS.wethDeposit || abi === EVENTS.wethWithdrawal) {
      if (entry?.protocol !== 'weth' || entry.role !== 'wrapped-native') continue;
      const d = decodeEvent(abi, log.topics, log.data);
      if (!d.ok) {
        problem(log, abi, `malformed ${abi.name} log of ${entry.name}: ${d.reason}`);
        continue;
      }
      const w: WrapEvent = {
        kind: abi === EVENTS.wethDeposit ? 'wrap' : 'unwrap',
        ref: ref(log, abi),
        token: log.address,
        account: (abi === EVENTS.wethDeposit ? d.values.dst : d.values.src) as string,
        value: d.values.wad as bigint,
      };
      events.push(w);
      continue;
    }

    if (abi === EVENTS.uniswapV2Swap || abi === EVENTS.uniswapV3Swap) {
      const d = decodeEvent(abi, log.topics, log.data);
      if (!d.ok) {
        problem(
          log,
          abi,
          `malformed ${abi === EVENTS.uniswapV2Swap ? 'Uniswap V2' : 'Uniswap V3'} Swap log: ${d.reason}`,
        );
        continue;
      }
      events.push(swapEvent(ref(log, abi), abi, d.values));
      continue;
    }

    const gate = GATES.get(abi);
    if (!gate) continue;
    if (!entry || !passes(gate, entry)) {
      const as = entry ? ` (registered as ${entry.protocol} ${entry.role} "${entry.name}")` : '';
      problem(
        log,
        abi,
        `${abi.name} emitted by ${log.address}, not a registered ${gate.what} contract on ${chain}${as}: not linked`,
      );
      continue;
    }
    const d = decodeEvent(abi, log.topics, log.data);
    if (!d.ok) {
      problem(log, abi, `malformed ${abi.name} log of ${entry.name}: ${d.reason}`);
      continue;
    }
    const v = d.values;
    const r = ref(log, abi);
    const protocol: BridgeProtocol = entry.protocol === 'devbridge' ? 'devbridge' : gate.family;

    switch (abi) {
      case EVENTS.cctpDepositForBurn:
      case EVENTS.cctpV2DepositForBurn:
        group(log.tx).burns.push({ log, abi, v, entry });
        break;
      case EVENTS.cctpMessageReceived:
      case EVENTS.cctpV2MessageReceived:
        group(log.tx).received.push({ log, abi, v, entry });
        break;
      case EVENTS.cctpMintAndWithdraw:
      case EVENTS.cctpV2MintAndWithdraw:
        group(log.tx).mints.push({ log, abi, v, entry });
        break;
      case EVENTS.acrossFundsDeposited:
      case EVENTS.acrossV3FundsDeposited: {
        const out = acrossDeposit(chain, registry, r, protocol, v);
        if (typeof out === 'string') problem(log, abi, out);
        else events.push(out);
        break;
      }
      case EVENTS.acrossFilledRelay:
      case EVENTS.acrossFilledV3Relay: {
        const inn = acrossFill(chain, registry, r, protocol, v);
        if (typeof inn === 'string') problem(log, abi, inn);
        else events.push(inn);
        break;
      }
      case EVENTS.acrossLegacyFilledRelay:
        problem(
          log,
          abi,
          `Across v2.5 FilledRelay (origin chain ${v.originChainId}, deposit id ${v.depositId}): the legacy fill's amount after fees is not decoded: not linked`,
        );
        break;
      default: {
        const e = hopOrStargate(registry, r, protocol, abi, v, entry);
        if (typeof e === 'string') problem(log, abi, e);
        else events.push(e);
      }
    }
  }

  for (const g of byTx.values()) cctp(chain, registry, g, events, problems, ref);

  const order = (a: { ref: LogRef }, b: { ref: LogRef }) =>
    (refPos.get(a.ref) ?? 0) - (refPos.get(b.ref) ?? 0);
  events.sort(order);
  problems.sort(order);
  return { events, problems };
}

function swapEvent(ref: LogRef, abi: EventAbi, v: V): SwapEvent {
  if (abi === EVENTS.uniswapV2Swap)
    return {
      kind: 'swap',
      protocol: 'uniswap-v2',
      ref,
      pool: ref.address,
      sender: v.sender as string,
      recipient: v.to as string,
      amount0In: v.amount0In as bigint,
      amount1In: v.amount1In as bigint,
      amount0Out: v.amount0Out as bigint,
      amount1Out: v.amount1Out as bigint,
    };
  const a0 = v.amount0 as bigint;
  const a1 = v.amount1 as bigint;
  return {
    kind: 'swap',
    protocol: 'uniswap-v3',
    ref,
    pool: ref.address,
    sender: v.sender as string,
    recipient: v.recipient as string,
    amount0In: a0 > 0n ? a0 : 0n,
    amount1In: a1 > 0n ? a1 : 0n,
    amount0Out: a0 < 0n ? -a0 : 0n,
    amount1Out: a1 < 0n ? -a1 : 0n,
  };
}

/**
 * A bytes32 (or address) field naming an account on `onChain`: EIP-55 when it holds an EVM
 * address; the hex as given when `onChain` is not a known EVM chain (e.g. a Solana recipient);
 * an error message when `onChain` is EVM and the upper 12 bytes are not zero.
 */
function account(
  value: AbiValue,
  field: string,
  onChain: string | null,
  mustBeEvm: boolean,
): { address: string; nonEvm: boolean } | { error: string } {
  const s = value as string;
  if (s.length === 42) return { address: s, nonEvm: false }; // already an address-typed field
  const a = bytes32Address(s);
  if (a !== undefined) return { address: a, nonEvm: false };
  if (mustBeEvm || isEvmChain(onChain))
    return {
      error: `${field} ${s} has non-zero upper 12 bytes where an address on ${onChain ?? 'this chain'} is required`,
    };
  return { address: s, nonEvm: true };
}

function acrossDeposit(
  chain: string,
  registry: Registry,
  ref: LogRef,
  protocol: BridgeProtocol,
  v: V,
): BridgeOut | string {
  const origin = registry.chainIdOf(chain);
  const destChainId = String(v.destinationChainId);
  const destChain = registry.chainOfId(destChainId);
  const bad = (m: string) => `malformed ${ref.event} log: ${m}`;
  const inputToken = account(v.inputToken!, 'inputToken', chain, true);
  if ('error' in inputToken) return bad(inputToken.error);
  const depositor = account(v.depositor!, 'depositor', chain, true);
  if ('error' in depositor) return bad(depositor.error);
  const recipient = account(v.recipient!, 'recipient', destChain, false);
  if ('error' in recipient) return bad(recipient.error);
  const outputToken = account(v.outputToken!, 'outputToken', destChain, false);
  if ('error' in outputToken) return bad(outputToken.error);
  const notes: string[] = [];
  if (recipient.nonEvm) notes.push(`recipient is not an EVM address (destination chain id ${destChainId})`);
  const zeroOut = (v.outputToken as string).replace(/^0x0*$/, '') === '';
  if (zeroOut) notes.push('output token 0x0: the relayer chooses the equivalent token at fill time');
  if (origin === null) notes.push(`no chain id registered for ${chain}: no join key`);
  const id = String(v.depositId);
  return {
    kind: 'bridge-out',
    protocol,
    ref,
    key: origin === null ? null : `across:${origin}:${id}`,
    identifier: `Across deposit id ${id} from origin chain id ${origin ?? `unknown (${chain})`} to chain id ${destChainId}`,
    depositor: depositor.address,
    recipient: recipient.address,
    destChain,
    destChainId,
    token: inputToken.address,
    amount: v.inputAmount as bigint,
    ...(zeroOut ? {} : { outToken: outputToken.address }),
    outAmount: v.outputAmount as bigint,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

function acrossFill(
  chain: string,
  registry: Registry,
  ref: LogRef,
  protocol: BridgeProtocol,
  v: V,
): BridgeIn | string {
  const originChainId = String(v.originChainId);
  const originChain = registry.chainOfId(originChainId);
  const bad = (m: string) => `malformed ${ref.event} log: ${m}`;
  const info = v.relayExecutionInfo as AbiValue[];
  // bytes32 form: (updatedRecipient, updatedMessageHash, updatedOutputAmount, fillType);
  // address form: (updatedRecipient, updatedMessage, updatedOutputAmount, fillType).
  const updatedRecipient = account(info[0]!, 'updatedRecipient', chain, true);
  if ('error' in updatedRecipient) return bad(updatedRecipient.error);
  const recipient = account(v.recipient!, 'recipient', chain, true);
  if ('error' in recipient) return bad(recipient.error);
  const outputToken = account(v.outputToken!, 'outputToken', chain, true);
  if ('error' in outputToken) return bad(outputToken.error);
  const inputToken = account(v.inputToken!, 'inputToken', originChain, false);
  if ('error' in inputToken) return bad(inputToken.error);
  const delivered = info[2] as bigint;
  const notes: string[] = [];
  if (updatedRecipient.address !== recipient.address)
    notes.push(`sped-up deposit: recipient changed from ${recipient.address} to ${updatedRecipient.address}`);
  if (delivered !== (v.outputAmount as bigint))
    notes.push(`sped-up deposit: output amount changed from ${v.outputAmount} to ${delivered}`);
  if ((info[3] as bigint) === 2n) notes.push('slow fill (paid by the SpokePool, not a relayer)');
  const id = String(v.depositId);
  return {
    kind: 'bridge-in',
    protocol,
    ref,
    key: `across:${originChainId}:${id}`,
    identifier: `Across deposit id ${id} from origin chain id ${originChainId}`,
    recipient: updatedRecipient.address,
    originChain,
    originChainId,
    token: outputToken.address,
    amount: delivered,
    depositToken: inputToken.address,
    depositAmount: v.inputAmount as bigint,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

function hopOrStargate(
  registry: Registry,
  ref: LogRef,
  protocol: BridgeProtocol,
  abi: EventAbi,
  v: V,
  entry: RegistryEntry,
): BridgeOut | BridgeIn | string {
  const token = assetToken(entry);
  if (token === undefined)
    return `${entry.name} (${ref.address}) has no asset in the registry: its ${abi.name} amounts cannot be named`;
  switch (abi) {
    case EVENTS.hopTransferSent: {
      const destChainId = String(v.chainId);
      const id = v.transferId as string;
      return {
        kind: 'bridge-out',
        protocol,
        ref,
        key: `hop:${id}`,
        identifier: `Hop transfer id ${id} to chain id ${destChainId}`,
        depositor: null,
        recipient: v.recipient as string,
        destChain: registry.chainOfId(destChainId),
        destChainId,
        token,
        amount: v.amount as bigint,
        fee: v.bonderFee as bigint,
        note: 'the sender is not in the event (see the transaction); the bonder pays amount − bonderFee at the destination',
      };
    }
    case EVENTS.hopTransferSentToL2: {
      const destChainId = String(v.chainId);
      return {
        kind: 'bridge-out',
        protocol,
        ref,
        key: null,
        identifier: `Hop L1→L2 transfer to chain id ${destChainId}, recipient ${v.recipient}, amount ${v.amount} (no transfer id: look for TransferFromL1Completed to that recipient)`,
        depositor: null,
        recipient: v.recipient as string,
        destChain: registry.chainOfId(destChainId),
        destChainId,
        token,
        amount: v.amount as bigint,
        fee: v.relayerFee as bigint,
        note: 'no transfer id in Hop L1→L2 transfers: only heuristic matching',
      };
    }
    case EVENTS.hopWithdrawalBonded:
    case EVENTS.hopWithdrew: {
      const id = v.transferId as string;
      const bonded = abi === EVENTS.hopWithdrawalBonded;
      return {
        kind: 'bridge-in',
        protocol,
        ref,
        key: `hop:${id}`,
        identifier: `Hop transfer id ${id}`,
        recipient: bonded ? null : (v.recipient as string),
        originChain: null,
        originChainId: null,
        token,
        amount: v.amount as bigint,
        note: `${bonded ? 'WithdrawalBonded names no recipient (it is in the source TransferSent); ' : ''}the amount is before the bonder fee (the recipient receives amount − bonderFee of the source TransferSent); the origin chain is not in the event`,
      };
    }
    case EVENTS.hopTransferFromL1Completed: {
      const originChainId = '1';
      return {
        kind: 'bridge-in',
        protocol,
        ref,
        key: null,
        identifier: `Hop L1→L2 arrival for ${v.recipient}, amount ${v.amount} (no transfer id)`,
        recipient: v.recipient as string,
        originChain: registry.chainOfId(originChainId),
        originChainId,
        token,
        amount: v.amount as bigint,
        note: `no transfer id in Hop L1→L2 transfers: only heuristic matching; relayer fee ${v.relayerFee} included in the amount`,
      };
    }
    case EVENTS.stargateOFTSent: {
      const guid = v.guid as string;
      const dst = String(v.dstEid);
      const bus = guid === ZERO32;
      return {
        kind: 'bridge-out',
        protocol,
        ref,
        key: bus ? null : `stargate:${guid}`,
        identifier: bus
          ? `Stargate bus ride to endpoint id ${dst} (guid assigned when the bus is driven: see BusRode/BusDriven on TokenMessaging)`
          : `Stargate guid ${guid} to endpoint id ${dst}`,
        depositor: v.fromAddress as string,
        recipient: null,
        destChain: registry.chainOfStargateEid(dst),
        destChainId: dst,
        token,
        amount: v.amountSentLD as bigint,
        outAmount: v.amountReceivedLD as bigint,
        note: 'the recipient is not in OFTSent (it is in the LayerZero message)',
      };
    }
    case EVENTS.stargateOFTReceived: {
      const guid = v.guid as string;
      const src = String(v.srcEid);
      return {
        kind: 'bridge-in',
        protocol,
        ref,
        key: `stargate:${guid}`,
        identifier: `Stargate guid ${guid} from endpoint id ${src}`,
        recipient: v.toAddress as string,
        originChain: registry.chainOfStargateEid(src),
        originChainId: src,
        token,
        amount: v.amountReceivedLD as bigint,
      };
    }
  }
  return `${abi.name}: not handled`;
}

/** Byte slice of a 0x-hex string as hex (no 0x). */
const bytesAt = (hex: string, from: number, len: number): string =>
  hex.slice(2 + from * 2, 2 + (from + len) * 2);
const uintAt = (hex: string, from: number, len: number): bigint =>
  BigInt(`0x${bytesAt(hex, from, len) || '0'}`);

/**
 * CCTP pairing inside one transaction.
 * Source: DepositForBurn (+ MessageSent, whose header must agree: v1 source domain and nonce; v2
 * the nonce when the header carries one). Destination: MessageReceived (source domain, nonce)
 * + the MintAndWithdraw of the same burn message (recipient, amount: + feeCollected in v2).
 */
function cctp(
  chain: string,
  registry: Registry,
  g: { sent: Pending[]; received: Pending[]; mints: Pending[]; burns: Pending[] },
  events: DecodedEvent[],
  problems: EventProblem[],
  ref: (log: TxLog, abi: EventAbi) => LogRef,
): void {
  const problem = (p: Pending, message: string) => problems.push({ ref: ref(p.log, p.abi), message });
  const localDomain = registry.cctpDomainOf(chain);

  for (const b of g.burns) {
    const v1 = b.abi === EVENTS.cctpDepositForBurn;
    const destDomain = Number(b.v.destinationDomain as bigint);
    const destChain = registry.chainOfCctpDomain(destDomain);
    const rcpt = account(b.v.mintRecipient!, 'mintRecipient', destChain, false);
    if ('error' in rcpt) {
      problem(b, `malformed DepositForBurn log: ${rcpt.error}`);
      continue;
    }
    // The MessageSent of this burn: the nearest unused one before it from a transmitter of the same version.
    const sent = [...g.sent]
      .reverse()
      .find(
        (s) =>
          !s.used &&
          s.log.index < b.log.index &&
          (v1 ? s.entry.protocol !== 'cctp-v2' : s.entry.protocol === 'cctp-v2'),
      );
    const notes: string[] = [];
    if (rcpt.nonEvm) notes.push(`mint recipient is not an EVM address (destination domain ${destDomain})`);
    let key: string | null = null;
    let identifier: string;
    const msg = sent ? (sent.v.message as string) : undefined;
    if (sent) sent.used = true;
    if (v1) {
      const nonce = String(b.v.nonce as bigint);
      // v1 header: version(4) sourceDomain(4) destinationDomain(4) nonce(8) sender recipient destinationCaller (32 each).
      if (msg !== undefined && (msg.length - 2) / 2 >= 116) {
        const hSource = Number(uintAt(msg, 4, 4));
        const hDest = Number(uintAt(msg, 8, 4));
        const hNonce = String(uintAt(msg, 12, 8));
        if (hNonce !== nonce || hDest !== destDomain || (localDomain !== null && hSource !== localDomain)) {
          problem(
            b,
            `DepositForBurn (nonce ${nonce}, destination domain ${destDomain}) disagrees with its MessageSent header (source domain ${hSource}, destination domain ${hDest}, nonce ${hNonce}${localDomain !== null ? `; ${chain} is domain ${localDomain}` : ''}): not linked`,
          );
          continue;
        }
      }
      if (localDomain === null) notes.push(`no CCTP domain registered for ${chain}: no join key`);
      else key = `cctp:${localDomain}:${nonce}`;
      identifier = `CCTP source domain ${localDomain ?? `unknown (${chain})`}, nonce ${nonce}`;
    } else {
      // v2 header: version(4) sourceDomain(4) destinationDomain(4) nonce(32) …; on the source chain the
      // nonce is normally zero (Circle's attestation service assigns it), so no key unless it is set.
      const hNonce =
        msg !== undefined && (msg.length - 2) / 2 >= 44 ? `0x${bytesAt(msg, 12, 32)}` : undefined;
      if (hNonce !== undefined && hNonce !== ZERO32 && localDomain !== null) {
        key = `cctp:${localDomain}:${hNonce}`;
        identifier = `CCTP v2 source domain ${localDomain}, nonce ${hNonce}`;
      } else {
        identifier = `CCTP v2 burn on ${chain} (domain ${localDomain ?? 'unknown'}) to domain ${destDomain}: the nonce is assigned by Circle's attestation service; look the transaction up in Circle's attestation API`;
        notes.push('CCTP v2 nonce not on chain at the source: only linkable through the attestation');
      }
    }
    const out: BridgeOut = {
      kind: 'bridge-out',
      protocol: b.entry.protocol === 'devbridge' ? 'devbridge' : 'cctp',
      ref: ref(b.log, b.abi),
      key,
      identifier,
      depositor: b.v.depositor as string,
      recipient: rcpt.address,
      destChain,
      destChainId: String(destDomain),
      token: b.v.burnToken as string,
      amount: b.v.amount as bigint,
      ...(v1 ? {} : { fee: b.v.maxFee as bigint }),
      ...(notes.length || !v1
        ? { note: [...notes, ...(v1 ? [] : ['fee is maxFee, the most the burn may pay'])].join('; ') }
        : {}),
      ...(sent ? { related: [ref(sent.log, sent.abi)] } : {}),
    };
    events.push(out);
  }

  for (const m of g.received) {
    const v1 = m.abi === EVENTS.cctpMessageReceived;
    const body = m.v.messageBody as string;
    const bodyLen = (body.length - 2) / 2;
    // BurnMessage v1: version(4) burnToken mintRecipient amount messageSender (32 each) = 132 bytes;
    // v2 adds maxFee feeExecuted expirationBlock (32 each) and hookData: at least 228 bytes.
    const isBurn = v1 ? bodyLen === 132 : bodyLen >= 228;
    if (!isBurn) continue; // a generic CCTP message, not a token transfer
    const bRecipient = bytes32Address(`0x${bytesAt(body, 36, 32)}`);
    const bAmount = uintAt(body, 68, 32);
    const mint = [...g.mints]
      .filter((x) => !x.used && (x.abi === EVENTS.cctpMintAndWithdraw) === v1)
      .filter((x) => {
        const total = (x.v.amount as bigint) + (v1 ? 0n : (x.v.feeCollected as bigint));
        return x.v.mintRecipient === bRecipient && total === bAmount;
      })
      .sort((a, b) => Math.abs(a.log.index - m.log.index) - Math.abs(b.log.index - m.log.index))[0];
    const sourceDomain = Number(m.v.sourceDomain as bigint);
    const nonce = v1 ? String(m.v.nonce as bigint) : (m.v.nonce as string);
    if (!mint) {
      problem(
        m,
        `MessageReceived (source domain ${sourceDomain}, nonce ${nonce}) carries a burn of ${bAmount} to ${bRecipient ?? 'a non-EVM recipient'} but no matching MintAndWithdraw in the transaction: not linked`,
      );
      continue;
    }
    mint.used = true;
    const fee = v1 ? 0n : (mint.v.feeCollected as bigint);
    events.push({
      kind: 'bridge-in',
      protocol: m.entry.protocol === 'devbridge' ? 'devbridge' : 'cctp',
      ref: ref(m.log, m.abi),
      key: `cctp:${sourceDomain}:${nonce}`,
      identifier: `CCTP${v1 ? '' : ' v2'} source domain ${sourceDomain}, nonce ${nonce}`,
      recipient: mint.v.mintRecipient as string,
      originChain: registry.chainOfCctpDomain(sourceDomain),
      originChainId: String(sourceDomain),
      token: mint.v.mintToken as string,
      amount: mint.v.amount as bigint,
      depositAmount: bAmount,
      ...(fee > 0n ? { note: `fee collected at the destination: ${fee}` } : {}),
      related: [ref(mint.log, mint.abi)],
    });
  }

  for (const x of g.mints)
    if (!x.used)
      problem(
        x,
        `MintAndWithdraw of ${x.v.amount} to ${x.v.mintRecipient} without a matching MessageReceived in the transaction: no source domain or nonce, not linked`,
      );
}
