// The parallel load's plan and workers, and starting them early (issue 16, the first-run path).
//
// A parallel load (./parallel.ts) cuts the file into byte ranges after its header line (the plan)
// and checks each on a worker thread. Planning needs the file's size and first line only, so the
// CLI's entry (src/cli/early.ts) plans and starts the load of the dataset its command line names
// before it loads the command: the workers boot and check while the main thread loads ~0.2 s of
// code, on a core that would otherwise wait. `loadParallel` then takes that load when it is the
// one it would start itself (same file, same options), or stops it and starts its own: a guess
// that turns out wrong costs work thrown away, never a result, since an early load checks exactly
// what a late one would. This module loads none of the dataset code (only what planning needs),
// so the CLI's entry can import it first.
import { statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ChainInfo, findChain } from '../../core/chains.js';
import { usageError } from '../../core/errors.js';
import { indexBucketBits } from '../index/pieces.js';
import type { RawHeader } from './builder.js';
import type { ChunkInput, ChunkResult } from './chunk.js';
import { type SharedColumns, sharedColumns } from './columns.js';
import { keyProblem } from './keys.js';

/** Below this size the sequential reader is as fast (worker start-up is not free). */
export const MIN_BYTES = 8 << 20;
/** Bytes per worker at least. */
const BYTES_PER_WORKER = 4 << 20;

/**
 * FUNDTRACE_LOAD: how a JSON Lines account dataset is read. Unset: in parallel from 8 MiB up, else
 * sequentially; `parallel` or `sequential` forces one (tests, benchmarks, and a way round should the
 * parallel load ever misbehave). Anything else is a usage error.
 */
export function loadMode(env: NodeJS.ProcessEnv): 'auto' | 'parallel' | 'sequential' {
  const v = env.FUNDTRACE_LOAD;
  if (v === undefined || v === '') return 'auto';
  if (v === 'parallel' || v === 'sequential') return v;
  throw usageError(`FUNDTRACE_LOAD=${JSON.stringify(v).slice(0, 60)}: expected parallel or sequential`);
}

/** Is this file name a JSON Lines dataset (the only form loaded in parallel)? */
export const isJsonLines = (path: string): boolean => /\.(jsonl|ndjson)$/i.test(path);

/** An index build's bucket counts: 2^ledgerBits ledger buckets, 2^txBits tx buckets. */
export interface BucketBits {
  ledgerBits: number;
  txBits: number;
}

/** What a load may be asked for beyond the file (./parallel.ts ParallelOptions). */
export interface PlanOptions {
  /** Worker threads (default: one per 4 MiB, at most one per core and 8); 0 checks in this thread. */
  workers?: number;
  /** Smallest file read this way (default 8 MiB). */
  minBytes?: number;
  /** Bytes a chunk reads at a time (tests make it tiny). */
  piece?: number;
  /** An index build's hash buckets, each chunk's written by its worker (src/sources/index/pieces.ts). */
  buckets?: BucketBits;
  /** false: no shared columns, each chunk writes its own (tests: the merge then copies all). */
  reserve?: boolean;
  /** Bytes a record line takes, for placing the chunks in the shared columns (tests; else sampled). */
  recordBytes?: number;
}

/** What identifies the file a load checked (a write or a reset modification time changes ctime). */
export interface FileStat {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/** A load's plan: the file as it was, its header line, and one chunk per worker. */
export interface Plan {
  stat: FileStat;
  /** The first line, with its newline when it has one; `nl`: where that newline is (or its length). */
  headerBytes: Buffer;
  nl: number;
  /** Parsed, not yet checked against the schema (./parallel.ts does that). */
  header: RawHeader & Record<string, unknown>;
  chain: ChainInfo;
  inputs: ChunkInput[];
}

/**
 * The plan for a load of `path`, or undefined when the parallel load does not take the file (too
 * small, unreadable, a header it does not take as it is, not an account chain): the caller reads it
 * sequentially, which words any problem. The header's schema is checked by the load (./parallel.ts).
 */
export async function planLoad(path: string, opts: PlanOptions): Promise<Plan | undefined> {
  let headerBytes: Buffer;
  let stat: FileStat;
  let recordBytes: number;
  try {
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      stat = { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
      if (!st.isFile() || st.size < (opts.minBytes ?? MIN_BYTES)) return undefined;
      headerBytes = await readHeaderLine(fh, st.size);
      recordBytes = opts.recordBytes ?? (await sampleRecordBytes(fh, headerBytes.length, st.size));
    } finally {
      await fh.close();
    }
  } catch {
    return undefined; // unreadable: the sequential reader words the error
  }
  const size = stat.size;
  // The header: the first line, checked and taken as the sequential reader does.
  const nl = headerBytes.indexOf(10) < 0 ? headerBytes.length : headerBytes.indexOf(10);
  let headerText = headerBytes.toString('utf8', 0, nl > 0 && headerBytes[nl - 1] === 13 ? nl - 1 : nl);
  if (headerText.charCodeAt(0) === 0xfeff) headerText = headerText.slice(1);
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch {
    return undefined;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return undefined;
  const h = header as Record<string, unknown>;
  if (!(h.type === undefined || h.type === 'header')) return undefined;
  if (headerText.includes('\r') || keyProblem(headerText, h)) return undefined;
  const chain = findChain(String(h.chain));
  if (chain?.kind !== 'account') return undefined;

  // Byte ranges after the header, one per worker; each reads its own and checks the lines starting in it.
  const first = Math.min(nl + 1, size);
  const data = size - first;
  const pieces = Math.max(1, opts.workers ?? workersFor(data));
  const ranges: [number, number][] = [];
  for (let k = 0; k < pieces; k++) {
    const start = first + Math.floor((data * k) / pieces);
    const end = first + Math.floor((data * (k + 1)) / pieces);
    if (end > start) ranges.push([start, end]);
  }
  // Each chunk's place in columns shared by all: its estimated records and a tenth more, so that the
  // merge moves the chunks together (a copy within pages already written) instead of copying them
  // into fresh pages (~0.15 s of a 3 s first run on the 1M benchmark, all on the main thread).
  const caps = ranges.map(([start, end]) => Math.ceil(((end - start) / recordBytes) * 1.1) + 16);
  let shared: SharedColumns | undefined;
  if (ranges.length > 1 && opts.reserve !== false) {
    try {
      shared = sharedColumns(caps.reduce((a, b) => a + b, 0));
    } catch {
      // No address space for them: each chunk writes its own, and the merge copies.
    }
  }
  let at = 0;
  const inputs: ChunkInput[] = ranges.map(([start, end], k) => {
    const input: ChunkInput = {
      path,
      ...(opts.piece ? { piece: opts.piece } : {}),
      start,
      end,
      first,
      header: header as RawHeader,
      ...(opts.buckets ? { buckets: opts.buckets } : {}),
      ...(shared ? { shared: { columns: shared, at, cap: caps[k]! } } : {}),
    };
    at += caps[k]!;
    return input;
  });
  return { stat, headerBytes, nl, header: h as RawHeader & Record<string, unknown>, chain, inputs };
}

/** Bytes per record line in a sample of the lines after the header (256 KiB; 200 when it holds none). */
async function sampleRecordBytes(fh: FileHandle, first: number, size: number): Promise<number> {
  const sample = Buffer.alloc(Math.min(1 << 18, Math.max(0, size - first)));
  const { bytesRead } = await fh.read(sample, 0, sample.length, first);
  let lines = 0;
  let last = -1;
  for (let i = sample.indexOf(10); i >= 0 && i < bytesRead; i = sample.indexOf(10, i + 1)) {
    lines++;
    last = i;
  }
  return lines > 0 ? Math.max(1, (last + 1) / lines) : 200;
}

/** Workers for `data` bytes of records: one per 4 MiB, at most one per core and 8. */
const workersFor = (data: number): number =>
  Math.min(8, availableParallelism(), Math.max(1, Math.floor(data / BYTES_PER_WORKER)));

/** The first line (with its newline) of a file, read in 64 KiB pieces. */
async function readHeaderLine(fh: FileHandle, size: number): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let pos = 0; pos < size; ) {
    const piece = Buffer.alloc(Math.min(1 << 16, size - pos));
    const { bytesRead } = await fh.read(piece, 0, piece.length, pos);
    if (bytesRead === 0) break;
    const got = piece.subarray(0, bytesRead);
    const nl = got.indexOf(10);
    pieces.push(nl < 0 ? got : got.subarray(0, nl + 1));
    if (nl >= 0) break;
    pos += bytesRead;
  }
  return Buffer.concat(pieces);
}

/** Chunks being checked on worker threads: `stop` ends them all (`done` then rejects). */
export interface Running {
  done: Promise<ChunkResult[]>;
  stop: () => void;
  /** Let the workers keep the process alive (those of an early load do not until it is taken). */
  ref: () => void;
}

/** Check each chunk in its own worker thread (`early`: not keeping the process alive). */
export function runChunks(inputs: readonly ChunkInput[], early = false): Running {
  const workers: Worker[] = [];
  const done = inputs.map(
    (input) =>
      new Promise<ChunkResult>((resolve, reject) => {
        const w = datasetWorker(input);
        if (early) w.unref();
        workers.push(w);
        w.once('message', (r: ChunkResult) => {
          resolve(r);
          // One chunk with a problem decides: the others need not finish.
          if (!r.ok) for (const o of workers) void o.terminate();
        });
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`dataset worker stopped (${code})`)));
      }),
  );
  const stop = () => {
    for (const w of workers) void w.terminate();
  };
  const all = Promise.all(done).finally(stop);
  all.catch(() => {}); // a load not taken may fail unobserved; the one that takes it awaits `done`
  const ref = () => {
    for (const w of workers) w.ref();
  };
  return { done: all, stop, ref };
}

/**
 * A worker checking one chunk. From the sources (tests, tsx) the worker is the TypeScript file; in
 * the bundle, its own entry.
 */
function datasetWorker(input: ChunkInput): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./dataset-worker.mjs', import.meta.url), { workerData: input });
  // A worker does not inherit tsx's loader: it registers it, then imports the TypeScript entry.
  return new Worker(
    `import(${JSON.stringify(tsxEsmApi())}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); });`,
    { eval: true, workerData: input },
  );
}

/** tsx's ESM loader API (its CommonJS twin cannot register from a worker). Development only. */
function tsxEsmApi(): string {
  const req = createRequire(import.meta.url);
  const pkg = req.resolve('tsx/package.json');
  const exp = (req(pkg) as { exports: Record<string, { import: { default: string } }> }).exports[
    './esm/api'
  ]!;
  return pathToFileURL(join(dirname(pkg), exp.import.default)).href;
}

/** The load started early: for which file and buckets, and its plan and workers once planned. */
let early:
  | {
      path: string;
      buckets: BucketBits | undefined;
      started: Promise<{ plan: Plan; running: Running } | undefined>;
    }
  | undefined;

/**
 * Plan and start the load of `file` (for an index build, `index`) as `loadParallelIf` would,
 * before anyone asks for it; false when it would not be loaded in parallel (a JSON Lines file of 8
 * MiB or more, FUNDTRACE_LOAD permitting) or a load was started early already. Anything unexpected
 * (no such file, a bad FUNDTRACE_LOAD, a header it does not take) starts nothing: the load itself
 * words it.
 */
export function startEarly(file: string, env: NodeJS.ProcessEnv, index = false): boolean {
  if (early || !isJsonLines(file)) return false;
  let mode: ReturnType<typeof loadMode>;
  let buckets: BucketBits | undefined;
  try {
    mode = loadMode(env);
    const st = statSync(file);
    if (mode === 'sequential' || !st.isFile() || (mode === 'auto' && st.size < MIN_BYTES)) return false;
    // An index build's buckets, chosen from the file's size as src/sources/index/build.ts chooses them.
    if (index) buckets = indexBucketBits(st.size);
  } catch {
    return false;
  }
  const opts: PlanOptions = {
    ...(mode === 'parallel' ? { minBytes: 0 } : {}),
    ...(buckets ? { buckets } : {}),
  };
  const started = planLoad(file, opts).then(
    (plan) => (plan ? { plan, running: runChunks(plan.inputs, true) } : undefined),
    () => undefined,
  );
  early = { path: resolve(file), buckets, started };
  return true;
}

/**
 * The load started early, when it is the one a load of `path` with `opts` would start (then it is
 * taken: its workers keep the process alive again), else undefined (and it is stopped).
 */
export async function takeEarly(
  path: string,
  opts: PlanOptions,
): Promise<{ plan: Plan; running: Running } | undefined> {
  const e = early;
  if (!e) return undefined;
  early = undefined;
  const got = await e.started;
  if (!got) return undefined;
  const same =
    e.path === resolve(path) &&
    got.plan.stat.size >= (opts.minBytes ?? MIN_BYTES) &&
    opts.workers === undefined &&
    opts.piece === undefined &&
    opts.reserve !== false &&
    JSON.stringify(opts.buckets ?? null) === JSON.stringify(e.buckets ?? null) &&
    opts.recordBytes === undefined;
  if (!same) {
    got.running.stop();
    return undefined;
  }
  got.running.ref();
  return got;
}

/** Stop a load started early that nobody took (tests; a command that never loads its dataset exits without waiting for it). */
export function dropEarly(): void {
  const e = early;
  early = undefined;
  void e?.started.then((got) => got?.running.stop());
}

/** Is a load started early waiting to be taken (tests)? */
export const earlyWaiting = (): boolean => early !== undefined;
