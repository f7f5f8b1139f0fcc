// Persistent response cache: plain files, one per entry.
//
// Store choice: plain files rather than lmdb. Reasons, for this workload (thousands to a few
// hundred thousand JSON responses, written once, read on re-runs):
//  - atomic per entry with tmp + rename, safe with several fundtrace processes sharing one cache
//    and with Ctrl-C/kill at any moment; nothing to lock, nothing to recover;
//  - corruption stays local to one entry and is detected by a checksum (lmdb's own pages are
//    safe, but a value checksum would have to be added on top anyway);
//  - no native module and no map-size tuning; `rm -rf` is a valid `cache clear`;
//  - entries are inspectable (`tail -n +2 FILE | jq`), and an HTTP body is kept byte for byte,
//    which is what an investigator wants as evidence of what the API said.
// Costs: one inode per entry, and `stats` walks the tree (fine for a maintenance command).
// BigInt safety for logical values comes from ./codec.ts (raw HTTP bodies are plain JSON text).
//
// Layout under the cache dir (see ./dir.ts):
//   CACHEDIR.TAG                      standard tag so backup tools skip the cache
//   entries-v1/ab/ab12…ef.entry       name = sha256(key) in hex, fanned out by its first byte
//   entries-v1/ab/ab12…ef.entry.<pid>-<rand>.tmp   a write in progress (or killed mid-write)
// Entry file = one header line of JSON, "\n", then the body bytes:
//   {"format":"fundtrace-cache/1","key":…,"kind":…,"immutable":…,"asOf":ISO,"asOfMs":…,
//    "bytes":<body length>,"sha256":<hex of key\nkind\nimmutable\nasOfMs\n + body>}
// A read checks format, key, length and checksum; any mismatch is reported as `corrupt`, the
// file is deleted, and the caller refetches. A corrupt entry is never returned.
//
// Keys never contain credentials: every key is passed through redactText before hashing and
// storing (callers already use redacted URLs or logical keys; this is a second line of defence).

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redactText } from '../http/redact.js';
import { defaultCacheDir } from './dir.js';

export const CACHE_FORMAT = 'fundtrace-cache/1';
const ENTRIES = 'entries-v1';
const EXT = '.entry';

export interface CacheEntry {
  /** Logical key or redacted URL (credentials removed). */
  key: string;
  /** Category for `cache stats` / `cache clear --kind`, e.g. "esplora.tx", "etherscan.txlist". */
  kind: string;
  /** true: a fact that never changes, kept for good; false: revalidated after a window. */
  immutable: boolean;
  /** When the data was fetched (ms since epoch): the entry's as-of marker. */
  asOfMs: number;
  /** The stored text: an HTTP body verbatim, or an encoded value (./codec.ts). */
  body: string;
}

export type CacheLookup =
  | { status: 'hit'; entry: CacheEntry }
  | { status: 'miss' }
  | { status: 'corrupt'; reason: string };

export interface KindStats {
  entries: number;
  bytes: number;
}

export interface CacheStats {
  dir: string;
  entries: number;
  /** Bytes on disk, headers included. */
  bytes: number;
  immutable: number;
  mutable: number;
  byKind: Record<string, KindStats>;
  /** Entries whose header could not be read (they will be refetched when next needed). */
  unreadable: number;
  /** Leftover temporary files from interrupted writes. */
  tmpFiles: number;
}

export interface ClearFilter {
  /** Only entries of this kind. */
  kind?: string;
  /** Only mutable entries (keep immutable facts). */
  mutableOnly?: boolean;
}

export interface ClearResult {
  dir: string;
  removed: number;
  bytes: number;
}

export interface CacheStore {
  readonly dir: string;
  read(key: string): Promise<CacheLookup>;
  write(entry: CacheEntry): Promise<void>;
  remove(key: string): Promise<boolean>;
  stats(): Promise<CacheStats>;
  clear(filter?: ClearFilter): Promise<ClearResult>;
  /** The file an entry lives in (for diagnostics and tests). */
  pathFor(key: string): string;
}

interface Header {
  format: string;
  key: string;
  kind: string;
  immutable: boolean;
  asOf: string;
  asOfMs: number;
  bytes: number;
  sha256: string;
}

const CACHEDIR_TAG =
  'Signature: 8a477f597d28d172789f06886806bc55\n' +
  '# This file is a cache directory tag created by fundtrace.\n' +
  '# For information about cache directory tags see https://bford.info/cachedir/\n';

export function normalizeKey(key: string): string {
  return redactText(key);
}

/**
 * HMAC-SHA256 of the entry under the cache's own secret key (`cache.key`, created 0600 with the
 * cache): an entry forged or copied in without that key fails the check and is refetched, instead
 * of being used and sealed into a case. (Whoever can read the key can still forge: it protects
 * against planted files, not against the account that owns the cache.)
 */
function checksum(
  secret: Buffer,
  h: Pick<Header, 'key' | 'kind' | 'immutable' | 'asOfMs'>,
  body: Buffer,
): string {
  return createHmac('sha256', secret)
    .update(`${h.key}\n${h.kind}\n${h.immutable}\n${h.asOfMs}\n`)
    .update(body)
    .digest('hex');
}

/** The cache's secret key, created on first use. */
async function cacheSecret(dir: string): Promise<Buffer> {
  const file = join(dir, 'cache.key');
  for (let i = 0; i < 2; i++) {
    try {
      const hex = (await readFile(file, 'utf8')).trim();
      if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
      throw new Error(`${file} is not a cache key`);
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw e;
    }
    await mkdir(dir, { recursive: true });
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 }).catch((e) => {
      if (errnoCode(e) !== 'EEXIST') throw e; // another run created it first: read that one
    });
  }
  throw new Error(`cannot create ${file}`);
}

function isHeader(h: unknown): h is Header {
  if (typeof h !== 'object' || h === null) return false;
  const r = h as Record<string, unknown>;
  return (
    r.format === CACHE_FORMAT &&
    typeof r.key === 'string' &&
    typeof r.kind === 'string' &&
    typeof r.immutable === 'boolean' &&
    typeof r.asOfMs === 'number' &&
    Number.isFinite(r.asOfMs) &&
    typeof r.bytes === 'number' &&
    typeof r.sha256 === 'string'
  );
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null ? ((e as { code?: string }).code ?? undefined) : undefined;
}

async function readHeader(file: string): Promise<Header | undefined> {
  const fh = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let pos = 0;
    for (;;) {
      const buf = Buffer.alloc(16_384);
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return undefined;
      const part = buf.subarray(0, bytesRead);
      const nl = part.indexOf(0x0a);
      if (nl >= 0) {
        chunks.push(part.subarray(0, nl));
        break;
      }
      chunks.push(part);
      pos += bytesRead;
      if (pos > 1 << 20) return undefined;
    }
    const h: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return isHeader(h) ? h : undefined;
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return;
    throw e;
  }
  for (const name of names.sort()) {
    const p = join(dir, name);
    const s = await stat(p).catch(() => undefined);
    if (!s) continue;
    if (s.isDirectory()) yield* walk(p);
    else yield p;
  }
}

/** Open (lazily create) the file cache in `dir` (default: defaultCacheDir()). */
export function openFileCache(opts: { dir?: string } = {}): CacheStore {
  const dir = opts.dir ?? defaultCacheDir();
  const root = join(dir, ENTRIES);
  let prepared: Promise<void> | undefined;

  const prepare = () => {
    prepared ??= (async () => {
      await mkdir(root, { recursive: true });
      await writeFile(join(dir, 'CACHEDIR.TAG'), CACHEDIR_TAG, { flag: 'wx' }).catch((e) => {
        if (errnoCode(e) !== 'EEXIST') throw e;
      });
    })().catch((e) => {
      prepared = undefined;
      throw e;
    });
    return prepared;
  };

  const pathFor = (key: string) => {
    const h = createHash('sha256').update(normalizeKey(key)).digest('hex');
    return join(root, h.slice(0, 2), h + EXT);
  };

  const discard = (file: string) => unlink(file).catch(() => undefined);
  let secret: Promise<Buffer> | undefined;
  const cacheKey = () => {
    secret ??= cacheSecret(dir).catch((e) => {
      secret = undefined;
      throw e;
    });
    return secret;
  };

  async function read(key: string): Promise<CacheLookup> {
    const k = normalizeKey(key);
    const file = pathFor(k);
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return { status: 'miss' };
      return { status: 'corrupt', reason: `unreadable: ${errnoCode(e) ?? String(e)}` };
    }
    const corrupt = async (reason: string): Promise<CacheLookup> => {
      await discard(file);
      return { status: 'corrupt', reason };
    };
    const nl = buf.indexOf(0x0a);
    if (nl < 0) return corrupt('no header line');
    let h: unknown;
    try {
      h = JSON.parse(buf.subarray(0, nl).toString('utf8'));
    } catch {
      return corrupt('header is not JSON');
    }
    if (!isHeader(h)) return corrupt('header has the wrong format');
    if (h.key !== k) return corrupt('header names a different key');
    const body = buf.subarray(nl + 1);
    if (body.length !== h.bytes) return corrupt(`body is ${body.length} bytes, header says ${h.bytes}`);
    let k2: Buffer;
    try {
      k2 = await cacheKey();
    } catch (e) {
      return { status: 'corrupt', reason: `no cache key: ${errnoCode(e) ?? String(e)}` };
    }
    if (checksum(k2, h, body) !== h.sha256) return corrupt('checksum mismatch (not written by this cache)');
    return {
      status: 'hit',
      entry: {
        key: h.key,
        kind: h.kind,
        immutable: h.immutable,
        asOfMs: h.asOfMs,
        body: body.toString('utf8'),
      },
    };
  }

  async function write(entry: CacheEntry): Promise<void> {
    await prepare();
    const key = normalizeKey(entry.key);
    const body = Buffer.from(entry.body, 'utf8');
    const base = { key, kind: entry.kind, immutable: entry.immutable, asOfMs: entry.asOfMs };
    const header: Header = {
      format: CACHE_FORMAT,
      ...base,
      asOf: new Date(entry.asOfMs).toISOString(),
      bytes: body.length,
      sha256: checksum(await cacheKey(), base, body),
    };
    const file = pathFor(key);
    const tmp = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    await mkdir(join(file, '..'), { recursive: true });
    try {
      await writeFile(tmp, Buffer.concat([Buffer.from(JSON.stringify(header) + '\n', 'utf8'), body]), {
        flag: 'wx',
      });
      await rename(tmp, file);
    } catch (e) {
      await discard(tmp);
      throw e;
    }
  }

  async function remove(key: string): Promise<boolean> {
    try {
      await unlink(pathFor(key));
      return true;
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return false;
      throw e;
    }
  }

  async function stats(): Promise<CacheStats> {
    const out: CacheStats = {
      dir,
      entries: 0,
      bytes: 0,
      immutable: 0,
      mutable: 0,
      byKind: {},
      unreadable: 0,
      tmpFiles: 0,
    };
    for await (const file of walk(root)) {
      if (file.endsWith('.tmp')) {
        out.tmpFiles++;
        continue;
      }
      if (!file.endsWith(EXT)) continue;
      const size = (await stat(file).catch(() => undefined))?.size;
      if (size === undefined) continue;
      const h = await readHeader(file);
      if (!h) {
        out.unreadable++;
        continue;
      }
      out.entries++;
      out.bytes += size;
      if (h.immutable) out.immutable++;
      else out.mutable++;
      const k = out.byKind[h.kind] ?? { entries: 0, bytes: 0 };
      out.byKind[h.kind] = k;
      k.entries++;
      k.bytes += size;
    }
    return out;
  }

  async function clear(filter: ClearFilter = {}): Promise<ClearResult> {
    const result: ClearResult = { dir, removed: 0, bytes: 0 };
    const everything = filter.kind === undefined && !filter.mutableOnly;
    for await (const file of walk(root)) {
      const size = (await stat(file).catch(() => undefined))?.size ?? 0;
      if (!everything) {
        if (file.endsWith('.tmp')) continue;
        const h = await readHeader(file);
        if (!h) continue;
        if (filter.kind !== undefined && h.kind !== filter.kind) continue;
        if (filter.mutableOnly && h.immutable) continue;
      }
      await rm(file, { force: true });
      if (file.endsWith(EXT)) {
        result.removed++;
        result.bytes += size;
      }
    }
    // Only ever delete our own subdirectory, never the cache dir itself (it may be user-chosen).
    if (everything) await rm(root, { recursive: true, force: true });
    return result;
  }

  return { dir, read, write, remove, stats, clear, pathFor };
}

/** `fundtrace cache stats`: entries, bytes, by kind. */
export function cacheStats(dir: string = defaultCacheDir()): Promise<CacheStats> {
  return openFileCache({ dir }).stats();
}

/** `fundtrace cache clear [--kind K]`: remove entries; returns what was removed. */
export function clearCache(dir: string = defaultCacheDir(), filter: ClearFilter = {}): Promise<ClearResult> {
  return openFileCache({ dir }).clear(filter);
}
