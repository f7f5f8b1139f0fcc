import { describe, expect, it } from 'vitest';
import { categoriesOf, entityOf, importEtherscan } from '../../src/labels/importers/etherscan.js';
import { countBy, fixture, readFixture } from './helpers.js';

const run = (rel: string, opts = {}) => importEtherscan(readFixture(rel), fixture(rel), opts);

describe('Etherscan label rules', () => {
  it('maps name tags by keyword, the name prefix naming the entity', () => {
    expect(categoriesOf('Fake_Phishing4940', ['phish-hack'])).toEqual(['scam']);
    expect(categoriesOf('Akropolis Hacker 1', ['phish-hack'])).toEqual(['theft']);
    expect(categoriesOf('Ronin Bridge Exploiter', [])).toEqual(['theft']);
    expect(categoriesOf('Squid Token Heist', [])).toEqual(['theft']);
    expect(categoriesOf('BankHeist4D', ['gambling'])).toEqual(['gambling']);
    expect(categoriesOf('Binance 14', ['exchange'])).toEqual(['exchange']);
    expect(categoriesOf('Tornado.Cash: Router', ['tornado-cash', 'ofac-sanctions-lists'])).toEqual([
      'mixer',
      'sanctioned',
    ]);
    expect(categoriesOf('SushiSwap: Scam', ['sushiswap'])).toEqual(['dex']);
    expect(categoriesOf('EtherScamDB: Donate', ['donate'])).toEqual(['unknown']);
    expect(categoriesOf('Multichain Hack Alert 12', ['take-action'])).toEqual(['individual']);
    expect(categoriesOf('bZx PrivKey Exploiter 2', ['blocked'])).toEqual(['theft', 'blocklisted']);
    expect(categoriesOf('', ['heist'])).toEqual(['theft']);
    expect(categoriesOf('', ['sushiswap-something-new'])).toEqual(['unknown']);
  });

  it('derives the entity from the name tag', () => {
    expect(entityOf('Binance 14')).toBe('Binance');
    expect(entityOf('Tornado.Cash: 0.1 ETH')).toBe('Tornado.Cash');
    expect(entityOf('Fake_Phishing4940')).toBe('Fake_Phishing4940');
    expect(entityOf('FAKE: TenX 2')).toBe('FAKE: TenX');
  });
});

describe('Etherscan importer', () => {
  it('reads an address,nameTag CSV (chain from the folder, slug from the file name)', () => {
    const r = run('etherscan/mainnet-2022/phish-hack.all.csv');
    expect(r.entries.map((e) => [e.entity, e.category])).toEqual([
      ['Fake_Phishing123', 'scam'],
      ['unnamed (etherscan label phish-hack)', 'scam'],
      ['Example Hacker', 'theft'],
      ['FAKE: Example Token Sale', 'scam'],
    ]);
    expect(r.entries[0]).toMatchObject({
      chain: 'ethereum',
      address: '0x8FA78bf8B7334950907FE202E882AFD91aa3236F',
      source: 'etherscan:phish-hack',
      confidence: 'medium',
      note: 'name tag: Fake_Phishing123; etherscan label: phish-hack',
    });
    expect(r.problems.map((p) => [p.location, p.message.split(' (')[0]])).toEqual([
      [6, 'duplicate of the entry at line 2'],
      [7, expect.stringMatching(/^not a valid ethereum address/)],
    ]);
  });

  it('reads the pandas CSV export with quoted balances and skips the "Sum of N Accounts" row', () => {
    const r = run('etherscan/arbiscan/exploit.csv');
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => [e.chain, e.entity, e.category, e.source])).toEqual([
      ['arbitrum', 'Example Bridge Exploiter', 'theft', 'arbiscan:exploit'],
      ['arbitrum', 'unnamed (arbiscan label exploit)', 'theft', 'arbiscan:exploit'],
    ]);
    expect(r.skipped).toEqual([{ reason: 'explorer page summary row ("Sum of N Accounts")', count: 1 }]);
  });

  it('reads the combined file: one label per category, slugs when the name says nothing', () => {
    const r = run('etherscan/combined/combinedAccountLabels.json');
    expect(r.problems).toEqual([]);
    expect(r.entries).toHaveLength(10);
    expect(countBy(r.entries, 'category')).toEqual({
      mixer: 2,
      sanctioned: 1,
      exchange: 1,
      individual: 1,
      dex: 1,
      blocklisted: 2,
      theft: 1,
      unknown: 1,
    });
    const router = r.entries.filter((e) => e.address === '0x6d5A02B6767314246B38b9C4f6a99dc81761616B');
    expect(router.map((e) => e.category)).toEqual(['mixer', 'sanctioned']);
    expect(router[0]).toMatchObject({ entity: 'Example.Cash', source: 'etherscan:combined' });
    expect(r.problems).toEqual([]);
  });

  it('reads dawsbot JSON arrays and brianleect {address: name} maps', () => {
    const heist = run('etherscan/bscscan/heist.accounts.json');
    expect(heist.entries.map((e) => [e.chain, e.category])).toEqual([
      ['bsc', 'scam'],
      ['bsc', 'theft'],
    ]);
    expect(heist.problems).toEqual([
      {
        file: fixture('etherscan/bscscan/heist.accounts.json'),
        location: '/2',
        message: 'name tag must be a string',
      },
    ]);
    const binance = run('etherscan/binance.json');
    expect(binance.entries.map((e) => [e.entity, e.category, e.source])).toEqual([
      ['Binance', 'exchange', 'etherscan:binance'],
      ['Binance', 'exchange', 'etherscan:binance'],
    ]);
  });

  it('skips folders of chains fundtrace does not support, unless a chain is given', () => {
    const celo = run('etherscan/celo/phish-hack.accounts.json');
    expect(celo).toEqual({
      entries: [],
      problems: [],
      skipped: [{ reason: 'unsupported chain celo', count: 2 }],
    });
    const forced = run('etherscan/celo/phish-hack.accounts.json', { chain: 'base' });
    expect(forced.entries.map((e) => e.chain)).toEqual(['base', 'base']);
  });
});
