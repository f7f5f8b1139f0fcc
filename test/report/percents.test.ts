// Displayed shares that make up a whole add up to 100.00 %: rounded each on its own, the phishing
// sample's 12 ETH read 35.40 + 33.86 + 30.62 + 0.13 = 100.01 % under "✓ adds up". One rule
// (src/report/present.ts percentsOf: largest remainder over hundredths) for the terminal table,
// the Markdown and the HTML report.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { percentOf, percentsOf, percentsOfShares } from '../../src/report/present.js';
import { tempDir } from '../case/helpers.js';
import { cli } from '../helpers.js';

const ETH_SEED = '0x051ae4e356b95fbef6f0fa94b83847d69542055dde470f460dfad533adfcde5f';

/** The hundredths of every "12.34 %" in `lines` ("<0.01 %" counts 0). */
const hundredths = (lines: string[]) =>
  lines.flatMap((l) =>
    [...l.matchAll(/(<?)(\d+)\.(\d\d) %/g)].map((m) => (m[1] ? 0 : Number(m[2]) * 100 + Number(m[3]))),
  );
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('percentsOf', () => {
  it('apportions hundredths so that parts making up the whole read 100.00 %', () => {
    const parts = [4247787610619469027n, 4063101192766448633n, 3673842821392843407n, 15268375221238933n];
    const whole = 12_000_000_000_000_000_000n;
    // Each on its own: 100.01 %.
    expect(sum(hundredths(parts.map((p) => percentOf(p, whole))))).toBe(10_001);
    const shares = percentsOf(parts, whole);
    expect(sum(hundredths(shares))).toBe(10_000);
    // Each stays within 0.01 of its own rounding.
    shares.forEach((s, i) => {
      expect(
        Math.abs(hundredths([s])[0]! - hundredths([percentOf(parts[i]!, whole)])[0]!),
      ).toBeLessThanOrEqual(1);
    });
  });

  it('keeps "<0.01 %" for a part that is there, and rounds each on its own when the parts are not the whole', () => {
    expect(percentsOf([1n, 999_999n], 1_000_000n)).toEqual(['<0.01 %', '100.00 %']);
    expect(percentsOf([0n, 5n], 5n)).toEqual(['0.00 %', '100.00 %']);
    expect(percentsOf([1n, 1n], 3n)).toEqual([percentOf(1n, 3n), percentOf(1n, 3n)]);
    expect(percentsOf([1n], 0n)).toEqual(['n/a']);
    expect(percentsOfShares(['0.354000', '0.338600', '0.306200', '0.001200'])).toEqual([
      '35.40 %',
      '33.86 %',
      '30.62 %',
      '0.12 %',
    ]);
    expect(percentsOfShares([null, null])).toEqual(['n/a', 'n/a']);
  });
});

describe('every renderer shows end points and exposure that add up to 100.00 %', () => {
  it('the phishing sample, 12 ETH: the terminal table, the Markdown and the HTML report', async () => {
    const table = await cli(['trace', ETH_SEED, '--source', 'sample:phishing-eth', '--format', 'table'], {
      NO_COLOR: '1',
      COLUMNS: '120',
    });
    expect(table.status, table.stderr).toBe(0);
    const out = table.stdout.split('\n');
    const section = (title: string) => {
      const from = out.findIndex((l) => l.startsWith(title));
      const to = out.findIndex((l, i) => i > from && l === '');
      return out.slice(from + 1, to);
    };
    const ends = section('Where it went').filter((l) => !/total|of which/.test(l));
    expect(ends.length).toBe(4);
    expect(sum(hundredths(ends))).toBe(10_000);
    const exposure = section('Exposure').filter((l) => !/direct = hop 1/.test(l));
    expect(exposure.length).toBeGreaterThanOrEqual(5);
    expect(sum(hundredths(exposure))).toBe(10_000);

    const json = await cli(['trace', ETH_SEED, '--source', 'sample:phishing-eth', '--format', 'json']);
    const file = join(await tempDir(), 'trace.json');
    writeFileSync(file, json.stdout);
    const md = await cli(['report', file, '--format', 'md']);
    expect(md.status, md.stderr).toBe(0);
    const mdLines = md.stdout.split('\n');
    const mdTable = (header: string) => {
      const from = mdLines.findIndex((l) => l.startsWith(`| ${header}`));
      const rows: string[] = [];
      for (let i = from + 2; mdLines[i]?.startsWith('|'); i++) rows.push(mdLines[i]!);
      return rows;
    };
    expect(sum(hundredths(mdTable('Where the value ended')))).toBe(10_000);
    expect(sum(hundredths([...mdTable('Exposure'), ...mdTable('Rest of the traced value')]))).toBe(10_000);

    const html = await cli(['report', file, '--format', 'html']);
    expect(html.status, html.stderr).toBe(0);
    const card = (title: string) => {
      const from = html.stdout.indexOf(`<h2>${title}`);
      return [html.stdout.slice(from, html.stdout.indexOf('</table>', from))];
    };
    expect(sum(hundredths(card('Where the value ended')))).toBe(10_000);
  });
});
