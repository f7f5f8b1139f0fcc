// Issue 14 end to end: the two-chain devnet scenario (src/devnet/bridge-scenario.ts) traced across
// both real anvil nodes through rpc:, and offline from the two exported datasets (with their event
// logs): byte-identical JSON apart from the source names. The figures are the scenario's own
// (BRIDGE_AMOUNTS), checked in bridge-figures.test.ts against the chain itself:
//   10000 USDT stolen; 2000 swapped on the V2 pair for swapOut ETH, 0.5 ETH of it wrapped; 3000
//   bridged by the CCTP-like contracts (nonce 0) and 4000 by the Across-like SpokePool (3992
//   delivered); on chain B both recipients pay the exchange deposit address: 6992 USDT; 1000 USDT
//   stay with the thief. The look-alike's fake CCTP delivery to a decoy is not followed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_ACTORS, BRIDGE_AMOUNTS } from '../../src/devnet/bridge-scenario.js';
import { type BridgeDevnet, startBridgeDevnet } from '../../src/devnet/bridges.js';
import { datasetJson } from '../../src/devnet/export.js';
import { cli } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';

interface Amount {
  value: string;
}
interface Doc {
  query: { sources: string[]; assets: { key: string; symbol: string; chain?: string }[] };
  conversions: { via: string; from: { tainted: Amount }; to: { tainted: Amount } }[];
  bridges: { protocol: string; key: string; to: { recipient: string; tainted: Amount } }[];
  summary: {
    perAsset: {
      asset: { symbol: string; chain?: string };
      traced: Amount;
      conserved: boolean;
      terminals: Record<string, Amount>;
      exits: { address: string; tainted: Amount }[];
    }[];
  };
  graph: { nodes: { key: string }[] };
  warnings: string[];
}
const v = (a: Amount | undefined) => BigInt(a?.value ?? '0');

let dn: BridgeDevnet;
let files: { registry: string; labels: string; datasetA: string; datasetB: string };
beforeAll(async () => {
  dn = await startBridgeDevnet();
  const ds = await dn.exportDatasets();
  const dir = tmp('fundtrace-bridges-trace-');
  files = {
    registry: join(dir, 'registry.json'),
    labels: join(dir, 'labels.json'),
    datasetA: join(dir, 'anvil.json'),
    datasetB: join(dir, 'anvil-b.json'),
  };
  writeFileSync(files.registry, JSON.stringify(dn.registry));
  writeFileSync(files.labels, JSON.stringify(dn.labels));
  writeFileSync(files.datasetA, datasetJson(ds.a));
  writeFileSync(files.datasetB, datasetJson(ds.b));
}, 120_000);
afterAll(async () => {
  await dn?.stop();
});

async function run(sources: string[], extra: string[] = []): Promise<{ doc: Doc; stdout: string }> {
  const args = ['trace', dn.seed, '--chain', 'anvil', ...sources.flatMap((s) => ['--source', s])];
  const r = await cli(
    [
      ...args,
      '--registry',
      files.registry,
      '--labels',
      files.labels,
      '--asset',
      'USDT',
      '--hops',
      '6',
      '--format',
      'json',
      ...extra,
    ],
    { FUNDTRACE_CACHE_DIR: tmp('fundtrace-bridges-cache-') },
  );
  expect(r.status, r.stderr).toBe(0);
  return { doc: JSON.parse(r.stdout) as Doc, stdout: r.stdout };
}

describe('the two-chain devnet scenario, traced end to end', () => {
  it('through rpc: on both nodes: swap, wrap, both bridges, the exchange on chain B', async () => {
    const { doc } = await run([`anvil=rpc:${dn.a.url}`, `anvil-b=rpc:${dn.b.url}`]);
    expect(doc.query.assets.map((a) => `${a.symbol}@${a.chain}`)).toEqual([
      'USDT@anvil',
      'ETH@anvil',
      'WETH@anvil',
      'USDT@anvil-b',
    ]);
    expect(doc.conversions.map((c) => [c.via, v(c.from.tainted), v(c.to.tainted)])).toEqual([
      ['swap', BRIDGE_AMOUNTS.swapIn, BRIDGE_AMOUNTS.swapOut],
      ['wrap', BRIDGE_AMOUNTS.wrap, BRIDGE_AMOUNTS.wrap],
    ]);
    expect(doc.bridges.map((b) => [b.key, b.to.recipient, v(b.to.tainted)]).sort()).toEqual(
      [
        ['across:31337:0', BRIDGE_ACTORS.acrossRecipient, BRIDGE_AMOUNTS.acrossOut],
        ['cctp:90:0', BRIDGE_ACTORS.cctpRecipient, BRIDGE_AMOUNTS.cctp],
      ].sort(),
    );
    const [usdtA, , , usdtB] = doc.summary.perAsset;
    expect(v(usdtA!.traced)).toBe(BRIDGE_AMOUNTS.stolen);
    expect(v(usdtA!.terminals.converted)).toBe(BRIDGE_AMOUNTS.swapIn);
    expect(v(usdtA!.terminals.bridged)).toBe(BRIDGE_AMOUNTS.cctp + BRIDGE_AMOUNTS.acrossIn);
    expect(v(usdtA!.terminals.held)).toBe(1_000_000_000n);
    expect(v(usdtB!.traced)).toBe(BRIDGE_AMOUNTS.cctp + BRIDGE_AMOUNTS.acrossOut);
    // One exit per path (the CCTP recipient's payment and the Across recipient's), both at the deposit address.
    expect(new Set(usdtB!.exits.map((x) => x.address))).toEqual(new Set([BRIDGE_ACTORS.exchangeDeposit]));
    expect(usdtB!.exits.reduce((a, x) => a + v(x.tainted), 0n)).toBe(
      BRIDGE_AMOUNTS.cctp + BRIDGE_AMOUNTS.acrossOut,
    );
    for (const p of doc.summary.perAsset)
      expect(p.conserved, `${p.asset.symbol}@${p.asset.chain}`).toBe(true);
    // The look-alike's fake delivery: its decoy is nowhere in the graph.
    expect(doc.graph.nodes.some((n) => n.key.endsWith(BRIDGE_ACTORS.decoy))).toBe(false);
  });

  it('offline from the two exported datasets: the same JSON, byte for byte, apart from the source names', async () => {
    const live = await run([`anvil=rpc:${dn.a.url}`, `anvil-b=rpc:${dn.b.url}`]);
    const off = await run([`anvil=${files.datasetA}`, `anvil-b=${files.datasetB}`]);
    // The source names are the only difference: each replaced by its chain's name, the rest byte for byte.
    const liveText = live.stdout
      .replaceAll(`rpc:${dn.a.url}`, 'SOURCE-A')
      .replaceAll(`rpc:${dn.b.url}`, 'SOURCE-B');
    const offText = off.stdout.replaceAll(files.datasetA, 'SOURCE-A').replaceAll(files.datasetB, 'SOURCE-B');
    expect(offText).toBe(liveText);
    expect(off.doc.query.sources).not.toEqual(live.doc.query.sources);
  });
});
