// dataset-v1 extended with chain "tron": base58 addresses (hex 41… canonicalised), 64-hex txids
// without 0x, TRC-20 tokens by symbol or contract (base58 or hex), TRC-10 token ids refused; and
// `fundtrace dataset validate` on it. Both encodings (JSON, JSON Lines) via expectProblems.
import { describe, expect, it } from 'vitest';
import { tronHex, tronToEvm } from '../../src/core/tron.js';
import type { JsonDoc } from '../fixtures/dataset/docs.js';
import { cli } from '../helpers.js';
import { ethTx, tronAddr, tronTx } from '../vector-roles.js';
import { expectProblems, validateBoth, writeJson } from './helpers.js';

const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const A = tronAddr('ds-A');
const B = tronAddr('ds-B');
const BAD = 'TM1zzNDZD2DPASbKcgdVoTYhfmYgtfwx9D'; // PROVENANCE.md: fails its checksum

const tr = (over: Record<string, unknown> = {}) => ({
  tx: tronTx('ds-1'),
  index: 3_000_000,
  height: 100,
  position: 0,
  time: '2026-03-01T10:00:00Z',
  from: A,
  to: B,
  asset: 'USDT',
  value: '1000000',
  kind: 'token',
  ...over,
});

const doc = (transfers: Record<string, unknown>[], extra: Record<string, unknown> = {}): JsonDoc =>
  ({
    format: 'fundtrace-dataset/1',
    chain: 'tron',
    assets: { USDT: { decimals: 6, contract: USDT } },
    transfers,
    ...extra,
  }) as unknown as JsonDoc;

describe('dataset chain "tron"', () => {
  it('a valid TRON dataset loads: hex addresses and txids canonicalised, TRX native with 6 decimals', async () => {
    const { json, jsonl } = await validateBoth(
      doc(
        [
          tr({ from: tronHex(A), tx: tronTx('ds-1').toUpperCase() }),
          tr({ tx: tronTx('ds-2'), index: 0, height: 101, asset: 'TRX', kind: 'native', value: '5' }),
          tr({ tx: tronTx('ds-2'), index: 2_000_000, height: 101, asset: 'TRX', kind: 'fee', to: null }),
        ],
        { labels: [{ address: tronHex(B), entity: 'X', category: 'exchange', source: 'test' }] },
      ),
    );
    for (const r of [json, jsonl]) {
      expect(r.problems).toEqual([]);
      expect(r.stats).toMatchObject({
        chain: 'tron',
        kind: 'account',
        assets: ['TRX', 'USDT'],
        addresses: 2,
      });
      const t = r.dataset!.transfers;
      expect(t[0]).toMatchObject({ tx: tronTx('ds-1'), from: A, to: B, asset: 'USDT', value: 1_000_000n });
      expect(r.dataset!.labels[0]!.address).toBe(B);
    }
  });

  it('the trx alias names the chain; a token contract given in hex is the same declared asset', async () => {
    const { json } = await validateBoth(
      doc([tr({ asset: tronHex(USDT) })], {
        chain: 'trx',
        assets: { USDT: { decimals: 6, contract: tronHex(USDT) } },
      }),
    );
    expect(json.problems).toEqual([]);
    expect(json.dataset!.transfers[0]!.asset).toBe('USDT');
  });

  it('an undeclared TRC-20 contract is its own asset (USDT from the registry; a look-alike by its address)', async () => {
    const fake = tronAddr('ds-fake-usdt');
    const { json } = await validateBoth(
      doc([tr({ asset: USDT }), tr({ tx: tronTx('ds-2'), position: 1, asset: fake })], { assets: undefined }),
    );
    expect(json.problems.map((p) => p.message)).toEqual([]);
    expect(json.dataset!.transfers.map((t) => t.asset)).toEqual([USDT, fake]);
  });

  it.each([
    ['a bad checksum', { from: BAD }, '/from', `address "${BAD}" fails its base58check checksum`],
    [
      'an EVM address',
      { to: tronToEvm(B) },
      '/to',
      `address "${tronToEvm(B)}" is an EVM address (0x…), not a valid tron address; the same 20-byte body on tron is ${B} (check which chain the funds are on; give --chain ethereum or another EVM chain if it is one)`,
    ],
    [
      'an EVM tx hash',
      { tx: ethTx('ds-1') },
      '/tx',
      `tx hash "${ethTx('ds-1')}" is not a TRON transaction id (64 hex digits, without 0x)`,
    ],
    [
      'a TRC-10 token id',
      { asset: '1002000' },
      '/asset',
      'asset "1002000" looks like a TRC-10 token id: TRC-10 assets are out of scope (fundtrace traces TRX and TRC-20 tokens); leave its records out of the dataset',
    ],
  ])('refuses %s', async (_name, over, sub, message) => {
    await expectProblems(doc([tr(over)]), [{ section: 'transfers', index: 0, sub, message }]);
  });

  it('refuses a TRC-10 token id declared in the header', async () => {
    const { json } = await validateBoth(
      doc([tr()], { assets: { USDT: { decimals: 6, contract: USDT }, '1002000': { decimals: 6 } } }),
    );
    expect(json.problems.map((p) => `${p.location}: ${p.message}`)).toEqual([
      '/assets/1002000: asset "1002000" looks like a TRC-10 token id: TRC-10 assets are out of scope (fundtrace traces TRX and TRC-20 tokens); leave its records out of the dataset',
    ]);
  });

  it('an EVM dataset still requires 0x tx hashes and refuses TRON addresses naming tron', async () => {
    const evm = {
      format: 'fundtrace-dataset/1',
      chain: 'ethereum',
      transfers: [
        {
          ...tr(),
          asset: 'ETH',
          kind: 'native',
          index: 0,
          from: tronToEvm(A),
          to: B,
        },
      ],
    } as unknown as JsonDoc;
    await expectProblems(evm, [
      {
        section: 'transfers',
        index: 0,
        sub: '/tx',
        message: `tx hash "${tronTx('ds-1')}" is not an EVM transaction hash (0x and 64 hex digits)`,
      },
      {
        section: 'transfers',
        index: 0,
        sub: '/to',
        message: new RegExp(`^address "${B}" is a TRON address \\(tron\\), not a valid ethereum address`),
      },
    ]);
  });

  it('`fundtrace dataset validate` accepts a TRON dataset and refuses a bad one with exit 3', async () => {
    const ok = await cli(['dataset', 'validate', writeJson(doc([tr()]))]);
    expect(ok.status).toBe(0);
    const bad = await cli(['dataset', 'validate', writeJson(doc([tr({ from: BAD })]))]);
    expect(bad.status).toBe(3);
    expect(bad.stdout + bad.stderr).toContain(
      `/transfers/0/from: address "${BAD}" fails its base58check checksum`,
    );
  });
});
