// How the rpc: source talks to a node: requests counted at a loopback proxy (an immediate re-run
// and an --offline run after the node is gone make none), eth_getLogs ranges split when a provider
// refuses them, and the fallbacks between history and trace methods, all giving the same trace.

import { beforeAll, describe, expect, it } from 'vitest';
import { openAnySource } from '../../src/app/sources.js';
import { startAnvil, startDevnet } from '../../src/devnet/index.js';
import { ACTORS } from '../../src/devnet/scenario.js';
import type { SourceContext } from '../../src/sources/open.js';
import type { RpcOpenedSource } from '../../src/sources/rpc/open.js';
import { cli } from '../helpers.js';
import { type RpcProxy, startProxy, tmp, useDevnet, withoutSources, writeLabels } from './helpers.js';

const devnet = useDevnet();
let labelsFile: string;
let reference: { eth: string; usdf: string };

const ethArgs = () => [
  'trace',
  devnet.current.seeds.eth,
  '--hops',
  '5',
  '--labels',
  labelsFile,
  '--format',
  'json',
];
const usdfArgs = () => [
  'trace',
  devnet.current.seeds.usdf,
  '--asset',
  'USDF',
  '--hops',
  '5',
  '--labels',
  labelsFile,
  '--format',
  'json',
];
const via = (url: string) => ['--source', `rpc:${url}`, '--cache-dir', tmp()];

beforeAll(async () => {
  labelsFile = writeLabels(tmp(), devnet.current.labels);
  const e = await cli([...ethArgs(), ...via(devnet.current.url)]);
  const u = await cli([...usdfArgs(), ...via(devnet.current.url)]);
  expect(e.status, e.stderr).toBe(0);
  expect(u.status, u.stderr).toBe(0);
  reference = { eth: withoutSources(e.stdout), usdf: withoutSources(u.stdout) };
});

describe('rpc: cache', () => {
  it('an immediate re-run makes zero requests; --offline after the node is stopped makes none either', async () => {
    const own = await startDevnet();
    const proxy = await startProxy(own.url);
    try {
      const cacheDir = tmp();
      const args = [...ethArgs(), '--source', `rpc:${proxy.url}`, '--cache-dir', cacheDir];
      args[1] = own.seeds.eth;
      const first = await cli(args);
      expect(first.status, first.stderr).toBe(0);
      expect(proxy.total()).toBeGreaterThan(0);
      expect(withoutSources(first.stdout)).toBe(reference.eth);
      proxy.reset();
      const again = await cli(args);
      expect(again.status, again.stderr).toBe(0);
      expect(proxy.total()).toBe(0);
      expect(again.stdout).toBe(first.stdout);
      await own.stop();
      const offline = await cli([...args, '--offline']);
      expect(offline.status, offline.stderr).toBe(0);
      expect(proxy.total()).toBe(0);
      expect(offline.stdout).toBe(first.stdout);
      // A trace the cache cannot answer fails as offline (exit 4), naming what is missing.
      const other = await cli([
        ...usdfArgs(),
        '--source',
        `rpc:${proxy.url}`,
        '--cache-dir',
        cacheDir,
        '--offline',
      ]);
      expect(other.status).toBe(4);
      expect(other.stderr).toMatch(/offline/);
      expect(proxy.total()).toBe(0);
    } finally {
      await proxy.close();
      await own.stop();
    }
  });

  it('--no-cache fetches again', async () => {
    const proxy = await startProxy(devnet.current.url);
    try {
      const args = [...usdfArgs(), '--source', `rpc:${proxy.url}`, '--no-cache'];
      expect((await cli(args)).status).toBe(0);
      const n = proxy.total();
      expect(n).toBeGreaterThan(0);
      expect((await cli(args)).status).toBe(0);
      expect(proxy.total()).toBe(2 * n);
    } finally {
      await proxy.close();
    }
  });
});

describe('rpc: eth_getLogs ranges a provider refuses are split', () => {
  const cases: [string, Parameters<typeof startProxy>[1]][] = [
    ['Infura-style -32005 "more than 10000 results"', { logsMaxSpan: 5 }],
    [
      'a "block range is too large" error',
      { logsMaxSpan: 3, logsError: { code: -32602, message: () => 'block range is too large' } },
    ],
    [
      'an Alchemy-style refusal that suggests a range',
      {
        logsMaxSpan: 7,
        logsError: {
          code: -32602,
          message: (from) =>
            `Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range. Based on your parameters, this block range should work: [0x${from.toString(16)}, 0x${(from + 6).toString(16)}]`,
        },
      },
    ],
  ];
  for (const [name, opts] of cases) {
    it(name, async () => {
      const proxy: RpcProxy = await startProxy(devnet.current.url, opts);
      try {
        const r = await cli([...usdfArgs(), ...via(proxy.url)]);
        expect(r.status, r.stderr).toBe(0);
        expect(withoutSources(r.stdout)).toBe(reference.usdf);
        expect(proxy.refused).toBeGreaterThan(0);
      } finally {
        await proxy.close();
      }
    });
  }

  it('a provider that refuses even one block is a source error (exit 4)', async () => {
    const proxy = await startProxy(devnet.current.url, { logsMaxSpan: 0 });
    try {
      const r = await cli([...usdfArgs(), ...via(proxy.url)]);
      expect(r.status).toBe(4);
      expect(r.stderr).toContain('refuses even a single block');
    } finally {
      await proxy.close();
    }
  });
});

describe('rpc: capabilities and fallbacks give the same trace', () => {
  const capsOf = async (url: string, env: NodeJS.ProcessEnv = {}) => {
    const src = await openAnySource(`rpc:${url}`, { cacheMode: 'noCache', env });
    return src.describe();
  };

  it('declares what the node offers (anvil: ots_ and trace_)', async () => {
    const d = await capsOf(devnet.current.url);
    expect(d.kind).toBe('rpc');
    expect(d.asOf?.height).toBeGreaterThan(30);
    expect(d.capabilities).toEqual(
      expect.arrayContaining([
        'history:ots_searchTransactions',
        'history:trace_filter',
        'internal:trace_transaction',
        'tokens:eth_getLogs',
      ]),
    );
    expect(d.capabilities?.[0]).toBe('history:ots_searchTransactions');
  });

  it('address history through trace_filter (FUNDTRACE_RPC_HISTORY=trace_filter)', async () => {
    const env = { FUNDTRACE_RPC_HISTORY: 'trace_filter' };
    expect((await capsOf(devnet.current.url, env)).capabilities?.[0]).toBe('history:trace_filter');
    const r = await cli([...ethArgs(), ...via(devnet.current.url)], env);
    expect(r.status, r.stderr).toBe(0);
    expect(withoutSources(r.stdout)).toBe(reference.eth);
  });

  it('a node without ots_ (Nethermind, Reth) uses trace_filter', async () => {
    const proxy = await startProxy(devnet.current.url, { hide: ['ots_'] });
    try {
      const r = await cli([...ethArgs(), ...via(proxy.url)]);
      expect(r.status, r.stderr).toBe(0);
      expect(withoutSources(r.stdout)).toBe(reference.eth);
      expect(proxy.counts.get('trace_filter')).toBeGreaterThan(1);
    } finally {
      await proxy.close();
    }
  });

  it('internal transfers through debug_traceTransaction (callTracer) when trace_transaction is missing', async () => {
    const proxy = await startProxy(devnet.current.url, { hide: ['trace_transaction'] });
    try {
      const r = await cli([...ethArgs(), ...via(proxy.url)]);
      expect(r.status, r.stderr).toBe(0);
      expect(withoutSources(r.stdout)).toBe(reference.eth);
      expect(proxy.counts.get('debug_traceTransaction')).toBeGreaterThan(1);
    } finally {
      await proxy.close();
    }
  });

  it('with only ots_getInternalOperations left, it says that reverted sub-calls cannot be seen', async () => {
    const proxy = await startProxy(devnet.current.url, { hide: ['trace_', 'debug_'] });
    try {
      const d = await capsOf(proxy.url);
      expect(d.capabilities).toContain('internal:ots_getInternalOperations (cannot see reverted sub-calls)');
    } finally {
      await proxy.close();
    }
  });

  it('a node with no address index (geth) still traces tokens, and says why it cannot trace ETH', async () => {
    const proxy = await startProxy(devnet.current.url, { hide: ['ots_', 'trace_filter'] });
    try {
      const u = await cli([...usdfArgs(), ...via(proxy.url)]);
      expect(u.status, u.stderr).toBe(0);
      expect(withoutSources(u.stdout)).toBe(reference.usdf);
      const e = await cli([...ethArgs(), ...via(proxy.url)]);
      expect(e.status).toBe(4);
      expect(e.stderr).toContain('no address index');
    } finally {
      await proxy.close();
    }
  });

  it('a node of an unknown chain id is refused with the known chains listed (exit 2)', async () => {
    const own = await startAnvil(['--chain-id', '4242']);
    try {
      const r = await cli([...ethArgs(), ...via(own.url)]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('chain id 4242');
    } finally {
      await own.stop();
    }
  });
});

describe('rpc: long histories', () => {
  it('fetches at most historyLimit + 1 transactions of an address and flags the ledger as over the limit', async () => {
    const src = (await openAnySource(`rpc:${devnet.current.url}`, {
      cacheMode: 'noCache',
      env: {},
      historyLimit: 3,
    } as SourceContext)) as RpcOpenedSource;
    const view = src.rpcView;
    const mule1 = ACTORS.mule1;
    expect(view.ledger(mule1, 'ETH').status).toBe('missing');
    expect(view.ledgerSize(mule1, 'ETH')).toBeUndefined();
    await view.fetchMissing({ addresses: [mule1], txs: [], outspends: [] });
    expect(view.ledgerSize(mule1, 'ETH')).toBeGreaterThan(3);
    const small = (await openAnySource(`rpc:${devnet.current.url}`, {
      cacheMode: 'noCache',
      env: {},
      historyLimit: 100,
    } as SourceContext)) as RpcOpenedSource;
    await small.rpcView.fetchMissing({ addresses: [], txs: [], outspends: [] });
    small.rpcView.ledger(mule1, 'ETH');
    await small.rpcView.fetchMissing({ addresses: [mule1], txs: [], outspends: [] });
    // mule-1: 4 ETH in, 6 ETH in, 5 ETH out + its fee, 1 ETH into the pool.
    expect(small.rpcView.ledgerSize(mule1, 'ETH')).toBe(5);
  });
});

describe('rpc: reading as of a block below the tip', () => {
  it('--confirmations moves the head down; a newer seed is refused with a reason naming flags that work', async () => {
    const latest = Number(await devnet.current.anvil.rpc<string>('eth_blockNumber', []));
    const src = await openAnySource(`rpc:${devnet.current.url}`, {
      cacheMode: 'noCache',
      env: {},
      confirmations: 3,
    });
    expect(src.describe().asOf?.height).toBe(latest - 3);
    const lastTx = devnet.current.played.at(-1)!.hash;
    const r = await cli(['trace', lastTx, ...via(devnet.current.url), '--confirmations', '3']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`after block ${latest - 3}`);
    expect(r.stderr).toContain('trace without them');
  });
});
