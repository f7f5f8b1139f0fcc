import { cli } from '/work/trongrid/test/helpers.js';
import { A, addr, tronScenario, txid, USD } from '/work/trongrid/test/trongrid/scenario.js';
import { startTronGridServer } from '/work/trongrid/test/trongrid/server.js';

const sc = tronScenario();
const FAKE = addr('fake-usdt-contract');
sc.tokens[FAKE] = { symbol: 'USDT', name: 'Tether USD', decimals: 6 };
sc.txs.push({
  id: txid('airdrop'),
  block: 140,
  time: 1_700_000_000_000 + 40 * 3000,
  type: 'TriggerSmartContract',
  owner: A.w,
  to: FAKE,
  fee: 5_000_000n,
  transfers: [{ contract: FAKE, from: A.w, to: A.scam, value: 7n * USD }],
});
const s = await startTronGridServer(sc);
for (const seed of [A.w, txid('airdrop')]) {
  const r = await cli(
    ['trace', seed, '--source', `trongrid:${s.url}`, '--asset', FAKE, '--no-cache', '--format', 'json'],
    { FUNDTRACE_HTTP_BACKOFF_MS: '5' },
  );
  console.log(r.status, r.stderr.slice(0, 300));
  const j = JSON.parse(r.stdout || '{}');
  console.log(JSON.stringify(j.query?.asset), JSON.stringify(j.summary?.traced));
}
await s.close();
