// Rows → Transfers, on hand-written pages in both dialects' exact shapes; the index scheme; the
// envelope classification.
import { describe, expect, it } from 'vitest';
import { findChain } from '../../src/core/chains.js';
import { errorText, transientText } from '../../src/sources/etherscan/api.js';
import {
  derivedTokenIndex,
  FEE_INDEX,
  TOKEN_DERIVED_BASE,
  traceIdIndex,
} from '../../src/sources/etherscan/indices.js';
import { cleanSymbol, isoTime, Normalizer, ZERO_ADDRESS } from '../../src/sources/etherscan/normalize.js';
import { parseRows } from '../../src/sources/etherscan/rows.js';
import { ValidationError } from '../../src/sources/http/index.js';
import bsTokens from '../fixtures/etherscan/blockscout-tokentx.json' with { type: 'json' };
import bsInternal from '../fixtures/etherscan/blockscout-txlistinternal.json' with { type: 'json' };
import envelopes from '../fixtures/etherscan/envelopes.json' with { type: 'json' };
import esTokens from '../fixtures/etherscan/etherscan-tokentx.json' with { type: 'json' };
import esInternal from '../fixtures/etherscan/etherscan-txlistinternal.json' with { type: 'json' };
import genesis from '../fixtures/etherscan/genesis-txlist.json' with { type: 'json' };
import { ETHERSCAN_KEYS } from './server.js';

const eth = findChain('ethereum')!;
const none = () => null;

describe('txlist rows', () => {
  it('turns a genesis allocation into a transfer from the zero address, with no fee', () => {
    const n = new Normalizer(eth);
    const rows = parseRows('txlist', genesis.result);
    const g = n.normal(rows[0]!, rows[0]!.position);
    expect(g).toEqual([
      {
        tx: 'GENESIS_5c1dd4c6a2b0b1e1f2a1f3e1c0a5b8e7d6f4a3b2',
        index: 0,
        height: 0,
        position: 0,
        time: '2015-07-30T15:26:13Z',
        from: ZERO_ADDRESS,
        to: n.checksum('0x5c1dd4c6a2b0b1e1f2a1f3e1c0a5b8e7d6f4a3b2'),
        asset: 'ETH',
        value: 1000n * 10n ** 18n,
        kind: 'native',
      },
    ]);
  });

  it('gives a successful tx its value and a fee, and a failed tx only the fee', () => {
    const n = new Normalizer(eth);
    const rows = parseRows('txlist', genesis.result);
    const ok = n.normal(rows[1]!, rows[1]!.position);
    expect(ok.map((t) => [t.kind, t.index, t.value, t.to === null])).toEqual([
      ['native', 0, 31337n, false],
      ['fee', FEE_INDEX, 21000n * 50000000000000n, true],
    ]);
    const failed = n.normal(rows[2]!, rows[2]!.position);
    expect(failed.map((t) => [t.kind, t.value])).toEqual([['fee', 21750n * 50000000000000n]]);
  });

  it('rejects a malformed row with a problem naming the field', () => {
    const bad = [{ ...genesis.result[1], value: '1.5', from: '0xnothex' }];
    expect(() => parseRows('txlist', bad)).toThrow(ValidationError);
    try {
      parseRows('txlist', bad);
    } catch (e) {
      expect((e as ValidationError).problems.join('\n')).toMatch(
        /result\[0\]: from "0xnothex" is not an address/,
      );
      expect((e as ValidationError).problems.join('\n')).toMatch(/value "1\.5" is not a decimal amount/);
    }
  });
});

describe('internal rows', () => {
  it('Etherscan: orders calls by traceId; skips delegatecall and failed calls; a create pays the new contract', () => {
    const n = new Normalizer(eth);
    const out = n.internal(parseRows('txlistinternal', esInternal.result), none);
    expect(out.map((t) => [t.index, t.value, t.kind])).toEqual([
      [traceIdIndex('0_1'), 10n ** 18n, 'internal'],
      [traceIdIndex('0_0_4'), 5n * 10n ** 17n, 'internal'],
    ]);
    expect(out[1]!.to).toBe(n.checksum('0xad5e7f9a1b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e'));
    expect(out[0]!.position).toBeNull();
  });

  it('Blockscout: reads transactionHash and index; callType delegatecall moves nothing', () => {
    const n = new Normalizer(eth);
    const out = n.internal(parseRows('txlistinternal', bsInternal.result), (tx) =>
      tx.startsWith('0x5e') ? 12 : null,
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ index: 1001, position: 12, kind: 'internal', value: 10n ** 18n });
    expect(out[0]!.tx).toBe('0x5e1f0b3c2d4a6e8f0a1c3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e');
  });

  it('traceId indices keep call order (pre-order) and refuse what does not fit', () => {
    const ids = ['0', '0_0', '0_0_5', '0_1', '0_1_0_0_0', '0_2', '0_10', '1'];
    const idx = ids.map((i) => traceIdIndex(i)!);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    expect(traceIdIndex('0_1')).toBe(1_002_000_000_000);
    expect(traceIdIndex('0_1_1_1')).toBe(1_002_002_002_000);
    expect(traceIdIndex('0_1_2_3_4_5')).toBeUndefined();
    expect(traceIdIndex('0_999')).toBeUndefined();
    expect(Math.max(...idx)).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });
});

describe('token rows', () => {
  it('Etherscan: derives a stable index for rows without logIndex; identical transfers stay two', () => {
    const n = new Normalizer(eth);
    const out = n.tokens(parseRows('tokentx', esTokens.result));
    expect(out).toHaveLength(3);
    const [a, b, fake] = out;
    expect(a!.asset).toBe('USDT');
    expect(a!.index).not.toBe(b!.index);
    expect(a!.index).toBe(
      derivedTokenIndex(
        a!.tx,
        '0xdac17f958d2ee523a2206206994597c13d831ec7',
        '0x6f2a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a',
        '0x8b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c',
        5000000n,
        1,
      ),
    );
    expect(a!.index).toBeGreaterThanOrEqual(TOKEN_DERIVED_BASE);
    // the same rows read from another list (other order of unrelated rows) get the same keys
    const again = new Normalizer(eth).tokens(parseRows('tokentx', [...esTokens.result].reverse()));
    expect(new Set(again.map((t) => `${t.tx}:${t.index}`))).toEqual(
      new Set(out.map((t) => `${t.tx}:${t.index}`)),
    );
    // a look-alike "USDT" stays keyed by its contract; its symbol is cleaned
    expect(fake!.asset).toBe(n.checksum('0xcf7a9b1c3d4e6f8a0b2c3d5e7f9a1b2c4d6e8f0a'));
    expect(n.learned.get(fake!.asset)).toEqual({ symbol: 'USDT', decimals: 6, contract: fake!.asset });
  });

  it('Blockscout: uses logIndex and ignores NFT rows', () => {
    const n = new Normalizer(eth);
    const out = n.tokens(parseRows('tokentx', bsTokens.result));
    expect(out.map((t) => [t.asset, t.index, t.position])).toEqual([['USDT', 3_000_000_000_000_017, 44]]);
  });

  it('cleans remote symbols', () => {
    expect(cleanSymbol('US\u202eDT\u0000')).toBe('USDT');
    expect(cleanSymbol('x'.repeat(50))).toHaveLength(32);
    expect(isoTime(1705132800)).toBe('2024-01-13T08:00:00Z');
  });
});

describe('envelopes', () => {
  it('"No transactions found" is empty, not an error', () => {
    expect(errorText(envelopes.etherscan.empty)).toBeUndefined();
    expect(errorText(envelopes.blockscout.empty)).toBeUndefined();
  });

  it('rate limits and overload are transient; a bad key is not', () => {
    for (const e of [
      envelopes.etherscan.rateLimit,
      envelopes.etherscan.rateLimitPerSec,
      envelopes.etherscan.busy,
    ]) {
      expect(transientText(e)).toBe(e.result);
    }
    expect(transientText({ jsonrpc: '2.0', id: 1, result: 'Max rate limit reached' })).toBe(
      'Max rate limit reached',
    );
    expect(transientText(envelopes.etherscan.invalidKey)).toBeUndefined();
    expect(errorText(envelopes.etherscan.invalidKey)).toBe('Invalid API Key');
    expect(
      transientText({
        status: '0',
        message: 'NOTOK',
        result: 'Too many invalid api key attempts, please try again later',
      }),
    ).toBeUndefined();
    expect(errorText(envelopes.blockscout.invalidAddress)).toBe('Invalid address format');
    expect(errorText({ jsonrpc: '2.0', id: 1, result: '0x12' })).toBeUndefined();
    expect(errorText(envelopes.etherscan.proxyNull)).toBeUndefined();
  });
});

describe('the test server mimics the documented shapes', () => {
  it('uses the key order of the hand-written Etherscan pages', () => {
    expect(Object.keys(esInternal.result[0]!)).toEqual([...ETHERSCAN_KEYS.txlistinternal]);
    expect(Object.keys(esTokens.result[0]!)).toEqual([...ETHERSCAN_KEYS.tokentx]);
    expect(Object.keys(genesis.result[0]!)).toEqual([...ETHERSCAN_KEYS.txlist]);
    const bsKeys = Object.keys(bsInternal.result[0]!);
    expect(bsKeys).toEqual([...bsKeys].sort());
  });
});
