// Esplora wire format → core records. Field shapes follow Blockstream's electrs (`rest.rs`:
// TransactionValue, TxInValue, TxOutValue, SpendingValue, TransactionStatus) as served by
// blockstream.info and mempool.space (mempool.space adds `sigops`; older servers may omit
// `fee` or send `scriptpubkey_address: null`; unknown fields are ignored):
//
//   tx        { txid, version, locktime, size, weight, fee,
//               vin:  [{ txid, vout, prevout: {scriptpubkey, scriptpubkey_asm, scriptpubkey_type,
//                        scriptpubkey_address?, value} | null, scriptsig, witness?, is_coinbase,
//                        sequence, … }],
//               vout: [{ scriptpubkey, scriptpubkey_asm, scriptpubkey_type, scriptpubkey_address?, value }],
//               status: { confirmed, block_height?, block_hash?, block_time? } }
//   outspends [{ spent: false } | { spent: true, txid, vin, status }]   one entry per output
//   address   { address, chain_stats: { tx_count, … }, mempool_stats: { tx_count, … } }
//   txids     [txid, …]                                                  /block/:hash/txids
//   tip       "840000"                                                   /blocks/tip/height (text)
//
// Values are integer satoshis in JSON numbers. JSON.parse has already turned them into doubles,
// so a value is accepted only as a safe integer in [0, 21 000 000 BTC] (anything larger cannot be
// a Bitcoin amount, and anything that lost precision is larger than 2⁵³) and converted with
// BigInt(). Every other field is checked for type and form; all problems of a response are
// reported together (ValidationError → BAD_DATA naming the URL). Wire objects never leave this
// file: the adapter keeps `UtxoTx` records only.
import { tryCanonicalAddress } from '../../core/address.js';
import type { UtxoTx } from '../../core/model.js';
import type { SpendRef } from '../../core/view.js';
import { ValidationError } from '../http/index.js';

/** 21 million BTC in sat: no output, input or fee can exceed it. */
export const MAX_MONEY = 2_100_000_000_000_000;
const HEX64 = /^[0-9a-fA-F]{64}$/;
const MAX_PROBLEMS = 20;

/** A transaction as the adapter keeps it: the core record plus what the wire said about its block. */
export interface EsploraTx {
  /** `position` is null here; the view fills it in when the block's order is needed. */
  tx: UtxoTx;
  /** Confirming block, null when unconfirmed. */
  blockHash: string | null;
  /** Per output: provably unspendable (OP_RETURN), never to be spent. */
  unspendable: boolean[];
}

export interface Outspend extends SpendRef {
  /** Height of the spending transaction, null when it is unconfirmed. */
  height: number | null;
}

export interface AddressStats {
  chainTxCount: number;
  mempoolTxCount: number;
}

/** Collects every problem of one response with its JSON path. */
class Problems {
  readonly list: string[] = [];
  add(path: string, msg: string): undefined {
    if (this.list.length < MAX_PROBLEMS) this.list.push(`${path}: ${msg}`);
    else if (this.list.length === MAX_PROBLEMS) this.list.push('… more problems not listed');
    return undefined;
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new ValidationError(this.list);
  }
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  const t = Array.isArray(v) ? 'array' : typeof v;
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return `${s.length > 40 ? `${s.slice(0, 40)}…` : s} (${t})`;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function obj(p: Problems, v: unknown, path: string): Record<string, unknown> | undefined {
  return isObj(v) ? v : p.add(path, `expected an object, got ${show(v)}`);
}

function arr(p: Problems, v: unknown, path: string): unknown[] | undefined {
  return Array.isArray(v) ? v : p.add(path, `expected an array, got ${show(v)}`);
}

function int(
  p: Problems,
  v: unknown,
  path: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max) return v;
  return p.add(path, `expected an integer in [${min}, ${max}], got ${show(v)}`);
}

function sats(p: Problems, v: unknown, path: string): bigint | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_MONEY) return BigInt(v);
  return p.add(path, `expected an integer number of satoshis (0 to 21 000 000 BTC), got ${show(v)}`);
}

function hex64(p: Problems, v: unknown, path: string): string | undefined {
  if (typeof v === 'string' && HEX64.test(v)) return v.toLowerCase();
  return p.add(path, `expected 64 hex digits, got ${show(v)}`);
}

function bool(p: Problems, v: unknown, path: string): boolean | undefined {
  return typeof v === 'boolean' ? v : p.add(path, `expected true or false, got ${show(v)}`);
}

/** Canonical address form with a small memo (the same addresses recur across a trace). */
export class AddressNormalizer {
  private readonly memo = new Map<string, string | null>();
  constructor(readonly chain: string) {}
  normalize(a: string): string | null {
    let c = this.memo.get(a);
    if (c === undefined) {
      c = tryCanonicalAddress(this.chain, a) ?? null;
      if (this.memo.size > 200_000) this.memo.clear();
      this.memo.set(a, c);
    }
    return c;
  }
}

function address(
  p: Problems,
  o: Record<string, unknown>,
  path: string,
  norm: AddressNormalizer,
): string | null {
  const a = o.scriptpubkey_address;
  if (a === undefined || a === null) return null;
  if (typeof a !== 'string')
    return p.add(`${path}.scriptpubkey_address`, `expected a string, got ${show(a)}`) ?? null;
  const c = norm.normalize(a);
  if (c === null) {
    p.add(
      `${path}.scriptpubkey_address`,
      `${show(a)} is not a valid ${norm.chain} address (is the server on another network? pick it with the URL or --chain)`,
    );
    return null;
  }
  return c;
}

const timeOf = (sec: number) => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');

interface Status {
  height: number | null;
  hash: string | null;
  time: string | null;
}

function status(p: Problems, v: unknown, path: string): Status | undefined {
  const s = obj(p, v, path);
  if (!s) return undefined;
  const confirmed = bool(p, s.confirmed, `${path}.confirmed`);
  if (confirmed !== true) return { height: null, hash: null, time: null };
  const height = int(p, s.block_height, `${path}.block_height`, 0, 100_000_000);
  const hash = hex64(p, s.block_hash, `${path}.block_hash`);
  const time = int(p, s.block_time, `${path}.block_time`, 0, 32_503_680_000);
  if (height === undefined || hash === undefined || time === undefined) return undefined;
  return { height, hash, time: timeOf(time) };
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Fields fundtrace does not use are still type-checked when present (a garbled answer is refused). */
function optional(
  p: Problems,
  o: Record<string, unknown>,
  path: string,
  kind: 'int' | 'hex' | 'string',
  ...keys: string[]
) {
  for (const k of keys) {
    const v = o[k];
    if (v === undefined || v === null) continue;
    if (kind === 'int') int(p, v, `${path}.${k}`, 0, 0xffffffff * 1000);
    else if (kind === 'hex' && !(typeof v === 'string' && HEX.test(v)))
      p.add(`${path}.${k}`, `expected hex bytes, got ${show(v)}`);
    else if (kind === 'string' && typeof v !== 'string')
      p.add(`${path}.${k}`, `expected a string, got ${show(v)}`);
  }
}

/** One wire transaction → an EsploraTx, or undefined with problems recorded under `path`. */
function txAt(p: Problems, v: unknown, path: string, norm: AddressNormalizer): EsploraTx | undefined {
  const o = obj(p, v, path);
  if (!o) return undefined;
  const before = p.list.length;
  const txid = hex64(p, o.txid, `${path}.txid`);
  optional(p, o, path, 'int', 'version', 'locktime', 'size', 'weight', 'fee', 'sigops');
  const vin = arr(p, o.vin, `${path}.vin`) ?? [];
  const vout = arr(p, o.vout, `${path}.vout`) ?? [];
  const inputs: UtxoTx['inputs'] = [];
  let coinbase = false;
  vin.forEach((raw, i) => {
    const at = `${path}.vin[${i}]`;
    const x = obj(p, raw, at);
    if (!x) return;
    optional(p, x, at, 'int', 'sequence');
    optional(p, x, at, 'hex', 'scriptsig');
    optional(p, x, at, 'string', 'scriptsig_asm', 'inner_redeemscript_asm', 'inner_witnessscript_asm');
    if (
      x.witness !== undefined &&
      !(Array.isArray(x.witness) && x.witness.every((w) => typeof w === 'string' && HEX.test(w)))
    )
      p.add(`${at}.witness`, `expected an array of hex strings, got ${show(x.witness)}`);
    if (bool(p, x.is_coinbase, `${at}.is_coinbase`) === true) {
      coinbase = true;
      return; // a coinbase input spends nothing (dataset: "inputs": [])
    }
    const ptxid = hex64(p, x.txid, `${at}.txid`);
    const pvout = int(p, x.vout, `${at}.vout`, 0, 0xffffffff);
    if (x.prevout === null || x.prevout === undefined) {
      p.add(`${at}.prevout`, 'missing: the server does not report the output spent (prevouts disabled?)');
      return;
    }
    const prev = obj(p, x.prevout, `${at}.prevout`);
    if (!prev) return;
    optional(p, prev, `${at}.prevout`, 'hex', 'scriptpubkey');
    optional(p, prev, `${at}.prevout`, 'string', 'scriptpubkey_asm', 'scriptpubkey_type');
    const value = sats(p, prev.value, `${at}.prevout.value`);
    const addr = address(p, prev, `${at}.prevout`, norm);
    if (ptxid !== undefined && pvout !== undefined && value !== undefined)
      inputs.push({ txid: ptxid, vout: pvout, address: addr, value });
  });
  if (coinbase && vin.length !== 1)
    p.add(`${path}.vin`, 'a coinbase transaction must have exactly one input');
  if (vout.length === 0) p.add(`${path}.vout`, 'a transaction has at least one output');
  const outputs: UtxoTx['outputs'] = [];
  const unspendable: boolean[] = [];
  vout.forEach((raw, i) => {
    const at = `${path}.vout[${i}]`;
    const x = obj(p, raw, at);
    if (!x) return;
    const value = sats(p, x.value, `${at}.value`);
    const addr = address(p, x, at, norm);
    optional(p, x, at, 'hex', 'scriptpubkey');
    optional(p, x, at, 'string', 'scriptpubkey_asm');
    const type = x.scriptpubkey_type;
    if (type !== undefined && typeof type !== 'string')
      p.add(`${at}.scriptpubkey_type`, `expected a string, got ${show(type)}`);
    if (value !== undefined) {
      outputs.push({ address: addr, value });
      unspendable.push(type === 'op_return' || type === 'provably_unspendable');
    }
  });
  const st = status(p, o.status, `${path}.status`);
  if (p.list.length > before || txid === undefined || st === undefined) return undefined;
  if (!coinbase) {
    const sumIn = inputs.reduce((a, i) => a + i.value, 0n);
    const sumOut = outputs.reduce((a, x) => a + x.value, 0n);
    if (sumIn < sumOut) {
      p.add(path, `inputs total ${sumIn} sat but outputs total ${sumOut} sat (negative fee)`);
      return undefined;
    }
    if (typeof o.fee === 'number' && Number.isSafeInteger(o.fee) && BigInt(o.fee) !== sumIn - sumOut) {
      p.add(`${path}.fee`, `says ${o.fee} sat, but inputs minus outputs is ${sumIn - sumOut} sat`);
      return undefined;
    }
  }
  return {
    tx: { txid, height: st.height, position: null, time: st.time, inputs, outputs },
    blockHash: st.hash,
    unspendable,
  };
}

/** GET /tx/:txid — the answer must be that transaction. */
export function txValidator(norm: AddressNormalizer, expected: string): (data: unknown) => EsploraTx {
  return (data) => {
    const p = new Problems();
    const t = txAt(p, data, 'tx', norm);
    if (t && t.tx.txid !== expected.toLowerCase())
      p.add('tx.txid', `is ${t.tx.txid}, not the requested ${expected}`);
    p.throwIfAny();
    return t!;
  };
}

/** GET /address/:a/txs (mempool then chain) or /address/:a/txs/chain/:cursor (chain only). */
export function txListValidator(norm: AddressNormalizer, chainOnly: boolean): (data: unknown) => EsploraTx[] {
  return (data) => {
    const p = new Problems();
    const list = arr(p, data, 'txs') ?? [];
    const out: EsploraTx[] = [];
    list.forEach((v, i) => {
      const t = txAt(p, v, `txs[${i}]`, norm);
      if (!t) return;
      if (chainOnly && t.tx.height === null)
        p.add(`txs[${i}].status.confirmed`, 'an unconfirmed tx in a chain page');
      out.push(t);
    });
    p.throwIfAny();
    return out;
  };
}

/** GET /tx/:txid/outspends — one entry per output (`outputs` when the tx is known). */
export function outspendsValidator(outputs: number | undefined): (data: unknown) => (Outspend | null)[] {
  return (data) => {
    const p = new Problems();
    const list = arr(p, data, 'outspends') ?? [];
    if (outputs !== undefined && list.length !== outputs)
      p.add('outspends', `has ${list.length} entries, but the transaction has ${outputs} outputs`);
    const out = list.map((v, i): Outspend | null => {
      const at = `outspends[${i}]`;
      const o = obj(p, v, at);
      if (!o || bool(p, o.spent, `${at}.spent`) !== true) return null;
      const txid = hex64(p, o.txid, `${at}.txid`);
      const vin = int(p, o.vin, `${at}.vin`, 0, 0xffffffff);
      const st = o.status === undefined ? { height: null } : status(p, o.status, `${at}.status`);
      if (txid === undefined || vin === undefined || st === undefined) return null;
      return { txid, inputIndex: vin, height: st.height };
    });
    p.throwIfAny();
    return out;
  };
}

/** GET /address/:a — only the transaction counts are used. */
export function addressStatsValidator(data: unknown): AddressStats {
  const p = new Problems();
  const o = obj(p, data, 'address');
  const chain = o && obj(p, o.chain_stats, 'address.chain_stats');
  const mem = o && obj(p, o.mempool_stats, 'address.mempool_stats');
  const c = chain && int(p, chain.tx_count, 'address.chain_stats.tx_count');
  const m = mem && int(p, mem.tx_count, 'address.mempool_stats.tx_count');
  p.throwIfAny();
  return { chainTxCount: c!, mempoolTxCount: m! };
}

/** GET /block/:hash/txids — the block's transactions in order. */
export function blockTxidsValidator(data: unknown): string[] {
  const p = new Problems();
  const list = arr(p, data, 'txids') ?? [];
  const out: string[] = [];
  list.forEach((v, i) => {
    const t = hex64(p, v, `txids[${i}]`);
    if (t !== undefined) out.push(t);
  });
  if (list.length === 0) p.add('txids', 'a block holds at least its coinbase');
  p.throwIfAny();
  return out;
}

/** GET /blocks/tip/height — a bare decimal number (text/plain). */
export function tipValidator(text: string): number {
  const t = text.trim();
  if (!/^\d{1,9}$/.test(t)) {
    throw new ValidationError(`expected a block height (decimal digits), got ${show(text.slice(0, 60))}`);
  }
  return Number(t);
}
