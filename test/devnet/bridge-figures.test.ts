// Hand-checked figures of the two-chain devnet (src/devnet/bridge-scenario.ts), read from the two
// nodes by plain JSON-RPC (receipts, eth_call, eth_getBalance), never through the tracer. Events
// are decoded with the mainnet signatures written out here (topic0 checked against the table in
// ../shared/data/bridge-swap-abis/EVENTS.md, copied as facts), not with the devnet's own ABIs.
import { AbiCoder, getAddress, Interface, type LogDescription, zeroPadValue } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A, B, LOOKALIKE } from '../../src/devnet/bridge-deployment.js';
import { BRIDGE_ACTORS as X } from '../../src/devnet/bridge-scenario.js';
import { type BridgeDevnet, bridgeRegistry, startBridgeDevnet } from '../../src/devnet/bridges.js';
import type { RawReceipt } from '../../src/devnet/chain.js';

const EVENTS = new Interface([
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'event Deposit(address indexed dst, uint256 wad)',
  'event Withdrawal(address indexed src, uint256 wad)',
  'event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to)',
  'event Sync(uint112 reserve0, uint112 reserve1)',
  'event Burn(address indexed burner, uint256 amount)',
  'event Mint(address indexed minter, address indexed to, uint256 amount)',
  'event MessageSent(bytes message)',
  'event DepositForBurn(uint64 indexed nonce, address indexed burnToken, uint256 amount, address indexed depositor, bytes32 mintRecipient, uint32 destinationDomain, bytes32 destinationTokenMessenger, bytes32 destinationCaller)',
  'event MessageReceived(address indexed caller, uint32 sourceDomain, uint64 indexed nonce, bytes32 sender, bytes messageBody)',
  'event MintAndWithdraw(address indexed mintRecipient, uint256 amount, address indexed mintToken)',
  'event V3FundsDeposited(address inputToken, address outputToken, uint256 inputAmount, uint256 outputAmount, uint256 indexed destinationChainId, uint32 indexed depositId, uint32 quoteTimestamp, uint32 fillDeadline, uint32 exclusivityDeadline, address indexed depositor, address recipient, address exclusiveRelayer, bytes message)',
  'event FilledV3Relay(address inputToken, address outputToken, uint256 inputAmount, uint256 outputAmount, uint256 repaymentChainId, uint256 indexed originChainId, uint32 indexed depositId, uint32 fillDeadline, uint32 exclusivityDeadline, address exclusiveRelayer, address indexed relayer, address depositor, address recipient, bytes message, (address updatedRecipient, bytes updatedMessage, uint256 updatedOutputAmount, uint8 fillType) relayExecutionInfo)',
]);

// topic0 per EVENTS.md.
const TOPIC0: Record<string, string> = {
  Transfer: '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef',
  Deposit: '0xe1fffcc4923d04b559f4d29a8bfc6cda04eb5b0d3c460751c2402c5c5cc9109c',
  Withdrawal: '0x7fcf532c15f0a6db0bd6d0e038bea71d30d808c7d98cb3bf7268a95bf5081b65',
  Swap: '0xd78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822',
  Sync: '0x1c411e9a96e071241c2f21f7726b17ae89e3cab4c78be50e062b03a9fffbbad1',
  Burn: '0xcc16f5dbb4873280815c1ee09dbd06736cffcc184412cf7a71a0fdb75d397ca5',
  Mint: '0xab8530f87dc9b59234c4623bf917212bb2536d647574c8e7e5da92c2ede0c9f8',
  MessageSent: '0x8c5261668696ce22758910d05bab8f186d6eb247ceac2af2e82c7dc17669b036',
  DepositForBurn: '0x2fa9ca894982930190727e75500a97d8dc500233a5065e0f3126c48fbe0343c0',
  MessageReceived: '0x58200b4c34ae05ee816d710053fff3fb75af4395915d3d2a771b24aa10e3cc5d',
  MintAndWithdraw: '0x1b2a7ff080b8cb6ff436ce0372e399692bbfb6d4ae5766fd8d58a7b8cc6142e6',
  V3FundsDeposited: '0xa123dc29aebf7d0c3322c8eeb5b999e859f39937950ed31056532713d0de396f',
  FilledV3Relay: '0x571749edf1d5c9599318cdbc4e28a6475d65e87fd3b2ddbe1e9a8d5e7a0f0ff7',
};

const usdt = (n: bigint) => n * 1_000_000n;
const word = (a: string) => zeroPadValue(a, 32).toLowerCase();
/** The swap's output, worked by hand: 2 000e6 × 997 × 500e18 / (1 000 000e6 × 1000 + 2 000e6 × 997). */
const SWAP_OUT = 995_015_938_219_190_933n;

let dn: BridgeDevnet;
beforeAll(async () => {
  dn = await startBridgeDevnet();
});
afterAll(async () => {
  await dn?.stop();
});

type Node = 'a' | 'b';
const rpc = <T>(node: Node, method: string, params: unknown[] = []) => dn[node].anvil.rpc<T>(method, params);
const hashOf = (node: Node, name: string) => {
  const p = dn[node].played.find((x) => x.step.name === name);
  if (!p) throw new Error(`no step ${name}`);
  return p.hash;
};
const receipt = (node: Node, name: string) =>
  rpc<RawReceipt>(node, 'eth_getTransactionReceipt', [hashOf(node, name)]);
const blockTime = async (node: Node, r: RawReceipt) =>
  Number(
    BigInt(
      (await rpc<{ timestamp: string }>(node, 'eth_getBlockByNumber', [r.blockNumber, false])).timestamp,
    ),
  );

/** Every log of a receipt as [emitter, event name, args]; an unknown log fails the test. */
function events(r: RawReceipt): { address: string; name: string; args: LogDescription['args'] }[] {
  expect(r.status).toBe('0x1');
  return r.logs.map((l) => {
    const d = EVENTS.parseLog({ topics: l.topics, data: l.data });
    if (!d) throw new Error(`unexpected log ${l.topics[0]} from ${l.address}`);
    return { address: getAddress(l.address), name: d.name, args: d.args };
  });
}

async function balanceOf(node: Node, token: string, holder: string): Promise<bigint> {
  return BigInt(
    await rpc<string>(node, 'eth_call', [
      { to: token, data: `0x70a08231${word(holder).slice(2)}` },
      'latest',
    ]),
  );
}
async function totalSupply(node: Node, token: string): Promise<bigint> {
  return BigInt(await rpc<string>(node, 'eth_call', [{ to: token, data: '0x18160ddd' }, 'latest']));
}
async function ethBalance(node: Node, who: string, block: string | number = 'latest'): Promise<bigint> {
  const tag = typeof block === 'number' ? `0x${block.toString(16)}` : block;
  return BigInt(await rpc<string>(node, 'eth_getBalance', [who, tag]));
}

describe('two-chain devnet: hand-checked figures from the nodes', () => {
  it('the decoding signatures are the mainnet ones (topic0 as in EVENTS.md)', () => {
    for (const [name, topic] of Object.entries(TOPIC0))
      expect(EVENTS.getEvent(name)?.topicHash, name).toBe(topic);
  });

  it('the nodes are chain ids 31337 and 31338', async () => {
    expect(BigInt(await rpc<string>('a', 'eth_chainId'))).toBe(31337n);
    expect(BigInt(await rpc<string>('b', 'eth_chainId'))).toBe(31338n);
  });

  it('theft: victim → thief 10 000 USDT on chain A', async () => {
    const ev = events(await receipt('a', 'theft: victim → thief'));
    expect(ev.map((e) => [e.address, e.name, ...e.args])).toEqual([
      [A.usdt, 'Transfer', X.victim, X.thief, usdt(10_000n)],
    ]);
  });

  it('swap: 2 000 USDT in, 0.995015938219190933 ETH out to the thief, through WETH', async () => {
    const r = await receipt('a', 'A: thief swaps 2 000 USDT for ETH');
    const ev = events(r);
    // token0 of the pair is WETH (the lower address), token1 USDT.
    expect(BigInt(A.weth) < BigInt(A.usdt)).toBe(true);
    expect(ev.map((e) => [e.address, e.name, ...e.args])).toEqual([
      [A.usdt, 'Transfer', X.thief, A.pair, usdt(2_000n)],
      [A.weth, 'Transfer', A.pair, A.router, SWAP_OUT],
      [A.pair, 'Sync', 500n * 10n ** 18n - SWAP_OUT, usdt(1_002_000n)],
      [A.pair, 'Swap', A.router, 0n, usdt(2_000n), SWAP_OUT, 0n, A.router],
      [A.weth, 'Withdrawal', A.router, SWAP_OUT],
    ]);
    const h = Number(BigInt(r.blockNumber));
    // Gas price 0: the thief's ETH grows by exactly the swap's output.
    expect((await ethBalance('a', X.thief, h)) - (await ethBalance('a', X.thief, h - 1))).toBe(SWAP_OUT);
  });

  it('wrap: 0.5 ETH into WETH; the thief keeps 0.495015938219190933 ETH and 0.5 WETH', async () => {
    const ev = events(await receipt('a', 'A: thief wraps 0.5 ETH'));
    expect(ev.map((e) => [e.address, e.name, ...e.args])).toEqual([
      [A.weth, 'Deposit', X.thief, 5n * 10n ** 17n],
    ]);
    expect(await balanceOf('a', A.weth, X.thief)).toBe(500_000_000_000_000_000n);
    expect(await ethBalance('a', X.thief)).toBe(495_015_938_219_190_933n);
  });

  it('CCTP: 3 000 USDT burned on A (nonce 0, domain 90 → 91), 3 000 minted to the recipient on B 19 minutes later', async () => {
    const out = await receipt('a', 'A: thief bridges 3 000 USDT by CCTP');
    const ev = events(out);
    expect(ev.map((e) => [e.address, e.name])).toEqual([
      [A.usdt, 'Transfer'],
      [A.usdt, 'Burn'],
      [A.usdt, 'Transfer'],
      [A.transmitter, 'MessageSent'],
      [A.messenger, 'DepositForBurn'],
    ]);
    expect([...ev[0]!.args]).toEqual([X.thief, A.messenger, usdt(3_000n)]);
    expect([...ev[1]!.args]).toEqual([A.messenger, usdt(3_000n)]);
    expect([...ev[2]!.args]).toEqual([
      A.messenger,
      '0x0000000000000000000000000000000000000000',
      usdt(3_000n),
    ]);
    expect([...ev[4]!.args]).toEqual([
      0n, // nonce
      A.usdt,
      usdt(3_000n),
      X.thief,
      word(X.cctpRecipient),
      91n,
      word(B.messenger),
      `0x${'0'.repeat(64)}`,
    ]);
    // The CCTP v1 message: version 0, source 90, destination 91, nonce 0, then sender/recipient/caller.
    const message = ev[3]!.args[0] as string;
    expect(message.slice(0, 2 + 40)).toBe('0x' + '00000000' + '0000005a' + '0000005b' + '0000000000000000');
    expect(await totalSupply('a', A.usdt)).toBe(usdt(1_007_000n)); // 1 000 000 + 10 000 minted, 3 000 burned

    const inn = await receipt('b', 'B: attester delivers the CCTP message (nonce 0)');
    const evb = events(inn);
    expect(evb.map((e) => [e.address, e.name, ...e.args])).toEqual([
      [B.usdt, 'Mint', B.messenger, X.cctpRecipient, usdt(3_000n)],
      [B.usdt, 'Transfer', '0x0000000000000000000000000000000000000000', X.cctpRecipient, usdt(3_000n)],
      [B.messenger, 'MintAndWithdraw', X.cctpRecipient, usdt(3_000n), B.usdt],
      [
        B.transmitter,
        'MessageReceived',
        X.attester,
        90n,
        0n,
        word(A.messenger),
        `0x${message.slice(2 + 232)}`,
      ],
    ]);
    expect((await blockTime('b', inn)) - (await blockTime('a', out))).toBe(1140);
  });

  it('Across: 4 000 USDT into the SpokePool on A (deposit 0 → 31338), 3 992 filled to the recipient on B a minute later', async () => {
    const out = await receipt('a', 'A: thief bridges 4 000 USDT by Across');
    const ev = events(out);
    expect(ev.map((e) => [e.address, e.name])).toEqual([
      [A.usdt, 'Transfer'],
      [A.spokePool, 'V3FundsDeposited'],
    ]);
    expect([...ev[0]!.args]).toEqual([X.thief, A.spokePool, usdt(4_000n)]);
    const d = ev[1]!.args;
    expect([d.inputToken, d.outputToken, d.inputAmount, d.outputAmount]).toEqual([
      A.usdt,
      B.usdt,
      usdt(4_000n),
      usdt(3_992n),
    ]);
    expect([d.destinationChainId, d.depositId, d.depositor, d.recipient]).toEqual([
      31338n,
      0n,
      X.thief,
      X.acrossRecipient,
    ]);

    const inn = await receipt('b', 'B: Across relayer fills deposit 0');
    const evb = events(inn);
    expect(evb.map((e) => [e.address, e.name])).toEqual([
      [B.spokePool, 'FilledV3Relay'],
      [B.usdt, 'Transfer'],
    ]);
    const f = evb[0]!.args;
    expect([f.originChainId, f.depositId, f.relayer, f.recipient, f.inputAmount, f.outputAmount]).toEqual([
      31337n,
      0n,
      X.relayer,
      X.acrossRecipient,
      usdt(4_000n),
      usdt(3_992n),
    ]);
    expect([...evb[1]!.args]).toEqual([X.relayer, X.acrossRecipient, usdt(3_992n)]);
    expect((await blockTime('b', inn)) - (await blockTime('a', out))).toBe(60);
  });

  it('spoof: the look-alike claims CCTP nonce 0 for a decoy, moves nothing, and is not in the registry', async () => {
    const r = await receipt('b', 'B: look-alike claims CCTP nonce 0 for a decoy (spoofed, moves nothing)');
    const ev = events(r);
    expect(ev.map((e) => [e.address, e.name])).toEqual([
      [LOOKALIKE, 'MintAndWithdraw'],
      [LOOKALIKE, 'MessageReceived'],
    ]);
    expect([...ev[0]!.args]).toEqual([X.decoy, usdt(3_000n), B.usdt]);
    expect(ev[1]!.args.sourceDomain).toBe(90n);
    expect(ev[1]!.args.nonce).toBe(0n);
    expect(await balanceOf('b', B.usdt, X.decoy)).toBe(0n);
    // Mined before the real delivery: a first-come linker would pick it.
    const real = await receipt('b', 'B: attester delivers the CCTP message (nonce 0)');
    expect(BigInt(r.blockNumber) < BigInt(real.blockNumber)).toBe(true);
    expect(bridgeRegistry().contracts.map((c) => c.address)).not.toContain(LOOKALIKE);
  });

  it('where the 10 000 USDT are: 2 000 in the pair, 3 000 burned, 4 000 in the SpokePool, 1 000 at rest; 6 992 at the exchange on B', async () => {
    expect(await balanceOf('a', A.usdt, X.thief)).toBe(usdt(1_000n));
    expect(await balanceOf('a', A.usdt, A.pair)).toBe(usdt(1_002_000n));
    expect(await balanceOf('a', A.usdt, A.spokePool)).toBe(usdt(4_000n));
    expect(await balanceOf('a', A.usdt, A.messenger)).toBe(0n);
    expect(await balanceOf('a', A.usdt, X.victim)).toBe(0n);
    expect(await balanceOf('b', B.usdt, X.exchangeDeposit)).toBe(usdt(6_992n));
    expect(await balanceOf('b', B.usdt, X.cctpRecipient)).toBe(0n);
    expect(await balanceOf('b', B.usdt, X.acrossRecipient)).toBe(0n);
    expect(await balanceOf('b', B.usdt, X.relayer)).toBe(usdt(46_008n)); // 50 000 − 3 992
    expect(await totalSupply('b', B.usdt)).toBe(usdt(53_000n)); // 50 000 + 3 000 minted
    const exits = await Promise.all(
      [
        'B: CCTP recipient → exchange deposit 3 000 USDT',
        'B: Across recipient → exchange deposit 3 992 USDT',
      ].map(async (n) => events(await receipt('b', n)).map((e) => [e.address, e.name, ...e.args])),
    );
    expect(exits).toEqual([
      [[B.usdt, 'Transfer', X.cctpRecipient, X.exchangeDeposit, usdt(3_000n)]],
      [[B.usdt, 'Transfer', X.acrossRecipient, X.exchangeDeposit, usdt(3_992n)]],
    ]);
  });

  it('the CCTP message body decodes to the recipient and amount (CCTP v1 burn message layout)', async () => {
    const ev = events(await receipt('a', 'A: thief bridges 3 000 USDT by CCTP'));
    const body = `0x${(ev[3]!.args[0] as string).slice(2 + 232)}`;
    // version (4 bytes), burnToken, mintRecipient, amount, messageSender (32 bytes each)
    const [token, recipient, amount, sender] = AbiCoder.defaultAbiCoder().decode(
      ['bytes32', 'bytes32', 'uint256', 'bytes32'],
      `0x${body.slice(2 + 8)}`,
    );
    expect([token, recipient, amount, sender]).toEqual([
      word(A.usdt),
      word(X.cctpRecipient),
      usdt(3_000n),
      word(X.thief),
    ]);
  });
});
