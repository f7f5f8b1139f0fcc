// `fundtrace devnet`: a real anvil with the played scenario, its label file, its dataset export,
// the printed trace command, determinism, and stopping the node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerDevnetCommand } from '../../src/cli/devnet-cmd.js';
import type { Io } from '../../src/cli/io.js';
import type { CliContext } from '../../src/cli/program.js';
import { datasetJson, startDevnet } from '../../src/devnet/index.js';
import { ACTORS } from '../../src/devnet/scenario.js';
import { loadLabelFile } from '../../src/labels/index.js';
import { cli, type TraceJson } from '../helpers.js';
import { tmp, useDevnet, writeLabels } from '../rpc/helpers.js';

const devnet = useDevnet();

function startDevnetCommand(args: string[], signal?: AbortSignal) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (s) => {
      stdout += s;
    },
    err: (s) => {
      stderr += s;
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: {},
    ...(signal ? { signal } : {}),
  };
  const ctx: CliContext = { io, status: 0, verbose: false } as CliContext;
  const program = new Command('fundtrace').exitOverride();
  registerDevnetCommand(program, ctx);
  const done = program.parseAsync(['devnet', ...args], { from: 'user' });
  return { done, stdout: () => stdout, stderr: () => stderr };
}

async function runDevnetCommand(args: string[]) {
  const h = startDevnetCommand(args);
  await h.done;
  return h;
}

const reachable = async (url: string) =>
  fetch(url, { method: 'POST', body: '{}' }).then(
    () => true,
    () => false,
  );

describe('fundtrace devnet', () => {
  it('plays the scenario, writes labels and the dataset, prints the trace commands, and stops with --exit', async () => {
    const dir = tmp('fundtrace-devnet-');
    const file = join(dir, 'export.json');
    const r = await runDevnetCommand(['--exit', '--dir', dir, '--export', file]);
    const out = r.stdout();
    const m =
      /npx fundtrace trace (0x[0-9a-f]{64}) --source rpc:(http:\/\/127\.0\.0\.1:\d+) --asset ETH --hops 5 --labels (\S+)/.exec(
        out,
      );
    expect(m, out).not.toBeNull();
    expect(m![3]).toBe(join(dir, 'labels.json'));
    expect(out).toContain('--asset USDF');
    expect(await reachable(m![2]!)).toBe(false);
    const labels = await loadLabelFile(m![3]!);
    expect(labels.entries.map((l) => [l.address, l.category])).toEqual([
      [ACTORS.exchangeDeposit, 'exchange'],
      [ACTORS.exchangeHot, 'exchange'],
      [ACTORS.pool, 'mixer'],
      [ACTORS.victim, 'individual'],
    ]);
    const v = await cli(['dataset', 'validate', file]);
    expect(v.status, v.stdout + v.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.chain).toBe('anvil');
    expect(doc.labels).toHaveLength(4);
    // Same chain every time: the exported file traces the printed seed.
    const j = JSON.parse(
      (await cli(['trace', m![1]!, '--source', file, '--hops', '5', '--format', 'json'])).stdout,
    );
    expect(j.summary.exits[0]).toMatchObject({
      entity: 'Devnet Exchange',
      tainted: { value: '2000000000000000000' },
    });
  });

  it('keeps the node running until interrupted', async () => {
    const ac = new AbortController();
    const h = startDevnetCommand(['--dir', tmp('fundtrace-devnet-')], ac.signal);
    const urlOf = () => /rpc:(http:\/\/127\.0\.0\.1:\d+)/.exec(h.stdout())?.[1];
    for (let i = 0; i < 500 && !h.stderr().includes('Ctrl-C'); i++)
      await new Promise((res) => setTimeout(res, 20));
    const url = urlOf();
    expect(url, h.stdout()).toBeDefined();
    expect(await reachable(url!)).toBe(true);
    ac.abort();
    await h.done;
    expect(await reachable(url!)).toBe(false);
  });

  it('runs the printed command against the live node', async () => {
    const dir = tmp();
    const labelsFile = writeLabels(dir, devnet.current.labels);
    const cmd = devnet.current.traceCommand('usdf', labelsFile).split(' ').slice(2);
    const r = await cli([...cmd, '--format', 'json', '--cache-dir', dir]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as TraceJson;
    expect(j.summary.exits.map((e) => [e.entity, e.tainted.value])).toEqual([
      ['Devnet Exchange', '200000000'],
    ]);
  });

  it('is deterministic: a second devnet replays the same transactions and exports the same dataset', async () => {
    const other = await startDevnet();
    try {
      expect(other.seeds).toEqual(devnet.current.seeds);
      expect(other.port).not.toBe(devnet.current.port);
      expect(datasetJson(await other.exportDataset())).toBe(
        datasetJson(await devnet.current.exportDataset()),
      );
    } finally {
      await other.stop();
    }
  });

  it('exports a reverted transaction without transfers, and fees only for plain transfers', async () => {
    const doc = await devnet.current.exportDataset();
    const reverted = devnet.current.played.find((p) => p.step.expect === 'revert')!.hash;
    expect(doc.transfers.filter((t) => t.tx === reverted)).toEqual([]);
    const fees = doc.transfers.filter((t) => t.kind === 'fee');
    expect(new Set(fees.map((t) => t.value))).toEqual(new Set(['21000000000000']));
    expect(doc.transfers.filter((t) => t.kind === 'token' && t.value === '0').map((t) => t.to)).toEqual([
      ACTORS.zeroTarget,
    ]);
  });
});
