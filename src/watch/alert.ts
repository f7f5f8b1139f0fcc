// Alert documents (schema "fundtrace-alert/1", documented in the README "Watch" section).
// Amounts are decimal strings of base units (bigint), never floats. The id is stable: the same
// rule firing on the same transaction at the same address always has the same id, so a
// receiver de-duplicates deliveries by it.
import { createHash } from 'node:crypto';
import type { TraceResult } from '../core/result.js';

export const ALERT_SCHEMA = 'fundtrace-alert/1';

export type AlertRule = 'movement' | 'arrival' | 'labels';

/** sha256 of rule, chain, transaction and address; a re-raise after a retraction adds ".N". */
export function alertId(rule: string, chain: string, tx: string, address: string, generation = 0): string {
  const base = createHash('sha256').update(`${rule}\n${chain}\n${tx}\n${address}`).digest('hex');
  return generation > 0 ? `${base}.${generation}` : base;
}

export const retractionId = (id: string) => createHash('sha256').update(`retract\n${id}`).digest('hex');

export interface AlertAmount {
  direction: 'in' | 'out';
  counterparty: string;
  asset: { key: string; symbol: string; decimals: number; contract?: string };
  amount: string;
}

export interface ExposureItemDoc {
  category: string;
  entity: string;
  value: string;
  sharePpm: string;
  minHops: number;
  /** Evidence: edge keys hop by hop from the credit back to the flagged cluster, with amounts. */
  paths: { edges: string[]; amount: string }[];
}

export interface ExposureDoc {
  model: string;
  hops: number;
  asset: string;
  traced: string;
  flagged: string;
  flaggedSharePpm: string;
  items: ExposureItemDoc[];
  warnings: string[];
}

export interface AlertDoc {
  schema: typeof ALERT_SCHEMA;
  type: 'alert' | 'retraction';
  id: string;
  rule: AlertRule;
  chain: string;
  address: string;
  name?: string;
  tx: string;
  block: { height: number; hash: string };
  amounts: AlertAmount[];
  exposure?: ExposureDoc;
  labels?: { counterparty: string; entity: string; category: string; source: string }[];
  retracts?: string;
  reason: string;
  firstSeen: string;
}

/** The flagged part of a backward trace from a credit, with its evidence paths. */
export function exposureDoc(r: TraceResult): ExposureDoc {
  const items = [...r.exposure.direct, ...r.exposure.indirect].filter((i) => i.flagged);
  const flagged = items.reduce((s, i) => s + i.value, 0n);
  const ppm = items.reduce((s, i) => s + i.sharePpm, 0n);
  return {
    model: r.query.model,
    hops: r.query.hops,
    asset: r.query.asset.symbol,
    traced: r.summary.traced.toString(),
    flagged: flagged.toString(),
    flaggedSharePpm: ppm.toString(),
    items: items.map((i) => ({
      category: i.category,
      entity: i.entity,
      value: i.value.toString(),
      sharePpm: i.sharePpm.toString(),
      minHops: i.minHops,
      paths: i.paths.map((p) => ({ edges: p.edges, amount: p.amount.toString() })),
    })),
    warnings: r.warnings,
  };
}

/** One JSON line: keys in a fixed order (the document is stored and signed as these bytes). */
export const alertJson = (a: AlertDoc): string => JSON.stringify(a);
