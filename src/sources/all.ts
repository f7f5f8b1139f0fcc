// Registers every remote source kind with ./open.ts. One import line per kind.
import './etherscan/register.js';
import './rpc/register.js';
