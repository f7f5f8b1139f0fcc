// Issue 9 item 3: dataset-v1 lets a token transfer's `asset` be the token's contract address
// without declaring it in `assets`. It is accepted as its own asset: decimals from the token
// registry when it knows the contract, else base units with a note.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';
const C = '0x3333333333333333333333333333333333333333';
const UNKNOWN = '0xF82D00000000000000000000000000000000bEEF'.toLowerCase();
const USDT = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
const tx = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

function dataset(extra: Record<string, unknown> = {}): string {
  const t = (i: number, from: string, to: string, asset: string, value: string) => ({
    tx: tx(i),
    index: 0,
    height: 100 + i,
    position: 0,
    time: `2024-01-01T00:0${i}:00Z`,
    from,
    to,
    asset,
    value,
    kind: 'token',
  });
  const file = join(tmp('fundtrace-ut-'), 'd.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'fundtrace-dataset/1',
      chain: 'ethereum',
      head: { height: 200 },
      transfers: [
        t(1, A, B, UNKNOWN, '5000'),
        t(2, B, C, UNKNOWN, '3000'),
        t(3, A, B, USDT.toLowerCase(), '2500000'),
      ],
      ...extra,
    }),
  );
  return file;
}

describe('dataset: a token named by its contract address', () => {
  it('an undeclared, unknown contract is its own asset in base units, with a note', async () => {
    const r = await cli(['trace', tx(1), '--source', dataset(), '--asset', UNKNOWN, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as {
      query: { asset: { key: string; decimals: number; contract?: string } };
      warnings?: string[];
    };
    expect(j.query.asset.decimals).toBe(0);
    expect(j.query.asset.contract?.toLowerCase()).toBe(UNKNOWN);
    expect((j.warnings ?? []).join('\n')).toMatch(/not declared in "assets" and its decimals are unknown/);
    expect(r.stdout).toContain('3000');
  });

  it("a contract the registry knows gets the registry's decimals", async () => {
    const r = await cli(['trace', tx(3), '--source', dataset(), '--asset', USDT, '--format', 'json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as {
      query: { asset: { decimals: number; symbol: string } };
      warnings?: string[];
    };
    expect(j.query.asset.decimals).toBe(6);
    expect(j.query.asset.symbol).toBe('USDT');
    expect((j.warnings ?? []).join('\n')).toMatch(/token registry/);
  });

  it('a declared look-alike symbol stays a separate asset from the real contract', async () => {
    const file = dataset({
      assets: { USDT: { decimals: 6, contract: '0x4444444444444444444444444444444444444444' } },
    });
    const v = await cli(['dataset', 'validate', file]);
    expect(v.status).toBe(0);
    const r = await cli(['trace', tx(3), '--source', file, '--asset', USDT, '--format', 'json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { query: { asset: { key: string; contract?: string } } };
    expect(j.query.asset.contract).toBe(USDT);
    expect(j.query.asset.key).not.toBe('USDT');
  });

  it('a non-token record naming a contract is still refused', async () => {
    const file = join(tmp('fundtrace-ut-'), 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'fundtrace-dataset/1',
        chain: 'ethereum',
        transfers: [
          {
            tx: tx(1),
            index: 0,
            height: 1,
            position: 0,
            time: '2024-01-01T00:00:00Z',
            from: A,
            to: B,
            asset: UNKNOWN,
            value: '1',
            kind: 'native',
          },
        ],
      }),
    );
    const v = await cli(['dataset', 'validate', file]);
    expect(v.status).toBe(3);
    expect(v.stderr + v.stdout).toMatch(/unknown asset/);
  });
});
