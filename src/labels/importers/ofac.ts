// OFAC sanctions data, in the two shapes that circulate:
//  - `sdn.csv`, the legacy SDN CSV (no header; ent_num, SDN_Name, SDN_Type, Program, …, Remarks).
//    Addresses sit in Remarks as "Digital Currency Address - <TICKER> <address>" (the rest as
//    "alt. Digital Currency Address - …"). OFAC cuts Remarks at 1,000 characters, so an address at
//    the very end of a cut field is incomplete: that is a problem, never an entry. One label per
//    (chain, address) of each SDN entry: entity = SDN_Name, category sanctioned, confidence high.
//  - the per-asset lists `sanctioned_addresses_<TICKER>.txt|json` (0xB10C's extraction from
//    sdn_advanced.xml): one address per line or a JSON array. They carry no names, so the entity is
//    "OFAC SDN" unless a name index built from the SDN CSV (`sdnNameIndex`) knows better.
// Tickers map to chains through currencies.ts; tickers of unsupported chains are skipped and counted.
import type { Label } from '../../core/model.js';
import { Collector, parseJson, pointer, stripBom } from '../collect.js';
import { parseCsv } from '../csv.js';
import { chainForCurrency, safeCode } from '../currencies.js';
import { quoteUntrusted } from '../sanitize.js';
import type { ImportOptions, ImportResult } from '../types.js';
import { OFAC_LIST_FILE } from './names.js';

const REMARKS_LIMIT = 1000;
const MENTION = 'Digital Currency Address - ';
const ADDRESS_RE = /Digital Currency Address - (\w+)(?: ([A-Za-z0-9:]+))?/g;
const EMPTY = '-0-';

export function importOfacSdn(text: string, file: string, opts: ImportOptions = {}): ImportResult {
  const c = new Collector(file);
  const source = opts.source ?? 'ofac-sdn-csv';
  for (const rec of parseCsv(text)) {
    if (rec.fields.length < 12) {
      c.problem(rec.line, `expected 12 SDN fields, found ${rec.fields.length}`);
      continue;
    }
    const [entNum, name, type, program] = rec.fields.map(clean);
    const remarks = rec.fields[11]!;
    if (!remarks.includes('Digital Currency Address')) {
      c.skip('SDN entry without a digital currency address');
      continue;
    }
    const sdn = { entNum: entNum!, name: name!, type: type!, program: program!, source, line: rec.line };
    addSdnEntry(remarkAddresses(remarks, rec.line, c), sdn, c);
  }
  return c.result();
}

const clean = (f: string) => {
  const t = f.trim();
  return t === EMPTY ? '' : t;
};

interface Found {
  ticker: string;
  address: string;
}

/** The complete addresses in one Remarks field; cut-off ones become problems. */
function remarkAddresses(remarks: string, line: number, c: Collector): Found[] {
  const cut = remarks.length >= REMARKS_LIMIT && !remarks.trimEnd().endsWith('.');
  const found: Found[] = [];
  let coveredTo = 0;
  for (const m of remarks.matchAll(ADDRESS_RE)) {
    const ticker = m[1]!;
    const address = m[2];
    const end = m.index + m[0].length;
    coveredTo = end;
    if (cut && end >= remarks.trimEnd().length) {
      c.problem(
        line,
        `address cut off where OFAC truncated Remarks at ${REMARKS_LIMIT} characters: ${quoteUntrusted(`${ticker} ${address ?? ''}`.trim())}`,
      );
    } else if (!address) {
      c.problem(line, `no address after ${quoteUntrusted(`Digital Currency Address - ${ticker}`)}`);
    } else found.push({ ticker, address });
  }
  if (cut && coveredTo < remarks.trimEnd().length && endsWithPartialMention(remarks)) {
    c.problem(
      line,
      `an address entry was cut off where OFAC truncated Remarks at ${REMARKS_LIMIT} characters`,
    );
  }
  return found;
}

/** Whether the text after the last "; " is the beginning of a "(alt. )Digital Currency Address" entry. */
function endsWithPartialMention(remarks: string): boolean {
  const tail = remarks
    .slice(remarks.lastIndexOf(';') + 1)
    .trim()
    .replace(/^alt\.\s*/, '');
  return tail.length >= 3 && MENTION.startsWith(tail);
}

interface Sdn {
  entNum: string;
  name: string;
  type: string;
  program: string;
  source: string;
  line: number;
}

/** One label per (chain, address) of an SDN entry; the tickers sharing it (ETH, USDT, …) go into the note. */
function addSdnEntry(found: Found[], sdn: Sdn, c: Collector): void {
  const byAddress = new Map<string, { chain: string; address: string; tickers: string[] }>();
  for (const f of found) {
    const chain = chainForCurrency(f.ticker, f.address);
    if (!chain) {
      c.skip(`unsupported currency ${safeCode(f.ticker)}`);
      continue;
    }
    const address = c.address(chain, f.address, sdn.line);
    if (!address) continue;
    const key = `${chain}:${address}`;
    const seen = byAddress.get(key);
    if (!seen) byAddress.set(key, { chain, address, tickers: [f.ticker] });
    else if (seen.tickers.includes(f.ticker))
      c.problem(sdn.line, `address listed twice: ${f.ticker} ${address}`);
    else seen.tickers.push(f.ticker);
  }
  if (byAddress.size > 0 && !sdn.name) {
    c.problem(sdn.line, 'SDN entry without a name');
    return;
  }
  for (const { chain, address, tickers } of byAddress.values()) {
    const what = [sdn.type, sdn.program && `program ${sdn.program}`, tickers.join(', ')]
      .filter(Boolean)
      .join('; ');
    c.add(
      {
        chain,
        address,
        entity: sdn.name,
        category: 'sanctioned',
        source: sdn.source,
        confidence: 'high',
        note: `OFAC SDN entry ${sdn.entNum} (${what})`,
      },
      sdn.line,
    );
  }
}

/**
 * Per-asset OFAC lists. The ticker comes from the file name (`sanctioned_addresses_XBT.txt`);
 * `opts.chain` overrides the chain. `names` maps `chain:address` to an SDN name (see sdnNameIndex).
 */
export function importOfacList(
  text: string,
  file: string,
  opts: ImportOptions = {},
  names?: ReadonlyMap<string, string>,
): ImportResult {
  const c = new Collector(file);
  const ticker = OFAC_LIST_FILE.exec(file)?.[1]?.toUpperCase();
  if (!ticker && !opts.chain) {
    c.problem(1, 'cannot tell the asset: name the file sanctioned_addresses_<TICKER>.txt or give a chain');
    return c.result();
  }
  const ctx = { ticker: ticker ?? '', opts, names, source: opts.source ?? 'ofac-sdn-list' };
  for (const { loc, raw } of listItems(text, file, c)) addListAddress(raw, loc, ctx, c);
  return c.result();
}

interface ListCtx {
  ticker: string;
  opts: ImportOptions;
  names: ReadonlyMap<string, string> | undefined;
  source: string;
}

/** Lines of a text list (blank lines and # comments ignored) or items of a JSON array of strings. */
export function listItems(
  text: string,
  file: string,
  c: Collector,
): { loc: number | string; raw: unknown }[] {
  const body = stripBom(text);
  if (/\.json$/i.test(file) || body.trimStart().startsWith('[')) {
    const doc = parseJson(body, c);
    if (doc === undefined) return [];
    if (!Array.isArray(doc)) {
      c.problem('', 'expected a JSON array of addresses');
      return [];
    }
    return doc.map((raw, i) => ({ loc: pointer(i), raw }));
  }
  const items: { loc: number; raw: string }[] = [];
  body.split('\n').forEach((line, i) => {
    const t = line.trim();
    if (t !== '' && !t.startsWith('#')) items.push({ loc: i + 1, raw: t });
  });
  return items;
}

function addListAddress(raw: unknown, loc: number | string, ctx: ListCtx, c: Collector): void {
  if (typeof raw !== 'string') {
    c.problem(loc, 'expected an address string');
    return;
  }
  const chain = ctx.opts.chain ? c.chain(ctx.opts.chain, loc) : chainForCurrency(ctx.ticker, raw);
  if (!chain) {
    if (!ctx.opts.chain) c.skip(`unsupported currency ${safeCode(ctx.ticker)}`);
    return;
  }
  const address = c.address(chain, raw, loc);
  if (!address) return;
  const label: Label = {
    chain,
    address,
    entity: ctx.opts.entity ?? ctx.names?.get(`${chain}:${address}`) ?? 'OFAC SDN',
    category: 'sanctioned',
    source: ctx.source,
    confidence: 'high',
    note: `OFAC SDN digital currency address${ctx.ticker ? ` (${ctx.ticker})` : ''}`,
  };
  c.add(label, loc);
}

/** `chain:address` → SDN name(s), from labels imported out of the SDN CSV, to name list entries. */
export function sdnNameIndex(labels: readonly Label[]): Map<string, string> {
  const names = new Map<string, Set<string>>();
  for (const l of labels) {
    if (l.category !== 'sanctioned') continue;
    const key = `${l.chain}:${l.address}`;
    const set = names.get(key) ?? new Set<string>();
    set.add(l.entity);
    names.set(key, set);
  }
  return new Map([...names].map(([k, set]) => [k, [...set].sort().join(' / ')]));
}
