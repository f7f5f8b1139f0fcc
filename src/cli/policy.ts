// Wires labels into the engine's LabelPolicy: the taxonomy decides which addresses are exits
// (services) and which are flagged hits; sanctioned outranks everything (src/labels/taxonomy.ts).
import type { Label } from '../core/model.js';
import type { LabelPolicy } from '../core/trace-types.js';
import { type CategoryPolicy, DEFAULT_POLICY, primaryLabel } from '../labels/taxonomy.js';

export function labelPolicy(
  lookup: (address: string) => readonly Label[],
  cats: CategoryPolicy = DEFAULT_POLICY,
): LabelPolicy {
  return {
    labelsOf: lookup,
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

/** A simple in-memory index by address for one chain (the label store offers the same for many files). */
export function indexLabels(chain: string, labels: readonly Label[]): (address: string) => readonly Label[] {
  const m = new Map<string, Label[]>();
  for (const l of labels) {
    if (l.chain !== chain) continue;
    const list = m.get(l.address);
    if (list) list.push(l);
    else m.set(l.address, [l]);
  }
  const none: readonly Label[] = [];
  return (a) => m.get(a) ?? none;
}
