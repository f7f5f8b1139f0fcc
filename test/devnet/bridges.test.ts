// `fundtrace devnet --bridges`: two real anvil nodes, the swap/wrap/bridge scenario, the files it
// writes (labels, protocol registry, both chains as datasets with event logs), the printed trace
// commands, determinism, and stopping both nodes. The hand-checked figures are in
// bridge-figures.test.ts; tracing across the two chains needs the engine's bridge legs (issue 14).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil } from '../../src/devnet/anvil.js';
import { A, B, LOOKALIKE } from '../../src/devnet/bridge-deployment.js';
import { BRIDGE_ACTORS, playSteps } from '../../src/devnet/bridge-scenario.js';
import { type BridgeDevnet, startBridgeDevnet } from '../../src/devnet/bridges.js';
import { DevnetChain, type RawReceipt } from '../../src/devnet/chain.js';
import { type DatasetJson, datasetJson } from '../../src/devnet/export.js';
import { loadLabelFile } from '../../src/labels/index.js';
import { cli } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';

const reachable = async (url: string) =>
  fetch(url, { method: 'POST', body: '{}' }).then(
    () => true,
    () => false,
  );

let dn: BridgeDevnet;
let ds: { a: DatasetJson; b: DatasetJson };
beforeAll(async () => {
  dn = await startBridgeDevnet();
  ds = await dn.exportDatasets();
});
afterAll(async () => {
  await dn?.stop();
});

describe('fundtrace devnet --bridges', () => {
  it('starts two nodes, writes labels, registry and both datasets, prints the trace commands, and stops with --exit', async () => {
    const dir = tmp('fundtrace-devnet-bridges-');
    const r = await cli(['devnet', '--bridges', '--exit', '--dir', dir]);
    expect(r.status, r.stderr).toBe(0);
    const files = {
      labels: join(dir, 'labels.json'),
      registry: join(dir, 'registry.json'),
      a: join(dir, 'anvil.json'),
      b: join(dir, 'anvil-b.json'),
    };
    const live = new RegExp(
      `npx fundtrace trace (0x[0-9a-f]{64}) --chain anvil --source anvil=rpc:(http://127\\.0\\.0\\.1:\\d+) --source anvil-b=rpc:(http://127\\.0\\.0\\.1:\\d+) --registry ${files.registry} --asset USDT --hops 6 --labels ${files.labels}\\n`,
    ).exec(r.stdout);
    expect(live, r.stdout).not.toBeNull();
    const [, seed, urlA, urlB] = live!;
    expect(urlA).not.toBe(urlB);
    expect(seed).toBe(dn.seed); // the same chain every time
    expect(r.stdout).toContain(
      `npx fundtrace trace ${seed} --chain anvil --source anvil=${files.a} --source anvil-b=${files.b} --registry ${files.registry} --asset USDT --hops 6\n`,
    );
    expect(r.stdout).toContain(
      '10000 USDT stolen on chain A: 2000 swapped to 0.995015938219190933 ETH (0.5 of it wrapped to WETH),\n' +
        '3000 bridged by CCTP (nonce 0) and 4000 by Across (deposit 0, 3992 delivered) to chain B,\n' +
        'where 6992 USDT reach the exchange deposit address; 1000 USDT stay with the thief.\n',
    );
    expect(await reachable(urlA!)).toBe(false);
    expect(await reachable(urlB!)).toBe(false);

    const labels = await loadLabelFile(files.labels);
    expect(labels.entries.map((l) => [l.chain, l.address, l.category])).toEqual([
      ['anvil', BRIDGE_ACTORS.victim, 'individual'],
      ['anvil-b', BRIDGE_ACTORS.exchangeDeposit, 'exchange'],
    ]);
    expect(JSON.parse(readFileSync(files.registry, 'utf8'))).toEqual(dn.registry);
    // The written datasets are the library's export, byte for byte.
    expect(readFileSync(files.a, 'utf8')).toBe(datasetJson(ds.a));
    expect(readFileSync(files.b, 'utf8')).toBe(datasetJson(ds.b));
  });

  it('refuses --export with --bridges (both datasets go to --dir)', async () => {
    const r = await cli(['devnet', '--bridges', '--exit', '--dir', tmp(), '--export', join(tmp(), 'x.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--export is for the single-chain scenario');
  });
});

describe('the two-chain registry', () => {
  it('names every devnet protocol contract, each with code on its chain, and not the look-alike', async () => {
    const reg = dn.registry;
    // The shape of the project's registry files (src/core/events/registry.ts: RegistryFile).
    expect(Object.keys(reg)).toEqual(['chains', 'contracts']);
    const SOURCE = 'fundtrace devnet --bridges (src/devnet/bridge-deployment.ts)';
    expect(reg.chains).toEqual({
      anvil: { chainId: '31337', cctpDomain: 90, source: SOURCE },
      'anvil-b': { chainId: '31338', cctpDomain: 91, source: SOURCE },
    });
    expect(reg.contracts.map((c) => [c.chain, c.address, c.protocol, c.role])).toEqual([
      ['anvil', A.weth, 'weth', 'wrapped-native'],
      ['anvil', A.pair, 'uniswap-v2', 'pool'],
      ['anvil', A.router, 'uniswap-v2', 'router'],
      ['anvil', A.messenger, 'devbridge', 'token-messenger'],
      ['anvil', A.transmitter, 'devbridge', 'message-transmitter'],
      ['anvil', A.spokePool, 'devbridge', 'spoke-pool'],
      ['anvil-b', B.messenger, 'devbridge', 'token-messenger'],
      ['anvil-b', B.transmitter, 'devbridge', 'message-transmitter'],
      ['anvil-b', B.spokePool, 'devbridge', 'spoke-pool'],
    ]);
    for (const c of reg.contracts) {
      expect(Object.keys(c).sort()).toEqual(['address', 'chain', 'name', 'protocol', 'role', 'source']);
      expect(getAddress(c.address)).toBe(c.address);
      expect(c.name.length).toBeGreaterThan(0);
      const node = c.chain === 'anvil' ? dn.a : dn.b;
      expect(await node.anvil.rpc<string>('eth_getCode', [c.address, 'latest']), c.name).not.toBe('0x');
    }
    // The look-alike is deployed (it emitted the spoofed events) but not registered.
    expect(await dn.b.anvil.rpc<string>('eth_getCode', [LOOKALIKE, 'latest'])).not.toBe('0x');
    expect(reg.contracts.some((c) => c.address === LOOKALIKE)).toBe(false);
  });
});

// The registry parser (src/core/events/registry.ts, issue 14) reads the file once it is in this
// tree; until then this check is skipped.
const registryModule = (await import(['..', '..', 'src', 'core', 'events', 'registry.js'].join('/')).catch(
  () => undefined,
)) as
  | {
      parseRegistryFile(
        raw: unknown,
        where: string,
      ): { entries: unknown[]; chains: unknown[]; errors: string[] };
      buildRegistry(
        entries: unknown[],
        chains: unknown[],
      ): {
        at(chain: string, address: string): { protocol: string; role: string } | undefined;
        chainOfCctpDomain(d: number): string | null;
        chainOfId(id: string): string | null;
      };
    }
  | undefined;

describe('the two-chain registry read by the project’s registry parser', () => {
  it.skipIf(registryModule === undefined)('parses without a fault and answers the devnet’s ids', () => {
    const m = registryModule!;
    const p = m.parseRegistryFile(JSON.parse(JSON.stringify(dn.registry)), 'registry.json');
    expect(p.errors).toEqual([]);
    const reg = m.buildRegistry(p.entries, p.chains);
    expect(reg.at('anvil', A.messenger)).toMatchObject({ protocol: 'devbridge', role: 'token-messenger' });
    expect(reg.at('anvil-b', B.spokePool)).toMatchObject({ protocol: 'devbridge', role: 'spoke-pool' });
    expect(reg.at('anvil-b', LOOKALIKE)).toBeUndefined();
    expect(reg.chainOfCctpDomain(91)).toBe('anvil-b');
    expect(reg.chainOfId('31337')).toBe('anvil');
  });
});

// The decoders and the linker (src/core/events, issue 14) read the exported logs once they are in
// this tree: the two real legs link by their protocol ids, the look-alike's events are problems.
const load = (f: string) => import(['..', '..', 'src', 'core', 'events', f].join('/')).catch(() => undefined);
const decodeModule = (await load('decode.js')) as
  | {
      decodeTxLogs(
        chain: string,
        logs: unknown[],
        registry: unknown,
      ): { events: Ev[]; problems: { ref: { address: string }; message: string }[] };
    }
  | undefined;
const linkModule = (await load('link.js')) as
  | {
      linkBridges(
        outs: Ev[],
        ins: Ev[],
      ): { links: { out: Ev; in: Ev }[]; unmatchedOuts: Ev[]; unmatchedIns: Ev[]; problems: unknown[] };
    }
  | undefined;
type Ev = {
  kind: string;
  key?: string | null;
  amount?: bigint;
  value?: bigint;
  recipient?: string | null;
  account?: string;
  pool?: string;
  ref: { address: string };
};

describe('the exported logs read by the project’s event decoders', () => {
  it.skipIf(!registryModule || !decodeModule || !linkModule)(
    'decode the swap, the wrapping and both bridges, link the real legs and refuse the spoof',
    () => {
      const p = registryModule!.parseRegistryFile(JSON.parse(JSON.stringify(dn.registry)), 'registry.json');
      const reg = registryModule!.buildRegistry(p.entries, p.chains);
      const events: [string, Ev][] = [];
      const problems: [string, string, string][] = [];
      for (const doc of [ds.a, ds.b]) {
        const txs = [...new Set((doc.logs ?? []).map((l) => l.tx))];
        for (const tx of txs) {
          const r = decodeModule!.decodeTxLogs(
            doc.chain,
            (doc.logs ?? []).filter((l) => l.tx === tx),
            reg,
          );
          for (const e of r.events) events.push([doc.chain, e]);
          for (const q of r.problems) problems.push([doc.chain, q.ref.address, q.message]);
        }
      }
      const X = BRIDGE_ACTORS;
      const of = (kind: string) => events.filter(([, e]) => e.kind === kind);
      expect(of('swap').map(([c, e]) => [c, e.pool])).toEqual([['anvil', A.pair]]);
      expect(of('unwrap').map(([c, e]) => [c, e.account, e.value])).toEqual([
        ['anvil', A.router, 995015938219190933n],
      ]);
      expect(of('wrap').map(([, e]) => [e.account, e.value])).toEqual([
        [X.lp, 500n * 10n ** 18n],
        [X.thief, 5n * 10n ** 17n],
      ]);
      const outs = of('bridge-out').map(([, e]) => e);
      const ins = of('bridge-in').map(([, e]) => e);
      expect(outs.map((e) => [e.key, e.amount, e.recipient])).toEqual([
        ['cctp:90:0', 3_000_000_000n, X.cctpRecipient],
        ['across:31337:0', 4_000_000_000n, X.acrossRecipient],
      ]);
      const l = linkModule!.linkBridges(outs, ins);
      expect(l.links.map((k) => [k.out.key, k.in.amount, k.in.recipient]).sort()).toEqual([
        ['across:31337:0', 3_992_000_000n, X.acrossRecipient],
        ['cctp:90:0', 3_000_000_000n, X.cctpRecipient],
      ]);
      expect([l.unmatchedOuts.length, l.unmatchedIns.length, l.problems.length]).toEqual([0, 0, 0]);
      // The look-alike's two events are problems naming it, never a bridge leg.
      expect(problems.map(([c, a]) => [c, a])).toEqual([
        ['anvil-b', LOOKALIKE],
        ['anvil-b', LOOKALIKE],
      ]);
      for (const [, , m] of problems) expect(m).toContain('not linked');
    },
  );
});

describe('the two-chain datasets', () => {
  it('hold every event log of the played transactions, exactly as the receipts give them', async () => {
    for (const [node, doc] of [
      [dn.a, ds.a],
      [dn.b, ds.b],
    ] as const) {
      const expected = [];
      for (const p of node.played) {
        const r = await node.anvil.rpc<RawReceipt>('eth_getTransactionReceipt', [p.hash]);
        for (const l of r.logs)
          expected.push({
            tx: p.hash,
            index: Number(BigInt(l.logIndex)),
            height: Number(BigInt(r.blockNumber)),
            position: Number(BigInt(r.transactionIndex)),
            address: getAddress(l.address),
            topics: l.topics,
            data: l.data,
          });
      }
      expect(doc.logs?.map(({ time: _t, ...rest }) => rest)).toEqual(expected);
      // a log's time is its block's, the same as the transfers of its transaction
      for (const l of doc.logs ?? []) {
        const t = doc.transfers.find((x) => x.tx === l.tx);
        if (t) expect(l.time).toBe(t.time);
      }
    }
    // The swap, the wrap and the four bridge legs are all there (spot checks by topic0).
    const count = (doc: DatasetJson, topic: string) => doc.logs!.filter((l) => l.topics[0] === topic).length;
    expect(count(ds.a, '0xd78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822')).toBe(1); // Swap
    expect(count(ds.a, '0xe1fffcc4923d04b559f4d29a8bfc6cda04eb5b0d3c460751c2402c5c5cc9109c')).toBe(2); // Deposit (LP, thief)
    expect(count(ds.a, '0x2fa9ca894982930190727e75500a97d8dc500233a5065e0f3126c48fbe0343c0')).toBe(1); // DepositForBurn
    expect(count(ds.a, '0xa123dc29aebf7d0c3322c8eeb5b999e859f39937950ed31056532713d0de396f')).toBe(1); // V3FundsDeposited
    expect(count(ds.b, '0x571749edf1d5c9599318cdbc4e28a6475d65e87fd3b2ddbe1e9a8d5e7a0f0ff7')).toBe(1); // FilledV3Relay
    expect(count(ds.b, '0x1b2a7ff080b8cb6ff436ce0372e399692bbfb6d4ae5766fd8d58a7b8cc6142e6')).toBe(2); // MintAndWithdraw (real, spoof)
  });

  it('are valid datasets of chains anvil and anvil-b with the scenario’s token transfers', async () => {
    expect([ds.a.chain, ds.b.chain]).toEqual(['anvil', 'anvil-b']);
    expect(ds.a.assets).toEqual({
      USDT: { decimals: 6, contract: A.usdt },
      WETH: { decimals: 18, contract: A.weth },
    });
    expect(ds.b.assets).toEqual({ USDT: { decimals: 6, contract: B.usdt } });
    const dir = tmp();
    for (const doc of [ds.a, ds.b]) {
      // The `logs` extension is read once the dataset reader knows it (issue 14, dataset logs);
      // the rest of the document must be valid today.
      const { logs: _logs, ...rest } = doc;
      const file = join(dir, `${doc.chain}.json`);
      writeFileSync(file, JSON.stringify(rest));
      const v = await cli(['dataset', 'validate', file]);
      expect(v.status, v.stdout + v.stderr).toBe(0);
    }
    const X = BRIDGE_ACTORS;
    const usdtOnB = ds.b.transfers.filter((t) => t.asset === 'USDT').map((t) => [t.from, t.to, t.value]);
    expect(usdtOnB).toEqual([
      ['0x0000000000000000000000000000000000000000', X.relayer, '50000000000'],
      [X.relayer, X.acrossRecipient, '3992000000'],
      ['0x0000000000000000000000000000000000000000', X.cctpRecipient, '3000000000'],
      [X.cctpRecipient, X.exchangeDeposit, '3000000000'],
      [X.acrossRecipient, X.exchangeDeposit, '3992000000'],
    ]);
    const swap = dn.a.played.find((p) => p.step.name === 'A: thief swaps 2 000 USDT for ETH')!.hash;
    expect(
      ds.a.transfers.filter((t) => t.tx === swap).map((t) => [t.kind, t.asset, t.from, t.to, t.value]),
    ).toEqual([
      ['internal', 'ETH', A.weth, A.router, '995015938219190933'],
      ['internal', 'ETH', A.router, X.thief, '995015938219190933'],
      ['token', 'USDT', X.thief, A.pair, '2000000000'],
      ['token', 'WETH', A.pair, A.router, '995015938219190933'],
    ]);
  });

  it('is deterministic: a second pair of nodes replays the same transactions and datasets', async () => {
    const other = await startBridgeDevnet();
    try {
      expect(other.seed).toBe(dn.seed);
      expect(other.a.url).not.toBe(dn.a.url);
      const o = await other.exportDatasets();
      expect(datasetJson(o.a)).toBe(datasetJson(ds.a));
      expect(datasetJson(o.b)).toBe(datasetJson(ds.b));
    } finally {
      await other.stop();
    }
  });
});

describe('playing a step that does not do what it says', () => {
  it('stops at that step, naming it', async () => {
    const anvil = await startAnvil(['--auto-impersonate', '--base-fee', '0']);
    try {
      const chain = new DevnetChain(anvil);
      // Creation code 0xfe (INVALID): the deployment fails, though the step does not expect it.
      const steps = [
        {
          name: 'a deployment that fails',
          tx: { from: BRIDGE_ACTORS.deployerA, data: '0xfe', gasPrice: 0n },
        },
      ];
      await expect(playSteps(chain, steps)).rejects.toThrow(
        /devnet step "a deployment that fails" failed, expected the opposite/,
      );
      // Declared as a revert, the same step plays.
      expect(await playSteps(chain, [{ ...steps[0]!, expect: 'revert' as const }])).toHaveLength(1);
    } finally {
      await anvil.stop();
    }
  });
});
