// Deterministic synthetic datasets (dataset-v1, JSON Lines) for benchmarks and scale tests.
// Same options + same seed → byte-identical files. No Math.random: a seeded mulberry32 PRNG.
//
//   node bin/run-ts.js scripts/synthetic.ts account OUT.jsonl [--transfers 1000000] [--addresses 200000] [--seed 1]
//   node bin/run-ts.js scripts/synthetic.ts utxo OUT.jsonl [--txs 250000] [--addresses 100000] [--seed 1]
//
// The account set is ETH (plus a synthetic USDT token) moving between `addresses` accounts picked
// from a heavy-tailed distribution (a few busy hubs); a handful of "genesis" addresses fund
// accounts (they and the planted case's victim are the only addresses that send without having
// received: treat them as the issuance source); every other address only ever sends what it holds. The UTXO set is a
// coinbase-fed graph of 1–3-input / 1–3-output transactions over a pool of P2WPKH addresses.
// Both write the header line first, then labels, then records in chain order, streaming to disk
// with backpressure. Both also embed a small planted laundering case (plantAccountCase,
// plantUtxoCase) from an RNG stream of its own: byte-identical at any size (given ~25 blocks of
// account data or ~126 of UTXO data), its seed returned as `caseSeed` and named in the header.
import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync, type WriteStream, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { address as btcAddressCodec, crypto as btcCrypto } from 'bitcoinjs-lib';
import { keccak256 } from 'ethers';

// ───────────────────────────── PRNG ─────────────────────────────

/** mulberry32: a tiny, fast 32-bit PRNG; returns uint32 values. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number, stream: number) {
    // Derive independent streams from (seed, stream) by scrambling through the generator once.
    const mix = mulberry32((seed * 0x9e3779b1) ^ (stream * 0x85ebca6b));
    this.next = mulberry32(mix() ^ mix());
  }
  u32(): number {
    return this.next();
  }
  /** uniform float in [0, 1) */
  float(): number {
    return this.next() / 4294967296;
  }
  /** uniform integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
  /**
   * u^power for a uniform u, by repeated multiplication (exactly specified by IEEE 754, unlike
   * Math.pow, so the output cannot drift between engines).
   */
  pow(power: number): number {
    const u = this.float();
    let x = 1;
    for (let i = 0; i < power; i++) x *= u;
    return x;
  }
  /** heavy-tailed index in [0, n): P(index < k) = (k/n)^(1/power); small indices are hubs */
  skewed(n: number, power: number): number {
    return Math.min(n - 1, Math.floor(n * this.pow(power)));
  }
  private readonly hexBuf = Buffer.alloc(32);
  /** `chars` lowercase hex characters (chars ≤ 64, even) */
  hex(chars: number): string {
    const words = Math.ceil(chars / 8);
    for (let i = 0; i < words; i++) this.hexBuf.writeUInt32BE(this.next(), i * 4);
    return this.hexBuf.toString('hex', 0, chars / 2);
  }
}

// ───────────────────────────── helpers ─────────────────────────────

const encoder = new TextEncoder();

/** EIP-55 checksum of 40 lowercase hex characters. */
export function checksumAddress(lowerHex40: string): string {
  const hash = keccak256(encoder.encode(lowerHex40));
  const out = Buffer.from('0x' + lowerHex40, 'latin1');
  for (let i = 0; i < 40; i++) {
    const c = out[i + 2]!;
    // a-f (0x61-0x66) become upper case when the hash nibble is ≥ 8
    if (c >= 0x61 && parseInt(hash[i + 2]!, 16) >= 8) out[i + 2] = c - 0x20;
  }
  return out.toString('latin1');
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Line writer encoding into large ASCII chunks; awaits 'drain' when the stream pushes back. */
class LineWriter {
  private static readonly CHUNK = 4 << 20;
  private buf = Buffer.allocUnsafe(LineWriter.CHUNK);
  private off = 0;
  bytes = 0;
  lines = 0;
  private readonly stream: WriteStream;
  constructor(path: string) {
    this.stream = createWriteStream(path);
  }
  /** Queue one line (ASCII only); resolves at once unless a chunk had to be written. */
  line(s: string): Promise<void> | undefined {
    this.lines++;
    if (this.off + s.length + 1 > this.buf.length) {
      const pending = this.flush();
      if (s.length + 1 > this.buf.length) this.buf = Buffer.allocUnsafe(s.length + 1);
      this.append(s);
      return pending;
    }
    this.append(s);
    return undefined;
  }
  private append(s: string): void {
    this.off += this.buf.write(s, this.off, 'latin1');
    this.buf[this.off++] = 0x0a;
  }
  flush(): Promise<void> | undefined {
    if (this.off === 0) return undefined;
    const chunk = this.buf.subarray(0, this.off);
    this.buf = Buffer.allocUnsafe(LineWriter.CHUNK);
    this.off = 0;
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) return once(this.stream, 'drain').then(() => undefined);
    return undefined;
  }
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

export interface SyntheticResult {
  path: string;
  /** transfers or transactions written */
  records: number;
  labels: number;
  bytes: number;
  ms: number;
  /** a busy, unlabelled address with many outgoing movements: a good seed for a 3-hop trace */
  busySeed: string;
  busySeedOutgoing: number;
  /**
   * The seed of the planted case (see `plantAccountCase`): the same addresses, amounts and tx
   * hashes whatever the size, so a trace from it visits the same addresses on 1M and 10M records;
   * null when the dataset is too short to hold it.
   */
  caseSeed: string | null;
  /** Every address of the planted case (victim, seed, mules, peels, mixer), in plan order. */
  caseAddresses: string[];
  head: { height: number; time: string };
}

// ───────────────────────────── planted case (account) ─────────────────────────────

/** One planted transfer: in block `block` (index from the first block), after the random ones. */
interface PlantedTransfer {
  block: number;
  tx: string;
  from: string;
  to: string;
  asset: 'ETH' | 'USDT';
  value: bigint;
}

export interface PlantedCase {
  seed: string;
  victim: string;
  mixer: string;
  addresses: string[];
  transfers: PlantedTransfer[];
  /** the highest block index used: the dataset needs a later block so sizes cannot shift it */
  lastBlock: number;
}

/** Decimal string → base units (no float on the way). */
function units(whole: string, decimals: number): bigint {
  const [i, f = ''] = whole.split('.');
  return BigInt(i! + f.padEnd(decimals, '0'));
}

/**
 * A small laundering scenario embedded in the random account data. Its records depend only on
 * `seed` and the pool's first hot wallets (indices 0, 3, 6: their addresses are the first values of
 * the address stream, whatever the pool size), drawn from an RNG stream of their own, so the random
 * pool's records do not move and the case is byte-identical at any size: a trace from the case seed
 * measures the store, not the graph's reach. A victim (it sends without receiving, like the genesis
 * addresses) pays the case seed ETH and USDT; the seed splits to 3 mules; they peel through fresh
 * addresses to the exchanges, a planted mixer, and some funds stay at rest. Chains run 4 hops deep,
 * so a 3-hop trace is cut at its edge.
 */
export function plantAccountCase(seed: number, exchanges: readonly [string, string, string]): PlantedCase {
  const rng = new Rng(seed, 21);
  const fresh = () => checksumAddress(rng.hex(40));
  const [V, S, A, B, C, A1, A2, A3, B1, B2, C1, C2, C3, M] = Array.from({ length: 14 }, fresh) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const [X1, X4, X7] = exchanges;
  // [block, from, to, asset, amount in whole units]
  const plan: [number, string, string, 'ETH' | 'USDT', string][] = [
    [4, V, S, 'ETH', '120'],
    [5, V, S, 'USDT', '250000'],
    [7, S, A, 'ETH', '45'],
    [7, S, B, 'ETH', '40'],
    [7, S, C, 'ETH', '35'],
    [8, S, A, 'USDT', '100000'],
    [8, S, B, 'USDT', '90000'],
    [8, S, C, 'USDT', '60000'],
    [10, A, X1, 'ETH', '5'],
    [10, A, A1, 'ETH', '39.5'], // A keeps 0.5 ETH
    [10, A, X4, 'USDT', '100000'],
    [11, B, M, 'ETH', '12'],
    [11, B, B1, 'ETH', '28'],
    [12, C, C1, 'ETH', '20'], // C keeps 15 ETH at rest
    [12, B, B1, 'USDT', '89500'], // B keeps 500 USDT
    [13, A1, X4, 'ETH', '4'],
    [13, A1, A2, 'ETH', '35'],
    [13, C, M, 'USDT', '60000'],
    [14, B1, B2, 'ETH', '27.5'], // B2 keeps it at rest
    [15, C1, X1, 'ETH', '3'],
    [15, C1, C2, 'ETH', '16.9'],
    [15, B1, X7, 'USDT', '40000'],
    [15, B1, B2, 'USDT', '49500'],
    [16, A2, A3, 'ETH', '34.9'], // hop 4
    [17, B2, X1, 'USDT', '49500'],
    [18, C2, C3, 'ETH', '16.8'],
    [19, A3, X7, 'ETH', '34.9'],
    [21, C3, X4, 'ETH', '16.8'],
  ];
  const held = new Map<string, bigint>();
  const transfers = plan.map(([block, from, to, asset, whole]) => {
    const value = units(whole, asset === 'ETH' ? 18 : 6);
    const left = (held.get(`${from}/${asset}`) ?? 0n) - value;
    // A slip in the plan would make a court-style figure impossible: refuse it here.
    if (left < 0n && from !== V)
      throw new Error(`planted case: ${from} would send more ${asset} than it holds`);
    held.set(`${from}/${asset}`, left);
    held.set(`${to}/${asset}`, (held.get(`${to}/${asset}`) ?? 0n) + value);
    return { block, tx: `0x${rng.hex(64)}`, from, to, asset, value };
  });
  return {
    seed: S,
    victim: V,
    mixer: M,
    addresses: [V, S, A, B, C, A1, A2, A3, B1, B2, C1, C2, C3, M],
    transfers,
    lastBlock: Math.max(...plan.map((p) => p[0])),
  };
}

// ───────────────────────────── account chain ─────────────────────────────

export interface AccountOptions {
  transfers?: number;
  addresses?: number;
  seed?: number;
  /** share of transfers that are USDT token transfers (default 0.12) */
  tokenShare?: number;
  labels?: number;
}

const GWEI_SUFFIX = '000000000';

export async function writeAccountSynthetic(
  path: string,
  opts: AccountOptions = {},
): Promise<SyntheticResult> {
  const started = performance.now();
  const total = opts.transfers ?? 1_000_000;
  const n = opts.addresses ?? 200_000;
  const seed = opts.seed ?? 1;
  const tokenShare = opts.tokenShare ?? 0.12;
  const labelCount = Math.min(opts.labels ?? 300, Math.floor(n / 4));
  if (n < 16) throw new Error('need at least 16 addresses');

  // Addresses: 20 random bytes each, EIP-55 checksummed lazily (most get used anyway).
  const addrRng = new Rng(seed, 1);
  const lower: string[] = new Array(n);
  for (let i = 0; i < n; i++) lower[i] = addrRng.hex(40);
  const cache: (string | undefined)[] = new Array(n);
  const addr = (i: number): string => {
    let a = cache[i];
    if (a === undefined) {
      a = checksumAddress(lower[i]!);
      cache[i] = a;
    }
    return a;
  };
  const GENESIS = 5;
  const genesis = Array.from({ length: GENESIS }, () => checksumAddress(addrRng.hex(40)));
  const usdtContract = checksumAddress(addrRng.hex(40));

  // Labels: a third of the 300 busiest indices are exchanges, a few mixers, the rest spread out.
  const labelRng = new Rng(seed, 2);
  const labelled = new Map<number, { entity: string; category: string; note: string }>();
  for (let i = 0; i < Math.min(300, n) && labelled.size < labelCount; i += 3) {
    labelled.set(i, {
      entity: `Synthetic Exchange ${1 + (i % 40)}`,
      category: 'exchange',
      note: 'hot wallet',
    });
  }
  while (labelled.size < labelCount) {
    const i = labelRng.int(300, n - 1);
    if (labelled.has(i)) continue;
    const r = labelRng.float();
    labelled.set(
      i,
      r < 0.1
        ? { entity: `Synthetic Mixer ${1 + (i % 5)}`, category: 'mixer', note: 'pool' }
        : { entity: `Synthetic Exchange ${1 + (i % 40)}`, category: 'exchange', note: 'deposit address' },
    );
  }
  let busy = 1;
  while (labelled.has(busy)) busy++;

  // Block layout is fixed up front so the header can name the head.
  const blockRng = new Rng(seed, 3);
  const blockSizes: number[] = [];
  for (let left = total; left > 0; ) {
    const k = Math.min(left, blockRng.int(60, 240));
    blockSizes.push(k);
    left -= k;
  }
  const startHeight = 18_000_000;
  const startMs = Date.UTC(2023, 7, 26, 0, 0, 11);
  const headHeight = startHeight + blockSizes.length + 9;
  const head = { height: headHeight, time: iso(startMs + (headHeight - startHeight) * 12_000) };

  // The planted case needs the three hot wallets labelled and a block after its last one (the
  // last block is cut to fit `transfers`, so its size, and the positions after it, vary).
  const planted = [0, 3, 6].every((i) => labelled.get(i)?.note === 'hot wallet')
    ? plantAccountCase(seed, [addr(0), addr(3), addr(6)])
    : undefined;
  const plantedCase = planted && planted.lastBlock < blockSizes.length - 1 ? planted : undefined;
  const plantedByBlock = new Map<number, PlantedTransfer[]>();
  if (plantedCase) {
    // 160-bit random addresses do not collide, but a silent overlap would merge the case into
    // the pool's balances: check (one pass, cheap next to writing the file).
    const mine = new Set(plantedCase.addresses.map((a) => a.toLowerCase().slice(2)));
    const clash =
      lower.find((a) => mine.has(a)) ??
      [...genesis, usdtContract].find((a) => mine.has(a.toLowerCase().slice(2)));
    if (clash) throw new Error(`planted case address ${clash} is also in the random pool`);
    for (const t of plantedCase.transfers) {
      const list = plantedByBlock.get(t.block) ?? [];
      list.push(t);
      plantedByBlock.set(t.block, list);
    }
  }
  const caseText = plantedCase
    ? `Planted case (identical at any size, seed ${seed}): victim ${plantedCase.victim} (sends without ` +
      `receiving) pays the case seed ${plantedCase.seed} 120 ETH and 250000 USDT at heights ` +
      `${startHeight + 4}-${startHeight + 5}; it splits to 3 mules that peel through fresh addresses ` +
      `to the hot wallets of Synthetic Exchanges 1, 4 and 7, a planted mixer ${plantedCase.mixer}, ` +
      `and addresses where funds stay at rest (last move at height ${startHeight + plantedCase.lastBlock}). `
    : '';

  const w = new LineWriter(path);
  await w.line(
    JSON.stringify({
      format: 'fundtrace-dataset/1',
      chain: 'ethereum',
      assets: { USDT: { decimals: 6, contract: usdtContract } },
      head,
      name: `synthetic-account-${total}-${n}-seed${seed}`,
      description:
        `Synthetic ETH/USDT transfers (deterministic, seed ${seed}). Busy seed: ${addr(busy)}. ` +
        caseText +
        `Genesis funding addresses (send without receiving): ${genesis.join(' ')}.`,
    }),
  );
  for (const [i, l] of [...labelled].sort((a, b) => a[0] - b[0])) {
    await w.line(
      `{"type":"label","chain":"ethereum","address":"${addr(i)}","entity":"${l.entity}","category":"${l.category}","source":"synthetic","confidence":"high","note":"${l.note}"}`,
    );
  }
  if (plantedCase)
    await w.line(
      `{"type":"label","chain":"ethereum","address":"${plantedCase.mixer}","entity":"Synthetic Mixer (planted case)","category":"mixer","source":"synthetic","confidence":"high","note":"pool"}`,
    );

  // Balances in gwei (ETH) and micro-USDT, as doubles holding exact integers (< 2^53).
  const eth = new Float64Array(n);
  const usd = new Float64Array(n);
  const rng = new Rng(seed, 4);
  let busyOut = 0;
  let written = 0;
  for (let b = 0; b < blockSizes.length; b++) {
    const height = startHeight + b;
    const time = iso(startMs + b * 12_000);
    const k = blockSizes[b]!;
    for (let position = 0; position < k; position++) {
      const token = rng.float() < tokenShare;
      const bal = token ? usd : eth;
      // Sender: heavy-tailed most of the time, otherwise any address.
      const from = rng.float() < 0.75 ? rng.skewed(n, 3) : rng.int(0, n - 1);
      let to = rng.float() < 0.6 ? rng.skewed(n, 3) : rng.int(0, n - 1);
      if (to === from) to = (to + 1 + rng.int(0, n - 2)) % n;
      const tx = `0x${rng.hex(64)}`;
      let fromAddr: string;
      let toAddr: string;
      let value: number;
      if (bal[from]! < 1000) {
        // Not enough to send: a genesis address funds it instead (heavy-tailed amounts).
        const g = genesis[rng.int(0, GENESIS - 1)]!;
        value = token
          ? Math.floor(1e6 * (10 + 1e5 * rng.pow(4)))
          : Math.floor(1e9 * (0.05 + 50 * rng.pow(4)));
        bal[from]! += value;
        fromAddr = g;
        toAddr = addr(from);
      } else {
        value = Math.max(1, Math.floor(bal[from]! * rng.pow(2) * 0.9));
        bal[from]! -= value;
        bal[to]! += value;
        if (bal[to]! > Number.MAX_SAFE_INTEGER) throw new Error('synthetic balance overflow');
        fromAddr = addr(from);
        toAddr = addr(to);
        if (from === busy) busyOut++;
      }
      const line = token
        ? `{"type":"transfer","tx":"${tx}","index":0,"height":${height},"position":${position},"time":"${time}","from":"${fromAddr}","to":"${toAddr}","asset":"USDT","value":"${value}","kind":"token"}`
        : `{"type":"transfer","tx":"${tx}","index":0,"height":${height},"position":${position},"time":"${time}","from":"${fromAddr}","to":"${toAddr}","asset":"ETH","value":"${value}${GWEI_SUFFIX}","kind":"native"}`;
      const pending = w.line(line);
      if (pending) await pending;
      written++;
    }
    // Planted transfers close their block, one transaction each, after the random positions.
    let position = k;
    for (const t of plantedByBlock.get(b) ?? []) {
      const kind = t.asset === 'ETH' ? 'native' : 'token';
      await w.line(
        `{"type":"transfer","tx":"${t.tx}","index":0,"height":${height},"position":${position++},"time":"${time}","from":"${t.from}","to":"${t.to}","asset":"${t.asset}","value":"${t.value}","kind":"${kind}"}`,
      );
      written++;
    }
  }
  await w.close();
  const bytes = (await stat(path)).size;
  return {
    path,
    records: written,
    labels: labelled.size + (plantedCase ? 1 : 0),
    bytes,
    ms: Math.round(performance.now() - started),
    busySeed: addr(busy),
    busySeedOutgoing: busyOut,
    caseSeed: plantedCase?.seed ?? null,
    caseAddresses: plantedCase?.addresses ?? [],
    head,
  };
}

// ───────────────────────────── UTXO chain ─────────────────────────────

export interface UtxoOptions {
  txs?: number;
  addresses?: number;
  seed?: number;
  labels?: number;
}

// ───────────────────────────── planted case (UTXO) ─────────────────────────────

interface PlantedTx {
  block: number;
  txid: string;
  inputs: { txid: string; vout: number; address: string; value: number }[];
  outputs: { address: string; value: number }[];
}

export interface PlantedUtxoCase {
  seed: string;
  victim: string;
  mixer: string;
  addresses: string[];
  txs: PlantedTx[];
  lastBlock: number;
}

/**
 * The UTXO counterpart of `plantAccountCase`, from its own RNG stream and the pool's hot wallets 0,
 * 3 and 6 (fixed addresses at any size): a victim, funded from outside the snapshot (an input whose
 * transaction the data lacks, as a real export's edge), pays 2 BTC to the case seed, which splits
 * to 3 mules that peel to the exchanges, a planted mixer and addresses at rest; 4 hops deep. Each
 * transaction pays a 0.0001–0.00015 BTC fee that its block's miner does not claim (a coinbase may
 * claim less than it could), so the random pool's coinbases, and everything after them, stay as they were.
 */
export function plantUtxoCase(seed: number, exchanges: readonly [string, string, string]): PlantedUtxoCase {
  const rng = new Rng(seed, 22);
  const bytes = Buffer.alloc(32);
  const fresh = () => {
    for (let i = 0; i < 8; i++) bytes.writeUInt32BE(rng.u32(), i * 4);
    return btcAddressCodec.toBech32(btcCrypto.hash160(bytes), 0, 'bc');
  };
  const [V, Vc, S, A, B, C, A1, A2, A3, B1, B2, C1, C2, C3, M] = Array.from({ length: 15 }, fresh) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const [X1, X4, X7] = exchanges;
  const outside = rng.hex(64);
  // [block, spends (planted tx index, vout; -1 = the victim's coins from outside), outputs]
  const plan: [number, [number, number][], [string, number][]][] = [
    [
      104,
      [[-1, 0]],
      [
        [S, 200_000_000],
        [Vc, 49_990_000],
      ],
    ],
    [
      106,
      [[0, 0]],
      [
        [A, 80_000_000],
        [B, 70_000_000],
        [C, 49_985_000],
      ],
    ],
    [
      109,
      [[1, 0]],
      [
        [X1, 10_000_000],
        [A1, 69_990_000],
      ],
    ],
    [
      110,
      [[1, 1]],
      [
        [M, 30_000_000],
        [B1, 39_990_000],
      ],
    ],
    [
      111,
      [[1, 2]],
      [
        [C1, 29_985_000],
        [C, 19_990_000],
      ],
    ], // C keeps its change at rest
    [
      113,
      [[2, 1]],
      [
        [X4, 5_000_000],
        [A2, 64_980_000],
      ],
    ],
    [114, [[3, 1]], [[B2, 39_980_000]]], // B2 keeps it at rest
    [
      116,
      [[4, 0]],
      [
        [X1, 3_000_000],
        [C2, 26_975_000],
      ],
    ],
    [118, [[5, 1]], [[A3, 64_970_000]]], // hop 4
    [120, [[7, 1]], [[C3, 26_965_000]]],
    [122, [[8, 0]], [[X7, 64_960_000]]],
    [124, [[9, 0]], [[X4, 26_955_000]]],
  ];
  const txs: PlantedTx[] = [];
  const spent = new Set<string>();
  for (const [block, spends, outs] of plan) {
    const inputs = spends.map(([t, vout]) => {
      if (t < 0) return { txid: outside, vout, address: V, value: 250_000_000 };
      const from = txs[t]!;
      const o = from.outputs[vout]!;
      // A slip in the plan (double spend, spending forward) must not reach a dataset.
      if (spent.has(`${t}:${vout}`) || from.block >= block)
        throw new Error(`planted case: bad spend ${t}:${vout}`);
      spent.add(`${t}:${vout}`);
      return { txid: from.txid, vout, address: o.address, value: o.value };
    });
    const outputs = outs.map(([address, value]) => ({ address, value }));
    const fee = inputs.reduce((a, i) => a + i.value, 0) - outputs.reduce((a, o) => a + o.value, 0);
    if (fee < 0 || fee > 20_000) throw new Error(`planted case: fee ${fee} in block ${block}`);
    txs.push({ block, txid: rng.hex(64), inputs, outputs });
  }
  return {
    seed: S,
    victim: V,
    mixer: M,
    addresses: [V, Vc, S, A, B, C, A1, A2, A3, B1, B2, C1, C2, C3, M],
    txs,
    lastBlock: Math.max(...plan.map((p) => p[0])),
  };
}

const SUBSIDY = 312_500_000; // 3.125 BTC
const MATURITY = 100;
const DUST = 546;

export async function writeUtxoSynthetic(path: string, opts: UtxoOptions = {}): Promise<SyntheticResult> {
  const started = performance.now();
  const total = opts.txs ?? 250_000;
  const n = opts.addresses ?? 100_000;
  const seed = opts.seed ?? 1;
  const labelCount = Math.min(opts.labels ?? 300, Math.floor(n / 4));
  if (n < 16) throw new Error('need at least 16 addresses');

  // Address pool: P2WPKH of hash160(seed ‖ counter), encoded on first use and cached
  // (~5 µs each with bitcoinjs; 100 000 addresses ≈ 0.5 s).
  const cache: (string | undefined)[] = new Array(n);
  const counter = Buffer.alloc(8);
  counter.writeUInt32BE(seed >>> 0, 0);
  const addr = (i: number): string => {
    let a = cache[i];
    if (a === undefined) {
      counter.writeUInt32BE(i, 4);
      a = btcAddressCodec.toBech32(btcCrypto.hash160(counter), 0, 'bc');
      cache[i] = a;
    }
    return a;
  };

  const labelRng = new Rng(seed, 12);
  const labelled = new Map<number, { entity: string; category: string; note: string }>();
  for (let i = 0; i < Math.min(300, n) && labelled.size < labelCount; i += 3) {
    labelled.set(i, {
      entity: `Synthetic Exchange ${1 + (i % 40)}`,
      category: 'exchange',
      note: 'hot wallet',
    });
  }
  while (labelled.size < labelCount) {
    const i = labelRng.int(300, n - 1);
    if (labelled.has(i)) continue;
    labelled.set(
      i,
      labelRng.float() < 0.1
        ? { entity: `Synthetic Mixer ${1 + (i % 5)}`, category: 'mixer', note: 'pool' }
        : { entity: `Synthetic Exchange ${1 + (i % 40)}`, category: 'exchange', note: 'deposit address' },
    );
  }
  let busy = 1;
  while (labelled.has(busy)) busy++;

  // Block layout up front: MATURITY+1 coinbase-only blocks, then blocks of 40–160 transactions.
  const blockRng = new Rng(seed, 13);
  const blockSizes: number[] = [];
  for (let left = total; left > 0; ) {
    const k = blockSizes.length <= MATURITY ? 1 : Math.min(left, blockRng.int(40, 160));
    blockSizes.push(k);
    left -= k;
  }
  const startHeight = 840_000;
  const startMs = Date.UTC(2024, 3, 20, 0, 9, 27);
  const headHeight = startHeight + blockSizes.length + 5;
  const head = { height: headHeight, time: iso(startMs + (headHeight - startHeight) * 600_000) };

  // The planted case, as on the account chain: hot wallets labelled, a block after its last one.
  const planted = [0, 3, 6].every((i) => labelled.get(i)?.note === 'hot wallet')
    ? plantUtxoCase(seed, [addr(0), addr(3), addr(6)])
    : undefined;
  const plantedCase = planted && planted.lastBlock < blockSizes.length - 1 ? planted : undefined;
  const plantedByBlock = new Map<number, PlantedTx[]>();
  for (const t of plantedCase?.txs ?? [])
    plantedByBlock.set(t.block, [...(plantedByBlock.get(t.block) ?? []), t]);
  const caseText = plantedCase
    ? ` Planted case (identical at any size, seed ${seed}): victim ${plantedCase.victim} (funded from ` +
      `outside the data) pays the case seed ${plantedCase.seed} 2 BTC at height ${startHeight + 104}; it ` +
      `splits to 3 mules that peel through fresh addresses to the hot wallets of Synthetic Exchanges 1, 4 ` +
      `and 7, a planted mixer ${plantedCase.mixer}, and addresses where funds stay at rest (last move at ` +
      `height ${startHeight + plantedCase.lastBlock}); its fees are left unclaimed by the miners.`
    : '';

  const w = new LineWriter(path);
  await w.line(
    JSON.stringify({
      format: 'fundtrace-dataset/1',
      chain: 'bitcoin',
      head,
      name: `synthetic-utxo-${total}-${n}-seed${seed}`,
      description: `Synthetic coinbase-fed UTXO graph (deterministic, seed ${seed}). Busy seed: ${addr(busy)}.${caseText}`,
    }),
  );
  for (const [i, l] of [...labelled].sort((a, b) => a[0] - b[0])) {
    await w.line(
      `{"type":"label","chain":"bitcoin","address":"${addr(i)}","entity":"${l.entity}","category":"${l.category}","source":"synthetic","confidence":"high","note":"${l.note}"}`,
    );
  }
  if (plantedCase)
    await w.line(
      `{"type":"label","chain":"bitcoin","address":"${plantedCase.mixer}","entity":"Synthetic Mixer (planted case)","category":"mixer","source":"synthetic","confidence":"high","note":"pool"}`,
    );

  // Unspent pool (struct of arrays; swap-remove on spend) and coinbases waiting to mature.
  let poolTxid: string[] = [];
  let poolVout: number[] = [];
  let poolAddr: number[] = [];
  let poolValue: number[] = [];
  const addUnspent = (txid: string, vout: number, a: number, v: number) => {
    poolTxid.push(txid);
    poolVout.push(vout);
    poolAddr.push(a);
    poolValue.push(v);
  };
  const maturing: { height: number; txid: string; addr: number; value: number }[] = [];
  const rng = new Rng(seed, 14);
  let written = 0;
  let busyOut = 0;

  for (let b = 0; b < blockSizes.length; b++) {
    const height = startHeight + b;
    const time = iso(startMs + b * 600_000);
    while (maturing.length > 0 && maturing[0]!.height + MATURITY <= height) {
      const m = maturing.shift()!;
      addUnspent(m.txid, 0, m.addr, m.value);
    }
    const lines: string[] = [];
    let fees = 0;
    const k = blockSizes[b]! - 1;
    for (let position = 1; position <= k && poolValue.length > 0; position++) {
      const nIn = Math.min(poolValue.length, 1 + Math.floor(rng.pow(2) * 3));
      const ins: string[] = [];
      let sum = 0;
      for (let j = 0; j < nIn; j++) {
        const pick = rng.int(0, poolValue.length - 1);
        const last = poolValue.length - 1;
        const a = poolAddr[pick]!;
        if (a === busy) busyOut++;
        sum += poolValue[pick]!;
        ins.push(
          `{"txid":"${poolTxid[pick]}","vout":${poolVout[pick]},"address":"${addr(a)}","value":"${poolValue[pick]}"}`,
        );
        poolTxid[pick] = poolTxid[last]!;
        poolVout[pick] = poolVout[last]!;
        poolAddr[pick] = poolAddr[last]!;
        poolValue[pick] = poolValue[last]!;
        poolTxid.pop();
        poolVout.pop();
        poolAddr.pop();
        poolValue.pop();
      }
      let nOut = rng.int(1, 3);
      let fee = Math.round((11 + 68 * nIn + 31 * nOut) * (1 + rng.pow(2) * 60));
      if (sum - fee < DUST * nOut) nOut = 1;
      if (sum - fee < DUST) fee = Math.max(0, sum - DUST);
      const spend = sum - fee;
      const txid = rng.hex(64);
      const outs: string[] = [];
      let left = spend;
      for (let j = 0; j < nOut; j++) {
        // every output keeps at least the dust limit, so later outputs always fit
        const room = left - DUST * (nOut - j - 1);
        const v =
          j === nOut - 1
            ? left
            : Math.min(room, Math.max(DUST, Math.floor(left * (0.1 + 0.8 * rng.float()))));
        left -= v;
        const a = rng.float() < 0.5 ? rng.skewed(n, 3) : rng.int(0, n - 1);
        outs.push(`{"address":"${addr(a)}","value":"${v}"}`);
        addUnspent(txid, j, a, v);
      }
      fees += fee;
      lines.push(
        `{"type":"transaction","txid":"${txid}","height":${height},"position":${position},"time":"${time}","inputs":[${ins.join(',')}],"outputs":[${outs.join(',')}]}`,
      );
    }
    // The coinbase (position 0) claims subsidy + the block's fees; written before the block's txs.
    const cbTxid = rng.hex(64);
    const miner = rng.skewed(n, 2);
    const cbValue = SUBSIDY + fees;
    maturing.push({ height, txid: cbTxid, addr: miner, value: cbValue });
    await w.line(
      `{"type":"transaction","txid":"${cbTxid}","height":${height},"position":0,"time":"${time}","inputs":[],"outputs":[{"address":"${addr(miner)}","value":"${cbValue}"},{"address":null,"value":"0"}]}`,
    );
    written++;
    for (const l of lines) {
      const pending = w.line(l);
      if (pending) await pending;
    }
    written += lines.length;
    // Planted transactions close their block, after the random positions (1..k).
    let position = k + 1;
    for (const t of plantedByBlock.get(b) ?? []) {
      const ins = t.inputs.map(
        (i) => `{"txid":"${i.txid}","vout":${i.vout},"address":"${i.address}","value":"${i.value}"}`,
      );
      const outs = t.outputs.map((o) => `{"address":"${o.address}","value":"${o.value}"}`);
      await w.line(
        `{"type":"transaction","txid":"${t.txid}","height":${height},"position":${position++},"time":"${time}","inputs":[${ins.join(',')}],"outputs":[${outs.join(',')}]}`,
      );
      written++;
    }
    // Compact the pool arrays occasionally (keeps V8 from holding on to grown backing stores).
    if (b % 1000 === 999) {
      poolTxid = poolTxid.slice();
      poolVout = poolVout.slice();
      poolAddr = poolAddr.slice();
      poolValue = poolValue.slice();
    }
  }
  await w.close();
  const bytes = (await stat(path)).size;
  return {
    path,
    records: written,
    labels: labelled.size + (plantedCase ? 1 : 0),
    bytes,
    ms: Math.round(performance.now() - started),
    busySeed: addr(busy),
    busySeedOutgoing: busyOut,
    caseSeed: plantedCase?.seed ?? null,
    caseAddresses: plantedCase?.addresses ?? [],
    head,
  };
}

// ───────────────────────────── benchmark files ─────────────────────────────

/**
 * The benchmarks' datasets under `.bench/`: generated once, then reused while `FILE.seed` (the busy
 * seed) and `FILE.case` (the planted case's seed, `none` when the dataset is too short for it) sit
 * next to them; a file from before the planted case has no `.case` (or an empty one) and is
 * generated again.
 */
export async function ensureSynthetic(
  kind: 'account' | 'utxo',
  path: string,
  opts: AccountOptions & UtxoOptions,
): Promise<{ busySeed: string; caseSeed: string | null; generatedMs: number | null }> {
  const seedFile = `${path}.seed`;
  const caseFile = `${path}.case`;
  let generatedMs: number | null = null;
  const stale =
    !existsSync(path) ||
    !existsSync(seedFile) ||
    !existsSync(caseFile) ||
    readFileSync(caseFile, 'utf8').trim() === '';
  if (stale) {
    const r =
      kind === 'account' ? await writeAccountSynthetic(path, opts) : await writeUtxoSynthetic(path, opts);
    writeFileSync(seedFile, r.busySeed);
    writeFileSync(caseFile, r.caseSeed ?? 'none');
    generatedMs = r.ms;
  }
  const caseSeed = readFileSync(caseFile, 'utf8').trim();
  return {
    busySeed: readFileSync(seedFile, 'utf8').trim(),
    caseSeed: caseSeed === 'none' ? null : caseSeed,
    generatedMs,
  };
}

// ───────────────────────────── CLI ─────────────────────────────

function flag(args: string[], name: string): number | undefined {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const raw = args[i + 1];
  const v = raw === undefined ? Number.NaN : Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(v) || v < 0) {
    process.stderr.write(`synthetic: --${name} needs a non-negative integer, got ${raw ?? 'nothing'}\n`);
    process.exit(2);
  }
  return v;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  const [kind, out, ...rest] = process.argv.slice(2);
  if ((kind !== 'account' && kind !== 'utxo') || !out) {
    process.stderr.write(
      'usage: synthetic.ts account OUT.jsonl [--transfers N] [--addresses N] [--seed N]\n' +
        '       synthetic.ts utxo OUT.jsonl [--txs N] [--addresses N] [--seed N]\n',
    );
    process.exit(2);
  }
  const seed = flag(rest, 'seed');
  const addresses = flag(rest, 'addresses');
  const labels = flag(rest, 'labels');
  const result =
    kind === 'account'
      ? await writeAccountSynthetic(out, { transfers: flag(rest, 'transfers'), addresses, seed, labels })
      : await writeUtxoSynthetic(out, { txs: flag(rest, 'txs'), addresses, seed, labels });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
