// Every bad input of the foundation issue gets a one-line error naming the value, the contract's
// exit code, and no stack trace.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixture } from '../helpers.js';
import { btcAddr, btcTxid, ethAddr, ethTx } from '../vector-roles.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-bad-'));
const V2 = fixture('vectors', 'v2.json');
const V3 = fixture('vectors', 'v3.json');
const seedV2 = `${btcTxid('v2-f0')}:0`;

type Json = { transactions: Record<string, unknown>[]; transfers: Record<string, unknown>[] } & Record<
  string,
  unknown
>;
/** A copy of a fixture with one change applied, written to a temp file. */
function mutate(src: string, name: string, change: (d: Json) => void): string {
  const d = JSON.parse(readFileSync(src, 'utf8')) as Json;
  change(d);
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(d));
  return p;
}
const tx = (d: Json, i: number) =>
  d.transactions[i] as { inputs: Record<string, unknown>[]; outputs: Record<string, unknown>[] } & Record<
    string,
    unknown
  >;

interface Bad {
  name: string;
  args: () => string[];
  status: number;
  /** The message must name this value. */
  mentions: string | RegExp;
}

const bad: Bad[] = [
  {
    name: 'unknown flag',
    args: () => ['trace', seedV2, '--source', V2, '--hopz', '2'],
    status: 2,
    mentions: '--hopz',
  },
  {
    name: 'bad --hops',
    args: () => ['trace', seedV2, '--source', V2, '--hops', 'three'],
    status: 2,
    mentions: '"three"',
  },
  {
    name: 'bad --model',
    args: () => ['trace', seedV2, '--source', V2, '--model', 'lifo'],
    status: 2,
    mentions: '"lifo"',
  },
  {
    name: 'bad --direction',
    args: () => ['trace', seedV2, '--source', V2, '--direction', 'up'],
    status: 2,
    mentions: '"up"',
  },
  {
    name: 'bad --format',
    args: () => ['trace', seedV2, '--source', V2, '--format', 'xml'],
    status: 2,
    mentions: '"xml"',
  },
  {
    name: 'bad --since',
    args: () => ['trace', seedV2, '--source', V2, '--since', 'yesterday'],
    status: 2,
    mentions: '"yesterday"',
  },
  {
    name: '--since on a day that does not exist (no rollover to March 1)',
    args: () => ['trace', seedV2, '--source', V2, '--since', '2024-02-30T00:00:00Z'],
    status: 2,
    mentions: /"2024-02-30T00:00:00Z" is not a real date-time/,
  },
  {
    name: '--since 25:00',
    args: () => ['trace', seedV2, '--source', V2, '--since', '2024-02-01T25:00:00Z'],
    status: 2,
    mentions: /not a real date-time/,
  },
  {
    name: '--since later than --until',
    args: () => ['trace', seedV2, '--source', V2, '--since', '2024-03-01', '--until', '2024-02-01'],
    status: 2,
    mentions: /--since 2024-03-01 is later than --until 2024-02-01/,
  },
  {
    name: 'bad --min-value',
    args: () => ['trace', seedV2, '--source', V2, '--min-value', '0.000000001'],
    status: 2,
    mentions: '"0.000000001"',
  },
  {
    name: 'bad --chain',
    args: () => ['trace', seedV2, '--source', V2, '--chain', 'dogecoin'],
    status: 2,
    mentions: '"dogecoin"',
  },
  { name: 'no --source', args: () => ['trace', seedV2], status: 2, mentions: '--source' },
  {
    name: 'EIP-55 checksum',
    args: () => {
      const a = ethAddr('v3-alice');
      const flipped =
        a.slice(0, 2) +
        [...a.slice(2)]
          .map((ch, i) =>
            i === 5 && /[a-f]/i.test(ch)
              ? ch === ch.toUpperCase()
                ? ch.toLowerCase()
                : ch.toUpperCase()
              : ch,
          )
          .join('');
      const wrong =
        flipped === a ? a.slice(0, 2) + a.slice(2).replace(/[a-f]/, (c) => c.toUpperCase()) : flipped;
      return ['trace', wrong, '--source', V3];
    },
    status: 2,
    mentions: /checksum/,
  },
  {
    name: 'bech32 checksum',
    args: () => {
      const a = btcAddr('v2-P');
      return ['trace', a.slice(0, -1) + (a.endsWith('q') ? 'p' : 'q'), '--source', V2];
    },
    status: 2,
    mentions: /bc1q/,
  },
  {
    name: 'base58check checksum',
    args: () => ['trace', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3', '--source', V2],
    status: 2,
    mentions: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3',
  },
  {
    name: 'address of another chain',
    args: () => ['trace', btcAddr('v2-P'), '--source', V3],
    status: 2,
    mentions: btcAddr('v2-P'),
  },
  {
    name: 'testnet address on mainnet',
    args: () => ['trace', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', '--source', V2],
    status: 2,
    mentions: 'tb1q',
  },
  {
    name: 'seed not in the dataset',
    args: () => ['trace', ethTx('nowhere'), '--source', V3],
    status: 3,
    mentions: ethTx('nowhere'),
  },
  {
    name: 'address seed not in the dataset',
    args: () => ['trace', ethAddr('nobody'), '--source', V3],
    status: 3,
    mentions: ethAddr('nobody'),
  },
  {
    name: 'missing file',
    args: () => ['trace', seedV2, '--source', join(dir, 'nope.json')],
    status: 3,
    mentions: 'nope.json',
  },
  {
    name: 'not JSON',
    args: () => {
      const p = join(dir, 'broken.json');
      writeFileSync(p, '{"format": "fundtrace-dataset/1", "chain": ');
      return ['trace', seedV2, '--source', p];
    },
    status: 3,
    mentions: 'broken.json',
  },
  {
    name: 'float amount',
    args: () => [
      'trace',
      seedV2,
      '--source',
      mutate(V2, 'float.json', (d) => (tx(d, 0).outputs[0]!.value = '500.5')),
    ],
    status: 3,
    mentions: '500.5',
  },
  {
    name: 'JSON number amount',
    args: () => [
      'trace',
      seedV2,
      '--source',
      mutate(V2, 'number.json', (d) => (tx(d, 0).outputs[0]!.value = 500)),
    ],
    status: 3,
    mentions: '/transactions/0/outputs/0/value',
  },
  {
    name: 'negative amount',
    args: () => [
      'trace',
      seedV2,
      '--source',
      mutate(V2, 'negative.json', (d) => (tx(d, 0).outputs[0]!.value = '-500')),
    ],
    status: 3,
    mentions: '-500',
  },
  {
    name: 'spends an unknown output',
    args: () => [
      'trace',
      seedV2,
      '--source',
      mutate(V2, 'unknown-out.json', (d) => (tx(d, 2).inputs[0]!.vout = 7)),
    ],
    status: 3,
    mentions: '/transactions/2/inputs/0',
  },
  {
    name: 'spends an already-spent output',
    args: () => [
      'trace',
      seedV2,
      '--source',
      mutate(V2, 'double-spend.json', (d) => {
        // b spends a:1; make it also spend a:1 a second time in place of its clean input.
        const b = tx(d, 3);
        b.inputs[1] = { ...b.inputs[0]! };
      }),
    ],
    status: 3,
    mentions: /spent/,
  },
  {
    name: 'negative fee',
    args: () => [
      'trace',
      seedV2,
      '--source',
      mutate(V2, 'neg-fee.json', (d) => (tx(d, 2).outputs[0]!.value = '1195')),
    ],
    status: 3,
    mentions: /fee/,
  },
  {
    name: 'duplicate transaction',
    args: () => [
      'trace',
      seedV2,
      '--source',
      mutate(V2, 'dup.json', (d) => d.transactions.push({ ...tx(d, 1) })),
    ],
    status: 3,
    mentions: /duplicate/i,
  },
  {
    name: 'unsorted: spends a later transaction',
    args: () => [
      'trace',
      seedV2,
      '--source',
      mutate(V2, 'unsorted.json', (d) => (tx(d, 2).height = 900_000)),
    ],
    status: 3,
    mentions: /order|later|before/i,
  },
  {
    name: 'duplicate transfer',
    args: () => [
      'trace',
      ethTx('v3-t2'),
      '--source',
      mutate(V3, 'dup-transfer.json', (d) => d.transfers.push({ ...d.transfers[2]! })),
    ],
    status: 3,
    mentions: /duplicate/i,
  },
];

describe('bad input: one line, the right exit status, no stack trace', () => {
  it.each(bad.map((b) => [b.name, b] as const))('%s', async (_n, b) => {
    const r = await cli(b.args());
    expect(r.status, r.stderr).toBe(b.status);
    expect(r.stdout).toBe('');
    const first = r.stderr.split('\n')[0]!;
    expect(first).toMatch(/^fundtrace: /);
    if (typeof b.mentions === 'string') expect(r.stderr).toContain(b.mentions);
    else expect(r.stderr).toMatch(b.mentions);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack frames
  });
});
