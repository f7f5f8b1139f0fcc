// Renders every golden case through the in-process CLI: name → output text. Shared by the
// recorder (scripts/golden.ts) and the test (golden.test.ts), so both run exactly the same thing.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers.js';
import { CSV_TABLES_RECORDED, EXPORT_FORMATS, GOLDEN_TRACES, type GoldenTrace } from './cases.js';

const NO_COLOR = { NO_COLOR: '1' };

async function must(args: string[]): Promise<string> {
  const r = await cli(args, NO_COLOR);
  if (r.status !== 0) throw new Error(`fundtrace ${args.join(' ')} → ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/**
 * The HTML report embeds the bundled viewer (~170 KB of minified sigma): the golden file keeps its
 * hash and size in its place, so a change of viewer still shows while the repository stays small.
 */
function foldScripts(html: string): string {
  return html.replace(/<script>([\s\S]*?)<\/script>/g, (_m, body: string) => {
    const hash = createHash('sha256').update(body).digest('hex');
    return `<script>/* viewer script: sha256 ${hash}, ${Buffer.byteLength(body)} bytes */</script>`;
  });
}

/** Every output of one golden trace: file name → text. */
export async function renderGolden(g: GoldenTrace): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const json = await must(['trace', ...g.args, '--format', 'json']);
  out.set(`${g.name}.json`, json);
  if (!g.full) return out;
  out.set(`${g.name}.ndjson`, await must(['trace', ...g.args, '--format', 'ndjson']));
  out.set(`${g.name}.table.txt`, await must(['trace', ...g.args, '--format', 'table']));
  for (const t of CSV_TABLES_RECORDED)
    out.set(`${g.name}.${t}.csv`, await must(['trace', ...g.args, '--format', 'csv', '--table', t]));
  const dir = mkdtempSync(join(tmpdir(), 'fundtrace-golden-'));
  const file = join(dir, 'trace.json');
  writeFileSync(file, json);
  for (const f of EXPORT_FORMATS)
    out.set(`${g.name}.export.${f === 'csv' ? 'edges.csv' : f}`, await must(['export', file, '--format', f]));
  out.set(`${g.name}.export.nodes.csv`, await must(['export', file, '--format', 'csv', '--table', 'nodes']));
  out.set(`${g.name}.report.md`, await must(['report', file, '--format', 'md']));
  out.set(`${g.name}.report.html`, foldScripts(await must(['report', file, '--format', 'html'])));
  return out;
}

export async function renderAllGolden(): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for (const g of GOLDEN_TRACES) for (const [k, v] of await renderGolden(g)) all.set(k, v);
  all.set('demo.txt', await must(['demo']));
  return all;
}
