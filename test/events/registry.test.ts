// The contract registry: validation of entries (bundled and user files), lookups, conflicts, and
// the bundled registry/contracts.json itself (every entry valid, EIP-55, no conflict).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAddress, id } from 'ethers';
import { describe, expect, it } from 'vitest';
import { FundtraceError } from '../../src/core/errors.js';
import { buildRegistry, parseRegistryFile, RegistryConflict } from '../../src/core/events/registry.js';
import { keccak256Hex } from '../../src/core/keccak.js';
import { loadRegistry } from '../../src/sources/registry.js';

const ok = {
  chain: 'ethereum',
  address: '0x5c7BCd6E7De5423a257D81B442095A1a6ced35C5',
  protocol: 'across',
  role: 'spoke-pool',
  name: 'Across SpokePool',
  source: 'test',
};

describe('keccak256 (multi-block) against ethers', () => {
  it.each([
    '',
    'Transfer(address,address,uint256)',
    'a'.repeat(135),
    'a'.repeat(136),
    'a'.repeat(137),
    'b'.repeat(400),
  ])('%#', (s) => expect(keccak256Hex(s)).toBe(id(s)));
});

describe('registry entry validation (one line per fault, naming the value)', () => {
  const cases: { name: string; entry: Record<string, unknown>; error: RegExp }[] = [
    {
      name: 'bad address',
      entry: { ...ok, address: '0x1234' },
      error: /contracts\[0\]: address "0x1234" is not an EVM address/,
    },
    {
      name: 'bad checksum',
      entry: { ...ok, address: '0x5c7BCd6E7De5423a257D81B442095A1a6ced35c5' },
      error: /bad EIP-55 checksum \(expected 0x5c7BCd6E7De5423a257D81B442095A1a6ced35C5\)/,
    },
    {
      name: 'unknown protocol',
      entry: { ...ok, protocol: 'wormhole' },
      error: /unknown protocol "wormhole" \(known: weth,/,
    },
    { name: 'unknown role', entry: { ...ok, role: 'vault' }, error: /unknown role "vault"/ },
    { name: 'no source', entry: { ...ok, source: '' }, error: /source is missing/ },
    {
      name: 'a name with an escape sequence',
      entry: { ...ok, name: 'Spoke\u001b[2J' },
      error: /name "Spoke \[2J" contains control characters/,
    },
    { name: 'bad chain', entry: { ...ok, chain: 'Eth Main' }, error: /chain "Eth Main" is not a chain name/ },
    {
      name: 'hop bridge without asset',
      entry: { ...ok, protocol: 'hop', role: 'l1-bridge' },
      error: /asset is required for hop l1-bridge/,
    },
    {
      name: 'control characters are not echoed raw',
      entry: { ...ok, protocol: 'x\u001b[31m' },
      error: /unknown protocol "x \[31m"/,
    },
  ];
  it.each(cases)('$name', ({ entry, error }) => {
    const r = parseRegistryFile({ contracts: [entry] }, 'f.json');
    expect(r.entries).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(error);
    expect(r.errors[0]).not.toContain('\n');
  });

  it('accepts a lowercase address and stores it EIP-55', () => {
    const r = parseRegistryFile({ contracts: [{ ...ok, address: ok.address.toLowerCase() }] }, 'f.json');
    expect(r.errors).toEqual([]);
    expect(r.entries[0]!.address).toBe(ok.address);
  });
});

describe('buildRegistry lookups', () => {
  const { entries, chains } = parseRegistryFile(
    {
      chains: {
        ethereum: { chainId: '1', cctpDomain: 0, stargateEid: 30101 },
        arbitrum: { chainId: 42161, cctpDomain: 3 },
      },
      contracts: [ok],
    },
    't',
  );
  const reg = buildRegistry(entries, chains);
  it.each([
    ['at, any case', () => reg.at('ethereum', ok.address.toLowerCase())?.name, 'Across SpokePool'],
    ['at, other chain', () => reg.at('arbitrum', ok.address), undefined],
    ['chainOfCctpDomain', () => reg.chainOfCctpDomain(3), 'arbitrum'],
    ['chainOfCctpDomain unknown', () => reg.chainOfCctpDomain(5), null],
    ['cctpDomainOf', () => reg.cctpDomainOf('ethereum'), 0],
    ['chainOfId bigint', () => reg.chainOfId(42161n), 'arbitrum'],
    ['chainIdOf', () => reg.chainIdOf('arbitrum'), '42161'],
    ['chainOfStargateEid', () => reg.chainOfStargateEid(30101), 'ethereum'],
  ] as const)('%s', (_n, f, want) => expect(f()).toBe(want));

  it('refuses one address with two protocols, naming both', () => {
    expect(() =>
      buildRegistry([...entries, { ...entries[0]!, protocol: 'hop', role: 'l1-bridge', name: 'Fake' }]),
    ).toThrow(RegistryConflict);
    expect(() =>
      buildRegistry(
        [],
        [
          { chain: 'a', chainId: '1' },
          { chain: 'b', chainId: '1' },
        ],
      ),
    ).toThrow(/chain id 1 is given to both a and b/);
    expect(() =>
      buildRegistry(
        [],
        [
          { chain: 'a', cctpDomain: 0, source: 'x' },
          { chain: 'a', cctpDomain: 5, source: 'y' },
        ],
      ),
    ).toThrow('registry: a cctpDomain is 0 (x) and 5 (y)');
    expect(
      buildRegistry(
        [],
        [
          { chain: 'a', cctpDomain: 0 },
          { chain: 'a', stargateEid: 7 },
        ],
      ).chainOfStargateEid(7),
    ).toBe('a');
  });
});

describe('loadRegistry (bundled file + user files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fundtrace-registry-'));
  it('loads the bundled registry: every entry valid and EIP-55', async () => {
    const reg = await loadRegistry();
    expect(reg.entries.length).toBeGreaterThan(50);
    for (const e of reg.entries) expect(e.address).toBe(getAddress(e.address.toLowerCase()));
    expect(reg.at('ethereum', '0xBd3fa81B58Ba92a82136038B25aDec7066af3155')?.role).toBe('token-messenger');
    expect(reg.chainOfCctpDomain(7)).toBe('polygon');
    expect(reg.chainOfId('10')).toBe('optimism');
  });
  it('adds a user file', async () => {
    const f = join(dir, 'extra.json');
    writeFileSync(
      f,
      JSON.stringify({
        chains: { anvil2: { chainId: '31338', cctpDomain: 100 } },
        contracts: [{ ...ok, chain: 'anvil2', protocol: 'devbridge' }],
      }),
    );
    const reg = await loadRegistry([f]);
    expect(reg.at('anvil2', ok.address)?.protocol).toBe('devbridge');
    expect(reg.chainOfCctpDomain(100)).toBe('anvil2');
  });
  it.each([
    ['not JSON', '{', /registry file .*bad1\.json: not JSON/],
    [
      'bad entry',
      JSON.stringify({ contracts: [{ ...ok, protocol: 'nope' }] }),
      /bad2\.json: contracts\[0\]: unknown protocol "nope"/,
    ],
    [
      'a known address re-labelled',
      JSON.stringify({
        contracts: [{ ...ok, protocol: 'hop', role: 'l1-bridge', asset: 'native', name: 'Fake' }],
      }),
      /registry .*bad3\.json: ethereum 0x5c7BCd6E7De5423a257D81B442095A1a6ced35C5 is hop l1-bridge "Fake", but .*contracts\.json has it as across spoke-pool "Across SpokePool"/,
    ],
  ])('%s → one-line BAD_INPUT', async (_n, text, msg) => {
    const f = join(
      dir,
      `bad${['not JSON', 'bad entry', 'a known address re-labelled'].indexOf(_n) + 1}.json`,
    );
    writeFileSync(f, text);
    const err = await loadRegistry([f]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FundtraceError);
    expect((err as FundtraceError).code).toBe('BAD_INPUT');
    expect((err as Error).message).toMatch(msg);
  });
  it('an inline section (config file) is validated and merged like a file', async () => {
    const reg = await loadRegistry(
      [],
      [
        {
          where: 'config f.yaml: registry',
          value: { contracts: [{ ...ok, chain: 'anvil3', protocol: 'devbridge' }] },
        },
      ],
    );
    expect(reg.at('anvil3', ok.address)?.protocol).toBe('devbridge');
    await expect(
      loadRegistry(
        [],
        [{ where: 'config f.yaml: registry', value: { contracts: [{ ...ok, address: '0x12' }] } }],
      ),
    ).rejects.toThrow(/^config f\.yaml: registry: contracts\[0\]: address "0x12" is not an EVM address/);
  });
  it('a missing file', async () => {
    await expect(loadRegistry([join(dir, 'nope.json')])).rejects.toThrow(/cannot read it \(ENOENT\)/);
  });
});
