// The 23 real transaction receipts of ../shared/data/bridge-swap-abis (CCTP, Across, Hop, Uniswap
// V2/V3, WETH on Ethereum, Arbitrum, Optimism, Polygon and Base) served by a loopback JSON-RPC node
// that replays their recorded bodies byte for byte: `rpc:` turns every log into a TxLog (index,
// EIP-55 emitter, lowercase topics and data, checked here against the raw body), and the same logs
// written as a dataset load, validate and answer txLogs identically. The node's identity answers
// and block timestamps are synthetic (the recordings hold none); everything in a log is real.
// Read from ../shared at run time, never copied; skipped when absent.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { getAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { openAnySource } from '../../src/app/sources.js';
import { findChain } from '../../src/core/chains.js';
import type { AccountView } from '../../src/core/view.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { writeJson } from '../dataset/helpers.js';
import { SHARED } from '../helpers.js';

const ROOT = join(SHARED, 'data', 'bridge-swap-abis');
let index: { files: string[]; chain: string; tx_hash: string }[] = [];
try {
  index = JSON.parse(readFileSync(join(ROOT, 'receipts', 'index.json'), 'utf8'));
} catch {
  index = [];
}

interface RawLog {
  address: string;
  topics: string[];
  data: string;
  logIndex: string;
  removed?: boolean;
}

/** A JSON-RPC node holding recorded tx and receipt bodies (the `result` of each, verbatim). */
async function replayNode(chainId: number, bodies: Map<string, { tx: string; receipt: string }>) {
  let maxBlock = 0;
  for (const b of bodies.values())
    maxBlock = Math.max(maxBlock, Number(JSON.parse(b.receipt).result.blockNumber));
  const head = maxBlock + 100;
  const block = (n: number) => ({
    number: `0x${n.toString(16)}`,
    hash: `0x${n.toString(16).padStart(64, 'c')}`,
    timestamp: `0x${(1_600_000_000 + n).toString(16)}`,
  });
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => {
      text += d.toString();
    });
    req.on('end', () => {
      const m = JSON.parse(text) as { id: unknown; method: string; params: unknown[] };
      const reply = (body: string) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      };
      const result = (r: unknown) => reply(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: r }));
      // The recorded body as it was, with this request's id.
      const recorded = (body: string) => reply(body.replace(/"id":\s*\d+/, `"id":${JSON.stringify(m.id)}`));
      switch (m.method) {
        case 'eth_chainId':
          return result(`0x${chainId.toString(16)}`);
        case 'eth_blockNumber':
          return result(`0x${head.toString(16)}`);
        case 'eth_getBlockByNumber':
          return result(block(Number(m.params[0])));
        case 'eth_getTransactionByHash':
        case 'eth_getTransactionReceipt': {
          const b = bodies.get(String(m.params[0]).toLowerCase());
          if (!b) return result(null);
          return recorded(m.method === 'eth_getTransactionByHash' ? b.tx : b.receipt);
        }
        default:
          return reply(
            JSON.stringify({
              jsonrpc: '2.0',
              id: m.id,
              error: { code: -32601, message: 'Method not found' },
            }),
          );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const byChain = new Map<string, typeof index>();
for (const e of index) byChain.set(e.chain, [...(byChain.get(e.chain) ?? []), e]);

describe.skipIf(index.length === 0)('real receipts (bridge-swap-abis) → rpc: txLogs → dataset', () => {
  it('there are the 23 receipts the issue names', () => {
    expect(index.length).toBe(23);
  });

  for (const [chainName, entries] of byChain) {
    it(`${chainName}: ${entries.length} receipts, every log as a TxLog; the same logs from a dataset`, async () => {
      const chain = findChain(chainName)!;
      expect(chain?.chainId).toBeDefined();
      const bodies = new Map<string, { tx: string; receipt: string }>();
      for (const e of entries) {
        const read = (suffix: string) =>
          readFileSync(join(ROOT, e.files.find((f) => f.endsWith(suffix))!), 'utf8');
        bodies.set(e.tx_hash.toLowerCase(), { tx: read('.tx.json'), receipt: read('.receipt.json') });
      }
      const node = await replayNode(chain.chainId!, bodies);
      try {
        const src = await openAnySource(`rpc:${node.url}`, { cacheMode: 'noCache', env: {} });
        const view = src.view as AccountView & { fetchMissing(m: object): Promise<void> };
        for (const h of bodies.keys()) expect(view.txLogs!(h).status).toBe('missing');
        await view.fetchMissing({ addresses: [], txs: [], outspends: [] });
        const all = [];
        for (const [h, b] of bodies) {
          const got = view.txLogs!(h);
          if (got.status !== 'ok') throw new Error(`no logs for ${h}`);
          const raw = (JSON.parse(b.receipt).result.logs as RawLog[]).filter((l) => !l.removed);
          expect(got.value.map((l) => l.index)).toEqual(
            raw.map((l) => Number(l.logIndex)).sort((x, y) => x - y),
          );
          for (const l of got.value) {
            const r = raw.find((x) => Number(x.logIndex) === l.index)!;
            expect(l.address).toBe(getAddress(r.address));
            expect(l.topics).toEqual(r.topics.map((t) => t.toLowerCase()));
            expect(l.data).toBe(r.data.toLowerCase());
            expect(l.tx).toBe(h);
          }
          all.push(...got.value);
        }
        expect(all.length).toBeGreaterThan(0);
        const ds = await loadDataset(
          writeJson({ format: 'fundtrace-dataset/1', chain: chain.name, logs: all }),
        );
        const fromFile = buildDatasetView(ds) as AccountView;
        for (const h of bodies.keys())
          expect(JSON.stringify(fromFile.txLogs!(h))).toBe(JSON.stringify(view.txLogs!(h)));
      } finally {
        await node.close();
      }
    });
  }
});
