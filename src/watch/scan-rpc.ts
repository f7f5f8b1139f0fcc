// New activity at watched addresses from an EVM JSON-RPC node, by block height: each new block is
// read once with its transactions (native value, top-level calls), receipts are read only for
// blocks that touch a watched address (a reverted transaction moves nothing), and ERC-20
// Transfer logs come from one eth_getLogs over the whole range, filtered locally. Requests per
// poll therefore grow with the number of new blocks, not with the number of watched addresses.
// Native value moved by internal calls is not seen here (stated in the README).
import { tryCanonicalAddress } from '../core/address.js';
import { FundtraceError } from '../core/errors.js';
import type { JsonRpc } from '../sources/rpc/jsonrpc.js';
import type { Activity, BlockRef, ChainScanner, ScanResult } from './types.js';

const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
const hex = (n: number) => `0x${n.toString(16)}`;
/** Watched addresses up to which eth_getLogs filters by address topics (nodes cap topic lists). */
const FILTER_MAX = 500;
/** Blocks per unfiltered eth_getLogs (a busy chain has thousands of Transfer logs per block). */
const LOG_SPAN = 10;

const obj = (v: unknown, what: string): Record<string, unknown> => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what}: not an object`);
  return v as Record<string, unknown>;
};
const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new Error(`${what}: not a string`);
  return v;
};
const arr = (v: unknown, what: string): unknown[] => {
  if (!Array.isArray(v)) throw new Error(`${what}: not an array`);
  return v;
};

interface RawTx {
  hash: string;
  from: string;
  to: string | null;
  value: bigint;
  index: number;
}
interface RawBlock {
  height: number;
  hash: string;
  parent: string;
  txs: RawTx[];
}

const parseBlock = (v: unknown): RawBlock | null => {
  if (v === null) return null;
  const b = obj(v, 'block');
  return {
    height: Number(BigInt(str(b.number, 'block.number'))),
    hash: str(b.hash, 'block.hash').toLowerCase(),
    parent: str(b.parentHash, 'block.parentHash').toLowerCase(),
    // Without full transactions (hash-only blocks: tip and hash checks) there is nothing to read.
    txs: arr(b.transactions ?? [], 'block.transactions').flatMap((t, i) => {
      if (typeof t === 'string') return [];
      const o = obj(t, 'transaction');
      return {
        hash: str(o.hash, 'tx.hash').toLowerCase(),
        from: str(o.from, 'tx.from'),
        to: o.to === null || o.to === undefined ? null : str(o.to, 'tx.to'),
        value: BigInt(str(o.value, 'tx.value')),
        index: o.transactionIndex !== undefined ? Number(BigInt(str(o.transactionIndex, 'tx.index'))) : i,
      } satisfies RawTx;
    }),
  };
};

export class RpcScanner implements ChainScanner {
  private count = 0;
  constructor(
    readonly chain: string,
    private readonly rpc: JsonRpc,
    private readonly signal?: AbortSignal,
  ) {}

  requests(): number {
    return this.count;
  }

  private call<T>(method: string, params: unknown[], validate: (v: unknown) => T): Promise<T> {
    this.count++;
    return this.rpc.call(method, params, { validate, ...(this.signal ? { signal: this.signal } : {}) });
  }

  private canon(a: string): string {
    return tryCanonicalAddress(this.chain, a) ?? a.toLowerCase();
  }

  async tip(): Promise<BlockRef> {
    const b = await this.call('eth_getBlockByNumber', ['latest', false], parseBlock);
    if (!b) throw new FundtraceError('BAD_DATA', `${this.rpc.shown}: the node has no latest block`);
    return { height: b.height, hash: b.hash };
  }

  async hashAt(height: number): Promise<string | null> {
    const b = await this.call('eth_getBlockByNumber', [hex(height), false], parseBlock);
    return b ? b.hash : null;
  }

  /**
   * ERC-20 Transfer logs touching `watched` in from..to. Up to FILTER_MAX addresses the node filters
   * by topic (sender list, then recipient list); beyond that every Transfer log is read, in spans of
   * LOG_SPAN blocks so that one answer stays small on a busy chain.
   */
  private async transferLogs(
    from: number,
    to: number,
    watched: ReadonlySet<string>,
  ): Promise<Record<string, unknown>[]> {
    const read = (a: number, b: number, topics: unknown[]) =>
      this.call('eth_getLogs', [{ fromBlock: hex(a), toBlock: hex(b), topics }], (v) =>
        arr(v, 'logs').map((l) => obj(l, 'log')),
      );
    const out: Record<string, unknown>[] = [];
    if (watched.size <= FILTER_MAX) {
      const padded = [...watched].sort().map((a) => `0x${a.slice(2).toLowerCase().padStart(64, '0')}`);
      out.push(
        ...(await read(from, to, [TRANSFER, padded])),
        ...(await read(from, to, [TRANSFER, null, padded])),
      );
      return out;
    }
    for (let a = from; a <= to; a += LOG_SPAN)
      out.push(...(await read(a, Math.min(to, a + LOG_SPAN - 1), [TRANSFER])));
    return out;
  }

  async scan(from: number, to: number, watched: ReadonlySet<string>): Promise<ScanResult> {
    const blocks: RawBlock[] = [];
    for (let h = from; h <= to; h++) {
      const b = await this.call('eth_getBlockByNumber', [hex(h), true], parseBlock);
      // A hole in the history: the node says it has the tip but not this block.
      if (!b)
        throw new FundtraceError('SOURCE', `${this.rpc.shown}: block ${h} is missing below the tip ${to}`);
      const prev = blocks[blocks.length - 1];
      if (prev && b.parent !== prev.hash)
        throw new FundtraceError(
          'SOURCE',
          `the chain reorganised during the poll (at block ${h}); polling again`,
        );
      blocks.push(b);
    }
    const byHeight = new Map(blocks.map((b) => [b.height, b]));
    const out: Activity[] = [];
    const failed = new Set<string>();
    // Receipts only where a watched address is a party: status tells whether value moved.
    for (const b of blocks) {
      const relevant = b.txs.filter(
        (t) =>
          t.value > 0n &&
          (watched.has(this.canon(t.from)) || (t.to !== null && watched.has(this.canon(t.to)))),
      );
      if (relevant.length === 0) continue;
      const receipts = await this.call('eth_getBlockReceipts', [hex(b.height)], (v) =>
        arr(v, 'receipts').map((r) => {
          const o = obj(r, 'receipt');
          return {
            tx: str(o.transactionHash, 'receipt.transactionHash').toLowerCase(),
            ok: o.status === undefined || BigInt(str(o.status, 'receipt.status')) === 1n,
            block: str(o.blockHash, 'receipt.blockHash').toLowerCase(),
          };
        }),
      );
      for (const r of receipts) {
        if (r.block !== b.hash)
          throw new FundtraceError(
            'SOURCE',
            `the chain reorganised during the poll (at block ${b.height}); polling again`,
          );
        if (!r.ok) failed.add(r.tx);
      }
      for (const t of relevant) {
        if (failed.has(t.hash) || t.to === null) continue;
        const from = this.canon(t.from);
        const to = this.canon(t.to);
        const base = {
          tx: t.hash,
          height: b.height,
          blockHash: b.hash,
          position: t.index * 100_000,
          asset: 'native',
          amount: t.value,
        };
        if (watched.has(from)) out.push({ ...base, address: from, direction: 'out', counterparty: to });
        if (watched.has(to)) out.push({ ...base, address: to, direction: 'in', counterparty: from });
      }
    }
    if (from <= to) {
      const logs = await this.transferLogs(from, to, watched);
      const once = new Set<string>();
      for (const l of logs) {
        // A log matched by both the "from" and the "to" filter comes twice.
        const id = `${String(l.transactionHash)}:${String(l.logIndex)}`;
        if (once.has(id)) continue;
        once.add(id);
        const topics = arr(l.topics, 'log.topics').map((t) => str(t, 'topic'));
        // ERC-20 Transfer has from/to as indexed topics and the amount as data; ERC-721 has 4 topics.
        if (topics.length !== 3 || l.removed === true) continue;
        const data = str(l.data, 'log.data');
        if (data.length < 66) continue;
        const height = Number(BigInt(str(l.blockNumber, 'log.blockNumber')));
        const blockHash = str(l.blockHash, 'log.blockHash').toLowerCase();
        if (byHeight.get(height)?.hash !== blockHash)
          throw new FundtraceError(
            'SOURCE',
            `the chain reorganised during the poll (at block ${height}); polling again`,
          );
        const fromA = this.canon(`0x${topics[1]!.slice(26)}`);
        const toA = this.canon(`0x${topics[2]!.slice(26)}`);
        if (!watched.has(fromA) && !watched.has(toA)) continue;
        const amount = BigInt(data.slice(0, 66));
        if (amount === 0n) continue;
        const base = {
          tx: str(l.transactionHash, 'log.transactionHash').toLowerCase(),
          height,
          blockHash,
          position:
            Number(BigInt(str(l.transactionIndex, 'log.transactionIndex'))) * 100_000 +
            1 +
            Number(BigInt(str(l.logIndex, 'log.logIndex'))),
          asset: this.canon(str(l.address, 'log.address')),
          amount,
        };
        if (watched.has(fromA)) out.push({ ...base, address: fromA, direction: 'out', counterparty: toA });
        if (watched.has(toA)) out.push({ ...base, address: toA, direction: 'in', counterparty: fromA });
      }
    }
    out.sort(
      (a, b) =>
        a.height - b.height ||
        a.position - b.position ||
        (a.address < b.address ? -1 : a.address > b.address ? 1 : 0),
    );
    return { blocks: blocks.map((b) => ({ height: b.height, hash: b.hash })), activity: out };
  }
}
