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
function chain(tokens: Record<string, string> = { USDT, WETH }, start = 19_000_100) {
  const transfers: Rec[] = [];
  const logs: Rec[] = [];
  let height = start;
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
            from: addr(from),
            to: addr(to),
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
            address: tokens[asset]!,
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

export const USDC = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48';
export const USDC_ARB = '0xaf88d065e77c8cC2239327C5EDb3A432268e5831';
const CCTP_TM_ETH = '0xBd3fa81B58Ba92a82136038B25aDec7066af3155';
const CCTP_TM_ARB = '0x19330d10D9Cc8751218eaf51E8885D058642E08A';
const CCTP_MT_ARB = '0xC30362313FBBA5cf9163F0bb16a0e01f01A896ca';
const ZERO = '0x0000000000000000000000000000000000000000';
export const X2_NONCE = 777n;

/**
 * x2 — a CCTP bridge, Ethereum → Arbitrum. The thief holds 300 clean USDC, receives 700 stolen
 * (the seed transaction) and burns 500 USDC through Circle's TokenMessenger for a recipient on
 * Arbitrum (domain 3, nonce 777). On Arbitrum (x2-arb) the MessageTransmitter receives the message,
 * the TokenMessenger mints 500 USDC to the recipient, who pays it all to an exchange.
 */
export function x2() {
  const c = chain({ USDC });
  c.tx('x2-clean', (b) => b.token('USDC', 'x2-otc', 'x2-thief', U(300)));
  c.tx('x2-theft', (b) => b.token('USDC', 'x2-victim', 'x2-thief', U(700)));
  c.tx('x2-bridge', (b) => {
    b.token('USDC', 'x2-thief', CCTP_TM_ETH, U(500));
    b.token('USDC', CCTP_TM_ETH, ZERO, U(500));
    b.log(
      CCTP_TM_ETH,
      [
        EVENTS.cctpDepositForBurn.topic0,
        `0x${word(X2_NONCE)}`,
        topicAddr(USDC),
        topicAddr(ethAddr('x2-thief')),
      ],
      [word(BigInt(U(500))), word(ethAddr('x2-recipient')), word(3n), word(CCTP_TM_ARB), word(0n)],
    );
  });
  return {
    format: 'fundtrace-dataset/1',
    chain: 'ethereum',
    name: 'x2',
    description: 'bridge vector x2, source leg: 500 USDC burned through CCTP for Arbitrum (nonce 777)',
    assets: { USDC: { decimals: 6, contract: USDC } },
    transfers: c.transfers,
    logs: c.logs,
    labels: [],
  };
}

/** x2's destination leg on Arbitrum: the mint to the recipient, then the recipient pays an exchange. */
export function x2arb() {
  // Ten minutes after the burn on Ethereum (blocks are 10 minutes apart in these vectors).
  const c = chain({ USDC: USDC_ARB }, 19_000_103);
  c.tx('x2-mint', (b) => {
    // BurnMessage: version(4) burnToken(32) mintRecipient(32) amount(32) messageSender(32) = 132 bytes.
    const body = `00000000${word(USDC)}${word(ethAddr('x2-recipient'))}${word(BigInt(U(500)))}${word(ethAddr('x2-thief'))}`;
    b.log(
      CCTP_MT_ARB,
      [EVENTS.cctpMessageReceived.topic0, topicAddr(ethAddr('x2-relayer')), `0x${word(X2_NONCE)}`],
      [
        word(0n),
        word(CCTP_TM_ETH),
        word(0x60n),
        word(132n),
        body.padEnd(Math.ceil(body.length / 64) * 64, '0'),
      ],
    );
    b.token('USDC', ZERO, 'x2-recipient', U(500));
    b.log(
      CCTP_TM_ARB,
      [EVENTS.cctpMintAndWithdraw.topic0, topicAddr(ethAddr('x2-recipient')), topicAddr(USDC_ARB)],
      [word(BigInt(U(500)))],
    );
  });
  c.tx('x2-cashout', (b) => b.token('USDC', 'x2-recipient', 'x2-exchange', U(500)));
  return {
    format: 'fundtrace-dataset/1',
    chain: 'arbitrum',
    name: 'x2-arb',
    description: 'bridge vector x2, destination leg on Arbitrum: the CCTP mint (nonce 777) and the cash-out',
    assets: { USDC: { decimals: 6, contract: USDC_ARB } },
    transfers: c.transfers,
    logs: c.logs,
    labels: [
      {
        chain: 'arbitrum',
        address: ethAddr('x2-exchange'),
        entity: 'Exchange Y',
        category: 'exchange',
        source: 'conversion vectors',
        confidence: 'high',
      },
    ],
  };
}

const HOP_L1_ETH = '0xb8901acB165ed027E32754E0FFe830802919727f';
const HOP_L2_ETH_OP = '0x83f6244Bd87662118d96D9a6D44f09dffF14b30E';

/**
 * x3 — a bridge without a join key: Hop's L1 → L2 transfer (TransferSentToL2 names the chain, the
 * recipient and the amount, no id). The thief receives 2 ETH stolen (the seed transaction) and sends
 * 1.5 ETH through Hop's L1 bridge to a recipient on Optimism. On Optimism (x3-op) the recipient
 * receives 1.497 ETH 30 minutes later (the bonder's fee taken), and 0.3 ETH from someone else; it
 * pays 1.497 ETH to an exchange. Only --bridge-match proposes the 1.497 as a candidate.
 */
export function x3() {
  const c = chain({});
  c.tx('x3-theft', (b) => b.native('x3-victim', 'x3-thief', E('2')));
  c.tx('x3-bridge', (b) => {
    b.native('x3-thief', HOP_L1_ETH, E('1.5'));
    b.log(
      HOP_L1_ETH,
      [
        EVENTS.hopTransferSentToL2.topic0,
        `0x${word(10n)}`,
        topicAddr(ethAddr('x3-recipient')),
        topicAddr(ZERO),
      ],
      [word(BigInt(E('1.5'))), word(BigInt(E('1.49'))), word(1_704_070_000n), word(0n)],
    );
  });
  return {
    format: 'fundtrace-dataset/1',
    chain: 'ethereum',
    name: 'x3',
    description: 'bridge vector x3, source leg: 1.5 ETH sent through Hop L1 → Optimism (no join key)',
    transfers: c.transfers,
    logs: c.logs,
    labels: [],
  };
}

export function x3op() {
  // 30 minutes after the deposit (blocks are 10 minutes apart in these vectors).
  const c = chain({}, 19_000_103);
  c.tx('x3-other', (b) => b.native('x3-friend', 'x3-recipient', E('0.3')));
  c.tx('x3-arrival', (b) => {
    b.log(
      HOP_L2_ETH_OP,
      [EVENTS.hopTransferFromL1Completed.topic0, topicAddr(ethAddr('x3-recipient')), topicAddr(ZERO)],
      [word(BigInt(E('1.497'))), word(BigInt(E('1.49'))), word(1_704_070_000n), word(0n)],
    );
    b.internal(HOP_L2_ETH_OP, 'x3-recipient', E('1.497'));
  });
  c.tx('x3-cashout', (b) => b.native('x3-recipient', 'x3-exchange', E('1.497')));
  return {
    format: 'fundtrace-dataset/1',
    chain: 'optimism',
    name: 'x3-op',
    description:
      'bridge vector x3, Optimism: the Hop arrival (1.497 ETH), an unrelated 0.3 ETH, the cash-out',
    transfers: c.transfers,
    logs: c.logs,
    labels: [
      {
        chain: 'optimism',
        address: ethAddr('x3-exchange'),
        entity: 'Exchange Z',
        category: 'exchange',
        source: 'conversion vectors',
        confidence: 'high',
      },
    ],
  };
}

export const VECTORS: Record<string, () => unknown> = { x1, x2, 'x2-arb': x2arb, x3, 'x3-op': x3op };

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'vectors');
  for (const [name, make] of Object.entries(VECTORS))
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(make(), null, 2) + '\n');
}
