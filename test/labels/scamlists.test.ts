import { describe, expect, it } from 'vitest';
import {
  importAddressList,
  importMewDarklist,
  importMewLightlist,
  importScamSniffer,
  isoDate,
} from '../../src/labels/importers/scamlists.js';
import { fixture, readFixture } from './helpers.js';

describe('MEW darklist importer', () => {
  const r = importMewDarklist(
    readFixture('scam/addresses-darklist.json'),
    fixture('scam/addresses-darklist.json'),
  );

  it('imports scam labels named by the comment, dates normalised', () => {
    expect(r.entries).toEqual([
      {
        chain: 'ethereum',
        address: '0xbE7823885709a55580145A2a71fd8d065EE0733f',
        entity: 'Fake copy of Example token',
        category: 'scam',
        source: 'mew-darklist',
        confidence: 'medium',
        note: 'MyEtherWallet darklist (scam/phishing)',
        lastmod: '2018-11-06',
      },
      // the trailing space is trimmed; another comment makes it another label for the same address
      expect.objectContaining({ entity: 'PHISH_Example_15 (Phishing2)', lastmod: '2017-07-22' }),
      expect.objectContaining({
        entity: 'unnamed (MEW darklist)',
        address: '0x6d5A02B6767314246B38b9C4f6a99dc81761616B',
      }),
    ]);
    expect(r.entries[2]!.lastmod).toBeUndefined();
  });

  it('reports case-variant duplicates and the 41-character address', () => {
    expect(r.problems.map((p) => p.location)).toEqual(['/1', '/3/address', '/5']);
    expect(r.problems[1]!.message).toContain('got 39');
  });

  it('imports the lightlist (same shape, known-good addresses) as organizations', () => {
    const light = importMewLightlist(
      '[{"address":"0x8fa78bf8b7334950907fe202e882afd91aa3236f","comment":"Example DAO Address","date":"2017-07-18"}]',
      'addresses-lightlist.json',
    );
    expect(light.entries[0]).toMatchObject({
      category: 'organization',
      source: 'mew-lightlist',
      entity: 'Example DAO Address',
    });
  });

  it('normalises the three date forms', () => {
    expect(isoDate('2018-03-12')).toBe('2018-03-12');
    expect(isoDate('7/22/17')).toBe('2017-07-22');
    expect(isoDate('')).toBeUndefined();
    expect(isoDate('someday')).toBeUndefined();
  });
});

describe('ScamSniffer importer', () => {
  it('reads address.json as scam labels and reports duplicates', () => {
    const r = importScamSniffer(readFixture('scam/scamsniffer/address.json'), 'address.json');
    expect(r.entries).toHaveLength(3);
    expect(r.entries[0]).toMatchObject({
      category: 'scam',
      chain: 'ethereum',
      entity: 'unnamed (ScamSniffer blacklist)',
    });
    expect(r.problems.map((p) => p.location)).toEqual(['/3']);
  });

  it('reads combined.json as one label per (domain, address)', () => {
    const r = importScamSniffer(readFixture('scam/scamsniffer/combined.json'), 'combined.json');
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => e.entity)).toEqual([
      'claim-example.test',
      'claim-example.test',
      'airdrop-example.test',
    ]);
    expect(r.skipped).toEqual([{ reason: 'phishing domain without an address', count: 1 }]);
  });

  it('counts the domain-only archives as skipped, and honours a chain option', () => {
    const r = importScamSniffer(readFixture('scam/scamsniffer/archive-2099-01-01.json'), 'archive.json');
    expect(r).toEqual({
      entries: [],
      problems: [],
      skipped: [{ reason: 'phishing domain without an address', count: 3 }],
    });
    const bsc = importScamSniffer('["0x8fa78bf8b7334950907fe202e882afd91aa3236f"]', 'a.json', {
      chain: 'bsc',
    });
    expect(bsc.entries[0]!.chain).toBe('bsc');
  });
});

describe('plain address lists', () => {
  it('need a chain and a category, and take an entity', () => {
    expect(importAddressList('x\n', 'list.txt').problems[0]!.message).toMatch(/needs a chain and a category/);
    const r = importAddressList('# comment\n1928KLHj5uDNodqt4SEZfvZGH398uMWWgJ\nnope\n', 'seized.txt', {
      chain: 'bitcoin',
      category: 'theft',
      entity: 'Case 42 thief',
    });
    expect(r.entries).toEqual([
      {
        chain: 'bitcoin',
        address: '1928KLHj5uDNodqt4SEZfvZGH398uMWWgJ',
        entity: 'Case 42 thief',
        category: 'theft',
        source: 'seized',
      },
    ]);
    expect(r.problems.map((p) => p.location)).toEqual([3]);
  });
});
