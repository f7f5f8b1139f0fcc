// Etherscan-compatible rows, normalisation and envelopes against REAL recorded responses (rotki's VCR
// cassettes: Etherscan v2, Blockscout, Routescan). The files are read from ../shared at run time
// (never copied into the project); the suite is skipped when they are absent. See
// ../shared/data/api-fixtures-rotki/PROVENANCE.md and index.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChain } from '../../src/core/chains.js';
import { FundtraceError } from '../../src/core/errors.js';
import type { Transfer } from '../../src/core/model.js';
import { type Dialect, EtherscanApi, errorText, transientText } from '../../src/sources/etherscan/api.js';
import {
  BLOCKSCOUT_INTERNAL_BASE,
  FEE_INDEX,
  NATIVE_INDEX,
  traceIdIndex,
} from '../../src/sources/etherscan/indices.js';
import { isoTime, Normalizer, ZERO_ADDRESS } from '../../src/sources/etherscan/normalize.js';
import { type ListAction, parseRows, type TokenRow } from '../../src/sources/etherscan/rows.js';
import type { HttpClient } from '../../src/sources/http/index.js';
import { SHARED } from '../helpers.js';

const ROOT = join(SHARED, 'data', 'api-fixtures-rotki');
const present = existsSync(join(ROOT, 'index.json')) && existsSync(join(ROOT, 'same-query-3-providers'));
const eth = findChain('ethereum')!;

interface Envelope {
  status?: string;
  message?: string;
  result: unknown;
}
type Wire = Record<string, string>;
const read = (rel: string): Envelope => JSON.parse(readFileSync(join(ROOT, rel), 'utf8')) as Envelope;
const rowsOf = (rel: string): Wire[] => read(rel).result as Wire[];

const LISTS: { file: string; action: ListAction; rows: number }[] = [
  { file: 'etherscan/account-txlist_0xb8553d9e_full.json', action: 'txlist', rows: 19 },
  { file: 'etherscan/account-txlist_0xb8553d9e_startblock16267024.json', action: 'txlist', rows: 11 },
  { file: 'etherscan/account-txlist_0xa1e4380a_with_GENESIS_pseudo_tx.json', action: 'txlist', rows: 136 },
  { file: 'etherscan/account-txlist_page1_offset1_0x95222290.json', action: 'txlist', rows: 1 },
  { file: 'etherscan/account-txlistinternal_0xb8553d9e_full.json', action: 'txlistinternal', rows: 5 },
  { file: 'etherscan/account-txlistinternal_by_txhash_0xe765a634.json', action: 'txlistinternal', rows: 28 },
  { file: 'etherscan/account-tokentx_0xb8553d9e_full.json', action: 'tokentx', rows: 5 },
  { file: 'etherscan/account-tokentx_0xb8553d9e_startblock16267024.json', action: 'tokentx', rows: 3 },
  { file: 'etherscan/account-tokentx_page1_offset1_0x014cd053.json', action: 'tokentx', rows: 1 },
  { file: 'same-query-3-providers/etherscan_txlist_0x706a7006.json', action: 'txlist', rows: 6 },
  { file: 'same-query-3-providers/blockscout_txlist_0x706a7006.json', action: 'txlist', rows: 6 },
  {
    file: 'same-query-3-providers/routescan_txlist_0x706a7006_page1_offset10000.json',
    action: 'txlist',
    rows: 6,
  },
  {
    file: 'same-query-3-providers/etherscan_txlistinternal_0x706a7006.json',
    action: 'txlistinternal',
    rows: 1,
  },
  {
    file: 'same-query-3-providers/blockscout_txlistinternal_0x706a7006.json',
    action: 'txlistinternal',
    rows: 1,
  },
  {
    file: 'same-query-3-providers/routescan_txlistinternal_0x706a7006_page1_offset10000.json',
    action: 'txlistinternal',
    rows: 1,
  },
];

/** Normalise one list's rows the way the view does (txlist per row, internal/tokens per list). */
function normalise(n: Normalizer, action: ListAction, raw: readonly unknown[]): Transfer[] {
  if (action === 'txlist') return parseRows('txlist', raw).flatMap((r) => n.normal(r, r.position));
  if (action === 'txlistinternal') return n.internal(parseRows('txlistinternal', raw), () => null);
  return n.tokens(parseRows('tokentx', raw));
}

const keyOf = (t: Transfer) => `${t.tx}:${t.index}`;

/** An HttpClient that answers every request with one recorded body, through the caller's validator. */
function replay(body: unknown): HttpClient {
  const answer = async <T>(_u: unknown, opts: { validate?: (d: unknown) => T }) => opts.validate!(body);
  return {
    mode: 'noCache',
    cache: undefined,
    getJson: answer,
    getJsonResult: async (u: unknown, o: { validate?: (d: unknown) => unknown }) => ({
      value: await answer(u, o),
    }),
    postJson: (_u: unknown, _b: unknown, o: { validate?: (d: unknown) => unknown }) => answer(_u, o),
  } as unknown as HttpClient;
}

function apiFor(body: unknown, dialect: Dialect = 'etherscan'): EtherscanApi {
  return new EtherscanApi({
    http: replay(body),
    base: new URL(
      dialect === 'etherscan' ? 'https://api.etherscan.io/v2/api' : 'https://api.blockscout.com/1/api',
    ),
    dialect,
    dialectKnown: true,
    chainId: dialect === 'etherscan' ? 1 : undefined,
    apiKey: undefined,
    secrets: [],
  });
}

describe.skipIf(!present)('Etherscan rows: every recorded list validates with exact amounts', () => {
  it.each(LISTS)('$file ($rows rows)', ({ file, action, rows }) => {
    const env = read(file);
    expect(env.status).toBe('1');
    const wire = env.result as Wire[];
    expect(wire).toHaveLength(rows);
    const parsed = parseRows(action, wire);
    expect(parsed).toHaveLength(rows);
    parsed.forEach((r, i) => {
      const w = wire[i]!;
      expect(typeof r.value).toBe('bigint');
      expect(r.block).toBe(Number(w.blockNumber));
      expect(r.time).toBe(Number(w.timeStamp));
      if (action === 'tokentx') {
        expect(r.value).toBe(BigInt(w.value!));
        expect((r as TokenRow).contract).toBe(w.contractAddress);
        expect((r as TokenRow).decimals).toBe(Number(w.tokenDecimal));
      } else {
        expect(r.value).toBe(BigInt(w.value!));
      }
      if (action === 'txlist') {
        const n = r as ReturnType<typeof parseRows<'txlist'>>[number];
        expect(n.gasUsed).toBe(BigInt(w.gasUsed!));
        expect(n.gasPrice).toBe(BigInt(w.gasPrice!));
        expect(n.position).toBe(Number(w.transactionIndex));
      }
    });
  });

  it('leaves no recorded list response unchecked', () => {
    // Every envelope in the recorded folders whose result is a list of rows is in LISTS, so a
    // response added to ../shared later is not silently skipped.
    const found: string[] = [];
    for (const dir of ['etherscan', 'same-query-3-providers']) {
      for (const name of readdirSync(join(ROOT, dir))) {
        if (!name.endsWith('.json')) continue;
        let env: Envelope;
        try {
          env = read(`${dir}/${name}`);
        } catch {
          continue; // not JSON (documentation, truncated bodies recorded on purpose)
        }
        const r = env?.result;
        if (Array.isArray(r) && typeof r[0] === 'object' && r[0] !== null && 'blockNumber' in r[0])
          found.push(`${dir}/${name}`);
      }
    }
    expect(found.sort()).toEqual(LISTS.map((l) => l.file).sort());
  });
});

describe.skipIf(!present)('Etherscan txlist → transfers (recorded)', () => {
  const TXLISTS = LISTS.filter((l) => l.action === 'txlist');

  it('each tx gives its native value (successful, non-zero) and a fee of gasUsed × gasPrice from the sender', () => {
    let natives = 0;
    let fees = 0;
    let creations = 0;
    for (const { file } of TXLISTS) {
      const n = new Normalizer(eth);
      for (const w of rowsOf(file)) {
        const [row] = parseRows('txlist', [w]);
        const ts = n.normal(row!, row!.position);
        if (w.from === 'GENESIS') continue; // below
        const failed = w.isError === '1' || w.txreceipt_status === '0';
        const native = ts.filter((t) => t.kind === 'native');
        const fee = ts.filter((t) => t.kind === 'fee');
        const value = BigInt(w.value!);
        if (!failed && value > 0n) {
          expect(native).toHaveLength(1);
          expect(native[0]!.value).toBe(value);
          expect(native[0]!.index).toBe(NATIVE_INDEX);
          expect(native[0]!.from).toBe(n.checksum(w.from!));
          // A contract creation (to "") pays the created contract.
          expect(native[0]!.to).toBe(n.checksum(w.to || w.contractAddress!));
          if (w.to === '') creations++;
          natives++;
        } else expect(native).toHaveLength(0);
        const gas = BigInt(w.gasUsed!) * BigInt(w.gasPrice!);
        expect(fee).toEqual(
          gas > 0n
            ? [
                {
                  tx: w.hash,
                  index: FEE_INDEX,
                  height: Number(w.blockNumber),
                  position: Number(w.transactionIndex),
                  time: isoTime(Number(w.timeStamp)),
                  from: n.checksum(w.from!),
                  to: null,
                  asset: 'ETH',
                  value: gas,
                  kind: 'fee',
                },
              ]
            : [],
        );
        if (gas > 0n) fees++;
        expect(ts).toHaveLength(native.length + fee.length);
      }
    }
    expect({ natives, fees, creations }).toEqual({ natives: 109, fees: 184, creations: 2 });
  });

  it('the recorded failed tx (isError "1") moves nothing and pays only its fee', () => {
    const wire = rowsOf('etherscan/account-txlist_0xa1e4380a_with_GENESIS_pseudo_tx.json');
    const failed = wire.filter((w) => w.isError === '1');
    expect(failed).toHaveLength(1);
    const n = new Normalizer(eth);
    const [row] = parseRows('txlist', failed);
    expect(row!.failed).toBe(true);
    const ts = n.normal(row!, row!.position);
    expect(ts.map((t) => [t.kind, t.value, t.to])).toEqual([
      ['fee', BigInt(failed[0]!.gasUsed!) * BigInt(failed[0]!.gasPrice!), null],
    ]);
  });

  it('pre-Byzantium rows (txreceipt_status "") are not taken as failed', () => {
    const wire = rowsOf('etherscan/account-txlist_0xa1e4380a_with_GENESIS_pseudo_tx.json');
    const old = wire.filter((w) => w.txreceipt_status === '' && w.isError === '0' && w.from !== 'GENESIS');
    expect(old.length).toBeGreaterThan(100);
    for (const r of parseRows('txlist', old)) expect(r.failed).toBe(false);
  });

  it('contract creations (to "") pay the created contract', () => {
    const wire = rowsOf('etherscan/account-txlist_0xa1e4380a_with_GENESIS_pseudo_tx.json');
    const creations = wire.filter((w) => w.to === '');
    expect(creations).toHaveLength(15);
    const n = new Normalizer(eth);
    for (const r of parseRows('txlist', creations)) {
      expect(r.contractAddress).toMatch(/^0x[0-9a-f]{40}$/);
      for (const t of n.normal(r, r.position))
        if (t.kind === 'native') expect(t.to).toBe(n.checksum(r.contractAddress));
    }
  });

  it('the GENESIS pseudo-tx becomes one native transfer from the zero address at height 0, no fee', () => {
    const wire = rowsOf('etherscan/account-txlist_0xa1e4380a_with_GENESIS_pseudo_tx.json');
    expect(wire[0]!.hash).toBe('GENESIS_a1e4380a3b1f749673e270229993ee55f35663b4');
    const n = new Normalizer(eth);
    const [g] = parseRows('txlist', [wire[0]]);
    expect(g!.genesis).toBe(true);
    expect(n.normal(g!, g!.position)).toEqual([
      {
        tx: 'GENESIS_a1e4380a3b1f749673e270229993ee55f35663b4',
        index: NATIVE_INDEX,
        height: 0,
        position: 0,
        time: isoTime(1438269973),
        from: ZERO_ADDRESS,
        to: n.checksum('0xa1e4380a3b1f749673e270229993ee55f35663b4'),
        asset: 'ETH',
        value: 2000n * 10n ** 18n,
        kind: 'native',
      },
    ]);
  });

  it('a narrower block range gives a subset of the full list with identical keys and values', () => {
    for (const [full, narrow, action] of [
      [
        'etherscan/account-txlist_0xb8553d9e_full.json',
        'etherscan/account-txlist_0xb8553d9e_startblock16267024.json',
        'txlist',
      ],
      [
        'etherscan/account-tokentx_0xb8553d9e_full.json',
        'etherscan/account-tokentx_0xb8553d9e_startblock16267024.json',
        'tokentx',
      ],
    ] as const) {
      const a = new Map(normalise(new Normalizer(eth), action, rowsOf(full)).map((t) => [keyOf(t), t]));
      const b = normalise(new Normalizer(eth), action, rowsOf(narrow));
      expect(b.length).toBeGreaterThan(0);
      for (const t of b) expect(a.get(keyOf(t))).toEqual(t);
    }
  });
});

describe.skipIf(!present)('Etherscan txlistinternal → transfers (recorded)', () => {
  it('by-address rows: one internal transfer per value call, indexed by traceId in call order', () => {
    const wire = rowsOf('etherscan/account-txlistinternal_0xb8553d9e_full.json');
    const n = new Normalizer(eth);
    const ts = n.internal(parseRows('txlistinternal', wire), () => null);
    expect(ts).toHaveLength(wire.length);
    ts.forEach((t, i) => {
      const w = wire[i]!;
      expect(t).toMatchObject({
        tx: w.hash,
        index: traceIdIndex(w.traceId!),
        height: Number(w.blockNumber),
        from: n.checksum(w.from!),
        to: n.checksum(w.to!),
        asset: 'ETH',
        value: BigInt(w.value!),
        kind: 'internal',
      });
    });
    // Calls of different depth still sort after the tx's own value and before its fee.
    for (const t of ts) expect(t.index > NATIVE_INDEX && t.index < FEE_INDEX).toBe(true);
  });

  it('by-txhash rows: no hash, and their transactionIndex (varying per call) is not taken as a position', () => {
    const wire = rowsOf('etherscan/account-txlistinternal_by_txhash_0xe765a634.json');
    expect(wire.every((w) => w.hash === undefined && w.traceId === undefined)).toBe(true);
    // One tx, yet transactionIndex climbs with every call: it is the call's place in the trace.
    const idx = wire.map((w) => Number(w.transactionIndex));
    expect(new Set(wire.map((w) => w.blockNumber)).size).toBe(1);
    expect(idx.every((x, i) => i === 0 || x > idx[i - 1]!)).toBe(true);
    const rows = parseRows('txlistinternal', wire);
    for (const r of rows) {
      expect(r.hash).toBe('');
      expect(r.position).toBeNull();
    }
    // They name internal senders (what the tx seed uses them for) but give no transfers themselves.
    expect(new Set(rows.filter((r) => !r.failed && r.value > 0n).map((r) => r.from))).toEqual(
      new Set(['0xabea9132b05a70803a4e85094fd0e1800777fbef']),
    );
    expect(new Normalizer(eth).internal(rows, () => null)).toEqual([]);
    expect(rows.reduce((s, r) => s + r.value, 0n)).toBe(wire.reduce((s, w) => s + BigInt(w.value!), 0n));
  });

  it('the proxy tx/receipt recorded for an internal transfer agree with its row (block, sender)', async () => {
    const row = rowsOf('etherscan/account-txlistinternal_0xb8553d9e_full.json').find((w) =>
      w.hash!.startsWith('0x0687f3f9'),
    )!;
    const ref = await apiFor(read('etherscan/proxy-eth_getTransactionByHash_0x0687f3f9.json')).txRef(
      row.hash!,
    );
    expect(ref?.block).toBe(Number(row.blockNumber));
    expect(ref?.position).not.toBeNull();
    const rc = await apiFor(read('etherscan/proxy-eth_getTransactionReceipt_0x0687f3f9.json')).receipt(
      row.hash!,
    );
    expect(rc).toMatchObject({ block: Number(row.blockNumber), position: ref!.position, status: true });
    expect(rc!.from).toMatch(/^0x[0-9a-f]{40}$/);
    expect(rc!.to).toBe(row.from); // the bridge contract called, which then paid the account
  });
});

describe.skipIf(!present)('Etherscan tokentx → transfers (recorded)', () => {
  it('the real USDC contract is asset USDC; amounts are the wire decimal strings exactly', () => {
    const wire = rowsOf('etherscan/account-tokentx_0xb8553d9e_full.json');
    const n = new Normalizer(eth);
    const ts = n.tokens(parseRows('tokentx', wire));
    expect(ts).toHaveLength(5);
    ts.forEach((t, i) => {
      expect(wire[i]!.contractAddress).toBe(eth.tokens!.USDC!.contract!.toLowerCase());
      expect(t.asset).toBe('USDC');
      expect(t.value).toBe(BigInt(wire[i]!.value!));
      expect(t.kind).toBe('token');
    });
    expect(n.learned.size).toBe(0); // well-known: nothing learned from rows
  });

  it('a token outside chains.ts stays keyed by its EIP-55 contract, with decimals and symbol learned', () => {
    const wire = rowsOf('etherscan/account-tokentx_page1_offset1_0x014cd053.json');
    const n = new Normalizer(eth);
    const [t] = n.tokens(parseRows('tokentx', wire));
    const key = n.checksum(wire[0]!.contractAddress!);
    expect(t!.asset).toBe(key);
    expect(t!.value).toBe(1500n * 10n ** 18n);
    expect(n.learned.get(key)).toEqual({ symbol: 'HBOT', decimals: 18, contract: key });
  });

  it('no real USDT row is recorded: the well-known USDT key is checked on its contract alone', () => {
    const n = new Normalizer(eth);
    const usdt = eth.tokens!.USDT!.contract!;
    expect(n.tokenKey(usdt.toLowerCase())).toBe('USDT');
    // A recorded non-USDT contract relabelled "USDT" (the look-alike pattern) keeps its contract key.
    const w: Wire = {
      ...rowsOf('etherscan/account-tokentx_page1_offset1_0x014cd053.json')[0]!,
      tokenSymbol: 'USDT',
    };
    const [t] = n.tokens(parseRows('tokentx', [w]));
    expect(t!.asset).toBe(n.checksum(w.contractAddress!));
    expect(t!.asset).not.toBe('USDT');
  });
});

describe.skipIf(!present)('the same query from Etherscan, Blockscout and Routescan (recorded)', () => {
  const DIR = 'same-query-3-providers';
  const providers = {
    etherscan: {
      txlist: 'etherscan_txlist_0x706a7006.json',
      internal: 'etherscan_txlistinternal_0x706a7006.json',
    },
    blockscout: {
      txlist: 'blockscout_txlist_0x706a7006.json',
      internal: 'blockscout_txlistinternal_0x706a7006.json',
    },
    routescan: {
      txlist: 'routescan_txlist_0x706a7006_page1_offset10000.json',
      internal: 'routescan_txlistinternal_0x706a7006_page1_offset10000.json',
    },
  } as const;
  const norm = (p: keyof typeof providers, which: 'txlist' | 'internal') =>
    normalise(
      new Normalizer(eth),
      which === 'txlist' ? 'txlist' : 'txlistinternal',
      rowsOf(`${DIR}/${providers[p][which]}`),
    );

  it('txlist: the three normalise to the same transfers (keys and every field)', () => {
    const e = norm('etherscan', 'txlist');
    expect(e).toHaveLength(10);
    expect(norm('blockscout', 'txlist')).toEqual(e);
    expect(norm('routescan', 'txlist')).toEqual(e);
  });

  it('txlistinternal: same movement; Blockscout and Routescan share the key, Etherscan keys by call path', () => {
    const e = norm('etherscan', 'internal');
    const b = norm('blockscout', 'internal');
    const r = norm('routescan', 'internal');
    const strip = ({ index: _i, ...rest }: Transfer) => rest;
    expect(e).toHaveLength(1);
    expect(b.map(strip)).toEqual(e.map(strip));
    expect(r.map(strip)).toEqual(e.map(strip));
    // Recorded: Etherscan traceId "0_1", Blockscout index "19", Routescan traceId "19".
    expect(e[0]!.index).toBe(traceIdIndex('0_1'));
    expect(b[0]!.index).toBe(BLOCKSCOUT_INTERNAL_BASE + 19);
    expect(r[0]!.index).toBe(b[0]!.index);
  });

  it('the internal movement is not a duplicate of any txlist transfer of the same tx', () => {
    for (const p of Object.keys(providers) as (keyof typeof providers)[]) {
      const txl = new Set(norm(p, 'txlist').map(keyOf));
      for (const t of norm(p, 'internal')) expect(txl.has(keyOf(t))).toBe(false);
    }
  });
});

describe.skipIf(!present)('envelopes as documented (recorded)', () => {
  const listOf = (body: unknown, dialect: Dialect = 'etherscan') =>
    apiFor(body, dialect).listPage('txlist', { address: '0x3C69Bc9B9681683890ad82953Fe67d13Cd91D5EE' });

  it('"No transactions found" with result [] is an empty list, not an error', async () => {
    const body = read('etherscan/account-txlist_empty_No_transactions_found.json');
    expect(body).toEqual({ status: '0', message: 'No transactions found', result: [] });
    expect(errorText(body)).toBeUndefined();
    expect(await listOf(body)).toEqual({ rows: [], count: 0 });
  });

  it('"No data found" with result null is empty too', () => {
    expect(errorText(read('etherscan/contract-getcontractcreation_no_data_found.json'))).toBeUndefined();
  });

  it('every recorded list answer goes through listPage in either dialect', async () => {
    for (const { file, action, rows } of LISTS) {
      const dialect: Dialect = file.includes('blockscout') ? 'blockscout' : 'etherscan';
      const page = await apiFor(read(file), dialect).listPage(action, { address: ZERO_ADDRESS });
      expect(page.count).toBe(rows);
      expect(page.rows).toHaveLength(rows);
    }
  });

  it('NOTOK "temporarily unavailable" is transient (retried by the client), then SOURCE', async () => {
    const body = read('etherscan/error_NOTOK_temporarily_unavailable.json');
    expect(transientText(body)).toMatch(/temporarily unavailable/);
    await expect(listOf(body)).rejects.toMatchObject({ code: 'SOURCE' });
  });

  it.each([
    ['etherscan/error_NOTOK_free_api_chain_not_supported.json', /not supported for this chain/],
    ['etherscan/error_NOTOK_contract_not_verified.json', /Contract source code not verified/],
  ])('NOTOK %s is a SOURCE error quoting the text, never retried', async (file, text) => {
    const body = read(file);
    expect(body.message).toBe('NOTOK');
    expect(transientText(body)).toBeUndefined();
    const err = await listOf(body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FundtraceError);
    expect((err as FundtraceError).code).toBe('SOURCE');
    expect((err as FundtraceError).message).toMatch(text);
  });
});
