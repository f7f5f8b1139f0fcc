// The recorded TronGrid v1 and FullNode bodies in ../shared/data/api-fixtures-tron, served byte for
// byte by a tiny loopback server and read through the real source (client, validators, paging).
// Skips cleanly when ../shared is absent.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_CHAINS } from '../../src/core/chains.js';
import { createHttpClient } from '../../src/sources/http/index.js';
import { TronGridApi } from '../../src/sources/trongrid/api.js';
import { TronNormalizer } from '../../src/sources/trongrid/normalize.js';
import { fetchList } from '../../src/sources/trongrid/paging.js';
import { Checker, parseTxInfo } from '../../src/sources/trongrid/rows.js';
import { SHARED } from '../helpers.js';

const DIR = join(SHARED, 'data', 'api-fixtures-tron');
const present = existsSync(join(DIR, 'PROVENANCE.md'));
const TM1 = 'TM1zzNDZD2DPASbKcgdVoTYhfmYgtfwx9R';
const TFF = 'TFFriedwRtWdFuzerDDtkoQTZ29smDZ1MB';

describe.skipIf(!present)('trongrid: recorded TronGrid / FullNode bodies', () => {
  let url = '';
  let close: () => void = () => {};
  const served: string[] = [];
  beforeAll(async () => {
    const file = (p: string) => join(DIR, p);
    const server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      served.push(`${u.pathname}?${u.searchParams.toString()}`);
      const fp = u.searchParams.has('fingerprint');
      const routes: Record<string, string> = {
        [`/v1/accounts/${TM1}/transactions`]: fp
          ? 'trongrid-v1/accounts_TM1zzNDZ_transactions_empty_page_with_next.json'
          : 'trongrid-v1/accounts_TM1zzNDZ_transactions_limit25_desc_page1_with_next.json',
        [`/v1/accounts/${TFF}/transactions`]:
          'trongrid-v1/accounts_TFFriedw_transactions_limit25_desc_lastpage.json',
        [`/v1/accounts/${TM1}/transactions/trc20`]:
          'trongrid-v1/accounts_TM1zzNDZ_transactions_trc20_page1_with_next_unconfirmed.json',
        '/wallet/gettransactioninfobyid': 'fullnode/gettransactioninfobyid_5a9935a1_TransferContract.json',
        '/wallet/gettransactionbyid':
          u.searchParams.get('value')?.startsWith('5a9935a1') === true
            ? 'fullnode/gettransactionbyid_5a9935a1_TransferContract.json'
            : u.searchParams.get('value')?.startsWith('0b9e01dd') === true
              ? 'fullnode/gettransactionbyid_0b9e01dd_TriggerSmartContract_USDT_transfer.json'
              : 'fullnode/gettransactionbyid_freeze.json',
      };
      const f = routes[u.pathname];
      if (!f) {
        res.writeHead(404).end();
        return;
      }
      readFile(file(f)).then((b) => res.writeHead(200, { 'content-type': 'application/json' }).end(b));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => {
      server.closeAllConnections();
      server.close();
    };
  });
  afterAll(() => close());

  const api = () =>
    new TronGridApi({
      http: createHttpClient({ retries: 0 }),
      base: new URL(url),
      apiKey: undefined,
      secrets: [],
    });
  const tuning = { pageSize: 200, maxRows: 10_000 };

  it('a page with a cursor, then an empty page that still has a next link: 25 rows, stop', async () => {
    served.length = 0;
    const r = await fetchList(api(), tuning, 'transactions', TM1);
    expect(r.rows).toHaveLength(25);
    expect(served).toHaveLength(2);
    expect(served[1]).toContain('fingerprint=4CwRecxbH99eRRkU2FFkGRCvoQGwphNy');
    const types = r.rows.map((x) => x.type);
    expect(types.filter((t) => t === 'TransferContract')).toHaveLength(7);
    expect(types.filter((t) => t === 'TriggerSmartContract')).toHaveLength(17);
    expect(types.filter((t) => t === 'TransferAssetContract')).toHaveLength(1);
    // amounts in sun, addresses from hex 41… to base58, fee = ret[0].fee (= net_fee + energy_fee)
    const row = r.rows.find((x) => x.tx.startsWith('3fca53c0'))!;
    expect(row).toMatchObject({
      owner: TM1,
      amount: 13_195_916_000n,
      fee: 2690n,
      block: 20829716,
      success: true,
    });
    const usdtCall = r.rows.find((x) => x.tx.startsWith('18f5908a'))!;
    expect(usdtCall).toMatchObject({
      type: 'TriggerSmartContract',
      to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      fee: 299_770n,
    });
    const norm = new TronNormalizer(BUILTIN_CHAINS.find('tron')!);
    const ts = norm.tx({ ...row, height: row.block });
    expect(ts.map((t) => [t.kind, t.value, t.from])).toEqual([
      ['native', 13_195_916_000n, TM1],
      ['fee', 2690n, TM1],
    ]);
  });

  it('a last page (no fingerprint): 21 rows, one request; TRC-10 rows carry their asset name', async () => {
    served.length = 0;
    const r = await fetchList(api(), tuning, 'transactions', TFF);
    expect(r.rows).toHaveLength(21);
    expect(served).toHaveLength(1);
    expect(
      r.rows.filter((x) => x.type === 'TransferAssetContract' && x.assetName !== undefined),
    ).toHaveLength(17);
  });

  it('the TRC-20 page edited by blockatlas (account …x9D, a failing checksum) is refused as BAD_DATA naming the field', async () => {
    await expect(fetchList(api(), tuning, 'trc20', TM1)).rejects.toMatchObject({
      code: 'BAD_DATA',
      message: expect.stringMatching(
        /data\[0\]\.from "TM1zzNDZD2DPASbKcgdVoTYhfmYgtfwx9D" is not a TRON address \(fails its base58check checksum\)/,
      ),
    });
  });

  it('gettransactioninfobyid of a TRX transfer: fee, block, no log', async () => {
    const info = await api().txInfo('5a9935a1b7be0150a511111582bbfed62ddb873333b3986bd712e6105fe90ad5');
    expect(info).toMatchObject({
      fee: 1_100_000n,
      block: 75_772_270,
      time: 1_757_976_723_000,
      failed: false,
      transfers: [],
    });
  });

  it('gettransactionbyid: TRX transfer, USDT call, freeze', async () => {
    const a = api();
    expect(await a.rawTx('5a9935a1b7be0150a511111582bbfed62ddb873333b3986bd712e6105fe90ad5')).toMatchObject({
      type: 'TransferContract',
      amount: 25_000_000n,
      success: true,
    });
    const usdt = JSON.parse(
      await readFile(
        join(DIR, 'fullnode/gettransactionbyid_0b9e01dd_TriggerSmartContract_USDT_transfer.json'),
        'utf8',
      ),
    ) as { txID: string };
    expect(await a.rawTx(usdt.txID)).toMatchObject({
      type: 'TriggerSmartContract',
      to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    });
  });

  it('the real USDT Transfer log of gettransactioninfobyblocknum: base58 contract, sender, recipient, amount', async () => {
    const list = JSON.parse(
      await readFile(
        join(DIR, 'fullnode/gettransactioninfobyblocknum_82834891_partly_synthetic_with_real_USDT_log.json'),
        'utf8',
      ),
    ) as unknown[];
    const c = new Checker();
    const info = parseTxInfo(list[4], c);
    expect(c.problems).toEqual([]);
    expect(info?.transfers).toHaveLength(1);
    expect(info!.transfers[0]).toMatchObject({
      index: 0,
      contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      value: 0x0ed77040n,
    });
    expect(info!.transfers[0]!.from).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
  });
});
