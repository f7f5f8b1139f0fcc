// The monitor's state in one SQLite file (libSQL client: prebuilt binaries, no compiler needed,
// and the same client speaks to a libSQL server when a team shares one monitor's state).
//
// What lives here: versioned schema (PRAGMA user_version), a lease so that two monitors never
// drive the same state, the scan cursor and recent block hashes per chain (reorg detection),
// the transactions seen at watched addresses, every alert (by its stable id) and its delivery
// state per target. Everything one poll learns is written in one transaction (commitPoll), so a
// kill at any moment leaves either the state before the poll or the state after it.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type Client, createClient, type InStatement, type Transaction } from '@libsql/client';
import { FundtraceError } from '../core/errors.js';

/** Schema migrations, applied in order; the index + 1 is the version stored in user_version. */
const MIGRATIONS: readonly string[][] = [
  [
    `CREATE TABLE lease (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, pid INTEGER NOT NULL,
       host TEXT NOT NULL, expires_at INTEGER NOT NULL)`,
    `CREATE TABLE cursors (chain TEXT PRIMARY KEY, height INTEGER NOT NULL, hash TEXT NOT NULL,
       tip INTEGER, last_poll TEXT, last_error TEXT, polls INTEGER NOT NULL DEFAULT 0, labels_hash TEXT)`,
    `CREATE TABLE blocks (chain TEXT NOT NULL, height INTEGER NOT NULL, hash TEXT NOT NULL,
       PRIMARY KEY (chain, height))`,
    `CREATE TABLE watched (chain TEXT NOT NULL, address TEXT NOT NULL, from_height INTEGER NOT NULL,
       PRIMARY KEY (chain, address))`,
    `CREATE TABLE seen (chain TEXT NOT NULL, tx TEXT NOT NULL, address TEXT NOT NULL, height INTEGER NOT NULL,
       block_hash TEXT NOT NULL, activity TEXT NOT NULL, PRIMARY KEY (chain, tx, address))`,
    'CREATE INDEX seen_height ON seen (chain, height)',
    `CREATE TABLE alerts (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, chain TEXT NOT NULL,
       type TEXT NOT NULL, rule TEXT NOT NULL, address TEXT NOT NULL, tx TEXT NOT NULL, height INTEGER NOT NULL,
       first_seen TEXT NOT NULL, doc TEXT NOT NULL, retracted_by TEXT, emitted INTEGER NOT NULL DEFAULT 0)`,
    'CREATE INDEX alerts_tx ON alerts (chain, tx)',
    `CREATE TABLE deliveries (alert_id TEXT NOT NULL, target TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
       delivered_at TEXT, last_error TEXT, next_at INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (alert_id, target))`,
  ],
];
export const SCHEMA_VERSION = MIGRATIONS.length;

/** A lease lives this long without renewal; a monitor renews it on every poll. */
export const LEASE_MS = 60_000;

export const stateError = (message: string, details: readonly string[] = [], cause?: unknown) =>
  new FundtraceError('STATE', message, details, { cause });

/** Default database: $XDG_DATA_HOME/fundtrace/watch.db, else ~/.local/share/fundtrace/watch.db. */
export function defaultDbPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || env.USERPROFILE || '.', '.local', 'share');
  return join(base, 'fundtrace', 'watch.db');
}

export interface AlertRow {
  seq: number;
  id: string;
  chain: string;
  type: string;
  rule: string;
  address: string;
  tx: string;
  height: number;
  firstSeen: string;
  doc: string;
  retractedBy: string | null;
  emitted: boolean;
}

export interface SeenRow {
  tx: string;
  address: string;
  height: number;
  blockHash: string;
  activity: string;
}

export interface CursorRow {
  chain: string;
  height: number;
  hash: string;
  tip: number | null;
  lastPoll: string | null;
  lastError: string | null;
  polls: number;
  labelsHash: string | null;
}

/** Everything one poll decided, written in one transaction. */
export interface PollWrite {
  chain: string;
  cursor: { height: number; hash: string; tip: number; at: string; labelsHash: string };
  blocks: { height: number; hash: string }[];
  /** Drop stored block hashes from this height up (a reorg replaced them). */
  dropBlocksFrom?: number;
  seen: SeenRow[];
  unseen: { tx: string; address: string }[];
  alerts: {
    id: string;
    type: string;
    rule: string;
    address: string;
    tx: string;
    height: number;
    doc: string;
    firstSeen: string;
    retracts?: string;
  }[];
  watched: { address: string; fromHeight: number }[];
  targets: string[];
}

const dbError = (file: string, e: unknown): FundtraceError => {
  const msg = e instanceof Error ? e.message : String(e);
  if (/SQLITE_BUSY|database is locked/i.test(msg))
    return stateError(`watch database ${file} is locked by another process`, [
      'another monitor (or a tool) holds it; stop it or use another --db FILE',
    ]);
  if (/SQLITE_READONLY|readonly/i.test(msg))
    return stateError(`watch database ${file} is read-only`, [
      'nothing was lost; make it writable and restart',
    ]);
  if (/SQLITE_FULL|disk is full|No space/i.test(msg))
    return stateError(`the disk holding ${file} is full`, [
      'the last poll was not written (nothing already written is lost); free space and restart',
    ]);
  if (/SQLITE_NOTADB|not a database|SQLITE_CORRUPT/i.test(msg))
    return stateError(`${file} is not a fundtrace watch database (or is damaged)`);
  if (/SQLITE_CANTOPEN|unable to open/i.test(msg))
    return stateError(`cannot open the watch database ${file}`, [
      'check the directory exists and is writable',
    ]);
  return stateError(`watch database ${file}: ${msg.split('\n')[0]}`);
};

export class WatchDb {
  private leaseToken: string | null = null;
  private constructor(
    readonly file: string,
    private readonly client: Client,
  ) {}

  /** Open (creating the file and its directory) and migrate to the current schema. */
  static async open(file: string): Promise<WatchDb> {
    const path = resolve(file);
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      throw dbError(path, e);
    }
    const client = createClient({ url: `file:${path}` });
    const db = new WatchDb(path, client);
    try {
      await client.execute('PRAGMA busy_timeout = 5000');
      await client.execute('PRAGMA journal_mode = WAL');
      await db.migrate();
    } catch (e) {
      client.close();
      throw e instanceof FundtraceError ? e : dbError(path, e);
    }
    return db;
  }

  private async guard<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw e instanceof FundtraceError ? e : dbError(this.file, e);
    }
  }

  private async migrate(): Promise<void> {
    const v = Number((await this.client.execute('PRAGMA user_version')).rows[0]?.[0] ?? 0);
    if (v > SCHEMA_VERSION)
      throw stateError(
        `watch database ${this.file} has schema version ${v}, newer than this fundtrace (${SCHEMA_VERSION})`,
        ['upgrade fundtrace, or use another --db FILE'],
      );
    for (let i = v; i < SCHEMA_VERSION; i++) {
      // Each migration and its version number in one transaction: never half-migrated.
      const tx = await this.client.transaction('write');
      try {
        for (const sql of MIGRATIONS[i]!) await tx.execute(sql);
        await tx.execute(`PRAGMA user_version = ${i + 1}`);
        await tx.commit();
      } finally {
        tx.close();
      }
    }
  }

  async version(): Promise<number> {
    return Number((await this.client.execute('PRAGMA user_version')).rows[0]?.[0] ?? 0);
  }

  /**
   * Take the lease or fail with a clear error. A lease is free when absent, expired, or held by a
   * process on this host that no longer runs (a monitor killed with -9 does not block its restart).
   */
  async acquireLease(now = Date.now()): Promise<void> {
    const token = `${hostname()}:${process.pid}:${now}`;
    await this.guard(async () => {
      const tx = await this.client.transaction('write');
      try {
        const row = (await tx.execute('SELECT holder, pid, host, expires_at FROM lease WHERE id = 1'))
          .rows[0];
        if (row) {
          const host = String(row.host);
          const pid = Number(row.pid);
          const alive = host !== hostname() || pidAlive(pid);
          if (alive && Number(row.expires_at) > now && pid !== process.pid) {
            throw stateError(
              `watch database ${this.file} is in use by another monitor (pid ${pid} on ${host})`,
              [
                'two monitors on one database would repeat or lose alerts; stop the other one or use another --db FILE',
                `its lease expires ${new Date(Number(row.expires_at)).toISOString()} unless renewed`,
              ],
            );
          }
        }
        await tx.execute({
          sql: 'INSERT OR REPLACE INTO lease (id, holder, pid, host, expires_at) VALUES (1, ?, ?, ?, ?)',
          args: [token, process.pid, hostname(), now + LEASE_MS],
        });
        await tx.commit();
      } finally {
        tx.close();
      }
    });
    this.leaseToken = token;
  }

  /** Renew inside a write transaction: fails if someone else took the lease meanwhile. */
  private async renewIn(tx: Transaction, now: number): Promise<void> {
    if (!this.leaseToken) throw stateError('internal: no lease held');
    const r = await tx.execute({
      sql: 'UPDATE lease SET expires_at = ? WHERE id = 1 AND holder = ?',
      args: [now + LEASE_MS, this.leaseToken],
    });
    if (r.rowsAffected !== 1)
      throw stateError(`watch database ${this.file}: another monitor took over the lease; stopping`);
  }

  async releaseLease(): Promise<void> {
    if (!this.leaseToken) return;
    await this.guard(() =>
      this.client.execute({ sql: 'DELETE FROM lease WHERE id = 1 AND holder = ?', args: [this.leaseToken] }),
    );
    this.leaseToken = null;
  }

  async cursor(chain: string): Promise<CursorRow | undefined> {
    const r = await this.guard(() =>
      this.client.execute({ sql: 'SELECT * FROM cursors WHERE chain = ?', args: [chain] }),
    );
    const row = r.rows[0];
    if (!row) return undefined;
    return {
      chain: String(row.chain),
      height: Number(row.height),
      hash: String(row.hash),
      tip: row.tip === null ? null : Number(row.tip),
      lastPoll: row.last_poll === null ? null : String(row.last_poll),
      lastError: row.last_error === null ? null : String(row.last_error),
      polls: Number(row.polls),
      labelsHash: row.labels_hash === null ? null : String(row.labels_hash),
    };
  }

  async cursors(): Promise<CursorRow[]> {
    const r = await this.guard(() => this.client.execute('SELECT chain FROM cursors ORDER BY chain'));
    const out: CursorRow[] = [];
    for (const row of r.rows) {
      const c = await this.cursor(String(row.chain));
      if (c) out.push(c);
    }
    return out;
  }

  async blockHash(chain: string, height: number): Promise<string | undefined> {
    const r = await this.guard(() =>
      this.client.execute({
        sql: 'SELECT hash FROM blocks WHERE chain = ? AND height = ?',
        args: [chain, height],
      }),
    );
    return r.rows[0] ? String(r.rows[0].hash) : undefined;
  }

  async watchedFrom(chain: string): Promise<Map<string, number>> {
    const r = await this.guard(() =>
      this.client.execute({ sql: 'SELECT address, from_height FROM watched WHERE chain = ?', args: [chain] }),
    );
    return new Map(r.rows.map((row) => [String(row.address), Number(row.from_height)]));
  }

  async seenFrom(chain: string, height: number): Promise<SeenRow[]> {
    const r = await this.guard(() =>
      this.client.execute({
        sql: 'SELECT tx, address, height, block_hash, activity FROM seen WHERE chain = ? AND height >= ? ORDER BY height, tx, address',
        args: [chain, height],
      }),
    );
    return r.rows.map((row) => ({
      tx: String(row.tx),
      address: String(row.address),
      height: Number(row.height),
      blockHash: String(row.block_hash),
      activity: String(row.activity),
    }));
  }

  async alertIds(chain: string): Promise<Set<string>> {
    const r = await this.guard(() =>
      this.client.execute({ sql: 'SELECT id FROM alerts WHERE chain = ?', args: [chain] }),
    );
    return new Set(r.rows.map((row) => String(row.id)));
  }

  async liveAlertsForTx(chain: string, tx: string, address: string): Promise<AlertRow[]> {
    const r = await this.guard(() =>
      this.client.execute({
        sql: "SELECT * FROM alerts WHERE chain = ? AND tx = ? AND address = ? AND type = 'alert' AND retracted_by IS NULL ORDER BY seq",
        args: [chain, tx, address],
      }),
    );
    return r.rows.map(toAlert);
  }

  /** Ids of the stored alerts on these transactions, with whether each was retracted (one query per 500). */
  async alertIdsForTxs(chain: string, txs: readonly string[]): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>();
    for (let i = 0; i < txs.length; i += 500) {
      const part = txs.slice(i, i + 500);
      const r = await this.guard(() =>
        this.client.execute({
          sql: `SELECT id, retracted_by FROM alerts WHERE chain = ? AND tx IN (${part.map(() => '?').join(',')})`,
          args: [chain, ...part],
        }),
      );
      for (const row of r.rows) out.set(String(row.id), row.retracted_by !== null);
    }
    return out;
  }

  /** The alert with this base id and its re-raises (".N" after a retraction). */
  async alertFamily(baseId: string): Promise<AlertRow[]> {
    const r = await this.guard(() =>
      this.client.execute({
        sql: 'SELECT * FROM alerts WHERE id = ? OR id LIKE ? ORDER BY seq',
        args: [baseId, `${baseId}.%`],
      }),
    );
    return r.rows.map(toAlert);
  }

  /** Write one poll: alerts, seen transactions, block hashes, cursor, delivery rows; renew the lease. */
  async commitPoll(w: PollWrite, now = Date.now()): Promise<void> {
    await this.guard(async () => {
      const tx = await this.client.transaction('write');
      try {
        await this.renewIn(tx, now);
        const stmts: InStatement[] = [];
        if (w.dropBlocksFrom !== undefined)
          stmts.push({
            sql: 'DELETE FROM blocks WHERE chain = ? AND height >= ?',
            args: [w.chain, w.dropBlocksFrom],
          });
        for (const b of w.blocks)
          stmts.push({
            sql: 'INSERT OR REPLACE INTO blocks (chain, height, hash) VALUES (?, ?, ?)',
            args: [w.chain, b.height, b.hash],
          });
        // Keep recent hashes only: enough to find where a reorg forked.
        stmts.push({
          sql: 'DELETE FROM blocks WHERE chain = ? AND height < ?',
          args: [w.chain, w.cursor.height - 1000],
        });
        for (const a of w.watched)
          stmts.push({
            sql: 'INSERT OR IGNORE INTO watched (chain, address, from_height) VALUES (?, ?, ?)',
            args: [w.chain, a.address, a.fromHeight],
          });
        for (const s of w.unseen)
          stmts.push({
            sql: 'DELETE FROM seen WHERE chain = ? AND tx = ? AND address = ?',
            args: [w.chain, s.tx, s.address],
          });
        for (const s of w.seen)
          stmts.push({
            sql: 'INSERT OR REPLACE INTO seen (chain, tx, address, height, block_hash, activity) VALUES (?, ?, ?, ?, ?, ?)',
            args: [w.chain, s.tx, s.address, s.height, s.blockHash, s.activity],
          });
        for (const a of w.alerts) {
          stmts.push({
            sql: `INSERT OR IGNORE INTO alerts (id, chain, type, rule, address, tx, height, first_seen, doc)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            args: [a.id, w.chain, a.type, a.rule, a.address, a.tx, a.height, a.firstSeen, a.doc],
          });
          if (a.retracts)
            stmts.push({ sql: 'UPDATE alerts SET retracted_by = ? WHERE id = ?', args: [a.id, a.retracts] });
          for (const t of w.targets)
            stmts.push({
              sql: 'INSERT OR IGNORE INTO deliveries (alert_id, target) VALUES (?, ?)',
              args: [a.id, t],
            });
        }
        stmts.push({
          sql: `INSERT INTO cursors (chain, height, hash, tip, last_poll, last_error, polls, labels_hash)
                VALUES (?, ?, ?, ?, ?, NULL, 1, ?)
                ON CONFLICT (chain) DO UPDATE SET height = excluded.height, hash = excluded.hash, tip = excluded.tip,
                  last_poll = excluded.last_poll, last_error = NULL, polls = cursors.polls + 1,
                  labels_hash = excluded.labels_hash`,
          args: [w.chain, w.cursor.height, w.cursor.hash, w.cursor.tip, w.cursor.at, w.cursor.labelsHash],
        });
        await tx.batch(stmts);
        await tx.commit();
      } finally {
        tx.close();
      }
    });
  }

  async recordError(chain: string, message: string): Promise<void> {
    await this.guard(() =>
      this.client.execute({
        sql: 'UPDATE cursors SET last_error = ? WHERE chain = ?',
        args: [message, chain],
      }),
    );
  }

  /** Alerts not yet written to standard output, oldest first. */
  async unemitted(): Promise<AlertRow[]> {
    const r = await this.guard(() =>
      this.client.execute('SELECT * FROM alerts WHERE emitted = 0 ORDER BY seq'),
    );
    return r.rows.map(toAlert);
  }

  async markEmitted(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.guard(() =>
      this.client.batch(
        ids.map((id) => ({ sql: 'UPDATE alerts SET emitted = 1 WHERE id = ?', args: [id] })),
        'write',
      ),
    );
  }

  async alerts(opts: { since?: string; chain?: string } = {}): Promise<AlertRow[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (opts.since) {
      where.push('first_seen >= ?');
      args.push(opts.since);
    }
    if (opts.chain) {
      where.push('chain = ?');
      args.push(opts.chain);
    }
    const r = await this.guard(() =>
      this.client.execute({
        sql: `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`,
        args,
      }),
    );
    return r.rows.map(toAlert);
  }

  async alertCounts(): Promise<{ chain: string; type: string; n: number }[]> {
    const r = await this.guard(() =>
      this.client.execute(
        'SELECT chain, type, COUNT(*) AS n FROM alerts GROUP BY chain, type ORDER BY chain, type',
      ),
    );
    return r.rows.map((row) => ({ chain: String(row.chain), type: String(row.type), n: Number(row.n) }));
  }

  /** Deliveries due for `target` (not delivered, next attempt time reached), oldest alert first. */
  async pendingDeliveries(
    target: string,
    now = Date.now(),
  ): Promise<{ alertId: string; attempts: number; doc: string }[]> {
    const r = await this.guard(() =>
      this.client.execute({
        sql: `SELECT d.alert_id, d.attempts, a.doc FROM deliveries d JOIN alerts a ON a.id = d.alert_id
              WHERE d.target = ? AND d.delivered_at IS NULL AND d.next_at <= ? ORDER BY a.seq`,
        args: [target, now],
      }),
    );
    return r.rows.map((row) => ({
      alertId: String(row.alert_id),
      attempts: Number(row.attempts),
      doc: String(row.doc),
    }));
  }

  async deliveryCounts(): Promise<
    { target: string; delivered: number; pending: number; lastError: string | null }[]
  > {
    const r = await this.guard(() =>
      this.client.execute(
        `SELECT target, SUM(delivered_at IS NOT NULL) AS delivered, SUM(delivered_at IS NULL) AS pending,
           MAX(last_error) AS last_error FROM deliveries GROUP BY target ORDER BY target`,
      ),
    );
    return r.rows.map((row) => ({
      target: String(row.target),
      delivered: Number(row.delivered),
      pending: Number(row.pending),
      lastError: row.last_error === null ? null : String(row.last_error),
    }));
  }

  async markDelivery(
    alertId: string,
    target: string,
    r: { ok: true; at: string } | { ok: false; error: string; nextAt: number },
  ): Promise<void> {
    await this.guard(() =>
      this.client.execute(
        r.ok
          ? {
              sql: 'UPDATE deliveries SET attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE alert_id = ? AND target = ?',
              args: [r.at, alertId, target],
            }
          : {
              sql: 'UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_at = ? WHERE alert_id = ? AND target = ?',
              args: [r.error, r.nextAt, alertId, target],
            },
      ),
    );
  }

  close(): void {
    this.client.close();
  }
}

function toAlert(row: Record<string, unknown>): AlertRow {
  return {
    seq: Number(row.seq),
    id: String(row.id),
    chain: String(row.chain),
    type: String(row.type),
    rule: String(row.rule),
    address: String(row.address),
    tx: String(row.tx),
    height: Number(row.height),
    firstSeen: String(row.first_seen),
    doc: String(row.doc),
    retractedBy: row.retracted_by === null ? null : String(row.retracted_by),
    emitted: Number(row.emitted) === 1,
  };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
