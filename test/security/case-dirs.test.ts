// Untrusted and hostile case directories (issue 10 items 1, 5, 6, 10 and the "required files" low
// item): --force never deletes what fundtrace did not write, listed files are read without
// following links, only as regular files and only up to their recorded size, every command checks
// result.json's hash, and a case that cannot be written never costs the finished trace.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseManifest } from '../../src/case/manifest.js';
import { verifyCase } from '../../src/case/verify.js';
import { writeCase } from '../../src/case/write.js';
import { parseCsv } from '../../src/core/csv.js';
import { BTC_SEED, ftcli, SAMPLE_BTC, sampleCase, tempDir, traceRecorded } from '../case/helpers.js';

const readJson = async <T>(p: string) => JSON.parse(await readFile(p, 'utf8')) as T;
const trace = (args: string[]) =>
  ftcli([
    'trace',
    BTC_SEED,
    '--source',
    SAMPLE_BTC,
    '--no-label-dir',
    '--hops',
    '3',
    '--format',
    'json',
    ...args,
  ]);

describe('--force replaces only a case fundtrace wrote', () => {
  it('refuses a fake case (manifest with only a format) and keeps every file in it', async () => {
    const dir = join(await tempDir(), 'fake');
    await mkdir(join(dir, 'sub'), { recursive: true });
    await writeFile(join(dir, 'manifest.json'), '{"format":"fundtrace-case/1"}');
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await writeFile(join(dir, 'sub', 'subpoena.pdf'), '%PDF');
    const r = await trace(['--case', dir, '--force']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/holds no case/);
    expect(r.stdout).toBe(''); // refused before any work
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(dir, 'sub', 'subpoena.pdf'), 'utf8')).toBe('%PDF');
  });

  it("refuses a real case holding the investigator's own files, naming them", async () => {
    const c = await sampleCase();
    await writeFile(join(c.dir, 'investigator-notes.txt'), 'notes');
    await mkdir(join(c.dir, 'sub'));
    await writeFile(join(c.dir, 'sub', 'subpoena.pdf'), '%PDF');
    const r = await trace(['--case', c.dir, '--force']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('investigator-notes.txt');
    expect(r.stderr).toContain('sub/subpoena.pdf');
    expect(r.stderr).toContain('did not write');
    expect(await readFile(join(c.dir, 'investigator-notes.txt'), 'utf8')).toBe('notes');
    expect((await verifyCase(c.dir)).problems.map((p) => p.file).sort()).toEqual([
      'investigator-notes.txt',
      'sub/subpoena.pdf',
    ]);
    // Without the extra files the same case is replaced.
    await rm(join(c.dir, 'investigator-notes.txt'));
    await rm(join(c.dir, 'sub'), { recursive: true });
    const again = await trace(['--case', c.dir, '--force']);
    expect(again.status, again.stderr).toBe(0);
    expect((await readJson<CaseManifest>(join(c.dir, 'manifest.json'))).query.hops).toBe(3);
  });
});

describe('hostile files in a case directory', () => {
  it('does not follow a listed file replaced by a symlink to /dev/zero, nor hang on a FIFO', {
    timeout: 30_000,
  }, async () => {
    const c = await sampleCase();
    const m = await readJson<CaseManifest>(join(c.dir, 'manifest.json'));
    const lookups = m.replay.lookups;
    await rm(join(c.dir, lookups));
    await symlink('/dev/zero', join(c.dir, lookups));
    await rm(join(c.dir, 'result.json'));
    execFileSync('mkfifo', [join(c.dir, 'result.json')]);
    const v = await ftcli(['case', 'verify', c.dir]);
    expect(v.status).toBe(3);
    expect(v.stdout).toMatch(new RegExp(`${lookups}: is a symlink`));
    expect(v.stdout).toMatch(/result\.json: is not a regular file/);
    for (const args of [
      ['report', c.dir, '--format', 'md'],
      ['export', c.dir, '--format', 'dot'],
      ['case', 'info', c.dir],
      ['trace', BTC_SEED, '--source', `case:${c.dir}`, '--format', 'json'],
    ]) {
      const r = await ftcli(args);
      expect(r.status, args.join(' ')).toBe(3);
      expect(r.stderr).toMatch(/symlink|not a regular file/);
    }
  });

  it('reads no more than the recorded size of a listed file', async () => {
    const c = await sampleCase();
    const path = join(c.dir, 'exits.csv');
    await writeFile(path, `${await readFile(path, 'utf8')}${'x'.repeat(1 << 20)}`);
    const v = await verifyCase(c.dir);
    expect(v.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/more than the \d+ bytes the manifest records/),
    ]);
  });

  it('refuses a symlinked evidence directory', async () => {
    const c = await sampleCase();
    const elsewhere = join(await tempDir(), 'ev');
    execFileSync('cp', ['-r', join(c.dir, 'evidence'), elsewhere]);
    await rm(join(c.dir, 'evidence'), { recursive: true });
    await symlink(elsewhere, join(c.dir, 'evidence'));
    const v = await verifyCase(c.dir);
    expect(v.ok).toBe(false);
    expect(v.problems.some((p) => /directory is a symlink/.test(p.message))).toBe(true);
  });
});

describe("every command checks result.json's hash", () => {
  it('export refuses a forged result.json, as report does', async () => {
    const c = await sampleCase();
    const path = join(c.dir, 'result.json');
    const text = await readFile(path, 'utf8');
    // Same length, so only the hash can tell.
    const forged = text.replace(
      /"entity": "([^"]+)"/,
      (_, e: string) => `"entity": "${'Forged'.padEnd(e.length, 'X').slice(0, e.length)}"`,
    );
    expect(forged).not.toBe(text);
    await writeFile(path, forged);
    for (const args of [
      ['export', c.dir, '--format', 'gexf'],
      ['report', c.dir, '--format', 'md'],
    ]) {
      const r = await ftcli(args);
      expect(r.status, args[0]).toBe(3);
      expect(r.stderr).toMatch(/result\.json does not match its SHA-256/);
      expect(r.stdout).not.toContain('Forged');
    }
  });

  it('a case whose result and tables were removed from disk and manifest does not verify', async () => {
    const c = await sampleCase();
    const mpath = join(c.dir, 'manifest.json');
    const m = await readJson<CaseManifest>(mpath);
    const gone = ['result.json', 'exits.csv', 'exposure.csv', 'atrest.csv'];
    m.files = m.files.filter((f) => !gone.includes(f.path));
    await writeFile(mpath, JSON.stringify(m, null, 2));
    for (const f of gone) await rm(join(c.dir, f));
    const r = await ftcli(['case', 'verify', c.dir]);
    expect(r.status).toBe(3);
    expect(r.stdout).not.toContain('identical');
    expect(r.stderr).toContain('"result.json" is not listed');
  });
});

describe('a case that cannot be written', () => {
  it('is refused before any work: symlinked directory, path through a file, non-case directory', async () => {
    const parent = await tempDir();
    const real = join(parent, 'real');
    await mkdir(real);
    await symlink(real, join(parent, 'link'));
    await writeFile(join(parent, 'file'), 'x');
    const cases: [string, RegExp][] = [
      [join(parent, 'link'), /is a symlink/],
      [join(parent, 'file', 'case'), /not a directory/],
      [join(parent, 'file'), /not a directory/],
    ];
    for (const [dir, msg] of cases) {
      const r = await trace(['--case', dir]);
      expect(r.status, dir).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });

  it('still prints the finished trace when the write fails afterwards, and says so', async () => {
    // The "API key" is an address in the result: the credential check refuses the case after
    // the trace, so the write fails with a finished result in hand.
    const plain = await trace([]);
    const address = (JSON.parse(plain.stdout).graph.nodes as { attributes: { address: string } }[])[1]!
      .attributes.address;
    const dir = join(await tempDir(), 'case');
    const r = await trace(['--case', dir, '--api-key', address]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.stderr).toMatch(/result was printed, but the case was NOT written/);
    expect(existsSync(dir)).toBe(false);
  });

  it('writeCase re-checks the target itself', async () => {
    const t = await traceRecorded(SAMPLE_BTC, BTC_SEED, ['--hops', '2']);
    const parent = await tempDir();
    await writeFile(join(parent, 'file'), 'x');
    await expect(writeCase(join(parent, 'file', 'c'), t.caseOptions)).rejects.toThrow(/not a directory/);
  });
});

describe('a redacted case', () => {
  it('keeps no dataset file name, description or file hash', async () => {
    const dir = await tempDir();
    const data = join(dir, 'victim-JohnDoe-ransom.json');
    const text = await readFile(SAMPLE_BTC, 'utf8');
    await writeFile(data, text);
    const description = JSON.parse(text).description as string;
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(text).digest('hex');
    const out = join(dir, 'shared');
    const r = await ftcli(
      [
        'trace',
        BTC_SEED,
        '--source',
        data,
        '--no-label-dir',
        '--hops',
        '10',
        '--format',
        'json',
        '--case',
        out,
        '--redact',
      ],
      { FUNDTRACE_REDACT_SALT: 'workshop-salt-1' },
    );
    expect(r.status, r.stderr).toBe(0);
    const all: string[] = [];
    const walk = async (d: string) => {
      for (const e of await (await import('node:fs/promises')).readdir(d, { withFileTypes: true }))
        if (e.isDirectory()) await walk(join(d, e.name));
        else all.push(await readFile(join(d, e.name), 'utf8'));
    };
    await walk(out);
    const joined = all.join('\n');
    expect(joined).not.toContain('JohnDoe');
    expect(joined).not.toContain(description.slice(0, 40));
    expect(joined).not.toContain(hash);
    const m = await readJson<CaseManifest>(join(out, 'manifest.json'));
    expect(m.sources[0]!.spec).toMatch(/^dataset-[0-9a-f]{12}$/);
    const v = await ftcli(['case', 'verify', out]);
    expect(v.status, v.stdout).toBe(0);
    // One true statement about the re-run, never "differs" and "identical" together.
    const says = (s: string) => v.stdout.includes(s);
    expect(says('does not re-run to the same') && says(': identical')).toBe(false);
  });
});

describe('case redact --workshop', () => {
  it('shifts times and heights, rounds amounts, and is marked NOT EVIDENCE everywhere', async () => {
    const c = await sampleCase();
    const out = join(await tempDir(), 'class');
    const r = await ftcli(['case', 'redact', '--workshop', c.dir, out], {
      FUNDTRACE_REDACT_SALT: 'workshop-salt-1',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('NOT EVIDENCE');
    const original = JSON.parse(await readFile(join(c.dir, 'result.json'), 'utf8'));
    const copy = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
    expect(copy.warnings[0]).toMatch(/^NOT EVIDENCE/);
    expect(copy.warnings.join('\n')).not.toMatch(/internal check failed/);
    const m = await readJson<CaseManifest>(join(out, 'manifest.json'));
    expect(m.redaction?.workshop?.notEvidence).toBe(true);
    expect(m.redaction?.replayExact).toBe(false);
    // No exact time, height or odd amount of the original survives in any file.
    const files: string[] = [];
    for (const f of m.files) files.push(await readFile(join(out, f.path), 'utf8'));
    const all = files.join('\n') + (await readFile(join(out, 'manifest.json'), 'utf8'));
    const unit = BigInt(m.redaction!.workshop!.amountUnit);
    for (const e of original.graph.edges as {
      attributes: { time: string | null; value: { value: string } };
    }[]) {
      if (e.attributes.time) expect(all).not.toContain(e.attributes.time);
      const v = BigInt(e.attributes.value.value);
      if (v % unit !== 0n) expect(all).not.toContain(`"${v}"`);
    }
    for (const e of copy.graph.edges as { attributes: { value: { value: string } } }[])
      expect(BigInt(e.attributes.value.value) % unit).toBe(0n);
    const v = await ftcli(['case', 'verify', out]);
    expect(v.status, v.stdout).toBe(0);
    expect(v.stdout).toContain('NOT EVIDENCE');
    expect(v.stdout).not.toContain('identical');
    const info = await ftcli(['case', 'info', out]);
    expect(info.stdout).toContain('NOT EVIDENCE');
    for (const format of ['md', 'html']) {
      const rep = await ftcli(['report', out, '--format', format]);
      expect(rep.status).toBe(0);
      expect(rep.stdout.slice(0, 4000)).toContain('NOT EVIDENCE');
    }
    for (const format of ['gexf', 'graphml', 'dot', 'mermaid', 'cypher']) {
      const ex = await ftcli(['export', out, '--format', format]);
      expect(ex.status).toBe(0);
      expect(ex.stdout.slice(0, 300), format).toContain('NOT EVIDENCE');
    }
    // CSV has no comments: every row of every table carries a not_evidence column, so no row
    // copied out of a spreadsheet passes for evidence; the other columns are untouched.
    const csvs: [string, string][] = [];
    for (const f of ['exits.csv', 'exposure.csv', 'atrest.csv'])
      csvs.push([f, await readFile(join(out, f), 'utf8')]);
    for (const table of ['edges', 'nodes']) {
      const ex = await ftcli(['export', out, '--format', 'csv', '--table', table]);
      expect(ex.status).toBe(0);
      csvs.push([table, ex.stdout]);
    }
    for (const [name, text] of csvs) {
      const rows = parseCsv(text).map((r) => r.fields);
      expect(rows.length, name).toBeGreaterThan(1);
      expect(rows[0]!.at(-1), name).toBe('not_evidence');
      for (const row of rows.slice(1)) {
        expect(row.length, name).toBe(rows[0]!.length);
        expect(row.at(-1), name).toMatch(/^NOT EVIDENCE: workshop copy/);
      }
    }
  });
});

describe('case command wording', () => {
  it('counts files the same way in --case, case info and case verify (manifest.json included)', async () => {
    const dir = join(await tempDir(), 'c');
    const t = await trace(['--case', dir]);
    expect(t.status, t.stderr).toBe(0);
    const m = await readJson<CaseManifest>(join(dir, 'manifest.json'));
    const n = m.files.length + 1;
    expect(t.stderr).toContain(`(${n} files, manifest.json included`);
    expect((await ftcli(['case', 'info', dir])).stdout).toContain(`files       ${n}, manifest.json included`);
    expect((await ftcli(['case', 'verify', dir])).stderr).toContain(`(${n} files, manifest.json included)`);
  });

  it('a redacted case that does not re-run byte for byte is not called identical', async () => {
    const c = await sampleCase();
    const out = join(await tempDir(), 'shared');
    expect(
      (await ftcli(['case', 'redact', c.dir, out], { FUNDTRACE_REDACT_SALT: 'workshop-salt-1' })).status,
    ).toBe(0);
    // Make the stored redacted result differ from its re-run, as heuristics reading address forms can.
    const mpath = join(out, 'manifest.json');
    const m = await readJson<CaseManifest>(mpath);
    const rpath = join(out, 'result.json');
    const text = (await readFile(rpath, 'utf8')).replace(
      '"warnings": [',
      '"warnings": [\n    "a differing line",',
    );
    await writeFile(rpath, text);
    const { createHash } = await import('node:crypto');
    const entry = m.files.find((f) => f.path === 'result.json')!;
    entry.sha256 = createHash('sha256').update(text).digest('hex');
    entry.bytes = Buffer.byteLength(text);
    m.redaction!.replayExact = false;
    await writeFile(mpath, JSON.stringify(m, null, 2));
    const v = await ftcli(['case', 'verify', out]);
    expect(v.status, v.stdout).toBe(0);
    expect(v.stdout).toContain('does not re-run to the same result.json');
    expect(v.stdout).not.toContain(': identical');
    expect(v.stdout).toContain('not byte-identical');
  });

  it('case verify, info and redact each show examples in --help', async () => {
    for (const sub of ['verify', 'info', 'redact']) {
      const h = await ftcli(['case', sub, '--help']);
      expect(h.stdout, sub).toMatch(new RegExp(`Examples:\\n\\s+fundtrace case ${sub}`));
    }
  });
});
