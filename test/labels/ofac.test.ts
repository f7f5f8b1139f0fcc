import { describe, expect, it } from 'vitest';
import { importOfacList, importOfacSdn, sdnNameIndex } from '../../src/labels/importers/ofac.js';
import { countBy, fixture, readFixture } from './helpers.js';

describe('OFAC SDN CSV importer', () => {
  const r = importOfacSdn(readFixture('ofac/sdn.csv'), fixture('ofac/sdn.csv'));

  it('extracts every complete address from Remarks as a sanctioned label named after the SDN entry', () => {
    expect(r.entries).toHaveLength(5);
    expect(countBy(r.entries, 'category')).toEqual({ sanctioned: 5 });
    expect(countBy(r.entries, 'chain')).toEqual({ bitcoin: 3, ethereum: 2 });
    expect(r.entries[0]).toEqual({
      chain: 'bitcoin',
      address: '1928KLHj5uDNodqt4SEZfvZGH398uMWWgJ',
      entity: 'EXAMPLE, Person',
      category: 'sanctioned',
      source: 'ofac-sdn-csv',
      confidence: 'high',
      note: 'OFAC SDN entry 90001 (individual; program CYBER2; XBT)',
    });
  });

  it('merges one address listed under several tickers of the same chain (ETH and USDT)', () => {
    const eth = r.entries.filter((e) => e.entity === 'EXAMPLE, Person' && e.chain === 'ethereum');
    expect(eth).toHaveLength(1);
    expect(eth[0]!.note).toBe('OFAC SDN entry 90001 (individual; program CYBER2; ETH, USDT)');
  });

  it('turns addresses cut off by the 1,000-character Remarks limit into problems', () => {
    expect(r.problems.map((p) => [p.location, p.message])).toEqual([
      [3, "address cut off where OFAC truncated Remarks at 1000 characters: 'XBT 1MiG215YY2'"],
      [4, expect.stringMatching(/^not a valid bitcoin address: address "TFixtureNotABitcoinAddress1234567"/)],
      [5, 'an address entry was cut off where OFAC truncated Remarks at 1000 characters'],
    ]);
  });

  it('handles CRLF and the trailing 0x1A byte, and counts what it skips', () => {
    expect(r.skipped).toEqual([
      { reason: 'SDN entry without a digital currency address', count: 1 },
      { reason: 'unsupported currency LTC', count: 1 },
    ]);
  });

  it('reports records with too few fields', () => {
    const bad = importOfacSdn('1,"A","individual"\r\n', 'sdn.csv');
    expect(bad.problems).toEqual([
      { file: 'sdn.csv', location: 1, message: 'expected 12 SDN fields, found 3' },
    ]);
  });
});

describe('OFAC per-asset lists', () => {
  it('reads a txt list: chain from the ticker in the file name, problems by line', () => {
    const r = importOfacList(
      readFixture('ofac/sanctioned_addresses_XBT.txt'),
      fixture('ofac/sanctioned_addresses_XBT.txt'),
    );
    expect(r.entries.map((e) => e.address)).toEqual([
      '1NsY1aBpJfBjugrZHxVfhmA51hVZmczgtQ',
      '3HJP6jLprjs1YURxnr9zj5DA5oBMdvWeJ6',
      'bc1q83wzwmz57xawd55njs5w8xcprh9x6q0nlwv749',
    ]);
    expect(r.entries[0]).toMatchObject({
      entity: 'OFAC SDN',
      category: 'sanctioned',
      source: 'ofac-sdn-list',
      confidence: 'high',
    });
    expect(r.problems.map((p) => p.location)).toEqual([5, 6]);
    expect(r.problems[0]!.message).toMatch(/^duplicate of the entry at line 1/);
  });

  it('reads a JSON list; USDT 0x addresses are Ethereum, Tron addresses are skipped', () => {
    const r = importOfacList(
      readFixture('ofac/sanctioned_addresses_USDT.json'),
      fixture('ofac/sanctioned_addresses_USDT.json'),
    );
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => [e.chain, e.address])).toEqual([
      ['ethereum', '0xea7A1Ff18fDCec538082f5FF07b7C1c74e63DECE'],
      ['ethereum', '0x824C81106888F7d21e079a3fc2a47A9874456343'],
    ]);
    expect(r.skipped).toEqual([{ reason: 'unsupported currency USDT', count: 1 }]);
  });

  it('maps ARB to arbitrum and skips lists of unsupported chains', () => {
    const arb = importOfacList(
      readFixture('ofac/sanctioned_addresses_ARB.txt'),
      'sanctioned_addresses_ARB.txt',
    );
    expect(arb.entries[0]!.chain).toBe('arbitrum');
    const ltc = importOfacList(
      readFixture('ofac/sanctioned_addresses_LTC.txt'),
      'sanctioned_addresses_LTC.txt',
    );
    expect(ltc).toEqual({
      entries: [],
      problems: [],
      skipped: [{ reason: 'unsupported currency LTC', count: 2 }],
    });
  });

  it('names entries from an SDN name index when one is given', () => {
    const sdn = importOfacSdn(readFixture('ofac/sdn.csv'), 'sdn.csv');
    const names = sdnNameIndex(sdn.entries);
    const r = importOfacList(
      '1928KLHj5uDNodqt4SEZfvZGH398uMWWgJ\n',
      'sanctioned_addresses_XBT.txt',
      {},
      names,
    );
    expect(r.entries[0]!.entity).toBe('EXAMPLE, Person');
  });

  it('needs a ticker or a chain', () => {
    expect(importOfacList('x\n', 'list.txt').problems[0]!.message).toMatch(/cannot tell the asset/);
    const r = importOfacList('1928KLHj5uDNodqt4SEZfvZGH398uMWWgJ\n', 'list.txt', { chain: 'btc' });
    expect(r.entries[0]!.chain).toBe('bitcoin');
  });
});
