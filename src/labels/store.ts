// The in-memory label store: every label of every loaded file, looked up in O(1) by
// (chain, address). Conflicting labels for one address are all kept (`get` returns them all);
// `primary` picks the one that decides the exposure category (see taxonomy.ts). Only exact
// duplicates (every field equal, e.g. the same list loaded twice) are dropped.
import { findChain } from '../core/chains.js';
import { inputError } from '../core/errors.js';
import type { Label } from '../core/model.js';
import {
  formatProblem,
  isLenientFor,
  type LoadedLabels,
  type LoadOptions,
  lenientHint,
  loadLabelFile,
} from './load.js';
import { type CategoryPolicy, DEFAULT_POLICY, primaryLabel, rankLabels } from './taxonomy.js';
import type { LabelProblem } from './types.js';

const chainCache = new Map<string, { name: string; account: boolean }>();

/** Canonical chain name and kind for a name/alias (cached: lookups are hot in a trace). */
function chainOf(chain: string): { name: string; account: boolean } {
  let hit = chainCache.get(chain);
  if (hit === undefined) {
    const info = findChain(chain);
    // EVM hex is case-insensitive; TRON's base58 (an account chain too) is not.
    hit = {
      name: info?.name ?? chain.trim().toLowerCase(),
      account: info?.kind === 'account' && info.addressFormat !== 'tron',
    };
    // Unknown names are not cached: a chain registered later (config) must still resolve.
    if (info) chainCache.set(chain, hit);
  }
  return hit;
}

/**
 * The lookup key of an address: case-insensitive where the chain's addresses are (EVM hex,
 * bech32), as given otherwise (base58, Bitcoin's or TRON's, is case-sensitive). Cheap: no checksum computed, so a
 * lookup costs one string normalisation and one Map access.
 */
export function lookupKey(chain: string, address: string): string {
  const { name, account } = chainOf(chain);
  const a = address.trim();
  const norm = account || /^(bc|tb|bcrt)1/i.test(a) ? a.toLowerCase() : a;
  return `${name}\u0000${norm}`;
}

// Identity of a label for de-duplication: every field that `get` callers can see. Kept in a hash
// set so an address with N labels loads in O(N), not O(N²) (a 100k-label address took 150 s).
const labelKey = (key: string, l: Label) =>
  JSON.stringify([key, l.entity, l.category, l.source, l.confidence, l.note ?? null, l.lastmod ?? null]);

/** One answer for every unlabelled address (a trace asks about 100 000s; the engine remembers each answer). */
const NO_LABELS: readonly Label[] = Object.freeze([]);

export class LabelStore implements Iterable<Label> {
  private readonly byAddress = new Map<string, Label[]>();
  /** Only for addresses with more than one label: a lone label needs no set entry. */
  private readonly seen = new Set<string>();
  private count = 0;

  constructor(labels: Iterable<Label> = []) {
    this.addAll(labels);
  }

  /** Add one label; false when an identical label is already stored. */
  add(label: Label): boolean {
    const key = lookupKey(label.chain, label.address);
    const bucket = this.byAddress.get(key);
    if (!bucket) {
      this.byAddress.set(key, [label]);
    } else {
      // The first label of a bucket enters the set lazily, when a second one arrives.
      if (bucket.length === 1) this.seen.add(labelKey(key, bucket[0]!));
      const k = labelKey(key, label);
      if (this.seen.has(k)) return false;
      this.seen.add(k);
      bucket.push(label);
    }
    this.count++;
    return true;
  }

  /** Add many labels; returns how many were new. */
  addAll(labels: Iterable<Label>): number {
    let added = 0;
    for (const l of labels) if (this.add(l)) added++;
    return added;
  }

  /** Every label of the address (any case for EVM/bech32), in load order; [] when unlabelled. */
  get(chain: string, address: string): readonly Label[] {
    return this.byAddress.get(lookupKey(chain, address)) ?? NO_LABELS;
  }

  has(chain: string, address: string): boolean {
    return this.byAddress.has(lookupKey(chain, address));
  }

  /** The label deciding the address's exposure category (sanctioned first, see taxonomy.ts). */
  primary(chain: string, address: string, policy: CategoryPolicy = DEFAULT_POLICY): Label | undefined {
    return primaryLabel(this.get(chain, address), policy);
  }

  /** The address's labels, best first. */
  ranked(chain: string, address: string, policy: CategoryPolicy = DEFAULT_POLICY): Label[] {
    return rankLabels(this.get(chain, address), policy);
  }

  /** Number of labels stored. */
  get size(): number {
    return this.count;
  }

  /** Number of distinct labelled (chain, address) pairs. */
  get addressCount(): number {
    return this.byAddress.size;
  }

  *[Symbol.iterator](): Iterator<Label> {
    for (const bucket of this.byAddress.values()) yield* bucket;
  }
}

export interface StoreLoad {
  store: LabelStore;
  files: LoadedLabels[];
  /** Problems of all files (lenient mode only; strict mode throws). */
  warnings: LabelProblem[];
}

/**
 * Load several label files into one store. A file that must be strict (see isLenientFor) and has
 * problems fails the load: every such problem of every file is collected first and reported in one
 * BAD_INPUT error. The other files' problems are returned as warnings.
 */
export async function loadLabelStore(paths: readonly string[], opts: LoadOptions = {}): Promise<StoreLoad> {
  const files: LoadedLabels[] = [];
  for (const p of paths) files.push(await loadLabelFile(p, { ...opts, lenient: true }));
  const refused = files.filter((f) => f.warnings.length > 0 && !isLenientFor(f.format, opts));
  if (refused.length > 0) {
    const problems = refused.flatMap((f) => f.warnings);
    const bad = refused.length;
    const hint = [...new Set(refused.map((f) => lenientHint(f.format, 'load')))].join('; ');
    throw inputError(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${bad} label file${bad === 1 ? '' : 's'}, nothing loaded (${hint})`,
      problems.map(formatProblem),
    );
  }
  const warnings = files.flatMap((f) => f.warnings);
  const store = new LabelStore();
  for (const f of files) store.addAll(f.entries);
  return { store, files, warnings };
}
