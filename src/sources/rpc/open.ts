// `--source rpc:URL`: an EVM JSON-RPC node (Erigon, Reth, Nethermind, anvil; geth lacks an
// address index and only serves token traces). See ./node.ts for what is read and how, ./view.ts
// for the view the engine reads, src/sources/evm/ for the normalisation shared with other sources.
//
// Options from the environment (for tests and for nodes that misreport a namespace):
//   FUNDTRACE_RPC_HISTORY=ots|trace_filter          prefer this address-history method
//   FUNDTRACE_RPC_INTERNAL=trace|debug|ots           prefer this internal-transfer method
// Optional SourceContext extensions read when present (the CLI may pass them):
//   asset         the `--asset` input: a token contract is made known before the trace starts
//   historyLimit  `--history-limit`: histories are fetched up to this many transactions (+1)
//   asOf          `--as-of HEIGHT`: read as of this block instead of the tip
//   confirmations `--confirmations N`: read as of N blocks below the tip (final data only)
import { requireChain } from '../../core/address.js';
import { findChain, knownChains } from '../../core/chains.js';
import { FundtraceError, usageError } from '../../core/errors.js';
import type { HttpClient } from '../http/index.js';
import type { OpenedSource, SourceContext } from '../open.js';
import { JsonRpc } from './jsonrpc.js';
import { type HistoryMethod, type InternalMethod, RpcNode, readIdentity } from './node.js';
import { RpcAccountView } from './view.js';

export const DEFAULT_HISTORY_CAP = 10_000;

export interface RpcSourceExtras {
  /** Make a token contract (the `--asset` input) known to the view; returns its asset key. */
  prepareAsset(input: string, signal?: AbortSignal): Promise<string | undefined>;
  node: RpcNode;
  rpcView: RpcAccountView;
}

export type RpcOpenedSource = OpenedSource & RpcSourceExtras;

type RpcContext = SourceContext & { asset?: string; historyLimit?: number };

/** The block a trace reads as of: `--as-of`, else the tip minus `--confirmations`, else the tip. */
export function readHeight(tip: number, ctx: { asOf?: number; confirmations?: number }): number {
  if (ctx.asOf !== undefined) {
    if (ctx.asOf > tip) throw usageError(`--as-of ${ctx.asOf} is above the node's tip (block ${tip})`);
    return ctx.asOf;
  }
  return Math.max(0, tip - (ctx.confirmations ?? 0));
}

export async function openRpcSource(
  rest: string,
  spec: string,
  ctx: SourceContext,
  http: () => HttpClient,
): Promise<RpcOpenedSource> {
  const c = ctx as RpcContext;
  // `--api-key K` with `rpc:https://host/v2/{key}` (or `?dkey={key}`): the key stays off the
  // command line's URL, and is scrubbed from everything printed or written like any secret.
  const placeholder = /\{(?:api_?)?key\}/i;
  if (placeholder.test(rest)) {
    if (!ctx.apiKeyFlag) throw usageError(`--source rpc:…: the URL has a {key} placeholder; pass --api-key`);
    rest = rest.replace(placeholder, encodeURIComponent(ctx.apiKeyFlag));
  }
  let url: URL;
  try {
    url = new URL(rest);
  } catch {
    throw usageError(
      `--source ${JSON.stringify(spec.slice(0, 80))}: rpc: needs a URL, e.g. rpc:http://127.0.0.1:8545`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`--source rpc:…: only http(s) JSON-RPC endpoints are supported, not ${url.protocol}`);
  }
  const client = http();
  const rpc = new JsonRpc(
    client,
    rest,
    [ctx.apiKey, ctx.apiKeyFlag].filter((k): k is string => typeof k === 'string' && k.length > 0),
  );
  const env = ctx.env ?? {};
  const id = await readIdentity(rpc, ctx.signal);
  const info = findChain(String(id.chainId));
  if (!info) {
    throw new FundtraceError(
      'USAGE',
      `rpc ${rpc.shown} serves chain id ${id.chainId}, which is not a known chain (known: ${knownChains().join(', ')})`,
    );
  }
  const chain = requireChain(info.name);
  if (chain.kind !== 'account') throw usageError(`rpc: serves EVM chains only, not ${chain.name}`);
  const pick = <T extends string>(v: string | undefined, allowed: readonly T[]): T | undefined =>
    v !== undefined && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
  const cap = Math.max(1, c.historyLimit ?? DEFAULT_HISTORY_CAP);
  const history = pick<HistoryMethod>(env.FUNDTRACE_RPC_HISTORY, ['ots', 'trace_filter']);
  const internal = pick<InternalMethod>(env.FUNDTRACE_RPC_INTERNAL, ['trace', 'debug', 'ots']);
  const head = readHeight(id.head.height, ctx);
  const node = new RpcNode(
    rpc,
    id,
    chain,
    cap,
    {
      ...(history ? { history } : {}),
      ...(internal ? { internal } : {}),
    },
    head,
  );
  const view = new RpcAccountView(
    node,
    chain,
    head === id.head.height ? id.head.time : await node.blockTime(head, ctx.signal),
  );
  // As the user wrote it (URL parsing adds a '/' to a bare host), minus any credentials.
  const shownSpec = `rpc:${!rest.endsWith('/') && rpc.shown.endsWith('/') ? rpc.shown.slice(0, -1) : rpc.shown}`;
  const prepareAsset = async (input: string, signal?: AbortSignal) => {
    const known = view.resolveAsset(input);
    if (known !== undefined || !/^0x[0-9a-fA-F]{40}$/.test(input.trim())) return known;
    return view.addToken(input.trim(), signal);
  };
  if (c.asset !== undefined) await prepareAsset(c.asset, ctx.signal);
  return {
    spec: shownSpec,
    kind: 'rpc',
    chain: chain.name,
    view,
    fetcher: view,
    labels: [],
    describe: () => ({
      spec: shownSpec,
      kind: 'rpc',
      asOf: view.head,
      capabilities: node.capabilities(),
    }),
    http: client,
    prepareAsset,
    node,
    rpcView: view,
  };
}
