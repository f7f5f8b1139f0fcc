// A lying Esplora server (issue 10, item 2): each answer is well formed on its own, but the answers
// contradict each other. Every lie must end the run with BAD_DATA (exit 4) naming the source,
// never a figure. The honest run of the same scenario exits 0 (so the lies, not the set-up, fail).
import { describe, expect, it } from 'vitest';
import type { UtxoTx } from '../../src/core/model.js';
import { tempDir, traceEsplora } from '../esplora/helpers.js';
import { type Scenario, ScenarioBuilder, sha } from '../esplora/scenario.js';
import { type ServerOptions, startEsplora } from '../esplora/server.js';
import { addr } from '../heuristics/fixtures.js';

const A = addr('lie-A');
const B = addr('lie-B');
const C = addr('lie-C');
const D = addr('lie-D');

/** S funds A at 110; A pays B at 112 (parent p, child c); B pays C at 114 (grandchild g). */
function scenario(edit?: (t: { p: UtxoTx; c: UtxoTx; g: UtxoTx; s: Scenario }) => void) {
  const b = new ScenarioBuilder(130);
  b.coinbase('lie-cb', 100, [[addr('lie-miner', 'p2pkh'), 5_000_000_000n]]);
  const p = b.tx('lie-p', 110, [{ external: addr('lie-S'), value: 100_000_000n }], [[A, 99_990_000n]]);
  const c = b.tx('lie-c', 112, [{ tx: p, vout: 0 }], [[B, 99_980_000n]]);
  const g = b.tx(
    'lie-g',
    114,
    [{ tx: c, vout: 0 }],
    [
      [C, 60_000_000n],
      [D, 39_970_000n],
    ],
  );
  const s = b.build();
  edit?.({ p, c, g, s });
  return { s, p, c, g };
}

async function run(s: Scenario, seed: string, options: ServerOptions = {}) {
  const server = await startEsplora(s, options);
  const cache = await tempDir();
  try {
    return { ...(await traceEsplora(server.url, cache.dir, seed, ['--hops', '5'])), url: server.url };
  } finally {
    await server.close();
    await cache.done();
  }
}

describe('a lying Esplora server is refused with BAD_DATA (exit 4) naming the URL', () => {
  it('the honest scenario traces (exit 0) and adds up', async () => {
    const { p, s } = scenario();
    const r = await run(s, `${p.txid}:0`);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.conserved).toBe(true);
  });

  const lies: [string, (t: { p: UtxoTx; c: UtxoTx; g: UtxoTx; s: Scenario }) => void, RegExp][] = [
    [
      'a spender claiming another value than the output holds',
      ({ c }) => {
        c.inputs[0]!.value = 99_999_000n;
      },
      /claims 99999000, the output holds 99990000/,
    ],
    [
      'a spender claiming another address than the output pays',
      ({ c }) => {
        c.inputs[0]!.address = D;
      },
      /claims address .*, the output pays/,
    ],
    [
      'a spender 100 blocks before its parent',
      ({ c, s }) => {
        c.height = 12;
        c.time = s.blocks.get(100)!.time;
        s.blocks.set(12, {
          height: 12,
          hash: `00000000${sha('lie-12').slice(8)}`,
          time: c.time,
          txids: [sha('x'), c.txid],
        });
        c.position = 1;
      },
      /comes before its parent/,
    ],
    [
      'a spending cycle (p spends g, g spends c, c spends p), all unconfirmed',
      ({ p, c, g }) => {
        for (const t of [p, c, g]) {
          t.height = null;
          t.position = null;
          t.time = null;
        }
        // (zero fees: a cycle with fees cannot add up, and each answer must be valid on its own)
        const x = 39_900_000n;
        p.inputs[0] = { txid: g.txid, vout: 1, address: D, value: x };
        p.outputs[0]!.value = x;
        c.inputs[0]!.value = x;
        c.outputs[0]!.value = x;
        g.inputs[0]!.value = x;
        g.outputs[0]!.value = 0n;
        g.outputs[1]!.value = x;
      },
      /spending cycle/,
    ],
  ];
  it.each(lies)('%s', async (_name, edit, why) => {
    const { s, p } = scenario(edit);
    const r = await run(s, `${p.txid}:0`);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(why);
    expect(r.stderr).toContain(r.url.replace(/\/$/, ''));
    expect(r.stderr).toMatch(/inconsistent data/);
    expect(r.status, r.stderr).toBe(4);
  });

  it('two transactions spending one output (seen in the history of its address)', async () => {
    const { s } = scenario(({ g, c }) => {
      g.inputs.push({ ...c.inputs[0]! }); // g also spends p:0, which c already spends
    });
    const r = await run(s, A);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/spent twice/);
    expect(r.status, r.stderr).toBe(4);
  });

  it('an outspends naming a transaction that does not spend the output', async () => {
    const { s, p, g } = scenario();
    const r = await run(s, `${p.txid}:0`, {
      fault: (path) =>
        path === `/tx/${p.txid}/outspends`
          ? {
              kind: 'json',
              body: [
                {
                  spent: true,
                  txid: g.txid,
                  vin: 0,
                  status: {
                    confirmed: true,
                    block_height: 114,
                    block_hash: s.blocks.get(114)!.hash,
                    block_time: Math.floor(Date.parse(s.blocks.get(114)!.time) / 1000),
                  },
                },
              ],
            }
          : undefined,
    });
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/is said to be spent by input 0 of .*, which spends/);
    expect(r.status, r.stderr).toBe(4);
  });
});
