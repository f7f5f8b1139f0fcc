// Event logs through `--source rpc:` on a real anvil playing the devnet scenario: txLogs answers
// from the receipts, byte-identical to the dataset the devnet exports and to its index; cached
// (an immediate re-run reads no receipt, --offline after the node is gone still answers).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnySource } from '../../src/app/sources.js';
import type { AccountView } from '../../src/core/view.js';
import { DEVNET_TOKENS, datasetJson } from '../../src/devnet/index.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { TRANSFER_TOPIC } from '../../src/sources/evm/abi.js';
import { buildIndex } from '../../src/sources/index/build.js';
import { openIndexSource } from '../../src/sources/index/open.js';
import type { IndexAccountView } from '../../src/sources/index/view.js';
import type { RpcAccountView } from '../../src/sources/rpc/view.js';
import { cli } from '../helpers.js';
import { type RpcProxy, startProxy, tmp, useDevnet, withoutSources } from './helpers.js';

const devnet = useDevnet();
const NONE = { addresses: [], txs: [], outspends: [] };
let dir: string;
let datasetFile: string;
let fromFile: AccountView;
let proxy: RpcProxy;

beforeAll(async () => {
  dir = tmp();
  datasetFile = join(dir, 'devnet.json');
  writeFileSync(datasetFile, datasetJson(await devnet.current.exportDataset()));
  fromFile = buildDatasetView(await loadDataset(datasetFile)) as AccountView;
  proxy = await startProxy(devnet.current.url);
});
afterAll(async () => {
  await proxy?.close();
});

const hashes = () => [...devnet.current.played.map((p) => p.hash), `0x${'ab'.repeat(32)}`];

async function rpcView(url: string, cacheMode: 'normal' | 'offline' | 'noCache', cacheDir: string) {
  const src = await openAnySource(`rpc:${url}`, { cacheMode, cacheDir, env: {} });
  return src.view as RpcAccountView;
}

describe('rpc: txLogs', () => {
  it('missing until fetched, then every receipt log; equal, byte for byte, to the exported dataset and its index', async () => {
    const view = await rpcView(devnet.current.url, 'noCache', tmp());
    const all = hashes();
    for (const h of all) expect(view.txLogs!(h)).toEqual({ status: 'missing' });
    // The engine may name nothing but these txs' logs: fetchMissing loads what was asked for.
    await view.fetchMissing(NONE);
    const db = join(dir, 'devnet.ftindex');
    await buildIndex(datasetFile, db);
    const index = (await openIndexSource(db, `index:${db}`)).view as IndexAccountView;
    for (const h of all) index.txLogs!(h);
    await index.fetchMissing(NONE);
    let total = 0;
    for (const h of all) {
      const a = view.txLogs!(h);
      expect(a.status).toBe('ok');
      expect(JSON.stringify(a), h).toBe(JSON.stringify(fromFile.txLogs!(h)));
      expect(JSON.stringify(index.txLogs!(h)), h).toBe(JSON.stringify(a));
      if (a.status === 'ok') total += a.value.length;
    }
    expect(total).toBeGreaterThan(0);
    // The scenario's token moves are ERC-20 Transfer events of the USDF contract, in index order,
    // and each one is the log a token transfer record of the same tx points at.
    const usdf = DEVNET_TOKENS.USDF!.contract!;
    const seed = view.txLogs!(devnet.current.seeds.usdf);
    expect(seed.status === 'ok' && seed.value.length).toBeGreaterThan(0);
    if (seed.status === 'ok') {
      expect(seed.value[0]).toMatchObject({
        address: usdf,
        topics: [TRANSFER_TOPIC, expect.any(String), expect.any(String)],
      });
      const idx = seed.value.map((l) => l.index);
      expect(idx).toEqual([...idx].sort((a, b) => a - b));
    }
  });

  it('a reverted transaction has no logs', async () => {
    const reverted = devnet.current.played.find((p) => p.step.expect === 'revert');
    expect(reverted).toBeDefined();
    const view = await rpcView(devnet.current.url, 'noCache', tmp());
    view.txLogs!(reverted!.hash);
    await view.fetchMissing(NONE);
    expect(view.txLogs!(reverted!.hash)).toEqual({ status: 'ok', value: [] });
  });

  it('cached: a re-run reads no receipt, and --offline answers after the node is gone', async () => {
    const cacheDir = tmp();
    const h = devnet.current.seeds.usdf;
    const first = await rpcView(proxy.url, 'normal', cacheDir);
    first.txLogs(h);
    await first.fetchMissing(NONE);
    expect(proxy.counts.get('eth_getTransactionReceipt') ?? 0).toBeGreaterThan(0);
    proxy.reset();
    const again = await rpcView(proxy.url, 'normal', cacheDir);
    expect(again.txLogs(h)).toEqual({ status: 'missing' });
    await again.fetchMissing(NONE);
    expect(proxy.counts.get('eth_getTransactionReceipt') ?? 0).toBe(0);
    expect(proxy.counts.get('eth_getTransactionByHash') ?? 0).toBe(0);
    expect(again.txLogs(h)).toEqual(first.txLogs(h));
    await proxy.close();
    const offline = await rpcView(proxy.url, 'offline', cacheDir);
    offline.txLogs(h);
    await offline.fetchMissing(NONE);
    expect(offline.txLogs(h)).toEqual(first.txLogs(h));
    // A tx the cache never saw cannot be answered offline: a clear error, not an empty list.
    offline.txLogs(devnet.current.seeds.eth);
    await expect(offline.fetchMissing(NONE)).rejects.toThrow(/offline/i);
  });

  it('traces of the scenario print the same JSON through rpc:, the exported dataset (with its logs) and its index', async () => {
    const db = join(dir, 'devnet-traces.ftindex');
    await buildIndex(datasetFile, db);
    for (const args of [
      [devnet.current.seeds.usdf, '--asset', 'USDF', '--hops', '5'],
      [devnet.current.seeds.eth, '--hops', '5', '--model', 'fifo'],
    ]) {
      const run = (source: string) =>
        cli(['trace', ...args, '--source', source, '--format', 'json', '--cache-dir', tmp()]);
      const [a, b, c] = [
        await run(`rpc:${devnet.current.url}`),
        await run(datasetFile),
        await run(`index:${db}`),
      ];
      for (const r of [a, b, c]) expect(r.status, r.stderr).toBe(0);
      expect(withoutSources(b.stdout)).toBe(withoutSources(a.stdout));
      expect(withoutSources(c.stdout)).toBe(withoutSources(a.stdout));
    }
  });
});
