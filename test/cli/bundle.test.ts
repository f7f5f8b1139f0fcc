// The esbuild bundle that bin/fundtrace.js runs after `npm ci` (dist/cli/main.mjs): files it finds
// relative to itself (package.json, samples, the HTML viewer, contracts) must resolve from dist/.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATED_ENV, ROOT, writeSampleJsonLines } from '../helpers.js';

// Its own build, beside dist/ (same depth, so relative files resolve alike): rebuilding dist/ here
// would swap the bundle under other tests that run bin/fundtrace.js at the same time.
const OUT = 'dist-bundle-test';
const BUNDLE = join(ROOT, OUT, 'cli', 'main.mjs');
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [BUNDLE, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...ISOLATED_ENV, NO_COLOR: '1', ...env },
  });

describe('the bundled CLI', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), OUT], { cwd: ROOT });
  });
  afterAll(() => rmSync(join(ROOT, OUT), { recursive: true, force: true }));

  it('knows its version and runs the demo from the bundled samples', () => {
    expect(run(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const d = run(['demo', '--brief', '--scenario', 'phishing']);
    expect(d.status, d.stderr).toBe(0);
    expect(d.stdout).toContain('20762.88571 USDT');
  });

  it('loads a JSON Lines dataset on its own worker threads (dataset-worker.mjs), as the sequential reader', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fundtrace-bundle-'));
    const file = join(dir, 'phishing.jsonl');
    writeSampleJsonLines(file);
    const args = [
      'trace',
      '0xad42f9f4bf2f169806b5ddeea99b4c51be2bbe559a94bbf56827e3c723fcb084',
      '--asset',
      'USDT',
      '--source',
      file,
    ];
    const par = run([...args, '--format', 'json', '--verbose'], { FUNDTRACE_LOAD: 'parallel' });
    expect(par.status, par.stderr).toBe(0);
    expect(par.stderr).toMatch(/dataset checked on \d+ worker threads?/);
    const seq = run([...args, '--format', 'json'], { FUNDTRACE_LOAD: 'sequential' });
    expect(par.stdout).toBe(seq.stdout);
    expect(JSON.parse(par.stdout).summary).toBeDefined();
  });

  it('writes a case, then an HTML report and a GEXF export from it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'fundtrace-bundle-')), 'case');
    const seed = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
    const t = run([
      'trace',
      seed,
      '--source',
      join(ROOT, 'samples', 'ransomware-btc.json'),
      '--case',
      dir,
      '--format',
      'json',
    ]);
    expect(t.status, t.stderr).toBe(0);
    const html = run(['report', dir, '--format', 'html']);
    expect(html.status, html.stderr).toBe(0);
    expect(html.stdout).toContain('<html');
    const gexf = run(['export', dir, '--format', 'gexf']);
    expect(gexf.status, gexf.stderr).toBe(0);
    expect(gexf.stdout).toContain('<gexf');
    expect(run(['case', 'verify', dir]).status).toBe(0);
  });
});
