// The played devnet activity as a dataset-v1 document. Built from each step's declared intent
// plus its receipt (block, position, time, status, gas, log indices), never from traces: the
// export is an independent account of what happened, and a trace of it must equal a trace
// through `--source rpc:` of the same node. Each receipt is checked against the intent (status,
// the ERC-20 Transfer logs it emitted), so a scenario that does not do what it says fails here.
//
// Records follow src/sources/evm/transfers.ts (index scheme, fees, failed transactions); event
// logs (dataset extension "logs") follow src/sources/evm/logs.ts, the conversion rpc: uses, so a
// trace from the export sees the logs a trace through rpc: sees.
//
// API:
//   exportDataset(anvil, played, {labels?, name?, description?, logs?, chain?, tokens?}) → dataset-v1
//     JSON object (amounts as strings); every receipt log of the played transactions unless
//     logs: false; chain and tokens (symbol → contract, decimals) default to the drainer scenario's
//   datasetJson(doc) → its text (stable: 2-space JSON with a final newline)
import type { Label } from '../core/model.js';
import { decodeErc20Transfer, evmAddress } from '../sources/evm/abi.js';
import { receiptLogs } from '../sources/evm/logs.js';
import { FEE_INDEX, INTERNAL_BASE, isoTime, NATIVE_INDEX, TOKEN_LOG_BASE } from '../sources/evm/transfers.js';
import type { Anvil } from './anvil.js';
import type { RawReceipt } from './chain.js';
import { CONTRACTS, DEVNET_CHAIN, USDF } from './deployment.js';
import type { PlayedTx, TokenName } from './scenario.js';

export interface DatasetTransferJson {
  tx: string;
  index: number;
  height: number;
  position: number;
  time: string;
  from: string;
  to: string | null;
  asset: string;
  value: string;
  kind: 'native' | 'internal' | 'token' | 'fee';
}

export interface DatasetLogJson {
  tx: string;
  index: number;
  height: number;
  position: number;
  time: string;
  address: string;
  topics: string[];
  data: string;
}

export interface DatasetJson {
  format: 'fundtrace-dataset/1';
  chain: string;
  name: string;
  description: string;
  head: { height: number; time: string };
  assets: Record<string, { decimals: number; contract: string }>;
  transfers: DatasetTransferJson[];
  /** Event logs of the played transactions (absent when exported with logs: false). */
  logs?: DatasetLogJson[];
  labels: Label[];
}

export type TokenTable = Readonly<Record<string, { contract: string; decimals: number }>>;

const TOKENS: Record<TokenName, { contract: string; decimals: number }> & TokenTable = {
  USDF: { contract: USDF.contract!, decimals: USDF.decimals },
  'USDF-LOOKALIKE': { contract: CONTRACTS.lookalike, decimals: 18 },
};

const num = (h: string) => Number(BigInt(h));

export async function exportDataset(
  anvil: Anvil,
  played: readonly PlayedTx[],
  opts: {
    labels?: Label[];
    name?: string;
    description?: string;
    logs?: boolean;
    chain?: string;
    tokens?: TokenTable;
  } = {},
): Promise<DatasetJson> {
  const tokens = opts.tokens ?? TOKENS;
  const transfers: DatasetTransferJson[] = [];
  const eventLogs: DatasetLogJson[] = [];
  const times = new Map<number, string>();
  const timeOf = async (height: number, r: RawReceipt) => {
    if (r.blockTimestamp) return isoTime(num(r.blockTimestamp));
    let t = times.get(height);
    if (!t) {
      const b = await anvil.rpc<{ timestamp: string }>('eth_getBlockByNumber', [
        `0x${height.toString(16)}`,
        false,
      ]);
      t = isoTime(num(b.timestamp));
      times.set(height, t);
    }
    return t;
  };
  for (const { step, hash } of played) {
    const r = await anvil.rpc<RawReceipt>('eth_getTransactionReceipt', [hash]);
    const ok = r.status === '0x1';
    if (ok !== (step.expect !== 'revert')) {
      throw new Error(
        `devnet step "${step.name}" ${ok ? 'succeeded' : 'failed'}, expected the opposite (${hash})`,
      );
    }
    const height = num(r.blockNumber);
    const base = {
      tx: hash.toLowerCase(),
      height,
      position: num(r.transactionIndex),
      time: await timeOf(height, r),
    };
    if (opts.logs !== false) {
      const got = receiptLogs(
        base,
        ok,
        r.logs.map((l) => ({
          address: l.address,
          topics: l.topics,
          data: l.data,
          logIndex: num(l.logIndex),
        })),
      );
      for (const l of got)
        eventLogs.push({ ...base, index: l.index, address: l.address, topics: l.topics, data: l.data });
    }
    const from = evmAddress(step.tx.from);
    const value = step.tx.value ?? 0n;
    if (ok && value > 0n) {
      const to = evmAddress(step.tx.to ?? r.contractAddress!);
      transfers.push({
        ...base,
        index: NATIVE_INDEX,
        from,
        to,
        asset: 'ETH',
        value: value.toString(),
        kind: 'native',
      });
    }
    const logs = r.logs.map((l) => ({ l, d: decodeErc20Transfer(l) })).filter((x) => x.d !== null);
    let k = 0;
    let li = 0;
    for (const m of ok ? (step.moves ?? []) : []) {
      if (m.kind === 'internal') {
        if (m.value > 0n) {
          transfers.push({
            ...base,
            index: INTERNAL_BASE + k++,
            from: evmAddress(m.from),
            to: evmAddress(m.to),
            asset: 'ETH',
            value: m.value.toString(),
            kind: 'internal',
          });
        }
        continue;
      }
      const log = logs[li++];
      const token = tokens[m.token];
      if (!token) throw new Error(`devnet step "${step.name}": unknown token ${m.token}`);
      if (
        !log?.d ||
        log.d.token !== token.contract ||
        log.d.from !== evmAddress(m.from) ||
        log.d.to !== evmAddress(m.to) ||
        log.d.value !== m.value
      ) {
        throw new Error(
          `devnet step "${step.name}": its Transfer log does not match the intended ${m.token} move`,
        );
      }
      transfers.push({
        ...base,
        index: TOKEN_LOG_BASE + num(log.l.logIndex),
        from: log.d.from,
        to: log.d.to,
        asset: m.token,
        value: m.value.toString(),
        kind: 'token',
      });
    }
    if (ok && li !== logs.length)
      throw new Error(`devnet step "${step.name}" emitted Transfer logs it did not declare`);
    const fee = BigInt(r.gasUsed) * BigInt(r.effectiveGasPrice);
    if (fee > 0n) {
      transfers.push({
        ...base,
        index: FEE_INDEX,
        from,
        to: null,
        asset: 'ETH',
        value: fee.toString(),
        kind: 'fee',
      });
    }
  }
  transfers.sort(
    (a, b) =>
      a.height - b.height ||
      a.position - b.position ||
      (a.tx < b.tx ? -1 : a.tx > b.tx ? 1 : 0) ||
      a.index - b.index,
  );
  eventLogs.sort(
    (a, b) =>
      a.height - b.height ||
      a.position - b.position ||
      (a.tx < b.tx ? -1 : a.tx > b.tx ? 1 : 0) ||
      a.index - b.index,
  );
  const headHeight = num(await anvil.rpc<string>('eth_blockNumber', []));
  const head = await anvil.rpc<{ timestamp: string }>('eth_getBlockByNumber', [
    `0x${headHeight.toString(16)}`,
    false,
  ]);
  return {
    format: 'fundtrace-dataset/1',
    chain: opts.chain ?? DEVNET_CHAIN,
    name: opts.name ?? 'fundtrace devnet: wallet drainer',
    description:
      opts.description ??
      'Activity played by `fundtrace devnet` on a local anvil: a drained victim, mules, a forwarder contract (internal transfers, one refused), a merge with clean funds, an exchange deposit address, a mixer-like pool, a reverted transfer, a zero-value token transfer and a look-alike token.',
    head: { height: headHeight, time: isoTime(num(head.timestamp)) },
    assets: Object.fromEntries(
      Object.entries(tokens).map(([k, t]) => [k, { decimals: t.decimals, contract: t.contract }]),
    ),
    transfers,
    ...(opts.logs !== false ? { logs: eventLogs } : {}),
    labels: opts.labels ?? [],
  };
}

export function datasetJson(doc: DatasetJson): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
