// The engine's view of an indexed store. Like a remote source, it starts empty and answers
// `missing` for what it has not read yet; the fetcher then reads exactly those ledgers,
// transactions and spends from the SQLite file, and the engine runs again (src/sources/driver.ts). So a
// trace reads only what it visits, and its answers are the dataset view's answers, record for record.
import type Database from 'libsql';
import { contractLookupKey, tryCanonicalAddress } from '../../core/address.js';
import { FundtraceError } from '../../core/errors.js';
import type { AssetInfo, Transfer, TxLog, UtxoTx } from '../../core/model.js';
import type { MissingData } from '../../core/trace-types.js';
import { type AccountView, type Lookup, MISSING, ok, type SpendRef, type UtxoView } from '../../core/view.js';
import type { RawHeader } from '../dataset/builder.js';
import { LineConverter } from '../dataset/line.js';
import type { Fetcher } from '../driver.js';
import { decodeRecord, emitterKey, txKey } from './format.js';
import {
  addressHash,
  bucketOf,
  ledgerLocs,
  RECORDS_AT_ONCE,
  RECORDS_SQL,
  txLocs,
  txTextKey,
} from './pieces.js';

/** The address's key in the store (its canonical form, or itself when it has none), remembered in `keys`. */
function keyOf(keys: Map<string, string>, chain: string, address: string): string {
  let k = keys.get(address);
  if (k === undefined) {
    k = tryCanonicalAddress(chain, address) ?? address;
    keys.set(address, k);
  }
  return k;
}

/**
 * Every read a trace makes: a B-tree search on the key (see format.ts and pieces.ts). Every value
 * crosses as a BLOB, decoded here: the binding aborts the process on a TEXT value that is not UTF-8
 * (a damaged index must be a one-line error).
 */
export const SQL = {
  /** The ledger buckets at a JSON array of bucket numbers (the addresses found in them by the caller). */
  ledger: 'SELECT l.bucket, CAST(l.entries AS BLOB) FROM json_each(?) j JOIN ledger l ON l.bucket = j.value',
  /** A tx key's bucket (the caller keeps the entries of its key, then the records of that very tx). */
  tx: 'SELECT CAST(entries AS BLOB) FROM txs WHERE bucket = ?',
  /** The records at a JSON array of locs, in its order, joined by newlines into one BLOB, and their count. */
  records: RECORDS_SQL,
  logs: 'SELECT CAST(payload AS BLOB) FROM logs WHERE tx = ? ORDER BY seq',
  emitted: 'SELECT CAST(payload AS BLOB) FROM logs WHERE emitter = ? ORDER BY seq',
  /** By txKey: the caller keeps the first row of that very txid. */
  utxoTx: 'SELECT CAST(payload AS BLOB) FROM txs WHERE txkey = ? ORDER BY seq',
  addressTxs:
    'SELECT t.seq, CAST(t.payload AS BLOB) FROM addr_txs a, json_each(a.seqs) j JOIN txs t ON t.seq = j.value WHERE a.addr = ?',
  spends: 'SELECT CAST(list AS BLOB) FROM spends WHERE txid = ?',
} as const;

/**
 * Where an account view's records come from: the SQLite file (Reader), or the compact columns of a
 * dataset file loaded in parallel (src/sources/dataset/parallel.ts). Keys as in SQL; chain order.
 */
export interface AccountStore {
  /** Lookups made and records they returned (`--verbose`). */
  readonly lookups: number;
  readonly records: number;
  transfers(query: 'ledger' | 'tx', key: string): Transfer[];
  /** The ledgers of many addresses at once (as transfers('ledger', each)), when the store can. */
  manyLedgers?(keys: readonly string[]): Transfer[][];
  logs(query: 'logs' | 'emitted', key: string): TxLog[];
}

/** How an account index stores its records (meta, see format.ts). */
export interface RecordLayout {
  /** Records stored as their dataset lines (payload "line"), and the file's header to convert them. */
  lineHeader?: RawHeader;
  ledgerBits: number;
  txBits: number;
}

/**
 * Prepared lookups, one B-tree search each, run synchronously (the native binding answers in
 * microseconds; a round's keys go one after another). A failing read — a damaged file — is a
 * one-line BAD_INPUT error naming the index, never a stack trace.
 */
export class Reader implements AccountStore {
  private readonly stmts = new Map<string, Database.Statement<unknown[]>>();
  /** Lookups made and records they returned (`--verbose`: a trace reads what it visits). */
  lookups = 0;
  records = 0;
  /** Records stored as their dataset lines (payload "line"): converted as the file's load converts them. */
  private readonly lines: LineConverter | undefined;
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly layout: RecordLayout = { ledgerBits: 0, txBits: 0 },
  ) {
    this.lines = layout.lineHeader ? new LineConverter(layout.lineHeader) : undefined;
  }

  /** A stored value parsed by `f`, or (a damaged file) a one-line BAD_INPUT error naming the index. */
  parse<T>(payload: string, f: (payload: string) => T | undefined): T {
    let v: T | undefined;
    try {
      v = f(payload);
    } catch {
      v = undefined;
    }
    if (v === undefined) {
      throw new FundtraceError(
        'BAD_INPUT',
        `index ${JSON.stringify(this.file)} cannot be read: a stored record does not convert (damaged)`,
      );
    }
    return v;
  }

  private transfer(payload: string): Transfer {
    return this.parse(payload, (p) => (this.lines ? this.lines.convert(p) : decodeRecord<Transfer>(p)));
  }

  /** The rows of a prepared query (`raw`: as arrays), counted as a lookup returning them. */
  all<T>(sql: string, key: string | number, raw = false): T[] {
    const rows = this.query<T>(sql, key, raw);
    this.counted(rows.length);
    return rows;
  }

  /** A query's one column of text (stored as UTF-8), counted as a lookup returning it. */
  texts(sql: string, key: string | number): string[] {
    return this.all<unknown>(sql, key).map((v) => this.decoded(() => bytesOf(v).toString('utf8')));
  }

  /** The payloads of a (seq, payload) query in seq order (already so, unless SQLite changed its plan). */
  inOrder(sql: string, key: string): string[] {
    const rows = this.all<[number, unknown]>(sql, key, true).map(
      (r) => [r[0], this.decoded(() => bytesOf(r[1]).toString('utf8'))] as [number, string],
    );
    for (let i = 1; i < rows.length; i++) {
      if (rows[i - 1]![0] > rows[i]![0]) {
        rows.sort((a, b) => a[0] - b[0]);
        break;
      }
    }
    return rows.map((r) => r[1]);
  }

  /** The rows of a prepared query (`raw`: as arrays), or a one-line BAD_INPUT error naming the index. */
  private query<T>(sql: string, key: string | number, raw = false): T[] {
    try {
      let st = this.stmts.get(sql);
      if (!st) {
        st = this.db.prepare(sql);
        if (raw) st.raw(true);
        else st.pluck(true);
        this.stmts.set(sql, st);
      }
      return st.all(key) as T[];
    } catch (e) {
      throw this.damaged(e);
    }
  }

  private damaged(e: unknown): FundtraceError {
    return new FundtraceError(
      'BAD_INPUT',
      `index ${JSON.stringify(this.file)} cannot be read: ${String((e as Error)?.message ?? e).split('\n')[0]}`,
    );
  }

  /** Counted as one lookup returning `n` records. */
  counted(n: number): void {
    this.lookups++;
    this.records += n;
  }

  transfers(query: 'ledger' | 'tx', key: string): Transfer[] {
    if (query === 'ledger') return this.manyLedgers([key])[0]!;
    const k = txTextKey(key);
    const [bucket] = k === undefined ? [] : this.query<unknown>(SQL.tx, bucketOf(k, this.layout.txBits));
    const locs = bucket === undefined ? [] : this.decoded(() => txLocs(bytesOf(bucket), k!));
    this.counted(locs.length);
    return this.payloads(locs)
      .map((p) => this.transfer(p))
      .filter((t) => t.tx === key);
  }

  /** Each address's ledger: its bucket read (one query for them all), then its records (one query a batch). */
  manyLedgers(keys: readonly string[]): Transfer[][] {
    // Buckets read a batch of addresses at a time (a bucket holds a dozen addresses' ledgers: only
    // the locs of those asked for are kept).
    const perKey: number[][] = [];
    for (let first = 0; first < keys.length; first += BUCKETS_AT_ONCE) {
      const some = keys.slice(first, first + BUCKETS_AT_ONCE);
      const bucketOfKey = some.map((k) => bucketOf(addressHash(k), this.layout.ledgerBits));
      const buckets = new Map<number, Buffer>();
      const rows = this.query<[number, unknown]>(SQL.ledger, JSON.stringify([...new Set(bucketOfKey)]), true);
      for (const [b, entries] of rows)
        buckets.set(
          b,
          this.decoded(() => bytesOf(entries)),
        );
      some.forEach((k, i) => {
        const bucket = buckets.get(bucketOfKey[i]!);
        const locs = bucket === undefined ? [] : this.decoded(() => ledgerLocs(bucket, k));
        this.counted(locs.length);
        perKey.push(locs);
      });
    }
    // Records read and converted a batch of addresses at a time: the text of a round's records is
    // never all held at once (a 10M-transfer hub's round reads ~380 000).
    const out: Transfer[][] = new Array(keys.length);
    for (let first = 0; first < keys.length; ) {
      let last = first;
      let n = 0;
      while (last < keys.length && (last === first || n + perKey[last]!.length <= RECORDS_AT_ONCE))
        n += perKey[last++]!.length;
      const lines = this.payloads(perKey.slice(first, last).flat());
      let at = 0;
      for (let i = first; i < last; i++) {
        const count = perKey[i]!.length;
        const mine: Transfer[] = new Array(count);
        for (let k = 0; k < count; k++) mine[k] = this.transfer(lines[at + k]!);
        out[i] = mine;
        at += count;
      }
      first = last;
    }
    return out;
  }

  decoded<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      throw this.damaged(e);
    }
  }

  /** The stored records at these locs, in their order, as text. */
  payloads(locs: readonly number[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < locs.length; i += RECORDS_AT_ONCE) {
      const some = locs.slice(i, i + RECORDS_AT_ONCE);
      const [row] = this.query<[unknown, number]>(SQL.records, `[${some.join(',')}]`, true);
      if (!row || row[1] !== some.length) throw this.damaged('a record is missing');
      // Records hold no newline (a line each), so they split where they were joined.
      const lines = this.decoded(() => bytesOf(row[0]).toString('utf8')).split('\n');
      if (lines.length !== some.length) throw this.damaged('a stored record spans lines');
      for (const l of lines) out.push(l);
    }
    return out;
  }

  logs(query: 'logs' | 'emitted', key: string): TxLog[] {
    return this.texts(SQL[query], key).map((p) => this.parse(p, (x) => JSON.parse(x) as TxLog));
  }
}

/** Addresses whose buckets one query reads. */
const BUCKETS_AT_ONCE = 256;

/** A BLOB as the binding hands it over (a Buffer, or an ArrayBuffer in pluck mode) as a Buffer. */
export function bytesOf(v: unknown): Buffer {
  if (v instanceof ArrayBuffer) return Buffer.from(v);
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new Error(`a stored value is ${v === null ? 'null' : typeof v}, not bytes`);
}

export interface IndexMeta {
  chain: string;
  native: AssetInfo;
  head?: { height: number; time?: string };
  assets: Map<string, AssetInfo>;
  assetOrder: string[];
  /** The dataset records event logs (else no txLogs, as the dataset view). */
  logs: boolean;
}

export class IndexAccountView implements AccountView, Fetcher {
  readonly kind = 'account' as const;
  readonly chain: string;
  readonly native: AssetInfo;
  readonly head?: { height: number; time?: string };
  private readonly assetInfo: Map<string, AssetInfo>;
  private readonly assetKeys: string[];
  private readonly byContract = new Map<string, string>();
  private readonly bySymbol = new Map<string, string | null>();
  /** address → asset → ledger, for every address read so far. */
  private readonly ledgers = new Map<string, Map<string, Transfer[]>>();
  private readonly txs = new Map<string, Transfer[] | undefined>();
  /** tx (lowercase) → its logs in index order, for every tx whose logs were read. */
  private readonly logs = new Map<string, TxLog[]>();
  /** txLogs asked for and not read yet (the engine may report them as missing txs or not at all). */
  private readonly wantedLogs = new Set<string>();
  /** emitter key → its logs in chain order (logsAt: a bridge's destination legs), and those asked for. */
  private readonly emitted = new Map<string, TxLog[]>();
  private readonly wantedEmitted = new Set<string>();
  /** Requests made to the store (`--verbose`, benchmarks). */
  queries = 0;
  readonly txLogs?: (tx: string) => Lookup<readonly TxLog[]>;
  readonly logsAt?: (address: string, topic0: string) => Lookup<readonly TxLog[]>;

  constructor(
    readonly read: AccountStore,
    meta: IndexMeta,
  ) {
    this.chain = meta.chain;
    this.native = meta.native;
    if (meta.head) this.head = meta.head;
    if (meta.logs) {
      this.txLogs = (tx) => this.logsOfTx(tx);
      this.logsAt = (address, topic0) => this.logsOfEmitter(address, topic0);
    }
    this.assetInfo = meta.assets;
    this.assetKeys = meta.assetOrder;
    // The same lookups as the dataset view (src/sources/dataset/view.ts), from the same asset map.
    for (const [key, info] of meta.assets) {
      const ck = info.contract === undefined ? undefined : contractLookupKey(this.chain, info.contract);
      if (ck !== undefined) this.byContract.set(ck, key);
      const lower = key.toLowerCase();
      this.bySymbol.set(lower, this.bySymbol.has(lower) && this.bySymbol.get(lower) !== key ? null : key);
    }
  }

  /** Canonical forms of the addresses asked about (an engine round asks again and again; EIP-55 costs a keccak). */
  private readonly keys = new Map<string, string>();
  private key(address: string): string {
    return keyOf(this.keys, this.chain, address);
  }

  resolveAsset(input: string): string | undefined {
    if (this.assetKeys.includes(input)) return input;
    const ck = contractLookupKey(this.chain, input);
    if (ck !== undefined) return this.byContract.get(ck);
    return this.bySymbol.get(input.toLowerCase()) ?? undefined;
  }

  asset(key: string): AssetInfo | undefined {
    return this.assetInfo.get(key) ?? (key === this.native.symbol ? this.native : undefined);
  }

  assets(): readonly string[] {
    return this.assetKeys;
  }

  private assetKey(asset: string): string | undefined {
    return this.assetKeys.includes(asset) ? asset : this.resolveAsset(asset);
  }

  ledger(address: string, asset: string): Lookup<readonly Transfer[]> {
    const byAsset = this.ledgers.get(this.key(address));
    if (!byAsset) return MISSING;
    const key = this.assetKey(asset);
    return ok(key === undefined ? [] : (byAsset.get(key) ?? []));
  }

  ledgerSize(address: string, asset: string): number | undefined {
    const l = this.ledger(address, asset);
    return l.status === 'ok' ? l.value.length : undefined;
  }

  txTransfers(tx: string): Lookup<readonly Transfer[] | undefined> {
    if (this.txs.has(tx)) return ok(this.txs.get(tx));
    const lower = tx.toLowerCase();
    if (this.txs.has(lower)) return ok(this.txs.get(lower));
    return MISSING;
  }

  private logsOfTx(tx: string): Lookup<readonly TxLog[]> {
    const k = tx.toLowerCase();
    const got = this.logs.get(k);
    if (got) return ok(got);
    this.wantedLogs.add(k);
    return MISSING;
  }

  private logsOfEmitter(address: string, topic0: string): Lookup<readonly TxLog[]> {
    const k = emitterKey(address, topic0);
    const got = this.emitted.get(k);
    if (got) return ok(got);
    this.wantedEmitted.add(k);
    return MISSING;
  }

  async fetchMissing(missing: MissingData): Promise<void> {
    if (this.wantedEmitted.size > 0) {
      this.queries++;
      for (const k of this.wantedEmitted) this.emitted.set(k, this.read.logs('emitted', k));
      this.wantedEmitted.clear();
    }
    const logTxs = [
      ...new Set([
        ...this.wantedLogs,
        ...((missing as { logs?: string[] }).logs ?? []).map((t) => t.toLowerCase()),
      ]),
    ].filter((t) => !this.logs.has(t));
    if (logTxs.length > 0) {
      this.queries++;
      for (const t of logTxs) this.logs.set(t, this.read.logs('logs', t));
      this.wantedLogs.clear();
    }
    const addrs = [...new Set(missing.addresses.map((a) => this.key(a)))].filter((a) => !this.ledgers.has(a));
    if (addrs.length > 0) {
      this.queries++;
      const all = this.read.manyLedgers
        ? this.read.manyLedgers(addrs)
        : addrs.map((a) => this.read.transfers('ledger', a));
      for (let i = 0; i < addrs.length; i++) {
        const a = addrs[i]!;
        const byAsset = new Map<string, Transfer[]>();
        for (const t of all[i]!) {
          const l = byAsset.get(t.asset);
          if (l) l.push(t);
          else byAsset.set(t.asset, [t]);
        }
        this.ledgers.set(a, byAsset);
      }
    }
    const txs = [...new Set(missing.txs)].filter((t) => !this.txs.has(t));
    if (txs.length > 0) {
      this.queries++;
      for (const t of txs) {
        let got = this.read.transfers('tx', t);
        if (got.length === 0 && t.toLowerCase() !== t) got = this.read.transfers('tx', t.toLowerCase());
        this.txs.set(t, got.length === 0 ? undefined : got);
      }
    }
  }
}

export class IndexUtxoView implements UtxoView, Fetcher {
  readonly kind = 'utxo' as const;
  readonly chain: string;
  readonly native: AssetInfo;
  readonly head?: { height: number; time?: string };
  private readonly txById = new Map<string, UtxoTx | undefined>();
  private readonly spends = new Map<string, SpendRef | null>();
  private readonly addrTxs = new Map<string, UtxoTx[]>();
  queries = 0;
  readonly read: Reader;

  constructor(db: Database.Database, file: string, meta: IndexMeta) {
    this.read = new Reader(db, file);
    this.chain = meta.chain;
    this.native = meta.native;
    if (meta.head) this.head = meta.head;
  }

  /** Canonical forms of the addresses asked about (an engine round asks again and again; EIP-55 costs a keccak). */
  private readonly keys = new Map<string, string>();
  private key(address: string): string {
    return keyOf(this.keys, this.chain, address);
  }

  private knownTx(txid: string): Lookup<UtxoTx | undefined> {
    if (this.txById.has(txid)) return ok(this.txById.get(txid));
    const lower = txid.toLowerCase();
    if (this.txById.has(lower)) return ok(this.txById.get(lower));
    return MISSING;
  }

  tx(txid: string): Lookup<UtxoTx | undefined> {
    return this.knownTx(txid);
  }

  spender(txid: string, vout: number): Lookup<SpendRef | null> {
    const k = `${txid.toLowerCase()}:${vout}`;
    if (!this.spends.has(k)) return MISSING;
    // As the dataset view: an output index past a known transaction's outputs has no spender.
    const t = this.knownTx(txid);
    if (t.status === 'ok' && t.value && (vout < 0 || vout >= t.value.outputs.length)) return ok(null);
    return ok(this.spends.get(k)!);
  }

  addressTxs(address: string): Lookup<readonly UtxoTx[]> {
    const l = this.addrTxs.get(this.key(address));
    return l ? ok(l) : MISSING;
  }

  addressTxCount(address: string): number | undefined {
    return this.addrTxs.get(this.key(address))?.length;
  }

  async fetchMissing(missing: MissingData): Promise<void> {
    const txids = [...new Set(missing.txs.map((t) => t.toLowerCase()))].filter((t) => !this.txById.has(t));
    // An outspend question needs its transaction too (for the output-range rule above).
    for (const o of missing.outspends) {
      const txid = o.slice(0, o.lastIndexOf(':')).toLowerCase();
      if (!this.txById.has(txid) && !txids.includes(txid)) txids.push(txid);
    }
    const loaded: UtxoTx[] = [];
    if (txids.length > 0) {
      this.queries++;
      for (const t of txids) {
        const tx = this.read
          .texts(SQL.utxoTx, txKey(t))
          .map((p) => this.read.parse(p, decodeRecord<UtxoTx>))
          .find((x) => x.txid === t);
        this.txById.set(t, tx);
        if (tx) loaded.push(tx);
      }
    }
    const addrs = [...new Set(missing.addresses.map((a) => this.key(a)))].filter((a) => !this.addrTxs.has(a));
    if (addrs.length > 0) {
      this.queries++;
      for (const a of addrs) {
        const list: UtxoTx[] = [];
        for (const payload of this.read.inOrder(SQL.addressTxs, a)) {
          const tx = this.read.parse(payload, decodeRecord<UtxoTx>);
          list.push(tx);
          if (!this.txById.has(tx.txid)) {
            this.txById.set(tx.txid, tx);
            loaded.push(tx);
          }
        }
        this.addrTxs.set(a, list);
      }
    }
    // Spenders of every output of every transaction read (and of outputs asked about directly):
    // the post-trace heuristics (peel chains) ask about spenders without fetching, and a dataset
    // answers them all, so the index must too.
    const spendTxids = new Set(loaded.map((t) => t.txid));
    for (const o of missing.outspends) {
      if (!this.spends.has(o.toLowerCase())) spendTxids.add(o.slice(0, o.lastIndexOf(':')).toLowerCase());
    }
    if (spendTxids.size > 0) {
      this.queries++;
      for (const o of missing.outspends) this.spends.set(o.toLowerCase(), null);
      for (const tx of loaded)
        for (let v = 0; v < tx.outputs.length; v++) this.spends.set(`${tx.txid}:${v}`, null);
      for (const txid of spendTxids) {
        const [list] = this.read.texts(SQL.spends, txid);
        for (const [vout, spender, inputIndex] of list === undefined
          ? []
          : this.read.parse(list, (l) => JSON.parse(l) as [number, string, number][])) {
          const k = `${txid}:${vout}`;
          if (this.spends.has(k)) this.spends.set(k, { txid: spender, inputIndex });
        }
      }
    }
  }
}
