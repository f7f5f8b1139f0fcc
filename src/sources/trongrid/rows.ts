// Row shapes of the TronGrid v1 and FullNode answers this source reads, checked field by field.
// A problem is named by its place ("data[3].raw_data.contract[0].parameter.value.amount") and
// value; the HTTP client turns the list into one BAD_DATA error naming the URL (exit 4).
//
//   /v1/accounts/{a}/transactions        TxRow: txID, blockNumber, block_timestamp (ms),
//                                        raw_data.contract[0]{type, parameter.value{owner_address,
//                                        to_address, amount | contract_address, call_value |
//                                        asset_name}} (addresses hex "41…"), ret[0]{contractRet, fee},
//                                        internal_transactions[], optional `_unconfirmed`
//   /v1/accounts/{a}/transactions/trc20  Trc20Row: transaction_id, block_timestamp, from, to (base58),
//                                        value (decimal string), token_info{address, symbol, name,
//                                        decimals}, type "Transfer", optional `_unconfirmed`; no block
//   /wallet/gettransactioninfobyid       TxInfo: id, blockNumber, blockTimeStamp, fee (omitted when
//                                        0), receipt{result}, result "FAILED", log[]{address (20-byte
//                                        hex), topics (no 0x), data}; `{}` for an unknown tx
//   /wallet/gettransactionbyid           the raw tx (same raw_data / ret as TxRow, no block); `{}`
//                                        for an unknown tx
// Amounts in sun (TRX) or token base units; JSON numbers must be exact (safe) integers ≥ 0.
import { decodeTron, tronFromBody } from '../../core/tron.js';
import { ValidationError } from '../http/index.js';

const TXID = /^[0-9a-fA-F]{64}$/;
const DIGITS = /^\d+$/;
const HEX = /^[0-9a-fA-F]*$/;
export const TRANSFER_TOPIC = 'ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

export interface TxRow {
  tx: string;
  /** null: not in the row (old rows, or not in a block yet): see the receipt. */
  block: number | null;
  /** Block time in ms. */
  time: number;
  type: string;
  owner: string;
  /** TransferContract / TransferAssetContract recipient, or the contract called (base58). */
  to: string | null;
  /** TRX moved by the tx itself (TransferContract amount, TriggerSmartContract call_value). */
  amount: bigint;
  /** TransferAssetContract: the TRC-10 asset id/name. */
  assetName?: string;
  success: boolean;
  fee: bigint;
  unconfirmed: boolean;
  internalCount: number;
}

export interface Trc20Row {
  tx: string;
  time: number;
  from: string;
  to: string;
  value: bigint;
  contract: string;
  symbol: string;
  name: string;
  decimals: number | undefined;
  unconfirmed: boolean;
}

export interface TransferLog {
  /** Position in the receipt's log list (the event index inside the tx). */
  index: number;
  contract: string;
  from: string;
  to: string;
  value: bigint;
}

export interface TxInfo {
  tx: string;
  block: number | null;
  time: number | null;
  fee: bigint;
  failed: boolean;
  transfers: TransferLog[];
  internalCount: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects every problem of one answer (bounded), naming fields by their place. */
export class Checker {
  readonly problems: string[] = [];
  private readonly b58 = new Map<string, string>();
  bad(where: string, value: unknown, what: string): void {
    if (this.problems.length >= 20) return;
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : JSON.stringify(value);
    this.problems.push(`${where} ${shown === undefined ? '(missing)' : shown} ${what}`);
  }
  obj(v: unknown, where: string): Record<string, unknown> {
    if (isObject(v)) return v;
    this.bad(where, v, 'is not an object');
    return {};
  }
  /** An exact integer ≥ 0 from a JSON number (or a decimal string when `strings`). */
  int(v: unknown, where: string, opts: { optional?: boolean; strings?: boolean } = {}): number | undefined {
    if (v === undefined && opts.optional) return undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    if (opts.strings && typeof v === 'string' && DIGITS.test(v) && v.length <= 15) return Number(v);
    this.bad(where, v, 'is not a whole number ≥ 0 (exact)');
    return undefined;
  }
  big(v: unknown, where: string, optional = false): bigint {
    if (v === undefined && optional) return 0n;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
    if (typeof v === 'string' && DIGITS.test(v) && v.length <= 80) return BigInt(v);
    this.bad(where, v, 'is not a whole amount ≥ 0 (exact)');
    return 0n;
  }
  str(v: unknown, where: string, optional = false): string {
    if (typeof v === 'string') return v;
    if (v === undefined && optional) return '';
    this.bad(where, v, 'is not a string');
    return '';
  }
  txid(v: unknown, where: string): string {
    if (typeof v === 'string' && TXID.test(v)) return v.toLowerCase();
    this.bad(where, v, 'is not a transaction id (64 hex digits)');
    return '';
  }
  /** A TRON address in either form (base58 or hex 41…) → base58; checksums checked. */
  address(v: unknown, where: string): string {
    if (typeof v !== 'string') {
      this.bad(where, v, 'is not an address');
      return '';
    }
    let out = this.b58.get(v);
    if (out !== undefined) return out;
    const d = decodeTron(v);
    if (!d.ok) {
      this.bad(where, v, `is not a TRON address (${d.reason})`);
      return '';
    }
    out = d.base58;
    this.b58.set(v, out);
    return out;
  }
  /** A 20-byte body in hex (log address, topic tail) → base58. */
  body(hex: string, where: string): string {
    if (!/^[0-9a-fA-F]{40}$/.test(hex)) {
      this.bad(where, hex, 'is not a 20-byte address');
      return '';
    }
    let out = this.b58.get(hex);
    if (out === undefined) {
      out = tronFromBody(Buffer.from(hex, 'hex'));
      this.b58.set(hex, out);
    }
    return out;
  }
  throwIfAny(): void {
    if (this.problems.length > 0) throw new ValidationError(this.problems);
  }
}

interface Contract {
  type: string;
  owner: string;
  to: string | null;
  amount: bigint;
  assetName?: string;
}

/** raw_data.contract[0] of a transaction (the only contract TRON transactions carry). */
function contractOf(raw: unknown, at: string, c: Checker): Contract {
  const r = c.obj(raw, `${at}.raw_data`);
  const list = r.contract;
  if (!Array.isArray(list) || list.length === 0) {
    c.bad(`${at}.raw_data.contract`, list, 'is not a non-empty list');
    return { type: '', owner: '', to: null, amount: 0n };
  }
  const k = c.obj(list[0], `${at}.raw_data.contract[0]`);
  const type = c.str(k.type, `${at}.raw_data.contract[0].type`);
  const vAt = `${at}.raw_data.contract[0].parameter.value`;
  const v = c.obj(c.obj(k.parameter, `${at}.raw_data.contract[0].parameter`).value, vAt);
  const owner = c.address(v.owner_address, `${vAt}.owner_address`);
  if (type === 'TransferContract') {
    return {
      type,
      owner,
      to: c.address(v.to_address, `${vAt}.to_address`),
      amount: c.big(v.amount, `${vAt}.amount`),
    };
  }
  if (type === 'TransferAssetContract') {
    return {
      type,
      owner,
      to: c.address(v.to_address, `${vAt}.to_address`),
      amount: 0n,
      assetName: c.str(v.asset_name, `${vAt}.asset_name`, true),
    };
  }
  if (type === 'TriggerSmartContract') {
    return {
      type,
      owner,
      to: c.address(v.contract_address, `${vAt}.contract_address`),
      amount: c.big(v.call_value, `${vAt}.call_value`, true),
    };
  }
  return { type, owner, to: null, amount: 0n };
}

function retOf(ret: unknown, at: string, c: Checker): { success: boolean; fee: bigint; known: boolean } {
  if (!Array.isArray(ret) || ret.length === 0) return { success: false, fee: 0n, known: false };
  const r = c.obj(ret[0], `${at}.ret[0]`);
  const result = c.str(r.contractRet, `${at}.ret[0].contractRet`, true);
  return { success: result === 'SUCCESS', fee: c.big(r.fee, `${at}.ret[0].fee`, true), known: result !== '' };
}

function unconfirmedFlag(r: Record<string, unknown>, at: string, c: Checker): boolean {
  const u = r._unconfirmed;
  if (u === undefined || u === false) return false;
  if (u === true) return true;
  c.bad(`${at}._unconfirmed`, u, 'is not true or false');
  return false;
}

/** The `data` rows of one /transactions page. */
export function parseTxRows(rows: readonly unknown[], c: Checker): TxRow[] {
  const out: TxRow[] = [];
  rows.forEach((raw, i) => {
    const at = `data[${i}]`;
    const r = c.obj(raw, at);
    const unconfirmed = unconfirmedFlag(r, at, c);
    // Old rows (2019–2020 history) have no blockNumber (nor net_fee/energy_fee): the view reads the
    // block from the tx's receipt; a row whose receipt has none either is BAD_DATA there.
    let block: number | null = null;
    if (r.blockNumber !== undefined) block = c.int(r.blockNumber, `${at}.blockNumber`) ?? null;
    const k = contractOf(r.raw_data, at, c);
    const ret = retOf(r.ret, at, c);
    const internal = r.internal_transactions;
    if (internal !== undefined && !Array.isArray(internal))
      c.bad(`${at}.internal_transactions`, internal, 'is not a list');
    out.push({
      tx: c.txid(r.txID, `${at}.txID`),
      block,
      time: c.int(r.block_timestamp, `${at}.block_timestamp`) ?? 0,
      type: k.type,
      owner: k.owner,
      to: k.to,
      amount: k.amount,
      ...(k.assetName !== undefined ? { assetName: k.assetName } : {}),
      success: ret.success,
      fee: ret.fee,
      unconfirmed,
      internalCount: Array.isArray(internal) ? internal.length : 0,
    });
  });
  return out;
}

/** The `data` rows of one /transactions/trc20 page. */
export function parseTrc20Rows(rows: readonly unknown[], c: Checker): Trc20Row[] {
  const out: Trc20Row[] = [];
  rows.forEach((raw, i) => {
    const at = `data[${i}]`;
    const r = c.obj(raw, at);
    const ti = c.obj(r.token_info, `${at}.token_info`);
    const dec = ti.decimals;
    let decimals: number | undefined;
    if (typeof dec === 'number' && Number.isInteger(dec) && dec >= 0 && dec <= 77) decimals = dec;
    else if (typeof dec === 'string' && /^\d{1,2}$/.test(dec) && Number(dec) <= 77) decimals = Number(dec);
    else if (dec !== undefined) c.bad(`${at}.token_info.decimals`, dec, 'is not a number of decimals');
    out.push({
      tx: c.txid(r.transaction_id, `${at}.transaction_id`),
      time: c.int(r.block_timestamp, `${at}.block_timestamp`) ?? 0,
      from: c.address(r.from, `${at}.from`),
      to: c.address(r.to, `${at}.to`),
      value: c.big(r.value, `${at}.value`),
      contract: c.address(ti.address, `${at}.token_info.address`),
      symbol: c.str(ti.symbol, `${at}.token_info.symbol`, true),
      name: c.str(ti.name, `${at}.token_info.name`, true),
      decimals,
      unconfirmed: unconfirmedFlag(r, at, c),
    });
  });
  return out;
}

/** gettransactioninfobyid; undefined for `{}` (a tx the node does not know, or not yet in a block). */
export function parseTxInfo(data: unknown, c: Checker): TxInfo | undefined {
  const r = c.obj(data, 'answer');
  if (Object.keys(r).length === 0) return undefined;
  const tx = c.txid(r.id, 'id');
  const block = r.blockNumber === undefined ? null : (c.int(r.blockNumber, 'blockNumber') ?? null);
  const time = r.blockTimeStamp === undefined ? null : (c.int(r.blockTimeStamp, 'blockTimeStamp') ?? null);
  const receipt = r.receipt === undefined ? {} : c.obj(r.receipt, 'receipt');
  const result = c.str(receipt.result, 'receipt.result', true);
  const failed = r.result === 'FAILED' || (result !== '' && result !== 'SUCCESS');
  const transfers: TransferLog[] = [];
  const logs = r.log ?? [];
  if (!Array.isArray(logs)) c.bad('log', logs, 'is not a list');
  else
    logs.forEach((raw, i) => {
      const at = `log[${i}]`;
      const l = c.obj(raw, at);
      const topics = l.topics;
      if (!Array.isArray(topics)) {
        c.bad(`${at}.topics`, topics, 'is not a list');
        return;
      }
      // ERC-721-style Transfer events carry the token id as a third topic: not a TRC-20 amount.
      if (topics.length !== 3 || String(topics[0]).toLowerCase() !== TRANSFER_TOPIC) return;
      const t = topics.map((x, j) => {
        const s = c.str(x, `${at}.topics[${j}]`);
        if (!/^[0-9a-fA-F]{64}$/.test(s)) c.bad(`${at}.topics[${j}]`, s, 'is not 32 bytes of hex');
        return s;
      });
      const dataHex = c.str(l.data, `${at}.data`);
      if (!HEX.test(dataHex) || dataHex.length !== 64) {
        c.bad(`${at}.data`, dataHex, 'is not a 32-byte amount');
        return;
      }
      transfers.push({
        index: i,
        contract: c.body(
          c.str(l.address, `${at}.address`).replace(/^41(?=[0-9a-fA-F]{40}$)/, ''),
          `${at}.address`,
        ),
        from: c.body((t[1] ?? '').slice(24), `${at}.topics[1]`),
        to: c.body((t[2] ?? '').slice(24), `${at}.topics[2]`),
        value: BigInt(`0x${dataHex || '0'}`),
      });
    });
  const internal = r.internal_transactions;
  return {
    tx,
    block,
    time,
    fee: c.big(r.fee, 'fee', true),
    failed,
    transfers,
    internalCount: Array.isArray(internal) ? internal.length : 0,
  };
}

export interface RawTx {
  tx: string;
  type: string;
  owner: string;
  to: string | null;
  amount: bigint;
  assetName?: string;
  success: boolean;
  /** ret[0].contractRet present: the tx has been executed. */
  executed: boolean;
}

/** gettransactionbyid; undefined for `{}`. */
export function parseRawTx(data: unknown, c: Checker): RawTx | undefined {
  const r = c.obj(data, 'answer');
  if (Object.keys(r).length === 0) return undefined;
  const k = contractOf(r.raw_data, 'answer', c);
  const ret = retOf(r.ret, 'answer', c);
  return {
    tx: c.txid(r.txID, 'txID'),
    type: k.type,
    owner: k.owner,
    to: k.to,
    amount: k.amount,
    ...(k.assetName !== undefined ? { assetName: k.assetName } : {}),
    success: ret.success,
    executed: ret.known,
  };
}
