// The forward engine plans --max-nodes's fold on an outline and never draws the addresses it folds
// (src/core/account/drawing.ts). Beside the random traces of properties.test.ts: every golden
// trace (swaps, bridges, TRON, deposits, labels, all assets; UTXO and backward traces as controls)
// under small caps prints the same JSON with the fold planned as with everything drawn and folded
// after.
import { describe, expect, it } from 'vitest';
import { foldPlanning } from '../../src/core/account/forward.js';
import { GOLDEN_TRACES } from '../golden/cases.js';
import { cli } from '../helpers.js';

async function json(args: string[]): Promise<string> {
  const r = await cli(['trace', ...args, '--format', 'json'], { NO_COLOR: '1' });
  if (r.status !== 0) throw new Error(`fundtrace trace ${args.join(' ')} → ${r.status}: ${r.stderr}`);
  return r.stdout;
}

describe('the planned --max-nodes fold on real scenarios', () => {
  const folded: string[] = [];
  it.each(GOLDEN_TRACES.map((g) => [g.name, g.args] as const))(
    '%s under --max-nodes 1, 2 and 4',
    async (name, args) => {
      for (const cap of ['1', '2', '4']) {
        const a = [...args, '--max-nodes', cap];
        const planned = await json(a);
        foldPlanning.enabled = false;
        let after: string;
        try {
          after = await json(a);
        } finally {
          foldPlanning.enabled = true;
        }
        expect(planned).toBe(after);
        if (planned.includes('the graph was capped at --max-nodes')) folded.push(`${name} ${cap}`);
      }
    },
  );
  it('compared folded traces, not only unfolded ones', () => {
    // 109 of the 141 (scenario, cap) pairs fold today.
    expect(folded.length).toBeGreaterThan(100);
  });
});
