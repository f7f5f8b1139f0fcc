// MFTracer ground truth (../shared/data/mftracer-ground-truth, five real Ethereum incidents) →
// a fundtrace dataset, at run time, in a temp folder: nothing of it is copied into the project.
//
// One asset, `USD` with 2 decimals, from the Value_in_USD column (rounded half up to the cent by
// string arithmetic, never through a float). Terminal addresses whose To_label names a known
// service get a label (our own reading of those names, below); everything else stays unlabelled.
//
//   node bin/run-ts.js scripts/mftracer.ts            reach of the listed terminals, all five cases
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getAddress } from 'ethers';
import { parseCsv } from '../src/labels/csv.js';

export const MFTRACER = join(import.meta.dirname, '..', '..', 'shared', 'data', 'mftracer-ground-truth');
export const CASES = ['54m', 'LIFI', 'Atomic', 'HB', 'XScam'] as const;

/** "347.55300000000005" → 34755n (cents, half up). */
export function usdCents(s: string): bigint {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s.trim());
  if (!m) throw new Error(`not a USD amount: ${s}`);
  const frac = (m[2] ?? '').padEnd(3, '0');
  const cents = BigInt(m[1]!) * 100n + BigInt(frac.slice(0, 2));
  return frac[2]! >= '5' ? cents + 1n : cents;
}

/** Our reading of the service names that appear as MFTracer terminal labels. */
const SERVICES: [RegExp, string][] = [
  [/tornado\.cash/i, 'mixer'],
  [/^(exch|changehero|swft|fixedfloat|simpleswap|sideshift)/i, 'exchange'],
  [
    /^(binance|coinbase|kraken|kucoin|huobi|htx|okx|okex|bitget|bybit|gate|mexc|poloniex|crypto\.com)/i,
    'exchange',
  ],
  [
    /^(hop|symbiosis|across|thorchain|multichain|stargate|synapse|orbiter|wormhole|celer|allbridge)/i,
    'bridge',
  ],
  [/^(stake\.com|rollbit)/i, 'gambling'],
  [/^(bitrefill|sellix)/i, 'payment_processor'],
];

export function classify(label: string): { category: string; entity: string } | null {
  const name = label.trim();
  if (!name) return null;
  const hit = SERVICES.find(([re]) => re.test(name));
  if (!hit) return null;
  const entity = name
    .split(/[:_]/)[0]!
    .replace(/\s+\d+$/, '')
    .trim();
  return { category: hit[1], entity };
}

export interface Converted {
  dataset: string;
  labels: string;
  sources: string[];
  terminals: string[];
  edges: number;
}

interface Edge {
  row: number;
  tx: string;
  block: number;
  time: string;
  from: string;
  to: string;
  cents: bigint;
}

/**
 * MFTracer gives blocks but neither the position of a transaction in its block nor the order of
 * transfers inside one. We derive both so that, where the data allows, an address receives before
 * it sends (a topological order of the flow, ties by file order). Without this, transactions of one
 * block would sort by hash and value would appear to leave before it arrived.
 */
function orderEdges(edges: Edge[]): (Edge & { position: number; index: number })[] {
  const out: (Edge & { position: number; index: number })[] = [];
  const byBlock = new Map<number, Edge[]>();
  for (const e of edges) (byBlock.get(e.block) ?? byBlock.set(e.block, []).get(e.block)!).push(e);
  for (const block of [...byBlock.keys()].sort((a, b) => a - b)) {
    const es = byBlock.get(block)!;
    const txs = [...new Set(es.map((e) => e.tx))];
    const txOrder = topo(txs, (x, y) =>
      es.some((a) => a.tx === x && es.some((b) => b.tx === y && a.to === b.from && x !== y)),
    );
    txOrder.forEach((tx, position) => {
      const inTx = es.filter((e) => e.tx === tx);
      for (const [index, e] of topo(inTx, (a, b) => a.to === b.from && a !== b).entries())
        out.push({ ...e, position, index });
    });
  }
  return out;
}

/** Kahn's algorithm; `before(a, b)` = a must come before b. Cycles fall back to input order. */
function topo<T>(items: T[], before: (a: T, b: T) => boolean): T[] {
  const n = items.length;
  const indeg = new Array<number>(n).fill(0);
  const succ: number[][] = items.map(() => []);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (i !== j && before(items[i]!, items[j]!)) {
        succ[i]!.push(j);
        indeg[j]!++;
      }
  const done = new Array<boolean>(n).fill(false);
  const order: T[] = [];
  for (let k = 0; k < n; k++) {
    let pick = indeg.findIndex((d, i) => d === 0 && !done[i]);
    if (pick < 0) pick = done.findIndex((d) => !d); // a cycle: take the earliest remaining
    done[pick] = true;
    order.push(items[pick]!);
    for (const j of succ[pick]!) indeg[j]!--;
  }
  return order;
}

/** Write the case as a dataset (JSON Lines) and a label file in a temp folder. */
export function convertCase(name: (typeof CASES)[number]): Converted {
  const dir = join(MFTRACER, name);
  const rows = parseCsv(readFileSync(join(dir, `${name}.csv`), 'utf8'));
  // (header columns below)
  const header = rows[0]!.fields;
  const col = (f: string) => header.indexOf(f);
  const [iTime, iBlock, iTx, iFrom, iTo, iToLabel, iUsd] = [
    'Timestamp',
    'Block',
    'Tx_hash',
    'From',
    'To',
    'To_label',
    'Value_in_USD',
  ].map(col) as number[];
  const lines: string[] = [
    JSON.stringify({
      format: 'fundtrace-dataset/1',
      chain: 'ethereum',
      assets: { USD: { decimals: 2 } },
      name: `MFTracer ${name}`,
    }),
  ];
  const terminals = readFileSync(join(dir, 'terminal_addresses.csv'), 'utf8')
    .split(/\s+/)
    .filter(Boolean)
    .map((a) => getAddress(a));
  const terminalSet = new Set(terminals);
  const labels = new Map<string, { category: string; entity: string }>();
  const edges: Edge[] = [];
  for (const r of rows.slice(1)) {
    const f = r.fields;
    if (f.length < header.length) continue;
    const to = getAddress(f[iTo!]!);
    edges.push({
      row: edges.length,
      tx: f[iTx!]!,
      block: Number(f[iBlock!]),
      time: `${f[iTime!]!.replace(' ', 'T')}Z`,
      from: getAddress(f[iFrom!]!),
      to,
      cents: usdCents(f[iUsd!]!),
    });
    const c = classify(f[iToLabel!] ?? '');
    if (c && terminalSet.has(to)) labels.set(to, c);
  }
  for (const e of orderEdges(edges)) {
    lines.push(
      JSON.stringify({
        type: 'transfer',
        tx: e.tx,
        index: e.index,
        height: e.block,
        position: e.position,
        time: e.time,
        from: e.from,
        to: e.to,
        asset: 'USD',
        value: e.cents.toString(),
        kind: 'token',
      }),
    );
  }
  const out = mkdtempSync(join(tmpdir(), `fundtrace-mftracer-${name}-`));
  const dataset = join(out, `${name}.jsonl`);
  writeFileSync(dataset, lines.join('\n') + '\n');
  const labelFile = join(out, `${name}-labels.json`);
  writeFileSync(
    labelFile,
    JSON.stringify(
      [...labels].sort().map(([address, c]) => ({
        chain: 'ethereum',
        address,
        ...c,
        source: 'MFTracer To_label',
        confidence: 'medium',
      })),
      null,
      2,
    ),
  );
  const sources = readFileSync(join(dir, 'source_addresses.csv'), 'utf8')
    .split(/\s+/)
    .filter(Boolean)
    .map((a) => getAddress(a));
  return { dataset, labels: labelFile, sources, terminals, edges: rows.length - 1 };
}

/** Run as a script: for each case, the share of listed terminals reached within 20 hops. */
async function main() {
  const { cli } = await import('../test/helpers.js');
  const shared = join(MFTRACER, '..');
  const extra = [
    '--labels',
    join(shared, 'ofac-sanctioned-addresses', 'sanctioned_addresses_ETH.txt'),
    '--labels',
    join(shared, 'graphsense-tagpacks', 'packs', 'tornado_cash.yaml'),
    '--lenient',
  ];
  for (const name of CASES) {
    const c = convertCase(name);
    // Deposit-address recognition stops one hop before the exchange wallets MFTracer lists as
    // terminals, so reach is measured with and without it.
    for (const [model, deposits] of [
      ['haircut', true],
      ['haircut', false],
      ['poison', false],
    ] as const) {
      const reached = new Set<string>();
      for (const seed of c.sources) {
        const r = await cli([
          'trace',
          seed,
          '--source',
          c.dataset,
          '--asset',
          'USD',
          '--hops',
          '20',
          '--max-nodes',
          '100000',
          '--model',
          model,
          '--labels',
          c.labels,
          ...extra,
          '--format',
          'json',
          ...(deposits ? [] : ['--no-deposits']),
        ]);
        if (r.status !== 0) continue; // a listed source with no transfers in the edge list
        const j = JSON.parse(r.stdout) as {
          graph: { nodes: { attributes: { address: string; tainted: { value: string } } }[] };
        };
        for (const n of j.graph.nodes)
          if (n.attributes.tainted.value !== '0') reached.add(n.attributes.address);
      }
      const hit = c.terminals.filter((t) => reached.has(t)).length;
      process.stdout.write(
        `${name.padEnd(7)} ${`${model}${deposits ? '' : ' --no-deposits'}`.padEnd(22)} terminals reached within 20 hops: ${hit}/${c.terminals.length} (${((hit * 100) / c.terminals.length).toFixed(1)} %), edges ${c.edges}, sources ${c.sources.length}\n`,
      );
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
