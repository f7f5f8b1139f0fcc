// decodeTxLogs on synthetic logs, encoded independently with ethers' ABI coder from the canonical
// human-readable signatures: every recognised event, and every bad-input case (spoofed emitter,
// wrong topic count, wrong data length, junk in an address word, out-of-range integers, offsets
// outside the data). Table-driven: each row is one transaction's logs and what must come out.
import { Interface, toBeHex, zeroPadValue } from 'ethers';
import { describe, expect, it } from 'vitest';
import { decodeTxLogs } from '../../src/core/events/decode.js';
import { buildRegistry, parseRegistryFile } from '../../src/core/events/registry.js';
import type { TxLog } from '../../src/core/model.js';

const A = {
  tm: '0xBd3fa81B58Ba92a82136038B25aDec7066af3155',
  mt: '0x0a992d191DEeC32aFe36203Ad87D7d289a738F81',
  tm2: '0x28b5a0e9C621a5BadaA536219b3a228C8168cf5d',
  mt2: '0x81D40F21F12A8F0E3252Bccb954D722d4c464B64',
  spoke: '0x5c7BCd6E7De5423a257D81B442095A1a6ced35C5',
  weth: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
  hopL2: '0x3749C4f034022c39ecafFaBA182555d4508caCCC',
  hopL1: '0xb8901acB165ed027E32754E0FFe830802919727f',
  sg: '0xc026395860Db2d07ee33e05fE50ed7bD583189C7',
  usdc: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
  alice: '0x1111111111111111111111111111111111111111',
  bob: '0x2222222222222222222222222222222222222222',
  fake: '0x9999999999999999999999999999999999999999',
  pool: '0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc',
};

const c = (chain: string, address: string, protocol: string, role: string, extra: object = {}) => ({
  chain,
  address,
  protocol,
  role,
  name: `${protocol} ${role}`,
  source: 'test',
  ...extra,
});
const file = parseRegistryFile(
  {
    chains: {
      ethereum: { chainId: '1', cctpDomain: 0, stargateEid: 30101 },
      arbitrum: { chainId: '42161', cctpDomain: 3, stargateEid: 30110 },
    },
    contracts: [
      c('ethereum', A.tm, 'cctp', 'token-messenger'),
      c('ethereum', A.mt, 'cctp', 'message-transmitter'),
      c('ethereum', A.tm2, 'cctp-v2', 'token-messenger'),
      c('ethereum', A.mt2, 'cctp-v2', 'message-transmitter'),
      c('ethereum', A.spoke, 'across', 'spoke-pool'),
      c('ethereum', A.weth, 'weth', 'wrapped-native'),
      c('ethereum', A.hopL1, 'hop', 'l1-bridge', { asset: 'native' }),
      c('arbitrum', A.hopL2, 'hop', 'l2-bridge', { asset: 'native' }),
      c('ethereum', A.sg, 'stargate', 'pool', { asset: A.usdc }),
    ],
  },
  'test',
);
if (file.errors.length) throw new Error(file.errors.join('\n'));
const registry = buildRegistry(file.entries, file.chains);

const iface = new Interface([
  'event DepositForBurn(uint64 indexed nonce, address indexed burnToken, uint256 amount, address indexed depositor, bytes32 mintRecipient, uint32 destinationDomain, bytes32 destinationTokenMessenger, bytes32 destinationCaller)',
  'event MintAndWithdraw(address indexed mintRecipient, uint256 amount, address indexed mintToken)',
  'event MessageReceived(address indexed caller, uint32 sourceDomain, uint64 indexed nonce, bytes32 sender, bytes messageBody)',
  'event MessageSent(bytes message)',
  'event FundsDeposited(bytes32 inputToken, bytes32 outputToken, uint256 inputAmount, uint256 outputAmount, uint256 indexed destinationChainId, uint256 indexed depositId, uint32 quoteTimestamp, uint32 fillDeadline, uint32 exclusivityDeadline, bytes32 indexed depositor, bytes32 recipient, bytes32 exclusiveRelayer, bytes message)',
  'event FilledV3Relay(address inputToken, address outputToken, uint256 inputAmount, uint256 outputAmount, uint256 repaymentChainId, uint256 indexed originChainId, uint32 indexed depositId, uint32 fillDeadline, uint32 exclusivityDeadline, address exclusiveRelayer, address indexed relayer, address depositor, address recipient, bytes message, (address,bytes,uint256,uint8) relayExecutionInfo)',
  'event Deposit(address indexed dst, uint256 wad)',
  'event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to)',
  'event TransferSent(bytes32 indexed transferId, uint256 indexed chainId, address indexed recipient, uint256 amount, bytes32 transferNonce, uint256 bonderFee, uint256 index, uint256 amountOutMin, uint256 deadline)',
  'event Withdrew(bytes32 indexed transferId, address indexed recipient, uint256 amount, bytes32 transferNonce)',
  'event OFTSent(bytes32 indexed guid, uint32 dstEid, address indexed fromAddress, uint256 amountSentLD, uint256 amountReceivedLD)',
  'event OFTReceived(bytes32 indexed guid, uint32 srcEid, address indexed toAddress, uint256 amountReceivedLD)',
]);
const iface2 = new Interface([
  'event DepositForBurn(address indexed burnToken, uint256 amount, address indexed depositor, bytes32 mintRecipient, uint32 destinationDomain, bytes32 destinationTokenMessenger, bytes32 destinationCaller, uint256 maxFee, uint32 indexed minFinalityThreshold, bytes hookData)',
  'event MintAndWithdraw(address indexed mintRecipient, uint256 amount, address indexed mintToken, uint256 feeCollected)',
  'event MessageReceived(address indexed caller, uint32 sourceDomain, bytes32 indexed nonce, bytes32 sender, uint32 indexed finalityThresholdExecuted, bytes messageBody)',
]);
const swapV3 = new Interface([
  'event Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, uint160 sqrtPriceX96, uint128 liquidity, int24 tick)',
]);

const TX = `0x${'ab'.repeat(32)}`;
let nextIndex = 0;
function log(address: string, enc: { topics: readonly string[]; data: string }, index = nextIndex++): TxLog {
  return {
    tx: TX,
    index,
    height: 100,
    position: 1,
    time: '2026-01-01T00:00:00Z',
    address,
    topics: [...enc.topics],
    data: enc.data,
  };
}
const ev = (i: Interface, name: string, values: unknown[]) => i.encodeEventLog(name, values);
const b32 = (a: string) => zeroPadValue(a, 32);
const hex = (n: bigint, bytes: number) => toBeHex(n, bytes).slice(2);

const dfb = (nonce: bigint, from = A.tm, over: Partial<Record<string, unknown>> = {}) =>
  log(
    from,
    ev(iface, 'DepositForBurn', [
      nonce,
      A.usdc,
      (over.amount as bigint) ?? 1_000_000n,
      A.alice,
      (over.recipient as string) ?? b32(A.bob),
      (over.dest as number) ?? 3,
      b32(A.tm),
      `0x${'00'.repeat(32)}`,
    ]),
  );
/** CCTP v1 message header: version, sourceDomain, destinationDomain, nonce(8), sender, recipient, caller, then body. */
const v1Message = (src: number, dst: number, nonce: bigint) =>
  `0x${hex(0n, 4)}${hex(BigInt(src), 4)}${hex(BigInt(dst), 4)}${hex(nonce, 8)}${'00'.repeat(96)}${'00'.repeat(132)}`;
const burnBody = (recipient: string, amount: bigint) =>
  `0x${hex(0n, 4)}${b32(A.usdc).slice(2)}${b32(recipient).slice(2)}${hex(amount, 32)}${b32(A.alice).slice(2)}`;

function run(logs: TxLog[], chain = 'ethereum') {
  const r = decodeTxLogs(chain, logs, registry);
  return {
    events: r.events.map((e) => {
      const { ref, ...rest } = e;
      return { at: ref.index, ...rest };
    }),
    problems: r.problems.map((p) => `${p.ref.index} ${p.ref.event}: ${p.message}`),
  };
}

describe('recognised events', () => {
  it('CCTP v1 DepositForBurn (with its MessageSent) → bridge-out keyed by source domain and nonce', () => {
    nextIndex = 0;
    const r = run([log(A.mt, ev(iface, 'MessageSent', [v1Message(0, 3, 77n)])), dfb(77n)]);
    expect(r.problems).toEqual([]);
    expect(r.events).toMatchObject([
      {
        at: 1,
        kind: 'bridge-out',
        protocol: 'cctp',
        key: 'cctp:0:77',
        depositor: A.alice,
        recipient: A.bob,
        destChain: 'arbitrum',
        destChainId: '3',
        token: A.usdc,
        amount: 1_000_000n,
      },
    ]);
  });

  it('CCTP v1 MessageReceived + MintAndWithdraw → bridge-in; a generic message is ignored', () => {
    nextIndex = 0;
    const r = run([
      log(A.tm, ev(iface, 'MintAndWithdraw', [A.bob, 500n, A.usdc])),
      log(A.mt, ev(iface, 'MessageReceived', [A.alice, 3, 9n, b32(A.tm), burnBody(A.bob, 500n)])),
      log(A.mt, ev(iface, 'MessageReceived', [A.alice, 3, 10n, b32(A.tm), '0x1234'])),
    ]);
    expect(r.problems).toEqual([]);
    expect(r.events).toMatchObject([
      {
        at: 1,
        kind: 'bridge-in',
        key: 'cctp:3:9',
        recipient: A.bob,
        amount: 500n,
        originChain: 'arbitrum',
        depositAmount: 500n,
      },
    ]);
  });

  it('CCTP v2: no nonce at the source → key null; a MessageSent header with a nonce → keyed; the mint nets its fee', () => {
    nextIndex = 0;
    const dfb2 = () =>
      log(
        A.tm2,
        ev(iface2, 'DepositForBurn', [
          A.usdc,
          1000n,
          A.alice,
          b32(A.bob),
          3,
          b32(A.tm2),
          b32(A.tm2),
          5n,
          1000,
          '0x',
        ]),
      );
    const v2Header = (nonce: string) =>
      `0x${hex(1n, 4)}${hex(0n, 4)}${hex(3n, 4)}${nonce.slice(2)}${'00'.repeat(136)}`;
    const zero = run([log(A.mt2, ev(iface, 'MessageSent', [v2Header(`0x${'00'.repeat(32)}`)])), dfb2()]);
    expect(zero.events).toMatchObject([{ kind: 'bridge-out', key: null, fee: 5n, amount: 1000n }]);
    expect((zero.events[0] as { identifier: string }).identifier).toMatch(
      /assigned by Circle's attestation service/,
    );
    const n = `0x${'0c'.repeat(32)}`;
    expect(run([log(A.mt2, ev(iface, 'MessageSent', [v2Header(n)])), dfb2()]).events).toMatchObject([
      { key: `cctp:0:${n}` },
    ]);
    const body = `0x${hex(1n, 4)}${b32(A.usdc).slice(2)}${b32(A.bob).slice(2)}${hex(1000n, 32)}${'00'.repeat(32 * 4)}`;
    const inn = run([
      log(A.tm2, ev(iface2, 'MintAndWithdraw', [A.bob, 995n, A.usdc, 5n])),
      log(A.mt2, ev(iface2, 'MessageReceived', [A.alice, 3, n, b32(A.tm2), 2000, body])),
    ]);
    expect(inn.problems).toEqual([]);
    expect(inn.events).toMatchObject([
      { kind: 'bridge-in', key: `cctp:3:${n}`, amount: 995n, depositAmount: 1000n },
    ]);
  });

  it('Across FilledV3Relay (dynamic tuple): a sped-up fill pays the updated recipient and amount', () => {
    nextIndex = 0;
    const r = run([
      log(
        A.spoke,
        ev(iface, 'FilledV3Relay', [
          A.usdc,
          A.usdc,
          1000n,
          990n,
          1n,
          42161n,
          7,
          0,
          0,
          A.fake,
          A.fake,
          A.alice,
          A.alice,
          '0x',
          [A.bob, '0xdead', 980n, 0],
        ]),
      ),
    ]);
    expect(r.problems).toEqual([]);
    expect(r.events).toMatchObject([
      {
        kind: 'bridge-in',
        key: 'across:42161:7',
        recipient: A.bob,
        amount: 980n,
        depositAmount: 1000n,
        originChain: 'arbitrum',
      },
    ]);
    expect((r.events[0] as { note: string }).note).toMatch(
      /recipient changed .* output amount changed from 990 to 980/,
    );
  });

  it('Across FundsDeposited to a non-EVM chain keeps the bytes32 recipient and says so', () => {
    nextIndex = 0;
    const sol = `0x${'7f'.repeat(32)}`;
    const r = run([
      log(
        A.spoke,
        ev(iface, 'FundsDeposited', [
          b32(A.usdc),
          sol,
          1000n,
          990n,
          34268394551451n,
          5n,
          0,
          0,
          0,
          b32(A.alice),
          sol,
          `0x${'00'.repeat(32)}`,
          '0x',
        ]),
      ),
    ]);
    expect(r.problems).toEqual([]);
    expect(r.events).toMatchObject([
      { key: 'across:1:5', recipient: sol, destChain: null, destChainId: '34268394551451', outToken: sol },
    ]);
    expect((r.events[0] as { note: string }).note).toMatch(/recipient is not an EVM address/);
  });

  it('Hop TransferSent / Withdrew and Stargate OFTSent (taxi and bus) / OFTReceived', () => {
    nextIndex = 0;
    const id = `0x${'f3'.repeat(32)}`;
    const l2 = run(
      [log(A.hopL2, ev(iface, 'TransferSent', [id, 1n, A.bob, 1000n, id, 10n, 0n, 0n, 0n]))],
      'arbitrum',
    );
    expect(l2.events).toMatchObject([
      { kind: 'bridge-out', key: `hop:${id}`, destChain: 'ethereum', token: null, fee: 10n },
    ]);
    const w = run([log(A.hopL1, ev(iface, 'Withdrew', [id, A.bob, 1000n, id]))]);
    expect(w.events).toMatchObject([
      { kind: 'bridge-in', key: `hop:${id}`, recipient: A.bob, originChainId: null },
    ]);
    const guid = `0x${'61'.repeat(32)}`;
    const sg = run([
      log(A.sg, ev(iface, 'OFTSent', [guid, 30110, A.alice, 1000n, 999n])),
      log(A.sg, ev(iface, 'OFTSent', [`0x${'00'.repeat(32)}`, 30110, A.alice, 5n, 5n])),
      log(A.sg, ev(iface, 'OFTReceived', [guid, 30110, A.bob, 999n])),
    ]);
    expect(sg.events).toMatchObject([
      {
        kind: 'bridge-out',
        key: `stargate:${guid}`,
        destChain: 'arbitrum',
        token: A.usdc,
        amount: 1000n,
        outAmount: 999n,
        recipient: null,
      },
      { kind: 'bridge-out', key: null },
      { kind: 'bridge-in', key: `stargate:${guid}`, recipient: A.bob, originChain: 'arbitrum' },
    ]);
  });

  it('swaps from any address; WETH events only from the registered wrapper', () => {
    nextIndex = 0;
    const r = run([
      log(A.pool, ev(iface, 'Swap', [A.alice, 0n, 5n, 7n, 0n, A.bob])),
      log(A.fake, ev(swapV3, 'Swap', [A.alice, A.bob, -3n, 4n, 1n, 1n, -5])),
      log(A.weth, ev(iface, 'Deposit', [A.alice, 9n])),
      log(A.fake, ev(iface, 'Deposit', [A.alice, 9n])),
    ]);
    expect(r.problems).toEqual([]);
    expect(r.events).toMatchObject([
      {
        at: 0,
        kind: 'swap',
        protocol: 'uniswap-v2',
        pool: A.pool,
        amount1In: 5n,
        amount0Out: 7n,
        recipient: A.bob,
      },
      {
        at: 1,
        kind: 'swap',
        protocol: 'uniswap-v3',
        amount0Out: 3n,
        amount1In: 4n,
        amount0In: 0n,
        amount1Out: 0n,
      },
      { at: 2, kind: 'wrap', account: A.alice, value: 9n },
    ]);
  });
});

describe('bad input: a problem with evidence, never an event', () => {
  const good = () => dfb(5n);
  const cases: { name: string; logs: () => TxLog[]; chain?: string; problem: RegExp; also?: RegExp }[] = [
    {
      name: 'spoofed DepositForBurn from a look-alike',
      logs: () => [dfb(5n, A.fake)],
      problem:
        /DepositForBurn: DepositForBurn emitted by 0x9999999999999999999999999999999999999999, not a registered CCTP TokenMessenger contract on ethereum: not linked/,
    },
    {
      name: 'bridge event from a contract registered for something else',
      logs: () => [dfb(5n, A.weth)],
      problem:
        /not a registered CCTP TokenMessenger contract on ethereum \(registered as weth wrapped-native/,
    },
    {
      name: 'the right contract on the wrong chain',
      chain: 'arbitrum',
      logs: () => [dfb(5n)],
      problem: /not a registered CCTP TokenMessenger contract on arbitrum: not linked/,
    },
    {
      name: 'a topic missing',
      logs: () => [{ ...good(), topics: good().topics.slice(0, 3) }],
      problem: /malformed DepositForBurn .*: 3 topics, .* has 4/,
    },
    {
      name: 'data one word short',
      logs: () => [{ ...good(), data: good().data.slice(0, -64) }],
      problem: /data is 128 bytes, the ABI needs 160/,
    },
    {
      name: 'data one byte long',
      logs: () => [{ ...good(), data: `${good().data}00` }],
      problem: /data is 161 bytes, the ABI needs 160/,
    },
    {
      name: 'odd hex data',
      logs: () => [{ ...good(), data: `${good().data}0` }],
      problem: /data is not hex of whole bytes/,
    },
    {
      name: 'junk in the upper bytes of an indexed address',
      logs: () => {
        const l = good();
        return [
          {
            ...l,
            topics: [
              l.topics[0]!,
              l.topics[1]!,
              `0x${'ff'.repeat(12)}${l.topics[2]!.slice(26)}`,
              l.topics[3]!,
            ],
          },
        ];
      },
      problem: /indexed burnToken: address word 0xffff.* has non-zero upper 12 bytes/,
    },
    {
      name: 'a uint32 word out of range',
      logs: () => {
        const l = good();
        const d = l.data.slice(2);
        return [{ ...l, data: `0x${d.slice(0, 128)}${'01'.repeat(32)}${d.slice(192)}` }];
      },
      problem: /uint32 word 0x0101.* is out of range/,
    },
    {
      name: 'a bytes32 recipient with junk, to an EVM chain',
      logs: () => [dfb(5n, A.tm, { recipient: `0x${'ee'.repeat(12)}${A.bob.slice(2)}` })],
      problem: /mintRecipient 0xeeee.* has non-zero upper 12 bytes where an address on arbitrum is required/,
    },
    {
      name: 'a bytes offset pointing outside the data',
      logs: () => {
        const l = log(A.mt, ev(iface, 'MessageReceived', [A.alice, 3, 9n, b32(A.tm), burnBody(A.bob, 500n)]));
        const d = l.data.slice(2);
        return [{ ...l, data: `0x${d.slice(0, 128)}${hex(4096n, 32)}${d.slice(192)}` }];
      },
      problem: /offset of a bytes field points outside the data/,
    },
    {
      name: 'a bytes offset pointing back into the head',
      logs: () => {
        const l = log(A.mt, ev(iface, 'MessageReceived', [A.alice, 3, 9n, b32(A.tm), burnBody(A.bob, 500n)]));
        const d = l.data.slice(2);
        return [{ ...l, data: `0x${d.slice(0, 128)}${hex(0n, 32)}${d.slice(192)}` }];
      },
      problem: /offset of a bytes field points into the head \(0 < 96\)/,
    },
    {
      name: 'MessageReceived carrying a burn without its MintAndWithdraw',
      logs: () => [
        log(A.mt, ev(iface, 'MessageReceived', [A.alice, 3, 9n, b32(A.tm), burnBody(A.bob, 500n)])),
      ],
      problem:
        /carries a burn of 500 to 0x2222.* but no matching MintAndWithdraw in the transaction: not linked/,
    },
    {
      name: 'MintAndWithdraw of another amount than the burn message',
      logs: () => [
        log(A.tm, ev(iface, 'MintAndWithdraw', [A.bob, 501n, A.usdc])),
        log(A.mt, ev(iface, 'MessageReceived', [A.alice, 3, 9n, b32(A.tm), burnBody(A.bob, 500n)])),
      ],
      problem: /no matching MintAndWithdraw/,
      also: /MintAndWithdraw of 501 to 0x2222.* without a matching MessageReceived in the transaction: no source domain or nonce, not linked/,
    },
    {
      name: 'DepositForBurn whose MessageSent header names another nonce',
      logs: () => [log(A.mt, ev(iface, 'MessageSent', [v1Message(0, 3, 78n)])), dfb(77n)],
      problem:
        /disagrees with its MessageSent header \(source domain 0, destination domain 3, nonce 78; ethereum is domain 0\): not linked/,
    },
    {
      name: 'spoofed Across fill',
      logs: () => [
        log(
          A.fake,
          ev(iface, 'FilledV3Relay', [
            A.usdc,
            A.usdc,
            1n,
            1n,
            1n,
            42161n,
            7,
            0,
            0,
            A.fake,
            A.fake,
            A.alice,
            A.alice,
            '0x',
            [A.bob, '0x', 1n, 0],
          ]),
        ),
      ],
      problem:
        /FilledV3Relay emitted by 0x9999.*, not a registered Across SpokePool contract on ethereum: not linked/,
    },
    {
      name: 'malformed Uniswap V2 Swap (from any address: checked too)',
      logs: () => {
        const l = log(A.pool, ev(iface, 'Swap', [A.alice, 0n, 5n, 7n, 0n, A.bob]));
        return [{ ...l, data: l.data.slice(0, -64) }];
      },
      problem: /malformed Uniswap V2 Swap log: data is 96 bytes, the ABI needs 128/,
    },
    {
      name: 'malformed V3 Swap: int24 tick out of range',
      logs: () => {
        const l = log(A.pool, ev(swapV3, 'Swap', [A.alice, A.bob, -3n, 4n, 1n, 1n, -5]));
        return [{ ...l, data: `${l.data.slice(0, -64)}${'00'.repeat(28)}7fffffff` }];
      },
      problem: /int24 word .* is out of range/,
    },
  ];
  it.each(cases)('$name', ({ logs, chain, problem, also }) => {
    nextIndex = 0;
    const r = run(logs(), chain);
    expect(r.events.filter((e) => e.kind !== 'wrap')).toEqual([]);
    expect(r.problems).toHaveLength(also ? 2 : 1);
    expect(r.problems.find((p) => problem.test(p))).toBeDefined();
    if (also) expect(r.problems.find((p) => also.test(p))).toBeDefined();
    expect(r.problems[0]).not.toContain('\n');
  });

  it('a same-signature event from an unregistered contract is ignored, not a problem (WETH Deposit)', () => {
    nextIndex = 0;
    const l = log(A.fake, ev(iface, 'Deposit', [A.alice, 9n]));
    expect(run([{ ...l, data: '0x' }])).toEqual({ events: [], problems: [] });
  });

  it('unknown topics and topic-less logs are skipped', () => {
    nextIndex = 0;
    expect(
      run([
        log(A.tm, { topics: [], data: '0x' }),
        log(A.tm, { topics: [`0x${'12'.repeat(32)}`], data: '0x' }),
      ]),
    ).toEqual({
      events: [],
      problems: [],
    });
  });
});

it('the same log given twice decodes once', () => {
  nextIndex = 0;
  const l = log(A.pool, ev(iface, 'Swap', [A.alice, 0n, 5n, 7n, 0n, A.bob]));
  expect(run([l, { ...l }]).events).toHaveLength(1);
});

it('decoding uses no clock or I/O: the same input, the same output', () => {
  nextIndex = 0;
  const logs = [log(A.mt, ev(iface, 'MessageSent', [v1Message(0, 3, 77n)])), dfb(77n)];
  expect(run(logs)).toEqual(run([...logs].reverse()));
});
