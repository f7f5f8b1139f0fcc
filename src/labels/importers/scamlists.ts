// Phishing/scam address lists → category scam (phishing is a scam subtype in our taxonomy):
//  - MyEtherWallet darklist: `[{ "address", "comment", "date" }]`. entity = comment (else
//    "unnamed (MEW darklist)"); `date` (YYYY-MM-DD or M/DD/YY) becomes lastmod. Its sibling, the
//    lightlist (format mew-lightlist, known-good addresses), imports as category organization.
//  - ScamSniffer scam-database: `address.json` (array of addresses; entity "unnamed (ScamSniffer
//    blacklist)"), `combined.json` (`{ "<phishing domain>": [addresses] }`; entity = the domain),
//    and the daily `{ "domains": [...] }` archives, which hold no addresses (nothing to import).
//  - a plain address list (text, one per line, or a JSON array of strings) with the chain,
//    category and entity given in the options.
// The chain defaults to ethereum (both lists are EVM drainer/phishing lists); `opts.chain` overrides.
import type { Label } from '../../core/model.js';
import { Collector, fileStem, isRecord, optString, parseJson, pointer } from '../collect.js';
import { quoteUntrusted } from '../sanitize.js';
import { normaliseCategory } from '../taxonomy.js';
import type { ImportOptions, ImportResult } from '../types.js';
import { listItems } from './ofac.js';

interface Ctx {
  chain: string;
  source: string;
  c: Collector;
}

function start(file: string, opts: ImportOptions, source: string): Ctx | Collector {
  const c = new Collector(file);
  const chain = c.chain(opts.chain ?? 'ethereum', 1);
  return chain ? { chain, source: opts.source ?? source, c } : c;
}

export function importMewDarklist(text: string, file: string, opts: ImportOptions = {}): ImportResult {
  return importMewList(text, file, opts, DARK);
}

/** The MEW lightlist has the same shape but lists known-good addresses: category organization. */
export function importMewLightlist(text: string, file: string, opts: ImportOptions = {}): ImportResult {
  return importMewList(text, file, opts, LIGHT);
}

interface MewKind {
  source: string;
  category: string;
  unnamed: string;
  note: string;
}

const DARK: MewKind = {
  source: 'mew-darklist',
  category: 'scam',
  unnamed: 'unnamed (MEW darklist)',
  note: 'MyEtherWallet darklist (scam/phishing)',
};
const LIGHT: MewKind = {
  source: 'mew-lightlist',
  category: 'organization',
  unnamed: 'unnamed (MEW lightlist)',
  note: 'MyEtherWallet lightlist (known good)',
};

function importMewList(text: string, file: string, opts: ImportOptions, kind: MewKind): ImportResult {
  const ctx = start(file, opts, kind.source);
  if (ctx instanceof Collector) return ctx.result();
  const doc = parseJson(text, ctx.c);
  if (doc === undefined) return ctx.c.result();
  if (!Array.isArray(doc)) {
    ctx.c.problem('', 'expected a JSON array of {address, comment, date}');
    return ctx.c.result();
  }
  doc.forEach((item, i) => {
    addMewEntry(item, pointer(i), ctx, kind);
  });
  return ctx.c.result();
}

function addMewEntry(item: unknown, loc: string, { chain, source, c }: Ctx, kind: MewKind): void {
  if (!isRecord(item)) {
    c.problem(loc, 'expected an object with an address');
    return;
  }
  const address = c.address(chain, item.address, `${loc}/address`);
  if (!address) return;
  const comment = optString(item.comment);
  const label: Label = {
    chain,
    address,
    entity: comment ?? kind.unnamed,
    category: kind.category,
    source,
    confidence: 'medium',
    note: kind.note,
  };
  const date = isoDate(optString(item.date));
  if (date) label.lastmod = date;
  c.add(label, loc);
}

/** `2018-03-12` stays; `7/22/17` → 2017-07-22; anything else is dropped. */
export function isoDate(s: string | undefined): string | undefined {
  if (!s) return undefined;
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) return s.slice(0, 10);
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(s);
  if (!m) return undefined;
  const year = m[3]!.length === 2 ? `20${m[3]}` : m[3]!;
  return `${year}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
}

export function importScamSniffer(text: string, file: string, opts: ImportOptions = {}): ImportResult {
  const ctx = start(file, opts, 'scamsniffer');
  if (ctx instanceof Collector) return ctx.result();
  const doc = parseJson(text, ctx.c);
  if (doc === undefined) return ctx.c.result();
  if (Array.isArray(doc)) {
    doc.forEach((raw, i) => {
      addScam(raw, pointer(i), 'unnamed (ScamSniffer blacklist)', ctx);
    });
  } else if (isRecord(doc) && Array.isArray(doc.domains) && Object.keys(doc).length === 1) {
    ctx.c.skip('phishing domain without an address', doc.domains.length);
  } else if (isRecord(doc)) {
    readDomainMap(doc, ctx);
  } else ctx.c.problem('', 'expected an array of addresses or an object of domain → addresses');
  return ctx.c.result();
}

function readDomainMap(doc: Record<string, unknown>, ctx: Ctx): void {
  for (const [domain, list] of Object.entries(doc)) {
    const loc = pointer(domain);
    if (!Array.isArray(list)) {
      ctx.c.problem(loc, 'expected an array of addresses');
      continue;
    }
    if (list.length === 0) ctx.c.skip('phishing domain without an address');
    // The real combined.json has an empty-string domain key; the label still needs an entity.
    const entity = domain.trim() || 'unnamed (ScamSniffer phishing site)';
    list.forEach((raw, i) => {
      addScam(raw, `${loc}${pointer(i)}`, entity, ctx, 'ScamSniffer: address behind phishing site');
    });
  }
}

function addScam(
  raw: unknown,
  loc: string,
  entity: string,
  { chain, source, c }: Ctx,
  note = 'ScamSniffer blacklist (phishing/drainer)',
): void {
  const address = c.address(chain, raw, loc);
  if (!address) return;
  c.add({ chain, address, entity, category: 'scam', source, confidence: 'medium', note }, loc);
}

/** A plain list of addresses; `opts.chain` and `opts.category` are required. */
export function importAddressList(text: string, file: string, opts: ImportOptions = {}): ImportResult {
  const c = new Collector(file);
  if (!opts.chain || !opts.category) {
    c.problem(1, 'a plain address list needs a chain and a category (options chain, category)');
    return c.result();
  }
  const chain = c.chain(opts.chain, 1);
  const category = normaliseCategory(opts.category);
  if (!category) c.problem(1, `unknown category ${quoteUntrusted(opts.category)}`);
  if (!chain || !category) return c.result();
  const source = opts.source ?? fileStem(file);
  const entity = opts.entity ?? source;
  for (const { loc, raw } of listItems(text, file, c)) {
    const address = c.address(chain, raw, loc);
    if (address) c.add({ chain, address, entity, category, source }, loc);
  }
  return c.result();
}
