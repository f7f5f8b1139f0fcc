// What the rpc: source reads from an EVM node, and how. One RpcNode per opened source.
//
// At open (readIdentity, one cached entry per URL, re-read after 10 minutes, used at any age
// offline): chain id, genesis hash, the tip block, and the node's capabilities, probed:
//   ots_getApiLevel          → Otterscan namespace (Erigon, anvil): address history by call traces
//   trace_filter             → Parity trace filter (Erigon, Nethermind, Reth, anvil)
//   trace_transaction        → Parity traces of one transaction (internal transfers)
//   debug_traceTransaction   → geth callTracer (internal transfers; geth, Erigon, Reth, anvil …)
// Everything after that is read "as of" the head block: the tip by default (fresh thefts are
// traceable at once), `--as-of HEIGHT` or `--confirmations N` below the tip. History queries are
// bounded by the head. Answers about blocks at least FINALITY_MARGIN deep (12; none on devnets) are
// cached for good; shallower ones could still be undone by a reorg, so they are kept only for the
// cache window and then revalidated (as the Esplora source does). Keys hold chain id + genesis hash
// (not the URL: two nodes of the same chain share the cache; a restarted devnet has a new genesis).
//
// Address history (native asset): the transactions that touch the address, from
//   ots_searchTransactionsAfter (pages of whole blocks, oldest first; the index holds every
//   address seen in call traces, so internal-only recipients are found), or
//   trace_filter with fromAddress, then with toAddress (one address list per call: nodes differ on
//   whether both lists together mean AND or OR), paginated with after/count;
// then each transaction is normalised by src/sources/evm/transfers.ts: native value, internal
// moves (trace_transaction, else callTracer, else ots_getInternalOperations), fee. A transaction
// that used exactly 21 000 gas ran no code, so it is not traced.
// Token history: eth_getLogs on the Transfer topic with the address as topic 1 (out) and as
// topic 2 (in), two queries, over [0, head], the range split adaptively when the provider refuses
// it (its suggested range is used when the refusal names one). ERC-721 logs (4 topics) are ignored.
// Event logs of a transaction (txLogs): every log of its receipt, the one txTransfers reads, as
// TxLogs (src/sources/evm/logs.ts); the view caches them per tx, final with the tx's block.
// Token metadata: eth_call symbol() (string or bytes32) and decimals(), cached per contract.
// Histories longer than `historyCap` transactions are cut there and flagged `truncated`.
import type { ChainInfo } from '../../core/chains.js';
import { FundtraceError } from '../../core/errors.js';
import { type AssetInfo, compareTransfers, type Transfer, type TxLog } from '../../core/model.js';
import {
  addressTopic,
  cleanSymbol,
  DECIMALS_CALL,
  decodeDecimals,
  decodeErc20Transfer,
  decodeSymbol,
  SYMBOL_CALL,
  TRANSFER_TOPIC,
} from '../evm/abi.js';
import { tokenKey } from '../evm/assets.js';
import { receiptLogs } from '../evm/logs.js';
import {
  type InternalMove,
  isoTime,
  type TxFacts,
  tokenTransfer,
  txNativeTransfers,
} from '../evm/transfers.js';
import { HttpError } from '../http/index.js';
import { movesFromCallTracer, movesFromOts, movesFromParity } from './internal.js';
import { isMethodMissing, isRangeError, type JsonRpc, RpcError, suggestedRange } from './jsonrpc.js';
import * as S from './schemas.js';

export type HistoryMethod = 'ots' | 'trace_filter';
export type InternalMethod = 'trace' | 'debug' | 'ots';

export interface Capabilities {
  otsLevel: number | null;
  traceFilter: boolean;
  traceTransaction: boolean;
  debugTrace: boolean;
}

export interface Identity {
  chainId: number;
  genesis: string;
  head: { height: number; time: string | null };
  caps: Capabilities;
}

export interface Preferences {
  history?: HistoryMethod;
  internal?: InternalMethod;
}

export interface LedgerData {
  transfers: Transfer[];
  /** The history was longer than the cap: only its oldest part is here. */
  truncated: boolean;
}

/** A transaction as far as the tracer cares, plus what decides whether it needs a trace. */
export interface Facts extends TxFacts {
  gasUsed: bigint;
  isCreate: boolean;
  logs: S.RpcLog[];
}

const hex = (n: number) => `0x${n.toString(16)}`;
const OTS_PAGE = 100;
const TRACE_PAGE = 500;

/** An answer that says the method exists (anything but "method not found" / an HTTP 4xx). */
async function probe(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (e) {
    if (isMethodMissing(e)) return false;
    if (e instanceof HttpError && e.status !== undefined && e.status >= 400 && e.status < 500) return false;
    if (e instanceof RpcError) return true;
    throw e;
  }
}

function checkIdentity(v: unknown): Identity {
  const o = v as Identity;
  if (
    !o ||
    typeof o.chainId !== 'number' ||
    typeof o.genesis !== 'string' ||
    typeof o.head?.height !== 'number' ||
    typeof o.caps !== 'object'
  ) {
    throw new Error('cached node identity has the wrong shape');
  }
  return o;
}

/**
 * Depth below the tip from which a block's facts are final and cached for good, by chain id
 * (devnets: none). It only governs the cache: traces read to the tip unless told otherwise.
 */
export const FINALITY_MARGIN = (chainId: number) =>
  chainId === 31337 || chainId === 31338 || chainId === 1337 ? 0 : 12;

/** The node's identity; `head` is the tip when it was read (re-read after the cache window). */
export function readIdentity(rpc: JsonRpc, signal?: AbortSignal): Promise<Identity> {
  return rpc.http.cached(
    // v2: the head used to be the tip minus 12 confirmations
    `rpc ${rpc.shown} identity v2`,
    { kind: 'rpc.identity', immutable: false },
    async (sig) => {
      const s = sig ?? signal;
      const opt = s ? { signal: s } : {};
      const chainId = await rpc.call('eth_chainId', [], { validate: S.quantity, ...opt });
      const genesis = await rpc.call('eth_getBlockByNumber', ['0x0', false], { validate: S.block, ...opt });
      const latest = await rpc.call('eth_blockNumber', [], { validate: S.quantity, ...opt });
      const height = latest;
      const head = await rpc.call('eth_getBlockByNumber', [hex(height), false], {
        validate: S.block,
        ...opt,
      });
      if (!genesis) throw new FundtraceError('SOURCE', `rpc ${rpc.shown}: the node has no genesis block`);
      const zeroHash = `0x${'0'.repeat(64)}`;
      let otsLevel: number | null = null;
      const [ots, traceFilter, traceTransaction, debugTrace] = await Promise.all([
        probe(async () => {
          otsLevel = await rpc.call('ots_getApiLevel', [], { validate: S.quantity, ...opt });
        }),
        probe(() =>
          rpc.call(
            'trace_filter',
            [
              {
                fromBlock: hex(height),
                toBlock: hex(height),
                fromAddress: [`0x${'0'.repeat(40)}`],
                count: 1,
              },
            ],
            { validate: (x) => x, ...opt },
          ),
        ),
        probe(() => rpc.call('trace_transaction', [zeroHash], { validate: (x) => x, ...opt })),
        probe(() =>
          rpc.call('debug_traceTransaction', [zeroHash, { tracer: 'callTracer' }], {
            validate: (x) => x,
            ...opt,
          }),
        ),
      ]);
      const id: Identity = {
        chainId,
        genesis: genesis.hash,
        head: { height, time: head ? isoTime(head.timestamp) : null },
        caps: { otsLevel: ots ? otsLevel : null, traceFilter, traceTransaction, debugTrace },
      };
      return id;
    },
    { validate: checkIdentity, ...(signal ? { signal } : {}) },
  );
}

export class RpcNode {
  /** Cache-key prefix: the chain instance (chain id + genesis hash). */
  readonly prefix: string;
  /** The block this trace reads as of. */
  readonly head: number;
  /** Blocks up to this height are final: their facts are cached for good. */
  readonly final: number;
  readonly historyMethod: HistoryMethod | null;
  readonly internalMethods: InternalMethod[];
  /** Block span that the provider last accepted for eth_getLogs (adaptive bisection). */
  private logSpan: number | undefined;
  /** The provider limits the block range itself (not the result count): never widen again. */
  private spanCapped = false;
  private readonly blockTimes = new Map<number, Promise<string | null>>();
  private readonly facts = new Map<string, Promise<Facts | null>>();
  private readonly natives = new Map<string, Promise<Transfer[]>>();
  private readonly metas = new Map<string, Promise<AssetInfo>>();

  constructor(
    readonly rpc: JsonRpc,
    readonly id: Identity,
    readonly chain: ChainInfo,
    readonly historyCap: number,
    prefs: Preferences = {},
    head: number = id.head.height,
    margin: number = FINALITY_MARGIN(id.chainId),
  ) {
    this.prefix = `rpc ${id.chainId} ${id.genesis}`;
    this.head = head;
    this.final = id.head.height - margin;
    const caps = id.caps;
    const history: HistoryMethod[] = [];
    if (caps.otsLevel !== null) history.push('ots');
    if (caps.traceFilter) history.push('trace_filter');
    if (prefs.history && history.includes(prefs.history)) history.unshift(prefs.history);
    this.historyMethod = history[0] ?? null;
    const internal: InternalMethod[] = [];
    if (caps.traceTransaction) internal.push('trace');
    if (caps.debugTrace) internal.push('debug');
    if (caps.otsLevel !== null) internal.push('ots');
    if (prefs.internal && internal.includes(prefs.internal)) internal.unshift(prefs.internal);
    this.internalMethods = [...new Set(internal)];
  }

  /** What the source can do, for describe().capabilities (the first of each kind is used). */
  capabilities(): string[] {
    const out: string[] = [];
    const c = this.id.caps;
    if (this.historyMethod)
      out.push(`history:${this.historyMethod === 'ots' ? 'ots_searchTransactions' : 'trace_filter'}`);
    else out.push('history:none (no ots_ or trace_filter: native histories unavailable)');
    if (c.otsLevel !== null && this.historyMethod !== 'ots') out.push('history:ots_searchTransactions');
    if (c.traceFilter && this.historyMethod !== 'trace_filter') out.push('history:trace_filter');
    const names: Record<InternalMethod, string> = {
      trace: 'internal:trace_transaction',
      debug: 'internal:debug_traceTransaction(callTracer)',
      ots: 'internal:ots_getInternalOperations (cannot see reverted sub-calls)',
    };
    for (const m of this.internalMethods) out.push(names[m]);
    if (this.internalMethods.length === 0) out.push('internal:none');
    out.push('tokens:eth_getLogs', 'token-metadata:eth_call');
    if (c.otsLevel !== null) out.push(`ots-api-level:${c.otsLevel}`);
    return out;
  }

  /** A block deep enough that what it holds will not be undone by a reorg. */
  isFinal(height: number): boolean {
    return height <= this.final;
  }

  private call<T>(
    method: string,
    params: unknown[],
    validate: (v: unknown) => T,
    immutable: boolean | ((v: T) => boolean),
    signal?: AbortSignal,
  ): Promise<T> {
    return this.rpc.call(method, params, {
      validate,
      cache: {
        key: `${this.prefix} ${method} ${JSON.stringify(params)}`,
        policy: { kind: `rpc.${method}`, immutable },
      },
      ...(signal ? { signal } : {}),
    });
  }

  // ---- blocks and transactions --------------------------------------------------------------

  blockTime(n: number, signal?: AbortSignal): Promise<string | null> {
    let p = this.blockTimes.get(n);
    if (!p) {
      p = this.call(
        'eth_getBlockByNumber',
        [hex(n), false],
        S.block,
        (b) => b !== null && this.isFinal(n),
        signal,
      ).then((b) => (b ? isoTime(b.timestamp) : null));
      this.blockTimes.set(n, p);
      p.catch(() => this.blockTimes.delete(n));
    }
    return p;
  }

  private async factsOf(t: S.RpcTx, r: S.RpcReceipt, signal?: AbortSignal): Promise<Facts> {
    const ts = r.timestamp ?? t.blockTimestamp;
    const time = ts !== undefined ? isoTime(ts) : await this.blockTime(r.blockNumber, signal);
    return {
      hash: t.hash,
      height: r.blockNumber,
      position: r.transactionIndex,
      time,
      from: t.from,
      to: t.to ?? r.contractAddress,
      value: t.value,
      success: r.status,
      fee: r.fee,
      gasUsed: r.gasUsed,
      isCreate: t.to === null,
      logs: r.logs,
    };
  }

  /** A mined transaction's facts; null when the node does not know it or it is still pending. */
  txFacts(hash: string, signal?: AbortSignal): Promise<Facts | null> {
    let p = this.facts.get(hash);
    if (!p) {
      p = (async () => {
        const t = await this.call(
          'eth_getTransactionByHash',
          [hash],
          S.tx,
          (v) => v?.blockNumber != null && this.isFinal(v.blockNumber),
          signal,
        );
        if (!t || t.blockNumber === null) return null;
        const r = await this.call(
          'eth_getTransactionReceipt',
          [hash],
          (v) => S.receipt(v, t.gasPrice),
          (v) => v !== null && this.isFinal(v.blockNumber),
          signal,
        );
        if (!r) return null;
        return this.factsOf(t, r, signal);
      })();
      this.facts.set(hash, p);
      p.catch(() => this.facts.delete(hash));
    }
    return p;
  }

  async internalMoves(f: Facts, signal?: AbortSignal): Promise<InternalMove[]> {
    if (!f.success) return [];
    if (!f.isCreate && f.gasUsed <= 21_000n) return []; // no code ran
    for (const m of this.internalMethods) {
      if (m === 'trace') {
        const traces = await this.call(
          'trace_transaction',
          [f.hash],
          S.parityTraces,
          (v) => v.length > 0 && this.isFinal(f.height),
          signal,
        );
        if (traces.length > 0) return movesFromParity(traces);
      } else if (m === 'debug') {
        const root = await this.call(
          'debug_traceTransaction',
          [f.hash, { tracer: 'callTracer' }],
          S.callFrame,
          this.isFinal(f.height),
          signal,
        );
        return movesFromCallTracer(root);
      } else {
        const ops = await this.call(
          'ots_getInternalOperations',
          [f.hash],
          S.otsInternalOps,
          this.isFinal(f.height),
          signal,
        );
        return movesFromOts(ops, f);
      }
    }
    throw new FundtraceError(
      'SOURCE',
      `rpc ${this.rpc.shown}: cannot read internal transfers of ${f.hash}: the node offers none of trace_transaction, debug_traceTransaction, ots_getInternalOperations`,
    );
  }

  /** Native-asset records (native, internal, fee) of one transaction. */
  nativeTransfers(f: Facts, signal?: AbortSignal): Promise<Transfer[]> {
    let p = this.natives.get(f.hash);
    if (!p) {
      p = this.internalMoves(f, signal).then((moves) =>
        txNativeTransfers(f, moves, this.chain.native.symbol),
      );
      this.natives.set(f.hash, p);
      p.catch(() => this.natives.delete(f.hash));
    }
    return p;
  }

  /** A mined transaction's facts, refused when it lies after the block this trace reads as of. */
  private async minedFacts(hash: string, signal?: AbortSignal): Promise<Facts | null> {
    const f = await this.txFacts(hash, signal);
    if (!f) return null;
    if (f.height > this.head) {
      throw new FundtraceError(
        'BAD_INPUT',
        this.head < this.id.head.height
          ? `transaction ${hash} is in block ${f.height}, after block ${this.head} that this trace reads as of (--as-of / --confirmations); trace without them, or with --as-of ${f.height} or higher`
          : `transaction ${hash} is in block ${f.height}, after the tip block ${this.head} read earlier and still cached; run again with --no-cache to re-read the tip`,
      );
    }
    return f;
  }

  /**
   * Every event log of one transaction (from its receipt, the same read txTransfers makes), in
   * index order, with the block's height, position and time; null when the node does not know it.
   */
  async txLogs(hash: string, signal?: AbortSignal): Promise<{ height: number; logs: TxLog[] } | null> {
    const f = await this.minedFacts(hash, signal);
    if (!f) return null;
    const base = { tx: f.hash, height: f.height, position: f.position, time: f.time };
    try {
      return { height: f.height, logs: receiptLogs(base, f.success, f.logs) };
    } catch (e) {
      throw new FundtraceError(
        'SOURCE',
        `rpc ${this.rpc.shown}: the receipt of ${hash} is malformed: ${(e as Error).message}`,
      );
    }
  }

  /**
   * Logs a contract emitted with this topic0 over [0, head] (eth_getLogs): how a bridge's destination
   * leg is found. Only the transaction and log identity matter to the caller, which then reads each
   * transaction's receipt; the time is the block's.
   */
  async logsAt(address: string, topic0: string, signal?: AbortSignal): Promise<TxLog[]> {
    const got = await this.getLogs(
      { address: address.toLowerCase(), topics: [topic0.toLowerCase()] },
      signal,
    );
    if (got.truncated)
      throw new FundtraceError(
        'SOURCE',
        `rpc ${this.rpc.shown}: more than ${this.historyCap} events of ${address}: bridge legs cannot all be read (raise --history-limit)`,
      );
    const out: TxLog[] = [];
    for (const l of got.logs) {
      if (l.removed) continue;
      const time =
        l.blockTimestamp !== undefined
          ? isoTime(l.blockTimestamp)
          : await this.blockTime(l.blockNumber, signal);
      out.push(
        ...receiptLogs(
          { tx: l.transactionHash, height: l.blockNumber, position: l.transactionIndex, time },
          true,
          [{ address: l.address, topics: l.topics, data: l.data, logIndex: l.logIndex }],
        ),
      );
    }
    return out;
  }

  /** Every record of one transaction (all assets), with the token contracts it names. */
  async txTransfers(
    hash: string,
    signal?: AbortSignal,
  ): Promise<{ transfers: Transfer[]; tokens: string[] } | null> {
    const f = await this.minedFacts(hash, signal);
    if (!f) return null;
    const transfers = [...(await this.nativeTransfers(f, signal))];
    const tokens = new Set<string>();
    const base = { tx: f.hash, height: f.height, position: f.position, time: f.time };
    for (const l of f.logs) {
      const d = decodeErc20Transfer(l);
      if (!d || l.removed) continue;
      tokens.add(d.token);
      transfers.push(tokenTransfer(base, l.logIndex, d, tokenKey(this.chain.name, d.token)));
    }
    return { transfers: transfers.sort((a, b) => a.index - b.index), tokens: [...tokens] };
  }

  // ---- address histories --------------------------------------------------------------------

  /** The address's transactions up to the head (facts when the index answer carried them). */
  private async addressTxs(
    address: string,
    signal?: AbortSignal,
  ): Promise<{ txs: Map<string, Facts | null>; truncated: boolean }> {
    const txs = new Map<string, Facts | null>();
    const lower = address.toLowerCase();
    if (this.historyMethod === 'ots') {
      let cursor = 0;
      for (;;) {
        const page = await this.call(
          'ots_searchTransactionsAfter',
          [lower, cursor, OTS_PAGE],
          S.otsPage,
          false,
          signal,
        );
        if (page.txs.length === 0) break;
        const receipts = new Map(page.receipts.map((r) => [r.transactionHash, r]));
        let max = cursor;
        for (const t of page.txs) {
          const r = receipts.get(t.hash);
          if (t.blockNumber === null || t.blockNumber > this.head) continue;
          max = Math.max(max, t.blockNumber);
          txs.set(t.hash, r ? await this.factsOf(t, r, signal) : null);
        }
        if (txs.size > this.historyCap) return { txs, truncated: true };
        if (page.firstPage || max <= cursor || max >= this.head) break;
        cursor = max;
      }
      return { txs, truncated: false };
    }
    if (this.historyMethod === 'trace_filter') {
      for (const dir of ['fromAddress', 'toAddress']) {
        for (let after = 0; ; after += TRACE_PAGE) {
          const filter = {
            fromBlock: '0x0',
            toBlock: hex(this.head),
            [dir]: [lower],
            after,
            count: TRACE_PAGE,
          };
          const frames = await this.call(
            'trace_filter',
            [filter],
            S.parityTraces,
            this.isFinal(this.head),
            signal,
          );
          for (const f of frames)
            if (f.transactionHash && !txs.has(f.transactionHash)) txs.set(f.transactionHash, null);
          if (txs.size > this.historyCap) return { txs, truncated: true };
          if (frames.length < TRACE_PAGE) break;
        }
      }
      return { txs, truncated: false };
    }
    throw new FundtraceError(
      'SOURCE',
      `rpc ${this.rpc.shown}: this node offers no address index (needs the ots_ namespace (Erigon, anvil) or trace_filter (Erigon, Nethermind, Reth, anvil)); token traces still work through eth_getLogs`,
    );
  }

  async nativeLedger(address: string, signal?: AbortSignal): Promise<LedgerData> {
    const { txs, truncated } = await this.addressTxs(address, signal);
    const lists = await Promise.all(
      [...txs].map(async ([hash, known]) => {
        const f = known ?? (await this.txFacts(hash, signal));
        return f ? this.nativeTransfers(f, signal) : [];
      }),
    );
    const transfers = lists.flat().filter((t) => t.from === address || t.to === address);
    return { transfers: transfers.sort(compareTransfers), truncated };
  }

  async tokenLedger(
    address: string,
    contract: string,
    key: string,
    signal?: AbortSignal,
  ): Promise<LedgerData> {
    const topic = addressTopic(address);
    const [out, inc] = await Promise.all([
      this.getLogs({ address: contract.toLowerCase(), topics: [TRANSFER_TOPIC, topic] }, signal),
      this.getLogs({ address: contract.toLowerCase(), topics: [TRANSFER_TOPIC, null, topic] }, signal),
    ]);
    const seen = new Set<string>();
    const transfers: Transfer[] = [];
    for (const l of [...out.logs, ...inc.logs]) {
      const id = `${l.transactionHash}:${l.logIndex}`;
      if (l.removed || seen.has(id)) continue;
      seen.add(id);
      const d = decodeErc20Transfer(l);
      if (!d) continue; // ERC-721 and other non-ERC-20 Transfer shapes
      const time =
        l.blockTimestamp !== undefined
          ? isoTime(l.blockTimestamp)
          : await this.blockTime(l.blockNumber, signal);
      const base = { tx: l.transactionHash, height: l.blockNumber, position: l.transactionIndex, time };
      transfers.push(tokenTransfer(base, l.logIndex, d, key));
    }
    return { transfers: transfers.sort(compareTransfers), truncated: out.truncated || inc.truncated };
  }

  /** eth_getLogs over [0, head], splitting the range whenever the provider refuses it. */
  /**
   * eth_getLogs over [0, head], splitting the range whenever the provider refuses it. A refusal
   * about the result count (or response size) lets the window grow again over sparse stretches;
   * one about the block range itself caps it for the rest of the run.
   */
  async getLogs(
    filter: { address: string; topics: (string | null)[] },
    signal?: AbortSignal,
  ): Promise<{ logs: S.RpcLog[]; truncated: boolean }> {
    const logs: S.RpcLog[] = [];
    const all = this.head + 1;
    let start = 0;
    let span = this.logSpan ?? all;
    while (start <= this.head) {
      const end = Math.min(this.head, start + span - 1);
      try {
        const got = await this.call(
          'eth_getLogs',
          [{ ...filter, fromBlock: hex(start), toBlock: hex(end) }],
          S.logs,
          this.isFinal(end),
          signal,
        );
        logs.push(...got);
        if (logs.length > this.historyCap) return { logs, truncated: true };
        start = end + 1;
        if (!this.spanCapped && got.length < 1000) span = Math.min(all, span * 2);
      } catch (e) {
        if (!isRangeError(e)) throw e;
        if (end === start) {
          throw new FundtraceError(
            'SOURCE',
            `rpc ${this.rpc.shown}: eth_getLogs refuses even a single block (${start}) for this filter: ${(e as Error).message}`,
          );
        }
        const text = e instanceof RpcError ? e.rpcMessage : (e as Error).message;
        if (!/result|response size|more than/i.test(text)) this.spanCapped = true;
        const hint = suggestedRange(e);
        const half = Math.max(1, Math.floor((end - start + 1) / 2));
        span = hint && hint[0] === start && hint[1] < end ? hint[1] - hint[0] + 1 : half;
        this.logSpan = span;
      }
    }
    return { logs, truncated: false };
  }

  // ---- token metadata ------------------------------------------------------------------------

  /** symbol() and decimals() of a token contract (cached); symbol = the contract when it has none. */
  tokenMeta(contract: string, signal?: AbortSignal): Promise<AssetInfo> {
    let p = this.metas.get(contract);
    if (!p) {
      p = this.rpc.http
        .cached(
          `${this.prefix} token ${contract}`,
          { kind: 'rpc.token', immutable: true },
          async (sig) => {
            const s = sig ?? signal;
            const read = async (data: string) => {
              try {
                return await this.rpc.call('eth_call', [{ to: contract, data }, hex(this.head)], {
                  validate: S.hexResult,
                  ...(s ? { signal: s } : {}),
                });
              } catch (e) {
                if (e instanceof RpcError) return '0x'; // reverted / no such function
                throw e;
              }
            };
            const [sym, dec] = await Promise.all([read(SYMBOL_CALL), read(DECIMALS_CALL)]);
            const symbol = cleanSymbol(decodeSymbol(sym) ?? '');
            return { symbol: symbol.length > 0 ? symbol : contract, decimals: decodeDecimals(dec) ?? 0 };
          },
          {
            validate: (v) => {
              const o = v as { symbol?: unknown; decimals?: unknown };
              if (typeof o?.symbol !== 'string' || typeof o.decimals !== 'number')
                throw new Error('bad token entry');
              return o as { symbol: string; decimals: number };
            },
            ...(signal ? { signal } : {}),
          },
        )
        .then((m) => ({ symbol: m.symbol, decimals: m.decimals, contract }));
      this.metas.set(contract, p);
      p.catch(() => this.metas.delete(contract));
    }
    return p;
  }
}
