// The golden set: CLI invocations whose exact output is kept in test/golden/out/. Recorded before
// the architecture refactor (issue 11) so a change of output is always a deliberate, listed one.
// Paths are relative to the project root (vitest's cwd), so the outputs do not depend on where
// the checkout lives.
import { btcAddr, btcTxid, ethAddr, ethTx } from '../vector-roles.js';

export interface GoldenTrace {
  /** File stem under test/golden/out/. */
  name: string;
  /** `trace` arguments (without --format). */
  args: string[];
  /** Every rendering to record: json, ndjson, table, csv tables; exports and reports from the JSON. */
  full: boolean;
}

const RANSOM = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
const DRAIN_USDT = '0xad42f9f4bf2f169806b5ddeea99b4c51be2bbe559a94bbf56827e3c723fcb084';
const DRAIN_ETH = '0x051ae4e356b95fbef6f0fa94b83847d69542055dde470f460dfad533adfcde5f';
const BTC = 'samples/ransomware-btc.json';
const ETH = 'samples/phishing-eth.json';
const TRON = 'samples/tron-scam.json';
// tron-scam: the consolidation wallet (seed) and the Savanna deposit address (samples/tron-scam.addresses.json)
const TRON_CONSOLIDATOR = 'TA1zc4qQqsLRxRkfZX1Gi9SoLfo3CJNqSs';
const TRON_SAVANNA_DEPOSIT = 'TDyUiJqM7kS9vBxwTtK7FadZPvVtkWjXnL';

const samples: GoldenTrace[] = [
  ...(['haircut', 'fifo', 'poison'] as const).map((m) => ({
    name: `btc-ransom-${m}-h10`,
    args: [RANSOM, '--source', BTC, '--hops', '10', '--model', m],
    full: m === 'haircut',
  })),
  { name: 'btc-ransom-haircut-h3', args: [RANSOM, '--source', BTC], full: true },
  {
    name: 'btc-northbank-backward',
    args: [
      'bc1qwxjde4sv6kxrve4pfsx4gq6g3umxejt3jkqv2l',
      '--source',
      BTC,
      '--direction',
      'backward',
      '--hops',
      '6',
    ],
    full: true,
  },
  ...(['haircut', 'fifo', 'poison'] as const).map((m) => ({
    name: `eth-usdt-${m}`,
    args: [DRAIN_USDT, '--source', ETH, '--asset', 'USDT', '--model', m],
    full: m !== 'poison',
  })),
  ...(['haircut', 'fifo'] as const).map((m) => ({
    name: `eth-eth-${m}`,
    args: [DRAIN_ETH, '--source', ETH, '--model', m],
    full: m === 'haircut',
  })),
  {
    name: 'eth-deposit-backward',
    args: [
      '0x5E7EB83410bAF42E284C27C9b754d7B51ce4C52c',
      '--source',
      ETH,
      '--direction',
      'backward',
      '--asset',
      'USDT',
    ],
    full: true,
  },
  // Issue 15: the same traces valued in KES and USD with the samples' own price files.
  {
    name: 'btc-ransom-haircut-h10-fiat-kes',
    args: [RANSOM, '--source', BTC, '--hops', '10', '--fiat', 'KES', '--prices', 'samples/prices'],
    full: false,
  },
  {
    name: 'eth-usdt-haircut-fiat-usd',
    args: [DRAIN_USDT, '--source', ETH, '--asset', 'USDT', '--fiat', 'USD', '--prices', 'samples/prices'],
    full: false,
  },
  {
    name: 'eth-drainer-all',
    args: ['0x0fA6C2D81C5C7125E377E10Cfd40e6c5C8B5d62F', '--source', ETH, '--asset', 'all'],
    full: false,
  },
  // Issue 12: the TRON investment-club sample (USDT-TRC20).
  ...(['haircut', 'fifo', 'poison'] as const).map((m) => ({
    name: `tron-usdt-${m}`,
    args: [TRON_CONSOLIDATOR, '--source', TRON, '--asset', 'USDT', '--model', m],
    full: m === 'haircut',
  })),
  {
    name: 'tron-deposit-backward',
    args: [
      TRON_SAVANNA_DEPOSIT,
      '--source',
      TRON,
      '--direction',
      'backward',
      '--asset',
      'USDT',
      '--hops',
      '5',
    ],
    full: false,
  },
  {
    name: 'tron-usdt-haircut-fiat-kes',
    args: [
      TRON_CONSOLIDATOR,
      '--source',
      TRON,
      '--asset',
      'USDT',
      '--fiat',
      'KES',
      '--prices',
      'samples/prices',
    ],
    full: false,
  },
];

const V = (v: string) => `test/fixtures/vectors/${v}.json`;
const vectorSeeds: [string, string, string[]][] = [
  ['v1', `${btcTxid('v1-f1')}:0`, []],
  ['v2', `${btcTxid('v2-f0')}:0`, []],
  ['v3', ethTx('v3-t2'), []],
  ['v4', ethTx('v4-seed'), []],
  ['v5', ethTx('v5-seed'), ['--asset', 'USDT']],
  ['v7', `${btcTxid('v7-f0')}:0`, []],
  ['v8', ethAddr('v8-seed'), []],
  ['v9', ethTx('v9-seed'), []],
];
const vectors: GoldenTrace[] = vectorSeeds.flatMap(([v, seed, extra]) =>
  (['haircut', 'fifo', 'poison'] as const).map((m) => ({
    name: `vector-${v}-${m}`,
    args: [seed, '--source', V(v), '--model', m, ...extra],
    full: false,
  })),
);
// Backward cases over the vectors (the Bitcoin peel chain and the account merge).
vectors.push(
  {
    name: 'vector-v7-backward',
    args: [btcAddr('v7-E2'), '--source', V('v7'), '--direction', 'backward', '--hops', '5'],
    full: false,
  },
  {
    name: 'vector-v3-backward',
    args: [ethAddr('v3-carol'), '--source', V('v3'), '--direction', 'backward'],
    full: false,
  },
);

// Issue 14: a trace that followed a swap and a wrap (x1), and one that followed a CCTP bridge onto a
// second chain (x2): every rendering, so reports and exports of conversions and bridges are kept.
const trails: GoldenTrace[] = [
  {
    name: 'vector-x1-conversions',
    args: [ethTx('x1-theft'), '--source', V('x1'), '--asset', 'USDT'],
    full: true,
  },
  {
    name: 'vector-x2-bridge',
    args: [
      ethTx('x2-theft'),
      '--source',
      V('x2'),
      '--source',
      `arbitrum=${V('x2-arb')}`,
      '--asset',
      'USDC',
      '--hops',
      '5',
    ],
    full: true,
  },
];

export const GOLDEN_TRACES: GoldenTrace[] = [...samples, ...vectors, ...trails];

export const CSV_TABLES_RECORDED = ['edges', 'nodes', 'exits', 'atrest'] as const;
export const EXPORT_FORMATS = ['gexf', 'graphml', 'dot', 'mermaid', 'cypher', 'csv'] as const;
