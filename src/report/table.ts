// The terminal view (`--format table`): a summary, where the value ended, per-hop figures, the
// exits table, exposure, the largest flows and funds at rest, in human units with the asset.
import type { ChalkInstance } from 'chalk';
import { formatUnits } from '../core/amount.js';
import type { TraceResult } from '../core/result.js';
import type { TerminalKind } from '../core/trace-types.js';
import { fiatTableLines } from './fiat-table.js';
import { categoryText, percentOf, percentOfPpm, TERMINAL_LABELS, terminalLabel } from './present.js';
import { termSafe } from './sanitize.js';

/** Visible width of a string, ignoring colour escapes that chalk added. */
const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length;

export function table(rows: string[][], align: ('l' | 'r')[] = []): string[] {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visible(c));
    });
  }
  return rows.map((r) =>
    r
      .map((c, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - visible(c));
        return align[i] === 'r' ? pad + c : i === r.length - 1 ? c : c + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

const short = (s: string, n = 14) => (s.length > n + 1 ? s.slice(0, n) + '…' : s);
/** Every string from the data (addresses, tx ids and times too: remote sources supply them). */
const t = termSafe;

export function renderTable(r: TraceResult, c: ChalkInstance): string {
  const a = r.outcome.asset;
  const sym = t(a.symbol);
  const amt = (v: bigint) => `${formatUnits(v, a.decimals)} ${sym}`;
  const s = r.summary;
  const q = r.query;
  const g = r.outcome.graph;
  const backward = q.direction === 'backward';
  const out: string[] = [];
  const h = (t: string) => out.push('', c.bold.underline(t));

  out.push(
    c.bold(`fundtrace · ${q.direction} trace (${q.model}) of ${t(q.seed)} on ${t(q.chain)}`),
    `Traced value ${c.bold(amt(s.traced))} · up to ${q.hops} hops · ${g.order} addresses · ${g.size} movements`,
  );

  h(backward ? 'Where it came from' : 'Where it went');
  const rows: string[][] = [];
  const share = (v: bigint) => (q.model === 'poison' ? '' : percentOf(v, s.traced));
  for (const kind of Object.keys(TERMINAL_LABELS) as TerminalKind[]) {
    const v = s.terminals[kind];
    if (v === 0n) continue;
    const colour =
      kind === 'flagged' || kind === 'mixer'
        ? c.red
        : kind === 'exit'
          ? c.yellow
          : kind === 'cut'
            ? c.magenta
            : (x: string) => x;
    if (kind === 'cut') {
      // One row per limit: its name in words, its amount in the amount column.
      for (const [reason, x] of Object.entries(s.cutByReason))
        rows.push([colour(`${terminalLabel(kind, backward)}: ${reason}`), amt(x), share(x)]);
      continue;
    }
    rows.push([colour(terminalLabel(kind, backward)), amt(v), share(v)]);
    if (kind === 'flagged' && !backward) {
      // A freeze by the token issuer is a flagged stop, but the reader needs it named: that value
      // is not gone, it is held by the issuer.
      let frozen = 0n;
      for (const x of s.exits)
        if (x.kind === 'flagged' && x.category === 'frozen_by_issuer') frozen += x.tainted;
      if (frozen > 0n)
        rows.push([`  of which ${categoryText('frozen_by_issuer')}`, amt(frozen), share(frozen)]);
    }
  }
  const check =
    q.model === 'poison'
      ? c.dim('(poison: reachability, not shares)')
      : s.conserved
        ? c.green('✓ adds up')
        : c.red('✗ does not add up');
  rows.push([c.bold('total'), c.bold(amt(s.terminalTotal)), check]);
  out.push(...table(rows, ['l', 'r', 'r']).map((l) => '  ' + l));

  h('Per hop');
  out.push(
    ...table(
      [
        ['hop', 'addresses', 'movements', 'value moved', 'tainted'].map((x) => c.dim(x)),
        // Hop 0 is where the trace starts: nothing has moved yet, so no "0 BTC tainted" figure.
        ...s.hops.map((x) => [
          String(x.hop),
          String(x.addresses),
          String(x.movements),
          x.hop === 0 && x.movements === 0 ? c.dim('start') : amt(x.value),
          x.hop === 0 && x.movements === 0 ? c.dim('—') : amt(x.tainted),
        ]),
      ],
      ['r', 'r', 'r', 'r', 'r'],
    ).map((l) => '  ' + l),
  );

  // Where a request goes (services) apart from flagged clusters reached; each in time order.
  const byTime = (x: (typeof s.exits)[number], y: (typeof s.exits)[number]) =>
    (x.time ?? '') < (y.time ?? '') ? -1 : (x.time ?? '') > (y.time ?? '') ? 1 : x.hop - y.hop;
  const services = s.exits.filter((x) => x.kind !== 'flagged').sort(byTime);
  const flaggedHits = s.exits.filter((x) => x.kind === 'flagged').sort(byTime);
  for (const [list, title] of [
    [services, backward ? 'Sources at services' : 'Exits to services (where a request for records goes)'],
    [flaggedHits, backward ? 'Sources at flagged clusters' : 'Flagged clusters reached'],
  ] as const) {
    if (list.length === 0) continue;
    h(title);
    out.push(
      ...table(
        [
          ['hop', 'entity', 'category', 'address', 'tainted', 'of value', 'tx', 'time'].map((x) => c.dim(x)),
          ...list.map((x) => [
            String(x.hop),
            (x.kind === 'flagged' ? c.red : c.yellow)(t(x.entity || '?')),
            t(categoryText(x.category)),
            x.depositAddress
              ? `${t(x.address)} ${c.dim(`via likely deposit address ${t(x.depositAddress)}`)}`
              : t(x.address),
            amt(x.tainted),
            formatUnits(x.value, a.decimals),
            short(t(x.tx)),
            t(x.time ?? ''),
          ]),
        ],
        ['r', 'l', 'l', 'l', 'r', 'r', 'l', 'l'],
      ).map((l) => '  ' + l),
    );
  }

  const ex = r.exposure;
  if (ex.direct.length + ex.indirect.length > 0) {
    h(backward ? 'Exposure (where the value came from)' : 'Exposure (where the value went)');
    const erows: string[][] = [['', 'category', 'entity', 'value', 'share', 'min hops'].map((x) => c.dim(x))];
    for (const [kind, list] of [
      ['direct', ex.direct],
      ['indirect', ex.indirect],
    ] as const) {
      for (const i of list) {
        // Risk colours: flagged clusters red (sanctioned bold), services yellow.
        const colour = i.category === 'sanctioned' ? c.red.bold : i.flagged ? c.red : c.yellow;
        erows.push([
          kind,
          colour(t(categoryText(i.category))),
          t(i.entity),
          amt(i.value),
          ex.shares ? percentOfPpm(i.sharePpm) : '',
          String(i.minHops),
        ]);
      }
    }
    for (const b of ex.buckets) {
      if (b.value > 0n)
        erows.push([c.dim(b.name), '', '', amt(b.value), ex.shares ? percentOfPpm(b.sharePpm) : '', '']);
    }
    out.push(...table(erows, ['l', 'l', 'l', 'r', 'r', 'r']).map((l) => '  ' + l));
    out.push(
      c.dim(
        ex.shares
          ? '  direct = hop 1, indirect = hop 2 or more; shares of the traced value add up to 100 % (JSON: exposure.*.paths shows why)'
          : '  poison: value reached, not shares',
      ),
    );
  }

  if (s.largestFlows.length > 0) {
    h('Largest flows');
    out.push(
      ...table(
        s.largestFlows.map((f) => [
          `hop ${f.hop}`,
          t(g.getNodeAttribute(f.source, 'address')),
          '→',
          t(g.getNodeAttribute(f.target, 'address')),
          amt(f.tainted),
          c.dim(`of ${formatUnits(f.value, a.decimals)}`),
          c.dim(short(t(f.tx))),
        ]),
        ['l', 'l', 'l', 'l', 'r', 'l', 'l'],
      ).map((l) => '  ' + l),
    );
  }

  if (s.atRest.length > 0) {
    h('Funds at rest');
    out.push(
      ...table(
        s.atRest.map((x) => [t(x.address), amt(x.amount), `hop ${x.hop}`]),
        ['l', 'r', 'l'],
      ).map((l) => '  ' + l),
    );
  }

  if (s.cut.length > 0) {
    h('Cut short (not followed to the end)');
    const shown = s.cut.slice(0, 20);
    out.push(
      ...table(
        [
          ['hop', 'reason', 'address', 'tainted'].map((x) => c.dim(x)),
          ...shown.map((x) => [String(x.hop), c.magenta(x.reason), t(x.address ?? ''), amt(x.amount)]),
        ],
        ['r', 'l', 'l', 'r'],
      ).map((l) => '  ' + l),
    );
    if (s.cut.length > shown.length)
      out.push(c.dim(`  … and ${s.cut.length - shown.length} more (all in --format json: summary.cut)`));
  }

  out.push(...fiatTableLines(r, c, table));

  if (s.findings.length > 0) {
    h('Findings');
    for (const f of s.findings) out.push(`  ${c.cyan(t(f.kind))}: ${t(f.description)}`);
  }

  if (r.warnings.length > 0) {
    h('Warnings');
    for (const w of r.warnings) out.push(c.yellow(`  ! ${t(w)}`));
  }
  return out.join('\n') + '\n';
}
