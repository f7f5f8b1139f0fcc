// Chain scenarios for the Esplora tests and benchmark: core `UtxoTx` records laid out in blocks
// (true positions, filler transactions around them), turned both into Esplora wire JSON (served
// by ./server.ts) and into a fundtrace-dataset/1 file, from the same objects.
//
// The wire shapes follow Esplora's API documentation and Blockstream electrs' rest.rs
// (TransactionValue / TxInValue / TxOutValue / TransactionStatus); they are written here from
// those field lists, not copied from recorded responses.
import { createHash } from 'node:crypto';
import { address as btcAddress, networks } from 'bitcoinjs-lib';
import { scriptTypeOf } from '../../src/core/heuristics/script-type.js';
import type { UtxoTx } from '../../src/core/model.js';

export const sha = (s: string) => createHash('sha256').update(s).digest('hex');
export const blockHash = (height: number) => `00000000${sha(`block:${height}`).slice(8)}`;
export const GENESIS_TIME = Date.UTC(2024, 0, 1);
export const blockTime = (height: number) =>
  new Date(GENESIS_TIME + (height - 100) * 600_000).toISOString().replace('.000Z', 'Z');

export interface Block {
  height: number;
  hash: string;
  time: string;
  /** Every txid of the block in order (scenario transactions and fillers). */
  txids: string[];
}

export interface Scenario {
  /** Scenario transactions in chain order, unconfirmed last. */
  txs: UtxoTx[];
  blocks: Map<number, Block>;
  tip: number;
}

export type InSpec = { tx: UtxoTx; vout: number } | { external: string; value: bigint };
export type OutSpec = [address: string | null, value: bigint];

export class ScenarioBuilder {
  readonly txs: UtxoTx[] = [];
  readonly blocks = new Map<number, Block>();
  private readonly spent = new Set<string>();

  constructor(readonly tip: number) {}

  private block(height: number): Block {
    let b = this.blocks.get(height);
    if (!b) {
      b = { height, hash: blockHash(height), time: blockTime(height), txids: [] };
      this.blocks.set(height, b);
    }
    return b;
  }

  /** Unrelated transactions of the block (they exist only in /block/:hash/txids). */
  filler(height: number, n = 1): void {
    const b = this.block(height);
    for (let i = 0; i < n; i++) b.txids.push(sha(`filler:${height}:${b.txids.length}`));
  }

  /** A coinbase (no inputs), first in its block. */
  coinbase(name: string, height: number, outs: OutSpec[]): UtxoTx {
    const b = this.block(height);
    if (b.txids.length > 0) throw new Error(`coinbase ${name} must come first in block ${height}`);
    return this.push(name, height, [], outs);
  }

  /** A transaction at `height` (null = mempool), after `fillersBefore` unrelated ones in its block. */
  tx(name: string, height: number | null, ins: InSpec[], outs: OutSpec[], fillersBefore = 0): UtxoTx {
    if (height !== null) {
      if (!this.blocks.get(height)?.txids.length) this.filler(height); // position 0: a foreign coinbase
      this.filler(height, fillersBefore);
    }
    const inputs = ins.map((s, i) => {
      if ('tx' in s) {
        const o = s.tx.outputs[s.vout]!;
        const key = `${s.tx.txid}:${s.vout}`;
        if (this.spent.has(key)) throw new Error(`double spend of ${key} in ${name}`);
        this.spent.add(key);
        return { txid: s.tx.txid, vout: s.vout, address: o.address, value: o.value };
      }
      return { txid: sha(`external:${name}:${i}`), vout: i, address: s.external, value: s.value };
    });
    return this.push(name, height, inputs, outs);
  }

  private push(name: string, height: number | null, inputs: UtxoTx['inputs'], outs: OutSpec[]): UtxoTx {
    const txid = sha(`tx:${name}`);
    let position: number | null = null;
    let time: string | null = null;
    if (height !== null) {
      const b = this.block(height);
      position = b.txids.length;
      b.txids.push(txid);
      time = b.time;
    }
    const tx: UtxoTx = {
      txid,
      height,
      position,
      time,
      inputs,
      outputs: outs.map(([address, value]) => ({ address, value })),
    };
    const sumIn = inputs.reduce((a, i) => a + i.value, 0n);
    const sumOut = tx.outputs.reduce((a, o) => a + o.value, 0n);
    if (inputs.length > 0 && sumIn < sumOut) throw new Error(`negative fee in ${name}`);
    this.txs.push(tx);
    return tx;
  }

  build(): Scenario {
    const order = (t: UtxoTx) => [t.height ?? Number.POSITIVE_INFINITY, t.position ?? -1] as const;
    const txs = [...this.txs].sort((a, b) => {
      const [ah, ap] = order(a);
      const [bh, bp] = order(b);
      return ah - bh || ap - bp || (a.txid < b.txid ? -1 : 1);
    });
    return { txs, blocks: this.blocks, tip: this.tip };
  }
}

// ---- wire JSON (Esplora shapes) ------------------------------------------------------------

const ESPLORA_TYPE: Record<string, string> = {
  p2pkh: 'p2pkh',
  p2sh: 'p2sh',
  p2wpkh: 'v0_p2wpkh',
  p2wsh: 'v0_p2wsh',
  p2tr: 'v1_p2tr',
};
const OP_RETURN_SCRIPT = '6a0d66756e6474726163652074657374'; // OP_RETURN "fundtrace test"

function asm(hex: string, type: string): string {
  const b = Buffer.from(hex, 'hex');
  const push = (from: number, len: number) =>
    `OP_PUSHBYTES_${len} ${b.subarray(from, from + len).toString('hex')}`;
  switch (type) {
    case 'p2pkh':
      return `OP_DUP OP_HASH160 ${push(3, 20)} OP_EQUALVERIFY OP_CHECKSIG`;
    case 'p2sh':
      return `OP_HASH160 ${push(2, 20)} OP_EQUAL`;
    case 'v0_p2wpkh':
      return `OP_0 ${push(2, 20)}`;
    case 'v0_p2wsh':
      return `OP_0 ${push(2, 32)}`;
    case 'v1_p2tr':
      return `OP_PUSHNUM_1 ${push(2, 32)}`;
    default:
      return `OP_RETURN ${push(2, b.length - 2)}`;
  }
}

/** The output script of an address (built by hand: bitcoinjs wants an ECC library for P2TR). */
export function scriptHex(address: string, network = networks.bitcoin): string {
  const lower = address.toLowerCase();
  if (lower.startsWith(`${network.bech32}1`)) {
    const d = btcAddress.fromBech32(lower);
    const op = d.version === 0 ? '00' : (0x50 + d.version).toString(16);
    return `${op}${d.data.length.toString(16).padStart(2, '0')}${Buffer.from(d.data).toString('hex')}`;
  }
  const d = btcAddress.fromBase58Check(address);
  const h = Buffer.from(d.hash).toString('hex');
  if (d.version === network.pubKeyHash) return `76a914${h}88ac`;
  if (d.version === network.scriptHash) return `a914${h}87`;
  throw new Error(`address ${address} is not on this network`);
}

export interface WireTxOut {
  scriptpubkey: string;
  scriptpubkey_asm: string;
  scriptpubkey_type: string;
  scriptpubkey_address?: string;
  value: number;
}

export function wireOut(address: string | null, value: bigint, network = networks.bitcoin): WireTxOut {
  if (address === null) {
    return {
      scriptpubkey: OP_RETURN_SCRIPT,
      scriptpubkey_asm: asm(OP_RETURN_SCRIPT, 'op_return'),
      scriptpubkey_type: 'op_return',
      value: Number(value),
    };
  }
  const hex = scriptHex(address, network);
  const type = ESPLORA_TYPE[scriptTypeOf(address)] ?? 'unknown';
  return {
    scriptpubkey: hex,
    scriptpubkey_asm: asm(hex, type),
    scriptpubkey_type: type,
    scriptpubkey_address: address,
    value: Number(value),
  };
}

const SIG = `3044022047ac8e878352d3ebbde1c94ce3a10d057c24175747116f8288e5d794d12d482f0220217f36a485cae903c713331d877c1f64677e3622ad4010726870540656fe9dcb01`;
const PUB = '02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5';

/** A transaction as GET /tx/:txid answers it. */
export function wireTx(s: Scenario, tx: UtxoTx, network = networks.bitcoin): Record<string, unknown> {
  const coinbase = tx.inputs.length === 0;
  const vin = coinbase
    ? [
        {
          txid: '0'.repeat(64),
          vout: 4294967295,
          prevout: null,
          scriptsig: `03${(tx.height ?? 0).toString(16).padStart(6, '0')}`,
          scriptsig_asm: `OP_PUSHBYTES_3 ${(tx.height ?? 0).toString(16).padStart(6, '0')}`,
          witness: ['0'.repeat(64)],
          is_coinbase: true,
          sequence: 4294967295,
        },
      ]
    : tx.inputs.map((i) => ({
        txid: i.txid,
        vout: i.vout,
        prevout: wireOut(i.address, i.value, network),
        scriptsig: '',
        scriptsig_asm: '',
        witness: [SIG, PUB],
        is_coinbase: false,
        sequence: 4294967293,
      }));
  const vout = tx.outputs.map((o) => wireOut(o.address, o.value, network));
  const sumIn = tx.inputs.reduce((a, i) => a + i.value, 0n);
  const sumOut = tx.outputs.reduce((a, o) => a + o.value, 0n);
  const size = 10 + 68 * vin.length + 31 * vout.length;
  const block = tx.height === null ? undefined : s.blocks.get(tx.height);
  return {
    txid: tx.txid,
    version: 2,
    locktime: 0,
    vin,
    vout,
    size,
    weight: size * 3 + 10,
    fee: coinbase ? 0 : Number(sumIn - sumOut),
    status: block
      ? {
          confirmed: true,
          block_height: block.height,
          block_hash: block.hash,
          block_time: Math.floor(Date.parse(block.time) / 1000),
        }
      : { confirmed: false },
  };
}

// ---- the equivalent dataset ------------------------------------------------------------------

export function datasetJson(s: Scenario, chain = 'bitcoin'): string {
  return JSON.stringify(
    {
      format: 'fundtrace-dataset/1',
      chain,
      name: 'esplora-equivalence',
      head: { height: s.tip },
      transactions: s.txs.map((t) => ({
        txid: t.txid,
        height: t.height,
        position: t.position,
        time: t.time,
        inputs: t.inputs.map((i) => ({
          txid: i.txid,
          vout: i.vout,
          address: i.address,
          value: String(i.value),
        })),
        outputs: t.outputs.map((o) => ({ address: o.address, value: String(o.value) })),
      })),
      labels: [],
    },
    null,
    1,
  );
}
