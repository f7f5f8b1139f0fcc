// GraphSense account wire validators: identifiers (<hash>, <hash>_I<n>, <hash>_T<n>) decide what a
// tx_account is, amounts are exact past 2^53, addresses and hashes come out in the chain's canonical
// form, and every problem is named with its JSON path.
import { describe, expect, it } from 'vitest';
import {
  accountPageValidator,
  accountTxValidator,
  canonicalAccount,
  tokenConfigsValidator,
} from '../../src/sources/graphsense/account-wire.js';
import { ValidationError } from '../../src/sources/http/index.js';
import { ethScenario, tronScenario, USDT_TRON } from './account-scenario.js';
import { accountItems, bigJson } from './account-server.js';

const problems = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return [...e.problems];
    throw e;
  }
  return [];
};

describe('graphsense account wire', () => {
  const eth = ethScenario();
  const items = accountItems(eth);
  const route = eth.txs.find((t) => (t.internals?.length ?? 0) > 0)!;

  it('a page of the three kinds: the tx, its trace, its token transfer; exact amounts', () => {
    const mine = items
      .filter((i) => i.tx.hash === route.hash || (i.tx.tokens?.length ?? 0) > 0)
      .map((i) => i.body);
    const page = accountPageValidator(
      'address_txs',
      'eth',
      'evm',
    )(bigJson({ address_txs: mine, next_page: 'c1' }));
    expect(page.next).toBe('c1');
    const trace = page.items.find((t) => t.kind === 'internal' && t.value > 0n)!;
    expect(trace).toMatchObject({ tx: `0x${route.hash}`, sub: 7, currency: 'eth', fee: null });
    expect(trace.value).toBe(2_500_000_000_000_000_001n);
    expect(trace.from).toBe(route.internals![0]!.from); // EIP-55 from GraphSense's lowercase
    const token = page.items.find((t) => t.kind === 'token')!;
    expect(token.currency).toBe('usdt');
    expect(token.identifier).toBe(`${token.tx.slice(2)}_T${token.sub}`);
    const self = page.items.find((t) => t.kind === 'external' && t.tx === `0x${route.hash}`)!;
    expect(self.fee).toBe(route.fee);
  });

  it('the transaction itself, asked by hash: another hash or a sub-transaction is refused', () => {
    const body = items.find((i) => i.tx.hash === route.hash)!.body;
    expect(accountTxValidator('eth', 'evm', `0x${route.hash}`)(bigJson(body)).value).toBe(route.value);
    expect(problems(() => accountTxValidator('eth', 'evm', `0x${'1'.repeat(64)}`)(bigJson(body)))).toEqual([
      `tx.tx_hash: is 0x${route.hash}, not the requested 0x${'1'.repeat(64)}`,
    ]);
    const sub = items.find((i) => i.tx.hash === route.hash && i.sub >= 0)!.body;
    expect(problems(() => accountTxValidator('eth', 'evm', `0x${route.hash}`)(bigJson(sub)))).toEqual([
      `tx.identifier: is ${route.hash}_I7, not the transaction 0x${route.hash} itself`,
    ]);
  });

  it('contradictions and bad fields are named with their path', () => {
    const base = items.find((i) => i.sub >= 1_000_000)!.body;
    const bad = [
      { ...base, identifier: `${'f'.repeat(64)}_T${base.token_tx_id}` },
      { ...base, token_tx_id: 999 },
      { ...base, currency: 'eth' },
      { ...base, from_address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
      { ...base, identifier: `${base.tx_hash}_L2` },
      { ...base, value: { fiat_values: [], value: -5 } },
    ];
    const p = problems(() => accountPageValidator('txs', 'eth', 'evm')(bigJson({ txs: bad })));
    expect(p).toEqual([
      expect.stringMatching(/^txs\[0\]\.identifier: names transaction f+, but tx_hash is/),
      expect.stringMatching(/^txs\[1\]\.token_tx_id: is 999, but the identifier/),
      'txs[2].currency: a token transfer names the network\'s own currency "eth" (string)',
      expect.stringMatching(/^txs\[3\]\.from_address: "TR7N.* is not a valid eth address/),
      expect.stringMatching(/^txs\[4\]\.identifier: .* is neither a transaction hash/),
      expect.stringMatching(
        /^txs\[5\]\.value\.value: expected a whole number of base units, 0 or more, got -5/,
      ),
    ]);
    expect(problems(() => accountPageValidator('txs', 'eth', 'evm')('{"txs": [{"value": 1'))).toEqual([
      expect.stringMatching(/^not JSON/),
    ]);
  });

  it('TRON: base58 (or 41… hex) addresses, hashes without 0x, token configs with a base58 contract', () => {
    const trx = tronScenario();
    const body = accountItems(trx).find((i) => i.sub >= 1_000_000)!.body;
    const t = accountPageValidator('address_txs', 'trx', 'tron')(bigJson({ address_txs: [body] })).items[0]!;
    expect(t.tx).toBe(trx.txs[0]!.hash);
    expect(canonicalAccount('tron', '41a614f803b6fd780986a42c78ec9c7f77e6ded13c')).toBe(USDT_TRON);
    expect(
      tokenConfigsValidator('tron')(
        JSON.stringify({ token_configs: [{ ticker: 'USDT', decimals: 6, contract_address: USDT_TRON }] }),
      ),
    ).toEqual([{ ticker: 'usdt', symbol: 'USDT', decimals: 6, contract: USDT_TRON }]);
    expect(
      problems(() =>
        tokenConfigsValidator('tron')(
          JSON.stringify({
            token_configs: [
              { ticker: 'USDT', decimals: 6 },
              { ticker: 'usdt', decimals: 6 },
            ],
          }),
        ),
      ),
    ).toEqual(['token_configs[1].ticker: "usdt" (string) is listed twice']);
  });
});
