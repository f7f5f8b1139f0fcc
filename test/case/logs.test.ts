// Event logs as case evidence: the recording view records txLogs answers, the lookup log holds
// them (interned), the replay answers them exactly (so `case verify` of a trace that read logs
// reproduces it), and a redacted log keeps no identifier of a redacted address.
import { describe, expect, it } from 'vitest';
import { recordView } from '../../src/case/recording.js';
import { Pseudonymizer, redactLog } from '../../src/case/redact.js';
import { checkLog, replayView } from '../../src/case/replay.js';
import type { AccountView } from '../../src/core/view.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { writeText } from '../dataset/helpers.js';
import { ETH, TX, toJsonLines, USDT } from '../fixtures/dataset/docs.js';
import { logsDoc, TX5 } from '../fixtures/dataset/logs.js';

async function view(): Promise<AccountView> {
  return buildDatasetView(await loadDataset(writeText(toJsonLines(logsDoc()), 'logs.jsonl'))) as AccountView;
}

describe('case evidence: txLogs', () => {
  it('recorded, serialised, replayed: the same answers; unrecorded txs say missing and are counted', async () => {
    const inner = await view();
    const rec = recordView(inner);
    const v = rec.view as AccountView;
    expect(typeof v.txLogs).toBe('function');
    for (const tx of [TX.tx2, TX.tx1, TX5]) v.txLogs!(tx);
    const log = checkLog(JSON.parse(JSON.stringify(rec.log())), 'lookups.json');
    expect(log.optional).toContain('txLogs');
    expect(log.logs).toHaveLength(3);
    const replay = replayView(log);
    const r = replay.view as AccountView;
    for (const tx of [TX.tx2, TX.tx1, TX5])
      expect(JSON.stringify(r.txLogs!(tx))).toBe(JSON.stringify(inner.txLogs!(tx)));
    expect(replay.unrecorded()).toEqual([]);
    expect(r.txLogs!(TX.tx3)).toEqual({ status: 'missing' });
    expect(replay.unrecorded()).toEqual([`txLogs(${TX.tx3})`]);
  });

  it('a view without txLogs records no logs list, and its replay offers no txLogs (older cases)', async () => {
    const inner = await view();
    const plain: AccountView = {
      kind: 'account',
      chain: inner.chain,
      native: inner.native,
      resolveAsset: (i) => inner.resolveAsset(i),
      asset: (k) => inner.asset(k),
      assets: () => inner.assets(),
      ledger: (a, s) => inner.ledger(a, s),
      txTransfers: (t) => inner.txTransfers(t),
    };
    const log = recordView(plain).log();
    expect(log.optional).not.toContain('txLogs');
    expect('logs' in log).toBe(false);
    expect((replayView(log).view as AccountView).txLogs).toBeUndefined();
  });

  it('a log that offers txLogs without a logs list is refused', () => {
    const bad = {
      format: 'fundtrace-lookups/1',
      kind: 'account',
      chain: 'ethereum',
      native: { symbol: 'ETH', decimals: 18 },
      head: null,
      optional: ['txLogs'],
      records: [],
      lookups: [],
    };
    expect(() => checkLog(bad, 'lookups.json')).toThrow(/txLogs offered but no logs list/);
  });

  it('redaction: tx, emitter and every topic/data word holding a known address are pseudonymised', async () => {
    const inner = await view();
    const rec = recordView(inner);
    const v = rec.view as AccountView;
    v.txLogs!(TX.tx2);
    v.txLogs!(TX5);
    v.ledger(ETH.B, 'USDT'); // B and C become known addresses (transfer sides)
    const log = rec.log();
    const p = new Pseudonymizer('a salt of some length', new Set([USDT]));
    const red = redactLog(log, p);
    const text = JSON.stringify(red.logs);
    for (const a of [ETH.B, ETH.C, ETH.D]) expect(text.toLowerCase()).not.toContain(a.slice(2).toLowerCase());
    for (const t of [TX.tx2, TX5]) expect(text).not.toContain(t);
    expect(red.logs!.every((l) => l.topics.every((t) => /^0x[0-9a-f]{64}$/.test(t)))).toBe(true);
    // The service (kept) emitter stays; the Transfer's topic0 and amount word stay.
    const transfer = red.logs!.find((l) => l.index === 5)!;
    expect(transfer.address).toBe(USDT);
    expect(transfer.topics[0]).toBe(log.logs!.find((l) => l.index === 5)!.topics[0]);
    expect(transfer.data).toBe(log.logs!.find((l) => l.index === 5)!.data);
    expect(transfer.topics[1]).toBe(`0x${p.addressWord(ETH.B)}`);
    expect(red.lookups.filter(([m]) => m === 'txLogs').map(([, a]) => a[0])).toEqual(
      [p.txid(TX.tx2), p.txid(TX5)].sort(),
    );
    // The redacted log still replays.
    const r = replayView(checkLog(JSON.parse(JSON.stringify(red)), 'x')).view as AccountView;
    const got = r.txLogs!(p.txid(TX.tx2));
    expect(got.status === 'ok' && got.value.map((l) => l.index)).toEqual([4, 5]);
  });
});
