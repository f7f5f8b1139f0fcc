// `--source trongrid:URL`: the TronGrid v1 REST API (api.trongrid.io, or any compatible host:
// self-hosted java-tron with the v1 plug-in, third-party gateways) as an account view of `tron`.
//
//   trongrid:https://api.trongrid.io          key from --api-key or TRONGRID_API_KEY (optional;
//                                             without one the public limits are lower)
//
// The key is sent only as the TRON-PRO-API-KEY header, registered as a secret with the shared
// client (never printed, cached or written to a case); a key written into the URL
// (`…?apikey=K`) is taken out and handled the same way.
//
// Tuning (from the context's env): FUNDTRACE_TRONGRID_PAGE_SIZE (rows per page, `limit`, 1–200,
// default 200), FUNDTRACE_TRONGRID_MAX_ROWS (rows per list before it is cut; default 10 000, or
// --history-limit). HTTP tuning is shared (FUNDTRACE_HTTP_*, FUNDTRACE_RATE_LIMIT).
import { findChain } from '../../core/chains.js';
import { usageError } from '../../core/errors.js';
import { redactUrl } from '../http/index.js';
import type { HttpFactory, OpenedSource, SourceContext } from '../open.js';
import { envInt, parseSourceUrl } from '../spec.js';
import { TronGridApi } from './api.js';
import type { PagingTuning } from './paging.js';
import { TronGridView } from './view.js';

export const CAPABILITIES = [
  'v1:accounts/transactions',
  'v1:accounts/transactions/trc20',
  'wallet:gettransactioninfobyid',
  'wallet:gettransactionbyid',
] as const;

export function pagingTuning(env: NodeJS.ProcessEnv, historyLimit?: number): PagingTuning {
  const maxRows = envInt(env, 'FUNDTRACE_TRONGRID_MAX_ROWS', 1, 100_000_000);
  return {
    pageSize: envInt(env, 'FUNDTRACE_TRONGRID_PAGE_SIZE', 1, 200) ?? 200,
    maxRows: maxRows ?? historyLimit ?? 10_000,
  };
}

export async function openTronGrid(
  rest: string,
  spec: string,
  ctx: SourceContext,
  http: HttpFactory,
): Promise<TronGridSource> {
  const url = parseSourceUrl(rest.trim(), spec, 'trongrid:https://api.trongrid.io');
  let urlKey: string | undefined;
  for (const name of [...url.searchParams.keys()]) {
    if (/^(?:api[-_]?key|tron-pro-api-key)$/i.test(name)) {
      urlKey ??= url.searchParams.get(name) ?? undefined;
      url.searchParams.delete(name);
    }
  }
  const apiKey = ctx.apiKey || urlKey || undefined;
  const secrets = [ctx.apiKey, urlKey].filter((s): s is string => typeof s === 'string' && s.length > 0);
  const chain = findChain(ctx.chain ?? 'tron');
  if (chain?.addressFormat !== 'tron') {
    throw usageError(`--chain ${ctx.chain}: a trongrid: source serves TRON (--chain tron)`);
  }
  const paging = pagingTuning(ctx.env, ctx.historyLimit);
  const client = http({ secrets });
  const api = new TronGridApi({ http: client, base: url, apiKey, secrets, signal: ctx.signal });
  const head = await api.headBlock();
  api.head = head;
  let cutoff: number | undefined;
  if (ctx.asOf !== undefined) {
    if (ctx.asOf > head.height)
      throw usageError(`--as-of ${ctx.asOf} is above the source's latest block ${head.height}`);
    cutoff = ctx.asOf;
  } else if (ctx.confirmations !== undefined) cutoff = Math.max(0, head.height - ctx.confirmations);
  const view = new TronGridView(chain, api, paging, head.height, { cutoff });
  const shown = `trongrid:${redactUrl(url, secrets)}`;
  const asOf = cutoff ?? head.height;
  return {
    api,
    paging,
    spec: shown,
    kind: 'trongrid',
    chain: chain.name,
    view,
    fetcher: view,
    labels: [],
    description: `TronGrid API at ${api.redactedBase}, ${chain.name} as of block ${asOf}`,
    describe: () => ({
      spec: shown,
      kind: 'trongrid',
      asOf: { height: asOf },
      capabilities: [...CAPABILITIES],
    }),
    http: client,
    prepare: (o) => view.prepareAsset(o.asset),
    warnings: () => view.warnings(),
  };
}

/** OpenedSource plus its API client and paging (the watch scanner reads lists and blocks). */
export interface TronGridSource extends OpenedSource {
  api: TronGridApi;
  paging: PagingTuning;
}
