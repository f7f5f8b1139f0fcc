// ethereum-etl exports (the tools' output and BigQuery `crypto_ethereum` tables) → fundtrace
// transfers, by the same rules as the rpc: source (src/sources/evm/transfers.ts), so one
// transaction gives the same records whichever way it was read:
//   transactions     the native value (if the receipt says success) and the fee
//                    (receipt gas_used × effective_gas_price, else gas_price)
//   receipts         status / gas_used / effective_gas_price / contract_address, when the
//                    transactions file does not carry them (its CSV form does not)
//   traces           internal value: call (call_type "call"), create and suicide traces with value,
//                    status 1 (neither they nor an ancestor reverted), not the top-level call
//   token_transfers  ERC-20 Transfer events, index = log_index
//   logs             every event log (export_receipts_and_logs), as dataset `logs` records
//                    (src/sources/evm/logs.ts: the rpc: source's TxLogs); none for a failed tx
// A failed transaction moves nothing and pays its fee. Block rewards and withdrawals are not
// transfers of any transaction and are left out (the import says how many).

import { findChain } from '../../core/chains.js';
import { toChecksumAddress } from '../../core/keccak.js';
import type { AssetInfo, Transfer, TxLog, UtxoTx } from '../../core/model.js';
import { receiptLogs } from '../evm/logs.js';
import { type InternalMove, tokenTransfer, txNativeTransfers } from '../evm/transfers.js';
import {
  type EtlFiles,
  type EtlRow,
  etlError,
  etlRows,
  fileList,
  num,
  optUint,
  timeOf,
  uint,
} from './rows.js';
import { TxTable } from './txtable.js';

/** Each export may be one file or several (the shards of a BigQuery export), read in the order given. */
export interface EthereumEtlFiles {
  transactions: EtlFiles;
  receipts?: EtlFiles;
  traces?: EtlFiles;
  tokenTransfers?: EtlFiles;
  /** ethereum-etl `tokens` export (address, symbol, decimals): names and decimals of tokens. */
  tokens?: EtlFiles;
  /** ethereum-etl `logs` export (transaction_hash, log_index, address, data, topics): event logs. */
  logs?: EtlFiles;
}

/** What a dataset's header says of an import (written once its records are). */
export interface EtlHeader {
  chain: string;
  assets: Record<string, AssetInfo>;
  head: { height: number; time: string } | null;
  notes: string[];
}

/** Writes one record of the import; a promise when the caller must wait (the output is busy). */
export type EmitRecord = (
  type: 'transfer' | 'log' | 'transaction',
  record: Transfer | TxLog | UtxoTx,
) => Promise<void> | undefined;

/** An import held whole (bitcoin-etl: transactions are checked against each other before any is written). */
export interface EtlImport extends EtlHeader {
  transactions: UtxoTx[];
}

/** A Map holds at most 2^24 − 1 entries: the separate receipts export is refused past it, in words. */
const MAX_HELD = 16_777_215;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;

/** Checksummed forms of the addresses read so far: an export names the same few addresses over and over. */
const checksummed = new Map<string, string>();

function address(row: EtlRow, column: string): string {
  const v = row.get(column);
  if (v === null) throw etlError(row.file, row.line, `${column} null is not an address`);
  const got = checksummed.get(v);
  if (got !== undefined) return got;
  if (!ADDRESS.test(v))
    throw etlError(row.file, row.line, `${column} ${JSON.stringify(v)} is not an address`);
  const c = toChecksumAddress(v.slice(2).toLowerCase());
  if (checksummed.size >= 1 << 20) checksummed.clear(); // bounded: a cache, not a table
  checksummed.set(v, c);
  return c;
}
function optAddress(row: EtlRow, column: string): string | null {
  return row.get(column) === null ? null : address(row, column);
}
function hash(row: EtlRow, column: string): string {
  const v = row.get(column);
  if (v === null || !HASH.test(v))
    throw etlError(row.file, row.line, `${column} ${JSON.stringify(v)} is not a transaction hash`);
  return v.toLowerCase();
}

interface Receipt {
  success: boolean;
  gasUsed: bigint;
  price: bigint | null;
  contract: string | null;
}

function receiptOf(row: EtlRow, prefix: string): Receipt | undefined {
  if (row.get(`${prefix}status`) === null) return undefined;
  const status = uint(row, `${prefix}status`);
  return {
    success: status === 1n,
    gasUsed: uint(row, `${prefix}gas_used`),
    price: optUint(row, `${prefix}effective_gas_price`),
    contract: optAddress(row, `${prefix}contract_address`),
  };
}

/**
 * Reads the exports a row at a time and hands each record to `emit` as it is made (in the order
 * of the export, not chain order: a dataset may list its records in any order), so an export far
 * bigger than memory can be imported; what is held is one small entry per transaction (TxTable),
 * the internal moves of the traces export and the separate receipts export, if given.
 */
export async function importEthereumEtl(
  files: EthereumEtlFiles,
  chainName: string,
  emit: EmitRecord,
  /** What the import is reading (a progress line on a terminal). */
  progress?: (text: string) => void,
): Promise<EtlHeader & { records: number }> {
  const chain = findChain(chainName);
  if (chain?.kind !== 'account' || chain.chainId === undefined)
    throw etlError(fileList(files.transactions)[0] ?? '', null, `--chain ${chainName} is not an EVM chain`);
  const notes: string[] = [];
  const receipts = new Map<string, Receipt>();
  if (files.receipts) {
    for await (const r of etlRows(files.receipts, ['transaction_hash', 'status', 'gas_used'], progress)) {
      const rec = receiptOf(r, '');
      if (!rec) continue;
      if (receipts.size >= MAX_HELD)
        throw etlError(
          r.file,
          r.line,
          `more than ${MAX_HELD} receipts in one import (they are held until the transactions are read): import the export a block range at a time, or use BigQuery's transactions table, which carries the receipt columns`,
        );
      receipts.set(hash(r, 'transaction_hash'), rec);
    }
  }
  // Internal moves per transaction, in execution (depth-first) order.
  const moves = new Map<string, { order: number[]; move: InternalMove; file: string; line: number }[]>();
  let rewards = 0;
  if (files.traces) {
    const rows = etlRows(
      files.traces,
      ['transaction_hash', 'from_address', 'to_address', 'value', 'trace_type', 'trace_address', 'status'],
      progress,
    );
    for await (const r of rows) {
      const type = r.get('trace_type');
      if (type === 'reward' || r.get('transaction_hash') === null) {
        rewards++;
        continue;
      }
      const traceAddress = r.get('trace_address');
      if (traceAddress === null) continue; // the top-level call is the transaction's own value
      if (uint(r, 'status') !== 1n) continue;
      if (type === 'call' && (r.get('call_type') ?? 'call') !== 'call') continue; // delegatecall, staticcall, callcode move nothing
      if (type !== 'call' && type !== 'create' && type !== 'suicide') continue;
      const value = uint(r, 'value');
      if (value === 0n) continue;
      const from = optAddress(r, 'from_address');
      const to = optAddress(r, 'to_address');
      if (from === null || to === null)
        throw etlError(r.file, r.line, `a ${type} trace with value needs both addresses`);
      const order = traceAddress.split(',').map((x) => {
        if (!/^\d+$/.test(x))
          throw etlError(
            r.file,
            r.line,
            `trace_address ${JSON.stringify(traceAddress)} is not a list of integers`,
          );
        return Number(x);
      });
      const tx = hash(r, 'transaction_hash');
      const list = moves.get(tx) ?? [];
      list.push({ order, move: { from, to, value }, file: r.file, line: r.line });
      moves.set(tx, list);
    }
  }
  const cmpOrder = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  };

  let head: EtlHeader['head'] = null;
  const txRows = etlRows(
    files.transactions,
    ['hash', 'transaction_index', 'from_address', 'to_address', 'value', 'block_timestamp', 'block_number'],
    progress,
  );
  let noReceipt = 0;
  let firstNoReceipt: EtlRow | undefined;
  // What the token transfers and logs of a transaction need from it, by hash.
  const txs = new TxTable();
  let records = 0;
  const out = async (type: 'transfer' | 'log', record: Transfer | TxLog) => {
    if (type === 'transfer') records++;
    const p = emit(type, record);
    if (p) await p;
  };
  for await (const r of txRows) {
    const tx = hash(r, 'hash');
    const height = num(r, 'block_number');
    const time = timeOf(r, 'block_timestamp');
    const position = num(r, 'transaction_index');
    const receipt = receiptOf(r, 'receipt_') ?? receipts.get(tx);
    if (!txs.add(tx, height, position, time, receipt?.success === false))
      throw etlError(r.file, r.line, `transaction ${tx} appears twice`);
    if (!head || height > head.height) head = { height, time };
    if (!receipt) {
      noReceipt++;
      firstNoReceipt ??= r;
      continue;
    }
    const price = receipt.price ?? uint(r, 'gas_price');
    const facts = {
      hash: tx,
      height,
      position,
      time,
      from: address(r, 'from_address'),
      to: optAddress(r, 'to_address') ?? receipt.contract,
      value: uint(r, 'value'),
      success: receipt.success,
      fee: receipt.gasUsed * price,
    };
    const internal = (moves.get(tx) ?? []).sort((a, b) => cmpOrder(a.order, b.order)).map((m) => m.move);
    for (const t of txNativeTransfers(facts, receipt.success ? internal : [], chain.native.symbol))
      await out('transfer', t);
  }
  if (noReceipt > 0) {
    // Without a receipt a failed transaction cannot be told from a successful one: refuse rather
    // than count value that never moved.
    throw etlError(
      firstNoReceipt!.file,
      firstNoReceipt!.line,
      `${noReceipt} transaction${noReceipt === 1 ? ' has' : 's have'} no receipt (status, gas used; the first is this row): give the receipts export with --receipts`,
    );
  }
  for (const [tx, list] of moves) {
    if (txs.get(tx) < 0)
      throw etlError(
        list[0]!.file,
        list[0]!.line,
        `traces name transaction ${tx}, which is not in the transactions export`,
      );
  }
  moves.clear();
  receipts.clear();
  if (rewards > 0) notes.push(`${rewards} block-reward traces left out (not transfers of a transaction)`);

  const assets: Record<string, AssetInfo> = {};
  if (files.tokenTransfers) {
    const known = new Map<string, { symbol: string; decimals: number }>();
    for (const info of Object.values(chain.tokens ?? {}))
      if (info.contract)
        known.set(info.contract.toLowerCase(), { symbol: info.symbol, decimals: info.decimals });
    if (files.tokens) {
      for await (const r of etlRows(files.tokens, ['address', 'symbol', 'decimals'], progress)) {
        const a = address(r, 'address').toLowerCase();
        const symbol = r.get('symbol');
        const decimals = r.get('decimals');
        if (
          !known.has(a) &&
          symbol &&
          decimals !== null &&
          /^\d{1,2}$/.test(decimals) &&
          /^[A-Za-z0-9.$_-]{1,16}$/.test(symbol)
        )
          known.set(a, { symbol, decimals: Number(decimals) });
      }
    }
    const keyOf = new Map<string, string>();
    const used = new Set<string>([chain.native.symbol]);
    let unknownDecimals = 0;
    const rows = etlRows(
      files.tokenTransfers,
      ['token_address', 'from_address', 'to_address', 'value', 'transaction_hash', 'log_index'],
      progress,
    );
    for await (const r of rows) {
      const contract = address(r, 'token_address');
      const c = contract.toLowerCase();
      let key = keyOf.get(c);
      if (!key) {
        const k = known.get(c);
        // Same symbol on two contracts (a look-alike): the second is named by its contract too.
        key = k && !used.has(k.symbol) ? k.symbol : `${k?.symbol ?? 'TOKEN'}-${contract.slice(2, 10)}`;
        if (!k) unknownDecimals++;
        used.add(key);
        keyOf.set(c, key);
        assets[key] = { symbol: key, decimals: k?.decimals ?? 0, contract };
      }
      const tx = hash(r, 'transaction_hash');
      const row = txs.get(tx);
      if (row < 0) throw etlError(r.file, r.line, `transaction ${tx} is not in the transactions export`);
      if (txs.failed(row)) continue; // a failed transaction emits no events: skip any that claim so
      const from = address(r, 'from_address');
      const to = address(r, 'to_address');
      const value = uint(r, 'value');
      if (value === 0n || from === to) continue;
      const base = { tx, height: txs.height(row), position: txs.position(row), time: txs.time(row) };
      await out(
        'transfer',
        tokenTransfer(base, num(r, 'log_index'), { token: contract, from, to, value }, key),
      );
    }
    if (unknownDecimals > 0)
      notes.push(
        `${unknownDecimals} token contract${unknownDecimals === 1 ? '' : 's'} without known decimals: amounts in base units (give the tokens export with --tokens)`,
      );
  }
  if (files.logs) await readLogs(files.logs, txs, out, progress);
  return { chain: chain.name, assets, head, notes, records };
}

const TOPIC = /^0x[0-9a-fA-F]{64}$/;

/** The logs export: topics a JSON list, or (CSV) one comma-separated field. */
async function readLogs(
  file: EtlFiles,
  txs: TxTable,
  out: (type: 'log', log: TxLog) => Promise<void>,
  progress?: (text: string) => void,
): Promise<void> {
  for await (const r of etlRows(
    file,
    ['transaction_hash', 'log_index', 'address', 'data', 'topics'],
    progress,
  )) {
    const tx = hash(r, 'transaction_hash');
    const row = txs.get(tx);
    if (row < 0) throw etlError(r.file, r.line, `transaction ${tx} is not in the transactions export`);
    if (txs.failed(row)) continue; // a failed transaction emits no events
    const raw = r.raw('topics');
    const topics = Array.isArray(raw)
      ? raw.map(String)
      : (r.get('topics') ?? '').split(',').filter((t) => t !== '');
    if (topics.length > 4 || !topics.every((t) => TOPIC.test(t)))
      throw etlError(
        r.file,
        r.line,
        `topics ${JSON.stringify(r.get('topics'))} are not 0 to 4 32-byte words`,
      );
    const data = r.get('data') ?? '0x';
    if (!/^0x([0-9a-fA-F]{2})*$/.test(data))
      throw etlError(
        r.file,
        r.line,
        `data ${JSON.stringify(data.slice(0, 80))} is not 0x and an even number of hex digits`,
      );
    const base = { tx, height: txs.height(row), position: txs.position(row), time: txs.time(row) };
    for (const l of receiptLogs(base, true, [
      { address: address(r, 'address'), topics, data, logIndex: num(r, 'log_index') },
    ]))
      await out('log', l);
  }
}
