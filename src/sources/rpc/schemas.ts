// Validators for the JSON-RPC answers the rpc: source reads. Node answers are untrusted input:
// each validator checks the fields it uses and returns a typed, normalised value (bigint amounts,
// number heights, EIP-55 addresses, lowercase hashes), or throws (→ BAD_DATA, not cached).
import { evmAddress } from '../evm/abi.js';

type Obj = Record<string, unknown>;

const HASH = /^0x[0-9a-fA-F]{64}$/;
const QUANTITY = /^0x[0-9a-fA-F]{1,64}$/;

function obj(v: unknown, what: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what} is not an object`);
  return v as Obj;
}

function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${what} is not an array`);
  return v;
}

export function big(v: unknown, what: string): bigint {
  if (typeof v === 'string' && QUANTITY.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new Error(`${what} is not a hex quantity: ${JSON.stringify(v)?.slice(0, 40)}`);
}

export function num(v: unknown, what: string): number {
  const b = big(v, what);
  if (b > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${what} is too large`);
  return Number(b);
}

const optBig = (v: unknown, what: string) => (v === undefined || v === null ? undefined : big(v, what));
const optNum = (v: unknown, what: string) => (v === undefined || v === null ? undefined : num(v, what));

export function hash(v: unknown, what: string): string {
  if (typeof v !== 'string' || !HASH.test(v)) throw new Error(`${what} is not a 32-byte hash`);
  return v.toLowerCase();
}

export function addr(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new Error(`${what} is not an address`);
  try {
    return evmAddress(v);
  } catch {
    throw new Error(`${what} is not an address: ${JSON.stringify(v).slice(0, 60)}`);
  }
}

const optAddr = (v: unknown, what: string) => (v === undefined || v === null ? null : addr(v, what));

function hexData(v: unknown, what: string): string {
  if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v)) throw new Error(`${what} is not hex data`);
  return v;
}

// ---- blocks -------------------------------------------------------------------------------

export interface RpcBlock {
  number: number;
  hash: string;
  timestamp: number;
}

export function block(v: unknown): RpcBlock | null {
  if (v === null) return null;
  const b = obj(v, 'block');
  return {
    number: num(b.number, 'block.number'),
    hash: hash(b.hash, 'block.hash'),
    timestamp: num(b.timestamp, 'block.timestamp'),
  };
}

// ---- transactions and receipts ------------------------------------------------------------

export interface RpcTx {
  hash: string;
  from: string;
  to: string | null;
  value: bigint;
  blockNumber: number | null;
  transactionIndex: number | null;
  gasPrice?: bigint;
  blockTimestamp?: number;
}

export function tx(v: unknown): RpcTx | null {
  if (v === null) return null;
  const t = obj(v, 'transaction');
  const out: RpcTx = {
    hash: hash(t.hash, 'tx.hash'),
    from: addr(t.from, 'tx.from'),
    to: optAddr(t.to, 'tx.to'),
    value: big(t.value, 'tx.value'),
    blockNumber: optNum(t.blockNumber, 'tx.blockNumber') ?? null,
    transactionIndex: optNum(t.transactionIndex, 'tx.transactionIndex') ?? null,
  };
  const gp = optBig(t.gasPrice, 'tx.gasPrice');
  if (gp !== undefined) out.gasPrice = gp;
  const ts = optNum(t.blockTimestamp, 'tx.blockTimestamp');
  if (ts !== undefined) out.blockTimestamp = ts;
  return out;
}

export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: number;
  transactionHash: string;
  transactionIndex: number;
  logIndex: number;
  removed: boolean;
  blockTimestamp?: number;
}

export function log(v: unknown, what = 'log'): RpcLog {
  const l = obj(v, what);
  const out: RpcLog = {
    address: hexData(l.address, `${what}.address`),
    topics: arr(l.topics, `${what}.topics`).map((t, i) => hash(t, `${what}.topics[${i}]`)),
    data: hexData(l.data, `${what}.data`),
    blockNumber: num(l.blockNumber, `${what}.blockNumber`),
    transactionHash: hash(l.transactionHash, `${what}.transactionHash`),
    transactionIndex: num(l.transactionIndex, `${what}.transactionIndex`),
    logIndex: num(l.logIndex, `${what}.logIndex`),
    removed: l.removed === true,
  };
  const ts = optNum(l.blockTimestamp, `${what}.blockTimestamp`);
  if (ts !== undefined) out.blockTimestamp = ts;
  return out;
}

export const logs = (v: unknown): RpcLog[] => arr(v, 'logs').map((l, i) => log(l, `logs[${i}]`));

export interface RpcReceipt {
  transactionHash: string;
  from: string;
  to: string | null;
  contractAddress: string | null;
  status: boolean;
  blockNumber: number;
  transactionIndex: number;
  gasUsed: bigint;
  /** gasUsed × effectiveGasPrice + blob gas + L1 fee. */
  fee: bigint;
  logs: RpcLog[];
  timestamp?: number;
}

export function receipt(v: unknown, txGasPrice?: bigint): RpcReceipt | null {
  if (v === null) return null;
  const r = obj(v, 'receipt');
  const gasUsed = big(r.gasUsed, 'receipt.gasUsed');
  const price = optBig(r.effectiveGasPrice, 'receipt.effectiveGasPrice') ?? txGasPrice ?? 0n;
  const blobUsed = optBig(r.blobGasUsed, 'receipt.blobGasUsed') ?? 0n;
  const blobPrice = optBig(r.blobGasPrice, 'receipt.blobGasPrice') ?? 0n;
  const l1Fee = optBig(r.l1Fee, 'receipt.l1Fee') ?? 0n;
  // Pre-Byzantium receipts have `root` instead of `status`: treat them as successful.
  const status = r.status === undefined || r.status === null ? true : big(r.status, 'receipt.status') === 1n;
  const out: RpcReceipt = {
    transactionHash: hash(r.transactionHash, 'receipt.transactionHash'),
    from: addr(r.from, 'receipt.from'),
    to: optAddr(r.to, 'receipt.to'),
    contractAddress: optAddr(r.contractAddress, 'receipt.contractAddress'),
    status,
    blockNumber: num(r.blockNumber, 'receipt.blockNumber'),
    transactionIndex: num(r.transactionIndex, 'receipt.transactionIndex'),
    gasUsed,
    fee: gasUsed * price + blobUsed * blobPrice + l1Fee,
    logs: arr(r.logs ?? [], 'receipt.logs').map((l, i) => log(l, `receipt.logs[${i}]`)),
  };
  const ts = optNum(r.timestamp ?? r.blockTimestamp, 'receipt.timestamp');
  if (ts !== undefined) out.timestamp = ts;
  return out;
}

// ---- Otterscan ----------------------------------------------------------------------------

export interface OtsPage {
  txs: RpcTx[];
  receipts: RpcReceipt[];
  firstPage: boolean;
  lastPage: boolean;
}

export function otsPage(v: unknown): OtsPage {
  const p = obj(v, 'ots page');
  const txs = arr(p.txs, 'ots page txs').map((t) => tx(t)!);
  const receipts = arr(p.receipts, 'ots page receipts').map((r, i) => receipt(r, txs[i]?.gasPrice)!);
  if (txs.some((t) => t === null) || receipts.some((r) => r === null))
    throw new Error('ots page has null entries');
  return { txs, receipts, firstPage: p.firstPage === true, lastPage: p.lastPage === true };
}

export interface OtsInternalOp {
  type: number;
  from: string;
  to: string;
  value: bigint;
}

export const otsInternalOps = (v: unknown): OtsInternalOp[] =>
  arr(v, 'internal operations').map((x, i) => {
    const o = obj(x, `op[${i}]`);
    return {
      type: num(o.type, `op[${i}].type`),
      from: addr(o.from, `op[${i}].from`),
      to: addr(o.to, `op[${i}].to`),
      value: big(o.value, `op[${i}].value`),
    };
  });

// ---- Parity-style traces (trace_filter, trace_transaction) ---------------------------------

export interface ParityTrace {
  type: string;
  callType?: string;
  from?: string;
  to?: string | null;
  value: bigint;
  /** create: the new contract; suicide: the beneficiary. */
  created?: string | null;
  refundAddress?: string | null;
  /** suicide: the destroyed contract. */
  address?: string | null;
  error: boolean;
  traceAddress: number[];
  transactionHash: string | null;
  blockNumber: number;
  transactionPosition: number | null;
}

export function parityTrace(v: unknown, what = 'trace'): ParityTrace {
  const t = obj(v, what);
  const action = obj(t.action ?? {}, `${what}.action`);
  const result = t.result === null || t.result === undefined ? {} : obj(t.result, `${what}.result`);
  const type = typeof t.type === 'string' ? t.type : '';
  const out: ParityTrace = {
    type,
    value:
      type === 'suicide'
        ? (optBig(action.balance, `${what}.balance`) ?? 0n)
        : (optBig(action.value, `${what}.value`) ?? 0n),
    error: typeof t.error === 'string' && t.error.length > 0,
    traceAddress: arr(t.traceAddress ?? [], `${what}.traceAddress`).map((n, i) =>
      num(n, `${what}.traceAddress[${i}]`),
    ),
    transactionHash:
      t.transactionHash === null || t.transactionHash === undefined
        ? null
        : hash(t.transactionHash, `${what}.transactionHash`),
    blockNumber: num(t.blockNumber, `${what}.blockNumber`),
    transactionPosition: optNum(t.transactionPosition, `${what}.transactionPosition`) ?? null,
  };
  if (typeof action.callType === 'string') out.callType = action.callType.toLowerCase();
  if (action.from !== undefined) out.from = addr(action.from, `${what}.from`);
  if (action.to !== undefined) out.to = optAddr(action.to, `${what}.to`);
  if (type === 'create') out.created = optAddr(result.address, `${what}.result.address`);
  if (type === 'suicide') {
    out.address = optAddr(action.address, `${what}.address`);
    out.refundAddress = optAddr(action.refundAddress, `${what}.refundAddress`);
  }
  return out;
}

export const parityTraces = (v: unknown): ParityTrace[] =>
  arr(v, 'traces').map((t, i) => parityTrace(t, `traces[${i}]`));

// ---- geth callTracer ----------------------------------------------------------------------

export interface CallFrame {
  type: string;
  from: string;
  to: string | null;
  value: bigint;
  error: boolean;
  calls: CallFrame[];
}

export function callFrame(v: unknown, what = 'frame', depth = 0): CallFrame {
  if (depth > 1100) throw new Error('call tree too deep');
  const f = obj(v, what);
  return {
    type: typeof f.type === 'string' ? f.type.toUpperCase() : '',
    from: addr(f.from, `${what}.from`),
    to: optAddr(f.to, `${what}.to`),
    value: optBig(f.value, `${what}.value`) ?? 0n,
    error: typeof f.error === 'string' && f.error.length > 0,
    calls: arr(f.calls ?? [], `${what}.calls`).map((c, i) => callFrame(c, `${what}.calls[${i}]`, depth + 1)),
  };
}

export function hexResult(v: unknown): string {
  return hexData(v, 'result');
}

export function quantity(v: unknown): number {
  return num(v, 'result');
}
