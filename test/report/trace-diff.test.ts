// `fundtrace diff` on the phishing sample traced twice: without and with a label file that flags
// the hop-2 address 0x34ae92…: the hand-checked differences (12 000 USDT that reached Northbank
// Exchange through it now stop at a flagged cluster).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceDiff } from '../../src/report/trace-diff.js';
import { cli, ROOT } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';

const SEED = '0xad42f9f4bf2f169806b5ddeea99b4c51be2bbe559a94bbf56827e3c723fcb084';
const SAMPLE = join(ROOT, 'samples', 'phishing-eth.json');
const MULE = '0x34ae92ba5c60472c403D5A5413847005F10035c2';
const NORTHBANK = '0x5E7EB83410bAF42E284C27C9b754d7B51ce4C52c';

async function traced(dir: string, name: string, labels: string[]) {
  const out = join(dir, name);
  const r = await cli([
    'trace',
    SEED,
    '--source',
    SAMPLE,
    '--asset',
    'USDT',
    '--no-label-dir',
    ...labels.flatMap((l) => ['--labels', l]),
    '--case',
    out,
  ]);
  expect(r.status, r.stderr).toBe(0);
  return out;
}

describe('fundtrace diff', () => {
  it('a new label: the hand-checked flows, terminals and exposure that changed', async () => {
    const dir = tmp('fundtrace-diff-');
    const labels = join(dir, 'mule.json');
    writeFileSync(
      labels,
      JSON.stringify({
        labels: [{ chain: 'ethereum', address: MULE, entity: 'Test mule', category: 'scam', source: 'test' }],
      }),
    );
    const a = await traced(dir, 'before', []);
    const b = await traced(dir, 'after', [labels]);
    const r = await cli(['diff', a, join(b, 'result.json'), '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as TraceDiff;
    expect(d.identical).toBe(false);
    expect(d.query).toEqual([{ field: 'labels', a: '[]', b: JSON.stringify([labels]) }]);
    expect(d.traced).toBeNull(); // 40 000 USDT either way
    // Before: 20 762.88571 to Northbank, 8 000 flagged (the drainer kit). After: the 12 000 that
    // went 0x34ae92… → Northbank stop at 0x34ae92…, now flagged.
    expect(d.terminals).toEqual([
      { key: 'exit', a: '20762885710', b: '8762885710', delta: '-12000000000' },
      { key: 'flagged', a: '8000000000', b: '20000000000', delta: '12000000000' },
    ]);
    expect(d.flows.added).toEqual([]);
    expect(d.flows.changed).toEqual([]);
    expect(d.flows.removed).toEqual([
      {
        key: 'ethereum:0xa44bbaefbdf8711b21764140308f6fa5101f7bc9e33436f3a6bb2a9017923a08:0',
        detail: `hop 3 ${MULE} → ${NORTHBANK}`,
        a: '12000000000',
        b: null,
        delta: '-12000000000',
      },
    ]);
    expect(d.exposure.added.map((x) => [x.key, x.b])).toEqual([['indirect scam Test mule', '12000000000']]);
    expect(d.exposure.changed.map((x) => [x.key, x.a, x.b])).toEqual([
      ['indirect exchange Northbank Exchange', '20762885710', '8762885710'],
    ]);
    expect(d.exposure.removed).toEqual([]);
    expect(d.atRest).toEqual({ added: [], removed: [], changed: [] }); // 11 237.11429 held either way

    const table = await cli(['diff', a, b]);
    expect(table.stdout).toContain('changed  flagged: 8000 USDT → 20000 USDT (+12000 USDT)');
    const md = await cli(['diff', a, b, '--format', 'md']);
    expect(md.stdout).toContain('| changed | exit | 20762.88571 USDT | 8762.88571 USDT | -12000 USDT |');
    const same = await cli(['diff', a, a]);
    expect(same.stdout).toMatch(/no difference\n$/);
  });

  it('bad input: a file that is not a trace result, a missing path', async () => {
    const dir = tmp('fundtrace-diff-');
    const junk = join(dir, 'x.json');
    writeFileSync(junk, '{"labels": []}');
    const r = await cli(['diff', junk, junk]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/is not a trace result/);
    const m = await cli(['diff', join(dir, 'nope'), junk]);
    expect(m.status).toBe(3);
    expect(m.stderr).toMatch(/no such file or case directory/);
  });
});
