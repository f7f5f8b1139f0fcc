// Which Bitcoin heuristics a trace applies: the `--heuristics` flag parsed into a selection.
// A module of its own (no detector code) so the CLI parses the flag without loading the detectors.
import { usageError } from '../errors.js';
import type { CoinjoinOptions } from './coinjoin.js';
import type { PeelOptions } from './peel.js';

export const HEURISTIC_NAMES = ['coinjoin', 'change', 'peel'] as const;
export type HeuristicName = (typeof HEURISTIC_NAMES)[number];

export interface HeuristicSelection {
  coinjoin: boolean;
  change: boolean;
  peel: boolean;
  coinjoinOptions?: CoinjoinOptions;
  peelOptions?: PeelOptions;
}

export const ALL_HEURISTICS: HeuristicSelection = Object.freeze({ coinjoin: true, change: true, peel: true });
export const NO_HEURISTICS: HeuristicSelection = Object.freeze({
  coinjoin: false,
  change: false,
  peel: false,
});

/**
 * `--heuristics LIST` (comma-separated names, `all` or `none`) or `--no-heuristics` (false) →
 * a selection. undefined/true = all on. Unknown names are a usage error listing the choices.
 */
export function parseHeuristics(value: string | boolean | undefined): HeuristicSelection {
  if (value === undefined || value === true) return { ...ALL_HEURISTICS };
  if (value === false) return { ...NO_HEURISTICS };
  const sel: HeuristicSelection = { ...NO_HEURISTICS };
  for (const raw of value.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if (name === 'all') Object.assign(sel, ALL_HEURISTICS);
    else if (name === 'none') Object.assign(sel, NO_HEURISTICS);
    else if ((HEURISTIC_NAMES as readonly string[]).includes(name)) sel[name as HeuristicName] = true;
    else
      throw usageError(
        `--heuristics: unknown heuristic ${JSON.stringify(raw.trim()).slice(0, 60)} (choose from ${HEURISTIC_NAMES.join(', ')}, all, none)`,
      );
  }
  return sel;
}
