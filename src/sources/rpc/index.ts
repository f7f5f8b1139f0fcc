// Public API of the rpc: source (EVM JSON-RPC). The `rpc:` kind is in the table of src/app/sources.ts.
export { isMethodMissing, isRangeError, JsonRpc, RpcError, suggestedRange } from './jsonrpc.js';
export { type Capabilities, type Identity, type LedgerData, RpcNode, readIdentity } from './node.js';
export { DEFAULT_HISTORY_CAP, openRpcSource, type RpcOpenedSource, type RpcSourceExtras } from './open.js';
export { RpcAccountView } from './view.js';
