// Issue 10 (low): a spender timestamped long before the transaction it spends was accepted. Block
// times may run backwards a little (up to ~2 h on Bitcoin), not more: beyond that it is a problem.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDataset } from '../../src/sources/dataset/index.js';
import { ROOT } from '../helpers.js';
import { writeText } from './helpers.js';

interface Tx {
  txid: string;
  time: string;
  inputs: { txid?: string }[];
}

function sampleWithChildTime(shiftMs: number): { file: string; child: number; parent: string } {
  const doc = JSON.parse(readFileSync(join(ROOT, 'samples', 'ransomware-btc.json'), 'utf8')) as {
    transactions: Tx[];
  };
  const byId = new Map(doc.transactions.map((t) => [t.txid, t]));
  const child = doc.transactions.findIndex((t) => t.inputs.some((i) => i.txid && byId.has(i.txid)));
  const c = doc.transactions[child]!;
  const parent = byId.get(c.inputs.find((i) => i.txid && byId.has(i.txid))!.txid!)!;
  // Every parent of the child: the child is set relative to the latest of them.
  const latest = Math.max(
    ...c.inputs.filter((i) => i.txid && byId.has(i.txid)).map((i) => Date.parse(byId.get(i.txid!)!.time)),
  );
  c.time = new Date(latest + shiftMs).toISOString().replace('.000Z', 'Z');
  return { file: writeText(JSON.stringify(doc), 'ts.json'), child, parent: parent.txid };
}

describe('a spender timestamped before what it spends', () => {
  it('more than 2 hours before: a problem at /transactions/N/time naming the parent', async () => {
    const { file, child } = sampleWithChildTime(-(2 * 3600 + 1) * 1000);
    const r = await validateDataset(file);
    expect(r.ok).toBe(false);
    expect(r.problems.length).toBeGreaterThan(0);
    for (const p of r.problems) {
      expect(p.location).toBe(`/transactions/${child}/time`);
      expect(p.message).toMatch(/is more than 2 hours before .*whose output it spends/);
    }
  });

  it('up to 2 hours before (block times may run backwards that much): accepted', async () => {
    const { file } = sampleWithChildTime(-2 * 3600 * 1000);
    expect((await validateDataset(file)).ok).toBe(true);
  });
});
