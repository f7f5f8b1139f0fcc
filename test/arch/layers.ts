// The layer rule, as data and a checker: imports only point down, and no module imports itself
// back through others. Used by layers.test.ts on the real tree (so `npm test` fails on a break).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Higher numbers may import lower ones (and their own layer); never the other way round. */
export const LAYERS: Record<string, number> = {
  meta: 0,
  core: 0,
  sources: 1,
  labels: 1,
  report: 2,
  case: 3,
  app: 4,
  devnet: 4,
  watch: 4,
  cli: 5,
};

/** Same-level layers that must not import each other (they are siblings, not a stack). */
export const SIBLINGS_APART: Array<[string, string]> = [['sources', 'labels']];

export type ImportGraph = Map<string, string[]>;

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g;

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
}

/** Relative imports of every .ts file under `srcDir`, as paths relative to it (".js" → ".ts"). */
export function readImportGraph(srcDir: string): ImportGraph {
  const files: string[] = [];
  walk(srcDir, files);
  const graph: ImportGraph = new Map();
  for (const file of files.sort()) {
    const text = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2] ?? m[3]) as string;
      const target = relative(srcDir, resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
      // Files outside src (the JSON Schemas) are data, not layers.
      if (!target.startsWith('..')) targets.push(target);
    }
    graph.set(relative(srcDir, file), targets);
  }
  return graph;
}

const layerOf = (path: string): string => path.split('/')[0] as string;

/** Every import that points up a layer or across separated siblings, as "from → to" lines. */
export function layerViolations(graph: ImportGraph): string[] {
  const bad: string[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(from);
    for (const to of targets) {
      const b = layerOf(to);
      if (a === b) continue;
      const la = LAYERS[a];
      const lb = LAYERS[b];
      if (la === undefined || lb === undefined) {
        bad.push(`${from} → ${to} (a layer missing from the table: ${la === undefined ? a : b})`);
      } else if (lb > la) {
        bad.push(`${from} → ${to} (${a} may not import ${b})`);
      } else if (SIBLINGS_APART.some(([x, y]) => (x === a && y === b) || (x === b && y === a))) {
        bad.push(`${from} → ${to} (${a} and ${b} are kept apart)`);
      }
    }
  }
  return bad;
}

/** Import cycles (each reported once, as the path round it). */
export function importCycles(graph: ImportGraph): string[] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 1);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const s = state.get(next);
      if (s === 1) cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 2);
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}
