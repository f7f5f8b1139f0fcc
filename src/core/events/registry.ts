// The contract registry: which address on which chain is which bridge/DEX/wrapper contract, and
// each chain's protocol ids (CCTP domain, EVM chain id used by Across and Hop, LayerZero endpoint
// id used by Stargate v2). Data, not code: registry/contracts.json ships with fundtrace and a user
// file of the same shape extends it (src/app/registry.ts). Pure: validation returns errors as
// one-line messages naming the value; the loader turns them into typed errors.
import { toChecksumAddress } from '../keccak.js';

export const PROTOCOLS = [
  'weth',
  'uniswap-v2',
  'uniswap-v3',
  'cctp',
  'cctp-v2',
  'across',
  'hop',
  'stargate',
  'devbridge',
] as const;
export type RegistryProtocol = (typeof PROTOCOLS)[number];

export const ROLES = [
  'wrapped-native',
  'router',
  'factory',
  'token-messenger',
  'message-transmitter',
  'spoke-pool',
  'hub-pool',
  'l1-bridge',
  'l2-bridge',
  'amm-wrapper',
  'pool',
] as const;

export interface RegistryEntry {
  chain: string;
  /** EIP-55. */
  address: string;
  protocol: RegistryProtocol;
  role: string;
  name: string;
  /** Where the fact comes from (a repository file, a docs page). */
  source: string;
  /**
   * The asset a single-asset bridge contract moves (Hop bridges, Stargate pools): "native" or the
   * token contract (EIP-55). Their events do not name the token, so it must come from here.
   */
  asset?: string;
}

/** A chain's ids in each protocol's own numbering. */
export interface ChainIds {
  chain: string;
  /** EVM chain id (decimal), as Across and Hop name chains. */
  chainId?: string;
  /** Circle CCTP domain. */
  cctpDomain?: number;
  /** LayerZero v2 endpoint id (Stargate v2). */
  stargateEid?: number;
  source?: string;
}

export interface Registry {
  readonly entries: readonly RegistryEntry[];
  readonly chains: readonly ChainIds[];
  /** The entry of (chain, address), any address case. */
  at(chain: string, address: string): RegistryEntry | undefined;
  chainOfCctpDomain(domain: number | bigint | string): string | null;
  cctpDomainOf(chain: string): number | null;
  /** fundtrace chain name of an EVM chain id (decimal string or bigint). */
  chainOfId(id: number | bigint | string): string | null;
  chainIdOf(chain: string): string | null;
  chainOfStargateEid(eid: number | bigint | string): string | null;
  stargateEidOf(chain: string): number | null;
}

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const CHAIN_NAME = /^[a-z0-9][a-z0-9-]*$/;
const DECIMAL = /^(0|[1-9]\d*)$/;

const oneLine = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  const clean = String(s).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return JSON.stringify(clean.length > 80 ? `${clean.slice(0, 77)}…` : clean);
};

/**
 * The EIP-55 form of an EVM address, or an error message. A mixed-case input must already be a
 * valid checksum (a typo in a registry file must not silently name another contract).
 */
export function checkAddress(input: string): { address: string } | { error: string } {
  if (!EVM_ADDRESS.test(input))
    return { error: `${oneLine(input)} is not an EVM address (0x + 40 hex digits)` };
  const body = input.slice(2);
  const sum = toChecksumAddress(body.toLowerCase());
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixed && sum !== input)
    return { error: `${oneLine(input)} has a bad EIP-55 checksum (expected ${sum})` };
  return { address: sum };
}

/**
 * Validate raw entries (from the bundled file or a user file): one message per fault, naming the
 * entry (`where[i]`) and the value. Returns the normalised entries when there is no fault.
 */
export function validateEntries(raw: unknown, where: string): { entries: RegistryEntry[]; errors: string[] } {
  const errors: string[] = [];
  const entries: RegistryEntry[] = [];
  if (!Array.isArray(raw)) return { entries, errors: [`${where}: "contracts" must be an array`] };
  raw.forEach((e, i) => {
    const at = `${where}: contracts[${i}]`;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      errors.push(`${at} is not an object`);
      return;
    }
    const o = e as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
    const chain = str('chain');
    const address = str('address');
    const protocol = str('protocol');
    const role = str('role');
    const name = str('name');
    const source = str('source');
    let bad = false;
    const fail = (m: string) => {
      errors.push(`${at}: ${m}`);
      bad = true;
    };
    if (chain === undefined || !CHAIN_NAME.test(chain)) fail(`chain ${oneLine(o.chain)} is not a chain name`);
    const a =
      address === undefined ? { error: `address ${oneLine(o.address)} is missing` } : checkAddress(address);
    if ('error' in a) fail(`address ${a.error}`);
    if (protocol === undefined || !(PROTOCOLS as readonly string[]).includes(protocol))
      fail(`unknown protocol ${oneLine(o.protocol)} (known: ${PROTOCOLS.join(', ')})`);
    if (role === undefined || !(ROLES as readonly string[]).includes(role))
      fail(`unknown role ${oneLine(o.role)} (known: ${ROLES.join(', ')})`);
    const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
    if (name === undefined || name.trim() === '') fail('name is missing');
    else if (CONTROL.test(name)) fail(`name ${oneLine(name)} contains control characters`);
    if (source === undefined || source.trim() === '')
      fail('source is missing (say where the address comes from)');
    else if (CONTROL.test(source)) fail(`source ${oneLine(source)} contains control characters`);
    let asset: string | undefined;
    if (o.asset !== undefined) {
      const s = str('asset');
      if (s === 'native') asset = 'native';
      else {
        const c = s === undefined ? { error: `${oneLine(o.asset)} is not a string` } : checkAddress(s);
        if ('error' in c) fail(`asset must be "native" or a token contract: ${c.error}`);
        else asset = c.address;
      }
    } else if ((protocol === 'hop' && role !== 'amm-wrapper') || protocol === 'stargate')
      fail(`asset is required for ${protocol} ${role ?? ''} contracts (their events do not name the token)`);
    if (bad || 'error' in a) return;
    entries.push({
      chain: chain!,
      address: a.address,
      protocol: protocol as RegistryProtocol,
      role: role!,
      name: name!,
      source: source!,
      ...(asset !== undefined ? { asset } : {}),
    });
  });
  return { entries, errors };
}

/** Validate the "chains" section: a map chain name → ids. */
export function validateChains(raw: unknown, where: string): { chains: ChainIds[]; errors: string[] } {
  const errors: string[] = [];
  const chains: ChainIds[] = [];
  if (raw === undefined) return { chains, errors };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { chains, errors: [`${where}: "chains" must be an object (chain name → ids)`] };
  for (const [chain, v] of Object.entries(raw as Record<string, unknown>)) {
    const at = `${where}: chains.${chain}`;
    if (!CHAIN_NAME.test(chain)) {
      errors.push(`${where}: chains: ${oneLine(chain)} is not a chain name`);
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      errors.push(`${at} is not an object`);
      continue;
    }
    const o = v as Record<string, unknown>;
    const c: ChainIds = { chain };
    if (o.chainId !== undefined) {
      const id = typeof o.chainId === 'number' ? String(o.chainId) : o.chainId;
      if (typeof id !== 'string' || !DECIMAL.test(id))
        errors.push(`${at}.chainId ${oneLine(o.chainId)} is not a decimal id`);
      else c.chainId = id;
    }
    for (const k of ['cctpDomain', 'stargateEid'] as const) {
      if (o[k] === undefined) continue;
      const n = o[k];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff)
        errors.push(`${at}.${k} ${oneLine(n)} is not a uint32`);
      else c[k] = n;
    }
    if (typeof o.source === 'string') c.source = o.source;
    chains.push(c);
  }
  return { chains, errors };
}

/** Thrown by buildRegistry on conflicting facts; the message is one line naming both. */
export class RegistryConflict extends Error {}

/**
 * A registry over validated entries. Chain-id records of one chain merge field by field (a user
 * file may add a chain's Stargate eid); a contract or an id given two different meanings throws.
 */
export function buildRegistry(
  entries: readonly RegistryEntry[],
  chainIds: readonly ChainIds[] = [],
): Registry {
  const byKey = new Map<string, RegistryEntry>();
  for (const e of entries) {
    const key = `${e.chain}:${e.address.toLowerCase()}`;
    const prior = byKey.get(key);
    if (prior && (prior.protocol !== e.protocol || prior.role !== e.role))
      throw new RegistryConflict(
        `registry: ${e.chain} ${e.address} is both ${prior.protocol} ${prior.role} "${prior.name}" (${prior.source}) and ${e.protocol} ${e.role} "${e.name}" (${e.source})`,
      );
    if (!prior) byKey.set(key, e);
  }
  // A later record may add ids to a chain (a user file giving a Stargate eid), never change one.
  const merged = new Map<string, ChainIds>();
  for (const c of chainIds) {
    const prior = merged.get(c.chain);
    if (prior)
      for (const k of ['chainId', 'cctpDomain', 'stargateEid'] as const)
        if (prior[k] !== undefined && c[k] !== undefined && String(prior[k]) !== String(c[k]))
          throw new RegistryConflict(
            `registry: ${c.chain} ${k} is ${prior[k]} (${prior.source ?? 'no source'}) and ${c[k]} (${c.source ?? 'no source'})`,
          );
    merged.set(c.chain, {
      ...prior,
      ...c,
      ...(prior?.source && c.source ? { source: `${prior.source}; ${c.source}` } : {}),
    });
  }
  const chains = [...merged.values()].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));
  const index = <K extends 'chainId' | 'cctpDomain' | 'stargateEid'>(k: K, what: string) => {
    const m = new Map<string, string>();
    for (const c of chains) {
      const v = c[k];
      if (v === undefined) continue;
      const prior = m.get(String(v));
      if (prior !== undefined)
        throw new RegistryConflict(`registry: ${what} ${v} is given to both ${prior} and ${c.chain}`);
      m.set(String(v), c.chain);
    }
    return m;
  };
  const byId = index('chainId', 'chain id');
  const byDomain = index('cctpDomain', 'CCTP domain');
  const byEid = index('stargateEid', 'Stargate endpoint id');
  const ofChain = new Map(chains.map((c) => [c.chain, c]));
  const sorted = [...byKey.values()].sort((a, b) =>
    a.chain !== b.chain
      ? a.chain < b.chain
        ? -1
        : 1
      : a.address.toLowerCase() < b.address.toLowerCase()
        ? -1
        : 1,
  );
  return {
    entries: sorted,
    chains,
    at: (chain, address) => byKey.get(`${chain}:${address.toLowerCase()}`),
    chainOfCctpDomain: (d) => byDomain.get(String(d)) ?? null,
    cctpDomainOf: (chain) => ofChain.get(chain)?.cctpDomain ?? null,
    chainOfId: (id) => byId.get(String(id)) ?? null,
    chainIdOf: (chain) => ofChain.get(chain)?.chainId ?? null,
    chainOfStargateEid: (eid) => byEid.get(String(eid)) ?? null,
    stargateEidOf: (chain) => ofChain.get(chain)?.stargateEid ?? null,
  };
}

/** The registry file's shape (registry/contracts.json and user files). */
export interface RegistryFile {
  chains?: Record<string, Omit<ChainIds, 'chain'>>;
  contracts: RegistryEntry[];
}

/** Parse a registry file's JSON value: entries and chain ids, or every fault as one line each. */
export function parseRegistryFile(
  raw: unknown,
  where: string,
): { entries: RegistryEntry[]; chains: ChainIds[]; errors: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return {
      entries: [],
      chains: [],
      errors: [`${where}: not a registry file (an object with "contracts")`],
    };
  const o = raw as Record<string, unknown>;
  const e = validateEntries(o.contracts, where);
  const c = validateChains(o.chains, where);
  return { entries: e.entries, chains: c.chains, errors: [...e.errors, ...c.errors] };
}
