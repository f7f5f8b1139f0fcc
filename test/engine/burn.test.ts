// Issue 9 item 5: burn/mint/null/precompile addresses are never exposure targets, even when a
// label list flags them (the Etherscan export flags the null address), and the output says so.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reservedAddress } from '../../src/core/burn.js';
import { cli } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';

const NULL = `0x${'0'.repeat(40)}`;
const DEAD = '0x000000000000000000000000000000000000dEaD';
const THIEF = '0x1111111111111111111111111111111111111111';
const MIXER = '0x2222222222222222222222222222222222222222';
const tx = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

describe('reservedAddress (src/core/burn.ts)', () => {
  it('names the null, dead and precompile addresses and nothing else', () => {
    expect(reservedAddress('account', NULL)).toMatch(/null address/);
    expect(reservedAddress('account', DEAD)).toMatch(/burn/);
    for (let i = 1; i <= 10; i++)
      expect(reservedAddress('account', `0x${i.toString(16).padStart(40, '0')}`)).toMatch(/precompiled/);
    expect(reservedAddress('account', `0x${'0'.repeat(37)}100`)).toMatch(/precompiled/);
    expect(reservedAddress('account', `0x${'0'.repeat(38)}12`)).toBeNull();
    expect(reservedAddress('account', THIEF)).toBeNull();
    expect(reservedAddress('utxo', NULL)).toBeNull();
  });
});

describe('trace: flagged labels on burn addresses are ignored, with a note', () => {
  it('a burn to 0x0 and 0x…dEaD labelled blocklisted is not flagged exposure; a real mixer still is', async () => {
    const dir = tmp('fundtrace-burn-');
    const t = (i: number, to: string, eth: string) => ({
      tx: tx(i),
      index: 0,
      height: 100 + i,
      position: 0,
      time: `2024-01-01T00:0${i}:00Z`,
      from: THIEF,
      to,
      asset: 'ETH',
      value: `${eth}000000000000000000`,
      kind: 'native',
    });
    const data = {
      format: 'fundtrace-dataset/1',
      chain: 'ethereum',
      head: { height: 200 },
      transfers: [
        { ...t(1, THIEF, '6'), from: '0x3333333333333333333333333333333333333333' },
        t(2, NULL, '1'),
        t(3, DEAD, '2'),
        t(4, MIXER, '3'),
      ],
    };
    const file = join(dir, 'd.json');
    writeFileSync(file, JSON.stringify(data));
    const labels = join(dir, 'labels.json');
    const lab = (address: string, entity: string, category: string) => ({
      chain: 'ethereum',
      address,
      entity,
      category,
      source: 'test list',
    });
    writeFileSync(
      labels,
      JSON.stringify({
        labels: [
          lab(NULL, 'Null: 0x000…000', 'blocklisted'),
          lab(DEAD, 'Burn', 'scam'),
          lab(MIXER, 'Mixer', 'mixer'),
        ],
      }),
    );
    const r = await cli(['trace', tx(1), '--source', file, '--labels', labels, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { warnings?: string[] };
    const text = JSON.stringify(j);
    // The mixer is reached and flagged; the null and dead addresses are not exposure targets.
    expect(text).toContain('Mixer');
    expect(text).not.toContain('Null: 0x000');
    const notes = (j.warnings ?? []).join('\n').toLowerCase();
    expect(notes).toContain(`${NULL} is the null address`);
    expect(notes).toContain(`${DEAD.toLowerCase()} is a burn address`);

    const look = await cli(['labels', 'lookup', NULL, '--labels', labels]);
    const l = JSON.parse(look.stdout) as { flagged: boolean; note?: string };
    expect(l.flagged).toBe(false);
    expect(l.note).toMatch(/never an exposure target/);
  });
});
