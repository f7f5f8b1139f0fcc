// Issue 9 items 1, 2 and 8 against a real anvil that calls itself mainnet (chain id 1, so the
// 12-block finality margin applies): tip 12, the traced transaction in block 8.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Anvil, startAnvil } from '../../src/devnet/anvil.js';
import { ISOLATED_ENV, ROOT } from '../helpers.js';
import { tmp } from './helpers.js';

const BIN = join(ROOT, 'bin', 'fundtrace.js');

/** The real executable, asynchronously (anvil must keep answering meanwhile). */
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...ISOLATED_ENV, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let anvil: Anvil;
let tx: string;
beforeAll(async () => {
  anvil = await startAnvil(['--chain-id', '1']);
  const [from, to] = await anvil.rpc<string[]>('eth_accounts');
  await anvil.rpc('anvil_mine', ['0x7']);
  tx = await anvil.rpc<string>('eth_sendTransaction', [{ from, to, value: '0xde0b6b3a7640000' }]);
  await anvil.rpc('anvil_mine', ['0x4']);
}, 60_000);
afterAll(async () => {
  await anvil?.stop();
});

describe('rpc: reads to the tip; --as-of / --confirmations; cached re-runs', () => {
  it('traces a transaction 4 blocks below the tip, re-runs with the node stopped, no warnings', async () => {
    expect(Number(await anvil.rpc<string>('eth_blockNumber'))).toBe(12);
    const cache = tmp();
    const args = ['trace', tx, '--source', `rpc:${anvil.url}`, '--cache-dir', cache, '--format', 'json'];
    const first = await run([...args, '--verbose']);
    expect(first.stderr).not.toMatch(/Warning/);
    expect(first.status).toBe(0);
    const j = JSON.parse(first.stdout) as { query: { seed: string } };
    expect(j.query.seed.toLowerCase()).toBe(tx.toLowerCase());
    expect(first.stderr).toMatch(/requests: [1-9]\d* made/);

    // --as-of pins a height: the tx in block 8 is after block 5, and the message names flags that work.
    const pinned = await run([...args, '--as-of', '5']);
    expect(pinned.status).toBe(3);
    expect(pinned.stderr).toContain('after block 5');
    expect(pinned.stderr).toContain('--as-of 8 or higher');
    expect(pinned.stderr).not.toContain('--no-cache');
    // final data only: 4 confirmations is not enough for block 8 of 12 … 5 is
    const conf = await run([...args, '--confirmations', '5']);
    expect(conf.status).toBe(3);
    expect((await run([...args, '--confirmations', '4'])).status).toBe(0);
    // --as-of is recorded in the case.
    const caseDir = join(tmp(), 'case');
    const c = await run([...args, '--as-of', '10', '--case', caseDir]);
    expect(c.status).toBe(0);
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync(join(caseDir, 'manifest.json'), 'utf8')) as {
      sources: { asOf?: { height: number } }[];
    };
    expect(manifest.sources[0]?.asOf?.height).toBe(10);

    // Within the cache window, with the node gone: the same JSON, exit 0, no request.
    await anvil.stop();
    const again = await run([...args, '--verbose']);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(again.stderr).toMatch(/requests: 0 made \(0 retries\), [1-9]\d* answered from the cache/);
    expect(again.stderr).not.toMatch(/Warning/);
  }, 120_000);
});
