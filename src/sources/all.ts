// Registers every remote source kind with ./open.ts. One import line per kind.
import '../case/register.js';
import './etherscan/register.js';
import './esplora/register.js';
import './rpc/register.js';
