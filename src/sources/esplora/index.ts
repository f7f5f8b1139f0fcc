// `--source esplora:URL`: Bitcoin data from an Esplora REST API (Blockstream's electrs as on
// blockstream.info, mempool.space, or a self-hosted electrs). See ./fetcher.ts for the requests
// and cache policies, ./view.ts for ordering within blocks, ./wire.ts for the wire format.
//
// Spec: `esplora:https://blockstream.info/api`, `esplora:http://127.0.0.1:3000`, or a shortcut:
// blockstream, blockstream-testnet, mempool, mempool-testnet, mempool-signet.
// Network: a base URL with a /testnet/, /testnet4/ or /signet/ path segment is bitcoin-testnet
// (which covers signet: same address forms); else `--chain` when given (a UTXO chain); else
// Bitcoin mainnet. Credentials in the URL (userinfo, ?key=…) are sent but never printed, cached
// or recorded: `describe()` gives the spec with them removed.
import { findChain } from '../../core/chains.js';
import { usageError } from '../../core/errors.js';
import { redactUrl } from '../http/index.js';
import type { HttpFactory, OpenedSource, SourceContext } from '../open.js';
import { EsploraFetcher } from './fetcher.js';
import { EsploraView } from './view.js';
import { AddressNormalizer } from './wire.js';

export { httpTuningFromEnv, parseRateLimits } from './env.js';
export { EsploraFetcher, FINAL_DEPTH, MUTABLE_MAX_AGE_MS, TIP_MAX_AGE_MS } from './fetcher.js';
export { EsploraView } from './view.js';

/** Default history cap when the CLI does not pass --history-limit (its own default). */
export const DEFAULT_HISTORY_CAP = 10_000;

export const ESPLORA_SHORTCUTS: Readonly<Record<string, string>> = Object.freeze({
  blockstream: 'https://blockstream.info/api',
  'blockstream-testnet': 'https://blockstream.info/testnet/api',
  mempool: 'https://mempool.space/api',
  'mempool-testnet': 'https://mempool.space/testnet/api',
  'mempool-signet': 'https://mempool.space/signet/api',
});

const TESTNET_PATH = /(^|\/)(testnet4?|signet)(\/|$)/i;

/** The base URL (without trailing slash, query or fragment) and the query to append to every call. */
export function parseEsploraSpec(rest: string): { base: string; query: string; shown: string } {
  const given = rest.trim();
  const raw = ESPLORA_SHORTCUTS[given.toLowerCase()] ?? given;
  if (raw === '') {
    throw usageError('--source esplora: needs a base URL, e.g. esplora:https://blockstream.info/api', [
      `or a shortcut: ${Object.keys(ESPLORA_SHORTCUTS).join(', ')}`,
    ]);
  }
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw usageError(`--source esplora:${JSON.stringify(redactUrl(raw)).slice(1, -1)}: not a URL`, [
      'give the API root, e.g. esplora:https://blockstream.info/api or esplora:http://127.0.0.1:3000',
      `or a shortcut: ${Object.keys(ESPLORA_SHORTCUTS).join(', ')}`,
    ]);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw usageError(`--source esplora:${redactUrl(raw)}: only http and https URLs are supported`);
  }
  const query = u.search;
  u.search = '';
  u.hash = '';
  const base = u.href.replace(/\/+$/, '');
  const shown = ESPLORA_SHORTCUTS[given.toLowerCase()]
    ? given.toLowerCase()
    : redactUrl(raw).replace(/\/+$/, '');
  return { base, query, shown };
}

/** bitcoin or bitcoin-testnet, from the URL path, else --chain, else mainnet. */
export function esploraChain(base: string, chainFlag: string | undefined): string {
  const path = new URL(base).pathname;
  if (TESTNET_PATH.test(path)) return 'bitcoin-testnet';
  if (chainFlag !== undefined) {
    const c = findChain(chainFlag);
    if (c?.kind !== 'utxo') {
      throw usageError(
        `--chain ${chainFlag}: an esplora: source serves Bitcoin (bitcoin or bitcoin-testnet)`,
      );
    }
    return c.name;
  }
  return 'bitcoin';
}

export async function openEsplora(
  rest: string,
  _spec: string,
  ctx: SourceContext,
  http: HttpFactory,
): Promise<OpenedSource> {
  const { base, query, shown } = parseEsploraSpec(rest);
  const chain = esploraChain(base, ctx.chain);
  const info = findChain(chain)!;
  const getClient = () => http();
  const view = new EsploraView(chain, { symbol: info.native.symbol, decimals: info.native.decimals });
  const historyLimit = ctx.historyLimit;
  const historyCap = historyLimit !== undefined && historyLimit > 0 ? historyLimit : DEFAULT_HISTORY_CAP;
  const fetcher = new EsploraFetcher(getClient, view, {
    base,
    query,
    historyCap,
    norm: new AddressNormalizer(chain),
  });
  const spec = `esplora:${shown}`;
  return {
    spec,
    kind: 'esplora',
    chain,
    view,
    fetcher,
    labels: [],
    description: `Esplora API ${shown} (${chain})`,
    describe: () => ({
      spec,
      kind: 'esplora',
      ...(view.head ? { asOf: view.head } : {}),
      capabilities: ['tx', 'outspends', 'address-history', 'block-order'],
    }),
    http: getClient(),
    warnings: () =>
      view
        .truncatedHistories()
        .map(
          (h) =>
            `esplora: the history of ${h.address} was read only to its newest ${h.read} of ${h.count ?? 'more'} transactions (--history-limit ${historyCap}); older ones were not fetched`,
        ),
  };
}
