// Every command that reads a path, given a missing file, a directory, an empty file or an
// unreadable file; --out into a missing directory (refused before any work is done); unknown
// subcommands. Each gets one line naming the value, the documented exit status, and no stack
// trace unless --verbose.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { evilDataset, STACK_FRAME, tmp } from './helpers.js';

const dir = tmp('fundtrace-badin-');
const p = (name: string) => join(dir, name);
let seed = '';
let dataset = '';
let caseDir = '';
let result = '';

beforeAll(async () => {
  const ds = evilDataset(dir, 'ds.json');
  seed = ds.seed;
  dataset = ds.path;
  caseDir = p('case');
  const r = await cli([
    'trace',
    seed,
    '--source',
    dataset,
    '--no-label-dir',
    '--case',
    caseDir,
    '--format',
    'json',
  ]);
  expect(r.status, r.stderr).toBe(0);
  result = p('result.json');
  writeFileSync(result, r.stdout);
  mkdirSync(p('adir.json'));
  mkdirSync(p('adir.jsonl'));
  mkdirSync(p('adir.csv'));
  for (const f of ['empty.json', 'empty.jsonl', 'empty.csv', 'empty.txt']) writeFileSync(p(f), '');
  writeFileSync(p('blank.jsonl'), '\n  \n');
  for (const f of ['locked.json', 'locked.jsonl', 'locked.csv']) {
    writeFileSync(p(f), '{}');
    chmodSync(p(f), 0o000);
  }
});

/** Root reads anything: permission cases only mean something for another user. */
const root = typeof process.getuid === 'function' && process.getuid() === 0;

type Kind = 'missing' | 'directory' | 'empty' | 'unreadable';
const path = (kind: Kind, ext: string) =>
  p(
    kind === 'missing'
      ? `nope.${ext}`
      : kind === 'directory'
        ? `adir.${ext}`
        : kind === 'empty'
          ? `empty.${ext}`
          : `locked.${ext}`,
  );

/** Each command that reads a path, with where the path goes. */
const commands: { name: string; ext: string; args: (f: string) => string[] }[] = [
  { name: 'trace --source', ext: 'json', args: (f) => ['trace', seed, '--source', f, '--no-label-dir'] },
  {
    name: 'trace --source (jsonl)',
    ext: 'jsonl',
    args: (f) => ['trace', seed, '--source', f, '--no-label-dir'],
  },
  {
    name: 'trace --labels',
    ext: 'jsonl',
    args: (f) => ['trace', seed, '--source', dataset, '--no-label-dir', '--labels', f],
  },
  {
    name: 'trace --config',
    ext: 'json',
    args: (f) => ['trace', seed, '--source', dataset, '--no-label-dir', '--config', f],
  },
  { name: 'trace --source case:', ext: 'json', args: (f) => ['trace', seed, '--source', `case:${f}`] },
  { name: 'screen FILE', ext: 'csv', args: (f) => ['screen', f, '--source', dataset] },
  { name: 'labels import', ext: 'jsonl', args: (f) => ['labels', 'import', f, '--dir', p('labeldir')] },
  {
    name: 'labels list --labels',
    ext: 'jsonl',
    args: (f) => ['labels', 'list', '--no-label-dir', '--labels', f],
  },
  { name: 'dataset validate', ext: 'json', args: (f) => ['dataset', 'validate', f] },
  { name: 'export', ext: 'json', args: (f) => ['export', f, '--format', 'dot'] },
  { name: 'report', ext: 'json', args: (f) => ['report', f, '--format', 'md'] },
  { name: 'case verify', ext: 'json', args: (f) => ['case', 'verify', f] },
  { name: 'case info', ext: 'json', args: (f) => ['case', 'info', f] },
  { name: 'case redact', ext: 'json', args: (f) => ['case', 'redact', f, p('redacted')] },
];

/** One line on stderr naming the value, nothing on stdout, no stack frame. */
function oneLine(r: { status: number; stdout: string; stderr: string }, mentions: string) {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0], r.stderr).toMatch(/^fundtrace: /);
  expect(lines[0]).toContain(mentions);
  expect(r.stderr).not.toMatch(STACK_FRAME);
}

describe('paths that are missing, directories, empty or unreadable', () => {
  for (const c of commands) {
    for (const kind of ['missing', 'directory', 'empty', 'unreadable'] as const) {
      // A case argument is a directory: a directory that is not a case is covered by "empty".
      if (kind === 'directory' && c.name.startsWith('case ')) continue;
      if (kind === 'directory' && c.name === 'trace --source case:') continue;
      it.skipIf(kind === 'unreadable' && root)(
        `${c.name}: ${kind} → exit 3, one line naming it`,
        async () => {
          const f = path(kind, c.ext);
          const r = await cli(c.args(f));
          expect(r.status, r.stderr).toBe(3);
          // case verify prints its report on stdout before failing; the others print nothing there.
          if (!c.name.startsWith('case verify')) expect(r.stdout).toBe('');
          oneLine(r, f.split('/').pop()!);
        },
      );
    }
  }

  it('a label file of only blanks is refused, not loaded as zero labels', async () => {
    const r = await cli(['labels', 'list', '--no-label-dir', '--labels', p('blank.jsonl')]);
    expect(r.status).toBe(3);
    oneLine(r, 'blank.jsonl');
    const i = await cli(['labels', 'import', p('blank.jsonl'), '--dir', p('labeldir2')]);
    expect(i.status).toBe(3);
    expect(existsSync(p('labeldir2'))).toBe(false);
  });

  it('labels lookup of an address nobody labelled: exit 3 with a line saying so', async () => {
    const r = await cli(['labels', 'lookup', seed, '--no-label-dir']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^fundtrace: no labels for 0x/);
  });

  it('screen from standard input with nothing in it: exit 3', async () => {
    const { Readable } = await import('node:stream');
    const { run } = await import('../../src/cli/program.js');
    let stderr = '';
    const status = await run(['screen', '--source', dataset], {
      out: () => undefined,
      err: (s) => {
        stderr += s;
      },
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env: { FUNDTRACE_LABEL_DIR: p('nolabels') },
      stdin: Readable.from([]),
    });
    expect(status).toBe(3);
    expect(stderr).toMatch(/^fundtrace: standard input: no addresses/);
  });
});

describe('--out', () => {
  const outCases: { name: string; args: (out: string) => string[] }[] = [
    { name: 'trace', args: (o) => ['trace', seed, '--source', dataset, '--no-label-dir', '--out', o] },
    { name: 'export', args: (o) => ['export', caseDir, '--format', 'gexf', '--out', o] },
    { name: 'report md', args: (o) => ['report', caseDir, '--format', 'md', '--out', o] },
    { name: 'report html', args: (o) => ['report', result, '--format', 'html', '--out', o] },
  ];
  for (const c of outCases) {
    it(`${c.name}: into a missing directory, onto a directory, under a file → exit 2 naming it`, async () => {
      for (const [out, says] of [
        [p('no/such/dir/out.txt'), 'does not exist'],
        [p('adir.json'), 'is a directory'],
        [join(dataset, 'out.txt'), 'is not a directory'],
      ] as const) {
        const r = await cli(c.args(out));
        expect(r.status, r.stderr).toBe(2);
        expect(r.stdout).toBe('');
        oneLine(r, '--out');
        expect(r.stderr).toContain(says);
      }
    });

    it(`${c.name}: a good --out is written whole, with no temp file left beside it`, async () => {
      const d = p(`out-${c.name.replace(/\W/g, '')}`);
      mkdirSync(d);
      const out = join(d, 'result.out');
      const r = await cli(c.args(out));
      expect(r.status, r.stderr).toBe(0);
      expect(readdirSync(d)).toEqual(['result.out']);
      expect(readFileSync(out, 'utf8').length).toBeGreaterThan(0);
    });
  }

  it('dataset index and import-etl: a bad --out or --index → exit 2 naming the flag, nothing written', async () => {
    const txs = p('etl-txs.csv');
    writeFileSync(
      txs,
      'hash,transaction_index,from_address,to_address,value,gas_price,block_timestamp,block_number,receipt_status,receipt_gas_used,receipt_effective_gas_price\n' +
        `0x${'1'.padStart(64, '0')},0,0x${'1'.repeat(40)},0x${'2'.repeat(40)},5,7,1700000000,100,1,21000,5\n`,
    );
    const good = p('etl-good.jsonl');
    for (const [args, flag, says] of [
      [['dataset', 'index', dataset, '--out', p('no/such/dir/x.ftindex')], '--out', 'does not exist'],
      [['dataset', 'index', dataset, '--out', p('adir.json')], '--out', 'is a directory'],
      [
        ['dataset', 'import-etl', '--transactions', txs, '--out', p('no/such/dir/x.jsonl')],
        '--out',
        'does not exist',
      ],
      [
        ['dataset', 'import-etl', '--transactions', txs, '--out', join(dataset, 'x.jsonl')],
        '--out',
        'is not a directory',
      ],
      [
        [
          'dataset',
          'import-etl',
          '--transactions',
          txs,
          '--out',
          good,
          '--index',
          p('no/such/dir/x.ftindex'),
        ],
        '--index',
        'does not exist',
      ],
    ] as const) {
      const r = await cli([...args]);
      expect(r.status, r.stderr).toBe(2);
      oneLine(r, flag);
      expect(r.stderr).toContain(says);
    }
    expect(existsSync(good)).toBe(false);
    expect(readdirSync(dir).filter((f) => /partial|records-/.test(f))).toEqual([]);
  });

  it('a bad --out is refused before the trace runs: no case directory is written', async () => {
    const c = p('case-not-written');
    const r = await cli([
      'trace',
      seed,
      '--source',
      dataset,
      '--no-label-dir',
      '--case',
      c,
      '--out',
      p('missing-dir/x.json'),
    ]);
    expect(r.status).toBe(2);
    expect(existsSync(c)).toBe(false);
  });
});

describe('unknown subcommands and options', () => {
  for (const args of [
    ['tracee'],
    ['labels', 'bogus'],
    ['case', 'bogus', 'x'],
    ['dataset', 'bogus'],
    ['export', caseDir, '--format', 'svg'],
    ['trace', 'x', '--bogus'],
    ['report', 'x', '--format', 'pdf'],
  ]) {
    it(`${args.join(' ')} → exit 2, one line`, async () => {
      const r = await cli(args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^fundtrace: /);
    });
  }

  it('a hostile unknown command is shown without its escape sequences', async () => {
    const r = await cli(['\u001b]0;pwned\u0007\u001b[2J\u202etrace']);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('broken inputs that parse', () => {
  it('a result file of the wrong shape, a case with a corrupt manifest: exit 3, no stack', async () => {
    writeFileSync(p('wrong.json'), JSON.stringify({ schema: 'fundtrace.trace/1', query: 7 }));
    for (const args of [
      ['export', p('wrong.json'), '--format', 'dot'],
      ['report', p('wrong.json')],
    ]) {
      const r = await cli(args);
      expect(r.status, r.stderr).toBe(3);
      oneLine(r, 'wrong.json');
    }
    const broken = p('broken-case');
    mkdirSync(broken);
    writeFileSync(join(broken, 'manifest.json'), '{"format": "fundtrace-case/1", "files": 3}');
    writeFileSync(join(broken, 'result.json'), readFileSync(result));
    for (const args of [
      ['case', 'info', broken],
      ['case', 'verify', broken],
      ['report', broken],
      ['trace', seed, '--source', `case:${broken}`],
    ]) {
      const r = await cli(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(3);
      expect(r.stderr).toMatch(/^fundtrace: |\nfundtrace: /);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    }
  });

  it('--verbose adds the stack trace, and only then', async () => {
    const r = await cli(['export', p('nope.json'), '--format', 'dot', '--verbose']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(STACK_FRAME);
  });
});

describe('a refused path leaves no file open', () => {
  // Counted in /proc/self/fd (Linux): a directory opens like a file, and its handle was left for the
  // garbage collector to close (Node warned "Closing file descriptor … on garbage collection").
  it.skipIf(!existsSync('/proc/self/fd'))('a directory given as a JSON Lines dataset', async () => {
    const { loadDataset } = await import('../../src/sources/dataset/index.js');
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    for (let i = 0; i < 3; i++) await expect(loadDataset(p('adir.jsonl'))).rejects.toThrow(/directory/);
    expect(open()).toBe(before);
  });
});
