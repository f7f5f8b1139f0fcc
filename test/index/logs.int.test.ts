// Event logs in the indexed store: `index:DB` answers txLogs exactly as the dataset file does
// (the same objects, byte for byte as JSON), after one fetch round, and a trace over a dataset
// with logs prints the same JSON from the file and from the index.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/core/view.js';
import { buildDatasetView, loadDataset } from '../../src/sources/dataset/index.js';
import { buildIndex } from '../../src/sources/index/build.js';
import { openIndexSource } from '../../src/sources/index/open.js';
import type { IndexAccountView } from '../../src/sources/index/view.js';
import { evmTx } from '../fixtures/dataset/addresses.js';
import { ETH, TX, toJsonLines } from '../fixtures/dataset/docs.js';
import { logsDoc, TX5 } from '../fixtures/dataset/logs.js';
import { cli } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-index-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('index:DB event logs ≡ the dataset file', () => {
  const file = join(dir, 'logs.jsonl');
  const db = join(dir, 'logs.ftindex');
  const txs = [TX.tx1, TX.tx2, TX.tx3, TX.tx4, TX5, evmTx('not-in-the-dataset')];

  it('txLogs: missing until fetched, then the dataset view answer, byte for byte', async () => {
    writeFileSync(file, toJsonLines(logsDoc()));
    await buildIndex(file, db);
    const fromFile = buildDatasetView(await loadDataset(file)) as AccountView;
    const src = await openIndexSource(db, `index:${db}`);
    const view = src.view as IndexAccountView;
    for (const tx of txs) expect(view.txLogs!(tx)).toEqual({ status: 'missing' });
    const before = view.queries;
    await view.fetchMissing({ addresses: [], txs: [], outspends: [] });
    expect(view.queries - before).toBe(1); // every wanted tx in one query
    for (const tx of [...txs, TX.tx2.toUpperCase().replace('0X', '0x')]) {
      const a = fromFile.txLogs!(tx);
      const b = view.txLogs!(tx);
      expect(b.status).toBe('ok');
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
    const two = view.txLogs!(TX.tx2);
    expect(two.status === 'ok' && two.value.map((l) => l.index)).toEqual([4, 5]);
    // Asked again: no new query.
    await view.fetchMissing({ addresses: [], txs: [], outspends: [] });
    expect(view.queries - before).toBe(1);
  });

  it('an index of a dataset without logs offers no txLogs (as the file); one with logs does', async () => {
    const plain = join(dir, 'plain.jsonl');
    const { logs: _none, ...doc } = logsDoc();
    writeFileSync(plain, toJsonLines(doc));
    const pdb = join(dir, 'plain.ftindex');
    await buildIndex(plain, pdb);
    expect((await openIndexSource(pdb, `index:${pdb}`)).view.kind).toBe('account');
    expect(((await openIndexSource(pdb, `index:${pdb}`)).view as AccountView).txLogs).toBeUndefined();
    expect(((await openIndexSource(db, `index:${db}`)).view as AccountView).txLogs).toBeDefined();
  });

  it('a trace over a dataset with logs prints the same JSON from the file and from the index', async () => {
    for (const args of [
      [ETH.A, '--hops', '4'],
      [TX.tx2, '--model', 'fifo'],
      [ETH.X, '--direction', 'backward', '--asset', 'USDT'],
    ]) {
      const a = await cli(['trace', ...args, '--source', file, '--format', 'json']);
      const b = await cli(['trace', ...args, '--source', `index:${db}`, '--format', 'json']);
      expect(b.status, b.stderr).toBe(a.status);
      if (a.status !== 0) expect(b.stderr).toBe(a.stderr);
      else {
        const strip = (s: string) => {
          const d = JSON.parse(s) as { query: { sources?: unknown } };
          delete d.query.sources;
          return d;
        };
        expect(strip(b.stdout)).toEqual(strip(a.stdout));
      }
    }
  });
});
