// Writes the conversion and bridge taint vectors (issue 14) as datasets with event logs under
// test/fixtures/vectors/ (x1.json …). The hand-checked figures are in test/engine/conversion.test.ts,
// which also checks that these files are what this script writes.
// Run: node bin/run-ts.js scripts/make-conversion-vectors.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENTS } from '../src/core/events/abi.js';
import { ethAddr, ethTx } from '../test/vector-roles.js';

/** Mainnet contracts the bundled registry knows (registry/contracts.json). */
export const WETH = '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2';
export const USDT = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

const time = (h: number) => new Date(Date.UTC(2024, 0, 1) + h * 600_000).toISOString().replace('.000Z', 'Z');
const word = (v: bigint | string) =>
  (typeof v === 'bigint' ? v.toString(16) : v.toLowerCase().replace(/^0x/, '')).padStart(64, '0');
const topicAddr = (a: string) => `0x${word(a)}`;

interface Rec {
  [k: string]: unknown;
}

/** One block per transaction; transfers and logs share the log-index numbering of the block. */
function chain() {
  const transfers: Rec[] = [];
  const logs: Rec[] = [];
  let height = 19_000_100;
  return {
    transfers,
    logs,
    tx(name: string, build: (b: TxBuilder) => void) {
      const h = height++;
      const tx = ethTx(name);
      let index = 0;
      const at = { tx, height: h, position: 0, time: time(h - 19_000_000) };
      build({
        native(from, to, value) {
          transfers.push({
            ...at,
            index: 0,
            from: ethAddr(from),
            to: ethAddr(to),
            asset: 'ETH',
            value,
            kind: 'native',
          });
        },
        internal(from, to, value) {
          transfers.push({
            ...at,
            index: 1000 + index++,
            from: addr(from),
            to: addr(to),
            asset: 'ETH',
            value,
            kind: 'internal',
          });
        },
        token(asset, from, to, value) {
          transfers.push({ ...at, index, from: addr(from), to: addr(to), asset, value, kind: 'token' });
          logs.push({
            ...at,
            index: index++,
            address: asset === 'USDT' ? USDT : WETH,
            topics: [
              '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef',
              topicAddr(addr(from)),
              topicAddr(addr(to)),
            ],
            data: `0x${word(BigInt(value))}`,
          });
        },
        log(address, topics, data) {
          logs.push({ ...at, index: index++, address, topics, data: `0x${data.join('')}` });
        },
      });
    },
  };
}

interface TxBuilder {
  native(from: string, to: string, value: string): void;
  internal(from: string, to: string, value: string): void;
  token(asset: string, from: string, to: string, value: string): void;
  log(address: string, topics: string[], data: string[]): void;
}

/** A role name, or a contract address as it is. */
const addr = (x: string) => (x.startsWith('0x') ? x : ethAddr(x));

const E = (n: string) => {
  const [w, f = ''] = n.split('.');
  return (BigInt(w!) * 10n ** 18n + BigInt((f + '0'.repeat(18)).slice(0, 18))).toString();
};
const U = (n: number) => (BigInt(n) * 1_000_000n).toString();

/**
 * x1 — one swap and one wrap. The thief holds 500 clean USDT, receives 1000 stolen (the seed
 * transaction), swaps 600 USDT for 0.3 ETH through a router and a V2 pair (the router unwraps WETH
 * and pays ETH), wraps 0.1 ETH into WETH, and pays 0.2 ETH to an exchange.
 */
export function x1() {
  const c = chain();
  c.tx('x1-gas', (b) => b.native('x1-gasfunder', 'x1-thief', E('0.05')));
  c.tx('x1-clean', (b) => b.token('USDT', 'x1-otc', 'x1-thief', U(500)));
  c.tx('x1-theft', (b) => b.token('USDT', 'x1-victim', 'x1-thief', U(1000)));
  c.tx('x1-swap', (b) => {
    b.token('USDT', 'x1-thief', 'x1-pair', U(600));
    b.token('WETH', 'x1-pair', 'x1-router', E('0.3'));
    b.log(
      ethAddr('x1-pair'),
      [EVENTS.uniswapV2Swap.topic0, topicAddr(ethAddr('x1-router')), topicAddr(ethAddr('x1-router'))],
      [word(BigInt(U(600))), word(0n), word(0n), word(BigInt(E('0.3')))],
    );
    b.log(WETH, [EVENTS.wethWithdrawal.topic0, topicAddr(ethAddr('x1-router'))], [word(BigInt(E('0.3')))]);
    b.internal(WETH, 'x1-router', E('0.3'));
    b.internal('x1-router', 'x1-thief', E('0.3'));
  });
  c.tx('x1-wrap', (b) => {
    b.native('x1-thief', WETH, E('0.1'));
    b.log(WETH, [EVENTS.wethDeposit.topic0, topicAddr(ethAddr('x1-thief'))], [word(BigInt(E('0.1')))]);
  });
  c.tx('x1-cashout', (b) => b.native('x1-thief', 'x1-exchange', E('0.2')));
  return {
    format: 'fundtrace-dataset/1',
    chain: 'ethereum',
    name: 'x1',
    description:
      'conversion vector x1: a swap (USDT → ETH through a router and a V2 pair) and a wrap (ETH → WETH)',
    assets: { USDT: { decimals: 6, contract: USDT }, WETH: { decimals: 18, contract: WETH } },
    transfers: c.transfers,
    logs: c.logs,
    labels: [
      {
        chain: 'ethereum',
        address: ethAddr('x1-exchange'),
        entity: 'Exchange X',
        category: 'exchange',
        source: 'conversion vectors',
        confidence: 'high',
      },
    ],
  };
}

export const VECTORS: Record<string, () => unknown> = { x1 };

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'vectors');
  for (const [name, make] of Object.entries(VECTORS))
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(make(), null, 2) + '\n');
}
