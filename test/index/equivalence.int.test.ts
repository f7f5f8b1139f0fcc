// The indexed store answers exactly as the dataset file: every golden trace (both samples, every
// model, both directions, address/tx/outpoint seeds, --asset all) and the taint vectors, traced
// from `index:DB`, print the same JSON as from the file, apart from query.sources (which names
// the source used).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { equivalenceScenario, roles } from '../esplora/cases.js';
import { writeDataset } from '../esplora/helpers.js';
import { ADDRESSES, move, TOKEN, transfersOf } from '../fixtures/dataset/random-account.js';
import { GOLDEN_TRACES } from '../golden/cases.js';
import { cli } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const built = new Map<string, string>();
async function indexOf(dataset: string): Promise<string> {
  let db = built.get(dataset);
  if (!db) {
    db = join(dir, `${built.size}.ftindex`);
    const r = await cli(['dataset', 'index', dataset, '--out', db]);
    expect(r.status, r.stderr).toBe(0);
    built.set(dataset, db);
  }
  return db;
}

function comparable(stdout: string): unknown {
  const doc = JSON.parse(stdout) as { query: { sources?: unknown; perAsset?: { sources?: unknown }[] } };
  delete doc.query.sources;
  // A trace across chains names each part's sources too.
  for (const p of doc.query.perAsset ?? []) delete p.sources;
  return doc;
}

async function same(args: string[]): Promise<number> {
  const at = args.indexOf('--source');
  const dataset = args[at + 1]!;
  const fromFile = await cli(['trace', ...args, '--format', 'json']);
  const viaIndex = [...args];
  viaIndex[at + 1] = `index:${await indexOf(dataset)}`;
  const fromIndex = await cli(['trace', ...viaIndex, '--format', 'json']);
  expect(fromIndex.status, fromIndex.stderr).toBe(fromFile.status);
  // A refused trace (e.g. a seed that moves nothing backward) is refused with the same words.
  if (fromFile.status !== 0) expect(fromIndex.stderr).toBe(fromFile.stderr);
  else expect(comparable(fromIndex.stdout)).toEqual(comparable(fromFile.stdout));
  return fromFile.status;
}

describe('index:DB ≡ the dataset file', () => {
  it.each(GOLDEN_TRACES.map((g) => [g.name, g.args] as const))('%s', async (_name, args) => {
    await same([...args]);
  });

  const vectors = join(import.meta.dirname, '..', 'fixtures', 'vectors');
  it.each(readdirSync(vectors).filter((f) => f.endsWith('.json')))(
    'vector %s, every model, forward and backward from its first transfer or transaction',
    async (file) => {
      const path = join(vectors, file);
      const doc = (await import(path, { with: { type: 'json' } })).default as {
        transactions?: { txid: string }[];
        transfers?: { tx: string }[];
      };
      const seed = doc.transactions?.[0] ? `${doc.transactions[0].txid}:0` : doc.transfers?.[0]?.tx;
      expect(seed).toBeDefined();
      for (const model of ['haircut', 'fifo', 'poison'])
        for (const direction of ['forward', 'backward'])
          await same([seed!, '--source', path, '--model', model, '--direction', direction, '--hops', '6']);
    },
  );
});

// The Esplora tests' Bitcoin scenario: a busy address over pages, same-block spends ordered by
// dependency, a coinbase, funding from outside the data, OP_RETURN, and a mempool transaction.
describe('index:DB ≡ the dataset file (UTXO scenario)', () => {
  const built = equivalenceScenario();
  const t = built.tx;
  it.each([
    ['forward from the busy address', () => roles.S, ['--hops', '6']],
    ['forward, fifo', () => roles.S, ['--hops', '6', '--model', 'fifo']],
    ['forward from a tx, poison', () => t.sp1!.txid, ['--model', 'poison', '--hops', '5']],
    ['backward from an outpoint', () => `${t.sp2!.txid}:0`, ['--direction', 'backward', '--hops', '4']],
    [
      'backward from the mempool tx, fifo',
      () => `${t.mp!.txid}:0`,
      ['--direction', 'backward', '--model', 'fifo'],
    ],
    ['history limit', () => roles.S, ['--hops', '3', '--history-limit', '5']],
  ] as const)('%s', async (_name, seed, args) => {
    const file = await writeDataset(dir, built.s);
    await same([seed(), '--source', file, ...args]);
  });
});

// Random account datasets: four addresses passing ETH and a token back and forth, with fees,
// self-transfers and same-block transfers; every model, both directions, from a random seed.
describe('index:DB ≡ the dataset file (random account datasets)', () => {
  const A = ADDRESSES;
  const arb = fc.record({
    moves: fc.array(move, { minLength: 1, maxLength: 25 }),
    seed: fc.nat(3),
    model: fc.constantFrom('haircut', 'fifo', 'poison'),
    backward: fc.boolean(),
    token: fc.boolean(),
  });
  it('30 random datasets', async () => {
    const samples = fc.sample(arb, { numRuns: 30, seed: 20261204 });
    let traced = 0;
    for (const [n, c] of samples.entries()) {
      const transfers = transfersOf(c.moves);
      const file = join(dir, `random-${n}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          format: 'fundtrace-dataset/1',
          chain: 'ethereum',
          assets: { TKN: { decimals: 6, contract: TOKEN } },
          transfers,
        }),
      );
      const args = [
        A[c.seed]!,
        '--source',
        file,
        '--model',
        c.model,
        '--asset',
        c.token ? 'TKN' : 'ETH',
        '--hops',
        '5',
      ];
      if (c.backward) args.push('--direction', 'backward');
      if ((await same(args)) === 0) traced++;
    }
    // Most draws trace something (a seed with no history in the direction is refused alike).
    expect(traced).toBeGreaterThan(15);
  });
});
