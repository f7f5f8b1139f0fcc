// Currency/ticker codes used by GraphSense TagPacks and OFAC lists, mapped onto fundtrace chains.
// Codes for chains fundtrace does not support (LTC, BCH, XMR, …) map to nothing: importers
// skip those entries and count them, since they are not errors in the file.
import { findChain } from '../core/chains.js';
import { looksLikeTron } from '../core/tron.js';

const CHAIN_OF_CODE: Readonly<Record<string, string>> = {
  BTC: 'bitcoin',
  XBT: 'bitcoin',
  ETH: 'ethereum',
  BSC: 'bsc',
  BEP20: 'bsc',
  MATIC: 'polygon',
  POL: 'polygon',
  POLYGON: 'polygon',
  ARB: 'arbitrum',
  ARBITRUM: 'arbitrum',
  OP: 'optimism',
  OPTIMISM: 'optimism',
  BASE: 'base',
  TRX: 'tron',
  TRON: 'tron',
  TRC20: 'tron',
};

/**
 * Tokens whose ticker says nothing about the chain. With a 0x address we take Ethereum, where
 * these lists (OFAC "USDT", GraphSense reserve wallets) mean the ERC-20; with a TRON `T…` (or
 * `41…`) address, TRON (the TRC-20). Other forms (e.g. Omni USDT on Bitcoin `1…`/`3…` addresses)
 * are skipped as unsupported: the address holds the token, not the chain's coin.
 */
const EVM_TOKENS = new Set(['USDT', 'USDC', 'DAI', 'WETH', 'WBTC', 'TUSD', 'USDP', 'PAX', 'BUSD']);

/** The registered chain a currency code means for this address, or undefined when unsupported. */
export function chainForCurrency(code: string, address: string): string | undefined {
  const key = code.trim().toUpperCase();
  let chain = Object.hasOwn(CHAIN_OF_CODE, key) ? CHAIN_OF_CODE[key] : undefined;
  if (!chain && EVM_TOKENS.has(key) && /^0x/i.test(address.trim())) chain = 'ethereum';
  if (!chain && EVM_TOKENS.has(key) && looksLikeTron(address.trim())) chain = 'tron';
  return chain && findChain(chain) ? findChain(chain)!.name : undefined;
}

/** A currency code made safe to appear in a skip reason (codes come from untrusted files). */
export const safeCode = (code: string): string => {
  const t = code.trim();
  return /^[\w.-]{1,16}$/.test(t) ? t : '(unusual code)';
};
