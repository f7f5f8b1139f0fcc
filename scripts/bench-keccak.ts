// EIP-55 checksums: the project's single-block keccak (src/core/keccak.ts), with its WebAssembly
// permutation and with the JavaScript one (the fallback), against ethers' getAddress (generic
// keccak from @noble/hashes), on the same 200 000 distinct addresses; and the dataset case,
// canonicalAddress on addresses already in checksum form (checked in place).
import { getAddress } from 'ethers';
import { canonicalAddress } from '../src/core/address.js';
import { toChecksumAddress, useKeccak } from '../src/core/keccak.js';

export async function benchKeccak(): Promise<Record<string, string>> {
  const n = 200_000;
  const inputs: string[] = [];
  let x = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < n; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & ((1n << 160n) - 1n);
    inputs.push(x.toString(16).padStart(40, '0'));
  }
  const time = (f: (s: string) => string) => {
    const best: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      for (const s of inputs) f(s);
      best.push(performance.now() - t0);
    }
    return Math.min(...best);
  };
  const check = () => {
    for (const s of inputs.slice(0, 1000)) {
      if (toChecksumAddress(s) !== getAddress(`0x${s}`)) throw new Error(`checksums differ on 0x${s}`);
    }
  };
  if (useKeccak('js') !== 'js') throw new Error('no JavaScript keccak');
  check();
  const js = time(toChecksumAddress);
  if (useKeccak('wasm') !== 'wasm') throw new Error('no WebAssembly here: the bench measures nothing new');
  check();
  const own = time(toChecksumAddress);
  const ethers = time((s) => getAddress(`0x${s}`));
  // Fresh strings, as a dataset's parser hands them over (not ones whose hash V8 already knows).
  const checksummed = inputs.map((s) => JSON.parse(JSON.stringify(toChecksumAddress(s))) as string);
  let i = 0;
  const inPlace = time(() => canonicalAddress('ethereum', checksummed[i++ % n]!));
  return {
    addresses: String(n),
    'own keccak, WebAssembly permutation (ms, best of 3)': own.toFixed(0),
    'own keccak, JavaScript permutation (fallback; ms, best of 3)': js.toFixed(0),
    'ethers getAddress (ms, best of 3)': ethers.toFixed(0),
    'ethers ÷ own (WebAssembly)': (ethers / own).toFixed(1),
    'JavaScript ÷ WebAssembly': (js / own).toFixed(1),
    'canonicalAddress of checksummed input (ms, best of 3)': inPlace.toFixed(0),
  };
}
