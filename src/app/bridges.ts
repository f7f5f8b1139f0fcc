// Following value across a bridge (issue 14): a `bridged` terminal whose deposit event names a join
// key and a destination chain that has a source (`--source CHAIN=SPEC`) is linked to its
// destination leg — found by the protocol's own identifier among the destination events of the
// registered contracts there, checked by linkBridges (amounts, chains, duplicates) — and the trace
// goes on from the recipient, with the taint the deposit carried, at the next hop. No guessing: a
// deposit without a key, or whose key no destination event carries, stays a terminal that names
// what to look up.

import { convertTaint } from '../core/account/convert.js';
import { EVENTS, type EventAbi } from '../core/events/abi.js';
import { linkBridges } from '../core/events/link.js';
import type { Registry } from '../core/events/registry.js';
import type { BridgeIn, BridgeOut } from '../core/events/types.js';
import type { Transfer, TxLog } from '../core/model.js';
import type { BridgeLinkRecord, TraceResult } from '../core/result.js';
import type { BridgeTerminal, EventRules, MissingData, Terminal } from '../core/trace-types.js';
import type { AccountView, Lookup } from '../core/view.js';
import type { TraceSession } from './trace.js';

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

export interface BridgeContext {
  registry: Registry;
  events: EventRules;
  /** The session of a destination chain, when `--source CHAIN=…` gave one. */
  destination(chain: string): Promise<TraceSession | undefined>;
  maxHops: number;
}

/** Answer a lookup, fetching what a remote view is missing (a few rounds at most). */
async function settle<T>(s: TraceSession, ask: (m: MissingData) => Lookup<T>): Promise<T | undefined> {
  for (let round = 0; round < 8; round++) {
    const missing: MissingData = { addresses: [], txs: [], outspends: [] };
    const r = ask(missing);
    if (r.status === 'ok') return r.value;
    if (!s.source.fetcher) return undefined;
    await s.source.fetcher.fetchMissing(missing);
  }
  return undefined;
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
  protocol: string,
  key: string,
): Promise<{ ins: BridgeIn[]; searched: boolean }> {
  const view = s.view as AccountView;
  const family = DESTINATION[key.slice(0, key.indexOf(':'))];
  void protocol;
  if (!family || !view.logsAt || !view.txLogs) return { ins: [], searched: false };
  const contracts = ctx.registry.entries.filter(
    (e) => e.chain === view.chain && family.protocols.includes(e.protocol),
  );
  const txs = new Set<string>();
  for (const c of contracts)
    for (const ev of family.events) {
      const logs = await settle(s, () => view.logsAt!(c.address, ev.topic0));
      for (const l of logs ?? []) txs.add(l.tx);
    }
  const ins: BridgeIn[] = [];
  for (const tx of [...txs].sort()) {
    const logs = await settle<readonly TxLog[]>(s, (m) => {
      const r = view.txLogs!(tx);
      if (r.status === 'missing') m.txs.push(tx);
      return r;
    });
    if (!logs) continue;
    for (const e of ctx.events.decode(view.chain, logs).events)
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
  // Destination legs grouped by (chain, asset): one trace each, seeded by all their legs.
  const groups = new Map<
    string,
    { chain: string; asset: string; entries: NonNullable<Parameters<TraceSession['trace']>[1]>['entry'] & {} }
  >();
  const pending: { term: Terminal; group: string; link: BridgeLinkRecord }[] = [];
  for (const part of [result, ...(result.parts ?? [])]) {
    const chain = part.query.chain;
    for (const term of part.outcome.terminals) {
      const b = term.bridge;
      if (term.kind !== 'bridged' || !b || b.key === null || b.destChain === null) continue;
      const s = await ctx.destination(b.destChain);
      if (!s) continue;
      const { ins, searched } = await destinationLegs(s, ctx, b.protocol, b.key);
      if (!searched) {
        term.note = `${b.destChain}'s source cannot search bridge events: look up ${b.identifier} there by hand`;
        continue;
      }
      const linked = linkBridges([outOf(b, chain)], ins);
      for (const p of linked.problems)
        warnings.push(`${p.ref.chain} ${p.ref.tx} log ${p.ref.index}: ${p.message}`);
      const link = linked.links[0];
      if (!link) {
        if (ins.length === 0) term.note = `no destination leg for ${b.identifier} in the ${b.destChain} data`;
        continue;
      }
      const credit = await creditOf(s, link.in);
      if (!credit) {
        warnings.push(
          `${b.identifier}: the destination transaction ${link.in.ref.tx} pays ${link.in.recipient ?? 'no EVM recipient'} nothing in the data: not followed`,
        );
        continue;
      }
      // The taint the deposit carried, scaled from what was deposited to what arrived (the
      // conversion rule: a fee taken by the bridge takes its share of the taint with it).
      const taint = convertTaint(
        model,
        { amount: term.amount, ...(term.segs ? { segs: term.segs } : {}) },
        b.amount > term.amount ? b.amount : term.amount,
        credit.value,
      );
      const hop = term.hop;
      if (hop >= ctx.maxHops) {
        term.note = `linked to ${link.in.ref.tx} on ${b.destChain}, not followed: --hops ${ctx.maxHops} reached`;
        continue;
      }
      const key = `${b.destChain}\u0000${credit.asset}`;
      let g = groups.get(key);
      if (!g) {
        g = { chain: b.destChain, asset: credit.asset, entries: { entries: [], hopBase: hop } };
        groups.set(key, g);
      }
      g.entries.entries!.push({ tx: credit.tx, index: credit.index, taint });
      g.entries.hopBase = Math.min(g.entries.hopBase ?? hop, hop);
      const record: BridgeLinkRecord = {
        protocol: b.protocol,
        key: b.key,
        identifier: b.identifier,
        from: { chain, edge: term.edge, tx: b.evidence.tx, tainted: term.amount, amount: b.amount },
        to: {
          chain: b.destChain,
          tx: credit.tx,
          recipient: credit.to!,
          edge: `${b.destChain}:${credit.tx}:${credit.index}`,
          value: credit.value,
          tainted: taint.amount,
        },
      };
      links.push(record);
      pending.push({ term, group: key, link: record });
    }
  }
  for (const [, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const s = (await ctx.destination(g.chain))!;
    const entries = g.entries.entries!.sort((x, y) =>
      x.tx < y.tx ? -1 : x.tx > y.tx ? 1 : x.index - y.index,
    );
    const r = await s.trace(entries[0]!.tx, {
      asset: g.asset,
      entry: { entries, hopBase: g.entries.hopBase! },
    });
    result.parts = [...(result.parts ?? []), r, ...(r.parts ?? [])];
    r.parts = undefined;
  }
  for (const p of pending) p.term.note = `continued on ${p.link.to.chain}: ${p.link.to.tx}`;
  result.warnings.push(...warnings);
  return links;
}
