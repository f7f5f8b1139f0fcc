// Cross-checks of everything a remote source answers, whatever the source (Esplora, Etherscan,
// rpc:, a replayed case, any later one): each answer is well formed on its own (the wire parsers
// check that), but a lying or broken server can give answers that contradict each other — a
// spender claiming a different value or address than the output it spends, an `outspends` naming
// a transaction that does not spend that output, two spenders of one output, a spender before its
// parent, a spending cycle. The dataset validator refuses the same things in a file
// (spec/dataset-v1.md); here they end the run with BAD_DATA (exit 4) naming the source, because a
// figure built on contradictory data is worse than no figure.
//
// The check wraps the view once, where sources are opened (src/sources/open.ts), so every source
// gets it. It only compares what the view already holds: it never fetches and never turns an
// answer into `missing`, so the driver's fetch rounds are unchanged.
import { FundtraceError } from '../../core/errors.js';
import type { Transfer, TxLog, UtxoTx } from '../../core/model.js';
import type { AccountView, ChainView, Lookup, SpendRef, UtxoView } from '../../core/view.js';

const TXID = /^[0-9a-f]{64}$/;
// EVM hashes are 0x + 64 hex; TRON's have no 0x; Etherscan's genesis allocations are pseudo-txs.
const ACCOUNT_TX = /^(?:0x)?[0-9a-fA-F]{64}$|^GENESIS_[0-9a-fA-F]{40}$/;

/** The BAD_DATA error of a contradiction, naming the source (already redacted by the caller). */
export function integrityError(origin: string, problem: string): FundtraceError {
  return new FundtraceError('BAD_DATA', `${origin} answered inconsistent data: ${problem}`);
}

const confirmedBefore = (parent: UtxoTx, child: UtxoTx): boolean | undefined => {
  // undefined: the order cannot be decided from heights alone (same block, or mempool).
  if (parent.height === null) return child.height === null ? undefined : false;
  if (child.height === null) return true;
  if (parent.height !== child.height) return parent.height < child.height;
  if (parent.position !== null && child.position !== null) return parent.position < child.position;
  return undefined;
};

/** A UtxoView whose every answer is checked against what it answered before. */
export function checkedUtxoView(view: UtxoView, origin: string): UtxoView {
  const fail = (problem: string): never => {
    throw integrityError(origin, problem);
  };
  /** txid:vout → the spender seen so far, from either side (outspends or the spending tx). */
  const spentBy = new Map<string, string>();
  const checked = new Set<string>();
  // A list answer already checked (views hand back the same array until it changes).
  const seenLists = new WeakSet<object>();

  const claimSpend = (txid: string, vout: number, by: SpendRef, how: string) => {
    const key = `${txid}:${vout}`;
    const ref = `${by.txid}:${by.inputIndex}`;
    const prior = spentBy.get(key);
    if (prior !== undefined && prior !== ref)
      fail(`output ${key} is spent twice (by input ${prior} and by input ${ref}, ${how})`);
    spentBy.set(key, ref);
  };

  // Only transactions the engine itself was given: looking more up through `view` would make a
  // recording wrapper (case evidence) log lookups the trace never made.
  const held = new Map<string, UtxoTx>();
  /** Spender claims (txid:input → outpoint) made before the spending transaction was held. */
  const pending = new Map<string, string>();
  const lookupTx = (txid: string): UtxoTx | undefined => held.get(txid);

  /** Walk the held parents of `tx` of undecidable order: finding `tx` again is a spending cycle. */
  const cycleFrom = (tx: UtxoTx): void => {
    const stack = [tx];
    const seen = new Set<string>([tx.txid]);
    while (stack.length > 0) {
      const t = stack.pop()!;
      for (const i of t.inputs) {
        if (i.txid === tx.txid)
          fail(`spending cycle: transaction ${tx.txid} spends its own output indirectly`);
        if (seen.has(i.txid)) continue;
        const p = lookupTx(i.txid);
        if (p && confirmedBefore(p, t) === undefined) {
          seen.add(p.txid);
          stack.push(p);
        }
      }
    }
  };

  const checkTx = (tx: UtxoTx, asked: string): void => {
    if (tx.txid !== asked) fail(`asked for transaction ${asked}, got ${tx.txid}`);
    if (!TXID.test(tx.txid)) fail(`transaction id ${JSON.stringify(tx.txid)} is not 64 lowercase hex digits`);
    if (checked.has(tx.txid)) return;
    held.set(tx.txid, tx);
    const own = new Set<string>();
    tx.inputs.forEach((input, k) => {
      if (!TXID.test(input.txid))
        fail(`input ${k} of ${tx.txid} names ${JSON.stringify(input.txid)}, not a transaction id`);
      const key = `${input.txid}:${input.vout}`;
      const claimed = pending.get(`${tx.txid}:${k}`);
      if (claimed !== undefined && claimed !== key)
        fail(`${claimed} is said to be spent by input ${k} of ${tx.txid}, which spends ${key}`);
      if (own.has(key)) fail(`transaction ${tx.txid} spends output ${key} twice`);
      own.add(key);
      if (input.txid === tx.txid) fail(`spending cycle: transaction ${tx.txid} spends its own output ${key}`);
      claimSpend(input.txid, input.vout, { txid: tx.txid, inputIndex: k }, `seen in transaction ${tx.txid}`);
      const parent = lookupTx(input.txid);
      if (!parent) return; // not held yet: checked when the parent arrives (see below)
      checkPair(parent, tx, k);
    });
    // Children already held that spend this transaction's outputs are checked now it is here.
    tx.outputs.forEach((_, vout) => {
      const by = spentBy.get(`${tx.txid}:${vout}`);
      if (by === undefined) return;
      const [ctxid, idx] = by.split(':') as [string, string];
      const child = ctxid === tx.txid ? undefined : lookupTx(ctxid);
      if (child) checkPair(tx, child, Number(idx));
    });
    checked.add(tx.txid);
    cycleFrom(tx);
  };

  /** Input k of `child` spends an output of `parent`: it must exist and match it exactly. */
  const checkPair = (parent: UtxoTx, child: UtxoTx, k: number): void => {
    const input = child.inputs[k];
    if (!input || input.txid !== parent.txid) return;
    const out = parent.outputs[input.vout];
    const at = `input ${k} of ${child.txid} (spending ${parent.txid}:${input.vout})`;
    if (!out) fail(`${at}: ${parent.txid} has no output ${input.vout}`);
    if (out!.value !== input.value) fail(`${at} claims ${input.value}, the output holds ${out!.value}`);
    if (out!.address !== input.address)
      fail(`${at} claims address ${input.address ?? '(none)'}, the output pays ${out!.address ?? '(none)'}`);
    if (confirmedBefore(parent, child) === false)
      fail(
        `${at}: the spender (height ${child.height ?? 'unconfirmed'}) comes before its parent (height ${parent.height ?? 'unconfirmed'})`,
      );
  };

  const wrapped: UtxoView = Object.create(view);
  Object.assign(wrapped, {
    tx(txid: string): Lookup<UtxoTx | undefined> {
      const r = view.tx(txid);
      if (r.status === 'ok' && r.value) checkTx(r.value, txid);
      return r;
    },
    spender(txid: string, vout: number): Lookup<SpendRef | null> {
      const r = view.spender(txid, vout);
      if (r.status !== 'ok' || r.value === null) return r;
      const ref = r.value;
      if (!TXID.test(ref.txid))
        fail(`the spender of ${txid}:${vout} is ${JSON.stringify(ref.txid)}, not a transaction id`);
      if (ref.txid === txid)
        fail(`spending cycle: ${txid}:${vout} is said to be spent by its own transaction`);
      claimSpend(txid, vout, ref, `named by the spender lookup of ${txid}:${vout}`);
      const child = lookupTx(ref.txid);
      if (!child) pending.set(`${ref.txid}:${ref.inputIndex}`, `${txid}:${vout}`);
      if (child) {
        checkTx(child, ref.txid);
        const input = child.inputs[ref.inputIndex];
        if (!input || input.txid !== txid || input.vout !== vout)
          fail(
            `${txid}:${vout} is said to be spent by input ${ref.inputIndex} of ${ref.txid}, which spends ${input ? `${input.txid}:${input.vout}` : 'nothing (no such input)'}`,
          );
        const parent = lookupTx(txid);
        if (parent) checkPair(parent, child, ref.inputIndex);
      }
      return r;
    },
    addressTxs(address: string): Lookup<readonly UtxoTx[]> {
      const r = view.addressTxs(address);
      if (r.status === 'ok' && !seenLists.has(r.value)) {
        seenLists.add(r.value);
        const a = address.toLowerCase();
        for (const t of r.value) {
          checkTx(t, t.txid);
          const touches =
            t.outputs.some((o) => o.address?.toLowerCase() === a) ||
            t.inputs.some((i) => i.address?.toLowerCase() === a);
          if (!touches)
            fail(`the history of ${address} lists ${t.txid}, which neither pays nor spends from it`);
        }
      }
      return r;
    },
  });
  return wrapped;
}

/** An AccountView whose transfers are checked: hash format, the asked address or tx, chain order. */
export function checkedAccountView(view: AccountView, origin: string): AccountView {
  const fail = (problem: string): never => {
    throw integrityError(origin, problem);
  };
  const checkTransfer = (t: Transfer, where: string) => {
    if (!ACCOUNT_TX.test(t.tx))
      fail(`${where}: transaction hash ${JSON.stringify(t.tx)} is not a transaction hash`);
    if (t.value < 0n) fail(`${where}: negative value ${t.value} in ${t.tx}`);
  };
  const inOrder = (ts: readonly Transfer[], where: string) => {
    for (let k = 1; k < ts.length; k++) {
      const a = ts[k - 1]!;
      const b = ts[k]!;
      if (a.height !== null && b.height !== null && a.height > b.height)
        fail(`${where}: ${b.tx} (height ${b.height}) is listed after ${a.tx} (height ${a.height})`);
    }
  };
  const seenLists = new WeakSet<object>();
  const wrapped: AccountView = Object.create(view);
  Object.assign(wrapped, {
    ledger(address: string, asset: string): Lookup<readonly Transfer[]> {
      const r = view.ledger(address, asset);
      if (r.status === 'ok' && !seenLists.has(r.value)) {
        seenLists.add(r.value);
        const where = `the ${asset} history of ${address}`;
        const a = address.toLowerCase();
        for (const t of r.value) {
          checkTransfer(t, where);
          if (t.from.toLowerCase() !== a && t.to?.toLowerCase() !== a)
            fail(`${where} lists transfer ${t.tx}#${t.index}, which neither pays nor spends from it`);
        }
        inOrder(r.value, where);
      }
      return r;
    },
    txTransfers(tx: string): Lookup<readonly Transfer[] | undefined> {
      const r = view.txTransfers(tx);
      if (r.status === 'ok' && r.value)
        for (const t of r.value) {
          checkTransfer(t, `transaction ${tx}`);
          if (t.tx.toLowerCase() !== tx.toLowerCase())
            fail(`asked for the transfers of ${tx}, got one of ${t.tx}`);
        }
      return r;
    },
  });
  if (view.txLogs) {
    const logsOf = view.txLogs.bind(view);
    wrapped.txLogs = (tx: string): Lookup<readonly TxLog[]> => {
      const r = logsOf(tx);
      if (r.status === 'ok' && !seenLists.has(r.value)) {
        seenLists.add(r.value);
        for (const [k, l] of r.value.entries()) {
          if (l.tx.toLowerCase() !== tx.toLowerCase())
            fail(`asked for the logs of ${tx}, got one of ${l.tx}`);
          const prev = r.value[k - 1];
          if (prev && prev.index >= l.index)
            fail(`the logs of ${tx} are not in log-index order (${l.index} after ${prev.index})`);
        }
      }
      return r;
    };
  }
  return wrapped;
}

/** Wrap any view with the checks of its kind. */
export function checkedView(view: ChainView, origin: string): ChainView {
  return view.kind === 'utxo' ? checkedUtxoView(view, origin) : checkedAccountView(view, origin);
}
