// Fixture builders for the heuristics tests: real address forms of every script type (made with
// bitcoinjs-lib from a hash of a role name), and a compact transaction builder.
import { createHash } from 'node:crypto';
import { address as btcAddress, networks, payments } from 'bitcoinjs-lib';
import type { UtxoTx } from '../../src/core/model.js';

const sha = (s: string) => createHash('sha256').update(s).digest();
const key20 = (name: string) => sha(`fundtrace-heuristics:${name}`).subarray(0, 20);
const key32 = (name: string) => sha(`fundtrace-heuristics:${name}`);

export type AddrType = 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr';

/** A valid mainnet address of the given script type for a role name. */
export function addr(name: string, type: AddrType = 'p2wpkh'): string {
  const network = networks.bitcoin;
  switch (type) {
    case 'p2pkh':
      return payments.p2pkh({ hash: key20(name), network }).address!;
    case 'p2sh':
      return payments.p2sh({ hash: key20(name), network }).address!;
    case 'p2wpkh':
      return payments.p2wpkh({ hash: key20(name), network }).address!;
    case 'p2wsh':
      return payments.p2wsh({ hash: key32(name), network }).address!;
    case 'p2tr':
      // bech32m witness v1 with a 32-byte program (no ECC library needed to form the address)
      return btcAddress.toBech32(key32(`x-only:${name}`), 1, network.bech32);
  }
}

export const txid = (name: string) => sha(`fundtrace-heuristics-tx:${name}`).toString('hex');

export type In = [address: string | null, value: bigint];
export type Out = [address: string | null, value: bigint];

/** A confirmed transaction named `name` spending `ins` (each from its own funding tx) into `outs`. */
export function tx(name: string, ins: In[], outs: Out[], height = 800_000, position = 1): UtxoTx {
  return {
    txid: txid(name),
    height,
    position,
    time: '2024-01-01T00:00:00Z',
    inputs: ins.map(([address, value], i) => ({
      txid: txid(`${name}-funding-${i}`),
      vout: 0,
      address,
      value,
    })),
    outputs: outs.map(([address, value]) => ({ address, value })),
  };
}

/** n inputs (distinct addresses named `${prefix}i`) of the same value. */
export const sameInputs = (prefix: string, n: number, value: bigint, type: AddrType = 'p2wpkh'): In[] =>
  Array.from({ length: n }, (_, i) => [addr(`${prefix}${i}`, type), value]);

/** n outputs (distinct addresses named `${prefix}i`) of the same value. */
export const sameOutputs = (prefix: string, n: number, value: bigint, type: AddrType = 'p2wpkh'): Out[] =>
  Array.from({ length: n }, (_, i) => [addr(`${prefix}${i}`, type), value]);
