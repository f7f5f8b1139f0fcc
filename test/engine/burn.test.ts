// The null, burn and precompile addresses are never exposure targets (issue 9 item 5): a label list
// that flags the null address (the real Etherscan export calls it "blocklisted") must not turn every
// burn and mint into flagged exposure.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isBurnAddress } from '../../src/core/burn.js';
import { cli, type TraceJson } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-burn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';
const NULL = '0x0000000000000000000000000000000000000000';
const DEAD = '0x000000000000000000000000000000000000dEaD';
const tx = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const t = (n: number, from: string, to: string, value: string) => ({
  tx: tx(n),
  index: 0,
  height: 100 + n,
  position: 0,
  time: `2024-01-01T00:0${n}:00Z`,
  from,
  to,
  asset: 'TKN',
  value,
  kind: 'token',
});
const dataset = join(dir, 'burn.json');
writeFileSync(
  dataset,
  JSON.stringify({
    format: 'fundtrace-dataset/1',
    chain: 'ethereum',
    assets: { TKN: { decimals: 6, contract: '0x3333333333333333333333333333333333333333' } },
    transfers: [t(1, NULL, A, '1000'), t(2, A, B, '600'), t(3, A, DEAD, '400'), t(4, B, NULL, '100')],
    labels: [
      {
        chain: 'ethereum',
        address: NULL,
        entity: 'Null: 0x000…000',
        category: 'blocklisted',
        source: 'etherscan export',
      },
      {
        chain: 'ethereum',
        address: DEAD,
        entity: 'Burn address',
        category: 'sanctioned',
        source: 'a careless list',
      },
    ],
  }),
);

describe('burn and null addresses', () => {
  it('knows the null, dead and precompile addresses on account chains only', () => {
    expect(isBurnAddress('ethereum', NULL)).toBe(true);
    expect(isBurnAddress('ethereum', DEAD.toLowerCase())).toBe(true);
    expect(isBurnAddress('ethereum', '0x0000000000000000000000000000000000000001')).toBe(true);
    expect(isBurnAddress('ethereum', A)).toBe(false);
    expect(isBurnAddress('bitcoin', NULL)).toBe(false);
  });

  it('forward: value burned is unspendable, not flagged exposure, and the output says so', async () => {
    const r = await cli([
      'trace',
      A,
      '--source',
      dataset,
      '--asset',
      'TKN',
      '--no-label-dir',
      '--format',
      'json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as TraceJson;
    expect(j.summary.terminals.flagged?.value ?? '0').toBe('0');
    expect(j.summary.terminals.unspendable?.value).toBe('500');
    expect([...j.exposure.direct, ...j.exposure.indirect].filter((i) => i.flagged)).toEqual([]);
    expect(j.warnings.join('\n')).toMatch(
      /500 base units went to a burn or null address .* never counted as exposure/,
    );
  });

  it('backward: value minted by the null address is an origin, not flagged exposure', async () => {
    const r = await cli([
      'trace',
      B,
      '--source',
      dataset,
      '--asset',
      'TKN',
      '--direction',
      'backward',
      '--no-label-dir',
      '--format',
      'json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as TraceJson;
    expect(j.summary.terminals.flagged?.value ?? '0').toBe('0');
    expect(j.summary.terminals.coinbase?.value).toBe('600');
    expect(j.warnings.join('\n')).toMatch(/came from the null address \(minted\)/);
  });
});
