// GraphSense's tag vocabulary (concepts, confidence levels) and its REST API's address tags as
// labels: the part of the GraphSense mapping (see graphsense.ts for the rules) that a trace needs,
// kept apart from the TagPack YAML importer so that a trace does not load the YAML parser.
import type { Label } from '../../core/model.js';
import { oneLine, optString } from '../collect.js';

/** GraphSense concept id → fundtrace category (null: carries no category, e.g. source concepts). */
export const CONCEPTS: Readonly<Record<string, string | null>> = {
  // abuse
  sanction: 'sanctioned',
  terrorism: 'terrorist_financing',
  terrorism_financing: 'terrorist_financing',
  extremism: 'terrorist_financing',
  sexual_abuse: 'child_abuse',
  child_sexual_abuse: 'child_abuse',
  ransomware: 'ransomware',
  hacking: 'theft',
  service_hack: 'theft',
  account_hack: 'theft',
  exploit: 'theft',
  data_breach: 'theft',
  malware: 'theft',
  scam: 'scam',
  phishing: 'scam',
  social_engineering: 'scam',
  investment_fraud: 'scam',
  ponzi_scheme: 'scam',
  pyramid_scheme: 'scam',
  extortion: 'scam',
  sextortion: 'scam',
  abuse: 'illicit',
  financial_crime: 'illicit',
  money_laundering: 'illicit',
  payment_card_fraud: 'illicit',
  counterfeit: 'illicit',
  drugs: 'illicit',
  weapons: 'illicit',
  human_trafficking: 'illicit',
  violence: 'illicit',
  murder: 'illicit',
  torture: 'illicit',
  perpetrator: 'illicit',
  // Only usdt_blacklist.yaml uses it: addresses Tether froze, i.e. frozen by the token issuer.
  black_list: 'frozen_by_issuer',
  // entities and services
  exchange: 'exchange',
  atm: 'exchange',
  mixing_service: 'mixer',
  mixing: 'mixer',
  coinjoin: 'mixer',
  market: 'darknet_market',
  gambling: 'gambling',
  payment_processor: 'payment_processor',
  wallet_service: 'wallet_service',
  escrow_wallet: 'wallet_service',
  defi_bridge: 'bridge',
  defi_dex: 'dex',
  defi_dex_pair: 'dex',
  defi: 'defi',
  defi_token: 'defi',
  defi_lending: 'defi',
  defi_derivatives: 'defi',
  defi_dao: 'defi',
  defi_staking: 'defi',
  defi_custody: 'defi',
  miner: 'miner',
  mining_service: 'miner',
  service: 'service',
  filesharing: 'service',
  index: 'service',
  messaging_service: 'service',
  search_engine: 'service',
  shop: 'service',
  faucet: 'service',
  hosting: 'service',
  vpn: 'service',
  nameservice: 'service',
  organization: 'organization',
  donation: 'organization',
  ico_wallet: 'organization',
  user: 'individual',
  victim: 'individual',
  entity: 'unknown',
  unknown: 'unknown',
  // usage patterns and sources say nothing about who controls the address
  concept: null,
  behaviour: null,
  gray_usage: null,
  white_usage: null,
  cold_wallet: null,
  hot_wallet: null,
  warm_wallet: null,
  source: null,
  mention: null,
  website_mention: null,
  forum_mention: null,
  dark_web: null,
  item: null,
  collectible: null,
};

/** GraphSense confidence id → level (schema/taxonomy/confidence.csv). */
export const CONFIDENCE_LEVELS: Readonly<Record<string, number>> = {
  override: 100,
  ownership: 100,
  ledger_immanent: 100,
  manual_transaction: 90,
  service_api: 70,
  forensic_investigation: 70,
  authority_data: 60,
  trusted_provider: 50,
  service_data: 50,
  forensic: 50,
  untrusted_transaction: 40,
  web_crawl: 20,
  heuristic: 10,
  unknown: 5,
};

export const confidenceOfLevel = (level: number): 'high' | 'medium' | 'low' =>
  level >= 60 ? 'high' : level >= 50 ? 'medium' : 'low';

export const WEAK = new Set(['unknown', 'individual']);
/** A Treasury host: the only place an OFAC designation is published. */
const TREASURY_HOST = /(?:^|\.)(?:treasury\.gov|treas\.gov)$/i;
const OFAC_PATH = /ofac|sanction|sdn/i;

export type Fields = Record<string, unknown>;

/** The host of the tag's source when it is an OFAC publication on a Treasury host. */
export function ofacSource(tag: Fields): string | undefined {
  const src = optString(tag.source);
  if (!src) return undefined;
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (!TREASURY_HOST.test(url.hostname)) return undefined;
  return OFAC_PATH.test(url.hostname) || OFAC_PATH.test(url.pathname) ? url.hostname : undefined;
}

export function tagNote(tag: Fields): string | undefined {
  const parts: string[] = [];
  const add = (name: string, v: unknown) => {
    const s = optString(v);
    if (s) parts.push(`${name}: ${s}`);
  };
  add('source', tag.source);
  add('category', tag.category);
  add('abuse', tag.abuse);
  add('confidence', tag.confidence);
  add('actor', tag.actor);
  if (optString(tag.is_public) === 'false') parts.push('not public');
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * Tags from the GraphSense REST API (`address_tag` objects of GET /{c}/addresses/{a}/tags,
 * already shape-checked by the source) → labels of `address`, mapped as TagPack tags are:
 * categories from abuse/category/concepts (an unknown one → `unknown`), confidence from
 * `confidence_level` (else the `confidence` id), entity from `actor` (else `label`), source
 * `graphsense:<tagpack title>`, and the GraphSense entity (cluster) id in the note, so a
 * report shows which whole-chain cluster the tag came from.
 */
export function labelsFromApiTags(chain: string, address: string, tags: readonly Fields[]): Label[] {
  const out: Label[] = [];
  for (const tag of tags) {
    const found = new Set<string>();
    const fields = [tag.abuse, tag.category, ...(Array.isArray(tag.concepts) ? tag.concepts : [])];
    for (const raw of fields) {
      const id = optString(raw)?.toLowerCase();
      if (id === undefined) continue;
      const mapped = Object.hasOwn(CONCEPTS, id) ? CONCEPTS[id] : undefined;
      if (mapped) found.add(mapped);
    }
    if (ofacSource(tag)) found.add('sanctioned');
    const strong = [...found].filter((cat) => !WEAK.has(cat));
    const categories = strong.length > 0 ? strong : found.size > 0 ? [...found] : ['unknown'];
    const levelRaw = tag.confidence_level;
    const idLevel = optString(tag.confidence)?.toLowerCase();
    const level =
      typeof levelRaw === 'number' && Number.isFinite(levelRaw)
        ? levelRaw
        : idLevel !== undefined && Object.hasOwn(CONFIDENCE_LEVELS, idLevel)
          ? CONFIDENCE_LEVELS[idLevel]
          : undefined;
    const entity = oneLine(optString(tag.actor) ?? optString(tag.label) ?? 'unnamed');
    const pack = oneLine(optString(tag.tagpack_title) ?? 'api');
    const notes = [tagNote(tag)];
    if (tag.entity !== undefined && tag.entity !== null)
      notes.push(`graphsense entity ${String(tag.entity)}`);
    const inherited = optString(tag.inherited_from);
    if (inherited) notes.push(`inherited from the ${inherited}`);
    const note = notes.filter((n): n is string => n !== undefined).join('; ');
    const lastmod = optString(tag.lastmod);
    for (const category of categories) {
      const l: Label = { chain, address, entity, category, source: `graphsense:${pack}` };
      if (level !== undefined) l.confidence = confidenceOfLevel(level);
      if (note) l.note = note;
      if (lastmod) l.lastmod = lastmod;
      l.graphsense = {
        entity: typeof tag.entity === 'number' && Number.isSafeInteger(tag.entity) ? tag.entity : null,
        confidenceLevel: level !== undefined && Number.isInteger(level) ? level : null,
      };
      out.push(l);
    }
  }
  return out;
}
