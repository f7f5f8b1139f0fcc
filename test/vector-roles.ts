// Role names of the taint vectors → the well-formed addresses and ids the fixtures use.
import { createHash } from 'node:crypto';
import { networks, payments } from 'bitcoinjs-lib';
import { getAddress, keccak256, toUtf8Bytes } from 'ethers';
import { evmToTron } from '../src/core/tron.js';

const sha = (s: string) => createHash('sha256').update(s).digest();
export const btcAddr = (name: string) =>
  payments.p2wpkh({ hash: sha(`fundtrace-vector:${name}`).subarray(0, 20), network: networks.bitcoin })
    .address!;
export const ethAddr = (name: string) =>
  getAddress('0x' + keccak256(toUtf8Bytes(`fundtrace-vector:${name}`)).slice(-40));
export const btcTxid = (name: string) => sha(`fundtrace-vector-tx:${name}`).toString('hex');
export const ethTx = (name: string) => keccak256(toUtf8Bytes(`fundtrace-vector-tx:${name}`));
/** TRON: the same 20-byte body as ethAddr(name), in base58check (version 0x41). */
export const tronAddr = (name: string) => evmToTron(ethAddr(name));
/** TRON txids are 64 hex digits without 0x. */
export const tronTx = (name: string) => ethTx(name).slice(2);
