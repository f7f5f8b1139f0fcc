// Registers every remote source kind with src/sources/open.ts, in one place above both the
// sources and case/ (whose `case:DIR` replay is a source kind too). One import line per kind.
import '../case/register.js';
import '../sources/etherscan/register.js';
import '../sources/esplora/register.js';
import '../sources/rpc/register.js';
import '../sources/index/register.js';
