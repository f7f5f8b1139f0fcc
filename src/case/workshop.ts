// `case redact --workshop`: a teaching copy that cannot be looked up on a block explorer. On top of
// the pseudonyms, every time is shifted by a whole number of days and every height by a number of
// blocks (both derived from the salt, so the same salt shifts alike), and every amount is rounded
// down to a coarse unit (a thousandth of a coin). Order, hops and the shape of the flows are kept;
// exact figures are not, so such a copy is NOT EVIDENCE: the manifest says so, result.json's first
// warning says so (shown by every rendering), and `case verify` checks only its hashes.
import { createHash } from 'node:crypto';
import { MultiDirectedGraph } from 'graphology';
import { buildResult, type TraceResult } from '../core/result.js';
import type { EdgeAttributes, NodeAttributes, TraceOutcome } from '../core/trace-types.js';
import type { LookupLog } from './recording.js';

export const NOT_EVIDENCE =
  'NOT EVIDENCE: workshop copy (fundtrace case redact --workshop): times and heights shifted, amounts rounded down; use the original case for any finding';

export interface WorkshopShift {
  /** Days added to every time. */
  days: number;
  /** Blocks added to every height. */
  blocks: number;
  /** Amounts are rounded down to a multiple of this (base units). */
  unit: bigint;
}

export function workshopShift(salt: string, decimals: number): WorkshopShift {
  const h = createHash('sha256').update('workshop\u0000').update(salt).digest();
  return {
    days: 100 + (h.readUInt32BE(0) % 900),
    blocks: 10_000 + (h.readUInt32BE(4) % 90_000),
    unit: 10n ** BigInt(Math.max(0, decimals - 3)),
  };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

function shiftTime(t: string, s: WorkshopShift): string {
  if (!ISO.test(t)) return t;
  const d = new Date(Date.parse(t) + s.days * 86_400_000);
  return t.includes('.') ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const AMOUNT_KEYS = new Set(['value', 'amount', 'tainted', 'received', 'sent', 'traced', 'fee']);
const TIME_KEYS = new Set(['time', 'timestamp']);

/** Deep copy: bigints (and decimal strings under amount keys) rounded, times and heights shifted. */
function shiftDeep<T>(v: T, s: WorkshopShift, key = ''): T {
  if (typeof v === 'bigint') return ((v / s.unit) * s.unit) as T;
  if (typeof v === 'string') {
    if (TIME_KEYS.has(key)) return shiftTime(v, s) as T;
    if (AMOUNT_KEYS.has(key) && /^\d+$/.test(v)) return ((BigInt(v) / s.unit) * s.unit).toString() as T;
    return v;
  }
  if (typeof v === 'number' && key === 'height') return (v + s.blocks) as T;
  if (Array.isArray(v)) return v.map((x) => shiftDeep(x, s, key)) as T;
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shiftDeep(x, s, k)])) as T;
  return v;
}

export function workshopLog(log: LookupLog, s: WorkshopShift): LookupLog {
  return shiftDeep(log, s);
}

/** The result with times and heights shifted and amounts rounded; totals re-added so they agree. */
export function workshopResult(r: TraceResult, s: WorkshopShift): TraceResult {
  const o = r.outcome;
  const g = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>();
  o.graph.forEachNode((key, a) => {
    g.addNode(key, shiftDeep(a, s));
  });
  o.graph.forEachEdge((key, a, source, target) => {
    g.addDirectedEdgeWithKey(key, source, target, shiftDeep(a, s));
  });
  const terminals = o.terminals.map((t) => shiftDeep(t, s));
  const outcome: TraceOutcome = {
    ...o,
    graph: g,
    terminals,
    // Each terminal is rounded down: the traced total is their sum, so the copy still adds up.
    traced: terminals.reduce((a, t) => a + t.amount, 0n),
    findings: o.findings.map((f) => shiftDeep(f, s)),
  };
  const q = r.query;
  const bound = (b: typeof q.since) =>
    b === null
      ? null
      : b.kind === 'height'
        ? { ...b, height: b.height + s.blocks }
        : { ...b, time: shiftTime(b.time, s) };
  const query = {
    ...q,
    since: bound(q.since),
    until: bound(q.until),
    minValue: (q.minValue / s.unit) * s.unit,
  };
  const own = buildResult(r.generator, r.query, o).warnings.length - o.warnings.length;
  const extra = r.warnings.slice(o.warnings.length, r.warnings.length - own);
  const out = buildResult(r.generator, query, { ...outcome, warnings: [NOT_EVIDENCE, ...o.warnings] }, extra);
  return out;
}
