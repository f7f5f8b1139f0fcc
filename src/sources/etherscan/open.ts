// `--source etherscan:URL`: an Etherscan-compatible account API as a chain view.
//
//   etherscan:https://api.etherscan.io/v2/api        Etherscan API v2 (chainid from --chain, default
//                                                    ethereum; the key from --api-key or
//                                                    ETHERSCAN_API_KEY, required by api.etherscan.io)
//   etherscan:https://eth.blockscout.com/api         a Blockscout instance (key optional)
//   etherscan:https://api.blockscout.com/1/api       Blockscout PRO
//   etherscan:https://api.routescan.io/v2/network/mainnet/evm/1/etherscan/api   other clones
//
// The API key is sent as the `apikey` parameter and nowhere else: every message, cache key and the
// spec recorded in results go through the shared client's redaction with the key registered as a
// secret, so it is never printed, cached or written. A key written into the URL itself
// (`…?apikey=K`) is taken out of the URL and handled the same way.
import { findChain } from '../../core/chains.js';
import { FundtraceError, usageError } from '../../core/errors.js';
import { isOfflineMiss } from '../cache/offline.js';
import { redactUrl } from '../http/index.js';
import type { HttpFactory, OpenedSource, SourceContext } from '../open.js';
import { parseSourceUrl } from '../spec.js';
import { type Dialect, EtherscanApi, UnsupportedActionError } from './api.js';
import { pagingTuning } from './env.js';
import { newPagingState, type PagingState } from './paging.js';
import { EtherscanView } from './view.js';

export const CAPABILITIES = [
  'account:txlist',
  'account:txlistinternal',
  'account:tokentx',
  'tx-by-hash:receipt',
] as const;

/** Dialect from the URL alone, when it tells (see ./api.ts). */
function dialectOf(url: URL): { dialect: Dialect; known: boolean; v2: boolean } {
  const where = `${url.hostname}${url.pathname}`.toLowerCase();
  const v2 = /\/v2\/api\/?$/.test(url.pathname);
  if (where.includes('blockscout')) return { dialect: 'blockscout', known: true, v2: false };
  if (v2 || /(^|\.)etherscan\.io$/.test(url.hostname)) return { dialect: 'etherscan', known: true, v2 };
  return { dialect: 'etherscan', known: false, v2: false };
}

export async function openEtherscan(
  rest: string,
  spec: string,
  ctx: SourceContext,
  http: HttpFactory,
): Promise<EtherscanSource> {
  const url = parseSourceUrl(
    rest.trim(),
    spec,
    'etherscan:https://api.etherscan.io/v2/api or etherscan:https://eth.blockscout.com/api',
  );
  let urlKey: string | undefined;
  for (const name of [...url.searchParams.keys()]) {
    if (/^api[-_]?key$/i.test(name)) {
      urlKey ??= url.searchParams.get(name) ?? undefined;
      url.searchParams.delete(name);
    }
  }
  const apiKey = ctx.apiKey || urlKey || undefined;
  const secrets = [ctx.apiKey, urlKey].filter((s): s is string => typeof s === 'string' && s.length > 0);

  const chain = findChain(ctx.chain ?? 'ethereum');
  if (chain?.kind !== 'account') {
    throw usageError(
      `--chain ${ctx.chain}: an etherscan: source serves EVM chains (ethereum, bsc, polygon, …)`,
    );
  }
  const d = dialectOf(url);
  if (d.v2 && chain.chainId === undefined) {
    throw usageError(`--chain ${chain.name} has no EVM chain id, which Etherscan API v2 needs`);
  }
  if (!apiKey && /(^|\.)etherscan\.io$/.test(url.hostname)) {
    throw usageError(
      `--source etherscan:${redactUrl(url)} needs an API key: pass --api-key or set ETHERSCAN_API_KEY`,
    );
  }

  const paging = pagingTuning(ctx.env);
  // `--history-limit`, once the CLI passes it in the context: no list is paged beyond it.
  const historyLimit = (ctx as SourceContext & { historyLimit?: number }).historyLimit;
  if (historyLimit !== undefined && ctx.env.FUNDTRACE_ETHERSCAN_MAX_ROWS === undefined) {
    paging.maxRows = historyLimit;
  }
  const client = http({ secrets });

  const api = new EtherscanApi({
    http: client,
    base: url,
    dialect: d.dialect,
    dialectKnown: d.known,
    chainId: d.v2 ? chain.chainId : undefined,
    apiKey,
    secrets,
    signal: ctx.signal,
  });
  const head = await probeHead(api, d.known);
  api.head = head;
  const pagingState = newPagingState(paging.pageSize, paging.maxRows);
  const view = new EtherscanView(chain, api, pagingState, head);
  const shown = `etherscan:${redactUrl(url, secrets)}`;
  const opened: EtherscanSource = {
    api,
    paging: pagingState,
    spec: shown,
    kind: 'etherscan',
    chain: chain.name,
    view,
    fetcher: view,
    labels: [],
    description: `${api.dialect === 'blockscout' ? 'Blockscout' : 'Etherscan-compatible'} API at ${api.redactedBase}, ${chain.name} as of block ${head}`,
    describe: () => ({
      spec: shown,
      kind: 'etherscan',
      asOf: { height: head },
      capabilities: [`dialect:${api.dialect}`, ...CAPABILITIES],
    }),
    http: client,
    prepare: (o) => view.prepareAsset(o.asset),
    warnings: () => view.warnings(),
  };
  return opened;
}

/** OpenedSource plus two hooks the CLI can call (see README: wiring). */
export interface EtherscanSource extends OpenedSource {
  /** The API client and its paging state (the watch scanner reads lists by block range). */
  api: EtherscanApi;
  paging: PagingState;
  /** Before resolving `--asset`: learn a token contract's decimals and symbol (one request). */
  prepare(opts: { asset?: string }): Promise<void>;
  /** Notes about gaps in what the API returned, for the result's warnings. */
  warnings(): string[];
}

/** The latest block; also settles the dialect of a URL that did not name it. */
async function probeHead(api: EtherscanApi, known: boolean): Promise<number> {
  try {
    return await api.headBlock();
  } catch (e) {
    if (known || !(e instanceof UnsupportedActionError || isOfflineMiss(e))) throw e;
    const first = e;
    api.dialect = 'blockscout';
    try {
      return await api.headBlock();
    } catch (e2) {
      if (e2 instanceof FundtraceError && isOfflineMiss(first)) throw first;
      throw e2;
    }
  }
}
