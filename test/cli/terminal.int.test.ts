// The real executable in a pseudo-terminal (util-linux `script`), tracing from a slow local Esplora
// server: a terminal of 0 columns must get no animation (ora used to loop forever erasing an
// infinite number of lines: ~1 GB of cursor moves, SIGTERM never handled), a normal one a bounded
// progress line; SIGTERM and SIGINT stop the run promptly with 143 / 130 and leave no half case;
// a closed terminal (SIGHUP) ends the process.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { equivalenceScenario, roles } from '../esplora/cases.js';
import { type EsploraServer, startEsplora } from '../esplora/server.js';
import { cli, ISOLATED_ENV, ROOT } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';

const BIN = join(ROOT, 'bin', 'fundtrace.js');
const SCRIPT = '/usr/bin/script';
const hasScript = existsSync(SCRIPT);

let server: EsploraServer;
beforeAll(async () => {
  // Every answer takes 400 ms: a trace of S over 6 hops runs for many seconds.
  server = await startEsplora(equivalenceScenario().s, { pageSize: 7, delayMs: 400 });
});
afterAll(() => server?.close());
// A failed assertion must not leave a program running (before the fix it never stopped by itself).
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) if (running(pid)) process.kill(pid, 'SIGKILL');
});

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** What each line of a terminal shows in the end: the text after its last carriage return, without escapes. */
function shownLines(out: string): string[] {
  return out
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .map((l) => l.slice(l.lastIndexOf('\r') + 1).replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''))
    .filter((l) => l.trim() !== '');
}

interface Pty {
  child: ChildProcess;
  /** Everything the terminal received (stdout and stderr of the program, as the pty merges them). */
  output(): Buffer;
  /** The program's own pid (the shell inside `script` execs it). */
  pid(): Promise<number>;
  exit: Promise<{ code: number | null; ms: number }>;
}

/** Run `fundtrace ARGS` in a fresh pseudo-terminal of `cols` × `rows`. */
function inPty(args: string[], size: { cols: number; rows: number }, dir: string): Pty {
  const pidFile = join(dir, `pid-${Math.random().toString(36).slice(2)}`);
  const cmd = `stty cols ${size.cols} rows ${size.rows}; echo $$ > ${q(pidFile)}; exec ${q(process.execPath)} ${q(BIN)} ${args.map(q).join(' ')}`;
  const child = spawn(SCRIPT, ['-qfec', cmd, '/dev/null'], {
    env: { ...process.env, ...ISOLATED_ENV, TERM: 'xterm-256color', NO_COLOR: '1' },
    // stdin stays open (a pipe): `script` ends its session when its input closes.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => chunks.push(d));
  child.stderr!.on('data', (d: Buffer) => chunks.push(d));
  let t0 = Date.now();
  const exit = new Promise<{ code: number | null; ms: number }>((resolve) =>
    child.on('close', (code) => resolve({ code, ms: Date.now() - t0 })),
  );
  return {
    child,
    output: () => Buffer.concat(chunks),
    async pid() {
      for (let i = 0; i < 200; i++) {
        if (existsSync(pidFile)) {
          const p = Number(readFileSync(pidFile, 'utf8').trim());
          if (p > 0) {
            started.push(p);
            t0 = Date.now();
            return p;
          }
        }
        await sleep(25);
      }
      throw new Error('the program did not start in the pseudo-terminal');
    },
    exit,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until `cond` holds (the program may take seconds to start on a loaded machine). */
async function until(cond: () => boolean, what: string, ms = 20_000) {
  const t = Date.now();
  while (!cond()) {
    if (Date.now() - t > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The program has started fetching: the server got a request since `n`. */
const fetching = (n: number) => until(() => server.requests.length > n, 'the first request');

/** Send `sig` to the program and measure from there. */
async function signalAfter(p: Pty, pid: number, sig: NodeJS.Signals, ms: number) {
  await sleep(ms);
  const before = p.output().length;
  const t = Date.now();
  process.kill(pid, sig);
  const r = await Promise.race([p.exit, sleep(8000).then(() => undefined)]);
  if (!r) {
    p.child.kill('SIGKILL');
    process.kill(pid, 'SIGKILL');
    throw new Error(`still running 8 s after ${sig}; ${p.output().length} bytes of output`);
  }
  return { code: r.code, afterSignalMs: Date.now() - t, before };
}

/** Alive and not a zombie. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const trace = (cache: string, extra: string[] = []) => [
  'trace',
  roles.S,
  '--source',
  `esplora:${server.url}`,
  '--hops',
  '6',
  '--cache-dir',
  cache,
  '--format',
  'json',
  ...extra,
];

describe.skipIf(!hasScript)('in a pseudo-terminal, on a slow source', () => {
  it('0 columns: no animation, bounded output; SIGTERM stops it with 143 and no half case', async () => {
    const dir = tmp('fundtrace-pty-');
    const caseDir = join(dir, 'case');
    const n = server.requests.length;
    const p = inPty(trace(join(dir, 'cache'), ['--case', caseDir]), { cols: 0, rows: 0 }, dir);
    const pid = await p.pid();
    await fetching(n);
    const r = await signalAfter(p, pid, 'SIGTERM', 2000);
    const out = p.output().toString('utf8');
    // Before the fix: megabytes within these 2.5 s, and no exit at all.
    expect(r.before).toBeLessThan(2048);
    expect(out.length).toBeLessThan(4096);
    expect(out).not.toContain('\x1b[1A'); // no cursor-up
    expect(out).not.toContain('\r\x1b[K'); // no redrawn line
    expect(r.code, out).toBe(143);
    expect(r.afterSignalMs).toBeLessThan(4000);
    expect(out).toContain('terminated (SIGTERM)');
    expect(out).toContain('interrupted before the trace finished');
    // The case is written complete or not at all: here not at all, and no leftover beside it.
    expect(existsSync(caseDir)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('80 columns: a progress line redrawn in place, one line, bounded; Ctrl-C (SIGINT) stops it with 130', async () => {
    const dir = tmp('fundtrace-pty-');
    const n = server.requests.length;
    const p = inPty(trace(join(dir, 'cache')), { cols: 80, rows: 24 }, dir);
    const pid = await p.pid();
    await fetching(n);
    const r = await signalAfter(p, pid, 'SIGINT', 2000);
    const out = p.output().toString('utf8');
    const frames = out.split('\r\x1b[K').length - 1;
    expect(frames).toBeGreaterThan(0);
    // At most one frame per 120 ms, each cut to the width.
    expect(frames).toBeLessThan(40);
    // Each frame (spinner, space, text) fits in 79 columns: it never wraps.
    const drawn = out.split('\r').filter((l) => /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /.test(l));
    expect(drawn.length).toBeGreaterThan(0);
    for (const l of drawn) expect([...l.replace(/\x1b\[K[\s\S]*$/, '')].length).toBeLessThan(80);
    expect(out.length).toBeLessThan(8192);
    expect(r.code, out).toBe(130);
    expect(r.afterSignalMs).toBeLessThan(4000);
    expect(out).toContain('interrupted; stopping');
  });

  it('a terminal that shrinks to 0 columns mid-run stops the animation', async () => {
    const dir = tmp('fundtrace-pty-');
    const n = server.requests.length;
    const p = inPty(trace(join(dir, 'cache')), { cols: 80, rows: 24 }, dir);
    const pid = await p.pid();
    await fetching(n);
    await until(() => p.output().includes('\r\x1b[K'), 'the first frame');
    // Shrink the program's terminal (its stdin) after one second.
    const tty = readlinkSync(`/proc/${pid}/fd/0`);
    expect(tty).toMatch(/^\/dev\/pts\//);
    const shrink = spawn('sh', ['-c', `stty cols 0 rows 0 < ${tty}`]);
    await new Promise((res) => shrink.on('close', res));
    await sleep(300); // a frame in flight
    const at = p.output().length;
    await sleep(1500);
    const grown = p.output().length - at;
    process.kill(pid, 'SIGTERM');
    const r = await p.exit;
    expect(grown).toBeLessThan(200);
    expect(r.code).toBe(143);
  });

  it('a table in a 100-column terminal fits it (the real executable)', async () => {
    const dir = tmp('fundtrace-pty-');
    const seed = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
    const args = ['trace', seed, '--source', 'sample:ransomware-btc', '--hops', '10', '--format', 'table'];
    const p = inPty(args, { cols: 100, rows: 40 }, dir);
    await p.pid();
    const r = await p.exit;
    const out = p.output().toString('utf8');
    expect(r.code, out).toBe(0);
    // What each line shows in the end (the progress line is redrawn in place with \r; the pty
    // ends lines with \r\n).
    const lines = out
      .split('\n')
      .map((l) => l.replace(/\r$/, ''))
      .map((l) => l.slice(l.lastIndexOf('\r') + 1).replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''));
    expect(lines.some((l) => l.startsWith('Exits'))).toBe(true);
    for (const l of lines) if (!l.includes(seed)) expect([...l].length, l).toBeLessThanOrEqual(100);
  });

  it('the demo in a 60-column terminal: every line fits, the same words as through a pipe', async () => {
    const dir = tmp('fundtrace-pty-');
    const p = inPty(['demo', '--brief'], { cols: 60, rows: 40 }, dir);
    await p.pid();
    const r = await p.exit;
    const out = p.output().toString('utf8').replace(/\r/g, '');
    expect(r.code, out).toBe(0);
    // A 64-hex transaction id is never split: only the line holding one may be wider.
    for (const l of out.split('\n'))
      if (!/[0-9a-f]{64}/.test(l)) expect([...l].length, l).toBeLessThanOrEqual(60);
    // Only the breaks differ: the words (addresses and figures whole) are those of the piped text.
    const piped = await cli(['demo', '--brief'], { NO_COLOR: '1' });
    // (The rule between cases is as wide as the terminal allows.)
    const words = (t: string) =>
      t
        .replace(/ \\\n/g, ' ')
        .split(/\s+/)
        .filter((w) => w !== '' && !/^─+$/.test(w));
    expect(words(out)).toEqual(words(piped.stdout));
  });

  it('dataset index in a terminal: a progress line, erased, then the summary; none through a pipe', async () => {
    const dir = tmp('fundtrace-pty-');
    const sample = join(ROOT, 'samples', 'tron-scam.json');
    const p = inPty(
      ['dataset', 'index', sample, '--out', join(dir, 'scam.ftindex')],
      { cols: 80, rows: 24 },
      dir,
    );
    await p.pid();
    const r = await p.exit;
    const out = p.output().toString('utf8');
    expect(r.code, out).toBe(0);
    expect(out).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] indexing .*tron-scam\.json/);
    // What each line shows in the end: the summary alone (the progress line was erased).
    const shown = shownLines(out);
    expect(shown).toEqual([
      expect.stringMatching(/scam\.ftindex: indexed \d+ tron records over \d+ addresses in /),
    ]);
    const piped = await cli(['dataset', 'index', sample, '--out', join(dir, 'piped.ftindex')]);
    expect(piped.status, piped.stderr).toBe(0);
    expect(piped.stderr).toBe('');
  });

  it('dataset import-etl in a terminal: rows counted as they are read, then only the summary; none through a pipe', async () => {
    const dir = tmp('fundtrace-pty-');
    // 60 000 transactions: several progress updates (one per 16 384 rows), a couple of seconds.
    const A = (n: number) => `0x${((n % 5000) + 4096).toString(16).padStart(40, '0')}`;
    const rows = Array.from(
      { length: 60_000 },
      (_, i) =>
        `0x${(i + 1).toString(16).padStart(64, '0')},${i % 100},${A(i)},${A(i + 7)},${i + 1},7,1700000000,${100 + Math.floor(i / 100)},1,21000,5`,
    );
    const txs = join(dir, 'txs.csv');
    writeFileSync(
      txs,
      `hash,transaction_index,from_address,to_address,value,gas_price,block_timestamp,block_number,receipt_status,receipt_gas_used,receipt_effective_gas_price\n${rows.join('\n')}\n`,
    );
    const args = (name: string) => [
      'dataset',
      'import-etl',
      '--transactions',
      txs,
      '--out',
      join(dir, `${name}.jsonl`),
      '--index',
      join(dir, `${name}.ftindex`),
    ];
    const p = inPty(args('tty'), { cols: 80, rows: 24 }, dir);
    await p.pid();
    const r = await p.exit;
    const out = p.output().toString('utf8');
    expect(r.code, out).toBe(0);
    expect(out).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] reading txs\.csv: \d{2},\d{3} rows/);
    const shown = shownLines(out);
    expect(shown).toEqual([
      expect.stringMatching(/tty\.jsonl: 120000 transfers on ethereum up to block 699$/),
      expect.stringMatching(/tty\.ftindex: indexed 120000 records over 5000 addresses$/),
    ]);
    const piped = await cli(args('piped'));
    expect(piped.status, piped.stderr).toBe(0);
    expect(piped.stderr).toBe('');
  });

  it('a closed terminal (SIGHUP) ends the program promptly', async () => {
    const dir = tmp('fundtrace-pty-');
    const n = server.requests.length;
    const p = inPty(trace(join(dir, 'cache')), { cols: 0, rows: 0 }, dir);
    const pid = await p.pid();
    await fetching(n);
    await sleep(500);
    expect(running(pid)).toBe(true);
    // The session ends: the pty's master side closes and the kernel hangs up the terminal.
    p.child.kill('SIGKILL');
    await p.exit;
    const t = Date.now();
    while (running(pid) && Date.now() - t < 5000) await sleep(50);
    const alive = running(pid);
    if (alive) process.kill(pid, 'SIGKILL');
    expect(alive).toBe(false);
  });
});
