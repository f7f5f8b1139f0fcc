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
