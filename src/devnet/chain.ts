// Sending transactions to the devnet anvil: impersonated senders (anvil --auto-impersonate, so
// no keys), explicit gas prices, receipts polled directly (ethers' waitForTransaction can hang on
// anvil, see the toolchain notes), and blocks that hold several transactions (automine off, send,
// evm_mine) so the scenario has real (height, position) ordering.
//
// API:
//   PLAIN_GAS_PRICE                        1 gwei: plain ETH transfers pay 21 000 × 1 gwei
//   class DevnetChain(anvil)
//     .send(tx) → hash                     one transaction, mined at once (automine)
//     .block(txs) → hashes                 several transactions in one block, in this order
//     .receipt(hash) → RawReceipt          polls until mined
//     .call(method, …)                     ABI-encode a contract call (ARTIFACTS)
import { Interface } from 'ethers';
import type { Anvil } from './anvil.js';
import { ARTIFACTS } from './artifacts.js';

export const PLAIN_GAS_PRICE = 1_000_000_000n;

export interface TxRequest {
  from: string;
  to?: string;
  value?: bigint;
  data?: string;
  gasPrice: bigint;
  gas?: bigint;
}

export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  logIndex: string;
}

export interface RawReceipt {
  transactionHash: string;
  status: string;
  blockNumber: string;
  transactionIndex: string;
  gasUsed: string;
  effectiveGasPrice: string;
  contractAddress: string | null;
  from: string;
  to: string | null;
  logs: RawLog[];
  blockTimestamp?: string;
}

const hex = (n: bigint) => `0x${n.toString(16)}`;

export type ContractName = keyof typeof ARTIFACTS;

const interfaces = new Map<ContractName, Interface>();
export function iface(name: ContractName): Interface {
  let i = interfaces.get(name);
  if (!i) {
    i = new Interface(ARTIFACTS[name].abi as never);
    interfaces.set(name, i);
  }
  return i;
}

export function encodeCall(name: ContractName, fn: string, args: unknown[]): string {
  return iface(name).encodeFunctionData(fn, args);
}

export function encodeDeploy(name: ContractName, args: unknown[]): string {
  const i = iface(name);
  return ARTIFACTS[name].bytecode + i.encodeDeploy(args).slice(2);
}

export class DevnetChain {
  constructor(readonly anvil: Anvil) {}

  private request(tx: TxRequest): Record<string, string> {
    const r: Record<string, string> = { from: tx.from, gasPrice: hex(tx.gasPrice) };
    if (tx.to !== undefined) r.to = tx.to;
    if (tx.value !== undefined) r.value = hex(tx.value);
    if (tx.data !== undefined) r.data = tx.data;
    if (tx.gas !== undefined) r.gas = hex(tx.gas);
    return r;
  }

  async send(tx: TxRequest): Promise<string> {
    const hash = await this.anvil.rpc<string>('eth_sendTransaction', [this.request(tx)]);
    await this.receipt(hash);
    return hash;
  }

  /** Send several transactions into one block, in this order (anvil runs with --order fifo). */
  async block(txs: readonly TxRequest[]): Promise<string[]> {
    await this.anvil.rpc('evm_setAutomine', [false]);
    const hashes: string[] = [];
    try {
      for (const tx of txs)
        hashes.push(await this.anvil.rpc<string>('eth_sendTransaction', [this.request(tx)]));
      await this.anvil.rpc('evm_mine', []);
    } finally {
      await this.anvil.rpc('evm_setAutomine', [true]);
    }
    for (const h of hashes) await this.receipt(h);
    return hashes;
  }

  async receipt(hash: string, timeoutMs = 30_000): Promise<RawReceipt> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.anvil.rpc<RawReceipt | null>('eth_getTransactionReceipt', [hash]);
      if (r) return r;
      if (Date.now() > until) throw new Error(`transaction ${hash} was not mined within ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, 10));
    }
  }
}
