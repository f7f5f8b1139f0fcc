// `fundtrace case …`: verify a case directory, show what it holds, make a redacted copy.

import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { revalue } from '../case/fiat.js';
import { sha256 } from '../case/manifest.js';
import { readCaseResult } from '../case/read.js';
import { recordView } from '../case/recording.js';
import { redactionSalt } from '../case/redact.js';
import { labelIndex, queryFromJson, rerunTrace } from '../case/rerun.js';
import { openCaseSource } from '../case/source.js';
import { loadEvidence, verifyCase } from '../case/verify.js';
import { writeCase } from '../case/write.js';
import { FundtraceError, inputError } from '../core/errors.js';
import { renderJson } from '../report/json.js';
import { termSafe } from '../report/sanitize.js';
import type { CliContext } from './context.js';

/** A case directory argument: one clear line when it is missing or not a directory. */
async function caseDirArg(dir: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw inputError(
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `case ${termSafe(dir)}: no such directory`
        : `case ${termSafe(dir)}: cannot be read (${code ?? 'error'})`,
    );
  }
  if (!isDir) throw inputError(`case ${termSafe(dir)}: is a file, not a case directory`);
}

export function registerCaseCommand(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('case')
    .summary('verify, inspect or redact a case directory (made with trace --case DIR)')
    .description(
      'A case directory holds the trace result, the evidence it was computed from (every lookup and its ' +
        'answer, the labels used, raw responses of remote sources) and a SHA-256 for every file.',
    )
    .addHelpText(
      'after',
      `
Examples:
  fundtrace trace <txid:vout> --source samples/ransomware-btc.json --case cases/darklock
  fundtrace case verify cases/darklock
  fundtrace case info cases/darklock
  fundtrace case redact cases/darklock cases/darklock-workshop`,
    );

  cmd
    .command('verify')
    .description(
      'check every hash, then re-run the trace from the evidence alone (no network) and confirm that ' +
        'result.json and the tables come out byte-identical. Exit 3 when anything differs.',
    )
    .argument('<dir>', 'case directory')
    .addHelpText(
      'after',
      `
Examples:
  fundtrace case verify cases/darklock          exit 0 and "identical", or exit 3 naming the first problem`,
    )
    .action(async (dir: string) => {
      await caseDirArg(dir);
      const v = await verifyCase(dir);
      const out: string[] = [`case ${termSafe(dir)}`];
      for (const f of v.checked) out.push(`  ok        ${termSafe(f)}`);
      for (const p of v.problems) {
        out.push(`  PROBLEM   ${termSafe(p.file)}: ${termSafe(p.message)}`);
        if (p.difference) {
          out.push(`            stored:  ${termSafe(p.difference.expected)}`);
          out.push(`            re-run:  ${termSafe(p.difference.actual)}`);
        }
      }
      for (const n of v.notes) out.push(`  note      ${termSafe(n)}`);
      if (v.replayed && v.manifest)
        out.push(
          `  re-run    from the evidence alone (${v.manifest.replay.lookupCount} recorded lookups, no network)${
            !v.ok
              ? ''
              : v.rerunIdentical
                ? ': identical'
                : ': not byte-identical (redacted case, see the note); every hash holds'
          }`,
        );
      if (v.caseHash) out.push(`case hash (SHA-256 of manifest.json): ${v.caseHash}`);
      ctx.io.out(out.map((l) => termSafe(l)).join('\n') + '\n');
      if (!v.ok) {
        const first = v.problems[0]!;
        throw new FundtraceError(
          'BAD_INPUT',
          `case ${termSafe(dir)} failed verification: ${v.problems.length} problem(s); first: ${termSafe(first.file)}: ${termSafe(first.message)}`,
        );
      }
      ctx.io.err(`fundtrace: case verified (${v.checked.length + 1} files, manifest.json included)\n`);
    });

  cmd
    .command('info')
    .description('show what a case holds: query, sources and their as-of tip, labels, files, case hash')
    .argument('<dir>', 'case directory')
    .addHelpText(
      'after',
      `
Examples:
  fundtrace case info cases/darklock`,
    )
    .action(async (dir: string) => {
      await caseDirArg(dir);
      const ev = await loadEvidence(dir);
      const m = ev.manifest;
      const q = m.query;
      const lines = [
        `case ${termSafe(dir)}`,
        `  made        ${m.created} by ${termSafe(m.tool.name)} ${termSafe(m.tool.version)}`,
        `  seed        ${termSafe(q.seed)} (${q.seedKind}) on ${termSafe(q.chain)}, ${q.direction}, ${q.hops} hops, model ${q.model}, asset ${termSafe(q.asset.symbol)}`,
        ...m.sources.map(
          (s) =>
            `  source      ${termSafe(s.spec)} (${s.kind})${s.asOf ? `, as of block ${s.asOf.height}${s.asOf.time ? ` (${s.asOf.time})` : ''}` : ''}`,
        ),
        `  labels      ${m.labels.stored} stored as evidence; ${m.labels.carriedBySource} carried by the source; files: ${m.labels.files.map((f) => `${termSafe(f.path)} (${f.entries}, sha256 ${f.sha256.slice(0, 16)}…)`).join(', ') || 'none'}`,
        `  evidence    ${m.replay.lookupCount} lookups, ${m.replay.recordCount} records; ${m.files.filter((f) => f.role === 'http-response').length} raw HTTP responses`,
        `  redacted    ${m.redaction ? `yes (salt fingerprint ${m.redaction.saltFingerprint})` : 'no'}`,
        ...(m.redaction?.workshop
          ? ['  NOT EVIDENCE  workshop copy: times and heights shifted, amounts rounded down']
          : []),
        `  files       ${m.files.length + 1}, manifest.json included (${m.files.reduce((a, f) => a + f.bytes, 0)} bytes besides manifest.json)`,
        `case hash (SHA-256 of manifest.json): ${sha256(ev.manifestText)}`,
      ];
      // The manifest may come from anyone: every line is made terminal-safe as a whole.
      ctx.io.out(lines.map((l) => termSafe(l)).join('\n') + '\n');
    });

  cmd
    .command('redact')
    .description(
      'write a copy of a case with addresses (except labelled services) and tx ids replaced by stable ' +
        'pseudonyms; figures are kept. The salt comes from FUNDTRACE_REDACT_SALT, else <out>.salt beside ' +
        'the new case (created when missing; keep it private: it links pseudonyms to real identifiers).',
    )
    .argument('<dir>', 'case directory to redact')
    .argument('<out>', 'directory for the redacted case')
    .option('--force', 'replace an existing case at <out> (only a case, holding nothing it does not list)')
    .addHelpText(
      'after',
      `
Examples:
  fundtrace case redact cases/darklock cases/darklock-shared      salt kept in cases/darklock-shared.salt
  FUNDTRACE_REDACT_SALT=… fundtrace case redact cases/darklock cases/darklock-shared
  fundtrace case redact --workshop cases/darklock cases/darklock-class     for teaching: NOT EVIDENCE`,
    )
    .option(
      '--workshop',
      'also shift every time and height and round amounts down, so flows cannot be looked up; the copy is marked NOT EVIDENCE',
    )
    .action(async (dir: string, out: string, flags: { force?: boolean; workshop?: boolean }) => {
      await caseDirArg(dir);
      const source = await openCaseSource(dir, `case:${dir}`);
      const ev = await loadEvidence(dir);
      if (ev.manifest.redaction) throw inputError(`case ${termSafe(dir)} is already redacted`);
      const recording = recordView(source.view);
      const ctxLabels = ev.labels;
      const plain = await rerunTrace(
        recording.view,
        queryFromJson(ev.manifest.query),
        ctxLabels,
        ev.manifest.tool,
      );
      const plainWarnings = plain.warnings.length;
      // A case made with --fiat is valued again from the prices it recorded.
      const result = ev.fiat ? revalue(plain, recording.view, ev.fiat) : plain;
      const stored = (await readCaseResult(dir)).resultText;
      if (renderJson(result) !== stored)
        throw inputError(
          `case ${termSafe(dir)}: its evidence does not re-run to its result.json; run \`fundtrace case verify\` first`,
        );
      const salt = await redactionSalt(out, ctx.io.env);
      const written = await writeCase(out, {
        result,
        source,
        recording,
        labelsOf: labelIndex(ctxLabels.labels),
        categories: ctxLabels.categories,
        extraWarnings: ctxLabels.warnings,
        force: flags.force,
        redact: { salt: salt.salt, workshop: flags.workshop === true },
        ...(ev.fiat ? { fiat: { evidence: ev.fiat, plainWarnings } } : {}),
        now: new Date(ev.manifest.created),
      });
      ctx.io.err(
        `fundtrace: ${flags.workshop ? 'workshop copy (NOT EVIDENCE)' : 'redacted case'} written to ${termSafe(out)} (${written.files} files, manifest.json included); salt from ${termSafe(salt.from)} (keep it private)\n` +
          `case hash (SHA-256 of manifest.json): ${written.caseHash}\n`,
      );
    });
}
