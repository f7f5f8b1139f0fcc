// The table of source kinds, built here, in one place above the sources and case/ (whose `case:DIR`
// replay is a source kind too), and passed to src/sources/open.ts: no module registers itself.
import { openCaseSource } from '../case/source.js';
import { openEsplora } from '../sources/esplora/index.js';
import { openEtherscan } from '../sources/etherscan/open.js';
import { openGraphSense } from '../sources/graphsense/index.js';
import { openIndexSource } from '../sources/index/open.js';
import { type OpenedSource, type Opener, openSource, type SourceContext } from '../sources/open.js';
import { openRpcSource } from '../sources/rpc/open.js';
import { openTronGrid } from '../sources/trongrid/open.js';

const OPENERS = new Map<string, Opener>([
  ['esplora', openEsplora],
  ['etherscan', openEtherscan],
  ['trongrid', openTronGrid],
  ['graphsense', openGraphSense],
  ['rpc', openRpcSource],
  ['case', (rest, spec) => openCaseSource(rest, spec)],
  ['index', (rest, spec) => openIndexSource(rest, spec)],
]);

/** `--source SPEC` with every kind this build knows. */
export const openAnySource = (spec: string, ctx: SourceContext): Promise<OpenedSource> =>
  openSource(spec, ctx, OPENERS);

/** Add a kind (tests use it to record lookups; a plug-in could). Explicit, never at import time. */
export function addSourceKind(scheme: string, open: Opener): void {
  OPENERS.set(scheme, open);
}
