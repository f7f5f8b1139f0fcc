// The terminal view (`--format table`): a summary, where the value ended, per-hop figures, the
// exits table, exposure, the largest flows and funds at rest, in human units with the asset.
import type { ChalkInstance } from 'chalk';
import { formatUnits } from '../core/amount.js';
import type { TraceResult } from '../core/result.js';
import type { TerminalKind } from '../core/trace-types.js';
import { fiatTableLines } from './fiat-table.js';
import {
  categoryText,
  graphsenseNote,
  percentOf,
  percentsOf,
  TERMINAL_LABELS,
  terminalLabel,
} from './present.js';
import { termSafe } from './sanitize.js';

/** Visible width of a string, ignoring colour escapes that chalk added. */
const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length;

/**
 * How a table may be fitted into a terminal width (`--format table` on a terminal; `--wide`, a
 * file or a pipe get every value in full): steps taken in order until the table fits. `shrink`
 * lets columns be shortened in the middle (addresses, names) down to a smallest width; `drop`
 * leaves a column out. Amounts and counts are never shortened: a number is never cut, and a row
 * never wraps in the middle of one.
 */
export type Fit = ({ shrink: Record<number, number> } | { drop: number })[];

/** `s` cut to `n` visible characters by replacing its middle with "…"; colour escapes are kept. */
export function middle(s: string, n: number): string {
  const parts = s.split(/(\u001b\[[0-9;]*m)/);
  const len = visible(s);
  if (len <= n) return s;
  const head = Math.ceil((n - 1) / 2);
  const tail = len - Math.floor((n - 1) / 2);
  let out = '';
  let i = 0;
  for (const p of parts) {
    if (p.startsWith('\u001b[')) {
      out += p;
      continue;
    }
    for (const ch of p) {
      if (i < head || i >= tail) out += ch;
      if (i === head) out += '…';
      i++;
    }
  }
  return out;
}

/** Which columns to show and how wide, for a table of natural `widths` in `width` columns. */
function layout(widths: number[], width: number, fit: Fit): { keep: number[]; w: number[] } {
  const mins: Record<number, number> = {};
  const dropped = new Set<number>();
  for (let step = 0; ; step++) {
    const keep = widths.map((_, i) => i).filter((i) => !dropped.has(i));
    const w = [...widths];
    let over = keep.reduce((sum, i) => sum + (w[i] ?? 0), 0) + 2 * (keep.length - 1) - width;
    // One character at a time from the shortenable column with the most to spare.
    while (over > 0) {
      let best = -1;
      let spare = 0;
      for (const i of keep) {
        const min = mins[i];
        if (min !== undefined && (w[i] ?? 0) - min > spare) {
          best = i;
          spare = (w[i] ?? 0) - min;
        }
      }
      if (best < 0) break;
      w[best]!--;
      over--;
    }
    const next = fit[step];
    if (over <= 0 || next === undefined) return { keep, w };
    if ('drop' in next) dropped.add(next.drop);
    else Object.assign(mins, next.shrink);
  }
}

export function table(
  rows: string[][],
  align: ('l' | 'r')[] = [],
  width?: number,
  fit: Fit = [],
  /** Set when something was shortened or left out, so the view can say so. */
  fitted?: { any: boolean },
): string[] {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visible(c));
    });
  }
  const { keep, w } =
    width === undefined ? { keep: widths.map((_, i) => i), w: widths } : layout(widths, width, fit);
  const last = keep[keep.length - 1];
  if (fitted && (keep.length < widths.length || w.some((x, i) => x < (widths[i] ?? 0)))) fitted.any = true;
  return rows.map((r) =>
    keep
      .filter((i) => i < r.length)
      .map((i) => {
        const cell = visible(r[i]!) > w[i]! ? middle(r[i]!, w[i]!) : r[i]!;
        const pad = ' '.repeat(Math.max(0, (w[i] ?? 0) - visible(cell)));
        return align[i] === 'r' ? pad + cell : i === last || i === r.length - 1 ? cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

/**
 * A line of text in `width` columns, broken at spaces only (an address or a number is never
 * split); continuation lines indented by `indent`.
 */
export function wrap(line: string, width: number | undefined, indent = '    '): string[] {
  if (width === undefined || visible(line) <= width) return [line];
  const out: string[] = [];
  const words = line.split(' ');
  let cur = words[0]!;
  for (const word of words.slice(1)) {
    // Leading spaces (empty words) stay; a break only after some visible text.
    if (visible(`${cur} ${word}`) > width && cur.trim() !== '' && word !== '') {
      out.push(cur);
      cur = indent + word;
    } else cur = `${cur} ${word}`;
  }
  out.push(cur);
  return out;
}

/** Below this, a terminal is treated as having no width to fit (a pipe, a 0-column pty). */
export const MIN_WIDTH = 40;

export interface TableOptions {
  /** Fit into this many columns (the terminal's width); undefined: every value in full. */
  width?: number;
}

const short = (s: string, n = 14) => (s.length > n + 1 ? s.slice(0, n) + '…' : s);
/** Every string from the data (addresses, tx ids and times too: remote sources supply them). */
const t = termSafe;

export function renderTable(r: TraceResult, c: ChalkInstance, opts: TableOptions = {}): string {
  const width = opts.width !== undefined && opts.width >= MIN_WIDTH ? opts.width : undefined;
  /** Tables are indented by two spaces. */
  const tw = width === undefined ? undefined : width - 2;
  const fitted = { any: false };
  const tbl = (rows: string[][], align: ('l' | 'r')[] = [], w: number | undefined = tw, fit: Fit = []) =>
    table(rows, align, w, fit, fitted);
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
    ...wrap(c.bold(`fundtrace · ${q.direction} trace (${q.model}) of ${t(q.seed)} on ${t(q.chain)}`), width),
    ...wrap(
      `Traced value ${c.bold(amt(s.traced))} · up to ${q.hops} hops · ${g.order} addresses · ${g.size} movements`,
      width,
    ),
  );

  h(backward ? 'Where it came from' : 'Where it went');
  const rows: string[][] = [];
  // The end points' shares are set once all are listed: they add up (percentsOf).
  const parts: { row: string[]; value: bigint }[] = [];
  const part = (label: string, v: bigint) => {
    const row = [label, amt(v), ''];
    rows.push(row);
    parts.push({ row, value: v });
  };
  const share = (v: bigint) => (q.model === 'poison' ? '' : percentOf(v, s.traced));
  for (const kind of Object.keys(TERMINAL_LABELS) as TerminalKind[]) {
    const v = s.terminals[kind];
    if (v === undefined || v === 0n) continue;
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
        part(colour(`${terminalLabel(kind, backward)}: ${reason}`), x);
      continue;
    }
    part(colour(terminalLabel(kind, backward)), v);
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
  if (q.model !== 'poison') {
    const percents = percentsOf(
      parts.map((p) => p.value),
      s.traced,
    );
    parts.forEach((p, i) => {
      p.row[2] = percents[i]!;
    });
  }
  const check =
    q.model === 'poison'
      ? c.dim('(poison: reachability, not shares)')
      : s.conserved
        ? c.green('✓ adds up')
        : c.red('✗ does not add up');
  rows.push([c.bold('total'), c.bold(amt(s.terminalTotal)), check]);
  out.push(...tbl(rows, ['l', 'r', 'r'], tw).map((l) => '  ' + l));

  h('Per hop');
  out.push(
    ...tbl(
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
      tw,
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
      ...tbl(
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
        tw,
        // Narrow: the address shortened in the middle, "of value" left out, names shortened, then
        // the tx and the time left out.
        [
          { shrink: { 3: 13 } },
          { drop: 5 },
          { shrink: { 1: 10, 2: 9 } },
          { drop: 6 },
          { drop: 7 },
          { shrink: { 1: 6, 2: 6, 3: 9 } },
        ],
      ).map((l) => '  ' + l),
    );
  }

  if (s.bridges && s.bridges.length > 0) {
    // Where the trace continues by hand: the destination leg each bridge's own event names.
    h('Bridged to other chains (continue on the destination chain)');
    out.push(
      ...tbl(
        [
          ['hop', 'bridge', 'tainted', 'to chain', 'recipient', 'look up', 'tx'].map((x) => c.dim(x)),
          ...s.bridges.map((b) => [
            String(b.hop),
            c.yellow(t(b.name)),
            amt(b.tainted),
            t(b.bridge ? (b.bridge.destChain ?? `id ${b.bridge.destChainId}`) : '?'),
            t(b.bridge?.recipient ?? '?'),
            t(b.bridge ? b.bridge.identifier : (b.note ?? 'no deposit event decoded')),
            short(t(b.tx ?? '')),
          ]),
        ],
        ['r', 'l', 'r', 'l', 'l', 'l', 'l'],
        tw,
        [{ shrink: { 4: 13 } }, { shrink: { 1: 10 } }, { drop: 6 }, { shrink: { 5: 16 } }],
      ).map((l) => '  ' + l),
    );
  }

  const ex = r.exposure;
  if (ex.direct.length + ex.indirect.length > 0) {
    h(backward ? 'Exposure (where the value came from)' : 'Exposure (where the value went)');
    const erows: string[][] = [['', 'category', 'entity', 'value', 'share', 'min hops'].map((x) => c.dim(x))];
    // Every row's and bucket's share, together: they add up (percentsOf).
    const percents = percentsOf(
      [...ex.direct, ...ex.indirect, ...ex.buckets].map((x) => x.sharePpm),
      1_000_000n,
    );
    let at = 0;
    for (const [kind, list] of [
      ['direct', ex.direct],
      ['indirect', ex.indirect],
    ] as const) {
      for (const i of list) {
        const pct = percents[at++]!;
        // Risk colours: flagged clusters red (sanctioned bold), services yellow.
        const colour = i.category === 'sanctioned' ? c.red.bold : i.flagged ? c.red : c.yellow;
        erows.push([
          kind,
          colour(t(categoryText(i.category))),
          `${t(i.entity)}${i.graphsense ? c.dim(graphsenseNote({ via: 'graphsense', graphsenseEntities: i.graphsense.entities })) : ''}`,
          amt(i.value),
          ex.shares ? pct : '',
          String(i.minHops),
        ]);
      }
    }
    for (const b of ex.buckets) {
      const pct = percents[at++]!;
      if (b.value > 0n) erows.push([c.dim(b.name), '', '', amt(b.value), ex.shares ? pct : '', '']);
    }
    out.push(
      ...tbl(erows, ['l', 'l', 'l', 'r', 'r', 'r'], tw, [
        { shrink: { 2: 12 } },
        { shrink: { 1: 9 } },
        { drop: 5 },
        { shrink: { 1: 6, 2: 8 } },
      ]).map((l) => '  ' + l),
    );
    out.push(
      ...wrap(
        c.dim(
          ex.shares
            ? '  direct = hop 1, indirect = hop 2 or more; shares of the traced value add up to 100 % (JSON: exposure.*.paths shows why)'
            : '  poison: value reached, not shares',
        ),
        width,
      ),
    );
  }

  if (s.largestFlows.length > 0) {
    h('Largest flows');
    out.push(
      ...tbl(
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
        tw,
        [{ shrink: { 1: 13, 3: 13 } }, { drop: 6 }, { drop: 5 }, { shrink: { 1: 9, 3: 9 } }],
      ).map((l) => '  ' + l),
    );
  }

  if (s.atRest.length > 0) {
    h('Funds at rest');
    out.push(
      ...tbl(
        s.atRest.map((x) => [t(x.address), amt(x.amount), `hop ${x.hop}`]),
        ['l', 'r', 'l'],
        tw,
        [{ shrink: { 0: 13 } }, { shrink: { 0: 9 } }],
      ).map((l) => '  ' + l),
    );
  }

  if (s.cut.length > 0) {
    h('Cut short (not followed to the end)');
    const shown = s.cut.slice(0, 20);
    out.push(
      ...tbl(
        [
          ['hop', 'reason', 'address', 'tainted'].map((x) => c.dim(x)),
          ...shown.map((x) => [String(x.hop), c.magenta(x.reason), t(x.address ?? ''), amt(x.amount)]),
        ],
        ['r', 'l', 'l', 'r'],
        tw,
        [{ shrink: { 2: 13 } }, { shrink: { 1: 10 } }, { shrink: { 1: 6, 2: 9 } }],
      ).map((l) => '  ' + l),
    );
    if (s.cut.length > shown.length)
      out.push(c.dim(`  … and ${s.cut.length - shown.length} more (all in --format json: summary.cut)`));
  }

  out.push(...fiatTableLines(r, c, (rows, align) => tbl(rows, align, tw, [{ shrink: { 0: 16 } }])));

  if (fitted.any)
    out.push(
      '',
      ...wrap(
        c.dim(
          'Some addresses and names are shortened (…) or columns left out to fit the terminal: --wide or --format json shows every value in full.',
        ),
        width,
        '',
      ),
    );

  if (s.findings.length > 0) {
    h('Findings');
    for (const f of s.findings) out.push(...wrap(`  ${c.cyan(t(f.kind))}: ${t(f.description)}`, width));
  }

  if (r.warnings.length > 0) {
    h('Warnings');
    for (const w of r.warnings) out.push(...wrap(c.yellow(`  ! ${t(w)}`), width));
  }
  return out.join('\n') + '\n';
}
