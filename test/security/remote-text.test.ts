// Text that a remote source controls: token symbols and names from an Etherscan-style API, and
// the API's own error text (NOTOK results, HTML error pages). Through the CLI against the local
// test server: nothing escapes to the terminal, CSV cells are not formulas, and an echoed key is
// scrubbed from the error.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EtherscanTestServer, startEtherscanServer } from '../etherscan/server.js';
import { A, cs, phishScenario, type Scenario, txh, USDT } from '../fixtures/etherscan/scenario.js';
import { cli } from '../helpers.js';
import { isFormula, parseCsv, readTree, STACK_FRAME, tmp, UNSAFE } from './helpers.js';

const KEY = 'RemoteKey-abcdef0123456789';
const SYMBOL = '\u001b[31m=USDT\u001b[0m\u202e\u2028<b>"|';
const NAME = '\u001b]8;;http://evil.example\u0007Tether\u001b]8;;\u0007';
const FAST = { FUNDTRACE_HTTP_BACKOFF_MS: '1', FUNDTRACE_HTTP_RETRIES: '1' };

function hostile(): Scenario {
  const sc = phishScenario();
  for (const t of sc.txs)
    for (const k of t.tokens ?? []) if (k.contract === USDT) Object.assign(k, { symbol: SYMBOL, name: NAME });
  return sc;
}

let server: EtherscanTestServer;
const dir = tmp('fundtrace-remote-');
let n = 0;
const base = () => [
  '--source',
  `etherscan:${server.url}`,
  '--api-key',
  KEY,
  '--cache-dir',
  join(dir, `c${++n}`),
];

beforeAll(async () => {
  server = await startEtherscanServer(hostile(), { dialect: 'etherscan', apiKey: KEY });
});
afterAll(async () => {
  await server.close();
});

const unsafe = (s: string) => [...s.matchAll(new RegExp(UNSAFE.source, 'gu'))].map((m) => m[0]);

describe('a hostile token symbol from the API', () => {
  it('table: no escape or bidi character; JSON has no raw control either', async () => {
    const t = await cli(['trace', cs(A.victim), ...base(), '--asset', cs(USDT), '--format', 'table'], FAST);
    expect(t.status, t.stderr).toBe(0);
    expect(unsafe(t.stdout)).toEqual([]);
    expect(unsafe(t.stderr)).toEqual([]);
    const j = await cli(['trace', cs(A.victim), ...base(), '--asset', cs(USDT), '--format', 'json'], FAST);
    expect(j.status, j.stderr).toBe(0);
    expect(unsafe(j.stdout)).toEqual([]);
    // The etherscan source keeps a printable symbol (here it reduces it to USDT).
    expect(JSON.parse(j.stdout).query.asset.symbol).not.toMatch(/[\u001b\u202e\u2028]/);
  });

  it('CSV: the asset column is neither a formula nor carries controls', async () => {
    for (const table of ['edges', 'exits', 'atrest', 'nodes']) {
      const r = await cli(
        ['trace', cs(A.victim), ...base(), '--asset', cs(USDT), '--format', 'csv', '--table', table],
        FAST,
      );
      expect(r.status, r.stderr).toBe(0);
      for (const cell of parseCsv(r.stdout).flat()) {
        expect(unsafe(cell)).toEqual([]);
        expect(isFormula(cell), cell).toBe(false);
      }
    }
  });

  it('an unknown --asset lists the known symbols without their escapes', async () => {
    const r = await cli(['trace', cs(A.victim), ...base(), '--asset', 'NOPE'], FAST);
    expect(r.status).toBe(2);
    expect(unsafe(r.stderr)).toEqual([]);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('API error text', () => {
  it('a NOTOK result with escapes, bidi and the key echoed back: one clean line, exit 4', async () => {
    server.faults.push({
      times: 100,
      body: JSON.stringify({
        status: '0',
        message: 'NOTOK',
        result: `\u001b[2J\u001b]0;pwned\u0007Error! \u202eyek\u202c apikey=${KEY} for ${KEY}\nsecond line`,
      }),
    });
    const cache = join(dir, 'c-notok');
    const r = await cli(
      ['trace', txh('seed'), '--source', `etherscan:${server.url}`, '--api-key', KEY, '--cache-dir', cache],
      FAST,
    );
    server.faults.length = 0;
    expect(r.status, r.stderr).toBe(4);
    expect(r.stdout).toBe('');
    expect(unsafe(r.stderr)).toEqual([]);
    expect(r.stderr).not.toContain(KEY);
    expect(readTree(cache)).not.toContain(KEY);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('an HTML error page with a script and escapes: summarised, exit 4', async () => {
    server.faults.push({
      times: 100,
      status: 502,
      contentType: 'text/html',
      body: `<html><script>alert(1)</script><h1>\u001b[31mBad gateway\u202e</h1><p>${KEY}</p></html>`,
    });
    const r = await cli(
      [
        'trace',
        txh('seed'),
        '--source',
        `etherscan:${server.url}`,
        '--api-key',
        KEY,
        '--cache-dir',
        join(dir, 'c-html'),
      ],
      FAST,
    );
    server.faults.length = 0;
    expect(r.status, r.stderr).toBe(4);
    expect(unsafe(r.stderr)).toEqual([]);
    expect(r.stderr).not.toContain('<script');
    expect(r.stderr).not.toContain(KEY);
  });
});
