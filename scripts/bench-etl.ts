// ethereum-etl / BigQuery import (issue 16, "a month of USDT transfers on a laptop"): a synthetic
// export in BigQuery's shape — `crypto_ethereum.transactions` with its receipt_* columns and
// `token_transfers`, CSV, times as "YYYY-MM-DD HH:MM:SS UTC" — of N transactions, each carrying
// one USDT transfer, over 100 000 addresses. Timed from outside: `dataset import-etl` to a dataset,
// and with `--index` (the build on the same pass), wall time, rows a second, peak RSS.
//
//   npm run bench -- --only etl            500 000 transactions (~390 MB of CSV)
//   npm run bench -- --only etl --small    100 000
//   npm run bench -- --only etl --huge     also 5 000 000 (~3.9 GB of CSV, on demand, not CI)
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measure } from './bench-measure.js';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, '.bench');
const BIN = join(ROOT, 'bin', 'fundtrace.js');
const USDT = '0xdac17f958d2ee523a2206206994597c13d831ec7';
const ADDRESSES = 100_000;
const PER_BLOCK = 150;

const TX_HEADER =
  'hash,nonce,transaction_index,from_address,to_address,value,gas,gas_price,input,receipt_cumulative_gas_used,receipt_gas_used,receipt_contract_address,receipt_root,receipt_status,block_timestamp,block_number,block_hash,max_fee_per_gas,max_priority_fee_per_gas,transaction_type,receipt_effective_gas_price';
const TT_HEADER =
  'token_address,from_address,to_address,value,transaction_hash,log_index,block_timestamp,block_number,block_hash';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The export's two files (written once, reused while complete). */
async function ensureExport(n: number): Promise<{ txs: string; tt: string; bytes: number }> {
  const dir = join(DIR, `etl-${n}`);
  const txs = join(dir, 'transactions.csv');
  const tt = join(dir, 'token_transfers.csv');
  const done = join(dir, 'complete');
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const addrs = Array.from({ length: ADDRESSES }, (_, k) => `0x${sha(`address ${k}`).slice(0, 40)}`);
    const a = createWriteStream(txs);
    const b = createWriteStream(tt);
    a.write(`${TX_HEADER}\n`);
    b.write(`${TT_HEADER}\n`);
    let ta = '';
    let tb = '';
    for (let i = 0; i < n; i++) {
      const block = 17_000_000 + Math.floor(i / PER_BLOCK);
      const pos = i % PER_BLOCK;
      const time = new Date((1_680_000_000 + (block - 17_000_000) * 12) * 1000)
        .toISOString()
        .slice(0, 19)
        .replace('T', ' ');
      const h = `0x${sha(`tx ${i}`)}`;
      const bh = `0x${sha(`block ${block}`)}`;
      const from = addrs[(i * 7919 + (i >> 3)) % ADDRESSES]!;
      const to = addrs[(i * 104_729 + 17) % ADDRESSES]!;
      const input = `0xa9059cbb000000000000000000000000${to.slice(2)}${(1 + (i % 99_991)).toString(16).padStart(64, '0')}`;
      ta += `${h},${i},${pos},${from},${USDT},0,60000,30000000000,${input},${(pos + 1) * 46_000},46000,,,${i % 97 === 0 ? 0 : 1},${time} UTC,${block},${bh},40000000000,1000000000,2,30000000000\n`;
      tb += `${USDT},${from},${to},${1 + (i % 99_991) * 1000},${h},${pos},${time} UTC,${block},${bh}\n`;
      if (ta.length > 1 << 20) {
        if (!a.write(ta)) await once(a, 'drain');
        if (!b.write(tb)) await once(b, 'drain');
        ta = '';
        tb = '';
      }
    }
    a.write(ta);
    b.write(tb);
    await Promise.all([new Promise((r) => a.end(r)), new Promise((r) => b.end(r))]);
    writeFileSync(done, '');
  }
  return { txs, tt, bytes: statSync(txs).size + statSync(tt).size };
}

export async function benchEtl(): Promise<Record<string, string>> {
  const sizes = process.argv.includes('--small')
    ? [100_000]
    : process.argv.includes('--huge')
      ? [500_000, 5_000_000]
      : [500_000];
  const out: Record<string, string> = {};
  for (const n of sizes) {
    const t0 = performance.now();
    const { txs, tt, bytes } = await ensureExport(n);
    out[`${n} txs: export (BigQuery CSV: transactions + token_transfers)`] =
      `${(bytes / 2 ** 20).toFixed(0)} MB (made or reused in ${((performance.now() - t0) / 1000).toFixed(1)} s)`;
    const work = join(DIR, `etl-${n}`, 'out');
    for (const index of [false, true]) {
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work);
      const args = ['dataset', 'import-etl', '--transactions', txs, '--token-transfers', tt];
      args.push(
        '--out',
        join(work, 'import.jsonl'),
        ...(index ? ['--index', join(work, 'import.ftindex')] : []),
      );
      const r = measure([process.execPath, BIN, ...args]);
      const what = `${n} txs: import-etl${index ? ' --index' : ''}`;
      if (r.failed) {
        out[what] = `FAILED ${r.failed}`;
        continue;
      }
      const rss =
        r.rssMb === null
          ? ''
          : `, peak RSS ${r.rssMb.toFixed(0)} MB (${((r.rssMb * 2 ** 20) / n).toFixed(0)} B a transaction)`;
      out[what] =
        `${(r.ms / 1000).toFixed(1)} s (${Math.round(n / (r.ms / 1000)).toLocaleString('en')} transactions/s)${rss}`;
    }
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}
