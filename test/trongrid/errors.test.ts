// Documented failures through the CLI: 429 with and without Retry-After, TronGrid's 403
// frequency-limit body, FullNode's HTTP-200 {"Error": …} bodies, a rate limit that never ends,
// malformed rows (negative, non-integer, bad checksum, a confirmed row or transfer without a
// block) → BAD_DATA exit 4 naming the URL, nothing on stdout; unconfirmed rows warned by default
// and left out with --confirmations / --as-of.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { A, type TronScenario, tronScenario, txid, USD, USDT } from './scenario.js';
import { startTronGridServer, type TronGridTestServer } from './server.js';

const FAST = {
  FUNDTRACE_HTTP_BACKOFF_MS: '5',
  FUNDTRACE_HTTP_RETRIES: '3',
  FUNDTRACE_HTTP_BACKOFF_MAX_MS: '50',
};
const isPath = (re: RegExp) => (path: string) => re.test(path);

function pendingScenario(): TronScenario {
  const sc = tronScenario();
  const t = (name: string, block: number) => ({
    id: txid(name),
    block,
    time: sc.headTime - (sc.head - block) * 3000,
  });
  sc.txs.push(
    // in a block, not yet solidified
    {
      ...t('pending', 995),
      type: 'TriggerSmartContract',
      owner: A.scam,
      to: USDT,
      fee: 13_800_000n,
      unconfirmed: true,
      transfers: [{ contract: USDT, from: A.scam, to: A.w, value: 50n * USD }],
    },
    // not in a block at all yet
    {
      ...t('pending-noblock', 1000),
      type: 'TriggerSmartContract',
      owner: A.scam,
      to: USDT,
      fee: 13_800_000n,
      unconfirmed: true,
      noInfo: true,
      transfers: [{ contract: USDT, from: A.scam, to: A.w, value: 10n * USD }],
    },
  );
  return sc;
}

describe('trongrid: failures and bad input', () => {
  let server: TronGridTestServer;
  const trace = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    cli(['trace', ...args, '--source', `trongrid:${server.url}`, '--no-cache', '--format', 'json'], {
      ...FAST,
      ...env,
    });
  const seed = [txid('seed'), '--asset', 'USDT', '--hops', '2'];
  let clean: string;
  let cleanCount: number;
  // One hook: the server, then a clean trace to compare every failure with.
  beforeAll(async () => {
    server = await startTronGridServer(pendingScenario(), { cap: 20 });
    const r = await trace(seed);
    expect(r.status, r.stderr).toBe(0);
    clean = r.stdout;
    cleanCount = server.requests.length;
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  const rateBody = JSON.stringify({ success: false, error: 'Too Many Requests', statusCode: 429 });
  const freqBody = JSON.stringify({
    success: false,
    error: 'The key exceeds the frequency limit(15), and the query server is suspended for 1s',
    statusCode: 403,
  });

  it('429 with Retry-After: waits what the server asks, then the same result', async () => {
    server.faults.push({ times: 1, status: 429, headers: { 'retry-after': '1' }, body: rateBody });
    const t0 = Date.now();
    const r = await trace(seed);
    expect(r.status, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(r.stdout).toBe(clean);
    expect(server.requests.length).toBe(cleanCount + 1);
  });

  it('429 without Retry-After: backs off, then the same result', async () => {
    server.faults.push({ times: 2, status: 429, body: rateBody, match: isPath(/trc20$/) });
    const r = await trace(seed);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(clean);
    expect(server.requests.length).toBe(cleanCount + 2);
  });

  it('403 with the frequency-limit body is a rate limit: retried after the pause it names', async () => {
    server.faults.push({ times: 1, status: 403, body: freqBody, match: isPath(/gettransactioninfobyid/) });
    const r = await trace(seed, { FUNDTRACE_HTTP_BACKOFF_MAX_MS: '30000' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(clean);
    expect(server.requests.length).toBe(cleanCount + 1);
  });

  it('FullNode’s HTTP-200 rate-limiter body is retried; another {"Error"} is a SOURCE error quoting it', async () => {
    server.faults.push({
      times: 2,
      body: JSON.stringify({ Error: 'class java.lang.IllegalAccessException : lack of computing resources' }),
      match: isPath(/gettransactioninfobyid/),
    });
    const r = await trace(seed);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(clean);
    server.reset();
    server.faults.push({
      times: 1,
      body: JSON.stringify({
        Error: 'class org.tron.core.exception.BadItemException : \u001b[31mbad\u001b[0m',
      }),
      match: isPath(/gettransactioninfobyid/),
    });
    const e = await trace(seed);
    expect(e.status).toBe(4);
    expect(e.stdout).toBe('');
    expect(e.stderr).toMatch(
      /the API answered an error: "class org.tron.core.exception.BadItemException : \[31mbad/,
    );
    expect(e.stderr).not.toContain('\u001b');
  });

  it('a 403 without the frequency-limit text is not retried: exit 4 at once', async () => {
    server.faults.push({
      times: 5,
      status: 403,
      body: '{"success":false,"error":"Forbidden","statusCode":403}',
    });
    const r = await trace(seed);
    expect(r.status).toBe(4);
    expect(server.requests).toHaveLength(1);
  });

  it('resumable: after a failure, the same command asks only for what the first run did not get', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const cache = await mkdtemp(`${tmpdir()}/ft-trongrid-resume-`);
    const args = [
      'trace',
      ...seed,
      '--hops',
      '3',
      '--source',
      `trongrid:${server.url}`,
      '--cache-dir',
      cache,
      '--format',
      'json',
    ];
    // the first three receipts are answered, every later one fails
    let through = 3;
    server.faults.push({
      times: 1000,
      status: 503,
      body: 'down',
      match: (p) => p.endsWith('gettransactioninfobyid') && through-- <= 0,
    });
    const first = await cli(args, FAST);
    expect(first.status).toBe(4);
    expect(first.stderr).toMatch(/run the same command again to resume/);
    const answered = new Set(server.requests.filter((q) => !q.faulted).map((q) => `${q.path}?${q.query}`));
    server.reset();
    const second = await cli(args, FAST);
    expect(second.status, second.stderr).toBe(0);
    const again = server.requests.map((q) => `${q.path}?${q.query}`);
    expect(again.length).toBeGreaterThan(0);
    expect(again.filter((u) => answered.has(u))).toEqual([]);
    await rm(cache, { recursive: true, force: true });
  });

  it('TronGrid hosts get their own rate limit in the shared HTTP layer', async () => {
    const { resolveHostLimits } = await import('../../src/sources/http/index.js');
    expect(resolveHostLimits('api.trongrid.io', 'api.trongrid.io')).toEqual({
      rate: 10,
      burst: 3,
      concurrency: 4,
    });
    expect(resolveHostLimits('nile.trongrid.io', 'nile.trongrid.io').rate).toBe(10);
  });

  it('a rate limit that never ends: exit 4 after the retries, one clear line', async () => {
    server.faults.push({ times: 1000, status: 429, body: rateBody });
    const r = await trace(seed);
    expect(r.status).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(/failed after 4 attempts: HTTP 429/);
  });

  const mutate = async (path: string, change: (body: Record<string, unknown>) => void) => {
    const res = await fetch(`${server.url}${path}`);
    const body = (await res.json()) as Record<string, unknown>;
    change(body);
    return JSON.stringify(body);
  };
  type Row = Record<string, unknown> & {
    raw_data: { contract: { parameter: { value: Record<string, unknown> } }[] };
  };

  const bad: {
    name: string;
    path: string;
    match: RegExp;
    change: (b: Record<string, unknown>) => void;
    says: RegExp;
  }[] = [
    {
      name: 'a negative TRC-20 value',
      path: `/v1/accounts/${A.scam}/transactions/trc20?limit=200&order_by=block_timestamp,asc`,
      match: new RegExp(`${A.scam}/transactions/trc20$`),
      change: (b) => {
        (b.data as Record<string, unknown>[])[0]!.value = '-500000000';
      },
      says: /data\[0\]\.value "-500000000" is not a whole amount/,
    },
    {
      name: 'a non-integer TRX amount',
      path: `/v1/accounts/${A.scam}/transactions?limit=200&order_by=block_timestamp,asc`,
      match: new RegExp(`${A.scam}/transactions$`),
      change: (b) => {
        (b.data as Row[])[0]!.raw_data.contract[0]!.parameter.value.amount = 100.5;
      },
      says: /parameter\.value\.amount 100\.5 is not a whole amount/,
    },
    {
      name: 'an address with a bad checksum',
      path: `/v1/accounts/${A.scam}/transactions/trc20?limit=200&order_by=block_timestamp,asc`,
      match: new RegExp(`${A.scam}/transactions/trc20$`),
      change: (b) => {
        const r = (b.data as Record<string, string>[])[0]!;
        r.to = `${r.to!.slice(0, -1)}${r.to!.endsWith('a') ? 'b' : 'a'}`;
      },
      says: /data\[0\]\.to ".*" is not a TRON address \(fails its base58check checksum\)/,
    },
  ];
  for (const c of bad) {
    it(`${c.name}: BAD_DATA (exit 4) naming the URL and the field, nothing written`, async () => {
      const body = await mutate(c.path, c.change);
      server.reset();
      server.faults.push({ times: 10, body, match: isPath(c.match) });
      const r = await trace([A.scam, '--asset', 'USDT', '--hops', '1']);
      expect(r.status).toBe(4);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/unexpected response from GET http:\/\/127\.0\.0\.1:\d+\/v1\/accounts\//);
      expect(r.stderr).toMatch(c.says);
    });
  }

  it('an old row without blockNumber (TronGrid’s 2019–2020 history) takes its block from the receipt', async () => {
    const seedTx = await trace(seed);
    server.reset();
    server.faults.push({
      times: 10,
      body: await mutate(
        `/v1/accounts/${A.scam}/transactions?limit=200&order_by=block_timestamp,asc`,
        (b) => {
          for (const r of b.data as Record<string, unknown>[]) delete r.blockNumber;
        },
      ),
      match: isPath(new RegExp(`${A.scam}/transactions$`)),
    });
    const r = await trace(seed);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(seedTx.stdout);
  });

  it('a confirmed row without a block whose receipt has none either: BAD_DATA naming the transaction', async () => {
    server.faults.push(
      {
        times: 10,
        body: await mutate(
          `/v1/accounts/${A.scam}/transactions?limit=200&order_by=block_timestamp,asc`,
          (b) => {
            delete (b.data as Record<string, unknown>[])[0]!.blockNumber;
          },
        ),
        match: isPath(new RegExp(`${A.scam}/transactions$`)),
      },
      {
        times: 10,
        body: await mutate(`/wallet/gettransactioninfobyid?value=${txid('trx-in')}`, (b) => {
          delete b.blockNumber;
        }),
        match: (p, q) => p.endsWith('gettransactioninfobyid') && q.get('value') === txid('trx-in'),
      },
    );
    const r = await trace([A.scam, '--asset', 'TRX', '--hops', '1']);
    expect(r.status).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `transaction ${txid('trx-in')} \\(listed for ${A.scam}\\) has no block: neither its TronGrid row nor gettransactioninfobyid`,
      ),
    );
  });

  it('a TRC-20 transfer whose receipt has no block: BAD_DATA naming the transaction', async () => {
    server.faults.push({
      times: 10,
      body: await mutate(`/wallet/gettransactioninfobyid?value=${txid('seed')}`, (b) => {
        delete b.blockNumber;
      }),
      match: (p, q) => p.endsWith('gettransactioninfobyid') && q.get('value') === txid('seed'),
    });
    const r = await trace([A.victim, '--asset', 'USDT', '--hops', '1']);
    expect(r.status).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `transaction ${txid('seed')} .*has no block: gettransactioninfobyid answered without blockNumber`,
      ),
    );
  });

  it('the transaction and an address list disagreeing about one transfer: BAD_DATA naming both', async () => {
    server.faults.push({
      times: 10,
      body: await mutate(
        `/v1/accounts/${A.scam}/transactions?limit=200&order_by=block_timestamp,asc`,
        (b) => {
          for (const r of b.data as Row[])
            if (r.txID === txid('trx-in')) r.raw_data.contract[0]!.parameter.value.amount = 99_000_000;
        },
      ),
      match: isPath(new RegExp(`${A.scam}/transactions$`)),
    });
    const r = await trace([txid('trx-in'), '--asset', 'TRX', '--hops', '2']);
    expect(r.status).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `two answers disagree about transfer 0 of transaction ${txid('trx-in')}: 100000000 TRX .* against 99000000 TRX`,
      ),
    );
  });

  it('a TRC-20 row the receipt does not hold: BAD_DATA', async () => {
    server.faults.push({
      times: 10,
      body: await mutate(`/wallet/gettransactioninfobyid?value=${txid('seed')}`, (b) => {
        delete b.log;
      }),
      match: (p, q) => p.endsWith('gettransactioninfobyid') && q.get('value') === txid('seed'),
    });
    const r = await trace([A.victim, '--asset', 'USDT', '--hops', '1']);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/that the transaction's receipt does not hold/);
  });

  it('HTML with HTTP 200 (a proxy page): BAD_DATA after the body retries', async () => {
    server.faults.push({
      times: 10,
      contentType: 'text/html',
      body: '<html><body>Bad gateway</body></html>',
    });
    const r = await trace(seed);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/invalid JSON/);
  });

  it('unconfirmed rows: read to the tip and named by default; --confirmations / --as-of leave them out', async () => {
    const tip = await trace([A.scam, '--asset', 'USDT', '--hops', '1']);
    expect(tip.status, tip.stderr).toBe(0);
    const j = JSON.parse(tip.stdout) as {
      graph: { edges: { key: string; attributes: { height: number | null } }[] };
      warnings: string[];
    };
    const pending = j.graph.edges.filter(
      (e) => e.key.includes(txid('pending')) || e.key.includes(txid('pending-noblock')),
    );
    expect(pending.map((e) => e.attributes.height).sort()).toEqual([995, null]);
    // two USDT transfers, and the two fees of those transactions
    const w = j.warnings.join('\n');
    expect(w).toContain(`2 USDT transfer(s) of ${A.scam} are not yet confirmed`);
    expect(w).toContain(`2 TRX transfer(s) of ${A.scam} are not yet confirmed`);

    for (const flags of [
      ['--confirmations', '19'],
      ['--as-of', '990'],
    ]) {
      const r = await trace([A.scam, '--asset', 'USDT', '--hops', '1', ...flags]);
      expect(r.status, r.stderr).toBe(0);
      const k = JSON.parse(r.stdout) as { graph: { edges: { key: string }[] }; warnings: string[] };
      expect(k.graph.edges.some((e) => e.key.includes(txid('pending')))).toBe(false);
      expect(k.warnings.join('\n')).toMatch(
        /were left out \(read as of block 98\d|were left out \(read as of block 990/,
      );
    }
    const above = await trace([A.scam, '--as-of', '5000']);
    expect(above.status).toBe(2);
  });

  it('an unknown token, and a look-alike contract that never moved here: usage error / nothing traced', async () => {
    const r = await trace([A.scam, '--asset', 'USDX']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/USDX/);
    // a different contract is another asset, never USDT (here: no history in it at all)
    const look = await trace([A.scam, '--asset', A.batcher]);
    expect(look.status).toBe(3);
  });

  it('--confirmations is still refused for etherscan: sources (it applies to rpc: and trongrid:)', async () => {
    const r = await cli(
      ['trace', A.scam, '--source', 'etherscan:http://127.0.0.1:1/api', '--confirmations', '3'],
      FAST,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/applies to rpc: and trongrid: sources only/);
  });
});
