// GraphSense REST wire format → core records, for UTXO currencies (btc). Shapes from the OpenAPI
// spec v1.15.5 (graphsense-REST `openapi_spec/graphsense.yaml`) and the v2.15.1 model tables:
//
//   tx_utxo     { tx_type: "utxo", currency, tx_hash, coinbase, height, timestamp, no_inputs,
//                 no_outputs, total_input: values, total_output: values,
//                 inputs?: [tx_value], outputs?: [tx_value] }     GET /{c}/txs/{h}?include_io=true
//   tx_value    { address: [string], value: values, index? }    (index with include_io_index=true)
//   values      { value: int64 base units, fiat_values: [{code, value}] }
//   tx_ref      { input_index, output_index, tx_hash }           /txs/{h}/spending, /txs/{h}/spent_in
//   address_txs { address_txs: [address_tx_utxo {tx_hash, height, timestamp, value, …}], next_page? }
//   stats       { currencies: [{ name, no_blocks, … }], version, … }
//
// `inputs` of tx_utxo give address and value but not the outpoint spent: that comes from
// /txs/{h}/spending (input_index → tx_hash:output_index). Values are accepted only as safe
// integers in [0, 21 000 000 BTC]; every problem of a response is reported together
// (ValidationError → BAD_DATA naming the URL). Wire objects never leave this file.
import type { UtxoTx } from '../../core/model.js';
import type { AddressNormalizer, EsploraTx } from '../esplora/wire.js';
import { MAX_MONEY } from '../esplora/wire.js';
import { ValidationError } from '../http/index.js';

const HEX64 = /^[0-9a-fA-F]{64}$/;
const MAX_PROBLEMS = 20;

/** Validation problems of one answer, each with its path; at most MAX_PROBLEMS listed. */
export class Problems {
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
  const s = JSON.stringify(v) ?? String(v);
  return `${s.length > 40 ? `${s.slice(0, 40)}…` : s} (${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v})`;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function obj(p: Problems, v: unknown, path: string): Record<string, unknown> | undefined {
  return isObj(v) ? v : p.add(path, `expected an object, got ${show(v)}`);
}
function arr(p: Problems, v: unknown, path: string): unknown[] | undefined {
  return Array.isArray(v) ? v : p.add(path, `expected an array, got ${show(v)}`);
}
function int(p: Problems, v: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max) return v;
  return p.add(path, `expected an integer in [${min}, ${max}], got ${show(v)}`);
}
function hex64(p: Problems, v: unknown, path: string): string | undefined {
  if (typeof v === 'string' && HEX64.test(v)) return v.toLowerCase();
  return p.add(path, `expected 64 hex digits, got ${show(v)}`);
}
/** `values` object → satoshis. */
function sats(p: Problems, v: unknown, path: string): bigint | undefined {
  const o = obj(p, v, path);
  if (!o) return undefined;
  const x = o.value;
  if (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 && x <= MAX_MONEY) return BigInt(x);
  return p.add(
    `${path}.value`,
    `expected an integer number of satoshis (0 to 21 000 000 BTC), got ${show(x)}`,
  );
}

const timeOf = (sec: number) => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');

/** The block key the Esplora view groups by: GraphSense orders blocks by height only. */
export const heightKey = (h: number) => `height:${h}`;

/** tx_value.address → one canonical address, or null (non-standard / OP_RETURN / multisig). */
function ioAddress(p: Problems, v: unknown, path: string, norm: AddressNormalizer): string | null {
  const list = arr(p, v, path);
  if (list?.length !== 1) return null;
  const a = list[0];
  if (typeof a !== 'string') return p.add(`${path}[0]`, `expected a string, got ${show(a)}`) ?? null;
  const c = norm.normalize(a);
  if (c === null) {
    p.add(
      `${path}[0]`,
      `${show(a)} is not a valid ${norm.chain} address (is the currency in the URL the chain you trace?)`,
    );
    return null;
  }
  return c;
}

function ios(
  p: Problems,
  v: unknown,
  path: string,
  norm: AddressNormalizer,
): { address: string | null; value: bigint }[] {
  const list = arr(p, v, path) ?? [];
  const out: { address: string | null; value: bigint; index: number }[] = [];
  list.forEach((raw, i) => {
    const at = `${path}[${i}]`;
    const x = obj(p, raw, at);
    if (!x) return;
    const address = ioAddress(p, x.address, `${at}.address`, norm);
    const value = sats(p, x.value, `${at}.value`);
    const index =
      x.index === undefined || x.index === null ? i : int(p, x.index, `${at}.index`, 0, 0xffffffff);
    if (value !== undefined && index !== undefined) out.push({ address, value, index });
  });
  out.sort((a, b) => a.index - b.index);
  out.forEach((o, i) => {
    if (o.index !== i) p.add(path, `indices are not 0…${out.length - 1} (index ${o.index} at position ${i})`);
  });
  return out.map(({ address, value }) => ({ address, value }));
}

/** tx_ref lists of /spending and /spent_in. */
export interface TxRef {
  inputIndex: number;
  outputIndex: number;
  txid: string;
}

export function txRefsValidator(what: 'spending' | 'spent_in'): (data: unknown) => TxRef[] {
  return (data) => {
    const p = new Problems();
    const list = arr(p, data, what) ?? [];
    const out: TxRef[] = [];
    list.forEach((raw, i) => {
      const at = `${what}[${i}]`;
      const o = obj(p, raw, at);
      if (!o) return;
      const inputIndex = int(p, o.input_index, `${at}.input_index`, 0, 0xffffffff);
      const outputIndex = int(p, o.output_index, `${at}.output_index`, 0, 0xffffffff);
      const txid = hex64(p, o.tx_hash, `${at}.tx_hash`);
      if (inputIndex !== undefined && outputIndex !== undefined && txid !== undefined)
        out.push({ inputIndex, outputIndex, txid });
    });
    p.throwIfAny();
    return out;
  };
}

/** The tx_utxo part of GET /{c}/txs/{h}?include_io=true, before the outpoints are known. */
export interface GsTx {
  txid: string;
  coinbase: boolean;
  height: number;
  time: string;
  inputs: { address: string | null; value: bigint }[];
  outputs: { address: string | null; value: bigint }[];
}

export function txValidator(norm: AddressNormalizer, expected: string): (data: unknown) => GsTx {
  return (data) => {
    const p = new Problems();
    const o = obj(p, data, 'tx');
    if (!o) return p.throwIfAny() as never;
    if (o.tx_type !== 'utxo') p.add('tx.tx_type', `expected "utxo", got ${show(o.tx_type)}`);
    const txid = hex64(p, o.tx_hash, 'tx.tx_hash');
    if (txid !== undefined && txid !== expected.toLowerCase())
      p.add('tx.tx_hash', `is ${txid}, not the requested ${expected}`);
    const coinbase = o.coinbase;
    if (typeof coinbase !== 'boolean') p.add('tx.coinbase', `expected true or false, got ${show(coinbase)}`);
    const height = int(p, o.height, 'tx.height', 0, 100_000_000);
    const ts = int(p, o.timestamp, 'tx.timestamp', 0, 32_503_680_000);
    const totalIn = sats(p, o.total_input, 'tx.total_input');
    const totalOut = sats(p, o.total_output, 'tx.total_output');
    const inputs = coinbase === true ? [] : ios(p, o.inputs, 'tx.inputs', norm);
    const outputs = ios(p, o.outputs, 'tx.outputs', norm);
    if (outputs.length === 0) p.add('tx.outputs', 'a transaction has at least one output');
    const noIn = int(p, o.no_inputs, 'tx.no_inputs');
    const noOut = int(p, o.no_outputs, 'tx.no_outputs');
    p.throwIfAny();
    const sumIn = inputs.reduce((a, i) => a + i.value, 0n);
    const sumOut = outputs.reduce((a, i) => a + i.value, 0n);
    // Self-contradictions: a figure built on them is worse than none.
    if (noOut !== outputs.length)
      p.add('tx.no_outputs', `says ${noOut}, but ${outputs.length} outputs are listed`);
    if (coinbase !== true && noIn !== inputs.length)
      p.add('tx.no_inputs', `says ${noIn}, but ${inputs.length} inputs are listed`);
    if (totalOut !== sumOut)
      p.add('tx.total_output', `says ${totalOut} sat, but the outputs add up to ${sumOut} sat`);
    if (coinbase !== true) {
      if (totalIn !== sumIn)
        p.add('tx.total_input', `says ${totalIn} sat, but the inputs add up to ${sumIn} sat`);
      if (sumIn < sumOut)
        p.add(
          'tx',
          `inputs total ${sumIn} sat but outputs total ${sumOut} sat (outputs worth more than inputs)`,
        );
    }
    p.throwIfAny();
    return {
      txid: txid!,
      coinbase: coinbase as boolean,
      height: height!,
      time: timeOf(ts!),
      inputs,
      outputs,
    };
  };
}

/** Joins a tx with its /spending list into the record the Esplora view holds. */
export function joinSpending(t: GsTx, spending: readonly TxRef[]): { tx?: EsploraTx; problem?: string } {
  const byInput = new Map<number, TxRef>();
  for (const r of spending) {
    if (byInput.has(r.inputIndex)) return { problem: `input ${r.inputIndex} is listed twice` };
    byInput.set(r.inputIndex, r);
  }
  if (t.coinbase) {
    if (spending.length > 0)
      return { problem: 'a coinbase transaction spends no output, but spending lists some' };
  } else if (spending.length !== t.inputs.length) {
    return {
      problem: `lists ${spending.length} spent outputs, but the transaction has ${t.inputs.length} inputs`,
    };
  }
  const inputs: UtxoTx['inputs'] = [];
  for (let i = 0; i < t.inputs.length; i++) {
    const r = byInput.get(i);
    if (!r) return { problem: `input ${i} has no spent output` };
    inputs.push({
      txid: r.txid,
      vout: r.outputIndex,
      address: t.inputs[i]!.address,
      value: t.inputs[i]!.value,
    });
  }
  return {
    tx: {
      tx: { txid: t.txid, height: t.height, position: null, time: t.time, inputs, outputs: t.outputs },
      blockHash: heightKey(t.height),
      unspendable: t.outputs.map(() => false),
    },
  };
}

/** GET /{c}/addresses/{a}/txs — one page: txids and the cursor of the next page. */
export function addressTxsValidator(data: unknown): { txids: string[]; next: string | null } {
  const p = new Problems();
  const o = obj(p, data, 'address_txs');
  const list = (o && arr(p, o.address_txs, 'address_txs.address_txs')) ?? [];
  const txids: string[] = [];
  list.forEach((raw, i) => {
    const at = `address_txs[${i}]`;
    const x = obj(p, raw, at);
    if (!x) return;
    const t = hex64(p, x.tx_hash, `${at}.tx_hash`);
    int(p, x.height, `${at}.height`, 0, 100_000_000);
    if (t !== undefined) txids.push(t);
  });
  const n = o?.next_page;
  if (n !== undefined && n !== null && typeof n !== 'string')
    p.add('address_txs.next_page', `expected a string or null, got ${show(n)}`);
  p.throwIfAny();
  return { txids, next: typeof n === 'string' && n !== '' ? n : null };
}

/** GET /{c}/blocks/{height}/txs — the block's transactions in order (only tx_hash is used). */
export function blockTxsValidator(height: number): (data: unknown) => string[] {
  return (data) => {
    const p = new Problems();
    const list = arr(p, data, 'txs') ?? [];
    const out: string[] = [];
    list.forEach((raw, i) => {
      const x = obj(p, raw, `txs[${i}]`);
      if (!x) return;
      const t = hex64(p, x.tx_hash, `txs[${i}].tx_hash`);
      if (x.height !== undefined && x.height !== height)
        p.add(`txs[${i}].height`, `is ${show(x.height)}, not the requested block ${height}`);
      if (t !== undefined) out.push(t);
    });
    if (list.length === 0) p.add('txs', 'a block holds at least its coinbase');
    p.throwIfAny();
    return out;
  };
}

/** GET /stats — the tip height of `currency` (no_blocks − 1). */
export function statsValidator(currency: string): (data: unknown) => number {
  return (data) => {
    const p = new Problems();
    const o = obj(p, data, 'stats');
    const list = (o && arr(p, o.currencies, 'stats.currencies')) ?? [];
    const c = list.find((x) => isObj(x) && x.name === currency) as Record<string, unknown> | undefined;
    if (o && !c) p.add('stats.currencies', `has no entry for ${JSON.stringify(currency)}`);
    const n = c && int(p, c.no_blocks, `stats.currencies[${currency}].no_blocks`, 1, 100_000_000);
    p.throwIfAny();
    return n! - 1;
  };
}

/** GET /{c}/addresses/{a}/tags — one page of address_tag objects (passed on as records). */
export function addressTagsValidator(data: unknown): {
  tags: Record<string, unknown>[];
  next: string | null;
} {
  const p = new Problems();
  const o = obj(p, data, 'address_tags');
  const list = (o && arr(p, o.address_tags, 'address_tags.address_tags')) ?? [];
  const tags: Record<string, unknown>[] = [];
  list.forEach((raw, i) => {
    const at = `address_tags[${i}]`;
    const x = obj(p, raw, at);
    if (!x) return;
    if (typeof x.label !== 'string') p.add(`${at}.label`, `expected a string, got ${show(x.label)}`);
    for (const k of ['category', 'actor', 'abuse', 'confidence', 'tagpack_title', 'source', 'inherited_from'])
      if (x[k] !== undefined && x[k] !== null && typeof x[k] !== 'string')
        p.add(`${at}.${k}`, `expected a string, got ${show(x[k])}`);
    if (x.confidence_level !== undefined && x.confidence_level !== null)
      int(p, x.confidence_level, `${at}.confidence_level`, 0, 100);
    if (
      x.concepts !== undefined &&
      x.concepts !== null &&
      !(Array.isArray(x.concepts) && x.concepts.every((c) => typeof c === 'string'))
    )
      p.add(`${at}.concepts`, `expected an array of strings, got ${show(x.concepts)}`);
    tags.push(x);
  });
  const n = o?.next_page;
  if (n !== undefined && n !== null && typeof n !== 'string')
    p.add('address_tags.next_page', `expected a string or null, got ${show(n)}`);
  p.throwIfAny();
  return { tags, next: typeof n === 'string' && n !== '' ? n : null };
}
