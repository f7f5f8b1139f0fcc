// The trace JSON (`--format json`, a case's result.json) read back as the input of the graph
// exports and the reports: they work from a case directory or a saved result alike, and in-process
// from `toJsonObject(result)`. Only the fields the renderers read are typed; the rest pass through.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../../core/errors.js';
import type { TraceResult } from '../../core/result.js';
import type { TraceDoc } from '../doc-types.js';
import { SCHEMA, toJsonObject } from '../json.js';
import { termSafe } from '../sanitize.js';

export type {
  DocAmount,
  DocEdge,
  DocExposureItem,
  DocLabel,
  DocNode,
  DocQuery,
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
  // `--asset all` (src/report/multi.ts): one summary per asset. The renderers read one asset's
  // result; say so plainly instead of failing on the first field that differs.
  const summary = d.summary as Record<string, unknown> | undefined;
  if (summary && Array.isArray(summary.perAsset)) {
    const q = d.query as { assets?: { symbol?: unknown }[] } | undefined;
    const symbols = (q?.assets ?? []).map((a) => String(a?.symbol ?? '?'));
    throw inputError(
      `${termSafe(where)}: an --asset all result (one summary per asset): exports and reports read one asset's result; trace again with --asset SYMBOL${symbols.length ? ` (${termSafe(symbols.join(', '))})` : ''}`,
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

/** A trace result on disk: a case directory (its result.json) or a result JSON file. */
export interface LoadedInput {
  doc: TraceDoc;
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
  const doc = checkDoc(data, file);
  if (!isDir) return { doc };
  let manifestText: string | undefined;
  try {
    manifestText = await readFile(join(path, 'manifest.json'), 'utf8');
  } catch {
    manifestText = undefined;
  }
  return { doc, caseDir: path, ...(manifestText !== undefined ? { manifestText } : {}) };
}
