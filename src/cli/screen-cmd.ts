// `fundtrace screen`: many addresses in, per address direct and indirect exposure forward (where
// its funds went) and backward (where they came from), as NDJSON or CSV. What a transaction-
// monitoring team runs on deposit addresses. Bad lines are reported and skipped.
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { withChains } from '../core/chains.js';
import { FundtraceError, usageError } from '../core/errors.js';
import type { FiatTotal } from '../core/fiat/value.js';
import type { Label } from '../core/model.js';
import type { TraceResult } from '../core/result.js';
import type { Direction } from '../core/trace-types.js';
import { parseCsv } from '../labels/csv.js';
import { type CategoryPolicy, rankLabels } from '../labels/taxonomy.js';
import { amountJson, shareString } from '../report/json.js';
import { csvRow, stringifySafe, termSafe } from '../report/sanitize.js';
import type { CliContext } from './context.js';
import { collect, enumFlag, intFlag } from './flags.js';
import type { Io } from './io.js';
import { DEFAULTS, type TraceFlags, traceQueryFromFlags } from './trace-query.js';

interface ScreenFlags extends Omit<TraceFlags, 'direction' | 'format' | 'table' | 'strict'> {
  column?: string;
  format: string;
  directions: string;
}

export function registerScreenCommand(program: Command, ctx: CliContext): void {
  program
    .command('screen')
    .summary('screen many addresses for exposure to flagged clusters')
    .description(
      'Read addresses (one per line, or CSV with a header) from FILE or standard input and print, per address, ' +
        'first what it is (its own labels: "self"), then its direct and indirect exposure forward and backward ' +
        'within a few hops. A one-column list may start with a header word (e.g. "address").',
    )
    .argument('[file]', 'file of addresses; "-" or none reads standard input')
    .option('--source <spec>', 'where chain data comes from (as for trace)', collect)
    .option(
      '--column <name>',
      'CSV input: the column holding the address (default: "address", else the first)',
    )
    .option('--chain <name>', 'chain name or id (default: from the source)')
    .option('--hops <n>', 'maximum hops each way', '2')
    .addOption(new Option('--directions <which>', 'forward, backward or both').default('both'))
    .addOption(new Option('--model <model>', 'taint model: haircut, poison or fifo').default('haircut'))
    .option('--asset <asset>', 'account chains: symbol or token contract to follow')
    .option('--min-value <amount>', 'do not follow flows below this amount', '0')
    .option('--max-nodes <n>', 'per trace: stop expanding at this many addresses', String(DEFAULTS.maxNodes))
    .option(
      '--history-limit <n>',
      'do not expand addresses with more transfers than this',
      String(DEFAULTS.historyLimit),
    )
    .option('--labels <file>', 'extra label file (repeatable)', collect)
    .option('--format <format>', 'ndjson or csv', 'ndjson')
    .option('--offline', 'remote sources: use only the local cache')
    .option('--no-cache', 'remote sources: neither read nor write the local cache')
    .option('--cache-dir <dir>', 'remote sources: cache directory')
    .option(
      '--api-key <key>',
      'etherscan: / trongrid: / graphsense: API key (default: ETHERSCAN_API_KEY / TRONGRID_API_KEY / GRAPHSENSE_API_KEY)',
    )
    .option('--fiat <code>', 'also value each exposure item in this currency (as for trace)')
    .option('--prices <dir|url>', 'price data for --fiat (as for trace; repeatable)', collect)
    .addHelpText(
      'after',
      `
Examples:
  fundtrace screen deposits.txt --source export.jsonl --format csv > screened.csv
  cut -d, -f3 withdrawals.csv | fundtrace screen --source sample:phishing-eth --asset USDT

Exit status: 0 when every line was screened; 3 when some lines were bad (they are reported on
standard error and skipped; the others are still screened).`,
    )
    .action(async (file: string | undefined, flags: ScreenFlags) => {
      const format = enumFlag('--format', flags.format, ['ndjson', 'csv'] as const);
      const which = enumFlag('--directions', flags.directions, ['forward', 'backward', 'both'] as const);
      const hops = intFlag('--hops', flags.hops, 1, 100);
      const dirs: Direction[] = which === 'both' ? ['forward', 'backward'] : [which];
      const text = await readInput(file, ctx.io);
      const lines = extractAddresses(text, flags.column);
      if (lines.length === 0)
        throw new FundtraceError(
          'BAD_INPUT',
          `${file === undefined || file === '-' ? 'standard input' : JSON.stringify(termSafe(file))}: no addresses in the input`,
        );
      const query = await traceQueryFromFlags(
        { ...flags, direction: 'forward', table: 'edges', format: undefined },
        ctx.io.env,
      );
      await withChains(query.chains, async () => {
        // The application loads only now: help and usage errors never wait for it.
        const { openTrace, parseSeed } = await import('../app/trace.js');
        const { traceDeps } = await import('./trace-run.js');
        const session = await openTrace(query, traceDeps({ ...ctx.io, stderrIsTTY: false }));
        const { applyFiat } = await import('./fiat.js');
        const fiatCur = session.fiat?.code.trim().toUpperCase();
        if (format === 'csv') {
          ctx.io.out(
            csvRow([
              'line',
              'address',
              'direction',
              'found',
              'scope',
              'category',
              'entity',
              'value',
              'asset',
              'share',
              'min_hops',
              'traced',
              ...(fiatCur ? [`value_${fiatCur}`] : []),
            ]),
          );
        }
        let bad = 0;
        for (const { line, value } of lines) {
          if ('error' in value) {
            bad++;
            ctx.io.err(`fundtrace: line ${line}: ${termSafe(value.error)}\n`);
            continue;
          }
          let address: string;
          try {
            const seed = parseSeed(value.address, session.chain, session.source.view.kind);
            if (seed.kind !== 'address')
              throw usageError(`"${termSafe(value.address)}" is a ${seed.kind}, not an address`);
            address = seed.value;
          } catch (e) {
            if (!(e instanceof FundtraceError) || e.code !== 'USAGE') throw e;
            bad++;
            ctx.io.err(`fundtrace: line ${line}: ${termSafe(e.message)}\n`);
            continue;
          }
          const perDir: Record<string, ScreenResult> = {};
          for (const d of dirs) {
            let r: TraceResult;
            try {
              r = await session.trace(address, { direction: d, hops, fiat: false });
            } catch (e) {
              if (e instanceof FundtraceError && e.code === 'BAD_INPUT') {
                perDir[d] = { found: false, traced: null, direct: [], indirect: [], rest: [] };
                continue;
              }
              throw e;
            }
            // Outside the try: a bad price file is an error of the run, not "address not found".
            if (session.fiat) await applyFiat(r, session.view, session.fiat.code, session.fiat.flags);
            perDir[d] = screenResult(r);
          }
          // What the address itself is comes first: screening a ransom wallet must say so.
          const self = selfOf(session.labels.store.get(session.chain, address), session.labels.categories);
          if (format === 'ndjson') ctx.io.out(stringifySafe({ line, address, self, ...perDir }) + '\n');
          else {
            const found = Object.values(perDir).some((r) => r.found);
            ctx.io.out(
              csvRow([
                line,
                address,
                '',
                found,
                'self',
                self.labels.map((l) => l.category).join('; '),
                self.labels.map((l) => l.entity).join('; '),
                '',
                '',
                '',
                '',
                '',
                ...(fiatCur ? [''] : []),
              ]),
            );
            for (const [d, r] of Object.entries(perDir)) {
              const rows = [
                ...r.direct.map((x) => ['direct', x] as const),
                ...r.indirect.map((x) => ['indirect', x] as const),
              ];
              if (!r.found || (rows.length === 0 && r.rest.length === 0)) {
                // Not in the source, or nothing moved in this direction (traced 0).
                ctx.io.out(
                  csvRow([
                    line,
                    address,
                    d,
                    r.found,
                    'none',
                    '',
                    '',
                    '',
                    r.traced?.asset ?? '',
                    '',
                    '',
                    r.traced?.display ?? '',
                    ...(fiatCur ? [''] : []),
                  ]),
                );
              }
              for (const [scope, x] of rows) {
                ctx.io.out(
                  csvRow([
                    line,
                    address,
                    d,
                    r.found,
                    scope,
                    x.category,
                    x.entity,
                    x.value.display,
                    x.value.asset,
                    x.share,
                    x.minHops,
                    x.traced?.display ?? r.traced?.display ?? '',
                    ...(fiatCur ? [x.fiat?.value ?? (x.fiat ? 'no price' : '')] : []),
                  ]),
                );
              }
              // The rest of the traced value, so a row set never reads as "no exposure" when a limit cut it.
              for (const b of r.rest) {
                ctx.io.out(
                  csvRow([
                    line,
                    address,
                    d,
                    r.found,
                    b.name,
                    '',
                    '',
                    b.value.display,
                    b.value.asset,
                    b.share,
                    '',
                    b.traced?.display ?? r.traced?.display ?? '',
                    ...(fiatCur ? [''] : []),
                  ]),
                );
              }
            }
          }
        }
        if (bad > 0) ctx.status = 3;
      });
    });
}

interface ScreenSelf {
  /** flagged: the address itself is in a flagged cluster; service: an exit (exchange, …); else null. */
  role: 'flagged' | 'service' | null;
  /** Its own labels, the one deciding its role first (distinct entity/category/source). */
  labels: { entity: string; category: string; source: string; flagged: boolean }[];
}

function selfOf(labels: readonly Label[], cats: CategoryPolicy): ScreenSelf {
  const seen = new Set<string>();
  const out: ScreenSelf['labels'] = [];
  for (const l of rankLabels(labels, cats)) {
    const key = JSON.stringify([l.entity, l.category, l.source]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      entity: l.entity,
      category: l.category,
      source: l.source,
      flagged: cats.flagged.has(l.category),
    });
  }
  const top = out[0];
  const role = !top ? null : top.flagged ? 'flagged' : cats.service.has(top.category) ? 'service' : null;
  return { role, labels: out };
}

interface ScreenItem {
  category: string;
  entity: string;
  value: ReturnType<typeof amountJson>;
  share: string | null;
  minHops: number;
  /** With --fiat: the item's flows valued each at its own time, summed and rounded once. */
  fiat?: FiatTotal;
  /** In a part the trace converted or bridged into: that part's traced value (the share is of it). */
  traced?: ReturnType<typeof amountJson>;
}

interface ScreenResult {
  found: boolean;
  traced: ReturnType<typeof amountJson> | null;
  direct: ScreenItem[];
  indirect: ScreenItem[];
  /** The rest of the traced value (held, fees, cut by a limit, unattributed): never read as "clean". */
  rest: {
    name: string;
    value: ReturnType<typeof amountJson>;
    share: string | null;
    traced?: ReturnType<typeof amountJson>;
  }[];
}

const exposureGroupIdOf = (i: { category: string; entity: string; flagged: boolean }, direct: boolean) =>
  `exposure:${direct ? 'direct' : 'indirect'}:${i.flagged ? 'flagged' : 'service'}:${i.category}:${i.entity}`;

/**
 * A result's exposure rows: the asset the trace started in, then each asset or chain it was
 * converted or bridged into (its rows name their asset, and their share is of that part's value).
 */
function screenResult(r: TraceResult): ScreenResult {
  const main = screenPart(r);
  for (const p of r.parts ?? []) {
    const x = screenPart(p);
    const traced = x.traced!;
    main.direct.push(...x.direct.map((i) => ({ ...i, traced })));
    main.indirect.push(...x.indirect.map((i) => ({ ...i, traced })));
    main.rest.push(...x.rest.map((i) => ({ ...i, traced })));
  }
  return main;
}

function screenPart(r: TraceResult): ScreenResult {
  const a = r.outcome.asset;
  const item = (i: TraceResult['exposure']['direct'][number], direct: boolean): ScreenItem => ({
    category: i.category,
    entity: i.entity,
    value: amountJson(i.value, a),
    share: r.exposure.shares ? shareString(i.sharePpm) : null,
    minHops: i.minHops,
    ...(r.fiat ? { fiat: r.fiat.groups[exposureGroupIdOf(i, direct)] } : {}),
  });
  return {
    found: true,
    traced: amountJson(r.summary.traced, a),
    direct: r.exposure.direct.map((i) => item(i, true)),
    indirect: r.exposure.indirect.map((i) => item(i, false)),
    rest: r.exposure.buckets
      .filter((b) => b.value > 0n)
      .map((b) => ({
        name: b.name,
        value: amountJson(b.value, a),
        share: r.exposure.shares ? shareString(b.sharePpm) : null,
      })),
  };
}

async function readInput(file: string | undefined, io: Io): Promise<string> {
  if (file && file !== '-') {
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      throw new FundtraceError(
        'BAD_INPUT',
        `cannot read "${termSafe(file)}": ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  }
  if (!io.stdin) throw usageError('no input: give a file, or pipe addresses into standard input');
  const chunks: Buffer[] = [];
  for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

const isHeaderWord = (v: string) => v.length < 26 && /^[A-Za-z][A-Za-z0-9 _.-]*$/.test(v);

/** One address per line, or a CSV with a header row (then `column`, "address", or the first column). */
export function extractAddresses(
  text: string,
  column?: string,
): { line: number; value: { address: string } | { error: string } }[] {
  const rawLines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = rawLines.find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  const isCsv = column !== undefined || first.includes(',');
  const out: { line: number; value: { address: string } | { error: string } }[] = [];
  if (!isCsv) {
    // `cut -f3 file.csv | fundtrace screen` brings the header along: a first line that is a short
    // word (no address of any chain is under 26 characters) is a column name, not a bad address.
    const headerAt = rawLines.indexOf(first);
    const skipHeader = first !== '' && isHeaderWord(first.trim());
    rawLines.forEach((l, i) => {
      const v = l.trim();
      if (v === '' || v.startsWith('#')) return;
      if (skipHeader && i === headerAt) return;
      out.push({
        line: i + 1,
        value: /\s/.test(v) ? { error: `"${v.slice(0, 80)}" is not a single address` } : { address: v },
      });
    });
    return out;
  }
  const records = parseCsv(text);
  const header = records[0];
  if (!header) return out;
  const cols = header.fields.map((f) => f.trim().toLowerCase());
  let idx = column !== undefined ? cols.indexOf(column.trim().toLowerCase()) : cols.indexOf('address');
  if (column !== undefined && idx < 0)
    throw usageError(`--column "${termSafe(column)}" is not in the CSV header (${cols.join(', ')})`);
  if (idx < 0) idx = 0;
  for (const r of records.slice(1)) {
    const v = (r.fields[idx] ?? '').trim();
    if (v === '' && r.fields.every((f) => f.trim() === '')) continue;
    out.push({
      line: r.line,
      value: v === '' ? { error: `no address in column ${idx + 1}` } : { address: v },
    });
  }
  return out;
}
