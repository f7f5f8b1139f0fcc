// The table of source kinds, built here, in one place above the sources and case/ (whose `case:DIR`
// replay is a source kind too), and passed to src/sources/open.ts: no module registers itself.
// Each kind's module is loaded when a trace opens a source of that kind, not at start-up: the
// others pull in ethers and the RPC clients (measured: an index trace started 0.2 s sooner without them).
import { type OpenedSource, type Opener, openSource, type SourceContext } from '../sources/open.js';

const OPENERS = new Map<string, Opener>([
  ['esplora', async (...a) => (await import('../sources/esplora/index.js')).openEsplora(...a)],
  ['etherscan', async (...a) => (await import('../sources/etherscan/open.js')).openEtherscan(...a)],
  ['trongrid', async (...a) => (await import('../sources/trongrid/open.js')).openTronGrid(...a)],
  ['graphsense', async (...a) => (await import('../sources/graphsense/index.js')).openGraphSense(...a)],
  ['rpc', async (...a) => (await import('../sources/rpc/open.js')).openRpcSource(...a)],
  ['case', async (rest, spec) => (await import('../case/source.js')).openCaseSource(rest, spec)],
  ['index', async (rest, spec) => (await import('../sources/index/open.js')).openIndexSource(rest, spec)],
]);

/** `--source SPEC` with every kind this build knows. */
export const openAnySource = (spec: string, ctx: SourceContext): Promise<OpenedSource> =>
  openSource(spec, ctx, OPENERS);

/** Add a kind (tests use it to record lookups; a plug-in could). Explicit, never at import time. */
export function addSourceKind(scheme: string, open: Opener): void {
  OPENERS.set(scheme, open);
}
