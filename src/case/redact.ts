// `--redact`: stable pseudonyms for addresses and transaction ids, for cases shown in workshops
// or shared under data-protection rules. Figures are kept; only identifiers change.
//
//   address → addr-<first 12 hex of SHA-256(salt ‖ 0x00 ‖ address)>
//   tx id   → tx-<first 12 hex of SHA-256(salt ‖ 0x00 ‖ txid)>
//
// Addresses labelled as services (exchanges, payment processors, bridges … : the category
// policy's service set) keep their real address: they are what a request letter names. The salt
// is secret: without it nobody can test a guessed address against a pseudonym; with the same salt
// the same address gets the same pseudonym in every case (so cases can be compared). It is never
// written into the case: `saltFingerprint` (first 16 hex of SHA-256 of the salt) only tells which
// salt was used.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { MultiDirectedGraph } from 'graphology';
import { usageError } from '../core/errors.js';
import type { Label, TxLog } from '../core/model.js';
import { buildResult, type TraceResult } from '../core/result.js';
import type { EdgeAttributes, NodeAttributes, TraceOutcome } from '../core/trace-types.js';
import { DEFAULT_POLICY } from '../labels/taxonomy.js';
import {
  type LookupEntry,
  type LookupLog,
  logAddresses,
  type TransferRecord,
  type TxRecord,
} from './recording.js';

export const REDACTION_METHOD =
  'addresses (except labelled services) → addr-<first 12 hex of sha256(salt, 0x00, address)>; tx ids → tx-<first 12 hex of sha256(salt, 0x00, txid)>; label notes of redacted addresses dropped, entities of individuals pseudonymised';

export interface RedactOptions {
  /** The secret salt (keep it outside the shared case). */
  salt: string;
}

const hex12 = (salt: string, value: string) =>
  createHash('sha256').update(salt).update('\u0000').update(value).digest('hex').slice(0, 12);

export const saltFingerprint = (salt: string) => createHash('sha256').update(salt).digest('hex').slice(0, 16);

export class Pseudonymizer {
  private readonly seen = new Map<string, string>();
  constructor(
    private readonly salt: string,
    /** Addresses that keep their real form (labelled services). */
    private readonly keep: ReadonlySet<string>,
  ) {
    if (salt.length < 8) throw usageError('--redact: the salt must be at least 8 characters');
  }
  private map(prefix: string, value: string): string {
    const k = `${prefix}\u0000${value}`;
    let p = this.seen.get(k);
    if (p === undefined) {
      p = `${prefix}-${hex12(this.salt, value)}`;
      this.seen.set(k, p);
    }
    return p;
  }
  /** A file name or spec (dataset file, label file): `<prefix>-<12 hex>`, nothing of the name kept. */
  name(prefix: string, value: string): string {
    return this.map(prefix, value);
  }
  address(a: string): string {
    return this.keep.has(a) ? a : this.map('addr', a);
  }
  /**
   * An address as a 32-byte ABI word inside an event log (topic or data): a redacted address
   * becomes 12 zero bytes + 20 bytes of SHA-256(salt ‖ 0x00 ‖ "word:" ‖ address), still a
   * well-formed word; a kept (service) address stays as it is.
   */
  addressWord(a: string): string {
    if (this.keep.has(a)) return `${'0'.repeat(24)}${a.slice(2).toLowerCase()}`;
    const h = createHash('sha256').update(this.salt).update('\u0000').update(`word:${a}`).digest('hex');
    return `${'0'.repeat(24)}${h.slice(0, 40)}`;
  }
  addressOrNull(a: string | null): string | null {
    return a === null ? null : this.address(a);
  }
  txid(t: string): string {
    return this.map('tx', t);
  }
  /** A seed: address, txid:vout outpoint, or tx id. */
  seed(seed: string, kind: string): string {
    if (kind === 'outpoint') {
      const i = seed.lastIndexOf(':');
      return `${this.txid(seed.slice(0, i))}:${seed.slice(i + 1)}`;
    }
    return kind === 'tx' ? this.txid(seed) : this.address(seed);
  }
  /** Fails when two values share a pseudonym (2^-48 per pair: never in practice, but checked). */
  assertNoCollision(): void {
    const back = new Map<string, string>();
    for (const [k, p] of this.seen) {
      const other = back.get(p);
      if (other !== undefined && other !== k)
        throw usageError('--redact: two identifiers share a pseudonym; use another salt');
      back.set(p, k);
    }
  }
}

/** Addresses that keep their real form: those with a label in a service category. */
export function serviceAddresses(labels: readonly Label[], service = DEFAULT_POLICY.service): Set<string> {
  return new Set(labels.filter((l) => service.has(l.category)).map((l) => l.address));
}

export function redactLog(log: LookupLog, p: Pseudonymizer): LookupLog {
  const records = log.records.map((r) => {
    if ('txid' in r) {
      const t = r as TxRecord;
      return {
        ...t,
        txid: p.txid(t.txid),
        inputs: t.inputs.map((i) => ({ ...i, txid: p.txid(i.txid), address: p.addressOrNull(i.address) })),
        outputs: t.outputs.map((o) => ({ ...o, address: p.addressOrNull(o.address) })),
      };
    }
    const t = r as TransferRecord;
    return { ...t, tx: p.txid(t.tx), from: p.address(t.from), to: p.addressOrNull(t.to) };
  });
  const lookups: LookupEntry[] = log.lookups.map(([method, args, answer]) => {
    let a = args;
    if (method === 'tx' || method === 'txTransfers' || method === 'txLogs') a = [p.txid(String(args[0]))];
    else if (method === 'spender') a = [p.txid(String(args[0])), args[1]!];
    else if (['addressTxs', 'addressTxCount', 'ledger', 'ledgerSize'].includes(method))
      a = [p.address(String(args[0])), ...args.slice(1)];
    let ans = answer;
    if (method === 'spender' && 'v' in answer && answer.v !== null) {
      const s = answer.v as { txid: string; inputIndex: number };
      ans = { v: { ...s, txid: p.txid(s.txid) } };
    }
    return [method, a, ans];
  });
  const key = (e: LookupEntry) => JSON.stringify([e[0], ...e[1]]);
  lookups.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  return { ...log, records, ...(log.logs ? { logs: redactLogs(log, p) } : {}), lookups };
}

/**
 * Event logs with identifiers pseudonymised: tx and emitter as everywhere, and every ABI word
 * (topic, or 32-byte word of data) that holds an EVM address the case knows (transfers, lookups,
 * emitters) replaced by Pseudonymizer.addressWord. An address that appears only inside a log's
 * words, never as a transfer side or lookup, is not known to be an address and stays.
 */
function redactLogs(log: LookupLog, p: Pseudonymizer): TxLog[] {
  const words = new Map<string, string>();
  for (const a of logAddresses(log)) {
    if (/^0x[0-9a-fA-F]{40}$/.test(a))
      words.set(`${'0'.repeat(24)}${a.slice(2).toLowerCase()}`, p.addressWord(a));
  }
  const word = (w: string) => words.get(w) ?? w;
  return (log.logs ?? []).map((l) => ({
    ...l,
    tx: p.txid(l.tx),
    address: p.address(l.address),
    topics: l.topics.map((t) => `0x${word(t.slice(2))}`),
    data: `0x${l.data.slice(2).replace(/[0-9a-f]{64}/g, word)}`,
  }));
}

export function redactLabels(labels: readonly Label[], p: Pseudonymizer): Label[] {
  return labels.map((l) => {
    const address = p.address(l.address);
    if (address === l.address) return { ...l };
    const { note: _note, ...rest } = l;
    return {
      ...rest,
      address,
      entity: l.category === 'individual' ? `person-${address.slice(5, 13)}` : l.entity,
    };
  });
}

/**
 * The salt for `--redact`: FUNDTRACE_REDACT_SALT when set; else the file `<case>.salt` beside the
 * case directory (outside it) when it exists; else a new random salt written there (mode 0600).
 */
export async function redactionSalt(
  caseDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ salt: string; from: string }> {
  const fromEnv = env.FUNDTRACE_REDACT_SALT;
  if (fromEnv) return { salt: fromEnv, from: 'FUNDTRACE_REDACT_SALT' };
  const file = `${caseDir.replace(/[\\/]+$/, '')}.salt`;
  try {
    const s = (await readFile(file, 'utf8')).trim();
    if (s) return { salt: s, from: file };
  } catch {
    // no salt file yet: make one
  }
  const salt = randomBytes(32).toString('hex');
  await writeFile(file, salt + '\n', { mode: 0o600 });
  return { salt, from: file };
}

/**
 * Replaces identifiers inside free text and keys: every alphanumeric token that is a known address
 * or tx id becomes its pseudonym (node keys `chain:address`, edge keys `chain:tx:index`, warnings).
 */
export function tokenMapper(p: Pseudonymizer, addresses: Iterable<string>, txids: Iterable<string>) {
  const map = new Map<string, string>();
  for (const a of addresses) map.set(a, p.address(a));
  for (const t of txids) map.set(t, p.txid(t));
  return (s: string) => s.replace(/[A-Za-z0-9]+/g, (tok) => map.get(tok) ?? tok);
}

/** Deep copy with every string passed through `f` (bigints, numbers, booleans kept). */
function mapStrings<T>(v: T, f: (s: string) => string): T {
  if (typeof v === 'string') return f(v) as T;
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f)) as T;
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f)])) as T;
  return v;
}

/**
 * The same result with identifiers pseudonymised: the graph is rebuilt under the new keys and the
 * summary and exposure recomputed from it, so every figure is the original's and every list is in
 * the order the new keys give (as `fundtrace trace` would print it).
 */
export function redactResult(r: TraceResult, p: Pseudonymizer, f: (s: string) => string): TraceResult {
  const o = r.outcome;
  const g = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>();
  o.graph.forEachNode((key, a) => {
    const { labels, ...rest } = a;
    g.addNode(f(key), {
      ...mapStrings(rest, f),
      address: p.address(a.address),
      labels: redactLabels(labels, p),
    });
  });
  o.graph.forEachEdge((key, a, source, target) => {
    g.addDirectedEdgeWithKey(f(key), f(source), f(target), { ...mapStrings(a, f), tx: p.txid(a.tx) });
  });
  const outcome: TraceOutcome = {
    ...o,
    graph: g,
    terminals: o.terminals.map((t) => mapStrings(t, f)),
    warnings: o.warnings.map(f),
    missing: mapStrings(o.missing, f),
    findings: o.findings.map((x) => mapStrings(x, f)),
  };
  const query = {
    ...r.query,
    seed: p.seed(r.query.seed, r.query.seedKind),
    sources: r.query.sources.map((s) => redactSpec(p, s)),
    labels: r.query.labels.map((l) => p.name('labels', l)),
  };
  // r.warnings = engine warnings, then extras (label loading), then buildResult's own (cut, checks).
  const own = buildResult(r.generator, r.query, o).warnings.length - o.warnings.length;
  const extra = r.warnings.slice(o.warnings.length, r.warnings.length - own).map(f);
  return buildResult(r.generator, query, outcome, extra);
}

/**
 * A source spec in a redacted case: a dataset file's name (which may name the victim) becomes a
 * pseudonym; a remote source keeps its URL (credentials were removed before), a replayed case the
 * spec it was made from (already redacted when that case was).
 */
export function redactSpec(p: Pseudonymizer, spec: string): string {
  if (/^[a-z]+:/.test(spec) && !/^[a-zA-Z]:[\\/]/.test(spec)) return spec;
  return /^dataset-[0-9a-f]{12}$/.test(spec) ? spec : p.name('dataset', spec);
}
