// The interactive HTML report: ONE self-contained file (opens from file://, fetches nothing): the
// trace graph (sigma.js v3 + graphology, bundled inline by esbuild), a side panel, a legend, the
// hop-by-hop step control, and the summary, exposure and exits tables beside it.
//
// Escaping: tables are built here with htmlEscape; the viewer sets every data string with
// textContent; the graph data is inlined as JSON in <script type="application/json"> with `<`
// written as \u003c, so no value can close the element; the bundle has `</script` and `<!--`
// neutralised. A Content-Security-Policy allows only this page's own script (by hash), inline
// styles and data: images, so even a missed injection could neither run nor reach the network.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DocAmount, TraceDoc } from '../export/doc.js';
import { fiatRows } from '../fiat-md.js';
import type { ReportMeta } from '../meta.js';
import { graphsenseNote, percentsOf, percentsOfShares, terminalLabel } from '../present.js';
import { htmlEscape } from '../sanitize.js';
import { type ViewerOptions, viewerData, viewerDataTrail } from './data.js';
import { narrativeSections } from './sections.js';
import VIEWER_BUILD from './viewer.build.json' with { type: 'json' };

export interface HtmlContext extends ViewerOptions {
  manifest?: ReportMeta;
  caseHash?: string;
}

let bundle: Promise<string> | undefined;

/** The viewer, bundled once per process (esbuild, ~50 ms), or read as built with the CLI bundle. */
export function viewerBundle(): Promise<string> {
  bundle ??= (async () => {
    // The CLI bundle (dist/cli/*.mjs) has the viewer built beside it by scripts/build.mjs with the
    // same options (dist/viewer.js): an installed package has no TypeScript sources and no esbuild.
    const prebuilt = fileURLToPath(new URL('../viewer.js', import.meta.url));
    const text = existsSync(prebuilt) ? await readFile(prebuilt, 'utf8') : await buildViewer();
    // In strings, regexes and comments these are the same characters; in HTML they are inert.
    return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  })();
  return bundle;
}

async function buildViewer(): Promise<string> {
  const esbuild = await import('esbuild');
  // Beside this file when run from the sources; from the CLI bundle (dist/cli/main.mjs) the
  // sources are two levels up.
  const candidates = [
    fileURLToPath(new URL('./viewer.ts', import.meta.url)),
    fileURLToPath(new URL('../../src/report/html/viewer.ts', import.meta.url)),
  ];
  const entry = candidates.find((p) => existsSync(p)) ?? candidates[0]!;
  // The options are shared with scripts/build.mjs, which builds dist/viewer.js.
  const r = await esbuild.build({
    ...(VIEWER_BUILD as Parameters<typeof esbuild.build>[0]),
    entryPoints: [entry],
    write: false,
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}

const h = (s: string | number) => htmlEscape(String(s));
const amt = (a: DocAmount) => `${h(a.display)} ${h(a.asset)}`;

function table(head: string[], rows: string[][], numeric: number[] = []): string {
  const th = head.map((x, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${x}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="scroll"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** With `trace --fiat`: totals and exits in both units (src/report/fiat-md.ts builds the rows). */
function fiatCard(doc: TraceDoc): string {
  const r = fiatRows(doc, h);
  if (!r) return '';
  return `<div class="card wide"><h2>Money values (${r.currency})</h2><p>${r.intro}</p>${r.totals.length ? table(['total', 'amount', r.currency], r.totals, [1, 2]) : ''}${r.exits.length ? table(['exit', 'amount', r.currency, 'day', 'price used'], r.exits, [1, 2]) : ''}<p>${h(r.closing)}</p></div>`;
}

export async function renderHtml(doc: TraceDoc, ctx: HtmlContext = {}): Promise<string> {
  return page(doc, viewerData(doc, ctx), ctx);
}

/**
 * A trace that followed conversions or bridges (checkDocs' parts, each with its `trail`): one graph
 * across the assets and chains, then the conversions and bridges, then each part's own tables.
 */
export async function renderHtmlTrail(docs: readonly TraceDoc[], ctx: HtmlContext = {}): Promise<string> {
  if (docs.length < 2 || !docs[0]!.trail) return renderHtml(docs[0]!, ctx);
  return page(docs[0]!, viewerDataTrail(docs, ctx), ctx, docs);
}

/** How a trail part is named: its symbol, with its chain when the trace spans chains. */
const partName = (d: TraceDoc) =>
  `${d.query.asset.symbol}${d.trail?.crossChain ? ` on ${d.query.chain}` : ''}`;

const mono = (s: string) => `<span class="mono">${h(s)}</span>`;
const maybe = (a: { value: string; display?: unknown; asset?: unknown }) =>
  typeof a.display === 'string' && typeof a.asset === 'string'
    ? `${h(a.display)} ${h(a.asset)}`
    : `${h(a.value)} (base units)`;

/** The conversions and bridges of a trail, and the bridged terminals of every part. */
function trailCards(docs: readonly TraceDoc[]): string {
  const trail = docs[0]!.trail!;
  const out: string[] = [];
  if (trail.conversions.length > 0)
    out.push(
      `<div class="card wide"><h2>Conversions (the traced value changed asset here)</h2><p>Each amount is in its own asset; the trace went on in the asset that came out. ⇄ marks the address in the graph.</p>${table(
        [
          'hop',
          'address',
          'how',
          'went in (tainted of total)',
          'came out (tainted of total)',
          'transaction',
          'evidence',
        ],
        trail.conversions.map((c) => [
          h(c.hop),
          mono(c.node.slice(c.node.indexOf(':') + 1)),
          h(c.via),
          `${amt(c.from.tainted)} of ${amt(c.from.value)}`,
          `${amt(c.to.tainted)} of ${amt(c.to.value)}`,
          mono(c.tx),
          c.evidence.map((e) => `${h(e.event)} (log ${h(e.index)}, ${mono(e.address)})`).join('<br>'),
        ]),
        [0, 3, 4],
      )}</div>`,
    );
  if (trail.bridges.length > 0)
    out.push(
      `<div class="card wide"><h2>Bridges followed</h2><p>Each deposit was joined to the payment on the other chain by the protocol's own identifier; the blue edge in the graph.</p>${table(
        ['bridge', 'identifier', 'deposit', 'tainted in', 'paid out', 'recipient', 'tainted out'],
        trail.bridges.map((b) => [
          h(b.protocol),
          h(b.identifier),
          `${h(b.from.chain)} ${mono(b.from.tx)}`,
          maybe(b.from.tainted),
          `${h(b.to.chain)} ${mono(b.to.tx)}`,
          mono(b.to.recipient),
          maybe(b.to.tainted),
        ]),
        [3, 6],
      )}</div>`,
    );
  out.push(bridgedCard(docs, new Set(trail.bridges.map((b) => b.key))));
  return out.filter((x) => x !== '').join('\n  ');
}

/**
 * The bridged terminals of the documents: the bridge contract the value entered and, from its
 * deposit event, what to look up on which chain to go on (the identifier, the recipient).
 */
function bridgedCard(docs: readonly TraceDoc[], followed: ReadonlySet<string> = new Set()): string {
  const bridged = docs.flatMap((d) => (d.summary.bridges ?? []).map((b) => ({ d, b })));
  if (bridged.length === 0) return '';
  return `<div class="card wide"><h2>Bridged to other chains (what to look up where)</h2>${table(
    ['from', 'bridge', 'tainted', 'deposit transaction', 'to chain', 'recipient there', 'look up'],
    bridged.map(({ d, b }) => [
      h(partName(d)),
      h(b.name),
      amt(b.tainted),
      b.tx ? mono(b.tx) : '',
      h(b.destination?.chain ?? (b.destination?.chainId ? `chain id ${b.destination.chainId}` : 'unknown')),
      b.destination?.recipient ? mono(b.destination.recipient) : 'unknown',
      h(b.identifier ?? b.note ?? 'no deposit event decoded') +
        (b.key !== null && followed.has(b.key) ? ' (followed)' : ''),
    ]),
    [2],
  )}</div>`;
}

async function page(
  doc: TraceDoc,
  data: ReturnType<typeof viewerData>,
  ctx: HtmlContext,
  parts?: readonly TraceDoc[],
): Promise<string> {
  const js = await viewerBundle();
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const scriptHash = createHash('sha256').update(js).digest('base64');
  const q = doc.query;
  const s = doc.summary;
  const m = ctx.manifest;
  const summaryRows = terminalRows(doc);
  const source = m?.sources[0];
  const meta = [
    `${h(q.direction)} trace on ${h(q.chain)}, ${h(q.hops)} hops, model ${h(q.model)}, asset ${h(q.asset.symbol)}`,
    source
      ? `source ${h(source.spec)}${source.asOf ? ` as of block ${h(source.asOf.height)}` : ''}`
      : `source ${h(q.sources.join(', '))}`,
    ctx.caseHash ? `case hash <span class="mono">${h(ctx.caseHash)}</span>` : 'not from a case directory',
    `${h(doc.generator.name)} ${h(doc.generator.version)}`,
  ];

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-${scriptHash}'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Fund trace: ${h(q.seed)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <h1>Fund trace: <span class="mono">${h(q.seed)}</span></h1>${doc.warnings.some((w) => w.startsWith('NOT EVIDENCE')) ? `<p class="headline"><strong>${h(doc.warnings.find((w) => w.startsWith('NOT EVIDENCE'))!)}</strong></p>` : ''}
  <p class="meta">${meta.join(' · ')}</p>
  <p class="headline">Traced <strong>${amt(s.traced)}</strong>${summaryRows.length ? ': ' : ''}${summaryRows.map((r) => `${r[0]} ${r[1]}`).join(', ')}</p>${
    parts
      ? `\n  <p class="headline">Followed through ${[parts[0]!.trail!.conversions.length > 0 ? 'conversions' : '', parts[0]!.trail!.bridges.length > 0 ? 'bridges' : ''].filter((x) => x).join(' and ')} into ${parts
          .slice(1)
          .map((p) => h(partName(p)))
          .join(', ')}: each asset in its own units, never added across assets.</p>`
      : ''
  }
</header>
<main>
  <section id="graph-section" aria-label="trace graph">
    <div id="controls" role="toolbar" aria-label="reveal the trace hop by hop">
      <button id="step-first" type="button" title="seed only (Home)">seed</button>
      <button id="step-prev" type="button" title="previous hop (←)">◀ hop</button>
      <button id="step-next" type="button" title="next hop (→)">hop ▶</button>
      <button id="step-all" type="button" title="whole trace (End)">all</button>
      <button id="fit" type="button" title="re-centre and fit the graph (F)" aria-label="fit the graph to the view">fit</button>
      <span id="step-label" aria-live="polite"></span>
    </div>
    <div id="graph"></div>
    <div id="legend" role="list" aria-label="legend: node colours by category"></div>
    <p id="graph-note" class="note" hidden></p>
  </section>
  <aside id="panel" aria-label="details"><h2>Details</h2><div id="panel-body"></div></aside>
</main>
<section id="tables">
  ${parts ? `${trailCards(parts)}\n  ${parts.map((p) => partCards(p, ` (${h(partName(p))})`)).join('\n  ')}` : partCards(doc) + bridgedCard([doc])}
  ${fiatCard(doc)}${narrativeSections(doc, { manifest: ctx.manifest, caseHash: ctx.caseHash })}
</section>
<script type="application/json" id="fundtrace-data">${json}</script>
<script>${js}</script>
</body>
</html>
`;
}

/** The terminal rows (end point, amount, share) of one document. */
function terminalRows(doc: TraceDoc): string[][] {
  const q = doc.query;
  const ends = Object.entries(doc.summary.terminals).filter(([, a]) => BigInt(a.value) > 0n);
  const shares = percentsOf(
    ends.map(([, a]) => BigInt(a.value)),
    doc.summary.traced.value,
  );
  return ends.map(([k, a], i) => [
    h(terminalLabel(k, q.direction === 'backward')),
    amt(a),
    q.model === 'poison' ? 'n/a' : shares[i]!,
  ]);
}

/** One document's tables: where the value ended, exposure, exits, funds at rest (titles suffixed per part). */
function partCards(doc: TraceDoc, suffix = ''): string {
  const s = doc.summary;
  const summaryRows = terminalRows(doc);
  const exposed = [
    ...doc.exposure.direct.map((i) => ['direct', i] as const),
    ...doc.exposure.indirect.map((i) => ['indirect', i] as const),
  ];
  // With the buckets (held, fees, cut …) the rows make up the whole: their shares add up.
  const shares = percentsOfShares([
    ...exposed.map(([, i]) => i.share),
    ...doc.exposure.buckets.map((b) => b.share),
  ]);
  const exposureRows = exposed.map(([scope, i], k) => [
    scope,
    h(i.category),
    h(`${i.entity}${graphsenseNote(i)}`),
    amt(i.value),
    shares[k]!,
    h(i.minHops),
  ]);
  const exitRows = s.exits.map((e) => [
    h(e.entity),
    h(e.category),
    `<span class="mono">${h(e.address)}</span>`,
    amt(e.tainted),
    `<span class="mono">${h(e.tx)}</span>`,
    h(e.time ?? 'unconfirmed'),
    h(e.hop),
  ]);
  const restRows = s.atRest
    .slice(0, 50)
    .map((a) => [`<span class="mono">${h(a.address)}</span>`, amt(a.amount), h(a.hop)]);
  return `<div class="card"><h2>Where the value ended${suffix}</h2>${table(['end point', 'amount', 'share'], summaryRows, [1, 2])}</div>
  <div class="card"><h2>Exposure${suffix}</h2>${exposureRows.length ? table(['scope', 'category', 'entity', 'value', 'share', 'min hops'], exposureRows, [3, 4, 5]) : '<p>No traced value reached a flagged cluster.</p>'}</div>
  <div class="card wide"><h2>Exits (for a request letter)${suffix}</h2>${exitRows.length ? table(['service', 'category', 'deposit address', 'tainted', 'transaction', 'time (UTC)', 'hop'], exitRows, [3, 6]) : '<p>No traced value reached a service.</p>'}</div>
  <div class="card wide"><h2>Funds at rest${suffix}</h2>${restRows.length ? table(['address', 'tainted amount', 'hop'], restRows, [1, 2]) + (s.atRest.length > 50 ? `<p>… and ${s.atRest.length - 50} more (see the exports).</p>` : '') : '<p>None.</p>'}</div>`;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232a;background:#f6f7f9}
header{padding:12px 20px;background:#fff;border-bottom:1px solid #dde1e6}
h1{font-size:18px;margin:0 0 4px}h2{font-size:15px;margin:0 0 8px}h3{font-size:15px;margin:0 0 8px;overflow-wrap:anywhere}h4{font-size:13px;margin:12px 0 4px}
.meta{margin:0;color:#5b6570;font-size:12px}.headline{margin:6px 0 0}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
main{display:grid;grid-template-columns:minmax(0,1fr) 360px;gap:12px;padding:12px 20px}
#graph-section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:8px;min-width:0}
#graph{height:560px;width:100%;position:relative}
#controls{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin-bottom:6px}
#controls button{font:inherit;padding:3px 10px;border:1px solid #c5ccd4;background:#f4f6f8;border-radius:4px;cursor:pointer}
#controls button:hover{background:#e8ecf0}#controls button:focus-visible{outline:2px solid #1f6feb;outline-offset:1px}#step-label{margin-left:8px;color:#39434d}
#legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:#39434d;margin-top:6px}
.legend-item{display:inline-flex;align-items:center;gap:5px}.swatch{width:11px;height:11px;border-radius:50%;display:inline-block;border:1px solid rgba(0,0,0,.2)}
.note{background:#fff8e1;border:1px solid #f0d98c;padding:6px 8px;border-radius:4px;font-size:12px}
#panel{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px;max-height:640px;overflow:auto}
#panel dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0}#panel dt{color:#5b6570}#panel dd{margin:0;overflow-wrap:break-word;min-width:0}
.labels{padding-left:18px;margin:0}.labels .note{background:none;border:0;padding:0;color:#5b6570}
.hint{color:#5b6570}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #edf0f3;vertical-align:top}
th{color:#5b6570;font-weight:600}.num{text-align:right;white-space:nowrap}
table.moves{table-layout:fixed}table.moves td{overflow-wrap:break-word}table.moves th:first-child{width:1.5em}table.moves tr.tx td{border-bottom:1px solid #dde1e6;padding-top:0;color:#5b6570}table.moves tr:not(.tx) td{border-bottom:0}
#tables{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:12px;padding:0 20px 20px}
.card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px;min-width:0;overflow:hidden}.scroll{overflow-x:auto;max-width:100%}.narrative ul{margin:0;padding-left:18px}.narrative p{margin:0 0 6px}.card.wide{grid-column:1/-1}
@media (max-width:900px){main{grid-template-columns:1fr}#tables{grid-template-columns:1fr}}
@media print{
body{background:#fff;font-size:11px}
#graph-section,#panel,#controls{display:none}
main{display:block;padding:0}
#tables{display:block;padding:0}
.card{border:0;padding:0 0 8px;overflow:visible;break-inside:auto}
.card h2{break-after:avoid}
tr{break-inside:avoid}
.scroll{overflow:visible}
.mono{font-size:10px}
}
`;
