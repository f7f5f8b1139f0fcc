// Size and render time of the reports: the interactive HTML report (and the Markdown report and
// the exports) for the largest bundled sample and for a generated 5 000-address trace.
//
//   node bin/run-ts.js scripts/bench-report.ts [--nodes 5000] [--browser]
//
// --browser also loads each page in headless Chromium (/usr/bin/chromium) and times it until the
// viewer reports ready.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MultiDirectedGraph } from 'graphology';
import { version } from '../src/cli/io.js';
import { buildResult, type ResolvedQuery, type TraceResult } from '../src/core/result.js';
import type { EdgeAttributes, NodeAttributes, Terminal, TraceOutcome } from '../src/core/trace-types.js';
import { docOf, type TraceDoc } from '../src/report/export/doc.js';
import { renderExport } from '../src/report/export/index.js';
import { renderHtml, viewerBundle } from '../src/report/html/page.js';
import { renderMarkdown } from '../src/report/markdown.js';

/** mulberry32: deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A synthetic forward trace of `nodes` addresses over `hops` hops: every address at hop h > 0
 * receives from one or two addresses at hop h-1; about 3 % are exchange deposit addresses (exits);
 * the last hop holds what it received. Deterministic for the same arguments.
 */
export function syntheticResult(nodes = 5000, hops = 6, seed = 1): TraceResult {
  const rnd = prng(seed);
  const g = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>();
  const chain = 'bitcoin';
  const addr = (i: number) => `bc1qsynthetic${i.toString(36).padStart(8, '0')}`;
  const perHop = Math.max(1, Math.floor((nodes - 1) / hops));
  const layers: string[][] = [];
  const terminals: Terminal[] = [];
  const traced = 10_000_000_000n;
  let index = 0;
  const add = (hop: number, exit: boolean) => {
    const a = addr(index++);
    const key = `${chain}:${a}`;
    const labels = exit
      ? [
          {
            chain,
            address: a,
            entity: `Exchange ${(index % 7) + 1}`,
            category: 'exchange',
            source: 'synthetic',
          },
        ]
      : [];
    g.addNode(key, {
      address: a,
      chain,
      hop,
      seed: hop === 0,
      labels,
      cluster: exit
        ? { id: labels[0]!.entity, entity: labels[0]!.entity, category: 'exchange', via: 'label' }
        : { id: a, entity: null, category: null, via: 'none' },
      received: 0n,
      sent: 0n,
      tainted: 0n,
      stop: exit ? 'label' : null,
    });
    return key;
  };
  layers.push([add(0, false)]);
  for (let h = 1; h <= hops; h++) {
    const layer: string[] = [];
    const count = h === hops ? nodes - index : perHop;
    for (let i = 0; i < count; i++) layer.push(add(h, rnd() < 0.03));
    layers.push(layer);
  }
  // Value flows down: each node at hop h-1 that is not an exit splits what it got over its children.
  const got = new Map<string, bigint>([[layers[0]![0]!, traced]]);
  for (let h = 1; h <= hops; h++) {
    const parents = layers[h - 1]!.filter((k) => !g.getNodeAttribute(k, 'cluster').entity);
    const children = layers[h]!;
    const kids = new Map<string, string[]>(parents.map((p) => [p, []]));
    children.forEach((c, i) => {
      const p = parents.length > 0 ? parents[Math.floor(rnd() * parents.length)]! : layers[0]![0]!;
      (kids.get(p) ?? kids.set(p, []).get(p)!).push(c);
      if (i % 11 === 0 && parents.length > 1) {
        const q = parents[Math.floor(rnd() * parents.length)]!;
        if (q !== p) kids.get(q)!.push(c);
      }
    });
    for (const [p, list] of kids) {
      const total = got.get(p) ?? 0n;
      if (list.length === 0) {
        if (total > 0n) terminals.push({ kind: 'held', node: p, edge: null, hop: h - 1, amount: total });
        continue;
      }
      let left = total;
      list.forEach((c, i) => {
        const part = i === list.length - 1 ? left : total / BigInt(list.length);
        left -= part;
        const txid = `${(index + i).toString(16).padStart(8, '0')}${'ab'.repeat(28)}`;
        const key = `${chain}:${txid}:${i}`;
        const value = part + BigInt(Math.floor(rnd() * 1000));
        g.addDirectedEdgeWithKey(key, p, c, {
          tx: txid,
          index: i,
          kind: 'output',
          time: `2024-03-${String(1 + h).padStart(2, '0')}T10:00:00Z`,
          height: 830_000 + h,
          asset: 'BTC',
          value,
          tainted: part,
          hop: h,
        });
        g.updateNodeAttributes(p, (a) => ({ ...a, sent: a.sent + value }));
        g.updateNodeAttributes(c, (a) => ({ ...a, received: a.received + value, tainted: a.tainted + part }));
        got.set(c, (got.get(c) ?? 0n) + part);
        index++;
      });
    }
  }
  for (const k of layers[hops]!) {
    const v = got.get(k) ?? 0n;
    const a = g.getNodeAttributes(k);
    if (v > 0n)
      terminals.push(
        a.cluster.entity
          ? {
              kind: 'exit',
              node: k,
              edge: g.inEdges(k)[0] ?? null,
              hop: hops,
              amount: v,
              category: 'exchange',
              entity: a.cluster.entity ?? '',
            }
          : { kind: 'held', node: k, edge: null, hop: hops, amount: v },
      );
  }
  for (let h = 1; h < hops; h++)
    for (const k of layers[h]!) {
      const a = g.getNodeAttributes(k);
      const v = got.get(k) ?? 0n;
      if (a.cluster.entity && v > 0n)
        terminals.push({
          kind: 'exit',
          node: k,
          edge: g.inEdges(k)[0] ?? null,
          hop: h,
          amount: v,
          category: 'exchange',
          entity: a.cluster.entity ?? '',
        });
    }
  const outcome: TraceOutcome = {
    graph: g,
    terminals,
    traced,
    asset: { key: 'BTC', symbol: 'BTC', decimals: 8 },
    warnings: ['synthetic trace for benchmarks'],
    missing: { addresses: [], txs: [], outspends: [] },
    findings: [],
  };
  const query: ResolvedQuery = {
    seed: addr(0),
    seedKind: 'address',
    chain,
    direction: 'forward',
    hops,
    model: 'haircut',
    asset: { key: 'BTC', symbol: 'BTC', decimals: 8 },
    since: null,
    until: null,
    minValue: 0n,
    maxNodes: nodes + 1,
    historyLimit: 10_000,
    sources: ['synthetic'],
    labels: [],
    options: { cospend: false, deposits: false, dust: 0n },
  };
  return buildResult({ name: 'fundtrace', version: version() }, query, outcome);
}

interface Row {
  input: string;
  nodes: number;
  edges: number;
  htmlBytes: number;
  htmlMs: number;
  browserMs?: number;
  shownNodes?: number;
  mdBytes: number;
  mdMs: number;
  gexfMs: number;
}

async function time<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const v = await f();
  return [v, Math.round((performance.now() - t) * 10) / 10];
}

export async function benchReport(opts: { nodes?: number; browser?: boolean } = {}): Promise<Row[]> {
  const { cli } = await import('../test/helpers.js');
  const r = await cli([
    'trace',
    '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0',
    '--source',
    'samples/ransomware-btc.json',
    '--hops',
    '10',
    '--no-label-dir',
    '--format',
    'json',
  ]);
  const inputs: [string, TraceDoc][] = [
    ['samples/ransomware-btc.json (hops 10)', JSON.parse(r.stdout) as TraceDoc],
  ];
  const [synthetic, genMs] = await time(() => syntheticResult(opts.nodes ?? 5000));
  inputs.push([
    `synthetic ${synthetic.outcome.graph.order} addresses (generated in ${genMs} ms)`,
    docOf(synthetic),
  ]);
  await viewerBundle(); // bundle once, outside the timings
  const dir = await mkdtemp(join(tmpdir(), 'fundtrace-bench-'));
  const rows: Row[] = [];
  for (const [name, doc] of inputs) {
    const [html, htmlMs] = await time(() => renderHtml(doc));
    const [md, mdMs] = await time(() => renderMarkdown(doc));
    const [, gexfMs] = await time(() => renderExport(doc, 'gexf'));
    const row: Row = {
      input: name,
      nodes: doc.graph.nodes.length,
      edges: doc.graph.edges.length,
      htmlBytes: Buffer.byteLength(html),
      htmlMs,
      mdBytes: Buffer.byteLength(md),
      mdMs,
      gexfMs,
    };
    if (opts.browser) {
      const file = join(dir, `${rows.length}.html`);
      await writeFile(file, html);
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--enable-unsafe-swiftshader'],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        const [, ms] = await time(async () => {
          await page.goto(pathToFileURL(file).href);
          await page.waitForFunction(() => window.__fundtrace?.ready === true, null, { timeout: 60_000 });
        });
        row.browserMs = ms;
        row.shownNodes = await page.evaluate(() => window.__fundtrace.nodes);
      } finally {
        await browser.close();
      }
    }
    rows.push(row);
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--nodes');
  const rows = await benchReport({
    nodes: i >= 0 ? Number(args[i + 1]) : 5000,
    browser: args.includes('--browser'),
  });
  for (const r of rows) {
    process.stdout.write(
      `${r.input}: ${r.nodes} nodes, ${r.edges} edges\n` +
        `  html ${(r.htmlBytes / 1024).toFixed(0)} KiB in ${r.htmlMs} ms` +
        (r.browserMs !== undefined
          ? `; Chromium load to ready ${r.browserMs} ms (${r.shownNodes} nodes drawn)`
          : '') +
        `\n  markdown ${(r.mdBytes / 1024).toFixed(0)} KiB in ${r.mdMs} ms; gexf export ${r.gexfMs} ms\n`,
    );
  }
}
