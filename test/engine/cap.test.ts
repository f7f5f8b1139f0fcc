// Issue 10 (low): --max-nodes caps the output too. A seed paying 60 addresses under --max-nodes 10
// printed all 61 nodes; now the graph holds at most 10, the value at the addresses not drawn is one
// `cut` (max-nodes) terminal at the payer, totals still add up, labelled addresses are always drawn,
// and the result does not depend on the order the data arrived in.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';
import { ethAddr } from '../vector-roles.js';

const SEED = ethAddr('cap-seed');
const FUNDER = ethAddr('cap-funder');
const EXCHANGE = ethAddr('cap-exchange');
const ETH = 10n ** 18n;
const txid = (i: number) => `0x${(i + 1).toString(16).padStart(64, '0')}`;

function dataset(n: number, reverse: boolean): string {
  const transfers = [
    {
      tx: txid(100_000),
      index: 0,
      height: 1,
      position: 0,
      time: '2024-01-01T00:00:00Z',
      from: FUNDER,
      to: SEED,
      asset: 'ETH',
      value: (1000n * ETH).toString(),
      kind: 'native',
    },
  ];
  for (let i = 0; i < n; i++) {
    // Recipient i gets (i + 1) ETH; the last one is a labelled exchange deposit.
    const to = i === n - 1 ? EXCHANGE : ethAddr(`cap-r${i}`);
    transfers.push({
      tx: txid(i),
      index: 0,
      height: 2 + i,
      position: 0,
      time: '2024-01-02T00:00:00Z',
      from: SEED,
      to,
      asset: 'ETH',
      value: (BigInt(i + 1) * ETH).toString(),
      kind: 'native',
    });
  }
  if (reverse) transfers.reverse();
  const file = join(tmp('fundtrace-cap-'), 'fan.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'fundtrace-dataset/1',
      chain: 'ethereum',
      transfers,
      labels: [
        {
          chain: 'ethereum',
          address: EXCHANGE,
          entity: 'Cap Exchange',
          category: 'exchange',
          source: 'test',
        },
      ],
    }),
  );
  return file;
}

interface Doc {
  graph: { nodes: { key: string }[]; edges: unknown[] };
  summary: {
    traced: { value: string };
    conserved: boolean;
    terminals: Record<string, { value: string }>;
    exits: { entity: string; tainted: { value: string } }[];
    cut: { reason: string; address: string | null; amount: { value: string } }[];
  };
  warnings: string[];
}

describe('--max-nodes caps the printed graph', () => {
  it('forward: at most N nodes, the rest one cut terminal at the payer, totals and exits intact', async () => {
    const run = async (reverse: boolean) => {
      const r = await cli([
        'trace',
        SEED,
        '--source',
        dataset(60, reverse),
        '--max-nodes',
        '10',
        '--hops',
        '1',
        '--format',
        'json',
      ]);
      expect(r.status, r.stderr).toBe(0);
      // The dataset's path (a fresh temp directory each time) is the only difference allowed.
      return r.stdout.replace(/"\/tmp\/fundtrace-cap-[^"]+"/, '"fan.json"');
    };
    const out = await run(false);
    const d = JSON.parse(out) as Doc;
    expect(d.graph.nodes.length).toBe(10);
    expect(d.graph.edges.length).toBe(9);
    // 1 + 2 + … + 60 ETH traced; the exchange (60 ETH) is drawn and an exit.
    expect(BigInt(d.summary.traced.value)).toBe(1830n * ETH);
    expect(d.summary.conserved).toBe(true);
    expect(d.summary.exits.map((e) => [e.entity, e.tainted.value])).toEqual([
      ['Cap Exchange', (60n * ETH).toString()],
    ]);
    // The smallest 51 recipients (1..51 ETH) are folded into one terminal at the seed.
    const folded = d.summary.cut.filter((c) => c.reason === 'max-nodes' && c.address === SEED);
    expect(folded.map((c) => BigInt(c.amount.value))).toEqual([((51n * 52n) / 2n) * ETH]);
    expect(d.warnings.join('\n')).toMatch(/capped at --max-nodes 10: 51 address\(es\) and 51 movement\(s\)/);
    // Same bytes whatever order the records came in.
    expect(await run(true)).toBe(out);
  });

  it('backward: origins are folded the same way', async () => {
    const r = await cli([
      'trace',
      EXCHANGE,
      '--source',
      dataset(5, false),
      '--direction',
      'backward',
      '--max-nodes',
      '2',
      '--hops',
      '3',
      '--format',
      'json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as Doc;
    expect(d.graph.nodes.length).toBeLessThanOrEqual(2);
    expect(d.summary.conserved).toBe(true);
  });

  it('a trace under the cap is unchanged', async () => {
    const r = await cli([
      'trace',
      SEED,
      '--source',
      dataset(5, false),
      '--max-nodes',
      '100',
      '--format',
      'json',
    ]);
    const d = JSON.parse(r.stdout) as Doc;
    expect(d.graph.nodes.length).toBe(6);
    expect(d.warnings.join('\n')).not.toMatch(/capped/);
  });
});
