// Backward (source-of-funds) exposure on a case of our own, checked by hand:
// A holds 6 ETH from Exchange X then 4 ETH from Scam S, and pays T 5 ETH; a Tornado-like
// address labelled both mixer and sanctioned pays T 1 ETH. T's 6 ETH came from…
//   haircut: X 5·6/10 = 3, S 5·4/10 = 2 (both indirect, hop 2), sanctioned 1 (direct, hop 1)
//            shares of 6: 1/2, 1/3, 1/6 → 0.500000, 0.333333, 0.166667 (largest remainder)
//   fifo:    A's oldest lot first: X 5, S 0; sanctioned 1 → 0.833333, 0.166667
// The mixer-and-sanctioned address counts as sanctioned (precedence).
import { describe, expect, it } from 'vitest';
import { fixture, traceJson } from '../helpers.js';
import { ethAddr } from '../vector-roles.js';

const E = 10n ** 18n;
const T = ethAddr('b1-T');

describe('backward exposure (source of funds)', () => {
  it('haircut', async () => {
    const j = await traceJson([T, '--source', fixture('vectors', 'b1.json'), '--direction', 'backward']);
    expect(j.summary.traced.value).toBe((6n * E).toString());
    expect(j.exposure.direct).toEqual([
      expect.objectContaining({
        category: 'sanctioned',
        entity: 'Tornado-like',
        flagged: true,
        share: '0.166667',
        minHops: 1,
      }),
    ]);
    expect(j.exposure.indirect).toEqual([
      expect.objectContaining({
        category: 'exchange',
        entity: 'Exchange X',
        flagged: false,
        share: '0.500000',
        minHops: 2,
      }),
      expect.objectContaining({
        category: 'scam',
        entity: 'Scam S',
        flagged: true,
        share: '0.333333',
        minHops: 2,
      }),
    ]);
    expect(j.exposure.indirect.map((i) => i.value.value)).toEqual([(3n * E).toString(), (2n * E).toString()]);
    expect(j.summary.conserved).toBe(true);
  });

  it('fifo', async () => {
    const j = await traceJson([
      T,
      '--source',
      fixture('vectors', 'b1.json'),
      '--direction',
      'backward',
      '--model',
      'fifo',
    ]);
    expect(j.exposure.direct).toEqual([
      expect.objectContaining({ category: 'sanctioned', share: '0.166667' }),
    ]);
    expect(j.exposure.indirect).toEqual([
      expect.objectContaining({ entity: 'Exchange X', share: '0.833333' }),
    ]);
  });

  it('evidence paths lead from the seed to each cluster, hop by hop', async () => {
    const j = (await traceJson([
      T,
      '--source',
      fixture('vectors', 'b1.json'),
      '--direction',
      'backward',
    ])) as unknown as {
      exposure: { indirect: { entity: string; paths: { edges: string[] }[] }[] };
      graph: { edges: { key: string; source: string; target: string }[] };
    };
    const scam = j.exposure.indirect.find((i) => i.entity === 'Scam S')!;
    const edges = scam.paths[0]!.edges.map((k) => j.graph.edges.find((e) => e.key === k)!);
    // seed ← A ← scammer: the first edge pays the seed, the last leaves the scammer.
    expect(edges.map((e) => [e.source.split(':')[1], e.target.split(':')[1]])).toEqual([
      [ethAddr('b1-A'), T],
      [ethAddr('b1-scammer'), ethAddr('b1-A')],
    ]);
  });
});
