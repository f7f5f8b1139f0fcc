// Following value across a bridge (issue 14): a `bridged` terminal whose deposit event names a join
// key and a destination chain that has a source (`--source CHAIN=SPEC`) is linked to its
// destination leg — found by the protocol's own identifier among the destination events of the
// registered contracts there, checked by linkBridges (amounts, chains, duplicates) — and the trace
// goes on from the recipient, with the taint the deposit carried, at the next hop. No guessing: a
// deposit without a key, or whose key no destination event carries, stays a terminal that names
// what to look up.

import { convertTaint } from '../core/account/convert.js';
import { EVENTS, type EventAbi } from '../core/events/abi.js';
import { bridgeCandidates, type CandidateRule } from '../core/events/candidates.js';
import { linkBridges } from '../core/events/link.js';
import type { Registry } from '../core/events/registry.js';
import type { BridgeIn, BridgeOut } from '../core/events/types.js';
import type { Transfer } from '../core/model.js';
import type { BridgeLinkRecord, TraceResult } from '../core/result.js';
import type { BridgeTerminal, EventRules, MissingData, Terminal, TraceOptions } from '../core/trace-types.js';
import type { AccountView, ChainView, Lookup } from '../core/view.js';

/**
 * The destination events of each join-key family (the key's prefix: the devnet's own contracts
 * emit CCTP and Across events under protocol "devbridge"), and the registry protocols whose
 * contracts may emit them.
 */
const DESTINATION: Record<string, { protocols: string[]; events: EventAbi[] }> = {
  cctp: {
    protocols: ['cctp', 'cctp-v2', 'devbridge'],
    events: [EVENTS.cctpMessageReceived, EVENTS.cctpV2MessageReceived],
  },
  across: {
    protocols: ['across', 'devbridge'],
    events: [EVENTS.acrossFilledRelay, EVENTS.acrossFilledV3Relay, EVENTS.acrossLegacyFilledRelay],
  },
  hop: { protocols: ['hop'], events: [EVENTS.hopWithdrawalBonded, EVENTS.hopWithdrew] },
  stargate: { protocols: ['stargate'], events: [EVENTS.stargateOFTReceived] },
};

/** What this module needs of a destination chain's trace session (src/app/trace.ts provides it). */
export interface TraceSession {
  view: ChainView;
  source: { fetcher?: { fetchMissing(missing: MissingData, signal?: AbortSignal): Promise<void> } };
  trace(
    seed: string,
    over: { asset: string; entry: Pick<TraceOptions, 'entries' | 'hopBase'> },
  ): Promise<TraceResult>;
}

export interface BridgeContext {
  registry: Registry;
  events: EventRules;
  /** The session of a destination chain, when `--source CHAIN=…` gave one. */
  destination(chain: string): Promise<TraceSession | undefined>;
  maxHops: number;
  /**
   * `--bridge-match` (`follow`: `--follow-candidates`): for a deposit no identifier links, list the
   * arrivals on the destination chain that fit by amount and time, as findings; with `follow`, go on
   * from the best one, every figure that rests on it marked so.
   */
  match?: { rule: CandidateRule; follow: boolean };
}

/** The default heuristic rule: the bridge keeps 0–1 % as its fee, the arrival within 6 hours. */
export const DEFAULT_MATCH_RULE: CandidateRule = { feeMinBps: 0, feeMaxBps: 100, windowSeconds: 6 * 3600 };

/** Answer a lookup, fetching what a remote view is missing (a few rounds at most). */
async function settle<T>(s: TraceSession, ask: (m: MissingData) => Lookup<T>): Promise<T | undefined> {
  return (await settleAll(s, [ask]))[0];
}

/** Answer several lookups, fetching everything missing in one round each time (a few rounds at most). */
async function settleAll<T>(
  s: TraceSession,
  asks: ((m: MissingData) => Lookup<T>)[],
): Promise<(T | undefined)[]> {
  const got: (T | undefined)[] = asks.map(() => undefined);
  let open = asks.map((_, i) => i);
  for (let round = 0; round < 8 && open.length > 0; round++) {
    const missing: MissingData = { addresses: [], txs: [], outspends: [] };
    const still: number[] = [];
    for (const i of open) {
      const r = asks[i]!(missing);
      if (r.status === 'ok') got[i] = r.value;
      else still.push(i);
    }
    open = still;
    if (open.length === 0 || !s.source.fetcher) break;
    await s.source.fetcher.fetchMissing(missing);
  }
  return got;
}

const outOf = (b: BridgeTerminal, chain: string): BridgeOut => ({
  kind: 'bridge-out',
  protocol: b.protocol as BridgeOut['protocol'],
  ref: { ...b.evidence, chain },
  key: b.key,
  identifier: b.identifier,
  depositor: b.depositor,
  recipient: b.recipient,
  destChain: b.destChain,
  destChainId: b.destChainId,
  token: b.token,
  amount: b.amount,
  ...(b.outToken !== undefined ? { outToken: b.outToken } : {}),
  ...(b.outAmount !== undefined ? { outAmount: b.outAmount } : {}),
});

/** The destination legs on `view` that carry `key`: decoded from the registered contracts' events. */
async function destinationLegs(
  s: TraceSession,
  ctx: BridgeContext,
  key: string,
): Promise<{ ins: BridgeIn[]; searched: boolean }> {
  const view = s.view as AccountView;
  const family = DESTINATION[key.slice(0, key.indexOf(':'))];
  if (!family || !view.logsAt || !view.txLogs) return { ins: [], searched: false };
  const contracts = ctx.registry.entries.filter(
    (e) => e.chain === view.chain && family.protocols.includes(e.protocol),
  );
  // All asked at once, so a remote view fetches them in one round (then each transaction's logs in one more).
  const emitted = await settleAll(
    s,
    contracts.flatMap((c) => family.events.map((ev) => () => view.logsAt!(c.address, ev.topic0))),
  );
  const txs = [...new Set(emitted.flatMap((l) => (l ?? []).map((x) => x.tx)))].sort();
  const logs = await settleAll(
    s,
    txs.map((tx) => (m: MissingData) => {
      const r = view.txLogs!(tx);
      if (r.status === 'missing') m.txs.push(tx);
      return r;
    }),
  );
  const ins: BridgeIn[] = [];
  for (const l of logs) {
    if (!l) continue;
    for (const e of ctx.events.decode(view.chain, l).events)
      if (e.kind === 'bridge-in' && e.key === key) ins.push(e);
  }
  return { ins, searched: true };
}

/** The transfer that paid the recipient in the destination transaction. */
async function creditOf(s: TraceSession, inn: BridgeIn): Promise<Transfer | undefined> {
  const view = s.view as AccountView;
  const all = await settle(s, (m) => {
    const r = view.txTransfers(inn.ref.tx);
    if (r.status === 'missing') m.txs.push(inn.ref.tx);
    return r;
  });
  const asset = inn.token === null ? view.native.symbol : (view.resolveAsset(inn.token) ?? inn.token);
  const paid = (all ?? []).filter((t) => t.to === inn.recipient && t.asset === asset && t.value > 0n);
  return (
    paid.find((t) => t.value === inn.amount) ?? [...paid].sort((a, b) => (a.value > b.value ? -1 : 1))[0]
  );
}

/**
 * The best heuristic candidate for a deposit without a usable key: arrivals of the same asset to the
 * named recipient on the destination chain, by amount and time (src/core/events/candidates.ts).
 * Every candidate is a finding; the best is returned for --follow-candidates.
 */
async function candidate(
  s: TraceSession,
  match: NonNullable<BridgeContext['match']>,
  part: TraceResult,
  term: Terminal,
  b: BridgeTerminal,
  chain: string,
  findings: TraceResult['outcome']['findings'],
): Promise<{ credit: Transfer; confidence: string; rule: string } | undefined> {
  const view = s.view as AccountView;
  if (b.recipient === null) return undefined;
  const asset = b.token === null ? view.native.symbol : view.resolveAsset(part.outcome.asset.symbol);
  if (asset === undefined) return undefined;
  const recipient = b.recipient;
  const ledger = await settle(s, (m) => {
    const r = view.ledger(recipient, asset);
    if (r.status === 'missing') m.addresses.push(recipient);
    return r;
  });
  const edge =
    term.edge && part.outcome.graph.hasEdge(term.edge)
      ? part.outcome.graph.getEdgeAttributes(term.edge)
      : undefined;
  const arrivals = (ledger ?? [])
    .filter((t) => t.to === recipient && t.value > 0n)
    .map((t) => ({ kind: 'transfer' as const, chain: view.chain, transfer: t }));
  const found = bridgeCandidates(outOf(b, chain), arrivals, match.rule, edge?.time ?? null);
  for (const c of found) {
    const t = (c.arrival as { transfer: Transfer }).transfer;
    findings.push({
      kind: 'bridge-candidate',
      description: `${b.identifier}: possibly ${view.chain} ${t.tx} (${c.confidence} confidence; ${c.rule})`,
      txs: [b.evidence.tx, t.tx],
      amount: t.value,
    });
  }
  const best = found[0];
  if (!best) {
    term.note = `no arrival on ${view.chain} fits ${b.identifier} by amount and time (--bridge-match)`;
    return undefined;
  }
  return {
    credit: (best.arrival as { transfer: Transfer }).transfer,
    confidence: best.confidence,
    rule: best.rule,
  };
}

/**
 * Follow every linkable bridge of `result` (and of its parts) onto its destination chain. The
 * destination traces become parts of `result`; each link is recorded on its terminal and returned.
 */
export async function continueAcrossBridges(
  result: TraceResult,
  ctx: BridgeContext,
  model: TraceResult['query']['model'],
): Promise<BridgeLinkRecord[]> {
  const links: BridgeLinkRecord[] = [];
  const warnings: string[] = [];
  // Destination legs grouped by (chain, asset, heuristic or not): one trace each, seeded by all their legs.
  const groups = new Map<
    string,
    {
      chain: string;
      asset: string;
      heuristic: string | null;
      entries: NonNullable<TraceOptions['entries']>;
      hopBase: number;
    }
  >();
  const followed: { term: Terminal; link: BridgeLinkRecord }[] = [];
  for (const part of [result, ...(result.parts ?? [])]) {
    const chain = part.query.chain;
    for (const term of part.outcome.terminals) {
      const b = term.bridge;
      if (term.kind !== 'bridged' || !b || b.destChain === null) continue;
      const s = await ctx.destination(b.destChain);
      if (!s) continue;
      const destChain = b.destChain;
      /** Go on from `credit` on the destination chain, with the taint the deposit carried. */
      const follow = (
        credit: Transfer,
        key: string,
        heuristic: { confidence: string; rule: string } | null,
      ) => {
        // The taint the deposit carried, scaled from what was deposited to what arrived (the
        // conversion rule: a fee taken by the bridge takes its share of the taint with it).
        const taint = convertTaint(
          model,
          { amount: term.amount, ...(term.segs ? { segs: term.segs } : {}) },
          b.amount > term.amount ? b.amount : term.amount,
          credit.value,
        );
        if (term.hop >= ctx.maxHops) {
          term.note = `linked to ${credit.tx} on ${destChain}, not followed: --hops ${ctx.maxHops} reached`;
          return;
        }
        const gk = `${destChain}\u0000${credit.asset}\u0000${heuristic ? 'h' : 'p'}`;
        let g = groups.get(gk);
        if (!g) {
          g = { chain: destChain, asset: credit.asset, heuristic: null, entries: [], hopBase: term.hop };
          groups.set(gk, g);
        }
        if (heuristic) g.heuristic = `${heuristic.confidence} confidence`;
        g.entries.push({ tx: credit.tx, index: credit.index, taint });
        g.hopBase = Math.min(g.hopBase, term.hop);
        const record: BridgeLinkRecord = {
          protocol: b.protocol,
          key,
          identifier: b.identifier,
          from: { chain, edge: term.edge, tx: b.evidence.tx, tainted: term.amount, amount: b.amount },
          to: {
            chain: destChain,
            tx: credit.tx,
            recipient: credit.to!,
            edge: `${destChain}:${credit.tx}:${credit.index}`,
            value: credit.value,
            tainted: taint.amount,
          },
          ...(heuristic ? { heuristic } : {}),
        };
        links.push(record);
        followed.push({ term, link: record });
      };
      if (b.key === null) {
        // No identifier to join by: only a heuristic, and only on request.
        if (ctx.match) {
          const c = await candidate(s, ctx.match, part, term, b, chain, result.outcome.findings);
          if (c && ctx.match.follow)
            follow(c.credit, `heuristic:${c.credit.tx}`, { confidence: c.confidence, rule: c.rule });
        }
        continue;
      }
      const { ins, searched } = await destinationLegs(s, ctx, b.key);
      if (!searched) {
        term.note = `${destChain}'s source cannot search bridge events: look up ${b.identifier} there by hand`;
        continue;
      }
      const linked = linkBridges([outOf(b, chain)], ins);
      for (const p of linked.problems)
        warnings.push(`${p.ref.chain} ${p.ref.tx} log ${p.ref.index}: ${p.message}`);
      const link = linked.links[0];
      if (!link) {
        if (ins.length === 0) term.note = `no destination leg for ${b.identifier} in the ${destChain} data`;
        continue;
      }
      const credit = await creditOf(s, link.in);
      if (!credit) {
        warnings.push(
          `${b.identifier}: the destination transaction ${link.in.ref.tx} pays ${link.in.recipient ?? 'no EVM recipient'} nothing in the data: not followed`,
        );
        continue;
      }
      follow(credit, b.key, null);
    }
  }
  for (const [, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const s = (await ctx.destination(g.chain))!;
    const entries = g.entries.sort((x, y) => (x.tx < y.tx ? -1 : x.tx > y.tx ? 1 : x.index - y.index));
    const r = await s.trace(entries[0]!.tx, { asset: g.asset, entry: { entries, hopBase: g.hopBase } });
    if (g.heuristic)
      for (const p of [r, ...(r.parts ?? [])])
        p.warnings.unshift(
          `every figure here rests on a heuristic bridge match (${g.heuristic}, --follow-candidates), not on a protocol identifier`,
        );
    result.parts = [...(result.parts ?? []), r, ...(r.parts ?? [])];
    r.parts = undefined;
  }
  for (const p of followed)
    p.term.note = `${p.link.heuristic ? 'continued (heuristic match)' : 'continued'} on ${p.link.to.chain}: ${p.link.to.tx}`;
  result.warnings.push(...warnings);
  return links;
}
