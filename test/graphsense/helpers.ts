// Shared bits of the GraphSense tests.
import type { Scenario } from '../esplora/scenario.js';

/** The scenario without its mempool transactions (GraphSense serves confirmed blocks only). */
export function confirmedOnly(s: Scenario): Scenario {
  return { ...s, txs: s.txs.filter((t) => t.height !== null) };
}
