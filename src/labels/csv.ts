// Moved to src/core/csv.ts (pure text parsing, shared with the ETL importer).
export { type CsvRecord, parseCsv } from '../core/csv.js';
