// `fundtrace watch` against a real anvil (the played devnet): the rules fire with the hand-checked
// figures, a monitor killed with SIGKILL at random points and restarted yields exactly the
// expected alert ids, webhook delivery survives a failing receiver, a second monitor on the same
// database is refused, and a reorganisation (evm_snapshot / evm_revert) retracts an alert.
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTORS } from '../../src/devnet/index.js';
import { playWorkshopTheft, workshopLabels, workshopWatchFile } from '../../src/devnet/workshop.js';
import { WatchDb } from '../../src/watch/db.js';
import { cli } from '../helpers.js';
import { tmp, useDevnet } from '../rpc/helpers.js';
import { parseAlerts, rng, runChild, writeWatchFile, writeWatchLabels } from './helpers.js';

const devnet = useDevnet();
const ETH = 10n ** 18n;

function setup() {
  const dir = tmp('fundtrace-watch-');
  const labels = writeWatchLabels(dir, devnet.current.labels);
  const file = writeWatchFile(dir, labels);
  return { dir, file, db: join(dir, 'state.db') };
}

const args = (s: { file: string; db: string }, more: string[] = []) => [
  'watch',
  '-f',
  s.file,
  '--source',
  `rpc:${devnet.current.url}`,
  '--db',
  s.db,
  '--from-height',
  '0',
  '--no-label-dir',
  ...more,
];

// Scanned once by the reference run below; every other test compares with it.
let reference: Map<string, string> | undefined;

describe('fundtrace watch on the devnet', () => {
  it('fires movement, arrival-with-exposure and label alerts with the hand-checked figures', async () => {
    const s = setup();
    const r = await cli(args(s, ['--once']));
    expect(r.stderr).toMatch(/poll 1: blocks 0-\d+/);
    expect(r.status).toBe(0);
    const alerts = parseAlerts(r.stdout);
    const A = ACTORS;
    const summary = alerts.map(
      (a) => `${a.rule} ${a.address === A.mule1 ? 'mule-1' : 'deposit'} ${a.block.height}`,
    );
    expect(summary).toEqual([
      'labels mule-1 20', // drainer → mule-1 4 ETH (the drainer is a theft label)
      'labels mule-1 22', // drainer → mule-1 400 USDF
      'movement mule-1 24', // mule-1 → exchange deposit 5 ETH ≥ 0.5
      'arrival deposit 24', // the same 5 ETH arriving, 40 % of it from the theft
      'movement mule-1 25', // mule-1 → pool 1 ETH
      'labels mule-1 25', // … and the pool is a mixer
      'labels deposit 30', // the drainer's look-alike tokens dumped on the deposit address
      'movement deposit 32', // the exchange sweeps 5 ETH to its hot wallet
    ]);
    // Arrival: mule-1 held 4 ETH from the drainer and 6 clean ETH; 5 ETH left → haircut 40 %.
    const arrival = alerts.find((a) => a.rule === 'arrival')!;
    expect(arrival.amounts).toEqual([
      {
        direction: 'in',
        counterparty: A.mule1,
        asset: { key: 'ETH', symbol: 'ETH', decimals: 18 },
        amount: (5n * ETH).toString(),
      },
    ]);
    expect(arrival.exposure!.traced).toBe((5n * ETH).toString());
    expect(arrival.exposure!.flagged).toBe((2n * ETH).toString());
    expect(arrival.exposure!.flaggedSharePpm).toBe('400000');
    expect(arrival.exposure!.items.map((i) => [i.category, i.entity, i.value])).toEqual([
      ['theft', 'Devnet drainer', (2n * ETH).toString()],
    ]);
    expect(arrival.exposure!.items[0]!.paths.length).toBeGreaterThan(0);
    const usdf = alerts.find((a) => a.rule === 'labels' && a.block.height === 22)!;
    expect(usdf.amounts[0]!.asset.symbol).toBe('USDF');
    expect(usdf.amounts[0]!.amount).toBe('400000000'); // 400 USDF, 6 decimals
    expect(usdf.labels).toEqual([
      { counterparty: A.drainer, entity: 'Devnet drainer', category: 'theft', source: 'test' },
    ]);
    // Ids are unique and stable across runs: a second database gives the same ids.
    expect(new Set(alerts.map((a) => a.id)).size).toBe(8);
    reference = new Map(alerts.map((a) => [a.id, `${a.rule} ${a.tx} ${a.address}`]));
    const again = await cli(args({ ...s, db: join(s.dir, 'other.db') }, ['--once']));
    expect(parseAlerts(again.stdout).map((a) => a.id)).toEqual(alerts.map((a) => a.id));

    // A second run on the same database: nothing new, nothing repeated.
    const second = await cli(args(s, ['--once']));
    expect(second.status).toBe(0);
    expect(second.stdout).toBe('');
    const status = await cli(['watch', 'status', '--db', s.db]);
    expect(status.stdout).toMatch(/anvil: scanned to block \d+, tip \d+ \(lag 0\), 2 polls/);
    expect(status.stdout).toMatch(/anvil: 8 alerts/);
    const listed = await cli(['watch', 'alerts', '--db', s.db, '--since', '2000-01-01']);
    expect(parseAlerts(listed.stdout).map((a) => a.id)).toEqual(alerts.map((a) => a.id));
  }, 120_000);

  it('a second monitor on the same database gets a clear error (exit 6)', async () => {
    const s = setup();
    const db = await WatchDb.open(s.db);
    await db.acquireLease();
    try {
      // The lease holder is this (live) test process: the CLI in-process is the same pid, so use a child.
      const c = await runChild(args(s, ['--once']));
      expect(c.status).toBe(6);
      expect(c.stderr).toMatch(/is in use by another monitor \(pid \d+/);
      expect(c.stdout).toBe('');
    } finally {
      await db.releaseLease();
      db.close();
    }
  }, 60_000);

  it('webhook: signed, retried with back-off until the receiver accepts, de-duplicable by id', async () => {
    const s = setup();
    const secret = 'test-webhook-secret';
    const attempts = new Map<string, number>();
    const accepted = new Map<string, string>();
    let badSignatures = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        const id = String(req.headers['x-fundtrace-alert-id']);
        const sig = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
        if (req.headers['x-fundtrace-signature'] !== sig) badSignatures++;
        const n = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, n);
        // The first two attempts of every alert fail: 500, then a hang-up.
        if (n === 1) return res.writeHead(500).end('boom');
        if (n === 2) return req.socket.destroy();
        accepted.set(id, body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const env = { FUNDTRACE_WEBHOOK_SECRET: secret, FUNDTRACE_WATCH_BACKOFF_MS: '5' };
      const r = await cli(args(s, ['--once', '--webhook', url]), env);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/webhook delivery of \w+ failed \(attempt 1\): HTTP 500/);
      expect(badSignatures).toBe(0);
      expect(new Set(accepted.keys())).toEqual(new Set(reference!.keys()));
      for (const [id, body] of accepted) expect(JSON.parse(body).id).toBe(id);
      expect([...attempts.values()].every((n) => n === 3)).toBe(true);
      const status = await cli(['watch', 'status', '--db', s.db]);
      expect(status.stdout).toMatch(/webhook: 8 delivered, 0 pending/);
      // Without the secret: a usage error, before anything runs.
      const nosecret = await cli(args(s, ['--once', '--webhook', url]));
      expect(nosecret.status).toBe(2);
      expect(nosecret.stderr).toMatch(/FUNDTRACE_WEBHOOK_SECRET/);
    } finally {
      server.close();
    }
  }, 120_000);

  it('webhook that keeps failing: --once exits 7, the next run delivers what is pending', async () => {
    const s = setup();
    let healthy = false;
    const got = new Set<string>();
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (!healthy) return res.writeHead(503).end();
        got.add(String(req.headers['x-fundtrace-alert-id']));
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const env = { FUNDTRACE_WEBHOOK_SECRET: 'x'.repeat(16), FUNDTRACE_WATCH_BACKOFF_MS: '1' };
    try {
      const r1 = await cli(args(s, ['--once', '--webhook', url]), env);
      expect(r1.status).toBe(7);
      expect(r1.stderr).toMatch(/8 alert deliveries failed after their retries/);
      expect(parseAlerts(r1.stdout)).toHaveLength(8); // standard output is not held back
      healthy = true;
      await new Promise((r) => setTimeout(r, 50)); // past the back-off
      const r2 = await cli(args(s, ['--once', '--webhook', url]), env);
      expect(r2.status, r2.stderr).toBe(0);
      expect(r2.stdout).toBe('');
      expect(got).toEqual(new Set(reference!.keys()));
    } finally {
      server.close();
    }
  }, 120_000);

  it('--address without a watch file; bad addresses are named', async () => {
    const dir = tmp('fundtrace-watch-');
    const labels = join(dir, 'devnet-labels.json');
    writeFileSync(labels, JSON.stringify({ labels: devnet.current.labels }));
    const base = ['watch', '--source', `rpc:${devnet.current.url}`, '--db', join(dir, 'a.db')];
    base.push('--no-label-dir', '--labels', labels);
    const r = await cli([...base, '--address', ACTORS.mule1, '--min', '0.5', '--once', '--from-height', '0']);
    expect(r.status, r.stderr).toBe(0);
    // mule-1's two ETH movements (5 and 1 ETH) and the pool (a mixer in the devnet labels) it paid.
    expect(parseAlerts(r.stdout).map((a) => `${a.rule} ${a.block.height}`)).toEqual([
      'movement 24',
      'movement 25',
      'labels 25',
    ]);
    const bad = await cli([...base, '--address', '0x123', '--once']);
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(
      /watched addresses: 1 problem\n {2}--address: "0x123" is not an address on anvil/,
    );
    const none = await cli([...base, '--once']);
    expect(none.status).toBe(2);
  }, 120_000);

  it('--exec hands each alert to a command on stdin', async () => {
    const s = setup();
    const sink = join(s.dir, 'sink.ndjson');
    const r = await cli(args(s, ['--once', '--exec', `cat >> '${sink}'; echo >> '${sink}'`]));
    expect(r.status, r.stderr).toBe(0);
    const got = parseAlerts(readFileSync(sink, 'utf8'));
    expect(new Set(got.map((a) => a.id))).toEqual(new Set(reference!.keys()));
    const failing = await cli(args({ ...s, db: join(s.dir, 'f.db') }, ['--once', '--exec', 'exit 3']), {
      FUNDTRACE_WATCH_BACKOFF_MS: '1',
    });
    expect(failing.status).toBe(7);
    expect(failing.stderr).toMatch(/exec delivery of \w+ failed \(attempt 1\): exit status 3/);
  }, 120_000);

  it('labels that change between polls: transactions seen earlier are checked again', async () => {
    const s = setup();
    // First without the drainer's label (the devnet's own labels only: the pool is a mixer).
    writeFileSync(join(s.dir, 'labels.json'), JSON.stringify({ labels: devnet.current.labels }));
    const first = await cli(args(s, ['--once']));
    expect(first.status, first.stderr).toBe(0);
    const rules = (out: string) => parseAlerts(out).map((a) => `${a.rule} ${a.block.height}`);
    // No flagged exposure without the drainer's label: no arrival alert either.
    expect(rules(first.stdout)).toEqual(['movement 24', 'movement 25', 'labels 25', 'movement 32']);
    writeWatchLabels(s.dir, devnet.current.labels);
    const second = await cli(args(s, ['--once']));
    expect(second.status, second.stderr).toBe(0);
    expect(rules(second.stdout).sort()).toEqual(['labels 20', 'labels 22', 'labels 30']);
    // The same ids as when the label was there from the start.
    for (const a of parseAlerts(second.stdout)) expect(reference!.has(a.id)).toBe(true);
  }, 120_000);

  it('workshop: watch the exchange deposit address, play a theft, the arrival alert appears', async () => {
    const dir = tmp('fundtrace-workshop-');
    const devLabels = join(dir, 'labels.json');
    writeFileSync(devLabels, JSON.stringify({ labels: devnet.current.labels }));
    const wl = join(dir, 'workshop-labels.json');
    writeFileSync(wl, JSON.stringify({ labels: workshopLabels() }));
    const file = join(dir, 'watch.yaml');
    writeFileSync(file, workshopWatchFile([devLabels, wl]));
    const base = ['watch', '-f', file, '--source', `rpc:${devnet.current.url}`, '--db', join(dir, 'w.db')];
    const start = await cli([...base, '--once', '--no-label-dir']);
    expect(start.status, start.stderr).toBe(0);
    expect(start.stdout).toBe(''); // a new monitor starts at the next block
    const t = await playWorkshopTheft(devnet.current.chain, 1);
    const r = await cli([...base, '--once', '--no-label-dir']);
    expect(r.status, r.stderr).toBe(0);
    const alerts = parseAlerts(r.stdout);
    expect(alerts.map((a) => [a.rule, a.tx])).toEqual([['arrival', t.hashes[1]]]);
    const e = alerts[0]!.exposure!;
    // 0.15 ETH deposited by a mule that held nothing but the drainer's 0.2 ETH: all of it theft.
    expect(e.traced).toBe('150000000000000000');
    expect(e.flagged).toBe('150000000000000000');
    expect(e.flaggedSharePpm).toBe('1000000');
    expect(e.items.map((i) => [i.category, i.entity, i.minHops])).toEqual([
      ['theft', 'Devnet drainer (reported theft)', 2],
    ]);
    expect(e.items[0]!.paths[0]!.edges).toHaveLength(2);
  }, 120_000);

  // After the webhook tests (it adds blocks): the chain advances while monitors are killed.
  it('SIGKILL at random points of polls, then restart: exactly the expected alert ids', async () => {
    const s = setup();
    const anvil = devnet.current.anvil;
    const next = rng(Number(process.env.FUNDTRACE_KILL_SEED ?? 13));
    const iterations = Number(process.env.FUNDTRACE_KILL_ITERATIONS ?? 30);
    const send = (from: string, to: string, wei: bigint) =>
      anvil.rpc('eth_sendTransaction', [{ from, to, value: `0x${wei.toString(16)}` }]);
    const printed: string[] = [];
    let killed = 0;
    // Two blocks per poll and no pause: a child is always mid-poll (or mid-start) when killed.
    const more = ['--max-blocks', '2', '--interval', '0', '--polls', '1000000', '--quiet'];
    for (let i = 0; i < iterations; i++) {
      // New activity each round: a label hit (the drainer pays mule-1), every 5th a movement
      // (mule-1 → cold 0.5 ETH), every 10th an arrival traced backward (mule-1 → the deposit).
      await send(ACTORS.drainer, ACTORS.mule1, ETH / 100n);
      if (i % 5 === 0) await send(ACTORS.mule1, ACTORS.cold, ETH / 2n);
      if (i % 10 === 0) await send(ACTORS.mule1, ACTORS.exchangeDeposit, ETH / 10n);
      const c = await runChild(args(s, more), { killAfterMs: Math.floor(200 + next() * 1800) });
      if (c.signal === 'SIGKILL') killed++;
      else expect.fail(`the child was not killed: status ${c.status}, ${c.stderr}`);
      printed.push(...parseAlerts(c.stdout).map((a) => a.id));
    }
    // Finish without a kill, in one poll.
    const last = await runChild(args(s, ['--once', '--quiet']));
    expect(last.status, last.stderr).toBe(0);
    printed.push(...parseAlerts(last.stdout).map((a) => a.id));
    // The expected set: one uninterrupted scan of the same chain into a fresh database.
    const fresh = await cli(args({ ...s, db: join(s.dir, 'fresh.db') }, ['--once']));
    expect(fresh.status, fresh.stderr).toBe(0);
    const expected = parseAlerts(fresh.stdout).map((a) => a.id);
    expect(expected.length).toBeGreaterThan(8 + iterations);
    expect(killed).toBe(iterations);
    // Nothing lost, nothing extra: the set printed equals the expected set; the database holds each once.
    expect(new Set(printed)).toEqual(new Set(expected));
    const db = await WatchDb.open(s.db);
    try {
      const rows = await db.alerts();
      expect(rows.map((r) => r.id).sort()).toEqual([...expected].sort());
      expect(rows.every((r) => r.emitted)).toBe(true);
    } finally {
      db.close();
    }
    // A line repeats only if a kill fell between printing it and marking it printed.
    const repeats = printed.length - new Set(printed).size;
    expect(repeats).toBeLessThanOrEqual(killed);
  }, 900_000);

  // Last: it adds blocks to the devnet.
  it('a reorganisation that drops a transaction retracts its alert', async () => {
    const s = setup();
    const anvil = devnet.current.anvil;
    const first = await cli(args(s, ['--once']));
    expect(first.status, first.stderr).toBe(0);
    // Earlier tests spent mule-1's ETH: top it up (a state change, no transaction or block).
    await anvil.rpc('anvil_setBalance', [ACTORS.mule1, `0x${(10n * ETH).toString(16)}`]);
    const snap = await anvil.rpc<string>('evm_snapshot');
    // mule-1 moves 2 ETH more: a movement alert.
    await anvil.rpc('eth_sendTransaction', [
      { from: ACTORS.mule1, to: ACTORS.cold, value: `0x${(2n * ETH).toString(16)}` },
    ]);
    const moved = await cli(args(s, ['--once']));
    const [alert] = parseAlerts(moved.stdout);
    expect(alert?.rule).toBe('movement');
    expect(alert?.amounts[0]?.amount).toBe((2n * ETH).toString());
    // The block is replaced: revert, then mine two empty blocks (the chain is now longer).
    await anvil.rpc('evm_revert', [snap]);
    await anvil.rpc('anvil_mine', ['0x2']);
    const after = await cli(args(s, ['--once']));
    expect(after.status, after.stderr).toBe(0);
    expect(after.stderr).toMatch(/reorganisation from block \d+/);
    const [retraction, ...rest] = parseAlerts(after.stdout);
    expect(rest).toEqual([]);
    expect(retraction?.type).toBe('retraction');
    expect(retraction?.retracts).toBe(alert!.id);
    expect(retraction?.tx).toBe(alert!.tx);
    // Polling again repeats nothing.
    const quiet = await cli(args(s, ['--once']));
    expect(quiet.stdout).toBe('');
    // A revert with no new block: the chain is now shorter than the alert's block.
    const snap2 = await anvil.rpc<string>('evm_snapshot');
    await anvil.rpc('eth_sendTransaction', [
      { from: ACTORS.mule1, to: ACTORS.cold, value: `0x${ETH.toString(16)}` },
    ]);
    const [alert2] = parseAlerts((await cli(args(s, ['--once']))).stdout);
    expect(alert2?.rule).toBe('movement');
    await anvil.rpc('evm_revert', [snap2]);
    const shorter = await cli(args(s, ['--once']));
    expect(shorter.status, shorter.stderr).toBe(0);
    expect(parseAlerts(shorter.stdout).map((a) => [a.type, a.retracts])).toEqual([
      ['retraction', alert2!.id],
    ]);
    expect((await cli(args(s, ['--once']))).stdout).toBe('');
  }, 120_000);

  it('case retrace after new blocks, then diff: the new movement of stolen funds', async () => {
    const dir = tmp('fundtrace-retrace-');
    const first = join(dir, 'case');
    const t = await cli([
      'trace',
      devnet.current.seeds.eth,
      '--source',
      `rpc:${devnet.current.url}`,
      '--asset',
      'ETH',
      '--hops',
      '5',
      '--no-label-dir',
      '--no-cache', // earlier tests cached these histories before they changed
      '--case',
      first,
    ]);
    expect(t.status, t.stderr).toBe(0);
    // mule-2 (2 ETH, all stolen, forwarded by the drainer's contract) moves 0.5 ETH on.
    const hash = await devnet.current.chain.send({
      from: ACTORS.mule2,
      to: ACTORS.cold,
      value: ETH / 2n,
      gasPrice: 1_000_000_000n,
    });
    const again = join(dir, 'retraced');
    const r = await cli(['case', 'retrace', first, '--out', again, '--no-label-dir']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`fundtrace diff ${first} ${again}`);
    const d = await cli(['diff', first, again, '--format', 'json']);
    expect(d.status, d.stderr).toBe(0);
    const diff = JSON.parse(d.stdout) as import('../../src/report/trace-diff.js').TraceDiff;
    expect(diff.flows.added.map((f) => [f.key.split(':')[1], f.b])).toEqual([[hash, (ETH / 2n).toString()]]);
    expect(diff.flows.removed).toEqual([]);
    expect(diff.traced).toBeNull();
    // The gas of the move (21 000 at 1 gwei = 0.000021 ETH) left held for fees; nothing else changed.
    const gas = 21_000n * 1_000_000_000n;
    expect(diff.terminals.map((c) => [c.key, c.delta])).toEqual([
      ['held', (-gas).toString()],
      ['fee', gas.toString()],
    ]);
    // At rest: the cold wallet gains 0.5 ETH (earlier tests may already have paid it), mule-2 loses 0.5 + gas.
    const rest = [...diff.atRest.added, ...diff.atRest.changed].map((h) => [h.key, h.delta]);
    expect(rest.sort()).toEqual(
      [
        [ACTORS.cold, (ETH / 2n).toString()],
        [ACTORS.mule2, (-(ETH / 2n) - gas).toString()],
      ].sort(),
    );
  }, 120_000);
});
