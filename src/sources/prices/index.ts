// Price sources for fiat values (issue 15): `--prices DIR` files and a CoinGecko-compatible API.
// The pure parts (price books, valuation) are in src/core/fiat/.
export {
  COINGECKO_DEMO_URL,
  COINGECKO_PRO_URL,
  type CoinGeckoConfig,
  type CoinGeckoSource,
  closeDayOfSnapshot,
  coinGeckoConfigFromEnv,
  createCoinGeckoSource,
  parseHistoryBody,
  parseRangeBody,
  snapshotDayFor,
} from './coingecko.js';
export {
  type AnomalyIndex,
  classifyPriceFile,
  type ParsedPriceFile,
  type PriceDirectory,
  type PriceFileKind,
  type PriceFileOptions,
  parseAnomalies,
  parsePriceFile,
  readPriceDir,
} from './files.js';
export { type ExactJson, JsonNumber, parseJsonExact } from './json-exact.js';
export { type LoadedPrices, loadPriceBook, type PriceSourceOptions } from './load.js';
