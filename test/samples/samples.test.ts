import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { address as btcAddressCodec, networks } from 'bitcoinjs-lib';
import { getAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  btcAddress,
  btcTxid,
  evmAddress,
  evmTxHash,
  type LabelJson,
  writeSamples,
  ZERO_ADDRESS,
} from '../../scripts/make-samples.js';
import { writeAccountSynthetic, writeUtxoSynthetic } from '../../scripts/synthetic.js';
import { cli } from '../helpers.js';
import { expected } from './expected.js';
import {
  haircutShares,
  type RefTransfer,
  type RefTx,
  summarize,
  sumTerminals,
  traceAccount,
  traceUtxo,
} from './reference.js';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));
const readJson = async <T>(file: string): Promise<T> =>
  JSON.parse(await readFile(join(SAMPLES, file), 'utf8')) as T;

const AMOUNT = /^(0|[1-9][0-9]*)$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

interface Tx extends RefTx {
  height: number;
  position: number;
  time: string;
}
interface Transfer extends RefTransfer {
  height: number;
  position: number;
  time: string;
}
interface UtxoDataset {
  format: string;
  chain: string;
  head: { height: number; time: string };
  transactions: Tx[];
  transfers: unknown[];
  labels: LabelJson[];
}
interface AccountDataset {
  format: string;
  chain: string;
  head: { height: number; time: string };
  assets: Record<string, { decimals: number; contract: string }>;
  transactions: unknown[];
  transfers: Transfer[];
  labels: LabelJson[];
}

/** Every problem with a list of UTXO transactions (chain order, spends, balance). */
function utxoProblems(txs: readonly Tx[]): string[] {
  const problems: string[] = [];
  const outputs = new Map<
    string,
    { address: string | null; value: string; height: number; coinbase: boolean }
  >();
  const spent = new Set<string>();
  let prev: Tx | undefined;
  for (const tx of txs) {
    if (!/^[0-9a-f]{64}$/.test(tx.txid)) problems.push(`${tx.txid}: bad txid`);
    if (!ISO.test(tx.time)) problems.push(`${tx.txid}: bad time ${tx.time}`);
    if (prev && (tx.height < prev.height || (tx.height === prev.height && tx.position <= prev.position))) {
      problems.push(`${tx.txid}: out of chain order`);
    }
    if (prev && tx.time < prev.time) problems.push(`${tx.txid}: time goes backwards`);
    prev = tx;
    let sumIn = 0n;
    for (const i of tx.inputs) {
      const key = `${i.txid}:${i.vout}`;
      const o = outputs.get(key);
      if (!o) problems.push(`${tx.txid}: spends unknown ${key}`);
      else {
        if (o.address !== i.address || o.value !== i.value)
          problems.push(`${tx.txid}: input ${key} disagrees with output`);
        if (o.coinbase && tx.height - o.height < 100) problems.push(`${tx.txid}: spends immature coinbase`);
      }
      if (spent.has(key)) problems.push(`${tx.txid}: double spend of ${key}`);
      spent.add(key);
      if (!AMOUNT.test(i.value)) problems.push(`${tx.txid}: bad input amount`);
      sumIn += BigInt(i.value);
    }
    let sumOut = 0n;
    tx.outputs.forEach((o, vout) => {
      if (!AMOUNT.test(o.value)) problems.push(`${tx.txid}: bad output amount`);
      if (o.address !== null) {
        try {
          btcAddressCodec.toOutputScript(o.address, networks.bitcoin);
        } catch {
          problems.push(`${tx.txid}: bad address ${o.address}`);
        }
      }
      sumOut += BigInt(o.value);
      outputs.set(`${tx.txid}:${vout}`, { ...o, height: tx.height, coinbase: tx.inputs.length === 0 });
    });
    if (tx.inputs.length > 0 && sumIn < sumOut) problems.push(`${tx.txid}: negative fee ${sumIn - sumOut}`);
  }
  return problems;
}

/** Every problem with a list of transfers (chain order, negative balances, shapes). */
function accountProblems(
  transfers: readonly Transfer[],
  exempt: ReadonlySet<string>,
  assets: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const balances = new Map<string, bigint>();
  let prev: Transfer | undefined;
  for (const t of transfers) {
    const at = `${t.tx}#${t.index}`;
    if (!/^0x[0-9a-f]{64}$/.test(t.tx)) problems.push(`${at}: bad tx hash`);
    if (!ISO.test(t.time)) problems.push(`${at}: bad time`);
    if (!AMOUNT.test(t.value)) problems.push(`${at}: bad amount`);
    if (!assets.has(t.asset)) problems.push(`${at}: unknown asset ${t.asset}`);
    if ((t.to === null) !== (t.kind === 'fee')) problems.push(`${at}: only fee records have no recipient`);
    if (t.kind === 'fee' && t.asset !== 'ETH') problems.push(`${at}: fee not in ETH`);
    for (const a of [t.from, t.to])
      if (a !== null && getAddress(a) !== a) problems.push(`${at}: not EIP-55: ${a}`);
    if (prev) {
      const order =
        t.height - prev.height ||
        t.position - prev.position ||
        (t.tx === prev.tx ? t.index - prev.index : t.tx < prev.tx ? -1 : 1);
      if (order <= 0) problems.push(`${at}: out of chain order`);
      if (t.tx === prev.tx && t.index !== prev.index + 1) problems.push(`${at}: index gap`);
      if (t.tx !== prev.tx && t.index !== 0) problems.push(`${at}: first index is not 0`);
      if (t.time < prev.time) problems.push(`${at}: time goes backwards`);
    }
    prev = t;
    const v = BigInt(t.value);
    const fromKey = `${t.from}/${t.asset}`;
    const left = (balances.get(fromKey) ?? 0n) - v;
    if (left < 0n && !exempt.has(t.from))
      problems.push(`${at}: ${t.from} goes negative in ${t.asset} (${left})`);
    balances.set(fromKey, left);
    if (t.to !== null) balances.set(`${t.to}/${t.asset}`, (balances.get(`${t.to}/${t.asset}`) ?? 0n) + v);
  }
  return problems;
}

describe('bundled samples', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'fundtrace-samples-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('are byte-identical to what scripts/make-samples.ts generates', async () => {
    const names = await writeSamples(tmp);
    expect(names).toEqual([
      'phishing-eth.addresses.json',
      'phishing-eth.json',
      'phishing-eth.txs.json',
      'ransomware-btc.addresses.json',
      'ransomware-btc.json',
      'ransomware-btc.txs.json',
      'tron-scam.addresses.json',
      'tron-scam.json',
      'tron-scam.txs.json',
    ]);
    for (const name of names) {
      const fresh = await readFile(join(tmp, name));
      const committed = await readFile(join(SAMPLES, name));
      expect(fresh.equals(committed), `${name} differs from a fresh generation`).toBe(true);
      expect(committed.toString('utf8').endsWith('}\n')).toBe(true);
    }
  });

  describe('ransomware-btc', () => {
    let ds: UtxoDataset;
    let book: Record<string, string>;
    let txs: Record<string, string>;
    beforeAll(async () => {
      ds = await readJson<UtxoDataset>('ransomware-btc.json');
      book = await readJson('ransomware-btc.addresses.json');
      txs = await readJson('ransomware-btc.txs.json');
    });

    it('is a valid, balanced, chain-ordered UTXO dataset', () => {
      expect(ds.format).toBe('fundtrace-dataset/1');
      expect(ds.chain).toBe('bitcoin');
      expect(utxoProblems(ds.transactions)).toEqual([]);
      const last = ds.transactions[ds.transactions.length - 1]!;
      expect(ds.head.height).toBeGreaterThan(last.height);
      expect(ds.head.time > last.time).toBe(true);
      expect(ds.transactions.length).toBeGreaterThanOrEqual(15);
      expect(ds.transactions.length).toBeLessThanOrEqual(30);
    });

    it('derives every address and txid from its readable seed string', () => {
      for (const [role, addr] of Object.entries(book)) {
        const name = `ransomware-btc/${role}`;
        expect([btcAddress(name, 'p2wpkh'), btcAddress(name, 'p2pkh'), btcAddress(name, 'p2sh')]).toContain(
          addr,
        );
      }
      const kinds = new Set(Object.values(book).map((a) => a[0]));
      expect(kinds).toEqual(new Set(['b', '1', '3']));
      for (const [name, txid] of Object.entries(txs)) expect(txid).toBe(btcTxid(`ransomware-btc/tx/${name}`));
      for (const l of ds.labels) expect(Object.values(book)).toContain(l.address);
    });

    it('has the shapes the story needs (peel chain, Whirlpool-like CoinJoin, labels)', () => {
      const byId = new Map(ds.transactions.map((t) => [t.txid, t]));
      for (let i = 1; i <= 5; i++) {
        const peel = byId.get(txs[`peel-${i}`]!)!;
        expect([peel.inputs.length, peel.outputs.length]).toEqual([1, 2]);
      }
      const cj = byId.get(txs.coinjoin!)!;
      expect(new Set(cj.inputs.map((i) => i.value)).size).toBe(1);
      expect(cj.outputs.map((o) => o.value)).toEqual(Array(5).fill('5000000'));
      expect(cj.inputs[2]!.address).toBe(book['affiliate-premix']);
      const ransom = byId.get(txs['ransom-payment']!)!;
      expect(ransom.outputs[0]).toEqual({ address: book.ransom, value: '150000000' });
      const categories = Object.fromEntries(ds.labels.map((l) => [l.address, l.category]));
      expect(categories[book.ransom!]).toBe('ransomware');
      expect(categories[book['casino-deposit']!]).toBe('gambling');
      expect(new Set(ds.labels.filter((l) => l.category === 'exchange').map((l) => l.entity))).toEqual(
        new Set(['Northbank Exchange', 'Coinharbor']),
      );
    });

    for (const [key, model, hops] of [
      ['btc-haircut', 'haircut', 10],
      ['btc-fifo', 'fifo', 10],
      ['btc-haircut-hops3', 'haircut', 3],
      ['btc-fifo-hops3', 'fifo', 3],
    ] as const) {
      it(`matches the documented ${model} figures at --hops ${hops}`, () => {
        const seed = { txid: txs['ransom-payment']!, vout: 0 };
        const terms = traceUtxo(ds.transactions, ds.labels, seed, model, hops);
        expect(summarize(terms)).toEqual(expected[key]);
        expect(sumTerminals(terms)).toBe(150_000_000n);
      });
    }
  });

  describe('phishing-eth', () => {
    let ds: AccountDataset;
    let book: Record<string, string>;
    let txs: Record<string, string>;
    beforeAll(async () => {
      ds = await readJson<AccountDataset>('phishing-eth.json');
      book = await readJson('phishing-eth.addresses.json');
      txs = await readJson('phishing-eth.txs.json');
    });

    it('is a valid, chain-ordered account dataset where no balance goes negative', () => {
      expect(ds.format).toBe('fundtrace-dataset/1');
      expect(ds.chain).toBe('ethereum');
      const assets = new Set(['ETH', ...Object.keys(ds.assets)]);
      expect(accountProblems(ds.transfers, new Set([book.genesis!, ZERO_ADDRESS]), assets)).toEqual([]);
      const last = ds.transfers[ds.transfers.length - 1]!;
      expect(ds.head.height).toBeGreaterThan(last.height);
      const txCount = new Set(ds.transfers.map((t) => t.tx)).size;
      expect(txCount).toBe(Object.keys(txs).length);
      expect(txCount).toBeLessThanOrEqual(35);
    });

    it('derives every address and tx hash from its readable seed string', () => {
      for (const [role, addr] of Object.entries(book)) {
        if (role.startsWith('lookalike-')) continue;
        expect(addr).toBe(evmAddress(`phishing-eth/${role}`));
      }
      for (const [name, hash] of Object.entries(txs)) expect(hash).toBe(evmTxHash(`phishing-eth/tx/${name}`));
      expect(ds.assets.USDT).toEqual({ decimals: 6, contract: book['usdt-contract'] });
      expect(ds.assets['USDT-FAKE']).toEqual({ decimals: 6, contract: book['usdt-fake-contract'] });
    });

    it('contains the traps: look-alike, zero-value and fake-token transfers, internal and fee records', () => {
      const target = book['intermediary-1']!.toLowerCase();
      const look = book['lookalike-intermediary-1']!.toLowerCase();
      expect(look).not.toBe(target);
      expect(look.slice(0, 6)).toBe(target.slice(0, 6));
      expect(look.slice(-4)).toBe(target.slice(-4));
      const zero = ds.transfers.filter((t) => t.asset === 'USDT' && t.value === '0');
      expect(zero.length).toBe(2);
      expect(zero.some((t) => t.from === book['lookalike-intermediary-1'])).toBe(true);
      expect(ds.transfers.some((t) => t.asset === 'USDT-FAKE' && BigInt(t.value) >= 10n ** 12n)).toBe(true);
      expect(ds.transfers.filter((t) => t.kind === 'internal').length).toBeGreaterThanOrEqual(4);
      const feeSenders = new Set(ds.transfers.filter((t) => t.kind === 'fee').map((t) => t.from));
      for (const role of [
        'victim',
        'drainer',
        'intermediary-1',
        'intermediary-2',
        'intermediary-3',
        'intermediary-4',
      ]) {
        expect(feeSenders.has(book[role]!), role).toBe(true);
      }
      const drain = ds.transfers.filter((t) => t.tx === txs['drain-usdt']);
      expect(drain.map((t) => [t.index, t.asset, t.value])).toEqual([
        [0, 'USDT', '32000000000'],
        [1, 'USDT', '8000000000'],
        [2, 'ETH', '985834000000000'],
      ]);
    });

    for (const [key, asset, model, seed] of [
      ['usdt-haircut', 'USDT', 'haircut', 'drain-usdt'],
      ['usdt-fifo', 'USDT', 'fifo', 'drain-usdt'],
      ['eth-haircut', 'ETH', 'haircut', 'drain-eth'],
      ['eth-fifo', 'ETH', 'fifo', 'drain-eth'],
    ] as const) {
      it(`matches the documented ${asset} ${model} figures`, () => {
        const terms = traceAccount(ds.transfers, ds.labels, txs[seed]!, asset, model);
        expect(summarize(terms)).toEqual(expected[key]);
        expect(Math.max(...terms.map((t) => t.hop))).toBeLessThanOrEqual(3);
      });
    }
  });

  it('documents every seed and expected figure in samples/README.md', async () => {
    const readme = await readFile(join(SAMPLES, 'README.md'), 'utf8');
    const btcTxs = await readJson<Record<string, string>>('ransomware-btc.txs.json');
    const ethTxs = await readJson<Record<string, string>>('phishing-eth.txs.json');
    const btcBook = await readJson<Record<string, string>>('ransomware-btc.addresses.json');
    expect(readme).toContain(`${btcTxs['ransom-payment']}:0`);
    expect(readme).toContain(btcBook.ransom);
    expect(readme).toContain(ethTxs['drain-usdt']);
    expect(readme).toContain(ethTxs['drain-eth']);
    for (const [key, s] of Object.entries(expected)) {
      for (const v of [
        s.traced,
        s.mixer,
        s.held,
        s.fees,
        s.limit,
        ...Object.values(s.exits),
        ...Object.values(s.flagged),
      ]) {
        if (v !== '0') expect(readme, `${key}: ${v}`).toContain(`\`${v}\``);
      }
    }
  });
});

describe('reference semantics (taint-vectors.md)', () => {
  const tx = (txid: string, inputs: [string, number, string][], outputs: [string, string][]): RefTx => ({
    txid,
    inputs: inputs.map(([t, vout, value]) => ({ txid: t, vout, address: null, value })),
    outputs: outputs.map(([address, value]) => ({ address, value })),
  });

  it('V1 and V2 (UTXO haircut and fifo)', () => {
    expect(haircutShares([400n, 590n, 10n], 300n, 1000n)).toEqual([120n, 177n, 3n]);
    const txs = [
      tx('s', [], [['S', '500']]),
      tx('c', [], [['C', '700']]),
      tx(
        'a',
        [['s', 0, '500']],
        [
          ['P', '195'],
          ['Q', '300'],
        ],
      ),
      tx(
        'b',
        [
          ['a', 1, '300'],
          ['c', 0, '700'],
        ],
        [
          ['E', '600'],
          ['Q2', '390'],
        ],
      ),
    ];
    const labels = [{ address: 'E', entity: 'Ex', category: 'exchange' }];
    const hc = summarize(traceUtxo(txs, labels, { txid: 's', vout: 0 }, 'haircut'));
    expect([hc.exits.Ex, hc.held, hc.fees]).toEqual(['180', '312', '8']);
    const ff = summarize(traceUtxo(txs, labels, { txid: 's', vout: 0 }, 'fifo'));
    expect([ff.exits.Ex, ff.held, ff.fees]).toEqual(['300', '195', '5']);
  });

  it('V3 (account ledger)', () => {
    const E = 10n ** 18n;
    const t = (tx: string, from: string, to: string, eth: bigint): RefTransfer => ({
      tx,
      index: 0,
      from,
      to,
      asset: 'ETH',
      value: (eth * E).toString(),
      kind: 'native',
    });
    const transfers = [
      t('t1', 'X', 'Alice', 2n),
      t('t2', 'Thief', 'Alice', 3n),
      t('t3', 'Y', 'Alice', 5n),
      t('t4', 'Alice', 'Bob', 4n),
      t('t5', 'Alice', 'Carol', 6n),
    ];
    const held = (model: 'haircut' | 'fifo') =>
      Object.fromEntries(
        traceAccount(transfers, [], 't2', 'ETH', model)
          .filter((x) => x.kind === 'held')
          .map((x) => [x.address, x.value]),
      );
    expect(held('haircut')).toEqual({ Bob: (12n * E) / 10n, Carol: (18n * E) / 10n });
    expect(held('fifo')).toEqual({ Bob: 2n * E, Carol: 1n * E });
  });
});

/** transfers in the planted case of scripts/synthetic.ts (plantAccountCase) */
const PLANTED_TRANSFERS = 28;

describe('synthetic generator', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'fundtrace-synthetic-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  const lines = async (path: string) => (await readFile(path, 'utf8')).trimEnd().split('\n');

  it('writes the same account bytes for the same seed, and a valid dataset', async () => {
    const opts = { transfers: 4000, addresses: 500, seed: 7, labels: 20 };
    const a = await writeAccountSynthetic(join(tmp, 'a1.jsonl'), opts);
    const b = await writeAccountSynthetic(join(tmp, 'a2.jsonl'), opts);
    const c = await writeAccountSynthetic(join(tmp, 'a3.jsonl'), { ...opts, seed: 8 });
    const [ba, bb, bc] = await Promise.all(['a1', 'a2', 'a3'].map((n) => readFile(join(tmp, `${n}.jsonl`))));
    expect(ba!.equals(bb!)).toBe(true);
    expect(ba!.equals(bc!)).toBe(false);
    expect(a.busySeed).toBe(b.busySeed);
    // 4000 random transfers, plus the planted case's when the dataset is long enough to hold it
    expect(c.records - 4000).toBe(c.caseSeed ? PLANTED_TRANSFERS : 0);
    expect(a.bytes).toBe(ba!.length);

    const [headerLine, ...rest] = await lines(join(tmp, 'a1.jsonl'));
    const header = JSON.parse(headerLine!) as {
      format: string;
      chain: string;
      assets: object;
      description: string;
    };
    expect(header.format).toBe('fundtrace-dataset/1');
    expect(header.description).toContain(a.busySeed);
    const records = rest.map((l) => JSON.parse(l) as { type: string } & Transfer);
    const labels = records.filter((r) => r.type === 'label');
    const transfers = records.filter((r) => r.type === 'transfer');
    expect(a.caseSeed).not.toBeNull();
    expect(labels.length).toBe(20 + 1); // + the planted mixer
    expect(transfers.length).toBe(4000 + PLANTED_TRANSFERS);
    expect(records.findIndex((r) => r.type === 'transfer')).toBe(labels.length);
    const genesis = new Set(
      header.description.split('(send without receiving): ')[1]!.replace(/\.$/, '').split(' '),
    );
    expect(genesis.size).toBe(5);
    // the planted case's victim sends without receiving too, and says so
    const victim = a.caseAddresses[0]!;
    expect(header.description).toContain(`victim ${victim} (sends without receiving)`);
    expect(accountProblems(transfers, new Set([...genesis, victim]), new Set(['ETH', 'USDT']))).toEqual([]);
    expect(transfers.filter((t) => t.from === a.busySeed).length).toBe(a.busySeedOutgoing);
    expect(a.busySeedOutgoing).toBeGreaterThan(20);
  });

  it('plants the same case at any size: same records, same 3-hop trace, valid datasets', async () => {
    const sizes = [
      { transfers: 20_000, addresses: 4_000 },
      { transfers: 40_000, addresses: 8_000 },
    ];
    const runs = [];
    for (const [i, size] of sizes.entries()) {
      const path = join(tmp, `case${i}.jsonl`);
      const r = await writeAccountSynthetic(path, { ...size, seed: 1 });
      const all = await lines(path);
      const header = JSON.parse(all[0]!) as { description: string };
      const records = all.slice(1).map((l) => JSON.parse(l) as { type: string } & Transfer);
      const transfers = records.filter((t) => t.type === 'transfer');
      const genesis = header.description
        .split('(send without receiving): ')[1]!
        .replace(/\.$/, '')
        .split(' ');
      const planted = new Set(r.caseAddresses);
      const validate = await cli(['dataset', 'validate', path]);
      expect(validate.status, validate.stderr).toBe(0);
      const trace = await cli([
        'trace',
        r.caseSeed!,
        '--source',
        path,
        '--hops',
        '3',
        '--model',
        'haircut',
        '--format',
        'json',
      ]);
      expect(trace.status, trace.stderr).toBe(0);
      runs.push({
        r,
        // the pool's balances are untouched: every address still only sends what it holds
        problems: accountProblems(
          transfers,
          new Set([...genesis, r.caseAddresses[0]!]),
          new Set(['ETH', 'USDT']),
        ),
        plantedLines: all.filter((l) => {
          const t = JSON.parse(l) as { from?: string; to?: string; address?: string };
          return planted.has(t.from!) || planted.has(t.to!) || planted.has(t.address!);
        }),
        trace: trace.stdout.replaceAll(path, 'DATASET'),
        // the random pool's records do not move when the case is planted (own RNG stream)
        pool: transfers.filter((t) => !planted.has(t.from) && !planted.has(t.to!)).length,
      });
    }
    const [small, big] = runs;
    expect(small!.r.caseSeed).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(big!.r.caseSeed).toBe(small!.r.caseSeed);
    expect(big!.r.caseAddresses).toEqual(small!.r.caseAddresses);
    expect(small!.r.caseAddresses).not.toContain(small!.r.busySeed);
    expect(small!.problems).toEqual([]);
    expect(big!.problems).toEqual([]);
    // the mixer label + every planted transfer, byte for byte
    expect(small!.plantedLines.length).toBe(1 + PLANTED_TRANSFERS);
    expect(big!.plantedLines).toEqual(small!.plantedLines);
    expect(small!.pool).toBe(20_000);
    expect(big!.pool).toBe(40_000);
    expect(big!.trace).toBe(small!.trace);

    // What the plan says, worked out by hand: the seed's 120 ETH go to mules A 45, B 40, C 35.
    // Exits within 3 hops: A→Exchange 1 5, A1→Exchange 4 4, C1→Exchange 1 3; B→mixer 12; at rest
    // C 15, A 0.5, A1 0.5, B1 0.5, C1 0.1; cut at hop 3: A2 35, B2 27.5, C2 16.9.
    const doc = JSON.parse(small!.trace) as {
      summary: { traced: { display: string }; terminals: Record<string, { display: string }> };
      graph: { nodes: { attributes: { address: string; labels: { entity: string }[] } }[] };
    };
    expect(doc.summary.traced.display).toBe('120');
    const t = doc.summary.terminals;
    expect([t.exit!.display, t.flagged!.display, t.held!.display, t.cut!.display]).toEqual([
      '12',
      '12',
      '16.6',
      '79.4',
    ]);
    // Nothing from the random pool but the two hot wallets where the trace stops.
    const [, S, A, B, C, A1, A2, , B1, B2, C1, C2, , M] = small!.r.caseAddresses;
    const nodes = doc.graph.nodes.map((n) => n.attributes);
    const planted = nodes.filter((n) => small!.r.caseAddresses.includes(n.address)).map((n) => n.address);
    expect(planted.sort()).toEqual([S, A, B, C, A1, A2, B1, B2, C1, C2, M].sort());
    const others = nodes.filter((n) => !small!.r.caseAddresses.includes(n.address));
    expect(others.map((n) => n.labels[0]?.entity).sort()).toEqual([
      'Synthetic Exchange 1',
      'Synthetic Exchange 4',
    ]);
  });

  it('plants the same UTXO case at any size: same records, same 3-hop trace, valid datasets', async () => {
    const runs = [];
    for (const [i, size] of [
      { txs: 5_000, addresses: 1_000 },
      { txs: 10_000, addresses: 2_000 },
    ].entries()) {
      const path = join(tmp, `ucase${i}.jsonl`);
      const r = await writeUtxoSynthetic(path, { ...size, seed: 1 });
      const all = await lines(path);
      const planted = new Set(r.caseAddresses);
      const txs = all
        .slice(1)
        .map((l) => JSON.parse(l) as { type: string } & Tx)
        .filter((t) => t.type === 'transaction');
      const validate = await cli(['dataset', 'validate', path]);
      expect(validate.status, validate.stderr).toBe(0);
      const trace = await cli(['trace', r.caseSeed!, '--source', path, '--hops', '3', '--format', 'json']);
      expect(trace.status, trace.stderr).toBe(0);
      const touches = (t: Tx) =>
        [...t.inputs, ...t.outputs].some((x) => x.address !== null && planted.has(x.address));
      runs.push({
        r,
        problems: utxoProblems(txs),
        plantedLines: all.filter((l) => [...planted].some((a) => l.includes(`"${a}"`))),
        pool: txs.filter((t) => !touches(t)).length,
        trace: trace.stdout.replaceAll(path, 'DATASET'),
      });
    }
    const [small, big] = runs;
    expect(small!.r.caseSeed).toMatch(/^bc1q[02-9ac-hj-np-z]{38}$/);
    expect(big!.r.caseAddresses).toEqual(small!.r.caseAddresses);
    // the victim's coins come from outside the snapshot: the only input the data cannot resolve
    for (const run of runs) {
      expect(run.problems).toHaveLength(1);
      expect(run.problems[0]).toMatch(/^[0-9a-f]{64}: spends unknown [0-9a-f]{64}:0$/);
    }
    expect(small!.plantedLines.length).toBe(1 + 12); // the mixer label + 12 transactions
    expect(big!.plantedLines).toEqual(small!.plantedLines);
    expect(small!.pool).toBe(5_000);
    expect(big!.pool).toBe(10_000);
    expect(big!.trace).toBe(small!.trace);
    // By hand from the plan: 2 BTC to mules A 0.8, B 0.7, C 0.49985 (fee 0.00015). Exits A→Exchange 1
    // 0.1, A1→Exchange 4 0.05, C1→Exchange 1 0.03; B→mixer 0.3; at rest C's change 0.1999 and B2
    // 0.3998 (unspent, though at hop 3); cut at hop 3: A2 0.6498, C2 0.26975; fees 0.00015 + 6 × 0.0001.
    const t = (JSON.parse(small!.trace) as { summary: { terminals: Record<string, { display: string }> } })
      .summary.terminals;
    expect([t.exit, t.flagged, t.held, t.fee, t.cut].map((x) => x!.display)).toEqual([
      '0.18',
      '0.3',
      '0.5997',
      '0.00075',
      '0.91955',
    ]);
  });

  it('writes the same UTXO bytes for the same seed, and a valid dataset', async () => {
    const opts = { txs: 1500, addresses: 300, seed: 3, labels: 12 };
    await writeUtxoSynthetic(join(tmp, 'u1.jsonl'), opts);
    await writeUtxoSynthetic(join(tmp, 'u2.jsonl'), opts);
    const [b1, b2] = await Promise.all(['u1', 'u2'].map((n) => readFile(join(tmp, `${n}.jsonl`))));
    expect(b1!.equals(b2!)).toBe(true);
    const [headerLine, ...rest] = await lines(join(tmp, 'u1.jsonl'));
    expect(JSON.parse(headerLine!)).toMatchObject({ format: 'fundtrace-dataset/1', chain: 'bitcoin' });
    const records = rest.map((l) => JSON.parse(l) as { type: string } & Tx);
    const txs = records.filter((r) => r.type === 'transaction');
    expect(records.filter((r) => r.type === 'label').length).toBe(12);
    expect(txs.length).toBe(1500);
    expect(utxoProblems(txs)).toEqual([]);
    expect(txs.some((t) => t.inputs.length === 3)).toBe(true);
    expect(txs.some((t) => t.outputs.length === 3)).toBe(true);
  });
});
