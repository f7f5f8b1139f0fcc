// Co-spend (common-input) clustering joins through a plain transaction, never through a
// CoinJoin-shaped one. Fixture C1 (scripts/make-vectors.ts): the seed pays X 5 000 and Y 5 000 200;
// X is spent together with a labelled exchange address (Exchange K); Y enters a Whirlpool-shaped mix
// (5 × 5 000 200 in, 5 × 5 000 000 out) beside an input of Exchange L.
import { describe, expect, it } from 'vitest';
import { fixture, type TraceJson, traceJson } from '../helpers.js';
import { btcAddr, btcTxid } from '../vector-roles.js';

type WithCluster = TraceJson;
const node = (j: WithCluster, role: string) =>
  j.graph.nodes.find((n) => n.attributes.address === btcAddr(role))!.attributes;
const seed = `${btcTxid('c1-f0')}:0`;

describe('co-spend clustering', () => {
  it('joins X to Exchange K through the plain transaction, with that transaction as evidence', async () => {
    const j = (await traceJson([seed, '--source', fixture('vectors', 'c1.json')])) as WithCluster;
    expect(node(j, 'c1-X').cluster).toEqual({
      id: 'Exchange K',
      entity: 'Exchange K',
      category: 'exchange',
      via: 'co-spend',
      evidence: btcTxid('c1-b'),
      from: btcAddr('c1-E'),
    });
    expect(j.summary.exits).toEqual([
      expect.objectContaining({ entity: 'Exchange K', address: btcAddr('c1-X'), hop: 1 }),
    ]);
  });

  it('does not join through the CoinJoin: the mix stops the trace and Y stays unattributed', async () => {
    const j = (await traceJson([seed, '--source', fixture('vectors', 'c1.json')])) as WithCluster;
    expect(BigInt(j.summary.terminals.mixer!.value)).toBe(5_000_200n);
    expect(node(j, 'c1-Y').cluster.via).toBe('none');
    expect(j.summary.exits.map((e) => e.entity)).not.toContain('Exchange L');
    expect(j.summary.findings.map((f) => f.kind)).toContain('coinjoin');
    expect(j.summary.conserved).toBe(true);
  });

  it('without CoinJoin detection the mix would wrongly join Y to Exchange L (what the detector prevents)', async () => {
    const j = (await traceJson([
      seed,
      '--source',
      fixture('vectors', 'c1.json'),
      '--no-heuristics',
    ])) as WithCluster;
    expect(node(j, 'c1-Y').cluster).toMatchObject({
      via: 'co-spend',
      entity: 'Exchange L',
      evidence: btcTxid('c1-mix'),
    });
  });

  it('--no-cospend turns clustering off', async () => {
    const j = (await traceJson([
      seed,
      '--source',
      fixture('vectors', 'c1.json'),
      '--no-cospend',
    ])) as WithCluster;
    expect(node(j, 'c1-X').cluster.via).toBe('none');
    expect(j.summary.exits.map((e) => e.entity)).not.toContain('Exchange K');
  });
});
