// USDC's de-peg day through the command line, at its real close from ../shared (skipped when the
// shared data is absent): 1000 USDC moved on Saturday 2023-03-11 is USD 965.58, not 1000.00, and
// in KES it uses Friday's CBK rate and says so.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { SHARED_PRICES } from './helpers.js';

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';
const C = '0x3333333333333333333333333333333333333333';
const TX1 = `0x${'a1'.repeat(32)}`;
const TX2 = `0x${'b2'.repeat(32)}`;

function dataset(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fundtrace-depeg-'));
  const file = join(dir, 'usdc.json');
  const t = (tx: string, height: number, time: string, from: string, to: string, value: string) => ({
    tx,
    index: 0,
    height,
    position: 0,
    time,
    from,
    to,
    asset: 'USDC',
    value,
    kind: 'token',
  });
  writeFileSync(
    file,
    JSON.stringify({
      format: 'fundtrace-dataset/1',
      chain: 'ethereum',
      name: 'usdc-depeg',
      // The real USDC contract: priced by contract, not by the declared symbol.
      assets: { USDC: { decimals: 6, contract: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48' } },
      transfers: [
        t(TX1, 16800000, '2023-03-11T15:00:00Z', A, B, '1000000000'),
        t(TX2, 16800100, '2023-03-11T16:00:00Z', B, C, '1000000000'),
      ],
    }),
  );
  return file;
}

interface Fig {
  value: string | null;
  price: { series: string; date: string; value: string; carried?: string }[];
}

describe.skipIf(!existsSync(SHARED_PRICES))('USDC de-peg day (real prices, ../shared)', () => {
  it('values 1000 USDC on 2023-03-11 at 0.9655782350580624: USD 965.58, never an assumed 1.00', async () => {
    const file = dataset();
    const run = async (cur: string) => {
      const r = await cli([
        'trace',
        TX1,
        '--source',
        file,
        '--asset',
        'USDC',
        '--fiat',
        cur,
        '--prices',
        SHARED_PRICES,
        '--format',
        'json',
      ]);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as {
        graph: { edges: { attributes: { tx: string; tainted: { fiat: Fig } } }[] };
        warnings: string[];
      };
    };
    const usd = await run('USD');
    const e = usd.graph.edges.find((x) => x.attributes.tx === TX1)!.attributes.tainted.fiat;
    expect(e.value).toBe('965.58');
    expect(e.price).toEqual([
      expect.objectContaining({ series: 'USDC-USD', date: '2023-03-11', value: '0.9655782350580624' }),
    ]);
    const kes = await run('KES');
    const k = kes.graph.edges.find((x) => x.attributes.tx === TX1)!.attributes.tainted.fiat;
    // 1000 × 0.9655782350580624 × 128.8882 (CBK, Friday 2023-03-10) = 124451.6406… → 124451.64 (Python decimal)
    expect(k.value).toBe('124451.64');
    expect(k.price[1]).toMatchObject({ series: 'USD-KES', date: '2023-03-10', value: '128.8882' });
    expect(kes.warnings.join('\n')).toMatch(/Saturday 2023-03-11 has no published rate/);
  });
});
