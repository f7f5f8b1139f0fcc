// The devnet scenario: a wallet drainer. Every transaction is declared with what it is meant to
// move (its intent), so the exported dataset is built from the intent plus the receipts, not
// from the tracer's own reading of the node (see ./export.ts), and the trace through rpc: can be
// checked against it.
//
// Gas: plain ETH transfers are legacy transactions at 1 gwei, so each costs exactly
// 21 000 × 1 gwei = 0.000021 ETH (recorded as a fee); contract calls are sent at gas price 0
// (anvil runs with --base-fee 0), so their gas, which depends on the compiler, never enters the
// hand-checked figures.
//
// The story (ETH and USDF, a 6-decimal token; amounts in whole units):
//   setup   deploy USDF, a look-alike "USDF" (bytes32 symbol, 18 decimals), a forwarder and a
//           mixer-like pool; the faucet funds the victim (12 ETH), a merchant (20 ETH, clean money),
//           the exchange hot wallet, three pool users (who deposit 1 ETH each); USDF is minted to the
//           victim (1000) and the merchant (5000); the victim signs a phishing approval.
//   drain   (seed ETH)  victim → drainer 10 ETH
//           (seed USDF) drainer pulls 1000 USDF from the victim (transferFrom)
//   spread  drainer → mule-1 4 ETH; drainer → forwarder.split 3.5 ETH: 2 → mule-2, 1 → mule-3
//           (internal), 0.5 → the pool, which refuses plain ETH: that call frame reverts and the
//           0.5 stays in the forwarder; drainer → mule-1 400 USDF, → mule-2 350 USDF, and a
//           zero-value USDF transfer to an unrelated address (one block)
//   merge   merchant → mule-1 6 ETH and 600 USDF (clean, one block)
//   exits   mule-1 → exchange deposit 5 ETH, → pool 1 ETH, → exchange deposit 500 USDF;
//           mule-2 → pool 1 ETH; mule-3 tries the pool with 0.5 ETH: reverted (moves nothing);
//           mule-2 → cold wallet 100 USDF; the drainer dumps 250 000 look-alike USDF on the
//           exchange deposit; the exchange tops up and sweeps its deposit address to its hot
//           wallet; the pool operator pays out two withdrawals (internal transfers).
//
// Hand-checked results (forward from the seed, --hops 5, labels from devnetLabels()):
//   see test/devnet/scenario-figures.test.ts, which spells the arithmetic out.
//
// API:
//   ACTORS, actor(name), SEEDS (names of the seed steps), devnetLabels(), scenarioSteps()
//   playScenario(chain) → PlayedTx[]       deploy and play everything on a fresh anvil
import { encodeBytes32String, keccak256, parseEther, toUtf8Bytes } from 'ethers';
import type { Label } from '../core/model.js';
import { type DevnetChain, encodeCall, encodeDeploy, PLAIN_GAS_PRICE, type TxRequest } from './chain.js';
import { CONTRACTS, DEPLOYER, DEVNET_CHAIN, devnetAddress } from './deployment.js';

export const ZERO = '0x0000000000000000000000000000000000000000';

export type TokenName = 'USDF' | 'USDF-LOOKALIKE';

export type Move =
  | { kind: 'internal'; from: string; to: string; value: bigint }
  /** `token`: an asset symbol of the export's token table (TokenName here; the two-chain scenario's own). */
  | { kind: 'token'; token: string; from: string; to: string; value: bigint };

export interface Step {
  name: string;
  tx: TxRequest;
  /** The transaction is meant to fail (receipt status 0): it moves nothing. */
  expect?: 'revert';
  /** What it moves besides its own value: internal transfers and token transfers, in order. */
  moves?: Move[];
  /** Block timestamp to mine it at (unix seconds), when the story needs one (bridge delays). */
  at?: number;
}

export interface PlayedTx {
  step: Step;
  hash: string;
}

export const ACTORS = {
  faucet: devnetAddress('faucet'),
  victim: devnetAddress('victim'),
  drainer: devnetAddress('drainer'),
  mule1: devnetAddress('mule-1'),
  mule2: devnetAddress('mule-2'),
  mule3: devnetAddress('mule-3'),
  merchant: devnetAddress('merchant'),
  exchangeDeposit: devnetAddress('exchange-deposit'),
  exchangeHot: devnetAddress('exchange-hot-wallet'),
  cold: devnetAddress('cold-wallet'),
  zeroTarget: devnetAddress('zero-value-target'),
  poolUser1: devnetAddress('pool-user-1'),
  poolUser2: devnetAddress('pool-user-2'),
  poolUser3: devnetAddress('pool-user-3'),
  withdrawal1: devnetAddress('pool-withdrawal-1'),
  withdrawal2: devnetAddress('pool-withdrawal-2'),
  deployer: DEPLOYER,
  usdf: CONTRACTS.usdf,
  lookalike: CONTRACTS.lookalike,
  forwarder: CONTRACTS.forwarder,
  pool: CONTRACTS.pool,
} as const;

export type ActorName = keyof typeof ACTORS;

/** Names of the steps whose transactions seed the demo traces. */
export const SEEDS = { eth: 'drain-eth', usdf: 'drain-usdf' } as const;

const ETH = (s: string) => parseEther(s);
const USDF = (n: bigint) => n * 1_000_000n;
const FAKE = (n: bigint) => n * 10n ** 18n;
const commitment = (s: string) => keccak256(toUtf8Bytes(`fundtrace devnet commitment ${s}`));

const plain = (from: string, to: string, eth: string): TxRequest => ({
  from,
  to,
  value: ETH(eth),
  gasPrice: PLAIN_GAS_PRICE,
});
const contract = (from: string, to: string, data: string, value = 0n, gas?: bigint): TxRequest => ({
  from,
  to,
  data,
  value,
  gasPrice: 0n,
  ...(gas !== undefined ? { gas } : {}),
});
const usdf = (from: string, to: string, n: bigint): Step => ({
  name: `usdf ${from.slice(0, 8)}→${to.slice(0, 8)} ${n}`,
  tx: contract(from, CONTRACTS.usdf, encodeCall('DevToken', 'transfer', [to, USDF(n)])),
  moves: [{ kind: 'token', token: 'USDF', from, to, value: USDF(n) }],
});

/** The whole scenario, in play order; an inner array is one block. */
export function scenarioSteps(): (Step | Step[])[] {
  const A = ACTORS;
  const deposit = (from: string, name: string): Step => ({
    name: `pool deposit ${name}`,
    tx: contract(from, A.pool, encodeCall('MixerPool', 'deposit', [commitment(name)]), ETH('1')),
  });
  const withdraw = (to: string, name: string): Step => ({
    name: `pool withdrawal ${name}`,
    tx: contract(
      A.deployer,
      A.pool,
      encodeCall('MixerPool', 'withdraw', [to, commitment(`nullifier ${name}`)]),
    ),
    moves: [{ kind: 'internal', from: A.pool, to, value: ETH('1') }],
  });
  const deploy = (name: string, data: string): Step => ({
    name,
    tx: { from: A.deployer, data, gasPrice: 0n },
  });
  return [
    // ---- setup ----
    deploy('deploy USDF', encodeDeploy('DevToken', ['Devnet Dollar', 'USDF', 6])),
    deploy('deploy look-alike USDF', encodeDeploy('Bytes32Token', [encodeBytes32String('USDF')])),
    deploy('deploy forwarder', encodeDeploy('Forwarder', [])),
    deploy('deploy pool', encodeDeploy('MixerPool', [])),
    { name: 'fund victim', tx: plain(A.faucet, A.victim, '12') },
    { name: 'fund merchant', tx: plain(A.faucet, A.merchant, '20') },
    { name: 'fund exchange hot wallet', tx: plain(A.faucet, A.exchangeHot, '50') },
    { name: 'fund pool user 1', tx: plain(A.faucet, A.poolUser1, '2') },
    { name: 'fund pool user 2', tx: plain(A.faucet, A.poolUser2, '2') },
    { name: 'fund pool user 3', tx: plain(A.faucet, A.poolUser3, '2') },
    deposit(A.poolUser1, 'user-1'),
    deposit(A.poolUser2, 'user-2'),
    deposit(A.poolUser3, 'user-3'),
    {
      name: 'mint USDF to victim',
      tx: contract(A.deployer, A.usdf, encodeCall('DevToken', 'mint', [A.victim, USDF(1000n)])),
      moves: [{ kind: 'token', token: 'USDF', from: ZERO, to: A.victim, value: USDF(1000n) }],
    },
    {
      name: 'mint USDF to merchant',
      tx: contract(A.deployer, A.usdf, encodeCall('DevToken', 'mint', [A.merchant, USDF(5000n)])),
      moves: [{ kind: 'token', token: 'USDF', from: ZERO, to: A.merchant, value: USDF(5000n) }],
    },
    {
      name: 'mint look-alike to drainer',
      tx: contract(
        A.deployer,
        A.lookalike,
        encodeCall('Bytes32Token', 'mint', [A.drainer, FAKE(1_000_000n)]),
      ),
      moves: [{ kind: 'token', token: 'USDF-LOOKALIKE', from: ZERO, to: A.drainer, value: FAKE(1_000_000n) }],
    },
    {
      name: 'phishing approval',
      tx: contract(A.victim, A.usdf, encodeCall('DevToken', 'approve', [A.drainer, 2n ** 256n - 1n])),
    },
    // ---- drain ----
    { name: SEEDS.eth, tx: plain(A.victim, A.drainer, '10') },
    {
      name: SEEDS.usdf,
      tx: contract(
        A.drainer,
        A.usdf,
        encodeCall('DevToken', 'transferFrom', [A.victim, A.drainer, USDF(1000n)]),
      ),
      moves: [{ kind: 'token', token: 'USDF', from: A.victim, to: A.drainer, value: USDF(1000n) }],
    },
    // ---- spread ----
    { name: 'drainer → mule-1', tx: plain(A.drainer, A.mule1, '4') },
    {
      name: 'drainer → forwarder split',
      tx: contract(
        A.drainer,
        A.forwarder,
        encodeCall('Forwarder', 'split', [
          [A.mule2, A.mule3, A.pool],
          [ETH('2'), ETH('1'), ETH('0.5')],
        ]),
        ETH('3.5'),
      ),
      moves: [
        { kind: 'internal', from: A.forwarder, to: A.mule2, value: ETH('2') },
        { kind: 'internal', from: A.forwarder, to: A.mule3, value: ETH('1') },
        // the 0.5 ETH call to the pool reverts inside the (successful) transaction
      ],
    },
    [usdf(A.drainer, A.mule1, 400n), usdf(A.drainer, A.mule2, 350n), usdf(A.drainer, A.zeroTarget, 0n)],
    // ---- merge with clean funds ----
    [{ name: 'merchant → mule-1 ETH', tx: plain(A.merchant, A.mule1, '6') }, usdf(A.merchant, A.mule1, 600n)],
    // ---- exits ----
    { name: 'mule-1 → exchange deposit', tx: plain(A.mule1, A.exchangeDeposit, '5') },
    deposit(A.mule1, 'mule-1'),
    usdf(A.mule1, A.exchangeDeposit, 500n),
    deposit(A.mule2, 'mule-2'),
    {
      name: 'mule-3 pool deposit (reverted: wrong amount)',
      tx: contract(
        A.mule3,
        A.pool,
        encodeCall('MixerPool', 'deposit', [commitment('mule-3')]),
        ETH('0.5'),
        200_000n,
      ),
      expect: 'revert',
    },
    usdf(A.mule2, A.cold, 100n),
    {
      name: 'drainer dumps look-alike on the exchange',
      tx: contract(
        A.drainer,
        A.lookalike,
        encodeCall('Bytes32Token', 'transfer', [A.exchangeDeposit, FAKE(250_000n)]),
      ),
      moves: [
        {
          kind: 'token',
          token: 'USDF-LOOKALIKE',
          from: A.drainer,
          to: A.exchangeDeposit,
          value: FAKE(250_000n),
        },
      ],
    },
    { name: 'exchange gas top-up', tx: plain(A.exchangeHot, A.exchangeDeposit, '0.001') },
    { name: 'exchange sweep ETH', tx: plain(A.exchangeDeposit, A.exchangeHot, '5') },
    usdf(A.exchangeDeposit, A.exchangeHot, 500n),
    withdraw(A.withdrawal1, 'w1'),
    withdraw(A.withdrawal2, 'w2'),
  ];
}

/** Labels for the scenario, in fundtrace label form (dataset-v1 `labels`). */
export function devnetLabels(): Label[] {
  const A = ACTORS;
  const l = (address: string, entity: string, category: string, note: string): Label => ({
    chain: DEVNET_CHAIN,
    address,
    entity,
    category,
    source: 'fundtrace devnet',
    confidence: 'high',
    note,
  });
  return [
    l(A.exchangeDeposit, 'Devnet Exchange', 'exchange', 'deposit address (sweeps to the hot wallet)'),
    l(A.exchangeHot, 'Devnet Exchange', 'exchange', 'hot wallet'),
    l(A.pool, 'Devnet Mixer Pool', 'mixer', 'fixed-denomination pool contract (1 ETH)'),
    l(A.victim, 'Victim (devnet)', 'individual', 'drained by a phishing signature'),
  ];
}

/** Play the scenario on a fresh devnet (nothing else sent before). */
export async function playScenario(chain: DevnetChain): Promise<PlayedTx[]> {
  const played: PlayedTx[] = [];
  await chain.anvil.rpc('anvil_setBalance', [ACTORS.faucet, `0x${(10n ** 24n).toString(16)}`]);
  for (const item of scenarioSteps()) {
    const steps = Array.isArray(item) ? item : [item];
    const hashes =
      steps.length === 1 ? [await chain.send(steps[0]!.tx)] : await chain.block(steps.map((s) => s.tx));
    for (const [i, step] of steps.entries()) played.push({ step, hash: hashes[i]! });
  }
  return played;
}
