// Evidence files besides the lookup log: the labels the trace consulted, and raw HTTP bodies of
// remote sources (recorded through the HTTP client's response hook).
import { inputError } from '../core/errors.js';
import type { Label } from '../core/model.js';

export const LABELS_FORMAT = 'fundtrace-case-labels/1';

export interface LabelEvidence {
  format: typeof LABELS_FORMAT;
  chain: string;
  /** The category policy in force: which categories stop a trace as flagged, which as services. */
  categories: { flagged: string[]; service: string[] };
  /** The result's extra warnings (label loading, source notes), which a re-run adds again. */
  warnings: string[];
  labels: Label[];
}

/**
 * Every label on the addresses the trace could have asked about, by address, each address's labels
 * in the order the lookup gave them (node attributes list them in that order, so a replay must too).
 */
export function usedLabels(
  chain: string,
  addresses: Iterable<string>,
  labelsOf: (address: string) => readonly Label[],
): Label[] {
  const out: Label[] = [];
  for (const a of [...new Set(addresses)].sort()) {
    for (const l of labelsOf(a)) out.push({ ...l, chain, address: a });
  }
  return out;
}

export function checkLabelEvidence(data: unknown, where: string): LabelEvidence {
  const d = data as Partial<LabelEvidence>;
  if (
    typeof d !== 'object' ||
    d === null ||
    d.format !== LABELS_FORMAT ||
    !Array.isArray(d.labels) ||
    !Array.isArray(d.warnings) ||
    !Array.isArray(d.categories?.flagged) ||
    !Array.isArray(d.categories?.service)
  )
    throw inputError(`${where}: not a fundtrace label evidence file (${LABELS_FORMAT})`);
  for (const l of d.labels) {
    if (typeof l?.address !== 'string' || typeof l.entity !== 'string' || typeof l.category !== 'string')
      throw inputError(`${where}: a label lacks address, entity or category`);
  }
  return d as LabelEvidence;
}

/** One HTTP response a remote source used. `url` must already have credentials removed. */
export interface RecordedResponse {
  method: string;
  url: string;
  status: number | null;
  body: string;
  from: 'network' | 'cache' | null;
}

/**
 * Collects responses from the HTTP client's `onResponse` hook (proposed: see the case README in
 * the issue notes). Pass `recorder.onResponse` to the client, `recorder.responses()` to writeCase.
 */
export class HttpRecorder {
  private readonly list: RecordedResponse[] = [];
  readonly onResponse = (r: RecordedResponse): void => {
    this.list.push({ ...r });
  };
  responses(): RecordedResponse[] {
    return [...this.list];
  }
}

/** The label context a re-run needs, from the evidence file. */
export const labelContext = (e: LabelEvidence) => ({
  labels: e.labels,
  categories: { flagged: new Set(e.categories.flagged), service: new Set(e.categories.service) },
  warnings: e.warnings,
});
