// Counts for `labels stats`-style summaries: how many labels per category, chain and source.
// Returns data only; keys (sources, entities) are untrusted text and must be sanitised by whoever prints them.
import type { Label } from '../core/model.js';
import { lookupKey } from './store.js';

export interface CountRow {
  key: string;
  count: number;
}

export interface LabelStats {
  labels: number;
  /** distinct (chain, address) pairs */
  addresses: number;
  byCategory: CountRow[];
  byChain: CountRow[];
  bySource: CountRow[];
}

export function labelStats(labels: Iterable<Label>): LabelStats {
  const byCategory = new Map<string, number>();
  const byChain = new Map<string, number>();
  const bySource = new Map<string, number>();
  const addresses = new Set<string>();
  let n = 0;
  for (const l of labels) {
    n++;
    bump(byCategory, l.category);
    bump(byChain, l.chain);
    bump(bySource, l.source);
    addresses.add(lookupKey(l.chain, l.address));
  }
  return {
    labels: n,
    addresses: addresses.size,
    byCategory: rows(byCategory),
    byChain: rows(byChain),
    bySource: rows(bySource),
  };
}

const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

/** Most frequent first, then by key, so output is stable. */
const rows = (m: Map<string, number>): CountRow[] =>
  [...m]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
