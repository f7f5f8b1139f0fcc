import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FundtraceError } from '../../src/core/errors.js';
import {
  defaultLabelDir,
  directoryName,
  importIntoDirectory,
  loadDirectory,
} from '../../src/labels/directory.js';
import { loadLabelFile } from '../../src/labels/load.js';
import { LabelStore } from '../../src/labels/store.js';
import { fixture, label, tmpDir } from './helpers.js';

const root = tmpDir();

describe('defaultLabelDir', () => {
  it('prefers FUNDTRACE_LABEL_DIR, then XDG_DATA_HOME, then ~/.local/share', () => {
    expect(defaultLabelDir({ FUNDTRACE_LABEL_DIR: '/x/labels', XDG_DATA_HOME: '/xdg' }, '/home/u')).toBe(
      '/x/labels',
    );
    expect(defaultLabelDir({ XDG_DATA_HOME: '/xdg' }, '/home/u')).toBe('/xdg/fundtrace/labels');
    expect(defaultLabelDir({}, '/home/u')).toBe('/home/u/.local/share/fundtrace/labels');
    // XDG says relative values are invalid and must be ignored
    expect(defaultLabelDir({ XDG_DATA_HOME: 'rel' }, '/home/u')).toBe(
      '/home/u/.local/share/fundtrace/labels',
    );
  });
});

describe('label directory', () => {
  it('names files after the source', () => {
    expect(directoryName([label({ source: 'graphsense:ofac' })], '/a/ofac.yaml')).toBe('graphsense-ofac');
    expect(directoryName([label({ source: 'ofac-sdn-list' })], '/a/sanctioned_addresses_XBT.txt')).toBe(
      'ofac-sdn-list-sanctioned_addresses_xbt',
    );
    expect(directoryName([label({ source: 'a' }), label({ source: 'b' })], '/a/mixed.json')).toBe('mixed');
    expect(directoryName([], '/a/empty.json')).toBe('empty');
  });

  it('imports normalised JSON Lines atomically and loads them back', async () => {
    const dir = join(root, 'labels');
    const a = await importIntoDirectory(dir, fixture('graphsense/pack.yaml'));
    expect(a).toMatchObject({ name: 'graphsense-pack', format: 'graphsense', count: 8, warnings: [] });
    const b = await importIntoDirectory(dir, fixture('ofac/sdn.csv'), { lenient: true });
    expect(b).toMatchObject({ name: 'ofac-sdn-csv', count: 5 });
    expect(b.warnings).toHaveLength(3);
    // no temp files are left behind
    expect(readdirSync(dir).sort()).toEqual(['graphsense-pack.jsonl', 'ofac-sdn-csv.jsonl']);

    const lines = readFileSync(a.path, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({
      format: 'fundtrace-labels/1',
      name: 'graphsense-pack',
      importedFrom: 'pack.yaml',
      count: 8,
    });
    expect(Object.keys(JSON.parse(lines[1]!))).toEqual([
      'chain',
      'address',
      'entity',
      'category',
      'source',
      'confidence',
      'note',
      'lastmod',
    ]);

    const { store, files, warnings } = await loadDirectory(dir);
    expect(warnings).toEqual([]);
    expect(files).toHaveLength(2);
    expect(store.size).toBe(13);
    expect(store.primary('bitcoin', '1Q4Fw8Wmu7wbYkw8gZXSNxSMXimsirPuNq')?.category).toBe('sanctioned');
  });

  it('re-importing a list replaces its file with identical content (sorted, deterministic)', async () => {
    const dir = join(root, 'again');
    const first = await importIntoDirectory(dir, fixture('own/labels.json'));
    const body = (p: string) => readFileSync(p, 'utf8').split('\n').slice(1).join('\n');
    const before = body(first.path);
    const second = await importIntoDirectory(dir, fixture('own/labels.json'));
    expect(second.path).toBe(first.path);
    expect(body(second.path)).toBe(before);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('strict import of a bad file writes nothing; a custom name must be safe', async () => {
    const dir = join(root, 'strict');
    await expect(importIntoDirectory(dir, fixture('own/bad.json'))).rejects.toBeInstanceOf(FundtraceError);
    expect(() => readdirSync(dir)).toThrow();
    const err = (await importIntoDirectory(dir, fixture('own/labels.json'), { name: '../escape' }).catch(
      (e: unknown) => e,
    )) as FundtraceError;
    expect(err.code).toBe('USAGE');
    const ok = await importIntoDirectory(dir, fixture('own/labels.json'), { name: 'my-case' });
    expect(ok.path).toBe(join(dir, 'my-case.jsonl'));
  });

  it('a missing directory is an empty store; a broken file in it is reported', async () => {
    expect((await loadDirectory(join(root, 'nope'))).store.size).toBe(0);
    const dir = join(root, 'broken');
    await importIntoDirectory(dir, fixture('own/labels.json'));
    writeFileSync(join(dir, 'zz-broken.jsonl'), '{"chain":"ethereum"\n');
    writeFileSync(join(dir, '.hidden.jsonl'), 'ignored');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    await expect(loadDirectory(dir)).rejects.toThrow(/1 problem in 1 label file/);
    const lenient = await loadDirectory(dir, { lenient: true });
    expect(lenient.store.size).toBe(4);
    expect(lenient.warnings).toHaveLength(1);
  });

  it.each([
    'own/labels.json',
    'own/labels.jsonl',
    'own/labels.csv',
    'graphsense/pack.yaml',
    'ofac/sdn.csv',
    'ofac/sanctioned_addresses_XBT.txt',
    'etherscan/mainnet-2022/phish-hack.all.csv',
    'etherscan/combined/combinedAccountLabels.json',
    'scam/addresses-darklist.json',
    'scam/scamsniffer/combined.json',
  ])('round-trips %s through the directory unchanged', async (rel) => {
    const dir = join(root, `rt-${rel.replace(/\W/g, '_')}`);
    const original = await loadLabelFile(fixture(rel), { lenient: true });
    await importIntoDirectory(dir, fixture(rel), { lenient: true });
    const { store } = await loadDirectory(dir);
    const key = (l: object) => JSON.stringify(Object.entries(l).sort());
    expect([...store].map(key).sort()).toEqual([...new LabelStore(original.entries)].map(key).sort());
  });
});
