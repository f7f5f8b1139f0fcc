// Account-chain engine, backward: where did the value at the seed come from? It walks transfers
// in reverse global order and splits each traced debit over the credits that funded it, in the
// model's terms (haircut shares, fifo unit ranges, poison: every earlier credit).
import { apportion } from '../amount.js';
import { beforeSince } from '../bounds.js';
import { GraphBuilder } from '../graph.js';
import { Heap } from '../heap.js';
import { compareTransfers, type Transfer } from '../model.js';
import { mapRanges, normalizeRanges, type Piece, type Range, rangesTotal } from '../ranges.js';
import { findLookalikes, lookalikeWarnings, partiesOf } from '../spam.js';
import type { MissingData, Terminal, TraceOptions, TraceOutcome } from '../trace-types.js';
import type { AccountView } from '../view.js';
import { assetOf, edgeAttrs, labelStop, limitFor, moves, resolveSeed, transferId } from './common.js';

const UNKNOWN = '(before the data)';

/** How each debit of an address was funded: pieces of its earlier credits, in the model's terms. */
class Funding {
  private pieces = new Map<string, Piece<string>[]>();
  private creditsBefore = new Map<string, Transfer[]>();
  constructor(model: TraceOptions['model'], address: string, ledger: readonly Transfer[]) {
    const credits: { t: Transfer; rem: bigint; used: bigint }[] = [];
    let head = 0; // fifo: first credit with units left
    for (const t of ledger) {
      if (!moves(t)) continue;
      if (t.to === address) {
        credits.push({ t, rem: t.value, used: 0n });
        continue;
      }
      if (t.from !== address) continue;
      const id = transferId(t);
      const out: Piece<string>[] = [];
      let at = 0n;
      if (model === 'poison') {
        this.creditsBefore.set(
          id,
          credits.map((c) => c.t),
        );
        continue;
      }
      if (model === 'haircut') {
        const B = credits.reduce((a, c) => a + c.rem, 0n);
        const take = B < t.value ? B : t.value;
        const d = apportion(
          take,
          credits.map((c) => c.rem),
        );
        credits.forEach((c, i) => {
          const n = d[i]!;
          if (n === 0n) return;
          out.push({ src: transferId(c.t), at, srcStart: 0n, len: n });
          at += n;
          c.rem -= n;
        });
      } else {
        let need = t.value;
        while (need > 0n && head < credits.length) {
          const c = credits[head]!;
          const n = c.rem < need ? c.rem : need;
          out.push({ src: transferId(c.t), at, srcStart: c.used, len: n });
          at += n;
          need -= n;
          c.rem -= n;
          c.used += n;
          if (c.rem === 0n) head++;
        }
      }
      if (at < t.value) out.push({ src: UNKNOWN, at, srcStart: 0n, len: t.value - at });
      this.pieces.set(id, out);
    }
  }
  /** Attribute `amount` (or exact `ranges`, fifo) of debit `id` to its funding credits. */
  attribute(model: TraceOptions['model'], id: string, amount: bigint, ranges: Range[] | undefined) {
    const res = new Map<string, { amount: bigint; ranges?: Range[] }>();
    if (model === 'poison') {
      for (const c of this.creditsBefore.get(id) ?? []) res.set(transferId(c), { amount: c.value });
      if (res.size === 0) res.set(UNKNOWN, { amount });
      return res;
    }
    const pieces = this.pieces.get(id) ?? [];
    if (model === 'haircut') {
      const shares = apportion(
        amount,
        pieces.map((p) => p.len),
      );
      pieces.forEach((p, i) => {
        if (shares[i]! > 0n) res.set(p.src, { amount: (res.get(p.src)?.amount ?? 0n) + shares[i]! });
      });
      return res;
    }
    for (const [src, rs] of mapRanges(ranges ?? [], pieces)) {
      const n = normalizeRanges(rs);
      res.set(src, { amount: rangesTotal(n), ranges: n });
    }
    return res;
  }
}

interface BackItem {
  t: Transfer;
  amount: bigint;
  ranges?: Range[];
  /** Hop of the recipient. */
  hop: number;
}

export function traceAccountBackward(view: AccountView, opts: TraceOptions): TraceOutcome {
  const asset = assetOf(view, opts.asset);
  const warnings: string[] = [];
  const missing: MissingData = { addresses: [], txs: [], outspends: [] };
  const g = new GraphBuilder(view.chain, opts.policy, true);
  const terminals: Terminal[] = [];
  const fifo = opts.model === 'fifo';
  const items = new Map<string, BackItem>();
  const heap = new Heap<BackItem>((a, b) => compareTransfers(a.t, b.t) > 0);
  const fundings = new Map<string, Funding>();
  const seedNodes = new Set<string>();
  /** The seed's own traced credits (transaction seed: its transfers; address seed: what it received). */
  const seedIds = new Set<string>();
  let traced = 0n;

  const push = (t: Transfer, amount: bigint, ranges: Range[] | undefined, hop: number) => {
    const id = transferId(t);
    const it = items.get(id);
    if (it) {
      it.hop = Math.min(it.hop, hop);
      if (fifo) {
        it.ranges = normalizeRanges([...(it.ranges ?? []), ...(ranges ?? [])]);
        it.amount = rangesTotal(it.ranges);
      } else if (opts.model === 'poison') it.amount = t.value;
      else it.amount += amount;
      return;
    }
    const n: BackItem = { t, amount, ranges, hop };
    items.set(id, n);
    heap.push(n);
  };
  const whole = (t: Transfer): Range[] | undefined => (fifo ? [[0n, t.value]] : undefined);

  const seed = resolveSeed(view, opts, asset, 'backward', warnings, missing);
  for (const n of seed.nodes) seedNodes.add(n);
  // An address seed is a node once its history is read; a transaction seed's recipients each are.
  if (opts.seedKind === 'address' && !missing.addresses.includes(opts.seed)) g.node(opts.seed, 0, true);
  for (const t of seed.transfers) {
    if (opts.seedKind === 'tx') g.node(t.to!, 0, true);
    traced += t.value;
    seedIds.add(transferId(t));
    push(t, t.value, whole(t), 0);
  }

  for (let it = heap.pop(); it; it = heap.pop()) {
    if (it.amount === 0n) continue;
    const { t } = it;
    const hop = it.hop + 1;
    const key = `${view.chain}:${t.tx}:${t.index}`;
    const node = g.node(t.from, hop);
    g.edge(key, node, g.node(t.to!, it.hop), edgeAttrs(t, it.amount, hop));
    const stopAt = (x: Omit<Terminal, 'node' | 'edge' | 'hop' | 'amount'>) => {
      terminals.push({ ...x, node, edge: key, hop, amount: it.amount });
      if (x.reason) g.stop(node, x.reason);
    };
    // Value an address seed sent out was funded by what it received, all of which is traced. The
    // recipients of a transaction seed are hop 0 too, but only the seed's own transfers into them
    // are traced: what they sent earlier has origins of its own, followed like any other.
    if (opts.seedKind === 'address' && seedNodes.has(t.from)) {
      stopAt({ kind: 'returned', reason: 'returned', note: 'came from the seed itself: already counted' });
      continue;
    }
    const why = limitFor(view, opts, t.from, hop, it.amount, g.order);
    if (why === 'label') {
      stopAt(labelStop(opts.policy, t.from));
      continue;
    }
    if (why === 'burn') {
      // From the null address: newly minted (a precompile or burn address never sends).
      stopAt({ kind: 'coinbase', reason: 'burn', note: 'minted' });
      continue;
    }
    if (why) {
      stopAt({ kind: 'cut', reason: why });
      continue;
    }
    if (beforeSince(opts.since, t)) {
      stopAt({ kind: 'cut', reason: 'time-window' });
      continue;
    }
    let f = fundings.get(t.from);
    if (!f) {
      const r = view.ledger(t.from, asset.key);
      if (r.status === 'missing') {
        if (!missing.addresses.includes(t.from)) missing.addresses.push(t.from);
        stopAt({ kind: 'cut', reason: 'missing-data' });
        continue;
      }
      f = new Funding(opts.model, t.from, r.value);
      fundings.set(t.from, f);
    }
    const attr = f.attribute(opts.model, transferId(t), it.amount, it.ranges);
    const ledger = view.ledger(t.from, asset.key);
    const byId = new Map<string, Transfer>();
    if (ledger.status === 'ok') for (const c of ledger.value) byId.set(transferId(c), c);
    for (const [src, part] of attr) {
      if (part.amount === 0n) continue;
      if (src === UNKNOWN) {
        terminals.push({
          kind: 'unknown-origin',
          reason: 'origin',
          node,
          edge: key,
          hop,
          amount: part.amount,
          note: 'funded before the data starts',
        });
        continue;
      }
      const credit = byId.get(src)!;
      if (seedIds.has(src)) {
        // Funded by one of the seed's own traced transfers (a transaction that routes value
        // through several addresses): those units are already counted.
        terminals.push({
          kind: 'returned',
          reason: 'returned',
          node,
          edge: key,
          hop,
          amount: part.amount,
          note: 'came from the seed itself: already counted',
        });
        continue;
      }
      if (opts.dust !== undefined && credit.value < opts.dust && !seedNodes.has(credit.from)) {
        // Dust from elsewhere is not an origin worth following (address poisoning, airdrops).
        terminals.push({
          kind: 'cut',
          reason: 'dust',
          node,
          edge: key,
          hop,
          amount: part.amount,
          note: `dust from ${credit.from} in ${credit.tx}`,
        });
        continue;
      }
      push(credit, part.amount, part.ranges, hop);
    }
  }
  const read: (readonly Transfer[])[] = [];
  for (const a of fundings.keys()) {
    const l = view.ledger(a, asset.key);
    if (l.status === 'ok') read.push(l.value);
  }
  warnings.push(
    ...lookalikeWarnings(
      findLookalikes(
        g.graph.mapNodes((_k, n) => n.address),
        partiesOf(read),
      ),
    ),
  );
  return { graph: g.graph, terminals, traced, asset, warnings, missing, findings: [] };
}
