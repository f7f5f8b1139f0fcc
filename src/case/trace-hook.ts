// The trace command's side of `--case DIR` (and `--redact`): check the target before tracing, hand
// the engine a recording view, write the case after. See the wiring in the issue notes.
import { join } from 'node:path';
import type { Label } from '../core/model.js';
import type { TraceResult } from '../core/result.js';
import type { ChainView } from '../core/view.js';
import type { CategoryPolicy } from '../labels/taxonomy.js';
import type { OpenedSource } from '../sources/open.js';
import type { RecordedResponse } from './evidence.js';
import type { CaseFiat } from './fiat.js';
import { recordView } from './recording.js';
import { redactionSalt } from './redact.js';
import { checkCaseTarget, type WrittenCase, writeCase } from './write.js';

export interface CaseHookOptions {
  source: OpenedSource;
  force?: boolean;
  redact?: boolean;
  env: NodeJS.ProcessEnv;
  /** Literal credentials (--api-key, ETHERSCAN_API_KEY …) that must appear in no file. */
  secrets?: readonly string[];
}

export interface CaseSession {
  /** Trace over this view instead of `source.view` (it records every lookup). */
  view: ChainView;
  /** Where the redaction salt came from, when --redact. */
  saltFrom?: string;
  write(
    result: TraceResult,
    labels: {
      labelsOf: (address: string) => readonly Label[];
      categories?: CategoryPolicy;
      /** Every extra warning passed to buildResult (label loading, `src.warnings()`). */
      warnings?: readonly string[];
      files?: { path: string; entries: number }[];
    },
    httpResponses?: readonly RecordedResponse[],
    /** `--fiat`: the prices the result's money values used. */
    fiat?: CaseFiat,
    /** `--asset all`: this asset's case goes into DIR/<sub> (one whole case per asset). */
    sub?: string,
  ): Promise<WrittenCase>;
}

export async function startCase(dir: string, o: CaseHookOptions): Promise<CaseSession> {
  await checkCaseTarget(dir, o.force);
  const salt = o.redact ? await redactionSalt(dir, o.env) : undefined;
  const recording = recordView(o.source.view);
  const now = new Date();
  return {
    view: recording.view,
    ...(salt ? { saltFrom: salt.from } : {}),
    // One recording serves every asset of an --asset all trace: each asset's case holds what the
    // traces so far looked at (its own reads included), so each replays and verifies on its own.
    write: (result, labels, httpResponses, fiat, sub) =>
      writeCase(sub === undefined ? dir : join(dir, sub), {
        result,
        source: o.source,
        recording,
        labelsOf: labels.labelsOf,
        ...(labels.categories ? { categories: labels.categories } : {}),
        extraWarnings: labels.warnings ?? [],
        labelFiles: labels.files ?? [],
        force: o.force,
        ...(salt ? { redact: { salt: salt.salt } } : {}),
        secrets: o.secrets ?? [],
        httpResponses: httpResponses ?? [],
        ...(fiat ? { fiat } : {}),
        now,
      }),
  };
}
