// Case directories: hashes, tamper detection, replay with no network, credentials, atomic writes.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpRecorder } from '../../src/case/evidence.js';
import { type CaseManifest, sha256 } from '../../src/case/manifest.js';
import { verifyCase } from '../../src/case/verify.js';
import { writeCase } from '../../src/case/write.js';
import type { OpenedSource } from '../../src/sources/open.js';
import { cli, ROOT } from '../helpers.js';
import {
  BTC_SEED,
  ETH_USDT_SEED,
  ftcli,
  SAMPLE_BTC,
  SAMPLE_ETH,
  sampleCase,
  tempDir,
  traceRecorded,
} from './helpers.js';

const readJson = async <T>(p: string) => JSON.parse(await readFile(p, 'utf8')) as T;

/** Every file of a case, as text, by relative path. */
async function caseFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string, rel: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name), `${rel}${e.name}/`);
      else out.set(`${rel}${e.name}`, await readFile(join(d, e.name), 'utf8'));
    }
  };
  await walk(dir, '');
  return out;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a case directory', () => {
  it('holds the result, the tables, content-addressed evidence, and a hash for every file', async () => {
    const c = await sampleCase();
    const files = await caseFiles(c.dir);
    const m = JSON.parse(files.get('manifest.json')!) as CaseManifest;
    expect(files.get('result.json')).toBe(c.json);
    expect([...files.keys()].filter((f) => !f.startsWith('evidence/')).sort()).toEqual([
      'atrest.csv',
      'exits.csv',
      'exposure.csv',
      'manifest.json',
      'result.json',
    ]);
    for (const f of m.files) {
      expect(sha256(files.get(f.path)!), f.path).toBe(f.sha256);
      if (f.path.startsWith('evidence/')) expect(f.path).toBe(`evidence/${f.sha256}`);
    }
    expect(m.files.map((f) => f.path).sort()).toEqual(
      [...files.keys()].filter((f) => f !== 'manifest.json').sort(),
    );
    expect(m.tool).toEqual({ name: 'fundtrace', version: expect.any(String) });
    expect(m.created).toBe('2024-05-01T12:00:00.000Z');
    expect(m.sources[0]).toMatchObject({
      kind: 'dataset',
      chain: 'bitcoin',
      asOf: { height: 830200, time: '2024-02-17T09:20:00Z' },
      sha256: sha256(await readFile(SAMPLE_BTC)),
    });
    expect(m.query.seed).toBe(BTC_SEED);
    expect(m.query.hops).toBe(10);
    expect(m.labels.stored).toBeGreaterThan(0);
    // The wall clock lives in the manifest only.
    expect(files.get('result.json')).not.toContain('2024-05-01T12');
    expect(c.written.caseHash).toBe(sha256(files.get('manifest.json')!));
  });

  it('verifies: every hash, and a re-run from the evidence with no network is byte-identical', async () => {
    const c = await sampleCase();
    const fetch = vi.fn(() => {
      throw new Error('network used during a replay');
    });
    vi.stubGlobal('fetch', fetch);
    const v = await verifyCase(c.dir);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.replayed).toBe(true);
    expect(v.checked.length).toBe(v.manifest!.files.length);
    expect(fetch).not.toHaveBeenCalled();

    const r = await ftcli(['case', 'verify', c.dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`case hash (SHA-256 of manifest.json): ${c.written.caseHash}`);
    expect(r.stdout).toContain('identical');
  });

  it('replays through `trace --source case:DIR` to the same bytes as result.json', async () => {
    const c = await sampleCase();
    const r = await cli(['trace', BTC_SEED, '--source', `case:${c.dir}`, '--hops', '10', '--no-label-dir']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(await readFile(join(c.dir, 'result.json'), 'utf8'));
  });

  it('makes and verifies an account-chain case (phishing sample, USDT)', async () => {
    const t = await traceRecorded(SAMPLE_ETH, ETH_USDT_SEED, ['--asset', 'USDT']);
    const dir = join(await tempDir(), 'eth');
    await writeCase(dir, t.caseOptions);
    const v = await verifyCase(dir);
    expect(v.problems).toEqual([]);
    const r = await cli([
      'trace',
      ETH_USDT_SEED,
      '--source',
      `case:${dir}`,
      '--asset',
      'USDT',
      '--no-label-dir',
    ]);
    expect(r.stdout).toBe(t.json);
  });

  for (const target of ['result.json', 'evidence', 'exits.csv', 'labels'] as const) {
    it(`fails verification naming the file when one byte of ${target} changes`, async () => {
      const c = await sampleCase();
      const m = c.written.manifest;
      const file = target === 'evidence' ? m.replay.lookups : target === 'labels' ? m.replay.labels : target;
      const path = join(c.dir, file);
      const bytes = await readFile(path);
      // Change one digit inside the data (keeps the JSON valid, so the hash is what catches it).
      const i = bytes.indexOf('5', 200);
      bytes[i] = '6'.charCodeAt(0);
      await writeFile(path, bytes);
      const v = await verifyCase(c.dir);
      expect(v.ok).toBe(false);
      expect(v.problems[0]!.file).toBe(file);
      expect(v.problems[0]!.message).toContain('SHA-256 mismatch');
      const r = await ftcli(['case', 'verify', c.dir]);
      expect(r.status).toBe(3);
      expect(r.stderr).toContain(file);
      expect(r.stdout).toContain(`PROBLEM   ${file}`);
    });
  }

  it('reports where a re-run differs when result.json was changed and its hash updated', async () => {
    const c = await sampleCase();
    const path = join(c.dir, 'result.json');
    const text = (await readFile(path, 'utf8')).replace('"hops": 10', '"hops": 11');
    await writeFile(path, text);
    const mPath = join(c.dir, 'manifest.json');
    const m = await readJson<CaseManifest>(mPath);
    const entry = m.files.find((f) => f.path === 'result.json')!;
    entry.sha256 = sha256(text);
    await writeFile(mPath, JSON.stringify(m, null, 2) + '\n');
    const v = await verifyCase(c.dir);
    expect(v.ok).toBe(false);
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]).toMatchObject({ file: 'result.json', difference: { pointer: '/query/hops' } });
  });

  it('fails verification for a file added after the case was made', async () => {
    const c = await sampleCase();
    await writeFile(join(c.dir, 'evidence', 'extra'), 'x');
    const v = await verifyCase(c.dir);
    expect(v.problems.map((p) => p.file)).toEqual(['evidence/extra']);
  });

  it('exits 3 for a directory that is not a case', async () => {
    const r = await ftcli(['case', 'verify', await tempDir()]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('manifest.json');
  });
});

describe('writing a case', () => {
  it('never overwrites an existing case without --force, and never a non-case directory', async () => {
    const c = await sampleCase();
    const t = await traceRecorded(SAMPLE_BTC, BTC_SEED, ['--hops', '2']);
    await expect(writeCase(c.dir, t.caseOptions)).rejects.toThrow(/pass --force/);
    const w = await writeCase(c.dir, { ...t.caseOptions, force: true });
    expect((await readJson<CaseManifest>(join(c.dir, 'manifest.json'))).query.hops).toBe(2);
    expect(w.caseHash).not.toBe(c.written.caseHash);
    const other = await tempDir();
    await writeFile(join(other, 'notes.txt'), 'mine');
    await expect(writeCase(other, { ...t.caseOptions, force: true })).rejects.toThrow(/holds no case/);
    expect(await readFile(join(other, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('leaves no case and no temporary directory when the write fails midway', async () => {
    const t = await traceRecorded(SAMPLE_BTC, BTC_SEED, ['--hops', '10']);
    const parent = await tempDir();
    const dir = join(parent, 'case');
    let n = 0;
    const failing = {
      ...t.caseOptions,
      onFile: () => {
        if (++n === 3) throw new Error('disk full (injected)');
      },
    };
    await expect(writeCase(dir, failing)).rejects.toThrow(/nothing was written/);
    expect(await readdir(parent)).toEqual([]);

    // Replacing a case: a failure keeps the old case, intact.
    const old = await writeCase(dir, t.caseOptions);
    n = 0;
    await expect(writeCase(dir, { ...failing, force: true })).rejects.toThrow(/nothing was written/);
    expect(await readdir(parent)).toEqual(['case']);
    expect(sha256(await readFile(join(dir, 'manifest.json')))).toBe(old.caseHash);
    expect((await verifyCase(dir)).ok).toBe(true);
  });

  it('leaves no case when the process is killed mid-write', async () => {
    const parent = await tempDir();
    const dir = join(parent, 'case');
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'run-ts.js'), join(ROOT, 'test', 'case', 'kill-writer.ts'), dir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('mid-write')) resolve();
      });
      child.on('exit', () => reject(new Error(`writer exited early: ${err}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(dir)).toBe(false);
    const left = await readdir(parent);
    // At most the temporary directory, never a case at DIR.
    expect(left.every((f) => f.startsWith('.case.partial-'))).toBe(true);
  });

  it('stores each distinct HTTP body once, by its hash', async () => {
    const t = await traceRecorded(SAMPLE_BTC, BTC_SEED);
    const rec = new HttpRecorder();
    rec.onResponse({
      method: 'GET',
      url: 'https://esplora.example/tx/aa',
      status: 200,
      body: '{"a":1}',
      from: 'network',
    });
    rec.onResponse({
      method: 'GET',
      url: 'https://esplora.example/tx/bb',
      status: 200,
      body: '{"a":1}',
      from: 'cache',
    });
    rec.onResponse({
      method: 'GET',
      url: 'https://esplora.example/tx/cc',
      status: 200,
      body: '{"b":2}',
      from: 'network',
    });
    const dir = join(await tempDir(), 'c');
    const w = await writeCase(dir, { ...t.caseOptions, httpResponses: rec.responses() });
    const http = w.manifest.files.filter((f) => f.role === 'http-response');
    expect(http).toHaveLength(2);
    const one = http.find((f) => f.sha256 === sha256('{"a":1}'))!;
    expect(one.requests!.map((r) => r.url)).toEqual([
      'https://esplora.example/tx/aa',
      'https://esplora.example/tx/bb',
    ]);
    expect((await verifyCase(dir)).ok).toBe(true);
  });
});

describe('credentials', () => {
  const KEY = 'FAKEKEY-XYZ-789';

  it('never appear in any file of the case, even from a source that leaks its key', async () => {
    // A remote-looking source whose spec, description and self-description carry the key (as a
    // careless source might), and a raw response that echoes it.
    const t = await traceRecorded(SAMPLE_BTC, BTC_SEED, ['--hops', '2']);
    const leaky: OpenedSource = {
      ...t.source,
      spec: `leaky:${SAMPLE_BTC}?apikey=${KEY}`,
      kind: 'etherscan',
      description: `remote with key ${KEY}`,
      describe: () => ({
        spec: `etherscan:https://api.example/v2/api?chainid=1&apikey=${KEY}`,
        kind: 'etherscan',
      }),
    };
    const responses = [
      {
        method: 'GET',
        url: `https://api.example/v2/api?module=account&apikey=${KEY}`,
        status: 200,
        body: `{"echo":"${KEY}"}`,
        from: 'network' as const,
      },
    ];
    const dir = join(await tempDir(), 'keyed');
    await writeCase(dir, { ...t.caseOptions, source: leaky, secrets: [KEY], httpResponses: responses });
    const files = await caseFiles(dir);
    expect(files.size).toBeGreaterThan(5);
    for (const [name, text] of files) expect(text.includes(KEY), name).toBe(false);
    const m = JSON.parse(files.get('manifest.json')!) as CaseManifest;
    expect(m.sources[0]!.spec).toBe('etherscan:https://api.example/v2/api?chainid=1&apikey=REDACTED');
    expect(m.files.find((f) => f.role === 'http-response')!.requests![0]!.url).toContain('apikey=REDACTED');

    // Without the literal secret, the credential-shaped query parameter is still removed.
    const dir2 = join(await tempDir(), 'keyed2');
    await writeCase(dir2, { ...t.caseOptions, source: { ...leaky, description: undefined } });
    for (const [name, text] of await caseFiles(dir2)) expect(text.includes(KEY), name).toBe(false);
  });
});

describe('--redact', () => {
  it('replaces addresses (except services) and tx ids with stable pseudonyms, keeping every figure', async () => {
    const t = await traceRecorded(SAMPLE_BTC, BTC_SEED, ['--hops', '10']);
    const dir = join(await tempDir(), 'redacted');
    await writeCase(dir, { ...t.caseOptions, redact: { salt: 'workshop-salt-1' } });
    const files = await caseFiles(dir);
    const original = JSON.parse(t.json);
    const redacted = JSON.parse(files.get('result.json')!);
    const services = new Set<string>(original.summary.exits.map((e: { address: string }) => e.address));
    const all = [...files.values()].join('\n');
    for (const n of original.graph.nodes) {
      const a = n.attributes.address as string;
      expect(all.includes(a), a).toBe(services.has(a));
    }
    for (const e of original.graph.edges) expect(all.includes(e.attributes.tx), e.attributes.tx).toBe(false);
    expect(redacted.query.seed).toMatch(/^tx-[0-9a-f]{12}:0$/);
    expect(redacted.summary.traced).toEqual(original.summary.traced);
    expect(redacted.summary.terminals).toEqual(original.summary.terminals);
    const figures = (x: { direct: object[]; indirect: object[]; buckets: object[] }) =>
      [...x.direct, ...x.indirect, ...x.buckets].map((i) => {
        const { value, share } = i as { value: unknown; share: unknown };
        return [value, share];
      });
    expect(figures(redacted.exposure)).toEqual(figures(original.exposure));
    expect(
      redacted.summary.exits.map((e: { tainted: unknown; address: string }) => [e.address, e.tainted]),
    ).toEqual(
      original.summary.exits.map((e: { tainted: unknown; address: string }) => [e.address, e.tainted]),
    );
    expect(redacted.graph.nodes).toHaveLength(original.graph.nodes.length);
    const m = JSON.parse(files.get('manifest.json')!) as CaseManifest;
    expect(m.redaction).toMatchObject({ saltFingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(all).not.toContain('workshop-salt-1');
    const v = await verifyCase(dir);
    expect(v.problems).toEqual([]);
    expect(m.redaction!.replayExact || v.notes.length > 0).toBe(true);

    // Stable: the same salt gives the same pseudonyms.
    const dir2 = join(await tempDir(), 'redacted2');
    await writeCase(dir2, { ...t.caseOptions, redact: { salt: 'workshop-salt-1' } });
    expect(await readFile(join(dir2, 'result.json'), 'utf8')).toBe(files.get('result.json'));
  });

  it('`case redact` makes a redacted copy with the salt kept outside the case', async () => {
    const c = await sampleCase();
    const parent = await tempDir();
    const out = join(parent, 'shared');
    const r = await ftcli(['case', 'redact', c.dir, out]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(`${out}.salt`)).toBe(true);
    const salt = (await readFile(`${out}.salt`, 'utf8')).trim();
    const files = await caseFiles(out);
    for (const [name, text] of files) expect(text.includes(salt), name).toBe(false);
    expect(files.get('result.json')).not.toContain(BTC_SEED.slice(0, 64));
    const v = await ftcli(['case', 'verify', out]);
    expect(v.status, v.stdout).toBe(0);
  });
});
