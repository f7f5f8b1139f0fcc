// The event layer the engine calls: decode a transaction's logs against the registry, link bridge
// legs by their protocol keys, list heuristic candidates on request, read THORChain statuses.
export { EVENTS, type EventAbi } from './abi.js';
export {
  type Arrival,
  type BridgeCandidate,
  bridgeCandidates,
  type CandidateRule,
  checkRule,
} from './candidates.js';
export { type DecodeResult, decodeTxLogs } from './decode.js';
export { disagreement, type LinkResult, linkBridges } from './link.js';
export {
  buildRegistry,
  type ChainIds,
  parseRegistryFile,
  type Registry,
  RegistryConflict,
  type RegistryEntry,
  type RegistryProtocol,
} from './registry.js';
export {
  decodeThorStatus,
  parseThorMemo,
  type ThorInbound,
  type ThorMemo,
  type ThorOutbound,
  type ThorStatus,
} from './thorchain.js';
export type * from './types.js';
