// The one category taxonomy every label is normalised into, which categories count as FLAGGED
// (exposure to them is reported as risk) and which as SERVICES (custodial exits/barriers where
// tracing stops because funds are pooled), and the precedence that picks one exposure category
// for an address with several labels. The README copies the tables below.

import { usageError } from '../core/errors.js';
import type { Label } from '../core/model.js';
import { quoteUntrusted } from './sanitize.js';

export interface CategoryInfo {
  id: string;
  description: string;
}

/**
 * Every category, in precedence order (see `compareLabels`): the order inside each tier
 * (flagged, service, other) is this declaration order.
 */
export const CATEGORIES: readonly CategoryInfo[] = [
  {
    id: 'sanctioned',
    description: 'on a government sanctions list (OFAC SDN, …); outranks every other category',
  },
  {
    // A status rather than an allegation, but the most useful thing to say about a terminal: the
    // token there cannot move, and the issuer can be asked about it (hence right after sanctioned).
    id: 'frozen_by_issuer',
    description:
      'frozen by the token issuer (Tether’s USDT blacklist; GraphSense black_list): the token there cannot move; a trace stops there, shown as "frozen by issuer"',
  },
  { id: 'terrorist_financing', description: 'terrorism or extremism financing' },
  { id: 'child_abuse', description: 'sale of child sexual abuse material' },
  { id: 'ransomware', description: 'ransomware operator or payment address' },
  { id: 'theft', description: 'hack, exploit, heist, drained or stolen funds, the thief' },
  {
    id: 'scam',
    description: 'fraud: phishing (a scam subtype), drainers, fake tokens/ICOs, giveaways, ponzi',
  },
  { id: 'darknet_market', description: 'darknet market (custodial)' },
  { id: 'illicit', description: 'other criminal activity: drugs, weapons, laundering, card fraud, …' },
  { id: 'mixer', description: 'mixing service or mixer contract (Tornado Cash, ChipMixer, coinjoin)' },
  {
    id: 'blocklisted',
    description:
      'blacklisted by a list (Etherscan "blocked", GraphSense black_list); issuer freezes are frozen_by_issuer',
  },
  { id: 'exchange', description: 'centralised exchange, OTC desk, instant swap service, crypto ATM' },
  { id: 'payment_processor', description: 'payment processor or merchant gateway' },
  { id: 'gambling', description: 'casino, dice, betting' },
  { id: 'wallet_service', description: 'custodial wallet provider' },
  { id: 'bridge', description: 'cross-chain bridge or L2 gateway' },
  { id: 'service', description: 'other custodial service (shop, hosting, faucet, …)' },
  { id: 'suspicious', description: 'flagged by a third party without a specific allegation' },
  { id: 'dex', description: 'decentralised exchange, swap router, liquidity pool' },
  { id: 'defi', description: 'other DeFi protocol (lending, staking, vaults, tokens)' },
  { id: 'miner', description: 'miner or mining pool' },
  { id: 'organization', description: 'a known organisation (company, charity, project)' },
  { id: 'individual', description: 'a private person' },
  { id: 'unknown', description: 'labelled, but of unknown kind' },
];

/** Names accepted on input for a category (importers and the project's own files). */
export const CATEGORY_ALIASES: Readonly<Record<string, string>> = {
  sanction: 'sanctioned',
  sanctions: 'sanctioned',
  ofac: 'sanctioned',
  phishing: 'scam',
  fraud: 'scam',
  ponzi: 'scam',
  hack: 'theft',
  hacker: 'theft',
  exploit: 'theft',
  heist: 'theft',
  stolen: 'theft',
  mixing: 'mixer',
  mixing_service: 'mixer',
  coinjoin: 'mixer',
  market: 'darknet_market',
  darknet: 'darknet_market',
  terrorism: 'terrorist_financing',
  blacklisted: 'blocklisted',
  blocked: 'blocklisted',
  frozen: 'frozen_by_issuer',
  issuer_frozen: 'frozen_by_issuer',
  frozen_by_tether: 'frozen_by_issuer',
  cex: 'exchange',
  casino: 'gambling',
  mining: 'miner',
  mining_pool: 'miner',
  person: 'individual',
  user: 'individual',
  organisation: 'organization',
};

const ORDER = new Map(CATEGORIES.map((c, i) => [c.id, i]));

export const isKnownCategory = (id: string): boolean => ORDER.has(id);

/** The taxonomy id for an input name (case, spaces and dashes ignored); undefined when unknown. */
export function normaliseCategory(input: string): string | undefined {
  const key = input
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (ORDER.has(key)) return key;
  return Object.hasOwn(CATEGORY_ALIASES, key) ? CATEGORY_ALIASES[key] : undefined;
}

export const DEFAULT_FLAGGED: readonly string[] = [
  'sanctioned',
  'terrorist_financing',
  'child_abuse',
  'ransomware',
  'theft',
  'scam',
  'darknet_market',
  'illicit',
  'mixer',
  'blocklisted',
  'frozen_by_issuer',
];

export const DEFAULT_SERVICE: readonly string[] = [
  'exchange',
  'payment_processor',
  'gambling',
  'wallet_service',
  'bridge',
  'service',
  'mixer',
  'darknet_market',
];

/** Replace a set outright (a list) or adjust the default (`add` / `remove`). */
export type CategorySetOverride = readonly string[] | { add?: readonly string[]; remove?: readonly string[] };

export interface CategoryPolicy {
  flagged: ReadonlySet<string>;
  service: ReadonlySet<string>;
}

export const flaggedCategories = (override?: CategorySetOverride): ReadonlySet<string> =>
  applyOverride(DEFAULT_FLAGGED, override, 'flagged');

export const serviceCategories = (override?: CategorySetOverride): ReadonlySet<string> =>
  applyOverride(DEFAULT_SERVICE, override, 'service');

export function categoryPolicy(
  overrides: { flagged?: CategorySetOverride; service?: CategorySetOverride } = {},
): CategoryPolicy {
  return { flagged: flaggedCategories(overrides.flagged), service: serviceCategories(overrides.service) };
}

export const DEFAULT_POLICY: CategoryPolicy = categoryPolicy();

function applyOverride(base: readonly string[], override: CategorySetOverride | undefined, what: string) {
  if (override === undefined) return new Set(base);
  if (isList(override)) return new Set(override.map((name) => checked(name, what)));
  const set = new Set(base);
  for (const name of override.add ?? []) set.add(checked(name, what));
  for (const name of override.remove ?? []) set.delete(checked(name, what));
  return set;
}

function isList(o: CategorySetOverride): o is readonly string[] {
  return Array.isArray(o);
}

function checked(name: string, what: string): string {
  const id = normaliseCategory(name);
  if (id) return id;
  throw usageError(`unknown category in the ${what} set: ${quoteUntrusted(name)}`, [
    `known categories: ${CATEGORIES.map((c) => c.id).join(', ')}`,
  ]);
}

export const isFlagged = (category: string, policy: CategoryPolicy = DEFAULT_POLICY) =>
  policy.flagged.has(category);
export const isService = (category: string, policy: CategoryPolicy = DEFAULT_POLICY) =>
  policy.service.has(category);

/**
 * Precedence tier: 0 sanctioned (always, even if someone unflags it: a sanctions hit must never be
 * hidden behind another label), 1 flagged, 2 service, 3 any other known category, 4 unknown ids.
 */
export function categoryTier(category: string, policy: CategoryPolicy = DEFAULT_POLICY): number {
  if (category === 'sanctioned') return 0;
  if (policy.flagged.has(category)) return 1;
  if (policy.service.has(category)) return 2;
  return ORDER.has(category) ? 3 : 4;
}

const CONFIDENCE_RANK: Readonly<Record<string, number>> = { high: 0, medium: 1, low: 2 };
const confidenceRank = (c: string | undefined) =>
  c === undefined ? 4 : Object.hasOwn(CONFIDENCE_RANK, c) ? CONFIDENCE_RANK[c]! : 3;

const cmpStr = (a: string | undefined, b: string | undefined) => {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Total order on labels, best first: category tier, category order in the taxonomy, confidence
 * (high, medium, low, other, none), then source, entity, note, lastmod, chain and address by code
 * point, so the result never depends on load order.
 */
export function compareLabels(a: Label, b: Label, policy: CategoryPolicy = DEFAULT_POLICY): number {
  return (
    categoryTier(a.category, policy) - categoryTier(b.category, policy) ||
    (ORDER.get(a.category) ?? Number.MAX_SAFE_INTEGER) - (ORDER.get(b.category) ?? Number.MAX_SAFE_INTEGER) ||
    cmpStr(a.category, b.category) ||
    confidenceRank(a.confidence) - confidenceRank(b.confidence) ||
    cmpStr(a.source, b.source) ||
    cmpStr(a.entity, b.entity) ||
    cmpStr(a.note, b.note) ||
    cmpStr(a.lastmod, b.lastmod) ||
    cmpStr(a.chain, b.chain) ||
    cmpStr(a.address, b.address)
  );
}

/** The label that decides an address's exposure category; undefined for no labels. */
export function primaryLabel(
  labels: readonly Label[],
  policy: CategoryPolicy = DEFAULT_POLICY,
): Label | undefined {
  let best: Label | undefined;
  for (const l of labels) if (!best || compareLabels(l, best, policy) < 0) best = l;
  return best;
}

/** Labels sorted best first (a copy). */
export const rankLabels = (labels: readonly Label[], policy: CategoryPolicy = DEFAULT_POLICY): Label[] =>
  [...labels].sort((a, b) => compareLabels(a, b, policy));
