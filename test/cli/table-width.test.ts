// `--format table` on a terminal fits its width (issue 9 item 10): addresses and names shortened
// in the middle with "…", less needed columns left out, a note saying so; amounts never cut and
// no row wider than the terminal. --wide, --out and pipes (the golden files) get every value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { middle, wrap } from '../../src/report/table.js';
import { cli, ISOLATED_ENV, ROOT } from '../helpers.js';

const SEED = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
const ARGS = ['trace', SEED, '--source', 'sample:ransomware-btc', '--hops', '10'];

/** The CLI with standard output a terminal of `columns`. */
async function onTerminal(args: string[], columns: number): Promise<string> {
  let stdout = '';
  const io: Io = {
    out: (s) => {
      stdout += s;
    },
    err: () => {},
    stdoutIsTTY: true,
    stdoutColumns: columns,
    stderrIsTTY: false,
    env: { ...ISOLATED_ENV, NO_COLOR: '1' },
  };
  expect(await run(args, io)).toBe(0);
  return stdout;
}

describe('tables fit the terminal', () => {
  it.each([120, 100, 80, 60])('at %i columns no row is wider, every amount is whole', async (cols) => {
    const text = await onTerminal([...ARGS, '--format', 'table'], cols);
    const lines = text.split('\n');
    // The one word that cannot be broken (the 66-character seed) aside.
    for (const l of lines) if (!l.includes(SEED)) expect([...l].length, l).toBeLessThanOrEqual(cols);
    const j = JSON.parse((await cli([...ARGS, '--format', 'json'])).stdout);
    for (const x of [
      ...j.summary.exits.map((e: { tainted: { display: string } }) => e.tainted),
      ...j.summary.atRest.map((h: { amount: { display: string } }) => h.amount),
    ])
      expect(text).toContain(` ${x.display} BTC`);
    // Each exit address whole or shortened in the middle, never just cut.
    for (const e of j.summary.exits as { address: string }[]) {
      const shown = new RegExp(`${e.address.slice(0, 5)}\\w*…\\w*${e.address.slice(-5)}|${e.address}`);
      expect(text).toMatch(shown);
    }
    if (cols < 120)
      expect(text.replace(/\s+/g, ' ')).toContain('--wide or --format json shows every value in full');
  });

  it('at 100 columns the exits keep their time and hop, addresses are shortened in the middle', async () => {
    const text = await onTerminal([...ARGS, '--format', 'table'], 100);
    const exits = text.slice(text.indexOf('Exits'), text.indexOf('Exposure'));
    expect(exits).toContain('2024-02-16T12:30:00Z');
    expect(exits).toMatch(/bc1qwx\w*…\w*jkqv2l/);
    expect(exits).not.toContain('bc1qwxjde4sv6kxrve4pfsx4gq6g3umxejt3jkqv2l');
  });

  it('--wide, --out and a pipe get every value in full (the golden table)', async () => {
    const golden = readFileSync(
      join(ROOT, 'test', 'golden', 'out', 'btc-ransom-haircut-h10.table.txt'),
      'utf8',
    );
    const piped = await cli([...ARGS, '--format', 'table']);
    expect(piped.stdout).toBe(golden);
    expect(await onTerminal([...ARGS, '--format', 'table', '--wide'], 80)).toBe(golden);
  });

  it('--asset all: the table of every asset fits, the separators too', async () => {
    const book = JSON.parse(readFileSync(join(ROOT, 'samples', 'phishing-eth.addresses.json'), 'utf8'));
    const seed = book.drainer as string;
    const text = await onTerminal(
      ['trace', seed, '--source', 'sample:phishing-eth', '--asset', 'all', '--format', 'table'],
      60,
    );
    expect(text).toContain(`${'─'.repeat(60)}\n`);
    for (const l of text.split('\n')) if (!l.includes(seed)) expect([...l].length, l).toBeLessThanOrEqual(60);
  });

  it('middle() keeps both ends and colour codes; wrap() breaks at spaces only', () => {
    expect(middle('bc1qwxjde4sv6kxrve4pfsx4gq6g3umxejt3jkqv2l', 13)).toBe('bc1qwx…kqv2l'.replace('…', '…j'));
    expect(middle('\u001b[31mNorthbank Exchange\u001b[39m', 9)).toBe('\u001b[31mNort…ange\u001b[39m');
    expect(wrap('  a 0.12345678 BTC b', 12)).toEqual(['  a', '    0.12345678', '    BTC b']);
  });
});

describe('conversions and bridges fit the terminal too', () => {
  const x1 = join(ROOT, 'test', 'fixtures', 'vectors', 'x1.json');
  // keccak256("fundtrace-vector-tx:x1-theft"), the vector's seed (test/vector-roles.ts).
  const seed = '0x62d34ffe7969003bc45a16350455d9e8189d3f1c0471af0fdf1d228a30173e2e';
  it.each([200, 100, 70, 40])(
    'x1 at %i columns: the conversions section fits, its amounts whole',
    async (cols) => {
      const text = await onTerminal(
        ['trace', seed, '--source', x1, '--asset', 'USDT', '--format', 'table'],
        cols,
      );
      const conv = text.slice(0, text.indexOf(' USDT \n'));
      for (const l of conv.split('\n')) expect([...l].length, l).toBeLessThanOrEqual(cols);
      expect(conv).toContain('400 of 600 USDT');
      expect(conv).toContain('0.057142857142857142 of 0.1 ETH');
    },
  );
});
