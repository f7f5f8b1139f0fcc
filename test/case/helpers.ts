// Case tests: run the real `fundtrace trace` in-process over a dataset whose view is recorded
// (a test-only `rec:` source kind), then make a case from that recording.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addSourceKind, openAnySource } from '../../src/app/sources.js';
import { type Recording, recordView } from '../../src/case/recording.js';
import { labelIndex, queryFromJson, rerunTrace } from '../../src/case/rerun.js';
import { type WriteCaseOptions, writeCase } from '../../src/case/write.js';
import type { TraceResult } from '../../src/core/result.js';
import { DEFAULT_POLICY } from '../../src/labels/taxonomy.js';
import type { DocQuery } from '../../src/report/export/doc.js';
import { renderJson } from '../../src/report/json.js';
import type { OpenedSource } from '../../src/sources/open.js';
import { type CliRun, cli, ROOT } from '../helpers.js';

export const SAMPLE_BTC = join(ROOT, 'samples', 'ransomware-btc.json');
export const SAMPLE_ETH = join(ROOT, 'samples', 'phishing-eth.json');
export const BTC_SEED = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
export const ETH_USDT_SEED = '0xad42f9f4bf2f169806b5ddeea99b4c51be2bbe559a94bbf56827e3c723fcb084';

const opened = new Map<string, { src: OpenedSource; recording: Recording }>();
let registered = false;

/** `rec:PATH` opens the dataset at PATH with its view recorded. */
export function registerRecordingSource(): void {
  if (registered) return;
  registered = true;
  addSourceKind('rec', async (rest, spec, ctx) => {
    const inner = await openAnySource(rest, ctx);
    const recording = recordView(inner.view);
    const src: OpenedSource = { ...inner, view: recording.view };
    opened.set(spec, { src: inner, recording });
    return src;
  });
}

export interface Traced {
  /** The trace command's JSON output. */
  json: string;
  result: TraceResult;
  source: OpenedSource;
  recording: Recording;
  caseOptions: Omit<WriteCaseOptions, 'force' | 'redact'>;
}

/** Run `fundtrace trace SEED --source rec:PATH ARGS --format json` and rebuild its TraceResult. */
export async function traceRecorded(path: string, seed: string, args: string[] = []): Promise<Traced> {
  registerRecordingSource();
  const spec = `rec:${path}`;
  const r = await cli(['trace', seed, '--source', spec, '--no-label-dir', ...args, '--format', 'json']);
  if (r.status !== 0) throw new Error(`trace failed (${r.status}): ${r.stderr}`);
  const { src, recording } = opened.get(spec)!;
  opened.delete(spec);
  const doc = JSON.parse(r.stdout) as { query: DocQuery; generator: TraceResult['generator'] };
  // Rebuild the TraceResult the command printed, from the source's own (unrecorded) view.
  const ctx = { labels: src.labels, categories: DEFAULT_POLICY, warnings: [] };
  const result = await rerunTrace(src.view, queryFromJson(doc.query), ctx, doc.generator);
  if (renderJson(result) !== r.stdout)
    throw new Error(
      'the case re-run does not build the trace the way `fundtrace trace` does (src/case/rerun.ts)',
    );
  return {
    json: r.stdout,
    result,
    source: src,
    recording,
    caseOptions: {
      result,
      source: src,
      recording,
      labelsOf: labelIndex(src.labels),
      now: new Date('2024-05-01T12:00:00Z'),
    },
  };
}

export const tempDir = (prefix = 'fundtrace-case-') => mkdtemp(join(tmpdir(), prefix));

export async function sampleCase(dir?: string, args: string[] = ['--hops', '10']) {
  const t = await traceRecorded(SAMPLE_BTC, BTC_SEED, args);
  const target = dir ?? join(await tempDir(), 'case');
  const written = await writeCase(target, t.caseOptions);
  return { ...t, dir: target, written };
}

/** `fundtrace ARGS` in-process (the shared test helper, with an isolated label directory and cache). */
export const ftcli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> => cli(args, env);
