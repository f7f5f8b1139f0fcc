// `--fiat CODE` / `--prices DIR` (issue 15): the work is in src/app/fiat.ts.
export { applyFiat, type FiatFlags, fiatCode } from '../app/fiat.js';
