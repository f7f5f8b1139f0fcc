// The live-monitoring workshop on the devnet: the investigators' report named the drainer, so its
// address is now labelled a theft; the exchange watches its deposit address for credits with
// flagged exposure. Each "theft" the trainer plays sends stolen ETH from the drainer through a
// fresh mule into the exchange deposit address: `fundtrace watch` raises an arrival alert with the
// exposure (100 % theft, 2 hops back) and its evidence path.
//
//   workshopLabels()              the label the workshop adds (drainer = theft)
//   workshopWatchFile(labels[])   the watch file text (deposit address: arrival + labels rules)
//   playWorkshopTheft(chain, n)   play theft number n (1, 2, …): two transactions, two blocks
import type { Label } from '../core/model.js';
import { type DevnetChain, PLAIN_GAS_PRICE } from './chain.js';
import { devnetAddress } from './deployment.js';
import { ACTORS } from './scenario.js';

const WEI = 10n ** 18n;

export function workshopLabels(): Label[] {
  return [
    {
      chain: 'anvil',
      address: ACTORS.drainer,
      entity: 'Devnet drainer (reported theft)',
      category: 'theft',
      source: 'fundtrace devnet workshop',
    },
  ];
}

export function workshopWatchFile(labelFiles: readonly string[]): string {
  return `# fundtrace devnet workshop: the exchange watches its deposit address
labels: ${JSON.stringify(labelFiles)}
watch:
  - address: "${ACTORS.exchangeDeposit}"
    name: Devnet Exchange deposit address
    rules:
      arrival: { hops: 3, share: "10%" }
      labels: true
`;
}

/** Theft n: the drainer pays 0.2 ETH to a fresh mule, which deposits 0.15 ETH at the exchange. */
export async function playWorkshopTheft(
  chain: DevnetChain,
  n: number,
): Promise<{ mule: string; hashes: string[] }> {
  const mule = devnetAddress(`workshop-mule-${n}`);
  const a = await chain.send({
    from: ACTORS.drainer,
    to: mule,
    value: (2n * WEI) / 10n,
    gasPrice: PLAIN_GAS_PRICE,
  });
  // The mule holds only stolen ETH: its deposit pays gas from it too, at the devnet's fixed price.
  const b = await chain.send({
    from: mule,
    to: ACTORS.exchangeDeposit,
    value: (15n * WEI) / 100n,
    gasPrice: PLAIN_GAS_PRICE,
  });
  return { mule, hashes: [a, b] };
}
