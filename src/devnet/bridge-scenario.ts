// The two-chain devnet scenario (`fundtrace devnet --bridges`): stolen USDT is swapped, wrapped and
// bridged. Chain A is `anvil` (31337), chain B `anvil-b` (31338), each its own anvil node. As in
// ./scenario.ts every transaction is declared with what it is meant to move, so the exported
// datasets are built from the intent plus the receipts (./export.ts checks each receipt's Transfer
// logs against it), never from the tracer's reading of the nodes.
//
// Gas: contract calls are sent at gas price 0 (anvil runs with --base-fee 0), plain ETH transfers at
// 1 gwei (21 000 × 1 gwei each, paid by the faucet only), so no fee enters the figures below.
//
// The story (USDT has 6 decimals; amounts in whole units unless said):
//   setup A  deploy USDT (a mint/burn stablecoin), WETH (WETH9 events), a V2-style USDT/WETH pair,
//            its router, the CCTP-like MessageTransmitter + TokenMessenger (domain 90) and the
//            Across-like SpokePool; the LP wraps 500 ETH and seeds the pair with 500 WETH and
//            1 000 000 USDT (sync); the victim holds 10 000 USDT.
//   setup B  deploy B's USDT, its MessageTransmitter + TokenMessenger (domain 91), its SpokePool;
//            the Across relayer holds 50 000 USDT on B; an unrelated account deploys a look-alike
//            transmitter (not in the registry).
//   theft    (seed) victim → thief 10 000 USDT
//   swap     thief sells 2 000 USDT through the router: USDT thief → pair, WETH pair → router,
//            unwrapped, ETH router → thief: 995015938219190933 wei
//            (= 2 000e6 × 997 × 500e18 / (1 000 000e6 × 1000 + 2 000e6 × 997), rounded down)
//   wrap     thief wraps 0.5 ETH into WETH (Deposit)
//   CCTP     thief → TokenMessenger 3 000 USDT, burned; DepositForBurn nonce 0 to domain 91 for
//            the CCTP recipient; on B, 19 minutes later, the attester delivers the message:
//            MessageReceived (source domain 90, nonce 0) + 3 000 USDT minted to the recipient
//   Across   thief → SpokePool 4 000 USDT, V3FundsDeposited deposit id 0 to chain 31338, output
//            3 992 USDT to the Across recipient; on B, a minute later, the relayer fills: 3 992
//            USDT from the relayer to the recipient (FilledV3Relay origin 31337, deposit id 0)
//   spoof    on B, 10 minutes after the burn, the look-alike emits MintAndWithdraw +
//            MessageReceived claiming domain 90 nonce 0 for a decoy: no token moves, and as it is
//            not the registered transmitter it must not link
//   exits    on B, the CCTP recipient → exchange deposit 3 000 USDT, the Across recipient →
//            exchange deposit 3 992 USDT (6 992 USDT at the labelled deposit address)
//   at rest  on A, the thief keeps 1 000 USDT, 0.495015938219190933 ETH and 0.5 WETH
//
// Hand-checked figures, read from the nodes by plain JSON-RPC: test/devnet/bridge-figures.test.ts.
//
// API:
//   BRIDGE_ACTORS, BRIDGE_SEED (name of the theft step), BRIDGE_AMOUNTS
//   chainASteps(), chainBSteps(times), cctpMessage(), acrossRelayData()
//   bridgeLabels()                         labels for both chains (exchange deposit on B, victim on A)
//   playBridgeScenario(chainA, chainB)     deploy and play on two fresh anvils → {a, b} PlayedTx[]
//   playSteps(chain, steps)                play in order; throws at the first step whose status is not the intended one
import { AbiCoder, parseEther, solidityPacked, zeroPadValue } from 'ethers';
import type { Label } from '../core/model.js';
import { A, B, BRIDGE_DEPLOYERS, CHAIN_A, CHAIN_B, LOOKALIKE, SPOOFER } from './bridge-deployment.js';
import { type DevnetChain, encodeCall, encodeDeploy, PLAIN_GAS_PRICE, type TxRequest } from './chain.js';
import { devnetAddress } from './deployment.js';
import type { PlayedTx, Step } from './scenario.js';

const ZERO = '0x0000000000000000000000000000000000000000';
const ZERO32 = `0x${'0'.repeat(64)}`;
const MAX = 2n ** 256n - 1n;

export const BRIDGE_ACTORS = {
  faucet: devnetAddress('faucet'),
  lp: devnetAddress('bridges liquidity provider'),
  victim: devnetAddress('bridges victim'),
  thief: devnetAddress('bridges thief'),
  cctpRecipient: devnetAddress('bridges cctp recipient'),
  acrossRecipient: devnetAddress('bridges across recipient'),
  exchangeDeposit: devnetAddress('bridges exchange deposit'),
  relayer: devnetAddress('bridges across relayer'),
  attester: devnetAddress('bridges cctp attester'),
  decoy: devnetAddress('bridges decoy'),
  spoofer: SPOOFER,
  deployerA: BRIDGE_DEPLOYERS.a,
  deployerB: BRIDGE_DEPLOYERS.b,
} as const;

/** Name of the step whose transaction seeds the trace (the theft). */
export const BRIDGE_SEED = 'theft: victim → thief';

const USDT = (n: bigint) => n * 1_000_000n;

/** Pool reserves and the swap's output, by Uniswap V2's getAmountOut (0.3 % fee, rounded down). */
const POOL_USDT = USDT(1_000_000n);
const POOL_WETH = parseEther('500');
const SWAP_IN = USDT(2_000n);
const swapOut = (amountIn: bigint, reserveIn: bigint, reserveOut: bigint) =>
  (amountIn * 997n * reserveOut) / (reserveIn * 1000n + amountIn * 997n);

export const BRIDGE_AMOUNTS = {
  stolen: USDT(10_000n),
  poolUsdt: POOL_USDT,
  poolWeth: POOL_WETH,
  swapIn: SWAP_IN,
  swapOut: swapOut(SWAP_IN, POOL_USDT, POOL_WETH),
  wrap: parseEther('0.5'),
  cctp: USDT(3_000n),
  acrossIn: USDT(4_000n),
  acrossOut: USDT(3_992n),
  relayerFloat: USDT(50_000n),
} as const;

/** Across relay timing (unix seconds): constants, so the relay data is known before play. */
const QUOTE_TIMESTAMP = 1_717_200_000;
const FILL_DEADLINE = QUOTE_TIMESTAMP + 86_400;

const word = (address: string) => zeroPadValue(address, 32).toLowerCase();

/** The Across relay data of the deposit (SpokePool V3RelayData, in field order). */
export function acrossRelayData(): unknown[] {
  const X = BRIDGE_ACTORS;
  return [
    X.thief, // depositor
    X.acrossRecipient, // recipient
    ZERO, // exclusiveRelayer
    A.usdt, // inputToken
    B.usdt, // outputToken
    BRIDGE_AMOUNTS.acrossIn,
    BRIDGE_AMOUNTS.acrossOut,
    CHAIN_A.chainId, // originChainId
    0, // depositId: the first deposit on this SpokePool
    FILL_DEADLINE,
    0, // exclusivityDeadline
    '0x', // message
  ];
}

/** The CCTP v1 message chain A's transmitter emits for the burn (nonce 0), delivered on B. */
export function cctpMessage(): string {
  const body = solidityPacked(
    ['uint32', 'bytes32', 'bytes32', 'uint256', 'bytes32'],
    [0, word(A.usdt), word(BRIDGE_ACTORS.cctpRecipient), BRIDGE_AMOUNTS.cctp, word(BRIDGE_ACTORS.thief)],
  );
  return solidityPacked(
    ['uint32', 'uint32', 'uint32', 'uint64', 'bytes32', 'bytes32', 'bytes32', 'bytes'],
    [0, CHAIN_A.cctpDomain, CHAIN_B.cctpDomain, 0, word(A.messenger), word(B.messenger), ZERO32, body],
  ).toLowerCase();
}

const plain = (from: string, to: string, value: bigint): TxRequest => ({
  from,
  to,
  value,
  gasPrice: PLAIN_GAS_PRICE,
});
const call = (from: string, to: string, data: string, value = 0n): TxRequest => ({
  from,
  to,
  data,
  value,
  gasPrice: 0n,
});
const deploy = (name: string, from: string, data: string): Step => ({
  name,
  tx: { from, data, gasPrice: 0n },
});
const token = (symbol: string, from: string, to: string, value: bigint) =>
  ({ kind: 'token', token: symbol, from, to, value }) as const;
const approve = (name: string, from: string, tokenAddress: string, spender: string): Step => ({
  name,
  tx: call(from, tokenAddress, encodeCall('BridgeToken', 'approve', [spender, MAX])),
});

/** Chain A, in play order (one transaction per block). */
export function chainASteps(): Step[] {
  const X = BRIDGE_ACTORS;
  const M = BRIDGE_AMOUNTS;
  const d = X.deployerA;
  return [
    // ---- setup ----
    deploy('A: deploy USDT', d, encodeDeploy('BridgeToken', ['Devnet Tether USD', 'USDT', 6])),
    deploy('A: deploy WETH', d, encodeDeploy('WrappedEther', [])),
    deploy('A: deploy USDT/WETH pair', d, encodeDeploy('DevPair', [A.usdt, A.weth])),
    deploy('A: deploy router', d, encodeDeploy('DevRouter', [A.pair, A.weth])),
    deploy(
      'A: deploy CCTP MessageTransmitter',
      d,
      encodeDeploy('DevMessageTransmitter', [CHAIN_A.cctpDomain, X.attester]),
    ),
    deploy(
      'A: deploy CCTP TokenMessenger',
      d,
      encodeDeploy('DevTokenMessenger', [A.transmitter, A.usdt, CHAIN_B.cctpDomain, B.messenger]),
    ),
    deploy('A: deploy Across SpokePool', d, encodeDeploy('DevSpokePool', [])),
    {
      name: 'A: TokenMessenger may burn USDT',
      tx: call(d, A.usdt, encodeCall('BridgeToken', 'configureMinter', [A.messenger])),
    },
    { name: 'A: fund the LP', tx: plain(X.faucet, X.lp, M.poolWeth + parseEther('1')) },
    {
      name: 'A: LP wraps 500 ETH',
      tx: call(X.lp, A.weth, encodeCall('WrappedEther', 'deposit', []), M.poolWeth),
    },
    {
      name: 'A: LP → pair 500 WETH',
      tx: call(X.lp, A.weth, encodeCall('WrappedEther', 'transfer', [A.pair, M.poolWeth])),
      moves: [token('WETH', X.lp, A.pair, M.poolWeth)],
    },
    {
      name: 'A: mint 1 000 000 USDT to the pair',
      tx: call(d, A.usdt, encodeCall('BridgeToken', 'mint', [A.pair, M.poolUsdt])),
      moves: [token('USDT', ZERO, A.pair, M.poolUsdt)],
    },
    { name: 'A: pair sync', tx: call(X.lp, A.pair, encodeCall('DevPair', 'sync', [])) },
    {
      name: 'A: mint 10 000 USDT to the victim',
      tx: call(d, A.usdt, encodeCall('BridgeToken', 'mint', [X.victim, M.stolen])),
      moves: [token('USDT', ZERO, X.victim, M.stolen)],
    },
    // ---- theft ----
    {
      name: BRIDGE_SEED,
      tx: call(X.victim, A.usdt, encodeCall('BridgeToken', 'transfer', [X.thief, M.stolen])),
      moves: [token('USDT', X.victim, X.thief, M.stolen)],
    },
    // ---- swap to ETH, wrap part of it ----
    approve('A: thief approves the router', X.thief, A.usdt, A.router),
    {
      name: 'A: thief swaps 2 000 USDT for ETH',
      tx: call(
        X.thief,
        A.router,
        encodeCall('DevRouter', 'swapExactTokensForETH', [
          M.swapIn,
          M.swapOut,
          [A.usdt, A.weth],
          X.thief,
          FILL_DEADLINE,
        ]),
      ),
      moves: [
        token('USDT', X.thief, A.pair, M.swapIn),
        token('WETH', A.pair, A.router, M.swapOut),
        { kind: 'internal', from: A.weth, to: A.router, value: M.swapOut },
        { kind: 'internal', from: A.router, to: X.thief, value: M.swapOut },
      ],
    },
    {
      name: 'A: thief wraps 0.5 ETH',
      tx: call(X.thief, A.weth, encodeCall('WrappedEther', 'deposit', []), M.wrap),
    },
    // ---- bridge the rest: CCTP and Across ----
    approve('A: thief approves the TokenMessenger', X.thief, A.usdt, A.messenger),
    {
      name: 'A: thief bridges 3 000 USDT by CCTP',
      tx: call(
        X.thief,
        A.messenger,
        encodeCall('DevTokenMessenger', 'depositForBurn', [
          M.cctp,
          CHAIN_B.cctpDomain,
          word(X.cctpRecipient),
          A.usdt,
        ]),
      ),
      moves: [token('USDT', X.thief, A.messenger, M.cctp), token('USDT', A.messenger, ZERO, M.cctp)],
    },
    approve('A: thief approves the SpokePool', X.thief, A.usdt, A.spokePool),
    {
      name: 'A: thief bridges 4 000 USDT by Across',
      tx: call(
        X.thief,
        A.spokePool,
        encodeCall('DevSpokePool', 'depositV3', [acrossRelayData(), CHAIN_B.chainId, QUOTE_TIMESTAMP]),
      ),
      moves: [token('USDT', X.thief, A.spokePool, M.acrossIn)],
    },
  ];
}

/** When chain A's bridge deposits were mined (unix seconds): chain B's legs come after. */
export interface DepositTimes {
  cctp: number;
  across: number;
}

/** Bridge delays on B after the deposit on A (seconds): a fast relayer, CCTP's attestation wait. */
export const DELAYS = { acrossFill: 60, spoof: 600, cctpReceive: 1140 } as const;

/** Chain B, in play order; the bridge legs are mined at the deposit time plus DELAYS. */
export function chainBSteps(times: DepositTimes): Step[] {
  const X = BRIDGE_ACTORS;
  const M = BRIDGE_AMOUNTS;
  const d = X.deployerB;
  return [
    // ---- setup ----
    deploy('B: deploy USDT', d, encodeDeploy('BridgeToken', ['Devnet Tether USD', 'USDT', 6])),
    deploy(
      'B: deploy CCTP MessageTransmitter',
      d,
      encodeDeploy('DevMessageTransmitter', [CHAIN_B.cctpDomain, X.attester]),
    ),
    deploy(
      'B: deploy CCTP TokenMessenger',
      d,
      encodeDeploy('DevTokenMessenger', [B.transmitter, B.usdt, CHAIN_A.cctpDomain, A.messenger]),
    ),
    deploy('B: deploy Across SpokePool', d, encodeDeploy('DevSpokePool', [])),
    {
      name: 'B: TokenMessenger may mint USDT',
      tx: call(d, B.usdt, encodeCall('BridgeToken', 'configureMinter', [B.messenger])),
    },
    {
      name: 'B: mint the relayer 50 000 USDT',
      tx: call(d, B.usdt, encodeCall('BridgeToken', 'mint', [X.relayer, M.relayerFloat])),
      moves: [token('USDT', ZERO, X.relayer, M.relayerFloat)],
    },
    approve('B: relayer approves the SpokePool', X.relayer, B.usdt, B.spokePool),
    deploy(
      'B: an unrelated account deploys a look-alike transmitter',
      SPOOFER,
      encodeDeploy('LookalikeTransmitter', []),
    ),
    // ---- the bridge legs ----
    {
      name: 'B: Across relayer fills deposit 0',
      tx: call(
        X.relayer,
        B.spokePool,
        encodeCall('DevSpokePool', 'fillV3Relay', [acrossRelayData(), CHAIN_B.chainId]),
      ),
      moves: [token('USDT', X.relayer, X.acrossRecipient, M.acrossOut)],
      at: times.across + DELAYS.acrossFill,
    },
    {
      name: 'B: look-alike claims CCTP nonce 0 for a decoy (spoofed, moves nothing)',
      tx: call(
        SPOOFER,
        LOOKALIKE,
        encodeCall('LookalikeTransmitter', 'receiveMessage', [
          CHAIN_A.cctpDomain,
          0,
          word(A.messenger),
          X.decoy,
          M.cctp,
          B.usdt,
        ]),
      ),
      at: times.cctp + DELAYS.spoof,
    },
    {
      name: 'B: attester delivers the CCTP message (nonce 0)',
      tx: call(
        X.attester,
        B.transmitter,
        encodeCall('DevMessageTransmitter', 'receiveMessage', [cctpMessage(), '0x']),
      ),
      moves: [token('USDT', ZERO, X.cctpRecipient, M.cctp)],
      at: times.cctp + DELAYS.cctpReceive,
    },
    // ---- exits ----
    {
      name: 'B: CCTP recipient → exchange deposit 3 000 USDT',
      tx: call(X.cctpRecipient, B.usdt, encodeCall('BridgeToken', 'transfer', [X.exchangeDeposit, M.cctp])),
      moves: [token('USDT', X.cctpRecipient, X.exchangeDeposit, M.cctp)],
    },
    {
      name: 'B: Across recipient → exchange deposit 3 992 USDT',
      tx: call(
        X.acrossRecipient,
        B.usdt,
        encodeCall('BridgeToken', 'transfer', [X.exchangeDeposit, M.acrossOut]),
      ),
      moves: [token('USDT', X.acrossRecipient, X.exchangeDeposit, M.acrossOut)],
    },
  ];
}

/** Labels for both chains, in fundtrace label form. */
export function bridgeLabels(): Label[] {
  const X = BRIDGE_ACTORS;
  const l = (chain: string, address: string, entity: string, category: string, note: string): Label => ({
    chain,
    address,
    entity,
    category,
    source: 'fundtrace devnet --bridges',
    confidence: 'high',
    note,
  });
  return [
    l(CHAIN_A.name, X.victim, 'Victim (devnet, chain A)', 'individual', 'USDT stolen with a leaked key'),
    l(CHAIN_B.name, X.exchangeDeposit, 'Devnet Exchange', 'exchange', 'deposit address on chain B'),
  ];
}

export async function playSteps(chain: DevnetChain, steps: readonly Step[]): Promise<PlayedTx[]> {
  const played: PlayedTx[] = [];
  for (const step of steps) {
    if (step.at !== undefined) await chain.anvil.rpc('evm_setNextBlockTimestamp', [step.at]);
    const hash = await chain.send(step.tx);
    // Fail at the step that went wrong, not later in a figure that no longer adds up.
    const ok = (await chain.receipt(hash)).status === '0x1';
    if (ok !== (step.expect !== 'revert'))
      throw new Error(
        `devnet step "${step.name}" ${ok ? 'succeeded' : 'failed'}, expected the opposite (${hash})`,
      );
    played.push({ step, hash });
  }
  return played;
}

/** Play the whole story on two fresh devnets: chain A first, then chain B (its legs timed after A's deposits). */
export async function playBridgeScenario(
  a: DevnetChain,
  b: DevnetChain,
): Promise<{ a: PlayedTx[]; b: PlayedTx[] }> {
  await a.anvil.rpc('anvil_setBalance', [BRIDGE_ACTORS.faucet, `0x${(10n ** 24n).toString(16)}`]);
  const playedA = await playSteps(a, chainASteps());
  const timeOf = async (name: string) => {
    const p = playedA.find((x) => x.step.name === name)!;
    const r = await a.receipt(p.hash);
    const blk = await a.anvil.rpc<{ timestamp: string }>('eth_getBlockByNumber', [r.blockNumber, false]);
    return { receipt: r, time: Number(BigInt(blk.timestamp)) };
  };
  const cctp = await timeOf('A: thief bridges 3 000 USDT by CCTP');
  const across = await timeOf('A: thief bridges 4 000 USDT by Across');
  // The message delivered on B is built from the story; it must be the one chain A emitted.
  const sent = cctp.receipt.logs.find(
    (l) => l.address.toLowerCase() === A.transmitter.toLowerCase() && l.topics[0] === MESSAGE_SENT_TOPIC,
  );
  const emitted = sent ? AbiCoder.defaultAbiCoder().decode(['bytes'], sent.data)[0] : undefined;
  if (typeof emitted !== 'string' || emitted.toLowerCase() !== cctpMessage())
    throw new Error(
      'devnet: the CCTP message chain A emitted is not the one the scenario delivers on chain B',
    );
  const playedB = await playSteps(b, chainBSteps({ cctp: cctp.time, across: across.time }));
  return { a: playedA, b: playedB };
}

/** keccak256("MessageSent(bytes)"). */
const MESSAGE_SENT_TOPIC = '0x8c5261668696ce22758910d05bab8f186d6eb247ceac2af2e82c7dc17669b036';
