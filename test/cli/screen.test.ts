// `fundtrace screen`: per-address exposure both ways; bad lines reported and skipped.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixture } from '../helpers.js';
import { ethAddr } from '../vector-roles.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-screen-'));

describe('screen', () => {
  it('screens each address forward and backward, reports bad lines, still screens the rest', async () => {
    const input = join(dir, 'list.txt');
    writeFileSync(
      input,
      [
        `# deposits to check`,
        ethAddr('v8-seed'),
        'not-an-address',
        '',
        ethAddr('v8-W1').toLowerCase(),
        ethAddr('nobody'),
      ].join('\n'),
    );
    const r = await cli(['screen', input, '--source', fixture('vectors', 'v8.json')]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^fundtrace: line 3: .*not-an-address/m);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((x) => x.line)).toEqual([2, 5, 6]);
    // The depositor's funds went straight into the mixer: 100 % direct, forward.
    expect(rows[0].forward.direct).toEqual([
      expect.objectContaining({ category: 'mixer', share: '1.000000', minHops: 1 }),
    ]);
    // The withdrawal came straight from the mixer (backward, direct); the address was canonicalised.
    expect(rows[1].address).toBe(ethAddr('v8-W1'));
    expect(rows[1].backward.direct).toEqual([expect.objectContaining({ category: 'mixer', minHops: 1 })]);
    expect(rows[2]).toMatchObject({ forward: { found: false }, backward: { found: false } });
  });

  it('reads a CSV column and writes CSV', async () => {
    const input = join(dir, 'list.csv');
    writeFileSync(input, `id,wallet\n1,${ethAddr('v8-seed')}\n2,=HYPERLINK("x")\n`);
    const r = await cli([
      'screen',
      input,
      '--column',
      'wallet',
      '--source',
      fixture('vectors', 'v8.json'),
      '--format',
      'csv',
      '--directions',
      'forward',
    ]);
    expect(r.status).toBe(3);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'line,address,direction,found,scope,category,entity,value,asset,share,min_hops,traced',
    );
    // One summary row per address first (its own labels: none here), then its exposure.
    expect(lines[1]).toBe(`2,${ethAddr('v8-seed')},,true,self,,,,,,,`);
    expect(lines[2]).toContain(',forward,true,direct,mixer,Mixer pool,10,ETH,1.000000,1,10');
    // The bad cell is reported on stderr, never echoed as a live formula.
    expect(r.stdout).not.toContain('=HYPERLINK');
  });

  it('lists the rest of the traced value, so a trace cut by a limit never reads as no exposure', async () => {
    const input = join(dir, 'cut.txt');
    // V3: Alice received 3 ETH of the thief's and passed it on to Bob and Carol (hop 2).
    writeFileSync(input, `${ethAddr('v3-thief')}\n`);
    const r = await cli([
      'screen',
      input,
      '--source',
      fixture('vectors', 'v3.json'),
      '--format',
      'csv',
      '--hops',
      '1',
      '--directions',
      'forward',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').slice(1);
    expect(rows).toEqual([
      expect.stringMatching(/,,true,self,,,,,,,$/),
      expect.stringMatching(/,forward,true,cut,,,3,ETH,1\.000000,,3$/),
    ]);
  });

  it('takes a header line of a one-column list (`cut -d, -f3 file.csv |`) as a header, not a bad address', async () => {
    const input = join(dir, 'cut-header.txt');
    writeFileSync(input, `deposit_address\n${ethAddr('v8-seed')}\n`);
    const r = await cli([
      'screen',
      input,
      '--source',
      fixture('vectors', 'v8.json'),
      '--directions',
      'forward',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((x) => [x.line, x.address])).toEqual([[2, ethAddr('v8-seed')]]);
  });

  it("says first what the screened address itself is: the mixer's own label, then its exposure", async () => {
    const input = join(dir, 'self.csv');
    const pool = ethAddr('v8-pool');
    writeFileSync(input, `address\n${pool.toLowerCase()}\n${ethAddr('v8-W1')}\n`);
    const nd = await cli(['screen', input, '--source', fixture('vectors', 'v8.json')]);
    expect(nd.status, nd.stderr).toBe(0);
    const [first, second] = nd.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(Object.keys(first).slice(0, 3)).toEqual(['line', 'address', 'self']);
    expect(first.self).toEqual({
      role: 'flagged',
      labels: [{ entity: 'Mixer pool', category: 'mixer', source: 'taint-vectors.md', flagged: true }],
    });
    expect(second.self).toEqual({ role: null, labels: [] });
    const csv = await cli(['screen', input, '--source', fixture('vectors', 'v8.json'), '--format', 'csv']);
    expect(csv.status, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n')[1]).toBe(`2,${pool},,true,self,mixer,Mixer pool,,,,,`);
  });
});
