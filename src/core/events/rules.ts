// The engine's view of the registry: how to decode a transaction's logs, and which tokens are
// wrapped native (src/core/account/convert.ts). Pure.
import type { TxLog } from '../model.js';
import type { EventRules } from '../trace-types.js';
import { decodeTxLogs } from './decode.js';
import type { Registry } from './registry.js';

/** Registry protocols that move value to another chain (DEX and wrapper contracts are not stops). */
const BRIDGES: ReadonlySet<string> = new Set(['cctp', 'cctp-v2', 'across', 'hop', 'stargate', 'devbridge']);

export function eventRules(registry: Registry): EventRules {
  return {
    decode: (chain: string, logs: readonly TxLog[]) => decodeTxLogs(chain, logs, registry),
    isWrappedNative: (chain: string, contract: string) =>
      registry.at(chain, contract)?.role === 'wrapped-native',
    bridgeEntry: (chain: string, address: string) => {
      const e = registry.at(chain, address);
      // Where value goes in: not the message transmitter (it only relays) nor the hub pool.
      return e && BRIDGES.has(e.protocol) && e.role !== 'message-transmitter' && e.role !== 'hub-pool'
        ? { protocol: e.protocol, name: e.name }
        : undefined;
    },
  };
}
