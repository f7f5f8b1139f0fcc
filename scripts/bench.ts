// `npm run bench`: figures and ratios, not a timed test.
//
// Foundation: a deterministic synthetic dataset of ~1 000 000 account transfers over 200 000
// addresses (and a UTXO one of comparable size); reports the time to read and JSON-parse every
// line (the floor, a plain Node script), the whole `fundtrace trace` run (3-hop haircut from the
// planted case seed and from a busy seed; the account file also with the sequential reader), its
// load and trace phases, and peak RSS against the file size.
// Targets: trace run ≤ 1.5 × floor; peak RSS ≤ 4 × file size.
// Then every other benchmark module present (live sources, reports, labels) is run in turn.
//
//   npm run bench                 all
//   npm run bench -- --only core  just the foundation figures
//   npm run bench -- --small      100 000 transfers (quick look)
//   npm run bench -- --only index --huge   also 10M account transfers (on demand, ~3.2 GB, not CI)
//   npm run bench -- --only etl            a BigQuery-shaped ethereum-etl export imported (500k txs; --huge also 5M)
//   npm run bench -- --repeat 3   each timed run (and the floor measured just before it) 3 times: the fastest
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { paired, repeats } from './bench-measure.js';
import { ensureSynthetic } from './synthetic.js';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, '.bench');
const args = process.argv.slice(2);
const small = args.includes('--small');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

const fmtMs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const fmtMb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

async function benchCore(): Promise<Record<string, string | number>> {
  mkdirSync(DIR, { recursive: true });
  const transfers = small ? 100_000 : 1_000_000;
  const addresses = small ? 20_000 : 200_000;
  const acc = join(DIR, `account-${transfers}.jsonl`);
  const utx = join(DIR, `utxo-${transfers / 4}.jsonl`);
  const g0 = performance.now();
  // The same files (and seed files) as the index benchmark, so neither regenerates the other's.
  const a = await ensureSynthetic('account', acc, { transfers, addresses, seed: 1 });
  const u = await ensureSynthetic('utxo', utx, { txs: transfers / 4, seed: 1 });
  const genMs = performance.now() - g0;

  const out: Record<string, string | number> = { 'generate (or reuse) datasets': fmtMs(genMs) };
  // Seeds: the planted case (an investigation: 13 addresses at any size) and the busy seed (the
  // graph's reach: 10 000 addresses). Account files load in parallel (src/sources/dataset/parallel.ts)
  // unless FUNDTRACE_LOAD=sequential; UTXO files are read sequentially.
  const runs: [string, string, string, string, NodeJS.ProcessEnv][] = [
    ['account', acc, 'case seed', a.caseSeed ?? a.busySeed, {}],
    ['account', acc, 'busy seed', a.busySeed, {}],
    [
      'account',
      acc,
      'case seed, FUNDTRACE_LOAD=sequential',
      a.caseSeed ?? a.busySeed,
      { FUNDTRACE_LOAD: 'sequential' },
    ],
    ['utxo', utx, 'case seed', u.caseSeed ?? u.busySeed, {}],
    ['utxo', utx, 'busy seed', u.busySeed, {}],
  ];
  const n = repeats();
  const seen = new Set<string>();
  for (const [name, file, what, seed, env] of runs) {
    const size = statSync(file).size;
    if (!seen.has(file)) {
      seen.add(file);
      out[`${name}: file`] = `${fmtMb(size)} (${file.replace(ROOT + '/', '')})`;
    }
    // The floor (read + JSON.parse every line) is measured just before each run: the machine's speed drifts.
    const { floorMs: floor, run: trace } = paired(
      n,
      file,
      [
        process.execPath,
        join(ROOT, 'bin', 'fundtrace.js'),
        'trace',
        seed,
        '--source',
        file,
        '--hops',
        '3',
        '--model',
        'haircut',
        '--format',
        'json',
        '--out',
        join(DIR, `${name}-trace.json`),
        '--verbose',
      ],
      { ...process.env, ...env },
    );
    if (trace.failed) throw new Error(`trace failed: ${trace.failed}`);
    const phases = /open source (\d+) ms, trace (\d+) ms \((\d+) addresses, (\d+) movements\)/.exec(
      trace.stderr,
    );
    const how = /dataset checked on (\d+) worker thread/.exec(trace.stderr);
    const rss =
      trace.rssMb === null
        ? ''
        : `, peak RSS ${fmtMb(trace.rssMb * 2 ** 20)} (${((trace.rssMb * 2 ** 20) / size).toFixed(2)} × file, target ≤ 4)`;
    out[`${name}, ${what}: whole run (ratio to floor, target ≤ 1.5)`] =
      `${fmtMs(trace.ms)} (${(trace.ms / floor).toFixed(2)}× a ${fmtMs(floor)} floor${n > 1 ? `; fastest of ${n}` : ''})${rss}`;
    if (phases) {
      out[`${name}, ${what}: load, trace`] =
        `${phases[1]} ms (${how ? `parallel, ${how[1]} workers` : 'sequential'}), ${phases[2]} ms (${phases[3]} addresses, ${phases[4]} movements)`;
    }
  }
  return out;
}

/** Benchmarks of the other issues, each in its own module exporting an async function. */
const MODULES: [string, string, string][] = [
  ['labels', 'bench-labels.ts', 'benchLabels'],
  ['esplora', 'bench-esplora.ts', 'benchEsplora'],
  ['graphsense', 'bench-graphsense.ts', 'benchGraphSense'],
  ['rpc', 'bench-rpc.ts', 'benchRpc'],
  ['etherscan', 'bench-etherscan.ts', 'benchEtherscan'],
  ['trongrid', 'bench-trongrid.ts', 'benchTronGrid'],
  ['report', 'bench-report.ts', 'benchReport'],
  ['keccak', 'bench-keccak.ts', 'benchKeccak'],
  ['events', 'bench-events.ts', 'benchEvents'],
  ['bridges', 'bench-bridges.ts', 'benchBridges'],
  ['startup', 'bench-startup.ts', 'benchStartup'],
  ['index', 'bench-index.ts', 'benchIndex'],
  ['etl', 'bench-etl.ts', 'benchEtl'],
  ['watch', 'bench-watch.ts', 'benchWatch'],
];

function print(title: string, figures: Record<string, string | number>) {
  process.stdout.write(`\n## ${title}\n`);
  const w = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`  ${k.padEnd(w)}  ${v}\n`);
}

/** Newest modification time under `dir` (the same rule as bin/fundtrace.js). */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * The CLI is timed as installed: bin/fundtrace.js runs the bundle only while it is newer than every
 * source, and compiles the sources through tsx otherwise (1–2 s more per run, on every row). A
 * checkout's bundle goes stale at each edit or merge, so build it first when it is.
 */
function ensureBundle(): string {
  const bundle = join(ROOT, 'dist', 'cli', 'main.mjs');
  const sourcesAt = Math.max(newest(join(ROOT, 'src')), statSync(join(ROOT, 'package.json')).mtimeMs);
  let note = 'fresh';
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < sourcesAt) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`building the bundle failed: ${r.stderr}`);
    note = 'rebuilt: it was older than src/';
  }
  return process.env.FUNDTRACE_NO_BUNDLE
    ? 'the TypeScript sources through tsx (FUNDTRACE_NO_BUNDLE is set: slower start on every run)'
    : `the bundle dist/cli/main.mjs (${note})`;
}

process.stdout.write(`CLI under test: ${ensureBundle()}\n`);
if (!only || only === 'core') print('foundation: dataset load and trace', await benchCore());
for (const [name, file, fn] of MODULES) {
  if (only && only !== name) continue;
  const path = join(import.meta.dirname, file);
  if (!existsSync(path)) continue;
  const mod = (await import(pathToFileURL(path).href)) as Record<string, (o?: object) => Promise<unknown>>;
  if (typeof mod[fn] !== 'function') continue;
  const got = await mod[fn](name === 'report' ? { browser: existsSync('/usr/bin/chromium') } : {});
  if (Array.isArray(got)) {
    // Row lists (the report benchmark): one line each.
    const figures: Record<string, string> = {};
    for (const row of got as Record<string, unknown>[]) {
      const { input, ...rest } = row;
      figures[String(input)] = Object.entries(rest)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
    }
    print(name, figures);
  } else print(name, got as Record<string, string | number>);
}
