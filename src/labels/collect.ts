// The bookkeeping every importer shares: canonical chains and addresses, duplicate detection,
// problems with locations, and counts of entries skipped on purpose.
import { basename } from 'node:path';
import { canonicalAddress } from '../core/address.js';
import { findChain } from '../core/chains.js';
import { FundtraceError } from '../core/errors.js';
import type { Label } from '../core/model.js';
import { escapeControls, quoteUntrusted } from './sanitize.js';
import type { ImportResult, LabelProblem } from './types.js';

export class Collector {
  private readonly entries: Label[] = [];
  private readonly problems: LabelProblem[] = [];
  private readonly skips = new Map<string, number>();
  /** duplicate key → where it first occurred, and under which variants */
  private readonly seen = new Map<string, { location: number | string; variants: Set<string> }>();

  constructor(readonly file: string) {}

  get problemCount(): number {
    return this.problems.length;
  }

  /** JSON pointers can quote untrusted keys (domains, addresses): they are stored display-safe. */
  problem(location: number | string, message: string): void {
    this.problems.push({ file: this.file, location: safeLocation(location), message });
  }

  /** Count an entry left out on purpose; `reason` must not contain raw untrusted text. */
  skip(reason: string, n = 1): void {
    this.skips.set(reason, (this.skips.get(reason) ?? 0) + n);
  }

  /** The registered chain's canonical name, or undefined after recording a problem. */
  chain(raw: unknown, location: number | string): string | undefined {
    if (typeof raw !== 'string' || raw.trim() === '') {
      this.problem(location, 'missing chain');
      return undefined;
    }
    const info = findChain(raw);
    if (!info) this.problem(location, `unknown chain ${quoteUntrusted(raw)}`);
    return info?.name;
  }

  /**
   * The canonical form of an address, or undefined after recording a problem. Surrounding
   * whitespace is dropped first: it cannot be part of an address and real lists carry it
   * (MEW darklist, GraphSense tornado_cash.yaml), so rejecting would lose good labels.
   */
  address(chain: string, raw: unknown, location: number | string): string | undefined {
    if (typeof raw !== 'string' || raw.trim() === '') {
      this.problem(
        location,
        raw === undefined || raw === null || raw === '' ? 'missing address' : 'address must be a string',
      );
      return undefined;
    }
    try {
      return canonicalAddress(chain, raw.trim());
    } catch (err) {
      // core/address.ts messages quote the value safely and say what is wrong with it.
      const why = err instanceof FundtraceError ? err.message : quoteUntrusted(raw);
      this.problem(location, `not a valid ${chain} address: ${why}`);
      return undefined;
    }
  }

  /**
   * Add the labels one source entry yields (one per category) unless they repeat earlier ones
   * (same chain, address, category, entity, source): a repeat is one problem per entry. A repeat
   * under another `variant` (e.g. the USDT and USDC tags of one 0x address, both Ethereum) is the
   * same fact listed per token, not a bad row: it is merged silently and counted as skipped.
   */
  add(labels: Label | readonly Label[], location: number | string, variant = ''): number {
    let added = 0;
    let merged = false;
    let repeat: { label: Label; first: number | string } | undefined;
    for (const label of Array.isArray(labels) ? labels : [labels as Label]) {
      // Every importer names an entity; an empty one would write a file that cannot be loaded back.
      if (label.entity.trim() === '') {
        this.problem(location, 'label without an entity');
        continue;
      }
      const key = duplicateKey(label);
      const first = this.seen.get(key);
      if (!first) {
        this.seen.set(key, { location, variants: new Set([variant]) });
        this.entries.push(label);
        added++;
      } else if (first.variants.has(variant)) {
        repeat ??= { label, first: first.location };
      } else {
        first.variants.add(variant);
        merged = true;
      }
    }
    if (repeat) {
      const { label, first } = repeat;
      this.problem(
        location,
        `duplicate of the entry at ${describeLocation(first)} (${label.chain} ${label.address})`,
      );
    } else if (merged) this.skip('same address and label listed again for another currency of the chain');
    return added;
  }

  result(): ImportResult {
    const skipped = [...this.skips].map(([reason, count]) => ({ reason, count }));
    skipped.sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
    return { entries: this.entries, problems: this.problems, skipped };
  }
}

const duplicateKey = (l: Label) =>
  [l.chain, l.address, l.category, l.entity.trim().toLowerCase(), l.source].join('\u0000');

const safeLocation = (loc: number | string) => (typeof loc === 'number' ? loc : escapeControls(loc));

export const describeLocation = (loc: number | string) =>
  typeof loc === 'number' ? `line ${loc}` : escapeControls(loc);

/** `a/b/ofac.yaml` → `ofac`: the default source name of a file. */
export function fileStem(file: string): string {
  const base = basename(file).replace(/\.gz$/i, '');
  const dot = base.indexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Parse JSON; on a syntax error record one problem at the failing line and return undefined. */
export function parseJson(text: string, c: Collector): unknown {
  try {
    return JSON.parse(stripBom(text));
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    c.problem(jsonErrorLine(text, msg), `not valid JSON: ${oneLine(msg)}`);
    return undefined;
  }
}

export const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

function jsonErrorLine(text: string, message: string): number {
  const line = /line (\d+)/.exec(message);
  if (line) return Number(line[1]);
  const pos = /position (\d+)/.exec(message);
  if (!pos) return 1;
  return lineAt(text, Number(pos[1]));
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Parser messages quote the offending input: keep them on one line and free of control characters. */
export const oneLine = (msg: string) => quoteUntrusted(msg, 160).slice(1, -1);

/** JSON pointer segment escaping (RFC 6901). */
export const pointer = (...parts: (string | number)[]) =>
  parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Optional string field: undefined when absent/empty, the trimmed string otherwise. */
export const optString = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
