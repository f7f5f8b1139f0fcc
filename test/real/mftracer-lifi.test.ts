// A real incident end to end: the LI.FI hack (July 2024) from the MFTracer ground truth, converted
// at test time into a dataset (USD, 2 decimals), with the OFAC list and the GraphSense Tornado Cash
// pack as labels. Skipped when ../shared/data is absent; nothing of the data is in the project.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertCase, MFTRACER } from '../../scripts/mftracer.js';
import { SHARED, traceJson } from '../helpers.js';

const OFAC = join(SHARED, 'data', 'ofac-sanctioned-addresses', 'sanctioned_addresses_ETH.txt');
const TORNADO = join(SHARED, 'data', 'graphsense-tagpacks', 'packs', 'tornado_cash.yaml');
const present = existsSync(join(MFTRACER, 'LIFI', 'LIFI.csv')) && existsSync(OFAC) && existsSync(TORNADO);
const ROUTER = '0xd90e2f925DA726b50C4Ed8D0Fb90Ad053324F31b';

describe.skipIf(!present)('MFTracer LI.FI hack, end to end', () => {
  it('reaches the Tornado Cash Router as sanctioned exposure and lists the exchange and bridge exits', async () => {
    const c = convertCase('LIFI');
    expect(c.sources).toHaveLength(1);
    const j = await traceJson([
      c.sources[0]!,
      '--source',
      c.dataset,
      '--asset',
      'USD',
      '--hops',
      '20',
      '--labels',
      c.labels,
      '--labels',
      OFAC,
      '--labels',
      TORNADO,
      '--lenient',
    ]);
    const exposure = [...j.exposure.direct, ...j.exposure.indirect];
    const sanctioned = exposure.filter((x) => x.category === 'sanctioned');
    expect(sanctioned.length).toBeGreaterThan(0);
    expect(BigInt(sanctioned[0]!.value.value)).toBeGreaterThan(0n);
    // The Router itself is among the sanctioned exits, with its address.
    const routerExits = j.summary.exits.filter((x) => x.address === ROUTER);
    expect(routerExits.length).toBeGreaterThan(0);
    expect(routerExits.every((x) => x.category === 'sanctioned')).toBe(true);
    // Exchange and bridge exits on the way (eXch, Hop, Symbiosis …).
    const kinds = new Set(j.summary.exits.map((x) => x.category));
    expect(kinds.has('exchange')).toBe(true);
    expect(kinds.has('bridge')).toBe(true);
    expect(j.summary.conserved).toBe(true);
  });
});
