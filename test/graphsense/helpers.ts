// Shared bits of the GraphSense tests.
import type { Scenario } from '../esplora/scenario.js';

/** The scenario without its mempool transactions (GraphSense serves confirmed blocks only). */
export function confirmedOnly(s: Scenario): Scenario {
  return { ...s, txs: s.txs.filter((t) => t.height !== null) };
}

interface Result {
  query: { sources?: unknown };
  warnings?: string[];
}

/** The result without what names the source, and the graphsense: warnings apart. */
export function split(stdout: string): { rest: string; gs: string[] } {
  const j = JSON.parse(stdout) as Result;
  delete j.query.sources;
  const gs = (j.warnings ?? []).filter((w) => w.startsWith('graphsense: '));
  if (j.warnings) j.warnings = j.warnings.filter((w) => !w.startsWith('graphsense: '));
  return { rest: JSON.stringify(j), gs };
}
