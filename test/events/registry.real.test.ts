// The bundled registry/contracts.json against the files its facts come from, in
// ../shared/data/bridge-swap-abis: every address appears in EVENTS.md's address table or in the
// source JSON it names (Across deployed-addresses, Hop mainnet addresses, Stargate v2 deployments),
// and the entries taken from those JSON files match them field for field. Skipped without ../shared.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../src/sources/registry.js';
import { ABIS } from './receipts.js';

const present = existsSync(join(ABIS, 'EVENTS.md'));
const json = (f: string) => JSON.parse(readFileSync(join(ABIS, f), 'utf8'));

describe.skipIf(!present)('registry/contracts.json against its sources', async () => {
  const reg = await loadRegistry();
  const events = present ? readFileSync(join(ABIS, 'EVENTS.md'), 'utf8').toLowerCase() : '';
  const across = present ? json('across/deployed-addresses.json').chains : {};
  const hop = present ? json('hop/addresses_mainnet.bridges.json').bridges : {};
  const stargate = present ? json('stargate/v2_addresses_mainnet.json').addresses : {};
  const sourceText =
    `${events}${JSON.stringify(across)}${JSON.stringify(hop)}${JSON.stringify(stargate)}`.toLowerCase();

  it.each(reg.entries.map((e) => [`${e.chain} ${e.name} ${e.address}`, e] as const))(
    '%s is in the sources',
    (_n, e) => {
      expect(sourceText).toContain(e.address.toLowerCase());
    },
  );

  it('Across SpokePools are the deployed-addresses.json ones', () => {
    for (const e of reg.entries.filter((x) => x.protocol === 'across' && x.role === 'spoke-pool')) {
      const id = reg.chainIdOf(e.chain)!;
      expect(e.address.toLowerCase()).toBe(String(across[id].contracts.SpokePool.address).toLowerCase());
    }
  });

  it('Hop bridges are the mainnet.ts ones, with the canonical token as asset', () => {
    const hops = reg.entries.filter((x) => x.protocol === 'hop');
    expect(hops.length).toBeGreaterThan(10);
    for (const e of hops) {
      const tok = /^Hop (\S+) /.exec(e.name)![1]!;
      const rec = hop[tok][e.chain];
      const field =
        e.role === 'l1-bridge' ? 'l1Bridge' : e.role === 'l2-bridge' ? 'l2Bridge' : 'l2AmmWrapper';
      expect(e.address.toLowerCase()).toBe(String(rec[field]).toLowerCase());
      if (e.role === 'l1-bridge' && e.asset !== 'native')
        expect(e.asset!.toLowerCase()).toBe(String(rec.l1CanonicalToken).toLowerCase());
      if (e.role === 'l2-bridge' && e.asset !== 'native')
        expect(e.asset!.toLowerCase()).toBe(String(rec.l2CanonicalToken).toLowerCase());
    }
  });

  it('Stargate pools are the stargate-v2 deployment ones', () => {
    const pools = reg.entries.filter((x) => x.protocol === 'stargate');
    expect(pools.length).toBeGreaterThan(5);
    for (const e of pools) {
      const key = e.name.replace('Stargate v2 ', '');
      expect(e.address.toLowerCase()).toBe(String(stargate[`${e.chain}-mainnet`][key]).toLowerCase());
    }
  });
});
