// Labels on TRON: TagPack rows with currency TRX/USDT on T… addresses, the OFAC per-asset TRX and
// USDT lists (real data, skipped without ../shared), base58 lookups kept case-sensitive, the
// "frozen by issuer" category as a terminal, and exchange deposit-address recognition on TRON.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainForCurrency } from '../../src/labels/currencies.js';
import { loadLabelFile } from '../../src/labels/load.js';
import { LabelStore } from '../../src/labels/store.js';
import { DEFAULT_FLAGGED, normaliseCategory } from '../../src/labels/taxonomy.js';
import { writeJson } from '../dataset/helpers.js';
import { cli, traceJson } from '../helpers.js';
import { tronAddr, tronTx } from '../vector-roles.js';
import { hasShared, SHARED } from './helpers.js';

const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

describe('currency codes on TRON', () => {
  it.each([
    ['TRX', 'TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi', 'tron'],
    ['trx', 'TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi', 'tron'],
    ['USDT', 'TX5GV4DyfxNB3rPkzZJhmqZ1efVmL4rEqG', 'tron'],
    ['USDC', 'TX5GV4DyfxNB3rPkzZJhmqZ1efVmL4rEqG', 'tron'],
    ['USDT', '0x175d44451403Edf28469dF03A9280c1197ADb92c', 'ethereum'],
    ['USDT', '3E6ZCKRrsdPc35chA9Eftp1h3DLW18NFNV', undefined], // Omni USDT on a Bitcoin address
  ])('%s %s → %s', (code, address, chain) => {
    expect(chainForCurrency(code, address)).toBe(chain);
  });
});

describe('labels lookup on TRON', () => {
  it('a T… address needs no --chain; a 0x address with --chain tron names its TRON form', async () => {
    const a = 'TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi';
    const f = writeJson(
      [{ chain: 'tron', address: a, entity: 'Savanna', category: 'exchange', source: 't' }],
      'l.json',
    );
    const r = await cli(['labels', 'lookup', a, '--labels', f]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ chain: 'tron', address: a, category: 'exchange' });
    const bad = await cli([
      'labels',
      'lookup',
      '0xa614f803b6fd780986a42c78ec9c7f77e6ded13c',
      '--chain',
      'tron',
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`the same 20-byte body on tron is ${USDT}`);
  });
});

describe('the label store keeps TRON addresses case-sensitive (base58)', () => {
  it('a lookup with the case changed finds nothing', () => {
    const a = 'TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi';
    const store = new LabelStore([
      { chain: 'tron', address: a, entity: 'X', category: 'exchange', source: 't' },
    ]);
    expect(store.get('tron', a)).toHaveLength(1);
    expect(store.get('trx', a)).toHaveLength(1);
    expect(store.get('tron', a.toLowerCase())).toEqual([]);
  });
});

const real = (f: string) => join(SHARED, f);

describe.skipIf(!hasShared('graphsense-tagpacks'))('real data: TagPacks on TRON', () => {
  it('Binance reserve wallets with currency TRX import as exchange labels on tron', async () => {
    const r = await loadLabelFile(real('graphsense-tagpacks/packs/exchange-wallets-binance.yaml'), {
      lenient: true,
    });
    const tron = r.entries.filter((l) => l.chain === 'tron');
    expect(tron).toHaveLength(9);
    expect(new Set(tron.map((l) => l.address)).size).toBe(8);
    expect(
      tron.every((l) => l.category === 'exchange' && /^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(l.address)),
    ).toBe(true);
    expect(tron.map((l) => l.address)).toContain('TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi');
  });

  it("Tether's USDT blacklist pack (category black_list) is frozen_by_issuer", async () => {
    const r = await loadLabelFile(real('graphsense-tagpacks/packs/usdt_blacklist.yaml'), { lenient: true });
    expect(r.entries).toHaveLength(774);
    expect(new Set(r.entries.map((l) => `${l.chain} ${l.category}`))).toEqual(
      new Set(['ethereum frozen_by_issuer']),
    );
  });

  it('OFAC tags with currency USDT on T… addresses are sanctioned on tron', async () => {
    const r = await loadLabelFile(real('graphsense-tagpacks/packs/ofac.yaml'), { lenient: true });
    const tron = r.entries.filter((l) => l.chain === 'tron');
    expect(tron).toHaveLength(6);
    expect(tron.every((l) => l.category === 'sanctioned')).toBe(true);
    expect(tron.map((l) => l.address)).toEqual(
      expect.arrayContaining(['TX5GV4DyfxNB3rPkzZJhmqZ1efVmL4rEqG', 'TVacWx7F5wgMgn49L5frDf9KLgdYy8nPHL']),
    );
  });
});

describe.skipIf(!hasShared('ofac-sanctioned-addresses'))('real data: OFAC TRX and USDT lists', () => {
  it.each([
    ['TRX', 6, 0],
    ['USDT', 11, 7], // the other 8 are 0x (ethereum); 7 Omni addresses are skipped
  ])('sanctioned_addresses_%s.txt: %i sanctioned TRON addresses, no problems', async (ticker, n, skipped) => {
    const r = await loadLabelFile(real(`ofac-sanctioned-addresses/sanctioned_addresses_${ticker}.txt`));
    const tron = r.entries.filter((l) => l.chain === 'tron');
    expect(tron).toHaveLength(n);
    expect(tron.every((l) => l.category === 'sanctioned' && l.note?.includes(`(${ticker})`))).toBe(true);
    expect(r.warnings).toEqual([]);
    expect(r.skipped.reduce((s, x) => s + x.count, 0)).toBe(skipped);
  });
});

describe('frozen by issuer', () => {
  it('is a flagged category; "frozen" names it', () => {
    expect(normaliseCategory('frozen')).toBe('frozen_by_issuer');
    expect(normaliseCategory('Frozen by issuer')).toBe('frozen_by_issuer');
    expect(DEFAULT_FLAGGED).toContain('frozen_by_issuer');
  });

  // S sends 10 USDT to X (frozen by Tether) and 5 USDT to Y, who forwards it to a deposit address D
  // of Exchange Z; D sweeps to Z's labelled hot wallet H.
  const S = tronAddr('fr-S');
  const X = tronAddr('fr-X');
  const Y = tronAddr('fr-Y');
  const D = tronAddr('fr-D');
  const H = tronAddr('fr-H');
  const t = (n: number, from: string, to: string, value: string) => ({
    tx: tronTx(`fr-${n}`),
    index: 3_000_000,
    height: 100 + n,
    position: 0,
    time: `2026-03-01T1${n}:00:00Z`,
    from,
    to,
    asset: 'USDT',
    value,
    kind: 'token',
  });
  const file = () =>
    writeJson(
      {
        format: 'fundtrace-dataset/1',
        chain: 'tron',
        assets: { USDT: { decimals: 6, contract: USDT } },
        transfers: [
          t(0, tronAddr('fr-V'), S, '15000000'),
          t(1, S, X, '10000000'),
          t(2, S, Y, '5000000'),
          t(3, Y, D, '5000000'),
          t(4, D, H, '5000000'),
        ],
        labels: [
          {
            address: X,
            entity: 'Tether',
            category: 'frozen_by_issuer',
            source: 'test',
            note: 'USDT frozen by issuer',
          },
          { address: H, entity: 'Exchange Z', category: 'exchange', source: 'test' },
        ],
      },
      'frozen.json',
    );

  it('value reaching a frozen address stops there as a terminal; the deposit address is recognised', async () => {
    const j = await traceJson([S, '--source', file(), '--asset', 'USDT']);
    const byCat = Object.fromEntries(j.summary.exits.map((x) => [x.category, x]));
    expect(byCat.frozen_by_issuer).toMatchObject({ address: X, entity: 'Tether', hop: 1 });
    expect(BigInt(byCat.frozen_by_issuer!.tainted.value)).toBe(10_000_000n);
    expect(byCat.exchange).toMatchObject({ address: H, entity: 'Exchange Z', depositAddress: D });
    expect(j.graph.nodes.find((n) => n.attributes.address === D)?.attributes.cluster).toMatchObject({
      via: 'deposit',
      entity: 'Exchange Z',
    });
    expect(j.summary.conserved).toBe(true);
  });

  it('the table names the terminal "frozen by issuer"', async () => {
    const r = await cli(['trace', S, '--source', file(), '--asset', 'USDT', '--format', 'table']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/of which frozen by issuer +10 USDT/);
    expect(r.stdout).toMatch(/Tether +frozen by issuer/);
  });
});
