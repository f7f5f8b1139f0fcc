// `fundtrace watch` stopped by SIGTERM (a service manager) in the middle of a poll, as a real
// process against a slow local Esplora server: it exits promptly with 143, the poll in flight is
// rolled back whole (the cursor stays at the end of the last complete poll, no error is recorded
// for `watch status`), the lease is released, and the next run delivers what the stopped poll had
// not: every alert exactly once over the two runs.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAST } from '../esplora/helpers.js';
import { ScenarioBuilder } from '../esplora/scenario.js';
import { type EsploraServer, startEsplora } from '../esplora/server.js';
import { cli, ISOLATED_ENV } from '../helpers.js';
import { addr } from '../heuristics/fixtures.js';
import { tmp } from '../rpc/helpers.js';
import { BIN, parseAlerts } from './helpers.js';

const W = addr('stop-W');
const Z = addr('stop-Z');
const BTC = 100_000_000n;

function scenario() {
  const b = new ScenarioBuilder(105);
  const cb = b.coinbase('stop-cb', 100, [[W, 50n * BTC]]);
  b.tx(
    'stop-move',
    104,
    [{ tx: cb, vout: 0 }],
    [
      [Z, 10n * BTC],
      [W, 39n * BTC],
    ],
  );
  return b.build();
}

const servers: EsploraServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('fundtrace watch stopped by SIGTERM mid-poll', () => {
  it('exits 143 promptly, keeps the cursor at the last complete poll, and loses no alert', async () => {
    const dir = tmp('fundtrace-watch-stop-');
    const file = join(dir, 'watch.yaml');
    writeFileSync(file, `watch:\n  - address: ${W}\n    rules: { movement: { min: "1" } }\n`);
    const db = join(dir, 'w.db');
    // Slow answers: a poll of three blocks takes seconds, so the signal lands inside poll 2.
    const slow = await startEsplora(scenario(), { pageSize: 2, delayMs: 150 });
    servers.push(slow);
    const args = (url: string) => [
      'watch',
      '-f',
      file,
      '--source',
      `esplora:${url}`,
      '--db',
      db,
      '--from-height',
      '100',
      '--max-blocks',
      '3',
      '--interval',
      '0',
      '--no-label-dir',
    ];
    const child = spawn(process.execPath, [BIN, ...args(slow.url)], {
      env: { ...process.env, ...ISOLATED_ENV, ...FAST, FUNDTRACE_HTTP_TIMEOUT_MS: '5000', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const firstPoll = new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/poll 1:/.test(stderr)) resolve();
      }),
    );
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    await firstPoll;
    const requestsAtPoll1 = slow.requests.length;
    // Inside poll 2: a few requests under way, far from done.
    while (slow.requests.length < requestsAtPoll1 + 2) await new Promise((r) => setTimeout(r, 20));
    const t = Date.now();
    child.kill('SIGTERM');
    const r = await Promise.race([exited, new Promise<undefined>((res) => setTimeout(res, 8000))]);
    if (!r) child.kill('SIGKILL');
    expect(r, stderr).toEqual({ code: 143, signal: null });
    expect(Date.now() - t).toBeLessThan(3000);
    expect(stderr).toContain('terminated (SIGTERM)');
    expect(stderr).not.toMatch(/poll 2|failed|retrying|error/);

    // Poll 1 (blocks 100-102) committed; poll 2 (103-105) left no trace: no error, no cursor move.
    const st = await cli(['watch', 'status', '--db', db, '--format', 'json']);
    expect(st.status, st.stderr).toBe(0);
    const cursors = (JSON.parse(st.stdout) as { cursors: { height: number; lastError: string | null }[] })
      .cursors;
    expect(cursors.map((c) => [c.height, c.lastError])).toEqual([[102, null]]);
    expect(parseAlerts(stdout)).toEqual([]); // the movement is in block 104

    // The lease was released: the next run starts at once and delivers the movement, once.
    const fast = await startEsplora(scenario(), { pageSize: 2 });
    servers.push(fast);
    const again = await cli([...args(fast.url), '--once'], FAST);
    expect(again.status, again.stderr).toBe(0);
    expect(parseAlerts(again.stdout).map((a) => `${a.rule} ${a.block.height}`)).toEqual(['movement 104']);
  }, 60_000);
});
