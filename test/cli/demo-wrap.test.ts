// The demo's prose fitted to a terminal: broken at spaces only, bullets hang under their text,
// a long command continued with ` \` so it still pastes into a shell.
import { describe, expect, it } from 'vitest';
import { fitProse, shellLines } from '../../src/cli/demo-cmd.js';

const ADDR = '0xcc9531AbfB84e6422572A8e817675EabA24AF150';

describe('fitProse', () => {
  it.each([
    ['no width: as written', 'a b c d', undefined, 'a b c d'],
    ['fits: unchanged', 'one two three', 20, 'one two three'],
    ['broken at spaces', 'one two three four', 9, 'one two\nthree\nfour'],
    ['a bullet hangs under its text', '- alpha beta gamma', 12, '- alpha beta\n  gamma'],
    ['an indented note keeps its indent', '  (note one two)', 10, '  (note\n  one two)'],
    ['an address is never split', `at ${ADDR} now`, 20, `at\n${ADDR}\nnow`],
    ['each line on its own', 'a b\nc d', 3, 'a b\nc d'],
  ] as const)('%s', (_name, text, width, want) => {
    expect(fitProse(text, width)).toBe(want);
  });
});

describe('shellLines', () => {
  const parts = ['$ fundtrace trace SEED', '--source sample:x', '--model haircut'];
  it('one line when it fits or there is no width', () => {
    expect(shellLines(parts, undefined)).toBe(parts.join(' '));
    expect(shellLines(parts, 80)).toBe(parts.join(' '));
  });
  it('continued lines when it does not: joined again by a shell, the same command', () => {
    const s = shellLines(parts, 30);
    expect(s).toBe('$ fundtrace trace SEED \\\n    --source sample:x \\\n    --model haircut');
    expect(s.replace(/ \\\n {4}/g, ' ')).toBe(parts.join(' '));
  });
});
