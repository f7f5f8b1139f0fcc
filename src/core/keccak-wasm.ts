// keccak-f[1600] as a small WebAssembly function, assembled here from the permutation's tables (no
// binary blob in the source). WebAssembly has 64-bit lanes and rotations, which JavaScript lacks:
// the permutation runs ~4× faster than the unrolled 32-bit version in ./keccak.ts, and datasets
// have hundreds of thousands of checksummed addresses (each one permutation). Where WebAssembly is
// unavailable (node --jitless) or refused, ./keccak.ts keeps its own.

/** ρ rotation of lane x + 5y. */
const RHO = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];

/** Where the state (25 lanes, little-endian) and the round constants (24 lanes) sit in memory. */
export const STATE_AT = 0;
const RC_AT = 256;

// Opcodes used (WebAssembly core spec, binary format).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_NE = 0x47;
const I64_CONST = 0x42;
const I64_LOAD = 0x29;
const I64_STORE = 0x37;
const I64_AND = 0x83;
const I64_XOR = 0x85;
const I64_ROTL = 0x89;
const LOOP = 0x03;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a small integer (−64 … 63 fit one byte). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

/** The body of `f()`: permute the state in memory in place. */
function permutation(): number[] {
  // Locals: 0 the round constant's offset (i32); then a, b, c, d lanes (i64).
  const R = 0;
  const a = (i: number) => 1 + i;
  const b = (i: number) => 26 + i;
  const c = (x: number) => 51 + x;
  const d = (x: number) => 56 + x;
  const code: number[] = [];
  const get = (l: number) => code.push(LOCAL_GET, l);
  const set = (l: number) => code.push(LOCAL_SET, l);
  for (let i = 0; i < 25; i++) {
    code.push(I32_CONST, 0, I64_LOAD, 3, ...uleb(STATE_AT + 8 * i));
    set(a(i));
  }
  code.push(I32_CONST, ...sleb(RC_AT), LOCAL_SET, R);
  code.push(LOOP, VOID);
  // θ
  for (let x = 0; x < 5; x++) {
    get(a(x));
    for (let y = 1; y < 5; y++) {
      get(a(x + 5 * y));
      code.push(I64_XOR);
    }
    set(c(x));
  }
  for (let x = 0; x < 5; x++) {
    get(c((x + 4) % 5));
    get(c((x + 1) % 5));
    code.push(I64_CONST, 1, I64_ROTL, I64_XOR);
    set(d(x));
  }
  // θ applied, then ρ and π: b[y + 5((2x + 3y) mod 5)] = rotl(a[x + 5y] ^ d[x], ρ).
  for (let y = 0; y < 5; y++)
    for (let x = 0; x < 5; x++) {
      const i = x + 5 * y;
      get(a(i));
      get(d(x));
      code.push(I64_XOR);
      if (RHO[i] !== 0) code.push(I64_CONST, ...sleb(RHO[i]!), I64_ROTL);
      set(b(y + 5 * ((2 * x + 3 * y) % 5)));
    }
  // χ: a[x + 5y] = b ^ (~b[x+1] & b[x+2]).
  for (let y = 0; y < 5; y++)
    for (let x = 0; x < 5; x++) {
      get(b(x + 5 * y));
      get(b(((x + 1) % 5) + 5 * y));
      code.push(I64_CONST, ...sleb(-1), I64_XOR);
      get(b(((x + 2) % 5) + 5 * y));
      code.push(I64_AND, I64_XOR);
      set(a(x + 5 * y));
    }
  // ι
  get(a(0));
  code.push(LOCAL_GET, R, I64_LOAD, 3, 0, I64_XOR);
  set(a(0));
  code.push(LOCAL_GET, R, I32_CONST, 8, I32_ADD, LOCAL_TEE, R, I32_CONST, ...sleb(RC_AT + 8 * 24), I32_NE);
  code.push(BR_IF, 0, END);
  for (let i = 0; i < 25; i++) {
    code.push(I32_CONST, 0);
    get(a(i));
    code.push(I64_STORE, 3, ...uleb(STATE_AT + 8 * i));
  }
  code.push(END);
  // 1 i32, then 60 i64 (a, b: 25 each; c, d: 5 each).
  const locals = [2, 1, 0x7f, 60, 0x7e];
  return [...locals, ...code];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const body = permutation();
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 0, 0]), // one type: () → ()
    ...section(3, [1, 0]), // one function of it
    ...section(5, [1, 0, 1]), // one memory of one page
    ...section(7, [2, ...name('memory'), 2, 0, ...name('f'), 0, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

/** The permutation over its memory: write the state at STATE_AT of `memory`, call `permute`. */
export interface WasmKeccak {
  memory: Uint8Array;
  permute: () => void;
}

/** Undefined when this runtime has no WebAssembly (or refuses to compile it). */
export function wasmKeccak(roundConstants: Int32Array): WasmKeccak | undefined {
  try {
    if (typeof WebAssembly !== 'object') return undefined;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()));
    const memory = new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer);
    // The constants as (lo, hi) 32-bit words: little-endian lanes in memory.
    new Int32Array(memory.buffer, RC_AT, 48).set(roundConstants);
    return { memory, permute: instance.exports.f as () => void };
  } catch {
    return undefined;
  }
}
