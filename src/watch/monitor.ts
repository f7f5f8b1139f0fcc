// One poll of the monitor: find where the chain stands against the stored cursor (walking back
// over changed block hashes after a reorganisation), scan the new blocks (plus an overlap),
// evaluate the rules on activity not evaluated before, retract alerts on transactions that
// vanished, and write all of it in one transaction. Output and delivery happen after the commit
// and are tracked per alert in the database, so a kill at any point loses nothing: on restart
// the poll is redone (nothing was committed) or the pending output is finished.
import { createHash } from 'node:crypto';
import type { TraceResult } from '../core/result.js';
import {
  ALERT_SCHEMA,
  type AlertAmount,
  type AlertDoc,
  type AlertRule,
  alertId,
  alertJson,
  exposureDoc,
  retractionId,
} from './alert.js';
import type { PollWrite, SeenRow, WatchDb } from './db.js';
import type { Activity, ChainScanner } from './types.js';

export interface AssetInfo {
  key: string;
  symbol: string;
  decimals: number;
  contract?: string;
}

export interface ResolvedEntry {
  address: string;
  name?: string;
  /** Asset key ('native' or contract) → minimum amount in base units. */
  movement: { asset: string; min: bigint }[];
  arrival: { asset: string; assetInput: string; hops: number; sharePpm?: bigint; amount?: bigint }[];
  labels: boolean;
}

export interface LabelLookup {
  /** A content hash of the labels in force: a change triggers a re-check of seen counterparties. */
  hash: string;
  /** The flagging label of an address, if the label store now flags it. */
  flagged(address: string): { entity: string; category: string; source: string } | undefined;
}

export interface MonitorDeps {
  db: WatchDb;
  scanner: ChainScanner;
  chain: string;
  entries: ResolvedEntry[];
  asset(key: string): AssetInfo;
  /** Reloaded on every poll: label files can change while the monitor runs. */
  labels(): Promise<LabelLookup>;
  /** Backward trace from the credit `tx` for `asset`, through the single trace pipeline. */
  trace?(tx: string, assetInput: string, hops: number, height: number): Promise<TraceResult>;
  now(): Date;
  /** Blocks re-read below the cursor on every poll (besides reorg detection by block hash). */
  overlap: number;
  /** At most this many blocks per poll (a monitor far behind catches up over several polls). */
  maxBlocks: number;
  /** Where a fresh database starts: scan from this height (default: the next block after the tip). */
  fromHeight?: number;
  targets: string[];
}

export interface PollReport {
  from: number;
  to: number;
  tip: number;
  reorgAt?: number;
  activity: number;
  alerts: number;
  retractions: number;
  requests: number;
  ms: number;
}

const key = (tx: string, address: string) => `${tx}\n${address}`;

export async function pollOnce(d: MonitorDeps): Promise<PollReport> {
  const t0 = performance.now();
  const req0 = d.scanner.requests();
  const tip = await d.scanner.tip();
  const cur = await d.db.cursor(d.chain);
  const labels = await d.labels();
  let scanFrom: number;
  let reorgAt: number | undefined;
  if (!cur) {
    scanFrom = d.fromHeight ?? tip.height + 1;
  } else {
    // The stored hash at the cursor still on the chain means every block below is too (each
    // block commits to its parent); otherwise walk down to the last block both agree on.
    let h = cur.height;
    while (h >= 0) {
      const stored = await d.db.blockHash(d.chain, h);
      if (stored === undefined) break;
      const actual = h <= tip.height ? await d.scanner.hashAt(h) : null;
      if (actual === stored) break;
      reorgAt = h;
      h--;
    }
    scanFrom = Math.max(0, Math.min(reorgAt ?? cur.height + 1, cur.height + 1 - d.overlap));
  }
  // --max-blocks counts blocks beyond the cursor: the overlap and a reorg's re-read come on top.
  const scanTo = Math.min(tip.height, Math.max(cur?.height ?? -1, scanFrom - 1) + d.maxBlocks);
  const watched = new Set(d.entries.map((e) => e.address));
  const entryOf = new Map(d.entries.map((e) => [e.address, e]));
  const scan =
    scanTo >= scanFrom ? await d.scanner.scan(scanFrom, scanTo, watched) : { blocks: [], activity: [] };
  const at = d.now().toISOString();

  // Group the activity by (tx, address): one alert per rule, transaction and watched address.
  const groups = new Map<string, Activity[]>();
  for (const a of scan.activity) {
    const k = key(a.tx, a.address);
    const g = groups.get(k);
    if (g) g.push(a);
    else groups.set(k, [a]);
  }
  const before = new Map<string, SeenRow>();
  for (const s of await d.db.seenFrom(d.chain, scanFrom)) before.set(key(s.tx, s.address), s);

  const w: PollWrite = {
    chain: d.chain,
    cursor: {
      height: scanTo >= scanFrom ? scanTo : Math.min(cur?.height ?? scanFrom - 1, tip.height),
      hash:
        scan.blocks[scan.blocks.length - 1]?.hash ??
        (scanTo < scanFrom && tip.height <= (cur?.height ?? tip.height) ? tip.hash : (cur?.hash ?? '')),
      tip: tip.height,
      at,
      labelsHash: labels.hash,
    },
    blocks: scan.blocks,
    ...(reorgAt !== undefined ? { dropBlocksFrom: reorgAt } : {}),
    seen: [],
    unseen: [],
    alerts: [],
    watched: [],
    targets: d.targets,
  };
  // A fresh database with nothing to scan yet still records where it starts.
  if (!cur && scanTo < scanFrom) w.cursor.hash = tip.height === scanFrom - 1 ? tip.hash : '';
  const known = await d.db.watchedFrom(d.chain);
  for (const e of d.entries)
    if (!known.has(e.address)) w.watched.push({ address: e.address, fromHeight: scanFrom });

  let alerts = 0;
  let retractions = 0;
  // Stored alert ids (→ retracted?) on this poll's transactions, fetched in bulk; a tx key marks it loaded.
  const stored = new Map<string, boolean>();
  for (const [id, r] of await d.db.alertIdsForTxs(d.chain, [...new Set(scan.activity.map((a) => a.tx))]))
    stored.set(id, r);
  for (const a of scan.activity) stored.set(a.tx, true);
  const raise = async (
    rule: AlertRule,
    first: Activity,
    body: Omit<
      AlertDoc,
      'schema' | 'type' | 'id' | 'rule' | 'chain' | 'address' | 'tx' | 'block' | 'firstSeen'
    >,
  ) => {
    const base = alertId(rule, d.chain, first.tx, first.address);
    if (!stored.has(first.tx)) {
      for (const [id, retracted] of await d.db.alertIdsForTxs(d.chain, [first.tx])) stored.set(id, retracted);
      stored.set(first.tx, true);
    }
    const family = [...stored].filter(([id]) => id === base || id.startsWith(`${base}.`));
    if (family.some(([, retracted]) => !retracted) || w.alerts.some((a) => a.id.startsWith(base))) return;
    const id = family.length > 0 ? alertId(rule, d.chain, first.tx, first.address, family.length) : base;
    const entry = entryOf.get(first.address);
    const doc: AlertDoc = {
      schema: ALERT_SCHEMA,
      type: 'alert',
      id,
      rule,
      chain: d.chain,
      address: first.address,
      ...(entry?.name ? { name: entry.name } : {}),
      tx: first.tx,
      block: { height: first.height, hash: first.blockHash },
      ...body,
      firstSeen: at,
    };
    w.alerts.push({
      id,
      type: 'alert',
      rule,
      address: first.address,
      tx: first.tx,
      height: first.height,
      doc: alertJson(doc),
      firstSeen: at,
    });
    alerts++;
  };
  const amountDoc = (a: Activity): AlertAmount => {
    const info = d.asset(a.asset);
    return {
      direction: a.direction,
      counterparty: a.counterparty,
      asset: {
        key: info.key,
        symbol: info.symbol,
        decimals: info.decimals,
        ...(info.contract ? { contract: info.contract } : {}),
      },
      amount: a.amount.toString(),
    };
  };

  for (const [k, acts] of groups) {
    const first = acts[0]!;
    const prev = before.get(k);
    before.delete(k);
    w.seen.push({
      tx: first.tx,
      address: first.address,
      height: first.height,
      blockHash: first.blockHash,
      activity: JSON.stringify(acts.map((a) => ({ ...a, amount: a.amount.toString() }))),
    });
    // Evaluated in an earlier poll (the rules ran then; a new block hash alone changes nothing).
    if (prev) continue;
    const entry = entryOf.get(first.address);
    if (!entry) continue;
    const sumBy = (dir: 'in' | 'out', asset: string) =>
      acts.filter((a) => a.direction === dir && a.asset === asset).reduce((s, a) => s + a.amount, 0n);
    const moved = entry.movement.filter((m) => {
      const s = sumBy('out', m.asset);
      return s > 0n && s >= m.min;
    });
    if (moved.length > 0) {
      await raise('movement', first, {
        amounts: acts.filter((a) => a.direction === 'out').map(amountDoc),
        reason: `value left the watched address (${moved.map((m) => `${sumBy('out', m.asset)} base units of ${d.asset(m.asset).symbol} ≥ minimum ${m.min}`).join('; ')})`,
      });
    }
    for (const r of entry.arrival) {
      if (!d.trace || sumBy('in', r.asset) === 0n) continue;
      const result = await d.trace(first.tx, r.assetInput, r.hops, first.height);
      const exp = exposureDoc(result);
      const flagged = BigInt(exp.flagged);
      const ppm = BigInt(exp.flaggedSharePpm);
      const byShare = r.sharePpm !== undefined && ppm >= r.sharePpm;
      const byAmount = r.amount !== undefined && flagged >= r.amount;
      if (flagged > 0n && (byShare || byAmount)) {
        await raise('arrival', first, {
          amounts: acts.filter((a) => a.direction === 'in').map(amountDoc),
          exposure: exp,
          reason: `credit with flagged exposure ${flagged} base units (${ppm} ppm of the traced ${exp.traced}) within ${r.hops} hops${byShare ? ` ≥ share ${r.sharePpm} ppm` : ''}${byAmount ? ` ≥ amount ${r.amount}` : ''}`,
        });
        break;
      }
    }
    if (entry.labels) await labelHit(first, acts);
  }

  async function labelHit(first: Activity, acts: readonly Activity[]) {
    const hits = [...new Set(acts.map((a) => a.counterparty))].sort().flatMap((c) => {
      const l = labels.flagged(c);
      return l ? [{ counterparty: c, ...l }] : [];
    });
    if (hits.length === 0) return;
    await raise('labels', first, {
      amounts: acts.map(amountDoc),
      labels: hits,
      reason: `counterparty flagged by the labels: ${hits.map((h) => `${h.entity} (${h.category})`).join(', ')}`,
    });
  }

  // Labels changed since the last poll: counterparties seen earlier may be flagged now.
  if (cur && cur.labelsHash !== labels.hash) {
    for (const s of await d.db.seenFrom(d.chain, 0)) {
      if (groups.has(key(s.tx, s.address)) || !entryOf.get(s.address)?.labels) continue;
      const acts = (JSON.parse(s.activity) as (Omit<Activity, 'amount'> & { amount: string })[]).map((a) => ({
        ...a,
        amount: BigInt(a.amount),
      }));
      if (acts.length > 0) await labelHit(acts[0]!, acts);
    }
  }

  // Seen before in the re-read range but no longer there: the block that held it was replaced.
  for (const [, s] of before) {
    // Not re-read yet, unless a reorganisation left the chain shorter than its block.
    if (s.height > scanTo && !(reorgAt !== undefined && s.height > tip.height)) continue;
    w.unseen.push({ tx: s.tx, address: s.address });
    for (const a of await d.db.liveAlertsForTx(d.chain, s.tx, s.address)) {
      const original = JSON.parse(a.doc) as AlertDoc;
      const id = retractionId(a.id);
      const doc: AlertDoc = {
        ...original,
        type: 'retraction',
        id,
        retracts: a.id,
        reason: `transaction ${s.tx} is no longer in the chain (block ${s.height} ${s.blockHash} was replaced)`,
        firstSeen: at,
      };
      w.alerts.push({
        id,
        type: 'retraction',
        rule: a.rule,
        address: a.address,
        tx: a.tx,
        height: a.height,
        doc: alertJson(doc),
        firstSeen: at,
        retracts: a.id,
      });
      retractions++;
    }
  }
  await d.db.commitPoll(w);
  return {
    from: scanFrom,
    to: scanTo,
    tip: tip.height,
    ...(reorgAt !== undefined ? { reorgAt } : {}),
    activity: groups.size,
    alerts,
    retractions,
    requests: d.scanner.requests() - req0,
    ms: Math.round(performance.now() - t0),
  };
}

/** Content hash of a label set's flagged entries (order-independent). */
export function labelsHash(lines: readonly string[]): string {
  return createHash('sha256')
    .update([...lines].sort().join('\n'))
    .digest('hex')
    .slice(0, 32);
}
