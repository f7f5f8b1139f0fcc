// ethereum-etl import rules on small hand-made exports: internal value from traces (calls,
// creates, self-destructs; reverted frames, delegatecalls and the top-level call left out),
// failed transactions, and bad input named by file and line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { A, H, scratch, TX_HEADER } from './etl-fixtures.js';

const { dir, file } = scratch('fundtrace-etl-rules-');
const TRACE_HEADER =
  'transaction_hash,from_address,to_address,value,trace_type,call_type,trace_address,status,reward_type';

async function imported(
  args: string[],
): Promise<{ index: number; from: string; to: string | null; value: string; kind: string; tx: string }[]> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.jsonl`);
  const r = await cli(['dataset', 'import-etl', ...args, '--out', out]);
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(out, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l)
    .map((l) => JSON.parse(l));
}

describe('ethereum-etl import rules', () => {
  const txs = file(
    'txs.csv',
    `${TX_HEADER}\n` +
      `${H(1)},0,${A(1)},${A(2)},1000,7,1700000000,100,1,21000,5\n` +
      `${H(2)},1,${A(1)},${A(3)},500,7,1700000000,100,0,30000,5\n`,
  );
  const traces = file(
    'traces.csv',
    `${TRACE_HEADER}\n` +
      // the top-level call (empty trace_address) is the native record already
      `${H(1)},${A(1)},${A(2)},1000,call,call,,1,\n` +
      `${H(1)},${A(2)},${A(4)},300,call,call,0,1,\n` +
      `${H(1)},${A(2)},${A(5)},50,call,delegatecall,1,1,\n` +
      `${H(1)},${A(2)},${A(6)},70,call,call,2,0,\n` +
      `${H(1)},${A(4)},${A(7)},20,create,,"0,0",1,\n` +
      `${H(1)},${A(2)},${A(8)},10,suicide,,3,1,\n` +
      `${H(2)},${A(3)},${A(9)},400,call,call,0,1,\n` +
      `,${A(9)},,2000000000000000000,reward,,,1,block\n`,
  );

  it('internal value in execution order; reverted, delegatecall and top-level left out; a failed tx pays only', async () => {
    const recs = await imported(['--transactions', txs, '--traces', traces]);
    expect(recs.map((r) => [r.tx === H(1) ? 1 : 2, r.kind, r.from, r.to, r.value, r.index])).toEqual([
      [1, 'native', A(1), A(2), '1000', 0],
      [1, 'internal', A(2), A(4), '300', 1_000_000],
      [1, 'internal', A(4), A(7), '20', 1_000_001],
      [1, 'internal', A(2), A(8), '10', 1_000_002],
      [1, 'fee', A(1), null, '105000', 2_000_000],
      [2, 'fee', A(1), null, '150000', 2_000_000],
    ]);
  });

  it('a quoted field with an embedded newline is one field; line numbers still name the right row', async () => {
    const t = file(
      'quoted.csv',
      `${TX_HEADER},input\n${H(1)},0,${A(1)},${A(2)},1000,7,1700000000,100,1,21000,5,"0xab\ncd"\n${H(3)},1,${A(1)},nothex,1,7,1700000000,100,1,21000,5,0x\n`,
    );
    const r = await cli(['dataset', 'import-etl', '--transactions', t, '--out', join(dir, 'q.jsonl')]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/quoted\.csv:4: to_address "nothex" is not an address/);
  });

  it.each([
    [
      'a missing column',
      `hash,from_address\n${H(1)},${A(1)}\n`,
      /txs-bad\.csv:1: missing columns transaction_index, to_address, value/,
    ],
    [
      'an integer beyond 2^256',
      `${TX_HEADER}\n${H(1)},0,${A(1)},${A(2)},${'9'.repeat(80)},7,1700000000,100,1,21000,5\n`,
      /txs-bad\.csv:2: value 9{80} is beyond 2\^256 − 1/,
    ],
    [
      'a negative value',
      `${TX_HEADER}\n${H(1)},0,${A(1)},${A(2)},-5,7,1700000000,100,1,21000,5\n`,
      /txs-bad\.csv:2: value "-5" is not a non-negative integer/,
    ],
    [
      'a row with too few fields',
      `${TX_HEADER}\n${H(1)},0,${A(1)}\n`,
      /txs-bad\.csv:2: 3 fields where the header has 11/,
    ],
  ])('%s: exit 3, file and line, nothing written', async (_name, text, message) => {
    const bad = file('txs-bad.csv', text);
    const out = join(dir, 'bad.jsonl');
    const r = await cli(['dataset', 'import-etl', '--transactions', bad, '--out', out]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(() => readFileSync(out)).toThrow();
  });

  it('a JSON Lines export with a broken line names it', async () => {
    const bad = file('txs.json', '{"hash": "0x1"}\n{not json\n');
    const r = await cli(['dataset', 'import-etl', '--transactions', bad, '--out', join(dir, 'j.jsonl')]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/txs\.json:1: missing fields transaction_index/);
  });
});
