// The trace JSON (`--format json`, a case's result.json) read back as the input of the graph
// exports and the reports: they work from a case directory or a saved result alike, and in-process
// from `toJsonObject(result)`. Only the fields the renderers read are typed; the rest pass through.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../../core/errors.js';
import type { TraceResult } from '../../core/result.js';
import type { DocBridgeLink, DocConversion, DocTrail, TraceDoc } from '../doc-types.js';
import { SCHEMA, toJsonObject } from '../json.js';
import { termSafe } from '../sanitize.js';

export type {
  DocAmount,
  DocBridgeLink,
  DocBridgeTerminal,
  DocConversion,
  DocEdge,
  DocExposureItem,
  DocLabel,
  DocNode,
  DocQuery,
  DocTrail,
  TraceDoc,
} from '../doc-types.js';

/** The document of an in-memory result (same bytes as `renderJson` once stringified). */
export const docOf = (r: TraceResult): TraceDoc => toJsonObject(r);

/** Check the parts of a parsed trace JSON the renderers rely on; throws BAD_INPUT with a JSON pointer. */
export function checkDoc(data: unknown, where: string): TraceDoc {
  const bad = (pointer: string, what: string) =>
    inputError(`${termSafe(where)}: not a fundtrace trace result: ${pointer || '/'} ${what}`);
  const obj = (v: unknown, p: string) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(p, 'is not an object');
    return v as Record<string, unknown>;
  };
  const arr = (v: unknown, p: string) => {
    if (!Array.isArray(v)) throw bad(p, 'is not a list');
    return v as unknown[];
  };
  const str = (v: unknown, p: string) => {
    if (typeof v !== 'string') throw bad(p, 'is not a string');
  };
  const num = (v: unknown, p: string) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(p, 'is not a whole number');
  };
  const amount = (v: unknown, p: string) => {
    const a = obj(v, p);
    if (typeof a.value !== 'string' || !/^-?\d+$/.test(a.value)) throw bad(`${p}/value`, 'is not an amount');
    str(a.asset, `${p}/asset`);
    num(a.decimals, `${p}/decimals`);
  };
  const d = obj(data, '');
  // `--asset all` (src/report/multi.ts): read it with checkDocs, which splits it per asset.
  const summary = d.summary as Record<string, unknown> | undefined;
  if (summary && Array.isArray(summary.perAsset)) {
    throw inputError(
      `${termSafe(where)}: an --asset all result (one summary per asset) where one asset's result is expected`,
    );
  }
  if (d.schema !== SCHEMA) throw bad('/schema', `is not "${SCHEMA}"`);
  const q = obj(d.query, '/query');
  str(q.seed, '/query/seed');
  str(q.chain, '/query/chain');
  const s = obj(d.summary, '/summary');
  amount(s.traced, '/summary/traced');
  obj(s.terminals, '/summary/terminals');
  arr(s.exits, '/summary/exits');
  arr(s.atRest, '/summary/atRest');
  const ex = obj(d.exposure, '/exposure');
  arr(ex.direct, '/exposure/direct');
  arr(ex.indirect, '/exposure/indirect');
  arr(ex.buckets, '/exposure/buckets');
  const g = obj(d.graph, '/graph');
  const nodes = arr(g.nodes, '/graph/nodes');
  const keys = new Set<string>();
  nodes.forEach((n, i) => {
    const p = `/graph/nodes/${i}`;
    const o = obj(n, p);
    str(o.key, `${p}/key`);
    keys.add(o.key as string);
    const a = obj(o.attributes, `${p}/attributes`);
    str(a.address, `${p}/attributes/address`);
    num(a.hop, `${p}/attributes/hop`);
    arr(a.labels, `${p}/attributes/labels`);
    amount(a.tainted, `${p}/attributes/tainted`);
    amount(a.received, `${p}/attributes/received`);
    amount(a.sent, `${p}/attributes/sent`);
  });
  arr(g.edges, '/graph/edges').forEach((e, i) => {
    const p = `/graph/edges/${i}`;
    const o = obj(e, p);
    str(o.key, `${p}/key`);
    for (const end of ['source', 'target'] as const) {
      str(o[end], `${p}/${end}`);
      if (!keys.has(o[end] as string)) throw bad(`${p}/${end}`, 'names no node of the graph');
    }
    const a = obj(o.attributes, `${p}/attributes`);
    str(a.tx, `${p}/attributes/tx`);
    num(a.hop, `${p}/attributes/hop`);
    amount(a.value, `${p}/attributes/value`);
    amount(a.tainted, `${p}/attributes/tainted`);
  });
  arr(d.warnings, '/warnings');
  return d as unknown as TraceDoc;
}

/**
 * A trace result as one document per asset: `[doc]` for a single-asset result, and for an
 * `--asset all` result (src/report/multi.ts) each asset's own result rebuilt from it: its summary
 * and exposure entries, its edges, its nodes with that asset's amounts, hop, seed flag and stop,
 * its warnings. Each part is checked like any result.
 */
export function checkDocs(data: unknown, where: string): TraceDoc[] {
  const d = data as Record<string, unknown> | null;
  const summary = (d && typeof d === 'object' ? d.summary : undefined) as Record<string, unknown> | undefined;
  if (!summary || typeof summary !== 'object' || !Array.isArray(summary.perAsset))
    return [checkDoc(data, where)];
  const bad = (what: string) => inputError(`${termSafe(where)}: not a fundtrace --asset all result: ${what}`);
  const q = d!.query as Record<string, unknown> & { assets?: unknown };
  const exposure = d!.exposure as { perAsset?: unknown } | undefined;
  const graph = d!.graph as { nodes?: unknown; edges?: unknown } | undefined;
  const assets = q?.assets;
  if (!Array.isArray(assets) || assets.length !== summary.perAsset.length)
    throw bad('/query/assets does not match /summary/perAsset');
  if (!Array.isArray(exposure?.perAsset) || exposure.perAsset.length !== assets.length)
    throw bad('/exposure/perAsset does not match /query/assets');
  if (!Array.isArray(graph?.nodes) || !Array.isArray(graph.edges))
    throw bad('/graph has no nodes and edges lists');
  const warnings = Array.isArray(d!.warnings)
    ? (d!.warnings as unknown[]).filter((w) => typeof w === 'string')
    : [];
  const trail = readTrail(d!, assets, where);
  return assets.map((asset, i) => {
    const a = asset as { key?: unknown; symbol?: unknown };
    if (typeof a?.key !== 'string' || typeof a.symbol !== 'string')
      throw bad(`/query/assets/${i} has no key and symbol`);
    const { asset: _s, ...partSummary } = (summary.perAsset as Record<string, unknown>[])[i]!;
    const { asset: _e, ...partExposure } = (exposure.perAsset as Record<string, unknown>[])[i]!;
    // A part on another chain (a bridge followed) names it; its edges are that chain's.
    const chain =
      typeof (a as { chain?: unknown }).chain === 'string' ? (a as { chain: string }).chain : undefined;
    const edges = (graph.edges as { key?: unknown; attributes?: { asset?: unknown } }[]).filter(
      (e) =>
        e?.attributes?.asset === a.key &&
        (chain === undefined || (typeof e.key === 'string' && e.key.startsWith(`${chain}:`))),
    );
    const nodes: unknown[] = [];
    for (const n of graph.nodes as { key: string; attributes: Record<string, unknown> }[]) {
      const at = n?.attributes;
      const per = Array.isArray(at?.perAsset)
        ? (at.perAsset[i] as { hop: number; seed: boolean; stop: string | null } | null)
        : undefined;
      if (per === undefined) throw bad(`/graph/nodes: node ${termSafe(String(n?.key))} has no perAsset list`);
      if (per === null) continue;
      const pick = (k: string) => (Array.isArray(at[k]) ? (at[k] as unknown[])[i] : undefined);
      const { perAsset: _p, ...rest } = at;
      nodes.push({
        key: n.key,
        attributes: {
          ...rest,
          hop: per.hop,
          seed: per.seed,
          stop: per.stop,
          received: pick('received'),
          sent: pick('sent'),
          tainted: pick('tainted'),
        },
      });
    }
    const { assets: _a, perAsset, ...query } = q as typeof q & { perAsset?: unknown };
    const own = Array.isArray(perAsset) ? (perAsset[i] as Record<string, unknown> | undefined) : undefined;
    if (!own || typeof own !== 'object') throw bad(`/query/perAsset/${i} is missing`);
    if (own.limits !== undefined) query.limits = own.limits;
    if (own.options !== undefined) query.options = own.options;
    if (Array.isArray(own.sources)) query.sources = own.sources;
    const prefix = `${a.symbol}${chain !== undefined ? ` on ${chain}` : ''}: `;
    const { chain: _chain, ...plainAsset } = asset as Record<string, unknown>;
    const part = {
      schema: d!.schema,
      generator: d!.generator,
      query: {
        ...query,
        asset: chain !== undefined ? plainAsset : asset,
        ...(chain !== undefined ? { chain } : {}),
      },
      summary: partSummary,
      exposure: partExposure,
      graph: { nodes, edges },
      warnings: warnings.filter((w) => w.startsWith(prefix)).map((w) => w.slice(prefix.length)),
    };
    const doc = checkDoc(part, `${where} (asset ${a.symbol})`);
    return trail ? { ...doc, trail } : doc;
  });
}

/**
 * The top-level `conversions` and `bridges` of a trace that followed them (src/report/json.ts
 * toMultiJsonObject), checked field by field: a result file may come from anyone, and these name
 * the amounts and identifiers a report prints. Undefined for an `--asset all` result.
 */
function readTrail(d: Record<string, unknown>, assets: unknown[], where: string): DocTrail | undefined {
  const q = d.query as Record<string, unknown>;
  if (!('conversions' in d) && !('bridges' in d)) return undefined;
  const bad = (pointer: string, what: string) =>
    inputError(`${termSafe(where)}: not a fundtrace trace result: ${pointer} ${what}`);
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const need = (
    v: unknown,
    p: string,
    kind: 'string' | 'number' | 'object' | 'amount' | 'list' | 'nstring',
  ) => {
    const ok =
      kind === 'string'
        ? typeof v === 'string'
        : kind === 'nstring'
          ? v === null || typeof v === 'string'
          : kind === 'number'
            ? Number.isInteger(v)
            : kind === 'list'
              ? Array.isArray(v)
              : kind === 'object'
                ? isObj(v)
                : isObj(v) && typeof v.value === 'string' && /^-?\d+$/.test(v.value);
    if (!ok)
      throw bad(
        p,
        kind === 'amount' ? 'is not an amount' : `is not a ${kind === 'nstring' ? 'string or null' : kind}`,
      );
  };
  const conversions = d.conversions ?? [];
  need(conversions, '/conversions', 'list');
  (conversions as unknown[]).forEach((c, i) => {
    const p = `/conversions/${i}`;
    need(c, p, 'object');
    const o = c as Record<string, unknown>;
    for (const k of ['edge', 'node', 'tx', 'via']) need(o[k], `${p}/${k}`, 'string');
    need(o.hop, `${p}/hop`, 'number');
    for (const side of ['from', 'to']) {
      need(o[side], `${p}/${side}`, 'object');
      const x = o[side] as Record<string, unknown>;
      need(x.asset, `${p}/${side}/asset`, 'string');
      need(x.value, `${p}/${side}/value`, 'amount');
      need(x.tainted, `${p}/${side}/tainted`, 'amount');
    }
    need(o.evidence, `${p}/evidence`, 'list');
  });
  const bridges = d.bridges ?? [];
  need(bridges, '/bridges', 'list');
  (bridges as unknown[]).forEach((b, i) => {
    const p = `/bridges/${i}`;
    need(b, p, 'object');
    const o = b as Record<string, unknown>;
    for (const k of ['protocol', 'key', 'identifier']) need(o[k], `${p}/${k}`, 'string');
    for (const side of ['from', 'to']) {
      need(o[side], `${p}/${side}`, 'object');
      const x = o[side] as Record<string, unknown>;
      need(x.chain, `${p}/${side}/chain`, 'string');
      need(x.tx, `${p}/${side}/tx`, 'string');
      need(x.edge, `${p}/${side}/edge`, 'nstring');
      need(x.tainted, `${p}/${side}/tainted`, 'amount');
    }
    need((o.from as Record<string, unknown>).deposit, `${p}/from/deposit`, 'amount');
    need((o.to as Record<string, unknown>).recipient, `${p}/to/recipient`, 'string');
    need((o.to as Record<string, unknown>).value, `${p}/to/value`, 'amount');
  });
  const start = q.asset as { key?: unknown; symbol?: unknown } | undefined;
  const chains = new Set(assets.map((a) => (a as { chain?: unknown }).chain ?? q.chain));
  return {
    start: {
      key: typeof start?.key === 'string' ? start.key : '',
      symbol: typeof start?.symbol === 'string' ? start.symbol : '',
      chain: String(q.chain),
    },
    crossChain: chains.size > 1,
    conversions: conversions as DocConversion[],
    bridges: bridges as DocBridgeLink[],
  };
}

/** A trace result on disk: a case directory (its result.json) or a result JSON file. */
export interface LoadedInput {
  /** One document per asset: one for a single-asset result, several for `--asset all`. */
  docs: TraceDoc[];
  /** The case directory, when the input was a case. */
  caseDir?: string;
  /** The parsed manifest.json of the case (untyped here: see src/case/manifest.ts). */
  manifestText?: string;
}

export async function loadTraceInput(path: string): Promise<LoadedInput> {
  let isDir = false;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (e) {
    throw inputError(
      `cannot read ${termSafe(path)} (${(e as NodeJS.ErrnoException).code ?? 'error'}): give a case directory or a trace result JSON file`,
    );
  }
  const file = isDir ? join(path, 'result.json') : path;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw inputError(
      `cannot read ${termSafe(file)} (${(e as NodeJS.ErrnoException).code ?? 'error'})${isDir ? ': is this a case directory?' : ''}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw inputError(`${termSafe(file)} is not valid JSON (${(e as Error).message})`);
  }
  const docs = checkDocs(data, file);
  if (!isDir) return { docs };
  let manifestText: string | undefined;
  try {
    manifestText = await readFile(join(path, 'manifest.json'), 'utf8');
  } catch {
    manifestText = undefined;
  }
  return { docs, caseDir: path, ...(manifestText !== undefined ? { manifestText } : {}) };
}
