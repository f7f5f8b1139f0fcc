// Table, CSV and NDJSON output of `fundtrace trace` (JSON is rendered by ./trace-run.ts itself):
// a module of its own so that a JSON trace never loads these renderers, nor chalk.
import { Chalk, type ChalkInstance } from 'chalk';
import type { TraceResult } from '../core/result.js';
import { type CsvTable, renderCsv } from '../report/csv.js';
import {
  renderConversionCsv,
  renderConversionNdjson,
  renderConversionTable,
  renderMultiCsv,
  renderMultiNdjson,
  renderMultiTable,
} from '../report/multi.js';
import { renderNdjson } from '../report/ndjson.js';
import { renderTable, type TableOptions } from '../report/table.js';
import type { Io } from './io.js';
import type { TRACE_FORMATS } from './trace-query.js';

type TextFormat = Exclude<(typeof TRACE_FORMATS)[number], 'json'>;

export function makeChalk(io: Io, colorFlag: boolean): ChalkInstance {
  const env = io.env;
  let level: 0 | 1 | 2 | 3 = io.stdoutIsTTY ? 2 : 0;
  if (env.FORCE_COLOR !== undefined) level = env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false' ? 0 : 1;
  if (!colorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) level = 0;
  return new Chalk({ level });
}

/** One result, or with --asset all one per asset (`all`). */
export function renderTrace(
  parts: TraceResult[],
  all: boolean,
  format: TextFormat,
  table: CsvTable,
  c: ChalkInstance,
  fit: TableOptions,
): string | Iterable<string> {
  if (all) {
    if (format === 'ndjson') return renderMultiNdjson(parts);
    if (format === 'csv') return renderMultiCsv(parts, table);
    return renderMultiTable(parts, c, fit);
  }
  const r = parts[0]!;
  if (r.parts && r.parts.length > 0) {
    // It followed conversions: one section per asset, and what was converted into what.
    if (format === 'ndjson') return renderConversionNdjson(r);
    if (format === 'csv') return renderConversionCsv(r, table);
    return renderConversionTable(r, c, fit);
  }
  if (format === 'ndjson') return renderNdjson(r);
  if (format === 'csv') return renderCsv(r, table);
  return renderTable(r, c, fit);
}
