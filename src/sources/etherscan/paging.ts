// Whole-history paging by block cursor.
//
// The account lists answer at most `offset` rows per request, and refuse page × offset beyond a
// result window (10 000 on Etherscan and Blockscout: "Result window is too large, PageNo x Offset
// size must be less than or equal to 10000"). Page numbers therefore cannot reach an address's
// whole history. Instead every request is page=1 from a start block, ascending:
//
//   1. ask `startblock=S&page=1&offset=N&sort=asc`;
//   2. a full page (N rows) may end in the middle of its last block L: drop every row of block L
//      (and later) gathered so far and ask again from startblock=L: the next page starts with the
//      whole of block L, so nothing is lost or counted twice (rows are replaced, never merged, so
//      two identical rows of one block are both kept);
//   3. a short page ends the list — except that some servers cap a page below `offset` without
//      saying so (Etherscan's free tier returns at most 1 000 rows from July 2026; Routescan 5 000).
//      A short page whose size is a multiple of 25 is therefore confirmed by one more request from
//      its last block; if that answer reaches later blocks, the server capped it: the cap is
//      learned (for this action, this run) and paging goes on with offset = cap;
//   4. a full page that lies entirely inside one block cannot move the cursor: that page is page 1
//      of the block, and pages 2, 3, … are read with startblock=endblock=L while page × offset
//      stays inside the window; a block with even more rows for one address is cut there and
//      reported;
//   5. "Result window is too large": the offset is lowered to the window the message names (or a
//      tenth) and the request repeated; the smaller offset is kept for the rest of the run;
//   6. a list longer than maxRows stops there and is marked truncated (the engine's history limit
//      then stops expansion of that address).
// Rows above the head block read at the start of the run are dropped, so one run sees one snapshot.
import { type EtherscanApi, type ListQuery, ResultWindowError } from './api.js';
import type { ListAction, RowOf } from './rows.js';

const CAP_STEP = 25;
const DEFAULT_WINDOW = 10_000;

export interface PagingState {
  /** Current offset per action (shrinks after a window error, follows a learned cap). */
  offset: Partial<Record<ListAction, number>>;
  pageSize: number;
  maxRows: number;
  window: number;
}

export function newPagingState(pageSize: number, maxRows: number): PagingState {
  return { offset: {}, pageSize, maxRows, window: DEFAULT_WINDOW };
}

export interface ListResult<A extends ListAction> {
  rows: RowOf<A>[];
  truncated: boolean;
  /** Notes for the investigator (a block too dense to page through, …). */
  notes: string[];
}

async function page<A extends ListAction>(
  api: EtherscanApi,
  state: PagingState,
  action: A,
  q: ListQuery,
): Promise<{ rows: RowOf<A>[]; count: number; offset: number }> {
  for (;;) {
    const offset = q.offset ?? state.offset[action] ?? Math.min(state.pageSize, state.window);
    try {
      const p = await api.listPage(action, { ...q, page: q.page ?? 1, offset });
      return { ...p, offset };
    } catch (e) {
      if (!(e instanceof ResultWindowError) || offset <= 1) throw e;
      const pageNo = q.page ?? 1;
      if (e.limit !== undefined) state.window = Math.min(state.window, e.limit);
      const fit = e.limit !== undefined ? Math.floor(e.limit / pageNo) : 0;
      const next = fit > 0 && fit < offset ? fit : Math.max(1, Math.floor(offset / 10));
      if (q.offset !== undefined) q = { ...q, offset: next };
      else state.offset[action] = next;
    }
  }
}

/** Every row of one list for an address (or only in [startblock, endblock]), ascending. */
export async function fetchList<A extends ListAction>(
  api: EtherscanApi,
  state: PagingState,
  action: A,
  address: string,
  range: { startblock?: number; endblock?: number } = {},
): Promise<ListResult<A>> {
  const head = api.head ?? Number.POSITIVE_INFINITY;
  const notes: string[] = [];
  let rows: RowOf<A>[] = [];
  let start = range.startblock ?? 0;
  let confirming = 0;
  let truncated = false;
  for (;;) {
    const p = await page(api, state, action, { address, startblock: start, endblock: range.endblock });
    if (p.rows.length === 0) break;
    const firstNew = p.rows.some((r) => r.block > start);
    if (confirming > 0 && firstNew && confirming < p.offset) {
      // The last "short" page was a silent cap: keep paging at that size.
      state.offset[action] = confirming;
    }
    rows = rows.filter((r) => r.block < start);
    for (const r of p.rows) if (r.block <= head) rows.push(r);
    const last = p.rows[p.rows.length - 1]!.block;
    if (rows.length > state.maxRows) {
      truncated = true;
      break;
    }
    const full = p.count >= p.offset;
    if (!full) {
      const wasConfirm = confirming > 0;
      confirming = 0;
      if (!wasConfirm || firstNew) {
        if (p.count % CAP_STEP === 0 && last < head) {
          confirming = p.count;
          start = last;
          continue;
        }
      }
      break;
    }
    confirming = 0;
    if (last > head) break;
    if (last === start) {
      // A full page inside one block: read that block by page number.
      const dense = await denseBlock(api, state, action, address, last, p.rows, p.offset);
      rows = rows.filter((r) => r.block < last);
      rows.push(...dense.rows);
      if (dense.cut) {
        notes.push(
          `${action} of ${address}: block ${last} holds more rows than the API lets one page through; the rest of that block is missing`,
        );
      }
      if (range.endblock !== undefined && last >= range.endblock) break;
      start = last + 1;
      continue;
    }
    start = last;
  }
  return { rows, truncated, notes };
}

async function denseBlock<A extends ListAction>(
  api: EtherscanApi,
  state: PagingState,
  action: A,
  address: string,
  block: number,
  firstPage: readonly RowOf<A>[],
  size: number,
): Promise<{ rows: RowOf<A>[]; cut: boolean }> {
  // Page 1 of the block is the full page already read; go on with page 2, 3, … of the same size.
  const rows: RowOf<A>[] = [...firstPage];
  for (let n = 2; ; n++) {
    if (n * size > state.window) return { rows, cut: true };
    const p = await page(api, state, action, {
      address,
      startblock: block,
      endblock: block,
      page: n,
      offset: size,
    });
    rows.push(...p.rows);
    if (p.count < p.offset) return { rows, cut: false };
  }
}
