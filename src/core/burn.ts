// Addresses nobody controls: the null address (mints come from it, burns go to it), the common
// "dead" burn address, and the EVM precompiles. Value sent there is destroyed, value from the null
// address is newly minted; they are never an exit or a flagged cluster, whatever a label list says
// (the real Etherscan export labels the null address "blocklisted": every burn and mint would count
// as flagged exposure).
import { findChain } from './chains.js';

const EVM_BURN = new Set([
  '0x0000000000000000000000000000000000000000',
  '0x000000000000000000000000000000000000dead',
  '0xdead000000000000000042069420694206942069',
]);
/** EVM precompiles 0x01 … 0x11 (ecrecover … BLS12-381) and 0x100 (P256VERIFY). */
for (let i = 1; i <= 0x11; i++) EVM_BURN.add(`0x${i.toString(16).padStart(40, '0')}`);
EVM_BURN.add(`0x${'100'.padStart(40, '0')}`);

/** TRON's null address (base58 of 0x41 followed by twenty zero bytes). */
const TRON_BURN = new Set(['T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb']);

export const NULL_ADDRESS = '0x0000000000000000000000000000000000000000';

export function isBurnAddress(chain: string, address: string): boolean {
  const kind = findChain(chain)?.kind;
  if (kind !== 'account') return false;
  return EVM_BURN.has(address.toLowerCase()) || TRON_BURN.has(address);
}
