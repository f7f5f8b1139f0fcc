// The tables `--format csv` can print (a module of its own: the CLI lists them in help without
// loading the renderers).
export type CsvTable = 'edges' | 'exits' | 'atrest' | 'nodes';
export const CSV_TABLES: readonly CsvTable[] = ['edges', 'exits', 'atrest', 'nodes'];
