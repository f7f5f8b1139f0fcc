// A fundtrace UTXO dataset's transactions written as a bitcoin-etl export (JSON Lines, as
// export_blocks_and_transactions writes them) for the bitcoin-etl import tests.
import { createHash } from 'node:crypto';

export const blockHash = (h: number) => createHash('sha256').update(`block ${h}`).digest('hex');
export const secs = (iso: string) => Date.parse(iso) / 1000;
export const nonstandard = (seed: string) => `nonstandard${createHash('sha1').update(seed).digest('hex')}`;

export interface SampleTx {
  txid: string;
  height: number;
  position: number;
  time: string;
  inputs: { txid: string; vout: number; address: string | null; value: string }[];
  outputs: { address: string | null; value: string }[];
}
export interface Sample {
  head: { height: number; time: string };
  transactions: SampleTx[];
  labels: unknown[];
}

/** The sample as bitcoin-etl writes it: inputs funded inside the export are not enriched (no
 * value, no addresses), as export_blocks_and_transactions leaves them; outside ones are. */
export function bitcoinEtlLines(txs: readonly SampleTx[]): Record<string, unknown>[] {
  const ids = new Set(txs.map((t) => t.txid));
  return txs.map((t) => ({
    type: 'transaction',
    hash: t.txid,
    size: 250,
    virtual_size: 250,
    version: 2,
    lock_time: 0,
    block_number: t.height,
    block_hash: blockHash(t.height),
    block_timestamp: secs(t.time),
    is_coinbase: t.inputs.length === 0 ? true : null,
    index: t.position,
    inputs: t.inputs.map((i, j) => ({
      index: j,
      spent_transaction_hash: i.txid,
      spent_output_index: i.vout,
      script_asm: '',
      script_hex: '',
      sequence: 4294967295,
      required_signatures: null,
      ...(ids.has(i.txid)
        ? { type: null, addresses: null, value: null }
        : i.address === null
          ? { type: 'nonstandard', addresses: [nonstandard(`${i.txid}:${i.vout}`)], value: Number(i.value) }
          : { type: 'witness_v0_keyhash', addresses: [i.address], value: Number(i.value) }),
    })),
    outputs: t.outputs.map((o, j) =>
      o.address === null
        ? {
            index: j,
            script_asm: 'OP_RETURN',
            script_hex: '6a',
            required_signatures: null,
            type: 'nonstandard',
            addresses: [nonstandard(`${t.txid}:${j}`)],
            value: Number(o.value),
          }
        : {
            index: j,
            script_asm: '',
            script_hex: '',
            required_signatures: 1,
            type: 'witness_v0_keyhash',
            addresses: [o.address],
            value: Number(o.value),
          },
    ),
    input_count: t.inputs.length,
    output_count: t.outputs.length,
  }));
}

export function blockLines(txs: readonly SampleTx[], head: { height: number; time: string }) {
  const blocks = new Map<number, string>([[head.height, head.time]]);
  for (const t of txs) blocks.set(t.height, t.time);
  return [...blocks].map(([number, time]) => ({
    type: 'block',
    hash: blockHash(number),
    number,
    timestamp: secs(time),
    transaction_count: txs.filter((t) => t.height === number).length,
  }));
}

/** The same transactions as BigQuery's `crypto_bitcoin.transactions` exports them to JSON: INT64
 * and NUMERIC as strings, TIMESTAMP as "YYYY-MM-DD HH:MM:SS UTC", inputs enriched, no position in
 * the block (`index`) and no `type`. */
export function bigQueryLines(txs: readonly SampleTx[]): Record<string, unknown>[] {
  const sum = (xs: { value: string }[]) => xs.reduce((s, x) => s + BigInt(x.value), 0n);
  const owner = (address: string | null, seed: string) =>
    address === null
      ? { type: 'nonstandard', addresses: [nonstandard(seed)] }
      : { type: 'witness_v0_keyhash', addresses: [address] };
  return txs.map((t) => ({
    hash: t.txid,
    size: '250',
    virtual_size: '250',
    version: '2',
    lock_time: '0',
    block_hash: blockHash(t.height),
    block_number: String(t.height),
    block_timestamp: t.time.replace('T', ' ').replace('Z', ' UTC'),
    block_timestamp_month: `${t.time.slice(0, 7)}-01`,
    input_count: String(t.inputs.length),
    output_count: String(t.outputs.length),
    input_value: String(sum(t.inputs)),
    output_value: String(sum(t.outputs)),
    is_coinbase: t.inputs.length === 0,
    fee: t.inputs.length === 0 ? '0' : String(sum(t.inputs) - sum(t.outputs)),
    inputs: t.inputs.map((i, j) => ({
      index: String(j),
      spent_transaction_hash: i.txid,
      spent_output_index: String(i.vout),
      script_asm: '',
      script_hex: '',
      sequence: '4294967295',
      required_signatures: null,
      ...owner(i.address, `${i.txid}:${i.vout}`),
      value: i.value,
    })),
    outputs: t.outputs.map((o, j) => ({
      index: String(j),
      script_asm: '',
      script_hex: '',
      required_signatures: o.address === null ? null : '1',
      ...owner(o.address, `${t.txid}:${j}`),
      value: o.value,
    })),
  }));
}
