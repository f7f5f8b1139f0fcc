// bitcoin-etl exports → fundtrace UTXO transactions. Two shapes are read, both JSON Lines with
// nested `inputs` and `outputs` arrays (CSV cannot hold them; BigQuery refuses to export nested
// fields as CSV):
//   bitcoin-etl `export_blocks_and_transactions` (optionally `enrich_transactions`):
//     hash, block_number, block_timestamp (unix seconds), index (position in the block),
//     is_coinbase, inputs[{index, spent_transaction_hash, spent_output_index, addresses, value,
//     type}], outputs[{index, addresses, value, type}]; `type` "block" lines (a combined file) are
//     read as blocks
//   BigQuery `crypto_bitcoin.transactions` exported as JSON: the same fields, integers possibly as
//     strings, block_timestamp as "YYYY-MM-DD HH:MM:SS[.ffffff] UTC", and no `index`
// `--blocks` (the blocks export: hash, number, timestamp; CSV or JSON Lines) fills block_number and
// block_timestamp from block_hash when the transactions lack them (early bitcoin-etl versions).
//
// The checks are the dataset's (src/sources/dataset/builder.ts), made here so an error names the
// export's file and line: an input spending an output of the export must match its value and
// address, no output is spent twice, a spend comes after what it spends, fees = inputs − outputs are
// never negative, values within 21 million BTC; a coinbase has no inputs. The written dataset is
// then validated again as any dataset.
//
// Addresses: an output with exactly one address keeps it; OP_RETURN (`nulldata`), bitcoin-etl's
// made-up `nonstandard…` addresses and bare multisig (several addresses) have no single owner and
// get `address: null`, as the dataset format writes them. An input takes its address by the same
// rule, or from the output it spends when the export holds it and the input carries none (an export
// that was not enriched). An input funded outside the export must carry its value and address.

import { canonicalAddress } from '../../core/address.js';
import { findChain } from '../../core/chains.js';
import { compareTxs, type TxInput, type TxOutput, type UtxoTx } from '../../core/model.js';
import type { EmitRecord, EtlHeader, EtlImport } from './ethereum.js';
import { type EtlFiles, type EtlRow, etlError, etlRows, fileList, num, timeOf, uint } from './rows.js';

export interface BitcoinEtlFiles {
  transactions: EtlFiles;
  blocks?: EtlFiles;
}

/** Bitcoin's MAX_MONEY, as the dataset validator: 21 million coins in satoshi. */
const MAX_MONEY = 2_100_000_000_000_000n;
const HASH = /^[0-9a-fA-F]{64}$/;

interface Block {
  height: number;
  time: string;
}

interface Parsed {
  file: string;
  line: number;
  /** The block to take height and time from, when the row carries neither (-1 until then). */
  blockHash: string | null;
  tx: UtxoTx;
  coinbase: boolean;
  /** Inputs without a value or address of their own, to take from the output they spend. */
  unknown: Set<number>;
  /** The row's own fee, when it states one and every input carried its value. */
  fee: bigint | null;
}

function txHash(row: EtlRow, v: unknown, what: string): string {
  if (typeof v !== 'string' || !HASH.test(v))
    throw etlError(row.file, row.line, `${what} ${JSON.stringify(v)} is not a transaction hash`);
  return v.toLowerCase();
}

/** A nested integer (satoshi, an index), given as a JSON number or a decimal string. */
function nestedUint(row: EtlRow, v: unknown, what: string, max: bigint): bigint {
  const s = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v;
  if (typeof s !== 'string' || !/^\d+$/.test(s))
    throw etlError(row.file, row.line, `${what} ${JSON.stringify(v)} is not a non-negative integer`);
  const n = BigInt(s);
  if (n > max)
    throw etlError(
      row.file,
      row.line,
      max === MAX_MONEY
        ? `${what} ${s.slice(0, 80)} is more than the 21 million BTC that can exist (${MAX_MONEY} satoshi)`
        : `${what} ${s.slice(0, 80)} is too large`,
    );
  return n;
}

/** The single owner of an output or input, or null (OP_RETURN, nonstandard, bare multisig, none). */
function ownerOf(
  row: EtlRow,
  item: Record<string, unknown>,
  what: string,
  chain: string,
): string | null | undefined {
  const addresses = item.addresses;
  if (addresses === undefined || addresses === null) return undefined;
  if (!Array.isArray(addresses) || addresses.some((a) => typeof a !== 'string' || a === ''))
    throw etlError(row.file, row.line, `${what}.addresses is not a list of addresses`);
  const type = item.type;
  if (type === 'nulldata' || type === 'nonstandard' || addresses.length !== 1) return null;
  const a = addresses[0] as string;
  if (a.startsWith('nonstandard')) return null;
  try {
    return canonicalAddress(chain, a);
  } catch (e) {
    throw etlError(row.file, row.line, `${what}.addresses: ${(e as Error).message}`);
  }
}

function items(row: EtlRow, column: string): Record<string, unknown>[] {
  const v = row.raw(column);
  if (typeof v === 'string')
    throw etlError(
      row.file,
      row.line,
      `${column} is text, not a list: bitcoin-etl transactions are read from JSON Lines (nested inputs and outputs)`,
    );
  if (!Array.isArray(v) || v.some((x) => x === null || typeof x !== 'object' || Array.isArray(x)))
    throw etlError(row.file, row.line, `${column} is not a list of objects`);
  return v as Record<string, unknown>[];
}

function truthy(row: EtlRow, column: string): boolean {
  const v = row.raw(column);
  if (v === undefined || v === null || v === false || v === 'false' || v === 'False') return false;
  if (v === true || v === 'true' || v === 'True') return true;
  throw etlError(row.file, row.line, `${column} ${JSON.stringify(v)} is not true or false`);
}

function parseTx(row: EtlRow, chain: string): Parsed {
  const txid = txHash(row, row.raw('hash'), 'hash');
  let height = -1;
  let time = '';
  let blockHash: string | null = null;
  if (row.get('block_number') !== null && row.get('block_timestamp') !== null) {
    height = num(row, 'block_number');
    time = timeOf(row, 'block_timestamp');
  } else {
    const hash = row.get('block_hash');
    if (hash === null)
      throw etlError(
        row.file,
        row.line,
        'no block_number and block_timestamp, and no block_hash to look them up',
      );
    blockHash = hash.toLowerCase();
  }
  const coinbase = truthy(row, 'is_coinbase');
  const inputs: TxInput[] = [];
  const unknown = new Set<number>();
  let allValued = true;
  const rawInputs = items(row, 'inputs');
  rawInputs.forEach((it, j) => {
    const what = `inputs[${j}]`;
    // Some exports keep the coinbase input (no spent output): it moves nothing.
    if (coinbase && (it.spent_transaction_hash === null || it.spent_transaction_hash === undefined)) return;
    if (coinbase) throw etlError(row.file, row.line, `a coinbase transaction spends an output (${what})`);
    if (
      it.index !== undefined &&
      it.index !== null &&
      nestedUint(row, it.index, `${what}.index`, 1n << 32n) !== BigInt(j)
    )
      throw etlError(
        row.file,
        row.line,
        `${what}.index ${JSON.stringify(it.index)} is not its place in the list (${j})`,
      );
    for (const k of ['spent_transaction_hash', 'spent_output_index'])
      if (!(k in it)) throw etlError(row.file, row.line, `${what} has no ${k}`);
    const spent = txHash(row, it.spent_transaction_hash, `${what}.spent_transaction_hash`);
    const vout = Number(nestedUint(row, it.spent_output_index, `${what}.spent_output_index`, 0xffffffffn));
    const address = ownerOf(row, it, what, chain);
    const hasValue = it.value !== undefined && it.value !== null;
    if (!hasValue || address === undefined) {
      unknown.add(inputs.length);
      allValued &&= hasValue;
    }
    inputs.push({
      txid: spent,
      vout,
      address: address ?? null,
      value: hasValue ? nestedUint(row, it.value, `${what}.value`, MAX_MONEY) : -1n,
    });
  });
  if (!coinbase && inputs.length === 0)
    throw etlError(row.file, row.line, 'a transaction that is not a coinbase has no inputs');
  const rawOutputs = items(row, 'outputs');
  const outputs: TxOutput[] = new Array(rawOutputs.length);
  rawOutputs.forEach((it, j) => {
    const what = `outputs[${j}]`;
    // An output's place in the list is its index, as in the dataset format.
    const idx =
      it.index === undefined || it.index === null
        ? j
        : Number(nestedUint(row, it.index, `${what}.index`, 1n << 32n));
    if (idx !== j)
      throw etlError(
        row.file,
        row.line,
        `${what}.index ${JSON.stringify(it.index)} is not its place in the list (${j})`,
      );
    if (!('value' in it)) throw etlError(row.file, row.line, `${what} has no value`);
    const address = ownerOf(row, it, what, chain);
    if (address === undefined) throw etlError(row.file, row.line, `${what} has no addresses`);
    outputs[j] = { address, value: nestedUint(row, it.value, `${what}.value`, MAX_MONEY) };
  });
  const position = row.get('index') === null ? null : num(row, 'index');
  const fee =
    !coinbase &&
    allValued &&
    row.get('fee') !== null &&
    rawInputs.every((i) => i.value !== null && i.value !== undefined)
      ? uint(row, 'fee')
      : null;
  return {
    file: row.file,
    line: row.line,
    blockHash,
    tx: { txid, height, position, time, inputs, outputs },
    coinbase,
    unknown,
    fee,
  };
}

/** Positions for exports without `index` (BigQuery): coinbase first, then by depth of in-block
 * spending (a spender comes after what it spends), ties by txid. Only the order matters to a
 * trace; the numbers are not the block's. Linear in the block's inputs. */
function derivePositions(parsed: Parsed[]): number {
  const byBlock = new Map<number, Parsed[]>();
  for (const p of parsed) {
    if (p.tx.position !== null) continue;
    const list = byBlock.get(p.tx.height!) ?? [];
    list.push(p);
    byBlock.set(p.tx.height!, list);
  }
  let derived = 0;
  for (const list of byBlock.values()) {
    const byId = new Map<string, Parsed>();
    for (const p of list) if (!byId.has(p.tx.txid)) byId.set(p.tx.txid, p);
    const depth = new Map<Parsed, number>();
    const visiting = new Set<Parsed>();
    // Iterative depth-first walk (a block can chain thousands of spends).
    const depthOf = (start: Parsed): number => {
      const stack: Parsed[] = [start];
      while (stack.length > 0) {
        const p = stack[stack.length - 1]!;
        if (depth.has(p)) {
          stack.pop();
          continue;
        }
        visiting.add(p);
        let d = 0;
        let pending = false;
        for (const i of p.tx.inputs) {
          const f = byId.get(i.txid);
          if (!f || f === p) continue;
          const fd = depth.get(f);
          if (fd !== undefined) d = Math.max(d, fd + 1);
          else if (visiting.has(f))
            throw etlError(
              p.file,
              p.line,
              `transactions of block ${p.tx.height} spend each other in a cycle`,
            );
          else {
            stack.push(f);
            pending = true;
          }
        }
        if (pending) continue;
        visiting.delete(p);
        depth.set(p, d);
        stack.pop();
      }
      return depth.get(start)!;
    };
    const keyed = list.map((p) => ({ p, d: p.coinbase ? -1 : depthOf(p) }));
    keyed.sort((x, y) => x.d - y.d || (x.p.tx.txid < y.p.tx.txid ? -1 : x.p.tx.txid > y.p.tx.txid ? 1 : 0));
    keyed.forEach(({ p }, i) => {
      p.tx.position = i;
    });
    derived += list.length;
  }
  return derived;
}

export async function importBitcoinEtl(
  files: BitcoinEtlFiles,
  chainName = 'bitcoin',
  /** What the import is reading (a progress line on a terminal). */
  progress?: (text: string) => void,
): Promise<EtlImport> {
  const chain = findChain(chainName);
  if (chain?.kind !== 'utxo')
    throw etlError(fileList(files.transactions)[0] ?? '', null, `--chain ${chainName} is not a UTXO chain`);
  const csv = fileList(files.transactions).find((f) => /\.csv$/i.test(f));
  if (csv !== undefined)
    throw etlError(
      csv,
      null,
      'bitcoin-etl transactions are read from JSON Lines only (nested inputs and outputs do not fit a CSV)',
    );
  const notes: string[] = [];
  const blocks = new Map<string, Block>();
  const blockRow = (r: EtlRow) => {
    const hash = txHash(r, r.raw('hash'), 'block hash');
    blocks.set(hash, { height: num(r, 'number'), time: timeOf(r, 'timestamp') });
  };
  if (files.blocks)
    for await (const r of etlRows(files.blocks, ['hash', 'number', 'timestamp'], progress)) blockRow(r);

  // Streamed: a row's scripts and nested lists are dropped once parsed.
  const parsed: Parsed[] = [];
  for await (const r of etlRows(files.transactions, [], progress)) {
    const type = r.raw('type');
    if (type === 'block') {
      for (const c of ['hash', 'number', 'timestamp'])
        if (!r.has(c)) throw etlError(r.file, r.line, `missing field ${c}`);
      blockRow(r);
    } else if (type === undefined || type === 'transaction') {
      const missing = ['hash', 'inputs', 'outputs'].filter((c) => !r.has(c));
      if (missing.length > 0)
        throw etlError(r.file, r.line, `missing field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
      parsed.push(parseTx(r, chain.name));
    } else {
      throw etlError(r.file, r.line, `type ${JSON.stringify(type)} is neither "transaction" nor "block"`);
    }
  }
  for (const p of parsed) {
    if (p.blockHash === null) continue;
    const b = blocks.get(p.blockHash);
    if (!b)
      throw etlError(
        p.file,
        p.line,
        `no block_number and block_timestamp, and block ${p.blockHash} is not in the blocks export (--blocks, or block lines in this file)`,
      );
    p.tx.height = b.height;
    p.tx.time = b.time;
  }
  const derived = derivePositions(parsed);
  if (derived > 0)
    notes.push(
      `${derived} transaction${derived === 1 ? '' : 's'} without a position in the block (index): ordered coinbase first, then by depth of spends within the block, ties by txid`,
    );

  const byId = new Map<string, Parsed>();
  for (const p of parsed) {
    const prev = byId.get(p.tx.txid);
    if (prev) throw etlError(p.file, p.line, `transaction ${p.tx.txid} also appears at line ${prev.line}`);
    byId.set(p.tx.txid, p);
  }
  const where = (p: Parsed) => `line ${p.line}`;
  const cmp = (a: UtxoTx, b: UtxoTx) =>
    a.height! !== b.height!
      ? a.height! - b.height!
      : a.position! !== b.position!
        ? a.position! - b.position!
        : 0;
  const spentBy = new Map<string, Parsed>();
  let filled = 0;
  for (const p of parsed) {
    const { tx } = p;
    const row = p;
    let sumIn = 0n;
    tx.inputs.forEach((input, j) => {
      const op = `${input.txid}:${input.vout}`;
      const prev = spentBy.get(op);
      if (prev)
        throw etlError(
          row.file,
          row.line,
          `double spend: inputs[${j}] spends ${op}, already spent at ${where(prev)}`,
        );
      spentBy.set(op, p);
      const f = byId.get(input.txid);
      if (!f) {
        if (p.unknown.has(j))
          throw etlError(
            row.file,
            row.line,
            `inputs[${j}] spends ${op}, which is not in the export, and carries no value or addresses (run bitcoin-etl enrich_transactions)`,
          );
        sumIn += input.value;
        return;
      }
      const out = f.tx.outputs[input.vout];
      if (!out)
        throw etlError(
          row.file,
          row.line,
          `inputs[${j}] spends unknown output ${op}: that transaction (${where(f)}) has only ${f.tx.outputs.length} output(s)`,
        );
      if (p.unknown.has(j)) {
        // Not enriched: the value and owner are those of the output spent.
        if (input.value >= 0n && input.value !== out.value)
          throw etlError(
            row.file,
            row.line,
            `inputs[${j}].value ${input.value} differs from ${out.value}, the value of output ${op} it spends (${where(f)})`,
          );
        input.value = out.value;
        input.address = out.address;
        filled++;
      } else {
        if (input.value !== out.value)
          throw etlError(
            row.file,
            row.line,
            `inputs[${j}].value ${input.value} differs from ${out.value}, the value of output ${op} it spends (${where(f)})`,
          );
        if (input.address !== out.address)
          throw etlError(
            row.file,
            row.line,
            `inputs[${j}] address ${JSON.stringify(input.address)} differs from ${JSON.stringify(out.address)}, the address of output ${op} it spends (${where(f)})`,
          );
      }
      if (cmp(f.tx, tx) >= 0)
        throw etlError(
          row.file,
          row.line,
          `inputs[${j}] spends an output of ${input.txid} (${where(f)}, block ${f.tx.height} position ${f.tx.position}), which is not earlier (this one: block ${tx.height} position ${tx.position})`,
        );
      sumIn += input.value;
    });
    if (p.coinbase) continue;
    let sumOut = 0n;
    for (const o of tx.outputs) sumOut += o.value;
    if (sumIn < sumOut)
      throw etlError(
        row.file,
        row.line,
        `negative fee: the inputs total ${sumIn} but the outputs total ${sumOut} satoshi`,
      );
    if (p.fee !== null && p.fee !== sumIn - sumOut)
      throw etlError(
        row.file,
        row.line,
        `fee ${p.fee} differs from inputs − outputs = ${sumIn - sumOut} satoshi`,
      );
  }
  if (filled > 0)
    notes.push(
      `${filled} input${filled === 1 ? '' : 's'} without value or addresses took them from the output spent`,
    );

  const seen = new Set<string>();
  for (const p of parsed) {
    const key = `${p.tx.height}:${p.tx.position}`;
    if (seen.has(key))
      throw etlError(
        p.file,
        p.line,
        `another transaction is also at block ${p.tx.height} position ${p.tx.position}`,
      );
    seen.add(key);
  }
  let head: EtlImport['head'] = null;
  for (const b of [...blocks.values(), ...parsed.map((p) => ({ height: p.tx.height!, time: p.tx.time! }))])
    if (!head || b.height > head.height) head = { height: b.height, time: b.time };
  return { chain: chain.name, assets: {}, transactions: parsed.map((p) => p.tx), head, notes };
}

/** The import handed to `emit` (the writer, ./write.ts) in chain order, once every check has passed. */
export async function emitBitcoinEtl(
  files: BitcoinEtlFiles,
  chainName: string,
  emit: EmitRecord,
  progress?: (text: string) => void,
): Promise<EtlHeader & { records: number }> {
  const { transactions, ...header } = await importBitcoinEtl(files, chainName, progress);
  for (const t of transactions.sort(compareTxs)) {
    const p = emit('transaction', t);
    if (p) await p;
  }
  return { ...header, records: transactions.length };
}
