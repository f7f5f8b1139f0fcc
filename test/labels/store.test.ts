import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FundtraceError } from '../../src/core/errors.js';
import { LabelStore, loadLabelStore, lookupKey } from '../../src/labels/store.js';
import { fixture, label, tmpDir } from './helpers.js';

const dir = tmpDir();

describe('LabelStore', () => {
  it('finds EVM labels in any case and bech32 in any case, base58 only exactly', () => {
    const store = new LabelStore([
      label({ address: '0x8FA78bf8B7334950907FE202E882AFD91aa3236F' }),
      label({ chain: 'bitcoin', address: 'bc1qrm4hnar00ayrf9lh52l6zqj9q2n5uules8u8wx' }),
      label({ chain: 'bitcoin', address: '1928KLHj5uDNodqt4SEZfvZGH398uMWWgJ' }),
    ]);
    expect(store.get('ethereum', '0x8fa78bf8b7334950907fe202e882afd91aa3236f')).toHaveLength(1);
    expect(store.get('eth', '0x8FA78BF8B7334950907FE202E882AFD91AA3236F')).toHaveLength(1);
    expect(store.get('bitcoin', 'BC1QRM4HNAR00AYRF9LH52L6ZQJ9Q2N5UULES8U8WX')).toHaveLength(1);
    expect(store.get('bitcoin', '1928KLHj5uDNodqt4SEZfvZGH398uMWWgJ')).toHaveLength(1);
    expect(store.get('bitcoin', '1928klhj5udnodqt4sezfvzgh398umwwgj')).toHaveLength(0);
    // chains are separate namespaces
    expect(store.get('bsc', '0x8FA78bf8B7334950907FE202E882AFD91aa3236F')).toEqual([]);
    expect(lookupKey('eth', '0xAbC')).toBe(lookupKey('ethereum', '0xabc'));
  });

  it('de-duplicates many labels of one address exactly (hash set, not a scan per label)', () => {
    const store = new LabelStore();
    const n = 20_000;
    for (let i = 0; i < n; i++) store.add(label({ entity: `E${i}` }));
    // the same labels again, and the same address in another case: all duplicates
    for (let i = 0; i < n; i++) expect(store.add(label({ entity: `E${i}` }))).toBe(false);
    expect(store.add(label({ entity: 'E1', note: '' }))).toBe(true); // '' is not an absent note
    expect(store.size).toBe(n + 1);
    expect(store.addressCount).toBe(1);
  });

  it('keeps every conflicting label of an address and ranks them; drops only exact duplicates', () => {
    const mixer = label({ category: 'mixer', entity: 'Tornado Cash', source: 'etherscan:tornado-cash' });
    const sanctioned = label({ category: 'sanctioned', entity: 'TORNADO CASH', source: 'ofac-sdn-csv' });
    const store = new LabelStore();
    expect(store.addAll([mixer, sanctioned, { ...mixer }, { ...mixer, note: 'other note' }])).toBe(3);
    expect(store.size).toBe(3);
    expect(store.addressCount).toBe(1);
    expect(store.get('ethereum', mixer.address)).toHaveLength(3);
    expect(store.primary('ethereum', mixer.address)).toBe(sanctioned);
    expect(store.ranked('ethereum', mixer.address)[0]).toBe(sanctioned);
    expect([...store]).toHaveLength(3);
    expect(store.has('ethereum', mixer.address)).toBe(true);
  });

  it('looks up in constant time: 100k lookups in a 200k-label store stay fast', () => {
    const labels = Array.from({ length: 200_000 }, (_, i) =>
      label({ address: `0x${i.toString(16).padStart(40, '0')}`, entity: `e${i}` }),
    );
    const store = new LabelStore(labels);
    expect(store.addressCount).toBe(200_000);
    const t0 = performance.now();
    let hits = 0;
    for (let i = 0; i < 100_000; i++)
      hits += store.get('ethereum', `0x${((i * 7919) % 200_000).toString(16).padStart(40, '0')}`).length;
    const ms = performance.now() - t0;
    expect(hits).toBe(100_000);
    // A scan would take minutes; a Map lookup takes well under a microsecond each.
    expect(ms).toBeLessThan(2_000);
  });
});

describe('loadLabelStore', () => {
  it('loads several files of different formats into one store', async () => {
    const { store, files, warnings } = await loadLabelStore([
      fixture('own/labels.json'),
      fixture('graphsense/pack.yaml'),
      fixture('etherscan/combined/combinedAccountLabels.json'),
    ]);
    expect(warnings).toEqual([]);
    expect(files.map((f) => f.format)).toEqual(['fundtrace', 'graphsense', 'etherscan']);
    expect(store.size).toBe(4 + 8 + 10);
    // the own file labels one address both mixer and sanctioned: sanctioned wins
    expect(store.primary('ethereum', '0x8fa78bf8b7334950907fe202e882afd91aa3236f')?.category).toBe(
      'sanctioned',
    );
  });

  it('strict: one error for all problems of all files; lenient: warnings', async () => {
    const other = join(dir, 'bad2.jsonl');
    writeFileSync(other, '{"chain":"nope","address":"x","entity":"e","category":"scam"}\n');
    const err = (await loadLabelStore([fixture('own/bad.json'), other]).catch(
      (e: unknown) => e,
    )) as FundtraceError;
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toBe(
      '10 problems in 2 label files, nothing loaded (pass --lenient to load the good entries and list the rest as warnings)',
    );
    expect(err.details).toHaveLength(10);
    const ok = await loadLabelStore([fixture('own/bad.json'), other], { lenient: true });
    expect(ok.store.size).toBe(1);
    expect(ok.warnings).toHaveLength(10);
  });
});
