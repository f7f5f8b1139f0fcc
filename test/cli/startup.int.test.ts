// Start-up (issue 9 item 15): help and usage errors must not load the libraries a trace needs
// (ethers, ajv, the devnet, the databases). Checked by which packages the process
// resolves, not by a stopwatch (speed is in `npm run bench -- --only startup`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { buildProgram, COMMANDS } from '../../src/cli/program.js';
import { PHISHING_VICTIM_TRACE } from '../fixtures/sample-trace.js';
import { ROOT } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hook = join(dir, 'hook.mjs');
writeFileSync(
  hook,
  `export async function resolve(s, c, next) { const r = await next(s, c); const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(r.url); if (m) process.stderr.write('PKG ' + m[1] + '\\n'); const f = /\\/src\\/(.+\\.ts)$/.exec(r.url); if (f) process.stderr.write('SRC ' + f[1] + '\\n'); return r; }`,
);
const register = join(dir, 'register.mjs');
writeFileSync(
  register,
  `import { register } from 'node:module'; register(${JSON.stringify(`file://${hook}`)});`,
);

function loaded(args: string[], kind: 'PKG' | 'SRC', env: NodeJS.ProcessEnv = {}): string[] {
  const r = spawnSync(process.execPath, ['--import', register, join(ROOT, 'bin', 'fundtrace.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return [
    ...new Set(
      r.stderr
        .split('\n')
        .filter((l) => l.startsWith(`${kind} `))
        .map((l) => l.slice(4)),
    ),
  ].sort();
}

const packagesLoaded = (args: string[]) => loaded(args, 'PKG');
/** The source modules a run loads (from src/, run through tsx so that each module is its own file). */
const modulesLoaded = (args: string[]) => loaded(args, 'SRC', { FUNDTRACE_NO_BUNDLE: '1' });

const HEAVY = ['ethers', 'bitcoinjs-lib', 'ajv', '@libsql/client', 'libsql', 'sigma', 'solc', 'yaml', 'ora'];

describe('start-up loads only what the command needs', () => {
  it.each([
    ['fundtrace --help', ['--help']],
    ['a mistyped command', ['trase']],
    ['trace --help', ['trace', '--help']],
    ['a bad trace flag value', ['trace', 'x', '--source', 'a.json', '--hops', 'many']],
    ['screen --help', ['screen', '--help']],
  ])('%s loads none of the heavy libraries', (_name, args) => {
    const loaded = packagesLoaded(args);
    expect(loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
  });
});

const SAMPLE_TRACE = PHISHING_VICTIM_TRACE;

/** An index of the phishing sample, built once for the tests below. */
let sampleDb: string | undefined;
function sampleIndex(): string {
  if (sampleDb) return sampleDb;
  const db = join(dir, 'phishing.ftindex');
  const built = spawnSync(
    process.execPath,
    [
      join(ROOT, 'bin', 'fundtrace.js'),
      'dataset',
      'index',
      join(ROOT, 'samples', 'phishing-eth.json'),
      '--out',
      db,
    ],
    { encoding: 'utf8' },
  );
  expect(built.status, built.stderr).toBe(0);
  sampleDb = db;
  return db;
}

describe('a trace loads only its own source kind', () => {
  it('a trace from an index or a dataset file loads neither ethers, bitcoinjs nor another kind’s client; only an index loads libsql, only a file ajv', () => {
    const db = sampleIndex();
    const args = SAMPLE_TRACE;
    const fromIndex = packagesLoaded([...args, '--source', `index:${db}`]);
    const fromFile = packagesLoaded([...args, '--source', join(ROOT, 'samples', 'phishing-eth.json')]);
    for (const loaded of [fromIndex, fromFile]) {
      expect(loaded).toContain('graphology'); // it did trace
      expect(loaded).not.toContain('ethers');
      expect(loaded).not.toContain('@libsql/client');
      // Address codecs come from bech32/bs58check, label importers load with their format.
      expect(loaded).not.toContain('bitcoinjs-lib');
      expect(loaded).not.toContain('yaml');
    }
    // Only a dataset file is schema-checked; the index was checked when it was built.
    expect(fromFile).toContain('ajv');
    expect(fromIndex).not.toContain('ajv');
    expect(fromIndex).toContain('libsql');
    expect(fromFile).not.toContain('libsql');
  });
});

describe('a JSON trace from an index loads only what it uses', () => {
  // What the trace from an index (the benchmark's case-seed run) does not need is loaded where it
  // is used: each module below costs start-up time on every such run.
  const NOT_FOR_AN_INDEX_JSON_TRACE = [
    'sources/dataset/parallel.ts', // reading a dataset file
    'sources/dataset/read.ts',
    'sources/dataset/schema.ts',
    'sources/dataset/chunk.ts',
    'sources/shared-http.ts', // remote sources
    'sources/http/client.ts',
    'sources/cache/store.ts',
    'case/index.ts', // --case
    'case/write.ts',
    'labels/importers/fundtrace.ts', // label files
    'labels/importers/ofac.ts',
    'labels/importers/etherscan.ts',
    'report/table.ts', // the other formats
    'report/csv.ts',
    'report/multi.ts',
    'cli/trace-render.ts',
    'core/fiat/value.ts', // --fiat
  ];

  it('a JSON trace from an index loads none of the file, HTTP, case, label-import, table or fiat modules; a table trace and a label file load theirs', () => {
    const db = sampleIndex();
    const out = join(dir, 'lazy.json');
    const args = SAMPLE_TRACE;
    const json = modulesLoaded([...args, '--source', `index:${db}`, '--format', 'json', '--out', out]);
    expect(JSON.parse(readFileSync(out, 'utf8')).summary).toBeDefined(); // it did trace
    expect(json).toContain('sources/index/view.ts');
    expect(json).toContain('report/json.ts');
    expect(json.filter((m) => NOT_FOR_AN_INDEX_JSON_TRACE.includes(m))).toEqual([]);
    // The same run as a table, with a label file: the modules it needs do load (the hook sees them).
    const labels = join(dir, 'lazy-labels.csv');
    writeFileSync(
      labels,
      'chain,address,entity,category\nethereum,0x5E7EB83410bAF42E284C27C9b754d7B51ce4C52c,Phish Kit,scam\n',
    );
    const table = modulesLoaded([
      ...args,
      '--source',
      `index:${db}`,
      '--format',
      'table',
      '--labels',
      labels,
    ]);
    expect(table).toEqual(
      expect.arrayContaining(['report/table.ts', 'cli/trace-render.ts', 'labels/importers/fundtrace.ts']),
    );
  });
});

describe('the lazy command table', () => {
  it('names, terms and summaries are the real commands’ own', async () => {
    const ctx = {
      io: { out: () => {}, err: () => {}, stdoutIsTTY: false, stderrIsTTY: false, env: {} },
      status: 0,
      verbose: false,
      secrets: [],
    } as CliContext;
    const program = await buildProgram(ctx, [], true);
    const help = program.createHelp();
    for (const c of COMMANDS) {
      const real = program.commands.find((x) => x.name() === c.name);
      expect(real, c.name).toBeDefined();
      expect(real!.summary() || real!.description(), c.name).toBe(c.summary);
      expect(help.subcommandTerm(real!), c.name).toBe(c.term);
    }
    expect(program.commands.map((x) => x.name())).toEqual(COMMANDS.map((c) => c.name));
  });
});
