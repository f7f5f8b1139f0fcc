// The label formats by name, and format detection from the file name and content.
import { isRecord, stripBom } from '../collect.js';
import type { ImportOptions, ImportResult, LabelImporter } from '../types.js';
import type { OwnEncoding } from './fundtrace.js';
import { OFAC_LIST_FILE } from './names.js';

// Each importer loads when a file of its format is read: a trace with no label files (or files of
// one format) does not parse the others; the TagPack importer would also bring the YAML parser.
/** fundtrace's own label files, of one form or any (told by name and content). */
function fundtraceForm(form?: OwnEncoding): LabelImporter {
  return async (text, file, opts) => (await import('./fundtrace.js')).importFundtrace(text, file, opts, form);
}

export const FORMATS = {
  fundtrace: fundtraceForm(),
  'fundtrace-json': fundtraceForm('json'),
  'fundtrace-jsonl': fundtraceForm('jsonl'),
  'fundtrace-csv': fundtraceForm('csv'),
  graphsense: async (text, file, opts) =>
    (await import('./graphsense.js')).importGraphsense(text, file, opts),
  'ofac-sdn': async (text, file, opts) => (await import('./ofac.js')).importOfacSdn(text, file, opts),
  'ofac-list': async (text, file, opts) => (await import('./ofac.js')).importOfacList(text, file, opts),
  etherscan: async (text, file, opts) => (await import('./etherscan.js')).importEtherscan(text, file, opts),
  'mew-darklist': async (text, file, opts) =>
    (await import('./scamlists.js')).importMewDarklist(text, file, opts),
  'mew-lightlist': async (text, file, opts) =>
    (await import('./scamlists.js')).importMewLightlist(text, file, opts),
  scamsniffer: async (text, file, opts) =>
    (await import('./scamlists.js')).importScamSniffer(text, file, opts),
  'address-list': async (text, file, opts) =>
    (await import('./scamlists.js')).importAddressList(text, file, opts),
} satisfies Record<string, LabelImporter>;

export type LabelFormat = keyof typeof FORMATS;

export const labelFormats = (): LabelFormat[] => Object.keys(FORMATS) as LabelFormat[];

export const isLabelFormat = (name: string): name is LabelFormat => Object.hasOwn(FORMATS, name);

export async function importLabelText(
  format: LabelFormat,
  text: string,
  file: string,
  opts?: ImportOptions,
): Promise<ImportResult> {
  return FORMATS[format](text, file, opts);
}

/** The format of a label file, from its name first and its content second; undefined if unrecognised. */
export function detectFormat(text: string, file: string): LabelFormat | undefined {
  return formatFromName(file) ?? formatFromContent(stripBom(text), file);
}

function formatFromName(file: string): LabelFormat | undefined {
  const f = file.replace(/\\/g, '/').toLowerCase();
  if (OFAC_LIST_FILE.test(f)) return 'ofac-list';
  if (/\.ya?ml$/.test(f)) return 'graphsense';
  if (/(^|\/)sdn[^/]*\.csv$/.test(f)) return 'ofac-sdn';
  if (/\.(jsonl|ndjson)$/.test(f)) return 'fundtrace';
  if (/scamsniffer|scam-database/.test(f) && f.endsWith('.json')) return 'scamsniffer';
  if (/darklist[^/]*\.json$/.test(f)) return 'mew-darklist';
  if (/lightlist[^/]*\.json$/.test(f)) return 'mew-lightlist';
  return undefined;
}

function formatFromContent(text: string, file: string): LabelFormat | undefined {
  const head = text.trimStart();
  if (head.startsWith('[') || head.startsWith('{')) return jsonFormat(head);
  const firstLine = head.split(/\r?\n/, 1)[0]!.toLowerCase();
  const cols = firstLine.split(',').map((s) => s.trim().replace(/\s+/g, ''));
  if (['chain', 'address', 'category'].every((c) => cols.includes(c))) return 'fundtrace';
  if (cols.includes('address') && (cols.includes('nametag') || cols.includes('name'))) return 'etherscan';
  if (/^\d+,"[^"]*","[^"]*",/.test(firstLine) && firstLine.includes('-0-')) return 'ofac-sdn';
  if (/^(title|creator|tags|currency|label)\s*:/m.test(head)) return 'graphsense';
  if (/\.txt$/i.test(file) || /^[A-Za-z0-9:]{20,}$/.test(firstLine.trim())) return 'address-list';
  return undefined;
}

function jsonFormat(text: string): LabelFormat | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // A broken JSON file: JSON Lines if the first line parses alone, else let the own-format
    // importer report the syntax error with its line.
    return 'fundtrace';
  }
  if (Array.isArray(doc)) return arrayFormat(doc);
  if (!isRecord(doc)) return undefined;
  if (Array.isArray(doc.labels) || typeof doc.format === 'string') return 'fundtrace';
  if (Array.isArray(doc.domains) && Object.keys(doc).length === 1) return 'scamsniffer';
  const first = Object.entries(doc)[0];
  if (!first) return undefined;
  const [key, value] = first;
  if (typeof value === 'string' || (isRecord(value) && 'labels' in value)) return 'etherscan';
  if (Array.isArray(value) && !/^0x/i.test(key)) return 'scamsniffer';
  return undefined;
}

function arrayFormat(doc: unknown[]): LabelFormat | undefined {
  const first = doc.find((x) => x !== null && x !== undefined);
  if (first === undefined) return 'fundtrace';
  if (typeof first === 'string') return 'address-list';
  if (!isRecord(first)) return undefined;
  if ('category' in first || 'entity' in first) return 'fundtrace';
  if ('nameTag' in first) return 'etherscan';
  if ('comment' in first && 'address' in first) return 'mew-darklist';
  return undefined;
}
