// `trace --fiat CODE --prices DIR` end to end through the in-process CLI: figures to the cent
// (hand-checked), a half cent rounded up, totals rounded once from unrounded parts, a weekend KES
// rate carried and said, a missing day reported (never filled), bad input refused.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { SAMPLE_PRICES } from './helpers.js';

const SEED = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
const BTC = 'samples/ransomware-btc.json';
const base = ['trace', SEED, '--source', BTC, '--hops', '10'];

interface Fiat {
  currency: string;
  value: string | null;
  exact: string | null;
  day: string | null;
  basis: string | null;
  price: { series: string; date: string; value: string; carried?: string }[];
  missing?: { code: string; reason: string };
}
interface Total {
  value: string | null;
  exact: string | null;
  roundedPartsSum: string | null;
  missingParts: number;
  partial?: { value: string };
}
interface Out {
  summary: {
    exits: { entity: string; tainted: { display: string; fiat: Fiat } }[];
    atRest: { address: string; amount: { fiat: Fiat }; fiatAsOf: Fiat }[];
  };
  fiat: { currency: string; totals: Record<string, Total>; rounding: { rule: string } };
  warnings: string[];
}

async function run(args: string[]): Promise<Out> {
  const r = await cli([...base, ...args, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Out;
}

const exitsOf = (o: Out) => o.summary.exits.map((e) => [e.entity, e.tainted.display, e.tainted.fiat.value]);

/** A prices directory of one BTC-USD file. */
function pricesDir(rows: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fundtrace-prices-'));
  writeFileSync(join(dir, 'BTC-USD.csv'), ['date,close', ...rows, ''].join('\n'));
  return dir;
}

describe('trace --fiat with the samples’ own price files', () => {
  it('values each exit in KES at the close and CBK rate of its own day (hand-checked)', async () => {
    const o = await run(['--fiat', 'KES', '--prices', SAMPLE_PRICES]);
    expect(o.fiat.currency).toBe('KES');
    // 0.1425 BTC × 52166.43430976192 USD × 145.8551 KES/USD = 1084245.5202… → 1084245.52
    expect(exitsOf(o)).toContainEqual(['Northbank Exchange', '0.1425', '1084245.52']);
    expect(exitsOf(o)).toContainEqual(['Nimbuspay', '0.00769475', '58547.36']);
    const nb = o.summary.exits.find((e) => e.tainted.display === '0.1425')!.tainted.fiat;
    expect(nb.price.map((p) => `${p.series} ${p.date} ${p.value}`)).toEqual([
      'BTC-USD 2024-02-16 52166.43430976192',
      'USD-KES 2024-02-16 145.8551',
    ]);
  });

  it('funds at rest: at arrival and as of the data head; a Saturday uses Friday’s CBK rate and says so', async () => {
    const o = await run(['--fiat', 'KES', '--prices', SAMPLE_PRICES]);
    const held = o.summary.atRest.find((h) => h.address === 'bc1q9r99qj6702lyxp0cq3pyrw290wzquzkrca5qqc')!;
    expect(held.amount.fiat).toMatchObject({ basis: 'arrival', day: '2024-02-16', value: '1989675.82' });
    expect(held.fiatAsOf).toMatchObject({ basis: 'as-of', day: '2024-02-17', value: '1971295.07' });
    expect(held.fiatAsOf.price[1]).toMatchObject({ series: 'USD-KES', date: '2024-02-16' });
    expect(held.fiatAsOf.price[1]!.carried).toMatch(/Saturday 2024-02-17.*Friday 2024-02-16/);
    expect(o.warnings.join('\n')).toMatch(/USD-KES: Saturday 2024-02-17 has no published rate/);
  });

  it('totals are the exact sum of unrounded parts, rounded once (fees: 1615.30, not the 1615.29 of the rows)', async () => {
    const o = await run(['--fiat', 'KES', '--prices', SAMPLE_PRICES]);
    expect(o.fiat.totals.fees).toMatchObject({ value: '1615.30', roundedPartsSum: '1615.29' });
    expect(o.fiat.totals.exits).toMatchObject({ value: '5413274.74', roundedPartsSum: '5413274.75' });
  });

  it('the table view shows the fiat section with totals and the rounding rule', async () => {
    const r = await cli([...base, '--fiat', 'USD', '--prices', SAMPLE_PRICES, '--format', 'table'], {
      NO_COLOR: '1',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Fiat values (USD)');
    expect(r.stdout).toMatch(/exit Northbank Exchange\s+0\.1425 BTC\s+7433\.72\s+2024-02-16/);
    expect(r.stdout).toMatch(/total at rest \(as of\)/);
    expect(r.stdout).toContain('rounded half away from zero');
  });
});

describe('trace --fiat CSV', () => {
  it('adds fiat columns after the usual ones: exits at arrival, funds at rest at arrival and as of', async () => {
    const csv = async (table: string) => {
      const r = await cli([
        ...base,
        '--fiat',
        'KES',
        '--prices',
        SAMPLE_PRICES,
        '--format',
        'csv',
        '--table',
        table,
      ]);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim().split('\n');
    };
    const exits = await csv('exits');
    expect(exits[0]).toMatch(
      /,tainted_base_units,tainted_KES,tainted_KES_day,tainted_KES_prices,tainted_KES_missing$/,
    );
    expect(exits.find((l) => l.startsWith('Northbank Exchange') && l.includes(',0.1425,'))).toContain(
      ',14250000,1084245.52,2024-02-16,"BTC-USD 2024-02-16 52166.43430976192 [BTC-USD.csv]; USD-KES 2024-02-16 145.8551 [USD-KES.csv]",',
    );
    const rest = await csv('atrest');
    const row = rest.find((l) => l.startsWith('bc1q9r99qj6702lyxp0cq3pyrw290wzquzkrca5qqc'))!;
    expect(row).toContain(',1989675.82,2024-02-16,');
    expect(row).toContain(',1971295.07,2024-02-17,');
    expect(row).toContain('USD-KES 2024-02-16 145.8551 (carried)');
  });
});

describe('reports from a result made with --fiat', () => {
  it('Markdown and HTML state the totals and exits in both units', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fundtrace-fiat-report-'));
    const file = join(dir, 'trace.json');
    const t = await cli([
      ...base,
      '--fiat',
      'KES',
      '--prices',
      SAMPLE_PRICES,
      '--format',
      'json',
      '--out',
      file,
    ]);
    expect(t.status, t.stderr).toBe(0);
    const md = await cli(['report', file, '--format', 'md']);
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout).toContain('## Money values (KES)');
    expect(md.stdout).toContain('| Exits | 0.71259475 BTC | 5413274.74 KES |');
    expect(md.stdout).toContain('| At rest, as of the end of the data | 0.75641247 BTC | 5702177.94 KES |');
    expect(md.stdout).toMatch(
      /\| Northbank Exchange \| 0\.1425 BTC \| 1084245\.52 KES \| 2024-02-16 \| BTC-USD 2024-02-16 = 52166\.43430976192; USD-KES 2024-02-16 = 145\.8551 \|/,
    );
    const html = await cli(['report', file, '--format', 'html']);
    expect(html.status, html.stderr).toBe(0);
    expect(html.stdout).toContain('<h2>Money values (KES)</h2>');
    expect(html.stdout).toContain('<td class="num">5413274.74 KES</td>');
  });
});

describe('trace --fiat with hand-made prices', () => {
  it('rounds an exact half cent up and rounds the total once (0.71, while the rows add to 0.72)', async () => {
    const days = ['10', '11', '12', '13', '14', '15', '16', '17'].map((d) => `2024-02-${d},1`);
    const o = await run(['--fiat', 'USD', '--prices', pricesDir(days)]);
    // At 1 USD per BTC a figure is its BTC amount: 0.045 → 0.05 (half up), 0.1425 → 0.14.
    expect(exitsOf(o)).toEqual(
      expect.arrayContaining([
        ['Lucky Satoshi Casino', '0.045', '0.05'],
        ['Northbank Exchange', '0.1425', '0.14'],
        ['Nimbuspay', '0.00769475', '0.01'],
      ]),
    );
    // 0.1425 + 0.00769475 + 0.218 + 0.045 + 0.176 + 0.1234 = 0.71259475 → 0.71;
    // the rounded rows 0.14 + 0.01 + 0.22 + 0.05 + 0.18 + 0.12 = 0.72.
    expect(o.fiat.totals.exits).toMatchObject({
      value: '0.71',
      exact: '0.71259475',
      roundedPartsSum: '0.72',
    });
    expect(o.fiat.rounding.rule).toBe('half-up');
  });

  it('a missing day is null with its reason and a warning naming the series and day; its totals are not given', async () => {
    const rows = readFileSync(join(SAMPLE_PRICES, 'BTC-USD.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .filter((l) => !l.startsWith('2024-02-16'));
    const o = await run(['--fiat', 'USD', '--prices', pricesDir(rows)]);
    const nb = o.summary.exits.find((e) => e.tainted.display === '0.1425')!.tainted.fiat;
    expect(nb.value).toBeNull();
    expect(nb.exact).toBeNull();
    expect(nb.missing!.reason).toMatch(/2024-02-16/);
    expect(o.warnings.some((w) => /BTC-USD/.test(w) && /2024-02-16/.test(w))).toBe(true);
    expect(o.fiat.totals.exits!.value).toBeNull();
    expect(o.fiat.totals.exits!.missingParts).toBe(5);
    // The 2024-02-17 exit alone: 0.1234 × 51684.51749264525 = 6377.87
    expect(o.fiat.totals.exits!.partial!.value).toBe('6377.87');
  });

  it('refuses a price file with problems, naming the line (exit 3)', async () => {
    const dir = pricesDir(['2024-02-16,52166.4', '2024-02-15,-1']);
    const r = await cli([...base, '--fiat', 'USD', '--prices', dir, '--format', 'json']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/BTC-USD\.csv/);
    expect(r.stderr).toMatch(/line 3/);
  });
});

describe('trace --fiat on an account chain', () => {
  it('values fees paid by transactions that moved none of the traced asset, at their block time', async () => {
    const drainEth = JSON.parse(readFileSync('samples/phishing-eth.txs.json', 'utf8'))['drain-eth'] as string;
    const r = await cli([
      'trace',
      drainEth,
      '--source',
      'samples/phishing-eth.json',
      '--fiat',
      'USD',
      '--prices',
      SAMPLE_PRICES,
      '--format',
      'json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout) as Out;
    expect(o.fiat.totals.fees).toMatchObject({ missingParts: 0, value: '47.56', roundedPartsSum: '47.57' });
    expect(o.warnings.filter((w) => /no USD value/.test(w))).toEqual([]);
  });
});

describe('screen --fiat', () => {
  it('values each exposure item as the sum of its flows, in NDJSON and as a CSV column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fundtrace-screen-'));
    const list = join(dir, 'list.txt');
    writeFileSync(list, '0x5E7EB83410bAF42E284C27C9b754d7B51ce4C52c\n');
    const args = ['screen', list, '--source', 'samples/phishing-eth.json', '--asset', 'USDT'];
    const fiat = ['--fiat', 'KES', '--prices', SAMPLE_PRICES];
    const nd = await cli([...args, ...fiat]);
    expect(nd.status, nd.stderr).toBe(0);
    const row = JSON.parse(nd.stdout) as { forward: { direct: { entity: string; fiat: Total }[] } };
    // 27500 USDT × 1.0001416518193977 (USDT-USD 2024-05-04) × 133.0844 (USD-KES 2024-05-03, carried to Saturday) = 3660339.42
    expect(row.forward.direct[0]).toMatchObject({
      entity: 'Northbank Exchange',
      fiat: { value: '3660339.42' },
    });
    const csv = await cli([...args, ...fiat, '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/,traced,value_KES$/);
    expect(csv.stdout).toContain(',Northbank Exchange,27500,USDT,1.000000,1,27500,3660339.42\n');
    const plain = await cli([...args, '--format', 'csv']);
    expect(plain.stdout.split('\n')[0]).toMatch(/,traced$/);
  });
});

describe('trace --fiat: --lenient and the config default', () => {
  it('--lenient skips a bad price row with a warning naming the file and line; the figure of that day is missing', async () => {
    const rows = readFileSync(join(SAMPLE_PRICES, 'BTC-USD.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => (l.startsWith('2024-02-16') ? '2024-02-16,abc' : l));
    const o = await run(['--fiat', 'USD', '--prices', pricesDir(rows), '--lenient']);
    expect(
      o.warnings.some((w) => w.startsWith('prices: ') && /BTC-USD\.csv/.test(w) && /line \d+/.test(w)),
    ).toBe(true);
    expect(o.summary.exits.find((e) => e.tainted.display === '0.1425')!.tainted.fiat.value).toBeNull();
  });

  it('takes the currency and the price directory from the config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fundtrace-fiat-config-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ fiat: 'KES', prices: SAMPLE_PRICES }));
    const o = await run(['--config', config]);
    expect(o.fiat.currency).toBe('KES');
    expect(exitsOf(o)).toContainEqual(['Northbank Exchange', '0.1425', '1084245.52']);
    writeFileSync(config, JSON.stringify({ fiat: 5 }));
    const bad = await cli([...base, '--config', config, '--format', 'json']);
    expect(bad.status).toBe(3);
    expect(bad.stderr + bad.stdout).toMatch(/invalid/);
  });
});

describe('trace --fiat usage', () => {
  it('without --fiat there is no fiat anywhere in the output', async () => {
    const r = await cli([...base, '--format', 'json']);
    expect(r.stdout).not.toContain('"fiat"');
  });

  it('--fiat without price data is a usage error (exit 2)', async () => {
    const a = await cli([...base, '--fiat', 'USD', '--format', 'json']);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--prices DIR/);
  });

  it('a currency without rates in the price data is refused, naming it', async () => {
    const r = await cli([...base, '--fiat', 'EUR', '--prices', SAMPLE_PRICES, '--format', 'json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/USD-EUR/);
  });
});
