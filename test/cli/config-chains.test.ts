// Chains added by a config file are the command's own: they work for that trace, and a trace in
// the same process without the config does not see them (the registry is an immutable value made
// active per command, not module state the config writes into).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_CHAINS, findChain } from '../../src/core/chains.js';
import { cli } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-config-chains-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config chains', () => {
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      chains: [{ name: 'examplechain', chainId: 990099, native: { symbol: 'EXC', decimals: 18 } }],
    }),
  );
  // The v3 vector on another EVM chain: same addresses, the new chain's native asset.
  const v3 = JSON.parse(readFileSync('test/fixtures/vectors/v3.json', 'utf8')) as {
    chain: string;
    transfers: { asset: string }[];
  };
  v3.chain = 'examplechain';
  for (const t of v3.transfers) t.asset = 'EXC';
  const dataset = join(dir, 'example.json');
  writeFileSync(dataset, JSON.stringify(v3));
  const seed = (v3.transfers[0] as unknown as { tx: string }).tx;

  it('a dataset on a config chain traces with --config', async () => {
    const r = await cli([
      'trace',
      seed,
      '--source',
      dataset,
      '--config',
      config,
      '--no-label-dir',
      '--format',
      'json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { query: { chain: string; asset: { symbol: string } } };
    expect(j.query.chain).toBe('examplechain');
    expect(j.query.asset.symbol).toBe('EXC');
  });

  it('without the config the chain is unknown, also after a trace that had it', async () => {
    const r = await cli(['trace', seed, '--source', dataset, '--no-label-dir', '--format', 'json']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/examplechain/);
    expect(findChain('examplechain')).toBeUndefined();
    expect(BUILTIN_CHAINS.find('990099')).toBeUndefined();
  });
});
