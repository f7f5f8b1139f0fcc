// `fundtrace devnet` (and `devnet --bridges`, two nodes) as a real process, stopped by SIGTERM: it
// stops its anvil node(s) and exits 143 (128 + SIGTERM) promptly, leaving no node behind.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISOLATED_ENV, ROOT } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';

const reachable = (url: string) =>
  fetch(url, { method: 'POST', body: '{}' }).then(
    () => true,
    () => false,
  );

describe('fundtrace devnet stopped by SIGTERM', () => {
  it.each([
    ['', 1],
    ['--bridges', 2],
  ])(
    'devnet %s stops its %i node(s) and exits 143',
    async (flag, nodes) => {
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'bin', 'fundtrace.js'),
          'devnet',
          ...(flag ? [flag] : []),
          '--dir',
          tmp('fundtrace-devnet-stop-'),
        ],
        {
          env: { ...process.env, ...ISOLATED_ENV, NO_COLOR: '1' },
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      const running = new Promise<void>((resolve) =>
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('Ctrl-C')) resolve();
        }),
      );
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await Promise.race([running, exited]);
      const urls = [...new Set([...stdout.matchAll(/rpc:(http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[1]!))];
      expect(urls, stderr).toHaveLength(nodes);
      for (const url of urls) expect(await reachable(url)).toBe(true);
      const t = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 8000)),
      ]);
      if (code === 'timeout') child.kill('SIGKILL');
      expect(code, stderr).toBe(143);
      expect(Date.now() - t).toBeLessThan(3000);
      for (const url of urls) expect(await reachable(url)).toBe(false);
      expect(stderr).not.toMatch(/error/);
    },
    60_000,
  );
});
