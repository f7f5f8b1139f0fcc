// Imports of the real public lists in ../shared/data (skipped when that folder is absent).
// Expected counts were measured by inspecting the files independently of this code (Python: csv,
// json, yaml, a base58check/bech32 checker and a re-implementation of the documented mapping
// rules), then checked against the importers. Where rows are not imported, the reason is one of:
//  - problems (reported, not imported): invalid or truncated addresses, duplicate rows;
//  - skipped (counted, not problems): chains/currencies fundtrace does not support (LTC, BCH, XMR,
//    Omni USDT on Bitcoin addresses, …; celo, gnosis, avalanche, fantom folders), GraphSense tx_hash tags, the
//    same wallet listed again for another token of one chain, Etherscan "Sum of N Accounts" page
//    footers, SDN entries without a digital currency address, ScamSniffer domain-only archives.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FundtraceError } from '../../src/core/errors.js';
import { importIntoDirectory, loadDirectory } from '../../src/labels/directory.js';
import { loadLabelFile } from '../../src/labels/load.js';
import { labelStats } from '../../src/labels/stats.js';
import { loadLabelStore } from '../../src/labels/store.js';
import { countBy, hasShared, SHARED, tmpDir } from './helpers.js';

/** [file under ../shared/data, entries, distinct addresses, problems, skipped] */
type Row = [file: string, entries: number, addresses: number, problems: number, skipped: number];

const EXPECTED: Row[] = [
  ['eth-labels-dawsbot/mainnet-2022/exchange.all.csv', 372, 372, 0, 0],
  ['eth-labels-dawsbot/mainnet-2022/exchange.all.json', 372, 372, 0, 0],
  ['eth-labels-dawsbot/mainnet-2022/phish-hack.all.csv', 5600, 5600, 0, 0],
  ['eth-labels-dawsbot/mainnet-2022/phish-hack.all.json', 5600, 5600, 0, 0],
  ['eth-labels-dawsbot/v1-2024/arbiscan/binance.accounts.json', 1, 1, 0, 0],
  ['eth-labels-dawsbot/v1-2024/arbiscan/bridge.accounts.json', 22, 22, 0, 0],
  ['eth-labels-dawsbot/v1-2024/arbiscan/coinbase.accounts.json', 5, 5, 0, 0],
  ['eth-labels-dawsbot/v1-2024/arbiscan/exchange.accounts.json', 7, 7, 0, 0],
  ['eth-labels-dawsbot/v1-2024/arbiscan/exploit.accounts.json', 21, 21, 0, 0],
  ['eth-labels-dawsbot/v1-2024/arbiscan/hot-wallet.accounts.json', 1, 1, 0, 0],
  ['eth-labels-dawsbot/v1-2024/arbiscan/kucoin.accounts.json', 3, 3, 0, 0],
  ['eth-labels-dawsbot/v1-2024/arbiscan/phish-hack.accounts.json', 225, 225, 0, 0],
  ['eth-labels-dawsbot/v1-2024/arbiscan/tornado-cash.accounts.json', 4, 4, 0, 0],
  ['eth-labels-dawsbot/v1-2024/basescan/bridge.accounts.json', 2, 2, 0, 0],
  ['eth-labels-dawsbot/v1-2024/basescan/coinbase.accounts.json', 2, 2, 0, 0],
  ['eth-labels-dawsbot/v1-2024/basescan/exploit.accounts.json', 3, 3, 0, 0],
  ['eth-labels-dawsbot/v1-2024/basescan/phish-hack.accounts.json', 43, 43, 0, 0],
  ['eth-labels-dawsbot/v1-2024/bscscan/bridge.accounts.json', 30, 30, 0, 0],
  ['eth-labels-dawsbot/v1-2024/bscscan/exchange.accounts.json', 49, 49, 0, 0],
  ['eth-labels-dawsbot/v1-2024/bscscan/heist.accounts.json', 58, 58, 0, 0],
  ['eth-labels-dawsbot/v1-2024/bscscan/hot-wallet.accounts.json', 1, 1, 0, 0],
  ['eth-labels-dawsbot/v1-2024/celo/bridge.accounts.json', 0, 0, 0, 5],
  ['eth-labels-dawsbot/v1-2024/celo/exploit.accounts.json', 0, 0, 0, 1],
  ['eth-labels-dawsbot/v1-2024/celo/phish-hack.accounts.json', 0, 0, 0, 50],
  ['eth-labels-dawsbot/v1-2024/etherscan/blocked.accounts.json', 681, 662, 0, 0],
  ['eth-labels-dawsbot/v1-2024/etherscan/bridge.accounts.json', 188, 188, 0, 0],
  ['eth-labels-dawsbot/v1-2024/etherscan/coinbase.accounts.json', 126, 126, 0, 0],
  ['eth-labels-dawsbot/v1-2024/etherscan/gemini.accounts.json', 13, 13, 0, 0],
  ['eth-labels-dawsbot/v1-2024/etherscan/hot-wallet.accounts.json', 10, 10, 0, 0],
  ['eth-labels-dawsbot/v1-2024/etherscan/kraken.accounts.json', 38, 38, 0, 0],
  ['eth-labels-dawsbot/v1-2024/etherscan/kucoin.accounts.json', 28, 28, 0, 0],
  ['eth-labels-dawsbot/v1-2024/etherscan/ofac-sanctions-lists.accounts.json', 110, 72, 0, 0],
  ['eth-labels-dawsbot/v1-2024/etherscan/okx.accounts.json', 34, 34, 0, 0],
  ['eth-labels-dawsbot/v1-2024/etherscan/tornado-cash.accounts.json', 63, 63, 0, 0],
  ['eth-labels-dawsbot/v1-2024/etherscan/upbit.accounts.json', 14, 14, 0, 0],
  ['eth-labels-dawsbot/v1-2024/gnosis/bridge.accounts.json', 0, 0, 0, 5],
  ['eth-labels-dawsbot/v1-2024/gnosis/phish-hack.accounts.json', 0, 0, 0, 15],
  ['eth-labels-dawsbot/v1-2024/optimism/binance.accounts.json', 1, 1, 0, 0],
  ['eth-labels-dawsbot/v1-2024/optimism/bridge.accounts.json', 7, 7, 0, 0],
  ['eth-labels-dawsbot/v1-2024/optimism/exchange.accounts.json', 2, 2, 0, 0],
  ['eth-labels-dawsbot/v1-2024/optimism/exploit.accounts.json', 11, 11, 0, 0],
  ['eth-labels-dawsbot/v1-2024/optimism/kucoin.accounts.json', 3, 3, 0, 0],
  ['eth-labels-dawsbot/v1-2024/optimism/phish-hack.accounts.json', 58, 58, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/across-protocol.csv', 21, 21, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/across-protocol.json', 21, 21, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/arbitrum.csv', 58, 58, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/arbitrum.json', 58, 58, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bancor-contract-vulnerability.csv', 3, 3, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bancor-contract-vulnerability.json', 3, 3, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/binance-deposit.csv', 1, 1, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/binance-deposit.json', 1, 1, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/binance.csv', 57, 57, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/binance.json', 57, 57, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bitfinex.csv', 40, 40, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bitfinex.json', 40, 40, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bithumb.csv', 18, 18, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bithumb.json', 18, 18, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bitmex.csv', 2, 2, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bitmex.json', 2, 2, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bitstamp.csv', 9, 9, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bitstamp.json', 9, 9, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bittrex.csv', 4, 4, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bittrex.json', 4, 4, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/blocked.csv', 505, 483, 178, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/blocked.json', 505, 483, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bridge.csv', 166, 166, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/bridge.json', 166, 166, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/celer-network.csv', 10, 10, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/celer-network.json', 10, 10, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/changenow.csv', 3, 3, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/changenow.json', 3, 3, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/coinbase.csv', 25, 25, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/coinbase.json', 25, 25, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/cold-wallet.csv', 11, 11, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/cold-wallet.json', 11, 11, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/crypto-com.csv', 21, 21, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/crypto-com.json', 21, 21, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/deribit.csv', 10, 10, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/deribit.json', 10, 10, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/ethereum-mixer.csv', 1, 1, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/ethereum-mixer.json', 1, 1, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/fiat-gateway.csv', 22, 22, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/fiat-gateway.json', 22, 22, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/flagged-by-sec.csv', 2, 2, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/flagged-by-sec.json', 2, 2, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/ftx.csv', 13, 13, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/ftx.json', 13, 13, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/gate-io.csv', 7, 7, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/gate-io.json', 7, 7, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/gemini.csv', 13, 13, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/gemini.json', 13, 13, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/high-risk.csv', 2, 2, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/high-risk.json', 2, 2, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/hop-protocol.csv', 34, 34, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/hop-protocol.json', 34, 34, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/hot-wallet.csv', 10, 10, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/hot-wallet.json', 10, 10, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/huobi.csv', 85, 85, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/huobi.json', 85, 85, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/industry-recovery-initiative.csv', 1, 1, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/industry-recovery-initiative.json', 1, 1, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/kraken.csv', 18, 18, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/kraken.json', 18, 18, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/kucoin.csv', 20, 20, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/kucoin.json', 20, 20, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/multichain.csv', 38, 38, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/multichain.json', 38, 38, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/ofac-sanctions-lists.csv', 110, 72, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/ofac-sanctions-lists.json', 110, 72, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/okx.csv', 26, 26, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/okx.json', 26, 26, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/opportunist.csv', 8, 8, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/opportunist.json', 8, 8, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/optimism.csv', 30, 30, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/optimism.json', 30, 30, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/parity-bug.csv', 132, 132, 21, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/parity-bug.json', 132, 132, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/poloniex.csv', 20, 20, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/poloniex.json', 20, 20, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/polygon-matic.csv', 41, 41, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/polygon-matic.json', 41, 41, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/something-fishy.csv', 1, 1, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/something-fishy.json', 1, 1, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/synapse.csv', 11, 11, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/synapse.json', 11, 11, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/tornado-cash.csv', 63, 63, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/tornado-cash.json', 63, 63, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/upbit.csv', 4, 4, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/upbit.json', 4, 4, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/white-hat-group.csv', 3, 3, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/white-hat-group.json', 3, 3, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/wormhole.csv', 18, 18, 0, 0],
  ['etherscan-labels-brianleect/etherscan/accounts/wormhole.json', 18, 18, 0, 0],
  ['etherscan-labels-brianleect/etherscan/combined/combinedAccountLabels.json', 23404, 23288, 0, 0],
  ['etherscan-labels-brianleect/other-chains/arbiscan/exploit.csv', 7, 7, 0, 1],
  ['etherscan-labels-brianleect/other-chains/arbiscan/phish-hack.csv', 18, 18, 0, 1],
  ['etherscan-labels-brianleect/other-chains/arbiscan/tornado-cash.csv', 4, 4, 0, 1],
  ['etherscan-labels-brianleect/other-chains/avalanche/exploit.csv', 0, 0, 0, 11],
  ['etherscan-labels-brianleect/other-chains/avalanche/heist.csv', 0, 0, 0, 4],
  ['etherscan-labels-brianleect/other-chains/avalanche/phish-hack.csv', 0, 0, 0, 9],
  ['etherscan-labels-brianleect/other-chains/avalanche/tornado-cash.csv', 0, 0, 0, 4],
  ['etherscan-labels-brianleect/other-chains/bscscan/heist.csv', 57, 57, 0, 0],
  ['etherscan-labels-brianleect/other-chains/ftmscan/exploit.csv', 0, 0, 0, 16],
  ['etherscan-labels-brianleect/other-chains/ftmscan/phish-hack.csv', 0, 0, 0, 4],
  ['etherscan-labels-brianleect/other-chains/optimism/exploit.csv', 3, 3, 0, 1],
  ['etherscan-labels-brianleect/other-chains/optimism/phish-hack.csv', 3, 3, 0, 1],
  ['etherscan-labels-brianleect/other-chains/polygonscan/exploit.csv', 38, 38, 0, 0],
  ['etherscan-labels-brianleect/other-chains/polygonscan/heist.csv', 23, 23, 0, 0],
  ['etherscan-labels-brianleect/other-chains/polygonscan/tornado-cash.csv', 5, 5, 0, 0],
  ['graphsense-tagpacks/packs/africrypt-hack.yaml', 1, 1, 0, 0],
  ['graphsense-tagpacks/packs/binance_hack.yaml', 44, 44, 0, 0],
  ['graphsense-tagpacks/packs/blender_io.yaml', 90, 45, 0, 0],
  ['graphsense-tagpacks/packs/chaininfo.yaml', 122, 122, 0, 0],
  ['graphsense-tagpacks/packs/demo.yaml', 2, 2, 0, 3],
  ['graphsense-tagpacks/packs/electrum_phishing.yaml', 3, 3, 0, 3],
  ['graphsense-tagpacks/packs/etherhiding.yaml', 2, 2, 0, 0],
  ['graphsense-tagpacks/packs/etherscan-wordcloud-exchange.yaml', 646, 640, 0, 0],
  ['graphsense-tagpacks/packs/etherscan-wordcloud-mixing_service.yaml', 61, 59, 0, 0],
  ['graphsense-tagpacks/packs/exchange-wallets-binance.yaml', 61, 39, 0, 25],
  ['graphsense-tagpacks/packs/exchange-wallets-bitfinexcom.yaml', 15, 14, 0, 120],
  ['graphsense-tagpacks/packs/exchange-wallets-bybit.yaml', 8, 8, 0, 0],
  ['graphsense-tagpacks/packs/exchange-wallets-cryptocom.yaml', 10, 10, 0, 0],
  ['graphsense-tagpacks/packs/exchange-wallets-huobi.yaml', 38, 26, 0, 20],
  ['graphsense-tagpacks/packs/exchange-wallets-kucoin.yaml', 30, 23, 3, 26],
  ['graphsense-tagpacks/packs/exchange-wallets-okx.yaml', 36, 36, 0, 0],
  ['graphsense-tagpacks/packs/hacks.yaml', 608, 606, 0, 0],
  ['graphsense-tagpacks/packs/hydra.yaml', 234, 117, 0, 0],
  ['graphsense-tagpacks/packs/interpol-real_services.yaml', 10, 10, 0, 0],
  ['graphsense-tagpacks/packs/lazarus.yaml', 21, 21, 0, 0],
  ['graphsense-tagpacks/packs/lazarus2.yaml', 6, 6, 0, 0],
  ['graphsense-tagpacks/packs/mixing_fc2021.yaml', 66, 66, 0, 0],
  ['graphsense-tagpacks/packs/ofac.yaml', 540, 540, 1, 31],
  ['graphsense-tagpacks/packs/plustoken.yaml', 10, 10, 2, 0],
  ['graphsense-tagpacks/packs/ponzi_scheme.yaml', 52, 52, 0, 0],
  ['graphsense-tagpacks/packs/ransomware.yaml', 7178, 7178, 0, 0],
  ['graphsense-tagpacks/packs/ransomwhere.yaml', 7457, 7457, 0, 0],
  ['graphsense-tagpacks/packs/ronin_bridge.yaml', 6, 6, 0, 0],
  ['graphsense-tagpacks/packs/sinbad_io.yaml', 4, 2, 0, 0],
  ['graphsense-tagpacks/packs/tornado_cash.yaml', 76, 38, 1, 0],
  ['graphsense-tagpacks/packs/twitter_hack_scam.yaml', 3, 3, 0, 0],
  ['graphsense-tagpacks/packs/usdt_blacklist.yaml', 774, 774, 0, 0],
  ['graphsense-tagpacks/packs/walletexplorer.yaml', 386, 386, 0, 0],
  ['graphsense-tagpacks/packs/wasabi_collector.yaml', 2, 2, 0, 0],
  ['mew-addresses-darklist/addresses-darklist.json', 662, 629, 31, 0],
  ['mew-addresses-darklist/addresses-lightlist.json', 2, 2, 0, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_ARB.json', 1, 1, 0, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_ARB.txt', 1, 1, 0, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_BCH.json', 0, 0, 0, 7],
  ['ofac-sanctioned-addresses/sanctioned_addresses_BCH.txt', 0, 0, 0, 7],
  ['ofac-sanctioned-addresses/sanctioned_addresses_BSC.json', 1, 1, 0, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_BSC.txt', 1, 1, 0, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_BSV.json', 0, 0, 0, 1],
  ['ofac-sanctioned-addresses/sanctioned_addresses_BSV.txt', 0, 0, 0, 1],
  ['ofac-sanctioned-addresses/sanctioned_addresses_BTG.json', 0, 0, 0, 1],
  ['ofac-sanctioned-addresses/sanctioned_addresses_BTG.txt', 0, 0, 0, 1],
  ['ofac-sanctioned-addresses/sanctioned_addresses_DASH.json', 0, 0, 0, 3],
  ['ofac-sanctioned-addresses/sanctioned_addresses_DASH.txt', 0, 0, 0, 3],
  ['ofac-sanctioned-addresses/sanctioned_addresses_ETC.json', 0, 0, 0, 1],
  ['ofac-sanctioned-addresses/sanctioned_addresses_ETC.txt', 0, 0, 0, 1],
  ['ofac-sanctioned-addresses/sanctioned_addresses_ETH.json', 152, 152, 0, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_ETH.txt', 152, 152, 0, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_LTC.json', 0, 0, 0, 10],
  ['ofac-sanctioned-addresses/sanctioned_addresses_LTC.txt', 0, 0, 0, 10],
  ['ofac-sanctioned-addresses/sanctioned_addresses_TRX.json', 6, 6, 0, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_TRX.txt', 6, 6, 0, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_USDC.json', 2, 2, 0, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_USDC.txt', 2, 2, 0, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_USDT.json', 19, 19, 0, 7],
  ['ofac-sanctioned-addresses/sanctioned_addresses_USDT.txt', 19, 19, 0, 7],
  ['ofac-sanctioned-addresses/sanctioned_addresses_XBT.json', 434, 434, 1, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_XBT.txt', 434, 434, 1, 0],
  ['ofac-sanctioned-addresses/sanctioned_addresses_XMR.json', 0, 0, 0, 3],
  ['ofac-sanctioned-addresses/sanctioned_addresses_XMR.txt', 0, 0, 0, 3],
  ['ofac-sanctioned-addresses/sanctioned_addresses_XRP.json', 0, 0, 0, 1],
  ['ofac-sanctioned-addresses/sanctioned_addresses_XRP.txt', 0, 0, 0, 1],
  ['ofac-sanctioned-addresses/sanctioned_addresses_XVG.json', 0, 0, 0, 1],
  ['ofac-sanctioned-addresses/sanctioned_addresses_XVG.txt', 0, 0, 0, 1],
  ['ofac-sanctioned-addresses/sanctioned_addresses_ZEC.json', 0, 0, 0, 3],
  ['ofac-sanctioned-addresses/sanctioned_addresses_ZEC.txt', 0, 0, 0, 3],
  ['ofac-sdn-csv/sdn_20240503_digital_currency_rows.csv', 265, 264, 11, 18],
  ['ofac-sdn-csv/sdn_20240503_full.csv.gz', 265, 264, 11, 14928],
  ['scamsniffer-scam-database/address.json', 2530, 2530, 0, 0],
  ['scamsniffer-scam-database/archive-2026-08-15.json', 0, 0, 0, 105],
  ['scamsniffer-scam-database/combined.json', 3021, 590, 0, 0],
];

const DATASETS = [...new Set(EXPECTED.map(([f]) => f.split('/')[0]!))];
const real = (file: string) => join(SHARED, file);

async function summary(file: string): Promise<[number, number, number, number]> {
  const r = await loadLabelFile(real(file), { lenient: true });
  const skipped = r.skipped.reduce((n, s) => n + s.count, 0);
  return [r.entries.length, labelStats(r.entries).addresses, r.warnings.length, skipped];
}

for (const dataset of DATASETS) {
  describe.skipIf(!hasShared(dataset))(`real data: ${dataset}`, () => {
    it.each(EXPECTED.filter(([f]) => f.startsWith(`${dataset}/`)))(
      '%s: %i entries, %i addresses, %i problems, %i skipped',
      async (file, entries, addresses, problems, skipped) => {
        expect(await summary(file)).toEqual([entries, addresses, problems, skipped]);
      },
    );
  });
}

describe.skipIf(!hasShared('ofac-sdn-csv'))('real data: OFAC SDN CSV details', () => {
  it('maps 265 addresses of 264 distinct ones onto five chains', async () => {
    const r = await loadLabelFile(real('ofac-sdn-csv/sdn_20240503_digital_currency_rows.csv'), {
      lenient: true,
    });
    expect(countBy(r.entries, 'chain')).toEqual({
      bitcoin: 196,
      ethereum: 53,
      tron: 14,
      arbitrum: 1,
      bsc: 1,
    });
    // USDT on TRON (10) and TRX (4) are TRON labels now; the USDT left is an Omni (Bitcoin) address
    expect(r.skipped).toEqual([
      { reason: 'unsupported currency LTC', count: 4 },
      { reason: 'unsupported currency DASH', count: 3 },
      { reason: 'unsupported currency XMR', count: 3 },
      { reason: 'unsupported currency BCH', count: 2 },
      { reason: 'unsupported currency ZEC', count: 2 },
      { reason: 'unsupported currency BTG', count: 1 },
      { reason: 'unsupported currency ETC', count: 1 },
      { reason: 'unsupported currency USDT', count: 1 },
      { reason: 'unsupported currency XVG', count: 1 },
    ]);
  });

  it('reports the Remarks cut at 1,000 characters and the Tron address filed under XBT', async () => {
    const r = await loadLabelFile(real('ofac-sdn-csv/sdn_20240503_digital_currency_rows.csv'), {
      lenient: true,
    });
    const messages = r.warnings.map((w) => w.message);
    // six addresses cut part-way (one more than PROVENANCE.md lists: BLENDER.IO's 3F6bbv…), one cut
    // right after its ticker, three entries cut inside "Digital Currency Address"
    const cut = messages.filter((m) => m.startsWith('address cut off')).map((m) => m.split(': ')[1]);
    expect(cut).toEqual([
      "'XBT 1Gq'",
      "'XBT 1B64QRxf'",
      "'XBT 3'",
      "'XBT 1B11Ezqg3AXj'",
      "'XBT 3F6bbvS1krsc1qR8FsbTDfYQyvkMm'",
      "'XBT 1N6XqS'",
      "'XBT'",
    ]);
    expect(messages.filter((m) => m.startsWith('an address entry was cut off'))).toHaveLength(3);
    expect(messages.filter((m) => m.includes('TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq'))).toHaveLength(1);
  });

  it('strict mode (--strict-labels) refuses the file with one BAD_INPUT error listing the 11 problems', async () => {
    const file = real('ofac-sdn-csv/sdn_20240503_digital_currency_rows.csv');
    const err = (await loadLabelFile(file, { strict: true }).catch((e: unknown) => e)) as FundtraceError;
    expect(err.code).toBe('BAD_INPUT');
    expect(err.details).toHaveLength(11);
    expect(err.message).toContain('drop --strict-labels');
    // a published list: by default its good entries load and the 11 problems are warnings
    const ok = await loadLabelFile(file);
    expect(ok.warnings).toHaveLength(11);
    expect(ok.entries.length).toBeGreaterThan(0);
  });

  it('the full gzipped sdn.csv yields exactly the same labels as the extract', async () => {
    const full = await loadLabelFile(real('ofac-sdn-csv/sdn_20240503_full.csv.gz'), { lenient: true });
    const extract = await loadLabelFile(real('ofac-sdn-csv/sdn_20240503_digital_currency_rows.csv'), {
      lenient: true,
    });
    expect(full.entries).toEqual(extract.entries);
    expect(full.skipped[0]).toEqual({
      reason: 'SDN entry without a digital currency address',
      count: 14_910,
    });
  });
});

describe.skipIf(!hasShared('ofac-sanctioned-addresses'))('real data: OFAC per-asset lists', () => {
  it('all 17 txt lists together: 615 labels on 5 chains', async () => {
    const tickers = [
      'ARB',
      'BCH',
      'BSC',
      'BSV',
      'BTG',
      'DASH',
      'ETC',
      'ETH',
      'LTC',
      'TRX',
      'USDC',
      'USDT',
      'XBT',
      'XMR',
      'XRP',
      'XVG',
      'ZEC',
    ];
    const files = tickers.map((t) => real(`ofac-sanctioned-addresses/sanctioned_addresses_${t}.txt`));
    const { store, warnings } = await loadLabelStore(files, { lenient: true });
    // 654 rows: 615 on supported chains (17 on TRON: TRX 6, USDT 11), 38 skipped (LTC 10, BCH 7,
    // Omni USDT on Bitcoin addresses 7, …), 1 problem (a TRON address in the XBT list)
    expect(store.size).toBe(615);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('belongs to another chain (tron), not bitcoin');
    expect(labelStats(store).byChain).toEqual([
      { key: 'bitcoin', count: 434 },
      { key: 'ethereum', count: 162 },
      { key: 'tron', count: 17 },
      { key: 'arbitrum', count: 1 },
      { key: 'bsc', count: 1 },
    ]);
  });
});

describe.skipIf(
  !hasShared('graphsense-tagpacks') ||
    !hasShared('ofac-sanctioned-addresses') ||
    !hasShared('etherscan-labels-brianleect'),
)('real data: one address, several lists', () => {
  const ROUTER = '0xd90e2f925DA726b50C4Ed8D0Fb90Ad053324F31b';

  it('the Tornado Cash router is a mixer and sanctioned in several sources; sanctioned wins', async () => {
    const { store } = await loadLabelStore(
      [
        real('graphsense-tagpacks/packs/tornado_cash.yaml'),
        real('ofac-sanctioned-addresses/sanctioned_addresses_ETH.txt'),
        real('etherscan-labels-brianleect/etherscan/accounts/tornado-cash.csv'),
      ],
      { lenient: true },
    );
    const labels = store.get('ethereum', ROUTER.toLowerCase());
    expect(labels.map((l) => `${l.source}/${l.category}`).sort()).toEqual([
      'etherscan:tornado-cash/mixer',
      'graphsense:tornado_cash/mixer',
      'graphsense:tornado_cash/sanctioned',
      'ofac-sdn-list/sanctioned',
    ]);
    expect(store.primary('ethereum', ROUTER)?.category).toBe('sanctioned');
  });

  it('the three WannaCry addresses are ransomware in both GraphSense ransomware packs', async () => {
    const { store } = await loadLabelStore(
      [real('graphsense-tagpacks/packs/ransomware.yaml'), real('graphsense-tagpacks/packs/ransomwhere.yaml')],
      { lenient: true },
    );
    for (const a of [
      '13AM4VW2dhxYgXeQepoHkHSQuy6NgaEb94',
      '12t9YDPgwueZ9NyMgw519p7AA8isjr6SMw',
      '115p7UMMngoj1pMvkpHijcRdfJNXj6LrLn',
    ]) {
      const labels = store.get('bitcoin', a);
      expect(labels).toHaveLength(2);
      expect(labels.every((l) => l.category === 'ransomware' && /wannacry/i.test(l.entity))).toBe(true);
    }
  });
});

describe.skipIf(!hasShared('etherscan-labels-brianleect'))('real data: Etherscan label details', () => {
  it('maps the combined file with the documented rules', async () => {
    const r = await loadLabelFile(
      real('etherscan-labels-brianleect/etherscan/combined/combinedAccountLabels.json'),
    );
    expect(countBy(r.entries, 'category')).toEqual({
      dex: 8171,
      unknown: 5959,
      individual: 4062,
      defi: 2748,
      organization: 611,
      exchange: 525,
      blocklisted: 483,
      bridge: 463,
      miner: 131,
      mixer: 87,
      sanctioned: 72,
      gambling: 48,
      suspicious: 23,
      theft: 13,
      payment_processor: 6,
      scam: 2,
    });
    const binance17 = r.entries.filter(
      (e) => e.address.toLowerCase() === '0x56eddb7aa87536c09ccc2793473599fd21a8b17f',
    );
    expect(binance17.map((e) => [e.entity, e.category])).toEqual([['Binance', 'exchange']]);
  });

  it('blocked.csv repeats 178 rows (overlapping scraped pages): duplicates, not new labels', async () => {
    const r = await loadLabelFile(real('etherscan-labels-brianleect/etherscan/accounts/blocked.csv'), {
      lenient: true,
    });
    expect(r.warnings.every((w) => w.message.startsWith('duplicate of the entry at line'))).toBe(true);
    expect(r.warnings).toHaveLength(178);
  });
});

describe.skipIf(!hasShared('mew-addresses-darklist'))('real data: MEW darklist details', () => {
  it('reports 30 duplicate rows and the 41-character address; the trailing-space rows are duplicates once trimmed', async () => {
    const r = await loadLabelFile(real('mew-addresses-darklist/addresses-darklist.json'), { lenient: true });
    const dup = r.warnings.filter((w) => w.message.startsWith('duplicate'));
    const bad = r.warnings.filter((w) => !w.message.startsWith('duplicate'));
    expect(dup).toHaveLength(30);
    expect(bad.map((w) => w.message)).toEqual([
      'not a valid ethereum address: address "0x9CdfC5b0ACA4527a0916412E9dbD6AD85556A49" is not a valid ethereum address: expected 0x and 40 hex digits, got 39',
    ]);
    // 23 rows have an empty date (none of them a duplicate), so 23 labels carry no lastmod
    expect(countBy(r.entries, 'lastmod').undefined).toBe(23);
  });
});

describe.skipIf(!hasShared('scamsniffer-scam-database'))(
  'real data: ScamSniffer and the label directory',
  () => {
    it('names the addresses under the empty-string domain key of combined.json', async () => {
      const r = await loadLabelFile(real('scamsniffer-scam-database/combined.json'));
      expect(r.entries.filter((e) => e.entity === 'unnamed (ScamSniffer phishing site)')).toHaveLength(4);
      expect(new Set(r.entries.map((e) => e.entity)).size).toBe(2577);
    });

    const dir = tmpDir();
    it('imports two real lists into a directory and loads them back', async () => {
      await importIntoDirectory(dir, real('scamsniffer-scam-database/address.json'));
      await importIntoDirectory(dir, real('scamsniffer-scam-database/combined.json'));
      const { store, files } = await loadDirectory(dir);
      expect(files.map((f) => f.file.split('/').pop())).toEqual([
        'scamsniffer-address.jsonl',
        'scamsniffer-combined.jsonl',
      ]);
      expect(store.size).toBe(2530 + 3021);
    });
  },
);
