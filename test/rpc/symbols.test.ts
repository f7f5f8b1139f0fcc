// Token metadata is attacker-controlled: a hostile symbol is kept as read (in the data and the
// JSON), and the terminal renderer strips its escape and bidi characters; a contract without
// symbol()/decimals() gets its address as symbol and 0 decimals.

import { Chalk } from 'chalk';
import { getCreateAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { openAnySource } from '../../src/app/sources.js';
import { DevnetChain, encodeCall, encodeDeploy } from '../../src/devnet/chain.js';
import { devnetAddress } from '../../src/devnet/deployment.js';
import { renderTable } from '../../src/report/table.js';
import type { RpcOpenedSource } from '../../src/sources/rpc/open.js';
import { tmp, traceInProcess, useDevnet } from './helpers.js';

const devnet = useDevnet({ play: false });
const EVIL = '\u001b[31mUSDT\u202e';

describe('token symbols from the chain', () => {
  it('keeps a hostile symbol raw in data and strips it on the terminal', async () => {
    const chain = new DevnetChain(devnet.current.anvil);
    const deployer = devnetAddress('evil deployer');
    const holder = devnetAddress('evil holder');
    const other = devnetAddress('evil other');
    await chain.send({ from: deployer, data: encodeDeploy('DevToken', ['Evil', EVIL, 6]), gasPrice: 0n });
    const token = getCreateAddress({ from: deployer, nonce: 0 });
    await chain.send({
      from: deployer,
      to: token,
      data: encodeCall('DevToken', 'mint', [holder, 100_000_000n]),
      gasPrice: 0n,
    });
    await chain.send({
      from: holder,
      to: token,
      data: encodeCall('DevToken', 'transfer', [other, 40_000_000n]),
      gasPrice: 0n,
    });
    const t = await traceInProcess({
      spec: `rpc:${devnet.current.url}`,
      seed: holder,
      seedKind: 'address',
      asset: token,
      cacheDir: tmp(),
    });
    expect(t.view.asset(token)).toEqual({ symbol: EVIL, decimals: 6, contract: token });
    expect(JSON.parse(t.json).query.asset.symbol).toBe(EVIL);
    const table = renderTable(t.result, new Chalk({ level: 0 }));
    expect(table).toContain('40 USDT');
    expect(table).not.toMatch(/[\u001b\u202e]/);
  });

  it('a contract without symbol() and decimals() is named by its address, with 0 decimals', async () => {
    const chain = new DevnetChain(devnet.current.anvil);
    const deployer = devnetAddress('plain deployer');
    await chain.send({ from: deployer, data: encodeDeploy('Forwarder', []), gasPrice: 0n });
    const contract = getCreateAddress({ from: deployer, nonce: 0 });
    const s = (await openAnySource(`rpc:${devnet.current.url}`, {
      cacheMode: 'noCache',
      env: {},
    })) as RpcOpenedSource;
    expect(await s.prepareAsset(contract)).toBe(contract);
    expect(s.rpcView.asset(contract)).toEqual({ symbol: contract, decimals: 0, contract });
  });
});
