// Shared test helpers: run the CLI in-process, load fixture datasets, read figures off results.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../src/cli/io.js';
import { run } from '../src/cli/program.js';
import { toJsonLines } from './fixtures/dataset/docs.js';

export const ROOT = join(import.meta.dirname, '..');
export const fixture = (...p: string[]) => join(ROOT, 'test', 'fixtures', ...p);
export const SHARED = join(ROOT, '..', 'shared');

/** A shipped sample written as JSON Lines at `path` (the form the parallel load reads); `path`. */
export function writeSampleJsonLines(path: string, sample = 'phishing-eth'): string {
  writeFileSync(path, toJsonLines(JSON.parse(readFileSync(join(ROOT, 'samples', `${sample}.json`), 'utf8'))));
  return path;
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** An empty label directory and cache, so tests never read the developer's own. */
export const ISOLATED_ENV: NodeJS.ProcessEnv = {
  FUNDTRACE_LABEL_DIR: mkdtempSync(join(tmpdir(), 'fundtrace-labels-')),
  FUNDTRACE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'fundtrace-cache-')),
};

/** Run `fundtrace ARGS` in-process (commander with exitOverride), capturing the streams. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}, tty = false): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (s) => {
      stdout += s;
    },
    err: (s) => {
      stderr += s;
    },
    stdoutIsTTY: tty,
    stderrIsTTY: false,
    env: { ...ISOLATED_ENV, ...env },
  };
  const status = await run(args, io);
  return { status, stdout, stderr };
}

/** `fundtrace trace … --format json`, parsed. Fails the test when the command failed. */
export async function traceJson(args: string[]): Promise<TraceJson> {
  const r = await cli(['trace', ...args, '--format', 'json']);
  if (r.status !== 0) throw new Error(`trace failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as TraceJson;
}

export interface JsonAmount {
  value: string;
  asset: string;
  decimals: number;
  display: string;
}

export interface TraceJson {
  schema: string;
  query: Record<string, unknown>;
  summary: {
    traced: JsonAmount;
    conserved: boolean;
    terminalTotal: JsonAmount;
    terminals: Record<string, JsonAmount>;
    exits: {
      entity: string;
      category: string;
      address: string;
      tainted: JsonAmount;
      hop: number;
      tx: string;
    }[];
    atRest: { address: string; amount: JsonAmount; hop: number }[];
    cut: { reason: string; address: string | null; amount: JsonAmount; hop: number }[];
    hops: { hop: number; addresses: number; movements: number; value: JsonAmount; tainted: JsonAmount }[];
    findings: { kind: string; description: string; txs: string[] }[];
  };
  exposure: {
    direct: {
      category: string;
      entity: string;
      flagged: boolean;
      value: JsonAmount;
      share: string | null;
      minHops: number;
    }[];
    indirect: {
      category: string;
      entity: string;
      flagged: boolean;
      value: JsonAmount;
      share: string | null;
      minHops: number;
    }[];
    buckets: { name: string; value: JsonAmount; share: string | null }[];
  };
  graph: {
    nodes: {
      key: string;
      attributes: {
        address: string;
        hop: number;
        tainted: JsonAmount;
        stop: string | null;
        cluster: {
          via: string;
          entity: string | null;
          category: string | null;
          evidence?: string;
          from?: string;
        };
      };
    }[];
    edges: {
      key: string;
      source: string;
      target: string;
      attributes: { tainted: JsonAmount; value: JsonAmount; hop: number; tx: string };
    }[];
  };
  warnings: string[];
}

/** Tainted value received by the node at `address` (JSON output). */
export function taintedAt(j: TraceJson, address: string): bigint {
  const n = j.graph.nodes.find((x) => x.attributes.address === address);
  return n ? BigInt(n.attributes.tainted.value) : 0n;
}
