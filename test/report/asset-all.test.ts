// Issue 9 item 4: an `--asset all` result is one documented shape that every renderer reads. Each
// asset's part, rebuilt from it (checkDocs), is the same document as that asset's own trace; the
// Markdown report has a section per asset; exports take --asset, and CSV edges take them all.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDocs, type TraceDoc } from '../../src/report/export/doc.js';
import { cli, ROOT } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';

const SAMPLE = join(ROOT, 'samples', 'phishing-eth.json');
const txs = JSON.parse(readFileSync(join(ROOT, 'samples', 'phishing-eth.txs.json'), 'utf8')) as Record<
  string,
  string
>;
const VICTIM_TX = txs['drain-usdt']!;

async function json(args: string[]): Promise<unknown> {
  const r = await cli(['trace', ...args, '--source', SAMPLE, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** Node order follows hops, which the union orders by the smallest: compare as sets. */
const normal = (d: TraceDoc) => ({
  ...d,
  graph: { ...d.graph, nodes: [...d.graph.nodes].sort((a, b) => (a.key < b.key ? -1 : 1)) },
});

describe('--asset all results', () => {
  it.each([
    ['the drainer, forward', ['0xB19b02E576ca8B1730d27886ECE31E7CDB0Edf33']],
    ['a drain transaction, 4 hops', [VICTIM_TX, '--hops', '4']],
  ])("each asset part is that asset's own trace: %s", async (_name, args) => {
    const all = await json([...args, '--asset', 'all']);
    const parts = checkDocs(all, 'all.json');
    expect(parts.length).toBeGreaterThan(0);
    for (const p of parts) {
      const own = (await json([
        ...args,
        '--asset',
        p.query.asset.contract ?? p.query.asset.symbol,
        // --asset all keeps each asset on its own ledger: conversions off.
        '--no-conversions',
      ])) as TraceDoc;
      expect(normal(p)).toEqual(normal(own));
    }
  });

  it('report md: one section per asset; html and graph exports need --asset; CSV edges hold every asset', async () => {
    const dir = tmp('fundtrace-all-');
    const file = join(dir, 'all.json');
    writeFileSync(
      file,
      JSON.stringify(await json(['0xB19b02E576ca8B1730d27886ECE31E7CDB0Edf33', '--asset', 'all'])),
    );
    const md = await cli(['report', file, '--format', 'md']);
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout.split('\n').filter((l) => /^#{1,2} /.test(l))).toEqual([
      '# Fund trace: `0xB19b02E576ca8B1730d27886ECE31E7CDB0Edf33`, every asset it moved',
      '## ETH',
      expect.stringMatching(/^## USDT \\?\(0x/),
    ]);
    const html = await cli(['report', file, '--format', 'html']);
    expect(html.status).toBe(2);
    expect(html.stderr).toMatch(/holds 2 \(ETH, USDT\): add --asset SYMBOL/);
    const one = await cli(['report', file, '--format', 'html', '--asset', 'usdt']);
    expect(one.status, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/^<!DOCTYPE html>/i);
    const gexf = await cli(['export', file, '--format', 'gexf', '--asset', 'ETH']);
    expect(gexf.status, gexf.stderr).toBe(0);
    expect((await cli(['export', file, '--format', 'gexf'])).status).toBe(2);
    expect((await cli(['export', file, '--format', 'gexf', '--asset', 'DAI'])).stderr).toMatch(
      /--asset DAI: the result holds ETH, 0x/,
    );
    const csv = await cli(['export', file, '--format', 'csv']);
    expect(csv.status, csv.stderr).toBe(0);
    const rows = csv.stdout.trim().split('\n');
    const col = rows[0]!.split(',').indexOf('asset');
    expect(rows.filter((r) => r.startsWith('Id,'))).toHaveLength(1);
    expect(new Set(rows.slice(1).map((r) => r.split(',')[col]))).toEqual(new Set(['ETH', 'USDT']));
  });
});
