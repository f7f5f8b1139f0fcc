// Address poisoning look-alikes and exchange deposit-address recognition (account chains).
import { describe, expect, it } from 'vitest';
import { labelPolicy } from '../../src/cli/policy.js';
import { detectDeposit } from '../../src/core/deposit.js';
import type { Label, Transfer } from '../../src/core/model.js';
import { findLookalikes } from '../../src/core/spam.js';
import { ethAddr, ethTx } from '../vector-roles.js';

const A = '0x34ae92ba5c60472c403D5A5413847005F10035c2';
const LOOK = '0x34aE1c0F8585C2f7A3213178d93F9AeE453E35C2';

describe('look-alike addresses', () => {
  it.each([
    ['same first and last 4 hex characters', [A], [LOOK], [[LOOK, A]]],
    ['only the start matches', [A], ['0x34ae000000000000000000000000000000001111'], []],
    ['the traced address itself is no look-alike', [A], [A], []],
  ] as const)('%s', (_n, traced, seen, want) => {
    expect(findLookalikes(traced, seen)).toEqual(want);
  });
});

const hot = ethAddr('dep-hot');
const dep = ethAddr('dep-deposit');
const labels: Label[] = [
  { chain: 'ethereum', address: hot, entity: 'Northbank Exchange', category: 'exchange', source: 'test' },
];
const policy = labelPolicy((a) => labels.filter((l) => l.address === a));
let n = 0;
const t = (from: string, to: string, value: bigint, hour: number): Transfer => ({
  tx: ethTx(`dep-${n++}`),
  index: 0,
  height: 100 + hour,
  position: 0,
  time: new Date(Date.UTC(2024, 0, 1, hour)).toISOString(),
  from,
  to,
  asset: 'ETH',
  value,
  kind: 'native',
});

describe('exchange deposit addresses', () => {
  it('an address sweeping what it receives to a labelled exchange wallet is its deposit address', () => {
    const ledger = [
      t(ethAddr('c1'), dep, 5n, 0),
      t(dep, hot, 5n, 2),
      t(ethAddr('c2'), dep, 3n, 30),
      t(dep, hot, 3n, 31),
    ];
    const d = detectDeposit(dep, ledger, policy);
    expect(d).toMatchObject({ label: { entity: 'Northbank Exchange' }, received: 8n, forwarded: 8n });
    expect(d?.txs).toHaveLength(2);
  });

  it.each([
    ['keeps most of what it received', [t(ethAddr('c1'), dep, 10n, 0), t(dep, hot, 5n, 1)]],
    ['forwards only after the window', [t(ethAddr('c1'), dep, 10n, 0), t(dep, hot, 10n, 24 * 10)]],
    ['forwards to an unlabelled address', [t(ethAddr('c1'), dep, 10n, 0), t(dep, ethAddr('other'), 10n, 1)]],
  ] as const)('not a deposit address when it %s', (_n, ledger) => {
    expect(detectDeposit(dep, ledger, policy)).toBeNull();
  });

  it('paying into a labelled deposit address is not being one', () => {
    const withDeposit: Label[] = [
      { ...labels[0]!, address: ethAddr('dep-labelled'), note: 'deposit address' },
    ];
    const p = labelPolicy((a) => withDeposit.filter((l) => l.address === a));
    expect(
      detectDeposit(dep, [t(ethAddr('c1'), dep, 10n, 0), t(dep, ethAddr('dep-labelled'), 10n, 1)], p),
    ).toBeNull();
  });
});

describe('deposit addresses through the CLI', () => {
  it('the exit is the labelled wallet; the exits table names the deposit address the value came through', async () => {
    const { fixture, traceJson } = await import('../helpers.js');
    const j = (await traceJson([
      ethAddr('d1-seed'),
      '--source',
      fixture('vectors', 'd1.json'),
    ])) as unknown as {
      summary: {
        exits: { address: string; depositAddress: string | null; hop: number; entity: string }[];
        findings: { kind: string }[];
      };
      graph: {
        nodes: { attributes: { address: string; cluster: { via: string; entity: string | null } } }[];
      };
    };
    expect(j.summary.exits).toEqual([
      expect.objectContaining({
        entity: 'Northbank Exchange',
        address: ethAddr('d1-hot'),
        depositAddress: ethAddr('d1-deposit'),
        hop: 2,
      }),
    ]);
    expect(j.summary.findings.map((f) => f.kind)).toEqual(['deposit-address']);
    const node = j.graph.nodes.find((n) => n.attributes.address === ethAddr('d1-deposit'))!;
    expect(node.attributes.cluster).toMatchObject({ via: 'deposit', entity: 'Northbank Exchange' });
    const off = (await traceJson([
      ethAddr('d1-seed'),
      '--source',
      fixture('vectors', 'd1.json'),
      '--no-deposits',
    ])) as unknown as typeof j;
    expect(off.summary.exits[0]!.depositAddress).toBeNull();
  });
});
