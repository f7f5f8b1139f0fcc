// API keys (--api-key, ETHERSCAN_API_KEY, `?apikey=` in a URL, Alchemy/Infura path keys, URL
// userinfo) never reach stdout, stderr (also with --verbose), the cache, a case directory or an
// error message, on the success paths and on every failure path we can provoke offline.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EtherscanTestServer, startEtherscanServer } from '../etherscan/server.js';
import { A, cs, phishScenario, txh } from '../fixtures/etherscan/scenario.js';
import { cli } from '../helpers.js';
import { readTree, STACK_FRAME, tmp } from './helpers.js';

const KEY = 'SeCrEtKeY-0123456789abcdefXYZ';
const WRONG = 'WrOnGkEy-9876543210zyxwvuABC';
const FAST = {
  FUNDTRACE_HTTP_BACKOFF_MS: '1',
  FUNDTRACE_HTTP_RETRIES: '1',
  FUNDTRACE_HTTP_TIMEOUT_MS: '3000',
};

let server: EtherscanTestServer;
const dir = tmp('fundtrace-secrets-');
let n = 0;
const fresh = () => {
  n++;
  return { cache: join(dir, `cache-${n}`), caseDir: join(dir, `case-${n}`) };
};

beforeAll(async () => {
  server = await startEtherscanServer(phishScenario(), { dialect: 'etherscan', apiKey: KEY });
});
afterAll(async () => {
  await server.close();
});

/** Run, then search every byte the run produced (streams, cache, case) for each secret. */
async function runAndSearch(
  args: string[],
  env: NodeJS.ProcessEnv,
  where: { cache?: string; caseDir?: string },
  secrets: string[] = [KEY],
) {
  const r = await cli(args, { ...FAST, ...env });
  const everything =
    r.stdout +
    r.stderr +
    (where.cache ? readTree(where.cache) : '') +
    (where.caseDir ? readTree(where.caseDir) + readTree(join(where.caseDir, '..')) : '');
  for (const s of secrets) {
    expect(everything, `secret ${s} leaked`).not.toContain(s);
    expect(everything).not.toContain(encodeURIComponent(s));
  }
  return r;
}

const oneLineError = (r: { stderr: string; stdout: string }) => {
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^fundtrace: \S/);
  expect(r.stderr).not.toMatch(STACK_FRAME);
};

describe('success paths', () => {
  for (const how of ['flag', 'env', 'url'] as const) {
    it(`key from ${how}: not in output, --verbose, cache or case`, async () => {
      const w = fresh();
      const base = how === 'url' ? `${server.url}?apikey=${KEY}` : server.url;
      const args = [
        'trace',
        txh('seed'),
        '--source',
        `etherscan:${base}`,
        '--cache-dir',
        w.cache,
        '--verbose',
        ...(how === 'flag' ? ['--api-key', KEY] : []),
      ];
      const r = await runAndSearch(
        [...args, '--case', w.caseDir, '--format', 'json'],
        how === 'env' ? { ETHERSCAN_API_KEY: KEY } : {},
        w,
      );
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).query.sources).toEqual([`etherscan:${server.url}`]);
      // Every format, and the exports and reports of the case.
      for (const format of ['table', 'csv', 'ndjson']) {
        const again = await runAndSearch(
          [...args, '--format', format, '--offline'],
          how === 'env' ? { ETHERSCAN_API_KEY: KEY } : {},
          w,
        );
        expect(again.status, again.stderr).toBe(0);
      }
      for (const sub of [
        ['export', w.caseDir, '--format', 'graphml'],
        ['report', w.caseDir, '--format', 'md'],
        ['case', 'info', w.caseDir],
        ['case', 'verify', w.caseDir],
      ]) {
        const x = await runAndSearch(sub, {}, w);
        expect(x.status, x.stderr).toBe(0);
      }
    });
  }
});

describe('failure paths', () => {
  it('a rejected key, with and without --verbose', async () => {
    for (const verbose of [false, true]) {
      const w = fresh();
      const r = await runAndSearch(
        [
          'trace',
          cs(A.thief),
          '--source',
          `etherscan:${server.url}?apikey=${WRONG}`,
          '--cache-dir',
          w.cache,
          '--format',
          'json',
          ...(verbose ? ['--verbose'] : []),
        ],
        {},
        w,
        [WRONG],
      );
      expect(r.status, r.stderr).toBe(4);
      if (!verbose) oneLineError(r);
    }
  });

  it('a source that does not answer (key in flag, URL, userinfo)', async () => {
    for (const source of [
      `etherscan:http://127.0.0.1:9/v2/api?apikey=${KEY}`,
      `etherscan:http://user:${KEY}@127.0.0.1:9/v2/api`,
      `esplora:http://127.0.0.1:9/api?key=${KEY}`,
      `esplora:http://${KEY}@127.0.0.1:9/api`,
      `rpc:http://127.0.0.1:9/?apikey=${KEY}`,
      `rpc:http://user:${KEY}@127.0.0.1:9/`,
    ]) {
      for (const verbose of [false, true]) {
        const w = fresh();
        const seed = source.startsWith('esplora') ? `${'ab'.repeat(32)}:0` : cs(A.thief);
        const r = await runAndSearch(
          [
            'trace',
            seed,
            '--source',
            source,
            '--api-key',
            KEY,
            '--cache-dir',
            w.cache,
            '--case',
            w.caseDir,
            ...(verbose ? ['--verbose'] : []),
          ],
          {},
          w,
        );
        expect(r.status, `${source}: ${r.stderr}`).toBe(4);
        if (!verbose) oneLineError(r);
      }
    }
  });

  it('keyed provider URLs (Alchemy, Infura) with --offline: the missing list names no key', async () => {
    for (const url of [
      `https://eth-mainnet.g.alchemy.com/v2/${KEY}`,
      `https://mainnet.infura.io/v3/${KEY}`,
    ]) {
      const w = fresh();
      const r = await runAndSearch(
        ['trace', cs(A.thief), '--source', `rpc:${url}`, '--offline', '--cache-dir', w.cache],
        {},
        w,
      );
      expect(r.status, r.stderr).toBe(4);
      oneLineError(r);
    }
  });

  it('usage errors that quote the --source or an unknown option', async () => {
    const cases: { args: string[]; status: number }[] = [
      { args: ['trace', cs(A.thief), '--source', `foo:https://h.example/?apikey=${KEY}`], status: 2 },
      { args: ['trace', cs(A.thief), '--source', `etherscan:not a url?apikey=${KEY}`], status: 2 },
      {
        args: ['trace', cs(A.thief), '--source', `rpc:https//eth-mainnet.g.alchemy.com/v2/${KEY}`],
        status: 2,
      },
      { args: ['trace', cs(A.thief), '--source', `https://h.example/x?apikey=${KEY}`], status: 2 },
      { args: ['export', 'x.json', '--format', 'dot', `--api-key=${KEY}`], status: 2 },
      { args: ['export', 'x.json', '--format', 'dot', '--api-key', KEY], status: 2 },
      { args: ['trace', cs(A.thief), '--source', 'x.json', `--api-kee=${KEY}`], status: 2 },
      { args: ['trace', cs(A.thief), '--source', `etherscan:ftp://h.example/?apikey=${KEY}`], status: 2 },
      { args: ['trace', cs(A.thief), '--source', `esplora:ftp://u:${KEY}@h.example/`], status: 2 },
      { args: ['trace', cs(A.thief), '--source', `rpc:ftp://u:${KEY}@h.example/`], status: 2 },
    ];
    for (const c of cases) {
      for (const verbose of [false, true]) {
        const r = await runAndSearch([...c.args, ...(verbose ? ['--verbose'] : [])], {}, {});
        expect(r.status, `${c.args.join(' ')}: ${r.stderr}`).toBe(c.status);
        if (!verbose) oneLineError(r);
      }
    }
  });

  it('--api-key with a dataset source and --case: the key is in no file', async () => {
    const w = fresh();
    const { evilDataset } = await import('./helpers.js');
    const ds = evilDataset(dir, 'plain.json');
    const r = await runAndSearch(
      ['trace', ds.seed, '--source', ds.path, '--api-key', KEY, '--case', w.caseDir, '--format', 'json'],
      { ETHERSCAN_API_KEY: KEY },
      w,
    );
    expect(r.status, r.stderr).toBe(0);
  });
});
