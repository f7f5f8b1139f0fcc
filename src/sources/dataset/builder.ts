// Semantic validation of a dataset and construction of the in-memory Dataset.
//
// The readers (read.ts) feed it records that already passed the JSON Schema, one at a time, in
// file order; per-record rules (addresses, assets, kinds, amounts, head) are checked on arrival,
// cross-record rules (duplicates, spends, double spends, fees, order) in finish(). Records are kept
// compact: bigint values, canonical address strings shared between records, interned times.
import { canonicalAddress, quoteValue, tryCanonicalAddress } from '../../core/address.js';
import { type ChainInfo, findChain, knownChains } from '../../core/chains.js';
import { FundtraceError } from '../../core/errors.js';
import {
  type AssetInfo,
  compareLabelFields,
  compareOrder,
  compareTransfers,
  compareTxs,
  type Dataset,
  type DatasetHead,
  type Label,
  type Transfer,
  type TransferKind,
  type TxInput,
  type TxLog,
  type TxOutput,
  type UtxoTx,
} from '../../core/model.js';
import { looksLikeTron } from '../../core/tron.js';
import { knownTokenAt } from '../evm/assets.js';
import { type IndexHints, IntBuffer, StringIds, setIndexHints } from './hints.js';
import { type DatasetForm, type DatasetProblem, escapePointer, ProblemList } from './problems.js';

/** How far a spender's block time may be before its parent's (Bitcoin's 2-hour future limit). */
const MAX_CLOCK_SKEW_MS = 2 * 3600 * 1000;
export type Section = 'transactions' | 'transfers' | 'logs' | 'labels';

const SECTION_RANK: Record<Section, number> = { transactions: 1, transfers: 2, logs: 3, labels: 4 };

/** A type alias (not an interface) so it is assignable to Record<string, unknown>. */
export type DatasetStats = {
  /** Which encoding was read. */
  form: DatasetForm;
  /** Canonical chain name, when the header names a known chain. */
  chain: string | null;
  kind: 'utxo' | 'account' | null;
  /** Records read (every record line / array item after the header), valid or not. */
  records: number;
  transactions: number;
  transfers: number;
  /** Event logs (account chains; only when the dataset has any). */
  logs?: number;
  labels: number;
  /** Distinct (canonical) addresses seen in records. */
  addresses: number;
  /** Asset keys: the native symbol first, then declared symbols in order. */
  assets: string[];
  minHeight: number | null;
  maxHeight: number | null;
  unconfirmed: number;
  problems: number;
};

export interface BuildResult {
  problems: DatasetProblem[];
  stats: DatasetStats;
  /** Present only when there are no problems. */
  dataset?: Dataset;
}

/** Shapes of records after the JSON Schema accepted them. */
export interface RawHeader {
  format?: unknown;
  chain?: unknown;
  assets?: Record<string, { decimals: number; contract?: string }>;
  head?: { height: number; time?: string };
  name?: string;
  description?: string;
}
interface RawInput {
  txid: string;
  vout: number;
  address: string | null;
  value: string;
}
interface RawOutput {
  address: string | null;
  value: string;
}
export interface RawTransaction {
  txid: string;
  height: number | null;
  position?: number | null;
  time?: string | null;
  inputs: RawInput[];
  outputs: RawOutput[];
}
export interface RawTransfer {
  tx: string;
  index: number;
  height: number | null;
  position?: number | null;
  time?: string | null;
  from: string;
  to: string | null;
  asset: string;
  value: string;
  kind: TransferKind;
}
export interface RawLog {
  tx: string;
  index: number;
  height: number | null;
  position?: number | null;
  time?: string | null;
  address: string;
  topics: string[];
  data: string;
}
export interface RawLabel {
  chain?: string;
  address: string;
  entity: string;
  category: string;
  source: string;
  confidence?: string;
  note?: string;
  lastmod?: string;
}

const KINDS: Record<TransferKind, TransferKind> = {
  native: 'native',
  internal: 'internal',
  token: 'token',
  fee: 'fee',
};
const MAX_UINT256 = (1n << 256n) - 1n;
/** Bitcoin's MAX_MONEY: 21 million coins in satoshi. */
const MAX_MONEY = 2_100_000_000_000_000n;
const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/** Records per packed sort key: (24-bit tx-hash prefix) * 2^29 + record index stays below 2^53. */
const RECORD_SPAN = 2 ** 29;

/** TRC-10 assets are named by a numeric token id (e.g. "1002000" = BTT); fundtrace does not trace them. */
const TRC10_ID = /^[0-9]{1,19}$/;
const TRC10_OUT_OF_SCOPE =
  'TRC-10 assets are out of scope (fundtrace traces TRX and TRC-20 tokens); leave its records out of the dataset';

/** The first 24 bits of a tx hash (EVM: 0x + hex; TRON: 64 hex, no prefix; any case, as validated). */
function txPrefix(tx: string): number {
  let h = 0;
  const o = tx.charCodeAt(1) === 120 ? 2 : 0; // "x"
  for (let i = o; i < o + 6; i++) {
    const c = tx.charCodeAt(i);
    h = (h << 4) | (c <= 57 ? c - 48 : (c | 32) - 87);
  }
  return h;
}
/** Pack (record, input) into one number: inputs per transaction stay far below 2^24. */
const PACK = 0x1000000;

function orderText(r: { height: number | null; position: number | null }): string {
  if (r.height === null) return 'unconfirmed';
  return r.position === null ? `height ${r.height}` : `height ${r.height} position ${r.position}`;
}

/** 0x and 40 hex digits with letters of both cases: a checksummed EVM address, if it is valid at all. */
function isMixedCaseEvm(chain: ChainInfo, input: string): boolean {
  if (chain.kind !== 'account' || chain.addressFormat === 'tron' || input.length !== 42) return false;
  if (input.charCodeAt(0) !== 48 || input.charCodeAt(1) !== 120) return false;
  let upper = false;
  let lower = false;
  for (let i = 2; i < 42; i++) {
    const c = input.charCodeAt(i);
    if (c >= 65 && c <= 70) upper = true;
    else if (c >= 97 && c <= 102) lower = true;
    else if (c < 48 || c > 57) return false;
  }
  return upper && lower;
}

/** Spellings and canonical forms → address id (a Map fits). */
export interface AddressIdTable {
  get(spelling: string): number | undefined;
  /** Add a spelling not in the table. */
  set(spelling: string, id: number): void;
  clear(): void;
}

export class DatasetBuilder {
  readonly problems: ProblemList;
  private chain: ChainInfo | undefined;
  private chainNamed: string | undefined;
  private assetsUsable = false;
  private readonly assets = new Map<string, AssetInfo>();
  private readonly declared: string[] = [];
  private readonly contractKey = new Map<string, string>();
  /** Notes for the result: token contracts used as `asset` without being declared. */
  private readonly notes: string[] = [];
  private head: DatasetHead | undefined;
  private name: string | undefined;
  private description: string | undefined;
  private headerLine: number | undefined;

  private readonly txs: UtxoTx[] = [];
  private readonly txLoc: number[] = [];
  private readonly transfers: Transfer[] = [];
  private readonly trLoc: number[] = [];
  private readonly logs: TxLog[] = [];
  private readonly logLoc: number[] = [];
  /** Log records in a UTXO-chain dataset: the first one's location and how many. */
  private logsOnUtxo: { first: number; count: number } | undefined;
  /** The JSON form has a "logs" list (possibly empty): logs were recorded, even if none exist. */
  private logsDeclared = false;
  private readonly labels: Label[] = [];
  private readonly labelLoc: number[] = [];
  private readonly labelSeen = new Map<string, number>();

  /** Input spelling or canonical form → address id; id → canonical address. */
  // A Map: V8 hashes each string natively (once per string); a JS hash over 42 characters per
  // lookup was the load's largest single cost on million-transfer files.
  private readonly addrIdOf: AddressIdTable;
  private readonly addrs: string[] = [];
  private readonly badAddr = new Map<string, string>();
  /** The last address looked up (consecutive records often repeat one). */
  private memoIn: string | undefined;
  private memoId = -1;
  /** Address ids of each record's addresses, in file order, for the view's index hints. */
  private readonly fromIds = new IntBuffer();
  private readonly toIds = new IntBuffer();
  private readonly txAddrIds = new IntBuffer();
  private readonly txAddrStart: number[] = [];
  /** UTXO: first input of each tx in a flat input numbering (file order), and each input's funding tx. */
  private readonly inStart: number[] = [];
  private funding: Int32Array | undefined;
  private lastTime: string | null = null;
  /**
   * Records read back out of order (a trace's ledgers, src/sources/dataset/line.ts) share one
   * string per distinct time (a block's): a file read in order gets that from `lastTime` alone.
   */
  private times: Map<string, string> | undefined;
  private wrongKind: { section: Section; first: number; count: number } | undefined;
  private records = 0;

  /**
   * `sink`: transfers go to it, converted and checked record by record, instead of being kept for
   * finish() (the parallel JSON Lines load, ./parallel.ts, keeps compact columns of its own).
   */
  constructor(
    readonly form: DatasetForm,
    private readonly sink?: (t: Transfer, fromId: number, toId: number, n: number) => void,
    /**
     * The records were checked already (read back from a file just checked, or from an index built
     * from a checked file): an EVM address in mixed case passed its EIP-55 checksum then, so it is
     * its own canonical form and its keccak is not computed again.
     */
    private readonly checked = false,
    /** Where spellings' ids are kept (default a Map; the parallel load's fast path keeps them as bytes). */
    addressIds: AddressIdTable = new Map(),
  ) {
    this.problems = new ProblemList(form);
    this.addrIdOf = addressIds;
  }

  /** Share time strings between records read in any order (see `times`). */
  internTimes(): void {
    this.times ??= new Map();
  }

  /** Problems reported so far. */
  get problemCount(): number {
    return this.problems.size;
  }

  /** Addresses interned so far (ids handed out since the last forgetAddresses). */
  get internedAddresses(): number {
    return this.addrs.length;
  }

  /**
   * Forgets the interned addresses: ids start again, the strings already handed out stay as they
   * are. Only for a sink that keeps no ids (records read back, ./line.ts): their records then share
   * strings within a stretch of reading, and the table stays small (a trace that read 380 000
   * records met 270 000 addresses: a 14 MB table, kept for as long as the trace ran).
   */
  forgetAddresses(): void {
    this.addrIdOf.clear();
    this.addrs.length = 0;
    this.memoIn = undefined;
    this.memoId = -1;
  }

  // ---- the parallel load's byte-level fast path (./chunk.ts, ./fastline.ts) ----------------

  /** The head's height (a transfer after it is a problem), if the header has a head. */
  get headHeight(): number | undefined {
    return this.head?.height;
  }

  /** Does the chain write tx ids without 0x (TRON)? */
  get tronTx(): boolean {
    return this.chain?.addressFormat === 'tron';
  }

  /** Count a transfer the fast path read whole: it took it only because no rule was broken. */
  countTransfer(): void {
    this.records++;
  }

  /**
   * A transfer's from or to address id, as addTransfer finds it (-1: invalid, reported).
   * `fresh`: the caller has just looked it up in this builder's table and not found it.
   */
  transferAddressId(input: string, n: number, sub: '/from' | '/to', fresh: boolean): number {
    return this.addressId(input, 'transfers', n, sub, undefined, fresh);
  }

  /**
   * The id of a new address already in its canonical form (the parallel load's fast path checked
   * it by its bytes: an EVM address in EIP-55 form); the caller records it in this builder's table.
   */
  newCanonicalAddress(c: string): number {
    this.addrs.push(c);
    return this.addrs.length - 1;
  }

  /** Addresses on this chain are EVM's (0x and 40 hex digits; the EIP-55 checksum). */
  get evmAddresses(): boolean {
    return this.chain?.kind === 'account' && this.chain.addressFormat !== 'tron';
  }

  /** A transfer's asset key, as addTransfer finds it; undefined when asset and kind break a rule (reported). */
  transferAsset(input: string, kind: TransferKind, n: number): string | undefined {
    const before = this.problems.size;
    const key = this.resolveAsset(input, kind, n);
    return this.problems.size === before ? key : undefined;
  }

  /** Canonical addresses by id (ids as handed to the sink). */
  addressTable(): readonly string[] {
    return this.addrs;
  }

  /** Notes, labels and asset keys gathered so far (the parallel load merges them). */
  gathered(): {
    notes: readonly string[];
    labels: readonly Label[];
    declared: readonly string[];
    assets: ReadonlyMap<string, AssetInfo>;
  } {
    return { notes: this.notes, labels: this.labels, declared: this.declared, assets: this.assets };
  }

  // ---- locations ---------------------------------------------------------------------------

  /** Report a problem at record n (array index or line) of a section, optionally at a sub-pointer. */
  private report(section: Section, n: number, sub: string, message: string): void {
    const loc = this.problems.locate(section, n, sub);
    if (this.form === 'jsonl') this.problems.add(loc, message, n, 0);
    else this.problems.add(loc, message, SECTION_RANK[section], n);
  }

  /** Report a problem with a header field (sub = pointer like /chain). */
  reportHeader(sub: string, message: string): void {
    const loc = this.problems.locate(undefined, this.headerLine, sub);
    this.problems.add(loc, message, this.form === 'jsonl' ? (this.headerLine ?? 0) : 0, 0);
  }

  /** Report a problem with the whole document. */
  reportDocument(message: string): void {
    this.problems.add(this.problems.locate(undefined, undefined), message, -1, 0);
  }

  /** Report a problem found by the reader at an exact location (JSON Lines: a line). */
  reportLine(line: number, sub: string, message: string): void {
    this.problems.add(this.problems.locate('line', line, sub), message, line, 0);
  }

  /** Report a structural problem inside a JSON-form section. */
  reportAt(section: Section, n: number, sub: string, message: string): void {
    this.report(section, n, sub, message);
  }

  private where(section: Section, n: number, sub = ''): string {
    return this.problems.locate(section, n, sub).location;
  }

  // ---- header ------------------------------------------------------------------------------

  /**
   * Take the header. `bad` names top-level fields that failed the schema (already reported); they
   * are not used. `line` is the JSON Lines line number (undefined for the JSON form).
   */
  setHeader(raw: RawHeader, bad: ReadonlySet<string>, line?: number): void {
    this.headerLine = line;
    if (!bad.has('chain') && typeof raw.chain === 'string') {
      this.chainNamed = raw.chain;
      this.chain = findChain(raw.chain);
      if (!this.chain) {
        this.reportHeader(
          '/chain',
          `unknown chain ${quoteValue(raw.chain)} (known: ${knownChains().join(', ')}; aliases and chain ids work too)`,
        );
      }
    }
    const chain = this.chain;
    if (chain) {
      this.assets.set(chain.native.symbol, { symbol: chain.native.symbol, decimals: chain.native.decimals });
      this.assetsUsable = !bad.has('assets');
    }
    if (chain && this.assetsUsable && raw.assets) {
      for (const [key, info] of Object.entries(raw.assets)) this.declareAsset(chain, key, info);
    }
    if (!bad.has('head') && raw.head) {
      this.head = raw.head.time === undefined ? { height: raw.head.height } : { ...raw.head };
    }
    if (!bad.has('name') && typeof raw.name === 'string') this.name = raw.name;
    if (!bad.has('description') && typeof raw.description === 'string') this.description = raw.description;
  }

  private declareAsset(chain: ChainInfo, key: string, info: { decimals: number; contract?: string }): void {
    const at = `/assets/${escapePointer(key)}`;
    const native = chain.native;
    if (key === native.symbol) {
      if (info.decimals !== native.decimals || info.contract !== undefined) {
        this.reportHeader(
          at,
          `${native.symbol} is the native asset of ${chain.name} (${native.decimals} decimals, no contract); declare it with the same decimals or leave it out`,
        );
      }
      return;
    }
    if (chain.kind === 'utxo') {
      this.reportHeader(
        at,
        `${chain.name} is a UTXO chain: it has no assets besides its native ${native.symbol}`,
      );
      return;
    }
    if (EVM_ADDRESS.test(key) || looksLikeTron(key)) {
      this.reportHeader(
        at,
        `asset symbol ${quoteValue(key)} looks like an address; key the asset by its symbol and give the address as "contract"`,
      );
      return;
    }
    if (chain.addressFormat === 'tron' && TRC10_ID.test(key)) {
      this.reportHeader(at, `asset ${quoteValue(key)} looks like a TRC-10 token id: ${TRC10_OUT_OF_SCOPE}`);
      return;
    }
    const asset: AssetInfo = { symbol: key, decimals: info.decimals };
    if (info.contract !== undefined) {
      let contract: string;
      try {
        contract = canonicalAddress(chain.name, info.contract);
      } catch (e) {
        this.reportHeader(`${at}/contract`, messageOf(e));
        return;
      }
      const other = this.contractKey.get(this.contractLookup(contract));
      if (other !== undefined) {
        this.reportHeader(
          `${at}/contract`,
          `contract ${contract} is already declared as ${quoteValue(other)}`,
        );
        return;
      }
      this.contractKey.set(this.contractLookup(contract), key);
      asset.contract = contract;
    }
    this.assets.set(key, asset);
    this.declared.push(key);
  }

  /** The contractKey map's key of a canonical contract: EVM hex is case-insensitive, base58 is not. */
  private contractLookup(contract: string): string {
    return this.chain?.addressFormat === 'tron' ? contract : contract.toLowerCase();
  }

  // ---- per-record conversion ---------------------------------------------------------------

  /**
   * The dense id of an address (canonicalised for the chain; problems reported), or -1 when it is
   * invalid or the chain is unknown. Distinct inputs are canonicalised once; equal canonical forms
   * share one id and one string.
   */
  private addressId(
    input: string,
    section: Section,
    n: number,
    sub: string,
    checked = this.checked,
    /** The caller has just looked `input` up in the table and not found it. */
    fresh = false,
  ): number {
    if (input === this.memoIn) return this.memoId;
    if (!this.chain) return -1;
    let id = fresh ? undefined : this.addrIdOf.get(input);
    if (id === undefined) {
      // While no address was bad, no lookup (hashing a fresh string is most of its cost).
      const err = this.badAddr.size > 0 ? this.badAddr.get(input) : undefined;
      if (err !== undefined) {
        this.report(section, n, sub, err);
        return -1;
      }
      let c: string;
      try {
        c = checked && isMixedCaseEvm(this.chain, input) ? input : canonicalAddress(this.chain.name, input);
      } catch (e) {
        const msg = messageOf(e);
        this.badAddr.set(input, msg);
        this.report(section, n, sub, msg);
        return -1;
      }
      id = c === input ? undefined : this.addrIdOf.get(c);
      if (id === undefined) {
        id = this.addrs.length;
        this.addrs.push(c);
        this.addrIdOf.set(c, id);
      }
      if (c !== input) this.addrIdOf.set(input, id);
    }
    this.memoIn = input;
    this.memoId = id;
    return id;
  }

  private address(input: string, section: Section, n: number, sub: string): string {
    const id = this.addressId(input, section, n, sub);
    return id < 0 ? input : this.addrs[id]!;
  }

  private amount(s: string, section: Section, n: number, sub: string): bigint {
    const v = BigInt(s);
    if (s.length >= 16) {
      if (v > MAX_UINT256) this.report(section, n, sub, `amount ${quoteValue(s)} is larger than 2^256 - 1`);
      else if (this.chain?.kind === 'utxo' && v > MAX_MONEY) {
        this.report(
          section,
          n,
          sub,
          `amount ${quoteValue(s)} is more than the 21 million ${this.chain.native.symbol} that can exist (${MAX_MONEY} base units)`,
        );
      }
    }
    return v;
  }

  /** Share one string between consecutive records of the same block (cheaper than a Map), or between all (`times`). */
  private time(t: string | null | undefined): string | null {
    if (t === undefined || t === null) return null;
    if (t === this.lastTime) return this.lastTime;
    if (this.times) {
      const known = this.times.get(t);
      if (known !== undefined) t = known;
      else this.times.set(t, t);
    }
    this.lastTime = t;
    return t;
  }

  private checkHead(height: number | null, section: Section, n: number): void {
    if (this.head && height !== null && height > this.head.height) {
      this.report(
        section,
        n,
        '/height',
        `height ${height} is after the dataset head (height ${this.head.height})`,
      );
    }
  }

  private noteWrongKind(section: Section, n: number): void {
    if (this.wrongKind) this.wrongKind.count++;
    else this.wrongKind = { section, first: n, count: 1 };
  }

  /** Count a record that failed the schema (already reported), so stats.records counts every record. */
  noteInvalidRecord(): void {
    this.records++;
  }

  addTransaction(raw: RawTransaction, n: number): void {
    this.records++;
    if (this.chain?.kind === 'account') {
      this.noteWrongKind('transactions', n);
      return;
    }
    const S: Section = 'transactions';
    const ids = this.txAddrIds;
    this.txAddrStart.push(ids.length);
    const inputs: TxInput[] = new Array(raw.inputs.length);
    for (let i = 0; i < raw.inputs.length; i++) {
      const r = raw.inputs[i]!;
      const id = r.address === null ? -1 : this.addressId(r.address, S, n, `/inputs/${i}/address`);
      ids.push(id);
      inputs[i] = {
        txid: r.txid.toLowerCase(),
        vout: r.vout,
        address: r.address === null ? null : id < 0 ? r.address : this.addrs[id]!,
        value: this.amount(r.value, S, n, `/inputs/${i}/value`),
      };
    }
    const outputs: TxOutput[] = new Array(raw.outputs.length);
    for (let i = 0; i < raw.outputs.length; i++) {
      const r = raw.outputs[i]!;
      const id = r.address === null ? -1 : this.addressId(r.address, S, n, `/outputs/${i}/address`);
      ids.push(id);
      outputs[i] = {
        address: r.address === null ? null : id < 0 ? r.address : this.addrs[id]!,
        value: this.amount(r.value, S, n, `/outputs/${i}/value`),
      };
    }
    const tx: UtxoTx = {
      txid: raw.txid.toLowerCase(),
      height: raw.height,
      position: raw.position ?? null,
      time: this.time(raw.time),
      inputs,
      outputs,
    };
    this.checkHead(tx.height, S, n);
    this.txs.push(tx);
    this.txLoc.push(n);
  }

  addTransfer(raw: RawTransfer, n: number): void {
    this.records++;
    if (this.chain?.kind === 'utxo') {
      this.noteWrongKind('transfers', n);
      return;
    }
    const S: Section = 'transfers';
    let tx = this.txHash(raw.tx, S, n);
    const height = raw.height;
    const position = raw.position ?? null;
    const time = this.time(raw.time);
    // Share the tx string with the previous record when it is the same tx (the usual layout);
    // agreement between all transfers of a tx is checked in finish().
    const last = this.transfers[this.transfers.length - 1];
    if (last !== undefined && last.tx === tx) tx = last.tx;
    const kind = KINDS[raw.kind];
    const fromId = this.addressId(raw.from, S, n, '/from');
    const toId = raw.to === null ? -1 : this.addressId(raw.to, S, n, '/to');
    const from = fromId < 0 ? raw.from : this.addrs[fromId]!;
    const to = raw.to === null ? null : toId < 0 ? raw.to : this.addrs[toId]!;
    if (to === null && kind !== 'fee') {
      this.report(
        S,
        n,
        '/to',
        `to is null, but only a kind "fee" record may have no recipient (this one is "${kind}")`,
      );
    } else if (to !== null && kind === 'fee') {
      this.report(S, n, '/to', 'a kind "fee" record must have "to": null (gas fees leave the ledger)');
    }
    const asset = this.resolveAsset(raw.asset, kind, n);
    const value = this.amount(raw.value, S, n, '/value');
    const t: Transfer = { tx, index: raw.index, height, position, time, from, to, asset, value, kind };
    this.checkHead(height, S, n);
    if (this.sink) {
      this.sink(t, fromId, toId, n);
      return;
    }
    this.fromIds.push(fromId);
    this.toIds.push(toId);
    this.transfers.push(t);
    this.trLoc.push(n);
  }

  /** A record's tx hash, lowercased; the schema takes 64 hex digits with or without 0x, the chain decides which form is right. */
  private txHash(raw: string, section: Section, n: number): string {
    const tx = raw.toLowerCase();
    if (this.chain) {
      const tron = this.chain.addressFormat === 'tron';
      if (tron && tx.startsWith('0x')) {
        this.report(
          section,
          n,
          '/tx',
          `tx hash ${quoteValue(raw)} is not a TRON transaction id (64 hex digits, without 0x)`,
        );
      } else if (!tron && !tx.startsWith('0x')) {
        this.report(
          section,
          n,
          '/tx',
          `tx hash ${quoteValue(raw)} is not an EVM transaction hash (0x and 64 hex digits)`,
        );
      }
    }
    return tx;
  }

  /**
   * An event log (dataset extension, account chains). The emitter is canonicalised like any
   * address of the chain (EIP-55; TRON base58), topics and data lowercased; cross-record rules
   * (unique (tx, index), agreement with the tx's other records) are checked in finish().
   */
  /** The JSON document has a "logs" list: the dataset records logs (an empty list = none emitted). */
  declareLogs(): void {
    this.logsDeclared = true;
  }

  addLog(raw: RawLog, n: number): void {
    this.records++;
    if (this.chain?.kind === 'utxo') {
      if (this.logsOnUtxo) this.logsOnUtxo.count++;
      else this.logsOnUtxo = { first: n, count: 1 };
      return;
    }
    const S: Section = 'logs';
    const tx = this.txHash(raw.tx, S, n);
    const last = this.logs[this.logs.length - 1];
    const id = this.addressId(raw.address, S, n, '/address');
    const log: TxLog = {
      tx: last !== undefined && last.tx === tx ? last.tx : tx,
      index: raw.index,
      height: raw.height,
      position: raw.position ?? null,
      time: this.time(raw.time),
      address: id < 0 ? raw.address : this.addrs[id]!,
      topics: raw.topics.map((t) => t.toLowerCase()),
      data: raw.data.toLowerCase(),
    };
    this.checkHead(log.height, S, n);
    this.logs.push(log);
    this.logLoc.push(n);
  }

  private resolveAsset(input: string, kind: TransferKind, n: number): string {
    if (!this.assetsUsable || !this.chain) return input;
    let key: string | undefined;
    const tron = this.chain.addressFormat === 'tron';
    if (this.assets.has(input)) key = input;
    else if (!tron && EVM_ADDRESS.test(input))
      key = this.contractKey.get(input.toLowerCase()) ?? this.undeclaredToken(input, kind);
    else if (tron && looksLikeTron(input)) {
      const c = tryCanonicalAddress(this.chain.name, input);
      key = (c === undefined ? undefined : this.contractKey.get(c)) ?? this.undeclaredToken(input, kind);
    }
    const native = this.chain.native.symbol;
    if (key === undefined && tron && TRC10_ID.test(input)) {
      this.report(
        'transfers',
        n,
        '/asset',
        `asset ${quoteValue(input)} looks like a TRC-10 token id: ${TRC10_OUT_OF_SCOPE}`,
      );
      return input;
    }
    if (key === undefined) {
      this.report(
        'transfers',
        n,
        '/asset',
        `unknown asset ${quoteValue(input)}: it is not the native ${native}, a symbol declared in the header's "assets", or a declared token contract`,
      );
      return input;
    }
    if (kind === 'token' && key === native) {
      this.report(
        'transfers',
        n,
        '/kind',
        `kind "token" cannot move the native asset ${native} (use "native", "internal" or "fee")`,
      );
    } else if (kind !== 'token' && key !== native) {
      this.report(
        'transfers',
        n,
        '/kind',
        `kind "${kind}" moves the native asset ${native}, but asset is ${quoteValue(key)} (token movements are kind "token")`,
      );
    }
    return key;
  }

  /**
   * dataset-v1: a token transfer's `asset` may be the token's contract address without an entry in
   * `assets`. It is its own asset, keyed by the canonical address (EIP-55, TRON base58; never merged with a declared symbol,
   * so a look-alike "USDT" stays apart); decimals from the token registry when it knows the
   * contract, else 0 (amounts in base units), with a note either way.
   */
  private undeclaredToken(input: string, kind: TransferKind): string | undefined {
    const chain = this.chain;
    if (kind !== 'token' || !chain || chain.kind !== 'account') return undefined;
    let contract: string;
    try {
      contract = canonicalAddress(chain.name, input);
    } catch {
      return undefined;
    }
    const known = knownTokenAt(chain.name, contract)?.[1];
    const asset: AssetInfo = known
      ? { symbol: known.symbol, decimals: known.decimals, contract }
      : { symbol: contract, decimals: 0, contract };
    this.assets.set(contract, asset);
    this.declared.push(contract);
    this.contractKey.set(this.contractLookup(contract), contract);
    this.notes.push(
      known
        ? `dataset: token ${contract} is not declared in "assets": ${known.symbol} with ${known.decimals} decimals from fundtrace's token registry`
        : `dataset: token ${contract} is not declared in "assets" and its decimals are unknown: its amounts are in base units`,
    );
    return contract;
  }

  addLabel(raw: RawLabel, n: number): void {
    this.records++;
    const S: Section = 'labels';
    let chainName = this.chain?.name ?? raw.chain ?? this.chainNamed ?? '';
    if (raw.chain !== undefined) {
      const c = findChain(raw.chain);
      if (!c) {
        this.report(
          S,
          n,
          '/chain',
          `unknown chain ${quoteValue(raw.chain)} (known: ${knownChains().join(', ')})`,
        );
      } else if (this.chain && c.name !== this.chain.name) {
        this.report(S, n, '/chain', `label is for ${c.name}, but this dataset is ${this.chain.name}`);
      } else {
        chainName = c.name;
      }
    }
    const label: Label = {
      chain: chainName,
      address: this.address(raw.address, S, n, '/address'),
      entity: raw.entity,
      category: raw.category,
      source: raw.source,
    };
    if (raw.confidence !== undefined) label.confidence = raw.confidence;
    if (raw.note !== undefined) label.note = raw.note;
    if (raw.lastmod !== undefined) label.lastmod = raw.lastmod;
    const key = labelRowKey(label);
    const first = this.labelSeen.get(key);
    if (first !== undefined) {
      this.report(S, n, '', `duplicate label: the same row is at ${this.where(S, first)}`);
      return;
    }
    this.labelSeen.set(key, n);
    this.labels.push(label);
    this.labelLoc.push(n);
  }

  // ---- cross-record checks -----------------------------------------------------------------

  private checkUtxo(): Uint32Array {
    const S: Section = 'transactions';
    const txs = this.txs;
    const locs = this.txLoc;
    const n = txs.length;
    const index = new StringIds();
    const dup = new Uint8Array(n);
    const outBase = new Uint32Array(n + 1);
    let inputs = 0;
    for (let i = 0; i < n; i++) {
      const tx = txs[i]!;
      const h = StringIds.hash(tx.txid);
      const first = index.get(tx.txid, h);
      this.inStart.push(inputs);
      inputs += tx.inputs.length;
      if (first >= 0) {
        dup[i] = 1;
        this.report(
          S,
          locs[i]!,
          '/txid',
          `duplicate transaction: txid ${tx.txid} also appears at ${this.where(S, locs[first]!)}`,
        );
      } else {
        index.set(tx.txid, h, i);
      }
      outBase[i + 1] = outBase[i]! + (dup[i] ? 0 : tx.outputs.length);
    }
    const funding = new Int32Array(inputs).fill(-1);
    this.funding = funding;
    const spendTx = new Int32Array(outBase[n]!);
    const spendIn = new Int32Array(outBase[n]!);
    const external = new Map<string, number>();
    const spentAt = (packed: number) =>
      this.where(S, locs[Math.floor(packed / PACK)]!, `/inputs/${packed % PACK}`);

    for (let i = 0; i < n; i++) {
      if (dup[i]) continue;
      const tx = txs[i]!;
      const at = locs[i]!;
      let sumIn = 0n;
      for (let j = 0; j < tx.inputs.length; j++) {
        const input = tx.inputs[j]!;
        sumIn += input.value;
        const f = index.get(input.txid, StringIds.hash(input.txid));
        if (f < 0) {
          const op = `${input.txid}:${input.vout}`;
          // Funded outside the snapshot: allowed (the input carries its own address and value).
          const prev = external.get(op);
          if (prev !== undefined) {
            this.report(
              S,
              at,
              `/inputs/${j}`,
              `double spend: output ${op} is already spent by ${spentAt(prev)}`,
            );
          } else {
            external.set(op, i * PACK + j);
          }
          continue;
        }
        const fundingTx = txs[f]!;
        if (input.vout >= fundingTx.outputs.length) {
          this.report(
            S,
            at,
            `/inputs/${j}/vout`,
            `spends unknown output ${input.txid}:${input.vout}: that transaction (${this.where(S, locs[f]!)}) has only ${fundingTx.outputs.length} output(s)`,
          );
          continue;
        }
        funding[this.inStart[i]! + j] = f;
        input.txid = fundingTx.txid; // share one string per txid
        const out = fundingTx.outputs[input.vout]!;
        if (out.value !== input.value) {
          this.report(
            S,
            at,
            `/inputs/${j}/value`,
            `input value ${input.value} differs from ${out.value}, the value of output ${input.txid}:${input.vout} it spends (${this.where(S, locs[f]!)})`,
          );
        }
        if (out.address !== input.address) {
          this.report(
            S,
            at,
            `/inputs/${j}/address`,
            `input address ${input.address === null ? 'null' : quoteValue(input.address)} differs from ${out.address === null ? 'null' : quoteValue(out.address)}, the address of output ${input.txid}:${input.vout} it spends (${this.where(S, locs[f]!)})`,
          );
        }
        if (compareTxs(fundingTx, tx) >= 0) {
          const hint =
            fundingTx.height !== null &&
            fundingTx.height === tx.height &&
            (fundingTx.position === null || tx.position === null)
              ? '; both are at the same height: give each its position within the block'
              : '';
          this.report(
            S,
            at,
            `/inputs/${j}`,
            `inconsistent order: spends an output of ${input.txid} (${this.where(S, locs[f]!)}), which is not earlier in chain order (${orderText(fundingTx)}, this one ${orderText(tx)})${hint}`,
          );
        }
        // Block times may run backwards a little (a block's time need only exceed the median of
        // the 11 before it, and nodes accept up to 2 h in the future), but a spender timestamped
        // more than 2 h before the transaction it spends is a data error.
        if (
          fundingTx.time &&
          tx.time &&
          Date.parse(tx.time) < Date.parse(fundingTx.time) - MAX_CLOCK_SKEW_MS
        ) {
          this.report(
            S,
            at,
            '/time',
            `time ${tx.time} is more than 2 hours before ${fundingTx.time}, the time of ${input.txid} whose output it spends (${this.where(S, locs[f]!)})`,
          );
        }
        const slot = outBase[f]! + input.vout;
        const prev = spendTx[slot]!;
        if (prev !== 0) {
          this.report(
            S,
            at,
            `/inputs/${j}`,
            `double spend: output ${input.txid}:${input.vout} is already spent by ${spentAt((prev - 1) * PACK + spendIn[slot]!)}`,
          );
        } else {
          spendTx[slot] = i + 1;
          spendIn[slot] = j;
        }
      }
      if (tx.inputs.length > 0) {
        let sumOut = 0n;
        for (const o of tx.outputs) sumOut += o.value;
        if (sumIn < sumOut) {
          this.report(
            S,
            at,
            '',
            `negative fee: the inputs total ${sumIn} but the outputs total ${sumOut} base units (${sumOut - sumIn} more out than in)`,
          );
        }
      }
    }

    const perm = this.order(n, dup, (a, b) => compareTxs(txs[a]!, txs[b]!));
    for (let k = 1; k < perm.length; k++) {
      const ia = perm[k - 1]!;
      const ib = perm[k]!;
      const a = txs[ia]!;
      const b = txs[ib]!;
      if (b.height !== null && b.position !== null && a.height === b.height && a.position === b.position) {
        const [early, late] = locs[ia]! < locs[ib]! ? [ia, ib] : [ib, ia];
        this.report(
          S,
          locs[late]!,
          '/position',
          `inconsistent order: transactions ${txs[late]!.txid} and ${txs[early]!.txid} (${this.where(S, locs[early]!)}) both claim height ${b.height} position ${b.position}`,
        );
      }
    }
    return perm;
  }

  private checkAccount(): Uint32Array {
    const S: Section = 'transfers';
    const trs = this.transfers;
    const locs = this.trLoc;
    const n = trs.length;
    this.checkTxGroups();
    const perm = this.order(n, undefined, (a, b) => compareTransfers(trs[a]!, trs[b]!));
    for (let k = 1; k < perm.length; k++) {
      const ia = perm[k - 1]!;
      const ib = perm[k]!;
      const a = trs[ia]!;
      const b = trs[ib]!;
      if (
        a.tx !== b.tx &&
        b.height !== null &&
        b.position !== null &&
        a.height === b.height &&
        a.position === b.position
      ) {
        const [early, late] = locs[ia]! < locs[ib]! ? [ia, ib] : [ib, ia];
        this.report(
          S,
          locs[late]!,
          '/position',
          `inconsistent order: transactions ${trs[late]!.tx} and ${trs[early]!.tx} (${this.where(S, locs[early]!)}) both claim height ${b.height} position ${b.position}`,
        );
      }
    }
    return perm;
  }

  /**
   * Transfers of one tx must agree on height, position and time, and (tx, index) must be unique.
   * Records are grouped by a numeric prefix of the tx hash with one native sort of packed
   * (prefix, record) keys: much cheaper than a Map over a million tx strings.
   */
  private checkTxGroups(): void {
    const trs = this.transfers;
    const n = trs.length;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = txPrefix(trs[i]!.tx) * RECORD_SPAN + i;
    keys.sort();
    for (let g = 0; g < n; ) {
      const p = Math.floor(keys[g]! / RECORD_SPAN);
      let e = g + 1;
      while (e < n && Math.floor(keys[e]! / RECORD_SPAN) === p) e++;
      if (e - g > 1) this.checkTxGroup(keys, g, e);
      g = e;
    }
  }

  private checkTxGroup(keys: Float64Array, g: number, e: number): void {
    const S: Section = 'transfers';
    const trs = this.transfers;
    const locs = this.trLoc;
    const idx: number[] = [];
    for (let k = g; k < e; k++) idx.push(keys[k]! % RECORD_SPAN);
    idx.sort((a, b) => {
      const ta = trs[a]!.tx;
      const tb = trs[b]!.tx;
      if (ta !== tb) return ta < tb ? -1 : 1;
      return trs[a]!.index - trs[b]!.index || a - b;
    });
    for (let r = 0; r < idx.length; ) {
      const tx = trs[idx[r]!]!.tx;
      let end = r + 1;
      let ref = idx[r]!;
      while (end < idx.length && trs[idx[end]!]!.tx === tx) {
        if (idx[end]! < ref) ref = idx[end]!;
        end++;
      }
      const first = trs[ref]!;
      const at = () => this.where(S, locs[ref]!);
      for (let k = r; k < end; k++) {
        const i = idx[k]!;
        const t = trs[i]!;
        t.tx = first.tx;
        if (k > r && trs[idx[k - 1]!]!.index === t.index) {
          let d = k - 1;
          while (d > r && trs[idx[d - 1]!]!.index === t.index) d--;
          this.report(
            S,
            locs[i]!,
            '/index',
            `duplicate transfer: tx ${t.tx} index ${t.index} also appears at ${this.where(S, locs[idx[d]!]!)}`,
          );
        }
        if (i === ref) continue;
        if (t.height !== first.height) {
          this.report(
            S,
            locs[i]!,
            '/height',
            `transfers of tx ${t.tx} disagree on height: ${String(t.height)} here, ${String(first.height)} at ${at()}`,
          );
        } else if (t.position !== first.position) {
          this.report(
            S,
            locs[i]!,
            '/position',
            `transfers of tx ${t.tx} disagree on position: ${String(t.position)} here, ${String(first.position)} at ${at()}`,
          );
        } else if (t.time !== first.time) {
          this.report(
            S,
            locs[i]!,
            '/time',
            `transfers of tx ${t.tx} disagree on time: ${String(t.time)} here, ${String(first.time)} at ${at()}`,
          );
        }
      }
      r = end;
    }
  }

  /**
   * Logs: (tx, index) unique; the logs of one tx agree on height, position and time with each
   * other and with the tx's transfers; two txs do not claim one block position. Only runs when
   * the dataset has logs (the million-transfer path pays nothing for them).
   */
  private checkLogs(): Uint32Array {
    const S: Section = 'logs';
    const logs = this.logs;
    const locs = this.logLoc;
    const n = logs.length;
    const firstOf = new Map<string, number>();
    const seen = new Map<string, number>();
    const disagree = (
      l: TxLog,
      at: number,
      ref: { height: number | null; position: number | null; time: string | null },
      what: string,
      where: string,
    ): void => {
      const field =
        l.height !== ref.height
          ? 'height'
          : l.position !== ref.position
            ? 'position'
            : l.time !== ref.time
              ? 'time'
              : undefined;
      if (field === undefined) return;
      this.report(
        S,
        at,
        `/${field}`,
        `${what} on ${field}: ${String(l[field])} here, ${String(ref[field])} at ${where}`,
      );
    };
    for (let i = 0; i < n; i++) {
      const l = logs[i]!;
      const key = `${l.tx} ${l.index}`;
      const d = seen.get(key);
      if (d !== undefined) {
        this.report(
          S,
          locs[i]!,
          '/index',
          `duplicate log: tx ${l.tx} index ${l.index} also appears at ${this.where(S, locs[d]!)}`,
        );
      } else seen.set(key, i);
      const f = firstOf.get(l.tx);
      if (f === undefined) firstOf.set(l.tx, i);
      else {
        const first = logs[f]!;
        l.tx = first.tx;
        disagree(l, locs[i]!, first, `logs of tx ${l.tx} disagree`, this.where(S, locs[f]!));
      }
    }
    if (this.transfers.length > 0) {
      const trOf = new Map<string, number>();
      const trs = this.transfers;
      for (let j = 0; j < trs.length; j++) {
        const tx = trs[j]!.tx;
        if (firstOf.has(tx) && !trOf.has(tx)) trOf.set(tx, j);
      }
      for (let i = 0; i < n; i++) {
        const l = logs[i]!;
        const j = trOf.get(l.tx);
        if (j === undefined) continue;
        l.tx = trs[j]!.tx; // one string per tx
        disagree(
          l,
          locs[i]!,
          trs[j]!,
          `log of tx ${l.tx} disagrees with its transfers`,
          this.where('transfers', this.trLoc[j]!),
        );
      }
    }
    const perm = this.order(n, undefined, (a, b) =>
      compareOrder(logs[a]!, logs[a]!.tx, logs[a]!.index, logs[b]!, logs[b]!.tx, logs[b]!.index),
    );
    for (let k = 1; k < perm.length; k++) {
      const a = logs[perm[k - 1]!]!;
      const ib = perm[k]!;
      const b = logs[ib]!;
      if (
        a.tx !== b.tx &&
        b.height !== null &&
        b.position !== null &&
        a.height === b.height &&
        a.position === b.position
      ) {
        this.report(
          S,
          locs[ib]!,
          '/position',
          `inconsistent order: logs of transactions ${b.tx} and ${a.tx} (${this.where(S, locs[perm[k - 1]!]!)}) both claim height ${b.height} position ${b.position}`,
        );
      }
    }
    return perm;
  }

  /** Indices (minus excluded ones) in chain order; cheap when the file is already in order. */
  private order(
    n: number,
    exclude: Uint8Array | undefined,
    cmp: (a: number, b: number) => number,
  ): Uint32Array {
    let count = 0;
    for (let i = 0; i < n; i++) if (!exclude?.[i]) count++;
    const perm = new Uint32Array(count);
    let sorted = true;
    for (let i = 0, k = 0; i < n; i++) {
      if (exclude?.[i]) continue;
      perm[k] = i;
      if (k > 0 && sorted && cmp(perm[k - 1]!, i) > 0) sorted = false;
      k++;
    }
    if (!sorted) perm.sort(cmp);
    return perm;
  }

  /** Address ids in chain order for buildDatasetView (see hints.ts). */
  private hints(dataset: Dataset, txPerm: Uint32Array, trPerm: Uint32Array): IndexHints {
    const h: IndexHints = {
      transactions: dataset.transactions,
      transfers: dataset.transfers,
      addresses: this.addrs,
    };
    if (trPerm.length > 0) {
      const from = new Int32Array(trPerm.length);
      const to = new Int32Array(trPerm.length);
      for (let k = 0; k < trPerm.length; k++) {
        from[k] = this.fromIds.data[trPerm[k]!]!;
        to[k] = this.toIds.data[trPerm[k]!]!;
      }
      h.from = from;
      h.to = to;
    }
    if (txPerm.length > 0) {
      const flat = new Int32Array(this.txAddrIds.length);
      let c = 0;
      for (let k = 0; k < txPerm.length; k++) {
        const i = txPerm[k]!;
        const start = this.txAddrStart[i]!;
        const end = i + 1 < this.txAddrStart.length ? this.txAddrStart[i + 1]! : this.txAddrIds.length;
        flat.set(this.txAddrIds.data.subarray(start, end), c);
        c += end - start;
      }
      h.txAddresses = c === flat.length ? flat : flat.slice(0, c);
      if (this.funding) {
        const rank = new Uint32Array(this.txs.length);
        for (let k = 0; k < txPerm.length; k++) rank[txPerm[k]!] = k;
        let inputs = 0;
        for (let k = 0; k < txPerm.length; k++) inputs += this.txs[txPerm[k]!]!.inputs.length;
        const fund = new Int32Array(inputs);
        let d = 0;
        for (let k = 0; k < txPerm.length; k++) {
          const i = txPerm[k]!;
          const start = this.inStart[i]!;
          const m = this.txs[i]!.inputs.length;
          for (let j = 0; j < m; j++) {
            const f = this.funding[start + j]!;
            fund[d++] = f < 0 ? -1 : rank[f]!;
          }
        }
        h.funding = fund;
      }
    }
    return h;
  }

  finish(): BuildResult {
    const chain = this.chain;
    if (this.wrongKind && chain) {
      const { section, first, count } = this.wrongKind;
      const what =
        chain.kind === 'account'
          ? `${chain.name} is an account chain: its records are transfers, not transactions`
          : `${chain.name} is a UTXO chain: its records are transactions, not transfers`;
      const more = count > 1 ? ` (${count} such records; the first is here)` : '';
      if (this.form === 'json') {
        this.problems.add(
          this.problems.locate(section, undefined),
          `${what}${more}`,
          SECTION_RANK[section],
          -1,
        );
      } else {
        this.report(section, first, '', `${what}${more}`);
      }
    }
    const txPerm = this.txs.length > 0 ? this.checkUtxo() : new Uint32Array(0);
    const trPerm = this.transfers.length > 0 ? this.checkAccount() : new Uint32Array(0);
    if (this.logsOnUtxo && chain) {
      const { first, count } = this.logsOnUtxo;
      const what = `${chain.name} is a UTXO chain: event logs exist only on account (EVM) chains${count > 1 ? ` (${count} log records; the first is here)` : ''}`;
      if (this.form === 'json') {
        this.problems.add(this.problems.locate('logs', undefined), what, SECTION_RANK.logs, -1);
      } else this.report('logs', first, '', what);
    }
    const logPerm = this.logs.length > 0 ? this.checkLogs() : new Uint32Array(0);

    let minHeight: number | null = null;
    let maxHeight: number | null = null;
    let unconfirmed = 0;
    const see = (h: number | null) => {
      if (h === null) unconfirmed++;
      else {
        if (minHeight === null || h < minHeight) minHeight = h;
        if (maxHeight === null || h > maxHeight) maxHeight = h;
      }
    };
    for (const t of this.txs) see(t.height);
    for (const t of this.transfers) see(t.height);
    for (const t of this.logs) see(t.height);

    const declared = [...this.declared].sort();
    const assetKeys = chain ? [chain.native.symbol, ...declared] : [];
    const problems = this.problems.sorted();
    const stats: DatasetStats = {
      form: this.form,
      chain: chain?.name ?? null,
      kind: chain?.kind ?? null,
      records: this.records,
      transactions: txPerm.length,
      transfers: trPerm.length,
      ...(logPerm.length > 0 ? { logs: logPerm.length } : {}),
      labels: this.labels.length,
      addresses: this.addrs.length,
      assets: assetKeys,
      minHeight,
      maxHeight,
      unconfirmed,
      problems: problems.length,
    };
    if (problems.length > 0 || !chain) return { problems, stats };

    const assets = new Map<string, AssetInfo>();
    for (const key of assetKeys) assets.set(key, this.assets.get(key)!);
    const transactions: UtxoTx[] = new Array(txPerm.length);
    for (let k = 0; k < txPerm.length; k++) transactions[k] = this.txs[txPerm[k]!]!;
    const transfers: Transfer[] = new Array(trPerm.length);
    for (let k = 0; k < trPerm.length; k++) transfers[k] = this.transfers[trPerm[k]!]!;
    const logs: TxLog[] = new Array(logPerm.length);
    for (let k = 0; k < logPerm.length; k++) logs[k] = this.logs[logPerm[k]!]!;
    const labels = this.labels.slice().sort(compareLabelFields);
    const dataset: Dataset = {
      format: 'fundtrace-dataset/1',
      chain: chain.name,
      ...(this.name !== undefined ? { name: this.name } : {}),
      ...(this.description !== undefined ? { description: this.description } : {}),
      ...(this.head !== undefined ? { head: this.head } : {}),
      assets,
      transactions,
      transfers,
      // Absent = no logs recorded (sources without logs): the view then offers no txLogs.
      ...(logs.length > 0 || (this.logsDeclared && chain.kind === 'account') ? { logs } : {}),
      labels,
      ...(this.notes.length > 0 ? { notes: [...this.notes].sort() } : {}),
    };
    setIndexHints(dataset, this.hints(dataset, txPerm, trPerm));
    return { problems, stats, dataset };
  }
}

/** What makes two label rows the same row (a repeated one is a problem). */
export function labelRowKey(label: Label): string {
  return JSON.stringify([
    label.address,
    label.entity,
    label.category,
    label.source,
    label.confidence ?? null,
    label.note ?? null,
    label.lastmod ?? null,
  ]);
}

function messageOf(e: unknown): string {
  if (e instanceof FundtraceError) return e.message;
  return e instanceof Error ? e.message : String(e);
}
