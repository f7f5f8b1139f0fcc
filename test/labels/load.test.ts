import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FundtraceError } from '../../src/core/errors.js';
import { detectFormat } from '../../src/labels/importers/index.js';
import { formatProblem, loadLabelFile } from '../../src/labels/load.js';
import { fixture, readFixture, tmpDir } from './helpers.js';

const dir = tmpDir();

describe('format detection', () => {
  it.each([
    ['own/labels.json', 'fundtrace'],
    ['own/labels.jsonl', 'fundtrace'],
    ['own/labels.csv', 'fundtrace'],
    ['graphsense/pack.yaml', 'graphsense'],
    ['ofac/sdn.csv', 'ofac-sdn'],
    ['ofac/sanctioned_addresses_XBT.txt', 'ofac-list'],
    ['ofac/sanctioned_addresses_USDT.json', 'ofac-list'],
    ['etherscan/mainnet-2022/phish-hack.all.csv', 'etherscan'],
    ['etherscan/arbiscan/exploit.csv', 'etherscan'],
    ['etherscan/combined/combinedAccountLabels.json', 'etherscan'],
    ['etherscan/binance.json', 'etherscan'],
    ['etherscan/bscscan/heist.accounts.json', 'etherscan'],
    ['scam/addresses-darklist.json', 'mew-darklist'],
    ['scam/scamsniffer/address.json', 'scamsniffer'],
    ['scam/scamsniffer/combined.json', 'scamsniffer'],
  ])('%s → %s', (rel, format) => {
    expect(detectFormat(readFixture(rel), fixture(rel))).toBe(format);
  });

  it('detects by content when the name says nothing', () => {
    expect(detectFormat(readFixture('ofac/sdn.csv'), 'export.csv')).toBe('ofac-sdn');
    expect(detectFormat(readFixture('graphsense/pack.yaml'), 'pack.txt')).toBe('graphsense');
    expect(detectFormat(readFixture('scam/addresses-darklist.json'), 'list.json')).toBe('mew-darklist');
    expect(detectFormat('{"a.example":["0x8fa78bf8b7334950907fe202e882afd91aa3236f"]}', 'x.json')).toBe(
      'scamsniffer',
    );
    expect(detectFormat('hello world', 'notes.md')).toBeUndefined();
  });
});

describe('loadLabelFile', () => {
  it('loads a good file and reports its format', async () => {
    const r = await loadLabelFile(fixture('graphsense/pack.yaml'));
    expect(r.format).toBe('graphsense');
    expect(r.entries).toHaveLength(8);
    expect(r.warnings).toEqual([]);
  });

  it('strict mode: one BAD_INPUT error with a one-line message and every problem as a detail', async () => {
    const err = await loadLabelFile(fixture('own/bad.json')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FundtraceError);
    const fe = err as FundtraceError;
    expect(fe.code).toBe('BAD_INPUT');
    expect(fe.message).not.toContain('\n');
    expect(fe.message).toMatch(/9 problems in the label file, nothing imported/);
    expect(fe.details).toHaveLength(9);
    expect(fe.details[0]).toBe(
      `${fixture('own/bad.json')} at /1/category: unknown category 'laundromat' (see the taxonomy in src/labels/taxonomy.ts)`,
    );
  });

  it('lenient mode: the good entries, and the problems as warnings', async () => {
    const r = await loadLabelFile(fixture('own/bad.json'), { lenient: true });
    expect(r.entries).toHaveLength(1);
    expect(r.warnings).toHaveLength(9);
  });

  it('takes the format by name, and refuses unknown format names as USAGE', async () => {
    const p = join(dir, 'whatever.dat');
    writeFileSync(p, readFixture('scam/scamsniffer/address.json'));
    const r = await loadLabelFile(p, { format: 'scamsniffer', lenient: true });
    expect(r.entries).toHaveLength(3);
    const err = (await loadLabelFile(p, { format: 'nope' }).catch((e: unknown) => e)) as FundtraceError;
    expect(err.code).toBe('USAGE');
    expect(err.details[0]).toMatch(/^known formats: fundtrace, /);
  });

  it('reads gzip files, detecting the format from the inner name', async () => {
    const p = join(dir, 'sdn.csv.gz');
    writeFileSync(p, gzipSync(readFixture('ofac/sdn.csv')));
    const r = await loadLabelFile(p, { lenient: true });
    expect(r.format).toBe('ofac-sdn');
    expect(r.entries).toHaveLength(5);
    expect(r.warnings.every((w) => w.file === p)).toBe(true);
  });

  it('missing, unrecognisable and corrupt files are BAD_INPUT errors', async () => {
    const missing = (await loadLabelFile(join(dir, 'none.json')).catch((e: unknown) => e)) as FundtraceError;
    expect(missing.code).toBe('BAD_INPUT');
    expect(missing.message).toMatch(/cannot read label file .*ENOENT/);
    const odd = join(dir, 'odd.md');
    writeFileSync(odd, 'hello world');
    expect(((await loadLabelFile(odd).catch((e: unknown) => e)) as FundtraceError).message).toMatch(
      /cannot tell the label file format/,
    );
    const gz = join(dir, 'bad.json.gz');
    writeFileSync(gz, 'not gzip');
    expect(((await loadLabelFile(gz).catch((e: unknown) => e)) as FundtraceError).message).toMatch(
      /not a valid gzip file/,
    );
  });
});

describe('invalid UTF-8 (issue 10, low)', () => {
  it('is a BAD_INPUT error naming the line, not a silent U+FFFD', async () => {
    const good =
      '{"chain":"ethereum","address":"0x8FA78bf8B7334950907FE202E882AFD91aa3236F","entity":"A","category":"exchange","source":"t"}\n';
    const bad = Buffer.concat([
      Buffer.from(good),
      Buffer.from('{"chain":"ethereum","address":"0x5Bc982B1c9dCef303764824AE4e46fa738CA1697","entity":"B'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('","category":"exchange","source":"t"}\n'),
    ]);
    for (const [name, body] of [
      ['bad-utf8.jsonl', bad],
      ['bad-utf8.jsonl.gz', gzipSync(bad)],
    ] as const) {
      const p = join(dir, name);
      writeFileSync(p, body);
      const e = await loadLabelFile(p, { lenient: true }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(FundtraceError);
      expect((e as FundtraceError).code).toBe('BAD_INPUT');
      expect((e as FundtraceError).message).toMatch(/line 2: not valid UTF-8/);
    }
  });
});

describe('untrusted text in problems', () => {
  it('escapes control and bidi characters from file content and file names', async () => {
    const evil = '\u001b[31mred\u202eevil\nline';
    const p = join(dir, 'evil\u0007.json');
    writeFileSync(p, JSON.stringify([{ chain: 'ethereum', address: evil, entity: evil, category: evil }]));
    const r = await loadLabelFile(p, { lenient: true, format: 'fundtrace' });
    const lines = r.warnings.map(formatProblem);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toMatch(/[\u0000-\u001f\u007f\u202e]/);
    }
    expect(lines.join('\n')).toContain('\\u001b[31mred\\u202eevil\\u000aline');
  });

  it('keeps JSON pointers that quote untrusted keys display-safe', async () => {
    const p = join(dir, 'domains.json');
    writeFileSync(p, JSON.stringify({ 'evil\u001b]0;x\u0007.test': ['0xnope'] }));
    const r = await loadLabelFile(p, { lenient: true, format: 'scamsniffer' });
    expect(r.warnings).toHaveLength(1);
    expect(String(r.warnings[0]!.location)).toBe('/evil\\u001b]0;x\\u0007.test/0');
    expect(formatProblem(r.warnings[0]!)).not.toMatch(/[\u0000-\u001f]/);
  });
});
