// The bundled samples traced through the CLI against the figures hand-computed in
// samples/README.md (an independent reference implementation computed the same numbers).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, type TraceJson, traceJson } from '../helpers.js';

const S = (f: string) => join(ROOT, 'samples', f);
const txs = (f: string) => JSON.parse(readFileSync(S(`${f}.txs.json`), 'utf8')) as Record<string, string>;
const btc = txs('ransomware-btc');
const eth = txs('phishing-eth');

const byEntity = (j: TraceJson) => {
  const m: Record<string, bigint> = {};
  for (const e of j.summary.exits) m[e.entity] = (m[e.entity] ?? 0n) + BigInt(e.tainted.value);
  return m;
};
const term = (j: TraceJson, k: string) => BigInt(j.summary.terminals[k]!.value);

describe('bundled samples: hand-checked figures', () => {
  it.each([
    [
      'haircut',
      {
        Northbank: 31_850_000n,
        Coinharbor: 34_140_000n,
        Casino: 4_500_000n,
        Nimbuspay: 769_475n,
        mixer: 3_078_025n,
        held: 75_641_247n,
        fee: 21_253n,
      },
    ],
    [
      'fifo',
      {
        Northbank: 31_850_000n,
        Coinharbor: 34_140_000n,
        Casino: 4_500_000n,
        Nimbuspay: 1_250_000n,
        mixer: 5_000_200n,
        held: 73_241_176n,
        fee: 18_624n,
      },
    ],
  ] as const)('ransomware BTC, %s, 10 hops', async (model, want) => {
    const j = await traceJson([
      `${btc['ransom-payment']}:0`,
      '--source',
      S('ransomware-btc.json'),
      '--hops',
      '10',
      '--model',
      model,
    ]);
    const e = byEntity(j);
    expect(j.summary.traced.value).toBe('150000000');
    expect(e['Northbank Exchange']).toBe(want.Northbank);
    expect(e.Coinharbor).toBe(want.Coinharbor);
    expect(e['Lucky Satoshi Casino']).toBe(want.Casino);
    expect(e.Nimbuspay).toBe(want.Nimbuspay);
    // The affiliate's Whirlpool-shaped CoinJoin stops the trace (a mixer terminal), and the
    // operator's peel chain is reported as one finding.
    expect(term(j, 'mixer')).toBe(want.mixer);
    expect(term(j, 'held')).toBe(want.held);
    expect(term(j, 'fee')).toBe(want.fee);
    expect(j.summary.findings.map((f) => f.kind)).toEqual(['coinjoin', 'peel-chain']);
    expect(j.summary.conserved).toBe(true);
  });

  it.each([
    ['haircut', 20_762_885_710n, 11_237_114_290n],
    ['fifo', 22_000_000_000n, 10_000_000_000n],
  ] as const)('phishing USDT, %s', async (model, northbank, held) => {
    const j = await traceJson([
      eth['drain-usdt']!,
      '--source',
      S('phishing-eth.json'),
      '--asset',
      'USDT',
      '--model',
      model,
    ]);
    expect(j.summary.traced.value).toBe('40000000000');
    expect(byEntity(j)).toEqual({ 'AngelDrainer kit': 8_000_000_000n, 'Northbank Exchange': northbank });
    expect(term(j, 'held')).toBe(held);
    expect(j.exposure.direct).toEqual([
      expect.objectContaining({
        category: 'scam',
        entity: 'AngelDrainer kit',
        share: '0.200000',
        minHops: 1,
      }),
    ]);
    // The zero-value poisoning transfers create no nodes, but the look-alike is reported.
    expect(j.warnings.some((w) => w.includes('address poisoning'))).toBe(true);
    // The fake USDT is another asset: nothing of it appears.
    expect(j.graph.edges.every((e) => (e.attributes as unknown as { asset: string }).asset === 'USDT')).toBe(
      true,
    );
  });

  it.each([
    [
      'haircut',
      {
        kit: 2_216_237_014_236_244_709n,
        mixer: 1_846_864_178_530_203_924n,
        coinharbor: 4_247_787_610_619_469_027n,
        held: 3_673_842_821_392_843_407n,
        fee: 15_268_375_221_238_933n,
      },
    ],
    [
      'fifo',
      {
        kit: 1_405_985_834_000_000_000n,
        mixer: 2_000_000_000_000_000_000n,
        coinharbor: 4_600_000_000_000_000_000n,
        held: 3_978_465_622_000_000_000n,
        fee: 15_548_544_000_000_000n,
      },
    ],
  ] as const)('phishing ETH, %s', async (model, want) => {
    const j = await traceJson([eth['drain-eth']!, '--source', S('phishing-eth.json'), '--model', model]);
    const e = byEntity(j);
    expect(e['AngelDrainer kit']).toBe(want.kit);
    expect(e['Tornado-like pool']).toBe(want.mixer);
    expect(e.Coinharbor).toBe(want.coinharbor);
    expect(term(j, 'held')).toBe(want.held);
    expect(term(j, 'fee')).toBe(want.fee);
    expect(j.summary.conserved).toBe(true);
  });

  it('CSV exits table is ready for a request letter', async () => {
    const r = await cli([
      'trace',
      eth['drain-usdt']!,
      '--source',
      S('phishing-eth.json'),
      '--asset',
      'USDT',
      '--format',
      'csv',
      '--table',
      'exits',
    ]);
    expect(r.status).toBe(0);
    const [header, ...rows] = r.stdout.trim().split('\n');
    expect(header).toBe(
      'entity,category,kind,address,likely_deposit_address,asset,value,tainted,tx,time,block,hop,edge,tainted_base_units',
    );
    expect(rows.length).toBe(4);
    expect(rows.every((l) => l.split(',').length === 14)).toBe(true);
  });

  it('table view: service exits (where a request goes) apart from flagged clusters, each in time order', async () => {
    const r = await cli([
      'trace',
      eth['drain-usdt']!,
      '--source',
      S('phishing-eth.json'),
      '--asset',
      'USDT',
      '--format',
      'table',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const section = (title: string) => {
      const lines = r.stdout.split('\n');
      const at = lines.indexOf(title);
      expect(at, title).toBeGreaterThan(0);
      const end = lines.indexOf('', at);
      return lines.slice(at + 2, end);
    };
    const services = section('Exits to services (where a request for records goes)');
    expect(services.map((l) => l.includes('Northbank Exchange'))).toEqual([true, true, true]);
    const times = services.map((l) => l.trim().split(/\s+/).at(-1)!);
    expect(times).toEqual([...times].sort());
    const flagged = section('Flagged clusters reached');
    expect(flagged).toEqual([expect.stringContaining('AngelDrainer kit')]);
    // The seed's own step moved nothing: no "0 USDT tainted" figure.
    expect(r.stdout).toMatch(/^ +0 +1 +0 +start +—$/m);
  });
});

describe('demo', () => {
  it('walks through every sample with figures from the traces', async () => {
    const r = await cli(['demo', '--brief']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Case 1: DarkLock ransomware payment (Bitcoin)');
    expect(r.stdout).toContain('0.3185 BTC (21.2 %) reached Northbank Exchange (exchange) at hops 2 and 5');
    expect(r.stdout).toContain('20762.88571 USDT');
    expect(r.stdout).toContain('Every unit is accounted for');
    expect(r.stdout).not.toContain('\u001b[');
  });
});
