// `--asset all`: one ledger per asset; each asset's figures equal a trace of that asset alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from '../helpers.js';

const S = join(ROOT, 'samples', 'phishing-eth.json');
const drainer = (
  JSON.parse(readFileSync(join(ROOT, 'samples', 'phishing-eth.addresses.json'), 'utf8')) as Record<
    string,
    string
  >
).drainer!;

describe('--asset all', () => {
  it('traces every asset the seed moved, each equal to its own single-asset trace', async () => {
    const r = await cli(['trace', drainer, '--source', S, '--asset', 'all', '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual([
      'schema',
      'generator',
      'query',
      'summary',
      'exposure',
      'graph',
      'warnings',
    ]);
    const symbols = j.summary.perAsset.map((s: { asset: { symbol: string } }) => s.asset.symbol);
    expect(symbols).toEqual(['ETH', 'USDT']);
    for (const [i, sym] of symbols.entries()) {
      const one = JSON.parse(
        (await cli(['trace', drainer, '--source', S, '--asset', sym, '--format', 'json'])).stdout,
      );
      const { asset: _a, ...summary } = j.summary.perAsset[i];
      expect(summary).toEqual(one.summary);
      expect(summary.conserved).toBe(true);
    }
    // Node amounts are listed per asset, never added across assets.
    const seedNode = j.graph.nodes.find((n: { attributes: { seed: boolean } }) => n.attributes.seed);
    expect(seedNode.attributes.sent.map((a: { asset: string }) => a.asset)).toEqual(['ETH', 'USDT']);
    // The fake USDT is not among the assets the drainer moved.
    expect(symbols).not.toContain('USDT-FAKE');
  });

  it('is a usage error on Bitcoin and with --case', async () => {
    const btc = join(ROOT, 'samples', 'ransomware-btc.json');
    expect(
      (await cli(['trace', 'bc1q7gew53852zrs7q3kyjqalhdn995rq7gctk405c', '--source', btc, '--asset', 'all']))
        .status,
    ).toBe(2);
    expect(
      (await cli(['trace', drainer, '--source', S, '--asset', 'all', '--case', join(ROOT, '.scratch', 'x')]))
        .status,
    ).toBe(2);
  });

  // Reporting and exporting an --asset all result: test/report/asset-all.test.ts.
});
