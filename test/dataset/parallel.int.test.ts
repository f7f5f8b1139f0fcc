// The parallel JSON Lines load (src/sources/dataset/parallel.ts) answers exactly as the sequential
// one: every account golden trace and taint vector, and random datasets (shuffled, CRLF, blank lines),
// print the same bytes either way; the view answers every address and tx record for record, whatever
// the number of chunks; and every file it does not take (a problem anywhere, records it does not
// handle) goes to the sequential reader, so the errors are the sequential reader's, word for word.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import Database from 'libsql';
import { afterAll, describe, expect, it } from 'vitest';
import type { Transfer } from '../../src/core/model.js';
import { MISSING } from '../../src/core/view.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { loadParallel, loadParallelIf } from '../../src/sources/dataset/parallel.js';
import { dropEarly, earlyWaiting, startEarly } from '../../src/sources/dataset/pool.js';
import type { DatasetAccountView } from '../../src/sources/dataset/view.js';
import { indexBucketBits } from '../../src/sources/index/pieces.js';
import { toJsonLines } from '../fixtures/dataset/docs.js';
import {
  ADDRESSES,
  type Move,
  move,
  TOKEN,
  transfersOf as typedTransfers,
} from '../fixtures/dataset/random-account.js';
import { FILE_CHANGES } from '../fixtures/file-changes.js';
import { GOLDEN_TRACES } from '../golden/cases.js';
import { cli, ROOT } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ACCOUNT_SAMPLES = ['samples/phishing-eth.json', 'samples/tron-scam.json'];
const jsonlOf = new Map<string, string>();
function asJsonLines(sample: string): string {
  let out = jsonlOf.get(sample);
  if (!out) {
    out = join(dir, `${jsonlOf.size}-${sample.split('/').pop()!.replace('.json', '.jsonl')}`);
    writeFileSync(out, toJsonLines(JSON.parse(readFileSync(join(ROOT, sample), 'utf8'))));
    jsonlOf.set(sample, out);
  }
  return out;
}

/** What --verbose adds that differs by design (timings, how it was read, a refusal's stack frames). */
const quiet = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => !/timings:|reads:|worker thread|^\s+at /.test(l))
    .join('\n');

/** Trace both ways; the same status, stdout byte for byte, the same stderr but for the load lines. */
async function same(args: string[], parallelExpected = true): Promise<number> {
  const seq = await cli(['trace', ...args, '--format', 'json', '--verbose'], {
    FUNDTRACE_LOAD: 'sequential',
  });
  const par = await cli(['trace', ...args, '--format', 'json', '--verbose'], { FUNDTRACE_LOAD: 'parallel' });
  expect(par.status, par.stderr).toBe(seq.status);
  expect(par.stdout).toBe(seq.stdout);
  expect(quiet(par.stderr)).toBe(quiet(seq.stderr));
  // The parallel load did run (it says so, after a trace), or the file was handed on (same errors).
  if (parallelExpected && seq.status === 0)
    expect(par.stderr).toMatch(/dataset checked on \d+ worker threads?: \d+ transfers/);
  expect(seq.stderr).not.toMatch(/worker thread/);
  // An index built from the file's columns (each record stored as its line) answers the same.
  if (parallelExpected && seq.status === 0) {
    const at = args.indexOf('--source');
    const viaIndex = [...args];
    viaIndex[at + 1] = `index:${await lineIndexOf(args[at + 1]!)}`;
    const idx = await cli(['trace', ...viaIndex, '--format', 'json']);
    expect(idx.status, idx.stderr).toBe(0);
    expect(withoutSources(idx.stdout)).toEqual(withoutSources(seq.stdout));
  }
  return seq.status;
}

const withoutSources = (stdout: string) => {
  const doc = JSON.parse(stdout) as { query: { sources?: unknown } };
  delete doc.query.sources;
  return doc;
};

/** The index of a JSON Lines file, built through the parallel load (records stored as their lines). */
const lineIndexes = new Map<string, string>();
async function lineIndexOf(file: string): Promise<string> {
  let db = lineIndexes.get(file);
  if (!db) {
    db = join(dir, `${lineIndexes.size}.ftindex`);
    const r = await cli(['dataset', 'index', file, '--out', db], { FUNDTRACE_LOAD: 'parallel' });
    expect(r.status, r.stderr).toBe(0);
    const d = new Database(db, { readonly: true });
    expect((d.prepare("SELECT value FROM meta WHERE key = 'payload'").get() as { value: string }).value).toBe(
      '"line"',
    );
    d.close();
    lineIndexes.set(file, db);
  }
  return db;
}

describe('parallel load ≡ sequential load (account golden traces, as JSON Lines)', () => {
  const cases = GOLDEN_TRACES.filter((g) =>
    ACCOUNT_SAMPLES.includes(g.args[g.args.indexOf('--source') + 1]!),
  );
  it('covers both account samples', () => {
    expect(cases.length).toBeGreaterThan(5);
  });
  it.each(cases.map((g) => [g.name, g.args] as const))('%s', async (_name, args) => {
    const a = [...args];
    const at = a.indexOf('--source');
    a[at + 1] = asJsonLines(a[at + 1]!);
    await same(a);
  });
});

describe('parallel load ≡ sequential load (account taint vectors)', () => {
  const vectors = join(import.meta.dirname, '..', 'fixtures', 'vectors');
  const files = readdirSync(vectors).filter((f) => {
    const doc = JSON.parse(readFileSync(join(vectors, f), 'utf8')) as {
      transfers?: unknown[];
      logs?: unknown[];
    };
    return f.endsWith('.json') && (doc.transfers?.length ?? 0) > 0 && doc.logs === undefined;
  });
  it('has account vectors', () => expect(files.length).toBeGreaterThan(3));
  it.each(files)('%s, every model, both directions', async (file) => {
    const doc = JSON.parse(readFileSync(join(vectors, file), 'utf8')) as { transfers: { tx: string }[] };
    const path = join(dir, file.replace('.json', '.jsonl'));
    writeFileSync(path, toJsonLines(doc as never));
    for (const model of ['haircut', 'fifo', 'poison'])
      for (const direction of ['forward', 'backward'])
        await same([
          doc.transfers[0]!.tx,
          '--source',
          path,
          '--model',
          model,
          '--direction',
          direction,
          '--hops',
          '6',
        ]);
  });
});

const A = ADDRESSES;
const transfersOf = (moves: Move[]) => typedTransfers(moves, true);

const HEADER = JSON.stringify({
  format: 'fundtrace-dataset/1',
  chain: 'ethereum',
  assets: { TKN: { decimals: 6, contract: TOKEN } },
  head: { height: 10_000 },
});

/** A JSON Lines file of records in the given order, with a line ending and optional blank lines. */
function writeLines(name: string, records: unknown[], eol = '\n', blanks = false): string {
  const lines = [HEADER, ...records.map((r) => JSON.stringify(r))];
  if (blanks) lines.splice(2, 0, '', '   ');
  const path = join(dir, name);
  writeFileSync(path, lines.join(eol) + eol);
  return path;
}

describe('parallel load ≡ sequential load (random account datasets)', () => {
  const arb = fc.record({
    moves: fc.array(move, { minLength: 1, maxLength: 25 }),
    seed: fc.nat(3),
    model: fc.constantFrom('haircut', 'fifo', 'poison'),
    backward: fc.boolean(),
    token: fc.boolean(),
    shuffle: fc.nat(1000),
    crlf: fc.boolean(),
    blanks: fc.boolean(),
  });
  it('30 random datasets, in chain order or shuffled, LF or CRLF, with blank lines', async () => {
    let traced = 0;
    for (const [n, c] of fc.sample(arb, { numRuns: 30, seed: 20261204 }).entries()) {
      const records = transfersOf(c.moves);
      // A deterministic shuffle: files need not be in chain order.
      if (c.shuffle % 2 === 1)
        records.sort(
          (a, b) =>
            ((JSON.stringify(a).length * c.shuffle) % 7) - ((JSON.stringify(b).length * c.shuffle) % 7),
        );
      const file = writeLines(`random-${n}.jsonl`, records, c.crlf ? '\r\n' : '\n', c.blanks);
      const args = [
        A[c.seed]!,
        '--source',
        file,
        '--model',
        c.model,
        '--asset',
        c.token ? 'TKN' : 'ETH',
        '--hops',
        '5',
      ];
      if (c.backward) args.push('--direction', 'backward');
      if ((await same(args)) === 0) traced++;
    }
    expect(traced).toBeGreaterThan(15);
  });
});

/** Every ledger and tx of the parallel view, against the sequential dataset view. */
async function sameAnswers(file: string, workers: number): Promise<void> {
  const seq = buildDatasetView(await loadDataset(file)) as DatasetAccountView;
  const par = await loadParallel(file, { minBytes: 0, workers });
  expect(par, `workers ${workers}`).toBeDefined();
  const view = par!.view;
  const all = (await loadDataset(file)).transfers;
  const addresses = [...new Set(all.flatMap((t: Transfer) => (t.to ? [t.from, t.to] : [t.from])))];
  const txs = [...new Set(all.map((t: Transfer) => t.tx))];
  await view.fetchMissing({ addresses, txs, outspends: [] } as never);
  for (const a of addresses)
    for (const asset of seq.assets()) {
      const got = view.ledger(a, asset);
      expect(got).not.toBe(MISSING);
      expect(got).toEqual(seq.ledger(a, asset));
    }
  for (const tx of txs) expect(view.txTransfers(tx)).toEqual(seq.txTransfers(tx));
  expect(view.assets()).toEqual(seq.assets());
  expect(par!.records).toBe(all.length);
  // Streamed (an index build): the same columns, read a piece at a time, lines straddling pieces.
  for (const piece of [64, 97, 4096, 1 << 20]) {
    const st = await loadParallel(file, { minBytes: 0, workers, piece });
    expect(st, `streamed, workers ${workers}, piece ${piece}`).toBeDefined();
    expect([...st!.store.inFileOrder()]).toEqual([...par!.store.inFileOrder()]);
    const ledgers = (d: typeof par) => [...d!.store.ledgers()].map(([a, seqs]) => [a, Array.from(seqs)]);
    expect(ledgers(st)).toEqual(ledgers(par));
    for (let q = 0; q < st!.records; q++) expect(st!.store.txOf(q)).toBe(par!.store.txOf(q));
    expect(st!.labels).toEqual(par!.labels);
    // Its records are read from the file by offset, and answer as the dataset view's.
    await st!.view.fetchMissing({ addresses, txs, outspends: [] } as never);
    for (const a of addresses)
      for (const asset of seq.assets()) expect(st!.view.ledger(a, asset)).toEqual(seq.ledger(a, asset));
    for (const tx of txs) expect(st!.view.txTransfers(tx)).toEqual(seq.txTransfers(tx));
  }
}

describe('the view answers as the dataset view, whatever the chunks', () => {
  const moves = fc.sample(fc.array(move, { minLength: 40, maxLength: 80 }), { numRuns: 1, seed: 7 })[0]!;
  const records = transfersOf(moves);
  it.each([0, 1, 2, 3, 5, 9])('%i chunks (0: in this thread)', async (workers) => {
    const file = writeLines(`chunks-${workers}.jsonl`, records);
    await sameAnswers(file, workers === 0 ? 0 : workers);
  });

  it('each chunk writes its records at its place in shared columns, moved together by the merge; a chunk outgrowing its place, or no shared columns, and the merge copies all: the same store', async () => {
    const file = writeLines('reserve.jsonl', records);
    const view = (d: Awaited<ReturnType<typeof loadParallel>>) => ({
      records: [...d!.store.inFileOrder()],
      ledgers: [...d!.store.ledgers()].map(([a, seqs]) => [a, Array.from(seqs)]),
      txs: Array.from({ length: d!.records }, (_, q) => d!.store.txOf(q)),
    });
    for (const workers of [2, 3, 5]) {
      const copied = await loadParallel(file, { minBytes: 0, workers, reserve: false });
      const n = copied!.records;
      expect(n).toBe(records.length);
      const column = (d: typeof copied) => d!.store.fileOrder().start.buffer;
      expect(column(copied)).toBeInstanceOf(ArrayBuffer);
      expect(column(copied).byteLength).toBe(n * 8);
      // Placed by a sampled record size; then far apart (1 byte a record: each chunk moves down a
      // long way); then too close (a chunk outgrows its place, so all are copied).
      for (const [name, recordBytes, inPlace] of [
        ['sampled', undefined, true],
        ['far apart', 1, true],
        ['too close', 1e9, false],
      ] as const) {
        const got = await loadParallel(file, {
          minBytes: 0,
          workers,
          ...(recordBytes ? { recordBytes } : {}),
        });
        const what = `${workers} workers, ${name}`;
        expect(column(got) instanceof SharedArrayBuffer, what).toBe(inPlace);
        if (inPlace) expect(column(got).byteLength, what).toBeGreaterThan(n * 8);
        expect(view(got), what).toEqual(view(copied));
      }
    }
    // Against the sequential load (the shared path is the default one).
    await sameAnswers(file, 3);
  });

  it('in real worker threads, with a line longer than a chunk and no final newline', async () => {
    const long = { ...records[0]!, 'x-note': 'y'.repeat(20_000) };
    const path = join(dir, 'long.jsonl');
    writeFileSync(
      path,
      [HEADER, JSON.stringify(long), ...records.slice(1).map((r) => JSON.stringify(r))].join('\n'),
    );
    await sameAnswers(path, 4);
  });

  it('a BOM before the header and CRLF line ends', async () => {
    const path = join(dir, 'bom.jsonl');
    writeFileSync(path, `\uFEFF${[HEADER, ...records.map((r) => JSON.stringify(r))].join('\r\n')}\r\n`);
    await sameAnswers(path, 3);
  });
});

describe('a streamed load reads records from the file: a file changed since is refused', () => {
  const records = transfersOf(
    fc.sample(fc.array(move, { minLength: 10, maxLength: 20 }), { numRuns: 1, seed: 11 })[0]!,
  );
  it.each(FILE_CHANGES)('%s', async (name, change) => {
    const file = writeLines(`stream-${name.replace(/\W+/g, '-')}.jsonl`, records);
    const st = await loadParallel(file, { minBytes: 0, workers: 2 });
    expect(st).toBeDefined();
    change(file);
    // Every record's address: the one whose line moved is among them.
    const addresses = [
      ...new Set(records.flatMap((r) => [r.from as string, ...(r.to ? [r.to as string] : [])])),
    ];
    await expect(st!.view.fetchMissing({ addresses, txs: [], outspends: [] } as never)).rejects.toThrow(
      /^dataset ".*" changed since it was loaded: trace it again$/,
    );
  });
});

describe('files it hands to the sequential reader (same errors, word for word)', () => {
  const t = (i: number, extra: Record<string, unknown> = {}) => ({
    type: 'transfer',
    tx: `0x${i.toString(16).padStart(64, '0')}`,
    index: 0,
    height: 100 + i,
    position: 0,
    time: '2024-01-01T00:00:00Z',
    from: A[0],
    to: A[1],
    asset: 'ETH',
    value: '1000',
    kind: 'native',
    ...extra,
  });
  const many = Array.from({ length: 40 }, (_, i) => t(i + 1));
  // The same records with tx hashes of distinct first bytes: a repeated tx is then a group of two.
  const spread = (i: number) =>
    `0x${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}${'0'.repeat(56)}`;
  const spreadMany = many.map((r, i) => ({ ...r, tx: spread(i + 1) }));
  const label = { type: 'label', address: A[2], entity: 'X', category: 'exchange', source: 'test' };
  const cases: [string, () => string][] = [
    ['a repeated (tx, index) in another chunk', () => writeLines('dup.jsonl', [...many, t(1)])],
    [
      'a repeated (tx, index), the only two records of their tx prefix',
      () => writeLines('dup2.jsonl', [...spreadMany, t(1, { tx: spread(1) })]),
    ],
    [
      'a tx at two heights, the only two records of their tx prefix',
      () => writeLines('heights2.jsonl', [...spreadMany, t(2, { tx: spread(2), index: 5, height: 999 })]),
    ],
    [
      'a tx at two heights, in two chunks',
      () => writeLines('heights.jsonl', [...many, t(2, { index: 5, height: 999 })]),
    ],
    [
      'two txs at one block position, in two chunks',
      () => writeLines('position.jsonl', [...many, t(77, { height: 101 })]),
    ],
    ['a repeated label row, in two chunks', () => writeLines('labels.jsonl', [label, ...many, label])],
    [
      'an invalid record in the last chunk',
      () => writeLines('invalid.jsonl', [...many, t(90, { value: '-1' })]),
    ],
    ['an unknown asset', () => writeLines('asset.jsonl', [...many, t(91, { asset: 'NOPE' })])],
    ['a transfer after the head', () => writeLines('head.jsonl', [...many, t(92, { height: 20_000 })])],
    [
      'a transaction record on an account chain',
      () =>
        writeLines('kind.jsonl', [
          ...many,
          { type: 'transaction', txid: 'ab'.repeat(32), height: 1, inputs: [], outputs: [] },
        ]),
    ],
    [
      'a record that is not JSON',
      () => {
        const path = writeLines('json.jsonl', many);
        writeFileSync(path, `${readFileSync(path, 'utf8')}{"type": "transfer",\n`);
        return path;
      },
    ],
    [
      'a carriage return inside a line',
      () => {
        const path = writeLines('cr.jsonl', many);
        writeFileSync(path, readFileSync(path, 'utf8').replace('"index":0,', '"index":0,\r'));
        return path;
      },
    ],
    [
      'a header with a repeated key',
      () => {
        const path = writeLines('hdr.jsonl', many);
        writeFileSync(path, readFileSync(path, 'utf8').replace('{"format"', '{"chain":"ethereum","format"'));
        return path;
      },
    ],
  ];
  it.each(cases)('%s', async (_name, make) => {
    const file = make();
    expect(await loadParallel(file, { minBytes: 0, workers: 3 })).toBeUndefined();
    expect(await loadParallel(file, { minBytes: 0, workers: 3, piece: 100 })).toBeUndefined();
    expect(await same([A[0]!, '--source', file], false)).toBe(3);
  });

  it('an event log record (logs are read sequentially)', async () => {
    const log = {
      type: 'log',
      tx: many[0]!.tx,
      index: 9,
      height: 101,
      position: 0,
      time: '2024-01-01T00:00:00Z',
      address: TOKEN,
      topics: [],
      data: '0x',
    };
    const file = writeLines('log.jsonl', [...many, log]);
    expect(await loadParallel(file, { minBytes: 0, workers: 2 })).toBeUndefined();
    expect(await same([A[0]!, '--source', file], false)).toBe(0);
  });

  it('a file with no transfers (a header alone, or labels only): the same answer both ways', async () => {
    const header = writeLines('header-only.jsonl', []);
    const labels = writeLines('labels-only.jsonl', [label]);
    for (const file of [header, labels]) {
      const p = await loadParallel(file, { minBytes: 0, workers: 2 });
      expect(p?.records).toBe(0);
      expect(await same([A[0]!, '--source', file], false)).toBe(3); // the seed has no history
    }
  });

  it('a UTXO dataset, a small file by default, and FUNDTRACE_LOAD must say parallel or sequential', async () => {
    const small = writeLines('small.jsonl', many);
    expect(await loadParallel(small)).toBeUndefined(); // under 8 MiB
    expect(await loadParallel(small, { minBytes: 0, workers: 0 })).toBeDefined();
    const btc = join(dir, 'btc.jsonl');
    writeFileSync(
      btc,
      toJsonLines(JSON.parse(readFileSync(join(ROOT, 'samples/ransomware-btc.json'), 'utf8'))),
    );
    expect(await loadParallel(btc, { minBytes: 0, workers: 0 })).toBeUndefined();
    const bad = await cli(['trace', A[0]!, '--source', small], { FUNDTRACE_LOAD: 'fast' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')[0]).toMatch(
      /FUNDTRACE_LOAD="fast": expected parallel or sequential/,
    );
  });
});

describe('a load started early (src/sources/dataset/pool.ts)', () => {
  const moves = fc.sample(fc.array(move, { minLength: 40, maxLength: 80 }), { numRuns: 1, seed: 11 })[0]!;
  const records = transfersOf(moves);
  const PARALLEL = { FUNDTRACE_LOAD: 'parallel' };
  const columns = (d: Awaited<ReturnType<typeof loadParallel>>) => ({
    records: [...d!.store.inFileOrder()],
    ledgers: [...d!.store.ledgers()].map(([a, seqs]) => [a, Array.from(seqs)]),
    txs: Array.from({ length: d!.records }, (_, q) => d!.store.txOf(q)),
    buckets: d!.store.chunkBuckets(),
    labels: d!.labels,
    workers: d!.workers,
  });

  it('is taken by the load it would be, and gives what a load of its own gives (a trace’s, an index build’s)', async () => {
    const file = writeLines('early.jsonl', records);
    const own = await loadParallel(file, { minBytes: 0 });
    expect(own!.early).toBe(false);
    expect(startEarly(file, PARALLEL)).toBe(true);
    expect(earlyWaiting()).toBe(true);
    const early = await loadParallelIf(file, PARALLEL);
    expect([early!.early, earlyWaiting()]).toEqual([true, false]);
    expect(columns(early)).toEqual(columns(own));
    // An index build's: its buckets chosen from the file's size, as the build chooses them.
    const buckets = indexBucketBits(statSync(file).size);
    const ownIndex = await loadParallel(file, { minBytes: 0, buckets });
    expect(startEarly(file, PARALLEL, true)).toBe(true);
    const earlyIndex = await loadParallelIf(file, PARALLEL, { buckets });
    expect(earlyIndex!.early).toBe(true);
    expect(columns(earlyIndex)).toEqual(columns(ownIndex));
    expect(columns(earlyIndex).buckets).toBeDefined();
  });

  it('a load that is not the one started early stops it and runs its own', async () => {
    const file = writeLines('early-other.jsonl', records);
    const other = writeLines('early-other-2.jsonl', records.slice(1));
    const own = await loadParallel(file, { minBytes: 0 });
    const cases: [string, string, boolean, () => ReturnType<typeof loadParallel>][] = [
      ['another file', other, false, () => loadParallel(file, { minBytes: 0 })],
      ['other workers', file, false, () => loadParallel(file, { minBytes: 0, workers: 3 })],
      ['in this thread', file, false, () => loadParallel(file, { minBytes: 0, workers: 0 })],
      ['pieces', file, false, () => loadParallel(file, { minBytes: 0, piece: 97 })],
      ['an index build’s, for a trace', file, true, () => loadParallel(file, { minBytes: 0 })],
      [
        'a trace’s, for an index build',
        file,
        false,
        () => loadParallel(file, { minBytes: 0, buckets: { ledgerBits: 2, txBits: 2 } }),
      ],
    ];
    for (const [name, started, index, load] of cases) {
      expect(startEarly(started, PARALLEL, index), name).toBe(true);
      const got = await load();
      expect([got!.early, earlyWaiting()], name).toEqual([false, false]);
      const { workers: _w, buckets: _b, ...rest } = columns(got);
      const { workers: _w2, buckets: _b2, ...want } = columns(own);
      expect(rest, name).toEqual(want);
    }
    // A file too small for the load asking (its default 8 MiB): not loaded in parallel, early or not.
    expect(startEarly(file, PARALLEL)).toBe(true);
    expect(await loadParallel(file)).toBeUndefined();
    expect(earlyWaiting()).toBe(false);
    // One the parallel load does not take (UTXO): planned to nothing, and read sequentially.
    const btc = join(dir, 'early-btc.jsonl');
    writeFileSync(
      btc,
      toJsonLines(JSON.parse(readFileSync(join(ROOT, 'samples/ransomware-btc.json'), 'utf8'))),
    );
    expect(startEarly(btc, PARALLEL)).toBe(true);
    expect(await loadParallelIf(btc, PARALLEL)).toBeUndefined();
  });

  it('none starts for what a parallel load would not take, nor a second while one waits', () => {
    const small = writeLines('early-small.jsonl', records);
    const json = join(dir, 'early.json');
    writeFileSync(json, '{}');
    expect(startEarly(small, {})).toBe(false); // under 8 MiB
    expect(startEarly(small, { FUNDTRACE_LOAD: 'sequential' })).toBe(false);
    expect(startEarly(small, { FUNDTRACE_LOAD: 'fast' })).toBe(false); // the load words that error
    expect(startEarly(join(dir, 'missing.jsonl'), PARALLEL)).toBe(false);
    expect(startEarly(json, PARALLEL)).toBe(false);
    mkdirSync(join(dir, 'a-directory.jsonl'));
    expect(startEarly(join(dir, 'a-directory.jsonl'), PARALLEL)).toBe(false);
    expect(earlyWaiting()).toBe(false);
    expect(startEarly(small, PARALLEL)).toBe(true);
    expect(startEarly(small, PARALLEL)).toBe(false);
    dropEarly();
    expect(earlyWaiting()).toBe(false);
  });
});

describe('chunk edges (a file written to while it is read is handed on)', () => {
  it('a chunk reports the bytes it read beyond its range: the byte before it and its last line’s tail', async () => {
    const { checkChunk } = await import('../../src/sources/dataset/chunk.js');
    const records = transfersOf([{ from: 0, to: 1, value: 5n, token: false, fee: true, sameBlock: false }]);
    const path = writeLines('edges.jsonl', [...records, ...records.map((r) => ({ ...r, index: 7 }))]);
    const bytes = readFileSync(path);
    const first = bytes.indexOf(10) + 1;
    const mid = first + 40; // inside the first record's line
    const header = JSON.parse(bytes.toString('utf8', 0, first - 1));
    const lineEnd = bytes.indexOf(10, mid) + 1;
    const shown = (edges: { at: number; bytes: Uint8Array }[]) =>
      edges.map((e) => ({ at: e.at, bytes: Buffer.from(e.bytes).toString('latin1') }));
    // A piece at a time, whatever the piece: the same edges, and every record once.
    for (const piece of [64, 150, 1 << 16]) {
      const a = await checkChunk({ path, piece, start: first, end: mid, first, header });
      const b = await checkChunk({ path, piece, start: mid, end: bytes.length, first, header });
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      expect(shown(a.edges)).toEqual([{ at: mid, bytes: bytes.toString('latin1', mid, lineEnd) }]);
      expect(shown(b.edges)).toEqual([{ at: mid - 1, bytes: bytes.toString('latin1', mid - 1, mid) }]);
      // The first line in a, the rest in b, each where the file has it.
      expect([a.columns.n, b.columns.n]).toEqual([1, 3]);
      expect(a.columns.start[0]).toBe(first);
      const starts = [lineEnd, bytes.indexOf(10, lineEnd) + 1];
      starts.push(bytes.indexOf(10, starts[1]!) + 1);
      expect(Array.from(b.columns.start.subarray(0, 3))).toEqual(starts);
    }
  });
});
