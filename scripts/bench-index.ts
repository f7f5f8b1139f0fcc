// The indexed store (issue 16): index build time against the parse floor (target ≤ 2×), a 3-hop
// haircut trace from the index against the floor (target ≤ 10 %, and independent of the dataset's
// size) and its peak RSS (target ≤ 300 MB), on the same synthetic datasets as the foundation
// benchmark (1M account transfers, 250k UTXO txs; `--small` a tenth). Only the CLI is timed, from
// outside, like the foundation row.
//
// Two seeds per account dataset: the busy seed (a hub of the random graph: its 3-hop trace measures
// the graph's reach, thousands of addresses) and the planted case's seed (scripts/synthetic.ts,
// plantAccountCase: the same 13 addresses at any size, so its trace measures the store). Each row
// says what the trace visited (from `--verbose`).
//
// `--huge` (on demand, never in CI; ~3.2 GB on disk and a while to run): also 10M account transfers
// over 2M addresses. The index build and the trace from the file go through the parallel load (both
// stream the file and keep its columns, ~2.3 GB RSS); they still get
// NODE_OPTIONS=--max-old-space-size=16384, so that a run which falls back to the sequential reader
// (it would need ~16 GB) is measured rather than refused. Traces from the index run as a user runs
// them (they set their own, tighter, heap growth: src/sources/index/heap.ts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FLOOR, measure, paired, repeats } from './bench-measure.js';
import { ensureSynthetic } from './synthetic.js';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, '.bench');
const BIN = join(ROOT, 'bin', 'fundtrace.js');
const BIG_HEAP = '--max-old-space-size=16384';
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(0)} MB`);
/** wall time outside the open and trace phases: process start, module loading, labels, output */
const rest = (ms: number, t: { open: number; trace: number } | null) =>
  t ? `${Math.max(0, Math.round(ms - t.open - t.trace))} ms` : '?';

/**
 * glibc's transparent huge pages for malloc (README, "Big files on Linux"): set for the process
 * at its start, so measured in rows of their own, beside the default ones. Only where glibc runs
 * (GLIBC_TUNABLES means nothing to musl or another OS) and the kernel gives huge pages when asked.
 */
const THP = 'glibc.malloc.hugetlb=1';
function thpApplies(): boolean {
  if (process.platform !== 'linux') return false;
  const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
  if (!header?.glibcVersionRuntime) return false;
  try {
    return /\[(always|madvise)\]/.test(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'));
  } catch {
    return false;
  }
}

/** `fundtrace: timings: open source X ms, trace Y ms (N addresses, M movements)` */
function timings(
  stderr: string,
): { open: number; trace: number; addresses: number; movements: number } | null {
  const m = /open source (\d+) ms, trace (\d+) ms \((\d+) addresses, (\d+) movements\)/.exec(stderr);
  return m ? { open: +m[1]!, trace: +m[2]!, addresses: +m[3]!, movements: +m[4]! } : null;
}

/** The trace JSON without `query.sources` (which names the file or the index). */
function comparable(path: string): string {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { query: { sources?: unknown } };
  delete doc.query.sources;
  return JSON.stringify(doc);
}

interface Dataset {
  name: string;
  file: string;
  seeds: [string, string][];
  /** runs that load the whole dataset get a bigger heap */
  bigHeap: boolean;
  /** also measure the first run and the build with glibc's huge pages for malloc (account files) */
  thpRows: boolean;
}

/** The case seed's trace from the index, per dataset, for the side-by-side row. */
interface CaseRow {
  name: string;
  ms: number;
  traceMs: number | null;
  addresses: number | null;
  rssMb: number | null;
}

function benchDataset(d: Dataset, out: Record<string, string>, cases: CaseRow[]): void {
  const { name, file } = d;
  const db = join(DIR, `${file.replace(/^.*\//, '').replace(/\.jsonl$/, '')}.ftindex`);
  rmSync(db, { force: true });
  const heavyEnv = d.bigHeap ? { ...process.env, NODE_OPTIONS: BIG_HEAP } : process.env;
  const heap = d.bigHeap ? ` (NODE_OPTIONS=${BIG_HEAP})` : '';
  const n = repeats();
  const floor = measure([process.execPath, '-e', FLOOR, file]);
  out[`${name}: file, floor (read + JSON.parse)`] =
    `${(statSync(file).size / 2 ** 20).toFixed(0)} MB, ${s(floor.ms)} (each ratio below is to a floor measured just before its run${n > 1 ? `; fastest of ${n}` : ''})`;
  // Each build writes a new index: the previous one is removed first, untimed (replacing it with
  // --force costs this machine's file system 0.6–1.2 s more for the 1M index, freeing its blocks).
  const b = paired(n, file, [process.execPath, BIN, 'dataset', 'index', file, '--out', db], heavyEnv, () => {
    rmSync(db, { force: true });
    spawnSync('sync');
  });
  const build = b.run;
  out[`${name}: index build${heap} (ratio to floor, target ≤ 2)`] = build.failed
    ? `failed after ${s(build.ms)}: ${build.failed}`
    : `${s(build.ms)} (${(build.ms / b.floorMs).toFixed(2)}× a ${s(b.floorMs)} floor), ${(statSync(db).size / 2 ** 20).toFixed(0)} MB, peak RSS ${mb(build.rssMb)}`;
  const thp = d.thpRows && thpApplies();
  if (thp) {
    const bt = paired(
      n,
      file,
      [process.execPath, BIN, 'dataset', 'index', file, '--out', db],
      { ...heavyEnv, GLIBC_TUNABLES: THP },
      () => {
        rmSync(db, { force: true });
        spawnSync('sync');
      },
    );
    out[`${name}: index build, GLIBC_TUNABLES=${THP}`] = bt.run.failed
      ? `failed after ${s(bt.run.ms)}: ${bt.run.failed}`
      : `${s(bt.run.ms)} (${(bt.run.ms / bt.floorMs).toFixed(2)}× a ${s(bt.floorMs)} floor), peak RSS ${mb(bt.run.rssMb)}`;
  }
  for (const [seedName, seed] of d.seeds) {
    const args = ['trace', seed, '--hops', '3', '--model', 'haircut', '--format', 'json', '--verbose'];
    const fileOut = join(DIR, `${name.replace(/\W+/g, '-')}-${seedName}-file.json`);
    const indexOut = join(DIR, `${name.replace(/\W+/g, '-')}-${seedName}-index.json`);
    const ff = paired(
      n,
      file,
      [process.execPath, BIN, ...args, '--source', file, '--out', fileOut],
      heavyEnv,
    );
    const fromFile = ff.run;
    const tf = timings(fromFile.stderr);
    const visited = (t: ReturnType<typeof timings>) =>
      t ? `${t.addresses} addresses, ${t.movements} movements` : 'no timings';
    out[`${name}: ${seedName} seed, trace from the file${heap}`] = fromFile.failed
      ? `failed after ${s(fromFile.ms)}: ${fromFile.failed}`
      : `${s(fromFile.ms)} (${(fromFile.ms / ff.floorMs).toFixed(2)}× floor; load ${tf?.open ?? '?'} ms, trace ${tf?.trace ?? '?'} ms; ${visited(tf)}), peak RSS ${mb(fromFile.rssMb)}`;
    if (thp && seedName === 'case') {
      const ft = paired(n, file, [process.execPath, BIN, ...args, '--source', file, '--out', fileOut], {
        ...heavyEnv,
        GLIBC_TUNABLES: THP,
      });
      out[`${name}: case seed, trace from the file, GLIBC_TUNABLES=${THP}`] = ft.run.failed
        ? `failed after ${s(ft.run.ms)}: ${ft.run.failed}`
        : `${s(ft.run.ms)} (${(ft.run.ms / ft.floorMs).toFixed(2)}× floor), peak RSS ${mb(ft.run.rssMb)}`;
    }
    if (build.failed) continue;
    const fi = paired(n, file, [
      process.execPath,
      BIN,
      ...args,
      '--source',
      `index:${db}`,
      '--out',
      indexOut,
    ]);
    const fromIndex = fi.run;
    const ti = timings(fromIndex.stderr);
    const same = fromFile.failed
      ? 'file trace failed: not compared'
      : comparable(fileOut) === comparable(indexOut)
        ? 'same JSON as from the file'
        : 'JSON DIFFERS from the file';
    out[`${name}: ${seedName} seed, trace from the index (share of floor, target ≤ 10 %)`] = fromIndex.failed
      ? `failed after ${s(fromIndex.ms)}: ${fromIndex.failed}`
      : `${s(fromIndex.ms)} (${((100 * fromIndex.ms) / fi.floorMs).toFixed(1)} %; open ${ti?.open ?? '?'} ms, trace ${ti?.trace ?? '?'} ms, the rest ${rest(fromIndex.ms, ti)}; ${visited(ti)}; ${same}), peak RSS ${mb(fromIndex.rssMb)} (target ≤ 300 MB)`;
    if (seedName === 'case' && !fromIndex.failed)
      cases.push({
        name,
        ms: fromIndex.ms,
        traceMs: ti?.trace ?? null,
        addresses: ti?.addresses ?? null,
        rssMb: fromIndex.rssMb,
      });
  }
}

export async function benchIndex(): Promise<Record<string, string>> {
  const small = process.argv.includes('--small');
  const huge = process.argv.includes('--huge');
  mkdirSync(DIR, { recursive: true });
  const transfers = small ? 100_000 : 1_000_000;
  const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
  const datasets: Dataset[] = [];
  const account = async (n: number, bigHeap: boolean) => {
    const file = join(DIR, `account-${n}.jsonl`);
    const r = await ensureSynthetic('account', file, { transfers: n, addresses: n / 5, seed: 1 });
    const seeds: [string, string][] = [['busy', r.busySeed]];
    if (r.caseSeed) seeds.push(['case', r.caseSeed]);
    datasets.push({ name: `account ${label(n)}`, file, seeds, bigHeap, thpRows: true });
  };
  await account(transfers, false);
  const utx = join(DIR, `utxo-${transfers / 4}.jsonl`);
  const u = await ensureSynthetic('utxo', utx, { txs: transfers / 4, seed: 1 });
  const utxoSeeds: [string, string][] = [['busy', u.busySeed]];
  if (u.caseSeed) utxoSeeds.push(['case', u.caseSeed]);
  datasets.push({
    name: `utxo ${label(transfers / 4)}`,
    file: utx,
    seeds: utxoSeeds,
    bigHeap: false,
    thpRows: false,
  });
  if (huge) await account(10 * transfers, true);

  const out: Record<string, string> = {};
  const cases: CaseRow[] = [];
  for (const d of datasets) benchDataset(d, out, cases);
  const acc = cases.filter((c) => c.name.startsWith('account'));
  if (acc.length > 1)
    out['account case seed from the index, by size (independent of size?)'] = acc
      .map(
        (c) =>
          `${c.name}: ${s(c.ms)} (trace ${c.traceMs ?? '?'} ms, ${c.addresses ?? '?'} addresses, peak RSS ${mb(c.rssMb)})`,
      )
      .join(' vs ');
  else if (!huge)
    out[`account case seed from the index, ${label(transfers)} vs ${label(10 * transfers)}`] =
      `run with --huge (${label(10 * transfers)} transfers, generated on demand)`;
  return out;
}
