// Event decoding (src/core/events): decodeTxLogs over a synthetic block of logs shaped like a busy
// chain (most logs are ERC-20 Transfers the decoder skips by topic; a share of Uniswap swaps, WETH
// wraps, CCTP burns with their MessageSent, Across deposits and fills, and spoofed bridge events),
// then linkBridges over every decoded leg. Figures: logs per second, legs linked per second.

import { EVENTS } from '../src/core/events/abi.js';
import { decodeTxLogs } from '../src/core/events/decode.js';
import { linkBridges } from '../src/core/events/link.js';
import { buildRegistry, parseRegistryFile } from '../src/core/events/registry.js';
import type { BridgeIn, BridgeOut } from '../src/core/events/types.js';
import type { TxLog } from '../src/core/model.js';

const TM = '0xBd3fa81B58Ba92a82136038B25aDec7066af3155';
const MT = '0x0a992d191DEeC32aFe36203Ad87D7d289a738F81';
const SPOKE = '0x5c7BCd6E7De5423a257D81B442095A1a6ced35C5';
const WETH = '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2';
const POOL = '0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc';
const FAKE = '0x9999999999999999999999999999999999999999';
const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

const w = (n: bigint | number) => BigInt(n).toString(16).padStart(64, '0');
const addr = (a: string) => w(BigInt(a));

export async function benchEvents(): Promise<Record<string, string>> {
  const file = parseRegistryFile(
    {
      chains: { ethereum: { chainId: '1', cctpDomain: 0 }, arbitrum: { chainId: '42161', cctpDomain: 3 } },
      contracts: [
        {
          chain: 'ethereum',
          address: TM,
          protocol: 'cctp',
          role: 'token-messenger',
          name: 'TM',
          source: 'bench',
        },
        {
          chain: 'ethereum',
          address: MT,
          protocol: 'cctp',
          role: 'message-transmitter',
          name: 'MT',
          source: 'bench',
        },
        {
          chain: 'ethereum',
          address: SPOKE,
          protocol: 'across',
          role: 'spoke-pool',
          name: 'SP',
          source: 'bench',
        },
        {
          chain: 'arbitrum',
          address: SPOKE,
          protocol: 'across',
          role: 'spoke-pool',
          name: 'SP',
          source: 'bench',
        },
        {
          chain: 'ethereum',
          address: WETH,
          protocol: 'weth',
          role: 'wrapped-native',
          name: 'WETH',
          source: 'bench',
        },
      ],
    },
    'bench',
  );
  const registry = buildRegistry(file.entries, file.chains);
  const txs = 50_000;
  const byTx: TxLog[][] = [];
  const fills: TxLog[][] = [];
  const user = '0x1111111111111111111111111111111111111111';
  let total = 0;
  for (let t = 0; t < txs; t++) {
    const tx = `0x${w(t)}`;
    const logs: TxLog[] = [];
    const push = (address: string, topics: string[], data: string) =>
      logs.push({
        tx,
        index: logs.length,
        height: 1000 + (t >> 6),
        position: t & 63,
        time: null,
        address,
        topics,
        data,
      });
    for (let k = 0; k < 6; k++) push(POOL, [TRANSFER, `0x${addr(user)}`, `0x${addr(POOL)}`], `0x${w(k + 1)}`);
    switch (t % 5) {
      case 0:
        push(
          POOL,
          [EVENTS.uniswapV2Swap.topic0, `0x${addr(user)}`, `0x${addr(user)}`],
          `0x${w(0)}${w(5)}${w(7)}${w(0)}`,
        );
        push(WETH, [EVENTS.wethDeposit.topic0, `0x${addr(user)}`], `0x${w(9)}`);
        break;
      case 1: {
        const header = `${'00000000'}${'00000000'}${'00000003'}${BigInt(t).toString(16).padStart(16, '0')}${'00'.repeat(96)}${'00'.repeat(132)}`;
        const len = header.length / 2;
        push(
          MT,
          [EVENTS.cctpMessageSent.topic0],
          `0x${w(32)}${w(len)}${header}${'0'.repeat((64 - (header.length % 64)) % 64)}`,
        );
        push(
          TM,
          [EVENTS.cctpDepositForBurn.topic0, `0x${w(t)}`, `0x${addr(WETH)}`, `0x${addr(user)}`],
          `0x${w(1000)}${addr(user)}${w(3)}${w(0)}${w(0)}`,
        );
        break;
      }
      case 2: {
        const d = `0x${addr(WETH)}${addr(WETH)}${w(1000)}${w(990)}${w(0)}${w(0)}${w(0)}${addr(user)}${w(0)}${w(10 * 32)}${w(0)}`;
        push(SPOKE, [EVENTS.acrossFundsDeposited.topic0, `0x${w(42161)}`, `0x${w(t)}`, `0x${addr(user)}`], d);
        const fill: TxLog[] = [];
        const info = `${addr(user)}${w(0)}${w(990)}${w(0)}`;
        const fd = `0x${addr(WETH)}${addr(WETH)}${w(1000)}${w(990)}${w(1)}${w(0)}${w(0)}${w(0)}${addr(user)}${addr(user)}${w(0)}${info}`;
        fill.push({
          tx: `0xf${w(t).slice(1)}`,
          index: 0,
          height: 5,
          position: 0,
          time: null,
          address: SPOKE,
          topics: [EVENTS.acrossFilledRelay.topic0, `0x${w(1)}`, `0x${w(t)}`, `0x${addr(user)}`],
          data: fd,
        });
        fills.push(fill);
        break;
      }
      case 3:
        push(
          FAKE,
          [EVENTS.cctpDepositForBurn.topic0, `0x${w(t)}`, `0x${addr(WETH)}`, `0x${addr(user)}`],
          `0x${w(1000)}${addr(user)}${w(3)}${w(0)}${w(0)}`,
        );
        break;
      default:
        break;
    }
    total += logs.length;
    byTx.push(logs);
  }
  const all = byTx.flat();
  // Best of 3: the machine is shared.
  let src = decodeTxLogs('ethereum', all, registry);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    const a = performance.now();
    src = decodeTxLogs('ethereum', all, registry);
    best = Math.min(best, performance.now() - a);
  }
  const dst = decodeTxLogs('arbitrum', fills.flat(), registry);
  const outs = src.events.filter((e): e is BridgeOut => e.kind === 'bridge-out');
  const ins = dst.events.filter((e): e is BridgeIn => e.kind === 'bridge-in');
  const t2 = performance.now();
  const linked = linkBridges(outs, ins);
  const t3 = performance.now();
  if (linked.links.length !== fills.length)
    throw new Error(`linked ${linked.links.length} of ${fills.length}`);
  return {
    logs: String(total),
    'decoded events': String(src.events.length),
    'problems (spoofed)': String(src.problems.length),
    'decode (ms, best of 3)': best.toFixed(0),
    'logs per second': Math.round(total / (best / 1000)).toLocaleString('en'),
    'legs (out + in)': String(outs.length + ins.length),
    'link (ms)': (t3 - t2).toFixed(0),
    links: String(linked.links.length),
  };
}
