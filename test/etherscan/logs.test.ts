// Event logs through `--source etherscan:` (module=proxy eth_getTransactionReceipt, Blockscout's
// eth-rpc) against the local replay server: every receipt log as a TxLog, equal byte for byte to
// the same logs read from a dataset; failed and unknown txs have none; errors on the wire (5xx,
// truncated bodies, malformed logs) are retried or refused with a clear message; a real recorded
// receipt (../shared, skipped when absent) decodes to the hand-read figures.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAnySource } from '../../src/app/sources.js';
import type { TxLog } from '../../src/core/model.js';
import type { AccountView } from '../../src/core/view.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { derivedTokenIndex } from '../../src/sources/etherscan/indices.js';
import { writeJson } from '../dataset/helpers.js';
import { cs, datasetOf, phishScenario, type Scenario, txh } from '../fixtures/etherscan/scenario.js';
import { FAKE_KEY, FAST_ENV, tempDir } from './helpers.js';
import { type EtherscanTestServer, type ServerDialect, startEtherscanServer } from './server.js';

const NONE = { addresses: [], txs: [], outspends: [] };
const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
const OTHER = '0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925';
/** Hop's WithdrawalBonded: the event of the real recorded receipt. */
const HOP_WITHDRAWAL_BONDED = '0x0c3d250c7831051e78aa6a56679e590374c7c424415ffe4aa474491def2fe705';
const word = (a: string) => `0x${a.slice(2).toLowerCase().padStart(64, '0')}`;
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/** The logs the server's receipts carry, written out independently of the source code. */
function expectedLogs(sc: Scenario): TxLog[] {
  const out: TxLog[] = [];
  for (const t of sc.txs) {
    if (t.failed || t.genesis) continue;
    const base = { tx: t.hash, height: t.block, position: t.position, time: iso(t.time) };
    for (const k of t.tokens ?? []) {
      out.push({
        ...base,
        index: k.logIndex,
        address: cs(k.contract),
        topics: [TRANSFER, word(k.from), word(k.to)],
        data: `0x${k.value.toString(16).padStart(64, '0')}`,
      });
    }
    out.push({ ...base, index: 99, address: cs(t.to || t.from), topics: [OTHER, word(t.from)], data: '0x' });
  }
  return out;
}

async function open(
  server: EtherscanTestServer,
  cacheMode: 'noCache' | 'normal' = 'noCache',
  cacheDir?: string,
) {
  const src = await openAnySource(`etherscan:${server.url}`, {
    cacheMode,
    ...(cacheDir ? { cacheDir } : {}),
    apiKey: FAKE_KEY,
    chain: 'ethereum',
    env: { ...FAST_ENV },
  });
  return src.view as AccountView;
}

async function withServer<T>(
  dialect: ServerDialect,
  f: (s: EtherscanTestServer, sc: Scenario) => Promise<T>,
) {
  const sc = phishScenario();
  const server = await startEtherscanServer(sc, { dialect, apiKey: FAKE_KEY });
  try {
    return await f(server, sc);
  } finally {
    await server.close();
  }
}

describe('etherscan: txLogs', () => {
  for (const dialect of ['etherscan', 'blockscout'] as const) {
    it(`${dialect}: every receipt log, byte-identical to a dataset holding the same logs; none for failed or unknown txs`, async () => {
      await withServer(dialect, async (server, sc) => {
        const view = await open(server);
        const hashes = [...sc.txs.filter((t) => !t.genesis).map((t) => t.hash), txh('nowhere')];
        for (const h of hashes) expect(view.txLogs!(h)).toEqual({ status: 'missing' });
        await (view as unknown as { fetchMissing: (m: typeof NONE) => Promise<void> }).fetchMissing(NONE);
        const doc = { ...(datasetOf(sc, dialect, derivedTokenIndex) as object), logs: expectedLogs(sc) };
        const fromFile = buildDatasetView(await loadDataset(writeJson(doc))) as AccountView;
        let n = 0;
        for (const h of hashes) {
          const got = view.txLogs!(h);
          expect(got.status).toBe('ok');
          expect(JSON.stringify(got), h).toBe(JSON.stringify(fromFile.txLogs!(h)));
          if (got.status === 'ok') n += got.value.length;
        }
        expect(n).toBe(expectedLogs(sc).length);
        const failed = sc.txs.find((t) => t.failed)!;
        expect(view.txLogs!(failed.hash)).toEqual({ status: 'ok', value: [] });
      });
    });
  }

  it('cached: a second run reads no receipt', async () => {
    const { dir, done } = await tempDir();
    try {
      await withServer('etherscan', async (server, sc) => {
        const h = sc.txs.find((t) => (t.tokens ?? []).length > 0)!.hash;
        const a = await open(server, 'normal', dir);
        a.txLogs!(h);
        await (a as unknown as { fetchMissing: (m: typeof NONE) => Promise<void> }).fetchMissing(NONE);
        const receipts = () =>
          server.requests.filter((r) => r.query.get('action') === 'eth_getTransactionReceipt').length;
        expect(receipts()).toBe(1);
        const b = await open(server, 'normal', dir);
        b.txLogs!(h);
        await (b as unknown as { fetchMissing: (m: typeof NONE) => Promise<void> }).fetchMissing(NONE);
        expect(receipts()).toBe(1);
        expect(b.txLogs!(h)).toEqual(a.txLogs!(h));
      });
    } finally {
      await done();
    }
  });

  it('a 502 and a truncated body are retried; a receipt whose log lacks topics is refused, naming the tx', async () => {
    await withServer('etherscan', async (server, sc) => {
      const t = sc.txs.find((x) => (x.tokens ?? []).length > 0)!;
      const isReceipt = (q: URLSearchParams) => q.get('action') === 'eth_getTransactionReceipt';
      server.faults.push({
        match: isReceipt,
        times: 1,
        status: 502,
        body: '<html>Bad Gateway</html>',
        contentType: 'text/html',
      });
      server.faults.push({
        match: isReceipt,
        times: 1,
        body: '{"jsonrpc":"2.0","id":1,"result":{"blockNumber":',
      });
      const view = await open(server);
      view.txLogs!(t.hash);
      const fetch = () =>
        (view as unknown as { fetchMissing: (m: typeof NONE) => Promise<void> }).fetchMissing(NONE);
      await fetch();
      const got = view.txLogs!(t.hash);
      expect(server.faults.map((f) => f.times)).toEqual([0, 0]); // both were served, then retried past
      expect(got.status === 'ok' && got.value.length).toBe((t.tokens ?? []).length + 1);

      const other = sc.txs.filter((x) => !x.failed && !x.genesis && x.hash !== t.hash)[0]!;
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        result: {
          blockNumber: `0x${other.block.toString(16)}`,
          transactionIndex: `0x${other.position.toString(16)}`,
          from: other.from,
          to: other.to,
          status: '0x1',
          logs: [{ address: other.from, data: '0x', logIndex: '0x1' }],
        },
      });
      server.faults.push({ match: isReceipt, times: 1, body });
      view.txLogs!(other.hash);
      await expect(fetch()).rejects.toThrow(
        new RegExp(`the receipt of ${other.hash} is malformed: log 0 of the receipt lacks`),
      );
    });
  });

  const REAL = join(
    import.meta.dirname,
    '../../../shared/data/api-fixtures-rotki/etherscan/proxy-eth_getTransactionReceipt_0x0687f3f9.json',
  );
  it.skipIf(!existsSync(REAL))(
    'a real recorded Etherscan receipt: its one log, with the block timestamp it carries',
    async () => {
      const hash = '0x0687f3f92983ee14c90b8388df34ded826ba2da1742ea8225201dc0ef18cc662';
      await withServer('etherscan', async (server) => {
        server.faults.push({
          match: (q) => q.get('action') === 'eth_getTransactionReceipt' && q.get('txhash') === hash,
          times: 1,
          body: readFileSync(REAL, 'utf8'),
        });
        const view = await open(server);
        view.txLogs!(hash);
        await (view as unknown as { fetchMissing: (m: typeof NONE) => Promise<void> }).fetchMissing(NONE);
        // Hand-read from the recorded body: block 0xf86694, position 0x74, logIndex 0x13d,
        // blockTimestamp 0x63ab773f (2022-12-27T22:52:47Z).
        expect(view.txLogs!(hash)).toEqual({
          status: 'ok',
          value: [
            {
              tx: hash,
              index: 317,
              height: 16279188,
              position: 116,
              time: '2022-12-27T22:52:47Z',
              address: cs('0xb8901acb165ed027e32754e0ffe830802919727f'),
              topics: [
                HOP_WITHDRAWAL_BONDED,
                '0x70a764e1544862eaef22598e568e1dbe05b2fdb5778dbe90870e8616a10b181a',
              ],
              data: '0x00000000000000000000000000000000000000000000000000354607678b9f17',
            },
          ],
        });
      });
    },
  );
});
