// The indexed store (issue 16): index build time against the parse floor (target ≤ 2×), a 3-hop
// haircut trace from the index against the floor (target ≤ 10 %) and its peak RSS (target ≤ 300 MB),
// on the same synthetic datasets as the foundation benchmark (1M account transfers, 250k UTXO txs;
// `--small` a tenth). Only the CLI is timed, from outside, like the foundation row.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAccountSynthetic, writeUtxoSynthetic } from './synthetic.js';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, '.bench');
const FLOOR = `
const rl = require('node:readline').createInterface({ input: require('node:fs').createReadStream(process.argv[1]), crlfDelay: Infinity });
rl.on('line', (l) => { if (l) JSON.parse(l); });
`;

function measure(cmd: string[]): { ms: number; rssMb: number | null; stderr: string } {
  const gnu = existsSync('/usr/bin/time');
  const argv = gnu ? ['/usr/bin/time', '-f', 'MAXRSS_KB=%M', ...cmd] : cmd;
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}`);
  const m = /MAXRSS_KB=(\d+)/.exec(r.stderr);
  return { ms, rssMb: m ? Number(m[1]) / 1024 : null, stderr: r.stderr };
}

export async function benchIndex(): Promise<Record<string, string>> {
  const small = process.argv.includes('--small');
  mkdirSync(DIR, { recursive: true });
  const transfers = small ? 100_000 : 1_000_000;
  const files: [string, string, string][] = [];
  const acc = join(DIR, `account-${transfers}.jsonl`);
  if (!existsSync(acc) || !existsSync(`${acc}.seed`)) {
    const r = await writeAccountSynthetic(acc, { transfers, addresses: transfers / 5, seed: 1 });
    writeFileSync(`${acc}.seed`, r.busySeed);
  }
  files.push(['account', acc, readFileSync(`${acc}.seed`, 'utf8').trim()]);
  const utx = join(DIR, `utxo-${transfers / 4}.jsonl`);
  if (!existsSync(utx) || !existsSync(`${utx}.seed`)) {
    const r = await writeUtxoSynthetic(utx, { txs: transfers / 4, seed: 1 });
    writeFileSync(`${utx}.seed`, r.busySeed);
  }
  files.push(['utxo', utx, readFileSync(`${utx}.seed`, 'utf8').trim()]);
  const bin = join(ROOT, 'bin', 'fundtrace.js');
  const out: Record<string, string> = {};
  for (const [name, file, seed] of files) {
    const db = join(DIR, `${name}-${transfers}.duckdb`);
    rmSync(db, { force: true });
    const floor = measure([process.execPath, '-e', FLOOR, file]);
    const build = measure([process.execPath, bin, 'dataset', 'index', file, '--out', db]);
    const args = ['trace', seed, '--hops', '3', '--model', 'haircut', '--format', 'json'];
    const fromFile = measure([process.execPath, bin, ...args, '--source', file]);
    const fromIndex = measure([process.execPath, bin, ...args, '--source', `index:${db}`]);
    const mb = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(0)} MB`);
    out[`${name}: file, floor (read + JSON.parse)`] =
      `${(statSync(file).size / 2 ** 20).toFixed(0)} MB, ${(floor.ms / 1000).toFixed(2)} s`;
    out[`${name}: index build (ratio to floor, target ≤ 2)`] =
      `${(build.ms / 1000).toFixed(2)} s (${(build.ms / floor.ms).toFixed(2)}×), ${(statSync(db).size / 2 ** 20).toFixed(0)} MB, peak RSS ${mb(build.rssMb)}`;
    out[`${name}: trace from the file`] =
      `${(fromFile.ms / 1000).toFixed(2)} s, peak RSS ${mb(fromFile.rssMb)}`;
    out[`${name}: trace from the index (share of floor, target ≤ 10 %)`] =
      `${(fromIndex.ms / 1000).toFixed(2)} s (${((100 * fromIndex.ms) / floor.ms).toFixed(0)} %), peak RSS ${mb(fromIndex.rssMb)} (target ≤ 300 MB)`;
  }
  return out;
}
