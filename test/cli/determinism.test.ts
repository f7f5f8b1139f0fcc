// Same input and flags → byte-identical JSON, whatever order the records arrive in.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixture, ROOT } from '../helpers.js';
import { btcTxid, ethTx } from '../vector-roles.js';

/** Deterministic Fisher–Yates with a small LCG, so a failure can be reproduced. */
function shuffle<T>(a: T[], seed: number): T[] {
  const out = [...a];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-det-'));

function shuffled(src: string, seed: number, asJsonl: boolean): string {
  const d = JSON.parse(readFileSync(src, 'utf8'));
  for (const k of ['transactions', 'transfers', 'labels'])
    if (Array.isArray(d[k])) d[k] = shuffle(d[k], seed);
  if (!asJsonl) {
    const p = join(dir, `s${seed}.json`);
    writeFileSync(p, JSON.stringify(d));
    return p;
  }
  const { transactions = [], transfers = [], labels = [], ...header } = d;
  const records = shuffle(
    [
      ...transactions.map((r: object) => ({ type: 'transaction', ...r })),
      ...transfers.map((r: object) => ({ type: 'transfer', ...r })),
      ...labels.map((r: object) => ({ type: 'label', ...r })),
    ],
    seed + 1,
  );
  const p = join(dir, `s${seed}.jsonl`);
  writeFileSync(p, [header, ...records].map((r) => JSON.stringify(r)).join('\n') + '\n');
  return p;
}

const cases: [string, string, string[]][] = [
  ['v2.json', `${btcTxid('v2-f0')}:0`, []],
  ['v3.json', ethTx('v3-t2'), ['--model', 'fifo']],
  ['v5.json', ethTx('v5-seed'), ['--asset', 'USDT']],
];

describe('determinism', () => {
  it.each(cases)('%s: shuffled JSON and JSON Lines give byte-identical output', async (file, seed, args) => {
    const base = await cli([
      'trace',
      seed,
      '--source',
      fixture('vectors', file),
      '--format',
      'json',
      ...args,
    ]);
    expect(base.status, base.stderr).toBe(0);
    const outputs = [];
    for (const [i, jsonl] of [
      [1, false],
      [2, true],
      [3, true],
    ] as const) {
      const r = await cli([
        'trace',
        seed,
        '--source',
        shuffled(fixture('vectors', file), i, jsonl),
        '--format',
        'json',
        ...args,
      ]);
      expect(r.status, r.stderr).toBe(0);
      // The source path is part of the query; everything else must match byte for byte.
      outputs.push(
        r.stdout.replaceAll(
          JSON.stringify(join(dir, `s${i}.${jsonl ? 'jsonl' : 'json'}`)).slice(1, -1),
          'SRC',
        ),
      );
    }
    const want = base.stdout.replaceAll(JSON.stringify(fixture('vectors', file)).slice(1, -1), 'SRC');
    for (const o of outputs) expect(o).toBe(want);
    void ROOT;
  });
});
