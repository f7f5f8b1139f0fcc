// Reports and exports of traces that followed conversions (vector x1: a swap USDT → ETH and a
// wrap ETH → WETH) and a bridge (vector x2: CCTP ethereum → arbitrum): the Markdown says where the
// trace started and what carried it into the other assets and chains, every export draws one graph
// with the conversion and bridge edges typed, and untrusted strings of the document stay inert.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { htmlEscape } from '../../src/report/sanitize.js';
import { cli } from '../helpers.js';
import { ethTx } from '../vector-roles.js';

const V = (v: string) => `test/fixtures/vectors/${v}.json`;
const X1 = [ethTx('x1-theft'), '--source', V('x1'), '--asset', 'USDT'];
const X2 = [
  ethTx('x2-theft'),
  '--source',
  V('x2'),
  '--source',
  `arbitrum=${V('x2-arb')}`,
  '--asset',
  'USDC',
  '--hops',
  '5',
];
const dir = mkdtempSync(join(tmpdir(), 'fundtrace-trail-'));

async function run(args: string[]): Promise<string> {
  const r = await cli(args, { NO_COLOR: '1' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

async function saved(name: string, args: string[]): Promise<string> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, await run(['trace', ...args, '--format', 'json']));
  return file;
}

/** Table rows of one Markdown section, split into cells on unescaped pipes. */
function rows(md: string, heading: string): string[][] {
  const start = md.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const next = md.indexOf('\n#', start + heading.length);
  return md
    .slice(start, next < 0 ? undefined : next)
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))
    .map((l) =>
      l
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

let x1: string;
let x2: string;
beforeAll(async () => {
  x1 = await saved('x1', X1);
  x2 = await saved('x2', X2);
});

describe('the Markdown report of a trace that followed conversions and bridges', () => {
  it('x1: starts in USDT, lists each conversion with its evidence, one section per asset', async () => {
    const md = await run(['report', x1, '--format', 'md']);
    expect(md).not.toContain('every asset it moved');
    expect(md).not.toContain('Each asset is traced on its own ledger');
    expect(md).toContain('The trace started with the 1000 USDT that the transaction');
    expect(md).toContain('1 swap and 1 wrap carried traced value into ETH and WETH.');
    const conv = rows(md, '## Conversions');
    expect(conv[0]).toEqual([
      '#',
      'Hop',
      'Address',
      'How',
      'Went in (tainted of total)',
      'Came out (tainted of total)',
      'Transaction',
      'Time (UTC)',
    ]);
    expect(conv.slice(1).map((r) => [r[3], r[4], r[5]])).toEqual([
      ['swap', '400 USDT of 600 USDT', '0.2 ETH of 0.3 ETH'],
      ['wrap', '0.057142857142857142 ETH of 0.1 ETH', '0.057142857142857142 WETH of 0.1 WETH'],
    ]);
    expect(md).toMatch(/1\. Swap event \(log 2 of transaction `0x530f606f[0-9a-f]+`, emitted by `0x33F5/);
    expect(md).toMatch(/2\. Deposit event \(log 0 of transaction `0xff0a1a4f[0-9a-f]+`/);
    // Sections per asset; the headline of the start asset names what was converted.
    expect(md).toContain('## USDT (where the trace started)');
    expect(md).toContain('\n## ETH\n');
    expect(md).toContain('\n## WETH\n');
    const usdt = rows(md, '### Headline figures');
    expect(usdt).toContainEqual(['converted into another asset (see Conversions)', '400 USDT', '40.00 %']);
    expect(md).toContain(
      'Where did the 0.2 ETH on ethereum that came out of the conversion into ETH listed under Conversions go',
    );
  });

  it('x2: names the chains, lists the followed bridge with both legs and the bridged terminal', async () => {
    const md = await run(['report', x2, '--format', 'md']);
    expect(md).toContain('1 bridge carried traced value into USDC on arbitrum.');
    // Said once, under the title, not again in every section.
    expect(md.match(/\*\*Case hash:\*\*/g)).toHaveLength(1);
    expect(md.indexOf('**Case hash:**')).toBeLessThan(md.indexOf('The trace started with'));
    expect(md).toContain('## USDC on ethereum (where the trace started)');
    expect(md).toContain('\n## USDC on arbitrum\n');
    const link = rows(md, '## Bridges followed');
    expect(link).toHaveLength(2);
    expect(link[1]!.slice(1, 6)).toEqual([
      'cctp',
      'CCTP source domain 0, nonce 777',
      'ethereum, `0x1c5c1a682a9e432784bbe53b93bed84ea14014253207ef60cca3283c6533f62a`',
      '500 USDC',
      '350 USDC',
    ]);
    expect(link[1]![7]).toBe('`0xaed03cB3d28DB1B15A20a42eE11679B076D730De` (see USDC on arbitrum)');
    const terminal = rows(md, '### Bridges (value sent to other chains)');
    expect(terminal[1]!.slice(1)).toEqual([
      'CCTP v1 TokenMessenger (cctp)',
      '350 USDC',
      '`0x1c5c1a682a9e432784bbe53b93bed84ea14014253207ef60cca3283c6533f62a`',
      '2',
      'arbitrum',
      '`0xaed03cB3d28DB1B15A20a42eE11679B076D730De`',
      'CCTP source domain 0, nonce 777 (followed)',
    ]);
    expect(md).toContain('1. DepositForBurn event (log 2 of transaction');
    expect(rows(md, '### Headline figures')).toContainEqual([
      'sent through a bridge to another chain (see Bridges)',
      '350 USDC',
      '50.00 %',
    ]);
    expect(md).toContain(
      'Where did the 350 USDC on arbitrum that arrived through the bridge listed under Bridges (CCTP source domain 0, nonce 777) go',
    );
  });
});

describe('one part of such a trace (report --asset)', () => {
  it('says how the value came into that asset or chain, not that the seed moved it', async () => {
    const eth = await run(['report', x1, '--format', 'md', '--asset', 'ETH']);
    expect(eth).toMatch(
      /Where did the 0\.2 ETH on ethereum that came out of the swap of 400 USDT into 0\.2 ETH \(tainted\) in transaction `0x530f606f[0-9a-f]+` go/,
    );
    expect(eth).not.toContain('listed under Conversions');
    // The self-loop in the USDT section's diagram says what came out.
    const usdt = await run(['report', x1, '--format', 'md', '--asset', 'USDT']);
    expect(usdt).not.toContain('The trace started with');
    expect(usdt).toMatch(/n1 -->\|"400 USDT → 0\.2 ETH #40;swap#41;"\| n1/);
    expect(usdt).toContain('that the transaction `0x62d34ffe');
    const arb = await run([
      'report',
      x2,
      '--format',
      'md',
      '--asset',
      '0xaf88d065e77c8cC2239327C5EDb3A432268e5831',
    ]);
    expect(arb).toContain(
      'that arrived through cctp from ethereum (CCTP source domain 0, nonce 777, paid out in transaction `0x8c914985',
    );
  });
});

describe('exports of a trace that followed conversions and bridges', () => {
  it('x1: one graph over USDT, ETH and WETH with the conversion self-loops typed', async () => {
    const csv = await run(['export', x1, '--format', 'csv']);
    const [head, ...lines] = csv.trimEnd().split('\n');
    const cols = head!.split(',');
    expect(cols).toContain('converted_to_asset');
    const conv = lines.filter((l) => l.split(',')[cols.indexOf('kind')] === 'conversion');
    expect(conv).toHaveLength(2);
    const swap = conv.find((l) => l.includes(',swap,'))!.split(',');
    expect(swap[cols.indexOf('asset')]).toBe('USDT');
    expect(swap[cols.indexOf('tainted')]).toBe('400');
    expect(swap[cols.indexOf('converted_to_asset')]).toBe('ETH');
    expect(swap[cols.indexOf('converted_to_tainted')]).toBe('200000000000000000');
    expect(swap[cols.indexOf('converted_to_tainted_display')]).toBe('0.2');
    // Every asset's movements are in it, each in its own asset.
    expect(new Set(lines.map((l) => l.split(',')[cols.indexOf('asset')]))).toEqual(new Set(['USDT', 'ETH']));
    const nodes = await run(['export', x1, '--format', 'csv', '--table', 'nodes']);
    expect(nodes).toMatch(/Exchange X,.*,ETH,0\.2,0,0\.114285714285714286,/);
    const gexf = await run(['export', x1, '--format', 'gexf']);
    expect(gexf).toMatch(/<edge id="[^"]+:conversion:[^"]+" source="([^"]+)" target="\1" kind="conversion"/);
    expect(gexf).toContain('<attvalue for="converted_to_asset" value="ETH"/>');
    expect(gexf).toContain('value="WETH"');
    const dot = await run(['export', x1, '--format', 'dot']);
    expect(dot).toContain('label="400 USDT → 0.2 ETH (swap)"');
    expect(dot).toContain('kind="conversion"');
  });

  it('x2: one graph across both chains, the bridge an edge of kind "bridge" in every format', async () => {
    const id = 'CCTP source domain 0, nonce 777';
    const csv = await run(['export', x2, '--format', 'csv']);
    expect(csv.split('\n')[0]).toContain('bridge_identifier');
    expect(csv).toMatch(
      /^bridge:cctp:0:777,ethereum:0xBd3fa81B58Ba92a82136038B25aDec7066af3155,arbitrum:0x0{40},.*,bridge,.*,USDC,500,350,500000000,350000000,.*,cctp,"CCTP source domain 0, nonce 777",arbitrum,0x8c9149[0-9a-f]+,0xaed03cB3d28DB1B15A20a42eE11679B076D730De$/m,
    );
    const dot = await run(['export', x2, '--format', 'dot']);
    expect(dot).toMatch(
      /"ethereum:0xBd3fa81B58Ba92a82136038B25aDec7066af3155" -> "arbitrum:0x0{40}" \[key="bridge:cctp:0:777".*kind="bridge".*style="dashed"/,
    );
    expect(dot).toContain('hop 3 · arbitrum · exchange');
    const mermaid = await run(['export', x2, '--format', 'mermaid']);
    expect(mermaid).toMatch(/n\d+ -\.->\|"350 USDC bridged to arbitrum #40;cctp#41;"\| n\d+/);
    const graphml = await run(['export', x2, '--format', 'graphml']);
    expect(graphml).toContain(`<data key="e_bridge_identifier">${id}</data>`);
    expect(graphml).toContain('<key id="e_bridge_identifier" for="edge"');
    const cypher = await run(['export', x2, '--format', 'cypher']);
    expect(cypher).toContain(`bridge_identifier: '${id}'`);
    const gexf = await run(['export', x2, '--format', 'gexf']);
    expect(gexf).toContain(`value="${id}"`);
    // --asset still picks one part's own graph.
    const arb = await run([
      'export',
      x2,
      '--format',
      'csv',
      '--asset',
      '0xaf88d065e77c8cC2239327C5EDb3A432268e5831',
    ]);
    expect(arb).not.toContain('ethereum:');
  });

  it('trace --format csv writes the same one graph as export: every row as wide as the header, the bridge a row', async () => {
    for (const [args, file] of [
      [X1, x1],
      [X2, x2],
    ] as const)
      for (const table of ['edges', 'nodes']) {
        const csv = await run(['trace', ...args, '--format', 'csv', '--table', table]);
        expect(csv).toBe(await run(['export', file, '--format', 'csv', '--table', table]));
      }
    const csv = await run(['trace', ...X2, '--format', 'csv']);
    // RFC 4180 rows (no cell of this trace holds a newline): split on commas outside quotes.
    const rowsOf = csv
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
    expect(new Set(rowsOf.map((r) => r.length)).size).toBe(1);
    expect(rowsOf.filter((r) => r[8] === 'bridge')).toHaveLength(1);
  });

  it('keeps untrusted strings of the document inert in every format', async () => {
    const doc = JSON.parse(await run(['trace', ...X2, '--format', 'json']));
    const EVIL = '=HYPERLINK("http://evil.example")|<script>x</script>\u001b[31m\n# heading';
    doc.bridges[0].identifier = EVIL;
    doc.bridges[0].protocol = '@SUM(A1)';
    doc.summary.perAsset[0].bridges[0].name = EVIL;
    doc.summary.perAsset[0].bridges[0].identifier = EVIL;
    const file = join(dir, 'evil.json');
    writeFileSync(file, JSON.stringify(doc));
    const md = await run(['report', file, '--format', 'md']);
    expect(md).not.toContain('<script');
    expect(md).not.toContain('\u001b');
    expect(md).not.toContain('\n# heading');
    expect(md).not.toContain('http://evil');
    for (const r of rows(md, '## Bridges followed')) expect(r).toHaveLength(10);
    for (const r of rows(md, '### Bridges (value sent to other chains)')) expect(r).toHaveLength(8);
    const csv = await run(['export', file, '--format', 'csv']);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")|<script>x</script> # heading"`);
    expect(csv).toContain(",'@SUM(A1),");
    expect(csv).not.toContain('\u001b');
    const dot = await run(['export', file, '--format', 'dot']);
    expect(dot).toContain('bridge_identifier="=HYPERLINK(\\"http://evil.example\\")');
    const graphml = await run(['export', file, '--format', 'graphml']);
    expect(graphml).not.toContain('<script>');
    // HTML: escaped in the tables, \u003c in the inlined viewer data; only the page's own scripts.
    const html = await run(['report', file, '--format', 'html']);
    expect(html).not.toContain('<script>x');
    expect(html).toContain(`${htmlEscape('<script>x</script>')}`);
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it('refuses a document whose conversions or bridges are malformed, naming the field', async () => {
    const doc = JSON.parse(await run(['trace', ...X1, '--format', 'json']));
    doc.conversions[1].from.value.value = '1e18';
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(doc));
    for (const args of [
      ['report', file, '--format', 'md'],
      ['export', file, '--format', 'dot'],
    ]) {
      const r = await cli(args, { NO_COLOR: '1' });
      expect(r.status).toBe(3);
      expect(r.stderr).toContain('/conversions/1/from/value is not an amount');
    }
  });
});

describe('a bridge the trace could not follow (no source for the destination chain)', () => {
  const ONE = X2.slice(0, 3).concat(['--asset', 'USDC', '--hops', '5']);
  it('is a bridged terminal: the Markdown and HTML say what to look up on which chain', async () => {
    const file = await saved('x2-one-chain', ONE);
    const md = await run(['report', file, '--format', 'md']);
    expect(md).not.toContain('## Bridges followed');
    expect(rows(md, '## Bridges (value sent to other chains)')[1]!.slice(1)).toEqual([
      'CCTP v1 TokenMessenger (cctp)',
      '350 USDC',
      '`0x1c5c1a682a9e432784bbe53b93bed84ea14014253207ef60cca3283c6533f62a`',
      '2',
      'arbitrum',
      '`0xaed03cB3d28DB1B15A20a42eE11679B076D730De`',
      'CCTP source domain 0, nonce 777',
    ]);
    const html = await run(['report', file, '--format', 'html']);
    expect(html).toContain('<h2>Bridged to other chains (what to look up where)</h2>');
    expect(html).toContain(
      '<td>arbitrum</td><td><span class="mono">0xaed03cB3d28DB1B15A20a42eE11679B076D730De</span></td><td>CCTP source domain 0, nonce 777</td>',
    );
  });

  it('NDJSON of a followed bridge has one "bridge" line with both legs', async () => {
    const lines = (await run(['trace', ...X2, '--format', 'ndjson']))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const bridges = lines.filter((l) => l.type === 'bridge');
    expect(bridges).toHaveLength(1);
    expect(bridges[0]).toMatchObject({
      protocol: 'cctp',
      key: 'cctp:0:777',
      from: { chain: 'ethereum', tainted: { value: '350000000' } },
      to: { chain: 'arbitrum', recipient: '0xaed03cB3d28DB1B15A20a42eE11679B076D730De' },
    });
  });
});
