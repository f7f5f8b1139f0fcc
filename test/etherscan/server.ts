// A local Etherscan-v2 / Blockscout look-alike on 127.0.0.1 (random port), serving a Scenario with
// the documented envelopes and row shapes: key order, string-typed numbers, lower-case addresses,
// Etherscan's missing logIndex / traceId-by-address / no-hash-by-txhash, Blockscout's
// transactionHash / index / callType / logIndex and default descending order. It can be told to
// cap pages silently, enforce a result window, demand an API key, rate-limit, add latency, and
// inject scripted faults (NOTOK texts, HTML error pages). Used by the tests and the benchmark.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import envelopes from '../fixtures/etherscan/envelopes.json' with { type: 'json' };
import type { Scenario, ScInternal, ScToken, ScTx } from '../fixtures/etherscan/scenario.js';

export type ServerDialect = 'etherscan' | 'blockscout';

export interface Fault {
  /** Which requests it applies to (default: any). */
  match?: (q: URLSearchParams, path: string) => boolean;
  /** How many matching requests get it. */
  times: number;
  status?: number;
  contentType?: string;
  headers?: Record<string, string>;
  body: string;
}

export interface ServerOptions {
  dialect: ServerDialect;
  /** Required `apikey` value; any other value gets "Invalid API Key". */
  apiKey?: string;
  /** page × offset limit (default 10 000). */
  window?: number;
  /** Silently return at most this many rows per request. */
  cap?: number;
  latencyMs?: number;
  /** Server-side limit: requests per second (token bucket, `burst` default 2). */
  rate?: { perSecond: number; burst?: number };
}

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

export interface EtherscanTestServer {
  port: number;
  /** Base API URL: …/v2/api (etherscan) or …/blockscout/api (blockscout). */
  url: string;
  origin: string;
  requests: SeenRequest[];
  faults: Fault[];
  /** Requests refused by the server-side rate limit (since the last reset). */
  readonly rateLimited: number;
  reset(): void;
  close(): Promise<void>;
}

const hex = (n: number | bigint) => `0x${n.toString(16)}`;
const blockHash = (b: number) => `0x${b.toString(16).padStart(64, 'b')}`;
const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
const topicOf = (a: string) => `0x${a.slice(2).padStart(64, '0')}`;

/** Put keys in a fixed order (Etherscan's) or alphabetically (Blockscout). */
function ordered(obj: Record<string, string>, order: readonly string[] | 'alpha'): Record<string, string> {
  const keys = order === 'alpha' ? Object.keys(obj).sort() : order;
  const out: Record<string, string> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k]!;
  return out;
}

export const ETHERSCAN_KEYS = {
  txlist: [
    'blockNumber',
    'blockHash',
    'timeStamp',
    'hash',
    'nonce',
    'transactionIndex',
    'from',
    'to',
    'value',
    'gas',
    'gasPrice',
    'input',
    'methodId',
    'functionName',
    'contractAddress',
    'cumulativeGasUsed',
    'txreceipt_status',
    'gasUsed',
    'confirmations',
    'isError',
  ],
  txlistinternal: [
    'blockNumber',
    'timeStamp',
    'hash',
    'from',
    'to',
    'value',
    'contractAddress',
    'input',
    'type',
    'gas',
    'gasUsed',
    'traceId',
    'isError',
    'errCode',
  ],
  txlistinternalByHash: [
    'blockNumber',
    'transactionIndex',
    'timeStamp',
    'from',
    'to',
    'value',
    'contractAddress',
    'input',
    'type',
    'gas',
    'gasUsed',
    'isError',
    'errCode',
  ],
  tokentx: [
    'blockNumber',
    'timeStamp',
    'hash',
    'nonce',
    'blockHash',
    'from',
    'contractAddress',
    'to',
    'value',
    'tokenName',
    'tokenSymbol',
    'tokenDecimal',
    'transactionIndex',
    'gas',
    'gasPrice',
    'gasUsed',
    'cumulativeGasUsed',
    'input',
    'methodId',
    'functionName',
    'confirmations',
  ],
} as const;

interface Row {
  block: number;
  position: number;
  order: number;
  involves: string[];
  tx: ScTx;
  data: Record<string, string>;
}

function normalRow(t: ScTx, head: number, d: ServerDialect): Row {
  const g = t.genesis === true;
  const data: Record<string, string> = {
    blockNumber: String(t.block),
    blockHash: g ? '' : blockHash(t.block),
    timeStamp: String(t.time),
    hash: g ? `GENESIS_${t.to.slice(2)}` : t.hash,
    nonce: g ? '' : '7',
    transactionIndex: String(t.position),
    from: g ? 'GENESIS' : t.from,
    to: t.to,
    value: String(t.value),
    gas: g ? '0' : String(t.gasUsed + 10_000n),
    gasPrice: String(g ? 0n : t.gasPrice),
    input: t.input ?? (g ? '' : '0x'),
    methodId: (t.input ?? '0x').slice(0, 10),
    functionName: '',
    contractAddress: t.contractAddress ?? '',
    cumulativeGasUsed: String(t.gasUsed * 3n),
    txreceipt_status: g ? '' : t.failed ? '0' : '1',
    gasUsed: g ? '0' : String(t.gasUsed),
    confirmations: String(head - t.block + 1),
    isError: t.failed ? '1' : '0',
  };
  if (d === 'blockscout') delete data.functionName;
  return {
    block: t.block,
    position: t.position,
    order: 0,
    involves: [t.from, t.to, t.contractAddress ?? ''],
    tx: t,
    data: ordered(data, d === 'blockscout' ? 'alpha' : ETHERSCAN_KEYS.txlist),
  };
}

function internalRow(t: ScTx, i: ScInternal, d: ServerDialect, byHash: boolean): Row {
  const type = i.type ?? 'call';
  const base: Record<string, string> = {
    blockNumber: String(t.block),
    timeStamp: String(t.time),
    from: i.from,
    to: type === 'create' ? '' : i.to,
    value: String(i.value),
    contractAddress: type === 'create' ? i.to : '',
    input: '',
    gas: '2300',
    gasUsed: '0',
    isError: i.failed ? '1' : '0',
    errCode: i.failed ? 'execution reverted' : '',
  };
  let data: Record<string, string>;
  if (d === 'blockscout') {
    data = ordered(
      {
        ...base,
        transactionHash: t.hash,
        index: String(i.seq),
        type: type === 'delegatecall' || type === 'staticcall' ? 'call' : type,
        callType: type === 'create' ? '' : type,
      },
      'alpha',
    );
  } else if (byHash) {
    data = ordered(
      { ...base, transactionIndex: String(t.position), type },
      ETHERSCAN_KEYS.txlistinternalByHash,
    );
  } else {
    data = ordered({ ...base, hash: t.hash, type, traceId: i.traceId }, ETHERSCAN_KEYS.txlistinternal);
  }
  return { block: t.block, position: t.position, order: i.seq, involves: [i.from, i.to], tx: t, data };
}

function tokenRow(t: ScTx, k: ScToken, head: number, d: ServerDialect): Row {
  const data: Record<string, string> = {
    blockNumber: String(t.block),
    timeStamp: String(t.time),
    hash: t.hash,
    nonce: '3',
    blockHash: blockHash(t.block),
    from: k.from,
    contractAddress: k.contract,
    to: k.to,
    value: String(k.value),
    tokenName: k.name,
    tokenSymbol: k.symbol,
    tokenDecimal: String(k.decimals),
    transactionIndex: String(t.position),
    gas: String(t.gasUsed + 10_000n),
    gasPrice: String(t.gasPrice),
    gasUsed: String(t.gasUsed),
    cumulativeGasUsed: String(t.gasUsed * 3n),
    input: 'deprecated',
    methodId: (t.input ?? '0xa9059cbb').slice(0, 10),
    functionName: 'transfer(address _to, uint256 _value)',
    confirmations: String(head - t.block + 1),
  };
  if (d === 'blockscout') {
    delete data.functionName;
    delete data.methodId;
    data.logIndex = String(k.logIndex);
  }
  return {
    block: t.block,
    position: t.position,
    order: k.logIndex,
    involves: [k.from, k.to],
    tx: t,
    data: ordered(data, d === 'blockscout' ? 'alpha' : ETHERSCAN_KEYS.tokentx),
  };
}

function txObject(t: ScTx) {
  return {
    blockHash: blockHash(t.block),
    blockNumber: hex(t.block),
    from: t.from,
    gas: hex(t.gasUsed + 10_000n),
    gasPrice: hex(t.gasPrice),
    hash: t.hash,
    input: t.input ?? '0x',
    nonce: '0x7',
    to: t.to === '' ? null : t.to,
    transactionIndex: hex(t.position),
    value: hex(t.value),
    type: '0x2',
    chainId: '0x1',
  };
}

function receiptObject(t: ScTx) {
  const logs = (t.tokens ?? []).map((k) => ({
    address: k.contract,
    topics: [TRANSFER_TOPIC, topicOf(k.from), topicOf(k.to)],
    data: `0x${k.value.toString(16).padStart(64, '0')}`,
    blockNumber: hex(t.block),
    transactionHash: t.hash,
    transactionIndex: hex(t.position),
    blockHash: blockHash(t.block),
    logIndex: hex(k.logIndex),
    removed: false,
  }));
  // An unrelated event (ERC-20 Approval: no swap, wrap or bridge event), to check that only ERC-20
  // Transfer logs become transfers.
  logs.push({
    address: t.to || t.from,
    topics: ['0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925', topicOf(t.from)],
    data: '0x',
    blockNumber: hex(t.block),
    transactionHash: t.hash,
    transactionIndex: hex(t.position),
    blockHash: blockHash(t.block),
    logIndex: hex(99),
    removed: false,
  });
  return {
    blockHash: blockHash(t.block),
    blockNumber: hex(t.block),
    contractAddress: t.contractAddress ?? null,
    cumulativeGasUsed: hex(t.gasUsed * 3n),
    effectiveGasPrice: hex(t.gasPrice),
    from: t.from,
    gasUsed: hex(t.gasUsed),
    logs,
    status: t.failed ? '0x0' : '0x1',
    to: t.to === '' ? null : t.to,
    transactionHash: t.hash,
    transactionIndex: hex(t.position),
    type: '0x2',
  };
}

export async function startEtherscanServer(sc: Scenario, opts: ServerOptions): Promise<EtherscanTestServer> {
  const d = opts.dialect;
  const window = opts.window ?? 10_000;
  const requests: SeenRequest[] = [];
  const faults: Fault[] = [];
  const bucket = { tokens: opts.rate?.burst ?? 2, last: Date.now() };
  const byHash = new Map(sc.txs.map((t) => [t.hash, t]));
  let rateLimited = 0;

  const env = (status: '0' | '1', message: string, result: unknown) =>
    d === 'blockscout' ? { message, result, status } : { status, message, result };
  const empty = () => (d === 'blockscout' ? envelopes.blockscout.empty : envelopes.etherscan.empty);

  function list(q: URLSearchParams): unknown {
    const action = q.get('action');
    const address = q.get('address')?.toLowerCase();
    const contract = q.get('contractaddress')?.toLowerCase();
    const txhash = q.get('txhash')?.toLowerCase();
    let rows: Row[] = [];
    if (action === 'txlist') {
      rows = sc.txs.map((t) => normalRow(t, sc.head, d));
    } else if (action === 'txlistinternal') {
      for (const t of sc.txs)
        for (const i of t.internal ?? []) rows.push(internalRow(t, i, d, txhash !== undefined));
      if (txhash !== undefined) rows = rows.filter((r) => r.tx.hash === txhash);
    } else if (action === 'tokentx') {
      for (const t of sc.txs) for (const k of t.tokens ?? []) rows.push(tokenRow(t, k, sc.head, d));
      if (contract !== undefined) rows = rows.filter((r) => r.data.contractAddress === contract);
    } else {
      return env('0', 'NOTOK', 'Error! Missing Or invalid Action name');
    }
    if (address !== undefined) rows = rows.filter((r) => r.involves.includes(address));
    if (txhash === undefined && address === undefined && contract === undefined) {
      return env('0', 'NOTOK', 'Error! Invalid address format');
    }
    const start = Number(q.get('startblock') ?? 0);
    const end = Number(q.get('endblock') ?? Number.MAX_SAFE_INTEGER);
    rows = rows.filter((r) => r.block >= start && r.block <= end);
    const desc = (q.get('sort') ?? (d === 'blockscout' ? 'desc' : 'asc')) === 'desc';
    rows.sort((a, b) => a.block - b.block || a.position - b.position || a.order - b.order);
    if (desc) rows.reverse();
    const page = q.get('page');
    const offset = q.get('offset');
    if (page !== null && offset !== null && txhash === undefined) {
      const p = Number(page);
      const o = Number(offset);
      if (p * o > window) {
        return env(
          '0',
          'NOTOK',
          `Result window is too large, PageNo x Offset size must be less than or equal to ${window}`,
        );
      }
      rows = rows.slice((p - 1) * o, p * o);
    } else {
      rows = rows.slice(0, window);
    }
    if (opts.cap !== undefined) rows = rows.slice(0, opts.cap);
    if (rows.length === 0) return empty();
    return env(
      '1',
      'OK',
      rows.map((r) => r.data),
    );
  }

  function rpc(method: string, hash: string): unknown {
    if (method === 'eth_blockNumber') return { jsonrpc: '2.0', id: 83, result: hex(sc.head) };
    if (method === 'eth_getBlockByNumber') {
      // `hash` is the block tag here (0x-hex height); blocks beyond the head do not exist yet.
      const b = Number.parseInt(hash, 16);
      const result =
        Number.isSafeInteger(b) && b <= sc.head
          ? {
              number: hex(b),
              hash: blockHash(b),
              parentHash: blockHash(Math.max(0, b - 1)),
              transactions: [],
            }
          : null;
      return { jsonrpc: '2.0', id: 1, result };
    }
    const t = byHash.get(hash.toLowerCase());
    if (method === 'eth_getTransactionByHash')
      return { jsonrpc: '2.0', id: 1, result: t ? txObject(t) : null };
    if (method === 'eth_getTransactionReceipt')
      return { jsonrpc: '2.0', id: 1, result: t ? receiptObject(t) : null };
    return { jsonrpc: '2.0', id: 1, error: { code: -32601, message: `the method ${method} does not exist` } };
  }

  function answer(path: string, q: URLSearchParams, body: string, method: string): unknown {
    if (method === 'POST') {
      if (d !== 'blockscout' || !path.endsWith('/eth-rpc')) return { error: 'not found' };
      const req = JSON.parse(body || '{}') as { method?: string; params?: string[] };
      return rpc(req.method ?? '', req.params?.[0] ?? '');
    }
    if (d === 'etherscan') {
      if (!path.endsWith('/v2/api')) return envelopes.etherscan.v1Deprecated;
      if (q.get('chainid') !== String(sc.chainId)) return envelopes.etherscan.missingChainId;
    }
    if (opts.apiKey !== undefined && q.get('apikey') !== opts.apiKey) {
      return d === 'blockscout' ? env('0', 'Invalid API key', null) : envelopes.etherscan.invalidKey;
    }
    const module = q.get('module');
    if (module === 'account') return list(q);
    if (d === 'etherscan' && module === 'proxy')
      return rpc(q.get('action') ?? '', q.get('txhash') ?? q.get('tag') ?? '');
    if (d === 'blockscout' && module === 'block' && q.get('action') === 'eth_block_number') {
      return { jsonrpc: '2.0', result: hex(sc.head), id: 1 };
    }
    return d === 'blockscout'
      ? envelopes.blockscout.unknownModule
      : env('0', 'NOTOK', 'Error! Missing Or invalid Module name');
  }

  const limited = (): boolean => {
    if (!opts.rate) return false;
    const now = Date.now();
    const burst = opts.rate.burst ?? 2;
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.last) / 1000) * opts.rate.perSecond);
    bucket.last = now;
    if (bucket.tokens < 1) return true;
    bucket.tokens -= 1;
    return false;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, body });
      const send = () => {
        const fault = faults.find((f) => f.times > 0 && (f.match?.(u.searchParams, u.pathname) ?? true));
        if (fault) {
          fault.times--;
          res.writeHead(fault.status ?? 200, {
            'content-type': fault.contentType ?? 'application/json; charset=utf-8',
            ...fault.headers,
          });
          res.end(fault.body);
          return;
        }
        let out: unknown;
        if (limited()) {
          rateLimited++;
          out = envelopes.etherscan.rateLimitPerSec;
        } else {
          try {
            out = answer(u.pathname, u.searchParams, body, req.method ?? 'GET');
          } catch (e) {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(String(e));
            return;
          }
        }
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(out));
      };
      if (opts.latencyMs) setTimeout(send, opts.latencyMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    url: d === 'etherscan' ? `${origin}/v2/api` : `${origin}/blockscout/api`,
    requests,
    faults,
    get rateLimited() {
      return rateLimited;
    },
    reset() {
      requests.length = 0;
      faults.length = 0;
      rateLimited = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
