// A local TronGrid look-alike on 127.0.0.1 (random port) serving a TronScenario in the wire format
// of the recorded bodies in ../shared/data/api-fixtures-tron (key order, hex "41…" addresses inside
// raw_data, base58 in TRC-20 rows, `_unconfirmed`, fees omitted when zero, FullNode receipts with
// 20-byte log addresses and topics without 0x): /v1/accounts/{a}/transactions[/trc20] with
// fingerprint paging, /wallet/gettransactioninfobyid, /wallet/gettransactionbyid, /wallet/getnowblock.
// It can cap pages below `limit` silently, end with an empty page that still has a next link,
// repeat a fingerprint forever, demand an API key (TRON-PRO-API-KEY), rate-limit (429, or 403 with
// the frequency-limit body), add latency and inject scripted faults. Used by tests and the benchmark.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tronHex, tronToEvm } from '../../src/core/tron.js';
import type { TronScenario, TronTx } from './scenario.js';

const TRANSFER_TOPIC = 'ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
const OTHER_TOPIC = '8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925';

export interface Fault {
  match?: (path: string, q: URLSearchParams) => boolean;
  times: number;
  status?: number;
  headers?: Record<string, string>;
  contentType?: string;
  body: string;
}

export interface ServerOptions {
  /** Required TRON-PRO-API-KEY value. */
  apiKey?: string;
  /** Rows per page at most, whatever `limit` asks (TronGrid's default is 20). */
  cap?: number;
  /** After the last rows, answer one more page: empty, with a fingerprint and a next link. */
  emptyLastPage?: boolean;
  /** Every page carries this same fingerprint (a broken server: infinite paging). */
  repeatFingerprint?: string;
  latencyMs?: number;
  /** Server-side limit (token bucket); beyond it: 429 or TronGrid's 403 frequency-limit body. */
  rate?: { perSecond: number; burst?: number; answer?: 429 | 403 };
}

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Arrival time (ms since the epoch). */
  at: number;
  /** Answered with a scripted fault. */
  faulted?: boolean;
}

export interface TronGridTestServer {
  port: number;
  url: string;
  requests: SeenRequest[];
  faults: Fault[];
  readonly rateLimited: number;
  reset(): void;
  close(): Promise<void>;
}

const body20 = (a: string) => tronToEvm(a).slice(2).toLowerCase();
const topic = (a: string) => body20(a).padStart(64, '0');

function netFee(t: TronTx): bigint {
  return t.fee >= 345_000n ? 345_000n : t.fee;
}

function contractJson(t: TronTx): Record<string, unknown> {
  const owner = tronHex(t.owner);
  let value: Record<string, unknown>;
  if (t.type === 'TransferContract')
    value = { amount: Number(t.amount ?? 0n), owner_address: owner, to_address: tronHex(t.to!) };
  else if (t.type === 'TransferAssetContract')
    value = { amount: 1000, asset_name: '1002000', owner_address: owner, to_address: tronHex(t.to!) };
  else if (t.type === 'TriggerSmartContract')
    value = {
      ...(t.amount ? { call_value: Number(t.amount) } : {}),
      contract_address: tronHex(t.to!),
      data: `a9059cbb${'0'.repeat(128)}`,
      owner_address: owner,
    };
  else value = { frozen_balance: 1000000, owner_address: owner };
  return {
    parameter: { type_url: `type.googleapis.com/protocol.${t.type}`, value },
    type: t.type,
  };
}

function retJson(t: TronTx): Record<string, unknown>[] {
  const result = t.failed ? 'REVERT' : 'SUCCESS';
  return [{ code: 'SUCESS', contractRet: result, ...(t.fee > 0n ? { fee: Number(t.fee) } : {}) }];
}

/** A /v1/accounts/{a}/transactions row (key order as recorded). */
function txRow(t: TronTx): Record<string, unknown> {
  const net = netFee(t);
  return {
    ...(t.noInfo ? {} : { blockNumber: t.block }),
    block_timestamp: t.time,
    energy_fee: Number(t.fee - net),
    energy_usage: 0,
    energy_usage_total: Number((t.fee - net) / 420n),
    internal_transactions: Array.from({ length: t.internal ?? 0 }, () => ({ note: '63616c6c' })),
    net_fee: Number(net),
    net_usage: 0,
    raw_data: {
      contract: [contractJson(t)],
      expiration: t.time + 60_000,
      ...(t.type === 'TriggerSmartContract' ? { fee_limit: 1_000_000_000 } : {}),
      ref_block_bytes: 'd62e',
      ref_block_hash: 'bbf7d06ee7004d5a',
      timestamp: t.time - 3000,
    },
    raw_data_hex: '0a02d62e',
    ret: retJson(t),
    signature: ['c9a405be'],
    txID: t.id,
    ...(t.unconfirmed ? { _unconfirmed: true } : {}),
  };
}

function infoJson(t: TronTx): Record<string, unknown> {
  if (t.noInfo) return {};
  const log: Record<string, unknown>[] = [];
  if (!t.failed)
    for (const k of t.transfers ?? []) {
      if (t.otherLogs)
        log.push({ address: body20(k.contract), topics: [OTHER_TOPIC, topic(k.from)], data: '' });
      log.push({
        address: body20(k.contract),
        topics: [TRANSFER_TOPIC, topic(k.from), topic(k.to)],
        data: k.value.toString(16).padStart(64, '0'),
      });
    }
  const net = netFee(t);
  return {
    id: t.id,
    ...(t.fee > 0n ? { fee: Number(t.fee) } : {}),
    blockNumber: t.block,
    blockTimeStamp: t.time,
    contractResult: [''],
    ...(t.type === 'TriggerSmartContract' ? { contract_address: tronHex(t.to!) } : {}),
    receipt: {
      ...(t.fee - net > 0n ? { energy_fee: Number(t.fee - net) } : {}),
      ...(net > 0n ? { net_fee: Number(net) } : {}),
      ...(t.type === 'TriggerSmartContract' ? { result: t.failed ? 'REVERT' : 'SUCCESS' } : {}),
    },
    ...(t.failed ? { result: 'FAILED', resMessage: '5452414e534645525f4641494c4544' } : {}),
    ...(log.length > 0 ? { log } : {}),
  };
}

function rawTxJson(t: TronTx): Record<string, unknown> {
  return {
    ret: [{ contractRet: t.failed ? 'REVERT' : 'SUCCESS' }],
    signature: ['c9a405be'],
    txID: t.id,
    raw_data: {
      contract: [contractJson(t)],
      ref_block_bytes: 'd62e',
      ref_block_hash: 'bbf7d06ee7004d5a',
      timestamp: t.time - 3000,
    },
    raw_data_hex: '0a02d62e',
  };
}

interface Listed {
  time: number;
  order: number;
  row: Record<string, unknown>;
}

export async function startTronGridServer(
  sc: TronScenario,
  opts: ServerOptions = {},
): Promise<TronGridTestServer> {
  const requests: SeenRequest[] = [];
  const faults: Fault[] = [];
  const byId = new Map(sc.txs.map((t) => [t.id, t]));
  const bucket = { tokens: opts.rate?.burst ?? 2, last: Date.now() };
  let rateLimited = 0;
  let origin = '';

  function listOf(address: string, trc20: boolean): Listed[] {
    const out: Listed[] = [];
    for (const t of sc.txs) {
      if (!trc20) {
        if (t.owner === address || t.to === address) out.push({ time: t.time, order: 0, row: txRow(t) });
        continue;
      }
      if (t.failed) continue;
      (t.transfers ?? []).forEach((k, i) => {
        if (k.from !== address && k.to !== address) return;
        const meta = sc.tokens[k.contract]!;
        out.push({
          time: t.time,
          order: i,
          row: {
            transaction_id: t.id,
            token_info: {
              symbol: meta.symbol,
              address: k.contract,
              decimals: meta.decimals,
              name: meta.name,
            },
            block_timestamp: t.time,
            from: k.from,
            to: k.to,
            type: 'Transfer',
            value: k.value.toString(),
            ...(t.unconfirmed ? { _unconfirmed: true } : {}),
          },
        });
      });
    }
    return out;
  }

  function page(
    path: string,
    q: URLSearchParams,
    address: string,
    trc20: boolean,
  ): { status: number; body: unknown } {
    const rows = listOf(address, trc20);
    rows.sort((a, b) => a.time - b.time || a.order - b.order);
    if ((q.get('order_by') ?? 'block_timestamp,desc') === 'block_timestamp,desc') rows.reverse();
    const limit = Math.min(Number(q.get('limit') ?? 20), 200);
    const size = Math.min(limit, opts.cap ?? 200);
    const fp = q.get('fingerprint');
    let start = 0;
    if (fp !== null) {
      if (opts.repeatFingerprint !== undefined) start = 0;
      else {
        const m = /^fp([0-9]+)x/.exec(Buffer.from(fp, 'base64url').toString());
        if (!m)
          return { status: 400, body: { success: false, error: 'invalid fingerprint', statusCode: 400 } };
        start = Number(m[1]);
      }
    }
    const data = rows.slice(start, start + size).map((r) => r.row);
    const next = start + data.length;
    const more = next < rows.length || (opts.emptyLastPage === true && data.length > 0);
    const meta: Record<string, unknown> = { at: sc.headTime, page_size: data.length };
    if (more || opts.repeatFingerprint !== undefined) {
      const f = opts.repeatFingerprint ?? Buffer.from(`fp${next}x${address}`).toString('base64url');
      const nq = new URLSearchParams(q);
      nq.set('fingerprint', f);
      meta.fingerprint = f;
      meta.links = { next: `${origin}${path}?${nq.toString()}` };
    }
    return { status: 200, body: { success: true, meta, data } };
  }

  /** POST /wallet/triggerconstantcontract: `decimals()` / `symbol()` of the scenario's tokens. */
  function constantCall(body: string): { status: number; body: unknown } {
    let req: { contract_address?: string; function_selector?: string };
    try {
      req = JSON.parse(body) as typeof req;
    } catch {
      return { status: 200, body: { Error: 'class com.google.gson.JsonSyntaxException : bad json' } };
    }
    const meta = sc.tokens[req.contract_address ?? ''];
    if (!meta) {
      const msg = Buffer.from('Smart contract is not exist.').toString('hex');
      return {
        status: 200,
        body: { result: { code: 'CONTRACT_VALIDATE_ERROR', message: msg }, transaction: {} },
      };
    }
    let out: string;
    if (req.function_selector === 'decimals()') out = meta.decimals.toString(16).padStart(64, '0');
    else if (req.function_selector === 'symbol()') {
      const text = Buffer.from(meta.symbol, 'utf8');
      out =
        (32).toString(16).padStart(64, '0') +
        text.length.toString(16).padStart(64, '0') +
        text.toString('hex').padEnd(64, '0');
    } else return { status: 200, body: { result: { code: 'CONTRACT_EXE_ERROR', message: '' } } };
    return {
      status: 200,
      body: {
        result: { result: true },
        energy_used: 300,
        constant_result: [out],
        transaction: { ret: [{}], txID: '00' },
      },
    };
  }

  function answer(path: string, q: URLSearchParams, body = ''): { status: number; body: unknown } {
    if (path === '/wallet/triggerconstantcontract') return constantCall(body);
    const m = /^\/v1\/accounts\/([^/]+)\/transactions(\/trc20)?$/.exec(path);
    if (m) return page(path, q, m[1]!, m[2] !== undefined);
    if (path === '/wallet/getblockbynum') {
      // Blocks are 3 s apart, the head at headTime; beyond the head there is none ({} as FullNode).
      const n = Number(q.get('num'));
      if (!Number.isSafeInteger(n) || n < 0 || n > sc.head) return { status: 200, body: {} };
      return {
        status: 200,
        body: {
          blockID: n.toString(16).padStart(64, '0'),
          block_header: {
            raw_data: { number: n, timestamp: sc.headTime - (sc.head - n) * 3000, version: 31 },
            witness_signature: 'ab',
          },
        },
      };
    }
    if (path === '/wallet/getnowblock') {
      return {
        status: 200,
        body: {
          blockID: sc.head.toString(16).padStart(64, '0'),
          block_header: {
            raw_data: {
              number: sc.head,
              txTrieRoot: '0'.repeat(64),
              witness_address: '41',
              parentHash: '0'.repeat(64),
              version: 31,
              timestamp: sc.headTime,
            },
            witness_signature: 'ab',
          },
        },
      };
    }
    const id = (q.get('value') ?? '').toLowerCase();
    const t = byId.get(id);
    if (path === '/wallet/gettransactioninfobyid') return { status: 200, body: t ? infoJson(t) : {} };
    if (path === '/wallet/gettransactionbyid') return { status: 200, body: t ? rawTxJson(t) : {} };
    return { status: 404, body: { success: false, error: 'Not Found', statusCode: 404 } };
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
      const body = Buffer.concat(chunks).toString('utf8');
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        at: Date.now(),
      };
      requests.push(seen);
      const send = () => {
        const fault = faults.find((f) => f.times > 0 && (f.match?.(u.pathname, u.searchParams) ?? true));
        if (fault) {
          fault.times--;
          seen.faulted = true;
          res.writeHead(fault.status ?? 200, {
            'content-type': fault.contentType ?? 'application/json',
            ...fault.headers,
          });
          res.end(fault.body);
          return;
        }
        if (opts.apiKey !== undefined && req.headers['tron-pro-api-key'] !== opts.apiKey) {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ success: false, error: 'ApiKey not exists', statusCode: 401 }));
          return;
        }
        if (limited()) {
          rateLimited++;
          const status = opts.rate?.answer ?? 429;
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify(
              status === 403
                ? {
                    success: false,
                    error:
                      'The key exceeds the frequency limit(15), and the query server is suspended for 1s',
                    statusCode: 403,
                  }
                : { success: false, error: 'Too Many Requests', statusCode: 429 },
            ),
          );
          return;
        }
        let out: { status: number; body: unknown };
        try {
          out = answer(u.pathname, u.searchParams, body);
        } catch (e) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(e));
          return;
        }
        res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(out.body, null, 2));
      };
      if (opts.latencyMs) setTimeout(send, opts.latencyMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    port,
    url: origin,
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
