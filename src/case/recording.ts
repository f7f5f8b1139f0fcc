// A ChainView wrapper that records every lookup the engine made and the answer it got, so a case
// can replay the trace from that log alone (src/case/replay.ts) with no network and no dataset.
// The log is the evidence: for a dataset source it is exactly the subset of the dataset the trace
// read; for a remote source it is what the remote answered (after normalisation).
//
// Remote sources fill their view between engine rounds, so one lookup may first answer "missing"
// and later "ok": the last answer wins, and it is the one the final round (the result) saw.
import type { AssetInfo, Transfer, TxLog, UtxoTx } from '../core/model.js';
import type { AccountView, ChainView, Lookup, SpendRef, UtxoView } from '../core/view.js';

export const LOOKUP_FORMAT = 'fundtrace-lookups/1';

/** One recorded lookup: method name, arguments, encoded answer. */
export type LookupEntry = [method: string, args: (string | number)[], answer: EncodedAnswer];

/** `{ missing: true }` for a Lookup that said missing; `{ v }` otherwise (plain methods too). */
export type EncodedAnswer = { missing: true } | { v: unknown };

export interface TxRecord {
  txid: string;
  height: number | null;
  position: number | null;
  time: string | null;
  inputs: { txid: string; vout: number; address: string | null; value: string }[];
  outputs: { address: string | null; value: string }[];
}

export interface TransferRecord {
  tx: string;
  index: number;
  height: number | null;
  position: number | null;
  time: string | null;
  from: string;
  to: string | null;
  asset: string;
  value: string;
  kind: Transfer['kind'];
}

/** The serialised lookup log (evidence file). Records are interned: answers refer to indices. */
export interface LookupLog {
  format: typeof LOOKUP_FORMAT;
  chain: string;
  kind: 'utxo' | 'account';
  native: AssetInfo;
  head: { height: number; time?: string } | null;
  /** Optional view methods the source offered (addressTxCount, ledgerSize). */
  optional: string[];
  /** UtxoTx (utxo) or Transfer (account) records, amounts as decimal strings. */
  records: (TxRecord | TransferRecord)[];
  /**
   * Event logs the trace read (account views that offer txLogs: present exactly when `optional`
   * names txLogs); a txLogs answer lists indices into it.
   */
  logs?: TxLog[];
  lookups: LookupEntry[];
}

export interface Recording {
  /** The view to hand the engine instead of the source's view. */
  readonly view: ChainView;
  /** Number of distinct lookups recorded so far. */
  readonly size: number;
  /** The log, deterministic for the same lookups and answers (sorted, interned). */
  log(): LookupLog;
}

// ---- encoding -------------------------------------------------------------------------------

export const encodeTx = (t: UtxoTx): TxRecord => ({
  txid: t.txid,
  height: t.height,
  position: t.position,
  time: t.time,
  inputs: t.inputs.map((i) => ({
    txid: i.txid,
    vout: i.vout,
    address: i.address,
    value: i.value.toString(),
  })),
  outputs: t.outputs.map((o) => ({ address: o.address, value: o.value.toString() })),
});

export const decodeTx = (r: TxRecord): UtxoTx => ({
  txid: r.txid,
  height: r.height,
  position: r.position,
  time: r.time,
  inputs: r.inputs.map((i) => ({ txid: i.txid, vout: i.vout, address: i.address, value: BigInt(i.value) })),
  outputs: r.outputs.map((o) => ({ address: o.address, value: BigInt(o.value) })),
});

export const encodeTransfer = (t: Transfer): TransferRecord => ({
  tx: t.tx,
  index: t.index,
  height: t.height,
  position: t.position,
  time: t.time,
  from: t.from,
  to: t.to,
  asset: t.asset,
  value: t.value.toString(),
  kind: t.kind,
});

export const decodeTransfer = (r: TransferRecord): Transfer => ({ ...r, value: BigInt(r.value) });

/** Methods whose answers carry records (single, list or list-or-undefined). */
const RECORD_ONE = new Set(['tx']);
const RECORD_LIST = new Set(['addressTxs', 'ledger', 'txTransfers']);

// ---- recorder -------------------------------------------------------------------------------

class Recorder {
  readonly answers = new Map<string, { method: string; args: (string | number)[]; answer: unknown }>();
  put(method: string, args: (string | number)[], answer: unknown): void {
    this.answers.set(JSON.stringify([method, ...args]), { method, args, answer });
  }
}

class RecordingUtxoView implements UtxoView {
  readonly kind = 'utxo' as const;
  readonly addressTxCount?: (address: string) => number | undefined;
  constructor(
    private readonly inner: UtxoView,
    private readonly rec: Recorder,
  ) {
    if (inner.addressTxCount) {
      const count = inner.addressTxCount.bind(inner);
      this.addressTxCount = (address) => {
        const n = count(address);
        rec.put('addressTxCount', [address], n ?? null);
        return n;
      };
    }
  }
  get chain() {
    return this.inner.chain;
  }
  get native() {
    return this.inner.native;
  }
  get head() {
    return this.inner.head;
  }
  tx(txid: string): Lookup<UtxoTx | undefined> {
    const r = this.inner.tx(txid);
    this.rec.put('tx', [txid], r);
    return r;
  }
  spender(txid: string, vout: number): Lookup<SpendRef | null> {
    const r = this.inner.spender(txid, vout);
    this.rec.put('spender', [txid, vout], r);
    return r;
  }
  addressTxs(address: string): Lookup<readonly UtxoTx[]> {
    const r = this.inner.addressTxs(address);
    this.rec.put('addressTxs', [address], r);
    return r;
  }
}

class RecordingAccountView implements AccountView {
  readonly kind = 'account' as const;
  readonly ledgerSize?: (address: string, asset: string) => number | undefined;
  readonly txLogs?: (tx: string) => Lookup<readonly TxLog[]>;
  constructor(
    private readonly inner: AccountView,
    private readonly rec: Recorder,
  ) {
    if (inner.txLogs) {
      const logs = inner.txLogs.bind(inner);
      this.txLogs = (tx) => {
        const r = logs(tx);
        rec.put('txLogs', [tx], r);
        return r;
      };
    }
    if (inner.ledgerSize) {
      const size = inner.ledgerSize.bind(inner);
      this.ledgerSize = (address, asset) => {
        const n = size(address, asset);
        rec.put('ledgerSize', [address, asset], n ?? null);
        return n;
      };
    }
  }
  get chain() {
    return this.inner.chain;
  }
  get native() {
    return this.inner.native;
  }
  get head() {
    return this.inner.head;
  }
  resolveAsset(input: string): string | undefined {
    const r = this.inner.resolveAsset(input);
    this.rec.put('resolveAsset', [input], r ?? null);
    return r;
  }
  asset(key: string): AssetInfo | undefined {
    const r = this.inner.asset(key);
    this.rec.put('asset', [key], r ?? null);
    return r;
  }
  assets(): readonly string[] {
    const r = this.inner.assets();
    this.rec.put('assets', [], [...r]);
    return r;
  }
  ledger(address: string, asset: string): Lookup<readonly Transfer[]> {
    const r = this.inner.ledger(address, asset);
    this.rec.put('ledger', [address, asset], r);
    return r;
  }
  txTransfers(tx: string): Lookup<readonly Transfer[] | undefined> {
    const r = this.inner.txTransfers(tx);
    this.rec.put('txTransfers', [tx], r);
    return r;
  }
}

/** Wrap `view` so every lookup is recorded. Hand `recording.view` to the engine. */
export function recordView(view: ChainView): Recording {
  const rec = new Recorder();
  const wrapped: ChainView =
    view.kind === 'utxo' ? new RecordingUtxoView(view, rec) : new RecordingAccountView(view, rec);
  return {
    view: wrapped,
    get size() {
      return rec.answers.size;
    },
    log: () => serialise(view, rec),
  };
}

function serialise(view: ChainView, rec: Recorder): LookupLog {
  const keys = [...rec.answers.keys()].sort();
  const records: (TxRecord | TransferRecord)[] = [];
  const interned = new Map<string, number>();
  const intern = (x: UtxoTx | Transfer): number => {
    const r = view.kind === 'utxo' ? encodeTx(x as UtxoTx) : encodeTransfer(x as Transfer);
    const text = JSON.stringify(r);
    let i = interned.get(text);
    if (i === undefined) {
      i = records.length;
      records.push(r);
      interned.set(text, i);
    }
    return i;
  };
  const logs: TxLog[] = [];
  const loggedAt = new Map<string, number>();
  const internLog = (l: TxLog): number => {
    const r: TxLog = {
      tx: l.tx,
      index: l.index,
      height: l.height,
      position: l.position,
      time: l.time,
      address: l.address,
      topics: [...l.topics],
      data: l.data,
    };
    const text = JSON.stringify(r);
    let i = loggedAt.get(text);
    if (i === undefined) {
      i = logs.length;
      logs.push(r);
      loggedAt.set(text, i);
    }
    return i;
  };
  const lookups: LookupEntry[] = [];
  for (const k of keys) {
    const { method, args, answer } = rec.answers.get(k)!;
    let enc: EncodedAnswer;
    if (method === 'txLogs') {
      const l = answer as Lookup<readonly TxLog[]>;
      lookups.push([
        method,
        args,
        l.status === 'missing' ? { missing: true } : { v: l.value.map(internLog) },
      ]);
      continue;
    }
    const isLookup = RECORD_ONE.has(method) || RECORD_LIST.has(method) || method === 'spender';
    if (isLookup) {
      const l = answer as Lookup<unknown>;
      if (l.status === 'missing') enc = { missing: true };
      else if (RECORD_ONE.has(method)) enc = { v: l.value === undefined ? null : intern(l.value as UtxoTx) };
      else if (RECORD_LIST.has(method))
        enc = {
          v: l.value === undefined ? null : (l.value as readonly (UtxoTx | Transfer)[]).map(intern),
        };
      else enc = { v: l.value === null ? null : { ...(l.value as SpendRef) } };
    } else enc = { v: answer };
    lookups.push([method, args, enc]);
  }
  const optional: string[] = [];
  if (view.kind === 'utxo' && view.addressTxCount) optional.push('addressTxCount');
  if (view.kind === 'account' && view.ledgerSize) optional.push('ledgerSize');
  const withLogs = view.kind === 'account' && view.txLogs !== undefined;
  if (withLogs) optional.push('txLogs');
  return {
    format: LOOKUP_FORMAT,
    chain: view.chain,
    kind: view.kind,
    native: { ...view.native },
    head: view.head ? { ...view.head } : null,
    optional,
    records,
    ...(withLogs ? { logs } : {}),
    lookups,
  };
}

/** Every address a log mentions (lookup arguments and records): the ones whose labels matter. */
export function logAddresses(log: LookupLog): Set<string> {
  const out = new Set<string>();
  for (const [method, args] of log.lookups) {
    if (['addressTxs', 'addressTxCount', 'ledger', 'ledgerSize'].includes(method)) out.add(String(args[0]));
  }
  for (const r of log.records) {
    if ('txid' in r) {
      for (const i of r.inputs) if (i.address !== null) out.add(i.address);
      for (const o of r.outputs) if (o.address !== null) out.add(o.address);
    } else {
      out.add(r.from);
      if (r.to !== null) out.add(r.to);
    }
  }
  for (const l of log.logs ?? []) out.add(l.address);
  return out;
}
