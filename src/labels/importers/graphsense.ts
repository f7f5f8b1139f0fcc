// GraphSense TagPack YAML (https://github.com/graphsense/graphsense-tagpacks).
// A pack is a header plus `tags:`; every tag field may also sit in the header, and a tag inherits
// it unless it sets its own. Mapping onto fundtrace:
//  - chain: `network`, else `currency` (BTC → bitcoin, ETH → ethereum, BSC/BEP20 → bsc, MATIC →
//    polygon, …; USDT/USDC/… with a 0x address → ethereum). Other currencies are skipped and counted.
//  - category: from `abuse`, `category` and `concepts` through CONCEPTS below (one label per
//    distinct category; `unknown`/`individual` are dropped when something more specific exists).
//    An unknown concept is a problem. `black_list` (used only by usdt_blacklist.yaml, Tether's
//    on-chain USDT blacklist, not in the concept taxonomy) maps to frozen_by_issuer.
//  - sanctioned comes only from explicit fields: `abuse`/`category`/`concepts` `sanction` (the tag's
//    or the inherited pack's), or an OFAC source: a `source` URL on treasury.gov / treas.gov whose
//    path names OFAC, sanctions or the SDN list (ofac.yaml says only `category: user`;
//    tornado_cash.yaml, blender_io.yaml, hydra.yaml and sinbad_io.yaml cite the Treasury action).
//    Never from a title, label or a non-Treasury URL that merely says "sanctions" (a pack titled
//    "review of sanctions screening" is not a sanctions list). The rule that fired is written into
//    the label's note ("sanctioned by: …"), so `labels lookup` shows why.
//  - confidence: the GraphSense level (schema/taxonomy/confidence.csv) ≥ 60 → high (ownership,
//    ledger_immanent, forensic_investigation, authority_data, …), 50 → medium (service_data,
//    forensic, trusted_provider), < 50 → low (untrusted_transaction, web_crawl, heuristic, unknown).
//    No confidence leaves it unset; an unknown id is a problem.
//  - entity: `label` (else `actor`); source: `graphsense:<pack file stem>`; the upstream source
//    URL, original category/abuse, confidence id and actor go into `note`; `lastmod` is kept.
//  - tags with `tx_hash` instead of `address` are skipped (fundtrace labels addresses).
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { Label } from '../../core/model.js';
import { Collector, fileStem, isRecord, oneLine, optString } from '../collect.js';
import { chainForCurrency, safeCode } from '../currencies.js';
import { quoteUntrusted } from '../sanitize.js';
import type { ImportOptions, ImportResult } from '../types.js';
import {
  CONCEPTS,
  CONFIDENCE_LEVELS,
  confidenceOfLevel,
  type Fields,
  ofacSource,
  tagNote,
  WEAK,
} from './graphsense-tags.js';

/** Tag fields a pack header may set for all its tags. */
const INHERITED = [
  'label',
  'source',
  'currency',
  'network',
  'context',
  'confidence',
  'is_cluster_definer',
  'lastmod',
  'category',
  'abuse',
  'actor',
  'concepts',
  'tag_type',
  'is_public',
];

export function importGraphsense(text: string, file: string, opts: ImportOptions = {}): ImportResult {
  const c = new Collector(file);
  const lc = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const err of doc.errors)
      c.problem(err.linePos?.[0]?.line ?? 1, `bad YAML: ${oneLine(firstLine(err.message))}`);
    return c.result();
  }
  const root = doc.contents;
  const tags = isMap(root) ? root.get('tags', true) : undefined;
  if (!isMap(root) || !isSeq(tags)) {
    c.problem(1, 'not a TagPack: expected a mapping with a "tags" list');
    return c.result();
  }
  const header = root.toJSON() as Fields;
  const pack = {
    header,
    title: optString(header.title) ?? '',
    source: opts.source ?? `graphsense:${fileStem(file)}`,
  };
  tags.items.forEach((node) => {
    readTag(node as Node, lineOf(node as Node, lc), pack, c);
  });
  return c.result();
}

const firstLine = (s: string) => s.split('\n', 1)[0]!;

function lineOf(node: Node | null, lc: LineCounter): number {
  const start = node?.range?.[0];
  return start === undefined ? 1 : lc.linePos(start).line;
}

interface Pack {
  header: Fields;
  title: string;
  source: string;
}

function readTag(node: Node, line: number, pack: Pack, c: Collector): void {
  const own = node?.toJSON() as unknown;
  if (!isRecord(own)) {
    c.problem(line, 'a tag must be a mapping');
    return;
  }
  const tag = inherit(pack.header, own);
  const rawAddress = optString(tag.address);
  if (rawAddress === undefined) {
    if (optString(tag.tx_hash)) c.skip('transaction tag (tx_hash), not an address');
    else c.problem(line, 'tag has no address');
    return;
  }
  const chain = tagChain(tag, rawAddress, line, c);
  if (!chain) return;
  const before = c.problemCount;
  const address = c.address(chain, rawAddress, line);
  const entity = optString(tag.label) ?? optString(tag.actor);
  if (!entity) c.problem(line, 'tag has no label');
  const { categories, sanctionRule } = tagCategories(tag, line, c);
  const confidence = tagConfidence(tag.confidence, line, c);
  if (c.problemCount !== before || !address || !entity) return;
  const note = tagNote(tag);
  const lastmod = optString(tag.lastmod);
  const labels = categories.map((category) => {
    const l: Label = { chain, address, entity, category, source: pack.source };
    if (confidence) l.confidence = confidence;
    const why = category === 'sanctioned' && sanctionRule ? `sanctioned by: ${sanctionRule}` : undefined;
    const n = [why, note].filter(Boolean).join('; ');
    if (n) l.note = n;
    if (lastmod) l.lastmod = lastmod;
    return l;
  });
  const code = (optString(tag.network) ?? optString(tag.currency) ?? '').toUpperCase();
  c.add(labels, line, code);
}

function inherit(header: Fields, own: Fields): Fields {
  const tag: Fields = {};
  for (const k of INHERITED) if (header[k] !== undefined) tag[k] = header[k];
  return { ...tag, ...own };
}

function tagChain(tag: Fields, address: string, line: number, c: Collector): string | undefined {
  const code = optString(tag.network) ?? optString(tag.currency);
  if (!code) {
    c.problem(line, 'tag has no currency');
    return undefined;
  }
  const chain = chainForCurrency(code, address);
  if (!chain) c.skip(`unsupported currency ${safeCode(code)}`);
  return chain;
}

/** The categories of a tag, and which explicit rule made it sanctioned (if one did). */
function tagCategories(
  tag: Fields,
  line: number,
  c: Collector,
): { categories: string[]; sanctionRule?: string } {
  const fields: [string, unknown][] = [
    ['abuse', tag.abuse],
    ['category', tag.category],
    ...(Array.isArray(tag.concepts) ? tag.concepts.map((x): [string, unknown] => ['concepts', x]) : []),
  ];
  const found = new Set<string>();
  let sanctionRule: string | undefined;
  for (const [field, raw] of fields) {
    const id = optString(raw);
    if (id === undefined) continue;
    const key = id.toLowerCase();
    // hasOwn: keys such as "constructor" must not reach Object.prototype.
    const mapped = Object.hasOwn(CONCEPTS, key) ? CONCEPTS[key] : undefined;
    if (mapped === undefined) c.problem(line, `unknown GraphSense category ${quoteUntrusted(id)}`);
    else if (mapped) found.add(mapped);
    if (mapped === 'sanctioned') sanctionRule ??= `${field}: ${key}`;
  }
  const ofac = ofacSource(tag);
  if (ofac && !found.has('sanctioned')) {
    found.add('sanctioned');
    sanctionRule = `OFAC source ${ofac}`;
  }
  const strong = [...found].filter((cat) => !WEAK.has(cat));
  const categories = strong.length > 0 ? strong : found.size > 0 ? [...found] : ['unknown'];
  return sanctionRule ? { categories, sanctionRule } : { categories };
}

function tagConfidence(raw: unknown, line: number, c: Collector): Label['confidence'] {
  const id = optString(raw);
  if (id === undefined) return undefined;
  const key = id.toLowerCase();
  const level = Object.hasOwn(CONFIDENCE_LEVELS, key) ? CONFIDENCE_LEVELS[key] : undefined;
  if (level === undefined) {
    c.problem(line, `unknown GraphSense confidence ${quoteUntrusted(id)}`);
    return undefined;
  }
  return confidenceOfLevel(level);
}
