// Every topic0 the decoder uses, computed from its canonical signature (src/core/events/abi.ts),
// against the topic0 table of ../shared/data/bridge-swap-abis/EVENTS.md (computed there with a
// separate keccak). Skipped when ../shared is absent.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENTS, type EventAbi } from '../../src/core/events/abi.js';
import { SHARED } from '../helpers.js';

const FILE = join(SHARED, 'data', 'bridge-swap-abis', 'EVENTS.md');
const present = existsSync(FILE);

/** EVENTS.md rows: `Name(type indexed name, …)` | `0x…` → canonical signature → topic0. */
function table(): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync(FILE, 'utf8').split('\n')) {
    const row = /\| `([A-Za-z0-9]+)\((.*)\)` \| `(0x[0-9a-f]{64})` \|$/.exec(line);
    if (!row) continue;
    const types: string[] = [];
    let depth = 0;
    let cur = '';
    for (const c of `${row[2]},`) {
      if (c === '(') depth++;
      if (c === ')') depth--;
      if (c === ',' && depth === 0) {
        if (cur.trim()) types.push(cur.trim().split(/\s+/)[0]!);
        cur = '';
      } else cur += c;
    }
    m.set(`${row[1]}(${types.join(',')})`, row[3]!);
  }
  return m;
}

describe.skipIf(!present)('event topic0 against EVENTS.md', () => {
  const known = present ? table() : new Map<string, string>();
  it.each(Object.values(EVENTS) as EventAbi[])('$id $signature', (e) => {
    expect(known.get(e.signature), `${e.signature} not in EVENTS.md`).toBe(e.topic0);
  });
});
