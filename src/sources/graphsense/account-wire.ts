// GraphSense REST wire format → account-chain records (eth, trx). Shapes from the OpenAPI spec
// v1.15.5 (`tx_account`, `address_txs`, `txs`, `token_configs`) and the v2.15.1 model tables:
//
//   tx_account    { tx_type: "account", identifier, currency, network, tx_hash, height, timestamp,
//                   value: values, fee?: values, from_address, to_address, token_tx_id?,
//                   contract_creation?, is_external? }
//   address_txs   { address_txs: [tx_account], next_page? }   GET /{c}/addresses/{a}/txs
//   txs           { txs: [tx_account], next_page? }           GET /{c}/txs/{h}/flows
//   token_configs { token_configs: [{ ticker, decimals, peg_currency?, contract_address? }] }
//
// What a tx_account is comes from its `identifier` (graphsense-lib's SubTransactionIdentifier):
// `<hash>` the transaction itself (external), `<hash>_I<trace_index>` an internal transfer (a
// trace), `<hash>_T<token_tx_id>` a token transfer (the Transfer event's log index); `is_external`
// and `token_tx_id`, when present, must agree with it. Amounts are `values.value`, integers of base
// units that may exceed 2^53 (wei): bodies are parsed with numbers kept as their digits
// (../prices/json-exact.ts), never through a double. A token's `currency` is its lowercase ticker.
// Every problem of a response is reported together (ValidationError → BAD_DATA naming the URL).
import { toChecksumAddress } from '../../core/keccak.js';
import { decodeTron, evmToTron } from '../../core/tron.js';
import { ValidationError } from '../http/index.js';
import { type ExactJson, JsonNumber, parseJsonExact } from '../prices/json-exact.js';
import { Problems } from './wire.js';

const HASH = /^(?:0x)?([0-9a-fA-F]{64})$/;
const EVM = /^0x[0-9a-fA-F]{40}$/;
/** Below 2^256: anything longer is no amount of any token. */
const UINT = /^(?:0|[1-9]\d{0,77})$/;
const IDENT = /^(?:0x)?([0-9a-fA-F]{64})(?:_([IT])(\d{1,9}))?$/;

function show(v: ExactJson | undefined): string {
  if (v === undefined) return 'nothing';
  if (v instanceof JsonNumber) return `${v.text.length > 40 ? `${v.text.slice(0, 40)}…` : v.text} (number)`;
  const s = JSON.stringify(v, (_k, x) => (x instanceof JsonNumber ? x.text : x)) ?? String(v);
  return `${s.length > 40 ? `${s.slice(0, 40)}…` : s} (${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v})`;
}

type Obj = { [key: string]: ExactJson };
const isObj = (v: ExactJson | undefined): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);

function obj(p: Problems, v: ExactJson | undefined, path: string): Obj | undefined {
  return isObj(v) ? v : p.add(path, `expected an object, got ${show(v)}`);
}
function arr(p: Problems, v: ExactJson | undefined, path: string): ExactJson[] | undefined {
  return Array.isArray(v) ? v : p.add(path, `expected an array, got ${show(v)}`);
}
function int(p: Problems, v: ExactJson | undefined, path: string, min: number, max: number) {
  if (v instanceof JsonNumber && /^-?\d+$/.test(v.text)) {
    const n = Number(v.text);
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
  }
  return p.add(path, `expected an integer in [${min}, ${max}], got ${show(v)}`);
}
/** `values` → base units, exactly. */
function units(p: Problems, v: ExactJson | undefined, path: string): bigint | undefined {
  const o = obj(p, v, path);
  if (!o) return undefined;
  const x = o.value;
  if (x instanceof JsonNumber && UINT.test(x.text)) return BigInt(x.text);
  return p.add(`${path}.value`, `expected a whole number of base units, 0 or more, got ${show(x)}`);
}
function str(p: Problems, v: ExactJson | undefined, path: string): string | undefined {
  return typeof v === 'string' ? v : p.add(path, `expected a string, got ${show(v)}`);
}

/** Parses a body keeping every number's digits; a syntax error is a validation problem. */
export function exactBody(text: string): ExactJson {
  try {
    return parseJsonExact(text);
  } catch (e) {
    throw new ValidationError(`not JSON (${(e as Error).message})`);
  }
}

export type AddressForm = 'evm' | 'tron';

/** An account address as GraphSense writes it → fundtrace's canonical form, or undefined. */
export function canonicalAccount(form: AddressForm, a: string): string | undefined {
  if (form === 'evm') return EVM.test(a) ? toChecksumAddress(a.slice(2).toLowerCase()) : undefined;
  // base58check, or the 41… hex form (decodeTron reads both); an EVM form maps to the same body.
  const d = decodeTron(a);
  if (d.ok) return d.base58;
  if (EVM.test(a)) return evmToTron(a);
  return undefined;
}

/** A transaction hash as GraphSense writes it (hex, 0x optional) → the chain's txid form. */
export function canonicalHash(form: AddressForm, h: string): string | undefined {
  const m = HASH.exec(h);
  if (!m) return undefined;
  const hex = m[1]!.toLowerCase();
  return form === 'evm' ? `0x${hex}` : hex;
}

/** One tx_account, checked and canonical. */
export interface GsAccountTx {
  kind: 'external' | 'internal' | 'token';
  /** The identifier as sent (for messages). */
  identifier: string;
  tx: string;
  /** trace_index (internal) or token_tx_id (token); null for the transaction itself. */
  sub: number | null;
  height: number;
  timestamp: number;
  from: string;
  to: string;
  /** Lowercase: the network's own (eth, trx) or a token's ticker. */
  currency: string;
  value: bigint;
  /** Gas / energy paid, when GraphSense gives it (the transaction itself only). */
  fee: bigint | null;
}

function accountTx(
  p: Problems,
  raw: ExactJson | undefined,
  at: string,
  network: string,
  form: AddressForm,
): GsAccountTx | undefined {
  const o = obj(p, raw, at);
  if (!o) return undefined;
  const before = p.list.length;
  if (o.tx_type !== 'account') p.add(`${at}.tx_type`, `expected "account", got ${show(o.tx_type)}`);
  const idRaw = str(p, o.identifier, `${at}.identifier`);
  const hashRaw = str(p, o.tx_hash, `${at}.tx_hash`);
  const tx = hashRaw === undefined ? undefined : canonicalHash(form, hashRaw);
  if (hashRaw !== undefined && tx === undefined)
    p.add(`${at}.tx_hash`, `expected 64 hex digits, got ${show(hashRaw)}`);
  let kind: GsAccountTx['kind'] | undefined;
  let sub: number | null = null;
  if (idRaw !== undefined) {
    const m = IDENT.exec(idRaw);
    if (!m) {
      p.add(
        `${at}.identifier`,
        `${show(idRaw)} is neither a transaction hash, <hash>_I<trace> nor <hash>_T<token transfer>`,
      );
    } else {
      if (tx !== undefined && canonicalHash(form, m[1]!) !== tx)
        p.add(`${at}.identifier`, `names transaction ${m[1]}, but tx_hash is ${hashRaw}`);
      kind = m[2] === 'I' ? 'internal' : m[2] === 'T' ? 'token' : 'external';
      sub = m[3] === undefined ? null : Number(m[3]);
    }
  }
  const ext = o.is_external;
  if (ext !== undefined && ext !== null) {
    if (typeof ext !== 'boolean') p.add(`${at}.is_external`, `expected true or false, got ${show(ext)}`);
    else if (kind !== undefined && kind !== 'token' && ext !== (kind === 'external'))
      p.add(`${at}.is_external`, `is ${ext}, but the identifier ${show(idRaw)} says ${kind}`);
  }
  const tid = o.token_tx_id;
  if (tid !== undefined && tid !== null) {
    const n = int(p, tid, `${at}.token_tx_id`, 0, 999_999_999);
    if (n !== undefined && kind !== undefined && (kind !== 'token' || n !== sub))
      p.add(`${at}.token_tx_id`, `is ${n}, but the identifier ${show(idRaw)} says otherwise`);
  }
  const currency = str(p, o.currency, `${at}.currency`)?.toLowerCase();
  if (o.network !== undefined && typeof o.network === 'string' && o.network.toLowerCase() !== network)
    p.add(`${at}.network`, `is ${show(o.network)}, not the requested ${network}`);
  if (currency !== undefined && kind !== undefined) {
    if (kind !== 'token' && currency !== network)
      p.add(`${at}.currency`, `a ${kind} transfer moves ${network}, but currency is ${show(o.currency)}`);
    if (kind === 'token' && currency === network)
      p.add(`${at}.currency`, `a token transfer names the network's own currency ${show(o.currency)}`);
  }
  const height = int(p, o.height, `${at}.height`, 0, 1_000_000_000);
  const timestamp = int(p, o.timestamp, `${at}.timestamp`, 0, 32_503_680_000);
  const addr = (k: 'from_address' | 'to_address') => {
    const s = str(p, o[k], `${at}.${k}`);
    if (s === undefined) return undefined;
    const c = canonicalAccount(form, s);
    if (c === undefined)
      p.add(
        `${at}.${k}`,
        `${show(s)} is not a valid ${network} address (is the currency in the URL the chain you trace?)`,
      );
    return c;
  };
  const from = addr('from_address');
  const to = addr('to_address');
  const value = units(p, o.value, `${at}.value`);
  const fee = o.fee === undefined || o.fee === null ? null : units(p, o.fee, `${at}.fee`);
  if (fee !== null && fee !== undefined && kind !== undefined && kind !== 'external' && fee > 0n)
    p.add(`${at}.fee`, `a ${kind} transfer pays no fee of its own, but fee is ${fee}`);
  if (p.list.length !== before) return undefined;
  return {
    kind: kind!,
    identifier: idRaw!,
    tx: tx!,
    sub,
    height: height!,
    timestamp: timestamp!,
    from: from!,
    to: to!,
    currency: currency!,
    value: value!,
    fee: kind === 'external' ? (fee ?? null) : null,
  };
}

/** GET /{c}/txs/{h} on an account chain: the transaction itself. */
export function accountTxValidator(
  network: string,
  form: AddressForm,
  expected: string,
): (text: string) => GsAccountTx {
  return (text) => {
    const p = new Problems();
    const t = accountTx(p, exactBody(text), 'tx', network, form);
    p.throwIfAny();
    if (t!.tx !== expected) p.add('tx.tx_hash', `is ${t!.tx}, not the requested ${expected}`);
    if (t!.kind !== 'external')
      p.add('tx.identifier', `is ${t!.identifier}, not the transaction ${expected} itself`);
    p.throwIfAny();
    return t!;
  };
}

/** One page of a list of tx_account (`address_txs` or `txs`) and the cursor of the next page. */
export interface AccountPage {
  items: GsAccountTx[];
  next: string | null;
}

export function accountPageValidator(
  listKey: 'address_txs' | 'txs',
  network: string,
  form: AddressForm,
): (text: string) => AccountPage {
  return (text) => {
    const p = new Problems();
    const o = obj(p, exactBody(text), listKey);
    const list = (o && arr(p, o[listKey], `${listKey}.${listKey}`)) ?? [];
    const items: GsAccountTx[] = [];
    list.forEach((raw, i) => {
      const t = accountTx(p, raw, `${listKey}[${i}]`, network, form);
      if (t) items.push(t);
    });
    const n = o?.next_page;
    if (n !== undefined && n !== null && typeof n !== 'string')
      p.add(`${listKey}.next_page`, `expected a string or null, got ${show(n)}`);
    p.throwIfAny();
    return { items, next: typeof n === 'string' && n !== '' ? n : null };
  };
}

export interface TokenConfig {
  /** Lowercase ticker, as token transfers name their currency. */
  ticker: string;
  /** The ticker as sent (for a symbol). */
  symbol: string;
  decimals: number;
  /** Canonical contract address, when the deployment gives it. */
  contract?: string;
}

/** GET /{c}/supported_tokens. */
export function tokenConfigsValidator(form: AddressForm): (text: string) => TokenConfig[] {
  return (text) => {
    const p = new Problems();
    const o = obj(p, exactBody(text), 'token_configs');
    const list = (o && arr(p, o.token_configs, 'token_configs.token_configs')) ?? [];
    const out: TokenConfig[] = [];
    const seen = new Set<string>();
    list.forEach((raw, i) => {
      const at = `token_configs[${i}]`;
      const x = obj(p, raw, at);
      if (!x) return;
      const symbol = str(p, x.ticker, `${at}.ticker`);
      const decimals = int(p, x.decimals, `${at}.decimals`, 0, 77);
      let contract: string | undefined;
      if (x.contract_address !== undefined && x.contract_address !== null) {
        const c = str(p, x.contract_address, `${at}.contract_address`);
        contract = c === undefined ? undefined : canonicalAccount(form, c);
        if (c !== undefined && contract === undefined)
          p.add(`${at}.contract_address`, `${show(c)} is not a contract address of this chain`);
      }
      if (symbol === undefined || decimals === undefined) return;
      const ticker = symbol.toLowerCase();
      if (seen.has(ticker)) p.add(`${at}.ticker`, `${show(symbol)} is listed twice`);
      seen.add(ticker);
      out.push({ ticker, symbol, decimals, ...(contract ? { contract } : {}) });
    });
    p.throwIfAny();
    return out;
  };
}

/** GET /{c}/blocks/{height}/txs on an account chain: the block's transactions, in order. */
export function blockTxsValidator(
  network: string,
  form: AddressForm,
  height: number,
): (text: string) => string[] {
  return (text) => {
    const p = new Problems();
    const list = arr(p, exactBody(text), 'txs') ?? [];
    const out: string[] = [];
    list.forEach((raw, i) => {
      const t = accountTx(p, raw, `txs[${i}]`, network, form);
      if (!t) return;
      if (t.kind !== 'external')
        p.add(`txs[${i}].identifier`, `${t.identifier} is not a transaction of the block`);
      if (t.height !== height) p.add(`txs[${i}].height`, `is ${t.height}, not the requested block ${height}`);
      if (out.includes(t.tx)) p.add(`txs[${i}].tx_hash`, `${t.tx} is listed twice`);
      out.push(t.tx);
    });
    p.throwIfAny();
    return out;
  };
}
