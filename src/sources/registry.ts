// The contract registry for a trace: the bundled registry/contracts.json plus user files of the same
// shape (config or flags, wired by the caller). Every fault is a one-line BAD_INPUT error naming the
// file and the value; a user entry that gives a known address another protocol or role is refused
// with both facts named, so a config file cannot quietly re-label a bridge.
import { readFile } from 'node:fs/promises';
import { isTronChain } from '../core/address.js';
import { inputError } from '../core/errors.js';
import {
  buildRegistry,
  type ChainIds,
  parseRegistryFile,
  type Registry,
  RegistryConflict,
  type RegistryEntry,
} from '../core/events/registry.js';
import { REGISTRY_FILE } from '../meta/install.js';

/** File names and registry text on one printable line (the sources layer has no report sanitiser). */
const termSafe = (s: string) =>
  s.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');

async function readRegistryFile(file: string): Promise<{ entries: RegistryEntry[]; chains: ChainIds[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw inputError(`registry file ${termSafe(file)}: cannot read it (${code})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw inputError(`registry file ${termSafe(file)}: not JSON (${termSafe((e as Error).message)})`);
  }
  const r = parseRegistryFile(raw, `registry file ${termSafe(file)}`);
  if (r.errors.length > 0) throw inputError(r.errors[0]!, r.errors.slice(1));
  return r;
}

/** A registry given inline (e.g. a `registry:` section of the config file), named for errors. */
export interface InlineRegistry {
  /** How errors name it, e.g. "config fundtrace.yaml: registry". */
  where: string;
  value: unknown;
}

/**
 * The bundled registry merged with `extraFiles` then `inline` sections (in order); throws
 * FundtraceError BAD_INPUT with a one-line message naming the file (or section) and the value.
 */
export async function loadRegistry(
  extraFiles: readonly string[] = [],
  inline: readonly InlineRegistry[] = [],
): Promise<Registry> {
  const sources: { name: string; read: () => Promise<{ entries: RegistryEntry[]; chains: ChainIds[] }> }[] = [
    ...[REGISTRY_FILE, ...extraFiles].map((file) => ({
      name: termSafe(file),
      read: () => readRegistryFile(file),
    })),
    ...inline.map((i) => ({
      name: termSafe(i.where),
      read: async () => {
        const r = parseRegistryFile(i.value, termSafe(i.where));
        if (r.errors.length > 0) throw inputError(r.errors[0]!, r.errors.slice(1));
        return r;
      },
    })),
  ];
  const entries: RegistryEntry[] = [];
  const chains: ChainIds[] = [];
  const origin = new Map<string, { name: string; entry: RegistryEntry }>();
  for (const source of sources) {
    const r = await source.read();
    for (const e of r.entries) {
      const key = `${e.chain}:${e.address.toLowerCase()}`;
      const prior = origin.get(key);
      if (prior && (prior.entry.protocol !== e.protocol || prior.entry.role !== e.role))
        throw inputError(
          `registry ${source.name}: ${e.chain} ${e.address} is ${e.protocol} ${e.role} "${termSafe(e.name)}", but ${prior.name} has it as ${prior.entry.protocol} ${prior.entry.role} "${termSafe(prior.entry.name)}"`,
        );
      if (!prior) origin.set(key, { name: source.name, entry: e });
      entries.push(e);
    }
    chains.push(...r.chains);
  }
  try {
    return buildRegistry(entries, chains);
  } catch (e) {
    if (e instanceof RegistryConflict) throw inputError(e.message);
    throw e;
  }
}

/**
 * Whether a trace decodes conversions and bridges: account chains, unless switched off. TRON has no
 * registered contracts (its swaps are not decoded): its traces stay in their asset. One rule for
 * `fundtrace trace` and for a case's re-run.
 */
export function conversionsApply(
  view: { kind: string; chain: string },
  conversions: boolean | undefined,
): boolean {
  return view.kind === 'account' && conversions !== false && !isTronChain(view.chain);
}
