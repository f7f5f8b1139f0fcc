// `--source case:DIR`: replay the evidence saved in a case directory, with no network. The view
// answers every lookup the original trace made exactly as it was answered then; anything else
// answers "missing" (a path the evidence does not cover is cut by missing data).
//
// The source describes itself with the original source's spec, so the re-run's `query.sources`
// (and so result.json) is the same as when the case was made.
import type { OpenedSource } from '../sources/open.js';
import { replayView } from './replay.js';
import { loadEvidence } from './verify.js';

export async function openCaseSource(dir: string, spec: string): Promise<OpenedSource> {
  const ev = await loadEvidence(dir);
  const original = ev.manifest.sources[0];
  const { view } = replayView(ev.log);
  const asOf = original?.asOf ?? null;
  return {
    spec,
    kind: 'case',
    chain: ev.log.chain,
    view,
    labels: [...ev.labels.labels],
    // The extra warnings the original trace carried (source notes, label loading): a replay that
    // loads no further labels then prints the same warnings.
    warnings: () => [...ev.labels.warnings],
    // Made with --fiat: its recorded prices value a replay given --fiat without --prices.
    ...(ev.fiat ? { prices: ev.fiat.prices } : {}),
    description: `replay of case ${dir}${original ? ` (made from ${original.spec})` : ''}`,
    describe: () => ({
      spec: original?.spec ?? spec,
      kind: 'case',
      ...(asOf ? { asOf: { height: asOf.height, ...(asOf.time ? { time: asOf.time } : {}) } } : {}),
    }),
  };
}
