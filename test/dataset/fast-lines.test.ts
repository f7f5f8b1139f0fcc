// The parallel load's byte-level fast path (src/sources/dataset/fastline.ts) is a strict subset of
// JSON, never a second parser: a line it takes must mean to JSON.parse and the schema exactly what
// it read, and a chunk checked with it must give the same columns, addresses, times, labels,
// notes and assets as the same chunk checked the ordinary way (or fail alike). Checked on
// thousands of lines written in odd but valid ways, and on ones broken on purpose.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ChunkResult,
  checkChunk,
  fastLines,
  SPAN,
  sortedTxKeys,
} from '../../src/sources/dataset/chunk.js';
import {
  bytesHash,
  FAST_KINDS,
  newScan,
  SpellingIds,
  SpellingTable,
  scanTransfer,
} from '../../src/sources/dataset/fastline.js';
import { keyProblem } from '../../src/sources/dataset/keys.js';
import { isPlainValidTransfer } from '../../src/sources/dataset/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-fast-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  for (let i = 0; i < 8; i++) next(); // xorshift's first outputs from a small seed are small
  return next;
}
type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

// Checksummed addresses, and other spellings of them: all lowercase and all uppercase digits are
// valid (canonicalised to the checksummed form), one letter's case flipped is a bad checksum.
const EVM = [
  '0x8663eAC394557F1C486703AfCFC089d5082E5972',
  '0x13A8Da9cBf8B5eC63b480ba9D89Ef3Fe5Ab16d24',
  '0x9AFEA274723B84995F4A606c3bb4C000dD8F1b21',
  '0xcc9531AbfB84e6422572A8e817675EabA24AF150',
];
const EVM_TOKEN = '0xe8F53526Bc69A21e3e39932a8782197d1af62731';
function spellingsOf(a: string): string[] {
  const flipped = a.replace(/[a-f]/, (c) => c.toUpperCase());
  return [a, a.toLowerCase(), `0x${a.slice(2).toUpperCase()}`, flipped];
}
const TRON = [
  'TMyJKdcJLViyfuZTSJuU7vWkj2bzhKZ2Yc',
  'TLob7NhNsQQ7ytS9YZZ2oyUrFLBKS6h7jK',
  'TQ2CZZcTxLKt5tjFk4Sy6eLw3kb4AHagQK',
];
const TRON_USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

interface Chain {
  tron: boolean;
  header: Record<string, unknown>;
  addresses: string[];
  assets: string[];
  native: string;
}
const CHAINS: Chain[] = [
  {
    tron: false,
    header: {
      format: 'fundtrace-dataset/1',
      chain: 'ethereum',
      assets: { USDT: { decimals: 6, contract: EVM_TOKEN } },
      head: { height: 500 },
    },
    addresses: EVM.flatMap(spellingsOf),
    // declared symbol, the declared contract in two spellings, an undeclared token, unknown
    assets: ['USDT', EVM_TOKEN, EVM_TOKEN.toLowerCase(), '0x5555555555555555555555555555555555555555', 'DAI'],
    native: 'ETH',
  },
  {
    tron: true,
    header: {
      format: 'fundtrace-dataset/1',
      chain: 'tron',
      assets: { USDT: { decimals: 6, contract: TRON_USDT } },
      head: { height: 500 },
    },
    addresses: [...TRON, 'TMyJKdcJLViyfuZTSJuU7vWkj2bzhKZ2Yd', `0x${'ab'.repeat(20)}`],
    assets: ['USDT', TRON_USDT, 'USDT-X', '1002000'],
    native: 'TRX',
  },
];

const hex64 = (r: Rand) =>
  Array.from({ length: 64 }, () => '0123456789abcdefABCDEF'[Math.floor(r() * 22)]).join('');

/** A transfer that is usually valid (sometimes it breaks one of the builder's rules). */
function transfer(r: Rand, c: Chain, i: number): Record<string, unknown> {
  const kind = r() < 0.1 ? 'fee' : r() < 0.5 ? 'token' : r() < 0.8 ? 'native' : 'internal';
  const asset = kind === 'token' ? pick(r, c.assets) : r() < 0.95 ? c.native : pick(r, c.assets);
  const o: Record<string, unknown> = {
    type: 'transfer',
    tx: c.tron ? hex64(r).toLowerCase() : `0x${hex64(r)}`,
    index: r() < 0.9 ? i % 7 : Math.floor(r() * 2 ** 40),
    height: r() < 0.05 ? null : r() < 0.97 ? 100 + Math.floor(i / 3) : 501,
    position: r() < 0.1 ? null : i,
    time: r() < 0.05 ? null : `2024-01-0${1 + (Math.floor(i / 3) % 9)}T10:00:00Z`,
    from: pick(r, c.addresses),
    to:
      kind === 'fee' ? (r() < 0.95 ? null : pick(r, c.addresses)) : r() < 0.03 ? null : pick(r, c.addresses),
    asset,
    value:
      r() < 0.9 ? String(Math.floor(r() * 1e12)) : r() < 0.5 ? '0' : '9'.repeat(1 + Math.floor(r() * 78)),
    kind,
  };
  if (r() < 0.1) delete o.position;
  if (r() < 0.1) delete o.time;
  return o;
}

const BLANKS = ['', '', '', ' ', '\t', '  ', ' \t'];
const NUMBER_FORMS = (n: number): string[] => [String(n), `${n}.0`, `${n}e0`, `${n}E+0`, `-${n}`, `0${n}`];
/** A JSON string whose meaning is s, written with an escape. */
const escaped = (s: string) =>
  s.length === 0 ? '""' : `"\\u${s.charCodeAt(0).toString(16).padStart(4, '0')}${s.slice(1)}"`;

/** The record as a line: keys shuffled, blanks between tokens, now and then an odd form or a break. */
function write(r: Rand, o: Record<string, unknown>): string {
  const keys = Object.keys(o);
  if (r() < 0.5) keys.sort(() => r() - 0.5);
  const b = () => pick(r, BLANKS);
  const parts = keys.map((k) => {
    const v = o[k];
    let text = JSON.stringify(v);
    const odd = r();
    if (odd < 0.02 && typeof v === 'number') text = pick(r, NUMBER_FORMS(v));
    else if (odd < 0.04 && typeof v === 'string') text = escaped(v);
    else if (odd < 0.05)
      text = pick(r, ['true', '[]', '{}', '"é"', '"a\\"b"', 'nul', '"\\/"', '1.5', '"😀"']);
    const key = odd > 0.995 ? escaped(k) : JSON.stringify(k);
    return `${b()}${key}${b()}:${b()}${text}${b()}`;
  });
  const extra = r();
  if (extra < 0.02) parts.push(`"x-note":"${'n'.repeat(Math.floor(r() * 5))}"`);
  else if (extra < 0.03)
    parts.push(parts[Math.floor(r() * parts.length)]!); // a repeated key
  else if (extra < 0.035) parts.push('"__proto__":1');
  else if (extra < 0.04) parts.splice(Math.floor(r() * parts.length), 1); // a key missing
  let line = `${b()}{${parts.join(',')}}${b()}`;
  const broken = r();
  if (broken < 0.01) line = line.slice(0, Math.floor(r() * line.length));
  else if (broken < 0.02) line = `${line},`;
  else if (broken < 0.03) line = line.replace('}', ',}');
  else if (broken < 0.035) line = line.replace(' ', '\r');
  return line;
}

describe('scanTransfer takes a line only when it means what JSON.parse and the schema read', () => {
  it('on 40 000 lines written in odd ways, every line taken reads alike both ways', () => {
    const scan = newScan();
    let taken = 0;
    let refused = 0;
    for (const [ci, c] of CHAINS.entries()) {
      const r = rng(1 + ci);
      for (let i = 0; i < 20_000; i++) {
        const line = write(r, transfer(r, c, i));
        const buf = Buffer.from(line, 'utf8');
        if (!scanTransfer(buf, 0, buf.length, c.tron, scan)) {
          refused++;
          continue;
        }
        taken++;
        // Taken: valid JSON, no repeated or forbidden key, the schema's plain check passes.
        const o = JSON.parse(line) as Record<string, unknown>;
        expect(keyProblem(line, o), line).toBeUndefined();
        expect(isPlainValidTransfer(o), line).toBe(true);
        expect(o.type).toBe('transfer');
        const text = (s: number, e: number) => buf.toString('latin1', s, e);
        expect(text(scan.txS, scan.txE), line).toBe(o.tx);
        expect((o.tx as string).startsWith('0x')).toBe(!c.tron);
        expect(scan.index).toBe(o.index);
        expect(scan.height).toBe(o.height ?? -1);
        expect(scan.position).toBe(o.position ?? -1);
        expect(scan.timeS < 0 ? null : text(scan.timeS, scan.timeE)).toBe(o.time ?? null);
        expect(text(scan.fromS, scan.fromE)).toBe(o.from);
        expect(scan.fromH).toBe(bytesHash(buf, scan.fromS, scan.fromE));
        if (scan.toS >= 0) expect(scan.toH).toBe(bytesHash(buf, scan.toS, scan.toE));
        expect(scan.toS < 0 ? null : text(scan.toS, scan.toE)).toBe(o.to);
        expect(text(scan.assetS, scan.assetE)).toBe(o.asset);
        expect(text(scan.valueS, scan.valueE)).toBe(o.value);
        expect(FAST_KINDS[scan.kind]).toBe(o.kind);
      }
    }
    // Both sides are exercised: most lines are plain, thousands are not.
    expect(taken).toBeGreaterThan(20_000);
    expect(refused).toBeGreaterThan(5_000);
  });

  it('takes the plain lines that exports and fundtrace write', () => {
    const scan = newScan();
    const plain = (o: Record<string, unknown>, tron: boolean) => {
      const b = Buffer.from(JSON.stringify(o));
      return scanTransfer(b, 0, b.length, tron, scan);
    };
    const base = {
      type: 'transfer',
      tx: `0x${'ab'.repeat(32)}`,
      index: 0,
      height: 18000000,
      position: 3,
      time: '2023-08-26T00:00:11Z',
      from: EVM[0],
      to: EVM[1],
      asset: 'ETH',
      value: '3565097222000000000',
      kind: 'native',
    };
    expect(plain(base, false)).toBe(true);
    expect(plain({ ...base, to: null, kind: 'fee', height: null, time: null, position: null }, false)).toBe(
      true,
    );
    const { position: _p, time: _t, ...bare } = base;
    expect(plain(bare, false)).toBe(true);
    expect(plain({ ...base, tx: 'ab'.repeat(32), from: TRON[0], to: TRON[1], asset: 'TRX' }, true)).toBe(
      true,
    );
    // Not the chain's tx form, a 78-digit amount, an unknown key: the ordinary way decides.
    expect(plain(base, true)).toBe(false);
    expect(plain({ ...base, value: '1'.repeat(78) }, false)).toBe(false);
    expect(plain({ ...base, 'x-note': 'n' }, false)).toBe(false);
    const { type: _type, ...untyped } = base;
    expect(plain(untyped, false)).toBe(false);
  });
});

/** Check a file's records in `chunks` pieces, with or without the fast path; everything a chunk answers. */
/** Pieces the chunks read at a time: lines straddle the small ones. */
const pieces = [64, 200, 1 << 16];

async function check(path: string, chunks: number, fast: boolean): Promise<ChunkResult[]> {
  const bytes = readFileSync(path);
  const first = bytes.indexOf(10) + 1;
  const header = JSON.parse(bytes.toString('utf8', 0, first - 1));
  fastLines.enabled = fast;
  try {
    const out: ChunkResult[] = [];
    for (let k = 0; k < chunks; k++) {
      const start = first + Math.floor(((bytes.length - first) * k) / chunks);
      const end = first + Math.floor(((bytes.length - first) * (k + 1)) / chunks);
      out.push(
        await checkChunk({
          path,
          piece: pieces[k % pieces.length]!,
          start,
          end,
          first,
          header,
        }),
      );
    }
    return out;
  } finally {
    fastLines.enabled = true;
  }
}

/** A result as plain data (typed arrays cut to the records held). */
function plainResult(r: ChunkResult): unknown {
  if (!r.ok) return r;
  const c = r.columns;
  const cut = (a: ArrayLike<number>, k = 1) => Array.from(a).slice(0, c.n * k);
  return {
    n: c.n,
    start: cut(c.start),
    length: cut(c.length),
    from: cut(c.from),
    to: cut(c.to),
    height: cut(c.height),
    position: cut(c.position),
    index: cut(c.index),
    time: cut(c.time),
    tx: cut(c.tx, 32),
    addresses: Buffer.from(r.addressBytes).toString('latin1').split('\n'),
    addressEnds: Array.from(r.addressEnds),
    addressHashes: Array.from(r.addressHashes),
    addressSlots: Array.from(r.addressSlots),
    txKeys: Array.from(r.txKeys),
    ledgerOff: Array.from(r.ledgerOff),
    ledgerSeqs: Array.from(r.ledgerSeqs),
    times: r.times,
    labels: r.labels,
    notes: r.notes,
    assets: r.assets,
    edges: r.edges.map((e) => ({ at: e.at, bytes: Array.from(e.bytes) })),
  };
}

/** Is the line a valid transfer of chain c (as far as one record can be)? */
function validLine(line: string, c: Chain): boolean {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line);
  } catch {
    return false;
  }
  if (keyProblem(line, o) !== undefined || line.includes('\r') || o.type !== 'transfer') return false;
  if (!isPlainValidTransfer(o)) return false;
  // The bad spellings are every fourth EVM one, the last two TRON ones.
  const good = (a: unknown) => {
    const k = c.addresses.indexOf(a as string);
    return k >= 0 && (c.tron ? k < 3 : k % 4 !== 3);
  };
  const unknown = ['DAI', 'USDT-X', '1002000'];
  return (
    (o.to === null) === (o.kind === 'fee') &&
    (o.height === null || (o.height as number) <= 500) &&
    (o.value as string).length < 78 &&
    good(o.from) &&
    (o.to === null || good(o.to)) &&
    (o.kind === 'token'
      ? c.assets.includes(o.asset as string) && !unknown.includes(o.asset as string)
      : o.asset === c.native)
  );
}

/** A plain line (the fast path's shape) of a transfer that breaks one of the builder's rules. */
function ruleBroken(r: Rand, c: Chain, i: number, which: number): string {
  let o: Record<string, unknown>;
  do o = transfer(r, c, i);
  while (!validLine(JSON.stringify(o), c));
  const breaks: (() => void)[] = [
    () => (o.height = 501), // after the head
    () => Object.assign(o, { kind: 'native', asset: c.native, to: null }), // no recipient, not a fee
    () => Object.assign(o, { kind: 'fee', asset: c.native, to: pick(r, c.addresses.slice(0, 2)) }), // a fee with one
    () => (o.from = c.tron ? c.addresses[3] : spellingsOf(EVM[1]!)[3]), // a bad checksum
    () => Object.assign(o, { kind: 'token', asset: c.tron ? 'USDT-X' : 'DAI' }), // an unknown asset
    () => Object.assign(o, { kind: 'native', asset: 'USDT' }), // a token moved as native
    () => (o.time = '2023-02-29T00:00:00Z'), // no such day
    () => (o.time = '2024-01-01T24:00:00Z'), // no such hour
    () => (o.value = `2${'0'.repeat(77)}`), // beyond 2^256 - 1
    () => (o.tx = c.tron ? `0x${'ab'.repeat(32)}` : 'ab'.repeat(32)), // the other chain's tx form
  ];
  breaks[which % breaks.length]!();
  return JSON.stringify(o);
}

describe('a chunk checked with the fast path answers as one checked the ordinary way', () => {
  it('on 120 random files (both chains, labels, odd lines, broken ones), in 1 to 3 chunks', async () => {
    let ok = 0;
    let failed = 0;
    let fastTaken = 0;
    let records = 0;
    for (let f = 0; f < 120; f++) {
      const r = rng(1000 + f);
      const c = CHAINS[(f >> 3) % 2]!;
      // Most files are valid (the fast path's case); a quarter are random (broken lines among
      // others), a quarter valid but for one plain line that breaks one rule of the builder.
      const kind = f % 4;
      const clean = kind !== 0;
      // Late enough that the assets' answers are remembered (a token moved as native must not hit them).
      let breakAt = kind === 1 ? 12 + Math.floor(r() * 15) : -1;
      const breaks = breakAt > 0;
      const lines: string[] = [JSON.stringify(c.header)];
      const n = 30 + Math.floor(r() * 50);
      for (let i = 0; i < n; i++) {
        if (r() < 0.05) {
          lines.push(
            JSON.stringify({
              type: 'label',
              address: pick(r, c.addresses.slice(0, 2)),
              entity: `E${i}`,
              category: 'exchange',
              source: 't',
            }),
          );
          continue;
        }
        let line = write(r, transfer(r, c, i));
        // A valid record, perhaps written oddly (escapes, blanks, key order): both ways must take it.
        for (let tries = 0; clean && tries < 100 && !validLine(line, c); tries++)
          line = write(r, transfer(r, c, i));
        const broken = breakAt >= 0 && lines.length >= breakAt;
        if (broken) breakAt = -1;
        // Each rule broken in 3 files, on both chains.
        lines.push(broken ? ruleBroken(r, c, i, f >> 2) : line);
      }
      const path = join(dir, `f${f}.jsonl`);
      writeFileSync(path, `${lines.join(r() < 0.2 ? '\r\n' : '\n')}\n`);
      const chunks = 1 + (Math.floor(f / 4) % 3);
      const ordinary = (await check(path, chunks, false)).map(plainResult);
      const fast = (await check(path, chunks, true)).map(plainResult);
      expect(fast, `file ${f}`).toEqual(ordinary);
      const allOk = (ordinary as { ok?: boolean }[]).every((x) => x.ok !== false);
      if (breaks) expect(allOk, `file ${f} breaks a rule`).toBe(false);
      if (allOk) ok++;
      else {
        failed++;
        expect(kind === 0 || breaks, `file ${f} was meant to be valid`).toBe(true);
      }
      // How many lines the fast path would take (that the test is not only about the ordinary way).
      const scan = newScan();
      records += lines.length - 1;
      for (const l of lines.slice(1)) {
        const b = Buffer.from(l);
        if (scanTransfer(b, 0, b.length, c.tron, scan)) fastTaken++;
      }
    }
    expect(ok).toBeGreaterThan(50);
    expect(failed).toBeGreaterThan(50);
    expect(fastTaken).toBeGreaterThan(0.4 * records);
    expect(fastTaken).toBeLessThan(0.9 * records);
  });
});

describe('the spelling tables answer like a Map', () => {
  it('SpellingIds: 30 000 spellings of 1 to 100 bytes, through growth, real and colliding hashes', () => {
    const r = rng(77);
    for (const collide of [false, true]) {
      const ids = new SpellingIds(16);
      const map = new Map<string, number>();
      const hashOf = (b: Buffer) =>
        collide ? Math.floor(bytesHash(b, 0, b.length) % 7) : bytesHash(b, 0, b.length);
      for (let i = 0; i < 30_000; i++) {
        const len = r() < 0.8 ? 42 : 1 + Math.floor(r() * 100);
        const text = Array.from({ length: len }, () => 'aAbB0x1T'[Math.floor(r() * 8)]).join('');
        const b = Buffer.from(`..${text}..`, 'latin1');
        const h = hashOf(b.subarray(2, 2 + len));
        const want = map.get(text) ?? -1;
        expect(ids.get(b, 2, 2 + len, h)).toBe(want);
        if (want < 0) {
          ids.set(b, 2, 2 + len, h, map.size);
          map.set(text, map.size);
        }
        if (collide && i > 2000) break; // colliding hashes make every probe long: a few thousand suffice
      }
      for (const [text, id] of map) {
        const b = Buffer.from(text, 'latin1');
        expect(ids.get(b, 0, b.length, hashOf(b))).toBe(id);
      }
      expect(ids.size).toBe(map.size);
    }
  });

  it('SpellingTable: a spelling set by its string is found by its bytes, and the rest (non-ASCII, quotes, backslashes, long) by its string', () => {
    const bytes = new SpellingIds(16);
    const table = new SpellingTable(bytes);
    const spellings = [
      EVM[0]!,
      EVM[0]!.toLowerCase(),
      TRON[0]!,
      'x',
      'é',
      'a"b',
      'a\\b',
      'tab\there',
      'x'.repeat(255),
      'x'.repeat(256),
      '😀',
    ];
    spellings.forEach((sp, id) => {
      expect(table.get(sp)).toBeUndefined();
      table.set(sp, id);
    });
    spellings.forEach((sp, id) => {
      expect(table.get(sp)).toBe(id);
      const b = Buffer.from(sp, 'latin1');
      const byBytes = bytes.get(b, 0, b.length, bytesHash(b, 0, b.length));
      // What the fast path could ever read (printable ASCII, no quote or backslash, ≤ 255 bytes) is in the byte table.
      const plain = /^[\x20-\x7e]{1,255}$/.test(sp) && !/["\\]/.test(sp);
      expect(byBytes, sp).toBe(plain ? id : -1);
    });
  });
});

describe('sortedTxKeys', () => {
  it('equals packing every (tx prefix, record) and sorting the numbers, with few and with many equal prefixes', () => {
    const r = rng(99);
    for (const [n, distinct] of [
      [0, 1],
      [1, 1],
      [1000, 3],
      [5000, 1 << 24],
      [20_000, 4096],
    ] as const) {
      const tx = new Uint8Array(n * 32);
      for (let i = 0; i < n; i++) {
        const p = Math.floor(r() * distinct) * Math.floor(16_777_216 / distinct);
        tx[i * 32] = p >>> 16;
        tx[i * 32 + 1] = (p >>> 8) & 255;
        tx[i * 32 + 2] = p & 255;
        tx[i * 32 + 3] = Math.floor(r() * 256);
      }
      const want = new Float64Array(n);
      for (let i = 0; i < n; i++)
        want[i] = ((tx[i * 32]! << 16) | (tx[i * 32 + 1]! << 8) | tx[i * 32 + 2]!) * SPAN + i;
      want.sort();
      expect(Array.from(sortedTxKeys(tx, n))).toEqual(Array.from(want));
    }
  });
});
