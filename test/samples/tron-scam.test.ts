// The TRON sample (samples/tron-scam.json): well-formed and derived as documented, TRON's record
// conventions (base58 addresses, 64-hex txids, TRX fee records, failed transactions that only pay
// their fee, the documented index scheme), and its figures hand-checked under every model.
//
// Hand check (USDT, seed = the consolidation wallet, forward, 3 hops): it sends 9 000 to layer-1 and
// 7 550 to layer-2 (traced 16 550). layer-1 pays 5 000 to the Mzizi OTC desk and 4 000 to layer-3,
// frozen by Tether. layer-2 already held 1 450 clean USDT (balance 9 000, 7 550 tainted), then pays
// 3 500 to a Savanna deposit address (swept to Savanna's hot wallet) and 2 050 to a Baobab deposit
// address, keeping 3 450.
//   haircut: Savanna floor(3 500·7 550/9 000) = 2 936.111111; layer-2 keeps 5 500 (4 613.888889
//            tainted); Baobab floor(2 050·4 613.888889/5 500) = 1 719.722222; at rest 2 894.166667.
//   fifo:    Savanna takes the 1 450 clean first, then 2 050 tainted; Baobab 2 050; at rest 3 450.
//   poison:  every debit after the first tainted credit counts in full: Savanna 3 500, Baobab 2 050.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TRON_USDT, tronAddress, tronTxid } from '../../scripts/make-samples.js';
import { decodeTron } from '../../src/core/tron.js';
import { cli, taintedAt, traceJson } from '../helpers.js';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));
const file = join(SAMPLES, 'tron-scam.json');
const read = async <T>(f: string): Promise<T> => JSON.parse(await readFile(join(SAMPLES, f), 'utf8')) as T;

interface T {
  tx: string;
  index: number;
  height: number;
  position: number;
  from: string;
  to: string | null;
  asset: string;
  value: string;
  kind: string;
}

describe('samples/tron-scam.json', () => {
  it('is a valid TRON dataset (dataset validate)', async () => {
    const r = await cli(['dataset', 'validate', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('chain tron');
  });

  it('derives every address and txid from its seed string; the records follow TRON conventions', async () => {
    const ds = await read<{ chain: string; assets: Record<string, { contract: string }>; transfers: T[] }>(
      'tron-scam.json',
    );
    const book = await read<Record<string, string>>('tron-scam.addresses.json');
    const txs = await read<Record<string, string>>('tron-scam.txs.json');
    expect(ds.chain).toBe('tron');
    expect(ds.assets.USDT!.contract).toBe(TRON_USDT);
    for (const [role, a] of Object.entries(book)) {
      expect(a).toBe(tronAddress(`tron-scam/${role}`));
      expect(decodeTron(a).ok).toBe(true);
    }
    for (const [name, id] of Object.entries(txs)) {
      expect(id).toBe(tronTxid(`tron-scam/tx/${name}`));
      expect(id).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(ds.transfers.map((t) => t.tx)).size).toBe(Object.keys(txs).length);
    const balance = new Map<string, bigint>();
    for (const t of ds.transfers) {
      const want = { native: 0, fee: 2_000_000, token: 3_000_000 }[t.kind];
      expect(t.index, `${t.tx} ${t.kind}`).toBe(want);
      if (t.kind === 'fee') expect([t.asset, t.to]).toEqual(['TRX', null]);
      const k = `${t.from}/${t.asset}`;
      const left = (balance.get(k) ?? 0n) - BigInt(t.value);
      if (t.from !== book.genesis && t.from !== book['usdt-fake-contract'])
        expect(left >= 0n, `${t.tx}: ${t.from} negative in ${t.asset}`).toBe(true);
      balance.set(k, left);
      if (t.to)
        balance.set(`${t.to}/${t.asset}`, (balance.get(`${t.to}/${t.asset}`) ?? 0n) + BigInt(t.value));
    }
    // failed transactions: a fee record and nothing else
    for (const name of ['layer-1-failed', 'layer-3-refused']) {
      const recs = ds.transfers.filter((t) => t.tx === txs[name]);
      expect(recs.map((t) => t.kind)).toEqual(['fee']);
    }
    // the victims paid 17 450 USDT in all
    const paid = ds.transfers.filter((t) =>
      /^victim-\d+-pays$/.test(Object.keys(txs).find((n) => txs[n] === t.tx)!),
    );
    expect(paid.filter((t) => t.kind === 'token').reduce((s, t) => s + BigInt(t.value), 0n)).toBe(
      17_450_000_000n,
    );
  });

  const U = 1_000_000n;
  it.each([
    ['haircut', 2_936_111_111n, 1_719_722_222n, 2_894_166_667n],
    ['fifo', 2_050n * U, 2_050n * U, 3_450n * U],
    ['poison', 3_500n * U, 2_050n * U, null],
  ] as const)('%s figures match the hand check', async (model, savanna, baobab, atRest) => {
    const book = await read<Record<string, string>>('tron-scam.addresses.json');
    const j = await traceJson([book.consolidator!, '--source', file, '--asset', 'USDT', '--model', model]);
    expect(j.summary.traced.value).toBe(String(16_550n * U));
    expect(taintedAt(j, book['mzizi-otc']!)).toBe(5_000n * U);
    expect(taintedAt(j, book['layer-3']!)).toBe(4_000n * U);
    expect(taintedAt(j, book['savanna-hot']!)).toBe(savanna);
    expect(taintedAt(j, book['baobab-deposit']!)).toBe(baobab);
    const frozen = j.summary.exits.find((x) => x.category === 'frozen_by_issuer');
    expect(frozen).toMatchObject({ address: book['layer-3'], entity: 'Tether', kind: 'flagged', hop: 2 });
    const sav = j.summary.exits.find((x) => x.entity === 'Savanna Exchange') as { depositAddress?: string };
    expect(sav.depositAddress).toBe(book['savanna-deposit']);
    if (atRest !== null) {
      expect(j.summary.atRest).toEqual([expect.objectContaining({ address: book['layer-2'], hop: 1 })]);
      expect(BigInt(j.summary.atRest[0]!.amount.value)).toBe(atRest);
      expect(j.summary.conserved).toBe(true);
    }
  });
});
