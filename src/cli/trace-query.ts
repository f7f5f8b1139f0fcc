// `trace` (and `screen`) flags → one validated TraceQuery (src/app/trace.ts). Every flag is checked
// here, once, before any data is read; the application never sees a flag string.
import { DEFAULT_LIMITS } from '../app/defaults.js';
import type { TraceQuery } from '../app/trace.js';
import { activeChains, type ChainRegistry } from '../core/chains.js';
import { usageError } from '../core/errors.js';
import { parseHeuristics } from '../core/heuristics/select.js';
import type { Direction, Model } from '../core/trace-types.js';
import { termSafe } from '../report/sanitize.js';
import { SOURCE_CHOICES } from '../sources/choices.js';
import { loadConfig } from './config.js';
import { boundFlag, enumFlag, intFlag } from './flags.js';
import { type LabelFlags, labelQuery } from './label-flags.js';

export interface TraceFlags extends LabelFlags {
  source?: string[];
  chain?: string;
  direction: string;
  hops: string;
  model: string;
  asset?: string;
  since?: string;
  until?: string;
  minValue: string;
  maxNodes: string;
  historyLimit: string;
  format?: string;
  table: string;
  out?: string;
  wide?: boolean;
  strict?: boolean;
  color?: boolean;
  offline?: boolean;
  cache?: boolean;
  asOf?: string;
  confirmations?: string;
  cacheDir?: string;
  apiKey?: string;
  cospend?: boolean;
  heuristics?: string | boolean;
  deposits?: boolean;
  conversions?: boolean;
  registry?: string[];
  bridgeMatch?: boolean;
  followCandidates?: boolean;
  dust?: string;
  case?: string;
  force?: boolean;
  redact?: boolean;
  fiat?: string;
  /** Repeatable: a directory and/or an API URL. */
  prices?: string[];
}

export { DEFAULT_LIMITS as DEFAULTS };
export const TRACE_FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;

export async function traceQueryFromFlags(flags: TraceFlags, env: NodeJS.ProcessEnv): Promise<TraceQuery> {
  const direction = enumFlag<Direction>('--direction', flags.direction, ['forward', 'backward']);
  const model = enumFlag<Model>('--model', flags.model, ['haircut', 'poison', 'fifo']);
  const hops = intFlag('--hops', flags.hops, 0, 1000);
  const maxNodes = intFlag('--max-nodes', flags.maxNodes, 1);
  const historyLimit = intFlag('--history-limit', flags.historyLimit, 1);
  const heuristics = parseHeuristics(flags.heuristics);
  const since = flags.since !== undefined ? boundFlag('--since', flags.since) : undefined;
  const until = flags.until !== undefined ? boundFlag('--until', flags.until) : undefined;
  if (since && until && since.kind === until.kind) {
    const at = (b: typeof since) => (b.kind === 'height' ? b.height : Date.parse(b.time));
    if (at(since) > at(until))
      throw usageError(
        `--since ${flags.since} is later than --until ${flags.until}: nothing could be traced`,
      );
  }
  const config = await loadConfig(flags.config, env);
  const chains = config.registry ?? activeChains();
  const chain = flags.chain !== undefined ? chains.find(flags.chain) : undefined;
  if (flags.chain !== undefined && !chain) {
    throw usageError(
      `--chain "${termSafe(flags.chain)}" is not a known chain (known: ${chains.names().join(', ')})`,
    );
  }
  // `--source CHAIN=SPEC` names the chain a source holds; a second and further sources must: bridges
  // into those chains are followed there (README "Conversions and bridges").
  const given = (flags.source ?? []).map((x) => sourceWithChain(x, chains));
  if (given.length === 0) throw usageError('no --source given; choose one of:', SOURCE_CHOICES);
  const mainIdx = chain
    ? Math.max(
        0,
        given.findIndex((g) => g.chain === chain.name),
      )
    : 0;
  const main = given[mainIdx]!;
  if (chain && main.chain !== undefined && main.chain !== chain.name)
    throw usageError(`--chain ${chain.name}: no --source names that chain (--source ${chain.name}=SPEC)`);
  const others = given.filter((_, i) => i !== mainIdx);
  for (const o of others)
    if (o.chain === undefined)
      throw usageError(
        `--source "${termSafe(o.spec)}": with several sources, name each further one's chain (--source arbitrum=FILE)`,
      );
  const seen = new Set<string>();
  for (const g of given)
    if (g.chain !== undefined) {
      if (seen.has(g.chain)) throw usageError(`two --source options for ${g.chain}: give one per chain`);
      seen.add(g.chain);
    }
  if (others.length > 0 && flags.case)
    throw usageError(
      '--case records one source: trace each chain into its own case (several --source with --case is not supported yet)',
    );
  const sources = [main.spec];
  const mainChain = chain ?? (main.chain !== undefined ? chains.find(main.chain) : undefined);
  if (flags.offline && flags.cache === false) throw usageError('--offline and --no-cache exclude each other');
  const asOf = flags.asOf !== undefined ? intFlag('--as-of', flags.asOf, 0) : undefined;
  const confirmations =
    flags.confirmations !== undefined
      ? intFlag('--confirmations', flags.confirmations, 0, 1_000_000)
      : undefined;
  if (asOf !== undefined && confirmations !== undefined)
    throw usageError('--as-of and --confirmations exclude each other');
  if ((asOf !== undefined || confirmations !== undefined) && !/^(?:rpc|trongrid):/i.test(sources[0]!))
    throw usageError(
      `${asOf !== undefined ? '--as-of' : '--confirmations'} applies to rpc: and trongrid: sources only (esplora: and etherscan: read to the tip; a case replays the height it recorded)`,
    );
  if (flags.redact && !flags.case) throw usageError('--redact needs --case DIR');
  if (flags.force && !flags.case) throw usageError('--force needs --case DIR');
  const fiatCode = flags.fiat ?? config.fiat;
  const prices = flags.prices ?? (config.prices !== undefined ? [config.prices] : undefined);
  // Each API's own variable: a TronGrid key must never be sent to Etherscan, nor the other way.
  const apiKey =
    flags.apiKey ??
    (/^trongrid:/i.test(sources[0]!)
      ? env.TRONGRID_API_KEY
      : /^graphsense:/i.test(sources[0]!)
        ? env.GRAPHSENSE_API_KEY
        : env.ETHERSCAN_API_KEY);
  return {
    source: sources[0]!,
    chains,
    ...(mainChain ? { chain: mainChain.name } : {}),
    ...(others.length > 0 ? { bridgeSources: others.map((o) => ({ chain: o.chain!, spec: o.spec })) } : {}),
    ...(flags.bridgeMatch || flags.followCandidates
      ? { bridgeMatch: { follow: flags.followCandidates === true } }
      : {}),
    direction,
    hops,
    model,
    ...(flags.asset !== undefined ? { asset: flags.asset } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    minValue: flags.minValue,
    ...(flags.dust !== undefined ? { dust: flags.dust } : {}),
    maxNodes,
    historyLimit,
    heuristics,
    cospend: flags.cospend !== false,
    deposits: flags.deposits !== false,
    ...(flags.conversions === false ? { conversions: false } : {}),
    ...(flags.registry || config.contracts
      ? { registryFiles: [...(config.contracts ?? []), ...(flags.registry ?? [])] }
      : {}),
    labels: labelQuery(flags, config),
    cache: {
      mode: flags.offline ? 'offline' : flags.cache === false ? 'noCache' : 'normal',
      ...(flags.cacheDir !== undefined ? { dir: flags.cacheDir } : {}),
    },
    ...(apiKey ? { apiKey } : {}),
    ...(flags.apiKey !== undefined ? { apiKeyFlag: flags.apiKey } : {}),
    ...(asOf !== undefined ? { asOf } : {}),
    ...(confirmations !== undefined ? { confirmations } : {}),
    ...(fiatCode !== undefined
      ? {
          fiat: {
            code: fiatCode,
            ...(prices !== undefined ? { prices } : {}),
            lenient: flags.lenient === true,
          },
        }
      : {}),
    ...(flags.case
      ? { case: { dir: flags.case, force: flags.force === true, redact: flags.redact === true } }
      : {}),
  };
}

/** `CHAIN=SPEC` when CHAIN is a known chain name (a spec may itself hold "=", e.g. in a URL). */
function sourceWithChain(x: string, chains: ChainRegistry): { chain?: string; spec: string } {
  const m = /^([a-z0-9-]+)=(.+)$/i.exec(x);
  const c = m ? chains.find(m[1]!) : undefined;
  return c ? { chain: c.name, spec: m![2]! } : { spec: x };
}
