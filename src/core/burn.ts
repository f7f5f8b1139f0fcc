// Addresses that no one controls on EVM chains: the null address (every mint comes from it, many
// burns go to it), the conventional burn addresses, and the precompiled contracts. Funds sent there
// are destroyed or never held, so they are never an exposure target, whatever a label list says
// (the Etherscan export flags the null address; every burn and mint would then count as flagged).

const NULL = `0x${'0'.repeat(40)}`;
const DEAD = [`0x${'0'.repeat(36)}dead`, '0xdead000000000000000042069420694206942069'];
/** Precompiles 0x01–0x0a (ecrecover … point evaluation) and 0x0b–0x11 (BLS12-381, Prague), 0x100 (P256). */
const PRECOMPILE_MAX = 0x11;
const P256 = 0x100;

/** Why an address can hold no one's funds, or null for an ordinary address. Pure. */
export function reservedAddress(chainKind: 'account' | 'utxo', address: string): string | null {
  if (chainKind !== 'account') return null;
  const a = address.toLowerCase();
  if (!/^0x[0-9a-f]{40}$/.test(a)) return null;
  if (a === NULL) return 'the null address (mints come from it, burns go to it)';
  if (DEAD.includes(a)) return 'a burn address';
  const n = Number.parseInt(a.slice(2), 16);
  if (a.slice(2, 38) === '0'.repeat(36) && ((n >= 1 && n <= PRECOMPILE_MAX) || n === P256)) {
    return 'a precompiled contract';
  }
  return null;
}

/** The note a result carries when a label list flags such an address. */
export function reservedNote(address: string, reason: string, categories: readonly string[]): string {
  return `${address} is ${reason}: its label${categories.length > 1 ? 's' : ''} (${categories.join(', ')}) ignored; burn, mint, null and precompile addresses are never exposure targets`;
}
