// The engine's view of the registry: how to decode a transaction's logs, and which tokens are
// wrapped native (src/core/account/convert.ts). Pure.
import type { TxLog } from '../model.js';
import type { EventRules } from '../trace-types.js';
import { decodeTxLogs } from './decode.js';
import type { Registry } from './registry.js';

export function eventRules(registry: Registry): EventRules {
  return {
    decode: (chain: string, logs: readonly TxLog[]) => decodeTxLogs(chain, logs, registry),
    isWrappedNative: (chain: string, contract: string) =>
      registry.at(chain, contract)?.role === 'wrapped-native',
  };
}
