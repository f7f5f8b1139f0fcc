// The engine's view of the labels: which label names an address, and where a trace stops
// (a flagged cluster or a service exit), by the category policy.
import type { Label } from '../core/model.js';
import type { LabelPolicy } from '../core/trace-types.js';
import { type CategoryPolicy, DEFAULT_POLICY, primaryLabel } from './taxonomy.js';

export function labelPolicy(
  lookup: (address: string) => readonly Label[],
  cats: CategoryPolicy = DEFAULT_POLICY,
  /** Changes when labels were added during a trace (a source's tags): forget what was remembered. */
  generation?: () => number,
): LabelPolicy {
  // The engine asks about the same addresses many times (limits, nodes, clusters): remember answers.
  const memo = new Map<string, readonly Label[]>();
  let seen = generation?.();
  const labelsOf = (a: string) => {
    if (generation) {
      const g = generation();
      if (g !== seen) {
        memo.clear();
        seen = g;
      }
    }
    let l = memo.get(a);
    if (l === undefined) {
      l = lookup(a);
      memo.set(a, l);
    }
    return l;
  };
  return {
    labelsOf,
    primary: (labels) => primaryLabel(labels, cats),
    stopKind(labels) {
      const p = primaryLabel(labels, cats);
      if (!p) return null;
      if (cats.flagged.has(p.category)) return 'flagged';
      if (cats.service.has(p.category)) return 'exit';
      return null;
    },
  };
}
