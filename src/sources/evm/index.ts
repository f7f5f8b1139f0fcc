// Shared EVM helpers (see each file's header for its API): ./abi.ts (ERC-20 logs, token metadata
// decoding, addresses), ./logs.ts (receipt logs → TxLog), ./transfers.ts (one transaction → Transfer records, the index scheme),
// ./assets.ts (asset keys: native symbol, well-known token symbol, else the contract address).
export * from './abi.js';
export * from './assets.js';
export * from './logs.js';
export * from './transfers.js';
