// The Markdown report's "Money values" section (issue 15): shown when the result was made with
// `trace --fiat`. The result file may come from anywhere, so every string read from it is escaped
// by the caller's mdText and every shape is checked before use (a bad shape: no section).
import type { TraceDoc } from './export/doc.js';

type Esc = (s: string) => string;
type Table = (head: string[], rows: string[][], align?: ('l' | 'r')[]) => string;

const obj = (x: unknown): Record<string, unknown> | undefined =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

/** One figure's fiat value: "1084245.52 KES", or "no price (reason)". */
function figure(f: unknown, esc: Esc): string {
  const o = obj(f);
  if (!o) return '';
  const v = str(o.value);
  const c = str(o.currency) ?? '';
  if (v !== undefined) return `${esc(v)} ${esc(c)}`;
  const reason = str(obj(o.missing)?.reason);
  return `no price${reason ? ` (${esc(reason)})` : ''}`;
}

function priceText(f: unknown, esc: Esc): string {
  const list = obj(f)?.price;
  if (!Array.isArray(list)) return '';
  return list
    .map((p) => {
      const o = obj(p) ?? {};
      const carried = str(o.carried) ? ' (carried: weekend or holiday)' : '';
      return `${esc(str(o.series) ?? '?')} ${esc(str(o.date) ?? '?')} = ${esc(str(o.value) ?? '?')}${carried}`;
    })
    .join('; ');
}

function total(t: unknown, esc: Esc, cur: string): string {
  const o = obj(t);
  if (!o) return '';
  const v = str(o.value);
  if (v !== undefined) return `${esc(v)} ${esc(cur)}`;
  const partial = str(obj(o.partial)?.value);
  return `no total: ${esc(String(o.missingParts ?? '?'))} of ${esc(String(o.parts ?? '?'))} parts unpriced${partial ? ` (priced parts: ${esc(partial)} ${esc(cur)}, a lower bound)` : ''}`;
}

export interface FiatRows {
  currency: string;
  /** The opening sentence (escaped). */
  intro: string;
  /** [label, amount, figure] per total. */
  totals: string[][];
  /** [entity, amount, figure, day, prices] per exit. */
  exits: string[][];
  closing: string;
}

/** The rows of the section, every string escaped with `esc` (Markdown or HTML); undefined without fiat. */
export function fiatRows(doc: TraceDoc, esc: Esc): FiatRows | undefined {
  const f = obj((doc as unknown as Record<string, unknown>).fiat);
  if (!f) return undefined;
  const cur = str(f.currency) ?? '';
  const totals = obj(f.totals) ?? {};
  const s = doc.summary;
  const amt = (a: { display: string; asset: string }) => `${esc(a.display)} ${esc(a.asset)}`;
  const rows: string[][] = [];
  const term = s.terminals as Record<string, { display: string; asset: string } | undefined>;
  for (const [label, id, kind] of [
    ['Exits', 'exits', 'exit'],
    ['Flagged', 'flagged', 'flagged'],
    ['CoinJoin', 'mixer', 'mixer'],
    ['Fees', 'fees', 'fee'],
    ['At rest, at arrival', 'at-rest:arrival', 'held'],
    ['At rest, as of the end of the data', 'at-rest:as-of', 'held'],
  ] as const) {
    const t = obj(totals[id]);
    const a = term[kind];
    if (!t || !a || t.parts === 0) continue;
    rows.push([label, amt(a), total(t, esc, cur)]);
  }
  const exits = s.exits.map((e) => {
    const fiat = (e.tainted as unknown as Record<string, unknown>).fiat;
    return [
      esc(e.entity),
      amt(e.tainted),
      figure(fiat, esc),
      esc(str(obj(fiat)?.day) ?? ''),
      priceText(fiat, esc),
    ];
  });
  return {
    currency: esc(cur),
    intro: `Every figure below is stated in ${esc(s.traced.asset)} and in ${esc(cur)} at the price of its own day (movements and exits at their block time; funds at rest at arrival and as of the end of the data). Rounding: ${esc(str(obj(f.rounding)?.text) ?? '')}.`,
    totals: rows,
    exits,
    closing:
      'Totals are the exact sum of the unrounded figures, rounded once; adding the rounded rows may differ by a minor unit. A missing price is shown as such, never as zero. Every price used, with its source, is in the result file (fiat.prices).',
  };
}

export function fiatMarkdownLines(doc: TraceDoc, esc: Esc, table: Table): string[] {
  const r = fiatRows(doc, esc);
  if (!r) return [];
  const out: string[] = [`## Money values (${r.currency})`, '', r.intro, ''];
  if (r.totals.length > 0) out.push(table(['Total', 'Amount', r.currency], r.totals, ['l', 'r', 'r']), '');
  if (r.exits.length > 0)
    out.push(
      table(['Exit', 'Amount', r.currency, 'Day', 'Price used'], r.exits, ['l', 'r', 'r', 'l', 'l']),
      '',
    );
  out.push(r.closing.replace('(fiat.prices)', '(`fiat.prices`)'), '');
  return out;
}
