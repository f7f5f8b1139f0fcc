// Value encoding for logical cache entries (normalised records, not raw HTTP bodies): JSON
// with BigInt support. A bigint is written as {"$bigint":"<decimal>"}; on decode, only an
// object with exactly that one key and a decimal-integer string is turned back into a bigint.
// Raw HTTP bodies are stored verbatim and never go through this codec, so remote data cannot
// smuggle a fake bigint tag into a response.

const TAG = '$bigint';
const INTEGER = /^-?\d+$/;

export function encodeValue(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { [TAG]: v.toString() } : v));
}

export function decodeValue(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tagged = (v as Record<string, unknown>)[TAG];
      if (keys.length === 1 && typeof tagged === 'string' && INTEGER.test(tagged)) return BigInt(tagged);
    }
    return v;
  });
}
