import { describe, expect, it } from 'vitest';
import { labelStats } from '../../src/labels/stats.js';
import { label } from './helpers.js';

describe('labelStats', () => {
  it('counts labels and distinct addresses by category, chain and source, most frequent first', () => {
    const s = labelStats([
      label({ category: 'mixer', source: 'b' }),
      label({ category: 'sanctioned', source: 'a', address: '0x8fa78bf8b7334950907fe202e882afd91aa3236f' }),
      label({
        chain: 'bitcoin',
        address: '1928KLHj5uDNodqt4SEZfvZGH398uMWWgJ',
        category: 'sanctioned',
        source: 'a',
      }),
      label({ category: '__proto__', source: 'constructor' }),
    ]);
    expect(s.labels).toBe(4);
    expect(s.addresses).toBe(2);
    expect(s.byCategory).toEqual([
      { key: 'sanctioned', count: 2 },
      { key: '__proto__', count: 1 },
      { key: 'mixer', count: 1 },
    ]);
    expect(s.byChain).toEqual([
      { key: 'ethereum', count: 3 },
      { key: 'bitcoin', count: 1 },
    ]);
    expect(s.bySource).toEqual([
      { key: 'a', count: 2 },
      { key: 'b', count: 1 },
      { key: 'constructor', count: 1 },
    ]);
  });

  it('is empty for no labels', () => {
    expect(labelStats([])).toEqual({ labels: 0, addresses: 0, byCategory: [], byChain: [], bySource: [] });
  });
});
