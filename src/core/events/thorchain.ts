// THORChain: swap memos and THORNode `GET /thorchain/tx/status/{hash}` bodies (pure).
// THORChain links its legs by the INBOUND transaction hash: the inbound carries a memo
// (`=:ASSET:DEST:LIMIT:AFFILIATE:BPS`), every outbound carries `OUT:<INBOUND HASH>` (a refund
// `REFUND:<INBOUND HASH>`). Key: `thorchain:<INBOUND HASH>` (upper-case hex, no 0x, as THORNode
// writes it). Amounts in THORNode bodies are 1e8 fixed-point for EVERY asset (truncated to 8
// decimals); they are kept as given (`amount1e8`) with the `decimals` the body states, never
// silently rescaled. Every string taken from a body (addresses, assets, memos) is remote
// text: sanitise it before display (src/report/sanitize.ts); problem lines here are one line.
// Memo format per ../shared/data/bridge-swap-abis/thorchain/THORCHAIN_NOTES.md.

export type ThorMemo =
  | {
      kind: 'swap';
      /** Target asset as written (e.g. "ETH.USDT", "TRON.USDT-TR7…", or a short code like "r"). */
      asset: string;
      /** null when the memo leaves it empty (THORChain then pays the inbound's sender). */
      destination: string | null;
      /** Trade limit as written ("0" = none); streaming swaps add interval/quantity. */
      limit: string | null;
      streamInterval: number | null;
      streamQuantity: number | null;
      affiliate: string | null;
      affiliateBps: number | null;
    }
  | { kind: 'out' | 'refund'; inboundHash: string }
  | { kind: 'other'; action: string };

const HASH = /^(0x)?[0-9a-fA-F]{64}$/;
const SWAP_PREFIX = new Set(['swap', 's', '=']);

const one = (s: string) => {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return JSON.stringify(clean.length > 90 ? `${clean.slice(0, 87)}…` : clean);
};

/** Parse a THORChain memo; a one-line error naming the memo when it is malformed. */
export function parseThorMemo(memo: string): ThorMemo | { error: string } {
  const parts = memo.trim().split(':');
  const action = parts[0]!.toLowerCase();
  if (action === 'out' || action === 'refund') {
    const h = parts[1] ?? '';
    if (parts.length !== 2 || !HASH.test(h))
      return {
        error: `THORChain memo ${one(memo)}: ${action.toUpperCase()} needs one inbound tx hash (64 hex digits)`,
      };
    return { kind: action, inboundHash: h.replace(/^0x/, '').toUpperCase() };
  }
  if (SWAP_PREFIX.has(action)) {
    const [, asset, destination, limitField, affiliate, bps] = parts;
    if (!asset || !destination)
      return { error: `THORChain memo ${one(memo)}: a swap needs an asset and a destination` };
    let limit: string | null = null;
    let streamInterval: number | null = null;
    let streamQuantity: number | null = null;
    if (limitField) {
      const [l, i, q, ...rest] = limitField.split('/');
      const int = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);
      if (
        rest.length > 0 ||
        (i !== undefined && int(i) === undefined) ||
        (q !== undefined && int(q) === undefined)
      )
        return {
          error: `THORChain memo ${one(memo)}: limit ${one(limitField)} is not LIMIT[/INTERVAL/QUANTITY]`,
        };
      limit = l === '' ? null : (l ?? null);
      streamInterval = int(i) ?? null;
      streamQuantity = int(q) ?? null;
    }
    let affiliateBps: number | null = null;
    if (bps !== undefined && bps !== '') {
      if (!/^\d+$/.test(bps) || Number(bps) > 1000)
        return { error: `THORChain memo ${one(memo)}: affiliate fee ${one(bps)} is not 0–1000 basis points` };
      affiliateBps = Number(bps);
    }
    return {
      kind: 'swap',
      asset,
      destination: destination ? destination : null,
      limit,
      streamInterval,
      streamQuantity,
      affiliate: affiliate ? affiliate : null,
      affiliateBps,
    };
  }
  if (action === '') return { error: `THORChain memo ${one(memo)}: empty action` };
  return { kind: 'other', action: parts[0]! };
}

export interface ThorCoin {
  asset: string;
  /** As THORNode states it: 1e8 fixed-point whatever the asset. */
  amount1e8: bigint;
  /** The asset's own decimals when the body states them. */
  decimals?: number;
}

/** THORChain chain id → fundtrace chain name (only chains fundtrace traces). */
const CHAINS: Record<string, string> = {
  BTC: 'bitcoin',
  ETH: 'ethereum',
  BSC: 'bsc',
  BASE: 'base',
  TRON: 'tron',
};
const EVM = new Set(['ETH', 'BSC', 'BASE', 'AVAX']);

/** The source leg: what went into THORChain. */
export interface ThorInbound {
  kind: 'thorchain-in';
  key: string;
  /** THORChain's chain id (BTC, ETH, …) and the fundtrace chain when fundtrace knows it. */
  thorChain: string;
  chain: string | null;
  /** Tx id in fundtrace form (0x + lowercase on EVM chains, lowercase hex otherwise). */
  tx: string;
  from: string | null;
  /** The vault or router it was paid to. */
  to: string | null;
  coins: ThorCoin[];
  memo: string | null;
  parsedMemo: ThorMemo | null;
  /** 'pending' while the swap or its outbound is not done. */
  status: 'done' | 'pending';
}

/** A destination leg: what THORChain paid out for the inbound (or refunded). */
export interface ThorOutbound {
  kind: 'thorchain-out';
  key: string;
  thorChain: string;
  chain: string | null;
  /** null for a payout inside THORChain itself (THORNode id of 64 zeros: no external tx). */
  tx: string | null;
  from: string | null;
  to: string | null;
  coins: ThorCoin[];
  refund: boolean;
}

export interface ThorStatus {
  inbound: ThorInbound | null;
  outbounds: ThorOutbound[];
  /** One line each: what in the body cannot be used and why. */
  problems: string[];
}

const txForm = (thorChain: string, id: string) =>
  EVM.has(thorChain) ? `0x${id.toLowerCase()}` : id.toLowerCase();

function coins(raw: unknown, where: string, problems: string[]): ThorCoin[] {
  if (!Array.isArray(raw)) {
    problems.push(`${where}: coins is not a list`);
    return [];
  }
  const out: ThorCoin[] = [];
  raw.forEach((c, i) => {
    const o = (c ?? {}) as Record<string, unknown>;
    if (typeof o.asset !== 'string' || typeof o.amount !== 'string' || !/^\d+$/.test(o.amount)) {
      problems.push(`${where}: coins[${i}] is not {asset, amount (decimal string)}`);
      return;
    }
    out.push({
      asset: o.asset,
      amount1e8: BigInt(o.amount),
      ...(typeof o.decimals === 'number' && Number.isInteger(o.decimals) ? { decimals: o.decimals } : {}),
    });
  });
  return out;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Decode a THORNode tx/status body into the inbound and its outbounds, keyed by the inbound hash. */
export function decodeThorStatus(body: unknown): ThorStatus {
  const problems: string[] = [];
  const b = (body ?? {}) as Record<string, unknown>;
  const tx = b.tx as Record<string, unknown> | undefined;
  if (
    typeof tx !== 'object' ||
    tx === null ||
    typeof tx.id !== 'string' ||
    !HASH.test(tx.id) ||
    typeof tx.chain !== 'string'
  )
    return {
      inbound: null,
      outbounds: [],
      problems: ['THORNode tx status: no tx with a 64-hex id and a chain'],
    };
  const hash = tx.id.replace(/^0x/, '').toUpperCase();
  const key = `thorchain:${hash}`;
  const memo = str(tx.memo);
  let parsedMemo: ThorMemo | null = null;
  if (memo !== null) {
    const m = parseThorMemo(memo);
    if ('error' in m) problems.push(m.error);
    else parsedMemo = m;
  }
  const stages = (b.stages ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const pending = stages.swap_status?.pending === true || stages.swap_finalised?.completed === false;
  const inbound: ThorInbound = {
    kind: 'thorchain-in',
    key,
    thorChain: tx.chain,
    chain: CHAINS[tx.chain] ?? null,
    tx: txForm(tx.chain, hash),
    from: str(tx.from_address),
    to: str(tx.to_address),
    coins: coins(tx.coins, 'THORNode tx status tx', problems),
    memo,
    parsedMemo,
    status: pending ? 'pending' : 'done',
  };
  const outbounds: ThorOutbound[] = [];
  const outs = b.out_txs === undefined ? [] : b.out_txs;
  if (!Array.isArray(outs)) problems.push('THORNode tx status: out_txs is not a list');
  else
    outs.forEach((o, i) => {
      const x = (o ?? {}) as Record<string, unknown>;
      const where = `THORNode tx status out_txs[${i}]`;
      if (typeof x.id !== 'string' || !HASH.test(x.id) || typeof x.chain !== 'string') {
        problems.push(`${where}: no 64-hex id and chain`);
        return;
      }
      let refund = false;
      const om = str(x.memo);
      if (om !== null) {
        const m = parseThorMemo(om);
        if ('error' in m || (m.kind !== 'out' && m.kind !== 'refund')) {
          problems.push(`${where}: memo ${one(om)} is not OUT:/REFUND:<inbound hash>: not linked`);
          return;
        }
        if (m.inboundHash !== hash) {
          problems.push(
            `${where}: memo names inbound ${m.inboundHash}, the status is for ${hash}: not linked`,
          );
          return;
        }
        refund = m.kind === 'refund';
      }
      const internal = /^0{64}$/.test(x.id);
      outbounds.push({
        kind: 'thorchain-out',
        key,
        thorChain: x.chain,
        chain: CHAINS[x.chain] ?? null,
        tx: internal ? null : txForm(x.chain, x.id),
        from: str(x.from_address),
        to: str(x.to_address),
        coins: coins(x.coins, where, problems),
        refund,
      });
    });
  return { inbound, outbounds, problems };
}
