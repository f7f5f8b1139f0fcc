import { describe, expect, it } from 'vitest';
import { importFundtrace } from '../../src/labels/importers/fundtrace.js';
import { fixture, readFixture } from './helpers.js';

const run = (rel: string) => importFundtrace(readFixture(rel), fixture(rel));

describe('own format: JSON', () => {
  it('reads {labels:[...]}, canonicalises chains and addresses, maps aliases', () => {
    const r = run('own/labels.json');
    expect(r.problems).toEqual([]);
    expect(r.entries).toEqual([
      {
        chain: 'ethereum',
        address: '0x8FA78bf8B7334950907FE202E882AFD91aa3236F',
        entity: 'Example Mixer',
        category: 'mixer',
        source: 'case-notes',
        confidence: 'high',
        note: 'router contract',
      },
      {
        chain: 'ethereum',
        address: '0x8FA78bf8B7334950907FE202E882AFD91aa3236F',
        entity: 'Example Mixer',
        category: 'sanctioned',
        source: 'case-notes',
        confidence: 'high',
      },
      {
        chain: 'bitcoin',
        address: 'bc1qrm4hnar00ayrf9lh52l6zqj9q2n5uules8u8wx',
        entity: 'Example Exchange',
        category: 'exchange',
        source: 'case-notes',
        confidence: 'medium',
        lastmod: '2024-01-02',
      },
      // phishing is an alias of scam; the source defaults to the file's stem
      {
        chain: 'bitcoin',
        address: '1928KLHj5uDNodqt4SEZfvZGH398uMWWgJ',
        entity: 'Example Phisher',
        category: 'scam',
        source: 'labels',
      },
    ]);
  });

  it('accepts a bare array and a dataset document whose labels inherit its chain', () => {
    const arr = importFundtrace(
      '[{"chain":"bitcoin","address":"1928KLHj5uDNodqt4SEZfvZGH398uMWWgJ","entity":"E","category":"scam"}]',
      'x.json',
    );
    expect(arr.entries).toHaveLength(1);
    const ds = importFundtrace(
      JSON.stringify({
        format: 'fundtrace-dataset/1',
        chain: 'ethereum',
        transfers: [],
        labels: [{ address: '0x8fa78bf8b7334950907fe202e882afd91aa3236f', entity: 'E', category: 'dex' }],
      }),
      'case.json',
    );
    expect(ds.problems).toEqual([]);
    expect(ds.entries[0]).toMatchObject({ chain: 'ethereum', category: 'dex', source: 'case' });
  });

  it('reports one problem per bad field with a JSON pointer, and keeps only the good entry', () => {
    const r = run('own/bad.json');
    expect(r.entries.map((e) => e.entity)).toEqual(['Good']);
    expect(r.problems.map((p) => [p.location, p.message.split(':')[0]])).toEqual([
      ['/1/category', "unknown category 'laundromat' (see the taxonomy in src/labels/taxonomy.ts)"],
      ['/2/address', 'not a valid ethereum address'],
      ['/3/chain', "unknown chain 'dogecoin'"],
      ['/4', 'duplicate of the entry at /0 (ethereum 0xbE7823885709a55580145A2a71fd8d065EE0733f)'],
      ['/5/confidence', "confidence must be high, medium or low, not 'very high'"],
      ['/6', 'expected a label object'],
      ['/7/entity', 'missing entity'],
      ['/7/category', 'missing category'],
      ['/8/address', 'not a valid ethereum address'],
    ]);
    expect(r.problems[1]!.message).toContain('checksum');
    expect(r.problems[8]!.message).toContain('belongs to another chain');
    expect(r.problems.every((p) => p.file === fixture('own/bad.json'))).toBe(true);
  });

  it('reports a syntax error once, at its line', () => {
    const r = importFundtrace('[\n  {"chain": "ethereum",\n  oops\n]', 'broken.json');
    expect(r.entries).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.location).toBe(3);
    expect(r.problems[0]!.message).toMatch(/^not valid JSON/);
  });

  it('rejects a JSON value that is not a label container', () => {
    expect(importFundtrace('{"foo": 1}', 'x.json').problems[0]!.message).toMatch(/expected a JSON array/);
  });
});

describe('own format: JSON Lines', () => {
  it('skips the header and non-label dataset records; the header chain is inherited', () => {
    const r = run('own/labels.jsonl');
    expect(r.problems).toEqual([]);
    expect(r.skipped).toEqual([{ reason: 'dataset record that is not a label', count: 1 }]);
    expect(r.entries).toEqual([
      {
        chain: 'ethereum',
        address: '0x5Bc982B1c9dCef303764824AE4e46fa738CA1697',
        entity: 'Example Bridge',
        category: 'bridge',
        source: 'notes',
      },
      {
        chain: 'bitcoin',
        address: '3L7mFsxNrjRCR76MhgsEfskp4M2WKgUtME',
        entity: 'Example Casino',
        category: 'gambling',
        source: 'notes',
        confidence: 'low',
      },
    ]);
  });

  it('names the line of a bad JSON line and of a bad label', () => {
    const text = [
      '{"chain":"bitcoin","address":"1928KLHj5uDNodqt4SEZfvZGH398uMWWgJ","entity":"A","category":"scam"}',
      '{"chain":"bitcoin", nope',
      '{"chain":"bitcoin","address":"1928KLHj5uDNodqt4SEZfvZGH398uMWWgX","entity":"A","category":"scam"}',
    ].join('\n');
    const r = importFundtrace(text, 'x.jsonl');
    expect(r.entries).toHaveLength(1);
    expect(r.problems.map((p) => p.location)).toEqual([2, 3]);
  });
});

describe('own format: CSV', () => {
  it('reads a header-named CSV with quotes, doubled quotes, CRLF and empty optional fields', () => {
    const r = run('own/labels.csv');
    expect(r.problems).toEqual([]);
    expect(r.entries).toEqual([
      {
        chain: 'ethereum',
        address: '0xf6bcaeCBF50150B46148FF2db5c1E701E3DDeaA8',
        entity: 'Example DEX',
        category: 'dex',
        source: 'sheet',
        confidence: 'medium',
        note: 'router, v2',
        lastmod: '2023-05-06',
      },
      {
        chain: 'bitcoin',
        address: '1MiG215YY2WzQW7qcaKNksuueMLpQAZYH',
        entity: 'Example "Locker" gang',
        category: 'ransomware',
        source: 'sheet',
        confidence: 'high',
      },
      {
        chain: 'ethereum',
        address: '0xDCC10365C39Dea8D4B19cA4486F1C28b3C9e269A',
        entity: 'Example Thief',
        category: 'theft',
        source: 'labels',
      },
    ]);
  });

  it('requires the key columns and the right field count, naming lines', () => {
    expect(importFundtrace('address,entity\n', 'x.csv').problems[0]!.message).toMatch(
      /lacks column\(s\) chain, category/,
    );
    const r = importFundtrace(
      'chain,address,entity,category\nbitcoin,1928KLHj5uDNodqt4SEZfvZGH398uMWWgJ,A\n',
      'x.csv',
    );
    expect(r.problems).toEqual([{ file: 'x.csv', location: 2, message: 'expected 4 fields, found 3' }]);
  });
});
