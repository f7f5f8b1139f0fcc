import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FundtraceError } from '../../src/core/errors.js';
import {
  CATEGORIES,
  categoryPolicy,
  categoryTier,
  DEFAULT_FLAGGED,
  DEFAULT_SERVICE,
  flaggedCategories,
  isFlagged,
  isKnownCategory,
  isService,
  normaliseCategory,
  primaryLabel,
  rankLabels,
  serviceCategories,
} from '../../src/labels/taxonomy.js';
import { label } from './helpers.js';

describe('taxonomy', () => {
  it('has unique ids and every default flagged/service category is known', () => {
    const ids = CATEGORIES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [...DEFAULT_FLAGGED, ...DEFAULT_SERVICE]) expect(isKnownCategory(id)).toBe(true);
  });

  it('normalises names and aliases; phishing is a scam subtype', () => {
    expect(normaliseCategory('Darknet Market')).toBe('darknet_market');
    expect(normaliseCategory(' payment-processor ')).toBe('payment_processor');
    expect(normaliseCategory('phishing')).toBe('scam');
    expect(normaliseCategory('Exploit')).toBe('theft');
    expect(normaliseCategory('mixing_service')).toBe('mixer');
    expect(normaliseCategory('laundromat')).toBeUndefined();
    // Object.prototype keys are not categories.
    expect(normaliseCategory('constructor')).toBeUndefined();
    expect(normaliseCategory('__proto__')).toBeUndefined();
  });

  it('default sets: mixer is both flagged and a service; exchange is a service only', () => {
    expect(isFlagged('mixer')).toBe(true);
    expect(isService('mixer')).toBe(true);
    expect(isFlagged('exchange')).toBe(false);
    expect(isService('exchange')).toBe(true);
    expect(isFlagged('sanctioned')).toBe(true);
    expect(isFlagged('dex')).toBe(false);
  });

  it('sets are configurable by replacement or by add/remove', () => {
    expect([...flaggedCategories(['sanctioned', 'Gambling'])]).toEqual(['sanctioned', 'gambling']);
    const adj = flaggedCategories({ add: ['gambling'], remove: ['mixer'] });
    expect(adj.has('gambling')).toBe(true);
    expect(adj.has('mixer')).toBe(false);
    expect(serviceCategories({ add: ['dex'] }).has('dex')).toBe(true);
  });

  it('rejects unknown categories in an override with a USAGE error', () => {
    expect(() => flaggedCategories({ add: ['nope\u001b[31m'] })).toThrow(FundtraceError);
    try {
      serviceCategories(['nope\u001b[31m']);
    } catch (e) {
      expect((e as FundtraceError).code).toBe('USAGE');
      expect((e as FundtraceError).message).not.toContain('\u001b');
    }
  });
});

describe('precedence', () => {
  const mixer = label({ category: 'mixer', entity: 'Tornado Cash', source: 'etherscan:tornado-cash' });
  const sanctioned = label({ category: 'sanctioned', entity: 'TORNADO CASH', source: 'ofac-sdn-csv' });
  const exchange = label({ category: 'exchange', entity: 'Some CEX', confidence: 'high' });
  const unknown = label({ category: 'unknown' });

  it('sanctioned outranks mixer (a sanctioned mixer router is reported as sanctioned)', () => {
    expect(primaryLabel([mixer, sanctioned])).toBe(sanctioned);
    expect(primaryLabel([sanctioned, mixer])).toBe(sanctioned);
  });

  it('flagged outranks services, services outrank the rest', () => {
    expect(primaryLabel([exchange, mixer, unknown])).toBe(mixer);
    expect(primaryLabel([unknown, exchange])).toBe(exchange);
    expect(primaryLabel([])).toBeUndefined();
  });

  it('sanctioned stays first even when removed from the flagged set', () => {
    const policy = categoryPolicy({ flagged: { remove: ['sanctioned'] } });
    expect(categoryTier('sanctioned', policy)).toBe(0);
    expect(primaryLabel([mixer, sanctioned], policy)).toBe(sanctioned);
  });

  it('follows a custom policy: flagging gambling ranks it above exchange', () => {
    const gambling = label({ category: 'gambling' });
    expect(primaryLabel([exchange, gambling])).toBe(exchange);
    const policy = categoryPolicy({ flagged: { add: ['gambling'] } });
    expect(primaryLabel([exchange, gambling], policy)).toBe(gambling);
  });

  it('breaks ties by confidence, then source name', () => {
    const low = label({ category: 'scam', confidence: 'low', source: 'a' });
    const high = label({ category: 'scam', confidence: 'high', source: 'z' });
    const none = label({ category: 'scam', source: 'a' });
    expect(primaryLabel([low, none, high])).toBe(high);
    const a = label({ category: 'scam', confidence: 'medium', source: 'alpha' });
    const b = label({ category: 'scam', confidence: 'medium', source: 'beta' });
    expect(primaryLabel([b, a])).toBe(a);
  });

  it('unknown category ids rank after every known one', () => {
    const odd = label({ category: 'zzz-custom' });
    expect(rankLabels([odd, unknown]).map((l) => l.category)).toEqual(['unknown', 'zzz-custom']);
  });

  it('is deterministic: the primary label does not depend on input order', () => {
    const cats = CATEGORIES.map((c) => c.id);
    const arb = fc.array(
      fc.record({
        category: fc.constantFrom(...cats),
        confidence: fc.constantFrom('high', 'medium', 'low', undefined),
        source: fc.constantFrom('a', 'b', 'c'),
        entity: fc.constantFrom('x', 'y'),
      }),
      { minLength: 1, maxLength: 8 },
    );
    const withShuffle = arb.chain((parts) =>
      fc.tuple(
        fc.constant(parts),
        fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }),
      ),
    );
    fc.assert(
      fc.property(withShuffle, ([parts, shuffled]) => {
        expect(primaryLabel(shuffled.map((p) => label(p)))).toEqual(primaryLabel(parts.map((p) => label(p))));
        if (parts.some((p) => p.category === 'sanctioned')) {
          expect(primaryLabel(parts.map((p) => label(p)))?.category).toBe('sanctioned');
        }
      }),
    );
  });
});
