// Issue 9 item 12: real third-party label lists import their valid entries and list the rest as
// warnings by default (the OFAC XBT list holds a TRON address, the SDN CSV truncates remarks, MEW's
// darklist repeats entries); --strict-labels refuses them; the project's own format stays strict;
// every refusal names the flag that changes it.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, SHARED } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';

const XBT = join(SHARED, 'data', 'ofac-sanctioned-addresses', 'sanctioned_addresses_XBT.json');
const MEW = join(SHARED, 'data', 'mew-addresses-darklist', 'addresses-darklist.json');
const SDN = join(SHARED, 'data', 'ofac-sdn-csv', 'sdn_20240503_full.csv.gz');
const present = existsSync(XBT) && existsSync(MEW) && existsSync(SDN);

describe.skipIf(!present)('real label lists (../shared/data)', () => {
  for (const [name, file, min] of [
    ['OFAC XBT list', XBT, 400],
    ['MEW darklist', MEW, 600],
    ['OFAC SDN CSV', SDN, 200],
  ] as const) {
    it(`${name}: imports the valid entries by default, warns about the rest; --strict-labels refuses it`, async () => {
      const dir = tmp('fundtrace-ll-');
      const r = await cli(['labels', 'import', file, '--dir', dir]);
      expect(r.status).toBe(0);
      const n = Number(/imported (\d+) labels/.exec(r.stdout)?.[1]);
      expect(n).toBeGreaterThan(min);
      expect(r.stdout).toMatch(/[1-9]\d* bad entries skipped/);
      expect(r.stderr).toMatch(/fundtrace: warning: /);
      const s = await cli(['labels', 'import', file, '--dir', tmp('fundtrace-ll-'), '--strict-labels']);
      expect(s.status).toBe(3);
      expect(s.stderr).toContain('nothing imported (drop --strict-labels (or pass --lenient)');
    });
  }

  it('--labels with a real list loads it and prints its problems as warnings', async () => {
    const r = await cli(['labels', 'lookup', '0x1e3c07Ce10973fCAebC81468af1d3F390d2A4c71', '--labels', MEW]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).labels.length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/warning: .*duplicate/);
    const s = await cli([
      'labels',
      'lookup',
      '0x1e3c07Ce10973fCAebC81468af1d3F390d2A4c71',
      '--labels',
      MEW,
      '--strict-labels',
    ]);
    expect(s.status).toBe(3);
    expect(s.stderr).toContain('--strict-labels');
  });
});

describe("the project's own format stays strict, and says which flag to pass", () => {
  it('a fundtrace label file with a bad entry is refused, naming --lenient; --lenient loads the rest', async () => {
    const dir = tmp('fundtrace-ll-');
    const f = join(dir, 'mine.json');
    writeFileSync(
      f,
      JSON.stringify({
        labels: [
          {
            chain: 'ethereum',
            address: '0x1111111111111111111111111111111111111111',
            entity: 'A',
            category: 'scam',
            source: 't',
          },
          { chain: 'ethereum', address: '0xnot-an-address', entity: 'B', category: 'scam', source: 't' },
        ],
      }),
    );
    const r = await cli(['labels', 'import', f, '--dir', dir]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('pass --lenient to import the good entries');
    expect(r.stderr).not.toContain('lenient mode');
    const l = await cli(['labels', 'list', '--labels', f, '--no-label-dir']);
    expect(l.status).toBe(3);
    expect(l.stderr).toContain('pass --lenient to load the good entries');
    const ok = await cli(['labels', 'import', f, '--dir', dir, '--lenient']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('imported 1 labels');
  });
});
