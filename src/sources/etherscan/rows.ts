// Row shapes of the account module (txlist, txlistinternal, tokentx) in both dialects, checked
// and turned into typed rows. Everything in these APIs is a string: numbers are decimal strings,
// addresses are lower-case hex, and empty strings stand for "none".
//
// Dialect differences handled here (see ./README.md):
//   Etherscan v2 (and Routescan): internal rows carry `hash` and `traceId` ("0_1_1"; Routescan
//     sends the flat trace index instead, "19"); internal rows looked up by `txhash` carry neither,
//     and their `transactionIndex` is NOT the tx's position: it differs from call to call of the
//     one tx (recorded: 4, 5, …, 87 in one tx; it is the call's index in the trace), so it is not
//     read as a position; tokentx rows have no `logIndex`; no by-address row of txlistinternal has
//     `transactionIndex`.
//   Blockscout: fields in alphabetical order, no `functionName`; internal rows carry
//     `transactionHash` (not `hash`), `index` (call order in the tx) and `callType` (e.g.
//     "delegatecall", while `type` says "call"); tokentx rows carry `logIndex`; lists default to
//     descending order (we always send sort=asc).
//   Genesis allocations (Etherscan txlist): hash "GENESIS_<address>", from "GENESIS", block 0.
import { ValidationError } from '../http/index.js';

export interface NormalRow {
  block: number;
  time: number;
  hash: string;
  position: number | null;
  /** Lower-case 0x address, or "GENESIS" for a genesis allocation. */
  from: string;
  /** Lower-case 0x address; "" for a contract creation (see contractAddress). */
  to: string;
  contractAddress: string;
  value: bigint;
  gasUsed: bigint;
  gasPrice: bigint;
  failed: boolean;
  genesis: boolean;
}

export interface InternalRow {
  block: number;
  time: number;
  /** Empty for Etherscan rows looked up by txhash (the query names the tx). */
  hash: string;
  /** Null for rows without a hash: their `transactionIndex` is not the tx's position. */
  position: number | null;
  from: string;
  to: string;
  contractAddress: string;
  value: bigint;
  type: string;
  callType: string;
  traceId: string | undefined;
  seq: number | undefined;
  failed: boolean;
}

export interface TokenRow {
  block: number;
  time: number;
  hash: string;
  position: number | null;
  from: string;
  to: string;
  contract: string;
  value: bigint;
  decimals: number | undefined;
  symbol: string;
  name: string;
  logIndex: number | undefined;
  /** An NFT row that slipped into tokentx (Blockscout marks them with tokenID): ignored. */
  nft: boolean;
}

export type ListAction = 'txlist' | 'txlistinternal' | 'tokentx';
export type RowOf<A extends ListAction> = A extends 'txlist'
  ? NormalRow
  : A extends 'txlistinternal'
    ? InternalRow
    : TokenRow;

const DIGITS = /^\d+$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const TXHASH = /^0x[0-9a-fA-F]{64}$/;
const GENESIS_HASH = /^GENESIS_[0-9a-fA-F]{40}$/;

class Checker {
  readonly problems: string[] = [];
  constructor(private readonly at: string) {}
  private bad(field: string, value: unknown, what: string): void {
    if (this.problems.length < 20) {
      const v = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : String(value);
      this.problems.push(`${this.at}: ${field} ${v} ${what}`);
    }
  }
  str(r: Record<string, unknown>, field: string): string {
    const v = r[field];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') {
      this.bad(field, v, 'is not a string');
      return '';
    }
    return v;
  }
  int(r: Record<string, unknown>, field: string, optional = false): number | undefined {
    const s = this.str(r, field);
    if (s === '' && optional) return undefined;
    if (!DIGITS.test(s) || s.length > 15) {
      this.bad(field, s, 'is not a block-sized decimal integer');
      return undefined;
    }
    return Number(s);
  }
  big(r: Record<string, unknown>, field: string, optional = false): bigint {
    const s = this.str(r, field);
    if (s === '' && optional) return 0n;
    if (!DIGITS.test(s) || s.length > 100) {
      this.bad(field, s, 'is not a decimal amount');
      return 0n;
    }
    return BigInt(s);
  }
  address(r: Record<string, unknown>, field: string, allowEmpty: boolean, allow?: string): string {
    const s = this.str(r, field);
    if (s === '' && allowEmpty) return '';
    if (allow !== undefined && s === allow) return s;
    if (!ADDRESS.test(s)) {
      this.bad(field, s, 'is not an address');
      return '';
    }
    return s.toLowerCase();
  }
  hash(r: Record<string, unknown>, field: string, allowGenesis = false, allowEmpty = false): string {
    const s = this.str(r, field);
    if (s === '' && allowEmpty) return '';
    if (TXHASH.test(s)) return s.toLowerCase();
    if (allowGenesis && GENESIS_HASH.test(s)) return s;
    this.bad(field, s, 'is not a transaction hash');
    return '';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseNormal(r: Record<string, unknown>, c: Checker): NormalRow {
  const hash = c.hash(r, 'hash', true);
  const genesis = hash.startsWith('GENESIS_');
  const status = c.str(r, 'txreceipt_status');
  return {
    block: c.int(r, 'blockNumber') ?? 0,
    time: c.int(r, 'timeStamp') ?? 0,
    hash,
    position: c.int(r, 'transactionIndex', true) ?? null,
    from: c.address(r, 'from', false, 'GENESIS'),
    to: c.address(r, 'to', true),
    contractAddress: c.address(r, 'contractAddress', true),
    value: c.big(r, 'value'),
    gasUsed: c.big(r, 'gasUsed', true),
    gasPrice: c.big(r, 'gasPrice', true),
    failed: c.str(r, 'isError') === '1' || status === '0',
    genesis,
  };
}

function parseInternal(r: Record<string, unknown>, c: Checker): InternalRow {
  const hashField = r.hash !== undefined ? 'hash' : 'transactionHash';
  const traceId = c.str(r, 'traceId');
  const seq = r.index !== undefined ? c.int(r, 'index', true) : undefined;
  const hash = c.hash(r, hashField, false, true);
  // Checked either way; a position only when the row names its tx (see the header).
  const index = c.int(r, 'transactionIndex', true) ?? null;
  return {
    block: c.int(r, 'blockNumber') ?? 0,
    time: c.int(r, 'timeStamp') ?? 0,
    hash,
    position: hash === '' ? null : index,
    from: c.address(r, 'from', true),
    to: c.address(r, 'to', true),
    contractAddress: c.address(r, 'contractAddress', true),
    value: c.big(r, 'value', true),
    type: c.str(r, 'type').toLowerCase(),
    callType: c.str(r, 'callType').toLowerCase(),
    traceId: traceId === '' ? undefined : traceId,
    seq,
    failed: c.str(r, 'isError') === '1',
  };
}

function parseToken(r: Record<string, unknown>, c: Checker): TokenRow {
  const dec = c.str(r, 'tokenDecimal');
  const nft = r.tokenID !== undefined && r.tokenID !== '';
  let decimals: number | undefined;
  if (/^\d{1,3}$/.test(dec) && Number(dec) <= 255) decimals = Number(dec);
  return {
    block: c.int(r, 'blockNumber') ?? 0,
    time: c.int(r, 'timeStamp') ?? 0,
    hash: c.hash(r, 'hash'),
    position: c.int(r, 'transactionIndex', true) ?? null,
    from: c.address(r, 'from', false),
    to: c.address(r, 'to', false),
    contract: c.address(r, 'contractAddress', false),
    value: nft ? 0n : c.big(r, 'value'),
    decimals,
    symbol: c.str(r, 'tokenSymbol'),
    name: c.str(r, 'tokenName'),
    logIndex: r.logIndex !== undefined ? c.int(r, 'logIndex', true) : undefined,
    nft,
  };
}

/** Check and convert the `result` rows of one list response; throws ValidationError listing problems. */
export function parseRows<A extends ListAction>(action: A, rows: readonly unknown[]): RowOf<A>[] {
  const out: RowOf<A>[] = new Array(rows.length);
  const problems: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const c = new Checker(`result[${i}]`);
    if (!isObject(r)) {
      problems.push(`result[${i}] is not an object`);
      if (problems.length >= 20) break;
      continue;
    }
    out[i] = (
      action === 'txlist'
        ? parseNormal(r, c)
        : action === 'txlistinternal'
          ? parseInternal(r, c)
          : parseToken(r, c)
    ) as RowOf<A>;
    if (c.problems.length > 0) {
      problems.push(...c.problems);
      if (problems.length >= 20) break;
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return out;
}
