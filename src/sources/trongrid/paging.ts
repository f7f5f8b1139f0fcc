// Whole-history paging by `fingerprint`, oldest first.
//
//   1. ask `limit=N&order_by=block_timestamp,asc` (N = FUNDTRACE_TRONGRID_PAGE_SIZE, default and
//      maximum 200), then the same with `fingerprint=<meta.fingerprint of the previous page>`;
//   2. the page size is never assumed: a server may answer fewer rows than asked and still have
//      more (20 is TronGrid's default); only the cursor decides;
//   3. stop on a page without a fingerprint (the last page), and on an empty page even when it still
//      carries a fingerprint and a next link (TronGrid does that);
//   4. a fingerprint seen before on this list would page forever: BAD_DATA, naming the list;
//   5. a list longer than maxRows stops there and is marked truncated (the engine's history limit
//      then stops expansion of that address).
import { FundtraceError } from '../../core/errors.js';
import type { ListKind, TronGridApi } from './api.js';
import type { Trc20Row, TxRow } from './rows.js';

export interface PagingTuning {
  pageSize: number;
  maxRows: number;
}

export interface ListResult<R> {
  rows: R[];
  truncated: boolean;
}

export async function fetchList<K extends ListKind>(
  api: TronGridApi,
  tuning: PagingTuning,
  kind: K,
  address: string,
): Promise<ListResult<K extends 'trc20' ? Trc20Row : TxRow>> {
  type R = K extends 'trc20' ? Trc20Row : TxRow;
  const rows: R[] = [];
  const seen = new Set<string>();
  let fingerprint: string | undefined;
  for (let page = 1; ; page++) {
    const p = (await api.listPage(kind, address, tuning.pageSize, fingerprint)) as {
      rows: R[];
      fingerprint: string | undefined;
    };
    rows.push(...p.rows);
    if (rows.length > tuning.maxRows) return { rows: rows.slice(0, tuning.maxRows), truncated: true };
    if (p.rows.length === 0 || p.fingerprint === undefined) return { rows, truncated: false };
    if (seen.has(p.fingerprint)) {
      throw new FundtraceError(
        'BAD_DATA',
        `trongrid source ${api.redactedBase}: page ${page} of the ${kind === 'trc20' ? 'TRC-20 transfers' : 'transactions'} of ${address} repeats the paging fingerprint of an earlier page (the server would page forever); stopped`,
      );
    }
    seen.add(p.fingerprint);
    fingerprint = p.fingerprint;
  }
}
