// The two-chain devnet as a library (`fundtrace devnet --bridges`): start two real anvil nodes on
// free loopback ports (chain A `anvil` 31337, chain B `anvil-b` 31338), play the swap/wrap/bridge
// scenario (./bridge-scenario.ts), and hand back what a trace needs: both URLs, the seed, the
// labels, the protocol registry of the devnet's contracts, and both chains as datasets with logs.
//
// The registry file (<dir>/registry.json) has the shape of the project's protocol registry
// (registry/contracts.json, src/core/events/registry.ts RegistryFile):
//   { "chains":    {"anvil": {chainId, cctpDomain, source}, "anvil-b": {…}},
//     "contracts": [{chain, address, protocol, role, name, source}, …] }
// The bridges are registered as protocol "devbridge" (the project's own contracts: they emit CCTP
// v1 / Across V3 events, but a trace must not call them Circle's or Across's), roles
// token-messenger / message-transmitter / spoke-pool; the wrapper as weth wrapped-native, the
// pair and router as uniswap-v2 pool / router. chainId (a decimal string) is also the Across
// chain id. The look-alike transmitter is deliberately absent.
//
// API:
//   startBridgeDevnet() → BridgeDevnet
//   BridgeDevnet: {a, b: {anvil, url, chain, played}, seed, labels, registry,
//                  exportDatasets() → {a, b}, traceCommands(files), stop()}
//   bridgeRegistry()                      the registry document

import type { Label } from '../core/model.js';
import { selfCommand } from '../meta/install.js';
import { type Anvil, startAnvil } from './anvil.js';
import { A, B, BRIDGE_TOKENS_A, BRIDGE_TOKENS_B, CHAIN_A, CHAIN_B } from './bridge-deployment.js';
import { BRIDGE_SEED, bridgeLabels, playBridgeScenario } from './bridge-scenario.js';
import { DevnetChain } from './chain.js';
import { type DatasetJson, exportDataset } from './export.js';
import { ANVIL_ARGS, BLOCK_INTERVAL } from './index.js';
import type { PlayedTx } from './scenario.js';

export interface RegistryContract {
  chain: string;
  address: string;
  protocol: string;
  role: string;
  name: string;
  source: string;
}

export interface RegistryChainIds {
  /** EVM chain id, decimal (Across names chains by it). */
  chainId: string;
  cctpDomain: number;
  source: string;
}

export interface RegistryDocument {
  chains: Record<string, RegistryChainIds>;
  contracts: RegistryContract[];
}

const SOURCE = 'fundtrace devnet --bridges (src/devnet/bridge-deployment.ts)';

export function bridgeRegistry(): RegistryDocument {
  const c = (
    chain: string,
    address: string,
    protocol: string,
    role: string,
    name: string,
  ): RegistryContract => ({
    chain,
    address,
    protocol,
    role,
    name,
    source: SOURCE,
  });
  const a = CHAIN_A.name;
  const b = CHAIN_B.name;
  return {
    chains: {
      [a]: { chainId: String(CHAIN_A.chainId), cctpDomain: CHAIN_A.cctpDomain, source: SOURCE },
      [b]: { chainId: String(CHAIN_B.chainId), cctpDomain: CHAIN_B.cctpDomain, source: SOURCE },
    },
    contracts: [
      c(a, A.weth, 'weth', 'wrapped-native', 'Devnet WETH'),
      c(a, A.pair, 'uniswap-v2', 'pool', 'Devnet USDT/WETH pair'),
      c(a, A.router, 'uniswap-v2', 'router', 'Devnet router'),
      c(a, A.messenger, 'devbridge', 'token-messenger', 'Devnet CCTP-like TokenMessenger'),
      c(a, A.transmitter, 'devbridge', 'message-transmitter', 'Devnet CCTP-like MessageTransmitter'),
      c(a, A.spokePool, 'devbridge', 'spoke-pool', 'Devnet Across-like SpokePool'),
      c(b, B.messenger, 'devbridge', 'token-messenger', 'Devnet CCTP-like TokenMessenger'),
      c(b, B.transmitter, 'devbridge', 'message-transmitter', 'Devnet CCTP-like MessageTransmitter'),
      c(b, B.spokePool, 'devbridge', 'spoke-pool', 'Devnet Across-like SpokePool'),
    ],
  };
}

export interface BridgeNode {
  anvil: Anvil;
  url: string;
  chain: DevnetChain;
  played: PlayedTx[];
}

export interface BridgeDevnet {
  a: BridgeNode;
  b: BridgeNode;
  /** The theft transaction on chain A. */
  seed: string;
  labels: Label[];
  registry: RegistryDocument;
  exportDatasets(): Promise<{ a: DatasetJson; b: DatasetJson }>;
  /** The trace commands: live over both nodes, and offline from the two exported datasets. */
  traceCommands(files: { registry: string; labels: string; datasetA: string; datasetB: string }): {
    rpc: string;
    offline: string;
  };
  stop(): Promise<void>;
}

/** anvil arguments for a devnet chain id (the drainer devnet's, with this chain id). */
function argsFor(chainId: number): string[] {
  const args = [...ANVIL_ARGS];
  args[args.indexOf('--chain-id') + 1] = String(chainId);
  return args;
}

export async function startBridgeDevnet(): Promise<BridgeDevnet> {
  const nodes: Anvil[] = [];
  try {
    for (const id of [CHAIN_A.chainId, CHAIN_B.chainId]) {
      const anvil = await startAnvil(argsFor(id));
      nodes.push(anvil);
      await anvil.rpc('anvil_setBlockTimestampInterval', [BLOCK_INTERVAL]);
    }
    const [anvilA, anvilB] = nodes as [Anvil, Anvil];
    const chainA = new DevnetChain(anvilA);
    const chainB = new DevnetChain(anvilB);
    const played = await playBridgeScenario(chainA, chainB);
    const seed = played.a.find((p) => p.step.name === BRIDGE_SEED)!.hash;
    const labels = bridgeLabels();
    const on = (chain: string) => labels.filter((l) => l.chain === chain);
    const exportDatasets = async () => ({
      a: await exportDataset(anvilA, played.a, {
        chain: CHAIN_A.name,
        tokens: tokenTable(BRIDGE_TOKENS_A),
        logs: true,
        labels: on(CHAIN_A.name),
        name: 'fundtrace devnet --bridges: chain A (anvil)',
        description:
          'Chain A of the two-chain devnet: stolen USDT swapped to ETH on a V2-style pair, part wrapped to WETH, the rest bridged to chain B through CCTP-like and Across-like contracts. Event logs included.',
      }),
      b: await exportDataset(anvilB, played.b, {
        chain: CHAIN_B.name,
        tokens: tokenTable(BRIDGE_TOKENS_B),
        logs: true,
        labels: on(CHAIN_B.name),
        name: 'fundtrace devnet --bridges: chain B (anvil-b)',
        description:
          'Chain B of the two-chain devnet: the CCTP mint and the Across fill of the bridged USDT, a spoofed CCTP event from a look-alike contract, and the deposits at an exchange. Event logs included.',
      }),
    });
    return {
      a: { anvil: anvilA, url: anvilA.url, chain: chainA, played: played.a },
      b: { anvil: anvilB, url: anvilB.url, chain: chainB, played: played.b },
      seed,
      labels,
      registry: bridgeRegistry(),
      exportDatasets,
      traceCommands: (f) => {
        const tail = [`--registry ${f.registry}`, '--asset USDT', '--hops 6'];
        return {
          rpc: [
            `${selfCommand()} trace ${seed} --chain ${CHAIN_A.name}`,
            `--source ${CHAIN_A.name}=rpc:${anvilA.url}`,
            `--source ${CHAIN_B.name}=rpc:${anvilB.url}`,
            ...tail,
            `--labels ${f.labels}`,
          ].join(' '),
          offline: [
            `${selfCommand()} trace ${seed} --chain ${CHAIN_A.name}`,
            `--source ${CHAIN_A.name}=${f.datasetA}`,
            `--source ${CHAIN_B.name}=${f.datasetB}`,
            ...tail,
          ].join(' '),
        };
      },
      stop: async () => {
        await Promise.all(nodes.map((n) => n.stop()));
      },
    };
  } catch (e) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw e;
  }
}

function tokenTable(t: Readonly<Record<string, { contract?: string; decimals: number }>>) {
  return Object.fromEntries(
    Object.entries(t).map(([k, v]) => [k, { contract: v.contract!, decimals: v.decimals }]),
  );
}
