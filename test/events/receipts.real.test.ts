// The real receipts of ../shared/data/bridge-swap-abis/receipts decoded with the bundled registry,
// checked against the facts in EVENTS.md / PROVENANCE.md (amounts, nonces, deposit ids,
// recipients), and the real cross-chain pairs linked by key. Skipped when ../shared is absent.
import { describe, expect, it } from 'vitest';
import { decodeTxLogs } from '../../src/core/events/decode.js';
import { linkBridges } from '../../src/core/events/link.js';
import type { BridgeIn, BridgeOut, DecodedEvent } from '../../src/core/events/types.js';
import { loadRegistry } from '../../src/sources/registry.js';
import { type Receipt, receipts, receiptsPresent } from './receipts.js';

const all: Receipt[] = receiptsPresent ? receipts() : [];
const registry = receiptsPresent ? await loadRegistry() : undefined;
const decoded = (name: string) => {
  const r = all.find((x) => x.name === name);
  if (!r) throw new Error(`no receipt ${name}`);
  return decodeTxLogs(r.chain, r.logs, registry!);
};
const only = <K extends DecodedEvent['kind']>(name: string, kind: K) =>
  decoded(name).events.filter((e): e is Extract<DecodedEvent, { kind: K }> => e.kind === kind);

/** What each receipt must decode to: a summary line per event, in log order (facts from EVENTS.md / PROVENANCE.md). */
const EXPECTED: Record<string, { events: string[]; problems?: RegExp[] }> = {
  'cctp/ethereum_depositForBurn_ETH_to_ARB_ac7bb457': {
    events: [
      '303 bridge-out cctp:0:62883 1839726596 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48 → arbitrum 0xd0Adc5d079Cc486b58F1B9A28B973355C4ec9e6f',
    ],
  },
  'cctp/arbitrum_receiveMessage_on_ARB_from_ETH_9da8beb8': {
    events: [
      '3 bridge-in cctp:0:62883 1839726596 0xaf88d065e77c8cC2239327C5EDb3A432268e5831 ← ethereum 0xd0Adc5d079Cc486b58F1B9A28B973355C4ec9e6f',
    ],
  },
  'cctp/polygon_depositForBurn_POL_to_ARB_90128b29': {
    events: [
      '435 bridge-out cctp:7:104742 4253283606 0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359 → arbitrum 0x75F3785B330aadbA5DB31535995568583EA8DEA8',
    ],
  },
  'cctp/arbitrum_receiveMessage_on_ARB_from_POL_ad6aa569': {
    events: [
      '19 bridge-in cctp:7:104742 4253283606 0xaf88d065e77c8cC2239327C5EDb3A432268e5831 ← polygon 0x75F3785B330aadbA5DB31535995568583EA8DEA8',
    ],
  },
  'across/ethereum_deposit_on_ETH_01456be6': {
    events: [
      '364 bridge-out across:1:4024312 422866751 0xdAC17F958D2ee523a2206206994597C13D831ec7 → arbitrum 0x6b21bb0D79C543B13DEE153700788D2c008633E5',
    ],
  },
  'across/ethereum_fill_on_ETH_742fbbe4': {
    events: [
      '39 bridge-in across:42161:4207290 41982585504559745 0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2 ← arbitrum 0xF5d90Ac6747CB3352F05BF61f48b991ACeaE28eB',
      '41 unwrap 41982585504559745 0x5c7BCd6E7De5423a257D81B442095A1a6ced35C5',
    ],
  },
  'across/ethereum_fill_USDC_on_ETH_ee7641ad': {
    events: [
      '149 bridge-in across:56:778375 99970446325 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48 ← bsc 0xf70da97812CB96acDF810712Aa562db8dfA3dbEF',
    ],
  },
  'across/arbitrum_fill_via_socket_on_ARB_0fe6509d': {
    events: [
      '1 bridge-in across:534352:1295289 365669864 0xaf88d065e77c8cC2239327C5EDb3A432268e5831 ← ? 0x3Ba6eB0e4327B96aDe6D4f3b578724208a590CEF',
    ],
  },
  'across/base_fill_on_BASE_cc6297f8': {
    events: ['1 unwrap 9804674568982550 0x09aea4b2242abC8bb4BB78D537A67a245A7bEC64'],
    problems: [/Across v2\.5 FilledRelay \(origin chain 42161, deposit id 1142258\).*not linked/],
  },
  'hop/arbitrum_swapAndSend_ETH_on_ARB_to_L1_4fb91812': {
    events: [
      '10 bridge-out hop:0xf35871fe83fe4f160ae682ec23f6a6ad13f33600ddaab52a4f2101e31f000b80 198912701910981889 native → ethereum 0x32C885EcE06EBC8F6bEf6C2052E400226C087e08',
    ],
  },
  'hop/ethereum_withdrawal_ETH_on_L1_15704d96': {
    events: [
      '369 bridge-in hop:0xf35871fe83fe4f160ae682ec23f6a6ad13f33600ddaab52a4f2101e31f000b80 198912701910981889 native ← ? null',
    ],
  },
  'hop/ethereum_withdrawalBonded_USDC_on_L1_dca89892': {
    events: [
      '166 bridge-in hop:0x51e4c703c8a893f2ce96b4b2f9d8109c248373f8969e6764a7010ca109ca11a0 9017504639 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48 ← ? null',
    ],
  },
  'hop/ethereum_sendToL2_ETH_on_L1_d4664041': {
    events: [
      '68 bridge-out null 200000000000000000 native → optimism 0x2B888954421b424C5D3D9Ce9bB67c9bD47537d12',
    ],
  },
  'hop/optimism_receive_ETH_on_OP_8394c39e': {
    events: [
      '9 unwrap 200077923923235647 0x86cA30bEF97fB651b8d866D45503684b90cb3312',
      '10 bridge-in null 200000000000000000 native ← ethereum 0x2B888954421b424C5D3D9Ce9bB67c9bD47537d12',
    ],
  },
  'hop/optimism_withdrawalBonded_ETH_on_OP_4f1e9550': {
    events: [
      '0 bridge-in hop:0x6b544dded5e056c98d5f2672d820eaad23036912a78d5bfb6684f6e6d233a181 105237379018029748 native ← ? null',
      '11 unwrap 103926722004783110 0x86cA30bEF97fB651b8d866D45503684b90cb3312',
    ],
  },
  'uniswap/ethereum_v2_swap_ETH_67cf6c4c': {
    events: [
      '507 wrap 150000000000000000 0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D',
      '511 swap uniswap-v2 0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc in 0/150000000000000000 out 468292899/0',
      '516 swap uniswap-v2 0x9BAC32D4f3322bC7588BB119283bAd7073145355 in 0/468292899 out 141409301881585246527/0',
      '519 swap uniswap-v2 0xE1573B9D29e2183B1AF0e743Dc2754979A40D237 in 141409301881585246527/0 out 0/462967761432322996701',
    ],
  },
  'uniswap/polygon_v2_swap_POL_98f0826b': {
    events: ['67 swap uniswap-v2 0xD12bA2A40289Ed8728682447DC77D001F03675F9 in 0/5855900 out 1122506594/0'],
  },
  'uniswap/ethereum_v3_swap_ETH_1c50c336': {
    events: [
      '486 wrap 632989659350357136 0xE592427A0AEce92De3Edee1F18E0157C05861564',
      '488 swap uniswap-v3 0xf4aD61dB72f114Be877E87d62DC5e7bd52DF4d9B in 0/632989659350357136 out 1000000000000000000000/0',
    ],
  },
  'uniswap/arbitrum_v3_swap_ARB_8fe6f4f8': {
    events: [
      '10 swap uniswap-v3 0xC6F780497A95e246EB9449f5e4770916DCd6396A in 210000000000000000/0 out 0/416708088668961143612',
    ],
  },
  'weth/ethereum_WETH_deposit_ETH_5bb623b3': {
    events: ['101 wrap 60000000000000000 0x4B078a6A7026C32D2D6Aff763E2F37336cf552Dd'],
  },
  'weth/ethereum_WETH_withdrawal_ETH_1f3aa6f7': {
    events: ['69 unwrap 500000000000000000 0x4b2975AfF4DeF34D3Cd4f4759b45faF738D790D3'],
  },
  'weth/base_WETH_deposit_BASE_0d418e4a': {
    events: ['145 wrap 1200000000000000000 0xf396e7dbb20489D47F2daBfDA013163223B892a0'],
  },
  'weth/polygon_WMATIC_deposit_POL_ba581391': {
    events: ['506 wrap 119975669998497470000 0x33C0Aae5b2b6Eae2a6286B3a6621B55DcC02dC9e'],
  },
};

function line(e: DecodedEvent): string {
  switch (e.kind) {
    case 'swap':
      return `${e.ref.index} swap ${e.protocol} ${e.pool} in ${e.amount0In}/${e.amount1In} out ${e.amount0Out}/${e.amount1Out}`;
    case 'wrap':
    case 'unwrap':
      return `${e.ref.index} ${e.kind} ${e.value} ${e.account}`;
    case 'bridge-out':
      return `${e.ref.index} bridge-out ${e.key} ${e.amount} ${e.token ?? 'native'} → ${e.destChain ?? '?'} ${e.recipient}`;
    case 'bridge-in':
      return `${e.ref.index} bridge-in ${e.key} ${e.amount} ${e.token ?? 'native'} ← ${e.originChain ?? '?'} ${e.recipient}`;
  }
}

describe.skipIf(!receiptsPresent)('real receipts (../shared/data/bridge-swap-abis)', () => {
  it('every receipt in the folder has an expectation (23 transactions)', () => {
    expect(all).toHaveLength(23);
    expect(all.map((r) => r.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s', (name, want) => {
    const d = decoded(name);
    expect(d.events.map(line)).toEqual(want.events);
    expect(d.problems.map((p) => p.message)).toHaveLength(want.problems?.length ?? 0);
    for (const [i, re] of (want.problems ?? []).entries()) expect(d.problems[i]!.message).toMatch(re);
  });

  it('CCTP carries the related logs: MessageSent at the source, MintAndWithdraw at the destination', () => {
    const out = only('cctp/ethereum_depositForBurn_ETH_to_ARB_ac7bb457', 'bridge-out')[0]!;
    expect(out.related?.map((r) => [r.index, r.event])).toEqual([[302, 'MessageSent']]);
    expect(out.destChainId).toBe('3');
    const inn = only('cctp/arbitrum_receiveMessage_on_ARB_from_ETH_9da8beb8', 'bridge-in')[0]!;
    expect(inn.related?.map((r) => [r.index, r.event])).toEqual([[2, 'MintAndWithdraw']]);
  });

  it('Across: the fill repeats the deposit (BSC USDC 18 decimals → Ethereum USDC 6)', () => {
    const f = only('across/ethereum_fill_USDC_on_ETH_ee7641ad', 'bridge-in')[0]!;
    expect(f.depositAmount).toBe(100_000n * 10n ** 18n);
    expect(f.depositToken).toBe('0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d');
    const d = only('across/ethereum_deposit_on_ETH_01456be6', 'bridge-out')[0]!;
    expect([d.outToken, d.outAmount, d.destChainId]).toEqual([
      '0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9',
      422820007n,
      '42161',
    ]);
  });

  it('the same receipt decodes identically whatever order its logs come in', () => {
    for (const r of all) {
      const fwd = decodeTxLogs(r.chain, r.logs, registry!);
      const rev = decodeTxLogs(r.chain, [...r.logs].reverse(), registry!);
      expect(rev).toEqual(fwd);
    }
  });

  it('links the real pairs: CCTP ETH→ARB 62883, POL→ARB 104742, Hop ARB→ETH 0xf35871fe…; nothing else', () => {
    const outs: BridgeOut[] = [];
    const ins: BridgeIn[] = [];
    for (const r of all)
      for (const e of decodeTxLogs(r.chain, r.logs, registry!).events) {
        if (e.kind === 'bridge-out') outs.push(e);
        if (e.kind === 'bridge-in') ins.push(e);
      }
    const res = linkBridges(outs, ins);
    expect(res.problems).toEqual([]);
    expect(
      res.links.map((l) => [
        l.out.key,
        `${l.out.ref.chain}:${l.out.ref.tx.slice(0, 10)}`,
        `${l.in.ref.chain}:${l.in.ref.tx.slice(0, 10)}`,
      ]),
    ).toEqual([
      ['cctp:0:62883', 'ethereum:0xac7bb457', 'arbitrum:0x9da8beb8'],
      ['cctp:7:104742', 'polygon:0x90128b29', 'arbitrum:0xad6aa569'],
      [
        'hop:0xf35871fe83fe4f160ae682ec23f6a6ad13f33600ddaab52a4f2101e31f000b80',
        'arbitrum:0x4fb91812',
        'ethereum:0x15704d96',
      ],
    ]);
    // Hop L1→L2 (ETH→OP) has no id: not linked by key, left to heuristics.
    expect(res.unmatchedOuts.map((o) => o.key)).toEqual(['across:1:4024312', null]);
    expect(res.unmatchedIns).toHaveLength(ins.length - 3);
  });
});
