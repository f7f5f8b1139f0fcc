// The watch file parser (every problem with its line) and the state database (versioned schema,
// lease, clear errors for a file that is not a database or is read-only).
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FundtraceError } from '../../src/core/errors.js';
import { defaultDbPath, SCHEMA_VERSION, WatchDb } from '../../src/watch/db.js';
import { parseShare, parseWatchFile } from '../../src/watch/file.js';

const dir = () => mkdtempSync(join(tmpdir(), 'fundtrace-watchdb-'));

const problems = (text: string): string[] => {
  try {
    parseWatchFile(text, 'w.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(FundtraceError);
    expect((e as FundtraceError).code).toBe('BAD_INPUT');
    return [...(e as FundtraceError).details];
  }
  return [];
};

describe('watch file', () => {
  it('reads YAML and JSON with the same meaning', () => {
    const yaml = parseWatchFile(
      `chain: anvil
labels: [a.json, b.csv]
watch:
  - address: "0xabc"
    name: funds at rest
    rules:
      movement: [{ min: "0.5" }, { asset: USDF, min: "100" }]
      arrival: { hops: 4, share: "12.5%", amount: "2" }
      labels: true
`,
      'w.yaml',
    );
    const json = parseWatchFile(
      JSON.stringify({
        chain: 'anvil',
        labels: ['a.json', 'b.csv'],
        watch: [
          {
            address: '0xabc',
            name: 'funds at rest',
            rules: {
              movement: [{ min: '0.5' }, { asset: 'USDF', min: '100' }],
              arrival: { hops: 4, share: '12.5%', amount: '2' },
              labels: true,
            },
          },
        ],
      }),
      'w.json',
    );
    const strip = (w: typeof yaml) => ({
      ...w,
      file: '',
      entries: w.entries.map((e) => ({ ...e, line: 0 })),
    });
    expect(strip(json)).toEqual(strip(yaml));
    expect(yaml.entries[0]).toMatchObject({
      address: '0xabc',
      line: 4,
      movement: [{ min: '0.5' }, { asset: 'USDF', min: '100' }],
      arrival: [{ hops: 4, sharePpm: 125_000n, amount: '2' }],
      labels: true,
    });
  });

  it('reports every problem with its line', () => {
    expect(
      problems(`watch:
  - address: "0x1"
    rules:
      movement: { min: "1e3" }
      teleport: {}
  - name: 7
    rules:
      arrival: { hops: 0, share: "150%" }
  - address: "0x2"
    colour: red
    rules: {}
extra: 1
`),
    ).toEqual([
      'w.yaml:12: unknown key "extra" (known: chain, labels, watch)',
      'w.yaml:4: watch[0]: rule movement: "min" must be an amount like "0.5", not "1e3"',
      'w.yaml:5: watch[0]: unknown rule "teleport" (known: movement, arrival, labels)',
      'w.yaml:6: watch[1]: "address" is missing',
      'w.yaml:6: watch[1]: "name" must be text',
      'w.yaml:8: watch[1]: rule arrival: "hops" must be a whole number from 1 to 20',
      'w.yaml:8: watch[1]: rule arrival: "share" must be a share like "10%" or "0.1", not "150%"',
      'w.yaml:10: watch[2]: unknown key "colour" (known: address, name, rules)',
      'w.yaml:11: watch[2]: no rule given',
    ]);
    expect(problems('watch: [\n  {address: "0x1", rules: {movement: {min: "1"}}\n')[0]).toMatch(
      /^w\.yaml:\d+: /,
    );
    expect(problems('- just a list\n')).toEqual(['w.yaml:1: not a mapping']);
    expect(() => parseWatchFile('- just a list\n', 'w.yaml')).toThrow(
      /expected a mapping with a "watch" list/,
    );
  });

  it('takes an unquoted 0x… address as written (YAML would read it as a hexadecimal number)', () => {
    const a = '0x00a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3';
    const wf = parseWatchFile(`watch:\n  - address: ${a}\n    rules: { labels: true }\n`, 'w.yaml');
    expect(wf.entries.map((e) => e.address)).toEqual([a]);
  });

  it('parses shares exactly, in millionths', () => {
    expect(parseShare('10%')).toBe(100_000n);
    expect(parseShare('0.1')).toBe(100_000n);
    expect(parseShare('0.000001')).toBe(1n);
    expect(parseShare('1')).toBe(1_000_000n);
    expect(parseShare('0.0000001')).toBeUndefined(); // finer than a millionth: refused, not rounded
    expect(parseShare('101%')).toBeUndefined();
    expect(parseShare('-1')).toBeUndefined();
  });
});

describe('watch state database', () => {
  it('lives under XDG_DATA_HOME or ~/.local/share by default', () => {
    expect(defaultDbPath({ XDG_DATA_HOME: '/x' })).toBe('/x/fundtrace/watch.db');
    expect(defaultDbPath({ HOME: '/home/k' })).toBe('/home/k/.local/share/fundtrace/watch.db');
  });

  it('migrates to the current schema version once, and refuses a newer one', async () => {
    const file = join(dir(), 'sub', 'w.db');
    const db = await WatchDb.open(file);
    expect(await db.version()).toBe(SCHEMA_VERSION);
    db.close();
    const again = await WatchDb.open(file);
    expect(await again.version()).toBe(SCHEMA_VERSION);
    again.close();
    const { createClient } = await import('@libsql/client');
    const c = createClient({ url: `file:${file}` });
    await c.execute(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    c.close();
    await expect(WatchDb.open(file)).rejects.toThrow(/schema version 2, newer than this fundtrace/);
  });

  it('a lease held by a process that no longer runs is taken over; a live one is refused', async () => {
    const file = join(dir(), 'w.db');
    const db = await WatchDb.open(file);
    const { createClient } = await import('@libsql/client');
    const c = createClient({ url: `file:${file}` });
    const { hostname } = await import('node:os');
    // pid 2^22+7 is above Linux's pid_max default: no such process.
    await c.execute({
      sql: 'INSERT INTO lease (id, holder, pid, host, expires_at) VALUES (1, ?, ?, ?, ?)',
      args: ['dead', 4194311, hostname(), Date.now() + 60_000],
    });
    await db.acquireLease();
    // Another live holder on another host with an unexpired lease: refused, clearly.
    await c.execute({
      sql: 'UPDATE lease SET holder = ?, pid = ?, host = ? WHERE id = 1',
      args: ['other', 1, 'elsewhere.example'],
    });
    const err = await db.acquireLease().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FundtraceError);
    expect((err as FundtraceError).code).toBe('STATE');
    expect((err as FundtraceError).message).toMatch(
      /in use by another monitor \(pid 1 on elsewhere\.example\)/,
    );
    // ... and a monitor whose lease was taken stops instead of writing.
    await expect(
      db.commitPoll({
        chain: 'anvil',
        cursor: { height: 1, hash: '0x1', tip: 1, at: 'now', labelsHash: 'h' },
        blocks: [],
        seen: [],
        unseen: [],
        alerts: [],
        watched: [],
        targets: [],
      }),
    ).rejects.toThrow(/another monitor took over the lease/);
    c.close();
    db.close();
  });

  it('a file that is not a database, or a read-only one, is a clear state error', async () => {
    const d = dir();
    const junk = join(d, 'junk.db');
    writeFileSync(junk, 'this is not sqlite, just text that is long enough to have a header'.repeat(20));
    await expect(WatchDb.open(junk)).rejects.toThrow(/is not a fundtrace watch database/);
    const ro = join(d, 'ro.db');
    (await WatchDb.open(ro)).close();
    chmodSync(ro, 0o444);
    if (process.getuid?.() === 0) return; // root writes anyway
    const db = await WatchDb.open(ro);
    await expect(db.acquireLease()).rejects.toThrow(/read-only/);
    db.close();
  });
});
