// Pure parts of the rpc: source and the shared EVM helpers: log and metadata decoding, internal
// transfers from each trace shape, the transfer index scheme, provider range errors.
import { AbiCoder, encodeBytes32String, getAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import {
  addressTopic,
  cleanSymbol,
  decodeDecimals,
  decodeErc20Transfer,
  decodeSymbol,
  TRANSFER_TOPIC,
  topicAddress,
} from '../../src/sources/evm/abi.js';
import { knownTokenAt, resolveAssetInput, tokenKey } from '../../src/sources/evm/assets.js';
import { FEE_INDEX, INTERNAL_BASE, isoTime, txNativeTransfers } from '../../src/sources/evm/transfers.js';
import { movesFromCallTracer, movesFromOts, movesFromParity } from '../../src/sources/rpc/internal.js';
import { isMethodMissing, isRangeError, RpcError, suggestedRange } from '../../src/sources/rpc/jsonrpc.js';
import { callFrame, parityTraces, receipt } from '../../src/sources/rpc/schemas.js';

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';
const C = '0x3333333333333333333333333333333333333333';
const TOKEN = getAddress('0x00000000000000000000000000000000000000aa');
const word = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}`;

describe('ERC-20 Transfer logs', () => {
  it('decodes a 3-topic Transfer with a 32-byte value, to EIP-55 addresses', () => {
    const d = decodeErc20Transfer({
      address: TOKEN.toLowerCase(),
      topics: [TRANSFER_TOPIC, addressTopic(A), addressTopic(B)],
      data: word(5n),
    });
    expect(d).toEqual({ token: TOKEN, from: A, to: B, value: 5n });
    const mixed = getAddress('0xabcdef0123456789abcdef0123456789abcdef01');
    expect(topicAddress(addressTopic(mixed))).toBe(mixed);
  });

  it('ignores ERC-721 (tokenId as a 4th topic), other events and malformed topics', () => {
    const nft = {
      address: TOKEN,
      topics: [TRANSFER_TOPIC, addressTopic(A), addressTopic(B), word(7n)],
      data: '0x',
    };
    expect(decodeErc20Transfer(nft)).toBeNull();
    expect(
      decodeErc20Transfer({
        address: TOKEN,
        topics: [word(1n), addressTopic(A), addressTopic(B)],
        data: word(1n),
      }),
    ).toBeNull();
    expect(
      decodeErc20Transfer({
        address: TOKEN,
        topics: [TRANSFER_TOPIC, word(2n ** 200n), addressTopic(B)],
        data: word(1n),
      }),
    ).toBeNull();
    expect(
      decodeErc20Transfer({
        address: TOKEN,
        topics: [TRANSFER_TOPIC, addressTopic(A), addressTopic(B)],
        data: '0x',
      }),
    ).toBeNull();
  });
});

describe('token metadata', () => {
  const abi = AbiCoder.defaultAbiCoder();
  it('reads string and bytes32 symbols, and refuses garbage', () => {
    expect(decodeSymbol(abi.encode(['string'], ['USDT']))).toBe('USDT');
    expect(decodeSymbol(encodeBytes32String('MKR'))).toBe('MKR');
    expect(decodeSymbol('0x')).toBeUndefined();
    expect(decodeSymbol('0x1234')).toBeUndefined();
    expect(decodeSymbol(`0x${'ff'.repeat(64)}`)).toBeUndefined(); // offset out of range
  });

  it('keeps hostile symbols raw but bounded; decimals only 0..255', () => {
    const evil = '\u001b[31mUSDT\u202e\u0000';
    const raw = decodeSymbol(abi.encode(['string'], [evil]))!;
    expect(cleanSymbol(raw)).toBe('\u001b[31mUSDT\u202e');
    expect([...cleanSymbol('x'.repeat(100))]).toHaveLength(32);
    expect(decodeDecimals(word(6n))).toBe(6);
    expect(decodeDecimals(word(256n))).toBeUndefined();
    expect(decodeDecimals('0x')).toBeUndefined();
  });

  it('keys well-known tokens by symbol and everything else by contract', () => {
    const usdt = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
    expect(knownTokenAt('ethereum', usdt.toLowerCase())?.[0]).toBe('USDT');
    expect(tokenKey('ethereum', usdt)).toBe('USDT');
    expect(tokenKey('ethereum', A)).toBe(A);
    expect(resolveAssetInput('ethereum', 'usdt', () => undefined)).toBe('USDT');
    expect(resolveAssetInput('ethereum', 'eth', () => undefined)).toBe('ETH');
    expect(resolveAssetInput('ethereum', A, () => undefined)).toBeUndefined();
    expect(
      resolveAssetInput('ethereum', A.toLowerCase(), (c) =>
        c.toLowerCase() === A.toLowerCase() ? A : undefined,
      ),
    ).toBe(A);
    // On the devnet chains only the devnet's own tokens resolve by symbol.
    expect(resolveAssetInput('anvil', 'USDF', () => undefined)).toBe('USDF');
    expect(resolveAssetInput('anvil', 'USDT', () => undefined)).toBe('USDT');
    expect(resolveAssetInput('anvil', 'USDC', () => undefined)).toBeUndefined();
    expect(resolveAssetInput('anvil-b', 'USDT', () => undefined)).toBe('USDT');
    expect(resolveAssetInput('anvil-b', 'USDF', () => undefined)).toBeUndefined();
  });
});

describe('internal transfers', () => {
  const parity = (
    traceAddress: number[],
    action: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => ({
    action,
    blockNumber: 5,
    traceAddress,
    transactionHash: `0x${'ab'.repeat(32)}`,
    transactionPosition: 0,
    type: 'call',
    ...extra,
  });
  const call = (from: string, to: string, value: bigint, callType = 'call') => ({
    from,
    to,
    value: `0x${value.toString(16)}`,
    callType,
  });

  it('Parity traces: skips the top level, reverted frames and everything under them, and non-value calls', () => {
    const traces = parityTraces([
      parity([], call(A, B, 10n)),
      parity([0], call(B, C, 3n)),
      parity([1], call(B, A, 2n), { error: 'Reverted' }),
      parity([1, 0], call(A, C, 1n)), // under a reverted frame: undone
      parity([2], call(B, C, 4n, 'delegatecall')),
      parity([2, 0], call(B, A, 1n)), // inside a delegatecall: a real move from B
      parity([3], { from: B, value: '0x5', init: '0x' }, { type: 'create', result: { address: C } }),
      parity([4], { address: C, refundAddress: A, balance: '0x6' }, { type: 'suicide', result: null }),
      parity([5], call(B, C, 0n)),
    ]);
    expect(movesFromParity(traces)).toEqual([
      { from: B, to: C, value: 3n },
      { from: B, to: A, value: 1n },
      { from: B, to: C, value: 5n },
      { from: C, to: A, value: 6n },
    ]);
  });

  it('callTracer: the same rules on a tree', () => {
    const root = callFrame({
      type: 'CALL',
      from: A,
      to: B,
      value: '0xa',
      calls: [
        { type: 'CALL', from: B, to: C, value: '0x3' },
        {
          type: 'CALL',
          from: B,
          to: A,
          value: '0x2',
          error: 'execution reverted',
          calls: [{ type: 'CALL', from: A, to: C, value: '0x1' }],
        },
        { type: 'DELEGATECALL', from: B, to: C, calls: [{ type: 'CALL', from: B, to: A, value: '0x1' }] },
        { type: 'CREATE2', from: B, to: C, value: '0x5' },
        { type: 'SELFDESTRUCT', from: C, to: A, value: '0x6' },
        { type: 'STATICCALL', from: B, to: C },
      ],
    });
    expect(movesFromCallTracer(root)).toEqual([
      { from: B, to: C, value: 3n },
      { from: B, to: A, value: 1n },
      { from: B, to: C, value: 5n },
      { from: C, to: A, value: 6n },
    ]);
    expect(movesFromCallTracer({ ...root, error: true })).toEqual([]);
  });

  it('ots_getInternalOperations: drops the top-level transfer that anvil lists first', () => {
    const ops = [
      { type: 0, from: A, to: B, value: 10n },
      { type: 0, from: B, to: C, value: 3n },
      { type: 2, from: B, to: C, value: 0n },
    ];
    expect(movesFromOts(ops, { from: A, to: B, value: 10n })).toEqual([{ from: B, to: C, value: 3n }]);
    expect(movesFromOts(ops.slice(1), { from: A, to: B, value: 10n })).toEqual([
      { from: B, to: C, value: 3n },
    ]);
  });
});

describe('transaction records (src/sources/evm/transfers.ts)', () => {
  const facts = {
    hash: `0x${'cd'.repeat(32)}`,
    height: 7,
    position: 2,
    time: isoTime(1_717_200_084),
    from: A,
    to: B,
    value: 10n,
    success: true,
    fee: 21n,
  };
  it('native at 0, internal from 1 000 000 in order, fee at 2 000 000', () => {
    const t = txNativeTransfers(
      facts,
      [
        { from: B, to: C, value: 4n },
        { from: B, to: A, value: 0n },
        { from: B, to: A, value: 1n },
      ],
      'ETH',
    );
    expect(t.map((x) => [x.index, x.kind, x.from, x.to, x.value])).toEqual([
      [0, 'native', A, B, 10n],
      [INTERNAL_BASE, 'internal', B, C, 4n],
      [INTERNAL_BASE + 1, 'internal', B, A, 1n],
      [FEE_INDEX, 'fee', A, null, 21n],
    ]);
    expect(t[0]!.time).toBe('2024-06-01T00:01:24Z');
  });
  it('a failed transaction only pays its fee', () => {
    const t = txNativeTransfers({ ...facts, success: false }, [{ from: B, to: C, value: 4n }], 'ETH');
    expect(t.map((x) => x.kind)).toEqual(['fee']);
  });
  it('fees add blob gas and the OP-stack L1 fee', () => {
    const r = receipt({
      transactionHash: facts.hash,
      from: A,
      to: B,
      status: '0x1',
      blockNumber: '0x7',
      transactionIndex: '0x2',
      gasUsed: '0x5208',
      effectiveGasPrice: '0x2',
      blobGasUsed: '0x10',
      blobGasPrice: '0x3',
      l1Fee: '0x64',
      logs: [],
    });
    expect(r?.fee).toBe(21_000n * 2n + 16n * 3n + 100n);
  });
});

describe('provider errors', () => {
  const e = (code: number, message: string) => new RpcError('eth_getLogs', code, message, 'rpc test');
  it('tells range refusals from other errors, and reads a suggested range', () => {
    expect(isRangeError(e(-32005, 'query returned more than 10000 results'))).toBe(true);
    expect(isRangeError(e(-32602, 'block range is too large'))).toBe(true);
    expect(isRangeError(e(-32000, 'exceed maximum block range: 50000'))).toBe(true);
    expect(isRangeError(e(-32602, 'Log response size exceeded.'))).toBe(true);
    expect(isRangeError(e(-32000, 'execution reverted'))).toBe(false);
    expect(isRangeError(new Error('query returned more than 10000 results'))).toBe(false);
    expect(suggestedRange(e(-32005, 'Try with this block range [0x10, 0x1F].'))).toEqual([16, 31]);
    expect(suggestedRange(e(-32005, 'no hint'))).toBeUndefined();
    expect(isMethodMissing(e(-32601, 'Method not found'))).toBe(true);
    expect(isMethodMissing(e(-32000, 'the method trace_filter does not exist/is not available'))).toBe(true);
    expect(isMethodMissing(e(-32000, 'transaction not found'))).toBe(false);
  });
});
