// The TRON scenario traced from a dataset-v1 file (chain "tron") and through `trongrid:` against the
// replay server gives byte-identical JSON apart from query.sources, under the three models, forward
// and backward. The dataset is written from the scenario by the dataset spec's rules (spec/dataset-v1:
// one record per movement; here TRC-20 index = 3·10¹⁵ + event position in the receipt, TRX value 0,
// fee 9·10¹⁵ from the signer, failed txs only their fee, positions unknown), not by the source's code.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../etherscan/helpers.js';
import { cli } from '../helpers.js';
import { A, type TronScenario, tronScenario, txid, USDT } from './scenario.js';
import { startTronGridServer, type TronGridTestServer } from './server.js';

const FAST = { FUNDTRACE_HTTP_BACKOFF_MS: '5' };

function datasetOf(sc: TronScenario) {
  const transfers: Record<string, unknown>[] = [];
  for (const t of sc.txs) {
    const base = {
      tx: t.id,
      height: t.block,
      position: null,
      time: new Date(t.time).toISOString().replace('.000Z', 'Z'),
    };
    const moves = t.type === 'TransferContract' || t.type === 'TriggerSmartContract';
    if (moves && !t.failed && (t.amount ?? 0n) > 0n)
      transfers.push({
        ...base,
        index: 0,
        from: t.owner,
        to: t.to,
        asset: 'TRX',
        value: String(t.amount),
        kind: 'native',
      });
    if (!t.failed)
      (t.transfers ?? []).forEach((k, i) => {
        const event = t.otherLogs ? 2 * i + 1 : i;
        transfers.push({
          ...base,
          index: 3_000_000_000_000_000 + event,
          from: k.from,
          to: k.to,
          asset: k.contract === USDT ? 'USDT' : k.contract,
          value: String(k.value),
          kind: 'token',
        });
      });
    if (t.fee > 0n)
      transfers.push({
        ...base,
        index: 9_000_000_000_000_000,
        from: t.owner,
        to: null,
        asset: 'TRX',
        value: String(t.fee),
        kind: 'fee',
      });
  }
  return {
    format: 'fundtrace-dataset/1',
    chain: 'tron',
    head: { height: sc.head },
    assets: { USDT: { decimals: 6, contract: USDT } },
    transfers,
  };
}

const comparable = (stdout: string) => {
  const j = JSON.parse(stdout) as { query: Record<string, unknown> };
  delete j.query.sources;
  return JSON.stringify(j);
};

describe('trongrid: the same scenario from a dataset and through the API', () => {
  // Without the TRC-10 transaction, which only the API can show (as a warning): the dataset format
  // has no TRC-10 record.
  const sc = tronScenario();
  sc.txs = sc.txs.filter((t) => t.type !== 'TransferAssetContract');
  let server: TronGridTestServer;
  let tmp: { dir: string; done: () => Promise<void> };
  let file = '';
  beforeAll(async () => {
    server = await startTronGridServer(sc, { cap: 20 });
    tmp = await tempDir('ft-trongrid-ds-');
    file = join(tmp.dir, 'tron.json');
    await writeFile(file, JSON.stringify(datasetOf(sc), null, 1));
  });
  afterAll(async () => {
    await server.close();
    await tmp.done();
  });

  const cases: [string, string[]][] = [
    ['USDT forward, haircut', [txid('seed'), '--asset', 'USDT', '--hops', '4']],
    ['USDT forward, fifo', [txid('seed'), '--asset', 'USDT', '--hops', '4', '--model', 'fifo']],
    ['USDT forward, poison', [txid('seed'), '--asset', 'USDT', '--hops', '4', '--model', 'poison']],
    [
      'USDT backward from the exchange, fifo',
      [A.exchange, '--asset', 'USDT', '--direction', 'backward', '--hops', '3', '--model', 'fifo'],
    ],
    ['TRX forward with fees and a failed call', [txid('trx-in'), '--asset', 'TRX', '--hops', '3']],
  ];
  for (const [name, args] of cases) {
    it(`${name}: byte-identical JSON apart from query.sources`, async () => {
      const local = await cli(['trace', ...args, '--source', file, '--format', 'json'], FAST);
      expect(local.status, local.stderr).toBe(0);
      server.reset();
      const remote = await cli(
        ['trace', ...args, '--source', `trongrid:${server.url}`, '--no-cache', '--format', 'json'],
        FAST,
      );
      expect(remote.status, remote.stderr).toBe(0);
      expect(server.requests.length).toBeGreaterThan(0);
      expect(comparable(remote.stdout)).toBe(comparable(local.stdout));
    });
  }
});
