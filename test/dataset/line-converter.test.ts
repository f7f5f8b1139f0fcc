// A checked record's line converted again (a trace from an index, or from a file loaded in
// parallel): the same Transfer the dataset's own load gives, whichever case its addresses are
// written in. A mixed-case EVM address passed its EIP-55 checksum when the line was checked, so it
// is taken as it is; every other form is canonicalised as the load does.
import { describe, expect, it } from 'vitest';
import { canonicalAddress } from '../../src/core/address.js';
import { LineConverter } from '../../src/sources/dataset/line.js';

const CHECKSUMMED = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const OTHER = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

const line = (from: string, to: string) =>
  JSON.stringify({
    type: 'transfer',
    tx: `0x${'ab'.repeat(32)}`,
    index: 0,
    height: 1,
    time: '2024-01-01T00:00:00Z',
    from,
    to,
    asset: 'ETH',
    value: '5',
    kind: 'native',
  });

describe('LineConverter', () => {
  const conv = new LineConverter({ format: 'fundtrace-dataset/1', chain: 'ethereum' } as never);
  it.each([
    ['checksummed', CHECKSUMMED, OTHER],
    ['lowercase', CHECKSUMMED.toLowerCase(), OTHER.toLowerCase()],
    ['uppercase hex digits', `0x${CHECKSUMMED.slice(2).toUpperCase()}`, `0x${OTHER.slice(2).toUpperCase()}`],
  ])('%s addresses convert to their canonical (checksummed) form', (_case, from, to) => {
    const t = conv.convert(line(from, to));
    expect(t).toBeDefined();
    expect([t!.from, t!.to]).toEqual([canonicalAddress('ethereum', from), canonicalAddress('ethereum', to)]);
    expect([t!.from, t!.to]).toEqual([CHECKSUMMED, OTHER]);
  });

  it('a line that is not a valid record still does not convert', () => {
    expect(conv.convert(line('0xnothex', OTHER))).toBeUndefined();
    expect(conv.convert('{"type":"transfer"')).toBeUndefined();
  });
});
