// `--source sample:NAME` and `--prices sample:prices`: the shipped samples by name, from any
// directory. Same figures as the file path; recorded as sample:NAME; the case hashes the file.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from '../helpers.js';

const SEED = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
const FILE = join(ROOT, 'samples', 'ransomware-btc.json');

describe('sample: sources', () => {
  it('traces the same as the file, recorded under its name', async () => {
    const byName = await cli(['trace', SEED, '--source', 'sample:ransomware-btc', '--format', 'json']);
    const byFile = await cli(['trace', SEED, '--source', FILE, '--format', 'json']);
    expect(byName.status, byName.stderr).toBe(0);
    const a = JSON.parse(byName.stdout);
    const b = JSON.parse(byFile.stdout);
    expect(a.query.sources).toEqual(['sample:ransomware-btc']);
    delete a.query.sources;
    delete b.query.sources;
    expect(a).toEqual(b);
  });

  it('hashes the sample file in the case manifest', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'fundtrace-sample-')), 'case');
    const r = await cli([
      'trace',
      SEED,
      '--source',
      'sample:ransomware-btc',
      '--case',
      dir,
      '--format',
      'json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const sha = createHash('sha256').update(readFileSync(FILE)).digest('hex');
    expect(m.sources[0]).toMatchObject({ spec: 'sample:ransomware-btc', kind: 'dataset', sha256: sha });
    expect((await cli(['case', 'verify', dir])).status).toBe(0);
  });

  it('names the samples there are when the name is wrong (usage, exit 2)', async () => {
    const r = await cli(['trace', SEED, '--source', 'sample:ransomware']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      'no sample named "ransomware" (samples: sample:phishing-eth, sample:ransomware-btc, sample:tron-scam)',
    );
  });

  it("sample:prices is the samples' price directory", async () => {
    const r = await cli([
      'trace',
      SEED,
      '--source',
      'sample:ransomware-btc',
      '--fiat',
      'KES',
      '--prices',
      'sample:prices',
      '--format',
      'json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).fiat.currency).toBe('KES');
  });
});
