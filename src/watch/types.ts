// Shapes shared by the monitor, its chain scanners and the alert documents.

export interface BlockRef {
  height: number;
  hash: string;
}

/** One movement of value at a watched address, as a scanner reports it. */
export interface Activity {
  tx: string;
  height: number;
  blockHash: string;
  /** Order inside the block (transaction index, then log index): for a stable output order. */
  position: number;
  address: string;
  direction: 'in' | 'out';
  counterparty: string;
  /** 'native' or the token contract (canonical address). */
  asset: string;
  amount: bigint;
}

export interface ScanResult {
  blocks: BlockRef[];
  activity: Activity[];
}

/** Reads a chain by block height. Implemented for rpc: (src/watch/scan-rpc.ts). */
export interface ChainScanner {
  readonly chain: string;
  tip(): Promise<BlockRef>;
  /** Hash of the block at `height` on the current chain, or null when there is none. */
  hashAt(height: number): Promise<string | null>;
  /** Every activity at `watched` addresses in blocks from..to (inclusive), with the blocks read. */
  scan(from: number, to: number, watched: ReadonlySet<string>): Promise<ScanResult>;
  /** Requests made so far (benchmarks, progress). */
  requests(): number;
}
