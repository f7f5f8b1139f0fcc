// The watch file (YAML or JSON; JSON is read by the same parser, so line numbers work for both).
// Every problem is reported at once, each with its line. See README "Watch" for the format.
import { readFile, writeFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { FundtraceError } from '../core/errors.js';

export const RULES = ['movement', 'arrival', 'labels'] as const;
export type RuleName = (typeof RULES)[number];

export interface MovementRule {
  /** Asset input (symbol or contract); default the chain's native asset. */
  asset?: string;
  /** Minimum amount in asset units, as written ("0.5"). */
  min: string;
}

export interface ArrivalRule {
  asset?: string;
  hops: number;
  /** Flagged share of the credit, in millionths (from "10%" or "0.1"). */
  sharePpm?: bigint;
  /** Flagged amount in asset units, as written. */
  amount?: string;
}

export interface WatchEntry {
  address: string;
  name?: string;
  line: number;
  movement: MovementRule[];
  arrival: ArrivalRule[];
  labels: boolean;
}

export interface WatchFile {
  file: string;
  chain?: string;
  labels: string[];
  entries: WatchEntry[];
}

const KNOWN_TOP = ['chain', 'labels', 'watch'];
const KNOWN_ENTRY = ['address', 'name', 'rules'];

/** "10%", "0.1" → 100000 ppm; undefined when not a share between 0 and 1. */
export function parseShare(s: string): bigint | undefined {
  const t = s.trim();
  const pct = t.endsWith('%');
  const body = pct ? t.slice(0, -1).trim() : t;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(body);
  if (!m) return undefined;
  const scale = pct ? 4 : 6; // ppm digits after the point
  const frac = m[2] ?? '';
  if (frac.length > scale) return undefined;
  const ppm =
    BigInt(m[1]!) * 10n ** BigInt(scale) + BigInt((frac + '0'.repeat(scale)).slice(0, scale) || '0');
  return ppm <= 1_000_000n ? ppm : undefined;
}

const AMOUNT = /^\d+(?:\.\d+)?$/;

export function parseWatchFile(text: string, file: string): WatchFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const problems: string[] = [];
  const lineOf = (n: YamlNode | null | undefined) => (n?.range ? lc.linePos(n.range[0]).line : 1);
  const add = (n: YamlNode | null | undefined, msg: string) => problems.push(`${file}:${lineOf(n)}: ${msg}`);
  for (const e of doc.errors)
    problems.push(`${file}:${lc.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
  if (problems.length) throw new FundtraceError('BAD_INPUT', `watch file ${file} does not parse`, problems);
  const root = doc.contents;
  if (!isMap(root))
    throw new FundtraceError('BAD_INPUT', `watch file ${file}: expected a mapping with a "watch" list`, [
      `${file}:1: not a mapping`,
    ]);
  const out: WatchFile = { file, labels: [], entries: [] };
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? '');
    const val = pair.value as YamlNode | null;
    if (!KNOWN_TOP.includes(key))
      add(pair.key as YamlNode, `unknown key "${key}" (known: ${KNOWN_TOP.join(', ')})`);
    else if (key === 'chain') {
      const v = (val as { value?: unknown })?.value;
      if (typeof v !== 'string') add(val, '"chain" must be a chain name');
      else out.chain = v;
    } else if (key === 'labels') {
      const items = isSeq(val) ? val.items : [val];
      for (const it of items) {
        const v = (it as { value?: unknown })?.value;
        if (typeof v !== 'string' || v === '')
          add(it as YamlNode, '"labels" must be a file name or a list of them');
        else out.labels.push(v);
      }
    }
  }
  const list = root.get('watch', true) as YamlNode | undefined;
  if (!isSeq(list)) add(list ?? root, '"watch" must be a list of entries (- address: …)');
  else
    list.items.forEach((item, i) => {
      const where = `watch[${i}]`;
      if (!isMap(item)) {
        add(item as YamlNode, `${where}: expected a mapping with "address" and "rules"`);
        return;
      }
      for (const p of item.items) {
        const k = String((p.key as { value?: unknown })?.value ?? '');
        if (!KNOWN_ENTRY.includes(k))
          add(p.key as YamlNode, `${where}: unknown key "${k}" (known: ${KNOWN_ENTRY.join(', ')})`);
      }
      const addrNode = item.get('address', true) as YamlNode | undefined;
      // YAML reads an unquoted 0x… as a hexadecimal number: an address is its text as written.
      const raw = (addrNode as { value?: unknown } | undefined)?.value;
      const address =
        typeof raw === 'number' || typeof raw === 'bigint'
          ? text.slice(addrNode!.range![0], addrNode!.range![1]).trim()
          : raw;
      if (typeof address !== 'string' || address === '')
        add(addrNode ?? item, `${where}: "address" is missing`);
      const nameNode = item.get('name', true) as { value?: unknown } | undefined;
      if (nameNode !== undefined && typeof nameNode.value !== 'string')
        add(nameNode as YamlNode, `${where}: "name" must be text`);
      const entry: WatchEntry = {
        address: typeof address === 'string' ? address : '',
        line: lineOf(item),
        movement: [],
        arrival: [],
        labels: false,
        ...(typeof nameNode?.value === 'string' ? { name: nameNode.value } : {}),
      };
      const rules = item.get('rules', true) as YamlNode | undefined;
      if (!isMap(rules)) {
        add(rules ?? item, `${where}: "rules" must map rule names (${RULES.join(', ')}) to their settings`);
      } else {
        for (const rp of rules.items) {
          const name = String((rp.key as { value?: unknown })?.value ?? '');
          const rv = rp.value as YamlNode | null;
          if (!(RULES as readonly string[]).includes(name)) {
            add(rp.key as YamlNode, `${where}: unknown rule "${name}" (known: ${RULES.join(', ')})`);
            continue;
          }
          if (name === 'labels') {
            const v = (rv as { value?: unknown })?.value;
            if (v !== true && v !== false && !isMap(rv))
              add(rv ?? (rp.key as YamlNode), `${where}: rule labels takes true or false`);
            entry.labels = v !== false;
            continue;
          }
          const settings = isSeq(rv) ? rv.items : [rv];
          for (const s of settings) {
            if (!isMap(s)) {
              add(
                (s as YamlNode) ?? (rp.key as YamlNode),
                `${where}: rule ${name} needs settings (e.g. { min: "0.1" })`,
              );
              continue;
            }
            const get = (k: string) => s.get(k, true) as (YamlNode & { value?: unknown }) | undefined;
            const allowed = name === 'movement' ? ['asset', 'min'] : ['asset', 'hops', 'share', 'amount'];
            for (const p of s.items) {
              const k = String((p.key as { value?: unknown })?.value ?? '');
              if (!allowed.includes(k))
                add(
                  p.key as YamlNode,
                  `${where}: rule ${name}: unknown setting "${k}" (known: ${allowed.join(', ')})`,
                );
            }
            const assetN = get('asset');
            if (assetN !== undefined && typeof assetN.value !== 'string')
              add(assetN, `${where}: rule ${name}: "asset" must be a symbol or contract`);
            const asset = typeof assetN?.value === 'string' ? { asset: assetN.value } : {};
            const amountOf = (k: string): string | undefined => {
              const n = get(k);
              if (n === undefined) return undefined;
              const v = String(n.value ?? '');
              if (!AMOUNT.test(v)) {
                add(
                  n,
                  `${where}: rule ${name}: "${k}" must be an amount like "0.5", not ${JSON.stringify(n.value)}`,
                );
                return undefined;
              }
              return v;
            };
            if (name === 'movement') {
              entry.movement.push({ ...asset, min: amountOf('min') ?? '0' });
            } else {
              const hopsN = get('hops');
              const hops = hopsN === undefined ? 3 : Number(hopsN.value);
              if (!Number.isInteger(hops) || hops < 1 || hops > 20)
                add(hopsN ?? s, `${where}: rule arrival: "hops" must be a whole number from 1 to 20`);
              const shareN = get('share');
              let sharePpm: bigint | undefined;
              if (shareN !== undefined) {
                sharePpm = parseShare(String(shareN.value ?? ''));
                if (sharePpm === undefined)
                  add(
                    shareN,
                    `${where}: rule arrival: "share" must be a share like "10%" or "0.1", not ${JSON.stringify(shareN.value)}`,
                  );
              }
              const amount = amountOf('amount');
              if (shareN === undefined && get('amount') === undefined)
                add(
                  s,
                  `${where}: rule arrival needs "share" or "amount" (the flagged exposure that raises an alert)`,
                );
              entry.arrival.push({
                ...asset,
                hops,
                ...(sharePpm !== undefined ? { sharePpm } : {}),
                ...(amount ? { amount } : {}),
              });
            }
          }
        }
        if (entry.movement.length + entry.arrival.length === 0 && !entry.labels && rules.items.length === 0)
          add(rules, `${where}: no rule given`);
      }
      out.entries.push(entry);
    });
  if (problems.length)
    throw new FundtraceError(
      'BAD_INPUT',
      `watch file ${file} has ${problems.length} problem${problems.length > 1 ? 's' : ''}`,
      problems,
    );
  return out;
}

export async function readWatchFile(file: string): Promise<WatchFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new FundtraceError(
      'BAD_INPUT',
      `cannot read watch file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return parseWatchFile(text, file);
}

/** Append entries to a watch file (created when missing), keeping what is there. */
export async function appendWatchEntries(
  file: string,
  entries: { address: string; name: string; min: string; asset?: string }[],
): Promise<number> {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = 'watch:\n';
  }
  const current = text.trim() === '' ? { entries: [] } : parseWatchFile(text, file);
  const have = new Set(current.entries.map((e) => e.address.toLowerCase()));
  const fresh = entries.filter((e) => !have.has(e.address.toLowerCase()));
  if (fresh.length === 0) return 0;
  if (!/(^|\n)watch:/.test(text)) text = `${text.trimEnd()}\nwatch:\n`;
  const lines = fresh.map(
    (e) =>
      `  - address: "${e.address}"\n    name: ${JSON.stringify(e.name)}\n    rules:\n      movement: { min: "${e.min}"${e.asset ? `, asset: ${JSON.stringify(e.asset)}` : ''} }\n      labels: true\n`,
  );
  const body = text.endsWith('\n') ? text : `${text}\n`;
  // "watch: []" cannot take appended items: rewrite it as an empty block list.
  await writeFile(file, body.replace(/(^|\n)watch:\s*\[\]\s*\n/, '$1watch:\n') + lines.join(''));
  parseWatchFile(await readFile(file, 'utf8'), file);
  return fresh.length;
}
