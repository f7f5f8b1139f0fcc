// The account-chain engine (ETH, ERC-20, TRON …): forward and backward, sharing seed and limits.
export { traceAccountBackward } from './backward.js';
export { transferId } from './common.js';
export { traceAccountForward } from './forward.js';
