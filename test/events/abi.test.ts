// The strict ABI decoder (src/core/events/abi.ts) against ethers' ABI coder, property-based: for
// every event fundtrace decodes, random values encoded by ethers decode to the same values; and a
// random corruption of the data either decodes to what ethers reads or is refused — never a
// different reading.
import { AbiCoder, type EventFragment, getAddress, Interface } from 'ethers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AbiValue, decodeEvent, EVENTS, type EventAbi } from '../../src/core/events/abi.js';

const coder = AbiCoder.defaultAbiCoder();

/** fast-check arbitrary of a value of Solidity type `t`, in ethers' input form. */
function arb(t: string): fc.Arbitrary<unknown> {
  if (t === 'address')
    return fc
      .uint8Array({ minLength: 20, maxLength: 20 })
      .map((b) => getAddress(`0x${Buffer.from(b).toString('hex')}`));
  if (t === 'bytes32')
    return fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}`);
  if (t === 'bytes')
    return fc.uint8Array({ maxLength: 80 }).map((b) => `0x${Buffer.from(b).toString('hex')}`);
  if (t === 'bool') return fc.boolean();
  const u = /^uint(\d+)$/.exec(t);
  if (u) return fc.bigInt({ min: 0n, max: (1n << BigInt(u[1]!)) - 1n });
  const s = /^int(\d+)$/.exec(t);
  if (s) {
    const bits = BigInt(s[1]!);
    return fc.bigInt({ min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n });
  }
  if (t.startsWith('(')) {
    const inner = t.slice(1, -1).split(',');
    return fc.tuple(...inner.map(arb));
  }
  throw new Error(`no arbitrary for ${t}`);
}

/** Our decoded value in ethers' output form, for comparison. */
function norm(v: AbiValue | unknown): unknown {
  if (Array.isArray(v)) return v.map(norm);
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v)) return getAddress(v);
  if (typeof v === 'string') return v.toLowerCase();
  return v;
}

const all = Object.values(EVENTS) as EventAbi[];

describe('decodeEvent agrees with ethers on random values', () => {
  it.each(all.map((e) => [e.id, e] as const))('%s', (_id, abi) => {
    const sig = `event ${abi.name}(${abi.params.map((p) => `${p.type}${p.indexed ? ' indexed' : ''} ${p.name}`).join(', ')})`;
    const iface = new Interface([sig]);
    const frag = iface.fragments[0] as EventFragment;
    expect(frag.topicHash).toBe(abi.topic0);
    fc.assert(
      fc.property(fc.tuple(...abi.params.map((p) => arb(p.type))), (values) => {
        const enc = iface.encodeEventLog(frag, values as unknown[]);
        const d = decodeEvent(abi, enc.topics, enc.data);
        if (!d.ok) throw new Error(d.reason);
        abi.params.forEach((p, i) => {
          expect(norm(d.values[p.name])).toEqual(norm(values[i]));
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('a corrupted log is refused or read as ethers reads it', () => {
  it.each(all.map((e) => [e.id, e] as const))('%s', (_id, abi) => {
    const iface = new Interface([
      `event ${abi.name}(${abi.params.map((p) => `${p.type}${p.indexed ? ' indexed' : ''} ${p.name}`).join(', ')})`,
    ]);
    const frag = iface.fragments[0] as EventFragment;
    const nonIndexed = abi.params.filter((p) => !p.indexed).map((p) => p.type);
    fc.assert(
      fc.property(
        fc.tuple(...abi.params.map((p) => arb(p.type))),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (values, at, byte) => {
          const enc = iface.encodeEventLog(frag, values as unknown[]);
          const body = enc.data.slice(2);
          if (body.length === 0) return;
          const pos = (at % (body.length / 2)) * 2;
          const data = `0x${body.slice(0, pos)}${byte.toString(16).padStart(2, '0')}${body.slice(pos + 2)}`;
          const ours = decodeEvent(abi, enc.topics, data);
          if (!ours.ok) return; // refused: fine
          // Accepted: ethers (non-strict) must read the same values.
          const theirs = coder.decode(nonIndexed, data);
          abi.params
            .filter((p) => !p.indexed)
            .forEach((p, i) => {
              expect(norm(ours.values[p.name])).toEqual(norm(toPlain(theirs[i])));
            });
        },
      ),
      { numRuns: 60 },
    );
  });
});

function toPlain(v: unknown): unknown {
  if (v && typeof v === 'object' && 'toArray' in (v as object))
    return (v as { toArray(): unknown[] }).toArray().map(toPlain);
  return v;
}
