// The small TRON scenario (scenario.ts) traced through `--source trongrid:URL` against the local
// replay server, with figures checked by hand under the three models; TRX fees and a failed call;
// a re-run from the cache (0 requests), --offline, a case file that replays; the API key (flag or
// TRONGRID_API_KEY) sent as TRON-PRO-API-KEY and found in no output, cache or case file.
//
// Hand-checked figures (USDT, forward from the victim's 1 000 USDT payment "seed"):
//   the scam wallet S held 500 clean USDT (block 90) when the 1 000 tainted arrived (block 100);
//   S then paid, in one tx (block 110), 600 to X and then 300 to Y (event order 1 then 3), then
//   400 to Z (block 120), keeping 200; X paid its 600 to the exchange E (block 130).
//   haircut: S is 2/3 tainted → X 400 (all of which goes to E), Y 200, Z 266.666666(6…),
//            S keeps 133.333334 (rounding conserves the 1 000 exactly)
//   fifo:    the first 500 out of S are the clean 500 → X gets 100 tainted (on to E), Y 300, Z 400,
//            S keeps 200; (were the batch's two transfers in the other order, Y would get 0 + …)
//   poison:  every outflow after the taint is wholly tainted → E 600, Y 300, Z 400
// TRX (forward from the 100 TRX payment to S, block 95; S had no TRX before):
//   fees S burned: 13.8 (batch) + 13.8 (to Z) + 8 (failed call, whose 20 TRX call value never
//   moved) + 1.1 (TRX to Z) = 36.7; 50 TRX to Z; S keeps 100 − 36.7 − 50 = 13.3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree, tempDir } from '../etherscan/helpers.js';
import { cli } from '../helpers.js';
import { A, tronScenario, txid } from './scenario.js';
import { startTronGridServer, type TronGridTestServer } from './server.js';

const KEY = 'TG-FAKE-KEY-0123456789';
const FAST = { FUNDTRACE_HTTP_BACKOFF_MS: '5', FUNDTRACE_HTTP_RETRIES: '3' };

interface J {
  summary: {
    conserved: boolean;
    terminals: Record<string, { value: string }>;
    atRest: { address: string; amount: { value: string } }[];
  };
  graph: { edges: { key: string; attributes: { index: number } }[] };
  warnings: string[];
}

const atRest = (j: J) => Object.fromEntries(j.summary.atRest.map((r) => [r.address, r.amount.value]));

describe('trongrid: source through the CLI', () => {
  let server: TronGridTestServer;
  let tmp: { dir: string; done: () => Promise<void> };
  let n = 0;
  beforeAll(async () => {
    server = await startTronGridServer(tronScenario(), { apiKey: KEY, cap: 20 });
    tmp = await tempDir('ft-trongrid-');
  });
  afterAll(async () => {
    await server.close();
    await tmp.done();
  });

  const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const cache = `${tmp.dir}/cache-${++n}`;
    const full = [
      'trace',
      ...args,
      '--source',
      `trongrid:${server.url}`,
      '--cache-dir',
      cache,
      '--format',
      'json',
    ];
    server.reset();
    const r = await cli(full, { ...FAST, TRONGRID_API_KEY: KEY, ...env });
    expect(r.status, r.stderr).toBe(0);
    return { r, j: JSON.parse(r.stdout) as J, cache, full };
  };

  it('USDT, haircut: X 400 → exchange, Y 200, Z 266.666666, S keeps 133.333334', async () => {
    const { j } = await run([txid('seed'), '--asset', 'USDT', '--hops', '4']);
    expect(j.summary.conserved).toBe(true);
    expect(atRest(j)).toEqual({
      [A.exchange]: '400000000',
      [A.y]: '200000000',
      [A.z]: '266666666',
      [A.scam]: '133333334',
    });
    // two transfers of one tx keep their receipt order (events 1 and 3; event 2 is not a Transfer)
    const batch = j.graph.edges.filter((e) => e.key.includes(txid('batch'))).map((e) => e.attributes.index);
    expect(batch.sort()).toEqual([3_000_000_000_000_001, 3_000_000_000_000_003]);
    expect(j.warnings.some((w) => w.includes('TRC-10') && w.includes(A.scam))).toBe(true);
  });

  it('USDT, fifo: the clean 500 leave first → exchange 100, Y 300, Z 400, S keeps 200', async () => {
    const { j } = await run([txid('seed'), '--asset', 'USDT', '--hops', '4', '--model', 'fifo']);
    expect(j.summary.conserved).toBe(true);
    expect(atRest(j)).toEqual({
      [A.exchange]: '100000000',
      [A.y]: '300000000',
      [A.z]: '400000000',
      [A.scam]: '200000000',
    });
  });

  it('USDT, poison: every later outflow is tainted → exchange 600, Y 300, Z 400', async () => {
    const { j } = await run([txid('seed'), '--asset', 'USDT', '--hops', '4', '--model', 'poison']);
    const rest = atRest(j);
    expect(rest[A.exchange]).toBe('600000000');
    expect(rest[A.y]).toBe('300000000');
    expect(rest[A.z]).toBe('400000000');
  });

  it('TRX: fees (a failed call pays its fee, moves nothing) reconcile: 36.7 burned, Z 50, S 13.3', async () => {
    const { j } = await run([txid('trx-in'), '--asset', 'TRX', '--hops', '4']);
    expect(j.summary.conserved).toBe(true);
    expect(j.summary.terminals.fee?.value).toBe('36700000');
    expect(atRest(j)).toEqual({ [A.z]: '50000000', [A.scam]: '13300000' });
  });

  it('re-run from the cache makes 0 requests; --offline too; the key is sent as a header and stored nowhere', async () => {
    const { r, cache, full } = await run([A.victim, '--asset', 'USDT', '--hops', '3']);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((q) => q.headers['tron-pro-api-key'] === KEY)).toBe(true);
    expect(server.requests.every((q) => !q.query.toString().includes(KEY))).toBe(true);
    server.reset();
    const again = await cli(full, { ...FAST, TRONGRID_API_KEY: KEY });
    expect(again.stdout).toBe(r.stdout);
    expect(server.requests).toHaveLength(0);
    const offline = await cli([...full, '--offline'], FAST);
    expect(offline.status, offline.stderr).toBe(0);
    expect(offline.stdout).toBe(r.stdout);
    expect(server.requests).toHaveLength(0);
    const everything = r.stdout + r.stderr + again.stderr + offline.stderr + (await readTree(cache));
    expect(everything).not.toContain(KEY);
  });

  it('--api-key works like TRONGRID_API_KEY; ETHERSCAN_API_KEY is never sent to TronGrid', async () => {
    const withFlag = await run([A.victim, '--asset', 'USDT', '--hops', '1', '--api-key', KEY], {
      TRONGRID_API_KEY: '',
    });
    expect(withFlag.r.stderr).not.toContain(KEY);
    server.reset();
    const wrong = await cli(
      ['trace', A.victim, '--source', `trongrid:${server.url}`, '--no-cache', '--format', 'json'],
      { ...FAST, ETHERSCAN_API_KEY: 'ETHERSCAN-KEY-XYZ' },
    );
    expect(wrong.status).toBe(4);
    expect(server.requests.some((q) => q.headers['tron-pro-api-key'] !== undefined)).toBe(false);
    expect(wrong.stderr).toMatch(/HTTP 401.*check --api-key or TRONGRID_API_KEY/);
  });

  it('a rejected key: exit 4, one error line naming TRONGRID_API_KEY, the key never shown', async () => {
    server.reset();
    const r = await cli(
      ['trace', A.victim, '--source', `trongrid:${server.url}`, '--no-cache', '--format', 'json'],
      { ...FAST, TRONGRID_API_KEY: 'WRONG-KEY-7777' },
    );
    expect(r.status).toBe(4);
    expect(r.stdout).toBe('');
    // one error line (then the usual resume hint)
    expect(r.stderr.split('\n')[0]).toMatch(
      /HTTP 401 .*ApiKey not exists.*check --api-key or TRONGRID_API_KEY$/,
    );
    expect(r.stderr).not.toContain('WRONG-KEY-7777');
  });

  it('a case file records the trace without the key and replays it byte for byte', async () => {
    const dir = `${tmp.dir}/case-${++n}`;
    const args = [txid('seed'), '--asset', 'USDT', '--hops', '4', '--model', 'fifo'];
    server.reset();
    const made = await cli(
      [
        'trace',
        ...args,
        '--source',
        `trongrid:${server.url}`,
        '--no-cache',
        '--format',
        'json',
        '--case',
        dir,
      ],
      { ...FAST, TRONGRID_API_KEY: KEY },
    );
    expect(made.status, made.stderr).toBe(0);
    expect(await readTree(dir)).not.toContain(KEY);
    server.reset();
    const replay = await cli(['trace', ...args, '--source', `case:${dir}`, '--format', 'json'], FAST);
    expect(replay.status, replay.stderr).toBe(0);
    expect(server.requests).toHaveLength(0);
    const strip = (s: string) => {
      const j = JSON.parse(s) as { query: Record<string, unknown> };
      delete j.query.sources;
      return j;
    };
    expect(strip(replay.stdout)).toEqual(strip(made.stdout));
    const verified = await cli(['case', 'verify', dir], FAST);
    expect(verified.status, verified.stderr + verified.stdout).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  // Backward from E's 600 (3 hops: E ← X ← S ← origins): S's first 600 out (the batch's first
  // event) are, under fifo, its first 600 in — 500 from `other`, then 100 of the victim's 1 000;
  // under haircut S was 2/3 the victim's when it paid → 400 victim, 200 other.
  for (const [model, victim, other] of [
    ['fifo', '100000000', '500000000'],
    ['haircut', '400000000', '200000000'],
  ] as const) {
    it(`backward from the exchange (${model}): victim ${Number(victim) / 1e6}, other ${Number(other) / 1e6}`, async () => {
      const { j } = await run([
        A.exchange,
        '--asset',
        'USDT',
        '--direction',
        'backward',
        '--hops',
        '3',
        '--model',
        model,
      ]);
      const cut = (j.summary as unknown as { cut: { address: string; amount: { value: string } }[] }).cut;
      expect(Object.fromEntries(cut.map((c) => [c.address, c.amount.value]))).toEqual({
        [A.victim]: victim,
        [A.other]: other,
      });
    });
  }

  it('an unknown transaction: exit 3 (not in the data), one request each for the tx and its receipt', async () => {
    server.reset();
    const r = await cli(
      ['trace', txid('no-such-tx'), '--source', `trongrid:${server.url}`, '--no-cache', '--format', 'json'],
      { ...FAST, TRONGRID_API_KEY: KEY },
    );
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/not in the data/);
    expect(server.requests.filter((q) => q.path.startsWith('/wallet/gettransaction'))).toHaveLength(2);
  });

  it('a server echoing the key inside a body: scrubbed from the cache and the case', async () => {
    const dir = `${tmp.dir}/case-${++n}`;
    const cache = `${tmp.dir}/cache-${++n}`;
    server.reset();
    const head = await (
      await fetch(`${server.url}/wallet/getnowblock`, { headers: { 'TRON-PRO-API-KEY': KEY } })
    ).json();
    server.reset();
    server.faults.push({
      times: 1,
      match: (p) => p === '/wallet/getnowblock',
      body: JSON.stringify({ ...(head as object), note: `served for ${KEY}` }),
    });
    const r = await cli(
      [
        'trace',
        txid('seed'),
        '--asset',
        'USDT',
        '--source',
        `trongrid:${server.url}`,
        '--cache-dir',
        cache,
        '--case',
        dir,
        '--format',
        'json',
      ],
      { ...FAST, TRONGRID_API_KEY: KEY },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(server.faults[0]!.times).toBe(0);
    const everything = r.stdout + r.stderr + (await readTree(dir)) + (await readTree(cache));
    expect(everything).not.toContain(KEY);
  });

  it('a TRON address given for an EVM chain, and a bad checksum, are usage errors before any request', async () => {
    server.reset();
    const bad = `${A.victim.slice(0, -1)}${A.victim.endsWith('a') ? 'b' : 'a'}`;
    const r = await cli(
      ['trace', bad, '--source', `trongrid:${server.url}`, '--chain', 'tron', '--no-cache'],
      FAST,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/checksum/);
    const evm = await cli(
      ['trace', A.victim, '--source', `trongrid:${server.url}`, '--chain', 'ethereum', '--no-cache'],
      FAST,
    );
    expect(evm.status).toBe(2);
  });
});
