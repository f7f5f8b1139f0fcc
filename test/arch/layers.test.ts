import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCycles, LAYERS, layerViolations, readImportGraph } from './layers.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');

describe('layers of src/ (imports only point down, no cycles)', () => {
  const graph = readImportGraph(SRC);

  it('reads the real tree', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('cli/main.ts')?.length).toBeGreaterThan(0);
  });

  it('every top-level folder of src/ is in the layer table', () => {
    const tops = new Set([...graph.keys()].map((p) => p.split('/')[0] as string));
    expect([...tops].filter((t) => LAYERS[t] === undefined)).toEqual([]);
  });

  it('no import points up a layer', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });
});

// The checker itself must catch a break: a tree with a core → cli import, a report → case type
// import, a side-effect import up a layer, a lazy import() up a layer, and a cycle.
describe('the layer checker catches a break', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fundtrace-layers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('core/a.ts', "import { x } from '../cli/x.js';\nexport const a = x;\n");
  write('cli/x.ts', "export const x = 1;\nimport { b } from './y.js';\n");
  write('cli/y.ts', "import { x } from './x.js';\nexport const b = x;\n");
  write('report/r.ts', "import type { M } from '../case/m.js';\nexport type R = M;\n");
  write('case/m.ts', 'export interface M { a: 1 }\n');
  write('sources/s.ts', "import '../case/m.js';\nexport const s = () => import('../app/t.js');\n");
  write('app/t.ts', 'export const t = 1;\n');
  const graph = readImportGraph(dir);

  it('reports each upward import', () => {
    expect(layerViolations(graph)).toEqual([
      'core/a.ts → cli/x.ts (core may not import cli)',
      'report/r.ts → case/m.ts (report may not import case)',
      'sources/s.ts → case/m.ts (sources may not import case)',
      'sources/s.ts → app/t.ts (sources may not import app)',
    ]);
  });

  it('reports the cycle', () => {
    expect(importCycles(graph)).toEqual(['cli/x.ts → cli/y.ts → cli/x.ts']);
  });
});
