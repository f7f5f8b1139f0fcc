// Writes the bundled, authored sample scenarios to samples/ (dataset-v1 JSON documents plus an
// address book and a transaction book per scenario). Every address and transaction id is derived
// deterministically from a readable seed string, so nothing here belongs to a real person, and
// re-running the script produces byte-identical files.
//
//   node bin/run-ts.js scripts/make-samples.ts [OUT_DIR]      (default: samples/)
//
// Derivations (documented in samples/README.md):
//   Bitcoin address  payments.p2wpkh|p2pkh|p2sh({ hash: sha256('fundtrace-sample:' + name)[0..20] })
//   EVM address      getAddress('0x' + keccak256(utf8('fundtrace-sample:' + name)).slice(-40))
//   Bitcoin txid     sha256('fundtrace-sample:' + name) as 64 lowercase hex
//   EVM tx hash      '0x' + sha256('fundtrace-sample:' + name) as 64 lowercase hex
//   TRON address     base58check(0x41 ‖ the 20 bytes of the EVM address above)  (same body, TRON form)
//   TRON txid        sha256('fundtrace-sample:' + name) as 64 lowercase hex (no 0x)
// where name is '<scenario>/<role>' for addresses and '<scenario>/tx/<tx name>' for transactions.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { payments } from 'bitcoinjs-lib';
import { getAddress, keccak256, parseUnits, toUtf8Bytes } from 'ethers';
import { evmToTron } from '../src/core/tron.js';

// ───────────────────────────── derivation helpers ─────────────────────────────

export const SEED_PREFIX = 'fundtrace-sample:';

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

export type BtcScript = 'p2wpkh' | 'p2pkh' | 'p2sh';

export function btcAddress(name: string, script: BtcScript = 'p2wpkh'): string {
  const hash = sha256(SEED_PREFIX + name).subarray(0, 20);
  const pay =
    script === 'p2wpkh'
      ? payments.p2wpkh({ hash })
      : script === 'p2pkh'
        ? payments.p2pkh({ hash })
        : payments.p2sh({ hash });
  if (!pay.address) throw new Error(`cannot derive ${script} address for ${name}`);
  return pay.address;
}

export function evmAddress(name: string): string {
  return getAddress('0x' + keccak256(toUtf8Bytes(SEED_PREFIX + name)).slice(-40));
}

/** An address sharing the first 4 and last 4 hex characters with `target` (address poisoning). */
export function lookalikeAddress(name: string, target: string): string {
  const hex = target.slice(2).toLowerCase();
  const middle = keccak256(toUtf8Bytes(SEED_PREFIX + name)).slice(2, 34);
  return getAddress('0x' + hex.slice(0, 4) + middle + hex.slice(-4));
}

/** The TRON address with the 20-byte body of evmAddress(name). */
export const tronAddress = (name: string): string => evmToTron(evmAddress(name));

export const btcTxid = (name: string): string => sha256(SEED_PREFIX + name).toString('hex');
export const tronTxid = (name: string): string => sha256(SEED_PREFIX + name).toString('hex');
export const evmTxHash = (name: string): string => '0x' + sha256(SEED_PREFIX + name).toString('hex');

/** ISO-8601 UTC without milliseconds. */
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

// ───────────────────────────── dataset JSON shapes ─────────────────────────────

export interface LabelJson {
  chain: string;
  address: string;
  entity: string;
  category: string;
  source: string;
  confidence: string;
  note?: string;
}

interface InputJson {
  txid: string;
  vout: number;
  address: string | null;
  value: string;
}
interface OutputJson {
  address: string | null;
  value: string;
}
interface TxJson {
  txid: string;
  height: number;
  position: number;
  time: string;
  inputs: InputJson[];
  outputs: OutputJson[];
}
interface TransferJson {
  tx: string;
  index: number;
  height: number;
  position: number;
  time: string;
  from: string;
  to: string | null;
  asset: string;
  value: string;
  kind: 'native' | 'internal' | 'token' | 'fee';
}

export interface SampleFiles {
  /** file name (relative to the samples directory) → exact file content */
  [file: string]: string;
}

const json = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';

function label(
  chain: string,
  address: string,
  entity: string,
  category: string,
  note?: string,
  confidence = 'high',
): LabelJson {
  const l: LabelJson = { chain, address, entity, category, source: 'bundled sample (fictional)', confidence };
  if (note !== undefined) l.note = note;
  return l;
}

// ───────────────────────────── UTXO scenario builder ─────────────────────────────

interface UtxoOutSpec {
  to: string | null;
  /** omitted for the single change output: change = inputs − other outputs − fee */
  value?: bigint;
}

class UtxoScenario {
  readonly book = new Map<string, string>();
  readonly txNames = new Map<string, string>();
  private readonly scripts = new Map<string, BtcScript>();
  private readonly outputs = new Map<
    string,
    { address: string | null; value: bigint; spent: boolean; height: number }
  >();
  private readonly coinbases = new Set<string>();
  readonly txs: TxJson[] = [];

  constructor(
    readonly scenario: string,
    private readonly baseHeight: number,
    private readonly baseTimeMs: number,
  ) {}

  timeAt(height: number): string {
    return iso(this.baseTimeMs + (height - this.baseHeight) * 600_000);
  }

  role(name: string, script: BtcScript = 'p2wpkh'): string {
    const known = this.scripts.get(name);
    if (known !== undefined && known !== script) throw new Error(`role ${name} declared twice`);
    this.scripts.set(name, script);
    let a = this.book.get(name);
    if (a === undefined) {
      a = btcAddress(`${this.scenario}/${name}`, script);
      this.book.set(name, a);
    }
    return a;
  }

  private addr(role: string | null): string | null {
    if (role === null) return null;
    const a = this.book.get(role);
    if (a === undefined) throw new Error(`unknown role ${role}`);
    return a;
  }

  txid(name: string): string {
    const t = this.txNames.get(name);
    if (t === undefined) throw new Error(`unknown tx ${name}`);
    return t;
  }

  /** Add a transaction. `inputs` name earlier outputs as [tx name, vout]. */
  tx(
    name: string,
    at: { height: number; position: number },
    inputs: Array<[string, number]>,
    outputs: UtxoOutSpec[],
    fee = 0n,
  ): string {
    if (this.txNames.has(name)) throw new Error(`duplicate tx ${name}`);
    const txid = btcTxid(`${this.scenario}/tx/${name}`);
    const ins: InputJson[] = [];
    let sumIn = 0n;
    for (const [src, vout] of inputs) {
      const srcId = this.txid(src);
      const key = `${srcId}:${vout}`;
      const out = this.outputs.get(key);
      if (!out) throw new Error(`${name}: input ${src}:${vout} does not exist`);
      if (out.spent) throw new Error(`${name}: input ${src}:${vout} already spent`);
      if (out.height > at.height) throw new Error(`${name}: input ${src}:${vout} is from a later block`);
      if (this.coinbases.has(srcId) && at.height - out.height < 100)
        throw new Error(`${name}: immature coinbase`);
      out.spent = true;
      sumIn += out.value;
      ins.push({ txid: srcId, vout, address: out.address, value: out.value.toString() });
    }
    const fixed = outputs.reduce((s, o) => s + (o.value ?? 0n), 0n);
    const changeCount = outputs.filter((o) => o.value === undefined).length;
    if (changeCount > 1 || (inputs.length === 0 && changeCount > 0))
      throw new Error(`${name}: bad change output`);
    const change = sumIn - fixed - fee;
    if (changeCount === 1 && change < 546n) throw new Error(`${name}: change below dust`);
    // With a change output the fee is exact by construction; without one it must add up.
    if (inputs.length > 0 && changeCount === 0 && sumIn - fixed !== fee) {
      throw new Error(`${name}: inputs − outputs = ${sumIn - fixed}, expected fee ${fee}`);
    }
    const outs: OutputJson[] = outputs.map((o, vout) => {
      const value = o.value ?? change;
      const address = this.addr(o.to);
      this.outputs.set(`${txid}:${vout}`, { address, value, spent: false, height: at.height });
      return { address, value: value.toString() };
    });
    if (inputs.length === 0) this.coinbases.add(txid);
    this.txNames.set(name, txid);
    this.txs.push({
      txid,
      height: at.height,
      position: at.position,
      time: this.timeAt(at.height),
      inputs: ins,
      outputs: outs,
    });
    return txid;
  }

  sorted(): TxJson[] {
    const txs = [...this.txs].sort((a, b) => a.height - b.height || a.position - b.position);
    const seen = new Set<string>();
    for (const t of txs) {
      for (const i of t.inputs) {
        if (!seen.has(i.txid))
          throw new Error(`tx ${t.txid} spends ${i.txid} before it appears in chain order`);
      }
      seen.add(t.txid);
    }
    return txs;
  }
}

// ───────────────────────────── account scenario builder ─────────────────────────────

interface TransferSpec {
  from: string;
  to: string;
  asset: string;
  value: bigint;
  kind: 'native' | 'internal' | 'token';
}

export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/**
 * Chain conventions of an account scenario. EVM: 12 s blocks, ETH fees, indices 0..n-1 in the order
 * given (fee last). TRON: 3 s blocks, TRX fees (the TRX burned for energy and bandwidth), txids
 * without 0x, and the index scheme of src/sources/evm/transfers.ts that TRON datasets document
 * (native 0, internal 1 000 000 + k, fee 2 000 000, token 3 000 000 + the event's index in the tx).
 */
interface AccountChain {
  blockMs: number;
  native: string;
  tron: boolean;
}
const EVM_CHAIN: AccountChain = { blockMs: 12_000, native: 'ETH', tron: false };
const TRON_CHAIN: AccountChain = { blockMs: 3_000, native: 'TRX', tron: true };

class AccountScenario {
  readonly book = new Map<string, string>();
  readonly txNames = new Map<string, string>();
  readonly transfers: TransferJson[] = [];
  private readonly slots = new Set<string>();

  constructor(
    readonly scenario: string,
    private readonly baseHeight: number,
    private readonly baseTimeMs: number,
    private readonly chain: AccountChain = EVM_CHAIN,
  ) {}

  timeAt(height: number): string {
    return iso(this.baseTimeMs + (height - this.baseHeight) * this.chain.blockMs);
  }

  role(name: string, address?: string): string {
    let a = this.book.get(name);
    if (a === undefined) {
      const seed = `${this.scenario}/${name}`;
      a = address ?? (this.chain.tron ? tronAddress(seed) : evmAddress(seed));
      this.book.set(name, a);
    }
    return a;
  }

  private addr(role: string): string {
    if (role === 'zero') return ZERO_ADDRESS;
    const a = this.book.get(role);
    if (a === undefined) throw new Error(`unknown role ${role}`);
    return a;
  }

  txHash(name: string): string {
    const t = this.txNames.get(name);
    if (t === undefined) throw new Error(`unknown tx ${name}`);
    return t;
  }

  /**
   * Add one transaction: its transfers get indices 0..n-1 in the order given; when `gas` is given,
   * a fee record (gasUsed × gasPrice wei, paid by `sender`) is appended with the last index.
   */
  tx(
    name: string,
    at: { height: number; position: number },
    transfers: TransferSpec[],
    gas?: { sender: string; used: bigint; priceWei: bigint },
  ): string {
    if (this.txNames.has(name)) throw new Error(`duplicate tx ${name}`);
    const slot = `${at.height}/${at.position}`;
    if (this.slots.has(slot)) throw new Error(`${name}: block slot ${slot} already used`);
    this.slots.add(slot);
    const tron = this.chain.tron;
    const tx = (tron ? tronTxid : evmTxHash)(`${this.scenario}/tx/${name}`);
    this.txNames.set(name, tx);
    const time = this.timeAt(at.height);
    let index = 0;
    let events = 0;
    let internals = 0;
    const nextIndex = (kind: TransferSpec['kind']) => {
      if (!tron) return index++;
      if (kind === 'token') return 3_000_000 + events++;
      if (kind === 'internal') return 1_000_000 + internals++;
      return 0;
    };
    for (const t of transfers) {
      this.transfers.push({
        tx,
        index: nextIndex(t.kind),
        height: at.height,
        position: at.position,
        time,
        from: this.addr(t.from),
        to: this.addr(t.to),
        asset: t.asset,
        value: t.value.toString(),
        kind: t.kind,
      });
    }
    if (gas) {
      this.transfers.push({
        tx,
        index: tron ? 2_000_000 : index++,
        height: at.height,
        position: at.position,
        time,
        from: this.addr(gas.sender),
        to: null,
        asset: this.chain.native,
        value: (gas.used * gas.priceWei).toString(),
        kind: 'fee',
      });
    }
    return tx;
  }

  /** Transfers in chain order; throws when any address other than the funding sources goes negative. */
  sorted(exempt: readonly string[]): TransferJson[] {
    const out = [...this.transfers].sort(
      (a, b) =>
        a.height - b.height ||
        a.position - b.position ||
        (a.tx < b.tx ? -1 : a.tx > b.tx ? 1 : 0) ||
        a.index - b.index,
    );
    const balances = new Map<string, bigint>();
    const skip = new Set(exempt.map((r) => this.addr(r)));
    for (const t of out) {
      const v = BigInt(t.value);
      if (t.to !== null) balances.set(`${t.to}/${t.asset}`, (balances.get(`${t.to}/${t.asset}`) ?? 0n) + v);
      const key = `${t.from}/${t.asset}`;
      const left = (balances.get(key) ?? 0n) - v;
      if (left < 0n && !skip.has(t.from))
        throw new Error(`${t.tx}#${t.index}: ${t.from} would go negative in ${t.asset}`);
      balances.set(key, left);
    }
    return out;
  }
}

const ETH = (x: string): bigint => parseUnits(x, 18);
const USDT = (x: string): bigint => parseUnits(x, 6);
const GWEI = (x: string): bigint => parseUnits(x, 9);

const mapToObject = (m: Map<string, string>): Record<string, string> => Object.fromEntries(m);

// ───────────────────────────── scenario A: ransomware on Bitcoin ─────────────────────────────

export function ransomwareBtc(): SampleFiles {
  const S = new UtxoScenario('ransomware-btc', 830_000, Date.UTC(2024, 1, 16, 0, 0, 0));
  // Roles (the address book). Script types vary like they do on chain.
  const r = (name: string, script: BtcScript = 'p2wpkh') => S.role(name, script);
  r('mining-pool');
  r('northbank-hot');
  r('coinharbor-hot', 'p2sh');
  r('northbank-customer');
  r('coinharbor-customer', 'p2pkh');
  r('victim', 'p2pkh');
  r('victim-change', 'p2pkh');
  r('ransom');
  r('affiliate');
  r('operator');
  for (let i = 1; i <= 5; i++) r(`operator-change-${i}`);
  r('northbank-deposit-1');
  r('northbank-deposit-2');
  r('coinharbor-deposit-1', 'p2sh');
  r('coinharbor-deposit-2', 'p2sh');
  r('casino-deposit', 'p2sh');
  r('affiliate-clean');
  r('affiliate-premix');
  r('affiliate-change');
  r('hosting-processor');
  for (let i = 1; i <= 4; i++) {
    r(`whirlpool-user-${i}`);
    r(`whirlpool-user-${i}-premix`);
    r(`whirlpool-user-${i}-change`);
  }
  for (let i = 1; i <= 5; i++) r(`postmix-${i}`);

  const at = (height: number, position: number) => ({ height, position });
  const o = (to: string | null, value?: bigint): UtxoOutSpec =>
    value === undefined ? { to } : { to, value };

  // Clean money enters through two coinbases (mined before the story starts) and a pool payout.
  S.tx('coinbase-1', at(829_500, 0), [], [o('mining-pool', 638_271_905n), o(null, 0n)]);
  S.tx('coinbase-2', at(829_620, 0), [], [o('mining-pool', 629_154_388n), o(null, 0n)]);
  S.tx(
    'pool-payout',
    at(829_730, 1402),
    [
      ['coinbase-1', 0],
      ['coinbase-2', 0],
    ],
    [
      o('northbank-hot', 500_000_000n),
      o('coinharbor-hot', 400_000_000n),
      o('whirlpool-user-1', 80_000_000n),
      o('whirlpool-user-2', 75_000_000n),
      o('whirlpool-user-3', 90_000_000n),
      o('whirlpool-user-4', 60_000_000n),
      o('mining-pool'),
    ],
    6_480n,
  );
  // Exchange withdrawals (batched): the victim buys bitcoin on Northbank; the affiliate's
  // unrelated clean coins come from Coinharbor.
  S.tx(
    'northbank-withdrawal',
    at(830_010, 233),
    [['pool-payout', 0]],
    [o('victim', 152_000_000n), o('northbank-customer', 25_000_000n), o('northbank-hot')],
    5_640n,
  );
  S.tx(
    'coinharbor-withdrawal',
    at(830_040, 88),
    [['pool-payout', 1]],
    [o('affiliate-clean', 18_734_500n), o('coinharbor-customer', 40_000_000n), o('coinharbor-hot')],
    4_960n,
  );
  // The ransom payment: 1.5 BTC to the one-time DarkLock payment address.  ← seed: ransom-payment:0
  S.tx(
    'ransom-payment',
    at(830_052, 1117),
    [['northbank-withdrawal', 0]],
    [o('ransom', 150_000_000n), o('victim-change')],
    7_500n,
  );
  // The operator splits the ransom: 20 % affiliate cut, the rest to the operator.
  S.tx(
    'split',
    at(830_061, 402),
    [['ransom-payment', 0]],
    [o('affiliate', 30_000_000n), o('operator')],
    3_820n,
  );
  // The affiliate merges the cut with clean coins: a Whirlpool premix, a hosting bill, change.
  S.tx(
    'affiliate-merge',
    at(830_070, 2204),
    [
      ['split', 0],
      ['coinharbor-withdrawal', 0],
    ],
    [o('affiliate-premix', 5_000_200n), o('hosting-processor', 1_250_000n), o('affiliate-change')],
    4_270n,
  );
  // Operator share down a peel chain (one input, two outputs each).
  S.tx(
    'peel-1',
    at(830_075, 950),
    [['split', 1]],
    [o('northbank-deposit-1', 14_250_000n), o('operator-change-1')],
    2_960n,
  );
  // Four unrelated Whirlpool users prepare premix outputs (tx0-like).
  const tx0Fees = [2_820n, 3_102n, 2_538n, 2_961n];
  const tx0Heights = [830_076, 830_079, 830_081, 830_083];
  for (let i = 1; i <= 4; i++) {
    S.tx(
      `tx0-user-${i}`,
      at(tx0Heights[i - 1]!, 300 + i * 111),
      [['pool-payout', 1 + i]],
      [o(`whirlpool-user-${i}-premix`, 5_000_200n), o(`whirlpool-user-${i}-change`)],
      tx0Fees[i - 1]!,
    );
  }
  // The CoinJoin: 5 equal inputs, 5 equal outputs of 0.05 BTC, fee 1 000 sat (affiliate is input 2).
  S.tx(
    'coinjoin',
    at(830_088, 745),
    [
      ['tx0-user-1', 0],
      ['tx0-user-2', 0],
      ['affiliate-merge', 0],
      ['tx0-user-3', 0],
      ['tx0-user-4', 0],
    ],
    [1, 2, 3, 4, 5].map((i) => o(`postmix-${i}`, 5_000_000n)),
    1_000n,
  );
  S.tx(
    'peel-2',
    at(830_090, 311),
    [['peel-1', 1]],
    [o('operator-change-2'), o('coinharbor-deposit-1', 21_800_000n)],
    3_105n,
  );
  S.tx(
    'peel-3',
    at(830_104, 1876),
    [['peel-2', 0]],
    [o('casino-deposit', 4_500_000n), o('operator-change-3')],
    2_818n,
  );
  S.tx(
    'peel-4',
    at(830_131, 57),
    [['peel-3', 1]],
    [o('operator-change-4'), o('northbank-deposit-2', 17_600_000n)],
    3_384n,
  );
  S.tx(
    'peel-5',
    at(830_157, 640),
    [['peel-4', 0]],
    [o('coinharbor-deposit-2', 12_340_000n), o('operator-change-5')],
    2_537n,
  );
  // Coinharbor sweeps both deposits into its hot wallet (after the trace's exit: not followed).
  S.tx(
    'coinharbor-sweep',
    at(830_170, 1290),
    [
      ['peel-2', 1],
      ['peel-5', 0],
    ],
    [o('coinharbor-hot')],
    3_900n,
  );

  const chain = 'bitcoin';
  const b = S.book;
  const a = (role: string) => b.get(role)!;
  const labels: LabelJson[] = [
    label(chain, a('ransom'), 'DarkLock ransomware', 'ransomware', 'ransom payment address (one per victim)'),
    label(chain, a('northbank-hot'), 'Northbank Exchange', 'exchange', 'hot wallet'),
    label(chain, a('northbank-deposit-1'), 'Northbank Exchange', 'exchange', 'deposit address'),
    label(chain, a('northbank-deposit-2'), 'Northbank Exchange', 'exchange', 'deposit address'),
    label(chain, a('coinharbor-hot'), 'Coinharbor', 'exchange', 'hot wallet'),
    label(chain, a('coinharbor-deposit-1'), 'Coinharbor', 'exchange', 'deposit address'),
    label(chain, a('coinharbor-deposit-2'), 'Coinharbor', 'exchange', 'deposit address'),
    label(chain, a('casino-deposit'), 'Lucky Satoshi Casino', 'gambling', 'deposit address'),
    label(chain, a('hosting-processor'), 'Nimbuspay', 'payment_processor', 'hosting-bill payment address'),
  ];
  const head = { height: 830_200, time: S.timeAt(830_200) };
  const dataset = {
    format: 'fundtrace-dataset/1',
    chain,
    name: 'ransomware-btc',
    description:
      'Fictional DarkLock ransomware case: a victim pays 1.5 BTC, the operator splits off a 20 % affiliate cut, ' +
      'peels the rest to two exchanges and a casino; the affiliate merges its cut with clean coins and mixes part ' +
      'in a Whirlpool-shaped CoinJoin. Seed: the ransom payment outpoint. All addresses are derived from seed ' +
      'strings (see samples/README.md) and belong to no one.',
    head,
    transactions: S.sorted(),
    transfers: [],
    labels,
  };
  return {
    'ransomware-btc.json': json(dataset),
    'ransomware-btc.addresses.json': json(mapToObject(S.book)),
    'ransomware-btc.txs.json': json(mapToObject(S.txNames)),
  };
}

// ───────────────────────────── scenario B: phishing drain on Ethereum ─────────────────────────────

export function phishingEth(): SampleFiles {
  const S = new AccountScenario('phishing-eth', 19_800_000, Date.UTC(2024, 4, 4, 0, 0, 11));
  for (const name of [
    'genesis',
    'northbank-hot',
    'northbank-deposit',
    'coinharbor-hot',
    'coinharbor-deposit',
    'mixer-pool',
    'mixer-user',
    'relayer',
    'victim',
    'drainer',
    'kit-splitter',
    'kit-operator',
    'intermediary-1',
    'intermediary-2',
    'intermediary-3',
    'intermediary-4',
    'withdrawer-1',
    'withdrawer-2',
    'usdt-contract',
    'usdt-fake-contract',
  ]) {
    S.role(name);
  }
  S.role(
    'lookalike-intermediary-1',
    lookalikeAddress('phishing-eth/lookalike-intermediary-1', S.book.get('intermediary-1')!),
  );

  const at = (height: number, position: number) => ({ height, position });
  const eth = (from: string, to: string, value: bigint): TransferSpec => ({
    from,
    to,
    asset: 'ETH',
    value,
    kind: 'native',
  });
  const internal = (from: string, to: string, value: bigint): TransferSpec => ({
    from,
    to,
    asset: 'ETH',
    value,
    kind: 'internal',
  });
  const usdt = (from: string, to: string, value: bigint): TransferSpec => ({
    from,
    to,
    asset: 'USDT',
    value,
    kind: 'token',
  });
  const gas = (sender: string, used: bigint, price: string) => ({ sender, used, priceWei: GWEI(price) });

  // Synthetic funding of the two exchanges (the only source allowed to send without receiving).
  S.tx('genesis-northbank', at(19_795_000, 0), [
    eth('genesis', 'northbank-hot', ETH('4000')),
    usdt('genesis', 'northbank-hot', USDT('3000000')),
  ]);
  S.tx('genesis-coinharbor', at(19_795_000, 1), [
    eth('genesis', 'coinharbor-hot', ETH('2500')),
    usdt('genesis', 'coinharbor-hot', USDT('1500000')),
  ]);
  // Another user's mixer deposits (the pool holds other people's money).
  S.tx('mixer-user-withdrawal', at(19_796_400, 37), [eth('coinharbor-hot', 'mixer-user', ETH('2.5'))]);
  S.tx('mixer-user-deposit-1', at(19_796_410, 12), [eth('mixer-user', 'mixer-pool', ETH('1'))]);
  S.tx('mixer-user-deposit-2', at(19_796_411, 88), [eth('mixer-user', 'mixer-pool', ETH('1'))]);
  // The drainer funds its gas from the pool through a relayer.
  S.tx('mixer-withdrawal-drainer', at(19_797_900, 140), [
    internal('mixer-pool', 'drainer', ETH('0.995')),
    internal('mixer-pool', 'relayer', ETH('0.005')),
  ]);
  // The victim buys ETH and USDT on Northbank.
  S.tx('victim-eth-withdrawal', at(19_799_000, 201), [eth('northbank-hot', 'victim', ETH('15'))]);
  S.tx('victim-usdt-withdrawal', at(19_799_030, 96), [usdt('northbank-hot', 'victim', USDT('40000'))]);
  // Intermediary 2 has an unrelated life: clean gas money and clean USDT from Coinharbor.
  S.tx('intermediary-2-gas', at(19_799_500, 30), [eth('coinharbor-hot', 'intermediary-2', ETH('0.2'))]);
  S.tx('intermediary-2-clean-usdt-1', at(19_799_502, 31), [
    usdt('coinharbor-hot', 'intermediary-2', USDT('4870.25')),
  ]);
  // The phishing site: a malicious approval (only gas moves), then the drains.
  S.tx('victim-approval', at(19_800_000, 77), [], gas('victim', 46_109n, '6.83'));
  S.tx(
    'drain-eth',
    at(19_800_004, 133),
    [eth('victim', 'drainer', ETH('12'))],
    gas('victim', 21_000n, '7.104'),
  );
  S.tx(
    'drain-usdt',
    at(19_800_006, 15),
    [usdt('victim', 'drainer', USDT('32000')), usdt('victim', 'kit-operator', USDT('8000'))],
    gas('drainer', 103_772n, '9.5'),
  );
  // The kit's 20 % share of the ETH, forwarded by the kit's splitter contract (internal transfer).
  S.tx(
    'kit-fee-eth',
    at(19_800_007, 44),
    [eth('drainer', 'kit-splitter', ETH('2.4')), internal('kit-splitter', 'kit-operator', ETH('2.4'))],
    gas('drainer', 35_419n, '8.2'),
  );
  // Fan-out to four intermediaries.
  S.tx(
    'fanout-usdt-1',
    at(19_800_011, 9),
    [usdt('drainer', 'intermediary-1', USDT('12000'))],
    gas('drainer', 63_197n, '7.9'),
  );
  S.tx(
    'fanout-usdt-2',
    at(19_800_011, 10),
    [usdt('drainer', 'intermediary-2', USDT('10000'))],
    gas('drainer', 46_097n, '7.9'),
  );
  S.tx(
    'fanout-usdt-3',
    at(19_800_012, 3),
    [usdt('drainer', 'intermediary-3', USDT('10000'))],
    gas('drainer', 63_209n, '7.75'),
  );
  S.tx(
    'fanout-gas-1',
    at(19_800_013, 51),
    [eth('drainer', 'intermediary-1', ETH('0.05'))],
    gas('drainer', 21_000n, '7.6'),
  );
  S.tx(
    'fanout-eth-3',
    at(19_800_015, 22),
    [eth('drainer', 'intermediary-3', ETH('4'))],
    gas('drainer', 21_000n, '7.45'),
  );
  S.tx(
    'fanout-eth-4',
    at(19_800_015, 23),
    [eth('drainer', 'intermediary-4', ETH('5'))],
    gas('drainer', 21_000n, '7.45'),
  );
  // Address poisoning aimed at the drainer: zero-value USDT transfers involving a look-alike of
  // intermediary-1, and a huge "USDT" airdrop from a fake token contract.
  S.tx('poison-zero-usdt', at(19_800_020, 180), [
    usdt('lookalike-intermediary-1', 'drainer', 0n),
    usdt('drainer', 'lookalike-intermediary-1', 0n),
  ]);
  S.tx('poison-fake-usdt', at(19_800_021, 181), [
    {
      from: 'zero',
      to: 'lookalike-intermediary-1',
      asset: 'USDT-FAKE',
      value: USDT('1000000'),
      kind: 'token',
    },
    {
      from: 'lookalike-intermediary-1',
      to: 'drainer',
      asset: 'USDT-FAKE',
      value: USDT('1000000'),
      kind: 'token',
    },
  ]);
  // Intermediaries move on.
  S.tx(
    'intermediary-1-deposit',
    at(19_800_040, 71),
    [usdt('intermediary-1', 'northbank-deposit', USDT('12000'))],
    gas('intermediary-1', 63_197n, '8.05'),
  );
  S.tx(
    'intermediary-2-deposit-1',
    at(19_800_050, 8),
    [usdt('intermediary-2', 'northbank-deposit', USDT('6000'))],
    gas('intermediary-2', 46_109n, '7.2'),
  );
  S.tx(
    'mixer-deposit-1',
    at(19_800_060, 2),
    [eth('intermediary-3', 'mixer-pool', ETH('1'))],
    gas('intermediary-3', 982_512n, '6.6'),
  );
  S.tx(
    'mixer-deposit-2',
    at(19_800_061, 140),
    [eth('intermediary-3', 'mixer-pool', ETH('1'))],
    gas('intermediary-3', 951_360n, '6.6'),
  );
  S.tx('intermediary-2-clean-usdt-2', at(19_800_070, 19), [
    usdt('coinharbor-hot', 'intermediary-2', USDT('3115.5')),
  ]);
  S.tx(
    'intermediary-4-deposit',
    at(19_800_080, 31),
    [eth('intermediary-4', 'coinharbor-deposit', ETH('4.6'))],
    gas('intermediary-4', 23_192n, '6.9'),
  );
  // Coinharbor's deposit contract forwards the ETH to the hot wallet.
  S.tx('coinharbor-forward', at(19_800_090, 4), [
    internal('coinharbor-deposit', 'coinharbor-hot', ETH('4.6')),
  ]);
  S.tx(
    'intermediary-2-deposit-2',
    at(19_800_120, 66),
    [usdt('intermediary-2', 'northbank-deposit', USDT('9500'))],
    gas('intermediary-2', 46_109n, '7.35'),
  );
  // Northbank sweeps the deposit address into its hot wallet.
  S.tx('northbank-sweep', at(19_800_130, 12), [usdt('northbank-deposit', 'northbank-hot', USDT('27500'))]);
  // Later withdrawals from the mixing pool (other users; carry no taint).
  S.tx('mixer-withdrawal-1', at(19_800_300, 77), [
    internal('mixer-pool', 'withdrawer-1', ETH('0.995')),
    internal('mixer-pool', 'relayer', ETH('0.005')),
  ]);
  S.tx('mixer-withdrawal-2', at(19_800_420, 210), [
    internal('mixer-pool', 'withdrawer-2', ETH('0.995')),
    internal('mixer-pool', 'relayer', ETH('0.005')),
  ]);

  const chain = 'ethereum';
  const a = (role: string) => S.book.get(role)!;
  const labels: LabelJson[] = [
    label(chain, a('northbank-hot'), 'Northbank Exchange', 'exchange', 'hot wallet'),
    label(chain, a('northbank-deposit'), 'Northbank Exchange', 'exchange', 'deposit address'),
    label(chain, a('coinharbor-hot'), 'Coinharbor', 'exchange', 'hot wallet'),
    label(chain, a('coinharbor-deposit'), 'Coinharbor', 'exchange', 'deposit address'),
    label(chain, a('mixer-pool'), 'Tornado-like pool', 'mixer', '1 ETH pool'),
    label(chain, a('kit-operator'), 'AngelDrainer kit', 'scam', 'drainer-kit operator fee address'),
  ];
  const head = { height: 19_800_500, time: S.timeAt(19_800_500) };
  const dataset = {
    format: 'fundtrace-dataset/1',
    chain,
    name: 'phishing-eth',
    description:
      'Fictional wallet-drainer case: a victim signs a malicious approval and loses 40 000 USDT and 12 ETH; ' +
      'the drainer pays the kit its 20 %, fans out to four intermediaries; USDT reaches a Northbank deposit ' +
      'address, ETH partly a mixing pool and a Coinharbor deposit; 10 000 USDT stay at rest. Seeds: the drain ' +
      'transactions. Includes internal transfers, fee records, zero-value poisoning transfers and a fake USDT. ' +
      'All addresses are derived from seed strings (see samples/README.md) and belong to no one.',
    head,
    assets: {
      USDT: { decimals: 6, contract: a('usdt-contract') },
      'USDT-FAKE': { decimals: 6, contract: a('usdt-fake-contract') },
    },
    transactions: [],
    transfers: S.sorted(['genesis', 'zero']),
    labels,
  };
  return {
    'phishing-eth.json': json(dataset),
    'phishing-eth.addresses.json': json(mapToObject(S.book)),
    'phishing-eth.txs.json': json(mapToObject(S.txNames)),
  };
}

// ───────────────────────────── scenario C: investment-club scam on TRON ─────────────────────────────

/** TRC-20 USDT's real contract (a public fact: ../shared/data/api-fixtures-tron/PROVENANCE.md). */
export const TRON_USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

export function tronScam(): SampleFiles {
  // 2024-05-02 00:00:00 UTC, near TRON block 61 580 000; blocks every 3 s.
  const S = new AccountScenario('tron-scam', 61_580_000, Date.UTC(2024, 4, 2, 0, 0, 0), TRON_CHAIN);
  const VICTIMS: [string, bigint, 'savanna' | 'baobab', string][] = [
    // victim, USDT paid, exchange they bought it on, collection wallet they paid
    ['victim-01', USDT('250'), 'savanna', 'collection-1'],
    ['victim-02', USDT('500'), 'baobab', 'collection-1'],
    ['victim-03', USDT('1200'), 'savanna', 'collection-1'],
    ['victim-04', USDT('800'), 'savanna', 'collection-1'],
    ['victim-05', USDT('3000'), 'baobab', 'collection-1'],
    ['victim-06', USDT('150'), 'savanna', 'collection-2'],
    ['victim-07', USDT('2000'), 'savanna', 'collection-2'],
    ['victim-08', USDT('650'), 'baobab', 'collection-2'],
    ['victim-09', USDT('5000'), 'savanna', 'collection-2'],
    ['victim-10', USDT('400'), 'baobab', 'collection-3'],
    ['victim-11', USDT('1000'), 'savanna', 'collection-3'],
    ['victim-12', USDT('2500'), 'savanna', 'collection-3'],
  ];
  for (const name of [
    'genesis',
    'savanna-hot',
    'savanna-deposit',
    'baobab-hot',
    'baobab-deposit',
    'mzizi-otc',
    ...VICTIMS.map((v) => v[0]),
    'collection-1',
    'collection-2',
    'collection-3',
    'gas-funder',
    'consolidator',
    'layer-1',
    'layer-2',
    'layer-3',
    'usdt-fake-contract',
  ]) {
    S.role(name);
  }

  const at = (height: number, position: number) => ({ height, position });
  const trx = (from: string, to: string, value: bigint): TransferSpec => ({
    from,
    to,
    asset: 'TRX',
    value,
    kind: 'native',
  });
  const usdt = (from: string, to: string, value: bigint): TransferSpec => ({
    from,
    to,
    asset: 'USDT',
    value,
    kind: 'token',
  });
  // TRX burned for a TRC-20 transfer: energy at 210 sun plus 345 bytes of bandwidth at 1 000 sun;
  // 64 285 energy to an address that already holds USDT, 130 285 to one that does not. Exchanges
  // pay with staked energy (nothing burned, no fee record).
  const burn = (sender: string, energy: bigint) => ({ sender, used: 1n, priceWei: energy * 210n + 345_000n });
  const OLD = 64_285n;
  const NEW = 130_285n;
  const TRX = (x: string): bigint => parseUnits(x, 6);

  // Synthetic funding of the two exchanges (the only source allowed to send without receiving).
  S.tx('genesis-savanna', at(61_570_000, 0), [usdt('genesis', 'savanna-hot', USDT('2000000'))]);
  S.tx('genesis-savanna-trx', at(61_570_000, 1), [trx('genesis', 'savanna-hot', TRX('5000000'))]);
  S.tx('genesis-baobab', at(61_570_000, 2), [usdt('genesis', 'baobab-hot', USDT('1500000'))]);
  S.tx('genesis-baobab-trx', at(61_570_000, 3), [trx('genesis', 'baobab-hot', TRX('3000000'))]);

  // The victims buy USDT (and a little TRX for fees) on their exchange, then "invest" in the club
  // by paying one of its collection wallets. Heights spread over 2024-05-02 and 05-03.
  let h = 61_580_100;
  VICTIMS.forEach(([victim, amount, exchange, collection], i) => {
    const hot = `${exchange}-hot`;
    S.tx(`${victim}-buys-trx`, at(h, 10), [trx(hot, victim, TRX('60'))]);
    S.tx(`${victim}-buys-usdt`, at(h, 11), [usdt(hot, victim, amount)]);
    const first = VICTIMS.findIndex((v) => v[3] === collection) === i;
    S.tx(
      `${victim}-pays`,
      at(h + 1_200 + i * 37, 5 + i),
      [usdt(victim, collection, amount)],
      burn(victim, first ? NEW : OLD),
    );
    h += 2_400;
  });

  // The club's operator funds its wallets with TRX for fees from a Baobab withdrawal.
  S.tx('gas-funder-buys-trx', at(61_585_000, 40), [trx('baobab-hot', 'gas-funder', TRX('2000'))]);
  ['collection-1', 'collection-2', 'collection-3', 'consolidator', 'layer-1', 'layer-2', 'layer-3'].forEach(
    (w, i) => {
      S.tx(`gas-${w}`, at(61_585_020 + i, 3), [trx('gas-funder', w, TRX('150'))], burn('gas-funder', 0n));
    },
  );

  // Consolidation (2024-05-03 early morning): collection wallets 1 and 2 are emptied, wallet 3 only in
  // part (900 USDT stay there).
  S.tx(
    'consolidate-1',
    at(61_610_000, 17),
    [usdt('collection-1', 'consolidator', USDT('5750'))],
    burn('collection-1', NEW),
  );
  S.tx(
    'consolidate-2',
    at(61_610_004, 9),
    [usdt('collection-2', 'consolidator', USDT('7800'))],
    burn('collection-2', OLD),
  );
  S.tx(
    'consolidate-3',
    at(61_610_011, 30),
    [usdt('collection-3', 'consolidator', USDT('3000'))],
    burn('collection-3', OLD),
  );
  // A fake "USDT" (another TRC-20 contract calling itself USDT) airdropped to the consolidator:
  // another asset, never followed as USDT.
  S.tx('fake-usdt-airdrop', at(61_610_020, 2), [
    {
      from: 'usdt-fake-contract',
      to: 'consolidator',
      asset: 'USDT-FAKE',
      value: USDT('1000000'),
      kind: 'token',
    },
  ]);
  // Layering. The first attempt runs out of energy: a failed transaction moves nothing but burns
  // its fee.
  S.tx('layer-1-failed', at(61_612_000, 4), [], burn('consolidator', 40_000n));
  S.tx(
    'layer-1',
    at(61_612_010, 6),
    [usdt('consolidator', 'layer-1', USDT('9000'))],
    burn('consolidator', NEW),
  );
  // layer-2 is a money mule's wallet that already held 1 450 USDT of its own from Baobab.
  S.tx('layer-2-own-usdt', at(61_600_000, 12), [usdt('baobab-hot', 'layer-2', USDT('1450'))]);
  S.tx(
    'layer-2',
    at(61_612_030, 8),
    [usdt('consolidator', 'layer-2', USDT('7550'))],
    burn('consolidator', OLD),
  );
  // Cash-out (2024-05-03 afternoon): the OTC desk, a Savanna deposit address (unlabelled: recognised by the
  // exchange's sweep), a labelled Baobab deposit address; layer-3 is frozen by Tether on arrival.
  S.tx('otc', at(61_630_000, 21), [usdt('layer-1', 'mzizi-otc', USDT('5000'))], burn('layer-1', NEW));
  S.tx('layer-3', at(61_630_050, 3), [usdt('layer-1', 'layer-3', USDT('4000'))], burn('layer-1', NEW));
  S.tx(
    'savanna-deposit',
    at(61_631_000, 14),
    [usdt('layer-2', 'savanna-deposit', USDT('3500'))],
    burn('layer-2', NEW),
  );
  S.tx(
    'baobab-deposit',
    at(61_631_200, 19),
    [usdt('layer-2', 'baobab-deposit', USDT('2050'))],
    burn('layer-2', NEW),
  );
  // Savanna tops the deposit address up with TRX, then sweeps it to its hot wallet.
  S.tx('savanna-topup', at(61_631_400, 2), [trx('savanna-hot', 'savanna-deposit', TRX('30'))]);
  S.tx(
    'savanna-sweep',
    at(61_631_420, 7),
    [usdt('savanna-deposit', 'savanna-hot', USDT('3500'))],
    burn('savanna-deposit', OLD),
  );
  S.tx('baobab-sweep', at(61_631_600, 1), [usdt('baobab-deposit', 'baobab-hot', USDT('2050'))]);
  // After the freeze, layer-3 tries to move the USDT on: the contract refuses (a failed
  // transaction: only its fee is burned).
  S.tx('layer-3-refused', at(61_640_000, 11), [], burn('layer-3', 29_650n));

  const chain = 'tron';
  const a = (role: string) => S.book.get(role)!;
  const labels: LabelJson[] = [
    label(chain, a('savanna-hot'), 'Savanna Exchange', 'exchange', 'hot wallet'),
    label(chain, a('baobab-hot'), 'Baobab Exchange', 'exchange', 'hot wallet'),
    label(chain, a('baobab-deposit'), 'Baobab Exchange', 'exchange', 'deposit address'),
    label(chain, a('mzizi-otc'), 'Mzizi OTC Desk', 'exchange', 'OTC desk settlement wallet'),
    label(
      chain,
      a('layer-3'),
      'Tether',
      'frozen_by_issuer',
      'USDT frozen by the issuer (blacklisted on 2024-05-03)',
    ),
  ];
  const head = { height: 61_650_000, time: S.timeAt(61_650_000) };
  const dataset = {
    format: 'fundtrace-dataset/1',
    chain,
    name: 'tron-scam',
    description:
      'Fictional "Kilele Wealth Club" investment scam on TRON: 12 victims pay 17 450 USDT (TRC-20) into three ' +
      'collection wallets; 16 550 USDT are consolidated and layered through a money mule; 5 000 go to an OTC ' +
      'desk, 3 500 to a Savanna Exchange deposit address, 2 050 to a Baobab Exchange deposit address, 4 000 are ' +
      'frozen by Tether; the rest is at rest. Seed: the consolidation wallet. TRX fees are burned as fee ' +
      'records; two failed transactions only pay their fee; a fake "USDT" is airdropped. All addresses are ' +
      'derived from seed strings (see samples/README.md) and belong to no one.',
    head,
    assets: {
      USDT: { decimals: 6, contract: TRON_USDT },
      'USDT-FAKE': { decimals: 6, contract: a('usdt-fake-contract') },
    },
    transactions: [],
    transfers: S.sorted(['genesis', 'usdt-fake-contract']),
    labels,
  };
  return {
    'tron-scam.json': json(dataset),
    'tron-scam.addresses.json': json(mapToObject(S.book)),
    'tron-scam.txs.json': json(mapToObject(S.txNames)),
  };
}

export function allSamples(): SampleFiles {
  return { ...ransomwareBtc(), ...phishingEth(), ...tronScam() };
}

/** Write every generated sample file into `dir`; returns the file names written. */
export async function writeSamples(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = allSamples();
  const names = Object.keys(files).sort();
  for (const name of names) await writeFile(join(dir, name), files[name]!, 'utf8');
  return names;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  const dir = resolve(process.argv[2] ?? 'samples');
  const names = await writeSamples(dir);
  for (const n of names) process.stderr.write(`wrote ${join(dir, n)}\n`);
}
