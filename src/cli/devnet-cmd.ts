// `fundtrace devnet`: a local EVM chain to demo live tracing with no internet. Starts a real anvil
// on a free loopback port, deploys the project's contracts, plays the wallet-drainer scenario
// (src/devnet/scenario.ts), writes the matching label file (and, with --export, the played
// activity as a dataset), prints the trace commands, and keeps the node running until Ctrl-C.
// With --bridges: two anvil nodes (anvil, anvil-b) and the swap/wrap/bridge scenario
// (src/devnet/bridge-scenario.ts): labels, the protocol registry and both chains as datasets.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatUnits } from 'ethers';
import { FundtraceError } from '../core/errors.js';
import { BRIDGE_AMOUNTS } from '../devnet/bridge-scenario.js';
import { startBridgeDevnet } from '../devnet/bridges.js';
import { datasetJson, startDevnet } from '../devnet/index.js';
import { playWorkshopTheft, workshopLabels, workshopWatchFile } from '../devnet/workshop.js';
import { selfCommand } from '../meta/install.js';
import type { CliContext } from './context.js';

interface DevnetFlags {
  dir?: string;
  export?: string;
  exit?: boolean;
  bridges?: boolean;
}

export function registerDevnetCommand(program: Command, ctx: CliContext): void {
  program
    .command('devnet')
    .summary('start a local EVM chain (anvil) with a played theft scenario to trace live')
    .description(
      'Start anvil on a free loopback port, deploy a small ERC-20, a look-alike token, a forwarding ' +
        'contract and a mixer-like pool, play a wallet-drainer theft (fan-out, merge with clean funds, ' +
        'an exchange deposit address, the pool, a reverted transfer, a zero-value token transfer), ' +
        'write the label file, print the trace commands, and keep running until Ctrl-C. ' +
        'With --bridges: two nodes (chains anvil and anvil-b) and a swap/wrap/bridge scenario instead ' +
        '(stolen USDT swapped to ETH on a Uniswap-V2-style pair, part wrapped to WETH, the rest bridged ' +
        'through CCTP-like and Across-like contracts to an exchange on the second chain).',
    )
    .option(
      '--dir <dir>',
      'where to write labels.json (and the export); default fundtrace-devnet, with --bridges fundtrace-devnet-bridges',
    )
    .option('--export <file>', 'also write the played activity as a dataset-v1 file (labels included)')
    .option(
      '--bridges',
      'the two-chain scenario: also writes registry.json and both chains as datasets (anvil.json, anvil-b.json) in --dir',
    )
    .option('--exit', 'stop the node(s) and exit once the scenario is played (for scripts and tests)')
    .addHelpText(
      'after',
      `
Examples:
  fundtrace devnet                          start, play, print the commands; Ctrl-C stops the node
  fundtrace devnet --export devnet.json --exit
                                            write the same activity as a dataset and stop
  fundtrace devnet --bridges                two nodes, swaps and bridges; prints the cross-chain trace commands`,
    )
    .action(async (flags: DevnetFlags) => {
      // Separate default directories: the two scenarios' labels.json must not overwrite each other.
      if (flags.bridges) return runBridges({ ...flags, dir: flags.dir ?? 'fundtrace-devnet-bridges' }, ctx);
      const io = ctx.io;
      const dir = resolve(flags.dir ?? 'fundtrace-devnet');
      const devnet = await startDevnet();
      try {
        await mkdir(dir, { recursive: true });
        const labelsFile = join(dir, 'labels.json');
        await writeFile(labelsFile, `${JSON.stringify({ labels: devnet.labels }, null, 2)}\n`);
        // The live-monitoring workshop: a label naming the drainer, and the exchange's watch file.
        const workshopLabelsFile = join(dir, 'workshop-labels.json');
        await writeFile(workshopLabelsFile, `${JSON.stringify({ labels: workshopLabels() }, null, 2)}\n`);
        const watchFile = join(dir, 'watch.yaml');
        await writeFile(watchFile, workshopWatchFile([labelsFile, workshopLabelsFile]));
        const watchDb = join(dir, 'watch.db');
        await rm(watchDb, { force: true });
        await rm(`${watchDb}-wal`, { force: true });
        await rm(`${watchDb}-shm`, { force: true });
        let exported: string | undefined;
        if (flags.export !== undefined) {
          exported = resolve(flags.export);
          await writeFile(exported, datasetJson(await devnet.exportDataset({ labels: true })));
        }
        const lines = [
          `fundtrace devnet: anvil on ${devnet.url} (chain id 31337, "anvil"), ${devnet.played.length} transactions played`,
          `labels: ${labelsFile}`,
          ...(exported ? [`dataset: ${exported}`] : []),
          '',
          'Trace the stolen ETH (10 ETH drained from the victim):',
          `  ${devnet.traceCommand('eth', labelsFile)}`,
          'Trace the stolen USDF (1000 USDF, a 6-decimal token):',
          `  ${devnet.traceCommand('usdf', labelsFile)}`,
          ...(exported
            ? [
                'The same from the exported dataset (no node needed):',
                `  ${selfCommand()} trace ${devnet.seeds.eth} --source ${exported} --hops 5`,
              ]
            : []),
          '',
          'Workshop, live monitoring (the exchange watches its deposit address):',
          `  1. in another terminal: ${selfCommand()} watch -f ${watchFile} --source rpc:${devnet.url} --db ${watchDb} --interval 2`,
          ...(flags.exit
            ? []
            : [
                '  2. press Enter here to play a theft (drainer → a fresh mule → the exchange deposit address)',
              ]),
          '     the watch terminal prints an arrival alert: 100 % of the deposit traced back to the reported theft',
          '',
        ];
        io.out(`${lines.join('\n')}\n`);
        if (flags.exit) return;
        io.err('fundtrace devnet: running; press Enter to play a theft, Ctrl-C to stop the node\n');
        let thefts = 0;
        let playing = Promise.resolve();
        io.stdin?.on('data', () => {
          playing = playing.then(async () => {
            const n = ++thefts;
            const t = await playWorkshopTheft(devnet.chain, n).catch((e: Error) => {
              io.err(`fundtrace devnet: theft ${n} failed: ${e.message}\n`);
              return undefined;
            });
            if (t)
              io.err(
                `fundtrace devnet: theft ${n} played: drainer → ${t.mule} → exchange deposit (${t.hashes[1]})\n`,
              );
          });
        });
        await waitForInterrupt(io.signal);
        io.stdin?.removeAllListeners('data');
        io.stdin?.pause();
      } finally {
        await devnet.stop();
      }
    });
}

async function runBridges(flags: DevnetFlags & { dir: string }, ctx: CliContext): Promise<void> {
  if (flags.export !== undefined)
    throw new FundtraceError(
      'USAGE',
      '--export is for the single-chain scenario: with --bridges both datasets are written to --dir (anvil.json, anvil-b.json)',
    );
  const io = ctx.io;
  const dir = resolve(flags.dir);
  const devnet = await startBridgeDevnet();
  try {
    await mkdir(dir, { recursive: true });
    const files = {
      labels: join(dir, 'labels.json'),
      registry: join(dir, 'registry.json'),
      datasetA: join(dir, 'anvil.json'),
      datasetB: join(dir, 'anvil-b.json'),
    };
    await writeFile(files.labels, `${JSON.stringify({ labels: devnet.labels }, null, 2)}\n`);
    await writeFile(files.registry, `${JSON.stringify(devnet.registry, null, 2)}\n`);
    const ds = await devnet.exportDatasets();
    await writeFile(files.datasetA, datasetJson(ds.a));
    await writeFile(files.datasetB, datasetJson(ds.b));
    const cmd = devnet.traceCommands(files);
    const lines = [
      `fundtrace devnet --bridges: chain A on ${devnet.a.url} (chain id 31337, "anvil"), ${devnet.a.played.length} transactions played`,
      `                            chain B on ${devnet.b.url} (chain id 31338, "anvil-b"), ${devnet.b.played.length} transactions played`,
      `labels:   ${files.labels}`,
      `registry: ${files.registry} (the devnet's WETH, pair, router, CCTP-like and Across-like contracts; CCTP domains 90 and 91)`,
      `datasets: ${files.datasetA}, ${files.datasetB} (with event logs)`,
      '',
      ...bridgeStory(),
      '',
      'Trace it across both nodes:',
      `  ${cmd.rpc}`,
      'The same offline, from the two datasets (no node needed):',
      `  ${cmd.offline}`,
      '',
    ];
    io.out(`${lines.join('\n')}\n`);
    if (flags.exit) return;
    io.err('fundtrace devnet: running; Ctrl-C stops both nodes\n');
    await waitForInterrupt(io.signal);
  } finally {
    await devnet.stop();
  }
}

/** The story in figures, from the scenario's own amounts (src/devnet/bridge-scenario.ts). */
function bridgeStory(): string[] {
  const M = BRIDGE_AMOUNTS;
  const usdt = (v: bigint) => formatUnits(v, 6).replace(/\.0$/, '');
  const eth = (v: bigint) => formatUnits(v, 18).replace(/\.0$/, '');
  const rest = M.stolen - M.swapIn - M.cctp - M.acrossIn;
  return [
    `${usdt(M.stolen)} USDT stolen on chain A: ${usdt(M.swapIn)} swapped to ${eth(M.swapOut)} ETH (${eth(M.wrap)} of it wrapped to WETH),`,
    `${usdt(M.cctp)} bridged by CCTP (nonce 0) and ${usdt(M.acrossIn)} by Across (deposit 0, ${usdt(M.acrossOut)} delivered) to chain B,`,
    `where ${usdt(M.cctp + M.acrossOut)} USDT reach the exchange deposit address; ${usdt(rest)} USDT stay with the thief.`,
    'A look-alike contract on chain B fakes the CCTP delivery for a decoy: it must not be followed.',
  ];
}

function waitForInterrupt(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolvePromise) => {
    const done = () => {
      process.off('SIGTERM', done);
      process.off('SIGINT', onSigint);
      resolvePromise();
    };
    const onSigint = () => done();
    if (signal) {
      if (signal.aborted) return done();
      signal.addEventListener('abort', done, { once: true });
    } else process.once('SIGINT', onSigint);
    process.once('SIGTERM', done);
  });
}
