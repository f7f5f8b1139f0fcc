// End-to-end: spawn the real executable (bin/fundtrace.js) as a user would.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, ISOLATED_ENV, ROOT } from '../helpers.js';
import { btcTxid } from '../vector-roles.js';

const BIN = join(ROOT, 'bin', 'fundtrace.js');
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...ISOLATED_ENV, NO_COLOR: '', FORCE_COLOR: undefined, ...env },
  });

describe('the fundtrace executable', () => {
  it('prints its version and help', () => {
    const v = run(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = run(['trace', '--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('--model <model>');
    expect(h.stdout).toContain('Examples:');
  });

  it('traces a dataset to JSON on stdout when piped, with nothing on stderr', () => {
    const r = run(['trace', `${btcTxid('v2-f0')}:0`, '--source', fixture('vectors', 'v2.json')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual([
      'schema',
      'generator',
      'query',
      'summary',
      'exposure',
      'graph',
      'warnings',
    ]);
    expect(j.schema).toBe('fundtrace.trace/1');
    expect(j.summary.traced).toEqual({ value: '500', asset: 'BTC', decimals: 8, display: '0.000005' });
  });

  it('renders the terminal table without colour when NO_COLOR is set', () => {
    const r = run(
      ['trace', `${btcTxid('v2-f0')}:0`, '--source', fixture('vectors', 'v2.json'), '--format', 'table'],
      { NO_COLOR: '1' },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Where it went');
    expect(r.stdout).toContain('Exchange E');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('exits 3 with one line for a missing file, and 2 for a usage error', () => {
    const m = run(['trace', `${btcTxid('v2-f0')}:0`, '--source', 'no-such-file.json']);
    expect(m.status).toBe(3);
    expect(m.stderr.trim().split('\n')).toHaveLength(1);
    const u = run(['trace', 'x', '--source', fixture('vectors', 'v2.json'), '--hops', '-1']);
    expect(u.status).toBe(2);
  });

  it('--strict exits 5 after printing when a limit cut the trace', () => {
    const r = run([
      'trace',
      `${btcTxid('v2-f0')}:0`,
      '--source',
      fixture('vectors', 'v2.json'),
      '--hops',
      '1',
      '--strict',
    ]);
    expect(r.status).toBe(5);
    expect(JSON.parse(r.stdout).summary.cut.length).toBeGreaterThan(0);
    expect(r.stderr).toContain('--strict');
  });
});
