// `--source graphsense:URL`: chain data from a GraphSense REST API (a self-hosted deployment or
// the hosted Iknaio one, https://api.iknaio.com). Bitcoin at output level: transactions with
// inputs/outputs, the outputs each input spends, which transaction spent an output, address
// histories; GraphSense tags of the addresses a trace reaches, handed to the app's label store
// (attachTagSink) so exposure uses them. See ./fetcher.ts for the requests and cache policies, ./wire.ts for the wire format.
//
// Spec: `graphsense:https://api.iknaio.com` (the API root; the currency path segment, btc, eth or
// trx, is added per request). `--chain` bitcoin (the default), ethereum or tron; the account chains
// are read by ./account-view.ts (transactions, internal and token transfers per address). The key goes in the `Authorization` header, from --api-key or
// GRAPHSENSE_API_KEY; it is never printed, cached or written to a case (the cache keys and
// evidence URLs carry no header).
import { type ChainInfo, findChain } from '../../core/chains.js';
import { FundtraceError, usageError } from '../../core/errors.js';
import { MUTABLE_MAX_AGE_MS, TIP_MAX_AGE_MS } from '../esplora/fetcher.js';
import { EsploraView } from '../esplora/view.js';
import { AddressNormalizer } from '../esplora/wire.js';
import { HttpError, redactUrl } from '../http/index.js';
import type { HttpFactory, OpenedSource, SourceContext } from '../open.js';
import { GraphSenseAccountView } from './account-view.js';
import { type TokenConfig, tokenConfigsValidator } from './account-wire.js';
import { GraphSenseFetcher } from './fetcher.js';
import { statsValidator } from './wire.js';

export { GraphSenseFetcher, PAGE_SIZE } from './fetcher.js';

/** fundtrace chain → GraphSense path currency (UTXO chains served at output level). */
const CURRENCIES: Readonly<Record<string, string>> = { bitcoin: 'btc', ethereum: 'eth', tron: 'trx' };
const DEFAULT_HISTORY_CAP = 10_000;

export function parseGraphSenseSpec(rest: string): { base: string; shown: string } {
  const raw = rest.trim();
  if (raw === '')
    throw usageError('--source graphsense: needs the API root, e.g. graphsense:https://api.iknaio.com');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw usageError(`--source graphsense:${JSON.stringify(redactUrl(raw)).slice(1, -1)}: not a URL`, [
      'give the API root, e.g. graphsense:https://api.iknaio.com or graphsense:http://127.0.0.1:9000',
    ]);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw usageError(`--source graphsense:${redactUrl(raw)}: only http and https URLs are supported`);
  if (u.search !== '' || u.username !== '' || u.password !== '')
    throw usageError(
      `--source graphsense:${redactUrl(raw)}: give the key with --api-key or GRAPHSENSE_API_KEY (it is sent in the Authorization header), not in the URL`,
    );
  u.hash = '';
  const base = u.href.replace(/\/+$/, '');
  return { base, shown: base };
}

export async function openGraphSense(
  rest: string,
  _spec: string,
  ctx: SourceContext,
  http: HttpFactory,
): Promise<OpenedSource> {
  const { base, shown } = parseGraphSenseSpec(rest);
  const chain = ctx.chain ?? 'bitcoin';
  const currency = CURRENCIES[chain];
  if (currency === undefined)
    throw usageError(
      `--chain ${chain}: a graphsense: source reads bitcoin, ethereum and tron (GraphSense serves no other chain fundtrace knows)`,
    );
  const info = findChain(chain)!;
  const secrets = ctx.apiKey ? [ctx.apiKey] : [];
  const getClient = () => http({ secrets });
  if (info.kind === 'account') return openAccount(info, currency, base, shown, ctx, getClient, secrets);
  const view = new EsploraView(chain, { symbol: info.native.symbol, decimals: info.native.decimals });
  const historyCap =
    ctx.historyLimit !== undefined && ctx.historyLimit > 0 ? ctx.historyLimit : DEFAULT_HISTORY_CAP;
  const fetcher = new GraphSenseFetcher(getClient, view, {
    base,
    currency,
    historyCap,
    norm: new AddressNormalizer(chain),
    ...(ctx.apiKey ? { apiKey: ctx.apiKey } : {}),
    secrets,
  });
  const spec = `graphsense:${shown}`;
  return {
    spec,
    kind: 'graphsense',
    chain,
    view,
    fetcher,
    labels: [],
    description: `GraphSense API ${shown} (${chain})`,
    describe: () => ({
      spec,
      kind: 'graphsense',
      ...(view.head ? { asOf: view.head } : {}),
      capabilities: ['tx', 'outspends', 'address-history', 'block-order'],
    }),
    http: getClient(),
    attachTagSink: (sink) => {
      fetcher.tagSink = sink;
    },
    warnings: () =>
      view
        .truncatedHistories()
        .map(
          (h) =>
            `graphsense: the history of ${h.address} was read only to ${h.read} transactions (--history-limit ${historyCap}); the rest was not fetched`,
        ),
  };
}

async function openAccount(
  info: ChainInfo,
  currency: string,
  base: string,
  shown: string,
  ctx: SourceContext,
  getClient: () => ReturnType<HttpFactory>,
  secrets: string[],
): Promise<OpenedSource> {
  const headers = ctx.apiKey ? { headers: { authorization: ctx.apiKey } } : {};
  const client = getClient();
  const [tip, tokens] = await Promise.all([
    client
      .getJson(`${base}/stats`, {
        ...headers,
        validate: statsValidator(currency),
        cachePolicy: { kind: 'graphsense.stats', immutable: false, maxAgeMs: TIP_MAX_AGE_MS },
      })
      .catch((e: unknown) => {
        if (e instanceof HttpError && e.status === 404)
          throw new FundtraceError(
            'SOURCE',
            `${e.message} — is ${shown} the root of a GraphSense REST API (e.g. https://api.iknaio.com)?`,
            e.details,
          );
        throw e;
      }),
    client
      .getText(`${base}/${currency}/supported_tokens`, {
        ...headers,
        validate: tokenConfigsValidator(info.addressFormat === 'tron' ? 'tron' : 'evm'),
        cachePolicy: { kind: 'graphsense.tokens', immutable: false, maxAgeMs: MUTABLE_MAX_AGE_MS },
      })
      .catch((e: unknown): TokenConfig[] | undefined => {
        // A deployment without the endpoint: the chain's well-known tokens only.
        if (e instanceof HttpError && e.status === 404) return undefined;
        throw e;
      }),
  ]);
  const historyCap =
    ctx.historyLimit !== undefined && ctx.historyLimit > 0 ? ctx.historyLimit : DEFAULT_HISTORY_CAP;
  const view = new GraphSenseAccountView(info, getClient, {
    base,
    currency,
    historyCap,
    ...(ctx.apiKey ? { apiKey: ctx.apiKey } : {}),
    secrets,
    head: tip,
    tokens,
  });
  const spec = `graphsense:${shown}`;
  return {
    spec,
    kind: 'graphsense',
    chain: info.name,
    view,
    fetcher: view,
    labels: [],
    description: `GraphSense API ${shown} (${info.name}) as of block ${tip}`,
    describe: () => ({
      spec,
      kind: 'graphsense',
      asOf: { height: tip },
      capabilities: ['address-txs', 'tx-flows', 'token-configs'],
    }),
    http: client,
    attachTagSink: (sink) => {
      view.tagSink = sink;
    },
    warnings: () => view.warnings(),
  };
}
