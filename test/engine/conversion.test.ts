// Conversion vector x1 (scripts/make-conversion-vectors.ts), hand-checked under the three models.
//
// The thief T holds 0.05 ETH (gas) and 500 clean USDT, then receives 1000 stolen USDT (the seed tx).
//   swap  T sends 600 USDT to a V2 pair; the pair pays 0.3 WETH to a router, which unwraps it and pays
//         T 0.3 ETH (internal). T's net: −600 USDT, +0.3 ETH; a Swap event → conversion USDT → ETH.
//   wrap  T sends 0.1 ETH to WETH; Deposit(T, 0.1) (no Transfer event) → conversion ETH → WETH.
//   out   T pays 0.2 ETH to Exchange X.
// haircut — USDT: T holds 1500 (1000 T); the swap takes 600 → floor(600·1000/1500) = 400 tainted;
//   ETH out = 0.3 × 400/600, largest remainder over [400, 200] → 0.2 ETH exactly. T's ETH: 0.35
//   (0.2 T). Wrap 0.1 → floor(0.1·0.2/0.35) = 0.057142857142857142 ETH → as much WETH (1:1).
//   T's ETH: 0.25 (0.142857142857142858 T); pays 0.2 → floor(0.2·0.142857142857142858/0.25) =
//   0.114285714285714286 to Exchange X; 0.028571428571428572 at rest.
//   Per asset: USDT 1000 = 400 converted + 600 held; ETH 0.2 = 0.057142857142857142 converted +
//   0.114285714285714286 exit + 0.028571428571428572 held; WETH 0.057142857142857142 held.
// fifo — T's USDT lots [500 clean][1000 T]; the swap takes 500 clean + 100 T → runs scaled to 0.3
//   ETH by largest remainder: [0.25 clean][0.05 T]. T's ETH queue [0.05 clean gas][0.25 clean][0.05 T]:
//   the wrap takes 0.1 clean (no WETH taint: not a followed conversion), Exchange X 0.2 clean,
//   0.05 ETH T at rest. USDT 1000 = 100 converted + 900 held; ETH 0.05 held.
// poison — T is poisoned: the swap carries all 600 USDT → all 0.3 ETH; the wrap all 0.1 → 0.1 WETH;
//   Exchange X 0.2 ETH. USDT: 600 converted, 400 held; ETH 0.3 = 0.1 converted + 0.2 exit.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VECTORS } from '../../scripts/make-conversion-vectors.js';
import { cli, fixture } from '../helpers.js';
import { ethAddr, ethTx } from '../vector-roles.js';

const X1 = fixture('vectors', 'x1.json');
const SEED = ethTx('x1-theft');
const T = ethAddr('x1-thief');
const E = 10n ** 18n;
const U = 10n ** 6n;

interface Amount {
  value: string;
  asset: string;
}
interface PartSummary {
  asset: { key: string };
  traced: Amount;
  conserved: boolean;
  terminals: Record<string, Amount>;
  exits: { entity: string; tainted: Amount }[];
  atRest: { address: string; amount: Amount }[];
}
interface ConvDoc {
  query: { asset: { key: string }; assets: { key: string }[] };
  conversions: {
    via: string;
    node: string;
    from: { asset: string; value: Amount; tainted: Amount };
    to: { asset: string; value: Amount; tainted: Amount };
    evidence: { event: string; address: string }[];
  }[];
  summary: { perAsset: PartSummary[] };
  graph: { edges: { key: string; attributes: { kind: string; asset: string } }[] };
}

async function trace(model: string, extra: string[] = []): Promise<{ doc: ConvDoc; stdout: string }> {
  const r = await cli([
    'trace',
    SEED,
    '--source',
    X1,
    '--asset',
    'USDT',
    '--model',
    model,
    '--format',
    'json',
    ...extra,
  ]);
  expect(r.status, r.stderr).toBe(0);
  return { doc: JSON.parse(r.stdout) as ConvDoc, stdout: r.stdout };
}
const part = (d: ConvDoc, key: string) => d.summary.perAsset.find((p) => p.asset.key === key)!;
const v = (a: Amount | undefined) => BigInt(a?.value ?? '0');

describe('conversion vector x1', () => {
  it('the fixture is what scripts/make-conversion-vectors.ts writes', () => {
    expect(readFileSync(X1, 'utf8')).toBe(JSON.stringify(VECTORS.x1!(), null, 2) + '\n');
  });

  it('haircut: 400 USDT → 0.2 ETH, 0.057142857142857142 ETH → WETH; every asset adds up', async () => {
    const { doc } = await trace('haircut');
    expect(doc.query.asset.key).toBe('USDT');
    expect(doc.query.assets.map((a) => a.key)).toEqual(['USDT', 'ETH', 'WETH']);
    expect(
      doc.conversions.map((c) => [c.via, c.from.asset, v(c.from.tainted), c.to.asset, v(c.to.tainted)]),
    ).toEqual([
      ['swap', 'USDT', 400n * U, 'ETH', (2n * E) / 10n],
      ['wrap', 'ETH', 57_142_857_142_857_142n, 'WETH', 57_142_857_142_857_142n],
    ]);
    expect(doc.conversions[0]!.node).toBe(`ethereum:${T}`);
    expect(doc.conversions[0]!.evidence.map((x) => x.event)).toEqual(['Swap']);
    const usdt = part(doc, 'USDT');
    expect(v(usdt.traced)).toBe(1000n * U);
    expect(v(usdt.terminals.converted)).toBe(400n * U);
    expect(v(usdt.terminals.held)).toBe(600n * U);
    const eth = part(doc, 'ETH');
    expect(v(eth.traced)).toBe((2n * E) / 10n);
    expect(v(eth.terminals.converted)).toBe(57_142_857_142_857_142n);
    expect(eth.exits.map((x) => [x.entity, v(x.tainted)])).toEqual([
      ['Exchange X', 114_285_714_285_714_286n],
    ]);
    expect(v(eth.terminals.held)).toBe(28_571_428_571_428_572n);
    const weth = part(doc, 'WETH');
    expect(v(weth.traced)).toBe(57_142_857_142_857_142n);
    expect(v(weth.terminals.held)).toBe(57_142_857_142_857_142n);
    for (const p of doc.summary.perAsset) expect(p.conserved, p.asset.key).toBe(true);
  });

  it('fifo: the swap takes the 500 clean lots first — 100 USDT → 0.05 ETH, which stays at rest', async () => {
    const { doc } = await trace('fifo');
    expect(
      doc.conversions.map((c) => [c.from.asset, v(c.from.tainted), c.to.asset, v(c.to.tainted)]),
    ).toEqual([['USDT', 100n * U, 'ETH', (5n * E) / 100n]]);
    expect(v(part(doc, 'USDT').terminals.held)).toBe(900n * U);
    const eth = part(doc, 'ETH');
    expect(v(eth.traced)).toBe((5n * E) / 100n);
    expect(eth.exits).toEqual([]);
    expect(eth.atRest.map((r) => [r.address, v(r.amount)])).toEqual([[T, (5n * E) / 100n]]);
    expect(doc.query.assets.map((a) => a.key)).toEqual(['USDT', 'ETH']);
  });

  it('poison: all 600 USDT → all 0.3 ETH; the wrap 0.1 ETH → 0.1 WETH; Exchange X 0.2 ETH', async () => {
    const { doc } = await trace('poison');
    expect(
      doc.conversions.map((c) => [c.from.asset, v(c.from.tainted), c.to.asset, v(c.to.tainted)]),
    ).toEqual([
      ['USDT', 600n * U, 'ETH', (3n * E) / 10n],
      ['ETH', E / 10n, 'WETH', E / 10n],
    ]);
    expect(v(part(doc, 'USDT').terminals.held)).toBe(400n * U);
    expect(part(doc, 'ETH').exits.map((x) => v(x.tainted))).toEqual([(2n * E) / 10n]);
    expect(v(part(doc, 'WETH').terminals.held)).toBe(E / 10n);
  });

  it('each conversion is an edge of kind "conversion" in the asset that went in, from the address to itself', async () => {
    const { doc } = await trace('haircut');
    const conv = doc.graph.edges.filter((e) => e.attributes.kind === 'conversion');
    expect(conv.map((e) => e.attributes.asset)).toEqual(['USDT', 'ETH']);
  });

  it('--no-conversions keeps the trace in USDT: the 600 go to the pair (asset-true, as before)', async () => {
    const { doc } = await trace('haircut', ['--no-conversions']);
    const d = doc as unknown as { summary: PartSummary & { perAsset?: unknown }; conversions?: unknown };
    expect(d.summary.perAsset).toBeUndefined();
    expect(d.conversions).toBeUndefined();
    expect(v(d.summary.traced)).toBe(1000n * U);
    expect(d.summary.terminals.converted).toBeUndefined();
  });

  it('the same JSON from the dataset file and from its index', async () => {
    const { stdout } = await trace('haircut');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const db = join(mkdtempSync(join(tmpdir(), 'ft-x1-')), 'x1.ftindex');
    const b = await cli(['dataset', 'index', X1, '--out', db]);
    expect(b.status, b.stderr).toBe(0);
    const r = await cli(['trace', SEED, '--source', `index:${db}`, '--asset', 'USDT', '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.replace(`index:${db}`, X1)).toBe(stdout);
  });
});

describe('screen over conversions', () => {
  it('lists the exposure of every asset the value was converted into, each row naming its asset', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const f = join(mkdtempSync(join(tmpdir(), 'ft-screen-')), 'list.txt');
    writeFileSync(f, `${T}\n`);
    const s = await cli(['screen', f, '--source', X1, '--asset', 'USDT', '--format', 'csv']);
    expect(s.status, s.stderr).toBe(0);
    const rows = s.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const forward = rows.filter((x) => x[2] === 'forward').map((x) => [x[4], x[6], x[7], x[8], x[11]]);
    // haircut, --hops 3 (screen's default may differ: each row carries its own traced value).
    expect(forward).toContainEqual(['converted', '', '600', 'USDT', '600']);
    expect(forward.some((x) => x[0] === 'direct' && x[1] === 'Exchange X' && x[3] === 'ETH')).toBe(true);
    expect(forward.some((x) => x[0] === 'held' && x[3] === 'WETH')).toBe(true);
  });
});
