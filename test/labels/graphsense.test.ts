import { describe, expect, it } from 'vitest';
import { importGraphsense } from '../../src/labels/importers/graphsense.js';
import { countBy, fixture, readFixture } from './helpers.js';

const run = (rel: string) => importGraphsense(readFixture(rel), fixture(rel));

describe('GraphSense TagPack importer', () => {
  const r = run('graphsense/pack.yaml');

  it('imports the fixture pack without problems', () => {
    expect(r.problems).toEqual([]);
    expect(r.entries).toHaveLength(8);
    expect(countBy(r.entries, 'category')).toEqual({
      mixer: 2,
      exchange: 1,
      ransomware: 1,
      sanctioned: 2,
      bridge: 1,
      unknown: 1,
    });
  });

  it('lets tags inherit header fields (label, category, currency, confidence, lastmod, source)', () => {
    expect(r.entries[0]).toEqual({
      chain: 'bitcoin',
      address: '1MiG215YY2WzQW7qcaKNksuueMLpQAZYH',
      entity: 'Example Mixer',
      category: 'mixer',
      source: 'graphsense:pack',
      confidence: 'medium',
      note: 'source: https://example.org/report; category: mixing_service; confidence: forensic',
      lastmod: '2024-02-03',
    });
  });

  it('lets a tag override header fields and maps confidence ids onto high/medium/low', () => {
    const byEntity = (e: string) => r.entries.filter((x) => x.entity === e);
    expect(byEntity('Example Exchange')[0]).toMatchObject({
      category: 'exchange',
      confidence: 'low',
      lastmod: '2022-01-01',
    });
    // abuse wins over the weak category `user`
    expect(byEntity('ExampleLocker')).toEqual([
      expect.objectContaining({ category: 'ransomware', confidence: 'high', chain: 'bitcoin' }),
    ]);
    expect(byEntity('Example Person')).toEqual([
      expect.objectContaining({ category: 'sanctioned', confidence: 'high' }),
    ]);
  });

  it('adds sanctioned when the source is a Treasury sanctions action, keeping the mixer label too', () => {
    const eth = r.entries.filter((e) => e.chain === 'ethereum');
    expect(eth.map((e) => e.category).sort()).toEqual(['mixer', 'sanctioned']);
    // the unquoted 0x… scalar stayed a string (failsafe schema), and the USDT repeat was merged
    expect(eth.every((e) => e.address === '0x5Bc982B1c9dCef303764824AE4e46fa738CA1697')).toBe(true);
  });

  it('does not read "Sanction" inside a ransomware family name as a sanctions label', () => {
    expect(r.entries.find((e) => e.entity === 'Rush/Sanction')?.category).toBe('unknown');
  });

  it('maps currencies onto chains and counts what it skips', () => {
    expect(r.entries.find((e) => e.entity === 'Example Bridge')).toMatchObject({
      chain: 'bsc',
      category: 'bridge',
      note: expect.stringContaining('not public'),
    });
    expect(r.skipped).toEqual([
      { reason: 'same address and label listed again for another currency of the chain', count: 1 },
      { reason: 'transaction tag (tx_hash), not an address', count: 1 },
      { reason: 'unsupported currency LTC', count: 1 },
    ]);
  });

  it('reports bad tags with their line numbers and keeps the good ones', () => {
    const bad = run('graphsense/bad.yaml');
    expect(bad.entries).toHaveLength(1);
    expect(bad.problems.map((p) => [p.location, p.message.replace(/:.*$/, '')])).toEqual([
      [9, 'not a valid bitcoin address'],
      [11, "unknown GraphSense category 'darkweb_thing'"],
      [13, 'duplicate of the entry at line 7 (bitcoin 1NsY1aBpJfBjugrZHxVfhmA51hVZmczgtQ)'],
      [15, "unknown GraphSense confidence 'gut_feeling'"],
      [18, 'tag has no currency'],
      [20, 'not a valid bitcoin address'],
      [21, 'a tag must be a mapping'],
      [22, 'tag has no address'],
    ]);
    expect(bad.problems[5]!.message).toContain('another chain');
  });

  it('reports broken YAML as problems with lines, never throwing', () => {
    const broken = importGraphsense(
      'title: x\ntags:\n  - address: "unterminated\n  label: y\n',
      'broken.yaml',
    );
    expect(broken.entries).toEqual([]);
    expect(broken.problems.length).toBeGreaterThan(0);
    expect(broken.problems[0]!.message).toMatch(/^bad YAML/);
    expect(typeof broken.problems[0]!.location).toBe('number');
  });

  it('rejects YAML that is not a TagPack', () => {
    expect(importGraphsense('- a\n- b\n', 'x.yaml').problems[0]!.message).toMatch(/not a TagPack/);
    expect(importGraphsense('title: t\ntags: []\n', 'x.yaml')).toEqual({
      entries: [],
      problems: [],
      skipped: [],
    });
  });
});

describe('GraphSense: sanctioned only from explicit fields (issue 10, item 9)', () => {
  const pack = (header: string, tag: string) =>
    importGraphsense(
      `${header}\ntags:\n  - address: 1MiG215YY2WzQW7qcaKNksuueMLpQAZYH\n    currency: BTC\n${tag}`,
      'review.yaml',
    );

  it('a title or non-Treasury URL merely saying "sanctions" does not make an exchange sanctioned', () => {
    const r = pack(
      'title: Exchange review of sanctions screening\ncreator: x\nlabel: Some Exchange\ncategory: exchange\nsource: https://example.org/sanctions-screening-review\nlastmod: 2024-01-01',
      '',
    );
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => e.category)).toEqual(['exchange']);
  });

  it('says which rule made a label sanctioned (abuse field, or an OFAC source on a Treasury host)', () => {
    const byAbuse = pack(
      'title: t\ncreator: x\nlabel: L\ncategory: user\nabuse: sanction\nlastmod: 2024-01-01',
      '',
    );
    expect(byAbuse.entries).toEqual([
      expect.objectContaining({
        category: 'sanctioned',
        note: expect.stringMatching(/^sanctioned by: abuse: sanction/),
      }),
    ]);
    const byOfac = pack(
      'title: t\ncreator: x\nlabel: Mixer\ncategory: mixing_service\nsource: https://home.treasury.gov/policy-issues/financial-sanctions/recent-actions/20220808\nlastmod: 2024-01-01',
      '',
    );
    expect(byOfac.entries.find((e) => e.category === 'sanctioned')?.note).toMatch(
      /^sanctioned by: OFAC source home\.treasury\.gov/,
    );
    expect(byOfac.entries.find((e) => e.category === 'mixer')?.note).not.toMatch(/sanctioned by/);
  });
});
