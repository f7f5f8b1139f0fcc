// `trace --fiat CODE --case DIR`: the case records every price its money values used, and
// `case verify` re-derives each figure from that record alone — after the price directory is gone —
// byte for byte; a changed price is caught (by its hash, or by the figures it no longer gives).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/case/manifest.js';
import { verifyCase } from '../../src/case/verify.js';
import { cli } from '../helpers.js';
import { SAMPLE_PRICES } from './helpers.js';

const SEED = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
const BTC = ['trace', SEED, '--source', 'samples/ransomware-btc.json', '--hops', '10'];
const drainEth = () =>
  JSON.parse(readFileSync('samples/phishing-eth.txs.json', 'utf8'))['drain-eth'] as string;

interface Manifest {
  replay: { prices?: string };
  files: { path: string; sha256: string; bytes: number; role: string }[];
}
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;

/** Trace into a case with a private copy of the sample prices, then delete that copy. */
async function fiatCase(args: string[], code: string): Promise<{ dir: string; stdout: string }> {
  const tmp = mkdtempSync(join(tmpdir(), 'fundtrace-fiat-case-'));
  const prices = join(tmp, 'prices');
  cpSync(SAMPLE_PRICES, prices, { recursive: true });
  const dir = join(tmp, 'case');
  const r = await cli([...args, '--fiat', code, '--prices', prices, '--case', dir, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  rmSync(prices, { recursive: true });
  return { dir, stdout: r.stdout };
}

/** Rewrite an evidence file and the manifest's hash of it, as a forger would. */
function forge(dir: string, path: string, edit: (text: string) => string): void {
  const text = edit(readFileSync(join(dir, path), 'utf8'));
  writeFileSync(join(dir, path), text);
  const m = manifestOf(dir);
  const f = m.files.find((x) => x.path === path)!;
  f.sha256 = sha256(text);
  f.bytes = Buffer.byteLength(text);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
}

describe('a case made with --fiat', () => {
  it.each([
    ['KES', BTC],
    ['USD', BTC],
    ['USD', ['trace', 'ETH']],
  ])('--fiat %s: verifies offline, byte for byte, without the prices directory', async (code, args) => {
    const a = args[1] === 'ETH' ? ['trace', drainEth(), '--source', 'samples/phishing-eth.json'] : args;
    const { dir, stdout } = await fiatCase(a, code);
    expect(readFileSync(join(dir, 'result.json'), 'utf8')).toBe(stdout);
    expect(JSON.parse(stdout).fiat.currency).toBe(code);
    const m = manifestOf(dir);
    expect(m.replay.prices).toMatch(/^evidence\/[0-9a-f]{64}$/);
    const rec = JSON.parse(readFileSync(join(dir, m.replay.prices!), 'utf8'));
    // Only the rows used, each with its file's name and SHA-256 and its line.
    expect(rec.prices.series.length).toBeGreaterThan(0);
    for (const s of rec.prices.series) {
      expect(s.source).toBe(`${s.id}.csv`);
      expect(s.sha256).toBe(sha256(readFileSync(join(SAMPLE_PRICES, `${s.id}.csv`))));
      for (const r of s.rows) expect(r.at).toMatch(/^line \d+$/);
    }
    expect(rec.prices).toEqual(JSON.parse(stdout).fiat.prices);
    const v = await verifyCase(dir);
    expect(v.problems).toEqual([]);
    expect(v.ok && v.rerunIdentical).toBe(true);
    const c = await cli(['case', 'verify', dir]);
    expect(c.status, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/identical/);
  });

  it('a changed price is caught: by its hash, and when the hash is forged too, by the figures', async () => {
    const { dir } = await fiatCase(BTC, 'KES');
    const path = manifestOf(dir).replay.prices!;
    const original = readFileSync(join(dir, path), 'utf8');
    // BTC-USD close of 2024-02-16, as the sample file has it.
    expect(original).toContain('"52166.43430976192"');
    const bump = (t: string) => t.replace('"52166.43430976192"', '"52166.43430976193"');

    writeFileSync(join(dir, path), bump(original));
    const a = await verifyCase(dir);
    expect(a.ok).toBe(false);
    expect(a.problems.map((p) => [p.file, p.message])).toContainEqual([
      path,
      expect.stringMatching(/SHA-256 mismatch/),
    ]);
    const c = await cli(['case', 'verify', dir]);
    expect(c.status).toBe(3);

    writeFileSync(join(dir, path), original);
    forge(dir, path, bump);
    const b = await verifyCase(dir);
    expect(b.ok).toBe(false);
    expect(b.problems).toContainEqual(
      expect.objectContaining({ file: 'result.json', message: expect.stringMatching(/fiat|exits/) }),
    );
    expect((await cli(['case', 'verify', dir])).status).toBe(3);
  });

  it('a recorded price no figure uses is caught', async () => {
    const { dir } = await fiatCase(BTC, 'USD');
    const path = manifestOf(dir).replay.prices!;
    forge(dir, path, (t) => {
      const e = JSON.parse(t);
      e.prices.series[0].rows.unshift({ date: '2024-02-10', value: '47000', at: 'line 2' });
      return `${JSON.stringify(e, null, 2)}\n`;
    });
    const v = await verifyCase(dir);
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(
      expect.objectContaining({ file: path, message: expect.stringMatching(/not exactly the prices/) }),
    );
  });

  it('a replay (--source case:DIR --fiat) values from the recorded prices, without --prices', async () => {
    const { dir, stdout } = await fiatCase(BTC, 'KES');
    const r = await cli([
      'trace',
      SEED,
      '--source',
      `case:${dir}`,
      '--hops',
      '10',
      '--fiat',
      'KES',
      '--format',
      'json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o.fiat).toEqual(JSON.parse(stdout).fiat);
  });

  it('redaction keeps the prices (public data; the figures are unchanged); a workshop copy drops them', async () => {
    const { dir, stdout } = await fiatCase(BTC, 'KES');
    const out = `${dir}-redacted`;
    const env = { FUNDTRACE_REDACT_SALT: 'a-test-salt-of-enough-length-0123456789' };
    const r = await cli(['case', 'redact', dir, out], env);
    expect(r.status, r.stderr).toBe(0);
    const red = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(red.fiat.totals).toEqual(JSON.parse(stdout).fiat.totals);
    expect(red.fiat.prices).toEqual(JSON.parse(stdout).fiat.prices);
    expect(manifestOf(out).replay.prices).toBeDefined();
    const v = await verifyCase(out);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);

    const ws = `${dir}-workshop`;
    const w = await cli(['case', 'redact', '--workshop', dir, ws], env);
    expect(w.status, w.stderr).toBe(0);
    expect(readFileSync(join(ws, 'result.json'), 'utf8')).not.toContain('"fiat"');
    expect(manifestOf(ws).replay.prices).toBeUndefined();
    expect((await verifyCase(ws)).ok).toBe(true);
  });
});
