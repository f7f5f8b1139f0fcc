// Etherscan-family label exports (etherscan.io, bscscan, arbiscan, … label clouds), as scraped by
// dawsbot/eth-labels and brianleect/etherscan-labels:
//   - CSV `address,nameTag`, or `,Address,Name Tag,Balance,Txn Count` (pandas index first);
//   - JSON `[{"address","nameTag"}]`, or `{ "<address>": "<name tag>" }`;
//   - the combined JSON `{ "<address>": { "name": "...", "labels": ["<slug>", …] } }`.
// The label slug is the file's stem (`phish-hack.all.csv` → phish-hack) or, in the combined
// file, each entry's `labels`. The chain comes from the parent or grandparent folder
// (etherscan/mainnet → ethereum, bscscan → bsc, arbiscan → arbitrum, optimism, basescan → base,
// polygonscan → polygon; celo, gnosis, avalanche, ftmscan are not fundtrace chains and are
// skipped), default ethereum; `opts.chain` overrides.
// Category: the first NAME_RULES keyword rule matching the name tag (its part before ": ")
// decides; without a match the slugs decide (SLUG_RULES); with neither, unknown. Sanctions and
// blocklist slugs always add their category too, as they state a fact about the address whatever
// the name says. One label per distinct category. Explorer footer rows ("Sum of 7 Accounts") are
// skipped. Entity: the name tag up to ": " with a trailing wallet number dropped ("Binance 14" →
// Binance, "Tornado.Cash: Router" → Tornado.Cash), so numbered wallets of one service share an
// entity; the full name tag is kept in `note`. Confidence: medium (a scraped explorer label
// cloud). Source: `<explorer>:<slug>`, e.g. etherscan:phish-hack, arbiscan:exploit.
import { basename, dirname } from 'node:path';
import { findChain } from '../../core/chains.js';
import type { Label } from '../../core/model.js';
import { Collector, fileStem, isRecord, optString, parseJson, pointer } from '../collect.js';
import { parseCsv } from '../csv.js';
import type { ImportOptions, ImportResult } from '../types.js';

const EXCHANGE_BRANDS =
  /\b(binance|coinbase|kraken|bitfinex|huobi|htx|okx|okex|kucoin|gemini|bitstamp|crypto\.com|ftx|gate\.io|poloniex|bittrex|upbit|bithumb|bitmex|deribit|bybit|mexc|bitget|changenow|changelly|azbit|ascendex|hitbtc|bitflyer|coinone|korbit|cex\.io|bitpanda|luno|paribu|btcturk|wazirx|coincheck|zaif|bitso|exmo|yobit|lbank|whitebit|coinex|probit|hotbit|digifinex|bitmart|indodax|bitkub|coinspot|swyftx|tidex|fixedfloat|simpleswap)\b/i;

/**
 * Name-tag keyword rules, first match wins (case-insensitive). For "Prefix: rest" names only the
 * prefix is matched, as it names the entity ("SushiSwap: Scam" is a SushiSwap pair, "Gitcoin
 * Grants: CryptoScamDB" a grant); VICTIM_RULE alone looks at the whole name.
 */
export const NAME_RULES: readonly (readonly [category: string, pattern: RegExp])[] = [
  ['scam', /phish|\bfake|\bscam|rug ?pull|ponzi|drainer|honeypot|impersonat/i],
  ['theft', /exploit|hacke[rd]|\bhack\b|\bheist\b|attacker|stolen|thief/i],
  ['sanctioned', /\bofac\b|sanctioned/i],
  ['mixer', /tornado|mixer|typhoon|blender\.io|sinbad|chipmixer|wasabi|samourai/i],
  ['bridge', /bridge|gateway|wormhole|multichain|hop protocol|celer|synapse|stargate|across protocol/i],
  ['exchange', EXCHANGE_BRANDS],
  ['gambling', /casino|\bdice\b|gambl/i],
  ['dex', /uniswap|sushiswap|1inch|pancakeswap|curve\.fi|balancer|paraswap|\bdex\b|swap router/i],
];

/** "Multichain Hack Alert 12": Etherscan's warning on a victim's address (revoke approvals), not the thief's. */
export const VICTIM_RULE = /\b(hack|exploit) alert\b/i;

const slugs = (category: string, names: string) =>
  names
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => [s, category] as const);

/** Etherscan label slug → category, used when no name rule matches. */
export const SLUG_RULES: ReadonlyMap<string, string> = new Map([
  ...slugs('sanctioned', 'ofac-sanctions-lists'),
  ...slugs('blocklisted', 'blocked'),
  ...slugs('mixer', 'tornado-cash ethereum-mixer mixer typhoon-cash'),
  ...slugs('scam', 'phish-hack phishing scam'),
  ...slugs('theft', 'exploit heist hack'),
  ...slugs('suspicious', 'high-risk something-fishy flagged-by-sec opportunist spam-token'),
  ...slugs('individual', 'take-action airdrop-hunter'),
  ...slugs(
    'exchange',
    'exchange hot-wallet cold-wallet otc fiat-gateway binance binance-deposit coinbase kraken huobi okx kucoin ' +
      'bitfinex gemini bitstamp crypto-com ftx gate-io poloniex bittrex upbit bithumb bitmex deribit changenow ' +
      'ascendex tidex coinsquare maskex',
  ),
  ...slugs('payment_processor', 'payments'),
  ...slugs('gambling', 'gambling'),
  ...slugs(
    'bridge',
    'bridge layer-2 arbitrum arbitrum-one arbitrum-nova optimism polygon-matic wormhole multichain ' +
      'across-protocol hop-protocol synapse celer-network connext metis-andromeda',
  ),
  ...slugs(
    'dex',
    'dex 0x-protocol 0x-protocol-ecosystem uniswap sushiswap balancer curve-fi bancor 1inch kyberswap ' +
      'paraswap dex-ag idex sudoswap swipeswap pancakeswap airswap',
  ),
  ...slugs(
    'defi',
    'defi aave compound maker lido yearn-finance rocket-pool synthetix idle-finance mstable cream-finance ' +
      'yield-farming vaults staking loans derivatives dydx',
  ),
  ...slugs('miner', 'mining f2pool miningpoolhub'),
  ...slugs('organization', 'ico-wallets token-sale white-hat-group'),
]);

/** The footer row of a scraped label page: `7,,Sum of 7 Accounts,0.155 ETH,1089`. */
const SUMMARY_ROW = /^Sum of \d+ Accounts?$/;

/** Slugs whose category is added even when the name tag decided another one. */
const STICKY = new Set(['sanctioned', 'blocklisted']);

/** Explorer/folder name → [explorer, chain]. */
const FOLDERS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['etherscan', ['etherscan', 'ethereum']],
  ['mainnet', ['etherscan', 'ethereum']],
  ['mainnet-2022', ['etherscan', 'ethereum']],
  ['ethereum', ['etherscan', 'ethereum']],
  ['bscscan', ['bscscan', 'bsc']],
  ['bsc', ['bscscan', 'bsc']],
  ['arbiscan', ['arbiscan', 'arbitrum']],
  ['arbitrum', ['arbiscan', 'arbitrum']],
  ['optimism', ['optimism', 'optimism']],
  ['basescan', ['basescan', 'base']],
  ['base', ['basescan', 'base']],
  ['polygonscan', ['polygonscan', 'polygon']],
  ['polygon', ['polygonscan', 'polygon']],
  ['celo', ['celoscan', 'celo']],
  ['gnosis', ['gnosisscan', 'gnosis']],
  ['avalanche', ['snowtrace', 'avalanche']],
  ['ftmscan', ['ftmscan', 'fantom']],
]);

interface Ctx {
  explorer: string;
  /** undefined: the folder names a chain fundtrace does not support */
  chain: string | undefined;
  chainName: string;
  fileSlug: string;
  source?: string;
}

export function importEtherscan(text: string, file: string, opts: ImportOptions = {}): ImportResult {
  const c = new Collector(file);
  const ctx = context(file, opts, c);
  if (ctx) for (const row of rows(text, file, c)) addRow(row, ctx, c);
  return c.result();
}

function context(file: string, opts: ImportOptions, c: Collector): Ctx | undefined {
  const dirs = [basename(dirname(file)), basename(dirname(dirname(file)))].map((d) => d.toLowerCase());
  const hit = dirs.map((d) => FOLDERS.get(d)).find(Boolean);
  const [explorer, folderChain] = hit ?? ['etherscan', 'ethereum'];
  const fileSlug = fileStem(file).toLowerCase();
  if (opts.chain) {
    const chain = c.chain(opts.chain, 1);
    return chain ? { explorer, chain, chainName: chain, fileSlug, source: opts.source } : undefined;
  }
  return {
    explorer,
    chain: findChain(folderChain)?.name,
    chainName: folderChain,
    fileSlug,
    source: opts.source,
  };
}

interface Row {
  loc: number | string;
  address: unknown;
  name: unknown;
  /** label slugs of the combined file; otherwise the file's slug applies */
  slugs?: string[];
}

function rows(text: string, file: string, c: Collector): Row[] {
  const head = text.trimStart();
  if (/\.csv$/i.test(file) || !(head.startsWith('[') || head.startsWith('{'))) return csvRows(text, c);
  return jsonRows(parseJson(text, c), c);
}

function csvRows(text: string, c: Collector): Row[] {
  const [header, ...records] = parseCsv(text);
  if (!header) return [];
  const names = header.fields.map((f) => f.trim().toLowerCase().replace(/\s+/g, ''));
  const ai = names.indexOf('address');
  const ni = names.findIndex((n) => n === 'nametag' || n === 'name');
  if (ai < 0) {
    c.problem(header.line, 'CSV header has no Address column');
    return [];
  }
  const out: Row[] = [];
  for (const r of records) {
    if (r.fields.length !== names.length)
      c.problem(r.line, `expected ${names.length} fields, found ${r.fields.length}`);
    else out.push({ loc: r.line, address: r.fields[ai], name: ni >= 0 ? r.fields[ni] : '' });
  }
  return out;
}

function jsonRows(doc: unknown, c: Collector): Row[] {
  if (doc === undefined) return [];
  if (Array.isArray(doc)) {
    return doc.map((item, i) =>
      isRecord(item)
        ? { loc: pointer(i), address: item.address, name: item.nameTag ?? item.name }
        : { loc: pointer(i), address: undefined, name: undefined },
    );
  }
  if (!isRecord(doc)) {
    c.problem('', 'expected a JSON array or object of labels');
    return [];
  }
  return Object.entries(doc).map(([address, v]) => {
    const loc = pointer(address);
    if (typeof v === 'string') return { loc, address, name: v };
    if (isRecord(v)) return { loc, address, name: v.name, slugs: stringList(v.labels) };
    return { loc, address, name: undefined };
  });
}

const stringList = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((s): s is string => typeof s === 'string').map((s) => s.trim().toLowerCase())
    : [];

function addRow(row: Row, ctx: Ctx, c: Collector): void {
  if (!ctx.chain) {
    c.skip(`unsupported chain ${ctx.chainName}`);
    return;
  }
  if (SUMMARY_ROW.test(String(row.name)) && !optString(row.address)) {
    c.skip('explorer page summary row ("Sum of N Accounts")');
    return;
  }
  if (row.name !== undefined && row.name !== null && typeof row.name !== 'string') {
    c.problem(row.loc, 'name tag must be a string');
    return;
  }
  const address = c.address(ctx.chain, row.address, row.loc);
  if (!address) return;
  const name = optString(row.name) ?? '';
  const slugList = row.slugs ?? [ctx.fileSlug];
  const entity = name ? entityOf(name) : `unnamed (${ctx.explorer} label ${slugList[0] ?? 'none'})`;
  const source = ctx.source ?? `${ctx.explorer}:${row.slugs ? 'combined' : ctx.fileSlug}`;
  const note = [name && `name tag: ${name}`, `${ctx.explorer} label: ${slugList.join(', ')}`]
    .filter(Boolean)
    .join('; ');
  for (const category of categoriesOf(name, slugList)) {
    const label: Label = { chain: ctx.chain, address, entity, category, source, confidence: 'medium', note };
    c.add(label, row.loc);
  }
}

/** Categories for a name tag and its slugs (see the header comment). */
export function categoriesOf(name: string, slugList: readonly string[]): string[] {
  const subject = namePrefix(name);
  const byName = VICTIM_RULE.test(name) ? 'individual' : NAME_RULES.find(([, re]) => re.test(subject))?.[0];
  const bySlug = slugList.map((s) => SLUG_RULES.get(s)).filter((x): x is string => x !== undefined);
  const out = new Set<string>();
  if (byName) out.add(byName);
  for (const cat of bySlug) if (!byName || STICKY.has(cat)) out.add(cat);
  if (out.size === 0) out.add('unknown');
  return [...out];
}

/** The part naming the entity: before ": " unless the name starts with "Fake" ("FAKE: TenX"). */
function namePrefix(name: string): string {
  const colon = name.indexOf(': ');
  return colon > 0 && !/^fake\b/i.test(name) ? name.slice(0, colon).trim() : name;
}

/** "Binance 14" → Binance, "Tornado.Cash: Router" → Tornado.Cash; "Fake_Phishing4940" stays. */
export function entityOf(name: string): string {
  return (
    namePrefix(name)
      .replace(/\s+\d+$/, '')
      .trim() || name
  );
}
