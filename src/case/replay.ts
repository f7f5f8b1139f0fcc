// Replays a recorded lookup log as a ChainView: every lookup the engine made answers exactly as it
// did when the case was made, with no network and no dataset. A lookup that is not in the log
// answers "missing" (the engine then marks that path cut by missing data) and is counted, so a
// replay that asked for more than the evidence holds says so.
import { inputError } from '../core/errors.js';
import type { AssetInfo, Transfer, TxLog, UtxoTx } from '../core/model.js';
import {
  type AccountView,
  type ChainView,
  type Lookup,
  MISSING,
  type SpendRef,
  type UtxoView,
} from '../core/view.js';
import {
  decodeTransfer,
  decodeTx,
  type EncodedAnswer,
  LOOKUP_FORMAT,
  type LookupLog,
  type TransferRecord,
  type TxRecord,
} from './recording.js';

export interface ReplayView {
  view: ChainView;
  /** Lookups the engine made that the log does not hold (`method(args)`), first-seen order. */
  unrecorded(): string[];
}

/** Check the shape of a parsed log; throws BAD_INPUT naming the first problem. */
export function checkLog(data: unknown, where: string): LookupLog {
  const bad = (what: string) => inputError(`${where}: not a fundtrace lookup log (${what})`);
  if (typeof data !== 'object' || data === null) throw bad('not a JSON object');
  const d = data as Partial<LookupLog>;
  if (d.format !== LOOKUP_FORMAT) throw bad(`format is not ${LOOKUP_FORMAT}`);
  if (d.kind !== 'utxo' && d.kind !== 'account') throw bad('kind must be utxo or account');
  if (typeof d.chain !== 'string') throw bad('no chain');
  if (!d.native || typeof d.native.symbol !== 'string') throw bad('no native asset');
  if (!Array.isArray(d.records) || !Array.isArray(d.lookups) || !Array.isArray(d.optional))
    throw bad('records, lookups and optional must be lists');
  if (d.optional.includes('txLogs') && !Array.isArray(d.logs)) throw bad('txLogs offered but no logs list');
  for (const [i, e] of d.lookups.entries()) {
    if (!Array.isArray(e) || typeof e[0] !== 'string' || !Array.isArray(e[1]) || typeof e[2] !== 'object')
      throw bad(`lookup ${i} is malformed`);
  }
  return d as LookupLog;
}

export function replayView(log: LookupLog): ReplayView {
  const answers = new Map<string, EncodedAnswer>();
  for (const [method, args, answer] of log.lookups) answers.set(JSON.stringify([method, ...args]), answer);
  const misses: string[] = [];
  const seenMiss = new Set<string>();
  const decoded: (UtxoTx | Transfer | undefined)[] = new Array(log.records.length);
  const record = (i: number) => {
    let r = decoded[i];
    if (!r) {
      const raw = log.records[i];
      if (!raw) throw inputError(`lookup log refers to record ${i}, which it does not hold`);
      r = log.kind === 'utxo' ? decodeTx(raw as TxRecord) : decodeTransfer(raw as TransferRecord);
      decoded[i] = r;
    }
    return r;
  };
  const get = (method: string, ...args: (string | number)[]): EncodedAnswer | undefined => {
    const k = JSON.stringify([method, ...args]);
    const a = answers.get(k);
    if (!a && !seenMiss.has(k)) {
      seenMiss.add(k);
      misses.push(`${method}(${args.join(', ')})`);
    }
    return a;
  };
  const lookup = <T>(a: EncodedAnswer | undefined, decode: (v: unknown) => T): Lookup<T> =>
    !a || 'missing' in a ? MISSING : { status: 'ok', value: decode(a.v) };
  const plain = (a: EncodedAnswer | undefined): unknown => (a && 'v' in a ? a.v : null);
  const one = (v: unknown) => (v === null ? undefined : record(v as number));
  const list = (v: unknown) => (v as number[]).map(record);
  const head = log.head ?? undefined;

  let view: ChainView;
  if (log.kind === 'utxo') {
    const v: UtxoView = {
      kind: 'utxo',
      chain: log.chain,
      native: log.native,
      ...(head ? { head } : {}),
      tx: (txid) => lookup(get('tx', txid), (x) => one(x) as UtxoTx | undefined),
      spender: (txid, vout) =>
        lookup(get('spender', txid, vout), (x) => (x === null ? null : ({ ...(x as SpendRef) } as SpendRef))),
      addressTxs: (address) => lookup(get('addressTxs', address), (x) => list(x) as UtxoTx[]),
    };
    if (log.optional.includes('addressTxCount')) {
      v.addressTxCount = (address) => (plain(get('addressTxCount', address)) as number | null) ?? undefined;
    }
    view = v;
  } else {
    const v: AccountView = {
      kind: 'account',
      chain: log.chain,
      native: log.native,
      ...(head ? { head } : {}),
      resolveAsset: (input) => {
        const a = get('resolveAsset', input);
        if (a) return (plain(a) as string | null) ?? undefined;
        // Not asked at record time in this form: accept an asset key the log knows.
        for (const [m, args, ans] of log.lookups) {
          if (m === 'asset' && 'v' in ans && ans.v !== null) {
            const key = String(args[0]);
            const info = ans.v as AssetInfo;
            if (key === input || key.toLowerCase() === input.toLowerCase() || info.symbol === input)
              return key;
          }
        }
        return undefined;
      },
      asset: (key) => (plain(get('asset', key)) as AssetInfo | null) ?? undefined,
      assets: () => (plain(get('assets')) as string[] | null) ?? [],
      ledger: (address, asset) => lookup(get('ledger', address, asset), (x) => list(x) as Transfer[]),
      txTransfers: (tx) =>
        lookup(get('txTransfers', tx), (x) => (x === null ? undefined : (list(x) as Transfer[]))),
    };
    if (log.optional.includes('txLogs')) {
      const logs = log.logs ?? [];
      const logAt = (i: number): TxLog => {
        const l = logs[i];
        if (!l) throw inputError(`lookup log refers to log ${i}, which it does not hold`);
        return l;
      };
      v.txLogs = (tx) => lookup(get('txLogs', tx), (x) => (x as number[]).map(logAt));
    }
    if (log.optional.includes('ledgerSize')) {
      v.ledgerSize = (address, asset) =>
        (plain(get('ledgerSize', address, asset)) as number | null) ?? undefined;
    }
    view = v;
  }
  return { view, unrecorded: () => [...misses] };
}
