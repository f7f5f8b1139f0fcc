// The config file (`--config FILE`, else $FUNDTRACE_CONFIG, else ~/.config/fundtrace/config.json
// when it exists): which categories are flagged or services, and extra chains for the registry.
//
//   { "flagged": ["sanctioned", "scam"], "services": ["exchange", "bridge"],
//     "chains": [{ "name": "gnosis", "chainId": 100, "native": { "symbol": "xDAI", "decimals": 18 },
//                  "tokens": { "USDC": { "decimals": 6, "contract": "0xDDAf…" } } }] }
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { activeChains, type ChainInfo, type ChainRegistry, findChain } from '../core/chains.js';
import { FundtraceError, inputError } from '../core/errors.js';
import type { AssetInfo } from '../core/model.js';
import { termSafe } from '../report/sanitize.js';

export interface Config {
  flagged?: string[];
  services?: string[];
  chains?: ChainInfo[];
  /** Default for `--fiat` (a currency code) and `--prices` (a price directory or API URL). */
  fiat?: string;
  prices?: string;
  /** Contract registry files (bridges, DEXes, wrapped native) added to the bundled one; paths relative to the config file. */
  contracts?: string[];
  file?: string;
  /** The chain registry this config describes (the built-in chains when it adds none). */
  registry?: ChainRegistry;
}

export function configPath(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag !== undefined) return flag;
  if (env.FUNDTRACE_CONFIG) return env.FUNDTRACE_CONFIG;
  const base = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  const p = join(base, 'fundtrace', 'config.json');
  return existsSync(p) ? p : undefined;
}

/** Read and check the config; registers its chains. Every problem is reported, with its key. */
export async function loadConfig(flag: string | undefined, env: NodeJS.ProcessEnv): Promise<Config> {
  const file = configPath(flag, env);
  if (file === undefined) return { registry: activeChains() };
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw inputError(
      `config "${termSafe(file)}": ${e instanceof SyntaxError ? 'not valid JSON' : 'cannot be read'}`,
    );
  }
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw inputError(`config "${termSafe(file)}": not a JSON object`);
  const c = raw as Record<string, unknown>;
  const list = (key: string) => {
    const v = c[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      problems.push(`/${key}: must be a list of category names`);
      return undefined;
    }
    return v as string[];
  };
  const cfg: Config = { flagged: list('flagged'), services: list('services'), file };
  if (c.chains !== undefined) {
    if (!Array.isArray(c.chains)) problems.push('/chains: must be a list');
    else {
      // Loaded only for a config that adds chains (the address module pulls in the address codecs).
      const { canonicalAddress } = await import('../core/address.js');
      const contract = (x: string) => canonicalAddress('ethereum', x);
      cfg.chains = c.chains.flatMap((x, i) => chainOf(x, `/chains/${i}`, problems, contract));
    }
  }
  for (const k of ['fiat', 'prices'] as const) {
    const v = c[k];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.trim() === '') problems.push(`/${k}: must be a non-empty string`);
    else cfg[k] = v;
  }
  if (c.contracts !== undefined) {
    if (!Array.isArray(c.contracts) || c.contracts.some((x) => typeof x !== 'string' || x.trim() === ''))
      problems.push('/contracts: must be a list of registry file paths');
    else cfg.contracts = (c.contracts as string[]).map((x) => resolve(dirname(file), x));
  }
  for (const k of Object.keys(c))
    if (!['flagged', 'services', 'chains', 'fiat', 'prices', 'contracts'].includes(k))
      problems.push(`/${k}: unknown key`);
  if (problems.length > 0)
    throw inputError(`config "${termSafe(file)}" is invalid: ${problems.length} problem(s)`, problems);
  // The command's own registry (made active by the command: useChains): built-in + the config's.
  cfg.registry = activeChains().with(cfg.chains ?? []);
  return cfg;
}

function chainOf(x: unknown, at: string, problems: string[], contract: (x: string) => string): ChainInfo[] {
  const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
  const name = typeof o.name === 'string' && /^[a-z0-9-]+$/.test(o.name) ? o.name : undefined;
  if (!name) problems.push(`${at}/name: a lowercase name (letters, digits, -) is required`);
  const chainId = o.chainId;
  if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId) || chainId <= 0)
    problems.push(`${at}/chainId: a positive integer is required (EVM chains only)`);
  const native = asset(o.native, `${at}/native`, problems, false);
  const tokens: Record<string, AssetInfo> = {};
  if (o.tokens !== undefined) {
    if (typeof o.tokens !== 'object' || o.tokens === null) problems.push(`${at}/tokens: must be an object`);
    else
      for (const [sym, t] of Object.entries(o.tokens)) {
        const a = asset({ symbol: sym, ...(t as object) }, `${at}/tokens/${sym}`, problems, true, contract);
        if (a) tokens[sym] = a;
      }
  }
  if (!name || !native || typeof chainId !== 'number') return [];
  const clash = findChain(name) ?? findChain(String(chainId));
  if (clash) {
    problems.push(`${at}: chain "${name}" (id ${chainId}) is already known as ${clash.name}`);
    return [];
  }
  return [{ name, kind: 'account', chainId, native, tokens }];
}

function asset(
  x: unknown,
  at: string,
  problems: string[],
  token: boolean,
  contract: (x: string) => string = (v) => v,
): AssetInfo | undefined {
  const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
  const ok =
    typeof o.symbol === 'string' &&
    o.symbol.length > 0 &&
    Number.isInteger(o.decimals) &&
    (o.decimals as number) >= 0 &&
    (o.decimals as number) <= 36;
  if (!ok) {
    problems.push(`${at}: needs a symbol and whole-number decimals (0–36)`);
    return undefined;
  }
  if (!token) return { symbol: o.symbol as string, decimals: o.decimals as number };
  try {
    return {
      symbol: o.symbol as string,
      decimals: o.decimals as number,
      contract: contract(String(o.contract)),
    };
  } catch (e) {
    problems.push(`${at}/contract: ${e instanceof FundtraceError ? e.message : 'not an address'}`);
    return undefined;
  }
}
