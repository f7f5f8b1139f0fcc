// Bridge vector x2 (scripts/make-conversion-vectors.ts): 500 USDC burned through Circle's CCTP
// TokenMessenger on Ethereum for a recipient on Arbitrum (domain 3, nonce 777); on Arbitrum the
// MessageTransmitter receives it, 500 USDC are minted to the recipient, who pays Exchange Y.
//
// The thief T holds 300 clean USDC, then receives 700 stolen (the seed transaction).
// haircut: 1000 (700 T) → the burn of 500 carries floor(500·700/1000) = 350; 350 stay at T.
//   Arbitrum: 500 minted for 500 burned → 350 tainted arrive at the recipient (hop 3) → Exchange Y.
// fifo: lots [300 clean][700 T]: the burn takes 300 clean + 200 T → 200; 500 T stay.
//   Arbitrum: the runs [300 clean][200 T] scaled 500/500 → the recipient's credit, 200 T → Exchange Y.
// poison: T is poisoned: the burn carries all 500 → 500 arrive → Exchange Y 500; of the 700 tainted
//   that reached T, 200 are left to be at rest (poison's held figure: tainted in − tainted out).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VECTORS } from '../../scripts/make-conversion-vectors.js';
import { cli, fixture } from '../helpers.js';
import { ethAddr, ethTx } from '../vector-roles.js';

const X2 = fixture('vectors', 'x2.json');
const X2ARB = fixture('vectors', 'x2-arb.json');
const SEED = ethTx('x2-theft');
const U = 10n ** 6n;
const RECIPIENT = ethAddr('x2-recipient');

interface Amount {
  value: string;
}
interface Doc {
  query: { assets?: { key: string; chain?: string }[] };
  bridges?: {
    key: string;
    from: { chain: string; tainted: Amount };
    to: { chain: string; recipient: string; tainted: Amount };
  }[];
  summary: {
    perAsset?: {
      asset: { chain?: string };
      traced: Amount;
      conserved: boolean;
      terminals: Record<string, Amount>;
      exits: { entity: string; tainted: Amount; hop: number }[];
    }[];
    terminals?: Record<string, Amount>;
    bridges?: {
      name: string;
      tainted: Amount;
      protocol: string;
      key: string;
      identifier: string;
      destination: { chain: string; recipient: string };
      note: string | null;
    }[];
  };
  warnings: string[];
}
const v = (a: Amount | undefined) => BigInt(a?.value ?? '0');

async function trace(args: string[]): Promise<Doc> {
  const r = await cli(['trace', SEED, '--asset', 'USDC', '--format', 'json', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Doc;
}

describe('bridge vector x2 (CCTP, Ethereum → Arbitrum)', () => {
  it('the fixtures are what scripts/make-conversion-vectors.ts writes', () => {
    expect(readFileSync(X2, 'utf8')).toBe(JSON.stringify(VECTORS.x2!(), null, 2) + '\n');
    expect(readFileSync(X2ARB, 'utf8')).toBe(JSON.stringify(VECTORS['x2-arb']!(), null, 2) + '\n');
  });

  it('without the destination chain: a bridged terminal that names what to look up where', async () => {
    const d = await trace(['--source', X2]);
    expect(v(d.summary.terminals!.bridged)).toBe(350n * U);
    expect(v(d.summary.terminals!.held)).toBe(350n * U);
    const [b] = d.summary.bridges!;
    expect(b).toMatchObject({
      name: 'CCTP v1 TokenMessenger',
      protocol: 'cctp',
      key: 'cctp:0:777',
      identifier: 'CCTP source domain 0, nonce 777',
      destination: { chain: 'arbitrum', recipient: RECIPIENT },
    });
    expect(v(b!.tainted)).toBe(350n * U);
  });

  for (const [model, bridged, held] of [
    ['haircut', 350n, 350n],
    ['fifo', 200n, 500n],
    ['poison', 500n, 200n],
  ] as const) {
    it(`${model}: with --source arbitrum=…, the trace goes on from the recipient to Exchange Y (${bridged} USDC)`, async () => {
      const d = await trace([
        '--source',
        X2,
        '--source',
        `arbitrum=${X2ARB}`,
        '--hops',
        '5',
        '--model',
        model,
      ]);
      expect(d.query.assets!.map((a) => a.chain)).toEqual(['ethereum', 'arbitrum']);
      expect(
        d.bridges!.map((l) => [
          l.key,
          l.from.chain,
          v(l.from.tainted),
          l.to.chain,
          l.to.recipient,
          v(l.to.tainted),
        ]),
      ).toEqual([['cctp:0:777', 'ethereum', bridged * U, 'arbitrum', RECIPIENT, bridged * U]]);
      const [eth, arb] = d.summary.perAsset!;
      expect(v(eth!.terminals.bridged)).toBe(bridged * U);
      expect(v(eth!.terminals.held)).toBe(held * U);
      expect(v(arb!.traced)).toBe(bridged * U);
      // The recipient is one hop after the bridge (hop 2): Exchange Y is hop 4.
      expect(arb!.exits.map((x) => [x.entity, v(x.tainted), x.hop])).toEqual([
        ['Exchange Y', bridged * U, 4],
      ]);
      if (model !== 'poison') for (const p of d.summary.perAsset!) expect(p.conserved).toBe(true);
    });
  }

  it('from indexes of both chains: the same document as from the files (destination legs looked up by emitter)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ft-x2-index-'));
    const eth = join(dir, 'x2.ftindex');
    const arb = join(dir, 'x2-arb.ftindex');
    for (const [file, db] of [
      [X2, eth],
      [X2ARB, arb],
    ] as const) {
      const r = await cli(['dataset', 'index', file, '--out', db]);
      expect(r.status, r.stderr).toBe(0);
    }
    for (const model of ['haircut', 'fifo', 'poison']) {
      const common = ['--hops', '5', '--model', model];
      const fromFiles = await trace(['--source', X2, '--source', `arbitrum=${X2ARB}`, ...common]);
      const fromIndex = await trace([
        '--source',
        `index:${eth}`,
        '--source',
        `arbitrum=index:${arb}`,
        ...common,
      ]);
      expect(fromIndex.bridges).toHaveLength(1);
      const { query: _q1, ...a } = fromFiles as Doc & { query: unknown };
      const { query: _q2, ...b } = fromIndex as Doc & { query: unknown };
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });

  it('hops count on across the bridge: --hops 3 stops at the recipient, cut by hops', async () => {
    const d = await trace(['--source', X2, '--source', `arbitrum=${X2ARB}`, '--hops', '3']);
    expect(v(d.summary.perAsset![1]!.terminals.cut)).toBe(350n * U);
  });

  it('the same result whichever order the sources are given in', async () => {
    const a = await cli([
      'trace',
      SEED,
      '--asset',
      'USDC',
      '--format',
      'json',
      '--source',
      X2,
      '--source',
      `arbitrum=${X2ARB}`,
    ]);
    const b = await cli([
      'trace',
      SEED,
      '--asset',
      'USDC',
      '--format',
      'json',
      '--source',
      `arbitrum=${X2ARB}`,
      '--source',
      `ethereum=${X2}`,
      '--chain',
      'ethereum',
    ]);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it('a further source without its chain is a usage error naming it', async () => {
    const r = await cli(['trace', SEED, '--source', X2, '--source', X2ARB]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/name each further one's chain/);
  });
});

describe('bridge legs that must not link', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ft-x2-bad-'));
  const arb = VECTORS['x2-arb']!() as {
    logs: { address: string; topics: string[]; data: string; tx: string; index: number }[];
    transfers: { value: string; tx: string; index: number }[];
  };
  const write = (name: string, d: unknown) => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify(d));
    return f;
  };

  it('a second fill claiming the same deposit: a warning with both, nothing linked', async () => {
    const d2 = structuredClone(arb) as typeof arb & {
      transfers: Record<string, unknown>[];
      logs: Record<string, unknown>[];
    };
    // The mint transaction again, as another transaction in a later block.
    const tx2 = ethTx('x2-mint-again');
    const mint = d2.logs.filter((l) => l.tx === ethTx('x2-mint'));
    const credit = d2.transfers.filter((t) => t.tx === ethTx('x2-mint'));
    const bump = (r: Record<string, unknown>) => ({
      ...r,
      tx: tx2,
      height: 19_000_200,
      time: '2024-01-02T00:00:00Z',
    });
    d2.logs.push(...mint.map(bump));
    d2.transfers.push(...credit.map(bump));
    const f = write('two-fills.json', d2);
    const d = await trace(['--source', X2, '--source', `arbitrum=${f}`, '--hops', '5']);
    expect(d.bridges).toBeUndefined();
    expect(d.warnings.join('\n')).toMatch(/2 destination legs claim the deposit cctp:0:777/);
    expect(v(d.summary.terminals!.bridged)).toBe(350n * U);
  });

  it('a destination leg that delivers more than was deposited: a warning, not linked', async () => {
    const d3 = structuredClone(arb);
    for (const l of d3.logs)
      if (l.topics[0] === '0x1b2a7ff080b8cb6ff436ce0372e399692bbfb6d4ae5766fd8d58a7b8cc6142e6')
        l.data = `0x${(600n * U).toString(16).padStart(64, '0')}`;
    for (const l of d3.logs)
      if (l.topics[0] === '0x58200b4c34ae05ee816d710053fff3fb75af4395915d3d2a771b24aa10e3cc5d') {
        // The burn message's amount word (body offset 68) says 600 too, so the transaction agrees with itself.
        const body = l.data.slice(2 + 64 * 4);
        const amount = (600n * U).toString(16).padStart(64, '0');
        l.data = `0x${l.data.slice(2, 2 + 64 * 4)}${body.slice(0, 136)}${amount}${body.slice(200)}`;
      }
    for (const t of d3.transfers) if (t.tx === ethTx('x2-mint')) t.value = String(600n * U);
    const f = write('more-out.json', d3);
    const d = await trace(['--source', X2, '--source', `arbitrum=${f}`, '--hops', '5']);
    expect(d.bridges).toBeUndefined();
    expect(d.warnings.join('\n')).toMatch(
      /cctp:0:777: .*more than .*: not linked|names a deposit of 600000000/,
    );
  });

  it('a deposit event from a look-alike contract stops nothing and links nothing', async () => {
    const src = VECTORS.x2!() as { logs: { address: string }[]; transfers: { to: string; from: string }[] };
    const fake = ethAddr('x2-lookalike-messenger');
    for (const l of src.logs)
      if (l.address === '0xBd3fa81B58Ba92a82136038B25aDec7066af3155') l.address = fake;
    for (const t of src.transfers) {
      if (t.to === '0xBd3fa81B58Ba92a82136038B25aDec7066af3155') t.to = fake;
      if (t.from === '0xBd3fa81B58Ba92a82136038B25aDec7066af3155') t.from = fake;
    }
    const f = write('spoofed.json', src);
    const d = await trace(['--source', f, '--source', `arbitrum=${X2ARB}`, '--hops', '5']);
    expect(d.bridges).toBeUndefined();
    expect(d.summary.bridges).toBeUndefined();
    expect(d.summary.terminals!.bridged).toBeUndefined();
    // The value went to the look-alike and on to the null address: burned, not bridged.
    expect(v(d.summary.terminals!.unspendable)).toBe(350n * U);
  });
});

// x3: Hop L1 → Optimism, 1.5 ETH, no transfer id. On Optimism the recipient R gets 0.3 ETH from a
// friend (clean), then 1.497 ETH 30 minutes after the deposit (20 bps less: the bonder's fee), and pays
// 1.497 ETH to Exchange Z.
// haircut with --follow-candidates: 1.5 tainted in → 1.497 tainted arrive (all of it); R holds 1.797
//   (1.497 T) and pays 1.497 → floor(1.497 · 1.497 / 1.797) = 1.24708347245409015 ETH to Exchange Z;
//   0.24991652754590985 stay at R.
describe('bridge vector x3 (Hop L1 → L2, no identifier): only on request, and marked', () => {
  const X3 = fixture('vectors', 'x3.json');
  const X3OP = fixture('vectors', 'x3-op.json');
  const seed = ethTx('x3-theft');
  const E = 10n ** 18n;
  const arrival = ethTx('x3-arrival');
  const run = async (extra: string[]) => {
    const r = await cli([
      'trace',
      seed,
      '--format',
      'json',
      '--hops',
      '5',
      '--source',
      X3,
      '--source',
      `optimism=${X3OP}`,
      ...extra,
    ]);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Omit<Doc, 'bridges'> & {
      summary: Doc['summary'] & { findings?: { kind: string; txs: string[]; description: string }[] };
      bridges?: { heuristic?: { confidence: string } }[];
    };
  };

  it('the fixtures are what the script writes', () => {
    expect(readFileSync(X3, 'utf8')).toBe(JSON.stringify(VECTORS.x3!(), null, 2) + '\n');
    expect(readFileSync(X3OP, 'utf8')).toBe(JSON.stringify(VECTORS['x3-op']!(), null, 2) + '\n');
  });

  it('without --bridge-match: a bridged terminal, nothing guessed', async () => {
    const d = await run([]);
    expect(d.bridges).toBeUndefined();
    expect(d.summary.perAsset).toBeUndefined();
    expect(v(d.summary.terminals!.bridged)).toBe((15n * E) / 10n);
    expect(d.summary.bridges![0]!.key).toBeNull();
    expect((d.summary.findings ?? []).filter((f) => f.kind === 'bridge-candidate')).toEqual([]);
  });

  it('--bridge-match: the 1.497 ETH arrival is a candidate finding (not the 0.3), nothing followed', async () => {
    const d = await run(['--bridge-match']);
    expect(d.bridges).toBeUndefined();
    const c = (d.summary.findings ?? []).filter((f) => f.kind === 'bridge-candidate');
    expect(c.map((f) => f.txs[1])).toEqual([arrival]);
    expect(c[0]!.description).toMatch(
      /medium confidence; heuristic, not a protocol link: 1497000000000000000 arrived 1800 s after/,
    );
  });

  it('--follow-candidates: the trace goes on from it, and every figure there says it rests on a heuristic', async () => {
    const d = await run(['--bridge-match', '--follow-candidates']);
    expect(d.bridges!.map((b) => b.heuristic?.confidence)).toEqual(['medium']);
    const op = d.summary.perAsset![1]!;
    expect(v(op.traced)).toBe((1_497n * E) / 1000n);
    expect(op.exits.map((x) => [x.entity, v(x.tainted)])).toEqual([
      ['Exchange Z', 1_247_083_472_454_090_150n],
    ]);
    expect(
      d.warnings.some((w) => /^ETH on optimism: every figure here rests on a heuristic bridge match/.test(w)),
    ).toBe(true);
  });
});
