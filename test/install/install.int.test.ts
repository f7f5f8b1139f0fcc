// The package as users get it: `npm pack` (which builds the bundle through "prepare"), installed
// into a temporary prefix, run from another directory. The tarball holds the bundle, the built
// HTML viewer and the samples, and no tests, fixtures or TypeScript sources; the installed
// command traces a sample by name, runs the demo and every command the demo prints, writes a case
// and its HTML report (identical to the checkout's), and `devnet` either says in one line how to
// get anvil or runs with an anvil found on the PATH.
//
// The install: `npm i -g --prefix P --offline` first. It needs the registry's full package
// documents in the npm cache, which a machine that only ever ran `npm ci` does not have (npm ci
// reads the lockfile); then the same tarball is installed by `npm ci --offline` into a project
// whose lockfile is the checkout's, production entries only (the exact versions CI tests, fetched
// from the cache by integrity, install scripts run as usual). Either way nothing is linked to
// the checkout and nothing is fetched from the network.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ISOLATED_ENV, ROOT, writeSampleJsonLines } from '../helpers.js';

const SEED = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
const work = mkdtempSync(join(tmpdir(), 'fundtrace-install-'));
const elsewhere = join(work, 'elsewhere');
let tarball = '';
let files: string[] = [];
let bin = '';
let installedRoot = '';
let mode = '';

const NPM_ENV = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' };
/** PATH with node but no anvil. */
const BASE_PATH = [dirname(process.execPath), '/usr/bin', '/bin'].join(':');

function npm(args: string[], cwd: string) {
  return spawnSync('npm', args, { cwd, env: NPM_ENV, encoding: 'utf8', timeout: 240_000 });
}

/** The installed `fundtrace` from `elsewhere`, with an isolated label directory and cache. */
function ft(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(bin, args, {
    cwd: elsewhere,
    encoding: 'utf8',
    env: { HOME: work, ...ISOLATED_ENV, NO_COLOR: '1', PATH: BASE_PATH, ...env },
    timeout: 60_000,
  });
}

beforeAll(() => {
  mkdirSync(elsewhere);
  // Packed from a copy: "prepare" rebuilds dist/ in the package directory, and the checkout's
  // dist/ is in use by the other tests.
  const copy = join(work, 'checkout');
  mkdirSync(copy);
  for (const f of ['bin', 'scripts', 'src', 'samples', 'schema', 'contracts', 'registry'])
    cpSync(join(ROOT, f), join(copy, f), { recursive: true });
  for (const f of ['package.json', 'package-lock.json', 'README.md', 'tsconfig.json'])
    cpSync(join(ROOT, f), join(copy, f));
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  const pack = npm(['pack', '--offline', '--pack-destination', work], copy);
  expect(pack.status, pack.stderr).toBe(0);
  tarball = join(work, pack.stdout.trim().split('\n').at(-1)!);
  files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');

  const prefix = join(work, 'prefix');
  const global = npm(['i', '-g', '--prefix', prefix, '--offline', '--no-audit', tarball], work);
  if (global.status === 0) {
    mode = 'npm i -g --offline';
    bin = join(prefix, 'bin', 'fundtrace');
    installedRoot = join(prefix, 'lib', 'node_modules', 'fundtrace');
    return;
  }
  expect(global.stderr).toMatch(/ENOTCACHED/); // anything else is a real failure
  const project = join(work, 'project');
  mkdirSync(project);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'install-test', dependencies: { fundtrace: spec } },
    'node_modules/fundtrace': {
      version: pkg.version,
      resolved: spec,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [k, v] of Object.entries(lock.packages as Record<string, { dev?: boolean; link?: boolean }>))
    if (k !== '' && !v.dev && !v.link) packages[k] = v;
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'install-test', private: true, dependencies: { fundtrace: spec } }),
  );
  writeFileSync(
    join(project, 'package-lock.json'),
    JSON.stringify({ name: 'install-test', lockfileVersion: 3, requires: true, packages }),
  );
  const ci = npm(['ci', '--offline', '--no-audit'], project);
  expect(ci.status, ci.stderr).toBe(0);
  mode = 'npm ci --offline (lockfile)';
  bin = join(project, 'node_modules', '.bin', 'fundtrace');
  installedRoot = join(project, 'node_modules', 'fundtrace');
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed and installed package', () => {
  it('ships the bundle, the viewer and the samples; no tests, fixtures or sources', () => {
    expect(files).toContain('package/bin/fundtrace.js');
    expect(files).toContain('package/dist/cli/main.mjs');
    expect(files).toContain('package/dist/cli/dataset-worker.mjs');
    expect(files).toContain('package/dist/viewer.js');
    expect(files).toContain('package/samples/ransomware-btc.json');
    expect(files).toContain('package/samples/phishing-eth.json');
    expect(files).toContain('package/registry/contracts.json');
    expect(files.filter((f) => /^package\/(test|src|scripts)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /\.test\.|fixtures|\.map$|\.ts$/.test(f))).toEqual([]);
    // Installed without the dev dependencies: the bundle runs without tsx, esbuild or anvil.
    expect(existsSync(join(installedRoot, 'src'))).toBe(false);
    for (const dev of ['tsx', 'esbuild', 'vitest', '@foundry-rs/anvil'])
      expect(
        existsSync(join(installedRoot, 'node_modules', dev)) || existsSync(join(dirname(installedRoot), dev)),
        `${dev} installed (${mode})`,
      ).toBe(false);
  });

  it('answers --help and --version, naming the sample sources', () => {
    const h = ft(['--help']);
    expect(h.status, h.stderr).toBe(0);
    expect(h.stdout).toContain('--source sample:ransomware-btc');
    expect(ft(['--version']).stdout.trim()).toBe(
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    );
    expect(ft(['trace', '--help']).stdout).toContain('sample:NAME');
    // No sources to fall back to: the bundle runs even when asked not to use it.
    expect(ft(['--version'], { FUNDTRACE_NO_BUNDLE: '1' }).status).toBe(0);
  });

  it('traces a sample by name from another directory, as the checkout does', async () => {
    const r = ft(['trace', SEED, '--source', 'sample:ransomware-btc', '--hops', '10', '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const here = await cli([
      'trace',
      SEED,
      '--source',
      'sample:ransomware-btc',
      '--hops',
      '10',
      '--format',
      'json',
    ]);
    expect(here.status, here.stderr).toBe(0);
    expect(r.stdout).toBe(here.stdout);
    // The samples' price files by name too.
    const fiat = ft([
      ...['trace', SEED, '--source', 'sample:ransomware-btc', '--hops', '10', '--format', 'json'],
      ...['--fiat', 'KES', '--prices', 'sample:prices'],
    ]);
    expect(fiat.status, fiat.stderr).toBe(0);
    expect(JSON.parse(fiat.stdout).fiat.currency).toBe('KES');
    const bad = ft(['trace', SEED, '--source', 'sample:nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('sample:ransomware-btc');
  });

  it('loads a JSON Lines dataset on worker threads from another directory, as the checkout does', async () => {
    const file = join(elsewhere, 'phishing.jsonl');
    writeSampleJsonLines(file);
    const args = ['trace', '0xad42f9f4bf2f169806b5ddeea99b4c51be2bbe559a94bbf56827e3c723fcb084'];
    const r = ft([...args, '--asset', 'USDT', '--source', file, '--format', 'json', '--verbose'], {
      FUNDTRACE_LOAD: 'parallel',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/dataset checked on \d+ worker threads?/);
    const here = await cli([...args, '--asset', 'USDT', '--source', file, '--format', 'json']);
    expect(r.stdout).toBe(here.stdout);
  });

  it('runs the demo, and every command the demo prints works from there', () => {
    const d = ft(['demo']);
    expect(d.status, d.stderr).toBe(0);
    const commands = [...d.stdout.matchAll(/^\$ fundtrace (.+)$/gm)].map((m) => m[1]!.split(' '));
    // At least one command per shipped sample, each naming it as sample:NAME (no checkout path).
    const samples = readdirSync(join(ROOT, 'samples'))
      .filter((f) => f.endsWith('.json') && !/\.(addresses|txs)\.json$/.test(f))
      .map((f) => f.replace(/\.json$/, ''));
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples)
      expect(
        commands.some((c) => c.includes(`sample:${s}`)),
        s,
      ).toBe(true);
    for (const c of commands) {
      const r = ft([...c, '--format', 'json']);
      expect(r.status, `${c.join(' ')}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).schema).toBe('fundtrace.trace/1');
    }
  });

  it('writes a case and an HTML report identical to the checkout’s (the prebuilt viewer)', async () => {
    const dir = join(elsewhere, 'case-ransom');
    const t = ft(['trace', SEED, '--source', 'sample:ransomware-btc', '--case', dir, '--format', 'json']);
    expect(t.status, t.stderr).toBe(0);
    expect(ft(['case', 'verify', dir]).status).toBe(0);
    const html = ft(['report', dir, '--format', 'html']);
    expect(html.status, html.stderr).toBe(0);
    const here = await cli(['report', dir, '--format', 'html']);
    expect(html.stdout).toBe(here.stdout);
  });

  it('devnet without anvil: one line saying how to get it', () => {
    const r = ft(['devnet', '--exit', '--dir', join(elsewhere, 'devnet-none')]);
    expect(r.status).toBe(4);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('npm i -g @foundry-rs/anvil');
    expect(lines[0]).not.toMatch(/this is a bug|ENOENT/);
  });

  it('devnet with `npm i -g @foundry-rs/anvil` on the PATH: runs, prints commands for the installed fundtrace', () => {
    // The layout of a global install of @foundry-rs/anvil, from the checkout's dev dependency:
    // PREFIX/bin/anvil → the package's node wrapper, the platform binary in its node_modules.
    const prefix = join(work, 'anvil-prefix');
    const pkg = join(prefix, 'lib', 'node_modules', '@foundry-rs', 'anvil');
    mkdirSync(join(pkg, 'node_modules', '@foundry-rs'), { recursive: true });
    for (const f of ['package.json', 'bin.mjs', 'const.mjs'])
      cpSync(join(ROOT, 'node_modules', '@foundry-rs', 'anvil', f), join(pkg, f));
    const platform = `anvil-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`;
    symlinkSync(
      join(ROOT, 'node_modules', '@foundry-rs', platform),
      join(pkg, 'node_modules', '@foundry-rs', platform),
    );
    mkdirSync(join(prefix, 'bin'));
    symlinkSync(join(pkg, 'bin.mjs'), join(prefix, 'bin', 'anvil'));
    const r = ft(['devnet', '--exit', '--dir', join(elsewhere, 'devnet')], {
      PATH: `${join(prefix, 'bin')}:${BASE_PATH}`,
    });
    expect(r.status, r.stderr).toBe(0);
    const m = /^ {2}(fundtrace trace 0x[0-9a-f]{64} .*)$/m.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(r.stdout).not.toContain('npx fundtrace');
  });
});
