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

  it('is a usage error on Bitcoin', async () => {
    const btc = join(ROOT, 'samples', 'ransomware-btc.json');
    expect(
      (await cli(['trace', 'bc1q7gew53852zrs7q3kyjqalhdn995rq7gctk405c', '--source', btc, '--asset', 'all']))
        .status,
    ).toBe(2);
  });

  it('with --case DIR writes one whole case per asset (DIR/ETH, DIR/USDT-<contract>), each verifying on its own', async () => {
    const { mkdtempSync, readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = join(mkdtempSync(join(tmpdir(), 'fundtrace-all-case-')), 'drain');
    const r = await cli([
      'trace',
      drainer,
      '--source',
      S,
      '--asset',
      'all',
      '--case',
      dir,
      '--format',
      'json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const subs = readdirSync(dir).sort();
    expect(subs).toEqual(['ETH', expect.stringMatching(/^USDT-0x[0-9a-fA-F]{40}$/)]);
    const all = JSON.parse(r.stdout);
    for (const [i, sub] of subs.entries()) {
      const v = await cli(['case', 'verify', join(dir, sub)]);
      expect(v.status, v.stdout + v.stderr).toBe(0);
      // Each case's result is that asset's part of the printed result.
      const res = JSON.parse(readFileSync(join(dir, sub, 'result.json'), 'utf8'));
      const { asset: _a, ...summary } = all.summary.perAsset[i];
      expect(res.summary).toEqual(summary);
    }
  });

  // Reporting and exporting an --asset all result: test/report/asset-all.test.ts.
});
