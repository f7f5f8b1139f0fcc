// What an address costs: two lists, plus one receipt per TRC-20 transaction of the traced asset
// only — fake-token airdrops (address poisoning, common on TRON) and addresses stopped by the
// history limit cost no receipt; a receipt shared by two ledgers is read once.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { A, addr, type TronScenario, tronScenario, txid, USD } from './scenario.js';
import { startTronGridServer } from './server.js';

const FAST = { FUNDTRACE_HTTP_BACKOFF_MS: '5' };
const FAKE = addr('fake-usdt-contract');

function poisoned(): TronScenario {
  const sc = tronScenario();
  sc.tokens[FAKE] = { symbol: 'USDT', name: 'Tether USD', decimals: 6 };
  for (let i = 0; i < 6; i++) {
    sc.txs.push({
      id: txid(`airdrop-${i}`),
      block: 140 + i,
      time: 1_700_000_000_000 + (40 + i) * 3000,
      type: 'TriggerSmartContract',
      owner: addr(`poisoner-${i}`),
      to: FAKE,
      fee: 5_000_000n,
      transfers: [{ contract: FAKE, from: addr(`poisoner-${i}`), to: A.scam, value: BigInt(i) * USD }],
    });
  }
  return sc;
}

const receipts = (reqs: { path: string; query: URLSearchParams }[]) =>
  reqs.filter((q) => q.path === '/wallet/gettransactioninfobyid').map((q) => q.query.get('value'));

describe('trongrid: requests an address costs', () => {
  it('a look-alike token airdropped to the wallet costs no receipt, and is never USDT', async () => {
    const server = await startTronGridServer(poisoned(), { cap: 20 });
    try {
      const r = await cli(
        [
          'trace',
          txid('seed'),
          '--source',
          `trongrid:${server.url}`,
          '--asset',
          'USDT',
          '--hops',
          '4',
          '--no-cache',
          '--format',
          'json',
        ],
        FAST,
      );
      expect(r.status, r.stderr).toBe(0);
      const asked = receipts(server.requests);
      for (let i = 0; i < 6; i++) expect(asked).not.toContain(txid(`airdrop-${i}`));
      // every receipt once, even those in two ledgers (the seed's: victim's and the wallet's)
      expect(new Set(asked).size).toBe(asked.length);
      const j = JSON.parse(r.stdout) as { graph: { edges: { key: string }[] } };
      expect(j.graph.edges.some((e) => e.key.includes('airdrop'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('an address over the history limit is stopped from its lists alone: none of its receipts are read', async () => {
    const server = await startTronGridServer(tronScenario(), { cap: 20 });
    try {
      const r = await cli(
        [
          'trace',
          txid('seed'),
          '--source',
          `trongrid:${server.url}`,
          '--asset',
          'USDT',
          '--history-limit',
          '3',
          '--no-cache',
          '--format',
          'json',
        ],
        FAST,
      );
      expect(r.status, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as { summary: { cut: { reason: string; address: string }[] } };
      expect(j.summary.cut).toEqual([expect.objectContaining({ reason: 'history-limit', address: A.scam })]);
      expect(receipts(server.requests)).toEqual([txid('seed')]);
    } finally {
      await server.close();
    }
  });

  it('a seed address over the history limit still gets its receipts (its first transfers are traced)', async () => {
    const server = await startTronGridServer(tronScenario(), { cap: 20 });
    try {
      const r = await cli(
        [
          'trace',
          A.scam,
          '--source',
          `trongrid:${server.url}`,
          '--asset',
          'USDT',
          '--history-limit',
          '4',
          '--no-cache',
          '--format',
          'json',
        ],
        FAST,
      );
      expect(r.status, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as { warnings: string[]; graph: { edges: unknown[] } };
      expect(j.warnings.join('\n')).toMatch(/over the history limit 4/);
      expect(j.graph.edges.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('--asset naming a token contract outside the registry: decimals and symbol read from the contract before the trace', async () => {
    const server = await startTronGridServer(poisoned(), { cap: 20 });
    try {
      const r = await cli(
        [
          'trace',
          addr('poisoner-3'),
          '--source',
          `trongrid:${server.url}`,
          '--asset',
          FAKE,
          '--no-cache',
          '--format',
          'json',
        ],
        FAST,
      );
      expect(r.status, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as {
        query: { asset: { key: string; decimals: number; symbol: string } };
        summary: { traced: { value: string; decimals: number; display: string } };
      };
      // the look-alike keeps its own key (the contract), whatever symbol it claims
      expect(j.query.asset).toMatchObject({ key: FAKE, decimals: 6, symbol: 'USDT', contract: FAKE });
      expect(j.summary.traced).toMatchObject({ value: '3000000', decimals: 6, display: '3' });
      const calls = server.requests.filter((q) => q.path === '/wallet/triggerconstantcontract');
      expect(calls).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
