// `fundtrace devnet` as a library: start a real anvil on a free loopback port, deploy the
// project's contracts (contracts/*.sol, committed bytecode in ./artifacts.ts), play the drainer
// scenario (./scenario.ts), and hand back what a trace needs: the URL, the seed transactions, the
// labels, and the played activity as a dataset-v1 document (./export.ts).
//
// The chain is deterministic: fixed genesis time, 12 s between blocks, FIFO ordering, gas price 0
// base fee, impersonated senders at fixed addresses; the same devnet gives the same tx hashes.
//
// API:
//   startDevnet({play?, anvilArgs?}) → Devnet
//   Devnet: {anvil, url, port, chain (DevnetChain), played, seeds {eth, usdf}, labels,
//            exportDataset(opts?), traceCommand(seed, asset, labelsFile?), stop()}
//   GENESIS_TIME                          2024-06-01T00:00:00Z
import type { Label } from '../core/model.js';
import { selfCommand } from '../meta/install.js';
import { type Anvil, startAnvil } from './anvil.js';
import { DevnetChain } from './chain.js';
import { CONTRACTS, DEVNET_CHAIN_ID } from './deployment.js';
import { type DatasetJson, exportDataset } from './export.js';
import { devnetLabels, type PlayedTx, playScenario, SEEDS } from './scenario.js';

export const GENESIS_TIME = 1_717_200_000; // 2024-06-01T00:00:00Z
export const BLOCK_INTERVAL = 12;

export const ANVIL_ARGS = [
  '--chain-id',
  String(DEVNET_CHAIN_ID),
  '--timestamp',
  String(GENESIS_TIME),
  '--base-fee',
  '0',
  '--auto-impersonate',
  '--order',
  'fifo',
  '--accounts',
  '1',
];

export interface Devnet {
  anvil: Anvil;
  url: string;
  port: number;
  chain: DevnetChain;
  played: PlayedTx[];
  /** Seed transaction hashes (empty strings before play). */
  seeds: { eth: string; usdf: string };
  labels: Label[];
  /** The played activity as a dataset (with its event logs unless logs: false). */
  exportDataset(opts?: { labels?: boolean; logs?: boolean }): Promise<DatasetJson>;
  /** The `fundtrace trace …` command for a seed (`npx fundtrace` in a checkout). */
  traceCommand(which: 'eth' | 'usdf', labelsFile?: string): string;
  stop(): Promise<void>;
}

export interface DevnetOptions {
  /** Play the scenario (default true); false leaves a fresh, configured chain. */
  play?: boolean;
  anvilArgs?: string[];
}

export async function startDevnet(opts: DevnetOptions = {}): Promise<Devnet> {
  const anvil = await startAnvil([...ANVIL_ARGS, ...(opts.anvilArgs ?? [])]);
  try {
    await anvil.rpc('anvil_setBlockTimestampInterval', [BLOCK_INTERVAL]);
    const chain = new DevnetChain(anvil);
    const played = opts.play === false ? [] : await playScenario(chain);
    if (opts.play !== false) {
      for (const [name, address] of Object.entries(CONTRACTS)) {
        const code = await anvil.rpc<string>('eth_getCode', [address, 'latest']);
        if (code === '0x')
          throw new Error(`devnet: contract ${name} is not at its expected address ${address}`);
      }
    }
    const hashOf = (name: string) => played.find((p) => p.step.name === name)?.hash ?? '';
    const seeds = { eth: hashOf(SEEDS.eth), usdf: hashOf(SEEDS.usdf) };
    const labels = devnetLabels();
    return {
      anvil,
      url: anvil.url,
      port: anvil.port,
      chain,
      played,
      seeds,
      labels,
      exportDataset: (o = {}) =>
        exportDataset(anvil, played, {
          ...(o.labels ? { labels } : {}),
          ...(o.logs === false ? { logs: false } : {}),
        }),
      traceCommand: (which, labelsFile) =>
        [
          `${selfCommand()} trace`,
          seeds[which],
          `--source rpc:${anvil.url}`,
          `--asset ${which === 'eth' ? 'ETH' : 'USDF'}`,
          '--hops 5',
          ...(labelsFile ? [`--labels ${labelsFile}`] : []),
        ].join(' '),
      stop: () => anvil.stop(),
    };
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

export { type Anvil, startAnvil } from './anvil.js';
export { DevnetChain, PLAIN_GAS_PRICE } from './chain.js';
export { CONTRACTS, DEVNET_CHAIN, DEVNET_TOKENS, devnetAddress } from './deployment.js';
export { type DatasetJson, datasetJson } from './export.js';
export { ACTORS, devnetLabels, type PlayedTx, SEEDS } from './scenario.js';
